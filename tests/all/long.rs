//! Long content is split across pages or refused with an error, never cut (issue 9, item 3): a
//! table row taller than a page continues on the next; a 版头 or 版记 that cannot fit its page,
//! and a one-line 版头 field longer than its line, are refused in both outputs.

use crate::harness::gongwen;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tool(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (.ci/run installs it): {e}"))
}

/// `n` different-looking CJK characters, the same for every run (no two neighbours alike, so a
/// lost stretch cannot hide).
fn han(n: usize, seed: u32) -> String {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from_u32(0x4E00 + (x >> 8) % 3000).unwrap()
        })
        .collect()
}

/// Render `text` (written to `name` in a fresh folder) with the bundled fonts.
fn render(name: &str, text: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Output) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let mut args = vec![
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ];
    args.extend(extra);
    let o = gongwen(&args);
    (dir, out, o)
}

fn pdftotext(pdf: &Path) -> String {
    let o = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    String::from_utf8(o.stdout).unwrap()
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

/// A refused render: its stderr, after checking the exit code and that nothing was written.
fn refused(out: &Path, o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
    let files: Vec<_> = std::fs::read_dir(out)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(files.is_empty(), "no output when refused: {files:?}");
    err
}

#[test]
fn a_table_cell_of_10000_characters_continues_over_pages() {
    let cell = han(10_000, 1);
    let text = format!(
        "表格长行\n正文第一段。\n@表格\n序号 | 内容\n1 | {cell}\n2 | 末行\n@表格结束\n结尾一段。\n"
    );
    let (dir, out, o) = render("long-cell.txt", &text, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.join("long-cell.pdf");
    let have = pdftotext(&pdf);
    in_order(&cell, &have).unwrap();
    in_order("末行结尾一段。", &have).unwrap();
    // The header row is repeated on each page the row continues on (as w:tblHeader does).
    assert!(have.matches("内容").count() >= 3, "{have}");
    // gbcheck's own measure of the whole text.
    let expect = dir.path().join("expect.txt");
    std::fs::write(&expect, format!("表格长行正文第一段。{cell}末行结尾一段。")).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/gbcheck.py");
    let o = tool(
        "python3",
        &[
            script,
            pdf.to_str().unwrap(),
            "--json",
            "--expect",
            expect.to_str().unwrap(),
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("gbcheck: {}", String::from_utf8_lossy(&o.stderr)));
    assert_eq!(
        report["checks"]["text_complete"]["ok"], true,
        "{}",
        report["checks"]["text_complete"]
    );
    // The DOCX lets Word split the long row: no w:cantSplit on it (the header row and the
    // one-line row move whole).
    let docx = std::fs::File::open(out.join("long-cell.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(docx).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains(&cell), "the DOCX has the whole cell");
    let row = xml
        .split("<w:tr>")
        .find(|r| r.contains(&cell))
        .expect("the row");
    assert!(
        !row.contains("cantSplit"),
        "the long row may split across pages"
    );
    assert_eq!(
        xml.matches("<w:cantSplit />").count(),
        2,
        "header and short row"
    );
}

#[test]
fn a_long_header_row_and_many_tall_rows_keep_every_character() {
    // The header itself taller than a page, then rows each half a page: nothing is lost and
    // the PDF's text stays in order.
    let head = han(1500, 2);
    let rows: Vec<String> = (0..6).map(|k| han(300, 10 + k)).collect();
    let mut text = format!("表格\n@表格\n{head} | 列二\n");
    for (k, r) in rows.iter().enumerate() {
        text.push_str(&format!("{r} | {k}\n"));
    }
    text.push_str("@表格结束\n");
    let (_dir, out, o) = render("tall.txt", &text, &["--format", "pdf"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let have = pdftotext(&out.join("tall.pdf"));
    in_order(&head, &have).unwrap();
    for r in &rows {
        in_order(r, &have).unwrap();
    }
}

#[test]
fn a_colophon_taller_than_a_page_is_refused() {
    let cc: Vec<String> = (0..100)
        .map(|k| format!("{}办公室", han(8, 100 + k)))
        .collect();
    let text = format!(
        "@发文机关: 青山县人民政府\n@发文字号: 青政发〔2023〕12号\n关于长版记的通知\n正文。\n青山县人民政府\n2023年7月1日\n@抄送: {}。\n@印发机关: 青山县人民政府办公室\n@印发日期: 2023年7月1日\n",
        cc.join("，")
    );
    for format in ["pdf", "docx"] {
        let (_dir, out, o) = render("banji.txt", &text, &["--format", format]);
        let err = refused(&out, &o);
        assert!(
            err.contains("banji.txt: the 版记 takes ")
                && err.contains("more than a page holds (22)"),
            "{err}"
        );
    }
    // 20 units fit: rendered, every name in the PDF.
    let short = text.replace(&cc[20..].join("，"), "末");
    let (_dir, out, o) = render("banji.txt", &short, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    in_order(&cc[..20].join(""), &pdftotext(&out.join("banji.pdf"))).unwrap();
}

#[test]
fn fifty_joint_issuers_are_refused_and_three_fit() {
    let names: Vec<String> = (0..50).map(|k| han(14, 200 + k)).collect();
    let marks = |n: usize| {
        names[..n]
            .iter()
            .map(|s| format!("@发文机关: {s}\n"))
            .collect::<String>()
    };
    let text = format!("{}@发文字号: 青政发〔2023〕12号\n标题\n正文。\n", marks(50));
    let (_dir, out, o) = render("organs.txt", &text, &[]);
    let err = refused(&out, &o);
    assert!(
        err.contains(
            "organs.txt: the 版头 does not fit on the first page: with 50 发文机关 stacked"
        ),
        "{err}"
    );
    let text = format!("{}@发文字号: 青政发〔2023〕12号\n标题\n正文。\n", marks(3));
    let (_dir, out, o) = render("organs.txt", &text, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    in_order(&names[..3].concat(), &pdftotext(&out.join("organs.pdf"))).unwrap();
}

#[test]
fn long_masthead_fields_are_refused_short_ones_print() {
    let cases = [
        (
            "@份号",
            "0".repeat(300),
            "the 份号 (@份号) is 300 characters",
        ),
        (
            "@密级",
            han(60, 7),
            "the 密级和保密期限 (@密级) is 60 characters",
        ),
        (
            "@紧急程度",
            han(40, 8),
            "the 紧急程度 (@紧急程度) is 40 characters",
        ),
        (
            "@发文字号",
            han(40, 9),
            "the 发文字号 (@发文字号) is 40 characters",
        ),
    ];
    for (key, value, want) in cases {
        let text = format!("@发文机关: 青山县人民政府\n{key}: {value}\n标题\n正文。\n");
        let (_dir, out, o) = render("fields.txt", &text, &["--format", "docx"]);
        let err = refused(&out, &o);
        assert!(err.contains(want), "{key}: {err}");
    }
    let text = "@份号: 000018\n@密级: 秘密★1年\n@紧急程度: 特急\n@发文机关: 青山县人民政府\n@发文字号: 青政发〔2023〕12号\n@签发人: 王建国\n标题\n正文。\n";
    let (_dir, out, o) = render("fields.txt", text, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    in_order(
        "000018秘密★1年特急青山县人民政府文件青政发〔2023〕12号签发人：王建国",
        &pdftotext(&out.join("fields.pdf")),
    )
    .unwrap();
}

#[test]
fn negative_indents_in_a_layout_are_refused_naming_the_key() {
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, "标题\n正文。\n").unwrap();
    let out = dir.path().join("out");
    for key in ["first_line_chars", "left_chars"] {
        let at = base
            .find(&format!("\n{key} = "))
            .unwrap_or_else(|| panic!("{key} in the layout"));
        let end = at + 1 + base[at + 1..].find('\n').unwrap();
        let bad = format!("{}\n{key} = -50{}", &base[..at], &base[end..]);
        let layout = dir.path().join("bad.toml");
        std::fs::write(&layout, bad).unwrap();
        let o = gongwen(&[
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--layout",
            layout.to_str().unwrap(),
        ]);
        let err = refused(&out, &o);
        assert!(err.contains(key) && err.contains("-50"), "{key}: {err}");
    }
}

#[test]
fn a_masthead_name_too_long_to_read_is_refused() {
    // Shrunk to fit one line, 1,000 characters would print at 0 pt (and the PDF's advances
    // would not be numbers): refused; 30 characters print, every one in the PDF.
    let name = han(1000, 300);
    let text = format!("@发文机关: {name}\n@发文字号: 青政发〔2023〕12号\n标题\n正文。\n");
    let (_dir, out, o) = render("mark.txt", &text, &[]);
    let err = refused(&out, &o);
    assert!(
        err.contains("mark.txt: the 发文机关标志 is too long for one line: 1000 characters would print at 0.0 pt"),
        "{err}"
    );
    let short: String = name.chars().take(30).collect();
    let text = format!("@发文机关: {short}\n@发文字号: 青政发〔2023〕12号\n标题\n正文。\n");
    let (_dir, out, o) = render("mark.txt", &text, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    in_order(&short, &pdftotext(&out.join("mark.pdf"))).unwrap();
}

/// Issue 19: a table of many columns printed its characters over its rules: every column was
/// scaled alike to the page, narrower than one character. A column keeps one character and its
/// padding (the others give way), so no character of a 15-column table with long headers
/// crosses a vertical rule (the old layout crossed 4); a table of more columns than fit so goes
/// on a landscape page (issue 21), all its text there.
#[test]
fn table_columns_keep_a_character_inside_their_rules_or_go_landscape() {
    let row = |cols: usize, f: &dyn Fn(usize) -> &'static str| {
        (0..cols).map(f).collect::<Vec<_>>().join("\t")
    };
    let header = row(15, &|i| if i == 0 { "甲" } else { "长标题列" });
    let text = format!(
        "关于表格的通知\n正文。\n{header}\n{}\n",
        row(15, &|_| "数据")
    );
    let (_dir, out, o) = render("wide.txt", &text, &["--format", "pdf"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let script = r#"
import pdfplumber, sys
crossing = rules = chars = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        # a rule across the text: vertical on a portrait page, horizontal on a turned one
        turned = any(not c.get('upright', True) for c in page.chars)
        rs = page.rects + page.lines
        if turned:
            xs = [((r['top'] + r['bottom']) / 2, r['x0'], r['x1']) for r in rs
                  if r['bottom'] - r['top'] < 1.5 and r['x1'] - r['x0'] > 5]
        else:
            xs = [((r['x0'] + r['x1']) / 2, r['top'], r['bottom']) for r in rs
                  if abs(r['x1'] - r['x0']) < 1.5 and r['bottom'] - r['top'] > 5]
        rules += len(xs)
        chars += len(page.chars)
        for c in page.chars:
            a0, a1, mid = (c['top'], c['bottom'], (c['x0'] + c['x1']) / 2) if turned else (c['x0'], c['x1'], (c['top'] + c['bottom']) / 2)
            crossing += sum(1 for x, t, b in xs if a0 + 0.2 < x < a1 - 0.2 and t < mid < b)
print(rules, chars, crossing)
"#;
    let o = tool(
        "python3",
        &["-c", script, out.join("wide.pdf").to_str().unwrap()],
    );
    let counts = String::from_utf8_lossy(&o.stdout);
    let n: Vec<usize> = counts
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(
        n.len(),
        3,
        "{counts} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        n[0] >= 16 && n[1] > 80,
        "rules and characters found: {counts}"
    );
    assert_eq!(n[2], 0, "characters over a rule: {counts}");

    let header = row(30, &|_| "列");
    let text = format!(
        "关于表格的通知\n正文。\n{header}\n{}\n",
        row(30, &|_| "数据")
    );
    // Issue 21: no table is refused; 30 columns go on a landscape page, their text smaller.
    let (_dir, out, o) = render("thirty.txt", &text, &["--format", "pdf"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdftotext(&out.join("thirty.pdf"));
    assert_eq!(text.matches('列').count(), 30, "{text}");
}
