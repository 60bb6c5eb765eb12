//! The rules `check` applies, each with its GB/T 9704 clause and the layout's value: the page
//! (5.2.1, 5.2.2), the grid (5.2.3), page numbers (7.5), the 版记's place (7.4), and for each
//! paragraph by its part: face, size, alignment, first-line indent, line spacing, the 署名's
//! side of the line.

use super::docx::{FontRef, Origin, Package, Para, Set};
use super::roles::{Role, largest_size, trimmed};
use super::{Finding, Raw, excerpt};
use crate::fonts::{design_names, design_of};
use crate::model::Element;
use crate::read::recognise::{Numbered, numbered, run_in_lead};
use crate::spec::LayoutSpec;

pub(super) fn doc_finding(
    rule: &'static str,
    clause: &str,
    message: String,
    expected: String,
    found: String,
) -> Raw {
    Raw {
        finding: Finding {
            paragraph: 0,
            text: String::new(),
            message,
            clause: clause.into(),
            expected,
            found,
        },
        rule,
        origin: Origin::Direct,
    }
}

pub(super) fn para_finding(
    p: &Para,
    rule: &'static str,
    clause: &str,
    message: String,
    expected: String,
    found: String,
    origin: Origin,
) -> Raw {
    Raw {
        finding: Finding {
            paragraph: p.index,
            text: excerpt(&p.text()),
            message,
            clause: clause.into(),
            expected,
            found,
        },
        rule,
        origin,
    }
}

