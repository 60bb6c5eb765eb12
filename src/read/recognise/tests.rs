//! The recogniser on lines alone, and `render` (the plain-text reader) and `check` (a Word
//! file's paragraphs) held to one answer where they once had two rules: full-width digits number
//! headings and attachments, and a date may mix Arabic and Chinese numerals.

use super::*;
use crate::check::{Role, classify_text};
use crate::model::Element;

/// What the plain-text reader makes of each line, by its line number (1-based).
fn rendered(lines: &[&str]) -> Vec<(usize, Element)> {
    let doc = crate::read::text::parse(&lines.join("\n"), "t.txt", &mut Vec::new()).unwrap();
    let mut out: Vec<(usize, Element)> =
        doc.blocks.iter().map(|b| (b.line(), b.element())).collect();
    for page in &doc.attachments {
        out.push((page.line, Element::AttachmentLabel));
        out.push((page.title_line, Element::AttachmentTitle));
        out.extend(page.blocks.iter().map(|b| (b.line(), b.element())));
    }
    out
}

/// The element the plain-text reader gave line `n` (1-based).
fn element_at(lines: &[&str], n: usize) -> Element {
    rendered(lines)
        .into_iter()
        .find(|(line, _)| *line == n)
        .map(|(_, e)| e)
        .unwrap_or_else(|| panic!("line {n} made no block: {:?}", rendered(lines)))
}

#[test]
fn headings_by_their_numbering_text() {
    assert_eq!(heading_level("一、总体要求"), Some(1));
    assert_eq!(heading_level("　　十二、其他"), Some(1));
    assert_eq!(heading_level("（一）加强领导。各地要"), Some(2));
    assert_eq!(heading_level("(三)落实"), Some(2));
    assert_eq!(heading_level("1.建立机制"), Some(3));
    assert_eq!(heading_level("12．严格推进"), Some(3));
    assert_eq!(heading_level("（1）细化"), Some(4));
    assert_eq!(heading_level("1.5亿元用于"), None);
    assert_eq!(heading_level("2023年7月"), None);
    assert_eq!(heading_level("（此件公开发布）"), None);
    assert_eq!(heading_level("一是加强"), None);
    assert_eq!(
        heading_level("\u{F0000}一、总体要求"),
        None,
        "a value's line"
    );
}

#[test]
fn dates() {
    assert!(is_date("2023年7月1日"));
    assert!(is_date("　二〇二四年三月五日 "));
    assert!(!is_date("2023年7月1日至8月31日"));
    assert!(!is_date("7月1日"));
    assert!(!is_date("\u{F0000}2023年7月1日"), "a value's line");
}

#[test]
fn masthead_lines() {
    assert!(is_masthead_text("青政办发〔2023〕12号"));
    assert!(is_masthead_text("000018"));
    assert!(is_masthead_text("第12期"));
    assert!(!is_masthead_text("关于开展2023年度安全生产大检查的通知"));
}

/// `（１）` with full-width digits is a level-4 heading to both (`check` took it for body text).
#[test]
fn full_width_heading_4_in_render_and_check() {
    assert_eq!(heading_level("（１）细化措施"), Some(4));
    let lines = ["关于加强管理的通知", "（１）细化措施", "正文。"];
    assert_eq!(element_at(&lines, 2), Element::Heading4);
    assert_eq!(classify_text(&lines)[1], Role::Heading(4));
}

/// `１．` with full-width digits is a level-3 heading to both (`check` took it for body text).
#[test]
fn full_width_heading_3_in_render_and_check() {
    assert_eq!(heading_level("１２．建立机制"), Some(3));
    assert_eq!(heading_level("１．５亿元"), None, "a decimal number");
    let lines = ["关于加强管理的通知", "１２．建立机制", "正文。"];
    assert_eq!(element_at(&lines, 2), Element::Heading3);
    assert_eq!(classify_text(&lines)[1], Role::Heading(3));
}

