//! The 版记 (GB/T 9704 7.4) in the DOCX: its 抄送 and 印发 paragraphs with their rules, in a text
//! box at the foot of the body area that grows upward with its text, so that an edit of the 抄送
//! (a clerk adding recipients) keeps the 印发 line, and the last rule, on the body area's last
//! line while the body text re-wraps above it. Where the 版记 takes a page of its own, the
//! section that holds it ([`super::document`]).

use super::body::text;
use super::drawing::fitted_box_at_foot;
use super::ooxml::El;
use super::styles::{empty_footer, footer, ind};
use super::{style_of, twips};
use crate::model::Element;
use crate::plan::ColophonPlan;
use crate::spec::LayoutSpec;

/// `w:spacing` with before and after 0 and an exact line height (twips).
fn exact(line: i32) -> El {
    El::new("w:spacing")
        .attr("w:before", 0)
        .attr("w:after", 0)
        .attr("w:line", line)
        .attr("w:lineRule", "exact")
}

/// A run of plain text.
fn run(t: &str) -> El {
    El::new("w:r").child(text(t))
}

/// A tab run.
fn tab() -> El {
    El::new("w:r").child(El::new("w:tab"))
}

/// A rule's `w:sz`: eighths of a point (17.3.4 ST_EighthPointMeasure).
fn eighths(pt: f32) -> i32 {
    (pt * 8.0).round() as i32
}

/// The height of a paragraph's border of that `w:sz`, twips: LibreOffice and Word add it to the
/// paragraph's exact line height.
fn border_twips(sz: i32) -> i32 {
    (sz * 20 + 7) / 8
}

/// The 版记 (7.4): one paragraph, 1 pt high and off the grid, holding a text box anchored to the
/// bottom of the body area, 156 mm wide, text wrapping above and below it, that grows upward
/// with its text (DOCX-LEADS 1; README "The DOCX's 版记"): a 1 pt paragraph whose bottom border
/// is the first rule; the 抄送 paragraph one character in on both sides, wrapped lines hanging
/// after `抄送：` (7.4.2); the 印发 paragraph without indents, so its top and bottom borders (the
/// middle and last rules) span the body width, the organ and the date one character in by tab
/// stops (7.4.3). The last rule then lies on the body area's bottom edge on whatever page the
/// text ends (7.4.1).
///
/// Its lines sit at the grid's pitch, but the rule paragraph and the borders add some 4 pt: the
/// last line (the 印发 line; the 抄送 lines when there is none) is that much lower, so the box
/// is no taller than the plan's grid lines and the body's last line fits above it exactly where
/// the plan counted it does. `id` numbers the shape.
pub fn colophon(c: &ColophonPlan, layout: &LayoutSpec, id: u32) -> Option<El> {
    let printer = c.printer_line && (c.printer.is_some() || c.printed.is_some());
    if c.cc.is_none() && !printer {
        return None;
    }
    let pitch = twips(layout.grid.line_pitch_pt);
    let width = layout.body_width();
    let border = |side: &str, sz: i32| {
        El::new(side)
            .attr("w:val", "single")
            .attr("w:sz", sz)
            .attr("w:space", 0)
            .attr("w:color", "000000")
    };
    // What the rules add to the lines: 1 pt paragraphs and the borders' own heights, and 1 pt
    // more so the box clears the body's last grid line.
    const RULE_PARA: i32 = 20;
    let mut extra = RULE_PARA;
    // A paragraph 1 pt high carrying only a rule.
    let rule_para = |side: &str, sz: i32| {
        El::new("w:p").child(
            El::new("w:pPr")
                .child(El::val("w:pStyle", style_of(Element::Cc).0))
                .child(El::new("w:pBdr").child(border(side, sz)))
                .child(El::val("w:snapToGrid", 0))
                .child(exact(RULE_PARA))
                .child(ind(0.0, 0.0, 0.0, 0)),
        )
    };
    let mut paras = Vec::new();
    if let (Some((outer, _)), Some(_)) = (c.rules, &c.cc) {
        paras.push(rule_para("w:bottom", eighths(outer)));
        extra += RULE_PARA + border_twips(eighths(outer));
    }
    // The closing rule without an 印发 line: a 1 pt paragraph of its own.
    let closing = match (c.rules, printer, &c.cc) {
        (Some((outer, _)), false, Some(_)) => {
            extra += RULE_PARA + border_twips(eighths(outer));
            Some(rule_para("w:top", eighths(outer)))
        }
        _ => None,
    };
    let mut printer_para = None;
    if printer {
        let mut ppr = El::new("w:pPr")
            .child(El::val("w:pStyle", style_of(Element::Printer).0))
            .child(ind(0.0, 0.0, 0.0, 0))
            .child(
                El::new("w:tabs")
                    .child(
                        El::new("w:tab")
                            .attr("w:val", "left")
                            .attr("w:pos", twips(c.inset)),
                    )
                    .child(
                        El::new("w:tab")
                            .attr("w:val", "right")
                            .attr("w:pos", twips(width - c.inset)),
                    ),
            );
        if let Some((outer, inner)) = c.rules {
            let top = eighths(if c.cc.is_some() { inner } else { outer });
            ppr.push(
                El::new("w:pBdr")
                    .child(border("w:top", top))
                    .child(border("w:bottom", eighths(outer))),
            );
            extra += border_twips(top) + border_twips(eighths(outer));
        }
        printer_para = Some(
            El::new("w:p")
                .child(ppr)
                .child(tab())
                .child(run(c.printer.as_deref().unwrap_or("")))
                .child(tab())
                .child(run(c.printed.as_deref().unwrap_or(""))),
        );
    }
    // The last line(s) give back what the rules take.
    let (cc_line, printer_line) = if printer {
        (pitch, pitch - extra)
    } else {
        (pitch - extra, pitch)
    };
    if let Some(cc) = &c.cc {
        let ppr = El::new("w:pPr")
            .child(El::val("w:pStyle", style_of(Element::Cc).0))
            .child(exact(cc_line))
            .child(ind(c.inset + c.label_width, c.inset, -c.label_width, 0));
        paras.push(
            El::new("w:p")
                .child(ppr)
                .child(run(&format!("{}{cc}", c.cc_label))),
        );
    }
    if let Some(mut p) = printer_para {
        p.ensure("w:pPr").push(exact(printer_line));
        paras.push(p);
    }
    paras.extend(closing);
    // Where layout starts: the plan's lines (the box grows from there as its text does).
    let lines = c.lines_needed(c.cc_lines) as i32;
    let height = (lines * pitch - RULE_PARA) as f32 / 20.0;
    let box_ = fitted_box_at_foot(id, "版记", width, height, paras);
    // The anchor's own paragraph is 1 pt high and off the grid, so it never needs a line.
    Some(
        El::new("w:p")
            .child(
                El::new("w:pPr")
                    .child(El::val("w:snapToGrid", 0))
                    .child(exact(RULE_PARA))
                    .child(ind(0.0, 0.0, 0.0, 0)),
            )
            .child(box_),
    )
}

