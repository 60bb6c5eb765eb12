//! The plain-text reader placing real documents' lines (issue 8, item 1): 署名 blocks wherever
//! they stand, attachment pages started by plain `附件N` lines, the 版记 from plain `抄送：` and
//! `…印发` lines, a sentence as the first line, the enclosed document of a 印发/转发 通知, a
//! report's subtitle, speaker and salutation, a date that signs alone, and warnings for
//! conventions not applied. The fixtures (tests/fixtures/recognise-*.txt) model published
//! documents; tests/recognise.rs renders the same fixtures and checks their PDFs.

use crate::model::{Colophon, Document, Element};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/tests/fixtures/{name}.txt")).unwrap()
}

fn read(text: &str) -> (Document, Vec<String>) {
    let mut w = vec![];
    let d = super::parse(text, "t.txt", &mut w).unwrap();
    (d, w.iter().map(|w| w.to_string()).collect())
}

fn kinds(d: &Document) -> Vec<Element> {
    d.blocks.iter().map(|b| b.element()).collect()
}

fn texts_of(d: &Document, e: Element) -> Vec<String> {
    d.blocks
        .iter()
        .filter(|b| b.element() == e)
        .map(|b| b.text())
        .collect()
}

#[test]
fn signatures_anywhere_with_joint_organs_and_notes() {
    let (d, w) = read(&fixture("recognise-signatures"));
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Byline,
            Article,
            Article,
            Article,
            Article,
            Article,
            Article,
            Article,
            Article,
            Article,
            Article,
            Signature,
            Signature,
            Date,
            Note,
            Note
        ]
    );
    assert_eq!(
        texts_of(&d, Signature),
        ["青山县人民政府办公室", "青山县财政局", "青山县教育局"]
    );
    // The enclosed 办法's organs, on the line under its title.
    assert_eq!(texts_of(&d, Byline), ["青山县财政局　青山县教育局"]);
    assert_eq!(texts_of(&d, Date), ["二〇二四年三月五日", "2024年2月28日"]);
    assert_eq!(
        texts_of(&d, Note),
        [
            "（此件公开发布）",
            "（本文有删减）",
            "（联系人：王明　电话：0571-12345678）"
        ]
    );
    assert!(w.is_empty(), "{w:?}");
    assert!(d.attachments.is_empty() && d.colophon.is_none());
}

#[test]
fn a_date_alone_mid_text_stays_body_and_a_sentence_is_no_organ() {
    let (d, _) = read(
        "标题\n正文第一段。\n2024年3月5日\n会议要求，各单位抓好落实。\n2024年3月6日\n正文。\n",
    );
    use Element::*;
    assert_eq!(kinds(&d), [Title, Body, Body, Body, Body, Body]);
    // At the end a date alone is still the 成文日期.
    let (d, _) = read("标题\n正文。\n2024年3月5日\n");
    assert_eq!(kinds(&d), [Title, Body, Date]);
}

#[test]
fn attachment_pages_from_plain_lines() {
    let (d, _) = read(&fixture("recognise-attachments"));
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Body, Body, Attachment, Attachment, Signature, Date
        ]
    );
    assert_eq!(d.attachments.len(), 2);
    let p = &d.attachments[0];
    assert_eq!(p.number, "1");
    assert_eq!(p.title, "青山县校园安全隐患排查整治工作方案");
    assert_eq!(
        p.blocks.iter().map(|b| b.element()).collect::<Vec<_>>(),
        [
            Addressee, Body, Heading1, Body, Heading2, Heading2, Heading2, Heading2, Heading1,
            Body, Body, Signature, Date
        ]
    );
    assert_eq!(p.blocks[11].text(), "青山县教育局");
    let p = &d.attachments[1];
    assert_eq!(
        (p.number.as_str(), p.title.as_str()),
        ("2", "排查情况统计表")
    );
    assert_eq!(
        p.blocks.iter().map(|b| b.element()).collect::<Vec<_>>(),
        [Body]
    );
}

#[test]
fn attachment_lines_alone_in_every_form() {
    for (line, number) in [
        ("附件", ""),
        ("附件1", "1"),
        ("附件：", ""),
        ("附：", ""),
        ("附件２", "2"),
    ] {
        let text = format!("标题\n正文。\nXX局\n2024年3月5日\n{line}\n附件标题\n附件正文。\n");
        let (d, _) = read(&text);
        assert_eq!(d.attachments.len(), 1, "{line}");
        assert_eq!(d.attachments[0].number, number, "{line}");
        assert_eq!(d.attachments[0].title, "附件标题", "{line}");
        assert_eq!(d.blocks.last().unwrap().element(), Element::Date, "{line}");
    }
    // Not after a 署名 block: `附件：` alone is no page break.
    let (d, _) = read("标题\n正文。\n附件：\n附件标题\n");
    assert!(d.attachments.is_empty());
}

