//! The fuzz targets: one function per input gongwen reads, each taking any bytes. A target
//! fails (panics) only when gongwen panics or writes an invalid file; an `Err` from gongwen is a
//! correct answer to bad input.
//!
//! Shared by the libFuzzer binaries (`fuzz/fuzz_targets/*.rs`) and by
//! `tests/all/fuzz_regressions.rs` (`#[path]`), so keep it to gongwen's own dependencies
//! (roxmltree, zip, tempfile; axum, tokio, tower, serde_json for `serve`) and `std`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongwen::batch::source::{self, SourceOptions};
use gongwen::fonts::{FontBook, FontOptions};
use gongwen::spec::LayoutSpec;
use gongwen::{data, plaintext, template};

/// Every target, by name, for drivers that pick one at run time.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("plaintext", plaintext),
    ("markup", markup),
    ("template", template),
    ("layout_file", layout_file),
    ("csv", csv),
    ("xlsx", xlsx),
    ("docx", docx),
    ("render", render),
    ("serve", serve),
];

/// The bundled layouts, in the order the `render` target's first byte picks them.
pub const LAYOUTS: &[&str] = &["gbt9704", "report", "xinhan", "jiyao"];

/// The bundled templates, in the order the `template` target's first byte picks them.
pub const TEMPLATES: &[&str] = &["shuzhi", "tongzhi", "qingshi", "baogao", "han", "jiyao"];

/// The data formats, in the order the `template` target's first byte picks them.
pub const DATA_FORMATS: &[&str] = &["yaml", "json", "toml"];

/// The plain-text importer: bytes → text (UTF-8 / GB18030 / BOM) → `Document`.
pub fn plaintext(data: &[u8]) {
    let Ok(text) = plaintext::decode(data, "fuzz.txt") else {
        return;
    };
    let mut warnings = Vec::new();
    let _ = gongwen::document_from_text(&text, "fuzz.txt", &mut warnings);
}

/// Markup: every `@key: value` line read alone, then the whole text under a title line, so the
/// markup reaches the importer wherever it stands.
pub fn markup(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| gongwen::markup::is_markup(l))
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect();
    for (_, l) in &lines {
        let _ = gongwen::markup::attachment_start(l);
    }
    let _ = gongwen::markup::read(&lines, "fuzz.txt");
    let mut warnings = Vec::new();
    let _ = plaintext::parse(&format!("标题\n{text}"), "fuzz.txt", &mut warnings);
}

fn templates() -> &'static Vec<template::Template> {
    static T: OnceLock<Vec<template::Template>> = OnceLock::new();
    T.get_or_init(|| {
        TEMPLATES
            .iter()
            .map(|n| template::Template::load(&template::find(n)).expect("bundled template"))
            .collect()
    })
}

/// Data + template: byte 0 picks the format (`% 3`: YAML, JSON, TOML) and the template used
/// when the data names no bundled one (`/ 3 % 6`); the rest is the data file, rendered through
/// the template and read back as a plain-text document.
pub fn template(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let ext = DATA_FORMATS[pick as usize % 3];
    let text = String::from_utf8_lossy(rest);
    let Ok(parsed) = data::parse(&text, Path::new(&format!("fuzz.{ext}"))) else {
        return;
    };
    let i = parsed
        .template()
        .and_then(|n| TEMPLATES.iter().position(|t| *t == n))
        .unwrap_or(pick as usize / 3 % TEMPLATES.len());
    let mut warnings = Vec::new();
    let _ = gongwen::document_from_data(&parsed, &templates()[i], &mut warnings);
}

fn every_element() -> &'static gongwen::model::Document {
    static D: OnceLock<gongwen::model::Document> = OnceLock::new();
    D.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/every-element.txt");
        plaintext::parse(text, "every-element.txt", &mut Vec::new()).expect("fixture parses")
    })
}

/// Layout files: TOML text → a validated `LayoutSpec`; one that validates must plan, paginate (by
/// counting cells, no fonts) and write a well-formed DOCX for a document with every element.
pub fn layout_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(layout) = LayoutSpec::parse(&text, "fuzz.toml") else {
        return;
    };
    // A layout may refuse the document (a 版头 too wide for its page): that is an answer too.
    let Ok(plan) = gongwen::plan::plan(every_element(), &layout) else {
        return;
    };
    gongwen::plan::count(&plan, &layout).expect("a plan that fits paginates");
    if let Ok(docx) = gongwen::export::docx::write(&plan, &layout, &[], Default::default()) {
        check_docx(&docx);
    }
}

