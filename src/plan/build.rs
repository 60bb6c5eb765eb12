//! Building the plan: each decision in one function, with the clause it follows.

use super::masthead::masthead;
use super::metrics::{cells, char_cells, spaced_cells, title_breaks};
use super::{Block, ColophonPlan, Para, Plan};
use crate::error::Error;
use crate::model::{self, Document, Element};
use crate::spec::{Align, LayoutSpec, PT_PER_MM};

/// The title for the metadata: cut at [`super::METADATA_TITLE_CHARS`] characters.
fn metadata_title(title: &str) -> String {
    match title.char_indices().nth(super::METADATA_TITLE_CHARS) {
        Some((cut, _)) => format!("{}…", &title[..cut]),
        None => title.to_string(),
    }
}

/// Make the plan (see [`super::plan`]).
pub(super) fn plan(doc: &Document, layout: &LayoutSpec) -> Result<Plan, Error> {
    super::fit::table_columns_bounded(doc)?;
    let mut blocks = Vec::new();
    main_part(doc, layout, &mut blocks);
    for page in &doc.attachments {
        attachment_page(page, doc, layout, &mut blocks);
    }
    let creator = doc
        .masthead
        .as_ref()
        .and_then(|m| m.issuers.first().cloned())
        .or_else(|| {
            doc.blocks
                .iter()
                .find(|b| b.element() == Element::Signature)
                .map(|b| b.text())
        })
        .unwrap_or_default();
    let date = doc
        .blocks
        .iter()
        .find(|b| b.element() == Element::Date)
        .and_then(|b| iso_date(&b.text()));
    let mut plan = Plan {
        title: metadata_title(&doc.title),
        source: doc.source.clone(),
        creator,
        date,
        masthead: doc.masthead.as_ref().map(|m| masthead(m, layout)),
        blocks,
        colophon: doc.colophon.as_ref().map(|c| colophon(c, layout)),
    };
    // A chain of keeps never carries more than the layout's `chain_max_lines` to the next page:
    // decided here, counting grid cells, so both writers keep the same paragraphs.
    super::paginate::settle_keeps(&mut plan.blocks, layout)?;
    // A 横排表格 floats past the text after it where the page before it would end early.
    super::table_flow::float_landscape(&mut plan, layout)?;
    // 7.3.5.5: which paragraphs stand on a page tightened for its 署名 block, counted in grid
    // cells as Word lays the DOCX out (the PDF's own pagination tightens the same page).
    if layout.keeps.closing_fit_lines > 0 {
        let p = super::paginate::paginate(&plan, layout, &mut super::paginate::Cells::new(layout))?;
        for (block, &page) in plan.blocks.iter_mut().zip(&p.block_pages) {
            let pitch = p.sheets[page].pitch;
            if let Block::Para(para) = block
                && pitch < layout.grid.line_pitch_pt
            {
                para.pitch = Some(pitch);
            }
        }
    }
    // What may not split (版头, 版记) must fit its page, in both outputs alike.
    super::fit::check(&plan, layout)?;
    // Whether the 版记 leaves the body's last page, and the space after each table that puts
    // the next line back on the grid, counted in grid cells as Word does (7.4).
    let tables = plan.blocks.iter().any(|b| matches!(b, Block::Table(_)));
    if plan.colophon.is_some() || tables {
        let cells = &mut super::paginate::Cells::new(layout);
        let counted = super::paginate::paginate(&plan, layout, cells)?;
        let breaks = counted.colophon_breaks;
        if let Some(c) = &mut plan.colophon {
            c.own_page = breaks > 0;
            c.blank_page = breaks > 1;
        }
        let mut gaps = counted.table_gaps.into_iter();
        for b in &mut plan.blocks {
            if let Block::Table(t) = b {
                t.snap_after = gaps.next().unwrap_or(0.0);
            }
        }
    }
    Ok(plan)
}

/// The main part's blocks (7.3).
fn main_part(doc: &Document, layout: &LayoutSpec, out: &mut Vec<Block>) {
    flow_blocks(&doc.blocks, doc.seal, layout, out);
}

