//! What sits at fixed places and is only drawn — the 版头 (7.2) where the plan placed it, page
//! numbers (7.5). Tables and the 版记 go with the flow: the plan's pagination places them
//! ([`crate::plan::paginate`]).

use super::{SetLine, Shaper, hex_colour, put, put_at};
use crate::error::Error;
use crate::fonts::FontBook;
use crate::model::{Element, Span};
use crate::page::{Item, Page, Rule};
use crate::plan::metrics::EM_ASCENT;
use crate::plan::paginate::{Geometry, Measure};
use crate::plan::{IssuerMark, MastheadPlan};
use crate::spec::{Align, LayoutSpec, PT_PER_MM, Placement};

/// The 版头 as the plan placed it (7.2): 份号, 密级, 紧急程度 on their grid lines; the red
/// 发文机关标志 with its top edge at `mark.top` (7.2.5), joint names stacked with the suffix
/// centred to their right; the 发文字号 on its grid line, with the 签发人 on the right (7.2.4,
/// 7.2.6); the red rules where the plan put them (7.2.7; 信函 10.1). The title then starts on
/// the plan's `title_line` (the pagination starts there).
pub(crate) fn masthead(
    page: &mut Page,
    head: &MastheadPlan,
    shaper: &mut Shaper,
) -> Result<(), Error> {
    let layout = shaper.layout;
    for f in &head.fields {
        // One line each (the plan's fit check counted it); should the fonts measure a little
        // wider than the grid cells, the line runs on rather than overprinting itself.
        let mut g = Geometry::of(f.role, layout);
        if shaper.text(f.role, &f.text, &g)?.len() > 1 {
            g.width = f32::MAX / 4.0;
        }
        for l in shaper.text(f.role, &f.text, &g)? {
            put(page, layout, f.line, l);
        }
    }
    if let Some(mark) = &head.issuer_mark {
        place_mark(page, mark, shaper)?;
    }
    if let Some(n) = &head.doc_number {
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
            for l in shaper.lines(&spans, &[], 0, &rg)? {
                put(page, layout, n.line, l);
            }
        }
        let mut g = Geometry {
            left: n.left,
            width: layout.body_width() - n.left,
            first_indent: 0.0,
            align: n.align,
            size: None,
        };
        if shaper.text(Element::DocNumber, &n.text, &g)?.len() > 1 {
            // As the fields above: one line, never overprinted.
            g.width = f32::MAX / 4.0;
            g.align = Align::Left;
        }
        for l in shaper.text(Element::DocNumber, &n.text, &g)? {
            put(page, layout, n.line, l);
        }
    }
    for r in &head.rules {
        page.items.push(Item::Rule(Rule {
            x: r.x,
            y: r.y,
            width: r.width,
            thickness: r.thickness,
            colour: hex_colour(&r.colour),
        }));
    }
    Ok(())
}

/// The 标志 at its planned size and top: one line, or joint names stacked and centred on each
/// other with the suffix (文件) to their right, centred on the stack.
fn place_mark(page: &mut Page, mark: &IssuerMark, shaper: &mut Shaper) -> Result<(), Error> {
    let layout = shaper.layout;
    let size = mark.size;
    let one_line = Geometry {
        left: 0.0,
        width: f32::MAX / 4.0,
        first_indent: 0.0,
        align: Align::Left,
        size: Some(size),
    };
    let mut set = |text: &str| -> Result<SetLine, Error> {
        let mut lines = shaper.text(Element::Masthead, text, &one_line)?;
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
        put_at(page, baseline(mark.top), line);
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
        put_at(page, baseline(mark.top + k as f32 * mark.step), line);
    }
    if let Some(mut line) = suffix {
        let mid = (mark.top + mark.bottom) / 2.0;
        shift(&mut line, x0 + widest + gap);
        put_at(page, mid + (EM_ASCENT - 0.5) * size, line);
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

/// Page numbers `— N —` (7.5): 4号 宋体, the dash line `below_body_mm` under the body area,
/// odd pages right and even pages left, one character in (or centred). Pages keep their
/// number in the sequence even when it is not shown.
pub(crate) fn page_numbers(pages: &mut [Page], layout: &LayoutSpec, fonts: &FontBook) {
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
                    turned: false,
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
