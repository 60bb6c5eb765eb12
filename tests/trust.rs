//! Data comes from outside the office (issue 9): a template a data file or a sheet row names
//! must be bundled or lie beside the data; only the command line may name any file.

use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn gongwen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .unwrap()
}

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
