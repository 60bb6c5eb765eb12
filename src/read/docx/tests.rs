//! Unit tests of the Word reader on packages built here.

use std::io::Cursor;
use std::sync::Arc;

use super::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A package of `word/document.xml` with `body` and, if given, `word/numbering.xml`.
fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("word/document.xml", o).unwrap();
    let xml = format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#);
    std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
    if let Some(n) = numbering {
        z.start_file("word/numbering.xml", o).unwrap();
        let xml = format!(r#"<w:numbering xmlns:w="{W}">{n}</w:numbering>"#);
        std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn read(body: &str, numbering: Option<&str>) -> String {
    text(&docx(body, numbering), Path::new("t.docx")).unwrap()
}

#[test]
fn runs_tabs_breaks_and_tracked_changes() {
    let got = read(
        r#"<w:p><w:r><w:t>标题</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">甲 </w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t>
          <w:br w:type="page"/></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>
          <w:ins><w:r><w:t>增</w:t></w:r></w:ins>
          <w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink></w:p>
        <w:sdt><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>
        <w:sectPr/>"#,
        None,
    );
    // The page break after 丙 starts a paragraph (it used to join 增链 to 丙).
    assert_eq!(got, "标题\n甲 \t乙\n丙\n增链\n控件");
}

#[test]
fn tables_are_tab_separated_rows_with_merges_as_empty_cells() {
    let cell = |t: &str, pr: &str| {
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
    };
    let two =
        "<w:tc><w:p><w:r><w:t>一段</w:t></w:r></w:p><w:p><w:r><w:t>二段</w:t></w:r></w:p></w:tc>";
    let body = format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{two}{}</w:tr></w:tbl>",
        cell("甲", r#"<w:vMerge w:val="restart"/>"#),
        cell("乙", ""),
        cell("丙", ""),
        cell("", "<w:vMerge/>"),
        cell("跨", r#"<w:gridSpan w:val="2"/>"#),
        cell("丁", ""),
        cell("戊", ""),
    );
    assert_eq!(read(&body, None), "甲\t乙\t丙\n\t跨\t\n丁\t一段 二段\t戊");
}

/// A Word table's merges come back through its tab lines and the text reader's conventions
/// (issue 21): a header cell over two columns (`w:gridSpan`) with a second header row under
/// it, the other header cells down both rows and a group column down two rows (`w:vMerge`).
#[test]
fn a_word_tables_two_row_header_and_group_column_come_back_as_merges() {
    let cell = |t: &str, pr: &str| {
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
    };
    let (down, on) = (r#"<w:vMerge w:val="restart"/>"#, "<w:vMerge/>");
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let body = format!(
        "<w:p><w:r><w:t>关于招生计划的请示</w:t></w:r></w:p><w:tbl>{}{}{}{}</w:tbl>",
        row(&[
            cell("片区", down),
            cell("招生人数", down),
            cell("分年度", r#"<w:gridSpan w:val="2"/>"#)
        ]),
        row(&[
            cell("", on),
            cell("", on),
            cell("2025年", ""),
            cell("2026年", "")
        ]),
        row(&[
            cell("城区", down),
            cell("1200", ""),
            cell("1300", ""),
            cell("1320", "")
        ]),
        row(&[
            cell("", on),
            cell("680", ""),
            cell("740", ""),
            cell("750", "")
        ]),
    );
    let text = read(&body, None);
    let mut w = vec![];
    let doc = crate::read::text::parse(&text, "t.docx", &mut w).unwrap();
    let Some(crate::model::Block::Table(t)) = doc.blocks.get(1) else {
        panic!("a table: {:?}", doc.blocks)
    };
    let m = |row, col, rows, cols| crate::model::Merge {
        row,
        col,
        rows,
        cols,
    };
    let mut merges = t.merges.clone();
    merges.sort_by_key(|m| (m.row, m.col));
    assert_eq!(t.header_rows, 2);
    assert_eq!(
        merges,
        [m(0, 0, 2, 1), m(0, 1, 2, 1), m(0, 2, 1, 2), m(2, 0, 2, 1)]
    );
    // The two-row header is a guess, and says so.
    assert_eq!(w.len(), 1, "{w:?}");
}

#[test]
fn chinese_and_decimal_numbering_is_written_back() {
    let lvl = |i: u8, fmt: &str, text: &str| {
        format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
        )
    };
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="0">{}{}{}</w:abstractNum>
        <w:abstractNum w:abstractNumId="1">{}</w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#,
        lvl(0, "chineseCounting", "%1、"),
        lvl(1, "chineseCounting", "（%2）"),
        lvl(2, "decimal", "%3."),
        lvl(0, "bullet", "•"),
    );
    let p = |num: u8, ilvl: u8, t: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        p(1, 0, "总体要求"),
        p(1, 1, "目标"),
        p(1, 2, "细则"),
        p(1, 2, "细则"),
        p(1, 1, "任务"),
        p(1, 0, "保障措施"),
        p(1, 1, "组织"),
        p(2, 0, "项目"),
        p(0, 0, "无编号"),
    ]
    .concat();
    assert_eq!(
        read(&body, Some(&numbering)),
        "一、总体要求\n（一）目标\n1.细则\n2.细则\n（二）任务\n二、保障措施\n（一）组织\n项目\n无编号"
    );
}

#[test]
fn what_is_not_a_word_document_says_so() {
    let err = |bytes: &[u8]| text(bytes, Path::new("x.docx")).unwrap_err().to_string();
    assert!(err(b"\x89PNG\r\n").contains("PNG image"));
    assert!(err(b"\xD0\xCF\x11\xE0rest").contains("97-2003"));
    assert!(err(b"hello").contains("not a zip archive"));
    assert!(err(b"PK\x03\x04broken").contains("damaged"));
    let e = err(&docx("<w:p/>", None));
    assert!(e.contains("no text"), "{e}");
    let bad = text(&docx("<w:p>", None), Path::new("x.docx")).unwrap_err();
    assert!(bad.message.contains("not well-formed"), "{bad}");
}

#[test]
fn a_zip_bomb_is_refused() {
    // 60 MB of one repeated byte compresses to a few dozen KB.
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", o).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..60 {
        std::io::Write::write_all(&mut z, &chunk).unwrap();
    }
    let bytes = z.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20);
    let e = text(&bytes, Path::new("x.docx")).unwrap_err();
    assert!(e.message.contains("larger than 50 MB"), "{e}");
}

