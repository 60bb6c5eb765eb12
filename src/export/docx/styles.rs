//! The parts that say how text looks, not what it says: `styles.xml` (document defaults, Normal
//! as the body style on the grid, one paragraph style per GB/T element), `settings.xml`,
//! `fontTable.xml` and the page-number footers (7.5).

use std::sync::{Arc, Mutex};

use super::embed::FontPart;
use super::ooxml::{El, ns};
use super::{half_points, style_of, twips};
use crate::model::Element;
use crate::spec::{Align, LayoutSpec, Placement};

/// `word/styles.xml`'s bytes for a layout: [`styles`], made once per layout in a run and
/// shared, for it depends on the layout alone and was a quarter of a batch document's DOCX
/// (issue 11). Looked up by the layout's whole content (its `Debug` text, a few KB), so an
/// edited layout never gets another's styles.
pub fn styles_part(layout: &LayoutSpec) -> Arc<[u8]> {
    /// (layout's text, its styles), the last few layouts used.
    static MADE: Mutex<Vec<(String, Arc<[u8]>)>> = Mutex::new(Vec::new());
    let key = format!("{layout:?}");
    let made = || MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, part)) = made().iter().find(|(k, _)| *k == key) {
        return part.clone();
    }
    let part: Arc<[u8]> = styles(layout).to_part().into();
    let mut made = made();
    if made.len() >= 16 {
        made.remove(0);
    }
    made.push((key, part.clone()));
    part
}

/// `w:rFonts` naming one office font in every slot; `w:eastAsia` is the one Chinese text uses.
pub fn rfonts(name: &str) -> El {
    El::new("w:rFonts")
        .attr("w:ascii", name)
        .attr("w:hAnsi", name)
        .attr("w:eastAsia", name)
        .attr("w:cs", name)
}

/// `w:jc` of an alignment.
pub fn jc(a: Align) -> El {
    El::val(
        "w:jc",
        match a {
            Align::Left => "left",
            Align::Right => "right",
            Align::Center => "center",
            Align::Justify => "both",
        },
    )
}

/// `w:ind` from points: left, right and first line (negative: hanging). `first_chars` is the
/// first-line indent in hundredths of a character (Word's `w:firstLineChars`), which Word
/// prefers to the twips when non-zero; it is written as 0 otherwise, so an inherited
/// `firstLineChars="200"` (Normal's) does not override the twips.
pub fn ind(left: f32, right: f32, first: f32, first_chars: i32) -> El {
    let e = El::new("w:ind")
        .attr("w:left", twips(left))
        .attr("w:right", twips(right));
    if first < 0.0 {
        e.attr("w:hangingChars", 0).attr("w:hanging", twips(-first))
    } else {
        e.attr("w:firstLineChars", first_chars)
            .attr("w:firstLine", twips(first))
    }
}

/// Character spacing (twips) of base-size text: the plan's tracking (5.2.3).
pub fn grid_spacing(layout: &LayoutSpec) -> i32 {
    (crate::plan::metrics::tracking(layout) * 20.0).round() as i32
}

pub use crate::plan::metrics::is_base;

/// The keep rules a style carries, so that a paragraph a user types in that style keeps them:
/// (keep with next, keep lines). A whole heading is never split (and kept with its next line
/// when the layout says so), nor a 章, 节 or 目录 heading; 署名, 日期, 附注, 附件说明 and 出席
/// lines are never split (7.3.5). The plan's paragraphs that differ say so in their own `w:pPr`.
pub fn style_keeps(e: Element, layout: &LayoutSpec) -> (bool, bool) {
    let heading = e.level().is_some()
        || matches!(
            e,
            Element::Chapter | Element::Section | Element::ContentsTitle
        );
    (
        heading && layout.element(e).keep_with_next,
        heading
            || matches!(
                e,
                Element::Signature
                    | Element::Date
                    | Element::Note
                    | Element::Attachment
                    | Element::Attendance
            ),
    )
}

