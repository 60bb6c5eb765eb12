//! Row sources for `gongwen batch`: a workbook, a CSV file, JSON Lines, a YAML or JSON list, or
//! a folder of data files → one [`Record`] (field name → JSON value) per document.
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
//! | a folder | `*.yaml` `*.yml` `*.json` `*.toml` file directly inside, by name | the file (1-based) |
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
use std::io::BufRead;
use std::path::{Path, PathBuf};

use calamine::{Data as Cell, Reader, SheetType, SheetVisible};
use serde_json::{Map, Value};

use crate::error::Error;

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

/// The extensions of data files read from a folder, one record per file.
pub const FOLDER_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "toml"];

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
struct Items {
    /// Key → the item rows' fields, in source order.
    groups: HashMap<String, Vec<Value>>,
    /// Each key and the label of its first row, in source order (for the error message).
    order: Vec<(String, String)>,
    /// Labels of item rows whose key cell is empty.
    keyless: Vec<String>,
    /// Where the items came from, for messages.
    source: String,
}

impl Items {
    /// Every item must belong to a record: an orphan is almost always a mistyped key, and
    /// rendering without it would silently drop a paragraph of someone's report.
    fn check(&self, keys: &HashSet<String>, key: &str, main: &Path) -> Result<(), Error> {
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
fn load_items(main: &Path, spec: &ItemsSpec) -> Result<Items, Error> {
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
fn key_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Workbook,
    Csv,
    Jsonl,
    List,
    Folder,
}

/// The format of a source, from its extension (or being a folder).
fn kind(path: &Path) -> Result<Kind, Error> {
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
struct Header<'a> {
    table: &'a Table,
}

impl Header<'_> {
    fn has(&self, name: &str) -> bool {
        self.table.columns.iter().flatten().any(|c| c == name)
    }

    fn list(&self) -> String {
        let names: Vec<&str> = self
            .table
            .columns
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        names.join(", ")
    }

    fn error(&self, message: String) -> Error {
        Error::at(&self.table.header_label(), 0, 0, message)
    }
}

type HeaderCheck<'a> = dyn FnMut(&Header) -> Result<(), Error> + 'a;
type Sink<'a> = dyn FnMut(Result<Record, Error>) + 'a;

/// Produce the rows of any source; `check` sees a table's header before its first row.
fn rows(
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
enum CellValue {
    Empty,
    Value(Value),
    /// An error cell (`#DIV/0!`): a formula that failed.
    Error(String),
}

impl CellValue {
    /// Empty, or text of spaces only: such a cell does not keep a row alive.
    fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Value(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A header row: the field name of each column, `None` for an empty header cell.
struct Table {
    /// `officials.xlsx` or `officials.xlsx:名单`.
    prefix: String,
    /// The header's row number.
    header_row: usize,
    /// The 0-based column of the first cell (a sheet's used range may start after column A).
    first_col: usize,
    columns: Vec<Option<String>>,
}

impl Table {
    /// Read the header row. Names are trimmed; a duplicate name would make one column shadow
    /// another, so it is an error naming both columns.
    fn new(
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

    fn header_label(&self) -> String {
        format!("{}:row {}", self.prefix, self.header_row)
    }

    /// The column letter (`A`, `AA`) of the `j`-th cell.
    fn letter(&self, j: usize) -> String {
        column_letter(self.first_col + j)
    }

    /// The record of a data row; `None` for a row with nothing in it.
    ///
    /// A value under an empty header cell is an error for the row (it would be lost); an empty
    /// header above an empty column is ignored, since stray formatting leaves such columns.
    fn record(
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
        Some(Ok(Record { row, label, fields }))
    }
}

/// The spreadsheet letter of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
fn column_letter(index: usize) -> String {
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
fn unix_breaks(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn workbook_rows(
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
fn cell_value(cell: &Cell) -> CellValue {
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
fn number(x: f64) -> Value {
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
fn excel_datetime(d: &calamine::ExcelDateTime) -> String {
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

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))
}

/// A file's text: a byte-order mark, else strict UTF-8, else GB18030 (what Excel's 另存为 CSV
/// and Notepad write on Chinese Windows); anything else is an error naming the byte offset.
fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read(path)?;
    let text = crate::plaintext::decode(&bytes, &path.display().to_string())?;
    if text.trim().is_empty() {
        return Err(Error::io(path, "the file is empty"));
    }
    Ok(text)
}

fn csv_rows(path: &Path, check: &mut HeaderCheck, f: &mut Sink) -> Result<(), Error> {
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
fn jsonl_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
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
fn char_column(line: &str, byte_column: usize) -> usize {
    let mut end = byte_column.saturating_sub(1).min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].chars().count() + 1
}

/// serde_json's message without its own " at line 1 column 5": the location is ours.
fn json_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A YAML or JSON file holding a list of mappings, one per document.
fn list_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
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
fn folder_rows(path: &Path, f: &mut Sink) -> Result<(), Error> {
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
            "the folder holds no data files (*.yaml, *.yml, *.json, *.toml)",
        ));
    }
    for (i, file) in files.iter().enumerate() {
        let label = file.display().to_string();
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
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
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
        };
        let named = open(&path, &opts).unwrap();
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].row, 4);
        assert_eq!(named[0].label, format!("{}:名单:row 4", path.display()));
        assert_eq!(named[0].fields["姓名"], json!("王五"));

        let opts = SourceOptions {
            sheet: Some("名册".into()),
            items: None,
        };
        let e = open(&path, &opts).unwrap_err();
        assert_eq!(e.message, "no sheet named '名册'");
        assert_eq!(e.location, path.display().to_string());
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
        assert_eq!(e.location, format!("{}:row 1", path.display()));

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
        assert_eq!(e.location, format!("{}:row 3", path.display()));
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
        assert_eq!(e.location, format!("{}:row 2", path.display()));
        assert_eq!(e.message, "column B (得分) holds the error #DIV/0!");
        assert_eq!(rows[1].as_ref().unwrap().fields["得分"], json!(90));
        // open() stops at the bad row.
        assert_eq!(open(&path, &no_opts()).unwrap_err().message, e.message);
    }

    #[test]
    fn csv_in_gbk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("units.csv");
        let text =
            "单位,联系人,人数\r\n青山县柳河镇,张三,3\r\n,,\r\n河西区,\"李四\r\n王五\",12\r\n";
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
        assert!(e.location.ends_with("bad.csv"), "{e}");
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
        assert_eq!(e.location, format!("{}:3:13", path.display()));
        assert!(e.message.starts_with("invalid JSON (trailing comma"), "{e}");
        let e = rows[2].as_ref().unwrap_err();
        assert_eq!(e.location, format!("{}:4:1", path.display()));
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
        assert_eq!(e.location, format!("{}:2:10", broken.display()));

        let single = dir.path().join("one.yaml");
        std::fs::write(&single, "姓名: 张三\n").unwrap();
        let e = open(&single, &no_opts()).unwrap_err();
        assert_eq!(e.message, "the file does not hold a list of mappings");

        let broken = dir.path().join("broken.yaml");
        std::fs::write(&broken, "- a: 1\n- b: [1, 2\n").unwrap();
        let e = open(&broken, &no_opts()).unwrap_err();
        assert!(
            e.location.starts_with(&format!("{}:", broken.display())),
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
        std::fs::write(reports.join("notes.txt"), "not data").unwrap();
        std::fs::write(reports.join(".hidden.yaml"), "x: 1\n").unwrap();
        std::fs::create_dir(reports.join("sub.yaml")).unwrap();
        let records = open(&reports, &no_opts()).unwrap();
        assert_eq!(records.len(), 2);
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
        assert_eq!(rows.len(), 3);
        let e = rows[2].as_ref().unwrap_err();
        assert!(
            e.location
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
        assert_eq!(e.location, format!("{}:工作", path.display()));

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
        assert_eq!(e.hints, vec!["the columns are: 工号, 姓名".to_string()]);
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
}
