//! What the format pins to places on the page, written from the plan's positions: the 版头
//! (7.2; 信函 10.1) on its grid lines with its rules as page-anchored shapes. (The 版记 is
//! [`super::colophon`].)

use super::body::{run_as, text};
use super::drawing::{Pos, Wrap, anchored, rule, text_box};
use super::ooxml::El;
use super::styles::{ind, jc};
use super::{half_points, style_of, twips};
use crate::model::Element;
use crate::plan::{DocNumber, IssuerMark, MastheadPlan};
use crate::spec::{Align, LayoutSpec};

/// The 版头 written out.
pub struct MastheadParts {
    /// Its paragraphs, in order.
    pub paragraphs: Vec<El>,
    /// Runs holding its page-anchored shapes (rules, a 信函's 标志), for a paragraph of page 1.
    pub anchors: Vec<El>,
    /// Twips under the body area's top where the paragraph after the 版头 starts.
    pub end: i32,
}

/// The flow position while the 版头 is written: each paragraph's spacing before is where its
/// target lies minus where the previous paragraph ended.
struct Flow {
    y: i32,
    pitch: i32,
}

impl Flow {
    /// Spacing before a paragraph filling grid line `line` (0-based); moves past it.
    fn line(&mut self, line: usize) -> i32 {
        let top = line as i32 * self.pitch;
        let before = (top - self.y).max(0);
        self.y = self.y.max(top) + self.pitch;
        before
    }
}

/// `w:spacing` with before, after 0 and, if given, an exact line height.
fn spacing(before: i32, exact: Option<i32>) -> El {
    let s = El::new("w:spacing")
        .attr("w:before", before)
        .attr("w:after", 0);
    match exact {
        Some(h) => s.attr("w:line", h).attr("w:lineRule", "exact"),
        None => s,
    }
}

/// A run of plain text.
fn run(t: &str) -> El {
    El::new("w:r").child(text(t))
}

/// A run of text in another element's face (the 签发人's names in 楷体, 7.2.6).
fn run_in(e: Element, t: &str, layout: &LayoutSpec) -> El {
    El::new("w:r").child(run_as(e, layout)).child(text(t))
}

/// A tab run.
fn tab() -> El {
    El::new("w:r").child(El::new("w:tab"))
}

/// `w:tabs` with one stop. LibreOffice measures DOCX tab stops from the text area's edge, not
/// from the paragraph's indent (FINDINGS Q1), and so does Word: positions are from the margin.
fn tab_stop(kind: &str, pos: f32) -> El {
    El::new("w:tabs").child(
        El::new("w:tab")
            .attr("w:val", kind)
            .attr("w:pos", twips(pos)),
    )
}

/// The 版头 (7.2): fields and 发文字号 on their grid lines, the 标志 at `mark.top`, the rules
/// at exactly the plan's positions. `ids` numbers the drawings.
pub fn masthead(h: &MastheadPlan, layout: &LayoutSpec, ids: &mut u32) -> MastheadParts {
    let pitch = twips(layout.grid.line_pitch_pt);
    let mut flow = Flow { y: 0, pitch };
    let mut paragraphs = Vec::new();
    let mut anchors = Vec::new();
    let mut lines: Vec<usize> = h.fields.iter().map(|f| f.line).collect();
    if let Some(n) = &h.doc_number {
        lines.push(n.line);
    }
    lines.sort_unstable();
    lines.dedup();
    let number_at = |line: usize| h.doc_number.as_ref().filter(|n| n.line == line);
    let field_at = |line: usize| h.fields.iter().find(|f| f.line == line);
    // Lines above the 标志, then the 标志, then the rest (信函: the 标志 lies above the body area
    // and everything is under it).
    let mark_line = match (&h.issuer_mark, h.letter) {
        (Some(m), false) => ((m.top - layout.body_top()) / layout.grid.line_pitch_pt) as usize,
        _ => 0,
    };
    let mut mark_done = h.issuer_mark.is_none();
    if let (Some(m), true) = (&h.issuer_mark, h.letter) {
        anchors.push(letter_mark(m, layout, ids));
        mark_done = true;
    }
    for line in lines {
        if !mark_done && line >= mark_line {
            paragraphs.extend(mark(h.issuer_mark.as_ref().unwrap(), layout, &mut flow));
            mark_done = true;
        }
        let before = flow.line(line);
        paragraphs.push(match (field_at(line), number_at(line)) {
            (Some(f), n) => {
                let mut ppr = El::new("w:pPr")
                    .child(El::val("w:pStyle", style_of(f.role).0))
                    .child(spacing(before, None));
                let mut p = El::new("w:p");
                p.push(run(&f.text));
                if let Some(n) = n {
                    // 信函: 发文字号 flush right on the 份号's line (10.1).
                    ppr.push(tab_stop("right", layout.body_width() - n.right));
                    p.push(tab());
                    p.push(run_in(Element::DocNumber, &n.text, layout));
                }
                p.child(ppr)
            }
            (None, Some(n)) => number(n, layout, before),
            (None, None) => unreachable!("only lines with something on them"),
        });
    }
    if !mark_done {
        paragraphs.extend(mark(h.issuer_mark.as_ref().unwrap(), layout, &mut flow));
    }
    for r in &h.rules {
        // 7.2.7: the red rule at the plan's place, whatever the text around it does.
        *ids += 1;
        let pos = Pos::Page {
            x: r.x,
            y: r.y - r.thickness / 2.0,
        };
        let shape = rule(r.width, r.thickness, &r.colour);
        anchors.push(anchored(
            *ids,
            "版头分隔线",
            pos,
            r.width,
            r.thickness,
            Wrap::None,
            shape,
        ));
    }
    MastheadParts {
        paragraphs,
        anchors,
        end: flow.y,
    }
}

