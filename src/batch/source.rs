//! Row sources for `gongwen batch`: a workbook, a CSV file, JSON Lines, a YAML or JSON list, or
//! a folder of data files and drafts → one [`Record`] (field name → JSON value, or a draft's
//! text) per document.
//!
//! Owns: reading and decoding those formats, the header row (field names), turning spreadsheet
//! cells into the JSON values a template sees, row numbers and labels for messages, and joining
//! repeated items (one row per work item) from a second sheet or file onto each record
//! ([`ItemsSpec`]). It does not render, name or write anything.
//!
//! | input | one record per | row number |
//! |---|---|---|
//! | `.xlsx` `.xlsm` `.xlsb` `.xls` `.ods` | data row of the first sheet (or `--sheet`) | the sheet's row |
//! | `.csv` (UTF-8, UTF-8 with BOM, GBK/GB18030) | data row | the row Excel shows for it |
//! | `.jsonl` | non-blank line holding a JSON object | the line |
//! | `.yaml` / `.yml` / `.json` | entry of the top-level list | the entry (1-based) |
//! | a folder | `*.yaml` `*.yml` `*.json` `*.toml` data file, or `*.txt` `*.docx` draft (its text, no template), directly inside, by name | the file (1-based) |
//!
//! Cell values (issue 4: "dates stay dates, whole numbers do not become `1.0`, empty cells are
//! empty"): a date cell becomes `"2023-07-01"` (with `T09:30:00` only when it has a time), a
//! whole number an integer, other numbers floats rounded to Excel's 15 significant digits, text
//! stays text with `\r\n` made `\n` (a cell of several lines becomes several paragraphs), an
//! empty cell `""` so the template sees the field. CSV cells stay text: `007` and ID numbers must
//! not turn into numbers.
//!
//! Errors come in two kinds. One that spoils the whole source (no such file or sheet, a bad
//! header, undecodable bytes, items that match no row) is the `Err` of [`for_each`]. One that
//! spoils one row (an error cell such as `#DIV/0!`, a bad JSON line, a data file that does not
//! parse) is handed to the callback as that row's `Err`, so a batch can still produce every
//! other row (issue 4: per-row isolation).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::Error;

use super::formats::{csv_rows, folder_rows, jsonl_rows, list_rows, workbook_rows};

/// One document's facts, with where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based position as the user sees it: for a sheet or CSV the row number Excel shows
    /// (header = row 1, so the first data row is 2); for JSON Lines the line; for a YAML/JSON
    /// list the entry; for a folder the file's place in name order.
    pub row: usize,
    /// Where the record came from, for messages: `officials.xlsx:row 7`,
    /// `officials.xlsx:名单:row 7` (a sheet named with `--sheet`), `units.jsonl:line 3`,
    /// `list.yaml:item 2`, or a folder's file path `reports/a.yaml`.
    pub label: String,
    /// Field name (the header, trimmed) → value.
    pub fields: Map<String, Value>,
    /// A draft in a folder (`.txt`, or `.docx` through [`crate::wordin`]): the document's own
    /// text, rendered without a template (`fields` is empty). `None` for every data row.
    pub text: Option<String>,
}

/// How to read a source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The sheet of a workbook to read (`--sheet NAME`); `None`: the first visible worksheet.
    pub sheet: Option<String>,
    /// Repeated items to join onto each record.
    pub items: Option<ItemsSpec>,
}

/// Repeated items from a second table, keyed by a column both tables have.
///
/// An 组织部's sheet `名单` has one row per official (`工号`, `姓名`, …) and a sheet `工作`
/// one row per work item (`工号`, `事项`, `成效`). With `key: "工号"` and `field: "items"`, each
/// official's record gets `items: [{工号, 事项, 成效}, …]`: the item rows whose `工号` equals the
/// official's, in sheet order; an official with none gets `[]`. A template walks them with
/// `{{#each items}}{{h3 @index}}{{事项}}。{{成效}}{{/each}}`. Keys are compared as text, trimmed,
/// so a number cell `7` matches the CSV text `7`. An item row whose key no record has is an
/// error naming the keys, so a mistyped key cannot silently drop a paragraph.
#[derive(Debug, Clone)]
pub struct ItemsSpec {
    /// Where the items are.
    pub source: ItemsSource,
    /// The column present in both tables.
    pub key: String,
    /// The field each record gets its list under, e.g. `items`.
    pub field: String,
}

/// Where repeated items come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemsSource {
    /// A sheet of the same workbook as the records.
    Sheet(String),
    /// Another file: a CSV or workbook (its first sheet), or any other format [`open`] reads.
    File(PathBuf),
}

/// The extensions read as a source file (a folder is a source too).
pub const EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "jsonl", "yaml", "yml", "json",
];

