//! What sits at fixed places: the 版头 (7.2), attachment pages (8), the 版记 (7.4) and page
//! numbers (7.5).

use super::flow::Flow;
use super::{Geometry, SetLine, Shaper, baseline_offset, hex_colour};
use crate::error::Error;
use crate::fonts::FontBook;
use crate::model::{AttachmentPage, Block, Colophon, Element, Masthead, Span};
use crate::page::{Item, Page, Rule};
use crate::spec::{Align, Layout, PT_PER_MM, Placement};

/// The 版头: 份号, 密级, 紧急程度 on the first grid lines (7.2.1–7.2.3); the red 发文机关标志
/// with its top edge `masthead.top_mm` from the paper's top (7.2.5: 35 mm under the body area's
/// top edge); the 发文字号 two blank lines under it, centred, or one character in with the 签发人
/// on the right (7.2.4, 7.2.6); the red rule `rule_gap_mm` under the 发文字号 (7.2.7). The title
/// then starts two blank lines under the rule (7.3.1).
pub(crate) fn masthead(flow: &mut Flow, mh: &Masthead, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let m = &layout.masthead;
    if m.letter {
        return letterhead(flow, mh, shaper);
    }
    let line = head_fields(flow, mh, shaper, 0)?;
    // The 标志: organ names (one line each when joint) with the suffix to their right, sized
    // down from the layout's size until the widest line fits the body width.
    // Bottom of the 标志, points under the body area's top edge.
    let mut bottom = m.top_mm * PT_PER_MM - layout.body_top();
    if !mh.issuers.is_empty() {
        let top = m.top_mm * PT_PER_MM;
        let size = super::masthead_size(mh, layout);
        let joint = mh.issuers.len() > 1;
        let measure = |shaper: &mut Shaper, text: &str| -> Result<f32, Error> {
            let g = Geometry {
                left: 0.0,
                width: f32::MAX / 4.0,
                first_indent: 0.0,
                align: Align::Left,
                size: Some(size),
            };
            Ok(shaper
                .set(&Block::new(Element::Masthead, text, 0), &g)?
                .iter()
                .flat_map(|l| &l.runs)
                .map(|r| r.width())
                .sum())
        };
        let mut widest: f32 = 0.0;
        for n in &mh.issuers {
            widest = widest.max(measure(shaper, n)?);
        }
        let suffix_w = if mh.suffix.is_empty() {
            0.0
        } else {
            measure(shaper, &mh.suffix)?
        };
        let gap = if joint && suffix_w > 0.0 {
            size / 2.0
        } else {
            0.0
        };
        let step = size * m.line_spacing;
        let x0 = layout.body_left()
            + (layout.body_width()
                - if joint {
                    widest + gap + suffix_w
                } else {
                    widest + suffix_w
                })
                / 2.0;
        // One line each, at the fitted size, moved into place below.
        let one_line = Geometry {
            left: 0.0,
            width: layout.body_width(),
            first_indent: 0.0,
            align: Align::Left,
            size: Some(size),
        };
        if joint {
            for (k, name) in mh.issuers.iter().enumerate() {
                let mut lines =
                    shaper.set(&Block::new(Element::Masthead, name.as_str(), 0), &one_line)?;
                let x = x0 + (widest - lines_width(&lines)) / 2.0;
                shift(&mut lines[0], x);
                flow.put_at(top + 0.88 * size + k as f32 * step, lines.remove(0));
            }
            if !mh.suffix.is_empty() {
                let mid = top + (mh.issuers.len() as f32 * step - (step - size)) / 2.0;
                let mut lines = shaper.set(
                    &Block::new(Element::Masthead, mh.suffix.as_str(), 0),
                    &one_line,
                )?;
                shift(&mut lines[0], x0 + widest + gap);
                flow.put_at(mid + 0.38 * size, lines.remove(0));
            }
            bottom = top + mh.issuers.len() as f32 * step - (step - size) - layout.body_top();
        } else {
            let text = format!("{}{}", mh.issuers[0], mh.suffix);
            let mut lines =
                shaper.set(&Block::new(Element::Masthead, text.as_str(), 0), &one_line)?;
            shift(&mut lines[0], x0);
            flow.put_at(top + 0.88 * size, lines.remove(0));
            bottom = top + size - layout.body_top();
        }
    }
    // 发文字号 two blank lines under the 标志 (7.2.4), on the grid.
    let pitch = layout.grid.line_pitch_pt;
    let first_free = ((bottom / pitch).ceil() as usize).max(line);
    let mut number_line = None;
    if let Some(number) = &mh.doc_number {
        let k = first_free + m.lines_before_number as usize;
        let block = Block::new(Element::DocNumber, number.as_str(), 0);
        let mut g = Geometry::of(Element::DocNumber, layout);
        if let Some(signers) = &mh.signers {
            // 发文字号 one character in from the left; 签发人 one character in from the right.
            let one = layout.cell();
            g = Geometry {
                left: one,
                width: layout.body_width() - one,
                first_indent: 0.0,
                align: Align::Left,
                size: None,
            };
            let label = Block {
                element: Element::DocNumber,
                spans: vec![
                    Span {
                        element: Element::DocNumber,
                        text: "签发人：".into(),
                    },
                    Span {
                        element: Element::Signer,
                        text: signers.clone(),
                    },
                ],
                line: 0,
                rows: vec![],
            };
            let rg = Geometry {
                left: 0.0,
                width: layout.body_width() - one,
                first_indent: 0.0,
                align: Align::Right,
                size: None,
            };
            for l in shaper.set(&label, &rg)? {
                flow.put(k, l);
            }
        }
        for l in shaper.set(&block, &g)? {
            flow.put(k, l);
        }
        number_line = Some(k);
    }
    // The red rule under the 发文字号 (7.2.7), or under the 标志 when there is none.
    let rule_y = match number_line {
        Some(k) => {
            flow.line_top(k)
                + baseline_offset(pitch, layout.element(Element::DocNumber).size_pt)
                + 0.12 * layout.element(Element::DocNumber).size_pt
        }
        None => layout.body_top() + bottom,
    } + m.rule_gap_mm * PT_PER_MM;
    let width = m
        .rule_width_mm
        .map_or(layout.body_width(), |w| w * PT_PER_MM);
    let x = layout.body_left() + (layout.body_width() - width) / 2.0;
    let colour = hex_colour(&m.rule_colour);
    flow.rule(Rule {
        x,
        y: rule_y,
        width,
        thickness: m.rule_mm * PT_PER_MM,
        colour,
    });
    if let Some(thin) = m.second_rule_mm {
        // 信函: a thick rule over a thin one (10.1).
        let y = rule_y + (m.rule_mm + thin) * PT_PER_MM;
        flow.rule(Rule {
            x,
            y,
            width,
            thickness: thin * PT_PER_MM,
            colour,
        });
    }
    // The title two blank lines under the rule.
    let rule_line = ((rule_y - layout.body_top()) / pitch).floor() as usize;
    flow.li = rule_line + 1 + m.lines_after_rule as usize;
    Ok(())
}

