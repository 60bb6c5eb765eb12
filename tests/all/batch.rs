//! `gongwen batch` (issue 4): rows of a GBK CSV and of an XLSX become documents that pass
//! `tests/tools/gbcheck.py`; bad rows fail alone and are named in the manifest; a second run
//! rebuilds nothing and a one-number layout edit rebuilds everything, visibly; output names
//! stay inside the output folder; an interrupted run is picked up where it stopped.
//!
//! Needs python3 with pdfplumber, and pdftotext (`bash .ci/run` installs them).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness;
use crate::harness::{ROOT, gongwen};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;

const GBCHECK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/gbcheck.py");
const PDFLINES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pdflines.py");

/// A 述职报告 from flat columns: title, 主送, body with two level-1 headings, 署名 and 日期.
const TEMPLATE: &str = "{{单位}}{{职务}}{{姓名}}述职报告
各位领导、同志们：
{{引言}}
一、主要工作
{{工作}}
二、存在的不足和今后打算
{{不足}}
{{单位}}
{{cn_date 日期}}
";

const HEADER: [&str; 7] = ["单位", "职务", "姓名", "日期", "引言", "工作", "不足"];

const UNITS: [&str; 5] = [
    "青山县柳河镇",
    "青山县河西乡",
    "青山县河东乡",
    "青山县石门镇",
    "青山县白塔镇",
];
const NAMES: [&str; 20] = [
    "张明", "李华", "王芳", "赵强", "刘伟", "陈静", "杨勇", "黄敏", "周杰", "吴涛", "徐超", "孙丽",
    "胡军", "朱平", "高娜", "林刚", "何辉", "郭斌", "马鹏", "罗燕",
];

/// Row `i` of the generated sheet (`i` from 0), as text cells in HEADER order.
fn row(i: usize) -> Vec<String> {
    vec![
        UNITS[i % UNITS.len()].to_string(),
        if i.is_multiple_of(2) { "副镇长" } else { "镇长" }.to_string(),
        NAMES[i % NAMES.len()].to_string(),
        format!("2023-07-{:02}", i % 28 + 1),
        format!(
            "一年来，在县委、县政府的正确领导下，按照党委、政府的工作要求，认真贯彻落实党的二十大精神，协助主要领导落实主体责任，较好地完成了组织交付的第{}项各项工作任务。现将履职尽责情况报告如下：",
            i + 1
        ),
        "建立重点任务督办台账和全镇重点工作台账，定期汇总梳理呈报主要领导，明确时间表、路线图、责任人，促进各项工作任务第一时间部署到位、及时落地落实。严格落实农产品质量安全监管职责，坚持“四个最严”，切实保障人民群众“舌尖上的安全”。控制地下水压采，稳定粮食蔬菜生产，保障粮食连年丰收。\n深入开展安全生产大检查，排查隐患全部整改到位，全年未发生较大以上安全事故。扎实推进人居环境整治，新建改建卫生厕所，村容村貌明显改善。推进乡村振兴，培育特色产业，发展合作社，带动农户增收致富。".to_string(),
        "学习系统性、持续性不够，存在理论联系实际不紧密现象；创新能力有待提升。今后的工作中，我将进一步用党的二十大精神武装头脑，认真总结思考存在的问题和不足，积极整改，努力提高理论水平和业务素质。".to_string(),
    ]
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `gongwen batch SOURCE -o OUT --template T --no-system-fonts ARGS…`, which must exit 0.
fn batch_ok(source: &Path, out: &Path, template: &Path, args: &[&str]) -> Output {
    let o = batch(source, out, template, args);
    assert!(o.status.success(), "{}", text(&o));
    o
}

fn batch(source: &Path, out: &Path, template: &Path, args: &[&str]) -> Output {
    let mut a = vec![
        "batch",
        source.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--template",
        template.to_str().unwrap(),
        "--no-system-fonts",
    ];
    a.extend(args);
    gongwen(&a)
}

fn write_template(dir: &Path) -> PathBuf {
    let t = dir.join("shuzhi-flat.hbs");
    std::fs::write(&t, TEMPLATE).unwrap();
    t
}

fn csv_line(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    quoted.join(",") + "\r\n"
}

/// `rows` rows as Excel's 另存为 CSV writes them on Chinese Windows: GBK, CRLF, quoted.
fn write_gbk_csv(path: &Path, rows: &[Vec<String>]) {
    let mut s = csv_line(&HEADER);
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        s.push_str(&csv_line(&cells));
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&s);
    assert!(!bad);
    std::fs::write(path, &bytes).unwrap();
}

