//! A table's shape from rows of cells as a clerk typed or pasted them: how many columns, which
//! rows are the header, which cells are merged. No table is refused (issue 21): a row wider
//! than the header widens the table, a short second row under a spanning header cell makes a
//! two-row header, and empty cells continue a neighbour as the README's tables section says.
//! Every guess (a row whose cells do not fill the table, a two-row header) is a warning naming
//! the row's source line; the conventions themselves are not.
//!
//! The conventions, in the order they apply:
//! - The table is as wide as its widest row (empty cells past the last filled one in every row
//!   do not count: Excel copies a selection's empty trailing columns as tabs).
//! - Header: an empty cell after a filled one continues it to the right (a header cell merged
//!   across: Excel and Word write it as the text followed by empty cells). A header narrower
//!   than the table has lost those empty cells (a trimmed line), so its last cell spans the
//!   columns left: a spanning header cell is most often the last (分年度任务 over its years).
//! - Two-row header: when the header has a spanning cell and the next row fills every column
//!   under the spanning cells with short header-like cells (years, units: no number alone, no
//!   sentence) and leaves some other column empty, that row is the header's second row: a
//!   first-row cell over a single column with nothing under it spans both rows.
//! - Rows of fewer cells: a row of one cell (or one filled cell and empty ones) is a group row
//!   spanning all columns. A row of the header's cells in a widened table spans its last cell as
//!   the header does. Any other short row fills the last columns when the text lost its
//!   leading tabs (tab tables whose lines were trimmed: the leading cells were merged ones), and
//!   the first columns otherwise (an `@表格` row, or a tab table whose rows keep their leading
//!   tabs: the trailing empty cells were lost).
//! - Empty cells in a data row: one with only empty cells and a serial number (序号, a number in
//!   the first column) to its left continues the cell above, when the row above is a data row (a group's merged cells written
//!   as empty cells: 序号 and 类别 merged down). Empty cells right after 合计, 小计 or 总计 continue
//!   it to the right. Any other empty cell is an empty cell (a 备注 with nothing to note).

use crate::error::Warning;
use crate::model::{Merge, Table, merge_at};

/// How a row with fewer cells than the table is placed when no other rule places it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Short {
    /// Its cells fill the last columns (a tab table whose lines were trimmed).
    FillLast,
    /// Its cells fill the first columns, empty cells after (an `@表格` row).
    FillFirst,
}