/// Rules about the document as a whole.
/// The size (pt) a set size gives, Word's 10 pt when none is set.
pub(super) fn pt(size: &Set<u32>) -> f32 {
    size.as_ref().map_or(10.0, |s| s.0 as f32 / 2.0)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// The element whose rules a part follows.
fn element(role: Role) -> Option<(Element, &'static str, &'static str)> {
    Some(match role {
        Role::Title | Role::TitleMore => (Element::Title, "the title", "7.3.1"),
        Role::Byline => (Element::Byline, "the byline under the title", "7.3.1"),
        Role::Addressee => (Element::Addressee, "the 主送机关", "7.3.2"),
        Role::Body => (Element::Body, "body text", "7.3.3"),
        Role::Heading(1) => (Element::Heading1, "the level-1 heading", "7.3.3"),
        Role::Heading(2) => (Element::Heading2, "the level-2 heading", "7.3.3"),
        Role::Heading(3) => (Element::Heading3, "the level-3 heading", "7.3.3"),
        Role::Heading(_) => (Element::Heading4, "the level-4 heading", "7.3.3"),
        Role::Attachment | Role::AttachmentMore => (Element::Attachment, "the 附件说明", "7.3.4"),
        Role::Signature => (Element::Signature, "the 署名", "7.3.5"),
        Role::Date => (Element::Date, "the 成文日期", "7.3.5"),
        Role::Note => (Element::Note, "the 附注", "7.3.6"),
        Role::AttachmentLabel => (Element::AttachmentLabel, "the attachment's label", "8"),
        Role::AttachmentTitle => (Element::AttachmentTitle, "the attachment's title", "8"),
        Role::Attendance => (Element::Attendance, "the attendance line", "10.3"),
        Role::Continued => (Element::Body, "body text", "7.3.3"),
        Role::Part(e) => match e {
            Element::Subtitle => (e, "the subtitle under the title", "7.3.1"),
            Element::Speaker => (e, "the speaker under the title", "7.3.1"),
            Element::Salutation => (e, "the salutation", "7.3.2"),
            Element::EnclosedTitle => (e, "the enclosed document's title", "7.3.1"),
            Element::SignerPost => (e, "the 签发人's post and name", "7.3.5.3"),
            Element::Chapter => (e, "the chapter heading", "7.3.3"),
            Element::Section => (e, "the section heading", "7.3.3"),
            Element::Article => (e, "the article", "7.3.3"),
            Element::ContentsTitle => (e, "the contents' title", "7.3.3"),
            Element::Contents => (e, "the contents line", "7.3.3"),
            _ => return None,
        },
        _ => return None,
    })
}

/// Rules about each paragraph, by its part.
pub fn paragraphs(pkg: &Package, roles: &[Role], layout: &LayoutSpec, out: &mut Vec<Raw>) {
    let on_grid_doc = pkg
        .sections
        .first()
        .is_some_and(|s| s.grid_type != "default" && s.line_pitch.is_some());
    for (i, p) in pkg.paras.iter().enumerate() {
        let role = roles[i];
        let Some((el, what, clause)) = element(role) else {
            continue;
        };
        let spec = layout.element(el);
        let text = p.text();
        let n = text.chars().count();
        // The part of the text in the element's face: a run-in heading's sentence up to the
        // first 。, a 纪要 label up to its ：; the rest is body text.
        // (counted in the trimmed text; the paragraph may keep leading spaces)
        let indent = text
            .chars()
            .take_while(|c| c.is_whitespace() || *c == '\u{3000}')
            .count();
        // A numbered list item is body text whose number keeps its level's face, as `render`
        // sets it (`recognise::numbered`, beside the paragraphs around it).
        let near = |k: Option<usize>| k.and_then(|k| pkg.paras.get(k)).map(Para::text);
        let item = match role {
            // Our own file: the number is its own run, in its level's face as the plan set it.
            Role::Body if pkg.ours => ours_item(p, &text).map(|(l, k)| (l, k + indent)),
            Role::Body => {
                let (prev, next) = (near(i.checked_sub(1)), near(Some(i + 1)));
                match numbered(
                    trimmed(&text),
                    prev.as_deref().map(trimmed),
                    next.as_deref().map(trimmed),
                ) {
                    Some((level, Numbered::Item(k))) => Some((level, k + indent)),
                    _ => None,
                }
            }
            _ => None,
        };
        let split = match role {
            Role::Heading(_) => run_in_lead(trimmed(&text)).map_or(n, |k| k + indent),
            Role::Attendance => text.chars().position(|c| c == '：').map_or(n, |k| k + 1),
            _ => item.map_or(n, |(_, k)| k),
        };
        let mut faces = vec![(0..split, spec.face.as_str(), what)];
        if let Some((level, _)) = item {
            let number = layout.element(Element::heading(level)).face.as_str();
            faces = vec![
                (0..split, number, "the list item's number"),
                (split..n, spec.face.as_str(), what),
            ];
        } else if role == Role::Attendance {
            // 10.3: the label (出席：) in 黑体, the names in the line's own face.
            let label = layout.element(Element::AttendanceLabel).face.as_str();
            faces = vec![(0..split, label, "the attendance label")];
            if split < n {
                faces.push((split..n, spec.face.as_str(), what));
            }
        } else if split < n {
            faces.push((
                split..n,
                layout.element(Element::Body).face.as_str(),
                "the body text after it",
            ));
        }
        for (range, face, part) in faces {
            let office = &layout.faces[face].office;
            face_rule(pkg, p, &range, office, role, part, clause, out);
        }
        size_rule(p, spec.size_pt, what, clause, out);
        if matches!(role, Role::Title) && p.ppr.jc.as_ref().is_none_or(|j| j.0 != "center") {
            out.push(para_finding(
                p,
                "title-align",
                clause,
                format!("{what} is aligned {}", align_name(&p.ppr.jc)),
                "centred".into(),
                align_name(&p.ppr.jc),
                origin(&p.ppr.jc),
            ));
        }
        if matches!(role, Role::AttachmentTitle)
            && p.ppr.jc.as_ref().is_none_or(|j| j.0 != "center")
        {
            out.push(para_finding(
                p,
                "attachment-title-align",
                clause,
                format!("{what} is aligned {}", align_name(&p.ppr.jc)),
                "centred".into(),
                align_name(&p.ppr.jc),
                origin(&p.ppr.jc),
            ));
        }
        // A body paragraph that goes on from the one before it, mid-sentence (the text before
        // it ends in no 。！？；：, as where our writer breaks a paragraph to keep its last lines
        // with the 署名 on their page, 7.3.5.1), has no first line of its own to indent.
        let continues = role == Role::Body
            && i > 0
            && roles[i - 1] == Role::Body
            && !trimmed(&pkg.paras[i - 1].text())
                .ends_with(['。', '！', '？', '；', '：', '”', '…', ':', ';']);
        if !continues
            && matches!(
                role,
                Role::Body | Role::Heading(_) | Role::Note | Role::Attachment | Role::Addressee
            )
        {
            indent_rule(
                p,
                spec.left_chars + spec.first_line_chars,
                layout,
                what,
                clause,
                out,
            );
        }
        if matches!(role, Role::Signature | Role::Date) {
            side_rule(p, layout, what, out);
        }
        if !trimmed(&text).is_empty() {
            spacing_rule(p, on_grid_doc, layout, what, out);
        }
    }
}

/// A list item of our own file: a numbered body paragraph whose first run (the number, the
/// plan's span in its level's face) has a face of its own and more runs after it.
fn ours_item(p: &Para, text: &str) -> Option<(u8, usize)> {
    let level = crate::read::recognise::heading_level(trimmed(text))?;
    let first = p.runs.first().filter(|_| p.runs.len() > 1)?;
    matches!(first.rpr.east_asia, Some((_, Origin::Direct))).then(|| {
        (
            level,
            p.number.chars().count() + first.text.trim_start().chars().count(),
        )
    })
}

fn origin<T>(s: &Set<T>) -> Origin {
    s.as_ref().map_or(Origin::Defaults, |s| s.1.clone())
}

pub(super) fn align_name(jc: &Set<String>) -> String {
    match jc.as_ref().map(|j| j.0.as_str()) {
        None | Some("left") | Some("start") => "left",
        Some("both") | Some("distribute") => "justified",
        Some("center") => "centred",
        Some("right") | Some("end") => "right",
        Some(other) => other,
    }
    .to_string()
}

/// The Han characters in `range` are in the design of `office` (any of its names).
#[allow(clippy::too_many_arguments)]
fn face_rule(
    pkg: &Package,
    p: &Para,
    range: &std::ops::Range<usize>,
    office: &str,
    role: Role,
    what: &str,
    clause: &str,
    out: &mut Vec<Raw>,
) {
    let want = design_of(office).unwrap_or(office);
    // A byline is 楷体 by practice; 仿宋 is as good.
    let also = if role == Role::Byline {
        design_of("仿宋")
    } else {
        None
    };
    let mut pos = p.number.chars().count();
    // The numbering prefix takes the paragraph mark's face; judge the runs.
    for r in &p.runs {
        let len = r.text.chars().count();
        let (a, b) = (pos, pos + len);
        pos = b;
        if b <= range.start || a >= range.end {
            continue;
        }
        let inside: String = r
            .text
            .chars()
            .enumerate()
            .filter(|(k, _)| range.contains(&(a + k)))
            .map(|(_, c)| c)
            .collect();
        if !inside.chars().any(is_han) {
            continue;
        }
        let name = r
            .rpr
            .east_asia
            .as_ref()
            .and_then(|(f, _)| pkg.styles.font_name(f));
        let design = name.as_deref().and_then(design_of);
        if design == Some(want) || (design.is_some() && design == also) {
            continue;
        }
        let found = match (&name, &r.rpr.east_asia) {
            (Some(n), _) => n.clone(),
            (None, Some((FontRef::Theme(t), _))) => format!("the theme's {t} font (none named)"),
            _ => "no East Asian font (Word's default)".into(),
        };
        let mut expected = design_names(office);
        expected.truncate(6);
        out.push(para_finding(
            p,
            "face",
            clause,
            format!("{what} is in {found}"),
            format!("{} ({})", family_label(want), expected.join(", ")),
            found,
            origin(&r.rpr.east_asia),
        ));
        return;
    }
}

/// The standard's name of a design (`仿宋_GB2312` → 仿宋).
fn family_label(design: &str) -> &str {
    match design {
        "方正小标宋简体" => "小标宋",
        "仿宋_GB2312" => "仿宋",
        "楷体_GB2312" => "楷体",
        other => other,
    }
}

/// 字号 of a size in points, for messages.
fn hao(pt: f32) -> &'static str {
    [
        (42.0, "初号"),
        (36.0, "小初"),
        (26.0, "一号"),
        (24.0, "小一"),
        (22.0, "2号"),
        (18.0, "小二"),
        (16.0, "3号"),
        (15.0, "小三"),
        (14.0, "4号"),
        (12.0, "小四"),
        (10.5, "五号"),
    ]
    .iter()
    .find(|(s, _)| (s - pt).abs() < 0.1)
    .map_or("", |(_, h)| h)
}

