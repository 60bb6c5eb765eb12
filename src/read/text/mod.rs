//! Plain-text import: a report as offices keep it (one paragraph per line) → `Document`.
//!
//! [`decode`] (from [`super::encoding`]) turns bytes into text (UTF-8, or the GBK/GB18030 that
//! Chinese Windows still writes); `parse` (`lines` cleans them, `parts` places them, asking
//! [`super::recognise`] what each is) reads the lines top-down: title, 发文字号, 主送机关, headings by their numbering
//! (一、 / （一） / 1. / （1）, 7.3.3), body, 附件说明, 署名 blocks (organ lines over a date, or a
//! date alone where it ends the main text, then `（……）` 附注) wherever they stand; an enclosed
//! document's title (joined when split over two lines) with its organs' line under it; after a
//! 署名 block a `附件N`/`附件：`/`附：` line alone
//! starts an attachment page read the same way (8); `抄送：…` and `…印发` lines at the end are
//! the 版记 (7.4). A 版头 typed above the title (`……文件`, `青政办发〔2024〕15号`) is read as its
//! `@` lines would be ([`head`]). A first line that reads as a sentence is still the title, with a warning.
//! Site markers such as `##paidbegin##` are dropped with a warning naming the line. A line a
//! template's data value began ([`crate::read::markup::LITERAL`] first) is body text, whatever it looks
//! like; the mark is removed from the document.

mod head;
mod lines;
mod order;
mod parts;
#[cfg(test)]
mod parts_tests;
mod table_shape;
#[cfg(test)]
mod table_tests;
mod tables;
#[cfg(test)]
mod tests;

use crate::error::{Error, Warning};
use crate::model::{AttachmentPage, Block, Colophon, Document, Element, Span};
use crate::read::markup;

pub use super::encoding::decode;
pub use super::recognise::{heading_level, is_date};
use lines::clean_lines;
pub use lines::split_lines;
pub(crate) use lines::{is_removed, removed_at, removed_message};
use parts::{page_blocks, parse_main, split_breaks, take_colophon};
pub(crate) use tables::TABLE_MARK;
use tables::{extract_tables, put_tables};

