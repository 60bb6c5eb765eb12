//! Data comes from outside the office (issue 9): a template a data file or a sheet row names
//! must be bundled or lie beside the data; only the command line may name any file.

use crate::harness;
use crate::harness::{ROOT, gongwen};
use std::process::Command;

/// data/shuzhi-2023.yaml with its `template:` line replaced.
fn data_naming(dir: &std::path::Path, template: &str) -> String {
    let text = std::fs::read_to_string(format!("{ROOT}/data/shuzhi-2023.yaml")).unwrap();
    let text = text.replace("template: shuzhi", &format!("template: {template}"));
    assert!(text.contains(template));
    let path = dir.join("report.yaml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_template_named_by_data_stays_among_the_bundled_or_beside_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for bad in ["/etc/passwd", "../../etc/x.hbs"] {
        let data = data_naming(dir.path(), bad);
        let o = gongwen(&["render", &data, "-o", out, "--no-system-fonts"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{bad}: rendered");
        assert!(err.contains("neither bundled nor in"), "{bad}: {err}");
        assert!(!std::path::Path::new(out).join("report.pdf").exists());
    }
    // A house template beside the data works, and the command line may name any file.
    std::fs::copy(
        format!("{ROOT}/layouts/templates/shuzhi.hbs"),
        dir.path().join("house.hbs"),
    )
    .unwrap();
    let data = data_naming(dir.path(), "house.hbs");
    let o = gongwen(&["render", &data, "-o", out, "--no-system-fonts"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = data_naming(dir.path(), "/etc/passwd");
    let cli = format!("{ROOT}/layouts/templates/shuzhi.hbs");
    let o = gongwen(&[
        "render",
        &data,
        "--template",
        &cli,
        "-o",
        out,
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_sheet_row_naming_a_file_elsewhere_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "template,title,body\nshuzhi-flat.hbs,标题一,正文一。\n/etc/passwd,标题二,正文二。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("shuzhi-flat.hbs"), "{{title}}\n{{body}}\n").unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "{all}");
    assert!(all.contains("1 made") && all.contains("1 failed"), "{all}");
    assert!(all.contains("neither bundled nor in"), "{all}");
}

fn pdftext(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is required");
    // (pdftotext shows the 汉字–digit autospace as a space: compare without white space.)
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// data/han.yaml with values that forge a 版头, an attachment page and a 署名 (issue 19).
fn forged_han(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(format!("{ROOT}/data/han.yaml")).unwrap();
    let text = text
        .replace(
            "发文字号: 青政办函〔2023〕8号",
            "发文字号: \"青政办函〔2023〕8号\\n@密级: 绝密★永久\\n@紧急程度: 特急\\n@份号: 000001\"",
        )
        .replace(
            "  - 活动筹备工作由",
            "  - \"@附件 1: 伪造附件\"\n  - \"一段\\n  @印章\\n二、伪造标题\\n抄送：伪造机关。\"\n  - 活动筹备工作由",
        )
        .replace(
            "署名: 青山县人民政府办公室",
            "署名: \"张明\\n@发文机关: 伪造机关\\n@密级: 绝密★长期\"",
        );
    assert_eq!(text.matches('@').count(), 7, "{text}");
    let path = dir.join("forged.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn data_values_cannot_forge_a_masthead_an_attachment_or_a_heading() {
    let dir = tempfile::tempdir().unwrap();
    let data = forged_han(dir.path());
    let o = gongwen(&["explain", data.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let lines = v["lines"].as_array().unwrap();
    let role = |text: &str| -> String {
        let l = lines
            .iter()
            .find(|l| l["text"].as_str() == Some(text))
            .unwrap_or_else(|| panic!("no line {text}: {lines:#?}"));
        l["role"].as_str().unwrap().to_string()
    };
    // The 发文字号 stays one line of the 版头: its line breaks are spaces, nothing else is read.
    assert_eq!(
        role("@发文字号: 青政办函〔2023〕8号 @密级: 绝密★永久 @紧急程度: 特急 @份号: 000001"),
        "版头（发文字号）"
    );
    // A value's lines are body text, whatever they look like.
    for text in [
        "@附件 1: 伪造附件",
        "@印章",
        "二、伪造标题",
        "抄送：伪造机关。",
        "@发文机关: 伪造机关",
        "@密级: 绝密★长期",
    ] {
        assert_eq!(role(text), "正文", "{text}");
    }
    assert!(
        !lines.iter().any(|l| {
            let r = l["role"].as_str().unwrap();
            r.contains("密级") || r.contains("份号") || r.contains("紧急") || r.contains("附件")
        }),
        "{lines:#?}"
    );
    let warnings = v["warnings"].to_string();
    for field in ["'发文字号'", "'正文[4]'", "'正文[5]'", "'署名'"] {
        assert!(warnings.contains(field), "{field}: {warnings}");
    }
    // The PDF prints the forged lines as text: no attachment page, nothing in the 版头 but the
    // organ and the number (shorter here: all four folded are too long for its one line, and
    // that is an error).
    let text = std::fs::read_to_string(&data).unwrap();
    let text = text.replace("\\n@密级: 绝密★永久\\n@紧急程度: 特急", "");
    std::fs::write(&data, text).unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdftext(&out.join("forged.pdf"));
    for want in [
        "@附件1:伪造附件",
        "@发文机关:伪造机关",
        "@密级:绝密★长期",
        "@份号:000001",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn a_sheet_cell_cannot_forge_markup_either() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "template,title,body\nflat.hbs,标题一,\"正文一。\n@密级: 绝密★永久\n@附件 1: 伪造附件\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("flat.hbs"), "{{title}}\n{{body}}\n").unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
        "--format",
        "pdf",
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{all}");
    assert!(all.contains("field 'body'"), "{all}");
    let pdf = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdftext(&pdf);
    assert!(text.contains("@密级:绝密★永久@附件1:伪造附件"), "{text}");
}

/// data/han.yaml with its `layout:` line replaced.
fn data_with_layout(dir: &std::path::Path, layout: &str) -> String {
    let text = std::fs::read_to_string(format!("{ROOT}/data/han.yaml")).unwrap();
    let text = text.replace("layout: xinhan", &format!("layout: \"{layout}\""));
    assert!(text.contains(layout));
    let path = dir.join("letter.yaml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_layout_named_by_data_stays_among_the_bundled_or_beside_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    // Before: /dev/zero took 2.1 GB, /etc/passwd was parsed as a layout.
    for bad in ["/dev/zero", "/etc/passwd", "../../etc/x.toml"] {
        let data = data_with_layout(dir.path(), bad);
        let o = gongwen(&["render", &data, "-o", out, "--no-system-fonts"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{bad}: rendered");
        assert!(
            err.contains(&format!(
                "the data names the layout '{bad}', which is neither bundled nor in"
            )),
            "{bad}: {err}"
        );
        assert!(err.contains("--layout PATH"), "{err}");
    }
    // A house layout beside the data is read from there, whatever the working folder; the
    // command line's --layout may name any file, and the data's is then not looked at.
    std::fs::copy(
        format!("{ROOT}/layouts/xinhan.toml"),
        dir.path().join("house.toml"),
    )
    .unwrap();
    std::fs::copy(
        format!("{ROOT}/layouts/gbt9704.toml"),
        dir.path().join("gbt9704.toml"),
    )
    .unwrap();
    let data = data_with_layout(dir.path(), "house.toml");
    let o = gongwen(&["render", &data, "-o", out, "--no-system-fonts"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = data_with_layout(dir.path(), "/dev/zero");
    let cli = format!("{ROOT}/layouts/xinhan.toml");
    let o = gongwen(&[
        "render",
        &data,
        "--layout",
        &cli,
        "-o",
        out,
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_sheet_row_naming_a_layout_elsewhere_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "template,layout,title,body\nflat.hbs,gbt9704,标题一,正文一。\nflat.hbs,/dev/zero,标题二,正文二。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("flat.hbs"), "{{title}}\n{{body}}\n").unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "{all}");
    assert!(all.contains("1 made") && all.contains("1 failed"), "{all}");
    assert!(
        all.contains("the data names the layout '/dev/zero'"),
        "{all}"
    );
}

/// A FIFO, a device or a folder is never opened as a layout or a template, even from the
/// command line, and nothing blocks (before: a FIFO named as a layout blocked for good).
#[cfg(unix)]
#[test]
fn no_fifo_device_or_folder_is_read_as_a_layout_or_template() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let hbs_fifo = dir.path().join("t.hbs");
    assert!(
        Command::new("mkfifo")
            .arg(&hbs_fifo)
            .status()
            .unwrap()
            .success()
    );
    let folder = dir.path().join("folder.toml");
    std::fs::create_dir(&folder).unwrap();
    let report = dir.path().join("r.txt");
    std::fs::write(&report, "关于加强管理的报告\n正文。\n").unwrap();
    let data = format!("{ROOT}/data/han.yaml");
    let out = dir.path().join("out");
    let run = |args: &[&str]| {
        // A blocked open would hang the test: kill it after 60 s (it takes well under 1 s).
        let mut child = harness::command()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        for _ in 0..600 {
            if child.try_wait().unwrap().is_some() {
                return child.wait_with_output().unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        child.kill().unwrap();
        panic!("{args:?} blocked");
    };
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "render",
                report.to_str().unwrap(),
                "--layout",
                fifo.to_str().unwrap(),
                "-o",
                out,
            ],
            "device, pipe or socket",
        ),
        (
            &[
                "render",
                report.to_str().unwrap(),
                "--layout",
                "/dev/zero",
                "-o",
                out,
            ],
            "device, pipe or socket",
        ),
        (
            &[
                "render",
                report.to_str().unwrap(),
                "--layout",
                folder.to_str().unwrap(),
                "-o",
                out,
            ],
            "a folder, not a file",
        ),
        (
            &[
                "render",
                &data,
                "--template",
                hbs_fifo.to_str().unwrap(),
                "-o",
                out,
            ],
            "device, pipe or socket",
        ),
        (
            &["explain", &data, "--template", "/dev/zero"],
            "device, pipe or socket",
        ),
    ];
    for (args, want) in cases {
        let o = run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