fn size_rule(p: &Para, want: f32, what: &str, clause: &str, out: &mut Vec<Raw>) {
    for r in p
        .runs
        .iter()
        .filter(|r| r.text.chars().any(|c| !c.is_whitespace()))
    {
        let got = pt(&r.rpr.size);
        if (got - want).abs() > 0.25 {
            out.push(para_finding(
                p,
                "size",
                clause,
                format!("{what} is {got} pt"),
                format!("{want} pt ({})", hao(want)),
                format!("{got} pt"),
                origin(&r.rpr.size),
            ));
            return;
        }
    }
}

/// The size (pt) of a paragraph's text, for indents in characters.
fn text_size(p: &Para) -> f32 {
    match largest_size(p) {
        s if s > 0.0 => s,
        _ => pt(&p.style_rpr.size),
    }
}

/// Where a paragraph's first line starts, in characters: left and first-line indents
/// (`…Chars` in hundredths of a character win when not 0, as in Word) and the spaces typed
/// before the text (a full-width space is one character).
pub(super) fn first_line_start(p: &Para, layout: &LayoutSpec) -> (f32, Origin) {
    let size = text_size(p);
    // A twips indent in characters of this size; 632 twips is two grid cells at 16 pt.
    let chars = |twips: i32| twips as f32 / 20.0 / layout.char_width(size);
    let pick = |c: &Set<i32>, t: &Set<i32>| match c {
        Some((v, o)) if *v != 0 => (*v as f32 / 100.0, o.clone()),
        _ => (
            t.as_ref().map_or(0.0, |v| chars(v.0)),
            t.as_ref().map_or(Origin::Defaults, |v| v.1.clone()),
        ),
    };
    let (left, lo) = pick(&p.ppr.left_chars, &p.ppr.left);
    let (first, fo) = pick(&p.ppr.first_chars, &p.ppr.first);
    let text = p.text();
    let spaces: f32 = text
        .chars()
        .take_while(|c| c.is_whitespace() || *c == '\u{3000}')
        .map(|c| {
            if c == '\u{3000}' {
                1.0
            } else if c == '\t' {
                2.0
            } else {
                0.5
            }
        })
        .sum();
    let o = if fo == Origin::Direct || lo == Origin::Direct {
        Origin::Direct
    } else if first != 0.0 {
        fo
    } else {
        lo
    };
    (left + first + spaces, o)
}

