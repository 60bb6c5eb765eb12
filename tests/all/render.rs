//! End to end: the bundled seed report → PDF and DOCX, checked with the tools a user would use
//! (pdftotext, pdfplumber, qpdf, LibreOffice, tests/tools/gbcheck.py and docxcheck.py).
//! These tools are required: `bash .ci/run` installs them; a missing one fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::harness;
use crate::harness::{docx_part, gongwen, pdf_lines};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shuzhi-report.txt");
const PITCH: f64 = 28.95;
const MM: f64 = 72.0 / 25.4;

fn tool(cmd: &str, args: &[&str]) -> Output {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} is required for this test ({e}); run `bash .ci/run` to install it")
    });
    out
}

fn checker(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(name);
    assert!(p.exists(), "{} is missing", p.display());
    p.display().to_string()
}

/// Render the seed once per test into a fresh folder; returns (folder, pdf, docx).
fn render_seed() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = gongwen(&[
        "render",
        SEED,
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(
        out.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("shuzhi-report.pdf");
    let docx = dir.path().join("shuzhi-report.docx");
    // Ordinary files, not the temporaries' private 0600 (made so when created).
    #[cfg(unix)]
    for f in [&pdf, &docx] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644 & !umask(), "{}: {mode:o}", f.display());
    }
    (dir, pdf, docx)
}

/// The process's umask, from /proc (Linux), else the usual 022.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

fn gbcheck(pdf: &Path, expect: Option<&str>) -> Value {
    let script = checker("gbcheck.py");
    let mut args = vec![script.as_str(), pdf.to_str().unwrap(), "--json"];
    if let Some(e) = expect {
        args.extend(["--expect", e]);
    }
    let out = tool("python3", &args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("gbcheck: {}", String::from_utf8_lossy(&out.stderr)))
}

fn failed_checks(report: &Value, only: Option<&[&str]>) -> Vec<String> {
    report["checks"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| {
            !v["ok"].as_bool().unwrap() && only.is_none_or(|o| o.iter().any(|n| k.starts_with(n)))
        })
        .map(|(k, v)| format!("{k}: {}", v["detail"]))
        .collect()
}

fn seed_text_without_markers() -> String {
    let text = std::fs::read_to_string(SEED).unwrap();
    text.replace("##paidbegin##", "").replace("##paidend##", "")
}

/// Is every non-space character of `want` in `have`, in order?
fn in_order(want: &str, have: &str) -> Result<(), String> {
    let mut have_chars = have.chars().filter(|c| !c.is_whitespace());
    for (i, w) in want.chars().filter(|c| !c.is_whitespace()).enumerate() {
        if !have_chars.any(|h| h == w) {
            return Err(format!("character {i} '{w}' missing or out of order"));
        }
    }
    Ok(())
}

#[test]
fn every_character_of_the_seed_reaches_the_pdf_in_order() {
    let (_dir, pdf, _) = render_seed();
    let out = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    in_order(&seed_text_without_markers(), &text).unwrap();
    assert!(!text.contains("##"), "site markers must not reach the PDF");
    // The marker warning names the line it was on.
    let stderr = String::from_utf8(
        gongwen(&[
            "render",
            SEED,
            "-o",
            _dir.path().to_str().unwrap(),
            "--no-system-fonts",
        ])
        .stderr,
    )
    .unwrap();
    assert!(
        stderr.contains("shuzhi-report.txt:6: removed site marker ##paidbegin##"),
        "{stderr}"
    );
}

