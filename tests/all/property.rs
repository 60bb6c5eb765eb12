//! Property (issue 9): any text a report can hold — CJK, Latin, digits, every Unicode
//! punctuation class, symbols, full-width forms, private-use characters (U+E000…, where GBK's
//! user-defined area puts rare name characters) and control characters — rendered to PDF and
//! DOCX gives its text back: pdftotext of the PDF and the DOCX's `w:t` text equal the input
//! apart from whitespace and the control characters, which are dropped with a warning naming
//! their line and column. The DOCX is always well-formed XML and the render never panics.
//!
//! Few cases (each is a full render and a pdftotext run), so the test stays well under a minute;
//! `PROPTEST_CASES=500 cargo test --release --test all property::` runs more.

use std::io::Read;
use std::process::Command;
use std::sync::OnceLock;

use gongwen::fonts::{FontBook, FontOptions};
use gongwen::spec::LayoutSpec;
use proptest::prelude::*;
use proptest::sample::select;

/// One representative set per class. Punctuation by general category: Pc, Pd, Ps, Pe, Pi, Pf,
/// Po; then symbols (Sm, Sc, Sk, So).
const PUNCTUATION: &str = concat!(
    "_‿＿",                              // Pc connector
    "-‐–—―〜゠－",                       // Pd dash
    "([{（［｛〔【《〈「『",             // Ps open
    ")]}）］｝〕】》〉」』",             // Pe close
    "“‘«",                               // Pi initial quote
    "”’»",                               // Pf final quote
    "!\"%&'*,./:;?\\、。，：；？！·…‰※", // Po other (no '@' '#': see `line`)
    "+<=>|~×÷≤≥±",                       // Sm maths
    "$¥￥€",                             // Sc currency
    "^`´",                               // Sk modifier
    "°℃№§©®★☆○●□■△▲→←↑↓",                // So other
);

/// The C0 and C1 control characters the importer drops (tab and line feed are whitespace),
/// and the Unicode line and paragraph separators.
fn controls() -> Vec<char> {
    (0u32..=0x9F)
        .filter_map(char::from_u32)
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .chain(['\u{2028}', '\u{2029}'])
        .collect()
}

/// What the importer removes with a warning.
fn removed(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => (0x4E00u32..=0x9FA5).prop_map(|c| char::from_u32(c).unwrap()), // CJK
        2 => (0x3400u32..=0x4DB5).prop_map(|c| char::from_u32(c).unwrap()), // Extension A
        3 => select(('a'..='z').chain('A'..='Z').collect::<Vec<_>>()),      // Latin
        2 => select(('0'..='9').collect::<Vec<_>>()),                      // digits
        4 => select(PUNCTUATION.chars().collect::<Vec<_>>()),
        2 => (0xFF01u32..=0xFF5E).prop_map(|c| char::from_u32(c).unwrap()), // full-width forms
        1 => (0xE000u32..=0xF8FF).prop_map(|c| char::from_u32(c).unwrap()), // private use
        1 => select(controls()),
        1 => select(vec![' ', '\u{3000}']),
    ]
}

/// One line of the draft. A line starting with `@` is markup and `##word##` a site marker the
/// importer removes on purpose: those are the importer's own syntax, not text, so a line never
/// starts with `@` and never holds `##`.
fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 1..60).prop_map(|cs| {
        let mut s: String = cs.into_iter().collect();
        while s.contains("##") {
            s = s.replace("##", "#");
        }
        if s.trim_start().starts_with(['@', '＠']) {
            s.insert(0, '文');
        }
        s
    })
}

/// A draft of a few lines; the first is the title, whose `|` and `｜` are explicit line breaks
/// (markup), not text. (A draft of controls alone is tested apart.)
fn draft() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 1..8).prop_map(|mut lines| {
        // The title's own text, so that line stays the title when its controls are dropped.
        lines[0] = format!("标{}", lines[0].replace(['|', '｜'], ""));
        let mut s = lines.join("\n");
        s.push('\n');
        s
    })
}

fn fonts() -> &'static (LayoutSpec, FontBook) {
    static F: OnceLock<(LayoutSpec, FontBook)> = OnceLock::new();
    F.get_or_init(|| {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let opts = FontOptions {
            dirs: vec![],
            system: false,
        };
        let fonts = FontBook::load(&layout, &opts).unwrap();
        (layout, fonts)
    })
}

/// The text without whitespace.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// pdftotext's text without the page numbers (`— 1 —`, alone on their line).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is required (bash .ci/run installs poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            let t = squeeze(l);
            let digits = t.trim_matches('—');
            !(t.starts_with('—')
                && t.ends_with('—')
                && !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit()))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `w:t` of `word/document.xml`, in order; panics when a part is not well-formed XML.
fn docx_text(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut document = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().expect("zip entry name").to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            if let Err(e) = roxmltree::Document::parse(&s) {
                panic!("{name} is not well-formed XML: {e}");
            }
            if name == "word/document.xml" {
                document = s;
            }
        }
    }
    let doc = roxmltree::Document::parse(&document).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("t") && n.tag_name().namespace().is_some())
        .filter_map(|n| n.text())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_comes_back_from_the_pdf_and_the_docx(text in draft()) {
        let (layout, fonts) = fonts();
        let mut warnings = Vec::new();
        let expected: String = squeeze(&text).chars().filter(|c| !removed(*c)).collect();
        let doc = gongwen::document_from_text(&text, "p.txt", &mut warnings);
        let doc = doc.expect("any text is a document");
        let made = gongwen::produce(&doc, layout, fonts, &gongwen::Options::default(), &mut warnings)
            .expect("any document renders");

        // Each line with a control character is named in a warning at the column of its first
        // one, wherever it stands — the whitespace controls (VT, FF, U+001C–U+001F, U+0085) at a
        // line's ends too (issue 9: `trim` took those without a word).
        for (n, l) in text.lines().enumerate() {
            if let Some(col) = l.chars().position(removed) {
                let at = format!("p.txt:{}:{}", n + 1, col + 1);
                prop_assert!(
                    warnings.iter().any(|w| w.location() == at && w.message.contains("control")),
                    "no warning at {} for the control character(s) of {:?}: {:?}", at, l, warnings
                );
            }
        }
        let docx = squeeze(&docx_text(made.docx.as_deref().unwrap()));
        prop_assert_eq!(&docx, &expected, "DOCX text differs");
        let pdf = squeeze(&pdf_text(made.pdf.as_deref().unwrap()));
        prop_assert_eq!(&pdf, &expected, "PDF text differs");
    }
}

/// A draft of nothing but control characters and spaces is "the file has no text", an error,
/// not an empty document.
#[test]
fn a_draft_of_controls_alone_is_an_error() {
    let e = gongwen::document_from_text("\0\u{1}\n \u{7f}\n", "p.txt", &mut Vec::new())
        .expect_err("no text, no document");
    assert!(e.to_string().contains("no text"), "{e}");
}
