//! Font embedding in the DOCX (`--embed-fonts`): each face is subset to the characters the
//! document uses and obfuscated as ECMA-376 Part 1, 17.8.1 says, so that LibreOffice (and Word,
//! see below) show the same faces on a machine that lacks 仿宋_GB2312 and its kin.
//!
//! This module owns the font bytes only: [`font_parts`] turns the faces a plan sets into
//! [`FontPart`]s, independent of any package. The writer ([`super::write`]) places them: it
//! stores each as `word/fonts/fontN.odttf`, registers the `odttf` content type, relates the
//! parts from the font table, names each in its `w:font` as `w:embedRegular` and sets
//! `w:embedTrueTypeFonts` / `w:saveSubsetFonts` in the settings. Here each face
//!
//! - is subset with `allsorts` to the used characters plus `.notdef`, the space and the
//!   digits (the page-number field's digits are not in the text). The result is a complete
//!   OpenType file (cmap, head, hhea, hmtx, maxp, name, OS/2, post and the outlines — `CFF ` for
//!   the Fandol stand-ins, `glyf`/`loca` and the hinting tables for TrueType fonts), not a bare
//!   CFF program as PDF writers embed. `write-fonts` then gives it Windows cmap subtables, the
//!   original OS/2 Unicode ranges, and the office name as its family, in the regular style (see
//!   [`subset_font`]). The Fandol faces come to about 600 bytes a character: the example report
//!   embeds ~360 KB of fonts (~300 KB zipped) instead of 6–8 MB a face;
//! - gets an obfuscation key (a GUID) derived from the subset's bytes ([`font_key`]), so the same
//!   input gives the same DOCX, and has its first 32 bytes XORed with the GUID's bytes in reverse
//!   order ([`obfuscate`]).
//!
//! LibreOffice 7.4 with no CJK font installed (a fontconfig that knows only DejaVu) sets every
//! character of a 17,000-character report in the embedded subsets, the 仿宋 one holding 3,780
//! glyphs (all of GB2312 level 1, 2.7 MB) and, for level 1 and 2, 6,790 glyphs (5.2 MB). Check
//! such a conversion by the fonts that set the characters (pdfplumber's `fontname`), not with
//! `pdftotext`: LibreOffice maps its boxes back to the characters too.
//!
//! Word is not available here to try. Word's own "Embed fonts in the file" embeds TrueType
//! (glyf) fonts only; whether it uses an embedded font with CFF outlines, as the Fandol faces
//! are, is not verified, and no crate converts CFF outlines to TrueType. Fonts given with
//! `--font-dir` that have TrueType outlines are embedded with them. A font whose licence forbids
//! embedding or subsetting (OS/2 `fsType`) is refused with an error.

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tag;

use crate::error::Error;

/// One face to embed.
#[derive(Debug, Clone)]
pub struct EmbeddedFont {
    /// The office font name as the runs and styles name it in `w:rFonts` (`仿宋_GB2312`).
    pub name: String,
    /// The font file: OpenType with CFF or TrueType outlines, or a collection.
    pub data: crate::fonts::FontData,
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

/// One embedded, obfuscated font part, ready to be written into a DOCX package.
///
/// A package writer stores `bytes` as `word/fonts/{file_name}` (content type
/// [`OBFUSCATED_FONT`], best registered as the `Default` for the `odttf` extension), relates it
/// from `word/fontTable.xml` with a relationship of type [`FONT_REL`], and names it in the
/// `w:font w:name="{name}"` element of the font table as
/// `<w:embedRegular r:id="…" w:fontKey="{font_key}" w:subsetted="1"/>` (after the element's
/// other children but before `embedBold`, CT_Font order); the settings then want
/// `<w:embedTrueTypeFonts/>` and `<w:saveSubsetFonts/>`. [`super::write`] does all of that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontPart {
    /// The office font name (`w:font w:name`), as the runs name the face: `仿宋_GB2312`.
    pub name: String,
    /// The part's file name in `word/fonts/`: `font1.odttf`, `font2.odttf` … in the order of
    /// the faces given to [`font_parts`].
    pub file_name: String,
    /// The subset font, obfuscated with `font_key` (ECMA-376 Part 1, 17.8.1).
    pub bytes: Vec<u8>,
    /// The obfuscation key for `w:fontKey`: `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.
    pub font_key: String,
}

/// The font parts that embed `fonts` in a DOCX, one per face, independent of any package
/// writer: each face subset to its characters ([`subset_font`]), given a key derived from the
/// subset ([`font_key`]) and obfuscated with it ([`obfuscate`]), and named `fontN.odttf` in the
/// order given. Deterministic: the same faces give the same parts, byte for byte.
///
/// Errors if two faces have the same office name (a font table names a face once), or if a face
/// cannot be subset (unreadable, or its licence forbids embedding or subsetting).
pub fn font_parts(fonts: &[EmbeddedFont]) -> Result<Vec<FontPart>, Error> {
    let mut seen = HashSet::new();
    for f in fonts {
        if !seen.insert(f.name.as_str()) {
            return Err(Error::msg(format!(
                "font '{}' is to be embedded twice in the DOCX",
                f.name
            )));
        }
    }
    fonts
        .iter()
        .enumerate()
        .map(|(i, font)| {
            let mut bytes = subset_font(font)?;
            let font_key = font_key(&font.name, &bytes);
            obfuscate(&mut bytes, &font_key)?;
            Ok(FontPart {
                name: font.name.clone(),
                file_name: format!("font{}.odttf", i + 1),
                bytes,
                font_key,
            })
        })
        .collect()
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
    let face = ttf_parser::Face::parse(&font.data, font.index).map_err(|e| fail(e.to_string()))?;
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
    let file = ReadScope::new(&font.data)
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
    let original = FontRef::from_index(&font.data, font.index).map_err(|x| e(&x))?;

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

#[cfg(test)]
#[path = "embed_tests.rs"]
mod tests;
