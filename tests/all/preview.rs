//! Page previews (`gongwen preview`, `render --png`) against poppler's rendering of our own PDF:
//! the seed report and the 通知 with its red 版头, at the same resolution, must have the same
//! pages, the same ink (bounding box within a few pixels; 4 × 4 block means of the grey values
//! close everywhere) and, for the 通知, the red rules and 标志 in the same place; characters
//! from the fallback font, emboldened in the title, as well.
//! pdftoppm is required (`bash .ci/run` installs poppler-utils).

use crate::harness::{ROOT, gongwen};
use std::path::{Path, PathBuf};
use std::process::Command;

const DPI: f32 = 60.0;

/// A decoded page: width, height, RGB bytes.
struct Image {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
}

impl Image {
    fn decode(path: &Path) -> Image {
        let file = std::fs::File::open(path).unwrap();
        let mut dec = png::Decoder::new(std::io::BufReader::new(file));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let rgb = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .flat_map(|p| match channels {
                1 | 2 => [p[0], p[0], p[0]],
                _ => [p[0], p[1], p[2]],
            })
            .collect();
        Image {
            w: info.width as usize,
            h: info.height as usize,
            rgb,
        }
    }

    fn grey(&self, x: usize, y: usize) -> f32 {
        let p = &self.rgb[(y * self.w + x) * 3..][..3];
        0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
    }

    /// Bounding box (x0, y0, x1, y1) of the pixels that pass `ink`.
    fn bbox(&self, ink: impl Fn(&[u8]) -> bool) -> Option<(usize, usize, usize, usize)> {
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for y in 0..self.h {
            for x in 0..self.w {
                if ink(&self.rgb[(y * self.w + x) * 3..][..3]) {
                    b = Some(match b {
                        None => (x, y, x, y),
                        Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                    });
                }
            }
        }
        b
    }

    /// Mean grey of each 4 × 4 block.
    fn blocks(&self) -> Vec<f32> {
        let mut out = Vec::new();
        for by in 0..self.h / 4 {
            for bx in 0..self.w / 4 {
                let mut sum = 0.0;
                for y in 0..4 {
                    for x in 0..4 {
                        sum += self.grey(bx * 4 + x, by * 4 + y);
                    }
                }
                out.push(sum / 16.0);
            }
        }
        out
    }
}

fn dark(p: &[u8]) -> bool {
    (p[0] as u32 + p[1] as u32 + p[2] as u32) < 3 * 128
}

fn red(p: &[u8]) -> bool {
    p[0] > 160 && p[1] < 100 && p[2] < 100
}

/// PNG files in `dir` whose name starts with `prefix`, in page order.
fn pages_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<(usize, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n = name
                .strip_prefix(prefix)?
                .strip_suffix(".png")?
                .parse()
                .ok()?;
            Some((n, e.path()))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, p)| p).collect()
}

