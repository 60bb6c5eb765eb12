//! Tests of DOCX font embedding (beside `embed.rs` so that file stays readable).

use super::*;
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

const TEXT: &str = "关于加强基层治理工作的报告：一是健全机制，二是压实责任（2023年）。";

fn fandol(file: &str) -> crate::fonts::FontData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fonts")
        .join(file);
    crate::fonts::FontData::map(&path).unwrap()
}

fn font(name: &str, file: &str, text: &str) -> EmbeddedFont {
    EmbeddedFont {
        name: name.into(),
        data: fandol(file),
        index: 0,
        chars: text.chars().collect(),
    }
}

fn unzip(docx: &[u8]) -> zip::ZipArchive<Cursor<&[u8]>> {
    zip::ZipArchive::new(Cursor::new(docx)).unwrap()
}

fn part(docx: &[u8], name: &str) -> Vec<u8> {
    let mut zip = unzip(docx);
    let mut bytes = Vec::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no part {name}"))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

fn text(docx: &[u8], name: &str) -> String {
    String::from_utf8(part(docx, name)).unwrap()
}

/// A small report, read and planned as the renderer does it.
const REPORT: &str = "关于加强基层治理工作的报告\n县委：\n一是健全机制，二是压实责任（2023年）。\n一、健全机制\n完善制度。\n青山县人民政府\n2023年7月1日\n";

/// The report's document, its plan and the layout it is planned with.
fn planned() -> (
    crate::model::Document,
    crate::plan::Plan,
    crate::spec::LayoutSpec,
) {
    let layout = crate::spec::LayoutSpec::load("gbt9704").unwrap();
    let mut warnings = Vec::new();
    let doc = crate::plaintext::parse(REPORT, "report.txt", &mut warnings).unwrap();
    let plan = crate::plan::plan(&doc, &layout).unwrap();
    (doc, plan, layout)
}

/// The DOCX the writer makes of the report with `parts` embedded.
fn docx_with(parts: &[FontPart]) -> Vec<u8> {
    let (_, plan, layout) = planned();
    crate::export::docx::write(&plan, &layout, parts, Default::default()).unwrap()
}

/// The value of attribute `name` in the start tag that `tag` begins with.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let head = &tag[..tag.find('>')?];
    let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
    head[at..].split('"').next()
}

/// The start tags of the elements named `name` in `xml`.
fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    xml.match_indices(&format!("<{name} "))
        .map(|(i, _)| &xml[i..=i + xml[i..].find('>').unwrap()])
        .collect()
}

/// The `w:font` elements of a font table, each whole.
fn font_elems(table: &str) -> Vec<&str> {
    table
        .match_indices("<w:font ")
        .map(|(i, _)| &table[i..i + table[i..].find("</w:font>").unwrap() + "</w:font>".len()])
        .collect()
}