/// Paragraphs and tables of a main part or an attachment page, each 署名 block with its own
/// column (7.3.5.2), a blank line above it, and the body text before it kept with it.
fn flow_blocks(blocks: &[model::Block], seal: bool, layout: &LayoutSpec, out: &mut Vec<Block>) {
    let columns = closing_columns(blocks, seal, layout);
    // One block each: reserved, so a long document's plan is not grown (and copied) by doubling.
    out.reserve(blocks.len());
    // The title the furniture (byline, subtitle, speaker) stands under.
    let mut over = Element::Title;
    for (i, block) in blocks.iter().enumerate() {
        let block = match block {
            model::Block::Table(t) => {
                out.push(Block::Table(Box::new(super::table::table(t, layout))));
                continue;
            }
            model::Block::Para(p) => p,
        };
        let prev = i.checked_sub(1).map(|k| blocks[k].element());
        let next = blocks.get(i + 1).map(model::Block::element);
        let mut p = para(block, layout, columns[i], next);
        p.space_before = space_before(block, prev, seal, layout);
        // The title's blank line comes after the lines that belong to it: a byline, a report's
        // "——" subtitle and its speaker (7.3.2 counts the blank line from the title block).
        let furniture = |e: Option<Element>| {
            matches!(
                e,
                Some(Element::Byline | Element::Subtitle | Element::Speaker)
            )
        };
        // An enclosed document's title has its furniture too: its organs' line or its date in
        // brackets right under it, as published documents print them.
        if matches!(block.element, Element::Title | Element::EnclosedTitle) {
            over = block.element;
        }
        if over == block.element && furniture(next) {
            p.space_after = 0;
            p.keep_with_next = true;
        } else if furniture(Some(block.element)) {
            if furniture(next) {
                p.keep_with_next = true;
            } else {
                p.space_after = layout.element(over).space_after_lines;
            }
        }
        let closing = |e: Element| {
            matches!(
                e,
                Element::Attachment
                    | Element::Signature
                    | Element::SignerPost
                    | Element::Date
                    | Element::Note
            )
        };
        if next.is_some_and(|n| {
            matches!(
                n,
                Element::Attachment | Element::Signature | Element::SignerPost | Element::Date
            )
        }) && !closing(block.element)
        {
            // 7.3.5: 署名 (or a date that signs alone) never opens a page without body text
            p.keep_with_next = true;
        }
        out.push(Block::Para(p));
    }
}

/// One attachment page (8): `附件N` on line 1 of a new page in 黑体, the title centred on line
/// 3, the body after one blank line.
fn attachment_page(
    page: &model::AttachmentPage,
    doc: &Document,
    layout: &LayoutSpec,
    out: &mut Vec<Block>,
) {
    let label = para_of(Element::AttachmentLabel, format!("附件{}", page.number));
    let mut p = para(&label, layout, 0.0, Some(Element::AttachmentTitle));
    p.page_break_before = true;
    p.space_after = 1;
    p.keep_with_next = true;
    out.push(Block::Para(p));
    let title = para_of(Element::AttachmentTitle, page.title.clone());
    let mut p = para(&title, layout, 0.0, None);
    let width = layout.body_width() - p.left - p.right;
    p.breaks = breaks_within(&page.title, &page.title_breaks, p.size, width, layout);
    p.space_after = 1;
    p.keep_with_next = true;
    out.push(Block::Para(p));
    flow_blocks(&page.blocks, doc.seal, layout, out);
}

/// A paragraph the plan makes (an attachment page's label and title), in a single face.
fn para_of(e: Element, text: String) -> model::Para {
    match model::Block::para(e, text, 0) {
        model::Block::Para(p) => p,
        model::Block::Table(_) => unreachable!("a paragraph"),
    }
}

