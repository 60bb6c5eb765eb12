//! What sits at fixed places — the 版头 (7.2), the 版记 (7.4), page numbers (7.5) — and ruled
//! tables, placed where the plan says.

use super::flow::Flow;
use super::{Geometry, SetLine, Shaper, hex_colour};
use crate::error::Error;
use crate::fonts::FontBook;
use crate::model::{Element, Span, merge_at};
use crate::page::{Item, Page, Rule};
use crate::plan::metrics::EM_ASCENT;
use crate::plan::{Colophon, Head, Mark, Table};
use crate::spec::{Align, Layout, PT_PER_MM, Placement};

/// The 版头 as the plan placed it (7.2): 份号, 密级, 紧急程度 on their grid lines; the red
/// 发文机关标志 with its top edge at `mark.top` (7.2.5), joint names stacked with the suffix
/// centred to their right; the 发文字号 on its grid line, with the 签发人 on the right (7.2.4,
/// 7.2.6); the red rules where the plan put them (7.2.7; 信函 10.1). The title then starts on
/// the plan's `title_line`.
pub(crate) fn masthead(flow: &mut Flow, head: &Head, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    for f in &head.fields {
        // One line each ([`super::fit::check`] counted it); should the fonts measure a little
        // wider than the grid cells, the line runs on rather than overprinting itself.
        let mut g = Geometry::of(f.role, layout);
        if shaper.set_text(f.role, &f.text, &g)?.len() > 1 {
            g.width = f32::MAX / 4.0;
        }
        for l in shaper.set_text(f.role, &f.text, &g)? {
            flow.put(f.line, l);
        }
    }
    if let Some(mark) = &head.mark {
        place_mark(flow, mark, shaper)?;
    }
    if let Some(n) = &head.number {
        if let Some((label, names)) = &n.signer {
            // 签发人： in 仿宋, the names in 楷体, one character in from the right (7.2.6).
            let spans = [
                Span {
                    element: Element::DocNumber,
                    text: label.clone(),
                },
                Span {
                    element: Element::Signer,
                    text: names.clone(),
                },
            ];
            let rg = Geometry {
                left: 0.0,
                width: layout.body_width() - n.right,
                first_indent: 0.0,
                align: Align::Right,
                size: None,
            };
            for l in shaper.set(&spans, &[], 0, &rg)? {
                flow.put(n.line, l);
            }
        }
        let mut g = Geometry {
            left: n.left,
            width: layout.body_width() - n.left,
            first_indent: 0.0,
            align: n.align,
            size: None,
        };
        if shaper.set_text(Element::DocNumber, &n.text, &g)?.len() > 1 {
            // As the fields above: one line, never overprinted.
            g.width = f32::MAX / 4.0;
            g.align = Align::Left;
        }
        for l in shaper.set_text(Element::DocNumber, &n.text, &g)? {
            flow.put(n.line, l);
        }
    }
    for r in &head.rules {
        flow.rule(Rule {
            x: r.x,
            y: r.y,
            width: r.width,
            thickness: r.thickness,
            colour: hex_colour(&r.colour),
        });
    }
    flow.li = head.title_line;
    Ok(())
}

/// The 标志 at its planned size and top: one line, or joint names stacked and centred on each
/// other with the suffix (文件) to their right, centred on the stack.
fn place_mark(flow: &mut Flow, mark: &Mark, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let size = mark.size;
    let one_line = Geometry {
        left: 0.0,
        width: f32::MAX / 4.0,
        first_indent: 0.0,
        align: Align::Left,
        size: Some(size),
    };
    let mut set = |text: &str| -> Result<SetLine, Error> {
        let mut lines = shaper.set_text(Element::Masthead, text, &one_line)?;
        Ok(if lines.is_empty() {
            SetLine { runs: vec![], size }
        } else {
            lines.remove(0)
        })
    };
    let baseline = |top: f32| top + EM_ASCENT * size;
    if mark.issuers.len() <= 1 {
        let text = format!("{}{}", mark.issuers.concat(), mark.suffix);
        let mut line = set(&text)?;
        let x = layout.body_left() + (layout.body_width() - line_width(&line)) / 2.0;
        shift(&mut line, x);
        flow.put_at(baseline(mark.top), line);
        return Ok(());
    }
    let names: Vec<SetLine> = mark
        .issuers
        .iter()
        .map(|n| set(n))
        .collect::<Result<_, _>>()?;
    let widest = names.iter().map(line_width).fold(0.0, f32::max);
    let suffix = if mark.suffix.is_empty() {
        None
    } else {
        Some(set(&mark.suffix)?)
    };
    let gap = if suffix.is_some() { size / 2.0 } else { 0.0 };
    let total = widest + gap + suffix.as_ref().map_or(0.0, line_width);
    let x0 = layout.body_left() + (layout.body_width() - total) / 2.0;
    for (k, mut line) in names.into_iter().enumerate() {
        let x = x0 + (widest - line_width(&line)) / 2.0;
        shift(&mut line, x);
        flow.put_at(baseline(mark.top + k as f32 * mark.step), line);
    }
    if let Some(mut line) = suffix {
        let mid = (mark.top + mark.bottom) / 2.0;
        shift(&mut line, x0 + widest + gap);
        flow.put_at(mid + (EM_ASCENT - 0.5) * size, line);
    }
    Ok(())
}