/// `rows` rows as an XLSX, the date column as real Excel dates.
fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let n = i as u32 + 1;
        for (c, v) in r.iter().enumerate() {
            let parsed = (HEADER[c] == "日期")
                .then(|| {
                    let p: Vec<u16> = v.split('-').filter_map(|x| x.parse().ok()).collect();
                    (p.len() == 3)
                        .then(|| ExcelDateTime::from_ymd(p[0], p[1] as u8, p[2] as u8).ok())
                        .flatten()
                })
                .flatten();
            match parsed {
                Some(d) => sheet.write_date_with_format(n, c as u16, &d, &date),
                None => sheet.write_string(n, c as u16, v),
            }
            .unwrap();
        }
    }
    book.save(path).unwrap();
}

fn files_with(dir: &Path, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(&format!(".{ext}")))
        .collect()
}

fn manifest(out: &Path) -> Value {
    // One manifest per source: `officials.csv.manifest.json`.
    let path = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".manifest.json"))
        .expect("SOURCE.manifest.json is written");
    let bytes = std::fs::read(path).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn summary(out: &Path) -> (u64, u64, u64) {
    let m = manifest(out);
    let s = &m["summary"];
    (
        s["made"].as_u64().unwrap(),
        s["unchanged"].as_u64().unwrap(),
        s["failed"].as_u64().unwrap(),
    )
}

/// Run gbcheck on each PDF, two at a time; the failures with their reports.
fn gbcheck_failures(pdfs: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for pair in pdfs.chunks(2) {
        let children: Vec<_> = pair
            .iter()
            .map(|p| {
                Command::new("python3")
                    .args([GBCHECK, p.to_str().unwrap()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("python3 is required; run `bash .ci/run`")
            })
            .collect();
        for (p, child) in pair.iter().zip(children) {
            let o = child.wait_with_output().unwrap();
            if !o.status.success() {
                let fails: Vec<String> = text(&o)
                    .lines()
                    .filter(|l| l.starts_with("FAIL ") && !widow_kept(l))
                    .filter(|l| !l["FAIL ".len()..].starts_with(|c: char| c.is_ascii_digit()))
                    .map(str::to_string)
                    .collect();
                if !fails.is_empty() {
                    failures.push(format!("{}: {}", p.display(), fails.join("; ")));
                }
            }
        }
    }
    failures
}

/// gbcheck's lines_per_page accepts a page one line short only before a heading; the plan also
/// sends the last body paragraph's last two lines over with the 署名 and 日期 (7.3.5: they never
/// open a page without body text), so the page before them may end up to two lines early.
fn widow_kept(line: &str) -> bool {
    let Some(list) = line
        .strip_prefix("FAIL lines_per_page")
        .and_then(|r| r.split_once('[').and_then(|(_, r)| r.split_once(']')))
        .map(|(l, _)| l)
    else {
        return false;
    };
    list.split(',').all(|n| {
        n.trim()
            .parse::<u32>()
            .is_ok_and(|n| (20..=22).contains(&n))
    })
}

fn pdftext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is required; run `bash .ci/run`");
    String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn docx_text(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml
}

fn twenty_rows() -> Vec<Vec<String>> {
    (0..20).map(row).collect()
}

#[test]
fn gbk_csv_and_xlsx_rows_make_documents_that_pass_gbcheck() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let rows = twenty_rows();
    let csv = dir.path().join("officials.csv");
    let xlsx = dir.path().join("officials.xlsx");
    write_gbk_csv(&csv, &rows);
    write_xlsx(&xlsx, &rows);
    let name = ["--name", "{{单位}}-{{姓名}}"];
    let mut sample = Vec::new();
    for (source, out) in [(&csv, "out-csv"), (&xlsx, "out-xlsx")] {
        let out = dir.path().join(out);
        let o = batch_ok(source, &out, &template, &name);
        assert!(
            text(&o).contains("20 made, 0 unchanged, 0 failed"),
            "{}",
            text(&o)
        );
        let want: BTreeSet<String> = rows.iter().map(|r| format!("{}-{}", r[0], r[2])).collect();
        let stems = |ext| -> BTreeSet<String> {
            files_with(&out, ext)
                .into_iter()
                .map(|f| f.trim_end_matches(&format!(".{ext}")).to_string())
                .collect()
        };
        assert_eq!(stems("pdf"), want);
        assert_eq!(stems("docx"), want);
        assert_eq!(summary(&out), (20, 0, 0));
        // Row 8 of the sheet is data row 7: the date column as 成文日期, the CSV's GBK decoded.
        let stem = format!("{}-{}", rows[6][0], rows[6][2]);
        let pdf = pdftext(&out.join(format!("{stem}.pdf")));
        assert!(pdf.starts_with("青山县河西乡副镇长杨勇述职报告"), "{pdf}");
        assert!(pdf.contains("2023年7月7日"), "{pdf}");
        assert!(pdf.contains("第7项"), "{pdf}");
        assert!(docx_text(&out.join(format!("{stem}.docx"))).contains("第7项"));
        let m = manifest(&out);
        let entry = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == stem.as_str())
            .unwrap();
        assert_eq!(entry["row"], 8);
        assert_eq!(entry["status"], "made");
        assert!(entry["hash"].as_str().unwrap().starts_with("sha256:"));
        sample.extend(
            files_with(&out, "pdf")
                .into_iter()
                .step_by(2)
                .map(|f| out.join(f)),
        );
    }
    assert_eq!(sample.len(), 20);
    assert_eq!(gbcheck_failures(&sample), Vec::<String>::new());
}