fn read_warned(body: &str) -> (String, Vec<String>) {
    let crate::error::Warned {
        value: text,
        warnings: w,
    } = super::read(&docx(body, None), Path::new("t.docx")).unwrap();
    (text, w.iter().map(ToString::to_string).collect())
}

#[test]
fn ruby_base_text_is_kept_and_its_annotation_dropped() {
    // Word's 拼音指南 on 贮: the base text was lost ("注音存").
    let ruby = r#"<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>贮</w:t></w:r></w:rubyBase></w:ruby></w:r>"#;
    let (text, warnings) = read_warned(&format!(
        "<w:p><w:r><w:t>注音</w:t></w:r>{ruby}<w:r><w:t>存</w:t></w:r></w:p>"
    ));
    assert_eq!(text, "注音贮存");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn symbols_are_their_characters() {
    let sym = |font: &str, c: &str| format!(r#"<w:r><w:sym w:font="{font}" w:char="{c}"/></w:r>"#);
    let body = format!(
        "<w:p><w:r><w:t>温度</w:t></w:r>{}<w:r><w:t>，已</w:t></w:r>{}{}{}</w:p>",
        sym("Symbol", "F0B1"),
        sym("Wingdings", "F0FC"),
        sym("宋体", "2605"),
        sym("Webdings", "F021"),
    );
    let (text, warnings) = read_warned(&body);
    assert_eq!(text, "温度±，已✓★\u{F021}");
    // The one symbol not mapped is kept and named, at its paragraph.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("t.docx:paragraph 1: symbol F021 of the font Webdings"),
        "{warnings:?}"
    );
}

#[test]
fn a_page_break_starts_a_new_paragraph_and_a_rendered_break_does_not() {
    let body = r#"<w:p><w:r><w:t>第一页末句。</w:t></w:r><w:r><w:br w:type="page"/><w:t>第二页</w:t></w:r></w:p>
        <w:p><w:r><w:t>前</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t>后</w:t></w:r><w:r><w:br w:type="column"/><w:t>栏</w:t></w:r></w:p>"#;
    assert_eq!(read_warned(body).0, "第一页末句。\n第二页\n前后\n栏");
}

#[test]
fn hidden_text_is_left_out_with_a_warning_at_its_paragraph() {
    let body = r#"<w:p><w:r><w:t>标题</w:t></w:r></w:p>
        <w:p><w:r><w:t>看得见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>看不见的字</w:t></w:r>
          <w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>也看得见</w:t></w:r></w:p>"#;
    let (text, warnings) = read_warned(body);
    assert_eq!(text, "标题\n看得见也看得见");
    assert_eq!(
        warnings,
        ["t.docx:paragraph 2: hidden text (隐藏文字) left out: \"看不见的字\" (5 characters)"]
    );
}

#[test]
fn a_huge_list_start_does_not_wrap_to_zero() {
    let numbering = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="4294967295"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;
    let p = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let got = read(&[p("甲"), p("乙"), p("丙")].concat(), Some(numbering));
    // Capped at MAX_LIST_NUMBER, then counting on: never 0 (零) after 4294967295.
    assert_eq!(got, "32767.甲\n32768.乙\n32769.丙");
}

/// `depth` elements nested in a paragraph's run, zipped: about 1 KB for 10,000.
fn nested(depth: usize, open: &str, close: &str) -> Vec<u8> {
    docx(
        &format!(
            "<w:p><w:r><w:t>标题</w:t></w:r></w:p>{}{}",
            open.repeat(depth),
            close.repeat(depth)
        ),
        None,
    )
}

#[test]
fn deep_nesting_is_a_located_error_not_a_stack_overflow() {
    // On a 2 MB thread, as a server's worker has: the old walk overflowed at 10,000 levels.
    let run = |bytes: Vec<u8>| {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let e = text(&bytes, Path::new("x.docx")).unwrap_err().to_string();
                let c = crate::check::check(
                    &bytes,
                    "x.docx",
                    &crate::spec::LayoutSpec::load("gbt9704").unwrap(),
                )
                .unwrap_err()
                .to_string();
                (e, c)
            })
            .unwrap()
            .join()
            .unwrap()
    };
    let (e, c) = run(nested(
        30_000,
        "<w:sdt><w:sdtContent>",
        "</w:sdtContent></w:sdt>",
    ));
    assert!(
        e.starts_with("x.docx: word/document.xml, line 1, column ")
            && e.contains("elements nested more than 256 deep"),
        "{e}"
    );
    assert_eq!(e, c);
    // Nested tables stop at MAX_TABLE_DEPTH, well inside the element depth.
    let (e, c) = run(nested(
        40,
        "<w:tbl><w:tr><w:tc>",
        "<w:p/></w:tc></w:tr></w:tbl>",
    ));
    assert!(e.contains("tables nested more than 16 deep"), "{e}");
    assert!(c.contains("tables nested more than 16 deep"), "{c}");
}

