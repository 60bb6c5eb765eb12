//! DOCX paragraphs for what the PDF places at fixed spots: the 版头 (7.2), attachment pages (8)
//! and the 版记 (7.4). Positions follow the same grid arithmetic as `layout::furniture`, in
//! spacing before/after so Word and LibreOffice land on the same grid lines.

use docx_rs::{
    AlignmentType, BorderType, BreakType, LineSpacing, LineSpacingType, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run, Tab, TabValueType,
};

use super::{fonts, half_points, style_of, twips};
use crate::layout::{cells, masthead_size};
use crate::model::{AttachmentPage, Colophon, Element, Masthead};
use crate::spec::{Layout, PT_PER_MM};

/// A paragraph of one element with plain text.
fn para(e: Element, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style_of(e).0)
        .add_run(Run::new().add_text(text))
}

/// A run in another element's face (e.g. the 签发人 names in 楷体).
fn run_as(layout: &Layout, e: Element, text: &str) -> Run {
    let spec = layout.element(e);
    Run::new()
        .add_text(text)
        .fonts(fonts(&layout.faces[&spec.face].office))
        .size(half_points(spec.size_pt))
        .color(spec.colour.clone())
}

/// The 版头 paragraphs. Returns them and the grid line the title starts on.
pub fn masthead(mh: &Masthead, layout: &Layout) -> (Vec<Paragraph>, u32) {
    let pitch = layout.grid.line_pitch_pt;
    let m = &layout.masthead;
    if m.letter {
        return letterhead(mh, layout);
    }
    let mut out = Vec::new();
    let mut y = 0.0; // points under the body area's top edge, where the next paragraph starts
    for (text, e) in [
        (&mh.copy_no, Element::CopyNo),
        (&mh.secrecy, Element::Secrecy),
        (&mh.urgency, Element::Urgency),
    ] {
        if let Some(t) = text {
            out.push(para(e, t));
            y += pitch;
        }
    }
    let top_lines = (y / pitch).round() as u32;
    let mut bottom = m.top_mm * PT_PER_MM - layout.body_top();
    if !mh.issuers.is_empty() {
        // The 标志 in exact-height lines of its own size, its top `top_mm` from the paper's top.
        let size = masthead_size(mh, layout);
        let top = m.top_mm * PT_PER_MM - layout.body_top();
        let step = size * m.line_spacing;
        let joint = mh.issuers.len() > 1;
        let lines: Vec<String> = if joint {
            // Names stacked, the suffix after the first (Word has no side-by-side layout without
            // a table; the PDF centres it against the stack).
            mh.issuers
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if i == 0 {
                        format!("{n}{}", mh.suffix)
                    } else {
                        n.clone()
                    }
                })
                .collect()
        } else {
            vec![format!("{}{}", mh.issuers[0], mh.suffix)]
        };
        for (i, line) in lines.iter().enumerate() {
            let before = if i == 0 { (top - y).max(0.0) } else { 0.0 };
            let height = if i == 0 { size } else { step };
            out.push(
                Paragraph::new()
                    .style(style_of(Element::Masthead).0)
                    .line_spacing(
                        LineSpacing::new()
                            .before(twips(before) as u32)
                            .line(twips(height))
                            .line_rule(LineSpacingType::Exact),
                    )
                    .add_run(Run::new().add_text(line).size(half_points(size))),
            );
            y += before + height;
        }
        bottom = top + size + (lines.len() - 1) as f32 * step;
    }
    // The grid line after the 标志 as the PDF computes it, even where Word cannot put the 标志
    // where the PDF does (a 信函's 标志 30 mm from the paper's top lies above the body area; in
    // the DOCX it starts at the body area's top edge), so the lines below land alike.
    let first_free = ((bottom / pitch).ceil() as u32).max(top_lines);
    let number_line = first_free + m.lines_before_number;
    let rule = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
        .val(BorderType::Single)
        .size((m.rule_mm * PT_PER_MM * 8.0).round() as usize)
        .color(m.rule_colour.clone());
    let number_size = layout.element(Element::DocNumber).size_pt;
    // Word draws a bottom border `space` points under the line box; the PDF's rule is
    // `rule_gap_mm` under the text's lower edge.
    let text_bottom = pitch / 2.0 + 0.38 * number_size + 0.12 * number_size;
    let space = (text_bottom + m.rule_gap_mm * PT_PER_MM - pitch).max(0.0);
    let rule = rule.space(space.round() as usize);
    let border_height = space.round() + m.rule_mm * PT_PER_MM;
    let before = (number_line as f32 * pitch - y).max(0.0);
    let mut p = match (&mh.doc_number, &mh.signers) {
        (Some(n), Some(s)) => {
            // 发文字号 one character in from the left, 签发人 one character in from the right.
            let cell = twips(layout.cell());
            let body = twips(layout.body_width());
            Paragraph::new()
                .style(style_of(Element::DocNumber).0)
                .align(AlignmentType::Left)
                .indent(Some(cell), None, Some(cell), None)
                .add_tab(
                    Tab::new()
                        .val(TabValueType::Right)
                        .pos((body - 2 * cell) as usize),
                )
                .add_run(Run::new().add_text(n))
                .add_run(Run::new().add_tab().add_text("签发人："))
                .add_run(run_as(layout, Element::Signer, s))
        }
        (Some(n), None) => para(Element::DocNumber, n),
        (None, _) => Paragraph::new().style(style_of(Element::DocNumber).0),
    };
    p = p.line_spacing(LineSpacing::new().before(twips(before) as u32).after(0));
    p.property = p
        .property
        .set_borders(ParagraphBorders::with_empty().set(rule));
    out.push(p);
    // The title two blank lines under the rule; the border's own height is taken off the gap so
    // the following lines stay on the grid.
    let rule_y = number_line as f32 * pitch + text_bottom + m.rule_gap_mm * PT_PER_MM;
    let rule_line = (rule_y / pitch).floor() as u32;
    let title_line = rule_line + 1 + m.lines_after_rule;
    let gap = ((title_line - number_line - 1) as f32 * pitch - border_height).max(0.0);
    (out, twips(gap) as u32)
}

