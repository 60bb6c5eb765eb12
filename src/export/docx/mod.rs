//! DOCX: `Document` + layout → an editable Word file, built with docx-rs.
//!
//! Word and WPS lay text out themselves, so the DOCX is built from the model, not from pages:
//! one named paragraph style per element (carrying the office font names from the layout in
//! `w:eastAsia`, exact line spacing and the two-character indent), page setup and a line grid so
//! Word and LibreOffice show 22 lines × 28 characters, and odd/even footers with a PAGE field
//! shown as `— N —`. What docx-rs cannot write is patched into its XML by [`patch`].

pub mod embed;
pub mod furniture;
pub mod patch;
pub mod xml;

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType,
};

use crate::error::Error;
use crate::layout::{closing_indents, hanging_indents, space_before};
use crate::model::{Document, Element};
use crate::spec::{Align, Layout, PT_PER_MM, Placement};

/// The style id and the name Word knows it by. Word maps built-in names (`heading 1`, `Title`,
/// `Signature` …) to its own styles, so outline levels, the navigation pane and the style gallery
/// work as users expect; GB/T elements Word has no style for get Chinese names.
pub fn style_of(e: Element) -> (&'static str, &'static str) {
    match e {
        Element::Title => ("Title", "Title"),
        Element::Byline => ("Subtitle", "Subtitle"),
        Element::DocNumber => ("DocNumber", "发文字号"),
        Element::Addressee => ("Salutation", "Salutation"),
        Element::Body => ("BodyText", "Body Text"),
        Element::Heading1 => ("Heading1", "heading 1"),
        Element::Heading2 => ("Heading2", "heading 2"),
        Element::Heading3 => ("Heading3", "heading 3"),
        Element::Heading4 => ("Heading4", "heading 4"),
        Element::Attachment => ("Attachment", "附件说明"),
        Element::Signature => ("Signature", "Signature"),
        Element::Date => ("Date", "Date"),
        Element::Note => ("Note", "附注"),
        Element::CopyNo => ("CopyNo", "份号"),
        Element::Secrecy => ("Secrecy", "密级和保密期限"),
        Element::Urgency => ("Urgency", "紧急程度"),
        Element::Masthead => ("Masthead", "发文机关标志"),
        Element::Signer => ("Signer", "签发人"),
        Element::Cc => ("Cc", "抄送"),
        Element::Printer => ("Printer", "印发"),
        Element::AttachmentLabel => ("AttachmentLabel", "附件标识"),
        Element::AttachmentTitle => ("AttachmentTitle", "附件标题"),
        Element::Attendance => ("Attendance", "出席人员"),
        Element::AttendanceLabel => ("AttendanceLabel", "出席标签"),
        Element::Table => ("TableText", "表格文字"),
    }
}

/// Points to twentieths of a point (twips), the unit of most DOCX lengths.
pub fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Build the DOCX bytes of a document. Word lays the text out itself; only where the format
/// pins something to the foot of a page (the 版记) does the DOCX take the page and line the PDF
/// layout chose from `paged`.
pub fn write(
    doc: &Document,
    layout: &Layout,
    paged: &crate::page::Paged,
) -> Result<Vec<u8>, Error> {
    let mut docx = Docx::new();
    docx = page_setup(docx, layout);
    for e in Element::ALL {
        docx = docx.add_style(element_style(e, layout));
    }
    docx = footers(docx, layout);
    let pitch = twips(layout.grid.line_pitch_pt) as u32;
    let mut title_before = None;
    if let Some(mh) = &doc.masthead {
        let (paras, gap) = furniture::masthead(mh, layout);
        for p in paras {
            docx = docx.add_paragraph(p);
        }
        title_before = Some(gap);
    }
    for p in paragraphs(&doc.blocks, doc, layout, pitch, title_before) {
        docx = add(docx, p);
    }
    for page in &doc.attachments {
        for p in furniture::attachment_head(page, layout) {
            docx = docx.add_paragraph(p);
        }
        for p in paragraphs(&page.blocks, doc, layout, pitch, None) {
            docx = add(docx, p);
        }
    }
    if let Some(c) = &doc.colophon {
        for p in furniture::colophon(c, layout, paged.colophon_breaks, paged.colophon_gap) {
            docx = docx.add_paragraph(p);
        }
    }
    let mut xml = docx.build();
    patch::apply(&mut xml, layout);
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| Error::msg(format!("failed to write the DOCX ({e})")))?;
    Ok(buf.into_inner())
}