/// The report of `docxcheck.py` (a copy under tests/tools) on a DOCX.
fn docxcheck(docx: &[u8]) -> String {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/docxcheck.py");
    assert!(tool.exists(), "{} is required", tool.display());
    let file = tempfile::Builder::new().suffix(".docx").tempfile().unwrap();
    std::fs::write(file.path(), docx).unwrap();
    let out = Command::new("python3")
        .arg(&tool)
        .arg(file.path())
        .output()
        .expect("python3 is required to run docxcheck.py");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "docxcheck failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// docxcheck says VALID.
fn assert_valid(docx: &[u8]) {
    let report = docxcheck(docx);
    assert!(
        report.trim_end().ends_with("\nVALID"),
        "docxcheck:\n{report}"
    );
}

/// For each embedded face of the font table: (w:name, r:id, w:fontKey).
fn embeddings(docx: &[u8]) -> Vec<(String, String, String)> {
    let table = text(docx, "word/fontTable.xml");
    font_elems(&table)
        .into_iter()
        .filter_map(|f| {
            let e = *tags(f, "w:embedRegular").first()?;
            Some((
                attr(f, "w:name")?.to_string(),
                attr(e, "r:id")?.to_string(),
                attr(e, "w:fontKey")?.to_string(),
            ))
        })
        .collect()
}

/// The target of the font table's relationship `id`, checked to be a font part.
fn font_target(docx: &[u8], id: &str) -> String {
    let rels = text(docx, "word/_rels/fontTable.xml.rels");
    let rel = tags(&rels, "Relationship")
        .into_iter()
        .find(|r| attr(r, "Id") == Some(id))
        .unwrap_or_else(|| panic!("no relationship {id}"));
    assert_eq!(attr(rel, "Type"), Some(FONT_REL));
    let target = attr(rel, "Target").unwrap();
    assert!(
        target.starts_with("fonts/") && target.ends_with(".odttf"),
        "{target}"
    );
    target.to_string()
}

/// The stored font of an embedding, de-obfuscated.
fn stored_font(docx: &[u8], id: &str, key: &str) -> Vec<u8> {
    let mut data = part(docx, &format!("word/{}", font_target(docx, id)));
    obfuscate(&mut data, key).unwrap();
    data
}

#[test]
fn obfuscation_follows_the_spec_example() {
    // ECMA-376 Part 1, 17.8.1: the GUID 001B70DC-AA60-4AD5-90EC-18A0948E1EAE, reversed
    // (AE1E8E94-A018-EC90-D54A-60AADC701B00), is XORed with bytes 0-15 and 16-31.
    let mut zeros = vec![0u8; 40];
    obfuscate(&mut zeros, "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}").unwrap();
    let reversed = [
        0xAE, 0x1E, 0x8E, 0x94, 0xA0, 0x18, 0xEC, 0x90, 0xD5, 0x4A, 0x60, 0xAA, 0xDC, 0x70, 0x1B,
        0x00,
    ];
    assert_eq!(zeros[..16], reversed);
    assert_eq!(zeros[16..32], reversed);
    assert_eq!(zeros[32..], [0; 8], "only the first 32 bytes change");
    // LibreOffice's reader takes the key from the string's hex pairs at 35, 33 … 1.
    let mut zeros = vec![0u8; 32];
    obfuscate(&mut zeros, "{62E79491-959F-41E9-B76B-6B32631DEA5C}").unwrap();
    assert_eq!(
        zeros[..16],
        [
            0x5C, 0xEA, 0x1D, 0x63, 0x32, 0x6B, 0x6B, 0xB7, 0xE9, 0x41, 0x9F, 0x95, 0x91, 0x94,
            0xE7, 0x62
        ]
    );
    // Obfuscating twice restores the font.
    let font: Vec<u8> = (0..64).collect();
    let mut data = font.clone();
    let key = font_key("x", &data);
    obfuscate(&mut data, &key).unwrap();
    assert_ne!(data, font);
    obfuscate(&mut data, &key).unwrap();
    assert_eq!(data, font);
    assert!(obfuscate(&mut data, "{not-a-guid}").is_err());
    assert!(
        obfuscate(&mut [0u8; 8], &key).is_err(),
        "a font shorter than 32 bytes"
    );
}

#[test]
fn font_keys_are_upper_case_guids_and_stable() {
    let key = font_key("仿宋_GB2312", b"font bytes");
    assert_eq!(key, font_key("仿宋_GB2312", b"font bytes"));
    assert_ne!(key, font_key("黑体", b"font bytes"));
    assert_ne!(key, font_key("仿宋_GB2312", b"other bytes"));
    // ST_Guid: \{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}
    let groups: Vec<&str> = key[1..key.len() - 1].split('-').collect();
    assert!(key.starts_with('{') && key.ends_with('}'), "{key}");
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(
        groups.iter().all(|g| g
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))),
        "{key}"
    );
}

