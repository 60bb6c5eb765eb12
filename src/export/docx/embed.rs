//! Font embedding in the DOCX (`--embed-fonts`): each face is subset to the characters the
//! document uses, obfuscated as ECMA-376 Part 1, 17.8.1 says, stored as `word/fonts/fontN.odttf`
//! and named in `word/fontTable.xml` under the office name the runs use, so that LibreOffice (and
//! Word, see below) show the same faces on a machine that lacks 仿宋_GB2312 and its kin.
//!
//! [`embed_fonts`] is a pure function: DOCX bytes in, DOCX bytes out. It
//!
//! - subsets each font with `allsorts` to the used characters plus `.notdef`, the space and the
//!   digits (the page-number field's digits are not in the text). The result is a complete
//!   OpenType file (cmap, head, hhea, hmtx, maxp, name, OS/2, post and the outlines — `CFF ` for
//!   the Fandol stand-ins, `glyf`/`loca` and the hinting tables for TrueType fonts), not a bare
//!   CFF program as PDF writers embed. `write-fonts` then gives it Windows cmap subtables, the
//!   original OS/2 Unicode ranges, and the office name as its family, in the regular style (see
//!   [`subset_font`]). The Fandol faces come to about 600 bytes a character: the example report
//!   embeds ~360 KB of fonts (~300 KB zipped) instead of 6–8 MB a face;
//! - derives the obfuscation key (a GUID) from the subset's bytes, so the same input gives the
//!   same DOCX, and XORs the first 32 bytes of the font with the GUID's bytes in reverse order;
//! - adds the part, its `Default` content type, the relationship from the font table, the
//!   `<w:embedRegular r:id=… w:fontKey=… w:subsetted="1"/>` element of the face (creating the
//!   `w:font` element if the table lacks it) and `w:embedTrueTypeFonts` / `w:saveSubsetFonts` in
//!   the settings, every element in schema order.
//!
//! Word is not available here to try. Word's own "Embed fonts in the file" embeds TrueType
//! (glyf) fonts only; whether it uses an embedded font with CFF outlines, as the Fandol faces
//! are, is not verified, and no crate converts CFF outlines to TrueType. Fonts given with
//! `--font-dir` that have TrueType outlines are embedded with them. A font whose licence forbids
//! embedding or subsetting (OS/2 `fsType`) is refused with an error.

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{Cursor, Read, Write};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tag;

use super::xml::{Child, Elem, Part};
use crate::error::Error;

/// One embedded, obfuscated font part, ready to be written into a DOCX package.
pub struct FontPart {
    pub name: String,      // office font name (w:font w:name)
    pub file_name: String, // e.g. "font1.odttf" (stored as word/fonts/font1.odttf)
    pub bytes: Vec<u8>,    // obfuscated subset
    pub font_key: String,  // "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" for w:fontKey
}

/// One face to embed.
#[derive(Debug, Clone)]
pub struct EmbeddedFont {
    /// The office font name as the runs and styles name it in `w:rFonts` (`仿宋_GB2312`).
    pub name: String,
    /// The font file: OpenType with CFF or TrueType outlines, or a collection.
    pub data: &'static [u8],
    /// The face inside a collection (0 for a single font).
    pub index: u32,
    /// The characters the document sets in this face.
    pub chars: BTreeSet<char>,
}

/// Content type of an obfuscated font part (`.odttf`).
pub const OBFUSCATED_FONT: &str = "application/vnd.openxmlformats-officedocument.obfuscatedFont";
/// Relationship type from the font table to an embedded font.
pub const FONT_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font";

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_DOC_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const FONT_TABLE_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable";
const SETTINGS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
const FONT_TABLE_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml";
const SETTINGS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml";
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// CT_Font's children in schema order.
const FONT_ORDER: &[&str] = &[
    "altName",
    "panose1",
    "charset",
    "family",
    "notTrueType",
    "pitch",
    "sig",
    "embedRegular",
    "embedBold",
    "embedItalic",
    "embedBoldItalic",
];

/// The head of CT_Settings' sequence, up to `saveSubsetFonts`: every other child comes after.
const SETTINGS_ORDER: &[&str] = &[
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
];

