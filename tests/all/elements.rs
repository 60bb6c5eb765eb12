//! Every GB/T 9704 element in the laid-out PDF: its grid line, its position across the line and
//! its face, read back from the PDF with pdfplumber (tests/support/pdflines.py). The fixture
//! tests/fixtures/every-element.txt has a 版头, body with four heading levels, 附件说明, 署名,
//! 成文日期, 附注, an attachment page and a 版记.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness;
use crate::harness::ROOT;
use serde_json::Value;

const MM: f64 = 72.0 / 25.4;
const PITCH: f64 = 28.95;

fn top() -> f64 {
    37.0 * MM
}
fn left() -> f64 {
    28.0 * MM
}
fn right() -> f64 {
    184.0 * MM
}
fn cell() -> f64 {
    156.0 * MM / 28.0
}

/// Render a fixture (or any text) to a PDF in a fresh folder.
fn render(text: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.txt");
    std::fs::write(&input, text).unwrap();
    let mut args = vec![
        "render",
        input.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ];
    args.extend(extra);
    let o = harness::command().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.path().join("doc.pdf");
    (dir, pdf)
}

fn json(args: &[&str]) -> Value {
    let o = harness::python("support/pdflines.py", args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn lines(pdf: &Path) -> Vec<Value> {
    json(&[pdf.to_str().unwrap()]).as_array().unwrap().clone()
}

fn find<'a>(lines: &'a [Value], start: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| {
            l["text"]
                .as_str()
                .unwrap()
                .replace(' ', "")
                .starts_with(start)
        })
        .unwrap_or_else(|| panic!("no line starting with {start}"))
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap()
}

/// Grid line (1-based) of a 16 pt line's baseline.
fn grid_line(l: &Value) -> f64 {
    (f(l, "baseline") - top() - PITCH / 2.0 - 0.38 * f(l, "size")) / PITCH + 1.0
}

fn face(l: &Value) -> &str {
    l["font"].as_str().unwrap()
}

fn fixture() -> String {
    std::fs::read_to_string(format!("{ROOT}/tests/fixtures/every-element.txt")).unwrap()
}

#[test]
fn masthead_copy_number_secrecy_urgency_mark_number_and_red_rule() {
    let (_d, pdf) = render(&fixture(), &[]);
    let ls = lines(&pdf);
    // 份号, 密级, 紧急程度 on lines 1–3, flush left; 密级 and 紧急程度 in 黑体 (7.2.1–7.2.3).
    for (text, line, hei) in [
        ("000018", 1.0, false),
        ("秘密★1年", 2.0, true),
        ("特急", 3.0, true),
    ] {
        let l = find(&ls, text);
        assert!(
            (grid_line(l) - line).abs() < 0.01,
            "{text} on line {}",
            grid_line(l)
        );
        assert!((f(l, "x0") - left()).abs() < 0.5);
        assert_eq!(face(l).contains("FandolHei"), hei, "{text}: {}", face(l));
    }
    // The 标志: red 小标宋 stand-in, centred, its top edge 35 mm under the body area (7.2.5).
    let mark = find(&ls, "青山县人民政府文件");
    assert_eq!(mark["colour"], serde_json::json!([1.0, 0.0, 0.0]));
    assert!(face(mark).contains("FandolSong-Bold"));
    let size = f(mark, "size");
    let mark_top = f(mark, "baseline") - 0.88 * size;
    assert!(
        (mark_top - (37.0 + 35.0) * MM).abs() < 0.5,
        "标志 top {} mm",
        mark_top / MM
    );
    assert!(((f(mark, "x0") + f(mark, "x1")) / 2.0 - (left() + right()) / 2.0).abs() < 1.0);
    // 发文字号 two blank lines under the 标志, centred (7.2.4).
    let number = find(&ls, "青政发〔2023〕12号");
    let first_free = ((mark_top + size - top()) / PITCH).ceil() + 1.0;
    assert!(
        (grid_line(number) - (first_free + 2.0)).abs() < 0.01,
        "发文字号 on {}",
        grid_line(number)
    );
    assert!(((f(number, "x0") + f(number, "x1")) / 2.0 - (left() + right()) / 2.0).abs() < 1.0);
    // The red rule 4 mm under the 发文字号, body-area wide (7.2.7).
    let rules = json(&["--rules", pdf.to_str().unwrap()]);
    let red = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["colour"] == serde_json::json!([1.0, 0.0, 0.0]))
        .unwrap();
    let mid = (f(red, "top") + f(red, "bottom")) / 2.0;
    let text_bottom = f(number, "baseline") + 0.12 * 16.0;
    assert!(
        (mid - text_bottom - 4.0 * MM).abs() < 0.5,
        "rule {} mm under the number",
        (mid - text_bottom) / MM
    );
    assert!((f(red, "x0") - left()).abs() < 0.5 && (f(red, "x1") - right()).abs() < 0.5);
    // The title two blank lines under the rule, 22 pt, centred (7.3.1); 主送 one line under it.
    let title = find(&ls, "关于开展安全生产大检查的通知");
    let rule_line = ((mid - top()) / PITCH).floor() + 1.0;
    let title_line = (f(title, "baseline") - top() - PITCH / 2.0 - 0.38 * 22.0) / PITCH + 1.0;
    assert!(
        (title_line - (rule_line + 3.0)).abs() < 0.01,
        "title on {title_line}, rule on {rule_line}"
    );
    assert_eq!(f(title, "size"), 22.0);
    let to = find(&ls, "各乡镇人民政府");
    assert!((grid_line(to) - (title_line + 2.0)).abs() < 0.01);
    assert!((f(to, "x0") - left()).abs() < 0.5, "主送 flush left");
}

