//! Word files in: a `.docx` draft made with python-docx renders with every paragraph's text in
//! order (pdftotext, gbcheck's text_complete); a renamed PNG is one clear error and no output.

use crate::harness;
use crate::harness::{ROOT, gongwen};
use std::path::Path;
use std::process::Command;

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

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A Word package built here: `body` after a title paragraph in `word/document.xml`.
fn word(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", o).unwrap();
    let doc = format!(
        r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>关于加强管理的通知</w:t></w:r></w:p>{body}</w:body></w:document>"#
    );
    z.write_all(doc.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

/// `gongwen render FILE` of `bytes`, killed after 60 s (a hang fails the test): (exit code,
/// standard error, the PDF's text if one was written).
fn render_made(bytes: Vec<u8>) -> (Option<i32>, String, Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("draft.docx");
    std::fs::write(&input, bytes).unwrap();
    let out = dir.path().join("out");
    let mut child = harness::command()
        .args([
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .arg("--no-system-fonts")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > 60 {
            child.kill().unwrap();
            panic!("render: still running after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let pdf = out.join("draft.pdf");
    let text = pdf.exists().then(|| {
        let t = Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&t.stdout).into_owned()
    });
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        text,
    )
}

#[test]
fn made_drafts_past_the_bounds_are_one_error_each_not_a_crash_a_hang_or_gigabytes() {
    let refused = |bytes: Vec<u8>, says: &str| {
        let (code, err, pdf) = render_made(bytes);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.starts_with("error: ") && err.contains(says), "{err}");
        assert!(pdf.is_none(), "no output for a refused draft");
    };
    // 30,000 nested elements (1 KB zipped): a stack overflow, exit 134, before.
    let n = 30_000;
    refused(
        word(&format!("{}{}", "<x>".repeat(n), "</x>".repeat(n))),
        "elements nested more than 256 deep",
    );
    // 10,000 nested tables: the same abort before.
    let n = 10_000;
    refused(
        word(&format!(
            "{}{}",
            "<w:tbl><w:tr><w:tc>".repeat(n),
            "<w:p/></w:tc></w:tr></w:tbl>".repeat(n)
        )),
        "elements nested more than 256 deep",
    );
    // gridSpan 64 in 500 cells × 200 rows (32 KB zipped): more than 60 s before.
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc>"#;
    refused(
        word(&format!(
            "<w:tbl>{}</w:tbl>",
            format!("<w:tr>{}</w:tr>", cell.repeat(500)).repeat(200)
        )),
        "a table row has 32000 columns, more than 63",
    );
    // 300,000 one-character paragraphs (32 KB zipped): 759 MB for render before.
    refused(
        word(&"<w:p><w:r><w:t>字</w:t></w:r></w:p>".repeat(300_000)),
        "the draft has more than 100000 paragraphs",
    );
}

#[test]
fn rubies_symbols_page_breaks_and_hidden_text_reach_the_pdf_as_written() {
    let body = concat!(
        // 拼音指南 on 贮: "注音存" before.
        r#"<w:p><w:r><w:t>一、注音</w:t></w:r><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt>"#,
        r#"<w:rubyBase><w:r><w:t>贮</w:t></w:r></w:rubyBase></w:ruby></w:r><w:r><w:t>存</w:t></w:r></w:p>"#,
        // A Symbol-font ±: dropped before.
        r#"<w:p><w:r><w:t>误差</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F0B1"/></w:r><w:r><w:t>五毫米。</w:t></w:r></w:p>"#,
        // Text after a page break: joined to the paragraph before.
        r#"<w:p><w:r><w:t>上一页的末段。</w:t></w:r><w:r><w:br w:type="page"/><w:t>二、下一页的标题</w:t></w:r></w:p>"#,
        // Hidden text: printed before.
        r#"<w:p><w:r><w:t>正文。</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>内部备注勿印</w:t></w:r></w:p>"#,
    );
    let (code, err, pdf) = render_made(word(body));
    assert_eq!(code, Some(0), "{err}");
    let pdf: String = pdf.unwrap().split_whitespace().collect();
    assert!(pdf.contains("一、注音贮存"), "{pdf}");
    assert!(pdf.contains("误差±五毫米"), "{pdf}");
    assert!(!pdf.contains("内部备注"), "{pdf}");
    assert!(
        err.contains("draft.docx:paragraph 5: hidden text (隐藏文字) left out: \"内部备注勿印\""),
        "{err}"
    );
    // The text after the page break is its own paragraph: a heading, not the end of a sentence.
    let (_, explained, _) = {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("draft.docx");
        std::fs::write(&input, word(body)).unwrap();
        let o = gongwen(&["explain", input.to_str().unwrap()]);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            (),
        )
    };
    let line = explained
        .lines()
        .find(|l| l.contains("二、下一页的标题"))
        .unwrap_or_else(|| panic!("{explained}"));
    assert!(!line.contains("上一页的末段"), "{explained}");
}

/// Our own DOCX of a 信函, a 纪要 and a 述职报告 (their data name the layout) renders back in its
/// own layout without `--layout`: the DOCX records it (`docProps/custom.xml`, a bundled name
/// only), and the PDF made from the DOCX has every line where the first has it.
#[test]
fn our_docx_keeps_its_layout_when_rendered_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let again = dir.path().join("again");
    for (data, layout) in [
        ("han", "xinhan"),
        ("jiyao", "jiyao"),
        ("shuzhi-2023", "report"),
    ] {
        let input = format!("{ROOT}/data/{data}.yaml");
        let o = gongwen(&[
            "render",
            &input,
            "-o",
            first.to_str().unwrap(),
            "--no-system-fonts",
        ]);
        assert!(o.status.success(), "{}", harness::stderr(&o));
        let docx = first.join(format!("{data}.docx"));
        let props = harness::docx_part(&docx, "docProps/custom.xml");
        assert!(
            props.contains(&format!(
                r#"name="gongwen.layout"><vt:lpwstr>{layout}</vt:lpwstr>"#
            )),
            "{props}"
        );
        let o = gongwen(&[
            "render",
            docx.to_str().unwrap(),
            "-o",
            again.to_str().unwrap(),
            "--format",
            "pdf",
            "--no-system-fonts",
        ]);
        assert!(o.status.success(), "{}", harness::stderr(&o));
        // Every line with its page, baseline, x, face and size (tests/support/pdflines.py).
        let lines = |pdf: std::path::PathBuf| {
            let o = harness::python("support/pdflines.py", [pdf.to_str().unwrap()]);
            assert!(o.status.success(), "{}", harness::stderr(&o));
            String::from_utf8(o.stdout).unwrap()
        };
        let a = lines(first.join(format!("{data}.pdf")));
        let b = lines(again.join(format!("{data}.pdf")));
        assert!(a.len() > 1000, "{a}");
        assert_eq!(a, b, "{data}: rendered again from its DOCX");
    }
}

/// A batch over a folder finds each draft's layout as `render` does when the command line names
/// none: a 令 typed as a clerk types it goes in the `ling` layout, our DOCX of a 信函 in `xinhan`
/// (its recorded layout); every line of each PDF is where `render` puts it.
#[test]
fn a_batch_folder_sets_each_draft_in_the_layout_it_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("drafts");
    let alone = dir.path().join("alone");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        format!("{ROOT}/tests/fixtures/kinds/mingling.txt"),
        folder.join("mingling.txt"),
    )
    .unwrap();
    let input = format!("{ROOT}/data/han.yaml");
    let o = gongwen(&[
        "render",
        &input,
        "-o",
        alone.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", harness::stderr(&o));
    std::fs::copy(alone.join("han.docx"), folder.join("han.docx")).unwrap();
    let batch = dir.path().join("batch");
    batch_folder(&folder, &batch);
    let lines = |pdf: std::path::PathBuf| {
        let o = harness::python("support/pdflines.py", [pdf.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{}: {}",
            pdf.display(),
            harness::stderr(&o)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    for stem in ["mingling", "han"] {
        let src = folder.join(if stem == "han" {
            "han.docx"
        } else {
            "mingling.txt"
        });
        let one = dir.path().join("one");
        let o = gongwen(&[
            "render",
            src.to_str().unwrap(),
            "-o",
            one.to_str().unwrap(),
            "--format",
            "pdf",
            "--no-system-fonts",
        ]);
        assert!(o.status.success(), "{}", harness::stderr(&o));
        let want = lines(one.join(format!("{stem}.pdf")));
        assert!(want.len() > 1000, "{want}");
        assert_eq!(lines(batch.join(format!("{stem}.pdf"))), want, "{stem}");
    }
}
