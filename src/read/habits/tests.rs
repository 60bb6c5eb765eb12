//! The habits pass on documents the plain-text reader made.

use super::*;
use crate::model::Element;

fn read(text: &str, as_typed: bool) -> (Document, Vec<String>) {
    let mut w = Vec::new();
    let mut doc = crate::read::text::parse(text, "t.txt", &mut w).unwrap();
    let mut warnings = Vec::new();
    apply(&mut doc, as_typed, &mut warnings);
    (doc, warnings.iter().map(|w| w.to_string()).collect())
}

fn texts(doc: &Document, e: Element) -> Vec<String> {
    doc.blocks
        .iter()
        .filter(|b| b.element() == e)
        .map(Block::text)
        .collect()
}

#[test]
fn a_typed_date_is_written_in_full_with_a_warning_naming_the_line() {
    for typed in [
        "2024.4.25",
        "2024-04-25",
        "2024/4/25",
        "2024年04月25日",
        "2024 年 4 月 25 日",
        "２０２４年４月２５日",
        "二〇二四年四月二十五日",
    ] {
        let text = format!("关于加强管理的通知\n各科室：\n正文。\n青山县人民政府\n{typed}\n");
        let (doc, w) = read(&text, false);
        assert_eq!(texts(&doc, Element::Date), ["2024年4月25日"], "{typed}");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("t.txt:5: the date"), "{w:?}");
        assert!(
            w[0].contains(typed.trim()) && w[0].contains("`2024年4月25日`"),
            "{w:?}"
        );
        // As typed: the same roles, the text kept, nothing said.
        let (doc, w) = read(&text, true);
        assert_eq!(texts(&doc, Element::Date), [typed]);
        assert!(w.is_empty());
    }
    let (_, w) = read(
        "关于加强管理的通知\n正文。\n青山县人民政府\n2024年4月25日\n",
        false,
    );
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn dates_in_sentences_and_tables_are_never_rewritten() {
    let text = "关于加强管理的通知\n会议定于2024.4.25召开，时间10:30。\n序号\t日期\t事项\n1\t2024.4.25\t开会\n青山县人民政府\n2024年4月25日\n";
    let (doc, w) = read(text, false);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        texts(&doc, Element::Body)[0],
        "会议定于2024.4.25召开，时间10:30。"
    );
    let table = doc.blocks.iter().find_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    });
    assert_eq!(table.unwrap().rows[1][1], "2024.4.25");
}

#[test]
fn numbering_habits_are_written_as_the_standard_numbers() {
    let text = "关于加强管理的通知\n各科室:\n一、总体要求\n(一)工作目标\n1、建立机制\n(1)细化措施\n正文见附件(试行)，网址:http://example.cn，时间10:30。\n附件:1、青山县工作方案\n2、青山县任务清单\n青山县人民政府\n2024年4月25日\n";
    let (doc, w) = read(text, false);
    let all: Vec<(Element, String)> = doc.blocks.iter().map(|b| (b.element(), b.text())).collect();
    let want = [
        (Element::Addressee, "各科室："),
        (Element::Heading1, "一、总体要求"),
        (Element::Heading2, "（一）工作目标"),
        (Element::Heading3, "1.建立机制"),
        (Element::Heading4, "（1）细化措施"),
        (
            Element::Body,
            "正文见附件（试行），网址：http://example.cn，时间10:30。",
        ),
        (Element::Attachment, "附件：1.青山县工作方案"),
        (Element::Attachment, "2.青山县任务清单"),
    ];
    for (e, t) in want {
        assert!(all.contains(&(e, t.to_string())), "{t}: {all:?}");
    }
    let lines: Vec<&str> = w.iter().map(|w| w.split(':').nth(1).unwrap()).collect();
    assert_eq!(lines, ["2", "4", "5", "6", "7", "8", "8", "9"], "{w:#?}");
    assert!(
        w.iter().any(|w| w.contains("`1、` is written `1.`")),
        "{w:#?}"
    );
    // As typed: the same roles.
    let (typed, w) = read(text, true);
    assert!(w.is_empty());
    let roles = |d: &Document| d.blocks.iter().map(Block::element).collect::<Vec<_>>();
    assert_eq!(roles(&typed), roles(&doc));
    assert!(texts(&typed, Element::Heading3) == ["1、建立机制"]);
}

#[test]
fn marks_in_latin_text_stay_half_width() {
    assert_eq!(full_width_marks("10:30开会"), None);
    assert_eq!(full_width_marks("见(GB/T 9704)的规定"), None);
    assert_eq!(
        full_width_marks("网址:https://a.cn").as_deref(),
        Some("网址：https://a.cn")
    );
    assert_eq!(
        full_width_marks("实施办法(试行)").as_deref(),
        Some("实施办法（试行）")
    );
    assert_eq!(
        full_width_marks("办法（2024年修订)").as_deref(),
        Some("办法（2024年修订）")
    );
    assert_eq!(
        numbering("12、推进"),
        Some(("12、".into(), "12.推进".into()))
    );
    assert_eq!(numbering("（一）推进"), None);
    assert_eq!(numbering("1.推进"), None);
}
