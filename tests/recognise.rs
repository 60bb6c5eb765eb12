//! Recognition in the plain-text importer (issue 8, item 1): 署名 blocks wherever they stand,
//! attachment pages started by plain `附件N` lines, the 版记 from plain `抄送：` and `…印发`
//! lines, and a sentence as the first line. Each fixture is read through
//! `gongwen::plaintext::parse` and rendered through the binary, the PDF checked with
//! tests/tools/structcheck.py (expectations in tests/fixtures/recognise.json) and gbcheck.py
//! (`signature_not_alone`, `text_complete`).

use gongwen::model::{Colophon, Document, Element};
use gongwen::plaintext::parse;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/tests/fixtures/{name}.txt")).unwrap()
}

fn read(text: &str) -> (Document, Vec<String>) {
    let mut w = vec![];
    let d = parse(text, "t.txt", &mut w).unwrap();
    (d, w.iter().map(|w| w.to_string()).collect())
}

fn kinds(d: &Document) -> Vec<Element> {
    d.blocks.iter().map(|b| b.element).collect()
}

fn texts_of(d: &Document, e: Element) -> Vec<String> {
    d.blocks
        .iter()
        .filter(|b| b.element == e)
        .map(|b| b.text())
        .collect()
}

/// Render a fixture and run both checkers on its PDF. The text gbcheck must find is the
/// fixture's, with an attachment line as its page label shows it (`附：` → `附件`).
fn render_and_check(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{ROOT}/tests/fixtures/{name}.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args([
            "render",
            &input,
            "-o",
            dir.path().to_str().unwrap(),
            "--no-system-fonts",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
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
        .map(|l| {
            let t = l.trim();
            if ["附件", "附：", "附:"].iter().any(|p| t.starts_with(p))
                && t.chars().count() <= 4
                && n < labels.len()
            {
                n += 1;
                labels[n - 1].clone()
            } else {
                t.to_string()
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
    let o = Command::new("python3")
        .args([
            &format!("{ROOT}/tests/tools/gbcheck.py"),
            pdf.to_str().unwrap(),
            "--json",
            "--expect",
            expect_file.to_str().unwrap(),
        ])
        .output()
        .expect("python3 is required");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for check in ["signature_not_alone", "text_complete"] {
        assert_eq!(
            report["checks"][check]["ok"],
            serde_json::Value::Bool(true),
            "{name}: {check}: {}",
            report["checks"][check]["detail"]
        );
    }
}

#[test]
fn signatures_anywhere_with_joint_organs_and_notes() {
    let (d, w) = read(&fixture("recognise-signatures"));
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Signature, Date, Note, Body, Body, Body, Signature, Signature,
            Date, Note, Note
        ]
    );
    assert_eq!(
        texts_of(&d, Signature),
        ["青山县人民政府办公室", "青山县财政局", "青山县教育局"]
    );
    assert_eq!(texts_of(&d, Date), ["二〇二四年三月五日", "2024年2月28日"]);
    assert_eq!(
        texts_of(&d, Note),
        [
            "（此件公开发布）",
            "（本文有删减）",
            "（联系人：王明　电话：0571-12345678）"
        ]
    );
    assert!(w.is_empty(), "{w:?}");
    assert!(d.attachments.is_empty() && d.colophon.is_none());
}

#[test]
fn signatures_render() {
    render_and_check("recognise-signatures");
}

#[test]
fn a_date_alone_mid_text_stays_body_and_a_sentence_is_no_organ() {
    let (d, _) = read(
        "标题\n正文第一段。\n2024年3月5日\n会议要求，各单位抓好落实。\n2024年3月6日\n正文。\n",
    );
    use Element::*;
    assert_eq!(kinds(&d), [Title, Body, Body, Body, Body, Body]);
    // At the end a date alone is still the 成文日期.
    let (d, _) = read("标题\n正文。\n2024年3月5日\n");
    assert_eq!(kinds(&d), [Title, Body, Date]);
}

#[test]
fn attachment_pages_from_plain_lines() {
    let (d, _) = read(&fixture("recognise-attachments"));
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Attachment, Attachment, Signature, Date
        ]
    );
    assert_eq!(d.attachments.len(), 2);
    let p = &d.attachments[0];
    assert_eq!(p.number, "1");
    assert_eq!(p.title, "青山县校园安全隐患排查整治工作方案");
    assert_eq!(
        p.blocks.iter().map(|b| b.element).collect::<Vec<_>>(),
        [
            Addressee, Body, Heading1, Body, Heading2, Heading1, Body, Signature, Date
        ]
    );
    assert_eq!(p.blocks[7].text(), "青山县教育局");
    let p = &d.attachments[1];
    assert_eq!(
        (p.number.as_str(), p.title.as_str()),
        ("2", "排查情况统计表")
    );
    assert_eq!(
        p.blocks.iter().map(|b| b.element).collect::<Vec<_>>(),
        [Body]
    );
}

#[test]
fn attachments_render() {
    render_and_check("recognise-attachments");
}

#[test]
fn attachment_lines_alone_in_every_form() {
    for (line, number) in [
        ("附件", ""),
        ("附件1", "1"),
        ("附件：", ""),
        ("附：", ""),
        ("附件２", "2"),
    ] {
        let text = format!("标题\n正文。\nXX局\n2024年3月5日\n{line}\n附件标题\n附件正文。\n");
        let (d, _) = read(&text);
        assert_eq!(d.attachments.len(), 1, "{line}");
        assert_eq!(d.attachments[0].number, number, "{line}");
        assert_eq!(d.attachments[0].title, "附件标题", "{line}");
        assert_eq!(d.blocks.last().unwrap().element, Element::Date, "{line}");
    }
    // Not after a 署名 block: `附件：` alone is no page break.
    let (d, _) = read("标题\n正文。\n附件：\n附件标题\n");
    assert!(d.attachments.is_empty());
}

#[test]
fn colophon_from_plain_lines_and_a_sentence_as_title() {
    let (d, w) = read(&fixture("recognise-colophon"));
    assert_eq!(
        d.colophon,
        Some(Colophon {
            cc: Some("县委办公室，县人大常委会办公室，县政协办公室。".into()),
            printer: Some("青山县安全生产委员会办公室".into()),
            print_date: Some("2024年10月15日".into()),
        })
    );
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Heading1, Body, Heading1, Body, Signature, Date
        ]
    );
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("t.txt:1") && w[0].contains("根据县委"),
        "{w:?}"
    );
    // A short title that is no sentence gets no warning; an ASCII space also separates the
    // 印发 line; the markup wins over a plain line.
    let (d, w) = read("标题\n正文。\n@印发机关: 甲办公室\n抄送：乙。\n丙办公室 2024年1月2日印发\n");
    assert!(w.is_empty(), "{w:?}");
    let c = d.colophon.unwrap();
    assert_eq!(c.printer.as_deref(), Some("甲办公室"));
    assert_eq!(c.cc.as_deref(), Some("乙。"));
    assert_eq!(c.print_date.as_deref(), Some("2024年1月2日"));
}

#[test]
fn colophon_render() {
    render_and_check("recognise-colophon");
}

#[test]
fn markup_attachment_pages_read_like_a_main_text() {
    let (d, _) = read(
        "标题\n正文。\n@附件 1: 名单\n各科室：\n一、人员\n正文。\nXX局\n2024年3月5日\n（此件公开发布）\n",
    );
    use Element::*;
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(
        d.attachments[0]
            .blocks
            .iter()
            .map(|b| b.element)
            .collect::<Vec<_>>(),
        [Addressee, Heading1, Body, Signature, Date, Note]
    );
    // A plain `附件1` line inside a markup page is text, not a page of its own.
    let (d, _) = read("标题\n正文。\n@附件 1: 名单\n附件1\n正文。\n");
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.attachments[0].blocks.len(), 2);
}