/// A paragraph with its element's geometry, except where a rule of the format places it.
/// `closing`: a 署名 or 日期 line's space on the right, cells ([`closing_columns`]).
fn para(block: &model::Para, layout: &LayoutSpec, closing: f32, next: Option<Element>) -> Para {
    let e = block.element;
    let spec = layout.element(e);
    let one = layout.char_width(spec.size_pt);
    let mut p = Para::of(e, block.spans.clone(), block.line, layout);
    match e {
        Element::Title | Element::EnclosedTitle | Element::Subtitle => {
            // The author's breaks (`|` in the source) win; otherwise between words (7.3.1). An
            // enclosed document's title is set as a title too, and stays with its first line; a
            // report's subtitle that wraps is balanced the same way (no "议上" left alone).
            let width = layout.body_width() - p.left - p.right;
            p.breaks = breaks_within(&block.text(), &block.breaks, p.size, width, layout);
            if e == Element::Subtitle {
                p.keep_lines = true;
            }
            if e == Element::EnclosedTitle {
                p.keep_lines = true;
                p.keep_with_next = next.is_some();
            }
        }
        Element::Signature | Element::Date => {
            // 7.3.5: placed by the closing rule, flush right that far from the right edge (a
            // longer name grows to the left; a left indent wrapped it 16 characters in); 署名
            // and 日期 stay together. The 附注 is not kept with them (7.3.6 only puts it on the
            // line after the date): keeping it would end a page early by the whole chain, as
            // GB/T 9704 asks only that the 署名 and 日期 not stand alone.
            p.left = 0.0;
            p.right = closing * layout.cell();
            p.first = 0.0;
            p.align = Align::Right;
            p.keep_lines = true;
            p.keep_with_next = matches!(next, Some(Element::Signature | Element::Date));
        }
        Element::SignerPost => {
            // 7.3.5.3: the 签名章 (the name stands for it) 右空四字, the 职务 two characters left
            // of it, flush right; the blank line to the date is the date's (`space_before`).
            p.spans = signer_post_spans(block);
            let cells = spaced_cells(&p.text(), layout);
            let chars = layout.grid.chars as f32;
            p.left = 0.0;
            p.right = spec.right_chars.min(chars - cells).max(0.0) * layout.cell();
            p.first = 0.0;
            p.align = Align::Right;
            p.space_after = 0;
            p.keep_lines = true;
            p.keep_with_next = next == Some(Element::Date);
        }
        Element::Attachment | Element::Attendance => {
            let (more, first) = hanging_indents(block);
            p.left += more * one;
            p.first = first * one;
            p.keep_lines = true;
            p.keep_with_next = e == Element::Attachment
                && matches!(next, Some(Element::Attachment | Element::Signature));
        }
        Element::Note => p.keep_lines = true,
        // 章, 节 and a 目录's heading: set whole, and never the last line of a page (practice, as
        // a heading; the layout's keep_with_next says so).
        Element::Chapter | Element::Section | Element::ContentsTitle => {
            p.keep_lines = true;
            p.keep_with_next = spec.keep_with_next && next.is_some();
        }
        // A contents line: a first-level entry flush left, the entries under it two characters
        // in (`1.1　编制目的`), as published 预案 list them on the body's two indents (7.3.3).
        Element::Contents => {
            let depth = crate::read::recognise::decimal_heading(&block.text()).map_or(1, |d| d.0);
            p.first = 0.0;
            if depth > 1 {
                p.left += 2.0 * one;
            }
            p.keep_lines = true;
        }
        // A table's caption centred over it, its `单位：` line on the right; both stay with it.
        Element::Body if block.label.is_some() => {
            p.align = match block.label {
                Some(model::TableLabel::Caption) => Align::Center,
                _ => Align::Right,
            };
            p.first = 0.0;
            p.keep_lines = true;
            p.keep_with_next = true;
        }
        _ if e.level().is_some() && block.spans.len() == 1 => {
            let level = e.level().unwrap_or(0);
            // A whole heading is never split; with `keep_with_next` it stays with its next line
            // (practice: a heading never ends a page). Not with a sibling or a heading above it:
            // siblings of one level never chain (a list read as headings moved as one block).
            p.keep_lines = true;
            p.keep_with_next =
                spec.keep_with_next && next.is_some_and(|n| n.level().is_none_or(|l| l > level));
        }
        _ => {}
    }
    p
}