thread_local! {
    static SCRATCH: tempfile::TempDir = tempfile::tempdir().expect("scratch folder");
}

fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    SCRATCH.with(|d| {
        let p = d.path().join(name);
        std::fs::write(&p, bytes).expect("write scratch file");
        p
    })
}

/// CSV sources: the bytes as a `.csv` file, read into rows by the batch's public entry.
pub fn csv(data: &[u8]) {
    let path = scratch_file("rows.csv", data);
    let _ = source::open(&path, &SourceOptions::default());
}

/// XLSX sources: bytes starting `PK` are the file itself; any other bytes are the sheet's XML
/// (before the first 0xFF byte) and its shared strings (after it), packed into a minimal
/// workbook, so the fuzzer reaches the cells rather than the zip's checksums.
pub fn xlsx(data: &[u8]) {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let (sheet, strings) = match data.iter().position(|&b| b == 0xFF) {
            Some(i) => (&data[..i], Some(&data[i + 1..])),
            None => (data, None),
        };
        workbook(sheet, strings)
    };
    let path = scratch_file("rows.xlsx", &bytes);
    let _ = source::open(&path, &SourceOptions::default());
}

/// A minimal `.xlsx` package around one sheet's XML (and, when given, its shared strings).
pub fn workbook(sheet: &[u8], strings: Option<&[u8]>) -> Vec<u8> {
    let rels_ss = if strings.is_some() {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
    } else {
        ""
    };
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#
            ).into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{rels_ss}</Relationships>"#
            )
            .into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    if let Some(s) = strings {
        parts.push(("xl/sharedStrings.xml", s.to_vec()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(&bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

fn font_book(i: usize) -> &'static (LayoutSpec, FontBook) {
    static BOOKS: [OnceLock<(LayoutSpec, FontBook)>; 4] = [const { OnceLock::new() }; 4];
    BOOKS[i].get_or_init(|| {
        let layout = LayoutSpec::load(LAYOUTS[i]).expect("bundled layout");
        // Only the bundled fonts: the same faces on every machine, loaded once.
        let opts = FontOptions {
            dirs: vec![],
            system: false,
        };
        let fonts = FontBook::load(&layout, &opts).expect("bundled fonts");
        (layout, fonts)
    })
}

/// Any text through the whole pipeline: byte 0 picks the layout (`% 4`), the rest is a
/// plain-text document rendered to PDF and DOCX; the DOCX must be well-formed XML and the PDF a
/// whole file.
pub fn render(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = plaintext::decode(rest, "fuzz.txt") else {
        return;
    };
    let mut warnings = Vec::new();
    let Ok(doc) = gongwen::document_from_text(&text, "fuzz.txt", &mut warnings) else {
        return;
    };
    let (layout, fonts) = font_book(pick as usize % LAYOUTS.len());
    // Deflate is not what is fuzzed here, and the PDF's streams stored as they are keep each
    // run short; the fonts (and their glyph caches) live for the whole run.
    let opts = gongwen::Options {
        compress: gongwen::export::pdf::Compress::Zlib(0),
        ..gongwen::Options::default()
    };
    if let Ok(made) = gongwen::produce(&doc, layout, fonts, &opts, &mut warnings) {
        check_pdf(made.pdf.as_deref().expect("a PDF was asked for"));
        check_docx(made.docx.as_deref().expect("a DOCX was asked for"));
    }
}

/// A PDF that is a whole file: header, trailer, end marker.
pub fn check_pdf(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF-"), "the PDF has no header");
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    assert!(
        tail.windows(5).any(|w| w == b"%%EOF"),
        "the PDF has no %%EOF"
    );
}

/// A DOCX whose every XML part parses (Word and LibreOffice refuse a package with one that does
/// not) and that has its main document part. Returns the parts' names.
pub fn check_docx(docx: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the DOCX is a zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        let name = f.name().expect("zip entry name").to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut s = String::new();
            f.read_to_string(&mut s)
                .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
            if let Err(e) = roxmltree::Document::parse(&s) {
                panic!("{name} is not well-formed XML: {e}");
            }
        }
        names.push(name);
    }
    assert!(
        names.iter().any(|n| n == "word/document.xml"),
        "the DOCX has no word/document.xml"
    );
    assert!(
        names.iter().any(|n| n == "[Content_Types].xml"),
        "the DOCX has no [Content_Types].xml"
    );
    names
}

/// The methods the `serve` target's first byte picks from.
pub const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "OPTIONS", "DELETE"];