/// The 信函 head (10.1) on the PDF's grid lines: the 标志 (at the body area's top edge — Word
/// cannot start text above it) with a red double rule as its bottom border, then 份号 etc. flush
/// left and the 发文字号 flush right on the line the PDF uses. (The second double rule near the
/// foot of page 1 is in the PDF only.)
fn letterhead(mh: &Masthead, layout: &Layout) -> (Vec<Paragraph>, u32) {
    let pitch = layout.grid.line_pitch_pt;
    let m = &layout.masthead;
    let size = masthead_size(mh, layout);
    let mut out = Vec::new();
    let rule = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
        .val(BorderType::ThickThinSmallGap)
        .size(((m.rule_mm + m.second_rule_mm.unwrap_or(0.0)) * PT_PER_MM * 8.0).round() as usize)
        .space((m.rule_gap_mm * PT_PER_MM).round() as usize)
        .color(m.rule_colour.clone());
    let mut mark = Paragraph::new()
        .style(style_of(Element::Masthead).0)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(twips(size))
                .line_rule(LineSpacingType::Exact),
        )
        .add_run(
            Run::new()
                .add_text(format!(
                    "{}{}",
                    mh.issuers.first().map_or("", |s| s.as_str()),
                    mh.suffix
                ))
                .size(half_points(size)),
        );
    mark.property = mark
        .property
        .set_borders(ParagraphBorders::with_empty().set(rule));
    out.push(mark);
    let border = (m.rule_gap_mm + m.rule_mm + m.second_rule_mm.unwrap_or(0.0)) * PT_PER_MM + 2.0;
    let mut y = size + border;
    let first = crate::layout::letter_first_line(layout, size) as u32;
    let mut line = first;
    let left: Vec<(&String, Element)> = [
        (&mh.copy_no, Element::CopyNo),
        (&mh.secrecy, Element::Secrecy),
        (&mh.urgency, Element::Urgency),
    ]
    .into_iter()
    .filter_map(|(t, e)| t.as_ref().map(|t| (t, e)))
    .collect();
    let body = twips(layout.body_width());
    let n = left.len().max(usize::from(mh.doc_number.is_some()));
    for i in 0..n {
        let before = (line as f32 * pitch - y).max(0.0);
        let mut p = Paragraph::new()
            .style(style_of(left.get(i).map_or(Element::DocNumber, |l| l.1)).0)
            .add_tab(Tab::new().val(TabValueType::Right).pos(body as usize))
            .line_spacing(LineSpacing::new().before(twips(before) as u32));
        if let Some((t, _)) = left.get(i) {
            p = p.add_run(Run::new().add_text(t.as_str()));
        }
        if i == 0 {
            if let Some(num) = &mh.doc_number {
                p = p.add_run(
                    run_as(layout, Element::DocNumber, "")
                        .add_tab()
                        .add_text(num),
                );
            }
        }
        out.push(p);
        y += before + pitch;
        line += 1;
    }
    let gap = ((line + m.lines_after_rule) as f32 * pitch - y).max(0.0);
    (out, twips(gap) as u32)
}

/// An attachment page: a page break, `附件N`, a blank line, the title, a blank line.
pub fn attachment_head(page: &AttachmentPage, layout: &Layout) -> Vec<Paragraph> {
    let pitch = twips(layout.grid.line_pitch_pt) as u32;
    let label = para(Element::AttachmentLabel, &format!("附件{}", page.number))
        .page_break_before(true)
        .line_spacing(LineSpacing::new().after(pitch));
    let mut title = Paragraph::new()
        .style(style_of(Element::AttachmentTitle).0)
        .line_spacing(LineSpacing::new().after(pitch));
    for (i, part) in page.title.split(['|', '｜']).enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        title = title.add_run(run.add_text(part.trim()));
    }
    vec![label, title]
}