/// The table of `rows` (cells as read, each row from `row_lines`), starting at `line`.
pub(super) fn shape(
    mut rows: Vec<Vec<String>>,
    row_lines: Vec<usize>,
    line: usize,
    short: Short,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Table {
    let filled = |row: &[String]| row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    let width = rows.iter().map(|r| filled(r)).max().unwrap_or(0).max(1);
    for row in &mut rows {
        row.truncate(width);
    }
    let header_cells = rows[0].len();
    let mut merges = Vec::new();
    let mut grid: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    let mut head = rows[0].clone();
    head.resize(width, String::new());
    header_spans(&head, 0, &mut merges);
    grid.push(head);
    let at = |r: usize| row_lines.get(r).copied().unwrap_or(line);
    let mut header_rows = 1;
    if let Some(second) = second_header(&rows, &merges, width) {
        let subs: Vec<&str> = second
            .iter()
            .filter(|c| !c.is_empty())
            .map(String::as_str)
            .collect();
        let over: Vec<&str> = merges
            .iter()
            .filter(|m| m.cols > 1)
            .map(|m| grid[0][m.col].as_str())
            .collect();
        warnings.push(Warning::at(
            source,
            at(1),
            format!(
                "the table's header takes two rows: {} read as the sub-headings of {} above, the first row's other cells spanning both rows",
                subs.join("、"),
                over.join("、")
            ),
        ));
        for (c, cell) in second.iter().enumerate() {
            if cell.is_empty() && merge_at(&merges, 0, c).is_none() {
                merges.push(Merge {
                    row: 0,
                    col: c,
                    rows: 2,
                    cols: 1,
                });
            }
        }
        grid.push(second);
        header_rows = 2;
    } else if header_cells < width {
        let wide = rows.iter().position(|r| r.len() == width).unwrap_or(0);
        warnings.push(Warning::at(
            source,
            at(wide),
            format!(
                "row {} has {width} cells, the header {header_cells}: the table is widened to {width} columns, the header's last cell spanning the last {}",
                wide + 1,
                width - header_cells + 1
            ),
        ));
    }
    let mut group = vec![false; header_rows];
    for (r, cells) in rows.into_iter().enumerate().skip(header_rows) {
        let k = cells.len();
        let one = cells.iter().skip(1).all(String::is_empty) && !cells[0].is_empty();
        let mut row = vec![String::new(); width];
        if one && width > 1 {
            row[0] = cells[0].clone();
            merges.push(Merge {
                row: r,
                col: 0,
                rows: 1,
                cols: width,
            });
            grid.push(row);
            group.push(true);
            continue;
        }
        if k == width {
            row = cells;
        } else if k == header_cells && header_rows == 1 {
            // The header's shape: its last cell spans the columns the header's last one does.
            row[..k].clone_from_slice(&cells);
            merges.push(Merge {
                row: r,
                col: k - 1,
                rows: 1,
                cols: width - k + 1,
            });
            warnings.push(Warning::at(
                source,
                at(r),
                format!(
                    "row {} has {k} cells, the table {width}: its last cell spans the last {} columns, as the header's does",
                    r + 1,
                    width - k + 1
                ),
            ));
        } else {
            let placed = match short {
                Short::FillLast => {
                    row[width - k..].clone_from_slice(&cells);
                    format!(
                        "fill the last {k} columns, the first {} continuing the cells above as merged cells do",
                        width - k
                    )
                }
                Short::FillFirst => {
                    row[..k].clone_from_slice(&cells);
                    format!(
                        "fill the first {k} columns, the last {} left empty",
                        width - k
                    )
                }
            };
            warnings.push(Warning::at(
                source,
                at(r),
                format!(
                    "row {} has {k} cells, the table {width}: its cells {placed}",
                    r + 1
                ),
            ));
        }
        empty_cells(
            &grid,
            &row,
            r,
            group[r - 1] || r == header_rows,
            &mut merges,
        );
        grid.push(row);
        group.push(false);
    }
    Table {
        rows: grid,
        merges,
        line,
        row_lines,
        header_rows,
    }
}

/// A header row's cells over several columns: each filled cell spans the empty ones after it.
fn header_spans(row: &[String], r: usize, merges: &mut Vec<Merge>) {
    let mut c = 0;
    while c < row.len() {
        let mut end = c + 1;
        if !row[c].is_empty() {
            while end < row.len() && row[end].is_empty() {
                end += 1;
            }
        }
        if end - c > 1 {
            merges.push(Merge {
                row: r,
                col: c,
                rows: 1,
                cols: end - c,
            });
        }
        c = end;
    }
}

/// The header's second row placed in the table's columns, if the second row is one: the header
/// has spanning cells, every column under them is filled with a header-like cell, some other
/// column is empty, and data rows follow.
fn second_header(rows: &[Vec<String>], merges: &[Merge], width: usize) -> Option<Vec<String>> {
    let spans: Vec<&Merge> = merges.iter().filter(|m| m.cols > 1).collect();
    if rows.len() < 3 || spans.is_empty() {
        return None;
    }
    let cells = &rows[1];
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    if filled.len() < 2 || filled.len() >= width || !filled.iter().all(|c| header_like(c)) {
        return None;
    }
    let under: Vec<usize> = spans.iter().flat_map(|m| m.col..m.col + m.cols).collect();
    let mut row = vec![String::new(); width];
    if cells.len() == width {
        row.clone_from_slice(cells);
    } else if cells.len() == under.len() {
        // Just the sub-headings (a trimmed line): under the spanning cells, in order.
        for (&c, cell) in under.iter().zip(cells) {
            row[c] = cell.clone();
        }
    } else {
        row[width - cells.len()..].clone_from_slice(cells);
    }
    under.iter().all(|&c| !row[c].is_empty()).then_some(row)
}

/// Whether a cell reads as a heading: short, no sentence, not a number alone (1996年 and 万元
/// are headings; 1996 and 12.5 are data).
fn header_like(cell: &str) -> bool {
    cell.chars().count() <= 12 && !cell.contains(['。', '；', ';']) && !number_only(cell)
}

/// A number and nothing else (digits, separators, a sign, a per cent): a serial number or a
/// datum.
pub(super) fn number_only(cell: &str) -> bool {
    cell.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && cell.chars().all(|c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(
                    c,
                    '.' | ',' | '，' | '．' | '%' | '％' | '-' | '－' | '+' | '＋' | ' '
                )
        })
}

/// A row's empty cells that continue a neighbour: with only empty cells and a serial number in
/// the first column to their left, the cell above (unless `after_head`: the row above is the header or a group row);
/// right after 合计/小计/总计, that cell.
fn empty_cells(
    grid: &[Vec<String>],
    row: &[String],
    r: usize,
    after_head: bool,
    merges: &mut Vec<Merge>,
) {
    let total = |t: &str| {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        ["合计", "小计", "总计", "共计"]
            .iter()
            .any(|k| t.ends_with(k))
            && t.chars().count() <= 8
    };
    if let Some(c) = row
        .iter()
        .position(|c| !c.is_empty())
        .filter(|&c| total(&row[c]))
    {
        let end = (c + 1..row.len())
            .find(|&e| !row[e].is_empty())
            .unwrap_or(row.len());
        if end - c > 1 {
            merges.push(Merge {
                row: r,
                col: c,
                rows: 1,
                cols: end - c,
            });
        }
        return;
    }
    if after_head {
        return;
    }
    for c in 0..row.len() {
        if !row[c].is_empty() || merge_at(merges, r, c).is_some() {
            // A serial number (序号) in the first column: the empty cells after it may be a
            // group's still.
            if c == 0 && number_only(&row[c]) {
                continue;
            }
            break;
        }
        match merge_at(merges, r - 1, c).copied() {
            Some(m) if m.cols == 1 && m.row + m.rows == r => {
                let m = merges
                    .iter_mut()
                    .find(|x| **x == m)
                    .expect("the merge above");
                m.rows += 1;
            }
            None if !grid[r - 1][c].is_empty() => merges.push(Merge {
                row: r - 1,
                col: c,
                rows: 2,
                cols: 1,
            }),
            _ => {}
        }
    }
}
