//! The PDF writer's per-glyph caches (issue 11; vendor/README.md): a font's subset built from
//! glyph work cached by earlier documents must be the subset a fresh process builds, byte for
//! byte — outlines, bounding box, widths and all.
//!
//! Needs pdftotext (`bash .ci/run` installs poppler-utils).

use std::path::Path;
use std::process::Command;

use gongwen::fonts::{FontBook, FontOptions};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

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
    let layout = gongwen::spec::Layout::load("gbt9704").unwrap();
    FontBook::load(&layout, &opts.fonts).unwrap()
}

fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is required; run `bash .ci/run`");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
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
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
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
