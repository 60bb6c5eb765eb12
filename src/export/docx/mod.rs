//! DOCX: the [`Plan`] + layout → an editable Word file, written with our own OOXML writer.
//!
//! Word and WPS lay text out themselves, so the DOCX says what the plan decided and lets them
//! paginate: one named paragraph style per element (office font names in `w:eastAsia`, exact
//! line spacing of the grid pitch, the two-character indent), Normal as the body on the grid, page
//! setup with a line grid so Word and LibreOffice show 22 lines × 28 characters, odd/even footers
//! with a PAGE field shown as `— N —`; the 版头 on its planned grid lines with its rules anchored
//! to the page, and the 版记 in a text box anchored to the foot of the body area that grows with
//! its text. Nothing here depends on the PDF's pagination; the one page decision written (the
//! 版记 on the next even page, double-sided, 7.4) is a section that starts on an even page.
//!
//! Files: [`ooxml`] (element builder in schema order, package, zip), [`styles`] (styles,
//! settings, font table, footers), [`body`] (paragraphs and tables), [`furniture`] (版头),
//! [`colophon`] (版记),
//! [`drawing`] (anchored shapes), [`landscape`] (a 横排表格's landscape section, GB/T 9704 8),
//! [`embed`] (font embedding).

pub mod body;
pub mod colophon;
pub mod drawing;
pub mod embed;
pub mod furniture;
pub mod landscape;
pub mod ooxml;
pub mod styles;

use std::path::Path;

use crate::error::Error;
use crate::export::Compress;
use crate::model::Element;
use crate::plan::{Block, Plan};
use crate::spec::{LayoutSpec, PT_PER_MM};
use embed::FontPart;
use ooxml::{El, Package, Rel, ns};

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
        Element::Subtitle => ("ReportSubtitle", "副标题"),
        Element::Speaker => ("Speaker", "讲话人"),
        Element::Salutation => ("Greeting", "称谓"),
        Element::EnclosedTitle => ("EnclosedTitle", "附文标题"),
        Element::SignerPost => ("SignerPost", "签发人职务"),
        Element::Chapter => ("Chapter", "章标题"),
        Element::Section => ("Section", "节标题"),
        Element::Article => ("Article", "条"),
        Element::ContentsTitle => ("TOCHeading", "TOC Heading"),
        Element::Contents => ("Contents", "目录"),
    }
}

/// Points to twentieths of a point (twips), the unit of most DOCX lengths.
pub fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Points to half-points, the unit of `w:sz`.
pub fn half_points(pt: f32) -> i32 {
    (pt * 2.0).round() as i32
}

/// Build the DOCX bytes of a plan. `fonts`: faces to embed (ECMA-376 Part 1, 17.8.1);
/// `compress`: how its zip entries are deflated.
pub fn write(
    plan: &Plan,
    layout: &LayoutSpec,
    fonts: &[FontPart],
    compress: Compress,
) -> Result<Vec<u8>, Error> {
    ooxml::zip(&parts(plan, layout, fonts), compress)
}