/// The run properties of an element's face: fonts, colour, grid spacing, size.
pub fn face_rpr(e: Element, layout: &LayoutSpec) -> El {
    let spec = layout.element(e);
    let sz = half_points(spec.size_pt);
    let mut rpr = El::new("w:rPr")
        .child(rfonts(&layout.faces[&spec.face].office))
        .child(El::val("w:color", &spec.colour))
        .child(El::val("w:sz", sz))
        .child(El::val("w:szCs", sz));
    // Base-size text is tightened to the grid cells; other sizes say 0 explicitly, or they
    // would inherit Normal's tightening (FINDINGS Q3).
    let spacing = if is_base(spec.size_pt, layout) {
        grid_spacing(layout)
    } else {
        0
    };
    rpr.push(El::val("w:spacing", spacing));
    rpr
}

/// The paragraph properties of an element's style: exact line spacing of the grid pitch,
/// blank lines before/after, indents, alignment.
fn element_ppr(e: Element, layout: &LayoutSpec) -> El {
    let spec = layout.element(e);
    let one = layout.char_width(spec.size_pt);
    let pitch = twips(layout.grid.line_pitch_pt);
    let chars = if is_base(spec.size_pt, layout) {
        (spec.first_line_chars * 100.0).round() as i32
    } else {
        0
    };
    let (next, lines) = style_keeps(e, layout);
    let mut ppr = El::new("w:pPr")
        // Hanging punctuation: `1` is Word's own default (a closing mark may hang past the
        // margin). LibreOffice reads the value inverted (writerfilter: IS_HANGING_PUNCTUATION =
        // (val == 0)) and hangs punctuation when the element is absent, so writing `1` keeps
        // LibreOffice inside the 156 mm body area (5.2.2) without changing what Word does.
        .child(El::val("w:overflowPunct", 1))
        .child(if e == Element::Table {
            // Cells are set single-spaced at their own size, off the grid (`[table]`
            // line_spacing): the plan's pitch exactly, so Word and LibreOffice give rows the
            // PDF's heights.
            El::new("w:spacing")
                .attr("w:before", 0)
                .attr("w:after", 0)
                .attr("w:line", twips(layout.table.line_spacing * spec.size_pt))
                .attr("w:lineRule", "exact")
        } else {
            El::new("w:spacing")
                .attr("w:before", spec.space_before_lines as i32 * pitch)
                .attr("w:after", spec.space_after_lines as i32 * pitch)
                .attr("w:line", pitch)
                .attr("w:lineRule", "exact")
        })
        .child(ind(
            spec.left_chars * one,
            spec.right_chars * one,
            spec.first_line_chars * one,
            chars,
        ))
        .child(jc(spec.align));
    if next {
        ppr.push(El::new("w:keepNext"));
    }
    if lines {
        ppr.push(El::new("w:keepLines"));
    }
    if let Some(level) = e.level() {
        ppr.push(El::val("w:outlineLvl", level - 1));
    }
    if matches!(e, Element::Masthead | Element::Table) {
        // The 标志 is placed by its own exact line height, not on the line grid (7.2.5); so are
        // a table's cells.
        ppr.push(El::val("w:snapToGrid", 0));
    }
    ppr
}

