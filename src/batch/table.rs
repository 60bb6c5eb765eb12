//! Tables — a sheet of a workbook or a CSV file — as rows of cells, turned into records: which
//! row is the header (title rows above it are skipped, or `--header-row N` says which), the
//! field names it gives, one record per data row, and the limit on rows.
//!
//! The readers ([`super::formats`], [`super::sheet`], [`super::csvfile`]) push rows as they read
//! them into [`Rows`]; only the few rows before the header is known are held.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::source::Record;
use crate::error::Error;

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

    /// An error about the header, located at its row, with a hint saying which row was taken
    /// as the header (a title row above it may have fooled the search).
    pub(super) fn error(&self, message: String) -> Error {
        Error::at(&self.table.header_label(), 0, 0, message).hint(self.table.which_header())
    }
}

pub(super) type HeaderCheck<'a> = dyn FnMut(&Header) -> Result<(), Error> + 'a;
pub(super) type Sink<'a> = dyn FnMut(Result<Record, Error>) + 'a;

/// A cell, as the table logic sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CellValue {
    Empty,
    Value(Value),
    /// An error cell (`#DIV/0!`): a formula that failed.
    Error(String),
    /// A formula whose value was never saved (a workbook written by a program, not by Excel,
    /// WPS or LibreOffice, which save each formula's value): read as empty, with a warning
    /// (issue 19: a title lost its 2023 without a word). Blank: a row of such cells alone is
    /// not a record.
    Formula,
}

impl CellValue {
    /// Empty, or text of spaces only: such a cell does not keep a row alive.
    pub(super) fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty | CellValue::Formula => true,
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
                CellValue::Empty | CellValue::Formula => None,
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

