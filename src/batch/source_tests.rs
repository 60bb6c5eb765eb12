//! Tests of the row sources (kept beside `source.rs` so that file stays readable).

use super::*;
use crate::batch::formats::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::json;

fn no_opts() -> SourceOptions {
    SourceOptions::default()
}

/// Records and row errors of a source, in order.
fn all(path: &Path, opts: &SourceOptions) -> Vec<Result<Record, Error>> {
    let mut out = Vec::new();
    for_each(path, opts, |r| out.push(r)).unwrap();
    out
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(27), "AB");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn numbers_are_integers_when_whole() {
    assert_eq!(number(3.0), json!(3));
    assert_eq!(number(-2.0), json!(-2));
    assert_eq!(number(0.25), json!(0.25));
    assert_eq!(number(0.1 + 0.2), json!(0.3));
    assert_eq!(number(2.9999999999999996), json!(3));
}

#[test]
fn excel_dates_and_times_as_iso_text() {
    use calamine::{ExcelDateTime, ExcelDateTimeType::*};
    let text = |v, t| excel_datetime(&ExcelDateTime::new(v, t, false));
    assert_eq!(text(45108.0, DateTime), "2023-07-01");
    assert_eq!(text(45108.75, DateTime), "2023-07-01T18:00:00");
    assert_eq!(text(0.395833333333333, DateTime), "09:30:00");
    assert_eq!(text(1.5625, TimeDelta), "37:30:00");
    // The 1904 date system of old Mac workbooks gives the same date.
    let d = ExcelDateTime::new(45108.0 - 1462.0, DateTime, true);
    assert_eq!(excel_datetime(&d), "2023-07-01");
}

#[test]
fn xlsx_cells_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("officials.xlsx");
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet();
    for (j, h) in [
        "姓名",
        " 任职日期 ",
        "人数",
        "比例",
        "党员",
        "备注",
        "简历",
        "会议",
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(0, j as u16, h).unwrap();
    }
    sheet.write_string(1, 0, "张三").unwrap();
    sheet
        .write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2023, 7, 1).unwrap(), &date)
        .unwrap();
    sheet.write_number(1, 2, 3).unwrap();
    sheet.write_number(1, 3, 0.25).unwrap();
    sheet.write_boolean(1, 4, true).unwrap();
    // F2 (备注) left empty.
    sheet
        .write_string(1, 6, "第一段\r\n第二段\n第三段")
        .unwrap();
    let meeting = ExcelDateTime::from_ymd(2023, 7, 1)
        .unwrap()
        .and_hms(9, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 7, meeting, &datetime)
        .unwrap();
    // Row 3 is entirely empty and skipped; row 4 has only its name.
    sheet.write_string(3, 0, "李四").unwrap();
    book.save(&path).unwrap();

    let records = open(&path, &no_opts()).unwrap();
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.row, 2);
    assert_eq!(r.label, format!("{}:row 2", path.display()));
    assert_eq!(r.fields["姓名"], json!("张三"));
    assert_eq!(r.fields["任职日期"], json!("2023-07-01"));
    assert_eq!(r.fields["人数"], json!(3));
    assert!(r.fields["人数"].is_i64());
    assert_eq!(r.fields["比例"], json!(0.25));
    assert_eq!(r.fields["党员"], json!(true));
    assert_eq!(r.fields["备注"], json!(""));
    assert_eq!(r.fields["简历"], json!("第一段\n第二段\n第三段"));
    assert_eq!(r.fields["会议"], json!("2023-07-01T09:30:00"));
    let r = &records[1];
    assert_eq!(r.row, 4);
    assert_eq!(r.fields["姓名"], json!("李四"));
    assert_eq!(r.fields["任职日期"], json!(""));
    assert_eq!(r.fields.len(), 8);
}

#[test]
fn sheets_by_name_and_first_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("说明").unwrap();
    s.write_string(0, 0, "说明").unwrap();
    s.write_string(1, 0, "本表供述职使用").unwrap();
    let s = book.add_worksheet().set_name("名单").unwrap();
    // The used range starts at B3: row and column numbers are still the sheet's.
    s.write_string(2, 1, "姓名").unwrap();
    s.write_string(3, 1, "王五").unwrap();
    book.save(&path).unwrap();

    let first = open(&path, &no_opts()).unwrap();
    assert_eq!(first[0].fields["说明"], json!("本表供述职使用"));

    let opts = SourceOptions {
        sheet: Some("名单".into()),
        items: None,
        ..no_opts()
    };
    let named = open(&path, &opts).unwrap();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].row, 4);
    assert_eq!(named[0].label, format!("{}:名单:row 4", path.display()));
    assert_eq!(named[0].fields["姓名"], json!("王五"));

    let opts = SourceOptions {
        sheet: Some("名册".into()),
        items: None,
        ..no_opts()
    };
    let e = open(&path, &opts).unwrap_err();
    assert_eq!(e.message, "no sheet named '名册'");
    assert_eq!(e.location(), path.display().to_string());
    assert_eq!(e.hints, vec!["the sheets are: 说明, 名单".to_string()]);
}

