//! Workbooks (`.xlsx` `.xlsm` `.xlsb` `.xls` `.ods`, through calamine) read row by row into a
//! [`Rows`]: the first visible worksheet or `--sheet`, merged cells filled over their whole
//! range, and a zip bomb refused before anything is decompressed (and an `.ods` whose repeated
//! rows would expand past the limits, before calamine expands them: [`super::odsscan`]). A
//! formula whose value was never saved (`.xlsx`, `.ods`) is read as empty with a warning.
//!
//! An `.xlsx`/`.xlsm`/`.xlsb` sheet is streamed cell by cell (calamine's cell readers), so a
//! sheet of any length needs memory for one row (and the workbook's shared strings); an `.xls`
//! (65,536 rows at most) or `.ods` sheet is read whole by calamine, then handed on row by row.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Dimensions, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

use super::formats::{cell_ref_value, cell_value, check_size, too_big};
use super::source::{HeaderCheck, Limits, Sink, SourceOptions};
use super::table::{CellValue, Rows};
use crate::error::Error;

pub(super) fn workbook_rows(
    path: &Path,
    sheet: Option<&str>,
    opts: &SourceOptions,
    check: &mut HeaderCheck,
    f: &mut Sink,
) -> Result<(), Error> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "xls" {
        check_size(path, &opts.limits)?;
    } else {
        check_zip(path, &opts.limits)?;
    }
    if ext == "xlsx" || ext == "xlsm" {
        super::cellrefs::check(path)?;
    }
    if ext == "ods" {
        super::odsscan::check(path, &opts.limits)?;
    }
    let prefix = match sheet {
        Some(s) => format!("{}:{s}", path.display()),
        None => path.display().to_string(),
    };
    let cannot =
        |e: &dyn std::fmt::Display| Error::io(path, format!("cannot read the workbook ({e})"));
    let mut rows = Rows::new(prefix, opts.header_row, opts.limits.max_rows, check, f);
    let mut grid = Grid::default();
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(|e| cannot(&e))?;
            let name = pick_sheet(&book, path, sheet)?;
            let merges = book
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| cannot(&e))?;
            grid.merges(merges);
            let mut cells = book.worksheet_cells_reader(&name).map_err(|e| cannot(&e))?;
            while let Some(cell) = cells
                .next_cell_with_formula_metadata()
                .map_err(|e| cannot(&e))?
            {
                let (r, c) = cell.pos;
                let value = match cell_ref_value(&cell.value) {
                    CellValue::Empty if cell.formula.is_some() => CellValue::Formula,
                    v => v,
                };
                grid.cell(r, c, value, &mut rows)?;
            }
        }
        "xlsb" => {
            // calamine reads no merged ranges from .xlsb.
            let mut book: Xlsb<_> = calamine::open_workbook(path).map_err(|e| cannot(&e))?;
            let name = pick_sheet(&book, path, sheet)?;
            let mut cells = book.worksheet_cells_reader(&name).map_err(|e| cannot(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| cannot(&e))? {
                let (r, c) = cell.get_position();
                grid.cell(r, c, cell_ref_value(cell.get_value()), &mut rows)?;
            }
        }
        "xls" => {
            let mut book: Xls<_> = calamine::open_workbook(path).map_err(|e| cannot(&e))?;
            let name = pick_sheet(&book, path, sheet)?;
            grid.merges(
                book.merge_cells_by_sheet_name(&name)
                    .map_err(|e| cannot(&e))?,
            );
            whole_sheet(&mut book, &name, path, &mut grid, &mut rows)?;
        }
        _ => {
            // .ods: calamine gives no merged ranges; a covered cell reads as empty.
            let mut book: Ods<_> = calamine::open_workbook(path).map_err(|e| cannot(&e))?;
            let name = pick_sheet(&book, path, sheet)?;
            // Formulas whose value was never saved: calamine reads them as empty cells.
            let formulas = book
                .worksheet_formula(&name)
                .map_err(|e| Error::io(path, format!("cannot read sheet '{name}' ({e})")))?;
            let values = book
                .worksheet_range(&name)
                .map_err(|e| Error::io(path, format!("cannot read sheet '{name}' ({e})")))?;
            let (fr, fc) = formulas.start().unwrap_or((0, 0));
            let mut unsaved: Vec<(u32, u32)> = formulas
                .used_cells()
                .map(|(r, c, _)| (fr + r as u32, fc + c as u32))
                .filter(|&pos| {
                    values
                        .get_value(pos)
                        .is_none_or(|v| matches!(v, calamine::Data::Empty))
                })
                .collect();
            drop(formulas);
            unsaved.reverse();
            let (r0, c0) = values.start().unwrap_or((0, 0));
            for (r, c, cell) in values.used_cells() {
                let (r, c) = (r0 + r as u32, c0 + c as u32);
                while unsaved.last().is_some_and(|&p| p < (r, c)) {
                    let (fr, fc) = unsaved.pop().expect("checked above");
                    grid.cell(fr, fc, CellValue::Formula, &mut rows)?;
                }
                grid.cell(r, c, cell_value(cell), &mut rows)?;
            }
            while let Some((fr, fc)) = unsaved.pop() {
                grid.cell(fr, fc, CellValue::Formula, &mut rows)?;
            }
        }
    }
    grid.flush(&mut rows)?;
    rows.finish()
}

