//! Tables in the text: `@表格` … `@表格结束` regions and runs of lines pasted with tabs, cut
//! out before the lines are read and put back as table blocks, with their caption and `单位：`
//! line labelled. Their rows' cells become a table's shape in [`super::table_shape`].

use super::table_shape::{Short, shape};
use crate::error::{Error, Warning};
use crate::model::{Block, Element, TableLabel};
use crate::read::markup;

/// A table stands in the text as one line holding this character and its index until the
/// blocks are read; then [`put_tables`] swaps the table in. A control character, so no input
/// line can hold it ([`clean_lines`] drops them): a private-use character such as U+E000 is
/// text (GBK's user-defined area, where offices keep rare name characters).
pub(crate) const TABLE_MARK: char = '\u{1}';

/// A table cut out of the lines, and whether it was pasted with tabs.
type Extracted = (Block, bool);

/// The lines left, with stand-ins for the tables, and the tables.
type Extraction = (Vec<(usize, String)>, Vec<Extracted>);

/// Cut `@表格` … `@表格结束` regions out of the lines: each row a line of cells separated by `|`
/// (or `｜`), the first row the header; rows of any number of cells are shaped into a table by
/// [`shape`] (a short row fills the first columns: its cells are written left to right). Then
/// the tables pasted with tabs ([`tab_tables`]; `text` is the file, to see the tabs
/// [`clean_lines`] trimmed). Each table comes with whether it came from tabs.
pub(super) fn extract_tables(
    lines: Vec<(usize, String)>,
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Extraction, Error> {
    let mut out = Vec::new();
    let mut tables = Vec::new();
    // An open `@表格`: its line, its rows' cells and their lines.
    let mut open: Option<(usize, Vec<Vec<String>>, Vec<usize>)> = None;
    for (n, line) in lines {
        let (key, _) = markup::key_value(&line);
        match (&mut open, markup::is_markup(&line), key) {
            (None, true, "表格") => open = Some((n, vec![], vec![])),
            (Some(_), true, "表格结束") => {
                let (at, rows, lines) = open.take().expect("a table is open");
                if rows.is_empty() {
                    return Err(Error::at(source, n, 1, "the table has no rows"));
                }
                let table = shape(rows, lines, at, Short::FillFirst, source, warnings);
                out.push((at, format!("{TABLE_MARK}{}", tables.len())));
                tables.push((Block::Table(table), false));
            }
            (Some((_, rows, lines)), _, _) => {
                let cells: Vec<String> = line
                    .trim_matches(|c| c == '|' || c == '｜')
                    .split(['|', '｜'])
                    .map(|c| c.trim().to_string())
                    .collect();
                rows.push(cells);
                lines.push(n);
            }
            (None, _, _) => out.push((n, line)),
        }
    }
    if let Some((at, _, _)) = open {
        return Err(Error::at(source, at, 1, "@表格 without @表格结束")
            .hint("end the table with a line @表格结束"));
    }
    let raw = super::lines::split_lines(text);
    let out = tab_tables(out, &raw, source, warnings, &mut tables)?;
    Ok((out, tables))
}

/// Tables pasted from Excel or Word: a run of consecutive lines holding tabs is a table, as
/// `@表格` is, its cells split at the tabs (the empty cells at a line's ends taken from the
/// file, which keeps their tabs), the first row the header, shaped by [`shape`]. A row with
/// fewer cells than the table fills its last columns when the table's lines lost their leading
/// tabs (merged cells, continued from the row above), its first columns when they kept them. A
/// row of one cell spans all columns (a group row; a line with no tab counts when a line with
/// tabs follows it, as Excel's trailing tabs are trimmed). A tab in a line of no table becomes
/// a space, with a warning naming the line.
fn tab_tables(
    lines: Vec<(usize, String)>,
    raw: &[&str],
    source: &str,
    warnings: &mut Vec<Warning>,
    tables: &mut Vec<Extracted>,
) -> Result<Vec<(usize, String)>, Error> {
    let plain = |l: &str| !markup::is_markup(l) && !l.starts_with(TABLE_MARK);
    let tabbed = |(n, l): &(usize, String)| {
        plain(l) && raw.get(n.wrapping_sub(1)).is_some_and(|r| r.contains('\t'))
    };
    let split = |l: &str| -> Vec<String> { l.split('\t').map(|c| c.trim().to_string()).collect() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !tabbed(&lines[i]) {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        // The run: consecutive source lines with tabs, and lines without between them.
        let mut j = i + 1;
        loop {
            let mut k = j;
            while k < lines.len()
                && lines[k].0 == lines[k - 1].0 + 1
                && plain(&lines[k].1)
                && !tabbed(&lines[k])
            {
                k += 1;
            }
            if k < lines.len() && lines[k].0 == lines[k - 1].0 + 1 && tabbed(&lines[k]) {
                j = k + 1;
            } else {
                break;
            }
        }
        let run = &lines[i..j];
        i = j;
        let header = split(&run[0].1);
        if run.len() < 2 || header.len() < 2 {
            for (n, l) in run {
                if l.contains('\t') {
                    warnings.push(Warning::at(
                        source,
                        *n,
                        "a tab in a line outside a table, replaced by a space (a table is two or more consecutive lines with tabs)",
                    ));
                }
                out.push((*n, l.replace('\t', " ")));
            }
            continue;
        }
        // Each row's cells, with the empty cells at its ends that trimming the line took off
        // (the file still has their tabs); whether some row kept leading tabs.
        let mut kept_lead = false;
        let rows: Vec<Vec<String>> = run
            .iter()
            .map(|(n, l)| {
                let (cells, lead) = untrimmed(split(l), raw.get(n.wrapping_sub(1)).copied());
                kept_lead |= lead > 0;
                cells
            })
            .collect();
        // Lines that kept their leading tabs lost only trailing ones, if any.
        let short = if kept_lead {
            Short::FillFirst
        } else {
            Short::FillLast
        };
        let row_lines: Vec<usize> = run.iter().map(|(n, _)| *n).collect();
        let table = shape(rows, row_lines, run[0].0, short, source, warnings);
        out.push((run[0].0, format!("{TABLE_MARK}{}", tables.len())));
        tables.push((Block::Table(table), true));
    }
    Ok(out)
}

/// A row's cells with the empty ones at its ends put back from the file's line `raw` (the
/// trimmed line lost their tabs), and how many were put back at its start. When the line as
/// read and the file's line do not agree (a control character or site marker removed), the
/// cells as read.
fn untrimmed(cells: Vec<String>, raw: Option<&str>) -> (Vec<String>, usize) {
    let Some(raw) = raw else {
        return (cells, 0);
    };
    let blank = |c: &&&str| {
        c.chars()
            .all(|ch| ch.is_whitespace() || ch.is_control() || ch == '\u{feff}')
    };
    let all: Vec<&str> = raw.split('\t').collect();
    let lead = all.iter().take_while(blank).count();
    let trail = all[lead..].iter().rev().take_while(blank).count();
    if lead + trail + cells.len() != all.len() {
        return (cells, 0);
    }
    let mut out = vec![String::new(); lead];
    out.extend(cells);
    out.resize(all.len(), String::new());
    (out, lead)
}
/// Swap the stand-in lines for their tables. Before a table pasted with tabs, a `单位：` line
/// and a caption (a short line without 。) are labelled as such.
pub(super) fn put_tables(blocks: &mut [Block], tables: &[Extracted]) {
    for j in 0..blocks.len() {
        let text = blocks[j].text();
        if let Some(i) = text
            .strip_prefix(TABLE_MARK)
            .and_then(|i| i.parse::<usize>().ok())
        {
            blocks[j] = tables[i].0.clone();
            if tables[i].1 {
                label_table(blocks, j);
            }
        }
    }
}

/// Label the `单位：` line and the caption before the table at `at`.
fn label_table(blocks: &mut [Block], at: usize) {
    let body = |b: &Block| {
        b.as_para()
            .is_some_and(|p| p.element == Element::Body && p.label.is_none() && p.spans.len() == 1)
    };
    let label = |b: &mut Block, l: TableLabel| {
        if let Some(p) = b.as_para_mut() {
            p.label = Some(l);
        }
    };
    let mut k = at;
    if k > 0 && body(&blocks[k - 1]) {
        let t = blocks[k - 1].text();
        if t.starts_with("单位：") || t.starts_with("单位:") {
            label(&mut blocks[k - 1], TableLabel::Unit);
            k -= 1;
        }
    }
    if k > 0 && body(&blocks[k - 1]) {
        let t = blocks[k - 1].text();
        let short = t.chars().count() <= 40;
        // A date line over a table is no caption (it is warned about as a date ending no 署名).
        let caption = !t.contains('。') && !t.ends_with(['：', ':']) && !t.starts_with("注");
        if short && caption && !super::is_date(&t) {
            label(&mut blocks[k - 1], TableLabel::Caption);
        }
    }
}
