//! An `.ods` workbook's sheets measured before calamine reads them. calamine expands
//! `table:number-rows-repeated` and `table:number-columns-repeated` into cells, for every sheet,
//! as it opens the file (up to 100,000,000 cells): a 993-byte file with one row repeated
//! 1,048,000 times made a million documents, and a row of a few cells repeated so took gigabytes
//! (issue 19). The content is streamed once here (quick-xml, as calamine reads it), counting
//! rows and cells as calamine would make them, and a workbook past a limit is refused naming the
//! sheet and the row where it passed it.
//!
//! Empty rows are not rows: LibreOffice ends every sheet with an empty row repeated 1,048,559
//! times (and Excel's .ods a million empty cells), which calamine does not expand after the
//! last row with something in it. Empty rows between rows with data are expanded (calamine
//! fills them), so they count as cells, not as rows.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::source::Limits;
use crate::error::Error;

/// Most cells calamine may make of an `.ods` workbook's sheets, all sheets together, from the
/// first to the last row with data and out to the widest such row: 5,000,000 cells are about
/// 160 MB in calamine's memory, fifty times a sheet of 100,000 rows of ten columns.
pub const MAX_ODS_CELLS: u64 = 5_000_000;

/// Rows above the data that the row limit does not count: the header and title rows (the
/// header is looked for among the first 16 rows).
const HEADER_ROWS: u64 = 16;

/// Calamine's widest row.
const MAX_COLUMNS: u64 = 16_384;

/// Refuse an `.ods` workbook a sheet of which has more than `limits.max_rows` rows with data or
/// whose sheets expand to more than [`MAX_ODS_CELLS`] cells.
pub(super) fn check(path: &Path, limits: &Limits) -> Result<(), Error> {
    let cannot =
        |e: &dyn std::fmt::Display| Error::io(path, format!("cannot read the workbook ({e})"));
    let file = File::open(path).map_err(|e| cannot(&e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| cannot(&e))?;
    // No content: calamine says so in its own words.
    let Ok(part) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(1 << 16, part));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut sheet = Sheet::default();
    let mut cells: u64 = 0;
    let mut buf = Vec::with_capacity(1024);
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            // A damaged file: calamine reports it.
            Err(_) => return Ok(()),
        };
        match event {
            Event::Start(e) if e.name() == QName("table:table") => {
                sheet = Sheet {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    ..Sheet::default()
                };
            }
            Event::End(e) if e.name() == QName("table:table") => {
                cells = cells.saturating_add(sheet.cells());
            }
            Event::Start(e) if e.name() == QName("table:table-row") => {
                sheet.row_repeats = number(&e, "table:number-rows-repeated");
                sheet.col = 0;
                sheet.row_width = 0;
            }
            Event::End(e) if e.name() == QName("table:table-row") => {
                let r = sheet.end_row();
                let over_rows = sheet.rows > (limits.max_rows as u64).saturating_add(HEADER_ROWS);
                let over_cells = cells.saturating_add(sheet.cells()) > MAX_ODS_CELLS;
                if over_rows || over_cells {
                    let at = format!("{}:{}:row {r}", path.display(), sheet.name);
                    return Err(if over_rows {
                        Error::at(&at, 0, 0, format!("more than {} rows", limits.max_rows))
                            .hint("split the sheet, or raise the limit with --max-rows N")
                    } else {
                        Error::at(
                            &at,
                            0,
                            0,
                            format!(
                                "the workbook's sheets make more than {MAX_ODS_CELLS} cells once their repeated rows and columns are counted"
                            ),
                        )
                        .hint("delete the empty rows and columns around the table, or save it as .xlsx")
                    });
                }
            }
            Event::Start(e)
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                sheet.cell_repeats = number(&e, "table:number-columns-repeated");
                sheet.in_cell = true;
                sheet.filled = e
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some()
                    || e.try_get_attribute("table:formula")
                        .ok()
                        .flatten()
                        .is_some();
            }
            Event::End(e)
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                sheet.end_cell();
            }
            Event::Text(t) if sheet.in_cell => {
                sheet.filled |= !t.trim().is_empty();
            }
            Event::GeneralRef(_) | Event::CData(_) if sheet.in_cell => sheet.filled = true,
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// What is known of the sheet being read.
#[derive(Default)]
struct Sheet {
    name: String,
    /// Rows read so far, repeats expanded (the next row's 0-based number).
    next_row: u64,
    /// Rows with data, repeats expanded.
    rows: u64,
    /// The first row with data and the end of the last, and the widest such row.
    first: Option<u64>,
    end: u64,
    width: u64,
    /// The row being read: its repeat count, the next column, the end of its last filled cell.
    row_repeats: u64,
    col: u64,
    row_width: u64,
    /// The cell being read: its repeat count, whether it holds anything.
    in_cell: bool,
    cell_repeats: u64,
    filled: bool,
}

impl Sheet {
    fn end_cell(&mut self) {
        self.col = self.col.saturating_add(self.cell_repeats);
        if self.filled {
            self.row_width = self.col.min(MAX_COLUMNS);
        }
        self.in_cell = false;
        self.filled = false;
    }

    /// The row ends: its 1-based number (the first of its repeats), as messages show it.
    fn end_row(&mut self) -> u64 {
        let row = self.next_row;
        self.next_row = self.next_row.saturating_add(self.row_repeats);
        if self.row_width > 0 {
            self.rows = self.rows.saturating_add(self.row_repeats);
            self.first.get_or_insert(row);
            self.end = self.next_row;
            self.width = self.width.max(self.row_width);
        }
        row + 1
    }

    /// The cells calamine makes of the sheet.
    fn cells(&self) -> u64 {
        self.first
            .map_or(0, |first| (self.end - first).saturating_mul(self.width))
    }
}

/// A repeat count (at least 1; one that does not parse is calamine's to refuse).
fn number(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key == QName(name))
        .map(|a| a.value.into_owned())
}