#[test]
fn too_many_paragraphs_cells_or_columns_are_errors() {
    let e = |body: String| {
        text(&docx(&body, None), Path::new("x.docx"))
            .unwrap_err()
            .to_string()
    };
    let many = e("<w:p><w:r><w:t>字</w:t></w:r></w:p>".repeat(MAX_PARAGRAPHS + 1));
    assert!(many.contains("more than 100000 paragraphs"), "{many}");
    let wide = e(format!(
        r#"<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr>{}</w:tr></w:tbl>"#,
        r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p/></w:tc>"#.repeat(2)
    ));
    assert!(
        wide.contains("a table row has 128 columns, more than 63"),
        "{wide}"
    );
    // Empty cells (Word always writes a paragraph, a made file need not): the cell bound alone.
    let row = format!("<w:tr>{}</w:tr>", "<w:tc/>".repeat(50));
    let cells = e(format!(
        "<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl>{}</w:tbl>",
        row.repeat(MAX_CELLS / 50 + 1)
    ));
    assert!(cells.contains("more than 100000 cells"), "{cells}");
}

#[test]
fn list_instances_share_their_levels_unless_they_override_one() {
    // 300,000 `w:num` of one nine-level list took 2.7 million level copies (render: 484 MB,
    // 16 s; check: 3.4 GB, 77 s, for a 777 KB file).
    let xml = format!(
        r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>"#
    );
    let doc = Xml::parse(&xml).unwrap();
    let n = Numbering::read(&doc);
    let levels = |id: &str| n.nums[id].1.clone();
    assert!(Arc::ptr_eq(&levels("1"), &levels("2")));
    assert!(!Arc::ptr_eq(&levels("1"), &levels("3")));
    assert_eq!(levels("3")[0].as_ref().unwrap().start, 5);
    assert_eq!(levels("1")[0].as_ref().unwrap().start, 1);
}