#[test]
fn header_errors_name_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "姓名").unwrap();
    s.write_string(0, 1, "单位").unwrap();
    s.write_string(0, 26, " 姓名 ").unwrap();
    s.write_string(1, 0, "张三").unwrap();
    book.save(&path).unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert_eq!(e.message, "columns A and AA both have the header '姓名'");
    assert_eq!(e.location(), format!("{}:row 1", path.display()));

    // An empty header above an empty column is ignored; above a value, the row fails.
    let path = dir.path().join("gap.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "姓名").unwrap();
    s.write_string(0, 2, "单位").unwrap();
    s.write_string(0, 4, "职务").unwrap();
    s.write_string(1, 0, "张三").unwrap();
    s.write_string(2, 0, "李四").unwrap();
    s.write_string(2, 3, "多余").unwrap();
    book.save(&path).unwrap();
    let rows = all(&path, &no_opts());
    assert_eq!(rows.len(), 2);
    let ok = rows[0].as_ref().unwrap();
    assert_eq!(ok.fields.keys().collect::<Vec<_>>().len(), 3);
    let e = rows[1].as_ref().unwrap_err();
    assert_eq!(e.message, "column D has a value but no header");
    assert_eq!(e.location(), format!("{}:row 3", path.display()));
}

#[test]
fn error_cells_fail_their_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calc.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "姓名").unwrap();
    s.write_string(0, 1, "得分").unwrap();
    s.write_string(1, 0, "张三").unwrap();
    s.write_formula(1, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    s.write_string(2, 0, "李四").unwrap();
    s.write_number(2, 1, 90).unwrap();
    book.save(&path).unwrap();
    let rows = all(&path, &no_opts());
    assert_eq!(rows.len(), 2);
    let e = rows[0].as_ref().unwrap_err();
    assert_eq!(e.location(), format!("{}:row 2", path.display()));
    assert_eq!(e.message, "column B (得分) holds the error #DIV/0!");
    assert_eq!(rows[1].as_ref().unwrap().fields["得分"], json!(90));
    // open() stops at the bad row.
    assert_eq!(open(&path, &no_opts()).unwrap_err().message, e.message);
}

#[test]
fn csv_in_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.csv");
    let text = "单位,联系人,人数\r\n青山县柳河镇,张三,3\r\n,,\r\n河西区,\"李四\r\n王五\",12\r\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    assert!(std::str::from_utf8(&bytes).is_err());
    std::fs::write(&path, &bytes).unwrap();
    let records = open(&path, &no_opts()).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].row, 2);
    assert_eq!(records[0].fields["单位"], json!("青山县柳河镇"));
    // CSV cells stay text.
    assert_eq!(records[0].fields["人数"], json!("3"));
    assert_eq!(records[1].row, 4);
    assert_eq!(records[1].fields["联系人"], json!("李四\n王五"));
}

#[test]
fn csv_with_utf8_bom_and_rows_after_multiline_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.csv");
    let text = "\u{feff}姓名 , 简历\n张三,\"一\n二\n三\"\n\n李四,四\n王五\n";
    std::fs::write(&path, text).unwrap();
    let records = open(&path, &no_opts()).unwrap();
    let names: Vec<_> = records.iter().map(|r| r.fields["姓名"].clone()).collect();
    assert_eq!(names, vec![json!("张三"), json!("李四"), json!("王五")]);
    assert_eq!(records[0].fields["简历"], json!("一\n二\n三"));
    // As Excel numbers them: header 1, 张三 2, the blank row 3, 李四 4, 王五 5.
    let rows: Vec<_> = records.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 4, 5]);
    // A short row still has every field.
    assert_eq!(records[2].fields["简历"], json!(""));
}

#[test]
fn undecodable_csv_names_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, b"name\nab\xff\xffcd\n").unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert!(e.message.contains("offset 7"), "{e}");
    assert!(e.location().ends_with("bad.csv:2"), "{e}");
}

#[test]
fn jsonl_lines_and_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.jsonl");
    std::fs::write(
        &path,
        "{\"姓名\": \"张三\", \"年\": 2023}\n\n{\"姓名\": \"李四\",}\r\n[1]\n{\"姓名\": \"王五\"}\n",
    )
    .unwrap();
    let rows = all(&path, &no_opts());
    assert_eq!(rows.len(), 4);
    let first = rows[0].as_ref().unwrap();
    assert_eq!((first.row, first.fields["年"].clone()), (1, json!(2023)));
    let e = rows[1].as_ref().unwrap_err();
    assert_eq!(e.location(), format!("{}:3:13", path.display()));
    assert!(e.message.starts_with("invalid JSON (trailing comma"), "{e}");
    let e = rows[2].as_ref().unwrap_err();
    assert_eq!(e.location(), format!("{}:4:1", path.display()));
    let last = rows[3].as_ref().unwrap();
    assert_eq!(last.row, 5);
    assert_eq!(last.label, format!("{}:line 5", path.display()));
}

