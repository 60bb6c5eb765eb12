//! The PDF writer's per-glyph caches (issue 11; vendor/README.md): a font's subset built from
//! glyph work cached by earlier documents must be the subset a fresh process builds, byte for
//! byte — outlines, widths and all.
//!
//! And the literal coding of font programs (`--compress fast`): the font programs inflate to
//! those of krilla's own level, byte for byte.
//!
//! Needs pdftotext (`bash .ci/run` installs poppler-utils).

use std::path::Path;

use crate::harness;
use crate::harness::{ROOT, pdftotext};
use gongwen::fonts::{FontBook, FontOptions};

fn options() -> gongwen::Options {
    gongwen::Options {
        fonts: FontOptions {
            dirs: vec![],
            system: false,
        },
        docx: false,
        ..gongwen::Options::default()
    }
}

/// The PDF of `input` drawn with the fonts (and so the caches) of `fonts`.
fn pdf(input: &str, fonts: &FontBook, opts: &gongwen::Options) -> Vec<u8> {
    let mut w = Vec::new();
    let path = Path::new(ROOT).join(input);
    let (doc, layout) = gongwen::load(&path, opts, &mut w).unwrap();
    gongwen::produce(&doc, &layout, fonts, opts, &mut w)
        .unwrap()
        .pdf
        .unwrap()
}

fn book(opts: &gongwen::Options) -> FontBook {
    let layout = gongwen::spec::LayoutSpec::load("gbt9704").unwrap();
    FontBook::load(&layout, &opts.fonts).unwrap()
}

#[test]
fn a_subset_from_cached_glyphs_is_the_fresh_subset_byte_for_byte() {
    let opts = options();
    let (a, b) = ("data/shuzhi-report.txt", "tests/fixtures/every-element.txt");
    // Fresh: each document with font objects of its own, so nothing is cached before it.
    let a_fresh = pdf(a, &book(&opts), &opts);
    let b_fresh = pdf(b, &book(&opts), &opts);
    assert_ne!(a_fresh, b_fresh);

    // Shared, as a batch shares them: B, then A (which finds part of its glyphs cached, under
    // other new ids), then B again (every glyph cached).
    let shared = book(&opts);
    let b1 = pdf(b, &shared, &opts);
    let a1 = pdf(a, &shared, &opts);
    let b2 = pdf(b, &shared, &opts);
    assert!(b1 == b_fresh, "B with empty caches differs from a fresh B");
    assert!(
        a1 == a_fresh,
        "A from partly cached glyphs differs from a fresh A"
    );
    assert!(b2 == b_fresh, "B from cached glyphs differs from a fresh B");

    // And a fresh process writes the same file; its text is the same.
    let dir = tempfile::tempdir().unwrap();
    let o = harness::command()
        .args([
            "render",
            b,
            "--format",
            "pdf",
            "--no-system-fonts",
            "-q",
            "-o",
        ])
        .arg(dir.path())
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fresh_process = dir.path().join("every-element.pdf");
    let cached = dir.path().join("cached.pdf");
    std::fs::write(&cached, &b2).unwrap();
    assert_eq!(pdftotext(&cached), pdftotext(&fresh_process));
    assert!(
        std::fs::read(&fresh_process).unwrap() == b2,
        "a fresh process's PDF differs from the one built from cached glyphs"
    );
}

#[test]
fn compression_levels_change_the_bytes_not_the_text() {
    let fonts_opts = options();
    let fonts = book(&fonts_opts);
    let input = "tests/fixtures/every-element.txt";
    let at = |c: &str| {
        let opts = gongwen::Options {
            compress: c.parse().unwrap(),
            ..options()
        };
        pdf(input, &fonts, &opts)
    };
    let (fast, standard, best) = (at("fast"), at("standard"), at("best"));
    let stored = at("0");
    // Fonts are most of a file: each level is smaller than the one below, and fast stays
    // within 5 % of krilla's own level 6 (issue 11).
    assert!(stored.len() > fast.len(), "{} {}", stored.len(), fast.len());
    assert!(fast.len() > standard.len() && standard.len() >= best.len());
    assert!(
        (fast.len() as f64) < standard.len() as f64 * 1.05,
        "fast {} against standard {}",
        fast.len(),
        standard.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let text = |bytes: &[u8], name: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        pdftotext(&p)
    };
    let t = text(&standard, "s.pdf");
    assert!(t.contains('。'), "{t}");
    assert_eq!(text(&fast, "f.pdf"), t);
    assert_eq!(text(&best, "b.pdf"), t);
    assert_eq!(text(&stored, "0.pdf"), t);
    assert!("10".parse::<gongwen::export::pdf::Compress>().is_err());
}

/// The inflated streams of `pdf` whose dictionary names `subtype` (krilla writes each object's
/// dictionary, then `stream`, the bytes and `endstream`, uncompressed object by object).
fn streams(pdf: &[u8], subtype: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    use std::io::Read;
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut out = vec![];
    let mut at = 0;
    while let Some(i) = find(pdf, subtype.as_bytes(), at) {
        let start = find(pdf, b"stream\n", i).unwrap() + 7;
        let end = find(pdf, b"\nendstream", start).unwrap();
        let raw = pdf[start..end].to_vec();
        let mut inflated = vec![];
        flate2::read::ZlibDecoder::new(&raw[..])
            .read_to_end(&mut inflated)
            .unwrap();
        out.push((raw, inflated));
        at = end;
    }
    out
}

#[test]
fn fast_font_programs_inflate_to_the_standard_ones() {
    let fonts = book(&options());
    let at = |c: &str| {
        let opts = gongwen::Options {
            compress: c.parse().unwrap(),
            ..options()
        };
        pdf("data/shuzhi-report.txt", &fonts, &opts)
    };
    let (fast, standard) = (at("fast"), at("standard"));
    let (f, s) = (
        streams(&fast, "/CIDFontType0C"),
        streams(&standard, "/CIDFontType0C"),
    );
    assert_eq!(f.len(), 4, "the seed's four faces");
    assert_eq!(f.len(), s.len());
    for ((fz, fi), (sz, si)) in f.iter().zip(&s) {
        assert!(fi == si, "a font program differs once inflated");
        // Literal coding: a zlib header of the fastest level, then one dynamic block.
        assert_eq!(&fz[..2], &[0x78, 0x01]);
        assert_eq!(fz[2] & 0b111, 0b101);
        assert_ne!(fz, sz);
    }
    let total = |v: &[(Vec<u8>, Vec<u8>)], i: usize| {
        v.iter()
            .map(|p| if i == 0 { p.0.len() } else { p.1.len() })
            .sum::<usize>()
    };
    // Coded at about 85 % of their size (zlib 6: 81 %).
    assert!(
        total(&f, 0) < total(&f, 1) * 9 / 10,
        "{} of {}",
        total(&f, 0),
        total(&f, 1)
    );
    assert!(total(&f, 0) < total(&s, 0) * 105 / 100);
}

#[test]
fn literal_coding_inflates_to_its_input() {
    use std::io::Read;
    let inflate = |z: &[u8]| {
        let mut out = vec![];
        flate2::read::ZlibDecoder::new(z)
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    // Frequencies from 1 to 2^17: a Huffman code longer than the coder's 12 bits unless limited.
    let skewed: Vec<u8> = (1..200_000u32)
        .map(|i| (i.trailing_zeros() * 13 + i % 3) as u8)
        .collect();
    let all: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    for data in [vec![], vec![7], vec![7; 1000], vec![1, 2], all, skewed] {
        let z = krilla::literals::zlib(&data);
        assert_eq!(inflate(&z), data, "{} bytes", data.len());
    }
}