/// A 签发人 line as 7.3.5.3 sets it: the 职务, two full-width spaces, the name (where the
/// 签名章 is pressed). A line that is not 职务 and name is kept as typed.
fn signer_post_spans(block: &model::Para) -> Vec<model::Span> {
    let text = block.text();
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.split_first() {
        Some((post, name)) if !name.is_empty() => vec![model::Span {
            element: Element::SignerPost,
            text: format!("{post}　　{}", name.concat()),
        }],
        _ => block.spans.clone(),
    }
}

/// A title's line breaks: the author's (`|`, or a second line in brackets joined to it), each
/// part wider than the line broken again between words (7.3.1), or all between words when the
/// author gave none.
fn breaks_within(
    text: &str,
    given: &[usize],
    size: f32,
    width: f32,
    layout: &LayoutSpec,
) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut from = 0;
    for &b in given.iter().chain(std::iter::once(&chars.len())) {
        let b = b.clamp(from, chars.len());
        let part: String = chars[from..b].iter().collect();
        out.extend(
            title_breaks(&part, size, width, layout)
                .into_iter()
                .map(|k| from + k),
        );
        if b < chars.len() {
            out.push(b);
        }
        from = b;
    }
    out
}

/// Right spaces (in cells) of the 署名, 成文日期 and 签发人 lines of each 署名 block (a document
/// may have several, each placed on its own): every line is set flush right, this far from the
/// body's right edge, so a name retyped longer grows to the left (issue 23). The spaces are
/// those of the column rule ([`column`]): each line ends where it would start at the column's
/// left edge, as GB/T 9704 places it.
pub fn closing_columns(blocks: &[model::Block], seal: bool, layout: &LayoutSpec) -> Vec<f32> {
    let chars = layout.grid.chars as f32;
    // A line of `width` cells whose left edge is at `left`: its space on the right.
    let right = |left: f32, width: f32| (chars - left - width).max(0.0);
    let mut out = vec![0.0; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].element() == Element::Date {
            // A date that signs alone (the organ is in the title or the 版头): placed as the
            // date of a 署名 block, two characters from the right (four with a seal).
            let date = spaced_cells(&blocks[i].text(), layout);
            out[i] = right(column(0.0, date, seal, layout).1, date);
            // Under a 签发人's 签名章 (7.3.5.3): 右空四字, as the 签名章.
            if i > 0 && blocks[i - 1].element() == Element::SignerPost {
                let post = layout.element(Element::SignerPost).right_chars;
                out[i] = post.min(chars - date).max(0.0);
            }
        }
        if blocks[i].element() != Element::Signature {
            i += 1;
            continue;
        }
        let mut k = i;
        while k < blocks.len() && blocks[k].element() == Element::Signature {
            k += 1;
        }
        let date = blocks.get(k).filter(|b| b.element() == Element::Date);
        let widths: Vec<f32> = blocks[i..k]
            .iter()
            .map(|b| spaced_cells(&b.text(), layout))
            .collect();
        let sig = widths.iter().copied().fold(0.0, f32::max);
        let date_cells = date.map_or(0.0, |b| spaced_cells(&b.text(), layout));
        let (sig_left, date_left) = column(sig, date_cells, seal, layout);
        // Joint signatures share the longest line's left edge (7.3.5.2): each its own space.
        for (j, w) in widths.iter().enumerate() {
            out[i + j] = right(sig_left, *w);
        }
        if date.is_some() {
            out[k] = right(date_left, date_cells);
        }
        i = k + usize::from(date.is_some());
    }
    out
}

/// Left indents (in cells) of one block's 署名 lines (`sig` cells, the longest) and its date
/// (`date` cells).
///
/// Without a seal (7.3.5.2): the 署名 ends two characters from the right; the date starts two
/// characters right of the 署名's first character; a date that would then end closer than two
/// characters to the right edge sits two characters from the right, and the 署名 moves left to
/// keep the two-character offset. With a seal (7.3.5.1): the date ends four characters from the
/// right and the 署名 is centred over it. Joint signatures (several lines) share the column of
/// the longest.
fn column(sig: f32, date: f32, seal: bool, layout: &LayoutSpec) -> (f32, f32) {
    let chars = layout.grid.chars as f32;
    if seal {
        let date_left = (chars - layout.seal.date_right_chars - date).max(0.0);
        return ((date_left + (date - sig) / 2.0).max(0.0), date_left);
    }
    let right = layout.element(Element::Signature).right_chars;
    let date_left = (chars - right - sig + 2.0).min(chars - right - date);
    let sig_left = (chars - right - sig).min(date_left - 2.0).max(0.0);
    (sig_left, date_left.max(0.0))
}