/// `styles.xml`.
pub fn styles(layout: &LayoutSpec) -> El {
    let body = layout.element(Element::Body);
    let body_font = &layout.faces[&body.face].office;
    let sz = half_points(body.size_pt);
    // The 汉字–Latin autospace is on by default in Word and LibreOffice (a fifth of the size,
    // which the PDF sets too: `grid.cjk_latin_space_em`); a layout that turns it off turns it
    // off here, so both writers still break lines alike.
    let mut ppr_default = El::new("w:pPr")
        // Every page holds the full 22 lines: no widow/orphan control (5.2.3);
        // 禁则 line breaking stays on.
        .child(El::val("w:widowControl", 0))
        .child(El::new("w:kinsoku"));
    if layout.grid.cjk_latin_space_em <= 0.0 {
        ppr_default.push(El::val("w:autoSpaceDE", 0));
        ppr_default.push(El::val("w:autoSpaceDN", 0));
    }
    let defaults = El::new("w:docDefaults")
        .child(
            El::new("w:rPrDefault").child(
                El::new("w:rPr")
                    .child(rfonts(body_font))
                    .child(El::val("w:sz", sz))
                    .child(El::val("w:szCs", sz))
                    .child(
                        El::new("w:lang")
                            .attr("w:val", "en-US")
                            .attr("w:eastAsia", "zh-CN")
                            .attr("w:bidi", "ar-SA"),
                    ),
            ),
        )
        .child(El::new("w:pPrDefault").child(ppr_default));
    let mut root = El::new("w:styles")
        .attr("xmlns:w", ns::W)
        .attr("xmlns:r", ns::R)
        .child(defaults);
    // Normal (正文) is the body: text typed or pasted anywhere keeps the 3号仿宋 grid of 28
    // characters × 22 lines and the two-character indent (5.2.3, 7.3.3).
    root.push(
        El::new("w:style")
            .attr("w:type", "paragraph")
            .attr("w:default", 1)
            .attr("w:styleId", "Normal")
            .child(El::val("w:name", "Normal"))
            .child(El::new("w:qFormat"))
            .child(element_ppr(Element::Body, layout))
            .child(face_rpr(Element::Body, layout)),
    );
    for e in Element::ALL {
        let (id, name) = style_of(e);
        root.push(
            El::new("w:style")
                .attr("w:type", "paragraph")
                .attr("w:styleId", id)
                .child(El::val("w:name", name))
                .child(El::val("w:basedOn", "Normal"))
                .child(El::val("w:next", "BodyText"))
                .child(El::new("w:qFormat"))
                .child(element_ppr(e, layout))
                .child(face_rpr(e, layout)),
        );
    }
    let pn = &layout.page_number;
    root.push(
        El::new("w:style")
            .attr("w:type", "paragraph")
            .attr("w:styleId", "Footer")
            .child(El::val("w:name", "footer"))
            .child(El::val("w:basedOn", "Normal"))
            .child(
                El::new("w:pPr")
                    .child(
                        El::new("w:spacing")
                            .attr("w:before", 0)
                            .attr("w:after", 0)
                            .attr("w:line", twips(pn.size_pt))
                            .attr("w:lineRule", "exact"),
                    )
                    .child(ind(0.0, 0.0, 0.0, 0)),
            )
            .child(
                El::new("w:rPr")
                    .child(rfonts(&layout.faces[&pn.face].office))
                    .child(El::val("w:spacing", 0))
                    .child(El::val("w:sz", half_points(pn.size_pt)))
                    .child(El::val("w:szCs", half_points(pn.size_pt))),
            ),
    );
    root
}

/// `settings.xml`: odd and even footers (7.5), no punctuation compression (so Word breaks lines
/// where the PDF does), and the compatibility settings of Word 2013+ (mode 15) with the East
/// Asian layout switches Word itself writes for a Chinese document.
pub fn settings(embed: bool) -> El {
    let mut compat = El::new("w:compat");
    for flag in [
        "w:spaceForUL",
        "w:balanceSingleByteDoubleByteWidth",
        "w:doNotLeaveBackslashAlone",
        "w:ulTrailSpace",
        "w:doNotExpandShiftReturn",
        "w:useFELayout",
    ] {
        compat.push(El::new(flag));
    }
    for (name, val) in [
        ("compatibilityMode", "15"),
        ("overrideTableStyleFontSizeAndJustification", "1"),
        ("enableOpenTypeFeatures", "1"),
        ("doNotFlipMirrorIndents", "1"),
    ] {
        compat.push(
            El::new("w:compatSetting")
                .attr("w:name", name)
                .attr("w:uri", "http://schemas.microsoft.com/office/word")
                .attr("w:val", val),
        );
    }
    let mut s = El::new("w:settings")
        .attr("xmlns:w", ns::W)
        .child(El::new("w:zoom").attr("w:percent", 100))
        .child(El::val("w:defaultTabStop", 840))
        .child(El::new("w:evenAndOddHeaders"))
        .child(El::val("w:characterSpacingControl", "doNotCompress"))
        .child(compat);
    if embed {
        // 17.8.3.7, 17.15.1.75: the embedded faces are subsets.
        s.push(El::new("w:embedTrueTypeFonts"));
        s.push(El::new("w:saveSubsetFonts"));
    }
    s
}