/// 7.3.3: each paragraph starts two characters in (the 主送 at the margin).
fn indent_rule(
    p: &Para,
    want: f32,
    layout: &LayoutSpec,
    what: &str,
    clause: &str,
    out: &mut Vec<Raw>,
) {
    // A centred or right-aligned line has no first-line indent to judge.
    if p.ppr
        .jc
        .as_ref()
        .is_some_and(|j| matches!(j.0.as_str(), "center" | "right" | "end"))
    {
        return;
    }
    let (start, o) = first_line_start(p, layout);
    if (start - want).abs() > 0.15 {
        let expected = if want == 0.0 {
            "flush left (no indent)".to_string()
        } else {
            format!(
                "{want} characters (firstLineChars={}, or {} twips at {} pt)",
                (want * 100.0).round(),
                (want * layout.grid.base_size_pt * 20.0).round(),
                layout.grid.base_size_pt
            )
        };
        out.push(para_finding(
            p,
            "indent",
            clause,
            format!("{what} starts {start:.1} characters in"),
            expected,
            format!("{start:.2} characters"),
            o,
        ));
    }
}

/// 7.3.5.2: the 署名 and the date sit in the right part of the line.
fn side_rule(p: &Para, layout: &LayoutSpec, what: &str, out: &mut Vec<Raw>) {
    let line = layout.grid.chars as f32;
    let text = p.text();
    let t = trimmed(&text);
    let width: f32 = t
        .chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum();
    let (start, o) = first_line_start(p, layout);
    let size = text_size(p);
    let right = p
        .ppr
        .right_chars
        .as_ref()
        .filter(|r| r.0 != 0)
        .map(|r| r.0 as f32 / 100.0)
        .or(p
            .ppr
            .right
            .as_ref()
            .map(|r| r.0 as f32 / 20.0 / layout.char_width(size)))
        .unwrap_or(0.0);
    let begins = match p.ppr.jc.as_ref().map(|j| j.0.as_str()) {
        Some("right") | Some("end") => line - right - width,
        Some("center") => start + (line - start - right - width) / 2.0,
        _ => start,
    };
    if begins + width / 2.0 <= line / 2.0 {
        let jo = origin(&p.ppr.jc);
        out.push(para_finding(
            p,
            "signature-side",
            "7.3.5.2",
            format!("{what} is in the left part of the line (starts {begins:.1} characters in)"),
            "the right part of the line: 署名 two characters from the right, the date under it"
                .into(),
            format!(
                "starts {begins:.1} characters in, {}",
                align_name(&p.ppr.jc)
            ),
            if jo == Origin::Direct { jo } else { o },
        ));
    }
}