/// The extensions of data files and drafts read from a folder, one record per file.
pub const FOLDER_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "toml", "txt", "docx"];

/// Read every record of a source. The first error, of the source or of any row, is returned;
/// use [`for_each`] to go on past bad rows.
pub fn open(path: &Path, opts: &SourceOptions) -> Result<Vec<Record>, Error> {
    let mut records = Vec::new();
    let mut first_error = None;
    for_each(path, opts, |r| match r {
        Ok(record) => records.push(record),
        Err(e) => {
            first_error.get_or_insert(e);
        }
    })?;
    match first_error {
        Some(e) => Err(e),
        None => Ok(records),
    }
}

/// Hand each record of a source, or the error that spoiled that row, to `f`, in order.
///
/// Rows are produced one at a time: a CSV or JSON Lines file is never held as records, and a
/// folder's files are read one by one (a workbook's sheet and a YAML/JSON list are parsed
/// whole, as their readers require). With [`SourceOptions::items`] the records are gathered
/// first, because an item matching no record must be an error before any document is made.
///
/// An `Err` result means the source as a whole is unusable; rows already handed to `f` are
/// still correct.
pub fn for_each(
    path: &Path,
    opts: &SourceOptions,
    mut f: impl FnMut(Result<Record, Error>),
) -> Result<(), Error> {
    let sheet = opts.sheet.as_deref();
    let Some(spec) = &opts.items else {
        return rows(path, sheet, &mut |_| Ok(()), &mut f);
    };
    let mut main = Vec::new();
    rows(
        path,
        sheet,
        &mut |header| {
            if !header.has(&spec.key) {
                return Err(header
                    .error(format!("no column '{}' to match the items by", spec.key))
                    .hint(format!("the columns are: {}", header.list())));
            }
            if header.has(&spec.field) {
                return Err(header
                    .error(format!(
                        "column '{}' has the name the items are put under",
                        spec.field
                    ))
                    .hint("rename the column, or put the items under another field name"));
            }
            Ok(())
        },
        &mut |r| main.push(r),
    )?;
    let items = load_items(path, spec)?;
    let keys: HashSet<String> = main
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|r| r.fields.get(&spec.key).and_then(key_text))
        .collect();
    // A row that failed (an error cell) has no key to match, so its items would look like
    // orphans; that row is reported anyway, and the check runs once it is fixed.
    if main.iter().all(Result::is_ok) {
        items.check(&keys, &spec.key, path)?;
    }
    for r in main {
        f(r.and_then(|mut record| {
            if !record.fields.contains_key(&spec.key) {
                return Err(Error::at(
                    &record.label,
                    0,
                    0,
                    format!("no field '{}' to match the items by", spec.key),
                ));
            }
            let list = record
                .fields
                .get(&spec.key)
                .and_then(key_text)
                .and_then(|k| items.groups.get(&k))
                .cloned()
                .unwrap_or_default();
            record.fields.insert(spec.field.clone(), Value::Array(list));
            Ok(record)
        }));
    }
    Ok(())
}

/// The item rows of an [`ItemsSpec`], grouped by key.
pub(super) struct Items {
    /// Key → the item rows' fields, in source order.
    pub(super) groups: HashMap<String, Vec<Value>>,
    /// Each key and the label of its first row, in source order (for the error message).
    pub(super) order: Vec<(String, String)>,
    /// Labels of item rows whose key cell is empty.
    pub(super) keyless: Vec<String>,
    /// Where the items came from, for messages.
    pub(super) source: String,
}

impl Items {
    /// Every item must belong to a record: an orphan is almost always a mistyped key, and
    /// rendering without it would silently drop a paragraph of someone's report.
    pub(super) fn check(
        &self,
        keys: &HashSet<String>,
        key: &str,
        main: &Path,
    ) -> Result<(), Error> {
        let orphans: Vec<String> = self
            .order
            .iter()
            .filter(|(k, _)| !keys.contains(k))
            .map(|(k, label)| format!("'{k}' ({label})"))
            .collect();
        if orphans.is_empty() && self.keyless.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 5;
        let mut parts = Vec::new();
        if !orphans.is_empty() {
            let more = orphans.len().saturating_sub(SHOWN);
            let mut list = orphans[..orphans.len().min(SHOWN)].join(", ");
            if more > 0 {
                list.push_str(&format!(" and {more} more"));
            }
            parts.push(format!(
                "items with a {key} that no row of {} has: {list}",
                main.display()
            ));
        }
        if !self.keyless.is_empty() {
            let shown = self.keyless[..self.keyless.len().min(SHOWN)].join(", ");
            parts.push(format!("items with an empty {key}: {shown}"));
        }
        Err(
            Error::at(&self.source, 0, 0, parts.join("; ")).hint(format!(
                "correct the {key} of those items, or add the rows they belong to"
            )),
        )
    }
}