/// The paragraphs of a run of blocks (the main part, or an attachment page's body).
fn paragraphs(
    blocks: &[crate::model::Block],
    doc: &Document,
    layout: &Layout,
    pitch: u32,
    title_before: Option<u32>,
) -> Vec<Part> {
    let (sig_left, date_left) = closing_indents(doc, layout);
    let cell = layout.cell();
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if block.element == Element::Table {
            out.push(Part::Table(furniture::table(block, layout)));
            continue;
        }
        let (id, _) = style_of(block.element);
        let mut p = Paragraph::new().style(id);
        if block.element == Element::Title {
            if let Some(before) = title_before {
                p = p.line_spacing(LineSpacing::new().before(before));
            }
        }
        let next = blocks.get(i + 1).map(|b| b.element);
        let before = space_before(block, doc, layout);
        if before != layout.element(block.element).space_before_lines {
            p = p.line_spacing(LineSpacing::new().before(before * pitch));
        }
        // The title's blank line comes after the byline that belongs to it (as in the PDF).
        if block.element == Element::Title && next == Some(Element::Byline) {
            p = p.line_spacing(LineSpacing::new().after(0));
        } else if block.element == Element::Byline && next != Some(Element::Byline) {
            let after = layout.element(Element::Title).space_after_lines;
            p = p.line_spacing(LineSpacing::new().after(after * pitch));
        }
        match block.element {
            Element::Signature => {
                p = p
                    .indent(Some(twips(sig_left * cell)), None, Some(0), None)
                    .keep_next(true)
            }
            Element::Date => p = p.indent(Some(twips(date_left * cell)), None, Some(0), None),
            Element::Attachment | Element::Attendance => {
                let spec = layout.element(block.element);
                let one = layout.char_width(spec.size_pt);
                let (more, first) = hanging_indents(block);
                let hanging = SpecialIndentType::Hanging(twips(-first * one));
                p = p.indent(
                    Some(twips((spec.left_chars + more) * one)),
                    Some(hanging),
                    Some(0),
                    None,
                );
            }
            // As in the PDF: a whole heading may be kept with the next paragraph; a run-in
            // heading is a paragraph like any other. The 署名 keeps with the date (7.3.5.5).
            e if layout.element(e).keep_with_next && block.spans.len() == 1 => {
                p = p.keep_next(true)
            }
            _ => {}
        }
        for span in &block.spans {
            // A `\n` (a title's explicit line break) becomes a line break in Word.
            for (k, part) in span.text.split('\n').enumerate() {
                let mut run = Run::new();
                if k > 0 {
                    run = run.add_break(BreakType::TextWrapping);
                }
                run = run.add_text(part);
                if span.element != block.element {
                    // A run-in heading's body sentence takes the body face (7.3.3).
                    let spec = layout.element(span.element);
                    run = run
                        .fonts(fonts(&layout.faces[&spec.face].office))
                        .size(half_points(spec.size_pt));
                }
                p = p.add_run(run);
            }
        }
        out.push(Part::Paragraph(p));
    }
    out
}

/// A body part: a paragraph or a table.
pub enum Part {
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table.
    Table(docx_rs::Table),
}

fn add(docx: Docx, part: Part) -> Docx {
    match part {
        Part::Paragraph(p) => docx.add_paragraph(p),
        Part::Table(t) => docx.add_table(t),
    }
}

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
}

