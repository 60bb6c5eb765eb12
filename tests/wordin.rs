//! Word files in: a `.docx` draft made with python-docx renders with every paragraph's text in
//! order (pdftotext, gbcheck's text_complete); a renamed PNG is one clear error and no output.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn gongwen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .expect("run gongwen")
}

/// The draft's paragraphs, in order (the table's cells come between 二、's text and 署名).
const TITLE: &str = "关于做好2024年度安全生产工作的通知";
const MAIN_TO: &str = "各区县人民政府，市政府各部门：";
const BODY: &[&str] = &[
    "为切实做好本年度安全生产工作，现将有关事项通知如下。",
    "一、提高思想认识",
    "各单位要充分认识安全生产工作的重要性和紧迫性。",
    "（一）压实工作责任",
    "主要负责人是本单位安全生产第一责任人，要亲自部署、亲自检查。",
    "二、加强隐患排查",
    "各单位要按下表安排开展隐患排查，确保不留死角。",
];
const TABLE: [[&str; 3]; 3] = [
    ["时间", "内容", "责任单位"],
    ["三月", "全面自查", "各区县"],
    ["六月", "重点抽查", "市应急局"],
];
const AFTER: &[&str] = &["特此通知。"];
const SIGNER: &str = "某某市人民政府办公室";
const DATE: &str = "2024年3月1日";

fn make_docx(path: &Path) {
    let mut script = String::from("import docx, sys\nd = docx.Document()\n");
    let mut para = |t: &str| script.push_str(&format!("d.add_paragraph({t:?})\n"));
    para(TITLE);
    para(MAIN_TO);
    for p in BODY {
        para(p);
    }
    script.push_str("t = d.add_table(rows=3, cols=3)\n");
    for (r, row) in TABLE.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            script.push_str(&format!("t.cell({r}, {c}).text = {cell:?}\n"));
        }
    }
    for p in AFTER.iter().chain(&[SIGNER, DATE]) {
        script.push_str(&format!("d.add_paragraph({p:?})\n"));
    }
    // A header and a comment-like deleted run must not come through: a header is another part.
    script.push_str("d.sections[0].header.paragraphs[0].text = '页眉不应出现'\n");
    script.push_str("d.save(sys.argv[1])\n");
    let o = Command::new("python3")
        .args(["-c", &script, path.to_str().unwrap()])
        .output()
        .expect("run python3");
    assert!(
        o.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_word_draft_renders_with_every_paragraph_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("通知.docx");
    make_docx(&input);
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(
        o.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pdf = out.join("通知.pdf");
    assert!(pdf.is_file() && out.join("通知.docx").is_file());

    let text = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("run pdftotext");
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let got = squeeze(&String::from_utf8_lossy(&text.stdout));
    let mut expected: Vec<String> = vec![TITLE.into(), MAIN_TO.into()];
    expected.extend(BODY.iter().map(|s| s.to_string()));
    expected.extend(TABLE.iter().flatten().map(|s| s.to_string()));
    expected.extend(AFTER.iter().map(|s| s.to_string()));
    expected.extend([SIGNER.to_string(), DATE.to_string()]);
    let mut at = 0;
    for want in &expected {
        let w = squeeze(want);
        match got[at..].find(&w) {
            Some(i) => at += i + w.len(),
            None => panic!("'{want}' missing or out of order in the PDF text:\n{got}"),
        }
    }
    assert!(!got.contains("页眉不应出现"), "the header came through");

    let expect = dir.path().join("expect.txt");
    std::fs::write(&expect, expected.join("\n")).unwrap();
    let o = Command::new("python3")
        .args([
            &format!("{ROOT}/tests/tools/gbcheck.py"),
            pdf.to_str().unwrap(),
            "--json",
            "--expect",
            expect.to_str().unwrap(),
        ])
        .output()
        .expect("run gbcheck");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let complete = &report["checks"]["text_complete"];
    assert_eq!(complete["ok"], serde_json::Value::Bool(true), "{complete}");
}

#[test]
fn a_renamed_png_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("draft.docx");
    std::fs::write(&input, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01").unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("draft.docx") && err.contains("PNG"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(!out.join("draft.pdf").exists() && !out.join("draft.docx").exists());
}

#[test]
fn a_zip_without_a_document_or_rendered_over_itself_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("empty.docx");
    {
        let f = std::fs::File::create(&input).unwrap();
        let mut z = zip::ZipWriter::new(f);
        z.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, b"hi").unwrap();
        z.finish().unwrap();
    }
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("word/document.xml"), "{err}");

    // Rendering a draft into its own folder must not overwrite it with the output DOCX.
    let draft = dir.path().join("draft.docx");
    make_docx(&draft);
    let before = std::fs::read(&draft).unwrap();
    let o = gongwen(&[
        "render",
        draft.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("overwrite"), "{err}");
    assert_eq!(std::fs::read(&draft).unwrap(), before);
}

fn batch_folder(folder: &Path, out: &Path) -> String {
    let o = gongwen(&[
        "batch",
        folder.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{said}");
    said
}

#[test]
fn a_batch_folder_takes_text_and_word_drafts_and_rebuilds_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("drafts");
    std::fs::create_dir(&folder).unwrap();
    make_docx(&folder.join("通知.docx"));
    let txt = folder.join("报告.txt");
    let report =
        "关于某项工作的报告\n市政府：\n现将有关情况报告如下。\n特此报告。\n某某局\n2024年3月1日\n";
    std::fs::write(&txt, report).unwrap();
    let out = dir.path().join("out");

    let said = batch_folder(&folder, &out);
    assert!(said.contains("2 made, 0 unchanged, 0 failed"), "{said}");
    for f in ["通知.pdf", "通知.docx", "报告.pdf", "报告.docx"] {
        assert!(out.join(f).is_file(), "{f} missing: {said}");
    }
    let text = Command::new("pdftotext")
        .args([out.join("通知.pdf").to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("市应急局"));

    let said = batch_folder(&folder, &out);
    assert!(said.contains("0 made, 2 unchanged, 0 failed"), "{said}");

    // An edited draft is rebuilt, the other is not.
    std::fs::write(&txt, report.replace("有关情况", "有关工作情况")).unwrap();
    let said = batch_folder(&folder, &out);
    assert!(said.contains("1 made, 1 unchanged, 0 failed"), "{said}");
    let text = Command::new("pdftotext")
        .args([out.join("报告.pdf").to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("有关工作情况"));
}