/// A sheet calamine reads whole (`.xls`; an `.ods` is read so too, with its formulas), handed
/// on cell by cell and dropped.
fn whole_sheet<RS: Read + Seek, R: Reader<RS>>(
    book: &mut R,
    name: &str,
    path: &Path,
    grid: &mut Grid,
    rows: &mut Rows,
) -> Result<(), Error>
where
    R::Error: std::fmt::Display,
{
    let range = book
        .worksheet_range(name)
        .map_err(|e| Error::io(path, format!("cannot read sheet '{name}' ({e})")))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, cell) in range.used_cells() {
        grid.cell(r0 + r as u32, c0 + c as u32, cell_value(cell), rows)?;
    }
    Ok(())
}

/// The sheet to read: the one `--sheet` names, else the first the user can see.
fn pick_sheet<RS: Read + Seek, R: Reader<RS>>(
    book: &R,
    path: &Path,
    sheet: Option<&str>,
) -> Result<String, Error> {
    let names = book.sheet_names();
    match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(Error::io(path, format!("no sheet named '{s}'"))
                    .hint(format!("the sheets are: {}", names.join(", "))));
            }
            Ok(s.to_string())
        }
        // The first sheet the user can see: a hidden first sheet (lookup tables) or a chart
        // sheet is not what "the first sheet" means to them.
        None => book
            .sheets_metadata()
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .or_else(|| names.first().cloned())
            .ok_or_else(|| Error::io(path, "the workbook has no sheets")),
    }
}

/// Refuse a workbook whose parts would decompress to more than the limit, from the sizes its
/// zip directory declares, before anything is decompressed (issue 9: a 1.5 MB file expanding to
/// 1.5 GB took that much memory). The declared sizes can be trusted: the zip reader stops with
/// an error at any part that inflates past its declared size, so a part cannot lie its way
/// past this check.
fn check_zip(path: &Path, limits: &Limits) -> Result<(), Error> {
    let file = File::open(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        Error::io(path, format!("cannot read the workbook ({e})"))
            .hint("an .xlsx, .xlsb or .ods file is a zip archive; this one is damaged")
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| Error::io(path, format!("cannot read the workbook ({e})")))?;
        total = total.saturating_add(part.size());
    }
    if total > limits.max_bytes {
        return Err(too_big(path, total, limits));
    }
    Ok(())
}

/// Cells in sheet order → rows, with each merged range's value (its top-left cell's) copied to
/// every cell of the range: a 单位 merged down over five rows gives each of them its 单位.
#[derive(Default)]
struct Grid {
    /// Merged ranges not yet reached, by first row, last first (popped as rows go by).
    waiting: Vec<Dimensions>,
    /// Merged ranges over the current row, with the value of their top-left cell.
    active: Vec<(Dimensions, Option<CellValue>)>,
    /// The 0-based row being gathered and its cells from column A.
    row: Option<u32>,
    cells: Vec<CellValue>,
}

/// Widest row kept: Excel's last column is XFD (16,384).
const MAX_COLUMNS: u32 = 16_384;

impl Grid {
    fn merges(&mut self, merges: Vec<Dimensions>) {
        // A range written backwards (`C2:A3`, `A3:C2`: Excel never writes one, other programs
        // and hand-made files do) is the same cells as written forwards; taken as written it
        // made an empty column span, and a panic (issue 19).
        let mut merges: Vec<Dimensions> = merges
            .into_iter()
            .map(|d| Dimensions {
                start: (d.start.0.min(d.end.0), d.start.1.min(d.end.1)),
                end: (d.start.0.max(d.end.0), d.start.1.max(d.end.1)),
            })
            .collect();
        merges.sort_by_key(|d| std::cmp::Reverse(d.start.0));
        self.waiting = merges;
    }

    fn cell(&mut self, r: u32, c: u32, value: CellValue, rows: &mut Rows) -> Result<(), Error> {
        if self.row != Some(r) {
            self.flush(rows)?;
            self.row = Some(r);
        }
        // Blank cells past the last one kept are dropped (a styled row of 16,384 empty cells
        // costs nothing), but not a formula without a value: it is warned of.
        let blank = value.is_blank() && value != CellValue::Formula;
        if c >= MAX_COLUMNS || (blank && c as usize >= self.cells.len()) {
            return Ok(());
        }
        let c = c as usize;
        if self.cells.len() <= c {
            self.cells.resize(c + 1, CellValue::Empty);
        }
        self.cells[c] = value;
        Ok(())
    }

    /// Hand on the row gathered, its merged cells filled.
    fn flush(&mut self, rows: &mut Rows) -> Result<(), Error> {
        let Some(r) = self.row.take() else {
            return Ok(());
        };
        let mut cells = std::mem::take(&mut self.cells);
        // A row with nothing of its own stays blank: a range merged down past the last person
        // does not make a record of its 单位 alone.
        let own = cells.iter().any(|c| !c.is_blank());
        let mut copied = 0;
        while self.waiting.last().is_some_and(|d| d.start.0 <= r) {
            let d = self.waiting.pop().expect("checked above");
            self.active.push((d, None));
        }
        self.active.retain(|(d, _)| d.end.0 >= r);
        for (d, value) in &mut self.active {
            let (top, left) = d.start;
            if top == r {
                *value = cells.get(left as usize).filter(|c| !c.is_blank()).cloned();
            }
            let Some(v) = value.as_ref().filter(|_| own) else {
                continue;
            };
            let last = d.end.1.min(MAX_COLUMNS - 1) as usize;
            // A range right of the last column (`XFE1:XFF2`, three letters but no cell) fills
            // nothing, as its cells are not kept.
            if left as usize > last {
                continue;
            }
            if cells.len() <= last {
                cells.resize(last + 1, CellValue::Empty);
            }
            for cell in &mut cells[left as usize..=last] {
                if cell.is_blank() {
                    *cell = v.clone();
                    copied += 1;
                }
            }
        }
        rows.push_merged(r as usize + 1, cells, copied)
    }
}