/// `2023年七月1日`, Arabic and Chinese numerals mixed as drafts type them, is a 成文日期 to both
/// (`check` wanted all of one kind).
#[test]
fn mixed_numeral_date_in_render_and_check() {
    assert!(is_date("2023年七月1日"));
    assert!(is_date("二〇二三年7月1日"));
    let lines = [
        "关于加强管理的通知",
        "正文。",
        "某某市人民政府",
        "2023年七月1日",
    ];
    assert_eq!(element_at(&lines, 3), Element::Signature);
    assert_eq!(element_at(&lines, 4), Element::Date);
    let roles = classify_text(&lines);
    assert_eq!(roles[2], Role::Signature);
    assert_eq!(roles[3], Role::Date);
}

/// `附件１` alone after a 署名, full-width, labels an attachment page to both (`check` took only
/// ASCII digits).
#[test]
fn full_width_attachment_label_in_render_and_check() {
    assert_eq!(attachment_page_start("附件１").as_deref(), Some("1"));
    assert_eq!(attachment_page_start("附件：").as_deref(), Some(""));
    assert_eq!(attachment_page_start("附件1：名单"), None);
    let lines = [
        "关于加强管理的通知",
        "正文。",
        "某某市人民政府",
        "2023年7月1日",
        "附件１",
        "名单",
        "张三",
    ];
    assert_eq!(element_at(&lines, 5), Element::AttachmentLabel);
    let roles = classify_text(&lines);
    assert_eq!(roles[4], Role::AttachmentLabel);
    assert_eq!(roles[5], Role::AttachmentTitle);
}

/// A `（…）` line under the date is a 附注 to both, and `（一）` there is a heading to both.
#[test]
fn note_under_date_in_render_and_check() {
    let lines = [
        "关于加强管理的通知",
        "正文。",
        "某某市人民政府",
        "2023年7月1日",
        "（此件公开发布）",
    ];
    assert_eq!(element_at(&lines, 5), Element::Note);
    assert_eq!(classify_text(&lines)[4], Role::Note);
    assert!(!is_note("（一）"));
    assert!(is_note("（此件公开发布）"));
}

#[test]
fn a_numbered_line_is_a_heading_only_standing_alone() {
    use Numbered::*;
    // alone, short, no sentence after it: a heading
    assert_eq!(
        numbered("一、总体要求", None, Some("坚持……。")),
        Some((1, Heading))
    );
    assert_eq!(
        numbered("（一）加强组织领导。", None, None),
        Some((2, Heading))
    );
    // a sentence after the first 。, or after a short lead's ：: run in
    assert_eq!(
        numbered("（一）加强组织领导。各地要……", None, None),
        Some((2, RunIn(10)))
    );
    assert_eq!(
        numbered("（一）知识产权保护方面5项：专利快速预审服务。", None, None),
        Some((2, RunIn(14)))
    );
    // list items: a sibling next to it, a ；, a sentence longer than a line
    assert_eq!(
        numbered("1.对建筑施工安全情况。", Some("2.对……"), None),
        Some((3, Item(2)))
    );
    assert_eq!(
        numbered("一、审议县级决算报告；", None, None),
        Some((1, Item(2)))
    );
    assert_eq!(
        numbered(
            "一、为规范县人民政府常务会议议事程序，提高决策水平，制定本规则。",
            None,
            None
        ),
        Some((1, Item(2)))
    );
    // a long heading without a sentence stays a heading
    assert_eq!(
        numbered(
            "一、关于进一步加强全县农村集体经济组织财务管理和审计监督的主要措施",
            None,
            None
        ),
        Some((1, Heading))
    );
}

#[test]
fn render_and_check_read_list_items_alike() {
    let lines = [
        "关于开展检查的通知",
        "各乡镇：",
        "（一）重点检查事项",
        "1.对道路交通安全情况。",
        "2.对消防安全情况。",
        "二、工作要求",
        "请认真落实。",
    ];
    assert_eq!(element_at(&lines, 3), Element::Heading2);
    assert_eq!(element_at(&lines, 4), Element::Body);
    assert_eq!(element_at(&lines, 5), Element::Body);
    assert_eq!(element_at(&lines, 6), Element::Heading1);
    let roles = classify_text(&lines);
    assert_eq!(roles[2], Role::Heading(2));
    assert_eq!(roles[3], Role::Body);
    assert_eq!(roles[4], Role::Body);
    assert_eq!(roles[5], Role::Heading(1));
}