/// The grid line (0-based) of the first element under a 信函's double rule: its text top at
/// least 7/8 of a 3号 character's height under the rule (10.1). Shared with the DOCX.
pub fn letter_first_line(layout: &Layout, mark_size: f32) -> usize {
    let m = &layout.masthead;
    let pitch = layout.grid.line_pitch_pt;
    let rules = m.rule_mm + m.second_rule_mm.map_or(0.0, |t| t + m.rule_mm.min(t));
    let rule_bottom = m.top_mm * PT_PER_MM + mark_size + (m.rule_gap_mm + rules) * PT_PER_MM;
    let size = layout.element(Element::DocNumber).size_pt;
    let need = rule_bottom + 7.0 / 8.0 * size; // text top
    let offset = baseline_offset(pitch, size) - 0.88 * size; // text top below a line's top
    (((need - offset - layout.body_top()) / pitch)
        .ceil()
        .max(0.0)) as usize
}

/// The 信函 head (10.1): the 标志 `top_mm` from the paper's top (the first issuer's, for a
/// joint letter), a red double rule (thick over thin) 4 mm under it, 份号/密级/紧急程度 flush
/// left and the 发文字号 flush right under the rule, the title two lines under them; and the
/// second double rule (thin over thick) near the foot of page 1.
fn letterhead(flow: &mut Flow, mh: &Masthead, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let m = &layout.masthead;
    let size = super::masthead_size(mh, layout);
    let top = m.top_mm * PT_PER_MM;
    if let Some(first) = mh.issuers.first() {
        let g = Geometry {
            left: 0.0,
            width: layout.body_width(),
            first_indent: 0.0,
            align: Align::Center,
            size: Some(size),
        };
        for l in shaper.set(
            &Block::new(Element::Masthead, format!("{first}{}", mh.suffix), 0),
            &g,
        )? {
            flow.put_at(top + 0.88 * size, l);
        }
    }
    let width = m
        .rule_width_mm
        .map_or(layout.body_width(), |w| w * PT_PER_MM);
    let x = (layout.page_width() - width) / 2.0;
    let colour = hex_colour(&m.rule_colour);
    let thin = m.second_rule_mm.unwrap_or(0.0);
    let gap = m.rule_mm.min(thin.max(0.0));
    let y = top + size + m.rule_gap_mm * PT_PER_MM + m.rule_mm * PT_PER_MM / 2.0;
    flow.rule(Rule {
        x,
        y,
        width,
        thickness: m.rule_mm * PT_PER_MM,
        colour,
    });
    if thin > 0.0 {
        let y2 = y + (m.rule_mm / 2.0 + gap + thin / 2.0) * PT_PER_MM;
        flow.rule(Rule {
            x,
            y: y2,
            width,
            thickness: thin * PT_PER_MM,
            colour,
        });
    }
    if let Some(bottom) = m.bottom_rule_mm {
        // Thin over thick, the thick one `bottom_rule_mm` above the paper's bottom edge.
        let yb = layout.page_height() - bottom * PT_PER_MM - m.rule_mm * PT_PER_MM / 2.0;
        flow.rule(Rule {
            x,
            y: yb,
            width,
            thickness: m.rule_mm * PT_PER_MM,
            colour,
        });
        if thin > 0.0 {
            let yt = yb - (m.rule_mm / 2.0 + gap + thin / 2.0) * PT_PER_MM;
            flow.rule(Rule {
                x,
                y: yt,
                width,
                thickness: thin * PT_PER_MM,
                colour,
            });
        }
    }
    let first = letter_first_line(layout, size);
    let mut line = head_fields(flow, mh, shaper, first)?;
    if let Some(number) = &mh.doc_number {
        let g = Geometry {
            left: 0.0,
            width: layout.body_width(),
            first_indent: 0.0,
            align: Align::Right,
            size: None,
        };
        for l in shaper.set(&Block::new(Element::DocNumber, number.as_str(), 0), &g)? {
            flow.put(first, l);
        }
        line = line.max(first + 1);
    }
    flow.li = line + m.lines_after_rule as usize;
    Ok(())
}

