//! The flow of `document.xml` from the plan's blocks: a paragraph per [`Para`] in its element's
//! style, with direct properties only where the plan says something the style does not; a ruled
//! table per [`Table`].

use super::ooxml::El;
use super::styles::{face_rpr, grid_spacing, ind, is_base, jc, rfonts, style_keeps};
use super::{half_points, style_of, twips};
use crate::model::{Element, Span};
use crate::plan::{Para, Table};
use crate::spec::LayoutSpec;

/// Whether two lengths in points are the same in the DOCX (whole twips).
fn same(a: f32, b: f32) -> bool {
    twips(a) == twips(b)
}

/// A paragraph. `before`: spacing before in twips that overrides the plan's blank lines (the
/// first paragraph under the 版头 starts on the grid line the 版头's plan gives).
pub fn paragraph(p: &Para, layout: &LayoutSpec, before: Option<i32>) -> El {
    let spec = layout.element(p.role);
    let one = layout.char_width(spec.size_pt);
    // 7.3.5.5: on a page tightened for its 署名 block, the plan's pitch, exactly, off the grid.
    let tight = p.pitch.map(twips);
    let pitch = tight.unwrap_or(twips(layout.grid.line_pitch_pt));
    let mut ppr = El::new("w:pPr").child(El::val("w:pStyle", style_of(p.role).0));
    if tight.is_some() {
        ppr.push(El::val("w:snapToGrid", 0));
    }
    // Blank lines before/after (7.3.x "空一行"), in grid lines × the pitch.
    let moved = |a: u32, b: u32| a != b || tight.is_some();
    let before = before
        .or(moved(p.space_before, spec.space_before_lines).then(|| p.space_before as i32 * pitch));
    let after = moved(p.space_after, spec.space_after_lines).then(|| p.space_after as i32 * pitch);
    if before.is_some() || after.is_some() || tight.is_some() {
        let mut s = El::new("w:spacing");
        if let Some(line) = tight {
            s.set("w:line", line);
            s.set("w:lineRule", "exact");
        }
        if let Some(b) = before {
            s.set("w:before", b);
        }
        if let Some(a) = after {
            s.set("w:after", a);
        }
        ppr.push(s);
    }
    // Indents: the closing lines (7.3.5), hanging 附件说明 and 出席 lines (7.3.4, 10.3).
    let (left, right, first) = (
        spec.left_chars * one,
        spec.right_chars * one,
        spec.first_line_chars * one,
    );
    // A 署名, 日期 or 签发人 line says its right space itself, with its `w:jc right`: it is the
    // line's place (7.3.5), which a style a user restyles must not move.
    let closing = matches!(
        p.role,
        Element::Signature | Element::Date | Element::SignerPost
    );
    if closing || !same(p.left, left) || !same(p.right, right) || !same(p.first, first) {
        let chars = if same(p.first, first) && is_base(p.size, layout) {
            (spec.first_line_chars * 100.0).round() as i32
        } else {
            0
        };
        ppr.push(ind(p.left, p.right, p.first, chars));
    }
    if closing || p.align != spec.align {
        ppr.push(jc(p.align));
    }
    // Keep rules (7.3.5: 署名 and 日期 never open a page alone; headings stay whole).
    let (next, lines) = style_keeps(p.role, layout);
    if p.keep_with_next != next {
        ppr.push(flag("w:keepNext", p.keep_with_next));
    }
    if p.keep_lines != lines {
        ppr.push(flag("w:keepLines", p.keep_lines));
    }
    if p.page_break_before {
        ppr.push(El::new("w:pageBreakBefore")); // 8: an attachment starts a new page
    }
    // A run-in heading's paragraph keeps its heading's style (face, keeps) but is body text in
    // the outline: level 9 keeps it out of Word's navigation pane (the plan's `outline_level`).
    if p.role.level().is_some() && p.outline_level().is_none() {
        ppr.push(El::val("w:outlineLvl", 9));
    }
    let mut out = El::new("w:p").child(ppr);
    for r in runs(p, layout) {
        out.push(r);
    }
    out
}