/// Embed `fonts` in the DOCX `docx`: subset, obfuscate, and register each in the package.
/// A face the document's font table already embeds under that name is replaced.
pub fn embed_fonts(docx: &[u8], fonts: &[EmbeddedFont]) -> Result<Vec<u8>, Error> {
    let mut seen = HashSet::new();
    for f in fonts {
        if !seen.insert(f.name.as_str()) {
            return Err(Error::msg(format!(
                "font '{}' is to be embedded twice in the DOCX",
                f.name
            )));
        }
    }
    if fonts.is_empty() {
        return Ok(docx.to_vec());
    }
    let mut pkg = Package::read(docx)?;

    let main = pkg.main_document()?;
    let font_table = pkg.ensure_part(
        &main,
        FONT_TABLE_REL,
        "fontTable.xml",
        FONT_TABLE_TYPE,
        "fonts",
    )?;
    let settings = pkg.ensure_part(
        &main,
        SETTINGS_REL,
        "settings.xml",
        SETTINGS_TYPE,
        "settings",
    )?;

    let mut table = pkg.parse(&font_table)?;
    let w = prefix_of(&table.root);
    let r = declare(&mut table.root, R_NS, "r");
    let rels_name = rels_of(&font_table);
    let mut rels = match pkg.get(&rels_name) {
        Some(_) => pkg.parse(&rels_name)?,
        None => Part {
            prolog: XML_DECL.into(),
            root: Elem::new("Relationships", &[("xmlns", RELS_NS)]),
        },
    };
    let dir = dir_of(&font_table);
    for font in fonts {
        let mut data = subset_font(font)?;
        let key = font_key(&font.name, &data);
        obfuscate(&mut data, &key)?;
        let target = free_font_part(&pkg, &dir);
        let id = free_rel_id(&rels.root);
        rels.root.children.push(Child::Elem(Elem::new(
            "Relationship",
            &[("Id", &id), ("Type", FONT_REL), ("Target", &target)],
        )));
        pkg.set(&join(&dir, &target), data);
        let name = escape(&font.name);
        let font_tag = format!("{w}font");
        let name_attr = format!("{w}name");
        let is_it = |e: &Elem| e.name == font_tag && e.attr(&name_attr) == Some(name.as_str());
        if !table.root.elems().any(is_it) {
            table
                .root
                .children
                .push(Child::Elem(Elem::new(&font_tag, &[(&name_attr, &name)])));
        }
        let elem = table
            .root
            .elems_mut()
            .find(|e| is_it(e))
            .expect("just ensured");
        // A replaced embedding leaves its old part behind, unreferenced; harmless.
        elem.remove(&format!("{w}embedRegular"));
        elem.children.push(Child::Elem(Elem::new(
            &format!("{w}embedRegular"),
            &[
                (&format!("{r}id"), &id),
                (&format!("{w}fontKey"), &key),
                (&format!("{w}subsetted"), "1"),
            ],
        )));
        let order: Vec<String> = FONT_ORDER.iter().map(|n| format!("{w}{n}")).collect();
        elem.order_children(&order.iter().map(String::as_str).collect::<Vec<_>>());
    }
    pkg.set(&font_table, table.to_bytes());
    pkg.set(&rels_name, rels.to_bytes());

    let mut set = pkg.parse(&settings)?;
    let w = prefix_of(&set.root);
    set.root.ensure(&format!("{w}embedTrueTypeFonts"));
    set.root.ensure(&format!("{w}saveSubsetFonts"));
    let order: Vec<String> = SETTINGS_ORDER.iter().map(|n| format!("{w}{n}")).collect();
    set.root
        .order_children(&order.iter().map(String::as_str).collect::<Vec<_>>());
    pkg.set(&settings, set.to_bytes());

    let mut types = pkg.parse("[Content_Types].xml")?;
    content_type_default(&mut types.root, "odttf", OBFUSCATED_FONT);
    pkg.set("[Content_Types].xml", types.to_bytes());
    pkg.write()
}

/// Subset a face to the characters of `font` plus `.notdef`, the space and the digits: a
/// complete OpenType font with the face's metrics and embedding permissions, its family named
/// `font.name`.
pub fn subset_font(font: &EmbeddedFont) -> Result<Vec<u8>, Error> {
    let fail = |why: String| {
        Error::msg(format!(
            "cannot embed font '{}' in the DOCX ({why})",
            font.name
        ))
    };
    let face = ttf_parser::Face::parse(font.data, font.index).map_err(|e| fail(e.to_string()))?;
    match face.permissions() {
        Some(ttf_parser::Permissions::Restricted) => {
            return Err(fail("its licence forbids embedding (OS/2 fsType)".into())
                .hint("leave out --embed-fonts, or use a font that permits embedding"));
        }
        _ if !face.is_subsetting_allowed() || !face.is_outline_embedding_allowed() => {
            return Err(
                fail("its licence forbids subsetting it (OS/2 fsType)".into())
                    .hint("leave out --embed-fonts, or use a font that permits embedding"),
            );
        }
        _ => {}
    }
    let mut glyphs: Vec<u16> = font
        .chars
        .iter()
        .copied()
        .chain(" 0123456789".chars())
        .filter_map(|c| face.glyph_index(c))
        .map(|g| g.0)
        .filter(|g| *g != 0)
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    let file = ReadScope::new(font.data)
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.to_string()))?;
    let provider = file
        .table_provider(font.index as usize)
        .map_err(|e| fail(e.to_string()))?;
    // The tables a complete font needs, and the TrueType hinting tables where there are any.
    let profile = SubsetProfile::Custom(vec![
        tag::CMAP,
        tag::HEAD,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::NAME,
        tag::OS_2,
        tag::POST,
        tag::CVT,
        tag::FPGM,
        tag::PREP,
    ]);
    let sub = subset(&provider, &glyphs, &profile, CmapTarget::Unicode)
        .map_err(|e| fail(e.to_string()))?;
    complete(&sub, font).map_err(fail)
}