#[test]
fn fandol_subsets_are_small_complete_fonts() {
    let f = font("仿宋_GB2312", "FandolFang-Regular.otf", TEXT);
    let sub = subset_font(&f).unwrap();
    assert!(
        sub.len() < 40_000,
        "{} bytes for {} characters",
        sub.len(),
        f.chars.len()
    );
    let full = ttf_parser::Face::parse(&f.data, 0).unwrap();
    let face = ttf_parser::Face::parse(&sub, 0).unwrap();
    // A complete OpenType font with CFF outlines, not a bare CFF program.
    assert_eq!(&sub[..4], b"OTTO");
    for t in [b"CFF ", b"cmap", b"OS/2", b"name", b"hmtx", b"post"] {
        assert!(
            face.raw_face()
                .table(ttf_parser::Tag::from_bytes(t))
                .is_some(),
            "no {} table",
            String::from_utf8_lossy(t)
        );
    }
    assert_eq!(face.permissions(), full.permissions());
    assert_eq!(face.units_per_em(), full.units_per_em());
    for c in TEXT.chars().chain(" 0123456789".chars()) {
        let g = face
            .glyph_index(c)
            .unwrap_or_else(|| panic!("'{c}' is not mapped"));
        assert_ne!(g.0, 0);
        let orig = full.glyph_index(c).unwrap();
        assert_eq!(
            face.glyph_hor_advance(g),
            full.glyph_hor_advance(orig),
            "advance of '{c}'"
        );
        assert!(
            face.glyph_bounding_box(g).is_some() || c == ' ',
            "'{c}' has no outline"
        );
    }
    assert!(
        face.glyph_index('国').is_none(),
        "a character the text lacks"
    );
    // Named as the document names the face, so that Word finds it by the name inside.
    let family: Vec<String> = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
        .filter_map(|n| n.to_string())
        .collect();
    assert_eq!(family, ["仿宋_GB2312"]);
    // The whole example report in its body face stays far below the 6.9 MB font.
    let report = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shuzhi-report.txt"),
    )
    .unwrap();
    let all = subset_font(&font("仿宋_GB2312", "FandolFang-Regular.otf", &report)).unwrap();
    assert!(all.len() < 600_000, "{} bytes", all.len());
}

#[test]
fn subsets_carry_a_windows_cmap_and_the_regular_style() {
    // A face that sets only Latin characters (the page number's `— 1 —` in 宋体) would get
    // a Mac Roman cmap from allsorts alone, which LibreOffice passes over; and Windows
    // loads no font without a Windows-platform cmap.
    for (file, chars) in [
        ("FandolSong-Regular.otf", "— "),
        ("FandolSong-Bold.otf", "报告"),
    ] {
        let sub = subset_font(&font("宋体", file, chars)).unwrap();
        let face = ttf_parser::Face::parse(&sub, 0).unwrap();
        let cmaps: Vec<_> = face
            .tables()
            .cmap
            .unwrap()
            .subtables
            .into_iter()
            .map(|s| (s.platform_id, s.encoding_id))
            .collect();
        assert!(
            cmaps.contains(&(ttf_parser::PlatformId::Windows, 1))
                && cmaps.contains(&(ttf_parser::PlatformId::Unicode, 3)),
            "{file}: {cmaps:?}"
        );
        for c in chars.chars().chain("0123456789".chars()) {
            assert!(face.glyph_index(c).is_some(), "{file}: '{c}'");
        }
        // Embedded as the regular face (the bold stand-in for 方正小标宋 included).
        assert!(
            !face.is_bold() && !face.is_italic() && face.is_regular(),
            "{file}"
        );
    }
}