/// Indents of a 附件说明 line, in cells beyond the element's own left indent (7.3.4): the first
/// reads `附件：1.名称`; later items stand under the `1.`; a wrapped name lines up with its first
/// character. Returns (left indent of every line, first-line indent — negative: hanging).
pub fn attachment_indents(text: &str) -> (f32, f32) {
    let label = ["附件：", "附件:"]
        .into_iter()
        .find(|l| text.starts_with(l))
        .unwrap_or("");
    let rest = &text[label.len()..];
    let number = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '．'))
        .unwrap_or(0);
    let hang = cells(&text[..label.len() + number]);
    if label.is_empty() {
        (cells("附件：") + hang, -hang)
    } else {
        (hang, -hang)
    }
}

/// Hanging indents (cells) of a 附件说明 line or a 纪要's 出席/请假/列席 line: wrapped lines
/// line up after the label (10.3) or under the name (7.3.4).
pub fn hanging_indents(block: &model::Para) -> (f32, f32) {
    match block.element {
        Element::Attendance => {
            let label = cells(&block.spans[0].text);
            (label, -label)
        }
        _ => attachment_indents(&block.text()),
    }
}

/// Blank lines before a block: a later 附件说明 item continues the list without one; each
/// 署名 block has one blank line above it (7.3.5.2), a joint one's later lines none; with a seal
/// the 署名 leaves the seal's room (7.3.5.1).
pub fn space_before(
    block: &model::Para,
    prev: Option<Element>,
    seal: bool,
    layout: &LayoutSpec,
) -> u32 {
    let text = block.spans.first().map_or("", |s| s.text.as_str());
    match block.element {
        Element::Attachment if !text.starts_with("附件") => 0,
        Element::Attendance if !text.starts_with("出席") => 0,
        Element::Signature if prev == Some(Element::Signature) => 0,
        // (A layout that gives a 章 a blank line above:) not right under a title (whose own blank
        // line stands there), its furniture, another
        // 章 or 节 heading or a contents heading.
        Element::Chapter | Element::Section
            if prev.is_none_or(|p| {
                matches!(
                    p,
                    Element::Title
                        | Element::EnclosedTitle
                        | Element::AttachmentTitle
                        | Element::Byline
                        | Element::Subtitle
                        | Element::Speaker
                        | Element::Chapter
                        | Element::ContentsTitle
                )
            }) =>
        {
            0
        }
        Element::Signature if seal => layout.seal.space_before_lines,
        // 7.3.5.3: the date one blank line under the 签名章.
        Element::Date if prev == Some(Element::SignerPost) => {
            layout.element(Element::SignerPost).space_after_lines
        }
        // A date that signs alone stands where a 署名 would: one blank line under the body.
        Element::Date if prev != Some(Element::Signature) => space_before(
            &para_of(Element::Signature, String::new()),
            None,
            seal,
            layout,
        ),
        e => layout.element(e).space_before_lines,
    }
}

/// The 版记 (7.4).
fn colophon(c: &model::Colophon, layout: &LayoutSpec) -> ColophonPlan {
    let spec = layout.element(Element::Cc);
    let one = layout.char_width(spec.size_pt);
    let col = &layout.colophon;
    let label = "抄送：".to_string();
    let cc_lines = c.cc.as_ref().map_or(0, |cc| {
        let chars: Vec<char> = format!("{label}{cc}").chars().collect();
        let widths: Vec<f32> = chars.iter().map(|ch| char_cells(*ch) * one).collect();
        let width = layout.body_width() - 2.0 * one;
        let label_width = cells(&label) * one;
        crate::linebreak::break_lines(&chars, &widths, width, width - label_width).len()
    });
    ColophonPlan {
        cc_lines,
        label_width: cells(&label) * one,
        cc_label: label,
        cc: c.cc.clone(),
        printer: c.printer.clone(),
        printed: c.print_date.as_ref().map(|d| format!("{d}印发")),
        printer_line: col.printer_line,
        size: spec.size_pt,
        inset: one,
        rules: col
            .rules
            .then(|| (col.outer_rule_mm * PT_PER_MM, col.inner_rule_mm * PT_PER_MM)),
        even_page: col.double_sided,
        own_page: false,
        blank_page: false,
    }
}