    /// The hint that says which row the field names were read from.
    pub(super) fn which_header(&self) -> String {
        format!(
            "the field names were read from row {} (the header); if it is another row, say which with --header-row N",
            self.header_row
        )
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
        let mut warnings = Vec::new();
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
                (Some(n), CellValue::Formula) => {
                    fields.insert(n.clone(), Value::String(String::new()));
                    warnings.push(format!(
                        "cell {}{row} ({n}) holds a formula whose value was never saved: it is read as empty (open the workbook in Excel or WPS and save it, so the values are computed)",
                        self.letter(j)
                    ));
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
            header: Some(self.header_label()),
            warnings,
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

/// How many non-blank rows are read before the header is chosen.
const LOOKAHEAD: usize = 16;

/// A header name longer than this is a sentence: a title or a note, not a field name.
const MAX_NAME_CHARS: usize = 40;

/// Rows of one table, pushed in order as a reader produces them, handed on as records.
///
/// Until the header is known the first [`LOOKAHEAD`] non-blank rows are held; then each row is
/// made a record and handed to the sink at once, so a table of any length needs no more memory
/// than its longest row.
pub(super) struct Rows<'a, 'b> {
    /// `officials.xlsx` or `officials.xlsx:名单`, for labels.
    prefix: String,
    /// `--header-row N`: the header's row number; `None`: found by [`find_header`].
    header_row: Option<usize>,
    /// Most data rows (`--max-rows`).
    max_rows: usize,
    check: &'a mut HeaderCheck<'b>,
    sink: &'a mut Sink<'b>,
    table: Option<Table>,
    pending: Vec<(usize, Vec<CellValue>)>,
    /// For each pending row, how many of its cells hold a merged range's value copied there.
    copied: Vec<usize>,
    records: usize,
}

impl<'a, 'b> Rows<'a, 'b> {
    pub(super) fn new(
        prefix: String,
        header_row: Option<usize>,
        max_rows: usize,
        check: &'a mut HeaderCheck<'b>,
        sink: &'a mut Sink<'b>,
    ) -> Rows<'a, 'b> {
        Rows {
            prefix,
            header_row,
            max_rows,
            check,
            sink,
            table: None,
            pending: Vec::new(),
            copied: Vec::new(),
            records: 0,
        }
    }

    /// The next row (its number as the user sees it, and its cells from column A). Rows must
    /// come in order; a row may be left out when it is blank.
    pub(super) fn push(&mut self, row: usize, cells: Vec<CellValue>) -> Result<(), Error> {
        self.push_merged(row, cells, 0)
    }

    /// [`Rows::push`] for a row `copied` of whose cells hold a merged range's value (a title
    /// merged across the table reads as the same text in each of its cells).
    pub(super) fn push_merged(
        &mut self,
        row: usize,
        cells: Vec<CellValue>,
        copied: usize,
    ) -> Result<(), Error> {
        if let Some(t) = &self.table {
            if let Some(r) = t.record(row, cells.into_iter()) {
                self.records += 1;
                if self.records > self.max_rows {
                    return Err(Error::at(
                        &format!("{}:row {row}", self.prefix),
                        0,
                        0,
                        format!("more than {} rows", self.max_rows),
                    )
                    .hint("split the sheet, or raise the limit with --max-rows N"));
                }
                (self.sink)(r);
            }
            return Ok(());
        }
        match self.header_row {
            Some(n) if row < n => Ok(()),
            Some(n) if row == n => self.start(row, cells),
            Some(n) => Err(self.no_header_at(n)),
            None => {
                if !cells.iter().all(CellValue::is_blank) {
                    self.pending.push((row, cells));
                    self.copied.push(copied);
                    if self.pending.len() >= LOOKAHEAD {
                        self.decide()?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The end of the table.
    pub(super) fn finish(mut self) -> Result<(), Error> {
        if self.table.is_none() && !self.pending.is_empty() {
            self.decide()?;
        }
        match (&self.table, self.header_row) {
            (Some(_), _) => Ok(()),
            (None, Some(n)) => Err(self.no_header_at(n)),
            (None, None) => Err(Error::at(&self.prefix, 0, 0, "the table is empty")
                .hint("a header row names the fields, then one row per document")),
        }
    }

    fn no_header_at(&self, n: usize) -> Error {
        Error::at(
            &format!("{}:row {n}", self.prefix),
            0,
            0,
            format!("--header-row {n}: row {n} is empty"),
        )
        .hint("give the number of the row that names the fields, as Excel shows it")
    }

    /// Choose the header among the rows held, then hand on the rows below it.
    fn decide(&mut self) -> Result<(), Error> {
        let pending = std::mem::take(&mut self.pending);
        let at = find_header(&pending, &std::mem::take(&mut self.copied));
        let mut rows = pending.into_iter().skip(at);
        if let Some((row, cells)) = rows.next() {
            self.start(row, cells)?;
        }
        for (row, cells) in rows {
            self.push(row, cells)?;
        }
        Ok(())
    }

    fn start(&mut self, row: usize, cells: Vec<CellValue>) -> Result<(), Error> {
        let table = Table::new(self.prefix.clone(), row, 0, cells.into_iter())?;
        (self.check)(&Header { table: &table })?;
        self.table = Some(table);
        Ok(())
    }
}

/// Which of the first non-blank rows of a table is its header (an index into `rows`).
///
/// Office sheets put a title above the header — "2024年度述职述廉报告名单" merged across the
/// table, perhaps a line "填报单位：… 日期：…", perhaps a blank row. The header is the first
/// row that
///
/// - has at least two different values (a title, merged or not, has one), none of them longer
///   than [`MAX_NAME_CHARS`] characters or of several lines, each text or a number; and
/// - fills at least half of the columns that it and the three rows below it use (a subtitle
///   with a unit and a date in a table of eight columns does not).
///
/// A row that repeats one name in cells of its own (`a,a`: not a merged title, whose copies
/// `copied` counts) is a header too, so that the duplicate is an error naming
/// the columns rather than the row skipped as a title and the next row taken as the header
/// (issue 19: a CSV headed `a,a` made no documents and said nothing).
///
/// When no row qualifies — a table of one column — it is the first non-blank row, as before
/// titles were looked for. `--header-row N` overrides the search.
///
/// `copied`: how many cells of each row hold a merged range's copied value.
pub(super) fn find_header(rows: &[(usize, Vec<CellValue>)], copied: &[usize]) -> usize {
    let candidate = |cells: &[CellValue], copied: usize| -> Option<usize> {
        let mut filled = 0;
        let mut distinct = HashSet::new();
        for cell in cells.iter().filter(|c| !c.is_blank()) {
            let name = match cell {
                CellValue::Value(Value::String(s)) => s.trim().to_string(),
                CellValue::Value(v @ Value::Number(_)) => v.to_string(),
                _ => return None,
            };
            if name.chars().count() > MAX_NAME_CHARS || name.contains('\n') {
                return None;
            }
            filled += 1;
            distinct.insert(name);
        }
        let own = filled - copied.min(filled);
        (distinct.len() >= 2 || own >= 2).then_some(filled)
    };
    for (i, (_, cells)) in rows.iter().enumerate() {
        let Some(filled) = candidate(cells, copied.get(i).copied().unwrap_or(0)) else {
            continue;
        };
        let used: HashSet<usize> = rows[i..rows.len().min(i + 4)]
            .iter()
            .flat_map(|(_, cells)| {
                cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.is_blank())
                    .map(|(j, _)| j)
            })
            .collect();
        if 2 * filled >= used.len() {
            return i;
        }
    }
    0
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
