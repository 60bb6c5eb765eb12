//! The rules `check` applies, each with its GB/T 9704 clause and the layout's value: the page
//! (5.2.1, 5.2.2), the grid (5.2.3), page numbers (7.5), the 版记's place (7.4), and for each
//! paragraph by its part: face, size, alignment, first-line indent, line spacing, the 署名's
//! side of the line.

use super::docx::{FontRef, Origin, Package, Para, Section, Set};
use super::roles::{Role, largest_size, trimmed};
use super::{Finding, Raw, excerpt};
use crate::fonts::{design_names, design_of};
use crate::model::Element;
use crate::spec::{Layout, PT_PER_MM, Placement};

const TWIPS_PER_MM: f32 = 1440.0 / 25.4;

fn doc_finding(
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

fn para_finding(
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

fn mm(twips: i32) -> f32 {
    twips as f32 / TWIPS_PER_MM
}

/// Rules about the document as a whole.
pub fn document(pkg: &Package, roles: &[Role], layout: &Layout, out: &mut Vec<Raw>) {
    let Some(s) = pkg.sections.first() else {
        return;
    };
    page(s, layout, out);
    grid(pkg, s, roles, layout, out);
    for s in &pkg.sections {
        let before = out.len();
        page_numbers(pkg, s, layout, out);
        // One report for the same fault in several sections.
        let (done, new) = out.split_at(before);
        let dup: Vec<bool> = new
            .iter()
            .map(|n| done.iter().any(|d| d.finding.message == n.finding.message))
            .collect();
        let mut i = 0;
        out.retain(|_| {
            i += 1;
            i <= before || !dup[i - before - 1]
        });
    }
    colophon(pkg, roles, out);
}

/// 5.2.1 A4 and 5.2.2 the margins (±1 mm): one finding for all the margins that are off.
fn page(s: &Section, layout: &Layout, out: &mut Vec<Raw>) {
    let p = &layout.page;
    let (w, h) = (mm(s.width), mm(s.height));
    if (w - p.width_mm).abs() > 1.0 || (h - p.height_mm).abs() > 1.0 {
        out.push(doc_finding(
            "paper",
            "5.2.1",
            format!("the paper is {w:.0} × {h:.0} mm"),
            format!("A4, {} × {} mm", p.width_mm, p.height_mm),
            format!("{w:.1} × {h:.1} mm"),
        ));
        return;
    }
    let right = p.width_mm - p.left_mm - p.body_width_mm;
    let bottom = p.height_mm - p.top_mm - p.body_height_mm;
    let found = [
        ("top", mm(s.top), p.top_mm),
        ("left", mm(s.left + s.gutter), p.left_mm),
        ("right", mm(s.right), right),
        ("bottom", mm(s.bottom), bottom),
    ];
    let off: Vec<String> = found
        .iter()
        .filter(|(_, f, e)| (f - e).abs() > 1.0)
        .map(|(k, f, _)| format!("{k} {f:.1} mm"))
        .collect();
    if !off.is_empty() {
        out.push(doc_finding(
            "margins",
            "5.2.2",
            format!("margins {}", off.join(", ")),
            format!(
                "top {} mm, left {} mm, right {right} mm, bottom {bottom} mm (body area {} × {} mm, ±1 mm)",
                p.top_mm, p.left_mm, p.body_width_mm, p.body_height_mm
            ),
            found
                .iter()
                .map(|(k, f, _)| format!("{k} {f:.1} mm"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
}

/// The size (pt) a set size gives, Word's 10 pt when none is set.
fn pt(size: &Set<u32>) -> f32 {
    size.as_ref().map_or(10.0, |s| s.0 as f32 / 2.0)
}

/// 5.2.3: 22 lines of the document grid in the body area, 28 characters a line. Counted in the
/// layout's body area, so a wrong margin is one finding, not three.
fn grid(pkg: &Package, s: &Section, roles: &[Role], layout: &Layout, out: &mut Vec<Raw>) {
    let g = &layout.grid;
    let body_h = layout.body_height();
    let body_w = layout.body_width();
    if s.grid_type != "default"
        && let Some(pitch) = s.line_pitch.filter(|p| *p > 0)
    {
        let pitch = pitch as f32 / 20.0;
        let lines = (body_h / pitch + 0.01).floor() as u32;
        if lines != g.lines {
            out.push(doc_finding(
                "grid-lines",
                "5.2.3",
                format!("the document grid gives {lines} lines a page (line pitch {pitch:.2} pt)"),
                format!(
                    "{} lines: a line pitch of {:.2} pt (docGrid linePitch {})",
                    g.lines,
                    g.line_pitch_pt,
                    (g.line_pitch_pt * 20.0).round()
                ),
                format!("{lines} lines, linePitch {}", (pitch * 20.0).round()),
            ));
        }
    }
    // The body text's style: the one most body paragraphs use.
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for (i, p) in pkg.paras.iter().enumerate() {
        if roles[i] == Role::Body {
            match counts.iter_mut().find(|c| c.0 == p.style) {
                Some(c) => c.1 += 1,
                None => counts.push((&p.style, 1, i)),
            }
        }
    }
    let body = counts.iter().max_by_key(|c| c.1).map(|c| &pkg.paras[c.2]);
    let (size, spacing, scale) = match body {
        Some(p) => (
            pt(&p.style_rpr.size),
            p.style_rpr
                .spacing
                .as_ref()
                .map_or(0.0, |s| s.0 as f32 / 20.0),
            p.style_rpr.scale.as_ref().map_or(100.0, |s| s.0 as f32),
        ),
        None => (g.base_size_pt, 0.0, 100.0),
    };
    let char_grid = matches!(s.grid_type.as_str(), "linesAndChars" | "snapToChars");
    let (pitch, how) = match s.char_space {
        Some(cs) if char_grid => {
            // charSpace is relative to the Normal style's size (ECMA-376 17.6.5); a character
            // larger than a cell takes whole cells.
            let normal = pt(&pkg.styles_normal_size());
            let cell = normal + cs as f32 / 4096.0;
            let per = if size <= cell * 1.02 {
                cell
            } else {
                (size / cell - 0.02).ceil() * cell
            };
            (
                per,
                format!("document grid charSpace {cs} on {normal} pt: a {cell:.2} pt cell"),
            )
        }
        _ => (
            size * scale / 100.0 + spacing,
            format!("{size} pt characters, spacing {spacing:+.2} pt"),
        ),
    };
    if pitch > 0.0 {
        let chars = (body_w / pitch + 0.01).floor() as u32;
        if chars != g.chars {
            out.push(doc_finding(
                "grid-chars",
                "5.2.3",
                format!("{chars} characters a line ({how})"),
                format!(
                    "{} characters a line: a {:.2} pt character pitch in the {} mm body width",
                    g.chars,
                    layout.cell(),
                    layout.page.body_width_mm
                ),
                format!("{chars} characters, {pitch:.2} pt pitch"),
            ));
        }
    }
}

/// 7.5: `— N —` in 4号 on every page, odd pages right and even pages left (or as the layout
/// places them); page 1 bare when the layout says so (信函, 10.1).
fn page_numbers(pkg: &Package, s: &Section, layout: &Layout, out: &mut Vec<Raw>) {
    let spec = &layout.page_number;
    let get = |k: &str| s.footers.get(k).and_then(|f| f.page.as_ref());
    let odd = get("default");
    let even = if pkg.even_and_odd { get("even") } else { odd };
    let first = if s.title_page { get("first") } else { odd };
    let expected_place = match spec.placement {
        Placement::Outside => "odd pages right, even pages left (奇偶页不同)",
        Placement::Center => "centred",
    };
    let expected = format!(
        "{d} N {d} in {} pt, {expected_place}",
        spec.size_pt,
        d = spec.dash
    );
    if odd.is_none() && even.is_none() {
        out.push(doc_finding(
            "page-numbers",
            "7.5",
            "no page numbers (no PAGE field in a footer)".into(),
            expected,
            "none".into(),
        ));
        return;
    }
    match (spec.first_page, s.title_page && first.is_none()) {
        (true, true) => out.push(doc_finding(
            "page-numbers-first",
            "7.5",
            "page 1 shows no page number (a different first page without one)".into(),
            expected.clone(),
            "none on page 1".into(),
        )),
        (false, false) if first.is_some() => out.push(doc_finding(
            "page-numbers-first",
            "10.1",
            "page 1 shows a page number".into(),
            "none on page 1 (首页不显示页码)".into(),
            "a number on page 1".into(),
        )),
        _ => {}
    }
    for (which, n) in [("odd", odd), ("even", even)] {
        let Some(n) = n else {
            out.push(doc_finding(
                "page-numbers",
                "7.5",
                format!("{which} pages show no page number"),
                expected.clone(),
                "none".into(),
            ));
            continue;
        };
        let ok_place = match spec.placement {
            Placement::Center => n.align == "center",
            Placement::Outside => match which {
                "odd" => matches!(n.align.as_str(), "right" | "outside"),
                _ => matches!(n.align.as_str(), "left" | "outside"),
            },
        };
        if !ok_place {
            let hint = if !pkg.even_and_odd && spec.placement == Placement::Outside {
                " (one footer for every page)"
            } else {
                ""
            };
            out.push(doc_finding(
                "page-numbers-place",
                "7.5",
                format!("{which} pages have their number on the {}{hint}", n.align),
                expected.clone(),
                n.align.clone(),
            ));
        }
        let dashes = |s: &str, end: bool| {
            let s = s.trim_matches(|c: char| c.is_whitespace());
            let c = if end {
                s.chars().last()
            } else {
                s.chars().next()
            };
            c.is_some_and(|c| matches!(c, '—' | '―' | '─') || c.to_string() == spec.dash)
        };
        if !dashes(&n.before, true) || !dashes(&n.after, false) {
            out.push(doc_finding(
                "page-numbers-dash",
                "7.5",
                format!(
                    "the {which} page number is written '{}N{}', without a dash on each side",
                    n.before.trim(),
                    n.after.trim()
                ),
                expected.clone(),
                format!("{}N{}", n.before.trim(), n.after.trim()),
            ));
        }
        if let Some(bad) = n.sizes.iter().find(|s| (**s - spec.size_pt).abs() > 0.25) {
            out.push(doc_finding(
                "page-numbers-size",
                "7.5",
                format!("the {which} page number is {bad} pt"),
                expected.clone(),
                format!("{bad} pt"),
            ));
        }
        if odd.zip(even).is_some_and(|(a, b)| std::ptr::eq(a, b)) {
            break; // one footer for both: judged once
        }
    }
}

/// 7.4: the 版记 (抄送, 印发) ends the document: nothing but 版记 lines after its first line.
fn colophon(pkg: &Package, roles: &[Role], out: &mut Vec<Raw>) {
    let Some(c) = roles.iter().position(|r| *r == Role::Colophon) else {
        return;
    };
    if let Some(k) =
        (c + 1..roles.len()).find(|&k| !matches!(roles[k], Role::Colophon | Role::Empty))
    {
        let p = &pkg.paras[c];
        let after = &pkg.paras[k];
        out.push(para_finding(
            p,
            "colophon",
            "7.4",
            format!(
                "the 版记 is not at the end: paragraph {} 「{}」 follows it",
                after.index,
                excerpt(&after.text())
            ),
            "抄送 and 印发 as the last lines, at the foot of the last page".into(),
            format!("text after the 版记 (paragraph {})", after.index),
            Origin::Direct,
        ));
    }
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
        _ => return None,
    })
}

/// Rules about each paragraph, by its part.
pub fn paragraphs(pkg: &Package, roles: &[Role], layout: &Layout, out: &mut Vec<Raw>) {
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
        let split = match role {
            Role::Heading(_) => text
                .char_indices()
                .position(|(_, c)| c == '。')
                .map_or(n, |k| k + 1),
            Role::Attendance => text.chars().position(|c| c == '：').map_or(n, |k| k + 1),
            _ => n,
        };
        let mut faces = vec![(0..split, spec.face.as_str(), what)];
        if role == Role::Attendance {
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
        if matches!(
            role,
            Role::Body | Role::Heading(_) | Role::Note | Role::Attachment | Role::Addressee
        ) {
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

fn origin<T>(s: &Set<T>) -> Origin {
    s.as_ref().map_or(Origin::Defaults, |s| s.1.clone())
}

fn align_name(jc: &Set<String>) -> String {
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
fn first_line_start(p: &Para, layout: &Layout) -> (f32, Origin) {
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
fn indent_rule(p: &Para, want: f32, layout: &Layout, what: &str, clause: &str, out: &mut Vec<Raw>) {
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
fn side_rule(p: &Para, layout: &Layout, what: &str, out: &mut Vec<Raw>) {
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
fn spacing_rule(p: &Para, on_grid_doc: bool, layout: &Layout, what: &str, out: &mut Vec<Raw>) {
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
    let _ = PT_PER_MM;
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