#[test]
fn a_red_large_organ_line_is_the_mark_of_a_letter_and_other_red_lines_stay_text() {
    let p = |colour: &str, sz: u32, t: &str| {
        format!(
            r#"<w:p><w:r><w:rPr><w:color w:val="{colour}"/><w:sz w:val="{sz}"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let body = |first: String| {
        format!(
            "{first}<w:p/>{}{}",
            p("000000", 32, "关于商请支持防汛物资储备库建设的函"),
            p("000000", 32, "市应急管理局：")
        )
    };
    let got = super::read(
        &docx(&body(p("FF0000", 72, "青山县人民政府办公室")), None),
        Path::new("t.docx"),
    )
    .unwrap();
    assert_eq!(
        got.value,
        "@发文机关: 青山县人民政府办公室\n@标志后缀:\n\n关于商请支持防汛物资储备库建设的函\n市应急管理局：",
        "{got:?}"
    );
    assert_eq!(
        got.warnings[0].to_string(),
        "t.docx:paragraph 1: a red, large paragraph naming an organ, taken as the 发文机关标志 「青山县人民政府办公室」 with no 文件 after it; in a text draft, write @发文机关: 青山县人民政府办公室 and @标志后缀:"
    );
    // A red 文件 line is left to the text reader; a black or small organ line, and a red title,
    // are text.
    for first in [
        p("FF0000", 72, "青山县人民政府办公室文件"),
        p("000000", 72, "青山县人民政府办公室"),
        p("FF0000", 32, "青山县人民政府办公室"),
        p("C00000", 44, "青山县人民政府关于做好防汛工作的通知"),
    ] {
        let got = super::read(&docx(&body(first.clone()), None), Path::new("t.docx")).unwrap();
        assert!(
            !got.value.contains('@') && got.warnings.is_empty(),
            "{first}: {got:?}"
        );
    }
}

/// A package with `styles` (id, name) and a footer holding `footer`.
fn styled(body: &str, styles: &[(&str, &str)], footer: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let styles: String = styles
        .iter()
        .map(|(id, name)| {
            format!(
                r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/></w:style>"#
            )
        })
        .collect();
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    for (name, xml) in [
        (
            "word/document.xml",
            format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#),
        ),
        (
            "word/styles.xml",
            format!(r#"<w:styles xmlns:w="{W}">{styles}</w:styles>"#),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="{rel}/footer" Target="footer1.xml"/></Relationships>"#
            ),
        ),
        (
            "word/footer1.xml",
            format!(r#"<w:ftr xmlns:w="{W}">{footer}</w:ftr>"#),
        ),
    ] {
        z.start_file(name, o).unwrap();
        std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn sp(style: &str, ppr: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

/// Our names, under ids another program gave them (Word renames ids; names stay).
const OUR_STYLES: &[(&str, &str)] = &[
    ("a1", "发文机关标志"),
    ("a2", "发文字号"),
    ("a3", "Title"),
    ("a4", "Body Text"),
    ("a5", "附件说明"),
    ("a6", "表格文字"),
    ("a7", "抄送"),
    ("a8", "印发"),
    ("a9", "Signature"),
    ("b1", "Date"),
];

#[test]
fn our_own_file_comes_back_by_its_styles() {
    let tail = r#"<w:keepLines/><w:ind w:left="0" w:firstLine="0"/>"#;
    let body = [
        sp("a1", "", "青山县人民政府文件"),
        sp("a2", "", "青政发〔2024〕9号\t签发人：王建国"),
        r#"<w:p><w:pPr><w:pStyle w:val="a3"/></w:pPr><w:r><w:t>青山县人民政府关于</w:t><w:br/><w:t>做好防汛工作的通知</w:t></w:r></w:p>"#
        .to_string(),
        sp("a4", "", "各乡镇要加强值班，"),
        sp("a4", tail, "确保信息畅通。"),
        sp("a4", "", "@抄送: 这是正文"),
        "<w:p/>".to_string(),
        // Three lines over the 署名: the seal's room (7.3.5.1).
        sp("a9", r#"<w:spacing w:before="1737"/>"#, "青山县人民政府"),
        sp("b1", "", "2024年5月6日"),
        // The 版记 in a text box (VML fallback beside it, read once), and in a table cell.
        format!(
            r#"<w:p><w:r><mc:AlternateContent xmlns:mc="mc"><mc:Choice><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            sp("a7", "", "抄送：县委办公室。"),
            sp("a7", "", "抄送：县委办公室。")
        ),
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            sp("a8", "", "\u{3000}青山县人民政府办公室")
        ),
    ]
    .concat();
    let footer = sp("a8", "", "2024年5月7日印发");
    let got = read_bytes(&styled(&body, OUR_STYLES, &footer));
    assert_eq!(
        got,
        [
            "@发文机关: 青山县人民政府",
            "@发文字号: 青政发〔2024〕9号",
            "@签发人: 王建国",
            "@印章",
            "@抄送: 县委办公室。",
            "@印发机关: 青山县人民政府办公室",
            "@印发日期: 2024年5月7日",
            "青山县人民政府关于|做好防汛工作的通知",
            "各乡镇要加强值班，确保信息畅通。",
            "\u{F0000}@抄送: 这是正文",
            "青山县人民政府",
            "2024年5月6日",
        ]
        .join("\n")
    );
    // Word's own names alone (anyone's Title, heading 1) are not ours: read by the text.
    let theirs = styled(&body, &OUR_STYLES[2..4], &footer);
    let got = read_bytes(&theirs);
    assert!(got.starts_with("青山县人民政府文件\n"), "{got}");
    assert!(got.contains("\n@抄送: 这是正文\n"), "{got}");
}

fn read_bytes(bytes: &[u8]) -> String {
    text(bytes, Path::new("t.docx")).unwrap()
}
