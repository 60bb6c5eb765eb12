//! `gongwen explain`: each input line with what it became, as text and as JSON, for a plain-text
//! draft, a Word draft (its text) and a data file (the text its template made); warnings located
//! by line; a missing file is one error line and exit 1.

use crate::harness::{ROOT, gongwen};
use std::path::Path;
use std::process::Command;

fn json(args: &[&str]) -> serde_json::Value {
    let o = gongwen(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// (line, role) of every line of an explanation.
fn roles(v: &serde_json::Value) -> Vec<(u64, String)> {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_zhuanfa_notice_line_by_line() {
    let f = format!("{ROOT}/tests/fixtures/recognise-zhuanfa.txt");
    let o = gongwen(&["explain", &f]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    for want in [
        "   1  标题",
        "   2  主送",
        "   4  署名",
        "   5  日期",
        "   6  附注",
        "   7  附文标题",
        "  12  二级标题（接正文）",
        "  14  三级标题（接正文）",
        "  18  署名",
        "  19  日期",
    ] {
        assert!(out.contains(want), "{want}:\n{out}");
    }
    assert!(out.contains("“技能青山行动”实施方案"), "{out}");
    let v = json(&["explain", "--json", &f]);
    assert_eq!(v["kind"], "text");
    let r = roles(&v);
    assert_eq!(r.len(), 19);
    assert_eq!(r[6], (7, "附文标题".to_string()));
    assert_eq!(v["lines"][6]["element"], "enclosed_title");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);
}

#[test]
fn report_furniture_tables_colophon_and_warnings_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("draft.txt");
    std::fs::write(
        &f,
        "政府工作报告\n——在县人民代表大会上\n县长　王　刚\n各位代表：\n正文。\n2024年1月2日\n项目\t金额\n甲\t1\n正文。\n\n正文\t续。\n县人民政府\n2024年1月5日\n抄送：县委办公室。\n县政府办公室　2024年1月5日印发\n",
    )
    .unwrap();
    let v = json(&["explain", "--json", f.to_str().unwrap()]);
    let r: Vec<String> = roles(&v).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        r,
        [
            "标题",
            "副标题",
            "讲话人",
            "称谓",
            "正文",
            "正文",
            "表格 2行×2列 第1行（表头）",
            "表格 2行×2列 第2行",
            "正文",
            "正文",
            "署名",
            "日期",
            "版记（抄送）",
            "版记（印发）"
        ]
    );
    let w = v["warnings"].as_array().unwrap();
    let at: Vec<u64> = w.iter().map(|w| w["line"].as_u64().unwrap()).collect();
    assert_eq!(at, [11, 6], "{w:?}");
    assert!(w[1]["message"].as_str().unwrap().contains("署名"));
    // In the text form each warning stands under its line.
    let out = String::from_utf8(gongwen(&["explain", f.to_str().unwrap()]).stdout).unwrap();
    let after6 = out.split("\n   6  ").nth(1).unwrap();
    let next = after6.lines().nth(1).unwrap();
    assert!(
        next.trim_start().starts_with("warning:") && next.contains("署名"),
        "{out}"
    );
}

#[test]
fn a_data_file_is_explained_through_its_template() {
    let v = json(&["explain", "--json", &format!("{ROOT}/data/tongzhi.json")]);
    assert_eq!(v["kind"], "data");
    assert!(v["lines_of"].as_str().unwrap().contains("template"), "{v}");
    assert!(v["source"].as_str().unwrap().contains("tongzhi.hbs"), "{v}");
    let r = roles(&v);
    assert!(r.iter().any(|(_, r)| r == "版头（发文机关标志）"), "{r:?}");
    assert!(r.iter().any(|(_, r)| r == "标题"), "{r:?}");
    assert!(r.iter().any(|(_, r)| r == "一级标题"), "{r:?}");
}

#[test]
fn a_word_draft_is_explained_through_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("草稿.docx");
    let script = "import docx, sys\nd = docx.Document()\nfor t in ['关于开展检查的通知', '各科室：', '一、检查范围', '全县各单位。']:\n    d.add_paragraph(t)\nt = d.add_table(rows=2, cols=2)\nt.cell(0, 0).text = '时间'\nt.cell(0, 1).text = '内容'\nt.cell(1, 0).text = '三月'\nt.cell(1, 1).text = '自查'\nfor t in ['县应急管理局', '2024年3月1日']:\n    d.add_paragraph(t)\nd.save(sys.argv[1])\n";
    let o = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&["explain", "--json", path.to_str().unwrap()]);
    assert_eq!(v["kind"], "docx");
    assert!(v["lines_of"].as_str().unwrap().contains("Word"));
    let r: Vec<String> = roles(&v).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        r,
        [
            "标题",
            "主送",
            "一级标题",
            "正文",
            "表格 2行×2列 第1行（表头）",
            "表格 2行×2列 第2行",
            "署名",
            "日期"
        ]
    );
}

#[test]
fn a_missing_file_is_an_error_and_exit_1() {
    let o = gongwen(&["explain", "no-such-draft.txt"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: no-such-draft.txt: no such file"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    assert!(!Path::new("output/no-such-draft.pdf").exists());
}

#[test]
fn an_organ_line_a_split_title_and_a_date_that_signs_alone() {
    let role = |fixture: &str, line: u64| -> String {
        let v = json(&[
            "explain",
            "--json",
            &format!("{ROOT}/tests/fixtures/{fixture}.txt"),
        ]);
        // (a date in Chinese numerals is written in Arabic ones, with a warning: habits.rs)
        let warned = v["warnings"].as_array().unwrap().iter();
        let other = warned.filter(|w| !w["message"].as_str().unwrap().starts_with("the date `"));
        assert_eq!(other.count(), 0, "{fixture}: {v}");
        roles(&v)
            .into_iter()
            .find(|(n, _)| *n == line)
            .unwrap_or_else(|| panic!("{fixture}: no line {line}"))
            .1
    };
    // The enclosed 办法's organs under its title.
    assert_eq!(role("recognise-signatures", 7), "附文标题");
    assert_eq!(role("recognise-signatures", 8), "作者");
    // The enclosed 方案's title, split over lines 8 and 9 of the draft.
    assert_eq!(role("recognise-yinfa", 8), "附文标题");
    assert_eq!(role("recognise-yinfa", 9), "附文标题（续行）");
    // The 请示's date, with no organ over it, before its attachment page.
    assert_eq!(role("recognise-qingshi", 11), "日期");
    assert_eq!(role("recognise-qingshi", 13), "附件页（附件）");
}
