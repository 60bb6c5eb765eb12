//! Limits and locks (issue 9): inputs larger than `--max-input-mb` and inputs that are not
//! regular files are refused at once; a second batch into a folder in use stops with a clear
//! error, and a lock left by an ended run never blocks the next; small messages that once
//! read badly (`cn_date 1e300`, `h1` of a huge index, a `doc_no` year "x", damaged fonts).

use crate::harness;
use crate::harness::gongwen_within;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn gongwen_in(dir: &Path, args: &[&str]) -> Output {
    // Refused inputs are refused at once: a run that hangs (reading /dev/zero) fails here.
    gongwen_within(Some(dir), 60, args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn devices_pipes_and_oversized_inputs_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = gongwen_in(d, &["render", "/dev/zero", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: /dev/zero: is not a regular file (a device, pipe or socket)\nhint: save the text to a file and name that file\n"
    );
    assert!(
        Command::new("mkfifo")
            .arg(d.join("pipe.txt"))
            .status()
            .unwrap()
            .success()
    );
    let o = gongwen_in(d, &["render", "pipe.txt", "-o", "out"]);
    assert!(
        stderr(&o).starts_with("error: pipe.txt: is not a regular file"),
        "{}",
        stderr(&o)
    );
    // 1.5 MB of text: refused under a 1 MB limit, naming the size and the flag; read under 2.
    let mut text = String::from("标题\n");
    while text.len() < 1536 * 1024 {
        text.push_str("正文一段，写满这一行为止，不多不少。\n");
    }
    std::fs::write(d.join("big.txt"), &text).unwrap();
    let o = gongwen_in(
        d,
        &["render", "big.txt", "-o", "out", "--max-input-mb", "1"],
    );
    assert_eq!(
        stderr(&o),
        "error: big.txt: the file is 1.5 MB, more than the 1 MB limit\nhint: pass --max-input-mb 2 to read it\n"
    );
    assert!(!d.join("out").exists(), "nothing written");
    let o = gongwen_in(
        d,
        &[
            "render",
            "big.txt",
            "-o",
            "out",
            "--max-input-mb",
            "2",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(d.join("out/big.docx").exists());
    // The library's limit, without the command line.
    let err = gongwen::read_input(&d.join("big.txt"), 1).unwrap_err();
    assert_eq!(err.message, "the file is 1.5 MB, more than the 1 MB limit");
    assert!(gongwen::read_input(&d.join("big.txt"), 2).is_ok());
}

/// Issue 9: a batch over a folder read its drafts and data files whole, whatever their size.
/// Each file is now under `--max-input-mb` as `render`'s input is: a file over it is its row's
/// error, naming the size and the flag; the other rows are made; the run exits non-zero.
#[test]
fn a_batch_folder_applies_the_input_size_limit_to_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("drafts")).unwrap();
    std::fs::write(d.join("drafts/a.txt"), "关于加强管理的报告\n正文第一段。\n").unwrap();
    let mut text = String::from("标题\n");
    while text.len() < 1536 * 1024 {
        text.push_str("正文一段，写满这一行为止，不多不少。\n");
    }
    std::fs::write(d.join("drafts/b.txt"), &text).unwrap();
    std::fs::write(
        d.join("drafts/c.yaml"),
        format!("template: tongzhi\nbody: \"{}\"\n", "长".repeat(400_000)),
    )
    .unwrap();
    let args = [
        "batch",
        "drafts",
        "-o",
        "out",
        "--format",
        "docx",
        "--no-system-fonts",
        "--max-input-mb",
        "1",
    ];
    let o = gongwen_in(d, &args);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(d.join("out/a.docx").exists(), "{err}");
    assert!(!d.join("out/b.docx").exists() && !d.join("out/c.docx").exists());
    assert!(
        err.contains("drafts/b.txt: the file is 1.5 MB, more than the 1 MB limit"),
        "{err}"
    );
    assert!(err.contains("drafts/c.yaml: the file is 1.1 MB"), "{err}");
    assert!(err.contains("--max-input-mb 2"), "{err}");
    // Under a limit that holds them, the draft is made.
    let mut args = args.to_vec();
    *args.last_mut().unwrap() = "2";
    let o = gongwen_in(d, &args);
    assert!(d.join("out/b.docx").exists(), "{}", stderr(&o));
}

#[test]
fn a_second_batch_into_a_folder_in_use_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("drafts")).unwrap();
    std::fs::write(d.join("drafts/a.txt"), "关于加强管理的报告\n正文第一段。\n").unwrap();
    let batch = [
        "batch",
        "drafts",
        "-o",
        "out",
        "--no-system-fonts",
        "--format",
        "docx",
    ];
    // A run holding the folder (as a running batch does: the same advisory lock).
    std::fs::create_dir_all(d.join("out")).unwrap();
    let held = std::fs::File::open(d.join("out")).unwrap();
    held.try_lock().unwrap();
    let o = gongwen_in(d, &batch);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: out: the output folder is in use by another batch\nhint: wait for that run to finish, or write to another folder with -o\n"
    );
    assert!(
        !d.join("out/a.docx").exists(),
        "the refused run wrote nothing"
    );
    assert!(!d.join("out/manifest.json").exists());
    // The holder ends (a killed run's lock goes with its process): the next runs go ahead,
    // and leave no lock file behind.
    drop(held);
    for _ in 0..2 {
        let o = gongwen_in(d, &batch);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(d.join("out/a.docx").exists());
    assert!(!d.join("out/.gongwen.lock").exists());
    // While a batch runs, the folder is locked: its process holds the lock (checked from here
    // with the same call a second batch makes).
    let mut rows = String::from("姓名,单位\n");
    for k in 0..40 {
        rows.push_str(&format!("张{k},柳河镇\n"));
    }
    std::fs::write(d.join("list.csv"), rows).unwrap();
    std::fs::write(d.join("t.hbs"), "{{单位}}报告\n{{姓名}}同志的正文。\n").unwrap();
    let mut child = harness::command()
        .args([
            "batch",
            "list.csv",
            "--template",
            "t.hbs",
            "-o",
            "busy",
            "--no-system-fonts",
            "--jobs",
            "1",
        ])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut seen_locked = false;
    while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(60) {
        if let Ok(f) = std::fs::File::open(d.join("busy")) {
            if f.try_lock().is_err() {
                seen_locked = true;
                child.kill().unwrap(); // killed mid-run: the lock must go with it
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait().unwrap();
    assert!(seen_locked, "a running batch holds the folder's lock");
    let o = gongwen_in(
        d,
        &[
            "batch",
            "list.csv",
            "--template",
            "t.hbs",
            "-o",
            "busy",
            "--no-system-fonts",
            "--format",
            "docx",
        ],
    );
    assert!(o.status.success(), "after a killed run: {}", stderr(&o));
}

/// A data file through a one-line template: the error printed.
fn template_error(dir: &Path, template: &str, data: &str) -> String {
    std::fs::write(dir.join("t.hbs"), template).unwrap();
    std::fs::write(dir.join("d.yaml"), data).unwrap();
    let o = gongwen_in(
        dir,
        &[
            "render",
            "d.yaml",
            "--template",
            "t.hbs",
            "-o",
            "out",
            "--no-system-fonts",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn helper_errors_name_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = template_error(d, "标题\n{{cn_date 1e300}}\n", "a: 1\n");
    assert!(err.contains("t.hbs:2:1: '1e300' is not a date"), "{err}");
    let err = template_error(d, "标题\n{{cn_date when}}\n", "when: 1e300\n");
    assert!(err.contains("'1e+300' is not a date"), "{err}");
    let err = template_error(d, "标题\n{{cn_date when}}\n", "when: yesterday\n");
    assert!(err.contains("'yesterday' is not a date"), "{err}");
    let err = template_error(d, "标题\n{{h1 18446744073709551615}}正文\n", "a: 1\n");
    assert!(err.contains("not '18446744073709551615'"), "{err}");
    let err = template_error(d, "标题\n{{doc_no \"青政发\" year 12}}\n", "year: x\n");
    assert!(err.contains("not \"青政发\" \"x\" 12"), "{err}");
    // A helper's value of the wrong type hints at the data, not at adding a field.
    let err = template_error(d, "标题\n{{h1 when}}\n", "when: 二〇二三\n");
    assert!(
        err.contains("not '\"二〇二三\"'") && !err.contains("add it to"),
        "{err}"
    );
}

#[test]
fn damaged_font_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("r.txt"), "关于加强管理的报告\n正文第一段。\n").unwrap();
    std::fs::create_dir_all(d.join("fonts")).unwrap();
    // Not a font at all, and a dangling link: each is a warning naming the file.
    std::fs::write(d.join("fonts/FangSong.ttf"), b"\0\x01\0\0 damaged").unwrap();
    std::os::unix::fs::symlink(d.join("gone.otf"), d.join("fonts/Kai.otf")).unwrap();
    let o = gongwen_in(
        d,
        &[
            "render",
            "r.txt",
            "-o",
            "out",
            "--font-dir",
            "fonts",
            "--no-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: fonts/FangSong.ttf: not a font file that can be parsed (damaged?); it is not used"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: fonts/Kai.otf: cannot read this font file (No such file or directory"
        ),
        "{err}"
    );
}

/// Peak resident memory of a child process in KB, sampled from /proc until it ends (VmHWM is
/// the high-water mark, so a sample late in the run holds the peak).
fn peak_kb(mut child: std::process::Child) -> (std::process::ExitStatus, u64) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_long_report_renders_in_bounded_memory() {
    // 4 MB of the seed report (12,000 paragraphs, ~2,400 pages): the budget of a 20 MB report
    // (500 MB) scaled down: fonts and program ~60 MB, then ~22 MB per MB of text.
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/shuzhi-report.txt"
    ))
    .unwrap();
    let (title, body) = seed.split_once('\n').unwrap();
    let mut text = format!("{title}\n");
    while text.len() < 4 << 20 {
        text.push_str(body);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    let child = harness::command()
        .args(["render", "long.txt", "-o", "out", "--no-system-fonts"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (status, kb) = peak_kb(child);
    assert!(status.success());
    assert!(kb > 0, "the peak was sampled");
    assert!(kb < 150 * 1024, "peak {} MB for 4 MB of text", kb / 1024);
    assert!(dir.path().join("out/long.pdf").exists() && dir.path().join("out/long.docx").exists());
}

/// Issue 9: a 20 MB text on a single line took minutes in the plain-text reader: the site
/// markers (`##paidbegin##`, as the seed report has them) were removed one at a time, each
/// removal searching and moving the whole line — quadratic in the line's length. A 4 MB line
/// with a marker every 82 bytes (51,000 of them: hours for the old reader) is read and planned
/// here, as the title and as one body paragraph; linear work takes well under a second, and the
/// bound is far from both, so a loaded machine does not fail it.
#[test]
fn a_4_mb_single_line_is_read_and_planned_in_linear_time() {
    let sentence = "各地区各部门要切实加强组织领导，##paidbegin##压实工作责任；";
    let line: String = sentence.repeat((4 << 20) / sentence.len());
    let layout = gongwen::spec::LayoutSpec::load("gbt9704").unwrap();
    for text in [format!("{line}\n"), format!("关于加强管理的通知\n{line}\n")] {
        let start = Instant::now();
        let mut warnings = Vec::new();
        let doc = gongwen::document_from_text(&text, "one-line.txt", &mut warnings).unwrap();
        let plan = gongwen::plan::plan(&doc, &layout).unwrap();
        let took = start.elapsed();
        assert!(took < Duration::from_secs(20), "took {took:?}");
        let markers = line.matches("##paidbegin##").count();
        assert!(markers > 50_000, "{markers}");
        assert_eq!(
            warnings
                .iter()
                .filter(|w| w.message == "removed site marker ##paidbegin##")
                .count(),
            markers
        );
        let chars: usize = doc.blocks.iter().map(|b| b.text().chars().count()).sum();
        let kept = line.replace("##paidbegin##", "").chars().count();
        assert!(chars >= kept, "every character is read: {chars} of {kept}");
        assert!(doc.blocks.iter().all(|b| !b.text().contains("##")));
        assert!(!plan.blocks.is_empty());
    }
}

/// Issue 9: a control character in a data value reached the template's text and was warned
/// about at a line of that text, which the user never sees. It is removed from the value with
/// a warning naming the data file, the field and its place in the value — in a `render` of a
/// data file and in a batch row alike — and the text around it is kept.
#[test]
fn control_characters_in_data_values_are_named_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("t.hbs"),
        "关于{{主题}}的通知\n{{#each 段落}}{{this}}\n{{/each}}",
    )
    .unwrap();
    std::fs::write(
        d.join("d.json"),
        r#"{"主题": "加强管理\u000b", "段落": ["第一段。", "第二\f段。\u2028"]}"#,
    )
    .unwrap();
    let o = gongwen_in(
        d,
        &[
            "render",
            "d.json",
            "--template",
            "t.hbs",
            "-o",
            "out",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: d.json: field '主题', character 5: removed control character U+000B"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: d.json: field '段落[1]', character 3: removed 2 control characters: U+000C (form feed: a page break; pages are broken by the layout) at character 3, U+2028 (line separator) at character 6"),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 2, "{err}");
    // The batch of a folder of data files says the same of its row.
    std::fs::create_dir(d.join("rows")).unwrap();
    std::fs::copy(d.join("d.json"), d.join("rows/d.json")).unwrap();
    let o = gongwen_in(
        d,
        &[
            "batch",
            "rows",
            "--template",
            "t.hbs",
            "-o",
            "out2",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    );
    let out = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(o.status.success(), "{out}");
    assert!(out.contains("field '段落[1]', character 3"), "{out}");
}

/// Issue 19: 800 KB of heading lines took 14 s (2.3 MB: 94 s): each heading is kept with the
/// next, and the lines a chain of them carries onto its page were summed again from every
/// heading of the chain, quadratic in its length. 300,000 headings of three levels (one chain;
/// hours for the old pagination) are paginated here; linear work takes a second or two, and the
/// bound is far from both.
#[test]
fn a_chain_of_300000_headings_is_paginated_in_linear_time() {
    let mut text = String::from("关于加强管理的通知\n");
    for _ in 0..100_000 {
        text.push_str("一、标题\n（一）小标题\n1.三级标题\n");
    }
    let layout = gongwen::spec::LayoutSpec::load("gbt9704").unwrap();
    let mut warnings = Vec::new();
    let doc = gongwen::document_from_text(&text, "headings.txt", &mut warnings).unwrap();
    let plan = gongwen::plan::plan(&doc, &layout).unwrap();
    let start = Instant::now();
    let count = gongwen::plan::count(&plan, &layout).unwrap();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
    // 22 lines a page: every heading is placed.
    assert!(count.pages >= 300_000 / 22, "{count:?}");
}

/// Issue 19: `preview --dpi 1200` of a layout with a 2 m page asked for 35 GB at once and the
/// program aborted. A page drawn with more than `MAX_PAGE_PIXELS` is refused before any work,
/// naming the layout and the resolution that would do, in `preview` and `render --png` alike;
/// an A4 page at the most `--dpi` allows stays within the bound.
#[test]
fn a_page_too_large_to_draw_is_refused_with_the_dpi_that_would_do() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bundled =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml"))
            .unwrap();
    let huge = bundled
        .replace("width_mm = 210.0", "width_mm = 2000.0")
        .replace("height_mm = 297.0", "height_mm = 2000.0");
    std::fs::write(d.join("huge.toml"), huge).unwrap();
    std::fs::write(d.join("r.txt"), "关于加强管理的报告\n正文第一段。\n").unwrap();
    let common = [
        "--layout",
        "huge.toml",
        "--dpi",
        "1200",
        "--no-system-fonts",
    ];
    for args in [
        vec!["preview", "r.txt", "-o", "out"],
        vec!["render", "r.txt", "-o", "out", "--png"],
    ] {
        let args: Vec<&str> = args.into_iter().chain(common).collect();
        let o = gongwen_in(d, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("error: huge.toml: a page of 2000 × 2000 mm at 1200 dpi is 8928 million pixels, more than the 150 million a page is drawn with"),
            "{err}"
        );
        assert!(
            err.contains("hint: lower the resolution: --dpi 154 or less for this page"),
            "{err}"
        );
        assert!(!d.join("out").exists(), "nothing written");
    }
    // A4 at 1200 dpi, the most DPI_RANGE allows on the standard's paper, is within the bound.
    let a4 = gongwen::spec::LayoutSpec::load("gbt9704").unwrap();
    gongwen::export::preview::check_pixels("gbt9704", a4.page_width(), a4.page_height(), 1200.0)
        .unwrap();
}

/// Issue 19: 1 MB of one-character lines took 664 MB (10 MB: 6.5 GB), and 960 KB of tab rows
/// (one table) 541 MB: the DOCX's body was built as one tree (2 KB a paragraph, 70 MB a table
/// column of 60,000 rows) before a byte was written, and the document was kept beside its plan.
/// Now the body is written as it is made and the document freed once planned: both render, PDF
/// and DOCX, under the issue's 200 MB.
#[test]
fn a_megabyte_of_short_lines_or_tab_rows_renders_under_200_mb() {
    let dir = tempfile::tempdir().unwrap();
    let lines = format!("标题\n{}", "字\n".repeat(262_200));
    let mut rows = String::from("标题\n");
    for i in 0..51_000 {
        rows.push_str(&format!("甲{i}\t乙\t丙\t丁\n"));
    }
    for (name, text) in [("lines.txt", &lines), ("rows.txt", &rows)] {
        assert!(text.len() >= 1 << 20, "{name}: {}", text.len());
        std::fs::write(dir.path().join(name), text).unwrap();
        let child = harness::command()
            .args(["render", name, "-o", "out", "--no-system-fonts", "-q"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (status, kb) = peak_kb(child);
        assert!(status.success(), "{name}");
        assert!(kb > 0, "the peak was sampled");
        assert!(kb < 200 * 1024, "{name}: peak {} MB", kb / 1024);
    }
}