/// Finish allsorts' subset for an office program: a `cmap` with Windows subtables as well as
/// the Unicode-platform one allsorts writes (Windows loads no font without them), the original
/// font's OS/2 Unicode ranges (allsorts recomputes them from a table that ends at U+1FFF, so a
/// CJK subset would claim no CJK), and the family named as the document names it, in the
/// regular style it is embedded as (`embedRegular`): a program that looks an embedded font up
/// by the family name inside it (as Word is reported to) finds it under the name the runs use;
/// LibreOffice goes by the font table's name either way.
fn complete(sub: &[u8], font: &EmbeddedFont) -> Result<Vec<u8>, String> {
    use write_fonts::from_obj::ToOwnedTable;
    use write_fonts::read::tables::head::MacStyle;
    use write_fonts::read::tables::os2::SelectionFlags;
    use write_fonts::read::{FontRef, TableProvider};
    use write_fonts::tables::{cmap::Cmap, head::Head, name::Name, name::NameRecord, os2::Os2};
    use write_fonts::types::NameId;

    let e = |x: &dyn std::fmt::Display| x.to_string();
    let subset = FontRef::new(sub).map_err(|x| e(&x))?;
    let original = FontRef::from_index(font.data, font.index).map_err(|x| e(&x))?;

    let table = subset.cmap().map_err(|x| e(&x))?;
    let mut mappings = Vec::new();
    for record in table.encoding_records() {
        let sub = record.subtable(table.offset_data()).map_err(|x| e(&x))?;
        mappings.extend(
            sub.iter()
                .filter_map(|(cp, gid)| Some((char::from_u32(cp)?, gid))),
        );
    }
    let cmap = Cmap::from_mappings(mappings).map_err(|x| e(&x))?;

    let mut os2: Os2 = subset.os2().map_err(|x| e(&x))?.to_owned_table();
    let full = original.os2().map_err(|x| e(&x))?;
    os2.ul_unicode_range_1 = full.ul_unicode_range_1();
    os2.ul_unicode_range_2 = full.ul_unicode_range_2();
    os2.ul_unicode_range_3 = full.ul_unicode_range_3();
    os2.ul_unicode_range_4 = full.ul_unicode_range_4();
    os2.fs_selection = (os2.fs_selection - SelectionFlags::BOLD - SelectionFlags::ITALIC)
        | SelectionFlags::REGULAR;
    let mut head: Head = subset.head().map_err(|x| e(&x))?.to_owned_table();
    head.mac_style = head.mac_style - MacStyle::BOLD - MacStyle::ITALIC;

    // Family (1), full name (4) and typographic family (16) become the office name, the
    // subfamily (2) `Regular`; the typographic subfamily (17) goes. Macintosh-platform records of
    // these go too: Mac Roman cannot spell a Chinese name.
    let names = subset.name().map_err(|x| e(&x))?;
    let mut records = Vec::new();
    for r in names.name_record() {
        let id = r.name_id().to_u16();
        let renamed = matches!(id, 1 | 2 | 4 | 16 | 17);
        if renamed && (id == 17 || r.platform_id() == 1) {
            continue;
        }
        let string = match id {
            1 | 4 | 16 => font.name.clone(),
            2 => "Regular".to_string(),
            _ => r
                .string(names.string_data())
                .map_err(|x| e(&x))?
                .to_string(),
        };
        records.push(NameRecord::new(
            r.platform_id(),
            r.encoding_id(),
            r.language_id(),
            NameId::new(id),
            string.into(),
        ));
    }
    records.sort();
    let name = Name::new(records);

    let mut builder = write_fonts::FontBuilder::new();
    builder
        .add_table(&cmap)
        .and_then(|b| b.add_table(&os2))
        .and_then(|b| b.add_table(&head))
        .and_then(|b| b.add_table(&name))
        .map_err(|x| e(&x))?;
    Ok(builder.copy_missing_tables(subset).build())
}