/// A4, margins from the layout (5.2.2), the body face as the document default.
fn page_setup(docx: Docx, layout: &Layout) -> Docx {
    let p = &layout.page;
    let mm = |v: f32| twips(v * PT_PER_MM);
    let right = p.width_mm - p.left_mm - p.body_width_mm;
    let bottom = p.height_mm - p.top_mm - p.body_height_mm;
    let body = layout.element(Element::Body);
    docx.page_size(mm(p.width_mm) as u32, mm(p.height_mm) as u32)
        .page_margin(
            PageMargin::new()
                .top(mm(p.top_mm))
                .left(mm(p.left_mm))
                .right(mm(right))
                .bottom(mm(bottom))
                .header(mm(15.0))
                .footer(footer_distance(layout))
                .gutter(0),
        )
        .default_size(half_points(body.size_pt))
        .default_fonts(fonts(&layout.faces[&body.face].office))
}

/// Distance from the paper's bottom edge to the bottom of the page-number line, so that the
/// middle of the `— N —` line sits `below_body_mm` under the body area (7.5). The footer line
/// is one exact page-number size high.
fn footer_distance(layout: &Layout) -> i32 {
    let pn = &layout.page_number;
    let mid_from_top = layout.body_top() + layout.body_height() + pn.below_body_mm * PT_PER_MM;
    twips(layout.page_height() - mid_from_top - pn.size_pt / 2.0)
}

/// The paragraph style of an element.
fn element_style(e: Element, layout: &Layout) -> Style {
    let spec = layout.element(e);
    let (id, name) = style_of(e);
    let one = layout.char_width(spec.size_pt);
    let pitch = twips(layout.grid.line_pitch_pt);
    let mut style = Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("BodyText")
        .q_format(true)
        .fonts(fonts(&layout.faces[&spec.face].office))
        .size(half_points(spec.size_pt))
        .color(spec.colour.clone())
        .align(match spec.align {
            Align::Left => AlignmentType::Left,
            Align::Right => AlignmentType::Right,
            Align::Center => AlignmentType::Center,
            Align::Justify => AlignmentType::Both,
        })
        .line_spacing(
            LineSpacing::new()
                .line(pitch)
                .line_rule(LineSpacingType::Exact)
                .before((spec.space_before_lines as i32 * pitch) as u32)
                .after((spec.space_after_lines as i32 * pitch) as u32),
        )
        .indent(
            Some(twips(spec.left_chars * one)),
            Some(SpecialIndentType::FirstLine(twips(
                spec.first_line_chars * one,
            ))),
            Some(twips(spec.right_chars * one)),
            None,
        );
    if let Some(level) = e.level() {
        style = style.outline_lvl(level as usize - 1);
    }
    if e == Element::Masthead {
        // The 标志 is placed by its own exact line height, not on the line grid (7.2.5).
        style = style.snap_to_grid(false);
    }
    style
}

