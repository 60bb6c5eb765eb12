//! `gongwen batch` on sheets as offices make them (issues 9 and 10): a merged title row above
//! the header, 单位 merged down over its officials, `--header-row`, a missing column's error
//! naming the header row, and the encodings and limits a sheet is refused for.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::harness::gongwen;
use rust_xlsxwriter::{Format, Workbook};

/// A short 述职述廉报告 with field names of this test's own (not the bundled templates').
const TEMPLATE: &str =
    "{{单位}}{{职务}}{{姓名}}述职报告\n{{单位}}{{姓名}}同志{{年度}}年度履职情况如下。\n";

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `gongwen batch SOURCE -o OUT --template T --format docx --name NAME ARGS…`.
fn batch_named(dir: &Path, source: &Path, name: &str, args: &[&str]) -> Output {
    let template = dir.join("short.hbs");
    std::fs::write(&template, TEMPLATE).unwrap();
    let out = dir.join("out");
    let mut a = vec![
        "batch",
        source.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--template",
        template.to_str().unwrap(),
        "--format",
        "docx",
        "--name",
        name,
        "--no-system-fonts",
    ];
    a.extend(args);
    gongwen(&a)
}

/// [`batch_named`] with the files named by 姓名.
fn batch(dir: &Path, source: &Path, args: &[&str]) -> Output {
    batch_named(dir, source, "{{姓名}}", args)
}

/// The text of a DOCX's body.
fn docx_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect()
}

/// Title merged over A1:D1, a blank row, the header on row 3, 单位 merged down over its people.
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
    for (i, (name, post)) in [("张明", "镇长"), ("李华", "副镇长"), ("王芳", "纪委书记")]
        .into_iter()
        .enumerate()
    {
        s.write_string(3 + i as u32, 1, name).unwrap();
        s.write_string(3 + i as u32, 2, post).unwrap();
        s.write_number(3 + i as u32, 3, 2024).unwrap();
    }
    book.save(&path).unwrap();
    path
}

