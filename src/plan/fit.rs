//! What cannot be split across pages must fit, or the document is refused: the 版头 on the first
//! page (7.2), each of its one-line fields on its line, the 版记 on the last page (7.4). Checked
//! when the plan is made, by counting grid cells as Word does ([`Cells`]), before either writer
//! runs, so a PDF and a DOCX-only render refuse alike and nothing is cut or overprinted. A table
//! is never refused: [`orientation`] decides whether it goes across the portrait body or on
//! landscape pages (GB/T 9704 8), and at what size its columns fit.

use super::Plan;
use super::metrics::{cells, char_cells};
use super::paginate::{Cells, Geometry, Measure};
use crate::error::Error;
use crate::model::{Element, Merge, Span, merge_at};
use crate::spec::{Align, LayoutSpec};

/// The smallest 发文机关标志 printed: 五号 (10.5 pt), the smallest size GB/T 9704 uses.
const MIN_MARK_PT: f32 = 10.5;

/// The most columns a table may have. Landscape pages take any real table (60 one-character
/// columns still fit at 5 pt); past this the text would be too small to read, and a hostile
/// 800 KB line of 200,000 tab-separated cells took 850 MB to lay out (issue 19's rule: every
/// count is bounded, memory in proportion).
pub const MAX_TABLE_COLUMNS: usize = 100;

/// Refuse a table wider than [`MAX_TABLE_COLUMNS`] before anything is measured, naming its line.
pub fn table_columns_bounded(doc: &crate::model::Document) -> Result<(), Error> {
    let blocks = doc
        .blocks
        .iter()
        .chain(doc.attachments.iter().flat_map(|a| a.blocks.iter()));
    for block in blocks {
        if let crate::model::Block::Table(t) = block {
            let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
            if cols > MAX_TABLE_COLUMNS {
                return Err(Error::at(
                    &doc.source,
                    t.line,
                    1,
                    format!(
                        "the table has {cols} columns; a table holds at most {MAX_TABLE_COLUMNS}"
                    ),
                )
                .hint(
                    "split it into tables of fewer columns, or send it as a spreadsheet attachment",
                ));
            }
        }
    }
    Ok(())
}

/// Refuse a plan whose 版头 or 版记 does not fit where GB/T 9704 puts it.
pub fn check(plan: &Plan, layout: &LayoutSpec) -> Result<(), Error> {
    let mut cells = Cells::new(layout);
    let per_page = layout.grid.lines as usize;
    if let Some(head) = &plan.masthead {
        for f in &head.fields {
            let lines = cells
                .text(f.role, &f.text, &Geometry::of(f.role, layout))?
                .len();
            if lines > 1 {
                let (name, key) = field_name(f.role);
                return Err(too_long(plan, name, key, &f.text, lines));
            }
        }
        if let Some(n) = &head.doc_number {
            let mut spans = vec![Span {
                element: Element::DocNumber,
                text: n.text.clone(),
            }];
            let mut width = layout.body_width() - n.left;
            if let Some((label, names)) = &n.signer {
                // The 签发人 shares the line (7.2.6): both must fit it with a character between.
                spans.push(Span {
                    element: Element::DocNumber,
                    text: format!("\u{3000}{label}"),
                });
                spans.push(Span {
                    element: Element::Signer,
                    text: names.clone(),
                });
                width -= n.right;
            }
            let g = Geometry {
                left: n.left,
                width,
                first_indent: 0.0,
                align: Align::Left,
                size: None,
            };
            let lines = cells.lines(&spans, &[], 0, &g)?.len();
            if lines > 1 {
                let (name, key) = if n.signer.is_some() {
                    ("发文字号 with the 签发人", "@发文字号 and @签发人")
                } else {
                    ("发文字号", "@发文字号")
                };
                return Err(too_long(plan, name, key, &n.text, lines));
            }
        }
        if let Some(m) = head.issuer_mark.as_ref().filter(|m| m.size < MIN_MARK_PT) {
            // The plan shrinks the 标志 to fit the body width; a name this long would print
            // too small to read (at 0 pt the PDF's glyph advances are not even numbers).
            let widest = m
                .issuers
                .iter()
                .map(|n| n.chars().count())
                .max()
                .unwrap_or(0);
            return Err(Error::at(
                &plan.source,
                0,
                0,
                format!(
                    "the 发文机关标志 is too long for one line: {widest} characters would print at {:.1} pt, under {MIN_MARK_PT} pt",
                    m.size
                ),
            )
            .hint("GB/T 9704 7.2.5: the 标志 is the organ's full or short name; write the short name in @发文机关"));
        }
        if head.title_line >= per_page {
            let issuers = head.issuer_mark.as_ref().map_or(0, |m| m.issuers.len());
            return Err(Error::at(
                &plan.source,
                0,
                0,
                format!(
                    "the 版头 does not fit on the first page: with {issuers} 发文机关 stacked, the title would start on grid line {} of {per_page}",
                    head.title_line + 1
                ),
            )
            .hint("GB/T 9704 7.2.5 stacks every joint 发文机关 in the 标志; use fewer @发文机关 lines (the 主办机关 first) and name the others in the 署名"));
        }
    }
    if let Some(c) = &plan.colophon {
        colophon_fits(&plan.source, c.lines_needed(c.cc_lines), per_page)?;
    }
    Ok(())
}