#[test]
fn three_bad_rows_among_two_hundred_fail_alone_and_are_named_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    // 200 rows (the twenty, ten times over); three of them bad.
    let mut rows: Vec<_> = (0..10).flat_map(|_| twenty_rows()).collect();
    rows[3][3] = "2023-13-45".into(); // sheet row 5: a bad date
    rows[12][2] = "张𰻝".into(); // sheet row 14: a character no font has, under --strict
    let xlsx = dir.path().join("officials.xlsx");
    // Sheet row 9: a formula that failed (#DIV/0!) in 姓名.
    {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (c, h) in HEADER.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (i, r) in rows.iter().enumerate() {
            let n = i as u32 + 1;
            for (c, v) in r.iter().enumerate() {
                if c == 3 && i != 3 {
                    let d = ExcelDateTime::from_ymd(2023, 7, (i % 28 + 1) as u8).unwrap();
                    sheet.write_date_with_format(n, 3, &d, &date).unwrap();
                } else if i == 7 && c == 2 {
                    sheet
                        .write_formula(n, 2, Formula::new("=1/0").set_result("#DIV/0!"))
                        .unwrap();
                } else {
                    sheet.write_string(n, c as u16, v).unwrap();
                }
            }
        }
        book.save(&xlsx).unwrap();
    }
    let out = dir.path().join("out");
    let o = batch(&xlsx, &out, &template, &["--strict", "--format", "pdf"]);
    let all = text(&o);
    assert!(!o.status.success(), "{all}");
    assert!(all.contains("197 made, 0 unchanged, 3 failed"), "{all}");
    assert_eq!(files_with(&out, "pdf").len(), 197);
    for (row, why) in [
        (5, "is not a date"),
        (9, "holds the error #DIV/0!"),
        (14, "U+30EDD"),
    ] {
        let label = format!("{}:row {row}", xlsx.display());
        assert!(
            all.contains(&format!("error: {label}")) && all.contains(why),
            "row {row}: {all}"
        );
        let m = manifest(&out);
        let entry = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["row"] == row)
            .unwrap_or_else(|| panic!("row {row} in the manifest"));
        assert_eq!(entry["status"], "failed");
        assert_eq!(entry["label"], label.as_str());
        assert_eq!(entry["files"], serde_json::json!([]));
        let msgs = entry["messages"].to_string();
        assert!(msgs.contains(why), "row {row}: {msgs}");
        assert!(!out.join(format!("row-{row}.pdf")).exists());
    }
    assert_eq!(summary(&out), (197, 0, 3));
    // The good rows around the bad ones are there, and the last row.
    for row in [4, 6, 8, 10, 13, 15, 21, 201] {
        assert!(out.join(format!("row-{row}.pdf")).exists(), "row-{row}");
    }
}

