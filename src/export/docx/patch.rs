//! Post-processing of docx-rs output: what docx-rs cannot write, patched into its XML.
//!
//! docx-rs writes children in an order the ECMA-376 schemas (and so Word) reject — `w:rPr`
//! before `w:pStyle`, footer references after `w:pgMar`, `w:rFonts` after `w:sz`, `w:rPr` inside
//! style and numbering `w:pPr` — and has no API for style-level character spacing,
//! `w:firstLineChars` (it keeps the value but never writes it to the XML), the widow-control,
//! kinsoku and language defaults, or East Asian font-table entries. The document grid is set here
//! too, next to the character spacing it works with.
//! Each part is parsed into a small tree ([`super::xml`]), patched, put in schema order, and
//! written back.

use docx_rs::XMLDocx;

use super::xml::{Elem, Part};
use crate::spec::Layout;

/// ECMA-376 Part 1, 17.3.1.26 CT_PPr (CT_PPrBase sequence, then rPr, sectPr, pPrChange).
const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

/// 17.3.2.28 EG_RPrBase.
const RPR: &[&str] = &[
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
];

/// 17.7.4.17 CT_Style.
const STYLE: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// 17.6.17 CT_SectPr.
const SECTPR: &[&str] = &[
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

/// 17.15.1.78 CT_Settings (the elements docx-rs writes or we add, in schema order).
const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:embedTrueTypeFonts",
    "w:saveSubsetFonts",
    "w:mirrorMargins",
    "w:defaultTabStop",
    "w:evenAndOddHeaders",
    "w:characterSpacingControl",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "w:themeFontLang",
];

/// 17.8.3.10 CT_Font.
const FONT: &[&str] = &[
    "w:altName",
    "w:panose1",
    "w:charset",
    "w:family",
    "w:notTrueType",
    "w:pitch",
    "w:sig",
];

/// Apply every patch to the built parts.
pub fn apply(xml: &mut XMLDocx, layout: &Layout) {
    edit(&mut xml.document, |root| {
        let Some(body) = root.child_mut("w:body") else {
            return;
        };
        if let Some(sect) = body.child_mut("w:sectPr") {
            sect.put(doc_grid(layout));
        }
        for tbl in body.elems_mut().filter(|e| e.name == "w:tbl") {
            table(tbl);
        }
    });
    edit(&mut xml.styles, |root| styles(root, layout));
    edit(&mut xml.settings, |root| {
        // Punctuation is not compressed, so Word breaks lines where the PDF does.
        root.put(Elem::new(
            "w:characterSpacingControl",
            &[("w:val", "doNotCompress")],
        ));
    });
    edit(&mut xml.font_table, |root| font_table(root, layout));
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        edit(part, |_| {});
    }
    edit(&mut xml.numberings, |_| {});
}

/// Parse a part, patch it, put every element in schema order, write it back. A part that does
/// not parse is left as docx-rs wrote it.
fn edit(bytes: &mut Vec<u8>, patch: impl FnOnce(&mut Elem)) {
    let Some(mut part) = Part::parse(bytes) else {
        return;
    };
    patch(&mut part.root);
    part.root
        .walk_mut("", &mut |parent, e| schema_order(parent, e));
    *bytes = part.to_bytes();
}

/// Put children in schema order; drop run properties where the schema has none.
fn schema_order(parent: &str, e: &mut Elem) {
    match e.name.as_str() {
        "w:pPr" => {
            // Only a paragraph's own pPr may hold rPr (the paragraph mark); in styles, defaults
            // and numbering levels it is CT_PPrGeneral, without rPr. An empty one says nothing.
            let empty_rpr = e
                .elems()
                .any(|c| c.name == "w:rPr" && c.children.is_empty());
            if parent != "w:p" || empty_rpr {
                e.remove("w:rPr");
            }
            e.order_children(PPR);
        }
        "w:rPr" => {
            e.order_children(RPR);
        }
        "w:style" => e.order_children(STYLE),
        "w:sectPr" => e.order_children(SECTPR),
        "w:settings" => e.order_children(SETTINGS),
        "w:font" => e.order_children(FONT),
        "w:r" => {
            if e.elems()
                .any(|c| c.name == "w:rPr" && c.children.is_empty())
            {
                e.remove("w:rPr");
            }
        }
        _ => {}
    }
}

/// A table: its first row is the header, which Word repeats on each page (`w:tblHeader`);
/// docx-rs writes a `w:type` on `w:gridCol`, which the schema does not have.
fn table(tbl: &mut Elem) {
    if let Some(grid) = tbl.child_mut("w:tblGrid") {
        for col in grid.elems_mut() {
            col.attrs.retain(|(k, _)| k != "w:type");
        }
    }
    if let Some(tr) = tbl.child_mut("w:tr") {
        let mut trpr = Elem::new("w:trPr", &[]);
        trpr.children
            .push(super::xml::Child::Elem(Elem::new("w:tblHeader", &[])));
        tr.remove("w:trPr");
        tr.children.insert(0, super::xml::Child::Elem(trpr));
    }
}