/// 5.2.3: lines on the 22-line pitch: exactly 28.95 pt (579 twips), or single spacing on the
/// document grid. 1.5 lines, double, or single without a grid are not.
fn spacing_rule(p: &Para, on_grid_doc: bool, layout: &LayoutSpec, what: &str, out: &mut Vec<Raw>) {
    let g = &layout.grid;
    let rule = p.ppr.line_rule.as_ref().map_or("auto", |r| r.0.as_str());
    let line = p.ppr.line.as_ref().map_or(240, |l| l.0);
    let o = match (&p.ppr.line, &p.ppr.line_rule) {
        (Some((_, a)), Some((_, b))) if *b == Origin::Direct => b.clone().max_with(a),
        (Some((_, a)), _) => a.clone(),
        (None, Some((_, b))) => b.clone(),
        _ => Origin::Defaults,
    };
    let expected = format!(
        "exactly {} pt ({} twips), or single on the {}-line document grid",
        g.line_pitch_pt,
        (g.line_pitch_pt * 20.0).round(),
        g.lines
    );
    let snaps = on_grid_doc && p.ppr.snap_to_grid.as_ref().is_none_or(|s| s.0);
    let found = match rule {
        "exact" | "atLeast" => {
            let pitch = line as f32 / 20.0;
            let lines = (layout.body_height() / pitch + 0.01).floor() as u32;
            if lines == g.lines || (rule == "atLeast" && snaps && pitch <= g.line_pitch_pt + 0.01) {
                return;
            }
            let kind = if rule == "exact" {
                "exactly"
            } else {
                "at least"
            };
            format!("{kind} {pitch} pt ({lines} lines a page)")
        }
        _ => {
            let mult = line as f32 / 240.0;
            if (mult - 1.0).abs() < 0.01 {
                if snaps {
                    return;
                }
                let lines = (layout.body_height() / (text_size(p) * 1.3)).floor();
                format!("single, without a document grid (about {lines} lines a page)")
            } else {
                format!("{} lines", (mult * 100.0).round() / 100.0)
            }
        }
    };
    out.push(para_finding(
        p,
        "line-spacing",
        "5.2.3",
        format!("{what} has line spacing {found}"),
        expected,
        found,
        o,
    ));
}

trait MaxWith {
    fn max_with(self, other: &Origin) -> Origin;
}

impl MaxWith for Origin {
    /// The more specific of two origins (direct over style over defaults).
    fn max_with(self, other: &Origin) -> Origin {
        match (&self, other) {
            (Origin::Direct, _) | (_, Origin::Defaults) => self,
            _ => other.clone(),
        }
    }
}
