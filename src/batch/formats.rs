//! The readers of each source format: workbooks (calamine), CSV with its encoding sniffed,
//! JSON Lines, YAML/JSON lists and folders of data files. [`super::source`] picks one by the
//! file's kind and hands it a sink for the rows.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use calamine::{Data as Cell, Reader, SheetType, SheetVisible};
use serde_json::{Map, Value};

use super::source::*;
use crate::error::Error;

pub(super) fn workbook_rows(
    path: &Path,
    sheet: Option<&str>,
    check: &mut HeaderCheck,
    f: &mut Sink,
) -> Result<(), Error> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| Error::io(path, format!("cannot read the workbook ({e})")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(Error::io(path, format!("no sheet named '{s}'"))
                    .hint(format!("the sheets are: {}", names.join(", "))));
            }
            s.to_string()
        }
        // The first sheet the user can see: a hidden first sheet (lookup tables) or a chart
        // sheet is not what "the first sheet" means to them.
        None => book
            .sheets_metadata()
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .or_else(|| names.first().cloned())
            .ok_or_else(|| Error::io(path, "the workbook has no sheets"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Error::io(path, format!("cannot read sheet '{name}' ({e})")))?;
    drop(book);
    let prefix = match sheet {
        Some(s) => format!("{}:{s}", path.display()),
        None => path.display().to_string(),
    };
    // calamine's range starts at the first used cell; its row and column give the numbers the
    // user sees in Excel.
    let Some((row0, col0)) = range.start() else {
        return Err(Error::io(path, format!("sheet '{name}' is empty"))
            .hint("the first row names the fields, then one row per document"));
    };
    let mut rows = range.rows();
    let header = rows.next().unwrap_or_default();
    let table = Table::new(
        prefix,
        row0 as usize + 1,
        col0 as usize,
        header.iter().map(cell_value),
    )?;
    check(&Header { table: &table })?;
    for (i, cells) in rows.enumerate() {
        if let Some(r) = table.record(row0 as usize + 2 + i, cells.iter().map(cell_value)) {
            f(r);
        }
    }
    Ok(())
}

/// A spreadsheet cell as a JSON value, typed as the user typed it.
pub(super) fn cell_value(cell: &Cell) -> CellValue {
    match cell {
        Cell::Empty => CellValue::Empty,
        Cell::String(s) if s.is_empty() => CellValue::Empty,
        Cell::String(s) => CellValue::Value(Value::String(unix_breaks(s))),
        Cell::Int(i) => CellValue::Value(Value::from(*i)),
        Cell::Float(x) => CellValue::Value(number(*x)),
        Cell::Bool(b) => CellValue::Value(Value::Bool(*b)),
        Cell::DateTime(d) => CellValue::Value(Value::String(excel_datetime(d))),
        // ODS stores dates as ISO text already; a date-only cell has no time part there.
        Cell::DateTimeIso(s) => CellValue::Value(Value::String(
            s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        )),
        Cell::DurationIso(s) => CellValue::Value(Value::String(s.clone())),
        Cell::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// A number cell: rounded to the 15 significant digits Excel shows (so `0.1+0.2` is `0.3`), and
/// an integer when whole, so `3` does not print as `3.0`.
pub(super) fn number(x: f64) -> Value {
    let shown: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if shown.fract() == 0.0 && shown.abs() < 9_007_199_254_740_992.0 {
        Value::from(shown as i64)
    } else {
        serde_json::Number::from_f64(shown).map_or(Value::Null, Value::Number)
    }
}

/// A date cell as ISO 8601 text: `2023-07-01` for a date, `2023-07-01T09:30:00` when it has a
/// time of day, `09:30:00` for a time alone, `37:30:00` for a duration (`[h]:mm:ss`). The
/// `cn_date` template helper reads the first two.
pub(super) fn excel_datetime(d: &calamine::ExcelDateTime) -> String {
    if d.is_duration() {
        let secs = (d.as_f64() * 86_400.0).round() as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let secs = secs.abs();
        return format!(
            "{sign}{}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
    }
    let (y, mo, day, h, mi, s, _ms) = d.to_ymd_hms_milli();
    let time = format!("{h:02}:{mi:02}:{s:02}");
    if (0.0..1.0).contains(&d.as_f64()) {
        time
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}T{time}")
    }
}

pub(super) fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))
}

/// A file's text: a byte-order mark, else strict UTF-8, else GB18030 (what Excel's 另存为 CSV
/// and Notepad write on Chinese Windows); anything else is an error naming the byte offset.
pub(super) fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read(path)?;
    let text = crate::plaintext::decode(&bytes, &path.display().to_string())?;
    if text.trim().is_empty() {
        return Err(Error::io(path, "the file is empty"));
    }
    Ok(text)
}

