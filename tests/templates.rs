//! Data files through templates: the bundled examples render, a missing field is an error that
//! names the template file, line, column and field, and helpers do what the README says.

use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn gongwen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .expect("run gongwen")
}

fn pdftext(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is required; run `bash .ci/run`");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bundled_examples_render_with_their_fields_numbered_and_dated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for (data, pdf) in [
        ("data/shuzhi-2023.yaml", "shuzhi-2023.pdf"),
        ("data/tongzhi.json", "tongzhi.pdf"),
    ] {
        let o = gongwen(&[
            "render",
            &format!("{ROOT}/{data}"),
            "-o",
            out,
            "--no-system-fonts",
        ]);
        assert!(
            o.status.success(),
            "{data}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(dir.path().join(pdf.replace(".pdf", ".docx")).exists());
        let text: String = pdftext(&dir.path().join(pdf))
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match pdf {
            "shuzhi-2023.pdf" => {
                assert!(
                    text.starts_with("2023年青山县柳河镇述职述廉报告青山县柳河镇副镇长张明"),
                    "{text}"
                );
                for h in [
                    "一、加强政治理论学习",
                    "二、以身作则",
                    "1.建立工作机制",
                    "2.严格推进",
                    "四、存在问题和不足",
                ] {
                    assert!(text.contains(h), "{h} missing");
                }
            }
            _ => {
                for h in [
                    "青政办发〔2023〕12号",
                    "各乡镇人民政府，县政府各部门：",
                    "三、工作要求",
                    // One attachment: no number (7.3.4).
                    "附件：安全生产大检查重点内容和检查情况汇总表",
                    "抄送：县委办公室",
                    "2023年7月1日印发",
                    "2023年7月1日",
                    "（此件公开发布）",
                ] {
                    assert!(text.contains(h), "{h} missing in {text}");
                }
            }
        }
    }
}

#[test]
fn a_field_the_data_lacks_names_template_line_column_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.yaml");
    std::fs::write(&data, "template: shuzhi\nyear: 2023\nunit: 柳河镇\n").unwrap();
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with("error: ") && err.contains("layouts/templates/shuzhi.hbs:5:"),
        "{err}"
    );
    assert!(err.contains("the data has no field 'post'"), "{err}");
    assert!(
        !dir.path().join("out").exists()
            || std::fs::read_dir(dir.path().join("out"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn data_syntax_errors_and_templates_from_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"title\": \"x\",\n  oops\n}").unwrap();
    let err = String::from_utf8(gongwen(&["render", bad.to_str().unwrap()]).stderr).unwrap();
    assert!(err.contains("bad.json:3:3: invalid JSON"), "{err}");
    // A template of the user's own, with the date and numbering helpers.
    let tpl = dir.path().join("mine.hbs");
    std::fs::write(
        &tpl,
        "{{title}}\n{{#each items}}\n{{h2 @index}}{{this}}\n{{/each}}\n办公室\n{{cn_date when}}\n",
    )
    .unwrap();
    let data = dir.path().join("d.toml");
    std::fs::write(
        &data,
        "title = \"关于会议安排的函\"\nitems = [\"时间\", \"地点\"]\nwhen = 2023-10-08\n",
    )
    .unwrap();
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "--template",
        tpl.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // (pdftotext shows the 汉字–digit autospace as a space; compare without white space.)
    let text: String = pdftext(&dir.path().join("d.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for want in ["（一）时间", "（二）地点", "2023年10月8日"] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn placeholders_left_in_the_text_are_warnings_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen(&[
        "render",
        &format!("{ROOT}/data/shuzhi-report.txt"),
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
    ]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("shuzhi-report.txt:1: placeholder 'XX' left in the text (2×)"),
        "{err}"
    );
    assert!(
        err.contains("shuzhi-report.txt:11: placeholder 'XXX'"),
        "{err}"
    );
}
