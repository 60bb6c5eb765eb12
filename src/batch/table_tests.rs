//! Tests of tables as office sheets have them: title rows above the header, merged cells,
//! `--header-row`, and CSV files in every encoding and line ending, with their limits (kept
//! beside `table.rs`, the rules they test).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;

use crate::batch::source::*;

fn no_opts() -> SourceOptions {
    SourceOptions::default()
}

/// An office sheet: a title merged across the table, a blank row, the header on row 3, and
/// 单位 merged down over each unit's officials.
fn office_sheet(dir: &Path) -> PathBuf {
    let path = dir.join("名单.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let plain = Format::new();
    s.merge_range(0, 0, 0, 3, "2024年度述职述廉报告名单", &plain)
        .unwrap();
    for (j, h) in ["单位", "姓名", "职务", "年度"].into_iter().enumerate() {
        s.write_string(2, j as u16, h).unwrap();
    }
    s.merge_range(3, 0, 5, 0, "青山县柳河镇", &plain).unwrap();
    s.merge_range(6, 0, 7, 0, "青山县河西乡", &plain).unwrap();
    let people = [
        ("张明", "镇长"),
        ("李华", "副镇长"),
        ("王芳", "纪委书记"),
        ("赵强", "乡长"),
        ("刘静", "副乡长"),
    ];
    for (i, (name, post)) in people.into_iter().enumerate() {
        s.write_string(3 + i as u32, 1, name).unwrap();
        s.write_string(3 + i as u32, 2, post).unwrap();
        s.write_number(3 + i as u32, 3, 2024).unwrap();
    }
    // A range merged down past the last official: a row of nothing else is no record.
    s.merge_range(9, 0, 10, 0, "青山县石门镇", &plain).unwrap();
    s.write_string(9, 1, "孙杰").unwrap();
    book.save(&path).unwrap();
    path
}

#[test]
fn header_below_a_merged_title_and_merged_cells_fill_their_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = office_sheet(dir.path());
    let records = open(&path, &no_opts()).unwrap();
    let got: Vec<(usize, String, String)> = records
        .iter()
        .map(|r| {
            (
                r.row,
                r.fields["单位"].as_str().unwrap().to_string(),
                r.fields["姓名"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (4, "青山县柳河镇", "张明"),
        (5, "青山县柳河镇", "李华"),
        (6, "青山县柳河镇", "王芳"),
        (7, "青山县河西乡", "赵强"),
        (8, "青山县河西乡", "刘静"),
        (10, "青山县石门镇", "孙杰"),
    ];
    let want: Vec<(usize, String, String)> = want
        .iter()
        .map(|(r, u, n)| (*r, u.to_string(), n.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(records[0].fields["年度"], json!(2024));
    assert_eq!(records[0].fields.len(), 4);
    assert_eq!(
        records[0].header.as_deref(),
        Some(format!("{}:row 3", path.display()).as_str())
    );
}

#[test]
fn header_row_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = office_sheet(dir.path());
    let opts = SourceOptions {
        header_row: Some(3),
        ..no_opts()
    };
    assert_eq!(open(&path, &opts).unwrap().len(), 6);
    // Row 4 as the header: its values become the field names.
    let opts = SourceOptions {
        header_row: Some(4),
        ..no_opts()
    };
    let records = open(&path, &opts).unwrap();
    assert_eq!(records[0].row, 5);
    assert_eq!(records[0].fields["张明"], json!("李华"));
    // The blank row 2: an error naming it.
    let opts = SourceOptions {
        header_row: Some(2),
        ..no_opts()
    };
    let e = open(&path, &opts).unwrap_err();
    assert_eq!(e.location(), format!("{}:row 2", path.display()));
    assert_eq!(e.message, "--header-row 2: row 2 is empty");
    // A missing column's error says which row was taken as the header.
    let items = dir.path().join("items.csv");
    std::fs::write(&items, "工号,事项\n1,防汛\n").unwrap();
    let opts = SourceOptions {
        items: Some(ItemsSpec {
            source: ItemsSource::File(items),
            key: "工号".into(),
            field: "items".into(),
        }),
        ..no_opts()
    };
    let e = open(&path, &opts).unwrap_err();
    assert_eq!(e.location(), format!("{}:row 3", path.display()));
    assert_eq!(e.message, "no column '工号' to match the items by");
    assert!(
        e.hints
            .iter()
            .any(|h| h.contains("read from row 3") && h.contains("--header-row N")),
        "{e}"
    );
}

#[test]
fn header_search_skips_titles_and_subtitles_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名单.csv");
    let text = "2024年度述职述廉报告名单,,,,,\n填报单位：组织部,,,,,2024年3月1日\n\n序号,单位,姓名,职务,年度,备注\n1,柳河镇,张明,镇长,2024,\n";
    std::fs::write(&path, text).unwrap();
    let records = open(&path, &no_opts()).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].row, 5);
    assert_eq!(records[0].fields["姓名"], json!("张明"));
    // A table with no title: its first row, as always.
    std::fs::write(&path, "姓名\n张明\n李华\n").unwrap();
    assert_eq!(open(&path, &no_opts()).unwrap().len(), 2);
}

#[test]
fn unclosed_csv_quote_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quote.csv");
    std::fs::write(
        &path,
        "姓名,简历\n张三,\"一\n二\"\n李四,\"他说\"\"好\"\"\n王五,五\n赵六,六\n",
    )
    .unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert_eq!(e.location(), format!("{}:4", path.display()));
    assert_eq!(e.message, "a quote opens a cell here and is never closed");
    // Closed quotes, doubled quotes inside and a quote inside an unquoted cell are fine.
    std::fs::write(
        &path,
        "姓名,简历\n张三,\"一\n二\"\n李四,\"他说\"\"好\"\"\"\n王五,五\"寸\n",
    )
    .unwrap();
    let records = open(&path, &no_opts()).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[1].fields["简历"], json!("他说\"好\""));
    assert_eq!(records[2].fields["简历"], json!("五\"寸"));
    assert_eq!(records[2].row, 4);
}