/// `第一章　总　则`, `第二节　规划`, `第十二条　……` by their numbers; a sentence citing an article
/// is none.
#[test]
fn chapters_sections_and_articles() {
    assert_eq!(law_part("第一章　总　则"), Some(('章', 3)));
    assert_eq!(law_part("第十二章 附则"), Some(('章', 4)));
    assert_eq!(law_part("第二节　规划"), Some(('节', 3)));
    assert_eq!(
        law_part("第十二条　本条例自公布之日起施行。"),
        Some(('条', 4))
    );
    assert_eq!(
        law_part("第一条为了加强管理，制定本办法。"),
        Some(('条', 3))
    );
    assert_eq!(law_part("第三条规定的情形，依照本办法处理。"), None);
    assert_eq!(law_part("第一章总则，规定了适用范围。"), None);
    assert_eq!(law_part("第一次会议"), None);
    assert_eq!(law_part("\u{F0000}第一条　值"), None, "a value's line");
    // Neither a speaker nor an enclosed title.
    assert!(!is_speaker("第一章　总则"));
    assert!(!is_enclosed_title("第二章　管理规定"));
}

/// `1　总则`, `1.1　编制目的`, `1.2.1 主要任务`: decimal headings, at the levels Arabic numbers
/// take (7.3.3: 3 and 4); quantities are none.
#[test]
fn decimal_headings_and_quantities() {
    assert_eq!(decimal_heading("1　总则"), Some((1, 2)));
    assert_eq!(decimal_heading("1.1　编制目的"), Some((2, 4)));
    assert_eq!(decimal_heading("1.2.1 主要任务"), Some((3, 6)));
    assert_eq!(decimal_heading("5.2　分级响应措施"), Some((2, 4)));
    assert_eq!(heading_level("1　总则"), Some(3));
    assert_eq!(heading_level("1.1　编制目的"), Some(4));
    assert_eq!(heading_level("1.2.1 主要任务"), Some(4));
    for quantity in [
        "1.5亿元用于",
        "3 个乡镇完成",
        "2024 年工作要点",
        "2.5分",
        "1 总则很长很长很长很长很长很长很长很长很长很长很长",
    ] {
        assert_eq!(decimal_heading(quantity), None, "{quantity}");
    }
    assert_eq!(decimal_heading("1总则"), None, "one number needs its space");
    // `1.2 编制依据` beside `1.2.1 ……` is no sibling: a heading over a subheading.
    let lines = ["预案", "1.2　编制依据", "1.2.1 法律", "正文。"];
    assert_eq!(element_at(&lines, 2), Element::Heading4);
    assert_eq!(element_at(&lines, 3), Element::Heading4);
}

/// A title's second line in brackets, not a 题注 (which has its date) nor a 附注.
#[test]
fn bracketed_title_lines() {
    for t in [
        "（试行）",
        "（共130项）",
        "（2024年修订）",
        "（征求意见稿）",
        "(暂行)",
    ] {
        assert!(is_title_bracket(t), "{t}");
    }
    for t in [
        "（2024年3月5日县人民政府第5次常务会议通过）",
        "（此件公开发布）",
        "（联系人：李华）",
        "（一）",
        "试行",
    ] {
        assert!(!is_title_bracket(t), "{t}");
    }
}

/// A clause whose first sentence runs past a heading's line (`六、提交……，报县长确定。……`)
/// is a numbered paragraph, not a run-in heading; a short lead still is one.
#[test]
fn a_long_first_sentence_is_no_run_in_lead() {
    let long = "六、提交常务会议讨论的议题，由分管副县长审核后提出，报县长确定。议题提出单位应当事先充分调查研究。";
    assert!(matches!(
        numbered(long, None, None),
        Some((1, Numbered::Item(2)))
    ));
    let short = "（一）加强组织领导。各地要建立工作机制。";
    assert!(matches!(
        numbered(short, None, None),
        Some((2, Numbered::RunIn(_)))
    ));
}