#[test]
fn embeds_fandol_subsets_in_a_rendered_docx() {
    let fonts = [
        font("仿宋_GB2312", "FandolFang-Regular.otf", TEXT),
        font("黑体", "FandolHei-Regular.otf", "一、健全机制"),
    ];
    let parts = font_parts(&fonts).unwrap();
    let plain = docx_with(&[]);
    let out = docx_with(&parts);
    assert_eq!(out, docx_with(&parts), "the same bytes every time");

    let types = text(&out, "[Content_Types].xml");
    assert!(
        types.contains(&format!(
            r#"<Default Extension="odttf" ContentType="{OBFUSCATED_FONT}" />"#
        )),
        "{types}"
    );
    let found = embeddings(&out);
    assert_eq!(found.len(), fonts.len(), "{found:?}");
    for f in &fonts {
        let (name, id, key) = found
            .iter()
            .find(|e| e.0 == f.name)
            .unwrap_or_else(|| panic!("{} is not embedded", f.name));
        let data = stored_font(&out, id, key);
        assert_eq!(
            data,
            subset_font(f).unwrap(),
            "{name}: the stored font is the subset"
        );
        let stored = part(&out, &format!("word/{}", font_target(&out, id)));
        assert_ne!(stored[..32], data[..32], "obfuscated");
        let face = ttf_parser::Face::parse(&data, 0)
            .unwrap_or_else(|e| panic!("the font embedded for {name} does not parse: {e}"));
        for c in &f.chars {
            assert!(
                face.glyph_index(*c).is_some_and(|g| g.0 != 0),
                "{name}: '{c}' has no glyph"
            );
        }
    }
    // The face's w:font keeps its children, with embedRegular after them (CT_Font order).
    let font_elem = |docx: &[u8]| {
        let table = text(docx, "word/fontTable.xml");
        font_elems(&table)
            .into_iter()
            .find(|f| attr(f, "w:name") == Some("仿宋_GB2312"))
            .map(str::to_string)
    };
    let (_, id, key) = found.iter().find(|e| e.0 == "仿宋_GB2312").unwrap();
    let expected = font_elem(&plain)
        .expect("the writer names 仿宋_GB2312")
        .replace(
            "</w:font>",
            &format!(
                r#"<w:embedRegular r:id="{id}" w:fontKey="{key}" w:subsetted="1" /></w:font>"#
            ),
        );
    assert_eq!(font_elem(&out).unwrap(), expected);
    // The settings gain both flags, once (their order is checked by docxcheck below).
    let settings = text(&out, "word/settings.xml");
    for flag in ["<w:embedTrueTypeFonts />", "<w:saveSubsetFonts />"] {
        assert_eq!(settings.matches(flag).count(), 1, "{settings}");
        assert!(!text(&plain, "word/settings.xml").contains(flag));
    }
    // Every other part is the same as without embedding; the new parts are the fonts and the
    // font table's relationships.
    let mut before = unzip(&plain);
    let mut names = Vec::new();
    for i in 0..before.len() {
        let mut f = before.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        names.push(name.clone());
        if [
            "[Content_Types].xml",
            "word/fontTable.xml",
            "word/settings.xml",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        assert_eq!(part(&out, &name), bytes, "{name} changed");
    }
    let mut after = unzip(&out);
    let mut added: Vec<String> = (0..after.len())
        .map(|i| after.by_index(i).unwrap().name().unwrap().into_owned())
        .filter(|n| !names.contains(n))
        .collect();
    added.sort();
    assert_eq!(
        added,
        [
            "word/_rels/fontTable.xml.rels",
            "word/fonts/font1.odttf",
            "word/fonts/font2.odttf"
        ]
    );
    assert!(!text(&plain, "[Content_Types].xml").contains("odttf"));
    assert!(embeddings(&plain).is_empty());
    assert_valid(&out);
}

#[test]
fn a_face_the_layout_does_not_name_gets_its_own_font_element() {
    // The layout names no 华文中宋: the writer adds its w:font, with the r namespace the
    // embedding's r:id needs.
    let fonts = [font("华文中宋", "FandolSong-Regular.otf", "健全机制")];
    let out = docx_with(&font_parts(&fonts).unwrap());
    let found = embeddings(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    let (name, id, key) = &found[0];
    assert_eq!(name, "华文中宋");
    let data = stored_font(&out, id, key);
    let face = ttf_parser::Face::parse(&data, 0).unwrap();
    assert!("健全机制".chars().all(|c| face.glyph_index(c).is_some()));
    let table = text(&out, "word/fontTable.xml");
    assert!(
        table.contains(
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
        ),
        "{table}"
    );
    assert_eq!(
        font_elems(&table)
            .iter()
            .filter(|f| attr(f, "w:name") == Some("华文中宋"))
            .count(),
        1
    );
    assert_valid(&out);
}

#[test]
fn produce_embeds_the_faces_the_plan_sets() {
    // `--embed-fonts` through the library: the faces the plan sets, made into parts and
    // written with the DOCX, nothing patched afterwards.
    let (doc, plan, layout) = planned();
    let fonts = crate::fonts::FontBook::load(
        &layout,
        &crate::fonts::FontOptions {
            dirs: vec![],
            system: false,
        },
    )
    .unwrap();
    let opts = crate::Options {
        pdf: false,
        docx: true,
        embed_fonts: true,
        ..crate::Options::default()
    };
    let made = crate::produce(&doc, &layout, &fonts, &opts, &mut Vec::new()).unwrap();
    let docx = made.docx.unwrap();
    let faces = crate::export::docx::faces_used(&plan, &layout, &fonts);
    let parts = font_parts(&faces).unwrap();
    assert_eq!(
        docx,
        crate::export::docx::write(&plan, &layout, &parts, opts.compress).unwrap()
    );
    let mut found: Vec<String> = embeddings(&docx).into_iter().map(|e| e.0).collect();
    let mut want: Vec<String> = faces.iter().map(|f| f.name.clone()).collect();
    found.sort();
    want.sort();
    assert_eq!(found, want);
    assert!(want.iter().any(|n| n == "仿宋_GB2312"), "{want:?}");
    assert_valid(&docx);
}

/// The 3,755 hanzi of GB2312 level 1 (rows 16–55).
fn gb2312_level1() -> String {
    let mut bytes = Vec::new();
    for hi in 0xB0u8..=0xD7 {
        for lo in 0xA1u8..=0xFE {
            if (hi, lo) > (0xD7, 0xF9) {
                break; // row 55 ends at D7F9
            }
            bytes.extend([hi, lo]);
        }
    }
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    text.into_owned()
}

/// A glyph's outline as path commands, to compare a subset's glyph with the original's.
#[derive(Default)]
struct Pen(Vec<(char, Vec<f32>)>);

impl ttf_parser::OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push(('M', vec![x, y]));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push(('L', vec![x, y]));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push(('Q', vec![x1, y1, x, y]));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push(('C', vec![x1, y1, x2, y2, x, y]));
    }
    fn close(&mut self) {
        self.0.push(('Z', vec![]));
    }
}