/// The relationship ids of the 版记 section's footers (odd, even): numbered, or one empty footer
/// for both.
pub fn footer_ids(numbered: bool) -> (&'static str, &'static str) {
    if numbered {
        ("rId9", "rId10")
    } else {
        ("rId11", "rId11")
    }
}

/// The 版记 section's footers: (relationship id, part name, part), as [`footer_ids`] names them.
/// Each fills the footer's whole `room` (twips, from the body area's bottom edge to the footer's
/// distance), its line at the bottom as on every other page: LibreOffice 7.4 sizes the footer of
/// a section that starts on an even page by its content, which moved a 14 pt page-number line's
/// body area, and the 版记 at its foot, 4.5 mm down (measured).
pub fn footers(layout: &LayoutSpec, numbered: bool, room: i32) -> Vec<(&'static str, String, El)> {
    let line = twips(layout.page_number.size_pt);
    // 1 twip short of the room, so Word never finds the footer taller than the margin.
    let pad = |mut f: El| {
        let p = f.ensure("w:p").ensure("w:pPr");
        p.push(exact(line).attr("w:before", (room - line - 1).max(0)));
        f
    };
    let (odd, even) = footer_ids(numbered);
    if numbered {
        vec![
            (odd, "footer6.xml".into(), pad(footer(layout, true))),
            (even, "footer7.xml".into(), pad(footer(layout, false))),
        ]
    } else {
        vec![(odd, "footer8.xml".into(), pad(empty_footer()))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(cc: Option<&str>, printer: bool, rules: bool) -> ColophonPlan {
        ColophonPlan {
            cc_label: "抄送：".into(),
            cc: cc.map(String::from),
            printer: printer.then(|| "青山县人民政府办公室".into()),
            printed: printer.then(|| "2023年7月1日印发".into()),
            printer_line: printer,
            size: 14.0,
            inset: 14.0,
            label_width: 42.0,
            cc_lines: 2,
            rules: rules.then_some((0.99, 0.71)),
            even_page: true,
            own_page: false,
            blank_page: false,
        }
    }

    /// The exact line heights of the box's paragraphs, twips, in order.
    fn heights(xml: &str) -> Vec<i32> {
        xml.split(r#"w:lineRule="exact""#)
            .filter_map(|s| s.rsplit_once(r#"w:line=""#))
            .map(|(_, h)| h.trim_end_matches(['"', ' ']).parse().unwrap())
            .collect()
    }

    #[test]
    fn the_colophon_is_a_text_box_that_grows_upward_from_the_margins_foot() {
        let l = LayoutSpec::load("gbt9704").unwrap();
        let pitch = twips(l.grid.line_pitch_pt);
        let xml = colophon(&plan(Some("县委办公室。"), true, true), &l, 7)
            .unwrap()
            .to_xml();
        // VML (ECMA-376 Part 4): a text box grown to its text, at the bottom of the margin,
        // text wrapping above and below it, the width of the body area.
        for want in [
            r#"<v:textbox style="mso-fit-shape-to-text:t" inset="0,0,0,0">"#,
            "mso-position-vertical:bottom;mso-position-vertical-relative:margin",
            "mso-position-horizontal:left;mso-position-horizontal-relative:margin",
            "width:442.20pt",
            "v-text-anchor:bottom",
            r#"<w10:wrap type="topAndBottom" />"#,
            r##"type="#_x0000_t202""##,
        ] {
            assert!(xml.contains(want), "{want}: {xml}");
        }
        // The styles h3's reader finds the 版记 by, in order: the rule, 抄送, 印发.
        let cc = xml.find(r#"<w:pStyle w:val="Cc" />"#).unwrap();
        let printer = xml.find(r#"<w:pStyle w:val="Printer" />"#).unwrap();
        assert!(cc < printer && xml.contains("抄送：县委办公室。"));
        // anchor paragraph, rule, 抄送 at the pitch, 印发 giving back what rules and borders take
        let h = heights(&xml);
        assert_eq!(h.len(), 4, "{h:?}");
        assert_eq!((h[0], h[1], h[2]), (20, 20, pitch));
        let borders = 3 * 20 - 5; // 1 pt, 0.75 pt, 1 pt: 20 + 15 + 20 twips
        assert_eq!(h[3], pitch - 20 - 20 - borders, "{h:?}");
        // so the box's lines and rules take no more than the plan's grid lines, 1 pt to spare
        let one_line_of_cc = h[1] + 20 + h[2] + h[3] + 35;
        assert_eq!(one_line_of_cc, 2 * pitch - 20);
        let declared = format!("height:{:.2}pt", (3 * pitch - 20) as f32 / 20.0);
        assert!(xml.contains(&declared), "{declared}");
    }

    #[test]
    fn without_an_printer_line_the_cc_lines_give_back_the_rules() {
        let l = LayoutSpec::load("gbt9704").unwrap();
        let pitch = twips(l.grid.line_pitch_pt);
        let xml = colophon(&plan(Some("县委办公室。"), false, true), &l, 7)
            .unwrap()
            .to_xml();
        // anchor, first rule, 抄送, closing rule
        let h = heights(&xml);
        assert_eq!(h, [20, 20, pitch - 100, 20], "{xml}");
        assert!(!xml.contains("Printer"));
        // 信函: no rules, no 印发; the 抄送 lines 1 pt short of the pitch
        let xml = colophon(&plan(Some("县委办公室。"), false, false), &l, 7)
            .unwrap()
            .to_xml();
        assert_eq!(heights(&xml), [20, pitch - 20]);
        assert!(!xml.contains("w:pBdr"));
        assert!(colophon(&plan(None, false, true), &l, 7).is_none());
    }

    #[test]
    fn the_colophon_sections_footers_fill_the_footer_room() {
        let l = LayoutSpec::load("gbt9704").unwrap();
        let f = footers(&l, true, 537);
        assert_eq!(f.len(), 2);
        let xml = f[0].2.to_xml();
        assert!(
            xml.contains("PAGE") && xml.contains(r#"w:before="256""#),
            "{xml}"
        );
        let f = footers(&l, false, 537);
        assert_eq!((f.len(), f[0].0), (1, "rId11"));
        assert!(!f[0].2.to_xml().contains("PAGE"));
    }
}
