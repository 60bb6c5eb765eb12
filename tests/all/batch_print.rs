//! `gongwen batch` for printing and tidying (issue 10): the bundled sheet and its GBK CSV run as
//! the README writes them; `--merge` puts every document in one PDF, in row order, each from an
//! odd page; `--prune` removes the files a renamed `--name` pattern or a removed row left; the
//! old shared `manifest.json` is taken over by the source's own.
//!
//! Needs pdftotext and pdfinfo (`bash .ci/run` installs poppler-utils).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::harness::{ROOT, gongwen_in};
use serde_json::Value;

/// The bundled sheet's rows: (单位, 姓名), in sheet order.
const OFFICIALS: [(&str, &str); 6] = [
    ("青山县柳河镇", "张明"),
    ("青山县河西乡", "李红梅"),
    ("青山县石门镇", "王建军"),
    ("青山县白塔镇", "陈晓燕"),
    ("青山县农业农村局", "刘志强"),
    ("青山县应急管理局", "赵丽"),
];

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", text(&o));
    text(&o)
}

/// A working folder with `data/officials.xlsx` and `data/officials-gbk.csv` copied in.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    for f in ["officials.xlsx", "officials-gbk.csv"] {
        std::fs::copy(format!("{ROOT}/data/{f}"), dir.path().join("data").join(f)).unwrap();
    }
    dir
}

fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn pdftext(pdf: &Path, page: Option<usize>) -> String {
    let mut c = Command::new("pdftotext");
    if let Some(p) = page {
        c.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let o = c
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is required; run `bash .ci/run`");
    String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn pages(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo is required; run `bash .ci/run`");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

fn manifest(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_bundled_sheet_and_its_gbk_csv_run_as_the_readme_writes_them() {
    let dir = workdir();
    let d = dir.path();
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    for (source, manifest_name) in [
        ("data/officials.xlsx", "officials.xlsx.manifest.json"),
        ("data/officials-gbk.csv", "officials-gbk.csv.manifest.json"),
    ] {
        let command =
            format!("gongwen batch {source} --template shuzhi --name '{{{{单位}}}}-{{{{姓名}}}}'");
        assert!(readme.contains(&command), "the README shows `{command}`");
        let out = ok(gongwen_in(
            d,
            &[
                "batch",
                source,
                "--template",
                "shuzhi",
                "--name",
                "{{单位}}-{{姓名}}",
            ],
        ));
        assert!(out.contains("6 made, 0 unchanged, 0 failed"), "{out}");
        let m = manifest(&d.join("output").join(manifest_name));
        assert_eq!(m["summary"]["made"], 6);
    }
    let output = d.join("output");
    let want: BTreeSet<String> = OFFICIALS
        .iter()
        .flat_map(|(u, n)| [format!("{u}-{n}.pdf"), format!("{u}-{n}.docx")])
        .chain([
            "officials.xlsx.manifest.json".to_string(),
            "officials-gbk.csv.manifest.json".to_string(),
        ])
        .collect();
    assert_eq!(files(&output), want);
    // The sheet's columns are the template's fields: title, byline, the two parts, in the
    // report layout's byline.
    let t = pdftext(&output.join("青山县河西乡-李红梅.pdf"), None);
    assert!(
        t.starts_with("2023年青山县河西乡述职述廉报告青山县河西乡党委副书记、乡长李红梅"),
        "{t}"
    );
    for part in [
        "一、履职尽责情况",
        "二、廉洁自律情况",
        "三、存在问题和不足",
        "2860万元",
    ] {
        assert!(t.contains(part), "{part} in {t}");
    }
}

#[test]
fn merge_puts_every_document_in_one_pdf_in_row_order_each_from_an_odd_page() {
    let dir = workdir();
    let d = dir.path();
    let out = ok(gongwen_in(
        d,
        &[
            "batch",
            "data/officials.xlsx",
            "--template",
            "shuzhi",
            "--name",
            "{{单位}}-{{姓名}}",
            "--merge",
            "all.pdf",
            "--no-system-fonts",
        ],
    ));
    let output = d.join("output");
    let all = output.join("all.pdf");
    // Each document's own page count, rounded up to even: its blank back page.
    let counts: Vec<usize> = OFFICIALS
        .iter()
        .map(|(u, n)| pages(&output.join(format!("{u}-{n}.pdf"))))
        .collect();
    assert!(counts.iter().any(|c| c % 2 == 1), "{counts:?}");
    assert!(counts.iter().any(|c| c % 2 == 0), "{counts:?}");
    let total: usize = counts.iter().map(|c| c + c % 2).sum();
    assert_eq!(pages(&all), total, "{counts:?}");
    assert!(
        out.contains(&format!(
            "merged 6 documents into output/all.pdf ({total} pages"
        )),
        "{out}"
    );
    // Row order, each starting on an odd page with its title; the back of an odd one is blank;
    // page numbers are each document's own (— 1 — on every first page).
    let mut first = 1;
    for ((unit, name), n) in OFFICIALS.iter().zip(&counts) {
        let page = pdftext(&all, Some(first));
        assert_eq!(first % 2, 1);
        assert!(
            page.starts_with(&format!("2023年{unit}述职述廉报告")) && page.contains(name),
            "page {first}: {page}"
        );
        assert!(page.ends_with("—1—"), "page {first}: {page}");
        if n % 2 == 1 {
            assert_eq!(
                pdftext(&all, Some(first + n)),
                "",
                "page {} is blank",
                first + n
            );
        }
        first += n + n % 2;
    }
    let whole = pdftext(&all, None);
    let at: Vec<usize> = OFFICIALS
        .iter()
        .map(|(u, _)| whole.find(&format!("2023年{u}述职述廉报告")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // A bookmark per document, in row order, its headings under it.
    let o = Command::new("qpdf")
        .args(["--json", "--json-key=outlines", all.to_str().unwrap()])
        .output()
        .expect("qpdf is required; run `bash .ci/run`");
    let outlines: Value = serde_json::from_slice(&o.stdout).unwrap();
    let marks = outlines["outlines"].as_array().unwrap();
    let titles: Vec<&str> = marks.iter().map(|m| m["title"].as_str().unwrap()).collect();
    let names: Vec<String> = OFFICIALS.iter().map(|(u, n)| format!("{u}-{n}")).collect();
    assert_eq!(titles, names);
    assert_eq!(marks[1]["kids"][0]["title"], "一、履职尽责情况");

    // Nothing changed: the rows are unchanged and the merged PDF is made again, the same.
    let before = std::fs::read(&all).unwrap();
    std::fs::remove_file(&all).unwrap();
    let out = ok(gongwen_in(
        d,
        &[
            "batch",
            "data/officials.xlsx",
            "--template",
            "shuzhi",
            "--name",
            "{{单位}}-{{姓名}}",
            "--merge",
            "all.pdf",
            "--no-system-fonts",
        ],
    ));
    assert!(out.contains("0 made, 6 unchanged"), "{out}");
    assert_eq!(std::fs::read(&all).unwrap(), before);
}

#[test]
fn prune_removes_the_files_a_renamed_pattern_or_a_removed_row_left() {
    let dir = workdir();
    let d = dir.path();
    let batch = |name: &str, extra: &[&str]| {
        let mut a = vec![
            "batch",
            "data/officials-gbk.csv",
            "--template",
            "shuzhi",
            "--name",
            name,
            "--format",
            "pdf",
            "--no-system-fonts",
        ];
        a.extend(extra);
        ok(gongwen_in(d, &a))
    };
    let output = d.join("output");
    let pdfs = |f: &dyn Fn(&str, &str) -> String| -> BTreeSet<String> {
        OFFICIALS.iter().map(|(u, n)| f(u, n)).collect()
    };
    let by_name = pdfs(&|_, n| format!("{n}.pdf"));
    let by_unit = pdfs(&|u, n| format!("{u}-{n}.pdf"));
    batch("{{姓名}}", &[]);
    // A renamed pattern without --prune: the old files stay, counted, with the hint.
    let out = batch("{{单位}}-{{姓名}}", &[]);
    assert!(
        out.contains("note: 6 files in output belong to rows no longer in the source or renamed")
            && out.contains("--prune removes them"),
        "{out}"
    );
    let pdf_files = || -> BTreeSet<String> {
        files(&output)
            .into_iter()
            .filter(|f| f.ends_with(".pdf"))
            .collect()
    };
    assert_eq!(pdf_files(), &by_name | &by_unit);
    let m = manifest(&output.join("officials-gbk.csv.manifest.json"));
    assert_eq!(m["stale"].as_array().unwrap().len(), 6);
    // A stale file someone edited is kept; the others go.
    std::fs::write(output.join("赵丽.pdf"), b"edited").unwrap();
    let out = batch("{{单位}}-{{姓名}}", &["--prune"]);
    assert!(out.contains("0 made, 6 unchanged"), "{out}");
    assert!(out.contains("note: removed 5 files of rows"), "{out}");
    assert!(
        out.contains("warning: kept 1 stale file that changed since"),
        "{out}"
    );
    let mut want = by_unit.clone();
    want.insert("赵丽.pdf".into());
    assert_eq!(pdf_files(), want);
    std::fs::remove_file(output.join("赵丽.pdf")).unwrap();

    // A row that left the sheet (the GBK CSV without its last row): its file goes.
    let csv = d.join("data/officials-gbk.csv");
    let bytes = std::fs::read(&csv).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    let mut lines: Vec<&str> = text.split_inclusive("\r\n").collect();
    // The last record (赵丽) starts at the last line that begins with `"6"`.
    let last = lines.iter().rposition(|l| l.starts_with("\"6\"")).unwrap();
    lines.truncate(last);
    let kept = lines.concat();
    let (gbk, _, _) = encoding_rs::GBK.encode(&kept);
    std::fs::write(&csv, &gbk).unwrap();
    let out = batch("{{单位}}-{{姓名}}", &["--prune"]);
    assert!(out.contains("0 made, 5 unchanged"), "{out}");
    assert!(out.contains("note: removed 1 file of rows"), "{out}");
    let mut want = by_unit.clone();
    want.remove("青山县应急管理局-赵丽.pdf");
    assert_eq!(pdf_files(), want);
}

#[test]
fn the_old_shared_manifest_is_taken_over_by_the_sources_own() {
    let dir = workdir();
    let d = dir.path();
    let args = [
        "batch",
        "data/officials.xlsx",
        "--template",
        "shuzhi",
        "--format",
        "pdf",
        "--no-system-fonts",
    ];
    ok(gongwen_in(d, &args));
    let output = d.join("output");
    // What an earlier version left: one output/manifest.json for the sheet.
    std::fs::rename(
        output.join("officials.xlsx.manifest.json"),
        output.join("manifest.json"),
    )
    .unwrap();
    // Another source's run leaves it alone.
    let other = ok(gongwen_in(
        d,
        &[
            "batch",
            "data/officials-gbk.csv",
            "--template",
            "shuzhi",
            "--format",
            "pdf",
            "--no-system-fonts",
            "-o",
            "output",
            "--name",
            "csv-{{序号}}",
        ],
    ));
    assert!(other.contains("6 made"), "{other}");
    assert!(output.join("manifest.json").exists());
    let out = ok(gongwen_in(d, &args));
    assert!(out.contains("0 made, 6 unchanged"), "{out}");
    assert!(!output.join("manifest.json").exists());
    assert!(output.join("officials.xlsx.manifest.json").exists());
}

/// The manifest's `stale` entry for `path` as it is now (so it looks just written).
fn stale_entry(name: &str, path: &Path) -> Value {
    let meta = std::fs::metadata(path).unwrap();
    let modified = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    serde_json::json!({"file": name, "bytes": meta.len(), "modified": modified as u64})
}

#[test]
fn prune_removes_only_documents_inside_the_output_folder_and_stale_temporaries_go() {
    // Issue 19: a manifest entry `"file": "../victim.txt"` with the right size and time made
    // `--prune` delete that file; a killed run's `.gongwen-*` files stayed for an hour.
    let dir = workdir();
    let d = dir.path();
    let batch = |extra: &[&str]| {
        let mut a = vec![
            "batch",
            "data/officials-gbk.csv",
            "--template",
            "shuzhi",
            "--name",
            "{{姓名}}",
            "--format",
            "pdf",
            "--no-system-fonts",
        ];
        a.extend(extra);
        ok(gongwen_in(d, &a))
    };
    batch(&[]);
    let output = d.join("output");
    std::fs::write(d.join("victim.txt"), "keep me").unwrap();
    std::fs::write(d.join("victim.pdf"), "keep me too").unwrap();
    std::fs::write(output.join("notes.txt"), "mine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("victim.pdf"), output.join("link.pdf")).unwrap();
    let path = output.join("officials-gbk.csv.manifest.json");
    let mut m = manifest(&path);
    let mut stale = vec![
        stale_entry("../victim.txt", &d.join("victim.txt")),
        stale_entry(
            d.join("victim.pdf").to_str().unwrap(),
            &d.join("victim.pdf"),
        ),
        stale_entry("notes.txt", &output.join("notes.txt")),
    ];
    if cfg!(unix) {
        stale.push(stale_entry("link.pdf", &output.join("link.pdf")));
    }
    m["stale"] = Value::Array(stale);
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    // A killed run's temporaries (seconds old), and files of other names that stay.
    for f in [".gongwen-Ab12Cd", ".gongwen-x9Y8z7"] {
        std::fs::write(output.join(f), "half a document").unwrap();
    }
    for f in [".gongwen-keep.txt", ".gongwen.lock.bak"] {
        std::fs::write(output.join(f), "not ours").unwrap();
    }
    let out = batch(&["--prune"]);
    assert!(out.contains("0 made, 6 unchanged"), "{out}");
    let n = if cfg!(unix) { 4 } else { 3 };
    assert!(
        out.contains(&format!(
            "warning: the manifest names {n} files that are not a document of output ("
        )) && out.contains("../victim.txt")
            && out.contains("): left alone"),
        "{out}"
    );
    assert!(
        out.contains("note: removed 2 temporary files an interrupted run left in output"),
        "{out}"
    );
    assert!(
        !out.contains("note: removed 1 file") && !out.contains("files of rows"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("victim.txt")).unwrap(),
        "keep me"
    );
    assert!(d.join("victim.pdf").exists() && output.join("notes.txt").exists());
    #[cfg(unix)]
    assert!(std::fs::symlink_metadata(output.join("link.pdf")).is_ok());
    let left = files(&output);
    assert!(!left.contains(".gongwen-Ab12Cd") && !left.contains(".gongwen-x9Y8z7"));
    assert!(left.contains(".gongwen-keep.txt") && left.contains(".gongwen.lock.bak"));
    // They leave the manifest: the next run says nothing of them.
    let m = manifest(&path);
    assert!(m["stale"].as_array().is_none_or(Vec::is_empty), "{m}");
    let out = batch(&["--prune"]);
    assert!(!out.contains("warning"), "{out}");
}

#[test]
fn a_folder_of_drafts_batched_into_itself_is_refused_before_any_work() {
    // Issue 19: `gongwen batch d -o d` replaced `d/a.docx` by its own output, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let drafts = d.join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    std::fs::write(
        drafts.join("a.txt"),
        "关于做好安全生产工作的通知\n各单位：\n请做好工作。\n",
    )
    .unwrap();
    ok(gongwen_in(
        d,
        &[
            "batch",
            "drafts",
            "-o",
            "made",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    ));
    std::fs::copy(d.join("made/a.docx"), drafts.join("b.docx")).unwrap();
    let before = std::fs::read(drafts.join("b.docx")).unwrap();
    for out in ["drafts", "./drafts/", "drafts/."] {
        let o = gongwen_in(d, &["batch", "drafts", "-o", out, "--no-system-fonts"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let t = text(&o);
        assert!(
            t.contains(&format!(
                "error: {out}: the output would overwrite the input"
            )) && t.contains("hint: write to another folder: -o output (the default)"),
            "{t}"
        );
        assert_eq!(
            files(&drafts),
            BTreeSet::from(["a.txt".into(), "b.docx".into()])
        );
        assert_eq!(std::fs::read(drafts.join("b.docx")).unwrap(), before);
    }
    // A folder inside the drafts' folder is not read as drafts: allowed.
    ok(gongwen_in(
        d,
        &[
            "batch",
            "drafts",
            "-o",
            "drafts/out",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    ));
    assert!(drafts.join("out/b.docx").exists());
}

#[test]
fn a_batch_writes_typed_dates_and_numbers_as_render_does() {
    // Issue 22: `render` wrote `2024.4.25` as `2024年4月25日` and `1、` as `1.`; a batch of the
    // same drafts printed them as typed.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let drafts = d.join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    std::fs::write(
        drafts.join("a.txt"),
        "关于做好安全生产工作的通知\n各单位：\n一、工作要求\n1、请做好安全生产检查工作。\n2、请按时报送检查情况。\n青山县应急管理局\n2024.4.25\n",
    )
    .unwrap();
    let o = gongwen_in(
        d,
        &[
            "batch",
            "drafts",
            "-o",
            "made",
            "--format",
            "docx",
            "--no-system-fonts",
        ],
    );
    ok(o);
    let doc = crate::harness::docx_part(&d.join("made/a.docx"), "word/document.xml");
    assert!(doc.contains(">2024年4月25日<"), "{doc}");
    assert!(!doc.contains("2024.4.25"), "{doc}");
    assert!(doc.contains(">1.<") || doc.contains(">1.请"), "{doc}");
    assert!(!doc.contains("1、"), "{doc}");
}
