//! Unit tests of the plain-text reader.

use super::*;
use crate::model::{Block, Merge, TableLabel};

/// The paragraph a block is.
fn para(b: &Block) -> &crate::model::Para {
    b.as_para().expect("a paragraph")
}

fn doc(text: &str) -> (Document, Vec<Warning>) {
    let mut w = vec![];
    (parse(text, "t.txt", &mut w).unwrap(), w)
}

const TAB_TABLE: &str = "标题\n现将情况报告如下。\n表1 项目进展\n单位：万元\n片区\t项目\t计划\n一、产业项目\t\t\n城东\t园区\t100\n\t物流\t80\n\t冷链\t60\n注：截至9月底。\n";

#[test]
fn tab_lines_are_a_table_with_merges_a_group_row_a_caption_and_a_unit() {
    let (d, w) = doc(TAB_TABLE);
    assert!(w.is_empty(), "{w:?}");
    let els: Vec<Element> = d.blocks.iter().map(|b| b.element()).collect();
    use Element::*;
    assert_eq!(els, [Title, Body, Body, Body, Table, Body]);
    assert_eq!(para(&d.blocks[2]).label, Some(TableLabel::Caption));
    assert_eq!(para(&d.blocks[3]).label, Some(TableLabel::Unit));
    assert_eq!(
        (para(&d.blocks[1]).label, para(&d.blocks[5]).label),
        (None, None)
    );
    let Block::Table(t) = &d.blocks[4] else {
        panic!("a table")
    };
    assert_eq!(t.line, 5);
    let s = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(
        t.rows,
        [
            s(&["片区", "项目", "计划"]),
            s(&["一、产业项目", "", ""]),
            s(&["城东", "园区", "100"]),
            s(&["", "物流", "80"]),
            s(&["", "冷链", "60"]),
        ]
    );
    let m = |row, col, rows, cols| Merge {
        row,
        col,
        rows,
        cols,
    };
    assert_eq!(t.merges, [m(1, 0, 1, 3), m(2, 0, 3, 1)]);
    assert_eq!(d.blocks[5].text(), "注：截至9月底。");
}

#[test]
fn a_tab_outside_a_table_is_a_space_with_a_warning_naming_the_line() {
    let (d, w) = doc("标题\n正文\t第一段。\n第二段。\n");
    assert!(d.blocks.iter().all(|b| b.element() != Element::Table));
    assert_eq!(d.blocks[1].text(), "正文 第一段。");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].to_string().contains(":2") && w[0].message.contains("tab"),
        "{}",
        w[0]
    );
}

#[test]
fn control_characters_are_dropped_with_a_warning_and_private_use_is_text() {
    let (d, w) = doc("标题\n正文\u{0}有\u{1b}控制符。\n\u{E000}0 李\u{E001}的名字。\n");
    let texts: Vec<String> = d.blocks.iter().map(Block::text).collect();
    assert!(texts.contains(&"正文有控制符。".to_string()), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "\u{E000}0 李\u{E001}的名字。"),
        "{texts:?}"
    );
    assert!(d.blocks.iter().all(|b| b.element() != Element::Table));
    let msg = w
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        msg.contains("t.txt:2:3: removed 2 control characters: U+0000 (NUL) at column 3, U+001B (escape) at column 5"),
        "{msg}"
    );
}

/// Issue 19: U+FFFE and U+FFFF vanished from the DOCX (XML does not allow them) while the PDF
/// drew a box and the warning spoke of one. They are removed from the text, as control
/// characters are, with a warning saying so.
#[test]
fn noncharacters_are_removed_with_a_warning_saying_so() {
    let (d, w) = doc("标题\n正文\u{FFFE}甲\u{FFFF}乙。\n又\u{FFFF}一行。\n");
    let texts: Vec<String> = d.blocks.iter().map(Block::text).collect();
    assert!(texts.contains(&"正文甲乙。".to_string()), "{texts:?}");
    assert!(texts.contains(&"又一行。".to_string()), "{texts:?}");
    let msg = w
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        msg.contains("t.txt:2:3: removed 2 characters: U+FFFE (a noncharacter, not allowed in a Word file) at column 3, U+FFFF (a noncharacter, not allowed in a Word file) at column 5"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "t.txt:3:2: removed character U+FFFF (a noncharacter, not allowed in a Word file)"
        ),
        "{msg}"
    );
}