/// The obfuscation key of a font part: a GUID in the form `w:fontKey` takes
/// (`{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, upper-case hex), derived from the font's name and
/// bytes so that the same document always gets the same key.
pub fn font_key(name: &str, data: &[u8]) -> String {
    let mut bytes = [0u8; 16];
    for (half, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h = std::hash::DefaultHasher::new();
        ("gongwen font key", half, name, data).hash(&mut h);
        chunk.copy_from_slice(&h.finish().to_be_bytes());
    }
    // Shaped as a random (version 4, RFC 4122 variant) GUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Obfuscate (or, applied again, restore) a font per ECMA-376 Part 1, 17.8.1: the GUID's 16
/// bytes, as its 32 hex digits read them, in reverse order, are XORed with bytes 0–15 of the
/// font and again with bytes 16–31.
pub fn obfuscate(data: &mut [u8], key: &str) -> Result<(), Error> {
    let bad = || Error::msg(format!("'{key}' is not a font key (a GUID)"));
    let hex: Vec<u8> = key
        .bytes()
        .filter(|b| !matches!(b, b'{' | b'}' | b'-'))
        .collect();
    if hex.len() != 32 || data.len() < 32 {
        return Err(bad());
    }
    let mut guid = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).map_err(|_| bad())?;
        guid[i] = u8::from_str_radix(s, 16).map_err(|_| bad())?;
    }
    for (i, b) in data[..32].iter_mut().enumerate() {
        *b ^= guid[15 - i % 16];
    }
    Ok(())
}

/// The unpacked package: part names and bytes in their original order, each with its index in
/// the original archive while it is unchanged.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    parts: Vec<(String, Vec<u8>, Option<usize>)>,
}

impl<'a> Package<'a> {
    fn read(docx: &'a [u8]) -> Result<Package<'a>, Error> {
        let bad = |e: String| Error::msg(format!("cannot read the DOCX to embed fonts ({e})"));
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| bad(e.to_string()))?;
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)
                .map_err(|e| bad(e.to_string()))?;
            let name = file.name().map_err(|e| bad(e.to_string()))?.into_owned();
            parts.push((name, bytes, Some(i)));
        }
        Ok(Package { zip, parts })
    }

    fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, b, _)| b.as_slice())
    }

    fn set(&mut self, name: &str, bytes: Vec<u8>) {
        match self.parts.iter_mut().find(|(n, _, _)| n == name) {
            Some(p) => {
                p.1 = bytes;
                p.2 = None;
            }
            None => self.parts.push((name.to_string(), bytes, None)),
        }
    }

    fn parse(&self, name: &str) -> Result<Part, Error> {
        let bytes = self
            .get(name)
            .ok_or_else(|| Error::msg(format!("the DOCX has no part '{name}'")))?;
        Part::parse(bytes)
            .ok_or_else(|| Error::msg(format!("cannot parse '{name}' in the DOCX to embed fonts")))
    }

    /// The main document part, as the package relationships name it.
    fn main_document(&self) -> Result<String, Error> {
        let rels = self.parse("_rels/.rels")?;
        Ok(rels
            .root
            .elems()
            .find(|e| e.attr("Type") == Some(OFFICE_DOC_REL))
            .and_then(|e| e.attr("Target"))
            .map(|t| join("", t))
            .unwrap_or_else(|| "word/document.xml".into()))
    }

    /// The part the main document relates to with `rel`, created (with `<w:root/>`, its
    /// relationship and content type) if missing.
    fn ensure_part(
        &mut self,
        main: &str,
        rel: &str,
        file: &str,
        content_type: &str,
        root: &str,
    ) -> Result<String, Error> {
        let rels_name = rels_of(main);
        let mut rels = self.parse(&rels_name)?;
        if let Some(t) = rels
            .root
            .elems()
            .find(|e| e.attr("Type") == Some(rel))
            .and_then(|e| e.attr("Target"))
        {
            let name = join(&dir_of(main), t);
            if self.get(&name).is_some() {
                return Ok(name);
            }
        }
        let name = join(&dir_of(main), file);
        let id = free_rel_id(&rels.root);
        rels.root.children.push(Child::Elem(Elem::new(
            "Relationship",
            &[("Id", &id), ("Type", rel), ("Target", file)],
        )));
        self.set(&rels_name, rels.to_bytes());
        let part = Part {
            prolog: XML_DECL.into(),
            root: Elem::new(&format!("w:{root}"), &[("xmlns:w", W_NS)]),
        };
        self.set(&name, part.to_bytes());
        let mut types = self.parse("[Content_Types].xml")?;
        types.root.children.push(Child::Elem(Elem::new(
            "Override",
            &[
                ("PartName", &format!("/{name}")),
                ("ContentType", content_type),
            ],
        )));
        self.set("[Content_Types].xml", types.to_bytes());
        Ok(name)
    }

    /// Pack the parts again, in the original order with new parts last: unchanged parts that
    /// were stored compressed are copied as they were, every other part is deflated (docx-rs
    /// stores its parts uncompressed).
    fn write(mut self) -> Result<Vec<u8>, Error> {
        let bad =
            |e: String| Error::msg(format!("cannot write the DOCX with embedded fonts ({e})"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes, original) in &self.parts {
            if let Some(i) = original {
                let file = self.zip.by_index_raw(*i).map_err(|e| bad(e.to_string()))?;
                if file.is_dir() || file.compression() != zip::CompressionMethod::Stored {
                    out.raw_copy_file(file).map_err(|e| bad(e.to_string()))?;
                    continue;
                }
            }
            out.start_file(name.as_str(), options)
                .map_err(|e| bad(e.to_string()))?;
            out.write_all(bytes).map_err(|e| bad(e.to_string()))?;
        }
        Ok(out.finish().map_err(|e| bad(e.to_string()))?.into_inner())
    }
}