#[test]
fn a_merged_title_row_and_merged_unit_cells_make_every_document_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = office_sheet(dir.path());
    let o = batch(dir.path(), &sheet, &[]);
    assert!(o.status.success(), "{}", text(&o));
    for (name, post) in [("张明", "镇长"), ("李华", "副镇长"), ("王芳", "纪委书记")]
    {
        let t = docx_text(&dir.path().join(format!("out/{name}.docx")));
        assert!(
            t.contains(&format!("青山县柳河镇{post}{name}述职报告")),
            "{name}: {t}"
        );
        assert!(t.contains("2024年度"), "{name}: {t}");
    }
    // One manifest per source: `SOURCE.manifest.json`.
    let name = sheet.file_name().unwrap().to_string_lossy();
    let path = dir.path().join(format!("out/{name}.manifest.json"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let rows: Vec<u64> = manifest["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, vec![4, 5, 6]);
}

#[test]
fn a_missing_column_names_the_header_row_and_header_row_chooses_it() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = office_sheet(dir.path());
    // Row 4 taken as the header: its cells are not the template's fields.
    let o = batch_named(dir.path(), &sheet, "{{张明}}", &["--header-row", "4"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("no field"), "{t}");
    assert!(
        t.contains(&format!(
            "the columns were read from the header in {}:row 4",
            sheet.display()
        )),
        "{t}"
    );
    assert!(t.contains("--header-row N"), "{t}");
    let o = batch(dir.path(), &sheet, &["--header-row", "3"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = batch(dir.path(), &sheet, &["--header-row", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn a_big5_csv_an_open_quote_and_a_zip_bomb_are_refused_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let big5 = dir.path().join("big5.csv");
    let (bytes, _, _) = encoding_rs::BIG5.encode(
        "單位,姓名,職務,年度\r\n青山縣柳河鎮人民政府,張明,鎮長,2024\r\n青山縣河西鄉人民政府,李華,副鄉長,2024\r\n",
    );
    std::fs::write(&big5, &bytes).unwrap();
    let o = batch(dir.path(), &big5, &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("it looks like Big5"), "{t}");
    assert!(t.contains("hint: save it as UTF-8 or GBK"), "{t}");

    let quote = dir.path().join("quote.csv");
    std::fs::write(
        &quote,
        "单位,姓名,职务,年度\n柳河镇,张明,\"镇长,2024\n河西乡,李华,乡长,2024\n",
    )
    .unwrap();
    let o = batch(dir.path(), &quote, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains(&format!(
            "{}:2: a quote opens a cell here and is never closed",
            quote.display()
        )),
        "{}",
        text(&o)
    );
    assert!(!dir.path().join("out/张明.docx").exists());

    // 3 MB of one part, a few kB of zip: over a 2 MB limit, refused by its declared size.
    let bomb = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    zip.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(&mut zip, &vec![b' '; 3 << 20]).unwrap();
    zip.finish().unwrap();
    let o = batch(dir.path(), &bomb, &["--max-sheet-mb", "2"]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(
        t.contains("the sheet holds 3 MB, more than the limit of 2 MB"),
        "{t}"
    );
    assert!(t.contains("--max-sheet-mb N"), "{t}");
    let sheet = office_sheet(dir.path());
    let o = batch(dir.path(), &sheet, &["--max-rows", "2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("more than 2 rows"), "{}", text(&o));
}

/// A copy of a zip (a workbook) with `from` replaced by `to` in its part `part`.
fn patch_zip(path: &Path, part: &str, from: &str, to: &str) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        parts.push((f.name().unwrap().to_string(), bytes));
    }
    let mut found = false;
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, mut bytes) in parts {
        if name == part {
            let xml = String::from_utf8(bytes).unwrap();
            found = xml.contains(from);
            bytes = xml.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
    assert!(found, "{from} in {part}");
}

#[test]
fn merged_ranges_written_backwards_fill_the_same_cells_as_written_forwards() {
    // Issue 19: `<mergeCell ref="D1:A1"/>` (as xlwt and hand-made files write it) panicked
    // (exit 101; HTTP 500 through the page).
    let dir = tempfile::tempdir().unwrap();
    let sheet = office_sheet(dir.path());
    let part = "xl/worksheets/sheet1.xml";
    patch_zip(&sheet, part, r#"ref="A1:D1""#, r#"ref="D1:A1""#);
    patch_zip(&sheet, part, r#"ref="A4:A6""#, r#"ref="A6:A4""#);
    let o = batch(dir.path(), &sheet, &[]);
    assert!(o.status.success(), "{}", text(&o));
    for (name, post) in [("张明", "镇长"), ("李华", "副镇长"), ("王芳", "纪委书记")]
    {
        let t = docx_text(&dir.path().join(format!("out/{name}.docx")));
        assert!(
            t.contains(&format!("青山县柳河镇{post}{name}述职报告")),
            "{name}: {t}"
        );
    }
    // Beyond the last column (three letters, no cell): nothing to fill, no panic.
    patch_zip(&sheet, part, r#"ref="D1:A1""#, r#"ref="XFF1:XFE1""#);
    let o = batch(dir.path(), &sheet, &["--force"]);
    assert!(o.status.success(), "{}", text(&o));
}

/// An `.ods` workbook of one sheet whose `<table:table>` holds `rows` (XML).
fn write_ods(path: &Path, rows: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="名单">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(
        &mut zip,
        br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// An `.ods` row of text cells, repeated `times`.
fn ods_row(cells: &[&str], times: u32) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#))
        .collect();
    format!(r#"<table:table-row table:number-rows-repeated="{times}">{cells}</table:table-row>"#)
}

#[test]
fn repeated_ods_rows_are_counted_before_they_are_expanded_and_the_empty_tail_is_not() {
    // Issue 19: a 993-byte .ods with one row repeated 1,048,000 times made 59,314 files in
    // 25 s and was still going; calamine expands repeats as it opens the file.
    let dir = tempfile::tempdir().unwrap();
    let header = ods_row(&["单位", "姓名", "职务", "年度"], 1);
    // LibreOffice ends each sheet so: an empty row repeated to the last row, 1,024 empty cells.
    let tail = r#"<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let good = dir.path().join("good.ods");
    let people = [
        ods_row(&["柳河镇", "张明", "镇长", "2024"], 1),
        ods_row(&["柳河镇", "李华", "副镇长", "2024"], 1),
    ]
    .concat();
    write_ods(&good, &format!("{header}{people}{tail}"));
    let o = batch(dir.path(), &good, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let t = docx_text(&dir.path().join("out/张明.docx"));
    assert!(t.contains("柳河镇镇长张明述职报告"), "{t}");

    let rows = dir.path().join("rows.ods");
    write_ods(
        &rows,
        &format!(
            "{header}{}{tail}",
            ods_row(&["柳河镇", "张明", "镇长", "2024"], 1_048_000)
        ),
    );
    assert!(std::fs::metadata(&rows).unwrap().len() < 2500);
    let o = batch(dir.path(), &rows, &["--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(&format!(
            "error: {}:名单:row 2: more than 100000 rows",
            rows.display()
        )) && t.contains("hint: split the sheet, or raise the limit with --max-rows N"),
        "{t}"
    );
    assert!(!t.contains("made"), "nothing made: {t}");
    // Under a lower limit, a sheet's few rows written out one by one are refused the same way.
    let o = batch(dir.path(), &good, &["--max-rows", "1", "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("more than 1 rows"), "{}", text(&o));

    // A row of a thousand rows of 16,384 filled columns: 16 million cells for calamine.
    let cells = dir.path().join("cells.ods");
    let wide = r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#;
    write_ods(&cells, &format!("{header}{wide}{tail}"));
    let o = batch(dir.path(), &cells, &["--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(&format!(
            "error: {}:名单:row 2: the workbook's sheets make more than 5000000 cells once their repeated rows and columns are counted",
            cells.display()
        )),
        "{t}"
    );
}

#[test]
fn a_header_that_repeats_one_name_is_an_error_naming_the_columns() {
    // Issue 19: a CSV headed `a,a` made 0 documents, exit 0: the row was skipped as a title and
    // the first data row taken as the header.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("dup.csv");
    std::fs::write(&csv, "姓名,姓名\n张明,李华\n").unwrap();
    let xlsx = dir.path().join("dup.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (j, h) in ["单位", "姓名", "姓名"].into_iter().enumerate() {
        s.write_string(0, j as u16, h).unwrap();
        s.write_string(1, j as u16, format!("值{j}")).unwrap();
    }
    book.save(&xlsx).unwrap();
    for (source, columns) in [(&csv, "A and B"), (&xlsx, "B and C")] {
        let o = batch(dir.path(), source, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let t = text(&o);
        assert!(
            t.contains(&format!(
                "error: {}:row 1: columns {columns} both have the header '姓名'",
                source.display()
            )),
            "{t}"
        );
    }
    assert!(
        !dir.path().join("out").exists()
            || std::fs::read_dir(dir.path().join("out"))
                .unwrap()
                .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".docx"))
    );
}

#[test]
fn a_formula_whose_value_was_never_saved_is_read_as_empty_with_a_warning_naming_its_cell() {
    // Issue 19: formula cells without a cached value became "" without a word (a title
    // "年单位述职述廉报告").
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formula.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (j, h) in ["单位", "姓名", "职务", "年度"].into_iter().enumerate() {
        s.write_string(0, j as u16, h).unwrap();
    }
    for (i, name) in ["张明", "李华"].into_iter().enumerate() {
        let r = 1 + i as u32;
        s.write_string(r, 0, "柳河镇").unwrap();
        s.write_string(r, 1, name).unwrap();
        s.write_string(r, 2, "镇长").unwrap();
        s.write_formula(r, 3, "=2000+24").unwrap();
    }
    // A row of formulas alone (filled down past the data) is no record.
    s.write_formula(5, 3, "=2000+24").unwrap();
    book.save(&path).unwrap();
    // rust_xlsxwriter saves a value of 0 with each formula; a program that saves none:
    patch_zip(
        &path,
        "xl/worksheets/sheet1.xml",
        "<f>2000+24</f><v>0</v>",
        "<f>2000+24</f>",
    );
    let o = batch(dir.path(), &path, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    for (row, name) in [(2, "张明"), (3, "李华")] {
        assert!(
            t.contains(&format!(
                "warning: {}:row {row}: cell D{row} (年度) holds a formula whose value was never saved: it is read as empty (open the workbook in Excel or WPS and save it, so the values are computed)",
                path.display()
            )),
            "{t}"
        );
        let doc = docx_text(&dir.path().join(format!("out/{name}.docx")));
        assert!(doc.contains(&format!("柳河镇{name}同志年度履职")), "{doc}");
    }
    assert!(t.contains("2 made"), "{t}");
    assert!(!t.contains("row 6"), "{t}");

    // The same in an .ods: a `table:formula` with no `office:value`.
    let ods = dir.path().join("formula.ods");
    let unsaved = r#"<table:table-cell table:formula="of:=2000+24"/>"#;
    let saved = r#"<table:table-cell table:formula="of:=2000+24" office:value-type="float" office:value="2024"><text:p>2024</text:p></table:table-cell>"#;
    let row = |name: &str, last: &str| {
        format!(
            "<table:table-row>{}{last}</table:table-row>",
            ["柳河镇", name, "镇长"]
                .map(|c| format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#))
                .concat()
        )
    };
    write_ods(
        &ods,
        &format!(
            "{}{}{}<table:table-row>{}{unsaved}</table:table-row>",
            ods_row(&["单位", "姓名", "职务", "年度"], 1),
            row("王芳", unsaved),
            row("赵丽", saved),
            r#"<table:table-cell table:number-columns-repeated="3"/>"#
        ),
    );
    let o = batch(dir.path(), &ods, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(&format!(
            "warning: {}:row 2: cell D2 (年度) holds a formula whose value was never saved",
            ods.display()
        )),
        "{t}"
    );
    assert!(!t.contains("row 3:") && !t.contains("row 4"), "{t}");
    assert!(t.contains("2 made"), "{t}");
    let doc = docx_text(&dir.path().join("out/赵丽.docx"));
    assert!(doc.contains("柳河镇赵丽同志2024年度履职"), "{doc}");
}