fn line_width(line: &SetLine) -> f32 {
    line.runs.iter().map(|r| r.width()).sum()
}

/// Move a set line so it starts at `x`.
fn shift(line: &mut SetLine, x: f32) {
    let dx = x - line.runs.first().map_or(x, |r| r.x);
    for r in &mut line.runs {
        r.x += dx;
    }
}

/// The 版记 (7.4) at the foot of the last page: 抄送 one character in, wrapped lines under the
/// first character after the colon; 印发机关 one character from the left and 印发日期 (with 印发)
/// one character from the right, on the last grid line; rules over, between and under them,
/// the last on the bottom edge of the body area. With double-sided printing the 版记 page is
/// an even page; a blank page before it and the 版记 page then carry no number (7.5).
pub(crate) fn colophon(flow: &mut Flow, c: &Colophon, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let mut cc_lines = Vec::new();
    if let Some(cc) = &c.cc {
        let g = Geometry {
            left: c.inset + c.label_width,
            width: layout.body_width() - 2.0 * c.inset - c.label_width,
            first_indent: -c.label_width,
            align: Align::Justify,
            size: None,
        };
        cc_lines = shaper.set_text(Element::Cc, &format!("{}{cc}", c.cc_label), &g)?;
    }
    let printer = c.printer_line && (c.printer.is_some() || c.printed.is_some());
    let need = c.lines_needed(cc_lines.len());
    let per_page = flow.per_page();
    // Counted before (fit::check); the fonts may still set one more line than the grid cells.
    super::fit::colophon_fits(shaper.source, need, per_page)?;
    let fits = flow.li + need <= per_page;
    let even = flow.page_no() % 2 == 0;
    if !fits || (c.even_page && !even) {
        let next = flow.page_no() + 1;
        if c.even_page && next % 2 == 1 {
            flow.new_page(false); // the blank page before the 版记 page
            flow.new_page(false);
            flow.colophon_breaks = 2;
        } else {
            flow.new_page(true);
            flow.colophon_breaks = 1;
        }
    }
    let start = per_page - need;
    for (k, l) in cc_lines.into_iter().enumerate() {
        flow.put(start + k, l);
    }
    let last = per_page - 1;
    if printer {
        let g = Geometry {
            left: c.inset,
            width: layout.body_width() - 2.0 * c.inset,
            first_indent: 0.0,
            align: Align::Left,
            size: None,
        };
        if let Some(p) = &c.printer {
            for l in shaper.set_text(Element::Printer, p, &g)? {
                flow.put(last, l);
            }
        }
        if let Some(d) = &c.printed {
            let g = Geometry {
                align: Align::Right,
                ..g
            };
            for l in shaper.set_text(Element::Printer, d, &g)? {
                flow.put(last, l);
            }
        }
    }
    if let Some((outer, inner)) = c.rules {
        let rule = |y: f32, t: f32| Rule {
            x: layout.body_left(),
            y,
            width: layout.body_width(),
            thickness: t,
            colour: [0, 0, 0],
        };
        flow.rule(rule(flow.line_top(start), outer));
        if printer && need > 1 {
            flow.rule(rule(flow.line_top(last), inner));
        }
        flow.rule(rule(
            layout.body_top() + layout.body_height() - outer / 2.0,
            outer,
        ));
    }
    Ok(())
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
                text_range: start as u32..run.text.len() as u32,
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

/// A ruled table in the body, its columns as the plan sized them: every row a whole number of
/// grid lines, so the text after it stays on the grid; a row that does not fit goes to the next
/// page, under a repeated header row. Cells merged down have no rule between them and their text in
/// the first; a cell merged across has no rules inside it.
pub(crate) fn table(flow: &mut Flow, t: &Table, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = flow.layout;
    let align = layout.element(Element::Table).align;
    let mut edges = vec![0.0];
    for w in &t.columns {
        edges.push(edges.last().copied().unwrap_or(0.0) + w);
    }
    let ncols = t.columns.len();
    // Shape every row: (lines per cell, height in grid lines).
    let mut rows = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells = Vec::new();
        for (c, text) in row.iter().enumerate() {
            let merge = merge_at(&t.merges, r, c);
            if merge.is_some_and(|m| m.row != r || m.col != c) {
                continue; // covered: its text is in the merge's first cell
            }
            let end = (c + merge.map_or(1, |m| m.cols)).min(ncols);
            let g = Geometry {
                left: edges[c] + t.padding,
                width: edges[end] - edges[c] - 2.0 * t.padding,
                first_indent: 0.0,
                align: if r == 0 { Align::Center } else { align },
                size: None,
            };
            let spans = [Span {
                element: Element::Table,
                text: text.clone(),
            }];
            cells.push(shaper.set(&spans, &[], t.line, &g)?);
        }
        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        rows.push((cells, height));
    }
    // Columns whose rule over row r is left out: the row continues a cell merged down.
    let open = |r: usize| -> Vec<bool> {
        (0..ncols)
            .map(|c| merge_at(&t.merges, r, c).is_some_and(|m| m.row < r))
            .collect()
    };
    // Whether the vertical rule at edge e crosses row r (not inside a cell merged across).
    let crosses = |r: usize, e: usize| {
        !t.merges
            .iter()
            .any(|m| m.covers(r, m.col) && m.col < e && e < m.col + m.cols)
    };
    let per_page = flow.per_page();
    let rule_t = t.rule;
    let mut seg_top = flow.li;
    // The vertical rules of the rows placed since the segment's top (row, first line, height),
    // and the rule under them.
    let draw = |flow: &mut Flow, placed: &[(usize, usize, usize)]| {
        for (e, x) in edges.iter().enumerate() {
            let x = layout.body_left() + x - rule_t / 2.0;
            let mut k = 0;
            while k < placed.len() {
                if !crosses(placed[k].0, e) {
                    k += 1;
                    continue;
                }
                let from = placed[k].1;
                while k < placed.len() && crosses(placed[k].0, e) {
                    k += 1;
                }
                let to = placed[k - 1].1 + placed[k - 1].2;
                let (y0, y1) = (flow.line_top(from), flow.line_top(to));
                flow.rule(Rule {
                    x,
                    y: (y0 + y1) / 2.0,
                    width: rule_t,
                    thickness: y1 - y0,
                    colour: [0, 0, 0],
                });
            }
        }
        if let Some(&(_, li, h)) = placed.last() {
            flow.rule(Rule {
                x: layout.body_left(),
                y: flow.line_top(li + h),
                width: layout.body_width(),
                thickness: rule_t,
                colour: [0, 0, 0],
            });
        }
    };
    let header_height = rows[0].1;
    let mut placed: Vec<(usize, usize, usize)> = Vec::new();
    // Close the table's part on this page and open the next page, under the header row again
    // when `header` (a continued table repeats its header, as `w:tblHeader` does in the DOCX).
    let next_page = |flow: &mut Flow, placed: &mut Vec<(usize, usize, usize)>, header: bool| {
        draw(flow, placed);
        placed.clear();
        flow.new_page(true);
        if header {
            place_row(
                flow,
                &rows[0].0,
                0..header_height,
                rule_t,
                &edges,
                &vec![false; ncols],
            );
            placed.push((0, flow.li, header_height));
            flow.li += header_height;
        }
    };
    for (r, (cells, height)) in rows.iter().enumerate() {
        let height = *height;
        let room = per_page.saturating_sub(flow.li);
        let header_again = r > 0 && header_height + height <= per_page;
        let fits_a_page = height + if header_again { header_height } else { 0 } <= per_page;
        // A row that does not fit goes to the next page whole, unless the table's part on
        // this page is empty still, or the row is taller than any page.
        if height > room && (room == 0 || fits_a_page && flow.li > seg_top) {
            next_page(flow, &mut placed, header_again);
            seg_top = 0;
        }
        // At the top of a page every row gets its rule over it.
        let skip = if placed.is_empty() {
            vec![false; ncols]
        } else {
            open(r)
        };
        // A row taller than the room left is split: its cells continue on the next page under
        // the header row (the DOCX's rows may split too: no `w:cantSplit`), so no line is lost.
        let mut from = 0;
        loop {
            let take = (height - from).min(per_page.saturating_sub(flow.li)).max(1);
            let skip = if from == 0 {
                skip.clone()
            } else {
                vec![false; ncols]
            };
            place_row(flow, cells, from..from + take, rule_t, &edges, &skip);
            placed.push((r, flow.li, take));
            flow.li += take;
            from += take;
            if from >= height {
                break;
            }
            next_page(flow, &mut placed, r > 0 && header_height < per_page);
            seg_top = 0;
        }
    }
    draw(flow, &placed);
    Ok(())
}

/// Put the lines `part` of a shaped row at the cursor, with the rule over them but over the
/// columns in `skip`.
fn place_row(
    flow: &mut Flow,
    cells: &[Vec<SetLine>],
    part: std::ops::Range<usize>,
    rule_t: f32,
    edges: &[f32],
    skip: &[bool],
) {
    let layout = flow.layout;
    let y = flow.line_top(flow.li);
    let mut c = 0;
    while c < skip.len() {
        if skip[c] {
            c += 1;
            continue;
        }
        let from = c;
        while c < skip.len() && !skip[c] {
            c += 1;
        }
        let (x0, x1) = if from == 0 && c == skip.len() {
            (0.0, layout.body_width())
        } else {
            (edges[from], edges[c])
        };
        flow.rule(Rule {
            x: layout.body_left() + x0,
            y,
            width: x1 - x0,
            thickness: rule_t,
            colour: [0, 0, 0],
        });
    }
    for cell in cells {
        let lines = cell
            .get(part.clone())
            .or_else(|| cell.get(part.start.min(cell.len())..));
        for (k, line) in lines.unwrap_or(&[]).iter().enumerate() {
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