#[test]
fn body_headings_and_run_in_headings_take_their_faces() {
    let (_d, pdf) = render(&fixture(), &[]);
    let ls = lines(&pdf);
    for (start, font) in [
        ("一、检查范围", "FandolHei"),
        ("（一）加强组织领导", "FandolKai"),
        ("1.制定方案", "FandolFang"),
        ("（1）自查自改", "FandolFang"),
    ] {
        let l = find(&ls, start);
        assert!(face(l).contains(font), "{start}: {}", face(l));
        assert!(
            (f(l, "x0") - (left() + 2.0 * cell())).abs() < 0.5,
            "{start} two characters in"
        );
    }
    // Page 1 shows body text (7.3.5.5 / 5.2.3).
    assert!(
        ls.iter()
            .any(|l| l["page"] == 1 && l["text"].as_str().unwrap().starts_with("为深入"))
    );
}

#[test]
fn attachment_note_signature_date_and_note() {
    let (_d, pdf) = render(&fixture(), &[]);
    let ls = lines(&pdf);
    // 附件说明: one blank line under the body, two characters in; a wrapped name lines up with its
    // first character; the second item stands under `1.` (7.3.4).
    let a1 = find(&ls, "附件：1.");
    assert!((f(a1, "x0") - (left() + 2.0 * cell())).abs() < 0.5);
    let wrapped = ls
        .iter()
        .find(|l| l["page"] == a1["page"] && (grid_line(l) - grid_line(a1) - 1.0).abs() < 0.01)
        .unwrap();
    assert!(
        (f(wrapped, "x0") - (left() + 6.0 * cell())).abs() < 0.5,
        "wrapped name under its first character: {wrapped}"
    );
    let a2 = find(&ls, "2.检查情况汇总表");
    assert!(
        (f(a2, "x0") - (left() + 5.0 * cell())).abs() < 0.5,
        "second item under 1.: {a2}"
    );
    // 署名 one blank line under the 附件说明; the date starts two characters right of the 署名's
    // first character and ends at least two characters from the right (7.3.5.2).
    let sig = find(&ls, "青山县人民政府");
    let sig = ls
        .iter()
        .filter(|l| l["text"] == "青山县人民政府")
        .last()
        .unwrap_or(sig);
    let date = find(&ls, "2023年7月1日");
    assert!((grid_line(sig) - grid_line(a2) - 2.0).abs() < 0.01);
    assert!((grid_line(date) - grid_line(sig) - 1.0).abs() < 0.01);
    assert!(
        (f(date, "x0") - f(sig, "x0") - 2.0 * cell()).abs() < 0.5,
        "date two cells right of the 署名"
    );
    assert!(
        f(date, "x1") <= right() - 1.9 * cell(),
        "date ends two characters from the right"
    );
    // 附注 on the line after the date, two characters in, in （ ） (7.3.6).
    let note = find(&ls, "（此件公开发布）");
    assert!((grid_line(note) - grid_line(date) - 1.0).abs() < 0.01);
    assert!((f(note, "x0") - (left() + 2.0 * cell())).abs() < 0.5);
}

