//! A 命令(令) as a clerk types it (GB/T 9704 10.2): a first line that is an organ's full name
//! with 令 or 命令 after it (`中华人民共和国国务院令`, `青山县人民政府令`), then the 令号 alone
//! (`第706号`), then the body; and over the 成文日期 the 签发人's 职务 and name
//! (`县长　王建国`, 7.3.5.3), not an organ.
//!
//! [`take`] reads the two first lines into the 版头 (as `@令:` and `@令号:` would, with a
//! warning saying so); [`Order::apply`] gives the document its 令 furniture once it is read: the
//! 标志 and 令号, no title (a 令's first line under the 令号 is body text), the 签发人 line.
//! Which layout follows is [`crate::model::Document::layout_hint`]'s.

use crate::error::Warning;
use crate::model::{Block, Document, Element, Masthead};
use crate::read::markup::Meta;
use crate::read::recognise::{has_sentence_punct, heading_level, is_date, is_speaker, literal};

/// What [`take`] found.
#[derive(Debug, Default)]
pub(super) struct Order {
    /// The 版头 read from plain lines (`None`: none was, or markup gave it).
    masthead: Option<Masthead>,
    /// The lines taken, with their roles for `gongwen explain`.
    head_lines: Vec<(usize, Element, String)>,
    /// The document is a 令, by its plain lines or its markup (`@令:`).
    pub is_order: bool,
}

/// `青山县人民政府令` → (`青山县人民政府`, `令`); `中央军委命令` → (`中央军委`, `命令`). A
/// short line with no punctuation ending in 令 or 命令 after an organ's name of at least two
/// characters.
pub(crate) fn order_mark(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if literal(line)
        || line.chars().count() > 30
        || has_sentence_punct(line)
        || line.contains(|c: char| "：:、（）()《》“”".contains(c) || c.is_whitespace())
        || heading_level(line).is_some()
    {
        return None;
    }
    let (name, suffix) = match line.strip_suffix("命令") {
        Some(name) => (name, "命令"),
        None => (line.strip_suffix('令')?, "令"),
    };
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    (name.chars().count() >= 2 && name.chars().all(han))
        .then(|| (name.to_string(), suffix.to_string()))
}

/// `第706号`, `第 5 号`, `第５号`, `第十二号` (the 令号 alone on its line, 10.2) → `第706号` with
/// the spaces removed.
pub(crate) fn order_number(line: &str) -> Option<String> {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t
        .strip_prefix('（')
        .and_then(|r| r.strip_suffix('）'))
        .unwrap_or(&t);
    let n = t.strip_prefix('第')?.strip_suffix('号')?;
    let digit = |c: char| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "一二三四五六七八九十百千零〇".contains(c)
    };
    (!literal(line) && !n.is_empty() && n.chars().count() <= 8 && n.chars().all(digit))
        .then(|| format!("第{n}号"))
}

/// Take a 令's 标志 and 令号 from the first two plain lines, unless the markup gives a 版头.
pub(super) fn take(
    mut lines: Vec<(usize, String)>,
    meta: &Meta,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<(usize, String)>, Order) {
    if let Some(mh) = &meta.masthead {
        let is_order = mh.is_order();
        return (
            lines,
            Order {
                is_order,
                ..Order::default()
            },
        );
    }
    let found = match lines.as_slice() {
        [(n1, first), (n2, second), ..] => order_mark(first)
            .zip(order_number(second))
            .map(|(mark, number)| (*n1, *n2, first.clone(), mark, number)),
        _ => None,
    };
    let Some((n1, n2, first, (name, suffix), number)) = found else {
        return (lines, Order::default());
    };
    warnings.push(Warning::at(
        source,
        n1,
        format!(
            "「{first}」 and 「{number}」 are read as a 命令(令)'s 标志 and 令号 (GB/T 9704 10.2), set with the ling layout; to say so explicitly, write @令: {first} and @令号: {number}"
        ),
    ));
    lines.drain(..2);
    let masthead = Masthead {
        issuers: vec![name],
        suffix,
        doc_number: Some(number),
        ..Masthead::default()
    };
    let head_lines = vec![
        (n1, Element::Masthead, "令标志".to_string()),
        (n2, Element::DocNumber, "令号".to_string()),
    ];
    (
        lines,
        Order {
            masthead: Some(masthead),
            head_lines,
            is_order: true,
        },
    )
}