#[test]
fn a_missing_field_fails_its_row_and_tongzhi_without_lists_says_which_field() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    // JSON Lines: line 2 lacks 姓名.
    let jsonl = dir.path().join("rows.jsonl");
    let mut lines = String::new();
    for i in 0..3 {
        let mut obj = serde_json::Map::new();
        for (h, v) in HEADER.iter().zip(row(i)) {
            if !(i == 1 && *h == "姓名") {
                obj.insert(h.to_string(), Value::String(v));
            }
        }
        lines.push_str(&Value::Object(obj).to_string());
        lines.push('\n');
    }
    std::fs::write(&jsonl, lines).unwrap();
    let out = dir.path().join("out");
    let o = batch(&jsonl, &out, &template, &["--format", "pdf"]);
    assert!(!o.status.success());
    let all = text(&o);
    assert!(
        all.contains(&format!("error: {}:line 2: ", jsonl.display()))
            && all.contains("the data has no field '姓名'"),
        "{all}"
    );
    assert_eq!(
        files_with(&out, "pdf"),
        BTreeSet::from(["line-1.pdf".to_string(), "line-3.pdf".to_string()])
    );

    // The bundled 通知 needs lists (事项) a flat sheet does not have: every row fails,
    // naming the field, and nothing is written.
    let csv = dir.path().join("units.csv");
    std::fs::write(
        &csv,
        "organ,title,addressee,intro,signature,date,printer,print_date\n\
         青山县人民政府办公室,关于开展安全生产大检查的通知,各乡镇人民政府,为切实做好安全生产工作。,青山县人民政府办公室,2023-07-01,青山县人民政府办公室,2023-07-01\n\
         青山县人民政府办公室,关于做好防汛工作的通知,各乡镇人民政府,为切实做好防汛工作。,青山县人民政府办公室,2023-07-02,青山县人民政府办公室,2023-07-02\n",
    )
    .unwrap();
    let out2 = dir.path().join("out2");
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "--template",
        "tongzhi",
        "-o",
        out2.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(!o.status.success());
    let all = text(&o);
    for row in [2, 3] {
        assert!(
            all.contains(&format!("error: {}:row {row}: ", csv.display())),
            "{all}"
        );
    }
    assert_eq!(
        all.matches("the data has no field '事项'").count(),
        2,
        "{all}"
    );
    assert!(all.contains("0 made, 0 unchanged, 2 failed"), "{all}");
    assert!(files_with(&out2, "pdf").is_empty());
    assert_eq!(summary(&out2), (0, 0, 2));

    // No template at all: on the command line nor in the row.
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("the row names no template"),
        "{}",
        text(&o)
    );
}

/// Baseline steps between consecutive 16 pt lines of the first page of a PDF.
fn line_steps(pdf: &Path) -> Vec<f64> {
    let o = Command::new("python3")
        .args([PDFLINES, pdf.to_str().unwrap()])
        .output()
        .expect("python3 with pdfplumber is required; run `bash .ci/run`");
    assert!(o.status.success(), "{}", text(&o));
    let lines: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let body: Vec<f64> = lines
        .iter()
        .filter(|l| l["page"] == 1 && (15.0..=17.0).contains(&l["size"].as_f64().unwrap()))
        .map(|l| l["baseline"].as_f64().unwrap())
        .collect();
    body.windows(2).map(|w| w[1] - w[0]).collect()
}