#[test]
fn yaml_and_json_lists() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("list.yaml");
    std::fs::write(
        &yaml,
        "- 姓名: 张三\n  年: 2023\n- 姓名: 李四\n  事项: [甲, 乙]\n",
    )
    .unwrap();
    let records = open(&yaml, &no_opts()).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].row, 2);
    assert_eq!(records[1].label, format!("{}:item 2", yaml.display()));
    assert_eq!(records[1].fields["事项"], json!(["甲", "乙"]));

    let json = dir.path().join("list.json");
    std::fs::write(&json, r#"[{"姓名": "张三"}, 5]"#).unwrap();
    let rows = all(&json, &no_opts());
    assert_eq!(rows[0].as_ref().unwrap().fields["姓名"], json!("张三"));
    assert!(rows[1].is_err());

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "[\n  {\"姓名\": 张三}\n]").unwrap();
    let e = open(&broken, &no_opts()).unwrap_err();
    assert_eq!(e.location(), format!("{}:2:10", broken.display()));

    let single = dir.path().join("one.yaml");
    std::fs::write(&single, "姓名: 张三\n").unwrap();
    let e = open(&single, &no_opts()).unwrap_err();
    assert_eq!(e.message, "the file does not hold a list of mappings");

    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "- a: 1\n- b: [1, 2\n").unwrap();
    let e = open(&broken, &no_opts()).unwrap_err();
    assert!(
        e.location().starts_with(&format!("{}:", broken.display())),
        "{e}"
    );
}

#[test]
fn a_folder_of_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    std::fs::write(reports.join("b.yaml"), "template: shuzhi\n姓名: 李四\n").unwrap();
    std::fs::write(reports.join("a.json"), r#"{"姓名": "张三"}"#).unwrap();
    // A .txt is a draft: its text, no fields (a .docx too; tests/all/wordin.rs).
    std::fs::write(reports.join("notes.txt"), "标题\n正文").unwrap();
    std::fs::write(reports.join("notes.md"), "not data").unwrap();
    std::fs::write(reports.join(".hidden.yaml"), "x: 1\n").unwrap();
    std::fs::create_dir(reports.join("sub.yaml")).unwrap();
    let records = open(&reports, &no_opts()).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[2].text.as_deref(), Some("标题\n正文"));
    assert!(records[2].fields.is_empty());
    assert_eq!(records[0].text, None);
    assert_eq!(
        records[0].label,
        reports.join("a.json").display().to_string()
    );
    assert_eq!(records[0].fields["姓名"], json!("张三"));
    assert_eq!(records[1].row, 2);
    assert_eq!(records[1].fields["template"], json!("shuzhi"));

    // A file that does not parse fails its row only.
    std::fs::write(reports.join("c.toml"), "姓名 = \n").unwrap();
    let rows = all(&reports, &no_opts());
    assert_eq!(rows.len(), 4);
    let e = rows[2].as_ref().unwrap_err();
    assert!(
        e.location()
            .starts_with(&reports.join("c.toml").display().to_string()),
        "{e}"
    );
}

