//! The OOXML writer's two tools: an element builder that keeps children in ECMA-376 schema order
//! whatever order they are added in (one sequence per element type, as python-docx's `_tag_seq`),
//! and the package (parts, relationships, `[Content_Types].xml`, a deterministic zip).
//!
//! Word rejects a document whose children are out of schema order ("unreadable content") and
//! ignores run properties out of order; LibreOffice is lenient, so the order is kept here, once,
//! instead of by every caller. Text and attribute values are escaped, and C0 control characters
//! other than tab and newline (which XML 1.0 cannot carry) are dropped.

use std::fmt::Display;
use std::io::{Cursor, Write};

use crate::error::Error;
use crate::export::Compress;

/// 17.3.1.26 CT_PPr (CT_PPrBase sequence, then rPr, sectPr, pPrChange).
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

/// 17.3.2.28 EG_RPrBase (Word ignores run properties out of this order).
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

/// 17.15.1.78 CT_Settings (the elements we write, in schema order).
const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
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
    "w:embedRegular",
    "w:embedBold",
    "w:embedItalic",
    "w:embedBoldItalic",
];

/// 17.4.60 CT_TblPr.
const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
];

/// 17.4.70 CT_TcPr.
const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
];

/// 17.4.82 CT_TrPr (a choice in the schema; Word writes this order).
const TRPR: &[&str] = &[
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
];

/// 17.3.1.24 CT_PBdr and 17.4.38 CT_TblBorders.
const BORDERS: &[&str] = &[
    "w:top",
    "w:left",
    "w:start",
    "w:bottom",
    "w:right",
    "w:end",
    "w:between",
    "w:bar",
    "w:insideH",
    "w:insideV",
];

/// 17.4.42 CT_TblCellMar.
const CELLMAR: &[&str] = &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"];

/// 17.7.5 CT_DocDefaults, 17.7.4.18 CT_Styles, 17.4.38 CT_Tbl, 17.4.79 CT_Row, 17.4.66 CT_Tc.
fn order_of(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => PPR,
        "w:rPr" => RPR,
        "w:style" => STYLE,
        "w:sectPr" => SECTPR,
        "w:settings" => SETTINGS,
        "w:font" => FONT,
        "w:tblPr" => TBLPR,
        "w:tcPr" => TCPR,
        "w:trPr" => TRPR,
        "w:pBdr" | "w:tblBorders" | "w:tcBorders" => BORDERS,
        "w:tblCellMar" | "w:tcMar" => CELLMAR,
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:styles" => &["w:docDefaults", "w:latentStyles", "w:style"],
        "w:tbl" => &["w:tblPr", "w:tblGrid", "w:tr"],
        "w:tr" => &["w:tblPrEx", "w:trPr", "w:tc"],
        "w:tc" => &["w:tcPr"],
        "w:p" => &["w:pPr"],
        "w:r" => &["w:rPr"],
        _ => return None,
    })
}

/// A child: an element or text.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    El(El),
    Text(String),
}

/// An XML element under construction: children are inserted at their schema position.
#[derive(Debug, Clone, PartialEq)]
pub struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<Node>,
}

impl El {
    /// A new element, `w:p` style qualified name.
    pub fn new(name: &str) -> El {
        El {
            name: name.into(),
            attrs: vec![],
            kids: vec![],
        }
    }

    /// The element's qualified name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// With an attribute (replacing one of the same name).
    pub fn attr(mut self, key: &str, value: impl Display) -> El {
        self.set(key, value);
        self
    }

