//! Settings that move text where the layout did not put it, as other tools write them (issue
//! 23, item 5): the East Asian typography switches LibreOffice's re-save turns off
//! (`w:overflowPunct w:val="false"`, after which LibreOffice 7.4 itself hangs line-end
//! punctuation up to 5.7 mm into the right margin and leaves some marks unprinted), and
//! `w:kinsoku`, `w:autoSpaceDE`, `w:autoSpaceDN` off — in the defaults, a style or a paragraph,
//! each one finding folded per style; and a 署名 or 日期 held in place by a large left indent,
//! so a longer name wraps at the line's end instead of growing to the left (7.3.5).

use super::Raw;
use super::docx::{Origin, Package, Para};
use super::roles::{Role, trimmed};
use super::rules::{align_name, first_line_start, para_finding};
use crate::spec::LayoutSpec;

/// Each switch: what turning it off does, and the clause whose layout it breaks.
const SWITCHES: [(&str, &str, &str); 4] = [
    (
        "overflowPunct",
        "line-end punctuation is not kept in the line (w:overflowPunct off, as LibreOffice's \
         re-save writes it): LibreOffice sets it into the right margin or leaves it out",
        "5.2.3",
    ),
    (
        "kinsoku",
        "Chinese line-breaking rules are off (w:kinsoku off): a line may start with 。，、 or \
         end with “（",
        "5.2.3",
    ),
    (
        "autoSpaceDE",
        "the space between Chinese and Latin text is off (w:autoSpaceDE off): lines break \
         elsewhere than the layout's",
        "5.2.3",
    ),
    (
        "autoSpaceDN",
        "the space between Chinese and digits is off (w:autoSpaceDN off): lines break elsewhere \
         than the layout's",
        "5.2.3",
    ),
];

/// Each typography switch turned off: one finding, at the first paragraph with text it
/// applies to, saying where it is set (LibreOffice's re-save writes it into every style: one
/// fault, not one a style).
pub(super) fn switches(pkg: &Package, out: &mut Vec<Raw>) {
    for (k, (name, message, clause)) in SWITCHES.iter().enumerate() {
        let mut first = None;
        let mut paragraphs = 0;
        let mut styles: Vec<String> = Vec::new();
        let mut defaults = false;
        for p in pkg.paras.iter().filter(|p| !trimmed(&p.text()).is_empty()) {
            let Some((false, origin)) = &p.ppr.typography[k] else {
                continue;
            };
            first.get_or_insert(p);
            paragraphs += 1;
            match origin {
                Origin::Style(s) if !styles.contains(s) => styles.push(s.clone()),
                Origin::Defaults => defaults = true,
                _ => {}
            }
        }
        let Some(p) = first else {
            continue;
        };
        let mut set = Vec::new();
        match styles.as_slice() {
            [] => {}
            [one] => set.push(format!("style '{one}'")),
            many => set.push(format!("{} styles ('{}' …)", many.len(), many[0])),
        }
        if defaults {
            set.push("the document defaults".into());
        }
        let set = if set.is_empty() {
            String::new()
        } else {
            format!(", set in {}", set.join(" and "))
        };
        let more = match paragraphs {
            1 => String::new(),
            2 => ", and 1 more paragraph".into(),
            n => format!(", and {} more paragraphs", n - 1),
        };
        out.push(para_finding(
            p,
            "typography",
            clause,
            format!("{message}{set}{more}"),
            format!("w:{name} on (Word's default: leave it unset)"),
            format!("w:{name} off"),
            Origin::Direct,
        ));
    }
}

/// How far in (characters) a 署名 may start by its left indent before it is "held in place" by
/// it: a quarter of the line. A 署名 starts some 12–20 characters in; a list's hanging indent
/// or a quoted block is under 7.
const HELD_FROM: f32 = 0.25;

/// A 署名 or 日期 not aligned right whose place on the line comes from a left indent of more
/// than a quarter of the line: a longer name wraps at the margin instead of growing to the left.
pub(super) fn held_signatures(
    pkg: &Package,
    roles: &[Role],
    layout: &LayoutSpec,
    out: &mut Vec<Raw>,
) {
    for (p, role) in pkg.paras.iter().zip(roles) {
        let what = match role {
            Role::Signature => "the 署名",
            Role::Date => "the 成文日期",
            _ => continue,
        };
        if right_aligned(p) || trimmed(&p.text()).is_empty() {
            continue;
        }
        let (start, origin) = first_line_start(p, layout);
        if start <= HELD_FROM * layout.grid.chars as f32 {
            continue;
        }
        let align = align_name(&p.ppr.jc);
        out.push(para_finding(
            p,
            "signature-indent",
            "7.3.5",
            format!(
                "{what} is placed by a left indent ({start:.1} characters in, aligned {align}): \
                 a longer line wraps at the margin instead of growing to the left"
            ),
            "aligned right with a right indent (2 characters; 4 with a seal)".into(),
            format!("left indent {start:.1} characters, aligned {align}"),
            if origin == Origin::Defaults {
                Origin::Direct
            } else {
                origin
            },
        ));
    }
}

fn right_aligned(p: &Para) -> bool {
    p.ppr
        .jc
        .as_ref()
        .is_some_and(|j| matches!(j.0.as_str(), "right" | "end"))
}