const DOC: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// The package's parts, name → bytes, `[Content_Types].xml` first, before zipping.
pub fn parts(plan: &Plan, layout: &LayoutSpec, fonts: &[FontPart]) -> Vec<(String, Vec<u8>)> {
    let mut pkg = Package::default();
    let rel = |id: &str, kind: &str, target: &str| Rel {
        id: id.into(),
        kind: format!("{}/{kind}", ns::REL),
        target: target.into(),
    };
    pkg.rels(
        "",
        &[
            rel("rId1", "officeDocument", "word/document.xml"),
            Rel {
                id: "rId2".into(),
                kind: "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(),
                target: "docProps/core.xml".into(),
            },
            rel("rId3", "extended-properties", "docProps/app.xml"),
            rel("rId4", "custom-properties", "docProps/custom.xml"),
        ],
    );
    // Footers: odd (default) and even pages (7.5); an empty one for a 信函's page 1 (10.1).
    let empty = !layout.page_number.first_page;
    let mut doc_rels = vec![
        rel("rId1", "styles", "styles.xml"),
        rel("rId2", "settings", "settings.xml"),
        rel("rId3", "fontTable", "fontTable.xml"),
        rel("rId4", "footer", "footer1.xml"),
        rel("rId5", "footer", "footer2.xml"),
    ];
    if empty {
        doc_rels.push(rel("rId6", "footer", "footer3.xml"));
    }
    // A 横排表格's landscape section has footers of its own: the page number turned (8).
    let turned = crate::plan::paginate::landscape_blocks(&plan.blocks)
        .iter()
        .any(|t| *t);
    if turned {
        let (odd, even) = landscape::FOOTERS;
        let (odd_part, even_part) = landscape::FOOTER_PARTS;
        doc_rels.push(rel(odd, "footer", odd_part));
        doc_rels.push(rel(even, "footer", even_part));
    }
    // The 版记's section has footers of its own (numbered, or empty after a blank page).
    let colophon_footers = match plan.colophon.as_ref().filter(|c| own_section(c)) {
        Some(c) => colophon::footers(layout, !unnumbered(c), footer_room(layout)),
        None => vec![],
    };
    for (id, part, _) in &colophon_footers {
        doc_rels.push(rel(id, "footer", part));
    }
    pkg.part(
        "word/document.xml",
        Some(&format!("{DOC}.document.main+xml")),
        document(plan, layout),
    );
    pkg.rels("word/document.xml", &doc_rels);
    pkg.part(
        "word/styles.xml",
        Some(&format!("{DOC}.styles+xml")),
        styles::styles_part(layout).to_vec(),
    );
    pkg.part(
        "word/settings.xml",
        Some(&format!("{DOC}.settings+xml")),
        styles::settings(!fonts.is_empty()).to_part(),
    );
    let font_ids: Vec<String> = (1..=fonts.len()).map(|k| format!("rId{k}")).collect();
    pkg.part(
        "word/fontTable.xml",
        Some(&format!("{DOC}.fontTable+xml")),
        styles::font_table(layout, fonts, &font_ids).to_part(),
    );
    if !fonts.is_empty() {
        let rels: Vec<Rel> = fonts
            .iter()
            .zip(&font_ids)
            .map(|(f, id)| rel(id, "font", &format!("fonts/{}", f.file_name)))
            .collect();
        pkg.rels("word/fontTable.xml", &rels);
        pkg.default_type("odttf", embed::OBFUSCATED_FONT);
        for f in fonts {
            pkg.part(
                &format!("word/fonts/{}", f.file_name),
                None,
                f.bytes.clone(),
            );
        }
    }
    let footer_type = Some(format!("{DOC}.footer+xml"));
    pkg.part(
        "word/footer1.xml",
        footer_type.as_deref(),
        styles::footer(layout, true).to_part(),
    );
    pkg.part(
        "word/footer2.xml",
        footer_type.as_deref(),
        styles::footer(layout, false).to_part(),
    );
    if empty {
        pkg.part(
            "word/footer3.xml",
            footer_type.as_deref(),
            styles::empty_footer().to_part(),
        );
    }
    for (_, part, footer) in &colophon_footers {
        pkg.part(
            &format!("word/{part}"),
            footer_type.as_deref(),
            footer.to_part(),
        );
    }
    if turned {
        let (odd, even) = landscape::FOOTER_PARTS;
        // Shape ids apart from the body's (`wp:docPr` ids are unique in the document).
        for (part, is_odd, id) in [(odd, true, 90_001), (even, false, 90_002)] {
            pkg.part(
                &format!("word/{part}"),
                footer_type.as_deref(),
                landscape::footer(layout, is_odd, id).to_part(),
            );
        }
    }
    pkg.part(
        "docProps/core.xml",
        Some("application/vnd.openxmlformats-package.core-properties+xml"),
        core(plan).to_part(),
    );
    pkg.part(
        "docProps/app.xml",
        Some("application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        El::new("Properties")
            .attr(
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            )
            .child(El::new("Application").text("gongwen"))
            .to_part(),
    );
    pkg.part(
        "docProps/custom.xml",
        Some("application/vnd.openxmlformats-officedocument.custom-properties+xml"),
        custom(layout).to_part(),
    );
    pkg.into_parts()
}

/// The custom property a DOCX read back uses to find its layout again ([`LAYOUT_PROPERTY`]): the
/// layout file's name without `.toml` (no folder), so `gongwen render edited.docx` of a 信函 or a
/// 纪要 keeps its format without `--layout` (the reader takes only a bundled layout's name).
fn custom(layout: &LayoutSpec) -> El {
    let name = Path::new(&layout.source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    El::new("Properties")
        .attr(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        )
        .attr(
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        )
        .child(
            El::new("property")
                // The format id every custom document property carries (ECMA-376 Part 1, 22.3).
                .attr("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
                .attr("pid", 2)
                .attr("name", LAYOUT_PROPERTY)
                .child(El::new("vt:lpwstr").text(&name)),
        )
}

/// The name of the custom document property that holds the layout a DOCX was made with.
pub const LAYOUT_PROPERTY: &str = "gongwen.layout";

/// `docProps/core.xml`: title, creator and the 成文日期 as the dates (a fixed date without
/// one), so the same input gives the same bytes.
fn core(plan: &Plan) -> El {
    let date = format!("{}T00:00:00Z", plan.date.as_deref().unwrap_or("1980-01-01"));
    let stamp = |name: &str| El::new(name).attr("xsi:type", "dcterms:W3CDTF").text(&date);
    El::new("cp:coreProperties")
        .attr(
            "xmlns:cp",
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        )
        .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .attr("xmlns:dcterms", "http://purl.org/dc/terms/")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .child(El::new("dc:title").text(&plan.title))
        .child(El::new("dc:creator").text(&plan.creator))
        .child(stamp("dcterms:created"))
        .child(stamp("dcterms:modified"))
}

/// `document.xml`: the 版头, the blocks, the 版记, the section(s). Written as it is made, each
/// block's XML as soon as the block is built: a tree of the whole body held 2 KB a paragraph
/// (530 MB for 1 MB of one-character lines, issue 19), the text it makes 100 bytes.
fn document(plan: &Plan, layout: &LayoutSpec) -> Vec<u8> {
    let mut root = El::new("w:document")
        .attr("xmlns:w", ns::W)
        .attr("xmlns:r", ns::R)
        .attr("xmlns:wp", ns::WP)
        .attr("xmlns:a", ns::A)
        .attr("xmlns:wps", ns::WPS);
    for (k, v) in drawing::VML_NS {
        root.set(k, v);
    }
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    root.write_open(&mut out);
    out.push_str("<w:body>");
    let mut ids = 0;
    // Blocks held back until the 版头's page-anchored shapes have found their paragraph.
    let mut held: Vec<El> = Vec::new();
    let mut anchors = Vec::new();
    let mut next_before = None;
    if let Some(h) = &plan.masthead {
        let parts = furniture::masthead(h, layout, &mut ids);
        held.extend(parts.paragraphs);
        anchors = parts.anchors;
        // The title starts on the plan's grid line under the rule (7.3.1).
        let pitch = twips(layout.grid.line_pitch_pt);
        next_before = Some((h.title_line as i32 * pitch - parts.end).max(0));
    }
    let put = |e: El, held: &mut Vec<El>, anchors: &mut Vec<El>, out: &mut String| {
        held.push(e);
        if !anchors.is_empty() {
            // Page-anchored shapes (a 信函's 标志 and rules) ride in the first paragraph (page
            // 1); a 文件's red rule rides in its 发文字号's paragraph (`furniture::masthead`).
            match held.iter_mut().find(|p| p.name() == "w:p") {
                Some(p) => anchors.drain(..).for_each(|a| p.push(a)),
                None => return,
            }
        }
        held.drain(..).for_each(|e| e.write(out));
    };
    // Space after the last table that puts the next paragraph back on the grid (the plan's).
    let mut after_table = None;
    // Blocks on landscape pages (a 横排表格 and its caption, GB/T 9704 8) are a section of their
    // own: the portrait section before them ends in their last paragraph before (or a paragraph
    // one point high after a table), theirs in a paragraph one point high after them.
    let turned = crate::plan::paginate::landscape_blocks(&plan.blocks);
    let mut first_section = true;
    // The 版记 on a page of its own starts a section: the body's ends in its last paragraph.
    let colophon_section = plan.colophon.as_ref().filter(|c| own_section(c));
    let mut body_ended = false;
    for (i, block) in plan.blocks.iter().enumerate() {
        let opens = !turned[i] && turned.get(i + 1) == Some(&true);
        let closes = turned[i] && turned.get(i + 1) != Some(&true);
        let e = match block {
            Block::Para(p) => {
                let before = next_before.take().or(after_table
                    .take()
                    .map(|gap| p.space_before as i32 * twips(layout.grid.line_pitch_pt) + gap));
                // (two paragraphs where the plan keeps only a paragraph's last lines)
                let mut ps = body::paragraphs(p, layout, before);
                let last = ps.pop().expect("a paragraph writes at least one w:p");
                for e in ps {
                    put(e, &mut held, &mut anchors, &mut out);
                }
                let mut e = last;
                if opens {
                    e.ensure("w:pPr").push(sect_pr(layout, first_section));
                    first_section = false;
                }
                if colophon_section.is_some() && i + 1 == plan.blocks.len() && !turned[i] {
                    e.ensure("w:pPr").push(sect_pr(layout, first_section));
                    first_section = false;
                    body_ended = true;
                }
                e
            }
            // Nothing held back: the table is written a row at a time.
            Block::Table(t) if held.is_empty() => {
                body::write_table(t, layout, &mut out);
                after_table = (t.snap_after > 0.0).then(|| twips(t.snap_after));
                if closes {
                    landscape::section_end(landscape::sect_pr(layout)).write(&mut out);
                }
                if opens {
                    landscape::section_end(sect_pr(layout, first_section)).write(&mut out);
                    first_section = false;
                }
                continue;
            }
            Block::Table(t) => {
                after_table = (t.snap_after > 0.0).then(|| twips(t.snap_after));
                body::table(t, layout)
            }
        };
        put(e, &mut held, &mut anchors, &mut out);
        if closes {
            let end = landscape::section_end(landscape::sect_pr(layout));
            put(end, &mut held, &mut anchors, &mut out);
        }
        if opens && matches!(block, Block::Table(_)) {
            let end = landscape::section_end(sect_pr(layout, first_section));
            put(end, &mut held, &mut anchors, &mut out);
            first_section = false;
        }
    }
    if !anchors.is_empty() {
        // No paragraph at all: the shapes get one of their own, first.
        held.insert(0, anchors.drain(..).fold(El::new("w:p"), El::child));
    }
    held.drain(..).for_each(|e| e.write(&mut out));
    let colophon = plan.colophon.as_ref().and_then(|c| {
        ids += 1;
        colophon::colophon(c, layout, ids)
    });
    let last = match colophon_section {
        Some(c) => {
            // The 版记 takes a page of its own, the next even one (7.4, double-sided): a section
            // of type `evenPage` (17.6.22, 17.18.77), so Word and LibreOffice add the blank page
            // before it themselves when the body ends on an even page, and drop it when an edit
            // makes the body end on an odd one; no page break or blank page counted from our
            // pagination goes stale. Its text box stays anchored to the margin's foot.
            if !body_ended {
                // The body ended in a table or a landscape section: a 1 pt paragraph ends it.
                let portrait = !turned.last().copied().unwrap_or(false);
                if portrait || plan.blocks.is_empty() {
                    landscape::section_end(sect_pr(layout, first_section)).write(&mut out);
                    first_section = false;
                }
            }
            colophon.into_iter().for_each(|p| p.write(&mut out));
            let ids = colophon::footer_ids(!unnumbered(c));
            let mut s = sect_pr_with(layout, first_section, ids);
            s.push(El::val("w:type", "evenPage"));
            s
        }
        None => {
            colophon.into_iter().for_each(|p| p.write(&mut out));
            sect_pr(layout, first_section)
        }
    };
    last.write(&mut out);
    out.push_str("</w:body>");
    root.write_close(&mut out);
    out.into_bytes()
}

/// Whether the 版记 starts a section of its own: it takes a page of its own and is printed
/// double-sided (the next even page). One-sided, its text box finds the next page by itself when
/// the body leaves no room, so nothing is written for it.
fn own_section(c: &crate::plan::ColophonPlan) -> bool {
    c.own_page && c.even_page
}

/// Whether the 版记's page carries no number: a blank page comes before it (7.5). Its section's
/// footers are then empty (LibreOffice and Word print the blank page they insert without any).
fn unnumbered(c: &crate::plan::ColophonPlan) -> bool {
    own_section(c) && c.blank_page
}

/// A section: A4 and margins (5.2.2), footers (7.5), the line grid (5.2.3). `first`: the
/// section holds page 1 (a 信函's page 1 shows no number; a later section's first page does).
fn sect_pr(layout: &LayoutSpec, first: bool) -> El {
    sect_pr_with(layout, first, ("rId4", "rId5"))
}

/// [`sect_pr`] with other footers: the relationship ids of its odd (default) and even ones.
fn sect_pr_with(layout: &LayoutSpec, first: bool, footers: (&str, &str)) -> El {
    let p = &layout.page;
    let mm = |v: f32| twips(v * PT_PER_MM);
    let footer = |kind: &str, id: &str| {
        El::new("w:footerReference")
            .attr("w:type", kind)
            .attr("r:id", id)
    };
    let mut s = El::new("w:sectPr");
    s.push(footer("default", footers.0));
    s.push(footer("even", footers.1));
    if first && !layout.page_number.first_page {
        // 信函 (10.1): page 1 shows no number.
        s.push(footer("first", "rId6"));
        s.push(El::new("w:titlePg"));
    }
    s.push(
        El::new("w:pgSz")
            .attr("w:w", mm(p.width_mm))
            .attr("w:h", mm(p.height_mm)),
    );
    s.push(
        El::new("w:pgMar")
            .attr("w:top", mm(p.top_mm))
            .attr("w:right", mm(p.width_mm - p.left_mm - p.body_width_mm))
            .attr("w:bottom", mm(p.height_mm - p.top_mm - p.body_height_mm))
            .attr("w:left", mm(p.left_mm))
            .attr("w:header", mm(15.0))
            .attr("w:footer", footer_distance(layout))
            .attr("w:gutter", 0),
    );
    s.push(El::new("w:cols").attr("w:space", 425));
    // `lines`: Word snaps every line to the pitch (5.2.3: 22 lines). The 28 characters come from
    // the −0.25 pt run spacing in the styles (`styles::grid_spacing`), not from `linesAndChars`
    // with a `w:charSpace`, which LibreOffice 7.4 lays out at 14–18 characters a line
    // (GBT9704.md, "character pitch").
    s.push(
        El::new("w:docGrid")
            .attr("w:type", "lines")
            .attr("w:linePitch", twips(layout.grid.line_pitch_pt)),
    );
    s
}

/// Twips between the body area's bottom edge and the footer's (its distance from the paper's
/// edge): the room the bottom margin leaves for the page-number line.
fn footer_room(layout: &LayoutSpec) -> i32 {
    let p = &layout.page;
    twips((p.height_mm - p.top_mm - p.body_height_mm) * PT_PER_MM) - footer_distance(layout)
}

/// Distance from the paper's bottom edge to the bottom of the page-number line, so that the
/// middle of the `— N —` line sits `below_body_mm` under the body area (7.5). The footer line
/// is one exact page-number size high.
fn footer_distance(layout: &LayoutSpec) -> i32 {
    let pn = &layout.page_number;
    let mid_from_top = layout.body_top() + layout.body_height() + pn.below_body_mm * PT_PER_MM;
    twips(layout.page_height() - mid_from_top - pn.size_pt / 2.0)
}

/// The faces a plan sets, each with its characters and the font that serves it, for
/// `--embed-fonts`: so the DOCX shows the same faces on a machine without the office fonts.
pub fn faces_used(
    plan: &Plan,
    layout: &LayoutSpec,
    fonts: &crate::fonts::FontBook,
) -> Vec<embed::EmbeddedFont> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut chars: BTreeMap<&str, BTreeSet<char>> = BTreeMap::new();
    let mut add = |e: Element, text: &str| {
        chars
            .entry(layout.element(e).face.as_str())
            .or_default()
            .extend(text.chars().filter(|c| !c.is_control()));
    };
    for block in &plan.blocks {
        match block {
            Block::Para(p) => p.spans.iter().for_each(|s| add(s.element, &s.text)),
            Block::Table(t) => t.rows.iter().flatten().for_each(|c| add(Element::Table, c)),
        }
    }
    if let Some(h) = &plan.masthead {
        for f in &h.fields {
            add(f.role, &f.text);
        }
        if let Some(m) = &h.issuer_mark {
            add(Element::Masthead, &(m.issuers.concat() + &m.suffix));
        }
        if let Some(n) = &h.doc_number {
            add(Element::DocNumber, &n.text);
            if let Some((label, names)) = &n.signer {
                add(Element::DocNumber, label);
                add(Element::Signer, names);
            }
        }
    }
    if let Some(c) = &plan.colophon {
        add(
            Element::Cc,
            &format!("{}{}", c.cc_label, c.cc.as_deref().unwrap_or("")),
        );
        add(
            Element::Printer,
            &format!(
                "{}{}",
                c.printer.as_deref().unwrap_or(""),
                c.printed.as_deref().unwrap_or("")
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
                data: font.data.clone(),
                index: font.index,
                chars: Default::default(),
            })
            .chars
            .extend(set);
    }
    by_name.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::ColophonPlan;

    fn layout() -> LayoutSpec {
        LayoutSpec::load("gbt9704").unwrap()
    }

    fn plan_with_colophon(own_page: bool) -> Plan {
        Plan {
            title: "关于开展检查的通知".into(),
            source: "t.txt".into(),
            creator: "青山县人民政府".into(),
            date: Some("2023-07-01".into()),
            masthead: None,
            blocks: vec![],
            colophon: Some(ColophonPlan {
                cc_label: "抄送：".into(),
                cc: Some("县委办公室。".into()),
                printer: Some("青山县人民政府办公室".into()),
                printed: Some("2023年7月1日印发".into()),
                printer_line: true,
                size: 14.0,
                inset: 14.0,
                label_width: 42.0,
                cc_lines: 1,
                rules: Some((0.99, 0.71)),
                even_page: true,
                own_page,
                blank_page: false,
            }),
        }
    }

    fn part(parts: &[(String, Vec<u8>)], name: &str) -> String {
        let (_, b) = parts.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(b.clone()).unwrap()
    }

    #[test]
    fn styles_are_made_once_per_layout_and_follow_an_edit() {
        let l = layout();
        let first = styles::styles_part(&l);
        assert_eq!(&first[..], &styles::styles(&l).to_part()[..]);
        assert!(std::sync::Arc::ptr_eq(
            &first,
            &styles::styles_part(&l.clone())
        ));
        // An edited layout (another body size) gets its own styles, not the cached ones.
        let mut edited = l.clone();
        edited.elements.get_mut("body").unwrap().size_pt = 15.0;
        let other = styles::styles_part(&edited);
        assert_ne!(&first[..], &other[..]);
        assert_eq!(&other[..], &styles::styles(&edited).to_part()[..]);
    }

    #[test]
    fn the_same_plan_gives_the_same_bytes_and_core_properties_from_the_plan() {
        let (p, l) = (plan_with_colophon(false), layout());
        for c in [Compress::Fast, Compress::STANDARD] {
            assert_eq!(
                write(&p, &l, &[], c).unwrap(),
                write(&p, &l, &[], c).unwrap()
            );
        }
        let parts = parts(&p, &l, &[]);
        let core = part(&parts, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>关于开展检查的通知</dc:title>"),
            "{core}"
        );
        assert!(
            core.contains(">2023-07-01T00:00:00Z</dcterms:created>"),
            "{core}"
        );
        assert!(
            !parts
                .iter()
                .any(|(n, _)| n.contains("numbering") || n.contains("comments"))
        );
    }

    #[test]
    fn a_colophon_on_its_own_page_starts_an_even_page_section_and_no_break_is_written() {
        let l = layout();
        let doc = |p: &Plan| part(&parts(p, &l, &[]), "word/document.xml");
        // On the body's page: one section, no break, the box anchored to the margin's foot.
        let shared = doc(&plan_with_colophon(false));
        assert_eq!(shared.matches("<w:sectPr>").count(), 1, "{shared}");
        assert!(!shared.contains("pageBreakBefore") && !shared.contains("<w:type "));
        assert!(
            shared.contains("mso-position-vertical:bottom;mso-position-vertical-relative:margin")
        );
        // On a page of its own: the body's section ends in its last paragraph, the 版记's starts
        // on an even page (Word and LibreOffice add the blank page when it is needed), its pages
        // numbered by footers of their own; no page break, no blank paragraph.
        let mut own = plan_with_colophon(true);
        let span = crate::model::Span {
            element: Element::Body,
            text: "正文。".into(),
        };
        own.blocks = vec![Block::Para(crate::plan::Para::of(
            Element::Body,
            vec![span],
            1,
            &l,
        ))];
        let xml = doc(&own);
        assert_eq!(xml.matches("<w:sectPr>").count(), 2, "{xml}");
        assert!(!xml.contains("pageBreakBefore"), "{xml}");
        // (the section's properties in the paragraph's, before its text)
        let body_end = xml.find("<w:sectPr>").unwrap();
        let para_end = body_end + xml[body_end..].find("</w:p>").unwrap();
        assert!(xml[body_end..para_end].contains("正文。"), "{xml}");
        let last = &xml[xml.rfind("<w:sectPr>").unwrap()..];
        assert!(last.contains(r#"<w:type w:val="evenPage" />"#), "{last}");
        assert!(last.contains(r#"<w:footerReference w:type="default" r:id="rId9" />"#));
        assert!(xml[xml.find("</w:sectPr>").unwrap()..].contains("<v:textbox"));
        let ps = parts(&own, &l, &[]);
        assert!(part(&ps, "word/footer6.xml").contains("PAGE"));
        assert!(part(&ps, "word/_rels/document.xml.rels").contains(r#"Target="footer7.xml""#));
        // After a blank page: the 版记's page carries no number (7.5), an empty footer.
        own.colophon.as_mut().unwrap().blank_page = true;
        let xml = doc(&own);
        let last = &xml[xml.rfind("<w:sectPr>").unwrap()..];
        assert!(
            last.contains(r#"<w:footerReference w:type="even" r:id="rId11" />"#),
            "{last}"
        );
        let ps = parts(&own, &l, &[]);
        assert!(!part(&ps, "word/footer8.xml").contains("PAGE"));
        // One-sided printing: nothing written, the box finds the next page by itself.
        own.colophon.as_mut().unwrap().even_page = false;
        let xml = doc(&own);
        assert_eq!(xml.matches("<w:sectPr>").count(), 1, "{xml}");
    }

    #[test]
    fn embedded_fonts_are_registered_everywhere_they_must_be() {
        let f = FontPart {
            name: "仿宋_GB2312".into(),
            file_name: "font1.odttf".into(),
            bytes: vec![1, 2, 3],
            font_key: "{00000000-0000-0000-0000-000000000001}".into(),
        };
        let parts = parts(&plan_with_colophon(false), &layout(), &[f]);
        assert!(
            parts
                .iter()
                .any(|(n, b)| n == "word/fonts/font1.odttf" && b == &[1, 2, 3])
        );
        assert!(part(&parts, "[Content_Types].xml").contains(r#"Extension="odttf""#));
        assert!(
            part(&parts, "word/_rels/fontTable.xml.rels").contains(r#"Target="fonts/font1.odttf""#)
        );
        let table = part(&parts, "word/fontTable.xml");
        assert!(table.contains(r#"<w:embedRegular r:id="rId1" w:fontKey="{00000000-0000-0000-0000-000000000001}" w:subsetted="1" />"#), "{table}");
        assert!(
            part(&parts, "word/settings.xml")
                .contains("<w:embedTrueTypeFonts /><w:saveSubsetFonts />")
        );
    }
}