/// The most columns of one character (and its padding) that `width` points hold at `size`:
/// narrower, a column's characters print over its rules (a 30-column table did, issue 19). 15
/// for gbt9704 across the portrait body (156 mm, 4号, half a character of padding on each side),
/// 21 across a landscape page's (225 mm). The plan gives every column at least this width
/// ([`crate::plan::build::table_columns`]).
pub fn max_table_columns(layout: &LayoutSpec, width: f32, size: f32) -> usize {
    let one = layout.char_width(size);
    let column = one * (1.0 + 2.0 * layout.table.padding_chars);
    // A hair of slack: 15 columns of exactly a fifteenth of the body are 15, not 14.
    ((width + 0.01) / column).floor().max(1.0) as usize
}

/// How a table is set: on portrait or landscape pages, and at what size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Orientation {
    /// On landscape pages (GB/T 9704 8, 横排表格).
    pub landscape: bool,
    /// The width its columns share, points: the body width, or on a landscape page the body
    /// height (the same rectangle of paper, turned).
    pub width: f32,
    /// Cell text size, points.
    pub size: f32,
}

/// Where a table goes (no table is refused): across the portrait body (156 mm) when its
/// columns' min content widths (the widest word that cannot break, with the padding: a number,
/// a Latin word, one 汉字) fit; else on landscape pages, across the body height (225 mm), as
/// GB/T 9704 8 allows for a 横排表格; a table wider still keeps its landscape pages and its text
/// gets smaller, in half points, until it fits. HTML's auto table layout decides the same way
/// (min content widths first); a smaller size before landscape is not chosen, since 4号 is the
/// practice for tables in 公文 and a turned page is what the clause provides for.
pub fn orientation(rows: &[Vec<String>], merges: &[Merge], layout: &LayoutSpec) -> Orientation {
    let size = layout.element(Element::Table).size_pt;
    let need = |size: f32| min_widths(rows, merges, layout, size).iter().sum::<f32>();
    let (body, turned) = (layout.body_width(), layout.body_height());
    if need(size) <= body + 0.01 {
        return Orientation {
            landscape: false,
            width: body,
            size,
        };
    }
    // Widths grow with the size: start from the proportional size and step down to one that fits.
    let mut s = (size * turned / need(size)).min(size);
    s = (s * 2.0).floor() / 2.0;
    while s > 0.5 && need(s) > turned + 0.01 {
        s -= 0.5;
    }
    Orientation {
        landscape: true,
        width: turned,
        size: if need(size) <= turned + 0.01 {
            size
        } else {
            s.max(0.5)
        },
    }
}

/// Each column's min content width at `size`, points: its widest word that cannot break (a run of
/// digits and Latin letters with the signs numbers carry, `12,345.6`, `-3.5%`; a 汉字 or other
/// full-width character alone), and the padding on both sides. A header cell of up to
/// [`HEADER_WORD`] characters (`序号`, `地区`, `2021年`) is one word: the header row is read
/// across at a glance and a two-character header broken over two lines reads as two words. A
/// cell merged across columns spans the widths the others decide and is left out.
pub fn min_widths(
    rows: &[Vec<String>],
    merges: &[Merge],
    layout: &LayoutSpec,
    size: f32,
) -> Vec<f32> {
    let one = layout.char_width(size);
    let pad = 2.0 * layout.table.padding_chars * one;
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = vec![one + pad; ncols];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if merge_at(merges, r, c).is_some_and(|m| m.cols > 1) {
                continue;
            }
            let header = cells(text);
            let word = if r == 0 && header <= HEADER_WORD {
                header
            } else {
                widest_word(text)
            };
            out[c] = out[c].max(word * one + pad);
        }
    }
    out
}