/// `w:docGrid type="lines"`: Word snaps every line to the grid pitch (5.2.3: 22 lines). The
/// character grid is made by run spacing in the styles instead of `linesAndChars`, which
/// LibreOffice lays out at 14–18 characters a line.
fn doc_grid(layout: &Layout) -> Elem {
    let pitch = super::twips(layout.grid.line_pitch_pt).to_string();
    Elem::new("w:docGrid", &[("w:type", "lines"), ("w:linePitch", &pitch)])
}

/// Character spacing (twips) that sets base-size characters in grid cells: 16 pt characters
/// tightened so 28 fit 156 mm. Rounded down: −4 (15.8 pt) needs 442.4 pt and the line holds
/// 442.2 pt, so only −5 (15.75 pt) gives 28 characters.
pub fn grid_spacing(layout: &Layout) -> i32 {
    ((layout.cell() - layout.grid.base_size_pt) * 20.0).floor() as i32
}

fn styles(root: &mut Elem, layout: &Layout) {
    let spacing = grid_spacing(layout).to_string();
    let base_half_points = ((layout.grid.base_size_pt * 2.0).round() as i32).to_string();
    let cell_twips = layout.cell() * 20.0;
    for style in root.elems_mut().filter(|e| e.name == "w:style") {
        let is_base = style
            .elems()
            .find(|e| e.name == "w:rPr")
            .and_then(|r| r.elems().find(|e| e.name == "w:sz"))
            .is_some_and(|sz| sz.attr("w:val") == Some(&base_half_points));
        if is_base {
            style
                .ensure("w:rPr")
                .put(Elem::new("w:spacing", &[("w:val", &spacing)]));
        }
        // Two-character first-line indents in Word's own unit (hundredths of a character), so
        // they stay two characters if a user changes the size (7.3.3 左空二字).
        if let Some(ind) = style.child_mut("w:pPr").and_then(|p| p.child_mut("w:ind")) {
            let first: f32 = ind
                .attr("w:firstLine")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            if first > 0.0 && is_base {
                let chars = ((first / cell_twips) * 100.0).round() as i32;
                ind.set_attr("w:firstLineChars", &chars.to_string());
            }
        }
        // Hanging punctuation: `1` is Word's own default (a closing mark may hang past the
        // margin, as in any Word document). LibreOffice reads the value inverted
        // (writerfilter: IS_HANGING_PUNCTUATION = (val == 0)) and hangs punctuation when the
        // element is absent, so writing `1` explicitly keeps LibreOffice inside the 156 mm body
        // area (5.2.2) without changing what Word does.
        style
            .ensure("w:pPr")
            .put(Elem::new("w:overflowPunct", &[("w:val", "1")]));
    }
    let defaults = root.ensure("w:docDefaults");
    let rpr = defaults.ensure("w:rPrDefault").ensure("w:rPr");
    rpr.put(Elem::new(
        "w:lang",
        &[
            ("w:val", "zh-CN"),
            ("w:eastAsia", "zh-CN"),
            ("w:bidi", "ar-SA"),
        ],
    ));
    let ppr = defaults.ensure("w:pPrDefault").ensure("w:pPr");
    // Every page holds the full 22 lines: no widow/orphan control (5.2.3); 禁则 line breaking
    // stays on.
    ppr.put(Elem::new("w:widowControl", &[("w:val", "0")]));
    ppr.put(Elem::new("w:kinsoku", &[]));
    defaults.order_children(&["w:rPrDefault", "w:pPrDefault"]);
    root.order_children(&["w:docDefaults", "w:latentStyles", "w:style"]);
}

/// Font-table entries for the office fonts: GB2312 charset and the name Windows ships the same
/// design under, so Word substitutes 仿宋 for a missing 仿宋_GB2312 instead of a Latin font.
fn font_table(root: &mut Elem, layout: &Layout) {
    for face in layout.faces.values() {
        let alt = match face.office.as_str() {
            "仿宋_GB2312" => Some("仿宋"),
            "楷体_GB2312" => Some("楷体"),
            "方正小标宋简体" => Some("宋体"),
            _ => None,
        };
        let mut font = Elem::new("w:font", &[("w:name", &face.office)]);
        if let Some(alt) = alt {
            font.children.push(super::xml::Child::Elem(Elem::new(
                "w:altName",
                &[("w:val", alt)],
            )));
        }
        for (n, v) in [
            ("w:charset", "86"),
            ("w:family", "modern"),
            ("w:pitch", "fixed"),
        ] {
            font.children
                .push(super::xml::Child::Elem(Elem::new(n, &[("w:val", v)])));
        }
        root.children.retain(
            |c| !matches!(c, super::xml::Child::Elem(e) if e.attr("w:name") == Some(&face.office)),
        );
        root.children.push(super::xml::Child::Elem(font));
    }
}