/// Rows of unit names and officials, as a 组织部 sheet has them.
const UNITS_CSV: &str = "单位,姓名,职务\r\n青山县柳河镇人民政府,张明,镇长\r\n青山县河西乡人民政府,李华,副乡长\r\n青山县纪律检查委员会,王芳,书记\r\n";

#[test]
fn big5_csv_is_refused_and_gbk_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big5.csv");
    let traditional =
        "單位,姓名,職務\r\n青山縣柳河鎮人民政府,張明,鎮長\r\n青山縣河西鄉人民政府,李華,副鄉長\r\n";
    let (bytes, _, bad) = encoding_rs::BIG5.encode(traditional);
    assert!(!bad);
    // The trap: Big5 bytes are valid GBK, and decode without one error into mojibake.
    assert!(
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some()
    );
    std::fs::write(&path, &bytes).unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert_eq!(
        e.message,
        "the file is not UTF-8, UTF-16 or GBK text (it looks like Big5)"
    );
    assert!(e.hints[0].starts_with("save it as UTF-8 or GBK"), "{e}");

    let path = dir.path().join("gbk.csv");
    let (bytes, _, bad) = encoding_rs::GBK.encode(UNITS_CSV);
    assert!(!bad);
    std::fs::write(&path, &bytes).unwrap();
    let records = open(&path, &no_opts()).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[2].fields["单位"], json!("青山县纪律检查委员会"));
    // Latin-1 (windows-1252) is not guessed either.
    let (bytes, _, _) =
        encoding_rs::WINDOWS_1252.encode("name,city\r\nZoë,Besançon\r\nRené,Orléans\r\n");
    std::fs::write(&path, &bytes).unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert!(
        e.message
            .starts_with("the file is not UTF-8, UTF-16 or GBK text"),
        "{e}"
    );
    // Short GBK files, with few hanzi to judge by, are GBK too.
    for text in [
        "姓名\r\n张三\r\n",
        "单位,姓名\r\n柳河镇,张明\r\n",
        "name,age\r\n李四,30\r\n",
        "序号,姓名,性别\r\n1,王芳,女\r\n2,赵强,男\r\n",
    ] {
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        std::fs::write(&path, &bytes).unwrap();
        let got = open(&path, &no_opts());
        assert!(got.is_ok(), "{text}: {}", got.unwrap_err());
    }
}