fn mtimes(out: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".manifest.json"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_second_run_rebuilds_nothing_and_a_layout_edit_rebuilds_everything() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let csv = dir.path().join("officials.csv");
    write_gbk_csv(&csv, &twenty_rows());
    let house = dir.path().join("house.toml");
    let bundled = std::fs::read_to_string(format!("{ROOT}/layouts/gbt9704.toml")).unwrap();
    std::fs::write(&house, &bundled).unwrap();
    let out = dir.path().join("out");
    let layout = ["--layout", house.to_str().unwrap()];

    let o = batch_ok(&csv, &out, &template, &layout);
    assert!(text(&o).contains("20 made, 0 unchanged"), "{}", text(&o));
    let before = mtimes(&out);
    assert_eq!(before.len(), 40);

    let o = batch_ok(&csv, &out, &template, &layout);
    assert!(
        text(&o).contains("0 made, 20 unchanged, 0 failed"),
        "{}",
        text(&o)
    );
    assert_eq!(mtimes(&out), before, "nothing is rewritten");
    assert_eq!(summary(&out), (0, 20, 0));
    assert!(!out.join(".officials.csv.journal.jsonl").exists());

    // The same layout text under another name is the same layout.
    let o = batch_ok(&csv, &out, &template, &["--layout", "gbt9704"]);
    assert!(text(&o).contains("0 made, 20 unchanged"), "{}", text(&o));

    // --strict is part of each row's inputs: a strict run checks every row again (issue 9).
    let o = batch_ok(&csv, &out, &template, &["--layout", "gbt9704", "--strict"]);
    assert!(text(&o).contains("20 made, 0 unchanged"), "{}", text(&o));
    // So is --compress (issue 11): another level is other PDF bytes, so every row again.
    let best = ["--layout", "gbt9704", "--strict", "--compress", "best"];
    let o = batch_ok(&csv, &out, &template, &best);
    assert!(text(&o).contains("20 made, 0 unchanged"), "{}", text(&o));
    let o = batch_ok(&csv, &out, &template, &best);
    assert!(text(&o).contains("0 made, 20 unchanged"), "{}", text(&o));

    // One number of the layout file: every document is rebuilt, and the pitch shows in the PDF.
    let on_grid = |steps: &[f64], pitch: f64| {
        steps.len() >= 5
            && steps
                .iter()
                .all(|s| (s / pitch - (s / pitch).round()).abs() < 0.01)
            && (steps.iter().cloned().fold(f64::MAX, f64::min) - pitch).abs() < 0.02
    };
    let steps = line_steps(&out.join("row-2.pdf"));
    assert!(on_grid(&steps, 28.95), "{steps:?}");
    let edited = bundled.replacen("line_pitch_pt = 28.95", "line_pitch_pt = 28.0", 1);
    assert_ne!(edited, bundled, "the layout has line_pitch_pt = 28.95");
    std::fs::write(&house, edited).unwrap();
    let o = batch_ok(&csv, &out, &template, &layout);
    assert!(text(&o).contains("20 made, 0 unchanged"), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "note: the layout file {} changed",
            house.display()
        )),
        "{}",
        text(&o)
    );
    for row in [2, 21] {
        let steps = line_steps(&out.join(format!("row-{row}.pdf")));
        assert!(on_grid(&steps, 28.0), "row {row}: {steps:?}");
    }

    // A missing or edited output is rebuilt; the data of one row is one rebuild.
    std::fs::remove_file(out.join("row-5.docx")).unwrap();
    std::fs::write(out.join("row-6.pdf"), b"edited").unwrap();
    let mut rows = twenty_rows();
    rows[9][4].push_str("另有补充。");
    write_gbk_csv(&csv, &rows);
    let o = batch_ok(&csv, &out, &template, &layout);
    assert!(text(&o).contains("3 made, 17 unchanged"), "{}", text(&o));
    assert!(pdftext(&out.join("row-11.pdf")).contains("另有补充"));

    // --force rebuilds everything; PDF only keeps the DOCX of the same inputs in the manifest.
    let o = batch_ok(
        &csv,
        &out,
        &template,
        &[&layout[..], &["--force", "--format", "pdf"]].concat(),
    );
    assert!(text(&o).contains("20 made, 0 unchanged"), "{}", text(&o));
    let o = batch_ok(&csv, &out, &template, &layout);
    assert!(text(&o).contains("0 made, 20 unchanged"), "{}", text(&o));
}