/// A paragraph as one `w:p`, or two where the plan keeps only its last lines with the next
/// (`Para::kept_tail`, the last body paragraph before the 署名, 7.3.5): LibreOffice moves a
/// whole paragraph marked `w:keepNext` to the next page (a 函 whose one body paragraph is kept
/// with its 署名 left page 1 two-thirds empty), where Word moves only its last lines. So the
/// lines before the tail are a paragraph that may split, and the tail's two lines one that is
/// kept whole with the 署名: both lay out as the PDF does. The tail has no first-line indent
/// and no blank line before it, so the page reads as one paragraph.
pub fn paragraphs(p: &Para, layout: &LayoutSpec, before: Option<i32>) -> Vec<El> {
    let Some(cut) = p
        .kept_tail
        .filter(|&c| c > 0 && c < p.text().chars().count())
    else {
        return vec![paragraph(p, layout, before)];
    };
    let (mut head, mut tail) = (p.clone(), p.clone());
    head.spans.clear();
    tail.spans.clear();
    let mut at = 0;
    for span in &p.spans {
        let n = span.text.chars().count();
        let k = cut.saturating_sub(at).min(n);
        let (a, b) = span.text.split_at(
            span.text
                .char_indices()
                .nth(k)
                .map_or(span.text.len(), |(i, _)| i),
        );
        for (part, text) in [(&mut head, a), (&mut tail, b)] {
            if !text.is_empty() {
                part.spans.push(Span {
                    element: span.element,
                    text: text.to_string(),
                });
            }
        }
        at += n;
    }
    head.kept_tail = None;
    head.keep_with_next = false;
    head.space_after = 0;
    tail.kept_tail = None;
    tail.keep_lines = true;
    tail.space_before = 0;
    tail.first = 0.0;
    // A title's breaks (7.3.1) stay where the plan put them, on either side of the cut.
    head.breaks.retain(|&b| b < cut);
    tail.breaks = p
        .breaks
        .iter()
        .filter(|&&b| b > cut)
        .map(|b| b - cut)
        .collect();
    vec![
        paragraph(&head, layout, before),
        paragraph(&tail, layout, None),
    ]
}

/// An on/off property: present means on; off says `w:val="0"` (overriding the style).
fn flag(name: &str, on: bool) -> El {
    if on { El::new(name) } else { El::val(name, 0) }
}

/// One run per span; a span of another element (a run-in heading's sentence, 7.3.3) takes that
/// element's face and size; the plan's forced breaks (the title's lines, 7.3.1) become `w:br`.
fn runs(p: &Para, layout: &LayoutSpec) -> Vec<El> {
    let mut out = Vec::new();
    let mut at = 0; // chars of the paragraph before this span
    for span in &p.spans {
        let mut r = El::new("w:r");
        if span.element != p.role {
            r.push(span_rpr(span.element, p.role, layout));
        }
        // A break exactly at a span boundary opens the next span.
        if at > 0 && p.breaks.contains(&at) {
            r.push(El::new("w:br"));
        }
        let chars: Vec<char> = span.text.chars().collect();
        let mut from = 0;
        for &b in p.breaks.iter().filter(|&&b| b > at && b < at + chars.len()) {
            let cut = b - at;
            r.push(text(&chars[from..cut].iter().collect::<String>()));
            r.push(El::new("w:br"));
            from = cut;
        }
        r.push(text(&chars[from..].iter().collect::<String>()));
        at += chars.len();
        out.push(r);
    }
    out
}

/// `w:t` keeping spaces.
pub fn text(t: &str) -> El {
    El::new("w:t").attr("xml:space", "preserve").text(t)
}

/// Run properties of a span of element `e` inside a paragraph of `role`: what differs.
fn span_rpr(e: Element, role: Element, layout: &LayoutSpec) -> El {
    let (s, r) = (layout.element(e), layout.element(role));
    let mut rpr = El::new("w:rPr")
        .child(rfonts(&layout.faces[&s.face].office))
        .child(El::val("w:sz", half_points(s.size_pt)))
        .child(El::val("w:szCs", half_points(s.size_pt)));
    if s.colour != r.colour {
        rpr.push(El::val("w:color", &s.colour));
    }
    if is_base(s.size_pt, layout) != is_base(r.size_pt, layout) {
        rpr.push(El::val(
            "w:spacing",
            if is_base(s.size_pt, layout) {
                grid_spacing(layout)
            } else {
                0
            },
        ));
    }
    rpr
}

/// A ruled table (practice): the plan's column widths, rules of its thickness, cell margins of
/// its padding, cells single-spaced at their own pitch (the style `TableText`), the header rows
/// repeated on each page. A row may break across pages (Word's default) unless the plan keeps it
/// whole (`w:cantSplit`), as the PDF's flow does.
pub fn table(t: &Table, layout: &LayoutSpec) -> El {
    let mut tbl = table_head(t);
    for r in 0..t.rows.len() {
        tbl.push(table_row(t, layout, r));
    }
    tbl
}

/// As [`table`], written as it is made, a row at a time: a table of 60,000 rows held as one
/// tree took 70 MB a column (issue 19).
pub fn write_table(t: &Table, layout: &LayoutSpec, out: &mut String) {
    let tbl = table_head(t);
    tbl.write_unclosed(out);
    for r in 0..t.rows.len() {
        table_row(t, layout, r).write(out);
    }
    tbl.write_close(out);
}

