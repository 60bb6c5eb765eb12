//! What the format pins to places on the page, written from the plan's positions: the 版头
//! (7.2; 信函 10.1) on its grid lines, its red rule a shape riding in the 发文字号's paragraph
//! (the 信函's rules and 标志 pinned to the page). (The 版记 is [`super::colophon`].)

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
    /// Runs holding its page-anchored shapes (a 信函's 标志 and rules), for a paragraph of page 1.
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
///
/// The red rule (7.2.7: 4 mm under the 发文字号, or under the 标志 when there is none) rides in
/// the 发文字号's paragraph, placed from that paragraph's top (`relativeFrom="paragraph"`): a
/// 份号, a blank line or a second organ typed above moves the 发文字号 and its rule together.
/// Pinned to the page it stayed put and the 发文字号 slid under it (issue 23). Measured in
/// LibreOffice 7.4 on the bundled examples: 3.8 mm under the 发文字号's glyphs with no edit and
/// after each of those edits (the page-pinned rule: 3.7 mm, then −16.7, −30.1, −9.2 mm). A bottom
/// border on that paragraph followed too, but its `w:space` and width grow the paragraph by
/// 5.4 pt, which pushed the title off its grid line. The 信函's rules (10.1) belong to its 标志,
/// which lies above the body area where no paragraph starts: both stay pinned to the page.
pub fn masthead(h: &MastheadPlan, layout: &LayoutSpec, ids: &mut u32) -> MastheadParts {
    let pitch = twips(layout.grid.line_pitch_pt);
    let mut flow = Flow { y: 0, pitch };
    let mut paragraphs = Vec::new();
    let mut anchors = Vec::new();
    // The paragraph the rules ride in (index) and its top, twips under the body area's top.
    let mut holder: Option<(usize, i32)> = None;
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
    let put_mark = |paragraphs: &mut Vec<El>, flow: &mut Flow, holder: &mut Option<_>| {
        let (ps, last_top) = mark(h.issuer_mark.as_ref().unwrap(), layout, flow);
        paragraphs.extend(ps);
        // Without a 发文字号 the rule lies under the 标志 (7.2.7) and rides in its last line.
        *holder = Some((paragraphs.len() - 1, last_top));
    };
    for line in lines {
        if !mark_done && line >= mark_line {
            put_mark(&mut paragraphs, &mut flow, &mut holder);
            mark_done = true;
        }
        let top = flow.y;
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
        if number_at(line).is_some() {
            holder = Some((paragraphs.len() - 1, top));
        }
    }
    if !mark_done {
        put_mark(&mut paragraphs, &mut flow, &mut holder);
    }
    for r in &h.rules {
        *ids += 1;
        let top = r.y - r.thickness / 2.0;
        let shape = rule(r.width, r.thickness, &r.colour);
        let at = |pos| {
            anchored(
                *ids,
                "版头分隔线",
                pos,
                r.width,
                r.thickness,
                Wrap::None,
                shape,
            )
        };
        match holder.filter(|_| !h.letter) {
            // 7.2.7: under the 发文字号 (or the 标志), wherever that paragraph goes.
            Some((k, para_top)) => {
                let y = top - (layout.body_top() + para_top as f32 / 20.0);
                paragraphs[k].push(at(Pos::Para { x: r.x, y }));
            }
            // 10.1: the 信函's rules where the plan puts them on page 1, as its 标志.
            None => anchors.push(at(Pos::Page { x: r.x, y: top })),
        }
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
///
/// Returns its paragraphs and the top of the last one (twips under the body area's top, its
/// spacing before included).
fn mark(m: &IssuerMark, layout: &LayoutSpec, flow: &mut Flow) -> (Vec<El>, i32) {
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
    let mut last_top = flow.y;
    for (i, line) in lines.iter().enumerate() {
        last_top = flow.y;
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
    (out, last_top)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Masthead;
    use crate::plan::masthead::masthead as plan_masthead;
    use crate::spec::PT_PER_MM;

    fn xml(e: &El) -> String {
        let mut s = String::new();
        e.write(&mut s);
        s
    }

    fn head(number: Option<&str>, signers: Option<&str>) -> Masthead {
        Masthead {
            issuers: vec!["青山县人民政府".into()],
            suffix: "文件".into(),
            doc_number: number.map(Into::into),
            signers: signers.map(Into::into),
            copy_no: Some("000001".into()),
            ..Masthead::default()
        }
    }

    /// The paragraph-relative offset of the first anchor in `p`, points.
    fn offset(p: &str) -> f32 {
        let at = p
            .find(r#"<wp:positionV relativeFrom="paragraph"><wp:posOffset>"#)
            .expect("a paragraph-relative anchor");
        let rest = &p[at..];
        let from = rest.find("<wp:posOffset>").unwrap() + "<wp:posOffset>".len();
        let to = rest.find("</wp:posOffset>").unwrap();
        rest[from..to].parse::<f32>().unwrap() / 12700.0
    }

    /// 7.2.7: the red rule rides in the 发文字号's paragraph (with or without a 签发人), placed
    /// from its top, so that lines typed above move both; the plan's position is kept: the
    /// paragraph's top (the flow's twips) plus the offset is the rule's top.
    #[test]
    fn the_red_rule_rides_in_the_number_paragraph() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        for signers in [None, Some("王建国")] {
            let h = plan_masthead(&head(Some("青政发〔2023〕12号"), signers), &layout);
            let parts = masthead(&h, &layout, &mut 0);
            assert!(parts.anchors.is_empty(), "nothing pinned to the page");
            let ps: Vec<String> = parts.paragraphs.iter().map(xml).collect();
            let with: Vec<&String> = ps.iter().filter(|p| p.contains("版头分隔线")).collect();
            assert_eq!(with.len(), 1, "{ps:?}");
            assert!(with[0].contains(r#"<w:pStyle w:val="DocNumber" />"#));
            assert!(with[0].contains(r#"<wp:positionH relativeFrom="page">"#));
            // The paragraph's top (its spacing before included, as LibreOffice measures it):
            // every paragraph above it, spacing before and height.
            let k = ps.iter().position(|p| p.contains("版头分隔线")).unwrap();
            let num = |p: &str, key: &str| {
                p.find(key).map(|i| {
                    let s = &p[i + key.len()..];
                    s[..s.find('"').unwrap()].parse::<i32>().unwrap()
                })
            };
            let top: i32 = ps[..k]
                .iter()
                .map(|p| {
                    num(p, r#"w:before=""#).unwrap_or(0)
                        + num(p, r#"w:line=""#).unwrap_or(twips(layout.grid.line_pitch_pt))
                })
                .sum();
            let para_top = layout.body_top() + top as f32 / 20.0;
            let r = &h.rules[0];
            let want = r.y - r.thickness / 2.0;
            assert!(
                (para_top + offset(&ps[k]) - want).abs() < 0.05,
                "{signers:?}: {} + {} vs {want}",
                para_top,
                offset(&ps[k])
            );
            // 4 mm under the 发文字号's line, not under the page's top.
            assert!(offset(&ps[k]) < 40.0 * PT_PER_MM, "{}", offset(&ps[k]));
        }
    }

    /// Without a 发文字号 the rule lies under the 标志 (7.2.7) and rides in its paragraph.
    #[test]
    fn without_a_number_the_rule_rides_under_the_mark() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let h = plan_masthead(&head(None, None), &layout);
        let parts = masthead(&h, &layout, &mut 0);
        assert!(parts.anchors.is_empty());
        let ps: Vec<String> = parts.paragraphs.iter().map(xml).collect();
        let k = ps.iter().position(|p| p.contains("版头分隔线")).unwrap();
        assert!(
            ps[k].contains(r#"<w:pStyle w:val="Masthead" />"#),
            "{}",
            ps[k]
        );
        assert!(offset(&ps[k]) > 0.0);
    }

    /// 10.1: a 信函's 标志 and its rules stay pinned to the page (the 标志 lies above the body
    /// area, where no paragraph starts).
    #[test]
    fn a_letter_keeps_its_rules_on_the_page() {
        let layout = LayoutSpec::load("xinhan").unwrap();
        let h = plan_masthead(&head(Some("青政办函〔2023〕8号"), None), &layout);
        let parts = masthead(&h, &layout, &mut 0);
        assert_eq!(parts.anchors.len(), 1 + h.rules.len());
        for a in &parts.anchors {
            assert!(xml(a).contains(r#"<wp:positionV relativeFrom="page">"#));
        }
        assert!(
            parts
                .paragraphs
                .iter()
                .all(|p| !xml(p).contains("wp:anchor"))
        );
    }
}