fn outline(face: &ttf_parser::Face<'_>, g: ttf_parser::GlyphId) -> Vec<(char, Vec<f32>)> {
    let mut p = Pen::default();
    face.outline_glyph(g, &mut p);
    p.0
}

#[test]
fn large_subsets_keep_every_outline() {
    // A long report's body face: every level-1 hanzi plus the example report's characters
    // (punctuation, digits, Latin) — over 3,700 glyphs, far past the sizes that once were in
    // doubt (1,181 glyphs). Each character must map to a non-zero glyph whose outline, advance
    // and CID-keyed CFF charstring survive subsetting unchanged.
    let report = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shuzhi-report.txt"),
    )
    .unwrap();
    let text = gb2312_level1() + &report;
    for file in ["FandolFang-Regular.otf", "FandolHei-Regular.otf"] {
        let f = font("仿宋_GB2312", file, &text);
        assert!(f.chars.len() > 3_000, "{} characters", f.chars.len());
        let sub = subset_font(&f).unwrap();
        let full = ttf_parser::Face::parse(&f.data, 0).unwrap();
        let face = ttf_parser::Face::parse(&sub, 0)
            .unwrap_or_else(|e| panic!("{file}: the subset does not parse: {e}"));
        let mut glyphs = HashSet::new();
        // The subset holds the space and the digits whatever the text (the page number's).
        let wanted: BTreeSet<char> = f
            .chars
            .iter()
            .copied()
            .chain(" 0123456789".chars())
            .collect();
        for c in wanted {
            let Some(orig) = full.glyph_index(c) else {
                continue; // not in the face (the renderer falls back for it)
            };
            let g = face
                .glyph_index(c)
                .unwrap_or_else(|| panic!("{file}: '{c}' is not mapped"));
            assert_ne!(g.0, 0, "{file}: '{c}' maps to .notdef");
            glyphs.insert(g.0);
            assert_eq!(
                face.glyph_hor_advance(g),
                full.glyph_hor_advance(orig),
                "{file}: advance of '{c}'"
            );
            let path = outline(&face, g);
            if !c.is_whitespace() {
                assert!(!path.is_empty(), "{file}: '{c}' has no outline");
            }
            assert_eq!(path, outline(&full, orig), "{file}: outline of '{c}'");
        }
        assert!(glyphs.len() > 3_000, "{file}: {} glyphs", glyphs.len());
        // .notdef plus the used glyphs, and the CFF holds as many charstrings as maxp says.
        assert_eq!(
            usize::from(face.number_of_glyphs()),
            glyphs.len() + 1,
            "{file}"
        );
        // About 700 bytes a glyph: the whole level 1 in one face stays under 3 MB.
        assert!(sub.len() < 3_000_000, "{file}: {} bytes", sub.len());
    }
}

