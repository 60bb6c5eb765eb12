//! The command line: bad input gets one `error:` line, a non-zero exit and no output file;
//! fonts, layouts and characters no font has.

use crate::harness;
use crate::harness::gongwen;
use std::path::Path;
use std::process::Command;

fn render_err(input: &str, out: &Path) -> String {
    let o = gongwen(&[
        "render",
        input,
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(!o.status.success(), "expected failure for {input}");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.starts_with("error: "), "{err}");
    err
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn bad_input_is_one_error_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("nope.txt");
    let err = render_err(missing.to_str().unwrap(), &out);
    assert!(err.contains("nope.txt: no such file"), "{err}");
    let err = render_err(dir.path().to_str().unwrap(), &out);
    assert!(err.contains("is a directory"), "{err}");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    assert!(render_err(empty.to_str().unwrap(), &out).contains("empty.txt: the file is empty"));
    let bad = dir.path().join("bad.txt");
    let mut bytes = "述职报告\n".as_bytes().to_vec();
    bytes.extend([0x80, 0xff, 0xfe]);
    std::fs::write(&bad, bytes).unwrap();
    let err = render_err(bad.to_str().unwrap(), &out);
    assert!(
        err.contains("bad.txt: cannot decode") && err.contains("offset 13"),
        "{err}"
    );
    assert!(err.contains("\nhint: "), "{err}");
    assert!(
        files_in(&out).is_empty(),
        "no output for bad input: {:?}",
        files_in(&out)
    );
}

#[test]
fn unwritable_output_folder_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, "标题\n正文。\n").unwrap();
    // A path below a regular file cannot be a folder (chmod does not stop root).
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let err = render_err(input.to_str().unwrap(), &blocker.join("out"));
    assert!(err.contains("cannot create the output folder"), "{err}");
    assert_eq!(files_in(dir.path()).len(), 2);
}

#[test]
fn gbk_input_renders() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("gbk.txt");
    let (bytes, _, _) =
        encoding_rs::GBK.encode("关于开展检查的通知\n各单位：\n现将有关事项通知如下。\n");
    std::fs::write(&input, bytes).unwrap();
    let o = gongwen(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = Command::new("pdftotext")
        .args([dir.path().join("gbk.pdf").to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8(text.stdout).unwrap().contains("各单位："));
}

#[test]
fn a_character_no_font_has_is_a_warning_or_under_strict_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rare.txt");
    std::fs::write(&input, "标题\n正文\n张𪚥同志。\n").unwrap();
    let args = [
        "render",
        input.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ];
    let o = gongwen(&args);
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("rare.txt:3: no font has the character '𪚥' (U+2A6A5)"),
        "{err}"
    );
    let strict = dir.path().join("strict");
    let o = gongwen(
        &[
            &args[..4],
            &[strict.to_str().unwrap(), "--no-system-fonts", "--strict"],
        ]
        .concat(),
    );
    assert!(!o.status.success());
    assert!(String::from_utf8(o.stderr).unwrap().starts_with("error: "));
    assert!(files_in(&strict).is_empty());
}