/// Our previews and pdftoppm's pages of our PDF, for one input.
fn previews_and_poppler(input: &str) -> (tempfile::TempDir, Vec<PathBuf>, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(ROOT).join(input);
    let stem = input.file_stem().unwrap().to_str().unwrap().to_string();
    let opts = gongwen::Options {
        fonts: gongwen::fonts::FontOptions {
            dirs: vec![],
            system: false,
        },
        out_dir: dir.path().to_path_buf(),
        docx: false,
        png: Some(DPI),
        ..Default::default()
    };
    let r = gongwen::render(&input, &opts).unwrap();
    let pdf = dir.path().join(format!("{stem}.pdf"));
    assert!(pdf.exists());
    let ours = pages_in(dir.path(), &format!("{stem}-"));
    assert_eq!(ours.len(), r.pages, "render --png writes one PNG per page");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", &DPI.to_string()])
        .arg(&pdf)
        .arg(dir.path().join("poppler"))
        .output()
        .unwrap_or_else(|e| panic!("pdftoppm is required ({e}); run `bash .ci/run`"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = pages_in(dir.path(), "poppler-");
    (dir, ours, theirs)
}

/// Every difference between two renderings of one page, as messages (none: they agree).
fn compare(page: usize, ours: &Image, theirs: &Image) -> Vec<String> {
    let mut bad = Vec::new();
    if (ours.w, ours.h) != (theirs.w, theirs.h) {
        return vec![format!(
            "page {page}: {}×{} pixels, pdftoppm {}×{}",
            ours.w, ours.h, theirs.w, theirs.h
        )];
    }
    // The ink's extent: a missing first or last line, a shifted margin, shows here.
    for (what, ink) in [("ink", dark as fn(&[u8]) -> bool), ("red", red)] {
        match (ours.bbox(ink), theirs.bbox(ink)) {
            (Some(a), Some(b)) => {
                let d = [
                    a.0.abs_diff(b.0),
                    a.1.abs_diff(b.1),
                    a.2.abs_diff(b.2),
                    a.3.abs_diff(b.3),
                ];
                if d.iter().any(|&d| d > 2) {
                    bad.push(format!("page {page}: {what} box {a:?}, pdftoppm {b:?}"));
                }
            }
            (None, None) => {}
            (a, b) => bad.push(format!("page {page}: {what} box {a:?}, pdftoppm {b:?}")),
        }
    }
    // 4 × 4 block means: a missing or misplaced glyph is a block some 100 grey levels off;
    // anti-aliasing and whole-pixel glyph placement leave far less.
    let (a, b) = (ours.blocks(), theirs.blocks());
    let diffs: Vec<f32> = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).collect();
    let worst = diffs.iter().cloned().fold(0.0, f32::max);
    let over = diffs.iter().filter(|&&d| d > MAX_BLOCK_DIFF).count();
    let mean = diffs.iter().sum::<f32>() / diffs.len() as f32;
    eprintln!("page {page}: block diff mean {mean:.2}, worst {worst:.1}, over {over}");
    if worst > MAX_BLOCK_DIFF {
        let i = diffs.iter().position(|&d| d == worst).unwrap();
        let (bx, by) = (i % (ours.w / 4), i / (ours.w / 4));
        bad.push(format!(
            "page {page}: {over} blocks of 4×4 differ by more than {MAX_BLOCK_DIFF}, the worst by \
             {worst:.0} at pixel ({}, {})",
            bx * 4,
            by * 4
        ));
    }
    if mean > MAX_MEAN_DIFF {
        bad.push(format!(
            "page {page}: blocks differ by {mean:.2} on average"
        ));
    }
    bad
}

/// Largest difference of one 4 × 4 block's mean grey (0–255).
const MAX_BLOCK_DIFF: f32 = 40.0;
/// Largest mean block difference over a page.
const MAX_MEAN_DIFF: f32 = 1.0;

fn agree(input: &str) {
    let (_dir, ours, theirs) = previews_and_poppler(input);
    assert_eq!(
        ours.len(),
        theirs.len(),
        "pages: ours {ours:?}, pdftoppm {theirs:?}"
    );
    let mut bad = Vec::new();
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        bad.extend(compare(i + 1, &Image::decode(a), &Image::decode(b)));
    }
    assert!(
        bad.is_empty(),
        "{input}: the preview differs from pdftoppm:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_seed_previews_as_poppler_draws_its_pdf() {
    agree("data/shuzhi-report.txt");
}

#[test]
fn the_tongzhi_previews_with_its_red_masthead() {
    agree("data/tongzhi.json");
}

/// 喆 堃 䶮 and ― come from the bundled Noto fallback; in the 小标宋 title it is emboldened.
#[test]
fn fallback_glyphs_preview_as_the_pdf_strokes_them() {
    agree("tests/fixtures/preview-fallback.txt");
}

#[test]
fn preview_writes_the_pages_asked_for_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let input = format!("{ROOT}/data/tongzhi.json");
    let out = gongwen(&[
        "preview",
        &input,
        "--pages",
        "2",
        "--dpi",
        "40",
        "-o",
        d,
        "--no-system-fonts",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page2 = dir.path().join("tongzhi-2.png");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        page2.display().to_string()
    );
    assert_eq!(pages_in(dir.path(), "tongzhi-"), vec![page2.clone()]);
    // A4 at 40 dpi, rounded up as pdftoppm rounds: 330.7 × 467.7.
    let img = Image::decode(&page2);
    assert_eq!((img.w, img.h), (331, 468));
    assert!(img.bbox(dark).is_some(), "page 2 has text");

    for (args, says) in [
        (
            vec!["--pages", "3"],
            "there is no page 3: the document has 2 pages",
        ),
        (
            vec!["--pages", "1-x"],
            "'1-x' is not a page or a range of pages",
        ),
        (vec!["--dpi", "5"], "a resolution of 5 dpi is out of range"),
    ] {
        let empty = tempfile::tempdir().unwrap();
        let mut all = vec!["preview", &input, "-o", empty.path().to_str().unwrap()];
        all.extend(args);
        let out = gongwen(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(says) && err.contains("hint:"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_dir(empty.path()).map_or(0, |d| d.count()),
            0,
            "no file written"
        );
    }
}
