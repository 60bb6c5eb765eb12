//! Recognition in the plain-text importer (issue 8, item 1): 署名 blocks wherever they stand,
//! attachment pages started by plain `附件N` lines, the 版记 from plain `抄送：` and `…印发`
//! lines, a sentence as the first line, the enclosed document of a 印发/转发 通知, a report's
//! subtitle, speaker and salutation, a date that signs alone, and warnings for conventions not
//! applied. Each fixture is read through `gongwen::plaintext::parse` and rendered through the
//! binary, the PDF checked with tests/tools/structcheck.py (expectations in
//! tests/fixtures/recognise.json) and the whole of gbcheck.py. The fixtures model real published
//! documents: body paragraphs of several lines, as long as the conventions they carry need.

use gongwen::model::{Colophon, Document, Element};
use gongwen::plaintext::parse;
use std::process::Command;

mod common;

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
    d.blocks.iter().map(|b| b.element()).collect()
}

fn texts_of(d: &Document, e: Element) -> Vec<String> {
    d.blocks
        .iter()
        .filter(|b| b.element() == e)
        .map(|b| b.text())
        .collect()
}

/// Render a fixture into `dir` with the bundled fonts only (`extra`: more arguments).
fn render_fixture(name: &str, dir: &std::path::Path, extra: &[&str]) {
    let input = format!("{ROOT}/tests/fixtures/{name}.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
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
fn signatures_anywhere_with_joint_organs_and_notes() {
    let (d, w) = read(&fixture("recognise-signatures"));
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Byline,
            Body,
            Body,
            Body,
            Body,
            Body,
            Body,
            Body,
            Body,
            Body,
            Body,
            Signature,
            Signature,
            Date,
            Note,
            Note
        ]
    );
    assert_eq!(
        texts_of(&d, Signature),
        ["青山县人民政府办公室", "青山县财政局", "青山县教育局"]
    );
    // The enclosed 办法's organs, on the line under its title.
    assert_eq!(texts_of(&d, Byline), ["青山县财政局　青山县教育局"]);
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
            Title, Addressee, Body, Body, Body, Attachment, Attachment, Signature, Date
        ]
    );
    assert_eq!(d.attachments.len(), 2);
    let p = &d.attachments[0];
    assert_eq!(p.number, "1");
    assert_eq!(p.title, "青山县校园安全隐患排查整治工作方案");
    assert_eq!(
        p.blocks.iter().map(|b| b.element()).collect::<Vec<_>>(),
        [
            Addressee, Body, Heading1, Body, Heading2, Heading2, Heading2, Heading2, Heading1,
            Body, Body, Signature, Date
        ]
    );
    assert_eq!(p.blocks[11].text(), "青山县教育局");
    let p = &d.attachments[1];
    assert_eq!(
        (p.number.as_str(), p.title.as_str()),
        ("2", "排查情况统计表")
    );
    assert_eq!(
        p.blocks.iter().map(|b| b.element()).collect::<Vec<_>>(),
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
        assert_eq!(d.blocks.last().unwrap().element(), Element::Date, "{line}");
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
            cc_line: Some(10),
            print_line: Some(11),
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
            .map(|b| b.element())
            .collect::<Vec<_>>(),
        [Addressee, Heading1, Body, Signature, Date, Note]
    );
    // A plain `附件1` line inside a markup page is text, not a page of its own.
    let (d, _) = read("标题\n正文。\n@附件 1: 名单\n附件1\n正文。\n");
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.attachments[0].blocks.len(), 2);
}

#[test]
fn tab_table_renders() {
    render_and_check("tab-table");
}

#[test]
fn a_zhuanfa_notice_encloses_its_implementation_plan() {
    let (d, w) = read(&fixture("recognise-zhuanfa"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Body,
            Heading1,
            Body,
            Heading1,
            Heading2,
            Heading2,
            Heading3,
            Heading3,
            Heading1,
            Body,
            Signature,
            Date
        ]
    );
    assert_eq!(texts_of(&d, EnclosedTitle), ["“技能青山行动”实施方案"]);
    assert_eq!(
        texts_of(&d, Signature),
        ["青山县人民政府办公室", "青山县人力资源和社会保障局"]
    );
}

#[test]
fn zhuanfa_renders() {
    render_and_check("recognise-zhuanfa");
}

#[test]
fn a_state_council_yinfa_notice_encloses_its_plan() {
    let (d, w) = read(&fixture("recognise-yinfa"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d)[..9],
        [
            Title,
            DocNumber,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Body
        ]
    );
    // The draft split the enclosed title over two lines: one title, both lines its source.
    assert_eq!(
        texts_of(&d, EnclosedTitle),
        ["全民健身场地设施补短板工作方案"]
    );
    let title = d
        .blocks
        .iter()
        .find(|b| b.element() == EnclosedTitle)
        .unwrap();
    assert_eq!(
        (title.line(), title.as_para().unwrap().more_lines.clone()),
        (8, vec![9])
    );
    // The enclosed text's headings are headings, its last paragraph body text.
    assert_eq!(texts_of(&d, Heading1).len(), 3);
    assert_eq!(d.blocks.last().unwrap().element(), Body);
}

#[test]
fn yinfa_renders() {
    render_and_check("recognise-yinfa");
}