/// 份号, 密级和保密期限 and 紧急程度, one per grid line from `line`, flush left (7.2.1–7.2.3);
/// returns the next free line.
fn head_fields(
    flow: &mut Flow,
    mh: &Masthead,
    shaper: &mut Shaper,
    mut line: usize,
) -> Result<usize, Error> {
    let layout = flow.layout;
    for (text, e) in [
        (&mh.copy_no, Element::CopyNo),
        (&mh.secrecy, Element::Secrecy),
        (&mh.urgency, Element::Urgency),
    ] {
        if let Some(text) = text {
            for l in shaper.set(&Block::new(e, text.as_str(), 0), &Geometry::of(e, layout))? {
                flow.put(line, l);
                line += 1;
            }
        }
    }
    Ok(line)
}

fn lines_width(lines: &[SetLine]) -> f32 {
    lines
        .first()
        .map_or(0.0, |l| l.runs.iter().map(|r| r.width()).sum())
}

/// Move a set line so it starts at `x`.
fn shift(line: &mut SetLine, x: f32) {
    let dx = x - line.runs.first().map_or(x, |r| r.x);
    for r in &mut line.runs {
        r.x += dx;
    }
}

/// An attachment page (8): a new page, `附件N` in 黑体 flush left on line 1, the title centred on
/// line 3, the body after one blank line.
pub(crate) fn attachment(
    flow: &mut Flow,
    page: &AttachmentPage,
    shaper: &mut Shaper,
) -> Result<(), Error> {
    let layout = flow.layout;
    flow.new_page(true);
    let label = Block::new(Element::AttachmentLabel, format!("附件{}", page.number), 0);
    for l in shaper.set(&label, &Geometry::of(Element::AttachmentLabel, layout))? {
        flow.push(l);
    }
    flow.li += 1;
    let title = Block::new(
        Element::AttachmentTitle,
        page.title.replace(['|', '｜'], "\n"),
        0,
    );
    for l in shaper.set(&title, &Geometry::of(Element::AttachmentTitle, layout))? {
        flow.push(l);
    }
    flow.li += 1;
    for block in &page.blocks {
        if block.element == Element::Table {
            table(flow, block, shaper)?;
            continue;
        }
        let lines = shaper.set(block, &Geometry::of(block.element, layout))?;
        flow.place_block(block, lines, None, 0);
    }
    Ok(())
}