#[test]
fn attachment_page_and_colophon() {
    let (_d, pdf) = render(&fixture(), &[]);
    let ls = lines(&pdf);
    // The attachment starts a page: 附件1 in 黑体 flush left on line 1, its title centred on line 3.
    let label = find(&ls, "附件1");
    let page = label["page"].as_u64().unwrap();
    assert!(page > find(&ls, "（此件公开发布）")["page"].as_u64().unwrap());
    assert!((grid_line(label) - 1.0).abs() < 0.01 && face(label).contains("FandolHei"));
    assert!((f(label, "x0") - left()).abs() < 0.5);
    let title = find(&ls, "安全生产大检查重点内容");
    assert_eq!(title["page"], label["page"]);
    let title_line = (f(title, "baseline") - top() - PITCH / 2.0 - 0.38 * 22.0) / PITCH + 1.0;
    assert!((title_line - 3.0).abs() < 0.01);
    assert!(((f(title, "x0") + f(title, "x1")) / 2.0 - (left() + right()) / 2.0).abs() < 1.0);
    // The 版记 on the last page, an even page (double-sided): 印发 on the last grid line, organ one
    // 14 pt character from the left, date + 印发 one from the right; 抄送 above, wrapped lines
    // after the colon; rules 0.35/0.25/0.35 mm, the last on the body area's bottom edge (7.4).
    let pages = ls
        .iter()
        .map(|l| l["page"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(pages % 2, 0);
    let printer = find(&ls, "青山县人民政府办公室");
    assert_eq!(printer["page"].as_u64().unwrap(), pages);
    assert!(
        (grid_line(printer) - 22.0).abs() < 0.01,
        "印发 line on {}",
        grid_line(printer)
    );
    assert!((f(printer, "x0") - (left() + 14.0)).abs() < 0.5);
    assert!((f(printer, "x1") - (right() - 14.0)).abs() < 0.5);
    assert!(
        printer["text"]
            .as_str()
            .unwrap()
            .replace(' ', "")
            .ends_with("2023年7月1日印发")
    );
    let cc = find(&ls, "抄送：");
    assert!((f(cc, "x0") - (left() + 14.0)).abs() < 0.5 && f(cc, "size") == 14.0);
    let rules = json(&["--rules", pdf.to_str().unwrap()]);
    let black: Vec<&Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["page"].as_u64() == Some(pages))
        .collect();
    assert_eq!(black.len(), 3);
    let thick = |r: &Value| (f(r, "bottom") - f(r, "top")) / MM;
    assert!(
        (thick(black[0]) - 0.35).abs() < 0.02
            && (thick(black[1]) - 0.25).abs() < 0.02
            && (thick(black[2]) - 0.35).abs() < 0.02
    );
    assert!(
        (f(black[2], "bottom") - (37.0 + 225.0) * MM).abs() < 0.2,
        "last rule on the body area's bottom edge"
    );
    // Page numbers continue through the attachment.
    assert!(ls.iter().any(|l| l["page"].as_u64() == Some(page)
        && l["text"].as_str().unwrap().replace(' ', "") == format!("—{page}—")));
}

#[test]
fn seal_and_joint_issuers_and_a_colophon_on_the_next_even_page() {
    let text = "@发文机关: 中共青山县委\n@发文机关: 青山县人民政府\n@发文字号: 青发〔2023〕3号\n@印章\n@印发机关: 青山县委办公室\n@印发日期: 2023年7月2日\n关于表彰先进集体的决定\n各乡镇党委、政府：\n经研究，决定表彰一批先进集体。\n中共青山县委\n2023年7月1日\n";
    let (_d, pdf) = render(text, &[]);
    let ls = lines(&pdf);
    // Joint 标志: the names stacked, 文件 to their right, vertically between them.
    let a = find(&ls, "中共青山县委");
    let b = ls.iter().find(|l| l["text"] == "青山县人民政府").unwrap();
    let suffix = ls.iter().find(|l| l["text"] == "文件").unwrap();
    assert!(f(b, "baseline") > f(a, "baseline"));
    assert!(f(suffix, "x0") > f(a, "x1").max(f(b, "x1")));
    assert!(f(suffix, "baseline") > f(a, "baseline") && f(suffix, "baseline") < f(b, "baseline"));
    // With a seal: the date ends four characters from the right, the 署名 centred over it (7.3.5.1),
    // three blank lines of room under the body.
    let sig = ls
        .iter()
        .filter(|l| l["text"] == "中共青山县委")
        .last()
        .unwrap();
    let date = find(&ls, "2023年7月1日");
    assert!(
        (right() - f(date, "x1") - 4.0 * cell()).abs() < 0.1 * cell(),
        "date {} cells from the right",
        (right() - f(date, "x1")) / cell()
    );
    let centre = |l: &Value| (f(l, "x0") + f(l, "x1")) / 2.0;
    assert!((centre(sig) - centre(date)).abs() < 1.0);
    let body = find(&ls, "经研究");
    assert!((grid_line(sig) - grid_line(body) - 4.0).abs() < 0.01);
    // One page of text (odd): the 版记 goes to page 2, the next even page, with no blank page
    // before it, so both pages keep their numbers (7.5).
    let printer = find(&ls, "青山县委办公室");
    assert_eq!(printer["page"], 2);
    for p in [1, 2] {
        assert!(
            ls.iter().any(|l| l["page"] == p
                && l["text"].as_str().unwrap().replace(' ', "") == format!("—{p}—")),
            "page {p} number"
        );
    }
}

#[test]
fn a_full_even_page_sends_the_colophon_past_a_blank_page_and_neither_is_numbered() {
    // Title, blank line, then 42 one-line paragraphs: pages 1 and 2 are full, so the 版记 needs a
    // new page; page 3 would be odd, so page 3 stays blank and the 版记 goes on page 4 (double-
    // sided practice). The blank page and the 版记 page carry no number (7.5).
    let mut text = String::from(
        "@印发机关: 青山县人民政府办公室\n@印发日期: 2023年7月2日\n关于开展检查的通知\n",
    );
    for i in 1..=42 {
        text.push_str(&format!("第{i}项工作已经完成。\n"));
    }
    let (_d, pdf) = render(&text, &[]);
    let ls = lines(&pdf);
    let body_on = |p: u64| {
        ls.iter()
            .filter(|l| l["page"].as_u64() == Some(p) && f(l, "size") == 16.0)
            .count()
    };
    assert_eq!((body_on(1), body_on(2)), (20, 22), "pages 1 and 2 full");
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils) is required");
    assert!(
        String::from_utf8_lossy(&info.stdout)
            .lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 4"))
    );
    assert!(ls.iter().all(|l| l["page"] != 3), "page 3 is blank");
    let printer = find(&ls, "青山县人民政府办公室");
    assert_eq!(printer["page"], 4);
    assert!((grid_line(printer) - 22.0).abs() < 0.01);
    let numbers: Vec<u64> = ls
        .iter()
        .filter(|l| f(l, "size") == 14.0 && l["text"].as_str().unwrap().contains('—'))
        .map(|l| l["page"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2], "only the text pages are numbered");
}