impl Order {
    /// Give a 令 its furniture: the 版头 read from its lines, no title (the line the reader took
    /// as the title is the body's first), and the 签发人 line over the date (7.3.5.3).
    pub(super) fn apply(self, doc: &mut Document) {
        published(doc);
        if !self.is_order {
            return;
        }
        if let Some(mh) = self.masthead {
            doc.masthead = Some(mh);
        }
        doc.head_lines = self.head_lines;
        if let Some(Block::Para(p)) = doc.blocks.first_mut()
            && p.element == Element::Title
        {
            p.element = Element::Body;
            p.breaks.clear();
            for s in &mut p.spans {
                s.element = Element::Body;
            }
        }
        if let Some(mh) = &doc.masthead {
            let number = mh.doc_number.as_deref().unwrap_or_default();
            doc.title = format!("{}{}{}", mh.issuers.concat(), mh.suffix, number);
        }
        signer_posts(&mut doc.blocks);
    }
}

/// A 公告 or 通告 is published, not sent: it has no 主送 (条例 on 公文处理, 第八条), so a first
/// line under its title that ends in `：` (`……现将有关事项公告如下：`) is its body's first
/// paragraph.
fn published(doc: &mut Document) {
    let kind = |t: &str| t.ends_with("公告") || t.ends_with("通告");
    if !doc.blocks.first().is_some_and(|b| {
        b.element() == Element::Title && kind(b.text().trim_end_matches(['）', ')']))
    }) {
        return;
    }
    if let Some(p) = doc
        .blocks
        .iter_mut()
        .take_while(|b| b.element() != Element::Body)
        .find(|b| b.element() == Element::Addressee)
        .and_then(Block::as_para_mut)
    {
        p.element = Element::Body;
        p.spans.iter_mut().for_each(|s| s.element = Element::Body);
    }
}