/// The 版记 (7.4) at the foot of the last page: 抄送 one character in, wrapped lines under the
/// first character after the colon; 印发机关 one character from the left and 印发日期 (with 印发)
/// one character from the right, on the last grid line; rules over, between and under them,
/// the last on the bottom edge of the body area. With double-sided printing the 版记 page is
/// an even page; a blank page before it and the 版记 page then carry no number (7.5).
pub(crate) fn colophon(flow: &mut Flow, c: &Colophon, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let spec = layout.element(Element::Cc);
    let one = layout.char_width(spec.size_pt);
    let mut cc_lines = Vec::new();
    if let Some(cc) = &c.cc {
        let label = cells_width(shaper, "抄送：", Element::Cc)?;
        let g = Geometry {
            left: one + label,
            width: layout.body_width() - 2.0 * one - label,
            first_indent: -label,
            align: Align::Justify,
            size: None,
        };
        cc_lines = shaper.set(&Block::new(Element::Cc, format!("抄送：{cc}"), 0), &g)?;
    }
    let printer = c.printer.is_some() || c.print_date.is_some();
    let need = cc_lines.len() + usize::from(printer && layout.colophon.printer_line);
    let per_page = flow.per_page();
    let fits = flow.li + need <= per_page;
    let even = flow.page_no() % 2 == 0;
    if !fits || (layout.colophon.double_sided && !even) {
        let next = flow.page_no() + 1;
        if layout.colophon.double_sided && next % 2 == 1 {
            flow.new_page(false); // the blank page before the 版记 page
            flow.new_page(false);
            flow.colophon_breaks = 2;
        } else {
            flow.new_page(true);
            flow.colophon_breaks = 1;
        }
    }
    let start = per_page - need;
    flow.colophon_gap = start.saturating_sub(flow.li);
    for (k, l) in cc_lines.into_iter().enumerate() {
        flow.put(start + k, l);
    }
    let last = per_page - 1;
    if printer && layout.colophon.printer_line {
        let g = Geometry {
            left: one,
            width: layout.body_width() - 2.0 * one,
            first_indent: 0.0,
            align: Align::Left,
            size: None,
        };
        if let Some(p) = &c.printer {
            for l in shaper.set(&Block::new(Element::Printer, p.as_str(), 0), &g)? {
                flow.put(last, l);
            }
        }
        if let Some(d) = &c.print_date {
            let g = Geometry {
                align: Align::Right,
                ..g
            };
            for l in shaper.set(&Block::new(Element::Printer, format!("{d}印发"), 0), &g)? {
                flow.put(last, l);
            }
        }
    }
    if layout.colophon.rules {
        let (outer, inner) = (
            layout.colophon.outer_rule_mm * PT_PER_MM,
            layout.colophon.inner_rule_mm * PT_PER_MM,
        );
        let rule = |y: f32, t: f32| Rule {
            x: layout.body_left(),
            y,
            width: layout.body_width(),
            thickness: t,
            colour: [0, 0, 0],
        };
        flow.rule(rule(flow.line_top(start), outer));
        if printer && need > 1 && layout.colophon.printer_line {
            flow.rule(rule(flow.line_top(last), inner));
        }
        flow.rule(rule(
            layout.body_top() + layout.body_height() - outer / 2.0,
            outer,
        ));
    }
    Ok(())
}

fn cells_width(shaper: &mut Shaper, text: &str, e: Element) -> Result<f32, Error> {
    let g = Geometry {
        left: 0.0,
        width: f32::MAX / 4.0,
        first_indent: 0.0,
        align: Align::Left,
        size: None,
    };
    Ok(shaper
        .set(&Block::new(e, text, 0), &g)?
        .iter()
        .flat_map(|l| &l.runs)
        .map(|r| r.width())
        .sum())
}

