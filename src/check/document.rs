//! The rules about a Word file as a whole, each with its GB/T 9704 clause and the layout's
//! value: paper (5.2.1), margins (5.2.2), the grid (5.2.3), page numbers (7.5), and the
//! 版记's place (7.4).

use super::Raw;
use super::docx::{Origin, Package, Section};
use super::excerpt;
use super::roles::Role;
use super::rules::{doc_finding, para_finding, pt};
use crate::spec::{LayoutSpec, Placement};

const TWIPS_PER_MM: f32 = 1440.0 / 25.4;

fn mm(twips: i32) -> f32 {
    twips as f32 / TWIPS_PER_MM
}

pub fn document(pkg: &Package, roles: &[Role], layout: &LayoutSpec, out: &mut Vec<Raw>) {
    let Some(s) = pkg.sections.first() else {
        return;
    };
    page(s, layout, out);
    grid(pkg, s, roles, layout, out);
    // A 横排表格's landscape section (8) turns its page number to stand where the portrait
    // pages' does: its footers are no 7.5 footers to judge.
    for s in pkg.sections.iter().filter(|s| s.width <= s.height) {
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
fn page(s: &Section, layout: &LayoutSpec, out: &mut Vec<Raw>) {
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

/// 5.2.3: 22 lines of the document grid in the body area, 28 characters a line. Counted in the
/// layout's body area, so a wrong margin is one finding, not three.
fn grid(pkg: &Package, s: &Section, roles: &[Role], layout: &LayoutSpec, out: &mut Vec<Raw>) {
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
        // Word's own charSpace for 28 characters can fall a hair short of 28.00.
        let chars = (body_w / pitch + 0.05).floor() as u32;
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
fn page_numbers(pkg: &Package, s: &Section, layout: &LayoutSpec, out: &mut Vec<Raw>) {
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
