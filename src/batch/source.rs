//! Row sources for `gongwen batch`: a workbook, a CSV file, JSON Lines, a YAML or JSON list, or
//! a folder of data files and drafts → one [`Record`] (field name → JSON value, or a draft's
//! text) per document.
//!
//! Owns: choosing the reader of each format, the options and limits of reading, and joining
//! repeated items (one row per work item) from a second sheet or file onto each record
//! ([`ItemsSpec`]). Tables (header row, field names, data rows) are [`super::table`]'s; the
//! readers are in [`super::formats`], [`super::sheet`] (workbooks) and [`super::csvfile`]. It
//! does not render, name or write anything.
//!
//! | input | one record per | row number |
//! |---|---|---|
//! | `.xlsx` `.xlsm` `.xlsb` `.xls` `.ods` | data row of the first sheet (or `--sheet`) | the sheet's row |
//! | `.csv` (UTF-8, UTF-16 with BOM, GBK/GB18030) | data row | the row Excel shows for it |
//! | `.jsonl` | non-blank line holding a JSON object | the line |
//! | `.yaml` / `.yml` / `.json` | entry of the top-level list | the entry (1-based) |
//! | a folder | `*.yaml` `*.yml` `*.json` `*.toml` data file, or `*.txt` `*.docx` draft (its text, no template), directly inside, by name | the file (1-based) |
//!
//! Cell values (issue 4: "dates stay dates, whole numbers do not become `1.0`, empty cells are
//! empty"): a date cell becomes `"2023-07-01"` (with `T09:30:00` only when it has a time), a
//! whole number an integer, other numbers floats rounded to Excel's 15 significant digits, text
//! stays text with `\r\n` made `\n` (a cell of several lines becomes several paragraphs), an
//! empty cell `""` so the template sees the field. CSV cells stay text: `007` and ID numbers must
//! not turn into numbers. A merged cell's value fills its whole range (issue 10).
//!
//! Rows are streamed (issue 11): a sheet or CSV file is read row by row and each record handed
//! on at once, so memory does not grow with rows; with items, only the items are held.
//!
//! Errors come in two kinds. One that spoils the whole source (no such file or sheet, a bad
//! header, undecodable bytes, items that match no row, a limit passed) is the `Err` of
//! [`for_each`]. One that spoils one row (an error cell such as `#DIV/0!`, a bad JSON line, a
//! data file that does not parse) is handed to the callback as that row's `Err`, so a batch can
//! still produce every other row (issue 4: per-row isolation).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::Error;

use super::csvfile::csv_rows;
use super::formats::{folder_rows, jsonl_rows, list_rows};
use super::sheet::workbook_rows;
#[cfg(test)]
pub(super) use super::table::column_letter;
pub(super) use super::table::{CellValue, HeaderCheck, Sink, unix_breaks};

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
    /// For a row of a sheet or CSV file, where its field names came from: the header row,
    /// `officials.xlsx:row 3` (for the message about a column the template wants).
    pub header: Option<String>,
    /// What was read with a doubt, located within the row (`cell C2 (标题) holds a formula
    /// whose value was never saved …`): the batch warns of each.
    pub warnings: Vec<String>,
}

/// How to read a source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The sheet of a workbook to read (`--sheet NAME`); `None`: the first visible worksheet.
    pub sheet: Option<String>,
    /// Repeated items to join onto each record.
    pub items: Option<ItemsSpec>,
    /// The header's row number in a sheet or CSV file (`--header-row N`, 1-based as Excel
    /// shows it); `None`: found (see [`super::table::find_header`]).
    pub header_row: Option<usize>,
    /// Size limits.
    pub limits: Limits,
}

/// How much a source may hold (issue 9: a 1.5 MB workbook that expands to gigabytes, a file of
/// millions of rows). Passing a limit is an error naming it and the flag that raises it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Most bytes of a source file once decompressed: a CSV, JSON or YAML file's size, or the
    /// sum of the sizes a workbook's zip declares for its parts (`--max-sheet-mb`).
    pub max_bytes: u64,
    /// Most data rows of a sheet or CSV file (`--max-rows`).
    pub max_rows: usize,
    /// Most MB of one draft or data file of a folder (`--max-input-mb`, as `render` reads it).
    pub max_input_mb: u64,
}

impl Limits {
    /// 512 MB: twenty times a 100,000-row sheet of short reports.
    pub const DEFAULT_MAX_MB: u64 = 512;
    /// 100,000 data rows: a year of documents for a large office, and a file of more is
    /// more likely a row repeated by mistake or on purpose (issue 19: a 993-byte .ods made a
    /// million documents) than a batch to print; `--max-rows` raises it.
    pub const DEFAULT_MAX_ROWS: usize = 100_000;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: Limits::DEFAULT_MAX_MB << 20,
            max_rows: Limits::DEFAULT_MAX_ROWS,
            max_input_mb: crate::DEFAULT_MAX_INPUT_MB,
        }
    }
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
/// Rows are produced one at a time: a sheet, CSV or JSON Lines file is never held as records,
/// and a folder's files are read one by one (a YAML/JSON list is parsed whole, as its reader
/// requires). With [`SourceOptions::items`] the records' keys are read in a first pass, then the
/// items, grouped by key (an item matching no record must be an error before any document is
/// made), then the records are streamed with their items attached; each group of
/// items is moved, not copied, into the last record with its key.
///
/// An `Err` result means the source as a whole is unusable; rows already handed to `f` are
/// still correct.
pub fn for_each(
    path: &Path,
    opts: &SourceOptions,
    mut f: impl FnMut(Result<Record, Error>),
) -> Result<(), Error> {
    if opts.items.is_none() {
        return rows(path, opts, None, &mut |_| Ok(()), &mut f);
    }
    let scanned = scan(path, opts)?;
    stream(path, opts, scanned, f)
}