/// Read the items of `spec`; any bad item row is an error for the whole source.
pub(super) fn load_items(main: &Path, spec: &ItemsSpec) -> Result<Items, Error> {
    let (path, sheet, source) = match &spec.source {
        ItemsSource::Sheet(name) => {
            if kind(main)? != Kind::Workbook {
                return Err(Error::io(
                    main,
                    format!("items from a sheet ('{name}') need a workbook (.xlsx, .xls, .ods)"),
                )
                .hint("name a CSV or workbook file for the items instead"));
            }
            let source = format!("{}:{name}", main.display());
            (main, Some(name.as_str()), source)
        }
        ItemsSource::File(p) => (p.as_path(), None, p.display().to_string()),
    };
    let mut items = Items {
        groups: HashMap::new(),
        order: Vec::new(),
        keyless: Vec::new(),
        source,
    };
    let mut first_error = None;
    rows(
        path,
        sheet,
        &mut |header| {
            if header.has(&spec.key) {
                Ok(())
            } else {
                Err(header
                    .error(format!("no column '{}' to match the items by", spec.key))
                    .hint(format!("the columns are: {}", header.list())))
            }
        },
        &mut |r| match r {
            Err(e) => {
                first_error.get_or_insert(e);
            }
            Ok(record) => match record.fields.get(&spec.key).map(key_text) {
                None if first_error.is_none() => {
                    first_error = Some(Error::at(
                        &record.label,
                        0,
                        0,
                        format!("no field '{}' to match the items by", spec.key),
                    ));
                }
                None => {}
                Some(None) => items.keyless.push(record.label),
                Some(Some(k)) => {
                    let group = items.groups.entry(k.clone()).or_default();
                    if group.is_empty() {
                        items.order.push((k, record.label));
                    }
                    group.push(Value::Object(record.fields));
                }
            },
        },
    )?;
    match first_error {
        Some(e) => Err(e),
        None => Ok(items),
    }
}

/// A key cell as text: trimmed text, or a number or boolean written out; `None` when empty.
pub(super) fn key_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Workbook,
    Csv,
    Jsonl,
    List,
    Folder,
}

/// The format of a source, from its extension (or being a folder).
pub(super) fn kind(path: &Path) -> Result<Kind, Error> {
    if path.is_dir() {
        return Ok(Kind::Folder);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Kind::Workbook,
        "csv" => Kind::Csv,
        "jsonl" => Kind::Jsonl,
        "yaml" | "yml" | "json" => Kind::List,
        _ => {
            return Err(Error::io(
                path,
                format!(
                    "cannot read '.{ext}' files as rows (use {}, or a folder of data files)",
                    EXTENSIONS
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            )
            .hint("save the sheet as .xlsx or .csv (Excel: 另存为)"));
        }
    })
}

/// The header of a table, as the header check sees it.
pub(super) struct Header<'a> {
    pub(super) table: &'a Table,
}

impl Header<'_> {
    pub(super) fn has(&self, name: &str) -> bool {
        self.table.columns.iter().flatten().any(|c| c == name)
    }

    pub(super) fn list(&self) -> String {
        let names: Vec<&str> = self
            .table
            .columns
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        names.join(", ")
    }

    pub(super) fn error(&self, message: String) -> Error {
        Error::at(&self.table.header_label(), 0, 0, message)
    }
}

pub(super) type HeaderCheck<'a> = dyn FnMut(&Header) -> Result<(), Error> + 'a;
pub(super) type Sink<'a> = dyn FnMut(Result<Record, Error>) + 'a;

/// Produce the rows of any source; `check` sees a table's header before its first row.
pub(super) fn rows(
    path: &Path,
    sheet: Option<&str>,
    check: &mut HeaderCheck,
    f: &mut Sink,
) -> Result<(), Error> {
    if !path.exists() {
        return Err(Error::io(path, "no such file or folder"));
    }
    let kind = kind(path)?;
    if sheet.is_some() && kind != Kind::Workbook {
        return Err(Error::io(
            path,
            "--sheet names a sheet of a workbook, and this is not one",
        )
        .hint("leave out --sheet, or name an .xlsx, .xls or .ods file"));
    }
    match kind {
        Kind::Workbook => workbook_rows(path, sheet, check, f),
        Kind::Csv => csv_rows(path, check, f),
        Kind::Jsonl => jsonl_rows(path, f),
        Kind::List => list_rows(path, f),
        Kind::Folder => folder_rows(path, f),
    }
}