#[test]
fn utf16_with_bom_and_cr_only_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bom, wide) in [
        (
            "le.csv",
            [0xFF, 0xFE],
            u16::to_le_bytes as fn(u16) -> [u8; 2],
        ),
        (
            "be.csv",
            [0xFE, 0xFF],
            u16::to_be_bytes as fn(u16) -> [u8; 2],
        ),
    ] {
        let path = dir.path().join(name);
        let mut bytes = bom.to_vec();
        for u in UNITS_CSV.encode_utf16() {
            bytes.extend(wide(u));
        }
        std::fs::write(&path, &bytes).unwrap();
        let records = open(&path, &no_opts()).unwrap();
        assert_eq!(records.len(), 3, "{name}");
        assert_eq!(records[0].fields["姓名"], json!("张明"), "{name}");
        assert_eq!(records[2].row, 4, "{name}");
    }
    // Old Mac line ends: a lone \r. Rows as Excel numbers them, a blank row and a cell of
    // two lines included.
    let path = dir.path().join("cr.csv");
    std::fs::write(&path, "姓名,简历\r张三,\"一\r二\"\r\r李四,四\r").unwrap();
    let records = open(&path, &no_opts()).unwrap();
    let rows: Vec<usize> = records.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 4]);
    assert_eq!(records[0].fields["简历"], json!("一\n二"));
}

#[test]
fn undecodable_bytes_after_the_sample_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.csv");
    // Valid UTF-8 for the first megabyte decides UTF-8; a GBK byte pair on a later line is an
    // error at that line.
    let mut bytes = b"name\n".to_vec();
    while bytes.len() < (1 << 20) + 10 {
        bytes.extend_from_slice(b"abcdefghijklmnopqrstuvwxyz\n");
    }
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    bytes.extend_from_slice(b"\xc7\xe0\xc9\xbd\n");
    std::fs::write(&path, &bytes).unwrap();
    let e = open(&path, &no_opts()).unwrap_err();
    assert_eq!(e.location(), format!("{}:{}", path.display(), lines + 1));
    assert!(
        e.message.starts_with("bytes that are not UTF-8 text"),
        "{e}"
    );
}

#[test]
fn zip_bomb_is_refused_before_decompression_and_limits_are_flags() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..3 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 20_000);
    let opts = SourceOptions {
        limits: Limits {
            max_bytes: 2 << 20,
            ..Limits::default()
        },
        ..no_opts()
    };
    let e = open(&path, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "the sheet holds 3 MB, more than the limit of 2 MB"
    );
    assert!(e.hints[0].contains("--max-sheet-mb"), "{e}");

    // Rows: the limit counts data rows.
    let csv = dir.path().join("rows.csv");
    std::fs::write(&csv, "a\n1\n2\n3\n").unwrap();
    let opts = SourceOptions {
        limits: Limits {
            max_rows: 2,
            ..Limits::default()
        },
        ..no_opts()
    };
    let e = open(&csv, &opts).unwrap_err();
    assert_eq!(e.message, "more than 2 rows");
    assert_eq!(e.location(), format!("{}:row 4", csv.display()));
    assert!(e.hints[0].contains("--max-rows"), "{e}");
    // A CSV larger than the size limit.
    let opts = SourceOptions {
        limits: Limits {
            max_bytes: 4,
            ..Limits::default()
        },
        ..no_opts()
    };
    assert!(
        open(&csv, &opts)
            .unwrap_err()
            .message
            .contains("limit of 0 MB")
    );
}