#[test]
fn font_parts_are_package_independent_and_deterministic() {
    let fonts = [
        font("仿宋_GB2312", "FandolFang-Regular.otf", TEXT),
        font("黑体", "FandolHei-Regular.otf", "一、健全机制"),
    ];
    let parts = font_parts(&fonts).unwrap();
    assert_eq!(
        parts,
        font_parts(&fonts).unwrap(),
        "the same bytes every time"
    );
    assert_eq!(
        parts
            .iter()
            .map(|p| (p.name.as_str(), p.file_name.as_str()))
            .collect::<Vec<_>>(),
        [("仿宋_GB2312", "font1.odttf"), ("黑体", "font2.odttf")]
    );
    for (p, f) in parts.iter().zip(&fonts) {
        // The bytes are the subset, obfuscated with the part's key.
        let subset = subset_font(f).unwrap();
        assert_ne!(p.bytes[..32], subset[..32], "obfuscated");
        let mut plain = p.bytes.clone();
        obfuscate(&mut plain, &p.font_key).unwrap();
        assert_eq!(plain, subset);
        assert_eq!(p.font_key, font_key(&f.name, &subset));
        let face = ttf_parser::Face::parse(&plain, 0).unwrap();
        assert!(
            f.chars
                .iter()
                .all(|c| face.glyph_index(*c).is_some_and(|g| g.0 != 0))
        );
    }
    // The writer stores exactly these parts under these keys.
    let out = docx_with(&parts);
    let found = embeddings(&out);
    assert_eq!(found.len(), parts.len());
    for p in &parts {
        let (_, id, key) = found.iter().find(|e| e.0 == p.name).unwrap();
        assert_eq!(key, &p.font_key);
        let target = font_target(&out, id);
        assert_eq!(target, format!("fonts/{}", p.file_name));
        assert_eq!(part(&out, &format!("word/{target}")), p.bytes);
    }
    assert!(font_parts(&[]).unwrap().is_empty());
    assert!(font_parts(&[fonts[0].clone(), fonts[0].clone()]).is_err());
}