#[test]
fn colophon_from_plain_lines_and_a_sentence_as_title() {
    let (d, w) = read(&fixture("recognise-colophon"));
    assert_eq!(
        d.colophon,
        Some(Colophon {
            cc: Some("县委办公室，县人大常委会办公室，县政协办公室。".into()),
            printer: Some("青山县安全生产委员会办公室".into()),
            print_date: Some("2024年10月15日".into()),
            cc_line: Some(10),
            print_line: Some(11),
        })
    );
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Heading1, Body, Heading1, Body, Signature, Date
        ]
    );
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("t.txt:1") && w[0].contains("根据县委"),
        "{w:?}"
    );
    // A short title that is no sentence gets no warning; an ASCII space also separates the
    // 印发 line; the markup wins over a plain line.
    let (d, w) = read("标题\n正文。\n@印发机关: 甲办公室\n抄送：乙。\n丙办公室 2024年1月2日印发\n");
    assert!(w.is_empty(), "{w:?}");
    let c = d.colophon.unwrap();
    assert_eq!(c.printer.as_deref(), Some("甲办公室"));
    assert_eq!(c.cc.as_deref(), Some("乙。"));
    assert_eq!(c.print_date.as_deref(), Some("2024年1月2日"));
}

#[test]
fn markup_attachment_pages_read_like_a_main_text() {
    let (d, _) = read(
        "标题\n正文。\n@附件 1: 名单\n各科室：\n一、人员\n正文。\nXX局\n2024年3月5日\n（此件公开发布）\n",
    );
    use Element::*;
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(
        d.attachments[0]
            .blocks
            .iter()
            .map(|b| b.element())
            .collect::<Vec<_>>(),
        [Addressee, Heading1, Body, Signature, Date, Note]
    );
    // A plain `附件1` line inside a markup page is text, not a page of its own.
    let (d, _) = read("标题\n正文。\n@附件 1: 名单\n附件1\n正文。\n");
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.attachments[0].blocks.len(), 2);
}

#[test]
fn a_zhuanfa_notice_encloses_its_implementation_plan() {
    let (d, w) = read(&fixture("recognise-zhuanfa"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Body,
            Heading1,
            Body,
            Heading1,
            Heading2,
            Heading2,
            Heading3,
            Heading3,
            Heading1,
            Body,
            Signature,
            Date
        ]
    );
    assert_eq!(texts_of(&d, EnclosedTitle), ["“技能青山行动”实施方案"]);
    assert_eq!(
        texts_of(&d, Signature),
        ["青山县人民政府办公室", "青山县人力资源和社会保障局"]
    );
}

#[test]
fn a_state_council_yinfa_notice_encloses_its_plan() {
    let (d, w) = read(&fixture("recognise-yinfa"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d)[..9],
        [
            Title,
            DocNumber,
            Addressee,
            Body,
            Signature,
            Date,
            Note,
            EnclosedTitle,
            Body
        ]
    );
    // The draft split the enclosed title over two lines: one title, both lines its source.
    assert_eq!(
        texts_of(&d, EnclosedTitle),
        ["全民健身场地设施补短板工作方案"]
    );
    let title = d
        .blocks
        .iter()
        .find(|b| b.element() == EnclosedTitle)
        .unwrap();
    assert_eq!(
        (title.line(), title.as_para().unwrap().more_lines.clone()),
        (8, vec![9])
    );
    // The enclosed text's headings are headings, its last paragraph body text.
    assert_eq!(texts_of(&d, Heading1).len(), 3);
    assert_eq!(d.blocks.last().unwrap().element(), Body);
}

#[test]
fn no_enclosed_title_outside_a_notice_that_passes_a_document_on() {
    // A report whose 署名 block is followed by a line that ends in 方案 keeps it as body text.
    let (d, _) = read("工作总结\n正文。\n青山县教育局\n2024年3月5日\n下一步工作方案\n正文。\n");
    assert!(texts_of(&d, Element::EnclosedTitle).is_empty());
    // In a 转发 notice a sentence after the 署名 block is no title either.
    let (d, _) =
        read("关于转发办法的通知\n正文。\n青山县教育局\n2024年3月5日\n现将有关办法转发给你们。\n");
    assert!(texts_of(&d, Element::EnclosedTitle).is_empty());
    // `……办法（试行）` and `关于……` are titles.
    for t in ["校园安全经费管理办法（试行）", "关于加强校园安全工作的意见"]
    {
        let (d, _) = read(&format!(
            "关于印发文件的通知\n正文。\n青山县教育局\n2024年3月5日\n{t}\n正文。\n"
        ));
        assert_eq!(texts_of(&d, Element::EnclosedTitle), [t]);
    }
}