/// Read the lines of a plain-text report into a `Document`. Lines starting with `@` are
/// markup (see [`crate::read::markup`]); `@附件 N: 标题` starts an attachment page.
pub fn parse(text: &str, source: &str, warnings: &mut Vec<Warning>) -> Result<Document, Error> {
    let all = clean_lines(text, source, warnings);
    let (mut all, tables) = extract_tables(all, text, source, warnings)?;
    // A 版头 typed above the title becomes the markup lines that say it.
    let typed = head::take(&mut all, source, warnings);
    let plain_colophon = take_colophon(&mut all);
    // Attachment pages come after the main part: everything from the first `@附件 N`.
    let split = all
        .iter()
        .position(|(_, l)| markup::is_markup(l) && markup::attachment_start(l).is_some())
        .unwrap_or(all.len());
    let (main, rest) = all.split_at(split);
    let (markup_lines, lines): (Vec<_>, Vec<_>) = main
        .iter()
        .cloned()
        .partition(|(_, l)| markup::is_markup(l));
    let meta = markup::read(&markup_lines, source)?;
    // A 令's 标志 and 令号 typed as its first lines (10.2).
    let (lines, order) = order::take(lines, &meta, source, warnings);
    let bylines: Vec<Block> = meta
        .bylines
        .iter()
        .map(|(n, t)| Block::para(Element::Byline, t.as_str(), *n))
        .collect();
    if lines.is_empty() {
        return Err(Error::at(source, 0, 0, "the file has no text")
            .hint("the first non-empty line is the title"));
    }
    let (first_line, first) = &lines[0];
    let first = split_breaks(first).0;
    if !order.is_order && (first.ends_with('。') || first.chars().count() > 40) {
        let head: String = first.chars().take(20).collect();
        warnings.push(Warning::at(
            source,
            *first_line,
            format!("the first line reads as a sentence, not a title (「{head}…」); it is taken as the title"),
        ));
    }
    let mut doc = parse_main(&lines, bylines);
    // A 纪要's 出席/请假/列席 lines follow the body, before any 署名 (10.3).
    let at = doc
        .blocks
        .iter()
        .position(|b| {
            matches!(
                b.element(),
                Element::Signature | Element::Date | Element::Note
            )
        })
        .unwrap_or(doc.blocks.len());
    let attendance = meta.attendance.iter().map(|(n, label, names)| {
        Block::spans(
            Element::Attendance,
            vec![
                Span {
                    element: Element::AttendanceLabel,
                    text: format!("{label}："),
                },
                Span {
                    element: Element::Attendance,
                    text: names.clone(),
                },
            ],
            *n,
        )
    });
    doc.blocks.splice(at..at, attendance);
    doc.source = source.to_string();
    doc.masthead = meta.masthead;
    if let Some(mh) = doc.masthead.as_mut() {
        mh.typed = typed;
    }
    doc.colophon = meta.colophon;
    // `抄送：…` and `XX办公室　2024年10月15日印发` as plain lines: the markup wins where both say.
    if plain_colophon != Colophon::default() {
        let c = doc.colophon.get_or_insert_with(Colophon::default);
        if c.cc.is_none() {
            c.cc = plain_colophon.cc;
            c.cc_line = plain_colophon.cc_line;
        }
        if c.printer.is_none() && c.print_date.is_none() {
            c.print_line = plain_colophon.print_line;
        }
        c.printer = c.printer.take().or(plain_colophon.printer);
        c.print_date = c.print_date.take().or(plain_colophon.print_date);
    }
    doc.seal = meta.seal;
    doc.layout = meta.layout;
    order.apply(&mut doc);
    // With a 版头, a 发文字号 line under the title belongs in it (7.2.4).
    if let Some(mh) = doc.masthead.as_mut() {
        if let Some(i) = doc
            .blocks
            .iter()
            .position(|b| b.element() == Element::DocNumber)
        {
            let b = doc.blocks.remove(i);
            mh.doc_number.get_or_insert(b.text());
        }
    }
    let mut page_lines: Vec<(usize, String)> = vec![];
    for (n, line) in rest {
        if let Some((number, title)) =
            markup::attachment_start(line).filter(|_| markup::is_markup(line))
        {
            if let Some(page) = doc.attachments.last_mut() {
                page.blocks = page_blocks(&std::mem::take(&mut page_lines), false);
            }
            let (title, title_breaks) = split_breaks(&title);
            doc.attachments.push(AttachmentPage {
                number,
                title,
                title_breaks,
                line: *n,
                title_line: *n,
                title_more_lines: vec![],
                blocks: vec![],
            });
        } else if markup::is_markup(line) {
            return Err(Error::at(
                source,
                *n,
                1,
                "markup other than @附件 cannot follow an attachment page",
            )
            .hint("put @版头/@版记 lines before the first @附件 line"));
        } else {
            page_lines.push((*n, line.clone()));
        }
    }
    if let Some(page) = doc.attachments.last_mut() {
        if !page_lines.is_empty() {
            page.blocks = page_blocks(&page_lines, false);
        }
    }
    put_tables(&mut doc.blocks, &tables);
    for page in &mut doc.attachments {
        put_tables(&mut page.blocks, &tables);
    }
    unapplied(&doc, source, warnings);
    unmark(&mut doc);
    Ok(doc)
}

/// The document with the marks of value lines ([`markup::LITERAL`]) taken out of its text, once
/// the lines are read: they told the reader what a line is, they are no part of it.
fn unmark(doc: &mut Document) {
    fn text(s: &mut String) {
        if s.contains(markup::LITERAL) {
            s.retain(|c| c != markup::LITERAL);
        }
    }
    fn blocks(bs: &mut [Block]) {
        for b in bs {
            match b {
                Block::Para(p) => p.spans.iter_mut().for_each(|s| text(&mut s.text)),
                Block::Table(t) => t.rows.iter_mut().flatten().for_each(text),
            }
        }
    }
    text(&mut doc.title);
    blocks(&mut doc.blocks);
    for page in &mut doc.attachments {
        text(&mut page.title);
        blocks(&mut page.blocks);
    }
}

/// Warn about lines that look like a convention the reader did not apply, naming the line: a
/// date that ends no 署名 block (mid-text, with no organ line over it, so it stays body text),
/// and a `抄送：` line that is not at the end (the 版记 is the document's last lines, 7.4). A
/// tab outside a table is warned about where tables are read.
fn unapplied(doc: &Document, source: &str, warnings: &mut Vec<Warning>) {
    let pages = std::iter::once(&doc.blocks).chain(doc.attachments.iter().map(|p| &p.blocks));
    for block in pages.flatten().filter(|b| b.element() == Element::Body) {
        let text = block.text();
        if is_date(&text) {
            warnings.push(Warning::at(
                source,
                block.line(),
                "a date line that ends no 署名 block (no organ line over it, text after it) stays body text; put the organ's name on the line above to sign",
            ));
        } else if text.starts_with("抄送：") || text.starts_with("抄送:") {
            warnings.push(Warning::at(
                source,
                block.line(),
                "a 抄送 line that is not at the end stays body text; the 版记 (抄送, then the 印发 line) must be the last lines",
            ));
        }
    }
}
