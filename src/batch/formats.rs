//! The readers of the sources that are not tables — JSON Lines, YAML/JSON lists and folders of
//! data files — and the typing of workbook cells that [`super::sheet`] reads. [`super::source`]
//! picks a reader by the file's kind and hands it a sink for the rows.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use calamine::{Data as Cell, DataRef};
use serde_json::{Map, Value};

use super::source::*;
use crate::error::Error;

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

/// [`cell_value`] for a cell of a streamed sheet (text may point into the shared strings).
pub(super) fn cell_ref_value(cell: &DataRef) -> CellValue {
    match cell {
        DataRef::SharedString(s) if s.is_empty() => CellValue::Empty,
        DataRef::SharedString(s) => CellValue::Value(Value::String(unix_breaks(s))),
        DataRef::Empty => CellValue::Empty,
        DataRef::String(s) if s.is_empty() => CellValue::Empty,
        DataRef::String(s) => CellValue::Value(Value::String(unix_breaks(s))),
        DataRef::Int(i) => CellValue::Value(Value::from(*i)),
        DataRef::Float(x) => CellValue::Value(number(*x)),
        DataRef::Bool(b) => CellValue::Value(Value::Bool(*b)),
        DataRef::DateTime(d) => CellValue::Value(Value::String(excel_datetime(d))),
        DataRef::DateTimeIso(s) => CellValue::Value(Value::String(
            s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        )),
        DataRef::DurationIso(s) => CellValue::Value(Value::String(s.clone())),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
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

/// A file larger than [`Limits::max_bytes`] is an error naming the limit's flag.
pub(super) fn check_size(path: &Path, limits: &Limits) -> Result<(), Error> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limits.max_bytes {
        return Err(too_big(path, size, limits));
    }
    Ok(())
}

/// The error for a source of `size` bytes (once decompressed) over the limit.
pub(super) fn too_big(path: &Path, size: u64, limits: &Limits) -> Error {
    Error::io(
        path,
        format!(
            "the sheet holds {} MB, more than the limit of {} MB",
            size.div_ceil(1 << 20),
            limits.max_bytes >> 20
        ),
    )
    .hint("if the file is genuine, raise the limit with --max-sheet-mb N")
}

pub(super) fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))
}

/// A file's text: a byte-order mark, else strict UTF-8, else GB18030 (what Excel's 另存为 CSV
/// and Notepad write on Chinese Windows); anything else is an error naming the byte offset. A
/// file larger than the limit is refused before it is read.
pub(super) fn read_text(path: &Path, limits: &Limits) -> Result<String, Error> {
    check_size(path, limits)?;
    let bytes = read(path)?;
    let text = crate::plaintext::decode(&bytes, &path.display().to_string())?;
    if text.trim().is_empty() {
        return Err(Error::io(path, "the file is empty"));
    }
    Ok(text)
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
                header: None,
                warnings: Vec::new(),
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
pub(super) fn list_rows(path: &Path, limits: &Limits, f: &mut Sink) -> Result<(), Error> {
    let text = read_text(path, limits)?;
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
                header: None,
                warnings: Vec::new(),
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

/// Every data file directly inside a folder, in name order, one record each. Each file is read
/// as `render` reads it ([`crate::read_input`]): a file over `--max-input-mb`, a device or an
/// empty file is that row's error, and the others go on.
pub(super) fn folder_rows(path: &Path, limits: &Limits, f: &mut Sink) -> Result<(), Error> {
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
        let text = crate::read_input(file, limits.max_input_mb);
        if ext == "txt" || ext == "docx" {
            // A draft: its own text, no template.
            f(text.map(|text| Record {
                row: i + 1,
                label,
                fields: Map::new(),
                text: Some(text),
                header: None,
                warnings: Vec::new(),
            }));
            continue;
        }
        let parsed = text.and_then(|text| crate::data::parse(&text, file));
        f(parsed.map(|data| Record {
            row: i + 1,
            label,
            fields: match data.value {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            text: None,
            header: None,
            warnings: Vec::new(),
        }));
    }
    Ok(())
}