/// A workbook with a 名单 sheet and a 工作 sheet of items keyed by 工号.
fn officials(dir: &Path, orphan: bool) -> PathBuf {
    let path = dir.join("officials.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("名单").unwrap();
    for (j, h) in ["工号", "姓名"].into_iter().enumerate() {
        s.write_string(0, j as u16, h).unwrap();
    }
    s.write_number(1, 0, 7).unwrap();
    s.write_string(1, 1, "张三").unwrap();
    s.write_string(2, 0, "A8").unwrap();
    s.write_string(2, 1, "李四").unwrap();
    s.write_number(3, 0, 9).unwrap();
    s.write_string(3, 1, "王五").unwrap();
    let s = book.add_worksheet().set_name("工作").unwrap();
    for (j, h) in ["工号", "事项"].into_iter().enumerate() {
        s.write_string(0, j as u16, h).unwrap();
    }
    let items: &[(&str, &str)] = &[("7", "招商引资"), ("A8", "防汛"), ("7", "乡村振兴")];
    for (i, (k, t)) in items.iter().enumerate() {
        // Keys as numbers where they are numbers, as a user's sheet would have them.
        match k.parse::<f64>() {
            Ok(n) => s.write_number(i as u32 + 1, 0, n).unwrap(),
            Err(_) => s.write_string(i as u32 + 1, 0, *k).unwrap(),
        };
        s.write_string(i as u32 + 1, 1, *t).unwrap();
    }
    if orphan {
        s.write_number(4, 0, 70).unwrap();
        s.write_string(4, 1, "无主").unwrap();
    }
    book.save(&path).unwrap();
    path
}

#[test]
fn items_from_a_second_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = officials(dir.path(), false);
    let opts = SourceOptions {
        sheet: Some("名单".into()),
        items: Some(ItemsSpec {
            source: ItemsSource::Sheet("工作".into()),
            key: "工号".into(),
            field: "items".into(),
        }),
        ..no_opts()
    };
    let records = open(&path, &opts).unwrap();
    assert_eq!(records.len(), 3);
    let titles = |r: &Record| -> Vec<Value> {
        r.fields["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["事项"].clone())
            .collect()
    };
    assert_eq!(
        titles(&records[0]),
        vec![json!("招商引资"), json!("乡村振兴")]
    );
    assert_eq!(records[0].fields["items"][0]["工号"], json!(7));
    assert_eq!(titles(&records[1]), vec![json!("防汛")]);
    assert_eq!(records[2].fields["items"], json!([]));

    let path = officials(dir.path(), true);
    let e = open(&path, &opts).unwrap_err();
    assert!(e.message.contains("'70'"), "{e}");
    assert!(e.message.contains("row 5"), "{e}");
    assert_eq!(e.location(), format!("{}:工作", path.display()));

    // A failing main row's items are not orphans: the row's own error is reported.
    let broken = dir.path().join("broken.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("名单").unwrap();
    s.write_string(0, 0, "工号").unwrap();
    s.write_string(1, 0, "1").unwrap();
    s.write_formula(2, 0, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    let s = book.add_worksheet().set_name("工作").unwrap();
    s.write_string(0, 0, "工号").unwrap();
    s.write_string(0, 1, "事项").unwrap();
    s.write_string(1, 0, "2").unwrap();
    s.write_string(1, 1, "甲").unwrap();
    book.save(&broken).unwrap();
    let rows = all(&broken, &opts);
    assert_eq!(rows[0].as_ref().unwrap().fields["items"], json!([]));
    assert!(rows[1].as_ref().unwrap_err().message.contains("#DIV/0!"));

    let mut bad_key = opts.clone();
    bad_key.items.as_mut().unwrap().key = "编号".into();
    let e = open(&path, &bad_key).unwrap_err();
    assert_eq!(e.message, "no column '编号' to match the items by");
    assert_eq!(e.hints[1], "the columns are: 工号, 姓名");
}

#[test]
fn items_from_a_second_csv() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("units.csv");
    std::fs::write(&main, "编号,单位\n1,柳河镇\n2,河西区\n").unwrap();
    let items = dir.path().join("tasks.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode("编号,任务\n2,排查隐患\n1,整改\n2,上报\n");
    std::fs::write(&items, &gbk).unwrap();
    let mut opts = SourceOptions {
        sheet: None,
        items: Some(ItemsSpec {
            source: ItemsSource::File(items.clone()),
            key: "编号".into(),
            field: "任务清单".into(),
        }),
        ..no_opts()
    };
    let records = open(&main, &opts).unwrap();
    assert_eq!(
        records[1].fields["任务清单"],
        json!([{"编号": "2", "任务": "排查隐患"}, {"编号": "2", "任务": "上报"}])
    );
    assert_eq!(
        records[0].fields["任务清单"],
        json!([{"编号": "1", "任务": "整改"}])
    );

    std::fs::write(&items, "编号,任务\n3,甲\n1,乙\n4,丙\n").unwrap();
    let e = open(&main, &opts).unwrap_err();
    assert!(
        e.message.contains("'3'") && e.message.contains("'4'"),
        "{e}"
    );
    assert!(!e.message.contains("'1'"), "{e}");

    // A sheet as the items of a CSV is an error, not silently nothing.
    opts.items.as_mut().unwrap().source = ItemsSource::Sheet("工作".into());
    let e = open(&main, &opts).unwrap_err();
    assert!(e.message.contains("need a workbook"), "{e}");
}

#[test]
fn unknown_formats_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("a.txt");
    std::fs::write(&txt, "x").unwrap();
    let e = open(&txt, &no_opts()).unwrap_err();
    assert!(
        e.message.starts_with("cannot read '.txt' files as rows"),
        "{e}"
    );
    let e = open(&dir.path().join("nope.xlsx"), &no_opts()).unwrap_err();
    assert_eq!(e.message, "no such file or folder");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "\n\n").unwrap();
    assert_eq!(
        open(&empty, &no_opts()).unwrap_err().message,
        "the file is empty"
    );
}
