//! Sections and footers of a Word file for `check`: page size, margins, the document grid, and
//! the PAGE field each footer holds — the text around it, its sizes, and where the paragraph
//! puts it (a frame's `xAlign`, the tab stop the leading tabs reach, or the alignment).

use std::collections::HashMap;

use roxmltree::{Document as Xml, Node};

use super::docx::{Footer, Origin, PPr, PageNumber, RPr, Section, Styles, on};
use crate::read::docx::{child, is_w, w_attr};

pub(super) fn section(n: Node) -> Section {
    let int = |el: &str, a: &str| {
        child(&n, el)
            .and_then(|e| w_attr(&e, a))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| v.round() as i32)
    };
    Section {
        width: int("pgSz", "w").unwrap_or(12240),
        height: int("pgSz", "h").unwrap_or(15840),
        // A negative top or bottom margin is an exact one: the text may not push it.
        top: int("pgMar", "top").unwrap_or(1440).abs(),
        bottom: int("pgMar", "bottom").unwrap_or(1440).abs(),
        left: int("pgMar", "left")
            .or(int("pgMar", "start"))
            .unwrap_or(1800),
        right: int("pgMar", "right")
            .or(int("pgMar", "end"))
            .unwrap_or(1800),
        gutter: int("pgMar", "gutter").unwrap_or(0),
        grid_type: child(&n, "docGrid")
            .and_then(|g| w_attr(&g, "type"))
            .unwrap_or("default")
            .to_string(),
        line_pitch: int("docGrid", "linePitch"),
        char_space: int("docGrid", "charSpace"),
        footers: HashMap::new(),
        title_page: child(&n, "titlePg").is_some_and(|t| on(&t)),
        first_para: 0,
    }
}

/// A footer part: the first paragraph holding a PAGE field, and what it shows around it.
pub(super) fn footer(xml: &Xml, styles: &Styles) -> Footer {
    for p in xml.descendants().filter(|n| is_w(n, "p")) {
        let p_pr = child(&p, "pPr");
        let style_id = p_pr
            .and_then(|pr| child(&pr, "pStyle"))
            .and_then(|s| w_attr(&s, "val"));
        let (_, mut ppr, style_rpr) = styles.paragraph(style_id);
        ppr.apply(&PPr::read(p_pr, &Origin::Direct));
        // Walk the paragraph's runs in order: text before the field, the field, text after.
        let mut before = String::new();
        let mut after = String::new();
        let mut sizes = Vec::new();
        let mut state = 0; // 0 before, 1 in a field's code, 2 in its result, 3 after
        let mut depth = 0;
        let mut found = false;
        for n in p
            .descendants()
            .filter(|n| is_w(n, "r") || is_w(n, "fldSimple"))
        {
            if is_w(&n, "fldSimple") {
                let instr = w_attr(&n, "instr").unwrap_or("");
                if is_page(instr) && !found {
                    found = true;
                    state = 3;
                }
                continue;
            }
            let mut rpr = style_rpr.clone();
            rpr.apply(&RPr::read(child(&n, "rPr"), &Origin::Direct));
            // A simple field's runs are its result (the number): sized, not text around it.
            if n.ancestors().skip(1).any(|a| is_w(&a, "fldSimple")) {
                sizes.push(rpr.size.as_ref().map_or(10.0, |s| s.0 as f32 / 2.0));
                continue;
            }
            for c in n.children().filter(Node::is_element) {
                match c.tag_name().name() {
                    "fldChar" => match w_attr(&c, "fldCharType") {
                        Some("begin") => {
                            depth += 1;
                            if state == 0 {
                                state = 1;
                            }
                        }
                        Some("separate") if depth == 1 && state == 1 => state = 2,
                        Some("end") => {
                            depth -= 1;
                            if depth == 0 && state >= 1 && state < 3 {
                                state = if found { 3 } else { 0 };
                            }
                        }
                        _ => {}
                    },
                    "instrText" if state == 1 && is_page(c.text().unwrap_or("")) => found = true,
                    "t" | "tab" => {
                        let t = if c.tag_name().name() == "tab" {
                            "\t"
                        } else {
                            c.text().unwrap_or("")
                        };
                        match state {
                            0 => before.push_str(t),
                            3 => after.push_str(t),
                            _ => {}
                        }
                        if !t.trim().is_empty() {
                            sizes.push(rpr.size.as_ref().map_or(10.0, |s| s.0 as f32 / 2.0));
                        }
                    }
                    _ => {}
                }
            }
        }
        if !found {
            continue;
        }
        let align = align_of(&ppr, &before);
        return Footer {
            page: Some(PageNumber {
                before,
                after,
                align,
                sizes,
            }),
        };
    }
    Footer::default()
}

/// Whether a field code is a PAGE field (not NUMPAGES or PAGEREF).
fn is_page(instr: &str) -> bool {
    instr.split_whitespace().next() == Some("PAGE")
}

/// Where a footer paragraph puts its text: a frame's alignment, else tab stops the leading tabs
/// reach, else the paragraph's alignment.
fn align_of(ppr: &PPr, before: &str) -> String {
    if let Some(x) = &ppr.frame_x {
        return x.clone();
    }
    let tabs = before
        .chars()
        .take_while(|c| c.is_whitespace())
        .filter(|c| *c == '\t')
        .count();
    if tabs > 0 {
        let mut stops = ppr.tabs.clone();
        stops.sort_by_key(|(_, p)| *p);
        if let Some((kind, _)) = stops.get(tabs - 1) {
            return match kind.as_str() {
                "center" => "center",
                "right" | "end" => "right",
                _ => "left",
            }
            .into();
        }
    }
    match ppr.jc.as_ref().map(|j| j.0.as_str()) {
        Some("center") => "center",
        Some("right") | Some("end") => "right",
        _ => "left",
    }
    .into()
}