/// The namespace prefix (with its colon) of an element's name: `w:` for `w:fonts`.
fn prefix_of(e: &Elem) -> String {
    match e.name.split_once(':') {
        Some((p, _)) => format!("{p}:"),
        None => String::new(),
    }
}

/// The prefix (with its colon) bound to `ns` on `root`, declared as `want` (or a free variant
/// of it) if the root has none.
fn declare(root: &mut Elem, ns: &str, want: &str) -> String {
    if let Some((k, _)) = root
        .attrs
        .iter()
        .find(|(k, v)| k.starts_with("xmlns:") && v == ns)
    {
        return format!("{}:", &k["xmlns:".len()..]);
    }
    let mut p = want.to_string();
    let mut n = 1;
    while root.attr(&format!("xmlns:{p}")).is_some() {
        n += 1;
        p = format!("{want}{n}");
    }
    root.set_attr(&format!("xmlns:{p}"), ns);
    format!("{p}:")
}

/// `word/_rels/document.xml.rels` for `word/document.xml`.
fn rels_of(part: &str) -> String {
    let (dir, file) = match part.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), part),
    };
    format!("{dir}_rels/{file}.rels")
}

/// `word/` for `word/fontTable.xml`, empty at the root.
fn dir_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((d, _)) => format!("{d}/"),
        None => String::new(),
    }
}

/// The part name a relationship target names, relative to the source part's folder `dir`.
fn join(dir: &str, target: &str) -> String {
    let full = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut out: Vec<&str> = Vec::new();
    for seg in full.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// The first `fonts/fontN.odttf` (relative to `dir`) not in the package.
fn free_font_part(pkg: &Package<'_>, dir: &str) -> String {
    (1..)
        .map(|n| format!("fonts/font{n}.odttf"))
        .find(|t| pkg.get(&join(dir, t)).is_none())
        .expect("a free name")
}

/// The first `rIdN` no relationship of `rels` uses.
fn free_rel_id(rels: &Elem) -> String {
    let used: HashSet<&str> = rels.elems().filter_map(|e| e.attr("Id")).collect();
    (1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !used.contains(id.as_str()))
        .expect("a free id")
}

/// Make `ext` default to `content_type` in `[Content_Types].xml`, after the other defaults.
fn content_type_default(types: &mut Elem, ext: &str, content_type: &str) {
    if let Some(d) = types.elems_mut().find(|e| {
        e.name == "Default"
            && e.attr("Extension")
                .is_some_and(|x| x.eq_ignore_ascii_case(ext))
    }) {
        d.set_attr("ContentType", content_type);
        return;
    }
    let at = types
        .children
        .iter()
        .rposition(|c| matches!(c, Child::Elem(e) if e.name == "Default"))
        .map_or(0, |i| i + 1);
    types.children.insert(
        at,
        Child::Elem(Elem::new(
            "Default",
            &[("Extension", ext), ("ContentType", content_type)],
        )),
    );
}

/// Escape text for an attribute value, as the tree keeps values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
#[path = "embed_tests.rs"]
mod tests;