/// In a 令's main text, a one-line 署名 over a date that reads as 职务 and a name
/// (`县长　王建国`) is the 签发人 line (7.3.5.3). Only the 令's own: an enclosed document's
/// 署名 blocks after its title are left as they are. A 令 of one paragraph has the line right
/// under the line the reader first took as a title, where it read as a speaker: the same.
fn signer_posts(blocks: &mut [Block]) {
    let end = blocks
        .iter()
        .position(|b| b.element() == Element::EnclosedTitle)
        .unwrap_or(blocks.len());
    for i in 0..end {
        let prev = i.checked_sub(1).map(|k| blocks[k].element());
        let next = blocks.get(i + 1);
        let signs = match blocks[i].element() {
            Element::Signature => {
                prev != Some(Element::Signature) && next.map(Block::element) == Some(Element::Date)
            }
            Element::Speaker => next.is_some_and(|b| {
                matches!(b.element(), Element::Date | Element::Body) && is_date(&b.text())
            }),
            _ => false,
        };
        if !signs || !is_speaker(&blocks[i].text()) {
            continue;
        }
        for (k, e) in [(i, Element::SignerPost), (i + 1, Element::Date)] {
            if let Some(p) = blocks[k].as_para_mut() {
                p.element = e;
                p.spans.iter_mut().for_each(|s| s.element = e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_line_ending_in_ling_is_a_mark() {
        assert_eq!(
            order_mark("中华人民共和国国务院令"),
            Some(("中华人民共和国国务院".into(), "令".into()))
        );
        assert_eq!(
            order_mark("中央军委命令"),
            Some(("中央军委".into(), "命令".into()))
        );
        assert_eq!(order_mark("令"), None);
        assert_eq!(order_mark("现予公布，请遵照执行令"), None);
        assert_eq!(order_mark("关于发布《禁渔令》的通告"), None);
    }

    #[test]
    fn a_ling_number_alone_on_its_line() {
        assert_eq!(order_number("第706号").as_deref(), Some("第706号"));
        assert_eq!(order_number("第 5 号").as_deref(), Some("第5号"));
        assert_eq!(order_number("（第１２号）").as_deref(), Some("第１２号"));
        assert_eq!(order_number("第十二号").as_deref(), Some("第十二号"));
        assert_eq!(order_number("第706号文件"), None);
        assert_eq!(order_number("青政发〔2024〕5号"), None);
    }

    fn read(text: &str) -> (Document, Vec<Warning>) {
        let mut w = vec![];
        let doc = crate::read::document_from_text(text, "t.txt", &mut w).unwrap();
        (doc, w)
    }

    #[test]
    fn a_ling_draft_has_a_mark_a_number_no_title_and_a_signer() {
        let (doc, w) = read(
            "青山县人民政府令\n第5号\n《青山县城市绿化管理办法》已经2024年3月1日县人民政府第12次常务会议通过，现予公布，自2024年5月1日起施行。\n县长　王建国\n2024年3月8日\n",
        );
        let mh = doc.masthead.as_ref().unwrap();
        assert_eq!(mh.issuers, ["青山县人民政府"]);
        assert_eq!(mh.suffix, "令");
        assert_eq!(mh.doc_number.as_deref(), Some("第5号"));
        assert_eq!(doc.layout_hint(), Some("ling"));
        let roles: Vec<Element> = doc.blocks.iter().map(Block::element).collect();
        assert_eq!(roles, [Element::Body, Element::SignerPost, Element::Date]);
        assert_eq!(
            doc.head_lines,
            [
                (1, Element::Masthead, "令标志".to_string()),
                (2, Element::DocNumber, "令号".to_string())
            ]
        );
        assert!(w[0].message.contains("@令: 青山县人民政府令"), "{w:?}");
        assert!(!w.iter().any(|w| w.message.contains("sentence")), "{w:?}");
    }

    #[test]
    fn a_gonggao_has_no_addressee_and_its_number_stands_under_its_title() {
        let (doc, _) = read(
            "青山县森林防火指挥部关于实行野外火源管控的通告\n（第2号）\n当前我县已进入森林高火险期，现就有关事项通告如下：\n一、禁止野外用火。\n特此通告。\n青山县森林防火指挥部\n2024年9月25日\n",
        );
        let roles: Vec<Element> = doc.blocks.iter().map(Block::element).collect();
        assert_eq!(
            roles,
            [
                Element::Title,
                Element::Subtitle,
                Element::Body,
                Element::Heading1,
                Element::Body,
                Element::Signature,
                Element::Date
            ]
        );
        // A 通知's 主送 stays one.
        let (doc, _) = read("关于防汛的通知\n各乡镇：\n请做好防汛工作。\n");
        assert_eq!(doc.blocks[1].element(), Element::Addressee);
    }

    #[test]
    fn markup_says_it_too_and_a_notice_is_no_ling() {
        let (doc, _) = read(
            "@令: 青山县人民政府令\n@令号: 第5号\n《办法》已经县人民政府常务会议通过，现予公布。\n县长　王建国\n2024年3月8日\n",
        );
        assert!(doc.masthead.as_ref().unwrap().is_order());
        assert_eq!(doc.blocks[0].element(), Element::Body);
        assert_eq!(doc.blocks[1].element(), Element::SignerPost);
        let (doc, _) = read(
            "关于做好防汛工作的通知\n各乡镇：\n请做好防汛工作。\n青山县人民政府\n2024年3月8日\n",
        );
        assert_eq!(doc.layout_hint(), None);
        assert_eq!(doc.blocks[0].element(), Element::Title);
        assert_eq!(doc.blocks[3].element(), Element::Signature);
    }
}