#[test]
fn output_names_from_the_data_stay_inside_the_folder_and_duplicates_are_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let mut rows: Vec<Vec<String>> = (0..6).map(row).collect();
    rows[0][0] = "../../逃逸".into();
    rows[1][0] = "/etc/passwd".into();
    rows[2][0] = "a/../b".into();
    rows[3][0] = "..".into();
    // Rows 4 and 5 share a name.
    rows[4][0] = "柳河镇".into();
    rows[5][0] = "柳河镇".into();
    rows[5][2] = rows[4][2].clone();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let csv = work.join("rows.csv");
    write_gbk_csv(&csv, &rows);
    let out = work.join("out");
    let o = batch_ok(
        &csv,
        &out,
        &template,
        &["--name", "{{单位}}-{{姓名}}", "--format", "pdf"],
    );
    let all = text(&o);
    let pdfs = files_with(&out, "pdf");
    let want: BTreeSet<String> = [
        "逃逸-张明.pdf",
        "etc_passwd-李华.pdf",
        "a_b-王芳.pdf",
        "-赵强.pdf",
        "柳河镇-刘伟.pdf",
        "柳河镇-刘伟-2.pdf",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(pdfs, want, "{all}");
    // Nothing anywhere else: the temporary folder holds the template, the CSV and out/ only.
    let mut found = Vec::new();
    fn walk(d: &Path, found: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), found);
            } else {
                found.push(e.path());
            }
        }
    }
    walk(dir.path(), &mut found);
    for f in &found {
        assert!(
            f.starts_with(&out) || f == &csv || f == &template,
            "{} was written outside the output folder",
            f.display()
        );
    }
    assert!(
        all.contains("warning: ") && all.contains("this one is named '柳河镇-刘伟-2'"),
        "{all}"
    );
    let m = manifest(&out);
    let dup = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "柳河镇-刘伟-2")
        .unwrap();
    assert_eq!(dup["row"], 7);
    assert!(
        dup["messages"][0]
            .as_str()
            .unwrap()
            .contains("would share a file name")
    );
}