#[test]
fn lines_sit_on_the_grid_with_22_lines_and_28_cells() {
    let (_dir, pdf, _) = render_seed();
    let lines = pdf_lines(&pdf);
    let body: Vec<&Value> = lines
        .iter()
        .filter(|l| (l["size"].as_f64().unwrap() - 16.0).abs() < 0.1)
        .collect();
    let pages = lines
        .iter()
        .map(|l| l["page"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(pages, 5, "the seed fills five pages");
    let top = 37.0 * MM;
    for l in &body {
        // Every baseline is on a grid line: top of the body area + k × pitch + the same offset.
        let k = (l["baseline"].as_f64().unwrap() - top - PITCH / 2.0 - 0.38 * 16.0) / PITCH;
        assert!((k - k.round()).abs() < 0.01, "line off the grid: {l}");
        assert!(
            k.round() >= 0.0 && k.round() < 22.0,
            "line outside the 22-line grid: {l}"
        );
    }
    // Full pages end on grid line 22, or on 21 when a heading went over with its next line.
    let mut short = 0;
    for p in 1..pages {
        let on_page: Vec<&&Value> = body.iter().filter(|l| l["page"] == p).collect();
        let last = on_page.last().unwrap()["baseline"].as_f64().unwrap();
        let k = ((last - top - PITCH / 2.0 - 0.38 * 16.0) / PITCH).round() as i64 + 1;
        let next = body.iter().find(|l| l["page"] == p + 1).unwrap()["text"]
            .as_str()
            .unwrap();
        let heading = next
            .chars()
            .next()
            .is_some_and(|c| "一二三四五六七八九十".contains(c))
            && next.contains('、');
        if k == 21 && heading {
            short += 1;
            continue;
        }
        assert_eq!(k, 22, "page {p} ends on grid line {k}");
    }
    assert_eq!(
        short, 1,
        "on the seed, 二、 goes over to page 2 with its first line"
    );
    // A wrapped line (the next line starts flush left) holds 28 cells: 28 CJK characters, or
    // 26 after the two-character indent.
    let left = 28.0 * MM;
    let mut checked = 0;
    for w in body.windows(2) {
        let (a, b) = (w[0], w[1]);
        let text = a["text"].as_str().unwrap();
        let wraps = a["page"] == b["page"] && (b["x0"].as_f64().unwrap() - left).abs() < 1.0;
        if wraps && text.chars().all(|c| !c.is_ascii() && c != '“' && c != '”') {
            let indent =
                ((a["x0"].as_f64().unwrap() - left) / (156.0 * MM / 28.0)).round() as usize;
            let cells = text.chars().count() + indent;
            // 28 cells, or 27 when the 28th character came down with a closing mark (禁则).
            let pulled = b["text"]
                .as_str()
                .unwrap()
                .chars()
                .nth(1)
                .is_some_and(|c| "，。、；：？！”）》".contains(c));
            assert!(
                cells == 28 || (cells == 27 && pulled),
                "line of {cells} cells: {text}"
            );
            assert!(
                (a["x1"].as_f64().unwrap() - (left + 156.0 * MM)).abs() < 0.5,
                "justified to 184 mm: {a}"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} full lines checked");
    // Faces by element: the level-1 heading in 黑体, the title in the 小标宋 stand-in.
    let h1 = lines
        .iter()
        .find(|l| l["text"].as_str().unwrap().starts_with("一、"))
        .unwrap();
    assert!(h1["font"].as_str().unwrap().contains("FandolHei"), "{h1}");
    assert_eq!(lines[0]["size"].as_f64().unwrap(), 22.0);
    assert!(
        lines[0]["font"]
            .as_str()
            .unwrap()
            .contains("FandolSong-Bold")
    );
    // Run-in heading: `1.建立工作机制，落实分管职责。` in 仿宋 like the body after it.
    let run_in = lines
        .iter()
        .find(|l| l["text"].as_str().unwrap().starts_with("1.建立"))
        .unwrap();
    assert!(run_in["font"].as_str().unwrap().contains("FandolFang"));
    // Page numbers: odd right and even left, one 14 pt character in (7.5).
    let numbers: Vec<&Value> = lines
        .iter()
        .filter(|l| (l["size"].as_f64().unwrap() - 14.0).abs() < 0.1)
        .collect();
    assert_eq!(numbers.len(), 5);
    for n in numbers {
        let page = n["page"].as_u64().unwrap();
        assert_eq!(
            n["text"].as_str().unwrap().replace(' ', ""),
            format!("—{page}—")
        );
        if page % 2 == 1 {
            assert!(
                (n["x1"].as_f64().unwrap() - (184.0 * MM - 14.0)).abs() < 0.5,
                "{n}"
            );
        } else {
            assert!(
                (n["x0"].as_f64().unwrap() - (28.0 * MM + 14.0)).abs() < 0.5,
                "{n}"
            );
        }
    }
}

#[test]
fn gbcheck_passes_on_our_pdf_and_fonts_are_subset_with_unicode_maps() {
    let (_dir, pdf, _) = render_seed();
    let report = gbcheck(&pdf, Some(SEED));
    assert_eq!(failed_checks(&report, None), Vec::<String>::new());
    assert_eq!(report["figures"]["chars_lost"], 0);
    let fonts = String::from_utf8(tool("pdffonts", &[pdf.to_str().unwrap()]).stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3);
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {r}"
        );
    }
    let qpdf = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    // Document title in the metadata, bookmarks for the level-1 headings.
    let info = String::from_utf8(tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
    assert!(info.contains("2023年XX县XX镇述职述廉报告（2）"), "{info}");
    let raw = std::fs::read(&pdf).unwrap();
    assert!(raw.windows(9).any(|w| w == b"/Outlines"), "no bookmarks");
}

#[test]
fn docx_carries_grid_sizes_fonts_and_footers_and_is_schema_valid() {
    let (_dir, _, docx) = render_seed();
    let doc = docx_part(&docx, "word/document.xml");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#), "A4");
    assert!(
        doc.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
        "margins 37/26/35/28 mm"
    );
    assert!(
        doc.contains(r#"<w:docGrid w:type="lines" w:linePitch="579" />"#),
        "22-line grid"
    );
    assert!(
        doc.contains(r#"<w:footerReference w:type="even""#)
            && doc.contains(r#"<w:footerReference w:type="default""#)
    );
    assert!(
        doc.contains(r#"<w:pStyle w:val="Heading1" />"#)
            && doc.contains(r#"<w:pStyle w:val="Title" />"#)
    );
    // The run-in heading's body sentence is in the body face, inside the level-3 paragraph.
    assert!(doc.contains(r#"<w:pStyle w:val="Heading3" />"#));
    let styles = docx_part(&docx, "word/styles.xml");
    let style = |id: &str| {
        let start = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("no style {id}"));
        styles[start..start + styles[start..].find("</w:style>").unwrap()].to_string()
    };
    let body = style("BodyText");
    assert!(body.contains(r#"<w:name w:val="Body Text" />"#));
    assert!(
        body.contains(r#"w:eastAsia="仿宋_GB2312""#) && body.contains(r#"<w:sz w:val="32" />"#)
    );
    assert!(
        body.contains(r#"<w:spacing w:val="-5" />"#),
        "characters tightened to the 28-cell grid"
    );
    assert!(body.contains(r#"w:line="579" w:lineRule="exact""#));
    assert!(body.contains(r#"w:firstLineChars="200""#) && body.contains(r#"w:firstLine="632""#));
    let title = style("Title");
    assert!(
        title.contains(r#"w:eastAsia="方正小标宋简体""#)
            && title.contains(r#"<w:sz w:val="44" />"#)
    );
    assert!(title.contains(r#"<w:jc w:val="center" />"#));
    assert!(
        style("Heading1").contains(r#"w:eastAsia="黑体""#)
            && style("Heading1").contains(r#"<w:name w:val="heading 1" />"#)
    );
    assert!(style("Heading2").contains(r#"w:eastAsia="楷体_GB2312""#));
    assert!(styles.contains(r#"<w:widowControl w:val="0" />"#));
    let settings = docx_part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders />"));
    let footers = docx_part(&docx, "word/footer1.xml") + &docx_part(&docx, "word/footer2.xml");
    assert!(footers.contains("<w:instrText>PAGE</w:instrText>"));
    assert!(
        footers.contains(r#"<w:jc w:val="right" />"#)
            && footers.contains(r#"<w:jc w:val="left" />"#)
    );
    assert!(footers.contains(r#"w:eastAsia="宋体""#) && footers.contains(r#"<w:sz w:val="28" />"#));
    assert!(footers.contains("— </w:t>"));
    let check = tool(
        "python3",
        &[&checker("docxcheck.py"), docx.to_str().unwrap()],
    );
    assert!(
        check.status.success(),
        "docxcheck: {}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn libreoffice_lays_our_docx_out_like_our_pdf() {
    let (dir, pdf, docx) = render_seed();
    let lo = dir.path().join("lo");
    harness::libreoffice_pdfs(std::slice::from_ref(&docx), &lo);
    let lo_pdf = lo.join("shuzhi-report.pdf");
    let ours = gbcheck(&pdf, None);
    let theirs = gbcheck(&lo_pdf, None);
    let geometry = [
        "page_a4",
        "margin",
        "line_pitch",
        "on_grid",
        "lines_per_page",
        "char_pitch",
        "chars_per_line",
        "line_breaking",
        "indents",
        "page_numbers",
    ];
    assert_eq!(
        failed_checks(&theirs, Some(&geometry)),
        Vec::<String>::new()
    );
    assert_eq!(
        theirs["figures"]["pages"], ours["figures"]["pages"],
        "same page count"
    );
    assert_eq!(
        theirs["figures"]["lines_on_full_pages"],
        ours["figures"]["lines_on_full_pages"]
    );
    // Most lines break exactly where ours do (fonts differ only in Latin widths).
    let cmp = tool(
        "python3",
        &[
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pdflines.py"),
            pdf.to_str().unwrap(),
            lo_pdf.to_str().unwrap(),
        ],
    );
    let cmp: Value = serde_json::from_slice(&cmp.stdout).unwrap();
    assert!(cmp["share"].as_f64().unwrap() >= 0.95, "{cmp}");
}