/// The table's element with its properties and grid, without rows.
fn table_head(t: &Table) -> El {
    let rule = (t.rule * 8.0).round().max(2.0) as i32; // eighths of a point (17.18.2)
    let border = |name: &str| {
        El::new(name)
            .attr("w:val", "single")
            .attr("w:sz", rule)
            .attr("w:space", 0)
            .attr("w:color", "000000")
    };
    let mut borders = El::new("w:tblBorders");
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        borders.push(border(side));
    }
    let widths: Vec<i32> = t.columns.iter().map(|w| twips(*w)).collect();
    let (pad, pad_v) = (twips(t.padding), twips(t.padding_v));
    let margin = |side: &str, w: i32| El::new(side).attr("w:w", w).attr("w:type", "dxa");
    let mut tbl = El::new("w:tbl").child(
        El::new("w:tblPr")
            .child(
                El::new("w:tblW")
                    .attr("w:w", widths.iter().sum::<i32>())
                    .attr("w:type", "dxa"),
            )
            .child(El::new("w:tblInd").attr("w:w", 0).attr("w:type", "dxa"))
            .child(borders)
            .child(El::new("w:tblLayout").attr("w:type", "fixed"))
            .child(
                El::new("w:tblCellMar")
                    .child(margin("w:top", pad_v))
                    .child(margin("w:left", pad))
                    .child(margin("w:bottom", pad_v))
                    .child(margin("w:right", pad)),
            ),
    );
    let mut grid = El::new("w:tblGrid");
    for w in &widths {
        grid.push(El::new("w:gridCol").attr("w:w", w));
    }
    tbl.push(grid);
    tbl
}

/// Row `r` of a table: its header mark and whether it may break, its cells (merged ones
/// spanning), each cell's alignment.
fn table_row(t: &Table, layout: &LayoutSpec, r: usize) -> El {
    let widths: Vec<i32> = t.columns.iter().map(|w| twips(*w)).collect();
    let row = &t.rows[r];
    let (id, _) = style_of(Element::Table);
    let style_align = layout.element(Element::Table).align;
    let mut trpr = El::new("w:trPr");
    if !t.may_split(r) {
        trpr.push(El::new("w:cantSplit"));
    }
    if r < t.header_rows {
        trpr.push(El::new("w:tblHeader"));
    }
    let mut tr = El::new("w:tr").child(trpr);
    let mut c = 0;
    while c < row.len() {
        // A merged cell: one w:tc over its columns (w:gridSpan), restarted in its first row
        // and continued in the others (w:vMerge), the text in the first.
        let merge = crate::model::merge_at(&t.merges, r, c);
        let cols = merge.map_or(1, |m| m.cols);
        let w: i32 = widths[c..(c + cols).min(widths.len())].iter().sum();
        let mut tcpr =
            El::new("w:tcPr").child(El::new("w:tcW").attr("w:w", w).attr("w:type", "dxa"));
        if cols > 1 {
            tcpr.push(El::val("w:gridSpan", cols));
        }
        let mut first = true;
        if let Some(m) = merge.filter(|m| m.rows > 1) {
            first = m.row == r;
            tcpr.push(if first {
                El::val("w:vMerge", "restart")
            } else {
                El::new("w:vMerge")
            });
        }
        let mut ppr = El::new("w:pPr").child(El::val("w:pStyle", id));
        // The plan's alignment (a group row across the columns reads as text).
        let align = if cols > 1 && r >= t.header_rows {
            style_align
        } else {
            t.align(r, c)
        };
        if align != style_align {
            ppr.push(jc(align));
        }
        let mut p = El::new("w:p").child(ppr);
        if first {
            // A header cell wraps between its words where the plan breaks it.
            let chars: Vec<char> = row[c].chars().collect();
            let mut run = El::new("w:r");
            let mut from = 0;
            for &b in t.breaks(r, c).iter().filter(|&&b| b > 0 && b < chars.len()) {
                run.push(text(&chars[from..b].iter().collect::<String>()));
                run.push(El::new("w:br"));
                from = b;
            }
            run.push(text(&chars[from..].iter().collect::<String>()));
            p.push(run);
        }
        tr.push(El::new("w:tc").child(tcpr).child(p));
        c += cols;
    }
    tr
}