    /// Set an attribute (replacing one of the same name).
    pub fn set(&mut self, key: &str, value: impl Display) {
        let value = value.to_string();
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(a) => a.1 = value,
            None => self.attrs.push((key.into(), value)),
        }
    }

    /// `<name w:val="value"/>`, the commonest shape.
    pub fn val(name: &str, value: impl Display) -> El {
        El::new(name).attr("w:val", value)
    }

    /// With a child element, at its schema position.
    pub fn child(mut self, c: El) -> El {
        self.push(c);
        self
    }

    /// With a child element, if any.
    pub fn child_opt(mut self, c: Option<El>) -> El {
        if let Some(c) = c {
            self.push(c);
        }
        self
    }

    /// Add a child element at its schema position: after every child that comes no later in
    /// this element's sequence. A name the sequence lacks (or an element without a sequence)
    /// goes last. A child of the same name as one the sequence allows once replaces it.
    pub fn push(&mut self, c: El) {
        let Some(order) = order_of(&self.name) else {
            self.kids.push(Node::El(c));
            return;
        };
        let rank = |n: &str| order.iter().position(|o| *o == n).unwrap_or(order.len());
        let r = rank(&c.name);
        let repeatable = matches!(
            c.name.as_str(),
            "w:style" | "w:tr" | "w:tc" | "w:footerReference" | "w:headerReference"
        ) || r == order.len();
        if !repeatable {
            self.kids
                .retain(|k| !matches!(k, Node::El(e) if e.name == c.name));
        }
        let at = self
            .kids
            .iter()
            .rposition(|k| match k {
                Node::El(e) => rank(&e.name) <= r,
                Node::Text(_) => false,
            })
            .map_or(0, |i| i + 1);
        self.kids.insert(at, Node::El(c));
    }

    /// The first child element of that name, created at its schema position if missing.
    pub fn ensure(&mut self, name: &str) -> &mut El {
        if !self
            .kids
            .iter()
            .any(|k| matches!(k, Node::El(e) if e.name == name))
        {
            self.push(El::new(name));
        }
        self.kids
            .iter_mut()
            .find_map(|k| match k {
                Node::El(e) if e.name == name => Some(e),
                _ => None,
            })
            .expect("just ensured")
    }

    /// Whether the element has no children.
    pub fn is_empty(&self) -> bool {
        self.kids.is_empty()
    }

    /// With text content (escaped on writing; C0 controls dropped).
    pub fn text(mut self, t: &str) -> El {
        self.kids.push(Node::Text(t.into()));
        self
    }

    /// Write the element.
    pub fn write(&self, out: &mut String) {
        self.write_attrs(out);
        if self.kids.is_empty() {
            // Written ` />`, the form the tests look for.
            out.push_str(" />");
            return;
        }
        out.push('>');
        for k in &self.kids {
            match k {
                Node::El(e) => e.write(out),
                Node::Text(t) => escape_into(t, false, out),
            }
        }
        self.write_close(out);
    }

    /// Write the start tag, with the attributes and without the children: a part written as
    /// it is made (`document.xml`) writes its root's children itself, then [`El::write_close`].
    pub fn write_open(&self, out: &mut String) {
        self.write_attrs(out);
        out.push('>');
    }

    /// Write the element but for its end tag: a part written as it is made adds more children
    /// (a table's rows), then [`El::write_close`].
    pub fn write_unclosed(&self, out: &mut String) {
        self.write_open(out);
        for k in &self.kids {
            match k {
                Node::El(e) => e.write(out),
                Node::Text(t) => escape_into(t, false, out),
            }
        }
    }

    /// Write the end tag.
    pub fn write_close(&self, out: &mut String) {
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }

    /// `<name k="v" …`, the start tag but for its end.
    fn write_attrs(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            escape_into(v, true, out);
            out.push('"');
        }
    }

    /// The element as a string (tests, debugging).
    pub fn to_xml(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    /// A whole part: the XML declaration and this element as its root.
    pub fn to_part(&self) -> Vec<u8> {
        let mut s = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
        self.write(&mut s);
        s.into_bytes()
    }
}

/// Escape text or an attribute value; drop C0 controls other than tab and newline (XML 1.0
/// cannot carry them, and Word refuses the file).
fn escape_into(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Namespace URIs.
pub mod ns {
    /// WordprocessingML main.
    pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    /// Relationships in parts.
    pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    /// DrawingML, WordprocessingML drawing.
    pub const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
    /// DrawingML main.
    pub const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
    /// Word 2010 shapes.
    pub const WPS: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape";
    /// Package relationships.
    pub const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    /// Relationship types.
    pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
}

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Rel {
    /// `rId1` …
    pub id: String,
    /// Full type URI.
    pub kind: String,
    /// Target, relative to the source part's folder.
    pub target: String,
}

/// A package being assembled: parts in order, with their content types.
#[derive(Debug, Default)]
pub struct Package {
    parts: Vec<(String, Vec<u8>)>,
    defaults: Vec<(String, String)>,
    overrides: Vec<(String, String)>,
}

impl Package {
    /// Add a part with an override content type (`None`: its extension's default).
    pub fn part(&mut self, name: &str, content_type: Option<&str>, bytes: Vec<u8>) {
        if let Some(t) = content_type {
            self.overrides.push((format!("/{name}"), t.into()));
        }
        self.parts.push((name.into(), bytes));
    }

    /// Declare the content type of an extension (once).
    pub fn default_type(&mut self, ext: &str, content_type: &str) {
        if !self.defaults.iter().any(|(e, _)| e == ext) {
            self.defaults.push((ext.into(), content_type.into()));
        }
    }

    /// Add the relationships part of `source` (`""` for the package).
    pub fn rels(&mut self, source: &str, rels: &[Rel]) {
        let name = match source.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None if source.is_empty() => "_rels/.rels".into(),
            None => format!("_rels/{source}.rels"),
        };
        let mut root = El::new("Relationships").attr("xmlns", ns::RELS);
        for r in rels {
            root.push(
                El::new("Relationship")
                    .attr("Id", &r.id)
                    .attr("Type", &r.kind)
                    .attr("Target", &r.target),
            );
        }
        self.part(&name, None, root.to_part());
    }

    /// The parts, `[Content_Types].xml` first.
    pub fn into_parts(mut self) -> Vec<(String, Vec<u8>)> {
        self.default_type(
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        );
        self.default_type("xml", "application/xml");
        let mut types = El::new("Types").attr(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        );
        for (ext, t) in &self.defaults {
            types.push(
                El::new("Default")
                    .attr("Extension", ext)
                    .attr("ContentType", t),
            );
        }
        for (name, t) in &self.overrides {
            types.push(
                El::new("Override")
                    .attr("PartName", name)
                    .attr("ContentType", t),
            );
        }
        let mut out = vec![("[Content_Types].xml".to_string(), types.to_part())];
        out.append(&mut self.parts);
        out
    }
}

