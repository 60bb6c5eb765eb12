//! The command line as scripts use it (issue 10, item 5): standard input and output, `--json`,
//! `--quiet`, exit codes, examples in `--help`; and discovery (item 3): `gongwen layouts`,
//! `gongwen new`, a layout that names a `base` and changes one value.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::harness;
use crate::harness::{ROOT, gongwen_with, pdftotext};
use serde_json::Value;

/// A short notice: title, 主送, a body line with a placeholder (a warning at line 3).
const DRAFT: &str = "关于开展安全检查的通知\n各乡镇人民政府：\n请于XX日前报送检查情况。\n";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn standard_input_renders_to_a_pdf_whose_text_matches() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen_with(
        dir.path(),
        &[
            "render",
            "-",
            "--name",
            "通知",
            "-o",
            "out",
            "--no-system-fonts",
        ],
        Some(DRAFT.as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(&dir.path().join("out")), ["通知.docx", "通知.pdf"]);
    let text: String = pdftotext(&dir.path().join("out/通知.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for line in DRAFT.lines() {
        assert!(text.contains(line), "{line} not in {text}");
    }
    // Warnings name standard input and the line.
    assert!(
        stderr(&o).contains("warning: <stdin>:3: placeholder 'XX'"),
        "{}",
        stderr(&o)
    );
    // Without --name: document.pdf; GBK on standard input is read as a file would be.
    let (gbk, _, _) = encoding_rs::GBK.encode(DRAFT);
    let o = gongwen_with(
        dir.path(),
        &[
            "render",
            "-",
            "-o",
            "gbk",
            "--format",
            "pdf",
            "--no-system-fonts",
        ],
        Some(&gbk),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdftotext(&dir.path().join("gbk/document.pdf")).contains("各乡镇人民政府："));
    // Data on standard input, through the template it names.
    let data = std::fs::read(format!("{ROOT}/data/tongzhi.json")).unwrap();
    let o = gongwen_with(
        dir.path(),
        &[
            "render",
            "-",
            "-o",
            "data",
            "--format",
            "pdf",
            "--no-system-fonts",
        ],
        Some(&data),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("data/document.pdf").exists());
}

#[test]
fn dash_o_dash_writes_one_valid_pdf_to_standard_output_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), DRAFT).unwrap();
    let o = gongwen_with(
        dir.path(),
        &[
            "render",
            "draft.txt",
            "-o",
            "-",
            "--format",
            "pdf",
            "--no-system-fonts",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        o.stdout.trim_ascii_end().ends_with(b"%%EOF"),
        "something after the PDF"
    );
    let pdf = dir.path().join("got.pdf");
    std::fs::write(&pdf, &o.stdout).unwrap();
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(pdftotext(&pdf).contains("关于开展安全检查的通知"));
    // No output folder was made; the warning went to standard error.
    assert_eq!(files_in(dir.path()), ["draft.txt", "got.pdf"]);
    assert!(stderr(&o).contains("placeholder"), "{}", stderr(&o));
    // Standard input to standard output, the DOCX: a zip with the document part.
    let o = gongwen_with(
        dir.path(),
        &[
            "render",
            "-",
            "-o",
            "-",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
        Some(DRAFT.as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let zip = zip::ZipArchive::new(std::io::Cursor::new(o.stdout)).expect("a DOCX on stdout");
    let mut zip = zip;
    assert!(zip.by_name("word/document.xml").is_ok());
}

#[test]
fn json_lists_files_pages_and_warnings_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), DRAFT).unwrap();
    let o = gongwen_with(
        dir.path(),
        &["render", "draft.txt", "--json", "--no-system-fonts"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let j: Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(j["files"][0]["path"], "output/draft.pdf");
    assert_eq!(j["files"][0]["pages"], 1);
    assert_eq!(j["files"][1]["path"], "output/draft.docx");
    assert_eq!(j["files"][1]["pages"], Value::Null);
    assert_eq!(j["warnings"][0]["location"], "draft.txt:3");
    assert_eq!(
        j["warnings"][0]["message"],
        "placeholder 'XX' left in the text (1×)"
    );
    assert_eq!(j["errors"], serde_json::json!([]));

    // An error is in the JSON too, with its hints, and the exit code is 1.
    std::fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    let o = gongwen_with(dir.path(), &["render", "empty.txt", "--json"], None);
    assert_eq!(o.status.code(), Some(1));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["files"], serde_json::json!([]));
    assert_eq!(j["errors"][0]["location"], "empty.txt");
    assert_eq!(j["errors"][0]["message"], "the file is empty");
    assert!(j["errors"][0]["hints"][0].is_string(), "{j}");

    // A batch: every row with its status, files and messages; one bad row.
    std::fs::write(dir.path().join("t.hbs"), "{{标题}}\n{{正文}}XX\n").unwrap();
    std::fs::write(
        dir.path().join("rows.jsonl"),
        "{\"标题\": \"关于甲的通知\", \"正文\": \"甲。\"}\n{\"标题\": \"关于乙的通知\"}\n",
    )
    .unwrap();
    let o = gongwen_with(
        dir.path(),
        &[
            "batch",
            "rows.jsonl",
            "--template",
            "./t.hbs",
            "--format",
            "pdf",
            "--json",
            "--no-system-fonts",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j: Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(
        (j["made"].as_u64(), j["failed"].as_u64()),
        (Some(1), Some(1))
    );
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows[0]["status"], "made");
    assert_eq!(rows[0]["files"][0]["path"], "output/line-1.pdf");
    assert_eq!(rows[0]["files"][0]["pages"], 1);
    assert!(
        rows[0]["warnings"][0]["location"]
            .as_str()
            .unwrap()
            .starts_with("rows.jsonl:line 1"),
        "{j}"
    );
    assert!(
        rows[0]["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("placeholder 'XX'")
    );
    assert_eq!(rows[1]["status"], "failed");
    assert!(
        rows[1]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("正文"),
        "{j}"
    );
    assert_eq!(j["files"].as_array().unwrap().len(), 1);
    assert_eq!(j["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), DRAFT).unwrap();
    let o = gongwen_with(
        dir.path(),
        &["render", "draft.txt", "--quiet", "--no-system-fonts"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The draft has a placeholder: a warning, not shown under --quiet.
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", stderr(&o));
    assert!(dir.path().join("output/draft.pdf").exists());
    std::fs::write(dir.path().join("t.hbs"), "{{标题}}\n{{正文}}XX\n").unwrap();
    std::fs::write(
        dir.path().join("rows.jsonl"),
        "{\"标题\": \"关于甲的通知\", \"正文\": \"甲。\"}\n",
    )
    .unwrap();
    let o = gongwen_with(
        dir.path(),
        &[
            "batch",
            "rows.jsonl",
            "--template",
            "./t.hbs",
            "-o",
            "b",
            "-q",
            "--no-system-fonts",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", stderr(&o));
    assert!(dir.path().join("b/line-1.pdf").exists());
    // An error still shows.
    let o = gongwen_with(dir.path(), &["render", "nope.txt", "--quiet"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: nope.txt: no such file"));
}

#[test]
fn exit_codes_are_0_done_1_errors_2_usage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), DRAFT).unwrap();
    let code = |args: &[&str]| gongwen_with(dir.path(), args, None).status.code();
    assert_eq!(
        code(&[
            "render",
            "draft.txt",
            "--format",
            "docx",
            "--no-system-fonts"
        ]),
        Some(0)
    );
    assert_eq!(code(&["render", "missing.txt"]), Some(1));
    assert_eq!(
        code(&["render", "draft.txt", "--layout", "nolayout"]),
        Some(1)
    );
    assert_eq!(code(&["render", "draft.txt", "--no-such-option"]), Some(2));
    assert_eq!(code(&["render"]), Some(2));
    assert_eq!(code(&["frobnicate"]), Some(2));
    // Options that do not go together: usage errors, nothing written.
    let o = gongwen_with(dir.path(), &["render", "draft.txt", "-o", "-"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format pdf"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(
        code(&[
            "render",
            "draft.txt",
            "-o",
            "-",
            "--format",
            "pdf",
            "--json"
        ]),
        Some(2)
    );
    assert_eq!(code(&["render", "draft.txt", "--json", "--quiet"]), Some(2));
    assert_eq!(code(&["render", "draft.txt", "--name", "x"]), Some(2));
    assert!(!dir.path().join("x.pdf").exists());
    // (130, an interrupted batch, is tested in tests/all/batch.rs.)
}

#[test]
fn help_lists_exit_codes_and_each_subcommand_ends_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen_with(dir.path(), &["--help"], None);
    let top = String::from_utf8(o.stdout).unwrap();
    for want in ["Exit codes:", "  2    usage", "  130  interrupted"] {
        assert!(top.contains(want), "{want} not in {top}");
    }
    for sub in ["render", "batch", "fonts", "layouts", "new"] {
        let o = gongwen_with(dir.path(), &[sub, "--help"], None);
        assert!(o.status.success());
        let help = String::from_utf8(o.stdout).unwrap();
        let tail = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("no examples in `gongwen {sub} --help`:\n{help}"));
        // Every example line is a command of this subcommand (or a comment-free continuation).
        let lines: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines.len() >= 2, "{sub}: {tail}");
        assert!(
            lines
                .iter()
                .any(|l| l.trim_start().starts_with(&format!("gongwen {sub}"))),
            "{sub}: {tail}"
        );
    }
}

#[test]
fn layouts_lists_bundled_and_working_folder_layouts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("house.toml"),
        "base = \"gbt9704\"\ndescription = \"县政府办 house style\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let o = gongwen_with(dir.path(), &["layouts"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    for name in [
        "gbt9704",
        "jiyao",
        "ling",
        "report",
        "xinhan",
        "./house.toml",
    ] {
        let i = lines
            .iter()
            .position(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"));
        // The next line is its file.
        let file = lines[i + 1].trim();
        assert!(
            Path::new(file).is_file() || dir.path().join(file).is_file(),
            "{file}"
        );
    }
    assert!(out.contains("文件格式 (GB/T 9704-2012 7)"), "{out}");
    assert!(out.contains("县政府办 house style"), "{out}");
    assert!(!out.contains("Cargo"), "{out}");
    let o = gongwen_with(dir.path(), &["layouts", "--json"], None);
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    let house = j
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "./house.toml")
        .unwrap();
    assert_eq!(house["base"], "gbt9704");
    assert_eq!(house["error"], Value::Null);
}

#[test]
fn new_writes_a_layout_and_a_template_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen_with(
        dir.path(),
        &["new", "layout", "house", "--from", "gbt9704"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("wrote ./house.toml"), "{out}");
    assert!(out.contains("--layout ./house.toml"), "{out}");
    let text = std::fs::read_to_string(dir.path().join("house.toml")).unwrap();
    assert!(text.contains("\nbase = \"gbt9704\"\n"), "{text}");
    // The usual keys are there, commented, with the base's values.
    assert!(text.contains("# line_pitch_pt = 28.95"), "{text}");
    assert!(text.contains("# size_pt = 16.0"), "{text}");
    // It loads as it is, and with a value uncommented.
    let o = gongwen_with(
        dir.path(),
        &["fonts", "--layout", "./house.toml", "--no-system-fonts"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Never overwritten.
    std::fs::write(dir.path().join("house.toml"), "mine").unwrap();
    let o = gongwen_with(dir.path(), &["new", "layout", "house"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("house.toml: already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("house.toml")).unwrap(),
        "mine"
    );

    let o = gongwen_with(
        dir.path(),
        &["new", "template", "述职", "--from", "shuzhi"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("--template ./述职.hbs")
    );
    assert_eq!(
        std::fs::read(dir.path().join("述职.hbs")).unwrap(),
        std::fs::read(format!("{ROOT}/layouts/templates/shuzhi.hbs")).unwrap()
    );
    let o = gongwen_with(
        dir.path(),
        &["new", "template", "述职", "--from", "shuzhi"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let o = gongwen_with(
        dir.path(),
        &["new", "template", "x", "--from", "nosuch"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.path().join("x.hbs").exists());
    let o = gongwen_with(dir.path(), &["new", "layout", "../escape"], None);
    assert_eq!(o.status.code(), Some(1));
}

/// Body lines of a PDF with their size (tests/support/pdflines.py, pdfplumber).
fn line_sizes(pdf: &Path) -> Vec<(String, f64)> {
    let o = harness::python("support/pdflines.py", [pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["text"].as_str().unwrap().to_string(),
                l["size"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_layout_with_a_base_changes_one_value_and_renders_with_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), DRAFT).unwrap();
    std::fs::write(
        dir.path().join("house.toml"),
        "base = \"gbt9704\"\n[elements.body]\nsize_pt = 14.0\n",
    )
    .unwrap();
    let size_of_body = |args: &[&str]| {
        let mut all = vec![
            "render",
            "draft.txt",
            "--format",
            "pdf",
            "--no-system-fonts",
        ];
        all.extend(args);
        let o = gongwen_with(dir.path(), &all, None);
        assert!(o.status.success(), "{}", stderr(&o));
        let lines = line_sizes(&dir.path().join("output/draft.pdf"));
        let body = lines.iter().find(|(t, _)| t.starts_with("请于")).unwrap();
        let title = lines.iter().find(|(t, _)| t.starts_with("关于")).unwrap();
        (body.1, title.1)
    };
    assert_eq!(size_of_body(&[]), (16.0, 22.0));
    // Only the body changed; the title keeps the base's 22 pt.
    assert_eq!(size_of_body(&["--layout", "./house.toml"]), (14.0, 22.0));

    // A partial file without base: the missing key is named, with the hint.
    std::fs::write(
        dir.path().join("part.toml"),
        "[elements.body]\nsize_pt = 14.0\n",
    )
    .unwrap();
    let o = gongwen_with(
        dir.path(),
        &["render", "draft.txt", "--layout", "./part.toml"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("part.toml: missing key `"), "{err}");
    assert!(
        err.contains("hint: ") && err.contains("base = \"gbt9704\""),
        "{err}"
    );
    // A range check applies to the merged result.
    std::fs::write(
        dir.path().join("bad.toml"),
        "base = \"gbt9704\"\n[elements.body]\nsize_pt = 2.0\n",
    )
    .unwrap();
    let o = gongwen_with(
        dir.path(),
        &["render", "draft.txt", "--layout", "./bad.toml"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("elements.body.size_pt: 2 is out of range"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_interrupted_render_exits_130() {
    // `render -` waiting for standard input that never ends: Ctrl-C (SIGINT) stops it with 130,
    // as shells expect, and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    let mut child = harness::command()
        .args(["render", "-", "-o", "out"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _stdin = child.stdin.take();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(!dir.path().join("out").exists());
}