/// The run properties of an element's face, for runs in paragraphs of another style.
pub fn run_as(e: Element, layout: &LayoutSpec) -> El {
    face_rpr(e, layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::spec::Align;

    fn layout() -> LayoutSpec {
        LayoutSpec::load("gbt9704").unwrap()
    }

    fn para(role: Element, spans: Vec<Span>) -> Para {
        let l = layout();
        let mut p = Para::of(role, spans, 0, &l);
        p.keep_lines = style_keeps(role, &l).1;
        p
    }

    fn span(e: Element, t: &str) -> Span {
        Span {
            element: e,
            text: t.into(),
        }
    }

    #[test]
    fn a_body_paragraph_is_its_style_and_its_text() {
        let p = para(Element::Body, vec![span(Element::Body, "正文 & <内容>")]);
        assert_eq!(
            paragraph(&p, &layout(), None).to_xml(),
            r#"<w:p><w:pPr><w:pStyle w:val="BodyText" /></w:pPr><w:r><w:t xml:space="preserve">正文 &amp; &lt;内容&gt;</w:t></w:r></w:p>"#
        );
    }

    /// Issue 23, item 7 (7.3.5): a 署名 or 日期 line is `w:jc right` with its right space as
    /// `w:ind w:right`, no left indent, even where the space is the style's own two characters.
    #[test]
    fn closing_lines_are_flush_right_with_a_right_indent() {
        let l = layout();
        for (role, cells) in [(Element::Signature, 2.0), (Element::Date, 4.5)] {
            let mut p = para(role, vec![span(role, "青山县人民政府办公室")]);
            p.align = Align::Right;
            p.left = 0.0;
            p.first = 0.0;
            p.right = cells * l.cell();
            let x = paragraph(&p, &l, None).to_xml();
            assert!(x.contains(r#"<w:jc w:val="right" />"#), "{x}");
            let ind = format!(
                r#"<w:ind w:left="0" w:right="{}" "#,
                twips(cells * l.cell())
            );
            assert!(x.contains(&ind), "{x}");
        }
    }

    #[test]
    fn a_run_in_heading_keeps_its_sentence_in_the_body_face_and_the_title_breaks() {
        let mut p = para(
            Element::Heading1,
            vec![
                span(Element::Heading1, "一、标题。"),
                span(Element::Body, "正文。"),
            ],
        );
        p.keep_lines = false;
        let x = paragraph(&p, &layout(), None).to_xml();
        assert!(x.contains(r#"<w:keepLines w:val="0" />"#), "{x}");
        // Out of Word's navigation pane (the style's outline level is the heading's).
        assert!(x.contains(r#"<w:outlineLvl w:val="9" />"#), "{x}");
        let alone = para(Element::Heading1, vec![span(Element::Heading1, "一、标题")]);
        let own = paragraph(&alone, &layout(), None).to_xml();
        assert!(!own.contains("w:outlineLvl"), "{own}");
        assert!(
            x.contains(r#"<w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312""#),
            "{x}"
        );
        let mut t = para(
            Element::Title,
            vec![span(Element::Title, "关于开展检查的通知")],
        );
        t.breaks = vec![4];
        t.space_before = 2;
        t.left = -0.0;
        t.align = Align::Center;
        let x = paragraph(&t, &layout(), None).to_xml();
        assert!(x.contains(r#"<w:spacing w:before="1158" />"#), "{x}");
        assert!(
            x.contains(r#">关于开展</w:t><w:br /><w:t xml:space="preserve">检查的通知<"#),
            "{x}"
        );
    }

    #[test]
    fn hanging_indents_say_so() {
        let mut p = para(
            Element::Attachment,
            vec![span(Element::Attachment, "附件：1.名称")],
        );
        p.left += 64.0;
        p.first = -64.0;
        let x = paragraph(&p, &layout(), None).to_xml();
        assert!(x.contains(r#"w:hanging="1280""#), "{x}");
    }

    #[test]
    fn a_kept_tail_is_a_paragraph_of_its_own_kept_with_the_next() {
        let mut p = para(
            Element::Body,
            vec![
                span(Element::Heading3, "1."),
                span(Element::Body, "甲乙丙丁戊己庚辛"),
            ],
        );
        p.keep_with_next = true;
        p.kept_tail = Some(6);
        let ps: Vec<String> = paragraphs(&p, &layout(), None)
            .iter()
            .map(El::to_xml)
            .collect();
        assert_eq!(ps.len(), 2);
        assert!(
            !ps[0].contains("w:keepNext />") && ps[0].contains(">甲乙丙丁<"),
            "{}",
            ps[0]
        );
        assert!(ps[0].contains(">1.<"), "{}", ps[0]);
        assert!(ps[1].contains("<w:keepNext />") && ps[1].contains("<w:keepLines />"));
        assert!(
            ps[1].contains(r#"w:firstLine="0""#) && ps[1].contains(">戊己庚辛<"),
            "{}",
            ps[1]
        );
        // 7.3.5.5: a tightened page's pitch, exactly, off the grid
        p.kept_tail = None;
        p.pitch = Some(27.65);
        let x = paragraph(&p, &layout(), None).to_xml();
        assert!(x.contains(r#"<w:snapToGrid w:val="0" />"#), "{x}");
        assert!(x.contains(r#"w:line="553" w:lineRule="exact""#), "{x}");
    }
}