/// Issue 9: VT, FF, U+001C–U+001F and NEL are whitespace to `str::trim`, so at a line's start
/// or end they were dropped without a word; U+2028/U+2029 passed through to the outputs. Each is
/// now removed with a warning at its line and column, wherever it stands.
#[test]
fn whitespace_controls_are_warned_about_at_the_start_middle_and_end_of_a_line() {
    for c in [
        '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', '\u{85}', '\u{2028}', '\u{2029}',
    ] {
        let code = format!("U+{:04X}", c as u32);
        for (line, col) in [
            (format!("{c}正文。"), 1),
            (format!("正文{c}第二句。"), 3),
            (format!("正文。{c}"), 4),
            (format!("  正文。 {c} "), 7),
        ] {
            let (d, w) = doc(&format!("标题\n{line}\n落款\n"));
            let texts: Vec<String> = d.blocks.iter().map(Block::text).collect();
            assert!(
                texts.iter().any(|t| t == "正文。" || t == "正文第二句。"),
                "{code} {line:?}: {texts:?}"
            );
            assert!(texts.iter().all(|t| !t.contains(c)), "{code}: {texts:?}");
            let at = format!("t.txt:2:{col}");
            assert!(
                w.iter()
                    .any(|w| w.location() == at && w.message.contains(&code)),
                "{code} in {line:?}: no warning at {at}: {w:?}"
            );
        }
    }
}

/// A form feed alone on a line (a page break in a pasted draft) is warned about too, and says
/// what it was.
#[test]
fn a_form_feed_alone_on_a_line_is_named_as_a_page_break() {
    let (d, w) = doc("标题\n第一页。\n\u{c}\n第二页。\n");
    assert_eq!(d.blocks.len(), 3, "{:?}", d.blocks);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].location(), "t.txt:3:1");
    assert!(
        w[0].message.contains("U+000C (form feed: a page break"),
        "{w:?}"
    );
}

/// A file with CR alone for line ends (classic Mac OS) is read line by line, not as one line
/// with its line ends warned about and dropped; a stray CR in an LF file is warned about.
#[test]
fn carriage_returns_alone_end_lines_in_a_file_without_line_feeds() {
    let (d, w) = doc("标题\r第一段。\r第二段。\r");
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(d.blocks.len(), 3, "{:?}", d.blocks);
    assert_eq!(d.blocks[2].line(), 3);
    let (d, w) = doc("标题\n正文\r后半。\n");
    assert_eq!(d.blocks[1].text(), "正文后半。");
    assert_eq!(w[0].location(), "t.txt:2:3");
    assert!(w[0].message.contains("U+000D"), "{w:?}");
}

#[test]
fn numbering_levels() {
    assert_eq!(heading_level("一、加强政治理论学习"), Some(1));
    assert_eq!(heading_level("十一、其他"), Some(1));
    assert_eq!(heading_level("（一）加强组织领导"), Some(2));
    assert_eq!(heading_level("1.建立工作机制"), Some(3));
    assert_eq!(heading_level("12．建立工作机制"), Some(3));
    assert_eq!(heading_level("（1）做好工作"), Some(4));
    assert_eq!(heading_level("(2)做好工作"), Some(4));
    assert_eq!(heading_level("一是利用业余时间"), None);
    assert_eq!(heading_level("1.5万亩耕地"), None);
    assert_eq!(heading_level("2023年"), None);
    assert_eq!(heading_level("（注）"), None);
}

#[test]
fn run_in_heading_splits_at_first_full_stop() {
    let (d, _) = doc(
        "标题\n（一）加强组织领导。各地要落实。\n1.建立工作机制，落实分管职责。作为分管农业的副镇长",
    );
    let b = &d.blocks[1];
    assert_eq!(b.element(), Element::Heading2);
    assert_eq!(
        para(b).spans[0],
        Span {
            element: Element::Heading2,
            text: "（一）加强组织领导。".into()
        }
    );
    assert_eq!(
        para(b).spans[1],
        Span {
            element: Element::Body,
            text: "各地要落实。".into()
        }
    );
    let b = &d.blocks[2];
    assert_eq!(b.element(), Element::Heading3);
    assert_eq!(para(b).spans[0].text, "1.建立工作机制，落实分管职责。");
    assert_eq!(para(b).spans[1].text, "作为分管农业的副镇长");
}