/// Parts shorter than this are stored, not deflated, under [`Compress::Fast`]: each deflated
/// entry sets up a fresh zlib state (a few hundred KB cleared), which cost a batch DOCX more
/// than its XML, and these parts (relationships, settings, footers, properties) save a few
/// hundred bytes each by it. Stored entries are plain ZIP (ECMA-376 Part 2, annex C allows
/// both methods); Word, WPS and LibreOffice open them.
const STORE_BELOW: usize = 4096;

/// Zip the parts, every entry dated 1980-01-01 00:00 (the zip epoch), so the same input gives
/// the same bytes. `compress`: [`Compress::Fast`] stores the small parts and deflates the rest
/// at level 1; `Zlib(n)` deflates every part at level n (0: stores them).
pub fn zip(parts: &[(String, Vec<u8>)], compress: Compress) -> Result<Vec<u8>, Error> {
    use zip::CompressionMethod::{Deflated, Stored};
    let fail = |e: &dyn Display| Error::msg(format!("failed to write the DOCX ({e})"));
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let (method, level) = match compress {
            Compress::Fast if bytes.len() < STORE_BELOW => (Stored, None),
            Compress::Fast => (Deflated, Some(1)),
            Compress::Zlib(0) => (Stored, None),
            Compress::Zlib(n) => (Deflated, Some(i64::from(n))),
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(level)
            .last_modified_time(zip::DateTime::default());
        out.start_file(name.as_str(), options)
            .map_err(|e| fail(&e))?;
        out.write_all(bytes).map_err(|e| fail(&e))?;
    }
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_take_their_schema_place_whatever_the_insertion_order() {
        let p = El::new("w:pPr")
            .child(El::val("w:jc", "center"))
            .child(El::new("w:rPr"))
            .child(El::new("w:spacing").attr("w:line", 579))
            .child(El::val("w:pStyle", "Title"))
            .child(El::new("w:keepNext"));
        assert_eq!(
            p.to_xml(),
            r#"<w:pPr><w:pStyle w:val="Title" /><w:keepNext /><w:spacing w:line="579" /><w:jc w:val="center" /><w:rPr /></w:pPr>"#
        );
        let r = El::new("w:rPr")
            .child(El::val("w:sz", 32))
            .child(El::val("w:spacing", -5))
            .child(El::new("w:rFonts"));
        assert_eq!(
            r.to_xml(),
            r#"<w:rPr><w:rFonts /><w:spacing w:val="-5" /><w:sz w:val="32" /></w:rPr>"#
        );
    }

    #[test]
    fn a_second_child_of_a_single_kind_replaces_the_first() {
        let p = El::new("w:pPr")
            .child(El::val("w:jc", "left"))
            .child(El::val("w:jc", "right"));
        assert_eq!(p.to_xml(), r#"<w:pPr><w:jc w:val="right" /></w:pPr>"#);
    }

    #[test]
    fn text_and_attributes_are_escaped_and_c0_controls_dropped() {
        let t = El::new("w:t")
            .attr("a", "x\"<&>\u{1}")
            .text("a<b>&c\u{0}\u{7}\td\u{1b}");
        assert_eq!(
            t.to_xml(),
            "<w:t a=\"x&quot;&lt;&amp;&gt;\">a&lt;b&gt;&amp;c\td</w:t>"
        );
    }

    #[test]
    fn fast_stores_the_small_parts_and_deflates_the_rest() {
        let big = "<w:p>段落</w:p>".repeat(STORE_BELOW / 8);
        let parts = vec![
            ("small.xml".to_string(), b"<a />".to_vec()),
            ("big.xml".to_string(), big.clone().into_bytes()),
        ];
        let methods = |c: Compress| -> Vec<(zip::CompressionMethod, Vec<u8>)> {
            let bytes = zip(&parts, c).unwrap();
            let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            (0..z.len())
                .map(|i| {
                    let mut f = z.by_index(i).unwrap();
                    let mut data = vec![];
                    std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                    (f.compression(), data)
                })
                .collect()
        };
        use zip::CompressionMethod::{Deflated, Stored};
        let fast = methods(Compress::Fast);
        assert_eq!((fast[0].0, fast[1].0), (Stored, Deflated));
        let standard = methods(Compress::STANDARD);
        assert_eq!((standard[0].0, standard[1].0), (Deflated, Deflated));
        let none = methods(Compress::Zlib(0));
        assert_eq!((none[0].0, none[1].0), (Stored, Stored));
        for m in [fast, standard, none] {
            assert_eq!(m[0].1, b"<a />");
            assert_eq!(m[1].1, big.as_bytes());
        }
    }

    #[test]
    fn zipping_is_deterministic() {
        let parts = vec![("a.xml".to_string(), b"<a />".to_vec())];
        for c in [Compress::Fast, Compress::STANDARD, Compress::Zlib(0)] {
            assert_eq!(zip(&parts, c).unwrap(), zip(&parts, c).unwrap());
        }
    }
}