/// The 版记 at the foot of its page: `breaks` page breaks and `gap` blank grid lines before it
/// put it on the page and lines the PDF chose (an even page when printing double-sided, the
/// 印发 line on the last grid line); its rules are paragraph borders (7.4.1: first and last
/// 0.35 mm, middle 0.25 mm). (A frame anchored to the bottom margin would be Word's own way,
/// but LibreOffice 7.4 lays `w:framePr` paragraphs inline and drops their borders.)
pub fn colophon(c: &Colophon, layout: &Layout, breaks: usize, gap: usize) -> Vec<Paragraph> {
    let spec = layout.element(Element::Cc);
    let one = twips(layout.char_width(spec.size_pt));
    let body = twips(layout.body_width());
    let pitch = twips(layout.grid.line_pitch_pt) as u32;
    let border = |pos: ParagraphBorderPosition, mm: f32| {
        ParagraphBorder::new(pos)
            .val(BorderType::Single)
            .size((mm * PT_PER_MM * 8.0).round() as usize)
            .space(0)
            .color("000000")
    };
    let col = &layout.colophon;
    let mut out = Vec::new();
    for _ in 0..breaks {
        out.push(
            Paragraph::new()
                .style(style_of(Element::Body).0)
                .add_run(Run::new().add_break(BreakType::Page)),
        );
    }
    // Word and LibreOffice add each border's width to its paragraph's height: take them off the
    // gap (plus a point of slack) so the 印发 line still ends on the last grid line.
    let borders = if col.rules {
        (2.0 * col.outer_rule_mm + col.inner_rule_mm) * PT_PER_MM + 1.0
    } else {
        0.0
    };
    let before = (gap as u32 * pitch).saturating_sub(twips(borders) as u32);
    let printer = (c.printer.is_some() || c.print_date.is_some()) && col.printer_line;
    if let Some(cc) = &c.cc {
        let label = twips(cells("抄送：") * layout.char_width(spec.size_pt));
        let mut p = para(Element::Cc, &format!("抄送：{cc}"))
            .indent(
                Some(one + label),
                Some(docx_rs::SpecialIndentType::Hanging(label)),
                Some(one),
                None,
            )
            .line_spacing(LineSpacing::new().before(before));
        if col.rules {
            let mut b = ParagraphBorders::with_empty()
                .set(border(ParagraphBorderPosition::Top, col.outer_rule_mm));
            if !printer {
                b = b.set(border(ParagraphBorderPosition::Bottom, col.outer_rule_mm));
            }
            p.property = p.property.set_borders(b);
        }
        out.push(p);
    }
    if printer {
        let mut p = Paragraph::new()
            .style(style_of(Element::Printer).0)
            .indent(Some(one), None, Some(one), None)
            .add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos((body - 2 * one) as usize),
            )
            .add_run(Run::new().add_text(c.printer.as_deref().unwrap_or("")))
            .add_run(
                Run::new().add_tab().add_text(
                    &c.print_date
                        .as_ref()
                        .map(|d| format!("{d}印发"))
                        .unwrap_or_default(),
                ),
            );
        if c.cc.is_none() {
            p = p.line_spacing(LineSpacing::new().before(before));
        }
        if col.rules {
            let top_mm = if c.cc.is_some() {
                col.inner_rule_mm
            } else {
                col.outer_rule_mm
            };
            let b = ParagraphBorders::with_empty()
                .set(border(ParagraphBorderPosition::Top, top_mm))
                .set(border(ParagraphBorderPosition::Bottom, col.outer_rule_mm));
            p.property = p.property.set_borders(b);
        }
        out.push(p);
    }
    out
}

/// A ruled table: columns as wide as the PDF makes them, each row at least one grid line, the
/// header row repeated on each page (`w:tblHeader`, added in the patch step).
pub fn table(block: &crate::model::Block, layout: &Layout) -> docx_rs::Table {
    use docx_rs::{Table, TableCell, TableRow, WidthType};
    let spec = layout.element(Element::Table);
    let one = layout.char_width(spec.size_pt);
    let pad = layout.table.padding_chars * one;
    let widths: Vec<usize> = crate::layout::table_columns(block, layout)
        .iter()
        .map(|w| twips(*w) as usize)
        .collect();
    let rows = block
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cells = row
                .iter()
                .zip(&widths)
                .map(|(text, w)| {
                    let mut p = para(Element::Table, text);
                    if r == 0 {
                        p = p.align(AlignmentType::Center);
                    }
                    TableCell::new().width(*w, WidthType::Dxa).add_paragraph(p)
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    let margin = twips(pad) as usize;
    Table::new(rows)
        .set_grid(widths.clone())
        .width(twips(layout.body_width()) as usize, WidthType::Dxa)
        .margins(
            docx_rs::TableCellMargins::new()
                .margin_left(margin, WidthType::Dxa)
                .margin_right(margin, WidthType::Dxa),
        )
}