#[test]
fn yi_shi_stays_body_and_whole_heading_has_one_span() {
    let (d, _) = doc("标题\n一、总体要求\n一是学习。二是落实。");
    assert_eq!(d.blocks[1].element(), Element::Heading1);
    assert_eq!(para(&d.blocks[1]).spans.len(), 1);
    assert_eq!(d.blocks[2].element(), Element::Body);
}

#[test]
fn notice_parts() {
    let text = "关于开展检查的通知\n国办发〔2023〕12号\n各省、自治区、直辖市人民政府：\n现将有关事项通知如下：\n一、总体要求\n附件：1.检查表\n2.名单\nXX市人民政府办公室\n2023年7月1日\n（此件公开发布）\n";
    let (d, _) = doc(text);
    let kinds: Vec<Element> = d.blocks.iter().map(|b| b.element()).collect();
    use Element::*;
    assert_eq!(
        kinds,
        [
            Title, DocNumber, Addressee, Body, Heading1, Attachment, Attachment, Signature, Date,
            Note
        ]
    );
    assert_eq!(d.title, "关于开展检查的通知");
}

#[test]
fn long_paragraph_ending_in_colon_is_body_not_addressee() {
    let (d, _) = doc("标题\n一段时间以来，在县委的领导下，工作有进展。现报告如下：\n");
    assert_eq!(d.blocks[1].element(), Element::Body);
    let (d, _) = doc("标题\n各乡镇人民政府，县政府各部门：\n正文。");
    assert_eq!(d.blocks[1].element(), Element::Addressee);
}

#[test]
fn markers_are_removed_with_a_warning_naming_the_line() {
    let (d, w) = doc("标题\n正文##paidbegin##继续。\n##paidend##\n");
    assert_eq!(d.blocks.len(), 2);
    assert_eq!(d.blocks[1].text(), "正文继续。");
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].location(), "t.txt:2");
    assert!(w[1].message.contains("##paidend##"));
}

#[test]
fn decodes_gbk_and_reports_bad_bytes() {
    let (gbk, _, _) = encoding_rs::GBK.encode("述职报告\n正文。");
    assert_eq!(decode(&gbk, "x").unwrap(), "述职报告\n正文。");
    assert_eq!(decode("述职".as_bytes(), "x").unwrap(), "述职");
    let mut bad = "述职".as_bytes().to_vec();
    bad.extend([0xff, 0xff, 0x41]);
    let e = decode(&bad, "x.txt").unwrap_err().to_string();
    assert!(e.contains("offset 6"), "{e}");
}

/// Issue 9: Big5 and Shift_JIS drafts decoded as GB18030 into mojibake without a word; they are
/// refused with a hint, and GBK drafts (short ones, and ones with names outside GB2312) are
/// still read.
#[test]
fn big5_and_shift_jis_drafts_are_refused_not_guessed() {
    let (big5, _, _) = encoding_rs::BIG5
        .encode("關於加強管理的通知\n各單位：\n現將有關事項通知如下。請認真貫徹執行。\n");
    let e = decode(&big5, "b.txt").unwrap_err().to_string();
    assert!(
        e.contains("b.txt: the file is not UTF-8, UTF-16 or GBK text (it looks like Big5)"),
        "{e}"
    );
    let (sjis, _, _) = encoding_rs::SHIFT_JIS
        .encode("関係各位へのお知らせ\n本日は晴天なり。よろしくお願いします。\n");
    let e = decode(&sjis, "j.txt").unwrap_err().to_string();
    assert!(e.contains("it looks like Shift_JIS"), "{e}");
    for text in [
        "李四",
        "关于加强管理的通知\n各单位：\n现将有关事项通知如下。\n",
        "述职报告\n我是喆，来自犇犇公司。\n",
    ] {
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gbk, "g.txt").unwrap(), text);
    }
}