#[test]
fn an_interrupted_run_is_picked_up_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let csv = dir.path().join("officials.csv");
    write_gbk_csv(&csv, &twenty_rows());
    let out = dir.path().join("out");
    batch_ok(&csv, &out, &template, &["--format", "pdf"]);

    // The state a run killed after ten rows leaves: the journal names the finished rows (the
    // last line torn by the kill), there is no manifest, the other rows have no files yet.
    let m = manifest(&out);
    let rows = m["rows"].as_array().unwrap();
    let mut journal = String::new();
    for e in &rows[..10] {
        journal.push_str(&e.to_string());
        journal.push('\n');
    }
    journal.push_str(&rows[10].to_string()[..40]);
    std::fs::write(out.join(".officials.csv.journal.jsonl"), journal).unwrap();
    std::fs::remove_file(out.join("officials.csv.manifest.json")).unwrap();
    for e in &rows[10..] {
        std::fs::remove_file(out.join(e["files"][0]["file"].as_str().unwrap())).unwrap();
    }
    let o = batch_ok(&csv, &out, &template, &["--format", "pdf"]);
    assert!(text(&o).contains("10 made, 10 unchanged"), "{}", text(&o));
    assert!(!out.join(".officials.csv.journal.jsonl").exists());
    assert_eq!(manifest(&out)["complete"], true);

    // A real kill in the middle of a longer run: every file left is whole, and the next run
    // builds only what is missing.
    let rows60: Vec<Vec<String>> = (0..60).map(row).collect();
    let csv60 = dir.path().join("sixty.csv");
    write_gbk_csv(&csv60, &rows60);
    let out60 = dir.path().join("out60");
    let mut child = harness::command()
        .args([
            "batch",
            csv60.to_str().unwrap(),
            "-o",
            out60.to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
            "--no-system-fonts",
            "--jobs",
            "1",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < 30
        && child.try_wait().unwrap().is_none()
        && (!out60.is_dir() || files_with(&out60, "pdf").len() < 5)
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill(); // SIGKILL: no handler runs
    let killed = child.wait().unwrap();
    for f in files_with(&out60, "pdf") {
        let bytes = std::fs::read(out60.join(&f)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{f} is whole");
        assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "{f} is whole");
    }
    let o = batch_ok(&csv60, &out60, &template, &[]);
    let (made, unchanged, failed) = summary(&out60);
    assert_eq!((made + unchanged, failed), (60, 0), "{}", text(&o));
    if !killed.success() {
        // Killed before the end: the rows it finished are not built again.
        assert!(made < 60 && unchanged >= 1, "{}", text(&o));
    }

    // Ctrl-C (SIGINT): the rows in progress finish, the manifest says the run is incomplete and
    // keeps what it knew, and the exit code is 130.
    let mut child = harness::command()
        .args([
            "batch",
            csv60.to_str().unwrap(),
            "-o",
            out60.to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
            "--no-system-fonts",
            "--jobs",
            "1",
            "--force",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let manifest_time = || {
        std::fs::metadata(out60.join("sixty.csv.manifest.json"))
            .and_then(|m| m.modified())
            .ok()
    };
    let before = manifest_time();
    let journal = out60.join(".sixty.csv.journal.jsonl");
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < 30
        && child.try_wait().unwrap().is_none()
        && std::fs::read_to_string(&journal).map_or(0, |j| j.lines().count()) < 3
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    eprintln!(
        "SIGINT run ended with {:?}; the SIGKILL run with {killed:?}",
        o.status.code()
    );
    if o.status.code() == Some(130) {
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("interrupted with"), "{out}");
        let m = manifest(&out60);
        assert_eq!(m["complete"], false);
        assert_ne!(manifest_time(), before);
        // Every row is still in the manifest: the ones not reached keep their entries.
        assert_eq!(m["rows"].as_array().unwrap().len(), 60);
        let o = batch_ok(&csv60, &out60, &template, &[]);
        assert!(text(&o).contains("0 failed"), "{}", text(&o));
        let (made, unchanged, _) = summary(&out60);
        assert_eq!(made + unchanged, 60);
        assert!(unchanged >= 3, "{}", text(&o));
    }
}

/// What a [`gongwen::batch::Progress`] was told, in order.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl gongwen::batch::Progress for Recorder {
    fn started(&self, total: usize) {
        self.0.lock().unwrap().push(format!("started {total}"));
    }
    fn row_done(&self, e: &gongwen::batch::manifest::Entry) {
        let errors = e
            .messages
            .iter()
            .filter(|m| m.starts_with("error: "))
            .count();
        self.0
            .lock()
            .unwrap()
            .push(format!("{:?} {} ({errors} errors)", e.status, e.label));
    }
    fn message(&self, line: &str) {
        self.0.lock().unwrap().push(format!("message {line}"));
    }
    fn finished(&self, manifest: &Path) {
        self.0
            .lock()
            .unwrap()
            .push(format!("finished {}", manifest.display()));
    }
}

#[test]
fn the_library_tells_its_caller_of_the_run_through_progress() {
    // Issue 20: the library prints nothing; the binary's bar and lines are one Progress, and a
    // caller of the library may pass its own.
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    let draft =
        "关于开展检查的通知\n\n各单位：\n\n现将有关事项通知如下。\n\n办公室\n2024年3月1日\n";
    std::fs::write(drafts.join("a.txt"), draft).unwrap();
    std::fs::write(drafts.join("b.txt"), "").unwrap();
    let out = dir.path().join("out");
    let recorder = std::sync::Arc::new(Recorder::default());
    let mut opts = gongwen::batch::BatchOptions::new(&drafts);
    opts.render.out_dir = out.clone();
    opts.render.fonts.system = false;
    opts.render.docx = false;
    opts.jobs = Some(1);
    opts.progress = recorder.clone();
    let summary = gongwen::batch::run(&opts).unwrap();
    assert_eq!((summary.counts.made, summary.counts.failed), (1, 1));
    let mut told = recorder.0.lock().unwrap().clone();
    assert_eq!(told.first().map(String::as_str), Some("started 2"));
    assert_eq!(
        told.pop(),
        Some(format!("finished {}", summary.manifest.display()))
    );
    let a = drafts.join("a.txt").display().to_string();
    let b = drafts.join("b.txt").display().to_string();
    let mut rows = told[1..].to_vec();
    rows.sort();
    assert_eq!(
        rows,
        [
            format!("Failed {b} (1 errors)"),
            format!("Made {a} (0 errors)")
        ]
    );
}
