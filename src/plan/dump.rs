//! A plain-text dump of a plan, one line per decision, for reference tests (`tests/ref/`) and
//! for reading what the plan decided. Lengths in points with one decimal.

use std::fmt::Write;

use super::{Block, Plan};

/// The plan as text.
pub fn dump(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "title {:?} creator {:?} date {:?}",
        plan.title, plan.creator, plan.date
    );
    if let Some(h) = &plan.masthead {
        let _ = writeln!(out, "head title_line {} letter {}", h.title_line, h.letter);
        for f in &h.fields {
            let _ = writeln!(out, "  field {:?} line {} {:?}", f.role, f.line, f.text);
        }
        if let Some(m) = &h.issuer_mark {
            let _ = writeln!(
                out,
                "  mark {:?}+{:?} size {:.1} top {:.1} step {:.1} bottom {:.1}",
                m.issuers, m.suffix, m.size, m.top, m.step, m.bottom
            );
        }
        if let Some(n) = &h.doc_number {
            let _ = writeln!(
                out,
                "  number {:?} line {} {:?} left {:.1} signer {:?} right {:.1}",
                n.text, n.line, n.align, n.left, n.signer, n.right
            );
        }
        for r in &h.rules {
            let _ = writeln!(
                out,
                "  rule x {:.1} y {:.1} w {:.1} t {:.2} #{}",
                r.x, r.y, r.width, r.thickness, r.colour
            );
        }
    }
    for b in &plan.blocks {
        match b {
            Block::Para(p) => {
                let mut flags = String::new();
                for (on, f) in [
                    (p.keep_with_next, " keep-next"),
                    (p.keep_lines, " keep-lines"),
                    (p.page_break_before, " page-break"),
                ] {
                    if on {
                        flags.push_str(f);
                    }
                }
                if let Some(k) = p.kept_tail {
                    flags.push_str(&format!(" kept-tail {k}"));
                }
                let faces: Vec<String> = p
                    .spans
                    .iter()
                    .filter(|s| s.element != p.role)
                    .map(|s| format!(" +{:?}", s.element))
                    .collect();
                let _ = writeln!(
                    out,
                    "{:?} {:.0}pt {:?} left {:.1} right {:.1} first {:.1} before {} after {}{}{} breaks {:?}\n  {:?}",
                    p.role,
                    p.size,
                    p.align,
                    p.left,
                    p.right,
                    p.first,
                    p.space_before,
                    p.space_after,
                    flags,
                    faces.concat(),
                    p.breaks,
                    p.text()
                );
            }
            Block::Table(t) => {
                let cols: Vec<String> = t.columns.iter().map(|c| format!("{c:.1}")).collect();
                let aligns: Vec<String> = t.column_align.iter().map(|a| format!("{a:?}")).collect();
                let _ = writeln!(
                    out,
                    "Table {}x{} columns [{}] padding {:.1} {:.1} {:.0}pt pitch {:.2} rule {:.3} header {} {:?} align [{}] split {} snap {:.2}{}",
                    t.rows.len(),
                    t.columns.len(),
                    cols.join(", "),
                    t.padding,
                    t.padding_v,
                    t.size,
                    t.line_pitch,
                    t.rule,
                    t.header_rows,
                    t.header_align,
                    aligns.join(", "),
                    t.split_min_lines,
                    t.snap_after,
                    if t.landscape { " landscape" } else { "" }
                );
                for (row, lines) in t.rows.iter().zip(&t.row_lines) {
                    let _ = writeln!(out, "  {lines} {row:?}");
                }
                for m in &t.merges {
                    let _ = writeln!(
                        out,
                        "  merge row {} col {} rows {} cols {}",
                        m.row, m.col, m.rows, m.cols
                    );
                }
            }
        }
    }
    if let Some(c) = &plan.colophon {
        let _ = writeln!(
            out,
            "colophon cc {:?} printer {:?} printed {:?} size {:.0} inset {:.1} label {:.1} rules {:?} even {} own_page {}",
            c.cc,
            c.printer,
            c.printed,
            c.size,
            c.inset,
            c.label_width,
            c.rules,
            c.even_page,
            c.own_page
        );
    }
    out
}