/// Page numbers `— N —` (7.5): 4号 宋体, the dash line `below_body_mm` under the body area,
/// odd pages right and even pages left, one character in (or centred). Pages keep their
/// number in the sequence even when it is not shown.
pub(crate) fn page_numbers(pages: &mut [Page], layout: &Layout, fonts: &FontBook) {
    let pn = &layout.page_number;
    let mid = layout.body_top() + layout.body_height() + pn.below_body_mm * PT_PER_MM;
    let baseline = mid + 0.38 * pn.size_pt;
    let inset = pn.inset_chars * pn.size_pt;
    for (i, page) in pages.iter_mut().enumerate() {
        if !page.numbered || (i == 0 && !pn.first_page) {
            continue;
        }
        let text = format!("{} {} {}", pn.dash, i + 1, pn.dash);
        let mut runs: Vec<crate::page::GlyphRun> = Vec::new();
        let mut x = 0.0;
        for ch in text.chars() {
            let (font, gid, adv) =
                fonts
                    .glyph(&pn.face, ch)
                    .unwrap_or((fonts.face(&pn.face).fonts[0], 0, 0.5));
            let width = adv * pn.size_pt;
            if runs.last().is_none_or(|r| r.font != font) {
                runs.push(crate::page::GlyphRun {
                    x,
                    y: baseline,
                    font,
                    size: pn.size_pt,
                    colour: [0, 0, 0],
                    text: String::new(),
                    glyphs: vec![],
                });
            }
            let run = runs.last_mut().expect("just pushed");
            let start = run.text.len();
            run.text.push(ch);
            run.glyphs.push(crate::page::Glyph {
                id: gid,
                advance: width,
                text_range: start..run.text.len(),
            });
            x += width;
        }
        let left = match (pn.placement, (i + 1) % 2 == 1) {
            (Placement::Center, _) => layout.body_left() + (layout.body_width() - x) / 2.0,
            (Placement::Outside, true) => layout.body_left() + layout.body_width() - inset - x,
            (Placement::Outside, false) => layout.body_left() + inset,
        };
        for mut r in runs {
            r.x += left;
            page.items.push(Item::Text(r));
        }
    }
}

/// A ruled table in the body: columns as wide as their widest cell needs, scaled to the body
/// width; every row a whole number of grid lines, so the text after it stays on the grid; a
/// row that does not fit goes to the next page, under a repeated header row.
pub(crate) fn table(flow: &mut Flow, block: &Block, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let spec = layout.element(Element::Table);
    let one = layout.char_width(spec.size_pt);
    let pad = layout.table.padding_chars * one;
    let mut edges = vec![0.0];
    for w in super::table_columns(block, layout) {
        edges.push(edges.last().unwrap() + w);
    }
    // Shape every row: (lines per cell, height in grid lines).
    let mut rows = Vec::new();
    for (r, row) in block.rows.iter().enumerate() {
        let mut cells = Vec::new();
        for (c, text) in row.iter().enumerate() {
            let g = Geometry {
                left: edges[c] + pad,
                width: edges[c + 1] - edges[c] - 2.0 * pad,
                first_indent: 0.0,
                align: if r == 0 { Align::Center } else { spec.align },
                size: None,
            };
            let mut cell = Block::new(Element::Table, text.as_str(), block.line);
            if text.is_empty() {
                cell.spans.clear();
            }
            cells.push(shaper.set(&cell, &g)?);
        }
        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        rows.push((cells, height));
    }
    let per_page = flow.per_page();
    let rule_t = layout.table.rule_mm * PT_PER_MM;
    let mut seg_top = flow.li;
    let draw = |flow: &mut Flow, from: usize, to: usize| {
        let (y0, y1) = (flow.line_top(from), flow.line_top(to));
        for x in &edges {
            let x = layout.body_left() + x - rule_t / 2.0;
            flow.rule(Rule {
                x,
                y: (y0 + y1) / 2.0,
                width: rule_t,
                thickness: y1 - y0,
                colour: [0, 0, 0],
            });
        }
        let h = |y: f32| Rule {
            x: layout.body_left(),
            y,
            width: layout.body_width(),
            thickness: rule_t,
            colour: [0, 0, 0],
        };
        flow.rule(h(y1));
    };
    let header_height = rows[0].1;
    let mut r = 0;
    while r < rows.len() {
        let height = rows[r].1;
        if flow.li + height > per_page && flow.li > seg_top {
            draw(flow, seg_top, flow.li);
            flow.new_page(true);
            seg_top = 0;
            // The header row again at the top of the continued table.
            if r > 0 && header_height + height <= per_page {
                place_row(flow, &rows[0].0, rule_t);
                flow.li += header_height;
            }
        }
        place_row(flow, &rows[r].0, rule_t);
        flow.li += height;
        r += 1;
    }
    draw(flow, seg_top, flow.li);
    Ok(())
}

/// Put a shaped row at the cursor, with the rule over it.
fn place_row(flow: &mut Flow, cells: &[Vec<SetLine>], rule_t: f32) {
    let layout = flow.layout;
    let y = flow.line_top(flow.li);
    flow.rule(Rule {
        x: layout.body_left(),
        y,
        width: layout.body_width(),
        thickness: rule_t,
        colour: [0, 0, 0],
    });
    for cell in cells {
        for (k, line) in cell.iter().enumerate() {
            flow.put(
                flow.li + k,
                SetLine {
                    runs: line.runs.clone(),
                    size: line.size,
                },
            );
        }
    }
}
