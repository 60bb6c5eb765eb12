//! No character lost with the bundled fonts alone: every Han character of GB 18030-2000 and the
//! punctuation offices use gets a glyph from the Fandol faces or the Noto fallback cut for them
//! (fonts/make-fallback.py), and comes back whole from the PDF (pdftotext) and the DOCX.

use crate::harness::{docx_part, gongwen, pdftotext};
use std::collections::BTreeSet;
use std::path::Path;

/// Render `text` (as `name`.txt) with the bundled fonts only; returns (folder, stderr).
fn render(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join(format!("{name}.txt"));
    std::fs::write(&src, text).unwrap();
    let out = gongwen(&[
        "render",
        src.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "render failed: {stderr}");
    (dir, stderr)
}

/// The characters the bundled fonts must cover: GB 18030-2000's Han (CJK Unified Ideographs
/// U+4E00–U+9FA5, Extension A U+3400–U+4DB5) and the punctuation offices use.
fn gb18030_han_and_punctuation() -> Vec<char> {
    [0x2015, 0x2014, 0x2026, 0x00B7, 0x3007]
        .into_iter()
        .chain(0xFF01..=0xFF5E)
        .chain(0x4E00..=0x9FA5)
        .chain(0x3400..=0x4DB5)
        .map(|c| char::from_u32(c).unwrap())
        .collect()
}

#[test]
fn every_gb18030_han_character_and_office_punctuation_has_a_glyph_and_reaches_the_pdf() {
    let chars = gb18030_han_and_punctuation();
    assert_eq!(chars.len(), 27_583);
    let text: Vec<String> = chars.chunks(28).map(|line| line.iter().collect()).collect();
    let started = std::time::Instant::now();
    let (dir, stderr) = render("all", &(text.join("\n\n") + "\n"));
    eprintln!(
        "rendered {} characters in {:?}",
        chars.len(),
        started.elapsed()
    );
    assert!(!stderr.contains("no font has"), "{stderr}");
    let got: BTreeSet<char> = pdftotext(&dir.path().join("all.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let lost: Vec<String> = chars
        .iter()
        .filter(|c| !got.contains(c))
        .map(|c| format!("{c} U+{:04X}", *c as u32))
        .collect();
    assert!(
        lost.is_empty(),
        "{} characters missing from the PDF's text, first: {:?}",
        lost.len(),
        &lost[..lost.len().min(20)]
    );
}

#[test]
fn rare_name_characters_and_the_dash_come_back_whole() {
    let (dir, stderr) = render(
        "names",
        "宁吉喆、刘䶮、李堃\n\n4―6月，宁吉喆、刘䶮、李堃。\n",
    );
    assert!(!stderr.contains("no font has"), "{stderr}");
    let pdf: String = pdftotext(&dir.path().join("names.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let docx = docx_part(&dir.path().join("names.docx"), "word/document.xml");
    for want in ["宁吉喆、刘䶮、李堃", "4―6月"] {
        assert!(pdf.contains(want), "{want} not in the PDF's text: {pdf}");
        assert!(docx.contains(want), "{want} not in document.xml");
    }
}

#[test]
fn a_character_no_font_has_keeps_its_text_in_the_pdf() {
    // Private-use characters: no font has them; each shows as a box but copies as itself.
    let (dir, stderr) = render("pua", "私用字\u{E001}在此\u{E002}和\u{E001}。\n");
    assert!(stderr.contains("U+E001"), "{stderr}");
    assert!(stderr.contains("U+E002"), "{stderr}");
    let pdf: String = pdftotext(&dir.path().join("pua.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        pdf.contains("私用字\u{E001}在此\u{E002}和\u{E001}。"),
        "{pdf:?}"
    );
}

#[test]
fn fonts_lists_the_fallback_of_each_face() {
    let o = gongwen(&["fonts", "--no-system-fonts"]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = s.lines().collect();
    for (face, fallback) in [
        ("仿宋_GB2312", "NotoSerifCJKsc-Fallback.otf"),
        ("黑体", "NotoSansCJKsc-Fallback.otf"),
        ("楷体_GB2312", "NotoSerifCJKsc-Fallback.otf"),
        ("宋体", "NotoSerifCJKsc-Fallback.otf"),
        ("方正小标宋简体", "NotoSerifCJKsc-Fallback.otf"),
    ] {
        let at = lines
            .iter()
            .position(|l| l.contains(face))
            .unwrap_or_else(|| panic!("{face} not listed:\n{s}"));
        assert!(
            lines.get(at + 1).is_some_and(|l| l.contains(fallback)),
            "{face} → {fallback} in:\n{s}"
        );
        // 小标宋 is bold; its regular-weight fallback is emboldened in the PDF.
        let bold = lines[at + 1].contains("emboldened");
        assert_eq!(bold, face == "方正小标宋简体", "{face} in:\n{s}");
    }
}

#[test]
fn the_bundled_fonts_folder_stays_under_45_mb() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let total: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(total < 45_000_000, "fonts/ is {total} bytes");
    for f in [
        "NotoSerifCJKsc-Fallback.otf",
        "NotoSansCJKsc-Fallback.otf",
        "NOTO-LICENSE",
    ] {
        assert!(dir.join(f).exists(), "{f} missing from fonts/");
    }
}