#[test]
fn dates() {
    assert!(is_date("2023年7月1日"));
    assert!(is_date("二〇二三年七月一日"));
    assert!(!is_date("2023年7月1日印发"));
    assert!(!is_date("今年7月1日"));
}

fn kinds(d: &[Block]) -> Vec<Element> {
    d.iter().map(|b| b.element()).collect()
}

#[test]
fn organs_and_a_bracketed_date_under_an_enclosed_title_are_its_furniture() {
    use Element::*;
    let (d, w) = doc(
        "关于印发方案的通知\n各单位：\n现将《实施方案》印发给你们。\n县政府办公室\n2024年10月9日\n关于推进校园安全体系建设的实施方案\n国家发展改革委　教育部\n（2024年10月8日）\n各县市区：\n为推进建设，制定本方案。\n",
    );
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        kinds(&d.blocks),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            EnclosedTitle,
            Byline,
            Subtitle,
            Addressee,
            Body
        ]
    );
    assert_eq!(d.blocks[6].text(), "国家发展改革委　教育部");
    // A chapter heading or a short body line under the title is no organ line.
    let (d, _) = doc(
        "关于印发办法的通知\n正文。\n县政府办公室\n2024年10月9日\n经费管理办法\n第一章　总则\n第一条　为规范管理，制定本办法。\n",
    );
    assert_eq!(
        kinds(&d.blocks),
        [
            Title,
            Body,
            Signature,
            Date,
            EnclosedTitle,
            Chapter,
            Article
        ]
    );
}

#[test]
fn an_enclosed_title_split_over_two_lines_is_joined() {
    use Element::*;
    let (d, w) = doc(
        "关于转发方案的通知\n正文。\n县政府办公室\n2024年10月9日\n关于推进全县中小学校园安全体系建设的\n实施方案\n为推进建设，制定本方案。\n",
    );
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        kinds(&d.blocks),
        [Title, Body, Signature, Date, EnclosedTitle, Body]
    );
    let t = &d.blocks[4];
    assert_eq!(t.text(), "关于推进全县中小学校园安全体系建设的实施方案");
    assert_eq!((t.line(), para(t).more_lines.clone()), (5, vec![6]));
    // Not when the first line is a whole title already, nor when the second is a sentence.
    let (d, _) = doc(
        "关于转发方案的通知\n正文。\n县政府办公室\n2024年10月9日\n校园安全实施方案\n总体方案\n",
    );
    assert_eq!(texts(&d.blocks, EnclosedTitle), ["校园安全实施方案"]);
    let (d, _) = doc(
        "关于转发方案的通知\n正文。\n县政府办公室\n2024年10月9日\n校园安全建设\n制定本方案。\n",
    );
    assert!(texts(&d.blocks, EnclosedTitle).is_empty());
}

fn texts(d: &[Block], e: Element) -> Vec<String> {
    d.iter()
        .filter(|b| b.element() == e)
        .map(|b| b.text())
        .collect()
}

#[test]
fn a_date_alone_that_ends_the_main_text_signs_it() {
    use Element::*;
    // A 函 that ends with its date only (the organ is in the title or the 版头), then its
    // attachment pages: the date is the 成文日期 and no warning is given.
    let (d, w) = doc(
        "青山县教育局关于商请支持的函\n市教育局：\n恳请给予支持。\n附件：项目清单\n2024年6月3日\n附件\n项目清单\n全县共安排项目26个。\n",
    );
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(kinds(&d.blocks), [Title, Addressee, Body, Attachment, Date]);
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.attachments[0].title, "项目清单");
    // Before an enclosed document too, with its 附注.
    let (d, w) = doc(
        "关于印发方案的通知\n正文。\n2024年10月9日\n（此件公开发布）\n校园安全实施方案\n正文。\n",
    );
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        kinds(&d.blocks),
        [Title, Body, Date, Note, EnclosedTitle, Body]
    );
    // Mid-text, followed by body text, it stays body text with the warning.
    let (d, w) = doc("请示\n正文。\n2024年3月5日\n正文。\n");
    assert_eq!(kinds(&d.blocks), [Title, Body, Body, Body]);
    assert_eq!(w.len(), 1, "{w:?}");
}