/// The longest header kept on one line, in characters: longer headers (`分年度招生任务`) may wrap.
pub const HEADER_WORD: f32 = 4.0;

/// The widest run of a text that no line break may cut, in cells of its size.
fn widest_word(text: &str) -> f32 {
    let (mut widest, mut run) = (0.0f32, 0.0f32);
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ".,%+-/:'".contains(ch) {
            run += char_cells(ch);
        } else {
            widest = widest.max(run);
            run = 0.0;
            if !ch.is_whitespace() {
                widest = widest.max(char_cells(ch));
            }
        }
    }
    widest.max(run)
}

/// The 版记 is one block at the foot of the last page (7.4): refuse one taller than a page.
pub(super) fn colophon_fits(source: &str, need: usize, per_page: usize) -> Result<(), Error> {
    if need <= per_page {
        return Ok(());
    }
    Err(Error::at(
        source,
        0,
        0,
        format!("the 版记 takes {need} lines, more than a page holds ({per_page}): the 抄送 list is too long"),
    )
    .hint("GB/T 9704 7.4 keeps the 版记 on the last page: name groups of 抄送机关 (各省、自治区、直辖市人民政府), or list them in an attachment"))
}

fn field_name(role: Element) -> (&'static str, &'static str) {
    match role {
        Element::CopyNo => ("份号", "@份号"),
        Element::Secrecy => ("密级和保密期限", "@密级"),
        _ => ("紧急程度", "@紧急程度"),
    }
}

