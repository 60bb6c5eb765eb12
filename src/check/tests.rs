//! `check` on small Word packages written here, with what Word and WPS templates use and our
//! writer does not: theme fonts, `basedOn` chains, a character grid, fields in frames and after
//! tabs, numbering from `numbering.xml`.

use std::io::{Cursor, Write};

use super::{Finding, check};
use crate::spec::LayoutSpec;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn layout() -> LayoutSpec {
    LayoutSpec::load(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml")).unwrap()
}

/// The theme's minor East Asian font is `minor`; Normal takes it through docDefaults.
fn styles(minor_is_theme: bool) -> String {
    let ea = if minor_is_theme {
        r#"w:eastAsiaTheme="minorEastAsia""#
    } else {
        r#"w:eastAsia="宋体""#
    };
    format!(
        r#"<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts {ea}/><w:sz w:val="21"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:rPr><w:rFonts w:eastAsia="SimHei"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:rPr><w:rFonts w:eastAsia="KaiTi"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="f"><w:name w:val="footer"/><w:basedOn w:val="a"/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs><w:ind w:firstLineChars="0"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>
</w:styles>"#
    )
}

const THEME: &str = r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:fontScheme name="x">
<a:majorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:font script="Hans" typeface="黑体"/></a:majorFont>
<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:font script="Hans" typeface="仿宋"/></a:minorFont>
</a:fontScheme></a:themeElements></a:theme>"#;

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pPr><w:ind w:left="0" w:firstLineChars="0" w:firstLine="0"/></w:pPr></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#;

fn p(style: &str, ppr: &str, runs: &[(&str, &str)]) -> String {
    let mut s = format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>"#);
    for (rpr, t) in runs {
        s.push_str(&format!(
            r#"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>"#
        ));
    }
    s + "</w:p>"
}

/// A footer showing `— PAGE —` after `tabs` tab characters, with `ppr` (a frame, a jc).
fn footer(ppr: &str, tabs: usize) -> String {
    format!(
        r#"<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="f"/>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{}— </w:t></w:r><w:fldSimple w:instr=" PAGE \* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#,
        "\t".repeat(tabs)
    )
}

/// A 通知 as a Word template makes it: theme fonts, styles based on styles, a character grid,
/// numbering from numbering.xml. `even`: a second footer for even pages (else one framed
/// `outside`).
fn package(body: &str, minor_is_theme: bool, even: bool) -> Vec<u8> {
    let odd_footer = if even {
        footer("", 2)
    } else {
        footer(
            r#"<w:framePr w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:xAlign="outside" w:y="1"/>"#,
            0,
        )
    };
    let refs = if even {
        r#"<w:footerReference w:type="default" r:id="rIdF1"/><w:footerReference w:type="even" r:id="rIdF2"/>"#
    } else {
        r#"<w:footerReference w:type="default" r:id="rIdF1"/>"#
    };
    let document = format!(
        r#"<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="1304" w:gutter="0"/><w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/></w:sectPr></w:body></w:document>"#
    );
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT" Type="{R}/theme" Target="theme/theme1.xml"/><Relationship Id="rIdF1" Type="{R}/footer" Target="footer1.xml"/><Relationship Id="rIdF2" Type="{R}/footer" Target="footer2.xml"/></Relationships>"#
    );
    let settings = format!(
        r#"<w:settings xmlns:w="{W}">{}</w:settings>"#,
        if even { "<w:evenAndOddHeaders/>" } else { "" }
    );
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels),
        ("word/styles.xml", styles(minor_is_theme)),
        ("word/theme/theme1.xml", THEME.to_string()),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/settings.xml", settings),
        ("word/footer1.xml", odd_footer),
        ("word/footer2.xml", footer(r#"<w:jc w:val="left"/>"#, 0)),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn body(heading2_font: &str) -> String {
    let title = r#"<w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/>"#;
    [
        p(
            "a",
            r#"<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#,
            &[(title, "关于开展安全生产大检查的通知")],
        ),
        p("a", "", &[]),
        p(
            "a",
            r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#,
            &[("", "各乡镇人民政府：")],
        ),
        p(
            "a",
            "",
            &[("", "为有效防范各类生产安全事故，决定开展安全生产大检查。")],
        ),
        // Level 1 from automatic numbering (一、), 黑体 through the style.
        p(
            "1",
            r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
            &[("", "总体要求")],
        ),
        p(
            "2",
            "",
            &[
                (heading2_font, "（一）加强组织领导。"),
                (
                    "<w:rFonts w:eastAsiaTheme=\"minorEastAsia\"/>",
                    "各乡镇要高度重视。",
                ),
            ],
        ),
        // Indented with two full-width spaces instead of an indent.
        p(
            "a",
            r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#,
            &[("", "\u{3000}\u{3000}检查中发现的重大隐患要挂牌督办。")],
        ),
        p(
            "a",
            r#"<w:jc w:val="right"/><w:ind w:right="640" w:firstLineChars="0"/>"#,
            &[("", "青山县人民政府办公室")],
        ),
        // The date right-aligned, four characters in from the right (7.3.5.2).
        p(
            "a",
            r#"<w:jc w:val="right"/><w:ind w:right="1280" w:firstLineChars="0"/>"#,
            &[("", "2023年7月1日")],
        ),
    ]
    .concat()
}

fn run(bytes: &[u8]) -> Vec<Finding> {
    check(bytes, "t.docx", &layout()).unwrap()
}

fn show(f: &[Finding]) -> Vec<String> {
    f.iter().map(|f| f.line("t.docx")).collect()
}

#[test]
fn a_word_template_that_follows_the_format_has_no_findings() {
    for even in [false, true] {
        let f = run(&package(&body(""), true, even));
        assert!(f.is_empty(), "even footers {even}: {:#?}", show(&f));
    }
}

#[test]
fn a_style_fault_is_one_finding_where_it_first_shows() {
    // The defaults' East Asian font is 宋体: the 主送, the body, the 署名 and the date all show
    // it, and it is one finding, at the first of them.
    let f = run(&package(&body(""), false, true));
    assert_eq!(f.len(), 1, "{:#?}", show(&f));
    assert_eq!(f[0].paragraph, 3);
    assert_eq!(f[0].found, "宋体");
    assert!(
        f[0].message
            .contains("set in the document defaults, as are 4 more paragraphs"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_heading_run_in_the_wrong_face_is_judged_on_the_heading_only() {
    let f = run(&package(
        &body(r#"<w:rFonts w:eastAsia="FangSong"/>"#),
        true,
        true,
    ));
    assert_eq!(f.len(), 1, "{:#?}", show(&f));
    assert_eq!(f[0].paragraph, 6);
    assert_eq!(f[0].found, "FangSong");
    assert!(f[0].expected.starts_with("楷体"), "{}", f[0].expected);
}

#[test]
fn a_numbering_levels_indent_applies_between_the_style_and_the_paragraph() {
    // numId 2's level puts the heading at the margin, over Normal's two characters.
    let body = body("").replace(r#"w:numId w:val="1""#, r#"w:numId w:val="2""#);
    let f = run(&package(&body, true, true));
    assert_eq!(f.len(), 1, "{:#?}", show(&f));
    assert_eq!(f[0].paragraph, 5);
    assert!(
        f[0].message.starts_with(
            "the level-1 heading starts 0.0 characters in, set in the list's numbering level"
        ),
        "{}",
        f[0].message
    );
}

#[test]
fn a_signature_held_by_a_left_indent_is_a_finding() {
    // The date placed 18 characters in by a left indent, justified: a longer date wraps.
    let body = body("").replace(
        r#"<w:jc w:val="right"/><w:ind w:right="1280" w:firstLineChars="0"/>"#,
        r#"<w:ind w:leftChars="1800" w:firstLineChars="0"/>"#,
    );
    let f = run(&package(&body, true, true));
    assert_eq!(
        show(&f),
        [
            "t.docx:paragraph 9: the 成文日期 is placed by a left indent (18.0 characters in, aligned justified): a longer line wraps at the margin instead of growing to the left (GB/T 9704 7.3.5); expected aligned right with a right indent (2 characters; 4 with a seal)"
        ]
    );
}

#[test]
fn punctuation_switched_off_is_one_finding_where_it_is_set() {
    // LibreOffice's re-save: overflowPunct off in Normal (every paragraph); kinsoku off on one
    // paragraph; autoSpaceDN on, as written, is no finding.
    let styles_off = |s: String| {
        s.replace(
            r#"<w:name w:val="Normal"/><w:pPr>"#,
            r#"<w:name w:val="Normal"/><w:pPr><w:overflowPunct w:val="false"/><w:autoSpaceDN w:val="1"/>"#,
        )
    };
    let body = body("").replacen(r#"<w:pPr>"#, r#"<w:pPr><w:kinsoku w:val="0"/>"#, 3);
    let pkg = package(&body, true, true);
    // Swap the styles part for the one with the switch off.
    let mut zip = zip::ZipArchive::new(Cursor::new(pkg)).unwrap();
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        if name == "word/styles.xml" {
            text = styles_off(text);
        }
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    let f = run(&z.finish().unwrap().into_inner());
    let lines = show(&f);
    // One finding a switch, where it is set, at the first paragraph it applies to.
    let over: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("overflowPunct"))
        .collect();
    assert_eq!(over.len(), 1, "{lines:#?}");
    assert!(over[0].starts_with("t.docx:paragraph 1: "), "{}", over[0]);
    assert!(
        over[0].contains(
            "set in style 'Normal', and 7 more paragraphs (GB/T 9704 5.2.3); expected \
             w:overflowPunct on"
        ),
        "{}",
        over[0]
    );
    let kinsoku: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("w:kinsoku off"))
        .collect();
    assert_eq!(kinsoku.len(), 1, "{lines:#?}");
    assert!(
        kinsoku[0].contains("end with “（, and 1 more paragraph (GB/T"),
        "{}",
        kinsoku[0]
    );
    assert!(
        !lines.iter().any(|l| l.contains("autoSpaceDN")),
        "{lines:#?}"
    );
}