#[test]
fn docx_has_a_style_per_element_and_embeds_fonts_on_request() {
    let (d, _) = render(&fixture(), &["--embed-fonts"]);
    let docx = d.path().join("doc.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("word/fonts/") && n.ends_with(".odttf")),
        "{names:?}"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/styles.xml").unwrap(), &mut styles)
        .unwrap();
    for (id, font) in [
        ("Masthead", "方正小标宋简体"),
        ("Secrecy", "黑体"),
        ("Cc", "仿宋_GB2312"),
        ("AttachmentLabel", "黑体"),
        ("Signer", "楷体_GB2312"),
    ] {
        let at = styles
            .find(&format!("w:styleId=\"{id}\""))
            .unwrap_or_else(|| panic!("no style {id}"));
        let end = at + styles[at..].find("</w:style>").unwrap();
        assert!(
            styles[at..end].contains(&format!("w:eastAsia=\"{font}\"")),
            "{id}"
        );
    }
    assert!(styles.contains("w:val=\"FF0000\""), "red 标志");
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    assert!(
        doc.contains("<w:pageBreakBefore />"),
        "attachment page starts a page"
    );
    assert!(
        doc.contains(r#"<wp:positionV relativeFrom="paragraph">"#)
            && doc.contains(r#"<a:srgbClr val="FF0000" />"#),
        "red rule as a shape riding in the 发文字号's paragraph (7.2.7)"
    );
    let check = harness::python("tools/docxcheck.py", [docx.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// Issue 21: cells are set single-spaced at their own size (4号 at 17.5 pt with 2.8 pt of padding
/// under a 0.75 pt rule), off the body's grid; the header row repeats at the top of the next
/// page; the text after the table is back on the grid.
#[test]
fn tables_are_set_at_their_own_pitch_and_repeat_their_header_on_a_new_page() {
    let mut text = String::from(
        "关于报送检查情况的通知\n各单位：\n现将检查情况统计如下。\n@表格\n序号 | 单位 | 检查次数 | 整改情况\n",
    );
    for i in 1..=40 {
        text.push_str(&format!("{i} | 第{i}检查组 | {} | 已全部整改\n", i * 3));
    }
    text.push_str("@表格结束\n请各单位抓紧完成剩余隐患整改。\n");
    let (d, pdf) = render(&text, &[]);
    let ls = lines(&pdf);
    let headers: Vec<&Value> = ls
        .iter()
        .filter(|l| l["text"].as_str().unwrap().starts_with("序号"))
        .collect();
    assert_eq!(headers.len(), 2, "header on both pages");
    assert_eq!(headers[1]["page"], 2);
    // The repeated header's line: under the rule and the padding at the body area's top.
    let first = top() + 0.75 + 2.8 + 17.5 / 2.0 + 0.38 * 14.0;
    assert!(
        (f(headers[1], "baseline") - first).abs() < 0.05,
        "repeated header at the top: {}",
        headers[1]
    );
    // Row after row, one cell line and its padding and rule apart: 23.85 pt, not 28.95.
    let rows: Vec<f64> = ls
        .iter()
        .filter(|l| l["page"] == 2 && f(l, "size") == 14.0 && f(l, "baseline") < 262.0 * MM)
        .map(|l| f(l, "baseline"))
        .collect();
    assert!(rows.len() > 20, "{rows:?}");
    for w in rows.windows(2) {
        assert!((w[1] - w[0] - 23.85).abs() < 0.05, "{rows:?}");
    }
    let after = find(&ls, "请各单位抓紧");
    assert!((grid_line(after) - grid_line(after).round()).abs() < 0.01);
    // Ruled: pdfplumber finds the table; gbcheck measures the body around it.
    let report = harness::python("tools/gbcheck.py", [pdf.to_str().unwrap(), "--json"]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(
        report["figures"]["table_lines"].as_u64().unwrap() >= 40,
        "{}",
        report["figures"]
    );
    for check in [
        "margin_left",
        "margin_right",
        "on_grid",
        "line_breaking",
        "table_rows_split",
    ] {
        assert!(
            report["checks"][check]["ok"].as_bool().unwrap(),
            "{check}: {}",
            report["checks"][check]
        );
    }
    // The DOCX: the header row repeats (w:tblHeader), one-line rows move whole, cells have
    // the exact pitch off the grid and the padding as margins; schema-valid.
    let docx = d.path().join("doc.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    assert!(doc.contains(r#"<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"#));
    assert!(
        doc.contains(r#"<w:top w:w="56" w:type="dxa" />"#),
        "padding"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/styles.xml").unwrap(), &mut styles)
        .unwrap();
    let table_style = &styles[styles.find(r#"w:styleId="TableText""#).unwrap()..];
    let table_style = &table_style[..table_style.find("</w:style>").unwrap()];
    assert!(
        table_style.contains(r#"w:line="350" w:lineRule="exact""#)
            && table_style.contains(r#"<w:snapToGrid w:val="0" />"#),
        "{table_style}"
    );
    let check = harness::python("tools/docxcheck.py", [docx.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// A table pasted with tabs: its merges reach the DOCX (w:vMerge down, w:gridSpan across).
#[test]
fn tables_from_tabs_merge_cells_in_the_docx() {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/tab-table.txt")).unwrap();
    let mut warnings = Vec::new();
    let doc = gongwen::plaintext::parse(&text, "tab-table.txt", &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let layout = gongwen::spec::LayoutSpec::load("gbt9704").unwrap();
    let plan = gongwen::plan::plan(&doc, &layout).unwrap();
    let parts = gongwen::export::docx::parts(&plan, &layout, &[]);
    let (_, xml) = parts
        .iter()
        .find(|(name, _)| name == "word/document.xml")
        .unwrap();
    let xml = String::from_utf8_lossy(xml);
    // Two group rows across the 4 columns; 城东片区 over 2 rows, 城南片区 over 3.
    assert_eq!(
        xml.matches(r#"<w:gridSpan w:val="4" />"#).count(),
        2,
        "{xml}"
    );
    assert_eq!(xml.matches(r#"<w:vMerge w:val="restart" />"#).count(), 2);
    assert_eq!(xml.matches("<w:vMerge />").count(), 3);
    assert!(xml.contains("城东片区") && !xml.contains('\t'));
    // The caption is centred, the unit on the right.
    for (text, jc) in [("表1", "center"), ("单位：", "right")] {
        let at = xml.find(text).unwrap();
        let p = &xml[xml[..at].rfind("<w:p>").unwrap()..at];
        assert!(
            p.contains(&format!(r#"<w:jc w:val="{jc}" />"#)),
            "{text}: {p}"
        );
    }
}

/// The tab-table fixture end to end: every character reaches the PDF, one ruled table.
#[test]
fn tables_from_tabs_render_every_character_in_one_ruled_table() {
    let path = format!("{ROOT}/tests/fixtures/tab-table.txt");
    let (d, pdf) = render(&std::fs::read_to_string(&path).unwrap(), &[]);
    let report = harness::python(
        "tools/gbcheck.py",
        [pdf.to_str().unwrap(), "--json", "--expect", &path],
    );
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    for check in ["text_complete", "margin_left", "margin_right", "on_grid"] {
        assert!(
            report["checks"][check]["ok"].as_bool().unwrap(),
            "{check}: {}",
            report["checks"][check]
        );
    }
    let o = harness::python(
        "tools/structcheck.py",
        [
            "--expect",
            &format!("{ROOT}/tests/fixtures/tables.json"),
            "--case",
            "tab-table",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    // 城南片区 is written once, in the first of its three rows.
    let ls = lines(&pdf);
    let n = ls
        .iter()
        .filter(|l| l["text"].as_str().unwrap().contains("城南片区"))
        .count();
    assert_eq!(n, 1);
    // The merged cells keep the DOCX schema-valid.
    let docx = d.path().join("doc.docx");
    let check = harness::python("tools/docxcheck.py", [docx.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// A single line with a tab is no table: the render warns, naming the line.
#[test]
fn tables_need_two_tab_lines_a_lone_tab_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.txt");
    std::fs::write(
        &input,
        "关于开展检查的通知\n各单位：\n检查时间\t2024年5月\n请按时参加。\n",
    )
    .unwrap();
    let o = harness::command()
        .args([
            "render",
            input.to_str().unwrap(),
            "-o",
            dir.path().to_str().unwrap(),
            "--no-system-fonts",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("doc.txt:3") && err.contains("tab"), "{err}");
}
