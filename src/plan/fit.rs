//! What cannot be split across pages must fit, or the document is refused: the 版头 on the first
//! page (7.2), each of its one-line fields on its line, the 版记 on the last page (7.4); and a
//! table's columns across the page, each at least one character wide. Checked when the plan is
//! made, by counting grid cells as Word does ([`Cells`]), before either writer runs, so a PDF
//! and a DOCX-only render refuse alike and nothing is cut or overprinted.

use super::paginate::{Cells, Geometry, Measure};
use super::{Block, Plan};
use crate::error::Error;
use crate::model::{Element, Span};
use crate::spec::{Align, LayoutSpec};

/// The smallest 发文机关标志 printed: 五号 (10.5 pt), the smallest size GB/T 9704 uses.
const MIN_MARK_PT: f32 = 10.5;

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
    let max = max_table_columns(layout);
    for b in &plan.blocks {
        if let Block::Table(t) = b
            && t.columns.len() > max
        {
            return Err(Error::at(
                &plan.source,
                t.line,
                1,
                format!(
                    "the table has {} columns; at most {max} fit across the page, each one character ({} pt) wide with its padding",
                    t.columns.len(),
                    layout.element(Element::Table).size_pt
                ),
            )
            .hint("split the table into narrower ones, or in a house layout make elements.table.size_pt or table.padding_chars smaller"));
        }
    }
    Ok(())
}

/// The most columns a table can have: each must hold one character of the table's size between
/// its paddings, or the characters print over the rules (a 30-column table did, issue 19). From
/// the layout: 15 for gbt9704 (156 mm across, 4号 characters, half a character of padding on
/// each side). The plan gives every column at least this width ([`crate::plan::build::table_columns`]).
pub fn max_table_columns(layout: &LayoutSpec) -> usize {
    let one = layout.char_width(layout.element(Element::Table).size_pt);
    let column = one * (1.0 + 2.0 * layout.table.padding_chars);
    // A hair of slack: 15 columns of exactly a fifteenth of the body are 15, not 14.
    ((layout.body_width() + 0.01) / column).floor().max(1.0) as usize
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