#[test]
fn fonts_command_names_the_file_for_each_face() {
    let o = gongwen(&["fonts", "--no-system-fonts"]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    for (face, file) in [
        ("仿宋_GB2312", "FandolFang-Regular.otf"),
        ("黑体", "FandolHei-Regular.otf"),
        ("楷体_GB2312", "FandolKai-Regular.otf"),
        ("宋体", "FandolSong-Regular.otf"),
        ("方正小标宋简体", "FandolSong-Bold.otf"),
    ] {
        assert!(
            s.lines().any(|l| l.contains(face) && l.contains(file)),
            "{face} → {file} in:\n{s}"
        );
    }
}

#[test]
fn a_house_layout_is_a_file_edit() {
    // Centred page numbers and a 28 pt pitch: one edited copy of the bundled layout.
    let dir = tempfile::tempdir().unwrap();
    let bundled =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml"))
            .unwrap();
    let house = bundled
        .replace(r#"placement = "outside""#, r#"placement = "center""#)
        .replace("line_pitch_pt = 28.95", "line_pitch_pt = 28.0");
    let layout = dir.path().join("house.toml");
    std::fs::write(&layout, house).unwrap();
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shuzhi-report.txt");
    let out = dir.path().to_str().unwrap();
    let o = gongwen(&[
        "render",
        input,
        "-o",
        out,
        "--layout",
        layout.to_str().unwrap(),
        "--no-system-fonts",
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines = Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pdflines.py"),
            &format!("{out}/shuzhi-report.pdf"),
        ])
        .output()
        .unwrap();
    let lines: serde_json::Value = serde_json::from_slice(&lines.stdout).unwrap();
    let lines = lines.as_array().unwrap();
    let centre = (28.0 + 78.0) * 72.0 / 25.4;
    for n in lines.iter().filter(|l| l["size"] == 14.0) {
        let mid = (n["x0"].as_f64().unwrap() + n["x1"].as_f64().unwrap()) / 2.0;
        assert!((mid - centre).abs() < 1.0, "page number not centred: {n}");
    }
    let body: Vec<f64> = lines
        .iter()
        .filter(|l| l["size"] == 16.0 && l["page"] == 2)
        .map(|l| l["baseline"].as_f64().unwrap())
        .collect();
    assert!(
        (body[1] - body[0] - 28.0).abs() < 0.01,
        "pitch {}",
        body[1] - body[0]
    );
    // An impossible value is refused, naming the key.
    std::fs::write(&layout, bundled.replace("chars = 28", "chars = 0")).unwrap();
    let o = gongwen(&[
        "render",
        input,
        "-o",
        out,
        "--layout",
        layout.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8(o.stderr).unwrap().contains("grid.chars"));
}

#[test]
fn keep_with_next_in_a_layout_moves_a_heading_off_the_last_line() {
    // On the seed, 二、 would fall on grid line 22 of page 1; the bundled layout keeps headings
    // with the next line and moves it to page 2; a house layout that turns it off leaves it.
    let dir = tempfile::tempdir().unwrap();
    let bundled =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml"))
            .unwrap();
    let house = bundled.replace("keep_with_next = true     #", "keep_with_next = false    #");
    assert_ne!(house, bundled);
    let layout = dir.path().join("nokeep.toml");
    std::fs::write(&layout, house).unwrap();
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shuzhi-report.txt");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pdflines.py");
    let first_of_page2 = |layout: Option<&str>| {
        let out = dir
            .path()
            .join(if layout.is_some() { "keep" } else { "plain" });
        let mut args = vec![
            "render",
            input,
            "-o",
            out.to_str().unwrap(),
            "--format",
            "pdf",
            "--no-system-fonts",
        ];
        if let Some(l) = layout {
            args.extend(["--layout", l]);
        }
        assert!(gongwen(&args).status.success());
        let o = Command::new("python3")
            .args([script, out.join("shuzhi-report.pdf").to_str().unwrap()])
            .output()
            .unwrap();
        let lines: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let on_page = |p: u64| {
            lines
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["page"] == p && l["size"] == 16.0)
                .count()
        };
        let first = lines
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["page"] == 2)
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        (first, on_page(1))
    };
    let (keep_first, keep_lines) = first_of_page2(None);
    let (plain_first, plain_lines) = first_of_page2(Some(layout.to_str().unwrap()));
    assert!(plain_first.starts_with("1.建立"), "{plain_first}");
    assert!(keep_first.starts_with("二、以身作则"), "{keep_first}");
    assert_eq!(keep_lines + 1, plain_lines);
}

/// Issue 19: `gongwen layouts` read every `*.toml` of the working folder, and a FIFO named
/// `x.toml` blocked it for good. Only regular files are opened: the listing ends at once, with
/// the folder's layout and without the FIFO.
#[test]
fn layouts_skips_a_fifo_named_like_a_layout() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = std::ffi::CString::new(dir.path().join("x.toml").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::fs::write(dir.path().join("house.toml"), "base = \"gbt9704\"\n").unwrap();
    let mut child = harness::command()
        .arg("layouts")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("gongwen layouts still running after 60 s (blocked on the FIFO)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("./house.toml"), "{out}");
    assert!(!out.contains("x.toml"), "{out}");
}

#[test]
fn json_diagnostics_keep_their_location_text_and_add_its_numbers_and_a_key() {
    // Issue 20: locations are numbers inside; `--json` keeps `location` as it was printed and
    // adds `line` (and `col` when known) and the message's `key`.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.txt");
    std::fs::write(
        &draft,
        "关于开展检查的通知\n\n各单位：\n\n请于XX月前报送。\n\n办公室\n2024年3月1日\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        draft.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--json",
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &j["warnings"][0];
    assert_eq!(w["location"], format!("{}:5", draft.display()), "{j}");
    assert_eq!(w["line"], 5, "{j}");
    assert!(w.get("col").is_none(), "{j}");
    assert_eq!(w["key"], "generic", "{j}");

    // An error without a line: its file only.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let o = gongwen(&["render", empty.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = &j["errors"][0];
    assert_eq!(e["location"], empty.display().to_string(), "{j}");
    assert!(e.get("line").is_none(), "{j}");
    assert_eq!(e["key"], "generic", "{j}");
}