pub(super) fn csv_rows(path: &Path, check: &mut HeaderCheck, f: &mut Sink) -> Result<(), Error> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table: Option<Table> = None;
    // Excel numbers rows, not lines: a quoted cell of three lines is one row, and a blank line
    // is a row. The reader's own line numbers lag behind blank lines and `\r\n`, so count the
    // line breaks before each record's first byte and subtract those inside earlier cells.
    let bytes = text.as_bytes();
    let (mut counted_to, mut lines_before, mut breaks_in_cells) = (0, 0, 0);
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Error::at(&file, line, 0, format!("invalid CSV ({e})"))
        })?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let start = start.max(counted_to);
        lines_before += bytes[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        let row = (lines_before + 1).saturating_sub(breaks_in_cells);
        breaks_in_cells += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        let cells = record.iter().map(|c| {
            if c.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Value(Value::String(unix_breaks(c)))
            }
        });
        match &table {
            Some(t) => {
                if let Some(r) = t.record(row, cells) {
                    f(r);
                }
            }
            None => {
                let cells: Vec<CellValue> = cells.collect();
                if cells.iter().all(CellValue::is_blank) {
                    continue;
                }
                let t = Table::new(file.clone(), row, 0, cells.into_iter())?;
                check(&Header { table: &t })?;
                table = Some(t);
            }
        }
    }
    if table.is_none() {
        return Err(Error::io(path, "the file is empty"));
    }
    Ok(())
}

/// One JSON object per line, read line by line so a large file is never held whole.
pub(super) fn jsonl_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
    let file = path.display().to_string();
    let reader = std::io::BufReader::new(
        std::fs::File::open(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))?,
    );
    let mut any = false;
    for (i, line) in reader.split(b'\n').enumerate() {
        let n = i + 1;
        let bytes = line.map_err(|e| Error::io(path, format!("cannot read ({e})")))?;
        let mut bytes = bytes.as_slice();
        if n == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                any = true;
                let col = String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                    .chars()
                    .count()
                    + 1;
                f(Err(Error::at(
                    &file,
                    n,
                    col,
                    "not UTF-8 text (JSON Lines are UTF-8)",
                )));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        any = true;
        f(match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(fields)) => Ok(Record {
                row: n,
                label: format!("{file}:line {n}"),
                fields,
                text: None,
            }),
            Ok(_) => Err(Error::at(&file, n, 1, "the line is not a JSON object")
                .hint("each line holds one document's fields: {\"姓名\": \"张三\", …}")),
            Err(e) => Err(Error::at(
                &file,
                n,
                char_column(text, e.column()),
                format!("invalid JSON ({})", json_reason(&e)),
            )),
        });
    }
    if !any {
        return Err(Error::io(path, "the file is empty"));
    }
    Ok(())
}

/// serde_json counts columns in bytes; messages count characters (`姓名` is two columns, not
/// six), as [`crate::error::line_col`] does.
pub(super) fn char_column(line: &str, byte_column: usize) -> usize {
    let mut end = byte_column.saturating_sub(1).min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].chars().count() + 1
}

/// serde_json's message without its own " at line 1 column 5": the location is ours.
pub(super) fn json_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A YAML or JSON file holding a list of mappings, one per document.
pub(super) fn list_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let value: Value = if is_json {
        serde_json::from_str(&text).map_err(|e| {
            let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
            Error::at(
                &file,
                e.line(),
                char_column(line, e.column()),
                format!("invalid JSON ({})", json_reason(&e)),
            )
        })?
    } else {
        serde_yaml_ng::from_str(&text).map_err(|e| {
            let (l, c) = e.location().map_or((0, 0), |m| (m.line(), m.column()));
            Error::at(&file, l, c, format!("invalid YAML ({e})"))
        })?
    };
    let Value::Array(entries) = value else {
        let hint = if value.is_object() {
            "a batch file lists one mapping per document; render a single document with `gongwen render`"
        } else {
            "a batch file lists one mapping per document"
        };
        let what = if is_json {
            "an array of objects"
        } else {
            "a list of mappings"
        };
        return Err(Error::io(path, format!("the file does not hold {what}")).hint(hint));
    };
    for (i, entry) in entries.into_iter().enumerate() {
        let n = i + 1;
        let label = format!("{file}:item {n}");
        f(match entry {
            Value::Object(fields) => Ok(Record {
                row: n,
                label,
                fields,
                text: None,
            }),
            _ => Err(Error::at(
                &label,
                0,
                0,
                "the entry is not a mapping of field names to values",
            )),
        });
    }
    Ok(())
}

/// Every data file directly inside a folder, in name order, one record each.
pub(super) fn folder_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
    let entries = std::fs::read_dir(path)
        .map_err(|e| Error::io(path, format!("cannot read the folder ({e})")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            // Dot files are editors' and macOS's (`._a.yaml`), not the user's data.
            let visible = p
                .file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'));
            let data = p.extension().is_some_and(|e| {
                FOLDER_EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str())
            });
            visible && data && p.is_file()
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::io(
            path,
            "the folder holds no data files (*.yaml, *.yml, *.json, *.toml) or drafts (*.txt, *.docx)",
        ));
    }
    for (i, file) in files.iter().enumerate() {
        let label = file.display().to_string();
        let ext = file
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext == "txt" || ext == "docx" {
            // A draft: its own text, no template.
            let text = read(file).and_then(|bytes| {
                if ext == "docx" {
                    crate::wordin::text(&bytes, file)
                } else {
                    crate::plaintext::decode(&bytes, &label)
                }
            });
            f(text.map(|text| Record {
                row: i + 1,
                label,
                fields: Map::new(),
                text: Some(text),
            }));
            continue;
        }
        let parsed = read(file).and_then(|bytes| {
            let text = crate::plaintext::decode(&bytes, &label)?;
            crate::data::parse(&text, file)
        });
        f(parsed.map(|data| Record {
            row: i + 1,
            label,
            fields: match data.value {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            text: None,
        }));
    }
    Ok(())
}
