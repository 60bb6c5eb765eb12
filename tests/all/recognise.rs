//! Recognition in the plain-text importer (issue 8, item 1), rendered: 署名 blocks wherever they
//! stand, attachment pages started by plain `附件N` lines, the 版记 from plain `抄送：` and
//! `…印发` lines, the enclosed document of a 印发/转发 通知, a report's subtitle, speaker and
//! salutation, a date that signs alone. Each fixture is rendered through the binary, the PDF
//! checked with tests/tools/structcheck.py (expectations in tests/fixtures/recognise.json) and
//! the whole of gbcheck.py. What the reader makes of each fixture's lines, without a PDF, is
//! tested in src/read/text/parts_tests.rs; the recogniser's rules in
//! src/read/recognise/tests.rs.

use gongwen::model::{Document, Element};
use gongwen::read::text::parse;
use std::process::Command;

use crate::harness;
use crate::harness::ROOT;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/tests/fixtures/{name}.txt")).unwrap()
}

fn read(text: &str) -> (Document, Vec<String>) {
    let mut w = vec![];
    let d = parse(text, "t.txt", &mut w).unwrap();
    (d, w.iter().map(|w| w.to_string()).collect())
}

/// Render a fixture into `dir` with the bundled fonts only (`extra`: more arguments).
fn render_fixture(name: &str, dir: &std::path::Path, extra: &[&str]) {
    let input = format!("{ROOT}/tests/fixtures/{name}.txt");
    let o = harness::command()
        .args([
            "render",
            &input,
            "-o",
            dir.to_str().unwrap(),
            "--no-system-fonts",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Render a fixture and run both checkers on its PDF, every check of each. The text gbcheck
/// must find is the fixture's, with an attachment line as its page label shows it (`附：` →
/// `附件`) and no markup lines.
fn render_and_check(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    render_fixture(name, dir.path(), &[]);
    let pdf = dir.path().join(format!("{name}.pdf"));
    assert!(pdf.exists(), "no {}", pdf.display());
    let (doc, _) = read(&fixture(name));
    let labels: Vec<String> = doc
        .attachments
        .iter()
        .map(|p| format!("附件{}", p.number))
        .collect();
    let mut n = 0;
    let expect: String = fixture(name)
        .lines()
        .filter(|l| !l.starts_with('@'))
        .map(|l| {
            let t = l.trim();
            if ["附件", "附：", "附:"].iter().any(|p| t.starts_with(p))
                && t.chars().count() <= 4
                && n < labels.len()
            {
                n += 1;
                labels[n - 1].clone()
            } else {
                written(t)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let expect_file = dir.path().join("expect.txt");
    std::fs::write(&expect_file, expect).unwrap();
    let o = Command::new("python3")
        .args([
            &format!("{ROOT}/tests/tools/structcheck.py"),
            "--expect",
            &format!("{ROOT}/tests/fixtures/recognise.json"),
            "--case",
            name,
            pdf.to_str().unwrap(),
        ])
        .output()
        .expect("python3 is required");
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "structcheck {name}:\n{said}");
    gbcheck(name, &pdf, &expect_file);
}

/// The whole of gbcheck on a PDF of a fixture: every check holds, none skipped; the text checked
/// with 0 characters lost. A fixture without a title line (recognise.json's `no_title`) is
/// checked without the title check.
fn gbcheck(name: &str, pdf: &std::path::Path, expect: &std::path::Path) {
    let cases: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{ROOT}/tests/fixtures/recognise.json")).unwrap(),
    )
    .unwrap();
    let mut args = vec![
        format!("{ROOT}/tests/tools/gbcheck.py"),
        pdf.to_str().unwrap().to_string(),
        "--json".into(),
        "--expect".into(),
        expect.to_str().unwrap().to_string(),
    ];
    if cases[name]["no_title"] == serde_json::Value::Bool(true) {
        args.push("--no-title".into());
    }
    let o = Command::new("python3")
        .args(&args)
        .output()
        .expect("python3 is required");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("gbcheck {name}: {}", String::from_utf8_lossy(&o.stderr)));
    let checks = report["checks"].as_object().unwrap();
    let failed: Vec<String> = checks
        .iter()
        .filter(|(_, v)| v["ok"] != serde_json::Value::Bool(true))
        .map(|(k, v)| format!("{k}: {}", v["detail"]))
        .collect();
    assert!(
        failed.is_empty(),
        "gbcheck {name} {}: {failed:#?}",
        pdf.display()
    );
    for check in [
        "signature_not_alone",
        "text_complete",
        "lines_per_page",
        "indents",
    ] {
        assert!(checks.contains_key(check), "gbcheck {name} ran no {check}");
    }
    assert_eq!(report["figures"]["chars_lost"], 0, "{name}");
}

#[test]
fn signatures_render() {
    render_and_check("recognise-signatures");
}

#[test]
fn attachments_render() {
    render_and_check("recognise-attachments");
}

#[test]
fn colophon_render() {
    render_and_check("recognise-colophon");
}

#[test]
fn tab_table_renders() {
    render_and_check("tab-table");
}

#[test]
fn zhuanfa_renders() {
    render_and_check("recognise-zhuanfa");
}

#[test]
fn yinfa_renders() {
    render_and_check("recognise-yinfa");
}

#[test]
fn han_renders() {
    render_and_check("recognise-han");
}

#[test]
fn notice_renders() {
    render_and_check("recognise-notice");
}

#[test]
fn report_furniture_is_centred_kaiti_in_the_pdf_and_the_docx() {
    let dir = tempfile::tempdir().unwrap();
    render_fixture("recognise-report", dir.path(), &[]);
    let pdf = dir.path().join("recognise-report.pdf");
    let o = Command::new("python3")
        .args([
            &format!("{ROOT}/tests/support/pdflines.py"),
            pdf.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let line = |start: &str| {
        lines
            .as_array()
            .unwrap()
            .iter()
            .find(|l| {
                l["text"]
                    .as_str()
                    .unwrap()
                    .replace(' ', "")
                    .starts_with(start)
            })
            .unwrap_or_else(|| panic!("no line {start}: {lines}"))
            .clone()
    };
    let mm = 72.0 / 25.4;
    let (left, right) = (28.0 * mm, 184.0 * mm);
    let centre = (left + right) / 2.0;
    for start in ["——2024年1月15日", "青山县人民政府县长"] {
        let l = line(start);
        let (x0, x1) = (l["x0"].as_f64().unwrap(), l["x1"].as_f64().unwrap());
        assert!(
            ((x0 + x1) / 2.0 - centre).abs() < 3.0,
            "{start} not centred: {l}"
        );
        assert!(
            l["font"].as_str().unwrap().to_lowercase().contains("kai"),
            "{l}"
        );
        assert_eq!(l["size"].as_f64().unwrap(), 16.0, "{l}");
    }
    let s = line("各位代表：");
    assert!(
        (s["x0"].as_f64().unwrap() - left).abs() < 1.0,
        "salutation not flush left: {s}"
    );
    // The subtitle and speaker sit on the grid lines right under the title; the salutation one
    // blank line lower (7.3.2).
    let y = |start: &str| line(start)["baseline"].as_f64().unwrap();
    let pitch = 28.95;
    // The subtitle wraps: balanced over two lines, broken between words, both centred 楷体.
    let all = lines.as_array().unwrap();
    let i = all
        .iter()
        .position(|l| l["text"].as_str().unwrap().starts_with("——"))
        .unwrap();
    let second = &all[i + 1];
    let first_len = all[i]["text"].as_str().unwrap().chars().count() as i64;
    let second_len = second["text"].as_str().unwrap().chars().count() as i64;
    assert!(
        (first_len - second_len).abs() <= 12,
        "{} / {}",
        all[i],
        second
    );
    let x = |l: &serde_json::Value, k: &str| l[k].as_f64().unwrap();
    assert!(
        ((x(second, "x0") + x(second, "x1")) / 2.0 - centre).abs() < 3.0,
        "{second}"
    );
    assert!(
        second["font"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("kai")
    );
    let (sub, spk, sal) = (
        x(second, "baseline"),
        y("青山县人民政府县长"),
        y("各位代表："),
    );
    assert!((spk - sub - pitch).abs() < 0.5, "{sub} {spk}");
    assert!((sal - spk - 2.0 * pitch).abs() < 0.5, "{spk} {sal}");
    // The DOCX: the same roles as styles, centred 楷体 from the layout file.
    let docx = dir.path().join("recognise-report.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut read_part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let doc = read_part("word/document.xml");
    let styles = read_part("word/styles.xml");
    for (style, text) in [
        ("ReportSubtitle", "——2024年1月15日"),
        ("Speaker", "青山县人民政府县长"),
        ("Greeting", "各位代表："),
    ] {
        let at = doc
            .find(text)
            .unwrap_or_else(|| panic!("{text} not in the DOCX"));
        let para = &doc[doc[..at]
            .rfind("<w:p>")
            .or(doc[..at].rfind("<w:p "))
            .unwrap()..at];
        assert!(
            para.contains(&format!("w:val=\"{style}\"")),
            "{text}: {para}"
        );
    }
    for style in ["ReportSubtitle", "Speaker"] {
        let at = styles.find(&format!("w:styleId=\"{style}\"")).unwrap();
        let def = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
        assert!(def.contains("<w:jc w:val=\"center\""), "{def}");
        assert!(def.contains("楷体"), "{def}");
    }
    let at = styles.find("w:styleId=\"Greeting\"").unwrap();
    let def = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
    assert!(
        def.contains("w:firstLine=\"0\"") && def.contains("<w:jc w:val=\"both\""),
        "{def}"
    );
}

#[test]
fn report_renders() {
    render_and_check("recognise-report");
}

#[test]
fn a_house_layout_copied_before_the_new_elements_borrows_kindred_ones() {
    let text = std::fs::read_to_string(format!("{ROOT}/layouts/gbt9704.toml")).unwrap();
    let old = &text[..text.find("# ---- report furniture").unwrap()];
    let layout = gongwen::spec::LayoutSpec::parse(old, "house.toml").unwrap();
    let face = |e: Element| layout.element(e).face.clone();
    assert_eq!(face(Element::Subtitle), face(Element::Byline));
    assert_eq!(face(Element::Speaker), "kaiti");
    assert_eq!(face(Element::Salutation), face(Element::Addressee));
    assert_eq!(face(Element::EnclosedTitle), "xiaobiaosong");
    assert_eq!(layout.element(Element::EnclosedTitle).size_pt, 22.0);
}

#[test]
fn render_prints_the_warnings_for_conventions_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("draft.txt");
    std::fs::write(
        &input,
        "关于开展检查的通知\n正文。\n2024年3月5日\n抄送：县委办公室。\n正文。\n县应急管理局\n2024年3月6日\n",
    )
    .unwrap();
    let o = harness::command()
        .args(["render", input.to_str().unwrap(), "-o"])
        .arg(dir.path().join("out"))
        .args(["--format", "docx"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    let name = input.display().to_string();
    assert!(
        err.contains(&format!(
            "warning: {name}:3: a date line that ends no 署名 block"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "warning: {name}:4: a 抄送 line that is not at the end"
        )),
        "{err}"
    );
}

#[test]
fn qingshi_renders() {
    render_and_check("recognise-qingshi");
}

/// A fixture's line as the document prints it: a date line (`二〇二四年三月五日`) written as
/// GB/T 9704 7.3.5.2 writes a 成文日期 (`src/read/habits.rs`).
fn written(line: &str) -> String {
    let t = line.trim();
    gongwen::read::recognise::standard_date(t).unwrap_or_else(|| t.to_string())
}

/// The DOCX, as LibreOffice lays it out, passes the whole of gbcheck too: one soffice run for a
/// joint 署名 with 附注 and an enclosed document, and a 请示 with a 版头 signed by its date.
#[test]
fn libreoffice_renderings_of_the_docx_pass_gbcheck() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["recognise-signatures", "recognise-qingshi"];
    let mut docx = vec![];
    for name in names {
        render_fixture(name, dir.path(), &["--format", "docx"]);
        docx.push(dir.path().join(format!("{name}.docx")));
    }
    let lo = dir.path().join("lo");
    harness::libreoffice_pdfs(&docx, &lo);
    for name in names {
        let expect = dir.path().join(format!("{name}.expect.txt"));
        let text = fixture(name)
            .lines()
            .filter(|l| !l.starts_with('@'))
            .map(written)
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&expect, text).unwrap();
        gbcheck(name, &lo.join(format!("{name}.pdf")), &expect);
    }
}