/// Odd and even footers: `— PAGE —` in the page-number face, odd right and even left, one
/// character in (7.5), or centred when the layout says so.
fn footers(docx: Docx, layout: &Layout) -> Docx {
    let pn = &layout.page_number;
    let inset = twips(pn.inset_chars * pn.size_pt);
    let footer = |odd: bool| {
        let (align, left, right) = match (pn.placement, odd) {
            (Placement::Center, _) => (AlignmentType::Center, 0, 0),
            (Placement::Outside, true) => (AlignmentType::Right, 0, inset),
            (Placement::Outside, false) => (AlignmentType::Left, inset, 0),
        };
        let f = fonts(&layout.faces[&pn.face].office);
        let sz = half_points(pn.size_pt);
        let run = |t: &str| Run::new().add_text(t).fonts(f.clone()).size(sz);
        let p = Paragraph::new()
            .style("Footer")
            .align(align)
            .indent(
                Some(left),
                Some(SpecialIndentType::FirstLine(0)),
                Some(right),
                None,
            )
            .line_spacing(
                LineSpacing::new()
                    .line(twips(pn.size_pt))
                    .line_rule(LineSpacingType::Exact),
            )
            .add_run(run(&format!("{} ", pn.dash)))
            .add_run(
                Run::new()
                    .fonts(f.clone())
                    .size(sz)
                    .add_field_char(FieldCharType::Begin, false),
            )
            .add_run(
                Run::new()
                    .fonts(f.clone())
                    .size(sz)
                    .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
            )
            .add_run(
                Run::new()
                    .fonts(f.clone())
                    .size(sz)
                    .add_field_char(FieldCharType::Separate, false),
            )
            .add_run(run("1"))
            .add_run(
                Run::new()
                    .fonts(f.clone())
                    .size(sz)
                    .add_field_char(FieldCharType::End, false),
            )
            .add_run(run(&format!(" {}", pn.dash)));
        Footer::new().add_paragraph(p)
    };
    let footer_style = Style::new("Footer", StyleType::Paragraph)
        .name("footer")
        .based_on("Normal");
    let docx = docx
        .add_style(footer_style)
        .footer(footer(true))
        .even_footer(footer(false));
    if pn.first_page {
        docx
    } else {
        // 信函 (10.1): page 1 shows no number — an empty first-page footer.
        docx.first_footer(Footer::new())
    }
}

/// The faces a document sets, each with its characters and the font that serves it, for
/// `--embed-fonts`: so the DOCX shows the same faces on a machine without the office fonts.
pub fn faces_used(
    doc: &Document,
    layout: &Layout,
    fonts: &crate::fonts::FontBook,
) -> Vec<embed::EmbeddedFont> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut chars: BTreeMap<&str, BTreeSet<char>> = BTreeMap::new();
    let mut add = |e: Element, text: &str| {
        chars
            .entry(layout.element(e).face.as_str())
            .or_default()
            .extend(text.chars().filter(|c| *c != '\n'));
    };
    let blocks = doc
        .blocks
        .iter()
        .chain(doc.attachments.iter().flat_map(|a| a.blocks.iter()));
    for b in blocks {
        for s in &b.spans {
            add(s.element, &s.text);
        }
    }
    for a in &doc.attachments {
        add(Element::AttachmentLabel, &format!("附件{}", a.number));
        add(Element::AttachmentTitle, &a.title);
    }
    if let Some(mh) = &doc.masthead {
        for (t, e) in [
            (&mh.copy_no, Element::CopyNo),
            (&mh.secrecy, Element::Secrecy),
            (&mh.urgency, Element::Urgency),
        ] {
            add(e, t.as_deref().unwrap_or(""));
        }
        add(Element::Masthead, &(mh.issuers.concat() + &mh.suffix));
        add(
            Element::DocNumber,
            &format!("{}签发人：", mh.doc_number.as_deref().unwrap_or("")),
        );
        add(Element::Signer, mh.signers.as_deref().unwrap_or(""));
    }
    if let Some(c) = &doc.colophon {
        add(
            Element::Cc,
            &format!("抄送：{}", c.cc.as_deref().unwrap_or("")),
        );
        add(
            Element::Printer,
            &format!(
                "{}{}印发",
                c.printer.as_deref().unwrap_or(""),
                c.print_date.as_deref().unwrap_or("")
            ),
        );
    }
    let pn = &layout.page_number;
    chars
        .entry(pn.face.as_str())
        .or_default()
        .extend(format!("{} 0123456789", pn.dash).chars());
    // One entry per office name (two face keys may name the same font).
    let mut by_name: BTreeMap<String, embed::EmbeddedFont> = BTreeMap::new();
    for (face, set) in chars {
        if set.is_empty() {
            continue;
        }
        let font = fonts.font(fonts.face(face).fonts[0]);
        let name = layout.faces[face].office.clone();
        by_name
            .entry(name.clone())
            .or_insert_with(|| embed::EmbeddedFont {
                name,
                data: font.data,
                index: font.index,
                chars: Default::default(),
            })
            .chars
            .extend(set);
    }
    by_name.into_values().collect()
}