/// What a first pass over a source found: how many rows it hands on (a batch's progress
/// total), and with [`SourceOptions::items`] each key's number of records and the items,
/// grouped and checked, for [`stream`] to attach. A batch scans once and streams once: the
/// items are read once per run, not once per pass (issue 11).
pub struct Scanned {
    /// Every row the second pass hands on, bad ones included.
    pub rows: usize,
    joined: Option<(HashMap<String, usize>, Items)>,
}

/// The first pass of [`for_each`]: rows counted, the header checked and, with items, the items
/// read and matched to the keys (an item matching no record is an error here, before any
/// document is made).
pub fn scan(path: &Path, opts: &SourceOptions) -> Result<Scanned, Error> {
    let mut count = 0usize;
    let Some(spec) = &opts.items else {
        rows(path, opts, None, &mut |_| Ok(()), &mut |_| count += 1)?;
        return Ok(Scanned {
            rows: count,
            joined: None,
        });
    };
    // The header is checked, and each key counted (a key two records share gives each the
    // items).
    let mut uses: HashMap<String, usize> = HashMap::new();
    let mut all_ok = true;
    rows(
        path,
        opts,
        None,
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
        &mut |r| {
            count += 1;
            match r {
                Ok(record) => {
                    if let Some(k) = record.fields.get(&spec.key).and_then(key_text) {
                        *uses.entry(k).or_default() += 1;
                    }
                }
                Err(_) => all_ok = false,
            }
        },
    )?;
    let items = load_items(path, spec, opts)?;
    // A row that failed (an error cell) has no key to match, so its items would look like
    // orphans; that row is reported anyway, and the check runs once it is fixed.
    if all_ok {
        items.check(&uses, &spec.key, path)?;
    }
    Ok(Scanned {
        rows: count,
        joined: Some((uses, items)),
    })
}

/// The second pass of [`for_each`]: every row to `f`, with its items attached when the scan
/// read items (each group moved, not copied, into the last record with its key).
pub fn stream(
    path: &Path,
    opts: &SourceOptions,
    scanned: Scanned,
    mut f: impl FnMut(Result<Record, Error>),
) -> Result<(), Error> {
    let (Some(spec), Some((mut uses, mut items))) = (&opts.items, scanned.joined) else {
        return rows(path, opts, None, &mut |_| Ok(()), &mut f);
    };
    rows(path, opts, None, &mut |_| Ok(()), &mut |r| {
        f(r.and_then(|mut record| {
            if !record.fields.contains_key(&spec.key) {
                return Err(Error::at(
                    &record.label,
                    0,
                    0,
                    format!("no field '{}' to match the items by", spec.key),
                ));
            }
            let list = match record.fields.get(&spec.key).and_then(key_text) {
                Some(k) => match uses.get_mut(&k) {
                    Some(n) if *n > 1 => {
                        *n -= 1;
                        items.groups.get(&k).cloned()
                    }
                    _ => items.groups.remove(&k),
                },
                None => None,
            };
            record
                .fields
                .insert(spec.field.clone(), Value::Array(list.unwrap_or_default()));
            Ok(record)
        }))
    })
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
        keys: &HashMap<String, usize>,
        key: &str,
        main: &Path,
    ) -> Result<(), Error> {
        let orphans: Vec<String> = self
            .order
            .iter()
            .filter(|(k, _)| !keys.contains_key(k))
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
pub(super) fn load_items(
    main: &Path,
    spec: &ItemsSpec,
    opts: &SourceOptions,
) -> Result<Items, Error> {
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
    // The items' own header is found, not `--header-row`: that names the records' sheet's.
    let opts = SourceOptions {
        sheet: sheet.map(str::to_string),
        items: None,
        header_row: None,
        limits: opts.limits,
    };
    rows(
        path,
        &opts,
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

/// Produce the rows of any source; `check` sees a table's header before its first row.
/// `sheet` overrides `opts.sheet` (items from another sheet of the workbook).
pub(super) fn rows(
    path: &Path,
    opts: &SourceOptions,
    sheet: Option<&str>,
    check: &mut HeaderCheck,
    f: &mut Sink,
) -> Result<(), Error> {
    if !path.exists() {
        return Err(Error::io(path, "no such file or folder"));
    }
    let kind = kind(path)?;
    let sheet = sheet.or(opts.sheet.as_deref());
    if sheet.is_some() && kind != Kind::Workbook {
        return Err(Error::io(
            path,
            "--sheet names a sheet of a workbook, and this is not one",
        )
        .hint("leave out --sheet, or name an .xlsx, .xls or .ods file"));
    }
    match kind {
        Kind::Workbook => workbook_rows(path, sheet, opts, check, f),
        Kind::Csv => csv_rows(path, opts, check, f),
        Kind::Jsonl => jsonl_rows(path, f),
        Kind::List => list_rows(path, &opts.limits, f),
        Kind::Folder => folder_rows(path, &opts.limits, f),
    }
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