/// The 标志 in the flow: exact-height lines of its size, off the grid, the first line's top at
/// `mark.top` (7.2.5). A joint 标志 stacks the names, the suffix after the first (Word has no
/// side-by-side layout without a table; the PDF centres the suffix against the stack).
fn mark(m: &IssuerMark, layout: &LayoutSpec, flow: &mut Flow) -> Vec<El> {
    let spec = layout.element(Element::Masthead);
    let top = twips(m.top - layout.body_top());
    let lines: Vec<String> = if m.issuers.len() > 1 {
        m.issuers
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if i == 0 {
                    format!("{n}{}", m.suffix)
                } else {
                    n.clone()
                }
            })
            .collect()
    } else {
        vec![format!("{}{}", m.issuers[0], m.suffix)]
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let before = if i == 0 { (top - flow.y).max(0) } else { 0 };
        let height = twips(if i == 0 { m.size } else { m.step });
        let mut r = El::new("w:r");
        if (m.size - spec.size_pt).abs() > 0.01 {
            r.push(
                El::new("w:rPr")
                    .child(El::val("w:sz", half_points(m.size)))
                    .child(El::val("w:szCs", half_points(m.size))),
            );
        }
        out.push(
            El::new("w:p")
                .child(
                    El::new("w:pPr")
                        .child(El::val("w:pStyle", style_of(Element::Masthead).0))
                        .child(spacing(before, Some(height))),
                )
                .child(r.child(text(line))),
        );
        flow.y += before + height;
    }
    out
}

/// A 信函's 标志 (10.1): 30 mm from the paper's top, above the body area, where no paragraph can
/// start; a page-anchored text box as wide as the body area holds it.
fn letter_mark(m: &IssuerMark, layout: &LayoutSpec, ids: &mut u32) -> El {
    let mut r = El::new("w:r");
    r.push(
        El::new("w:rPr")
            .child(El::val("w:sz", half_points(m.size)))
            .child(El::val("w:szCs", half_points(m.size))),
    );
    let p = El::new("w:p")
        .child(
            El::new("w:pPr")
                .child(El::val("w:pStyle", style_of(Element::Masthead).0))
                .child(spacing(0, Some(twips(m.size))))
                .child(ind(0.0, 0.0, 0.0, 0))
                .child(jc(Align::Center)),
        )
        .child(r.child(text(&format!("{}{}", m.issuers[0], m.suffix))));
    *ids += 1;
    let (w, h) = (layout.body_width(), m.size);
    let pos = Pos::Page {
        x: layout.body_left(),
        y: m.top,
    };
    anchored(
        *ids,
        "发文机关标志",
        pos,
        w,
        h,
        Wrap::None,
        text_box(w, h, vec![p], false),
    )
}

/// The 发文字号 line (7.2.4), with the 签发人 flush right one character in (7.2.6).
fn number(n: &DocNumber, layout: &LayoutSpec, before: i32) -> El {
    let spec = layout.element(Element::DocNumber);
    let mut ppr = El::new("w:pPr")
        .child(El::val("w:pStyle", style_of(Element::DocNumber).0))
        .child(spacing(before, None));
    if n.align != spec.align {
        ppr.push(jc(n.align));
    }
    if n.left > 0.0 {
        ppr.push(ind(n.left, 0.0, 0.0, 0));
    }
    let mut p = El::new("w:p").child(run(&n.text));
    if let Some((label, names)) = &n.signer {
        ppr.push(tab_stop("right", layout.body_width() - n.right));
        p.push(tab());
        p.push(run(label));
        p.push(run_in(Element::Signer, names, layout));
    }
    p.child(ppr)
}