/// `fontTable.xml`: each office font with the GB2312 charset and the name Windows ships the same
/// design under, so Word substitutes 仿宋 for a missing 仿宋_GB2312 instead of a Latin font; an
/// embedded face gets `w:embedRegular` (17.8.3.3) pointing at its part (`rel_ids`, same order
/// as `fonts`).
pub fn font_table(layout: &LayoutSpec, fonts: &[FontPart], rel_ids: &[String]) -> El {
    let mut root = El::new("w:fonts")
        .attr("xmlns:w", ns::W)
        .attr("xmlns:r", ns::R);
    let mut names: Vec<&str> = layout.faces.values().map(|f| f.office.as_str()).collect();
    names.dedup();
    for f in fonts {
        if !names.contains(&f.name.as_str()) {
            names.push(&f.name);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            continue;
        }
        let alt = match name {
            "仿宋_GB2312" => Some("仿宋"),
            "楷体_GB2312" => Some("楷体"),
            "方正小标宋简体" => Some("宋体"),
            _ => None,
        };
        let mut font = El::new("w:font")
            .attr("w:name", name)
            .child(El::val("w:charset", 86))
            .child(El::val("w:family", "modern"))
            .child(El::val("w:pitch", "fixed"));
        if let Some(alt) = alt {
            font.push(El::val("w:altName", alt));
        }
        if let Some(k) = fonts.iter().position(|f| f.name == name) {
            font.push(
                El::new("w:embedRegular")
                    .attr("r:id", &rel_ids[k])
                    .attr("w:fontKey", &fonts[k].font_key)
                    .attr("w:subsetted", 1),
            );
        }
        root.push(font);
    }
    root
}

/// A footer with `— PAGE —` in the page-number face, odd pages right and even pages left, one
/// character in (7.5), or centred when the layout says so.
pub fn footer(layout: &LayoutSpec, odd: bool) -> El {
    El::new("w:ftr")
        .attr("xmlns:w", ns::W)
        .child(page_number(layout, odd))
}

/// The page number's paragraph, `— N —` with a PAGE field, placed across the body width as 7.5
/// says for an odd or an even page: a portrait footer's, and a landscape page's turned text box
/// ([`super::landscape`]).
pub fn page_number(layout: &LayoutSpec, odd: bool) -> El {
    let pn = &layout.page_number;
    let inset = pn.inset_chars * pn.size_pt;
    let (align, left, right) = match (pn.placement, odd) {
        (Placement::Center, _) => (Align::Center, 0.0, 0.0),
        (Placement::Outside, true) => (Align::Right, 0.0, inset),
        (Placement::Outside, false) => (Align::Left, inset, 0.0),
    };
    let rpr = || {
        El::new("w:rPr")
            .child(rfonts(&layout.faces[&pn.face].office))
            .child(El::val("w:sz", half_points(pn.size_pt)))
            .child(El::val("w:szCs", half_points(pn.size_pt)))
    };
    let text = |t: &str| {
        El::new("w:r")
            .child(rpr())
            .child(El::new("w:t").attr("xml:space", "preserve").text(t))
    };
    let field = |kind: &str| {
        El::new("w:r")
            .child(rpr())
            .child(El::new("w:fldChar").attr("w:fldCharType", kind))
    };
    El::new("w:p")
        .child(
            El::new("w:pPr")
                .child(El::val("w:pStyle", "Footer"))
                .child(ind(left, right, 0.0, 0))
                .child(jc(align)),
        )
        .child(text(&format!("{} ", pn.dash)))
        .child(field("begin"))
        .child(
            El::new("w:r")
                .child(rpr())
                .child(El::new("w:instrText").text("PAGE")),
        )
        .child(field("separate"))
        .child(text("1"))
        .child(field("end"))
        .child(text(&format!(" {}", pn.dash)))
}

/// A footer with nothing in it: page 1 of a 信函 (10.1), and the 版记's own page and the blank
/// page before it (7.5).
pub fn empty_footer() -> El {
    El::new("w:ftr")
        .attr("xmlns:w", ns::W)
        .child(El::new("w:p").child(El::new("w:pPr").child(El::val("w:pStyle", "Footer"))))
}