fn too_long(plan: &Plan, name: &str, key: &str, text: &str, lines: usize) -> Error {
    let chars = text.chars().count();
    Error::at(
        &plan.source,
        0,
        0,
        format!("the {name} ({key}) is {chars} characters, {lines} lines; it must fit on one line"),
    )
    .hint("GB/T 9704 7.2 gives it one line of the 版头: shorten it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Block, plan};

    fn tables(text: &str) -> Vec<crate::plan::Table> {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let doc = crate::plaintext::parse(text, "t.txt", &mut vec![]).unwrap();
        plan(&doc, &layout)
            .unwrap()
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(*t),
                Block::Para(_) => None,
            })
            .collect()
    }

    fn row(cells: impl Iterator<Item = String>) -> String {
        cells.collect::<Vec<_>>().join("\t")
    }

    /// No table is refused for its width (issue 21): 20 columns of one character go on landscape
    /// pages, each column still one character of the table's size wide within its padding, the
    /// columns sharing the body height (225 mm) at 4号; 60 go landscape at a smaller size.
    #[test]
    fn a_table_of_twenty_columns_is_planned_on_landscape_pages() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        for (cols, size) in [(20, 14.0), (60, 5.0)] {
            let header = row("甲乙丙丁戊己庚辛壬癸"
                .chars()
                .cycle()
                .take(cols)
                .map(String::from));
            let body = row((0..cols).map(|_| "数".to_string()));
            let t = &tables(&format!("关于表格的通知\n正文。\n{header}\n{body}\n"))[0];
            assert!(t.landscape, "{cols} columns");
            assert_eq!(t.columns.len(), cols);
            assert!(
                (t.size - size).abs() < 0.01,
                "{cols} columns at {} pt",
                t.size
            );
            let sum: f32 = t.columns.iter().sum();
            assert!((sum - layout.body_height()).abs() < 0.1, "{sum}");
            let one = layout.char_width(t.size);
            for w in &t.columns {
                assert!(*w + 0.01 >= one + 2.0 * t.padding, "{w} for {cols} columns");
            }
        }
    }

    /// A table goes landscape when its columns' min content widths (numbers do not break) are
    /// wider than the portrait body, not for its column count alone: 9 columns of words stay
    /// portrait, 9 columns of eight-digit figures do not fit 156 mm and turn.
    #[test]
    fn wide_figures_turn_a_table_and_short_words_do_not() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let header = row((0..9).map(|_| "项目".to_string()));
        let words = row((0..9).map(|_| "情况".to_string()));
        let figures = row((0..9).map(|_| "112306.3".to_string()));
        let t = tables(&format!(
            "通知\n正文。\n{header}\n{words}\n\n正文。\n{header}\n{figures}\n"
        ));
        assert_eq!(t.len(), 2);
        assert!(!t[0].landscape);
        assert!((t[0].columns.iter().sum::<f32>() - layout.body_width()).abs() < 0.1);
        assert!(t[1].landscape);
        assert_eq!(t[1].size, layout.element(Element::Table).size_pt);
    }

    /// A table of more than MAX_TABLE_COLUMNS columns is refused at its line before anything
    /// is measured; one of exactly that many is planned (landscape, small).
    #[test]
    fn a_table_past_the_column_bound_is_refused_at_its_line() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let row = |n: usize| vec!["1"; n].join("\t");
        let text = |n: usize| format!("标题\n正文。\n{}\n{}\n", row(n), row(n));
        let doc =
            crate::plaintext::parse(&text(MAX_TABLE_COLUMNS + 1), "t.txt", &mut vec![]).unwrap();
        let e = plan(&doc, &layout).unwrap_err();
        assert_eq!(e.location(), "t.txt:3:1", "{e}");
        assert!(e.to_string().contains("101 columns"), "{e}");
        let doc = crate::plaintext::parse(&text(MAX_TABLE_COLUMNS), "t.txt", &mut vec![]).unwrap();
        let t = &plan(&doc, &layout).unwrap().blocks;
        assert!(
            t.iter()
                .any(|b| matches!(b, Block::Table(t) if t.landscape && t.columns.len() == 100))
        );
    }

    /// A landscape table starts a page of its own with its caption and `单位：` line, holds at
    /// most 15 grid lines a page (156 mm over the 28.95 pt pitch), and the text after it resumes
    /// on a new portrait page.
    #[test]
    fn a_landscape_table_takes_pages_of_its_own() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let header = "序号\t地区\t2021年\t2022年\t2023年\t增减\t增幅\t排名\t备注";
        let row =
            |i: usize| format!("{i}\t城关镇\t103929.4\t112306.3\t120280.1\t+7973.7\t7.1%\t5\t—");
        let rows: Vec<String> = (1..=20).map(row).collect();
        let text = format!(
            "关于经济运行情况的报告\n县人民政府：\n现将情况报告如下。\n表1  各乡镇完成情况\n单位：万元\n{header}\n{}\n以上情况，特此报告。\n青山县统计局\n2024年3月15日\n",
            rows.join("\n")
        );
        let doc = crate::plaintext::parse(&text, "t.txt", &mut vec![]).unwrap();
        let planned = plan(&doc, &layout).unwrap();
        let p =
            crate::plan::paginate::paginate(&planned, &layout, &mut Cells::new(&layout)).unwrap();
        let turned: Vec<bool> = p.sheets.iter().map(|s| s.landscape).collect();
        // Caption, unit and 21 rows of one line: 23 lines, two landscape pages.
        assert_eq!(turned, [false, true, true, false]);
        // Cells are set off the grid at their own pitch: a full landscape page reaches into the
        // 16th grid line's band (156 mm = 15.3 lines).
        for s in &p.sheets[1..3] {
            assert!(s.lines_used <= 16 && s.lines_used >= 1, "{}", s.lines_used);
        }
        assert!(p.sheets[1].lines_used >= 15);
        // The closing text starts the last page, on its first grid line.
        assert!(
            p.sheets[3]
                .items
                .iter()
                .any(|i| matches!(i, super::super::paginate::Placed::Line { li: 0, .. }))
        );
        // A heading right before the caption goes with it onto the landscape page.
        let text = text.replace("表1", "一、完成情况\n表1");
        let doc = crate::plaintext::parse(&text, "t.txt", &mut vec![]).unwrap();
        let headed = plan(&doc, &layout).unwrap();
        let p =
            crate::plan::paginate::paginate(&headed, &layout, &mut Cells::new(&layout)).unwrap();
        let turned: Vec<bool> = p.sheets.iter().map(|s| s.landscape).collect();
        assert_eq!(turned, [false, true, true, false]);
        assert_eq!(p.bookmarks.len(), 1);
        assert_eq!(p.bookmarks[0].page, 1);
    }
}