/// `2023年7月1日` (or 二〇二三年七月一日) → `2023-07-01`.
fn iso_date(text: &str) -> Option<String> {
    let (y, m, d) = crate::read::recognise::date_ymd(text)?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_digits_and_numerals() {
        assert_eq!(iso_date("2023年7月1日").as_deref(), Some("2023-07-01"));
        assert_eq!(
            iso_date("二〇二三年十二月二十一日").as_deref(),
            Some("2023-12-21")
        );
        assert_eq!(iso_date("七月"), None);
    }

    #[test]
    fn a_huge_title_is_cut_in_the_metadata_only() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let title = "关于加强管理的通知".repeat(200);
        let doc =
            crate::plaintext::parse(&format!("{title}\n正文。\n"), "t.txt", &mut vec![]).unwrap();
        let plan = plan(&doc, &layout).unwrap();
        assert_eq!(
            plan.title.chars().count(),
            super::super::METADATA_TITLE_CHARS + 1
        );
        assert!(plan.title.ends_with("通知关…"), "{}", plan.title);
        let Block::Para(p) = &plan.blocks[0] else {
            panic!("title")
        };
        assert_eq!(p.text().chars().count(), 1800);
        let short =
            crate::plaintext::parse("关于加强管理的通知\n正文。\n", "t.txt", &mut vec![]).unwrap();
        assert_eq!(
            super::plan(&short, &layout).unwrap().title,
            "关于加强管理的通知"
        );
    }

    #[test]
    fn tab_tables_plan_their_merges_caption_and_unit() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let text = "标题\n表1 项目进展\n单位：万元\n片区\t项目\t计划\n一、产业项目这一行很长很长很长很长很长\n城东\t园区\t100\n\t物流\t80\n";
        let doc = crate::plaintext::parse(text, "t.txt", &mut vec![]).unwrap();
        let plan = plan(&doc, &layout).unwrap();
        let Block::Para(caption) = &plan.blocks[1] else {
            panic!("caption")
        };
        let Block::Para(unit) = &plan.blocks[2] else {
            panic!("unit")
        };
        assert_eq!(
            (caption.role, caption.align),
            (Element::Body, Align::Center)
        );
        assert_eq!((unit.role, unit.align), (Element::Body, Align::Right));
        assert!(caption.keep_with_next && unit.keep_with_next);
        assert_eq!((caption.first, unit.first), (0.0, 0.0));
        let Block::Table(t) = &plan.blocks[3] else {
            panic!("table")
        };
        let m = |row, col, rows, cols| model::Merge {
            row,
            col,
            rows,
            cols,
        };
        assert_eq!(t.merges, [m(1, 0, 1, 3), m(2, 0, 2, 1)]);
        // The group row's long text spans the columns and does not widen the first.
        let plain = super::super::table::table_columns(
            &t.rows,
            &[],
            1,
            &layout,
            layout.body_width(),
            t.size,
        );
        assert!(t.columns[0] < plain[0], "{:?} {:?}", t.columns, plain);
        assert!((t.columns.iter().sum::<f32>() - layout.body_width()).abs() < 0.01);
        let dump = crate::plan::dump::dump(&plan);
        assert!(dump.contains("merge row 2 col 0 rows 2 cols 1"), "{dump}");
    }

    #[test]
    fn a_date_that_signs_alone_stands_as_a_signature_blocks_date() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let text =
            "关于申请资金的请示\n县人民政府：\n恳请予以支持。\n2024年6月3日\n（联系人：李华）\n";
        let doc = crate::plaintext::parse(text, "t.txt", &mut vec![]).unwrap();
        let plan = plan(&doc, &layout).unwrap();
        let paras: Vec<&Para> = plan
            .blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => p,
                _ => panic!("a table"),
            })
            .collect();
        let (body, date, note) = (paras[2], paras[3], paras[4]);
        assert_eq!(date.role, Element::Date);
        // 7.3.5: the body goes with the date, one blank line above it; the 附注 is not kept.
        assert!(body.keep_with_next && !date.keep_with_next && !note.keep_with_next);
        assert_eq!(date.space_before, 1);
        // 7.3.5.2: a date longer than a 署名 of none ends two characters from the right.
        assert_eq!(date.align, Align::Right);
        assert_eq!(date.left, 0.0);
        assert!(
            (date.right / layout.cell() - 2.0).abs() < 0.01,
            "{}",
            date.right
        );
    }

    /// The closing lines of a plain-text draft: (role, text, right space in cells), each
    /// checked flush right with no left indent.
    fn closing(text: &str) -> Vec<(Element, String, f32)> {
        let doc = crate::read::document_from_text(text, "t.txt", &mut vec![]).unwrap();
        let layout = LayoutSpec::load(doc.layout_hint().unwrap_or("gbt9704")).unwrap();
        let plan = plan(&doc, &layout).unwrap();
        plan.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p)
                    if matches!(
                        p.role,
                        Element::Signature | Element::Date | Element::SignerPost
                    ) =>
                {
                    assert_eq!((p.align, p.left, p.first), (Align::Right, 0.0, 0.0));
                    Some((p.role, p.text(), p.right / layout.cell()))
                }
                _ => None,
            })
            .collect()
    }

    /// Issue 23, item 7 (7.3.5.2): the 署名 and 日期 are set flush right with a right space,
    /// so a longer name grows to the left; the space is the column rule's: the 署名 右空二字,
    /// the date's first character two right of the 署名's; a date longer than that keeps
    /// 右空二字 and the 署名's space grows; joint 署名 lines share their left edge.
    #[test]
    fn signature_and_date_are_flush_right_with_the_column_rules_spaces() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let chars = layout.grid.chars as f32;
        let w = |t: &str| spaced_cells(t, &layout);
        let start = |l: &(Element, String, f32)| chars - l.2 - w(&l.1);
        let body = "关于开展检查的通知\n各乡镇人民政府：\n现将有关事项通知如下，请认真贯彻执行。\n";
        let c = closing(&format!("{body}青山县人民政府办公室\n2023年7月1日\n"));
        assert_eq!(c[0].0, Element::Signature);
        assert!((c[0].2 - 2.0).abs() < 0.01, "{c:?}");
        assert!((start(&c[1]) - start(&c[0]) - 2.0).abs() < 0.01, "{c:?}");
        // A date longer than the 署名 plus two: 右空二字, the 署名 further from the edge.
        let c = closing(&format!("{body}县应急局\n2023年12月31日\n"));
        assert!((c[1].2 - 2.0).abs() < 0.01, "{c:?}");
        assert!(c[0].2 > 2.0 && (start(&c[1]) - start(&c[0]) - 2.0).abs() < 0.01);
        // 7.3.5.3: a 令's 签名章 (the name) 右空四字, and the date under it.
        let c = closing(
            "青山县人民政府令\n第5号\n《青山县城市绿化管理办法》已经县人民政府常务会议通过，现予公布。\n县长　王建国\n2024年3月8日\n",
        );
        assert_eq!(
            (c[0].0, c[1].0),
            (Element::SignerPost, Element::Date),
            "{c:?}"
        );
        assert!(
            (c[0].2 - 4.0).abs() < 0.01 && (c[1].2 - 4.0).abs() < 0.01,
            "{c:?}"
        );
    }

    #[test]
    fn attachment_items_hang_under_their_names() {
        assert_eq!(attachment_indents("附件：1.名称"), (4.0, -4.0));
        assert_eq!(attachment_indents("2.名称"), (4.0, -1.0));
    }
}
