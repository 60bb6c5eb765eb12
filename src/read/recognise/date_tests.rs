//! Dates as clerks type them: each form a 成文日期 is typed in, and what is no date.

use super::*;

#[test]
fn every_typed_form_is_a_date() {
    for (typed, ymd) in [
        ("2024年4月25日", (2024, 4, 25)),
        ("2024年04月25日", (2024, 4, 25)),
        ("2024 年 4 月 25 日", (2024, 4, 25)),
        ("2024年　4月　25日", (2024, 4, 25)),
        ("２０２４年４月２５日", (2024, 4, 25)),
        ("二〇二四年四月二十五日", (2024, 4, 25)),
        ("二零二四年十二月三十一日", (2024, 12, 31)),
        ("二〇二四年十月一日", (2024, 10, 1)),
        ("2024.4.25", (2024, 4, 25)),
        ("2024-04-25", (2024, 4, 25)),
        ("2024/4/25", (2024, 4, 25)),
        ("２０２４．４．２５", (2024, 4, 25)),
        ("  2024.4.5 ", (2024, 4, 5)),
        ("2024年2月29日", (2024, 2, 29)),
    ] {
        assert_eq!(date_ymd(typed), Some(ymd), "{typed}");
        assert!(is_date(typed), "{typed}");
        let (y, m, d) = ymd;
        assert_eq!(standard_date(typed), Some(format!("{y}年{m}月{d}日")));
    }
}

#[test]
fn what_is_no_date() {
    for t in [
        "2024.4",
        "2024-04",
        "1.2.3",
        "3.10.2",
        "2024.4.25.",
        "2024.4-25",
        "v2024.4.25",
        "2024.13.1",
        "2024.4.31",
        "2023年2月29日",
        "2024年4月",
        "4月25日",
        "1000.1.1",
        "于2024年4月25日召开",
        "2024年4月25日召开会议",
        "2024年4月25日至5月1日",
        "2024年4月25日印发",
        "版本2.1.0",
        "2024.4.25 10:30",
        "二〇二四年十三月一日",
        "二〇二四年四月三十二日",
        "\u{F0000}2024.4.25",
    ] {
        assert!(!is_date(t), "{t}");
        assert_eq!(standard_date(t), None, "{t}");
    }
}

#[test]
fn typed_dates_sign_in_render_and_check() {
    use crate::check::{Role, classify_text};
    use crate::model::Element;
    for date in [
        "2024.4.25",
        "2024-04-25",
        "2024/4/25",
        "2024 年 4 月 25 日",
        "２０２４年４月２５日",
    ] {
        let lines = ["关于加强管理的通知", "正文。", "青山县人民政府", date];
        let doc = crate::read::text::parse(&lines.join("\n"), "t.txt", &mut Vec::new()).unwrap();
        let kinds: Vec<Element> = doc.blocks.iter().map(|b| b.element()).collect();
        assert_eq!(
            kinds,
            [
                Element::Title,
                Element::Body,
                Element::Signature,
                Element::Date
            ],
            "{date}"
        );
        let roles = classify_text(&lines);
        assert_eq!(roles[2], Role::Signature, "{date}");
        assert_eq!(roles[3], Role::Date, "{date}");
    }
}

#[test]
fn a_typed_first_number_is_the_third_level() {
    assert_eq!(heading_level("1、建立机制"), Some(3));
    assert_eq!(heading_level("１２、严格推进"), Some(3));
    assert_eq!(heading_level("2024、2025年"), None);
    assert_eq!(heading_level("(1)细化"), Some(4));
    assert_eq!(heading_level("(一)落实"), Some(2));
}