/// A request to `gongwen serve`'s router, in-process (no socket): byte 0 picks the method
/// (`% 6`), the bytes up to the first `\n` are the path and query, then header lines
/// (`name: value`) up to an empty line, then the body. The page's own Host and Origin are added
/// unless the input gives its own. The answer must be well-formed: not a 500 (a panic caught in
/// a render), JSON where it says JSON, and no server path in it.
pub fn serve(data: &[u8]) {
    use tower::ServiceExt;
    static SERVER: OnceLock<(tokio::runtime::Runtime, axum::Router)> = OnceLock::new();
    let (rt, app) = SERVER.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        (rt, gongwen::serve::app(gongwen::serve::Config::default()))
    });
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (target, mut rest) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    let mut req = axum::http::Request::builder()
        .method(METHODS[pick as usize % METHODS.len()])
        .uri(target);
    let (mut host, mut origin) = (false, false);
    while !rest.is_empty() {
        let at = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..at];
        rest = rest.get(at + 1..).unwrap_or(&[]);
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name),
            axum::http::HeaderValue::from_bytes(value),
        ) else {
            continue;
        };
        host |= name == axum::http::header::HOST;
        origin |= name == axum::http::header::ORIGIN;
        req = req.header(name, value);
    }
    if !host {
        req = req.header("host", "127.0.0.1:8080");
    }
    if !origin {
        req = req.header("origin", "http://127.0.0.1:8080");
    }
    let Ok(req) = req.body(axum::body::Body::from(rest.to_vec())) else {
        return;
    };
    let (status, json, body) = rt.block_on(async {
        let Ok(res) = app.clone().oneshot(req).await;
        let status = res.status();
        let json = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("the body reads");
        (status, json, body)
    });
    assert_ne!(
        status,
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "a 500: {}",
        String::from_utf8_lossy(&body)
    );
    // A HEAD answer has the headers of the GET and no body (RFC 9110, 9.3.2).
    let head = METHODS[pick as usize % METHODS.len()] == "HEAD";
    if json && !head {
        serde_json::from_slice::<serde_json::Value>(&body).expect("the JSON answer parses");
    }
    let text = String::from_utf8_lossy(&body);
    // A path the request itself holds may come back as the request's own text (a draft whose
    // title is `/tmp/gongwen-serve-…`): only a path the server adds is a leak.
    let tmp = std::env::temp_dir().display().to_string();
    let holds = |s: &str| !s.is_empty() && data.windows(s.len()).any(|w| w == s.as_bytes());
    if holds(gongwen::serve::UPLOAD_PREFIX) || holds(&format!("{tmp}/")) {
        return;
    }
    assert!(
        !text.contains(gongwen::serve::UPLOAD_PREFIX),
        "an upload folder in the answer: {text}"
    );
    assert!(
        tmp.len() <= 1 || !text.contains(&format!("{tmp}/")),
        "a temporary path in the answer: {text}"
    );
}

/// Word drafts: bytes starting `PK` are the file itself; any other bytes are
/// `word/document.xml` (before the first 0xFF byte) and `word/numbering.xml` (after it), packed
/// into a minimal package, so the fuzzer explores the XML rather than the zip. Each package is
/// read as `render` reads a draft (its text, then the plain-text reader) and as `check` reads it.
pub fn docx(data: &[u8]) {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let (document, numbering) = match data.iter().position(|&b| b == 0xFF) {
            Some(i) => (&data[..i], Some(&data[i + 1..])),
            None => (data, None),
        };
        word_package(document, numbering)
    };
    if let Ok(read) = gongwen::read::docx::read(&bytes, Path::new("fuzz.docx")) {
        let _ = gongwen::read::document(&read.value, "fuzz.docx");
    }
    static GBT: OnceLock<LayoutSpec> = OnceLock::new();
    let layout = GBT.get_or_init(|| LayoutSpec::load("gbt9704").expect("bundled layout"));
    let _ = gongwen::check::check(&bytes, "fuzz.docx", layout);
}

/// A minimal Word package around `word/document.xml` (and, when given, `word/numbering.xml`).
pub fn word_package(document: &[u8], numbering: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts = [
        ("word/document.xml", Some(document)),
        ("word/numbering.xml", numbering),
    ];
    for (name, bytes) in parts {
        if let Some(bytes) = bytes {
            zip.start_file(name, stored).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        }
    }
    zip.finish().expect("zip").into_inner()
}