/// A cell, as the table logic sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CellValue {
    Empty,
    Value(Value),
    /// An error cell (`#DIV/0!`): a formula that failed.
    Error(String),
}

impl CellValue {
    /// Empty, or text of spaces only: such a cell does not keep a row alive.
    pub(super) fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Value(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A header row: the field name of each column, `None` for an empty header cell.
pub(super) struct Table {
    /// `officials.xlsx` or `officials.xlsx:名单`.
    pub(super) prefix: String,
    /// The header's row number.
    pub(super) header_row: usize,
    /// The 0-based column of the first cell (a sheet's used range may start after column A).
    pub(super) first_col: usize,
    pub(super) columns: Vec<Option<String>>,
}

impl Table {
    /// Read the header row. Names are trimmed; a duplicate name would make one column shadow
    /// another, so it is an error naming both columns.
    pub(super) fn new(
        prefix: String,
        header_row: usize,
        first_col: usize,
        cells: impl Iterator<Item = CellValue>,
    ) -> Result<Table, Error> {
        let mut table = Table {
            prefix,
            header_row,
            first_col,
            columns: Vec::new(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (j, cell) in cells.enumerate() {
            let name = match cell {
                CellValue::Empty => None,
                CellValue::Value(Value::String(s)) => Some(s.trim().to_string()),
                CellValue::Value(v) => Some(v.to_string()),
                CellValue::Error(e) => {
                    return Err(Error::at(
                        &table.header_label(),
                        0,
                        0,
                        format!(
                            "the header of column {} holds the error {e}",
                            table.letter(j)
                        ),
                    )
                    .hint("the first row names the fields: put a name in each column's cell"));
                }
            }
            .filter(|n| !n.is_empty());
            if let Some(n) = &name {
                if let Some(&k) = seen.get(n) {
                    return Err(Error::at(
                        &table.header_label(),
                        0,
                        0,
                        format!(
                            "columns {} and {} both have the header '{n}'",
                            table.letter(k),
                            table.letter(j)
                        ),
                    )
                    .hint("each header names a field for the template: make them different"));
                }
                seen.insert(n.clone(), j);
            }
            table.columns.push(name);
        }
        Ok(table)
    }

    pub(super) fn header_label(&self) -> String {
        format!("{}:row {}", self.prefix, self.header_row)
    }

    /// The column letter (`A`, `AA`) of the `j`-th cell.
    pub(super) fn letter(&self, j: usize) -> String {
        column_letter(self.first_col + j)
    }

    /// The record of a data row; `None` for a row with nothing in it.
    ///
    /// A value under an empty header cell is an error for the row (it would be lost); an empty
    /// header above an empty column is ignored, since stray formatting leaves such columns.
    pub(super) fn record(
        &self,
        row: usize,
        cells: impl Iterator<Item = CellValue>,
    ) -> Option<Result<Record, Error>> {
        let label = format!("{}:row {row}", self.prefix);
        let mut fields = Map::new();
        let mut blank = true;
        let mut error = None;
        for (j, cell) in cells.enumerate() {
            blank &= cell.is_blank();
            let name = self.columns.get(j).and_then(Option::as_ref);
            match (name, cell) {
                (_, CellValue::Error(e)) => {
                    let column = match name {
                        Some(n) => format!("column {} ({n})", self.letter(j)),
                        None => format!("column {}", self.letter(j)),
                    };
                    error.get_or_insert_with(|| {
                        Error::at(&label, 0, 0, format!("{column} holds the error {e}"))
                            .hint("correct the formula in the sheet, or clear the cell")
                    });
                }
                (Some(n), CellValue::Empty) => {
                    fields.insert(n.clone(), Value::String(String::new()));
                }
                (Some(n), CellValue::Value(v)) => {
                    fields.insert(n.clone(), v);
                }
                (None, cell) if !cell.is_blank() => {
                    error.get_or_insert_with(|| {
                        Error::at(
                            &label,
                            0,
                            0,
                            format!("column {} has a value but no header", self.letter(j)),
                        )
                        .hint(format!(
                            "name column {} in row {}, or clear it",
                            self.letter(j),
                            self.header_row
                        ))
                    });
                }
                (None, _) => {}
            }
        }
        if blank {
            return None;
        }
        if let Some(e) = error {
            return Some(Err(e));
        }
        // A short row (a CSV line with fewer cells) still gives the template every field.
        for name in self.columns.iter().flatten() {
            if !fields.contains_key(name) {
                fields.insert(name.clone(), Value::String(String::new()));
            }
        }
        Some(Ok(Record {
            row,
            label,
            fields,
            text: None,
        }))
    }
}

/// The spreadsheet letter of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(super) fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Line breaks as the template expects them: `\n` only.
pub(super) fn unix_breaks(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