#[test]
fn no_enclosed_title_outside_a_notice_that_passes_a_document_on() {
    // A report whose 署名 block is followed by a line that ends in 方案 keeps it as body text.
    let (d, _) = read("工作总结\n正文。\n青山县教育局\n2024年3月5日\n下一步工作方案\n正文。\n");
    assert!(texts_of(&d, Element::EnclosedTitle).is_empty());
    // In a 转发 notice a sentence after the 署名 block is no title either.
    let (d, _) =
        read("关于转发办法的通知\n正文。\n青山县教育局\n2024年3月5日\n现将有关办法转发给你们。\n");
    assert!(texts_of(&d, Element::EnclosedTitle).is_empty());
    // `……办法（试行）` and `关于……` are titles.
    for t in ["校园安全经费管理办法（试行）", "关于加强校园安全工作的意见"]
    {
        let (d, _) = read(&format!(
            "关于印发文件的通知\n正文。\n青山县教育局\n2024年3月5日\n{t}\n正文。\n"
        ));
        assert_eq!(texts_of(&d, Element::EnclosedTitle), [t]);
    }
}

#[test]
fn a_letter_with_two_attachments_each_signed() {
    let (d, w) = read(&fixture("recognise-han"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Body, Attachment, Attachment, Signature, Date, Note
        ]
    );
    assert_eq!(d.attachments.len(), 2);
    let els = |i: usize| -> Vec<Element> {
        d.attachments[i]
            .blocks
            .iter()
            .map(|b| b.element())
            .collect()
    };
    use Element::Heading2 as H2;
    assert_eq!(
        els(0),
        [
            Body, Heading1, Body, Heading1, H2, H2, H2, H2, Heading1, Body, Heading1, Body,
            Heading1, Body, Signature, Date
        ]
    );
    assert_eq!(els(1), [Body, Body, Body, Body, Signature, Signature, Date]);
    assert_eq!(
        (d.attachments[1].line, d.attachments[1].title_line),
        (28, 29)
    );
}

#[test]
fn han_renders() {
    render_and_check("recognise-han");
}

#[test]
fn a_notice_ending_in_plain_cc_and_printer_lines() {
    let (d, w) = read(&fixture("recognise-notice"));
    assert!(w.is_empty(), "{w:?}");
    let c = d.colophon.unwrap();
    assert_eq!(
        c.cc.as_deref(),
        Some("县委办公室，县人大常委会办公室，县政协办公室。")
    );
    assert_eq!(c.printer.as_deref(), Some("青山县安全生产委员会办公室"));
    assert_eq!(c.print_date.as_deref(), Some("2024年11月20日"));
    assert_eq!((c.cc_line, c.print_line), (Some(13), Some(14)));
    assert_eq!(d.blocks.last().unwrap().element(), Element::Date);
}

#[test]
fn notice_renders() {
    render_and_check("recognise-notice");
}

#[test]
fn a_report_opens_with_subtitle_speaker_and_salutation() {
    let (d, w) = read(&fixture("recognise-report"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Subtitle, Speaker, Salutation, Body, Heading1, Body, Heading2, Heading2,
            Heading1, Body, Body
        ]
    );
    // Other shapes of the furniture: a date in brackets, a speaker with an unspaced name, a
    // salutation of several parts; a chapter heading and an organ line are no speaker.
    let (d, _) = read(
        "在全县经济工作会议上的讲话\n（2024年1月5日）\n县委书记 张建国\n同志们、朋友们：\n正文。\n",
    );
    assert_eq!(kinds(&d), [Title, Subtitle, Speaker, Salutation, Body]);
    let (d, _) = read("报告\n委员长、各位副委员长、秘书长、各位委员：\n正文。\n");
    assert_eq!(kinds(&d), [Title, Salutation, Body]);
    let (d, _) = read("管理办法\n第一章　总则\n第一条　为规范管理，制定本办法。\n");
    assert_eq!(kinds(&d), [Title, Body, Body]);
    let (d, _) = read("通知\n各乡镇人民政府：\n正文。\n");
    assert_eq!(kinds(&d), [Title, Addressee, Body]);
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
fn conventions_not_applied_are_warned_about_by_line() {
    let (d, w) = read(
        "标题\n正文。\n2024年3月5日\n抄送：县委办公室。\n正文\t续。\n正文。\nXX局\n2024年3月6日\n",
    );
    use Element::*;
    assert_eq!(
        kinds(&d),
        [Title, Body, Body, Body, Body, Body, Signature, Date]
    );
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].starts_with("t.txt:5:") && w[0].contains("tab"),
        "{w:?}"
    );
    assert!(
        w[1].starts_with("t.txt:3:") && w[1].contains("署名"),
        "{w:?}"
    );
    assert!(
        w[2].starts_with("t.txt:4:") && w[2].contains("抄送"),
        "{w:?}"
    );
}

#[test]
fn a_house_layout_copied_before_the_new_elements_borrows_kindred_ones() {
    let text = std::fs::read_to_string(format!("{ROOT}/layouts/gbt9704.toml")).unwrap();
    let old = &text[..text.find("# ---- report furniture").unwrap()];
    let layout = gongwen::spec::Layout::parse(old, "house.toml").unwrap();
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
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
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
fn a_request_signed_by_its_date_alone_under_a_masthead() {
    let (d, w) = read(&fixture("recognise-qingshi"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Body, Body, Body, Attachment, Date, Note
        ]
    );
    assert!(d.masthead.is_some());
    assert_eq!(texts_of(&d, Date), ["2024年6月3日"]);
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(
        d.attachments[0].title,
        "青山县校园安全体系建设项目资金测算表"
    );
}

#[test]
fn qingshi_renders() {
    render_and_check("recognise-qingshi");
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
    common::libreoffice_pdfs(&docx, &lo);
    for name in names {
        let expect = dir.path().join(format!("{name}.expect.txt"));
        let text = fixture(name)
            .lines()
            .filter(|l| !l.starts_with('@'))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&expect, text).unwrap();
        gbcheck(name, &lo.join(format!("{name}.pdf")), &expect);
    }
}