#[test]
fn a_letter_with_two_attachments_each_signed() {
    let (d, w) = read(&fixture("recognise-han"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Body, Attachment, Attachment, Signature, Date, Note
        ]
    );
    assert_eq!(d.attachments.len(), 2);
    let els = |i: usize| -> Vec<Element> {
        d.attachments[i]
            .blocks
            .iter()
            .map(|b| b.element())
            .collect()
    };
    use Element::Heading2 as H2;
    assert_eq!(
        els(0),
        [
            Body, Heading1, Body, Heading1, H2, H2, H2, H2, Heading1, Body, Heading1, Body,
            Heading1, Body, Signature, Date
        ]
    );
    assert_eq!(els(1), [Body, Body, Body, Body, Signature, Signature, Date]);
    assert_eq!(
        (d.attachments[1].line, d.attachments[1].title_line),
        (28, 29)
    );
}

#[test]
fn a_notice_ending_in_plain_cc_and_printer_lines() {
    let (d, w) = read(&fixture("recognise-notice"));
    assert!(w.is_empty(), "{w:?}");
    let c = d.colophon.unwrap();
    assert_eq!(
        c.cc.as_deref(),
        Some("县委办公室，县人大常委会办公室，县政协办公室。")
    );
    assert_eq!(c.printer.as_deref(), Some("青山县安全生产委员会办公室"));
    assert_eq!(c.print_date.as_deref(), Some("2024年11月20日"));
    assert_eq!((c.cc_line, c.print_line), (Some(13), Some(14)));
    assert_eq!(d.blocks.last().unwrap().element(), Element::Date);
}

#[test]
fn a_report_opens_with_subtitle_speaker_and_salutation() {
    let (d, w) = read(&fixture("recognise-report"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Subtitle, Speaker, Salutation, Body, Heading1, Body, Heading2, Heading2,
            Heading1, Body, Body
        ]
    );
    // Other shapes of the furniture: a date in brackets, a speaker with an unspaced name, a
    // salutation of several parts; a chapter heading and an organ line are no speaker.
    let (d, _) = read(
        "在全县经济工作会议上的讲话\n（2024年1月5日）\n县委书记 张建国\n同志们、朋友们：\n正文。\n",
    );
    assert_eq!(kinds(&d), [Title, Subtitle, Speaker, Salutation, Body]);
    let (d, _) = read("报告\n委员长、各位副委员长、秘书长、各位委员：\n正文。\n");
    assert_eq!(kinds(&d), [Title, Salutation, Body]);
    let (d, _) = read("管理办法\n第一章　总则\n第一条　为规范管理，制定本办法。\n");
    assert_eq!(kinds(&d), [Title, Chapter, Article]);
    let (d, _) = read("通知\n各乡镇人民政府：\n正文。\n");
    assert_eq!(kinds(&d), [Title, Addressee, Body]);
}

#[test]
fn conventions_not_applied_are_warned_about_by_line() {
    let (d, w) = read(
        "标题\n正文。\n2024年3月5日\n抄送：县委办公室。\n正文\t续。\n正文。\nXX局\n2024年3月6日\n",
    );
    use Element::*;
    assert_eq!(
        kinds(&d),
        [Title, Body, Body, Body, Body, Body, Signature, Date]
    );
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].starts_with("t.txt:5:") && w[0].contains("tab"),
        "{w:?}"
    );
    assert!(
        w[1].starts_with("t.txt:3:") && w[1].contains("署名"),
        "{w:?}"
    );
    assert!(
        w[2].starts_with("t.txt:4:") && w[2].contains("抄送"),
        "{w:?}"
    );
}

#[test]
fn a_request_signed_by_its_date_alone_under_a_masthead() {
    let (d, w) = read(&fixture("recognise-qingshi"));
    assert!(w.is_empty(), "{w:?}");
    use Element::*;
    assert_eq!(
        kinds(&d),
        [
            Title, Addressee, Body, Body, Body, Body, Attachment, Date, Note
        ]
    );
    assert!(d.masthead.is_some());
    assert_eq!(texts_of(&d, Date), ["2024年6月3日"]);
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(
        d.attachments[0].title,
        "青山县校园安全体系建设项目资金测算表"
    );
}

/// A 令 that 公布s a 条例: after the 署名 (`总理　李克强` over its date) the 条例's title, its
/// 题注, its 章 headings and its 条, each article's number a span of its own.
#[test]
fn an_order_publishes_a_regulation_in_chapters_and_articles() {
    use Element::*;
    let text = "国务院令\n《青山县河道管理条例》已经2024年3月1日县人民政府第5次常务会议通过，现予公布，自2024年5月1日起施行。\n县长　张建国\n2024年3月8日\n青山县河道管理条例\n（2024年3月1日县人民政府第5次常务会议通过）\n第一章　总　则\n第一条　为了加强河道管理，保障防洪安全，制定本条例。\n第二条　本县行政区域内河道的整治、利用和保护，适用本条例。\n第二章　河道整治\n第一节　规划\n第三条　河道整治应当符合防洪规划。\n";
    let (d, _) = read(text);
    assert_eq!(
        kinds(&d),
        [
            Title,
            Body,
            Signature,
            Date,
            EnclosedTitle,
            Subtitle,
            Chapter,
            Article,
            Article,
            Chapter,
            Section,
            Article
        ]
    );
    // `第一条` is a span of the article's face, the text after it the body's.
    let a = d.blocks[7].as_para().unwrap();
    assert_eq!(a.spans[0].text, "第一条");
    assert_eq!(a.spans[0].element, Article);
    assert_eq!(a.spans[1].element, Body);
    assert!(a.spans[1].text.starts_with("　为了"));
}

/// A 函 that 印送s a 预案: the 预案's title with its `（2024年修订）` line, its 目录 up to the
/// heading its first entry names, its decimal headings at levels 3 and 4.
#[test]
fn a_letter_sends_on_a_plan_with_contents_and_decimal_headings() {
    use Element::*;
    let text = "关于印送应急预案的函\n县应急管理局：\n现将《青山县防汛应急预案》印送给你们，请认真执行。\n青山县人民政府办公室\n2024年4月25日\n青山县防汛应急预案\n（2024年修订）\n目　录\n1　总则\n1.1　编制目的\n2　组织体系\n1　总则\n1.1　编制目的\n做好防汛工作。\n1.1.1 主要任务\n保障安全。\n2　组织体系\n县设防汛指挥部。\n";
    let (d, _) = read(text);
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            EnclosedTitle,
            ContentsTitle,
            Contents,
            Contents,
            Contents,
            Heading3,
            Heading4,
            Body,
            Heading4,
            Body,
            Heading3,
            Body
        ]
    );
    // The bracketed second line is the title's own, a break before it, both lines its source.
    let t = d.blocks[5].as_para().unwrap();
    assert_eq!(t.text(), "青山县防汛应急预案（2024年修订）");
    assert_eq!((t.breaks.clone(), t.more_lines.clone()), (vec![9], vec![7]));
}

/// A 通知 that issues two 规定 one after the other: the second starts where its title, named
/// in the notice's 《》, stands after the first's last clause; the clauses of a 规定 are body
/// text, never run-in headings.
#[test]
fn a_notice_issues_two_regulations_one_after_the_other() {
    use Element::*;
    let text = "关于印发两项规定的通知\n各部门：\n现将《青山县项目管理规定》《青山县资金管理规定》印发给你们。\n青山县人民政府办公室\n2024年7月12日\n青山县项目管理规定\n（一）项目实行库管理。未入库的项目不得安排投资。\n（二）本规定自印发之日起施行。\n青山县资金管理规定\n（试行）\n第一条　为加强资金管理，制定本规定。\n";
    let (d, _) = read(text);
    assert_eq!(
        kinds(&d),
        [
            Title,
            Addressee,
            Body,
            Signature,
            Date,
            EnclosedTitle,
            Body,
            Body,
            EnclosedTitle,
            Article
        ]
    );
    assert_eq!(
        texts_of(&d, EnclosedTitle),
        ["青山县项目管理规定", "青山县资金管理规定（试行）"]
    );
    // Not named and not after a 署名: a line ending in 规定 inside the text stays body.
    let (d, _) = read(
        "关于印发规定的通知\n各部门：\n现将《甲规定》印发给你们。\n青山县人民政府\n2024年7月12日\n甲规定\n一、总则\n乙规定\n",
    );
    assert_eq!(texts_of(&d, EnclosedTitle), ["甲规定"]);
}

/// `（试行）` under a main title and `（共12项）` under an attachment page's title are title lines.
#[test]
fn a_bracketed_second_title_line_stays_a_title_line() {
    let (d, _) = read(
        "青山县农村公路养护管理办法\n（试行）\n第一条　为规范养护，制定本办法。\n青山县交通运输局\n2024年5月6日\n附件\n青山县农村公路养护项目清单\n（共12项）\n一、县道养护。\n",
    );
    assert_eq!(d.title, "青山县农村公路养护管理办法（试行）");
    let t = d.blocks[0].as_para().unwrap();
    assert_eq!(
        (t.breaks.clone(), t.more_lines.clone()),
        (vec![13], vec![2])
    );
    assert_eq!(d.blocks[1].element(), Element::Article);
    let page = &d.attachments[0];
    assert_eq!(page.title, "青山县农村公路养护项目清单（共12项）");
    assert_eq!(
        (page.title_breaks.clone(), page.title_more_lines.clone()),
        (vec![13], vec![8])
    );
}
