//! What each line is: title, 发文字号, 主送, headings, body, 附件说明, 署名 blocks, 附注,
//! attachment pages started by plain lines and the 版记 from plain lines at the end.

use super::tables::TABLE_MARK;
use crate::markup::LITERAL;
use crate::model::{AttachmentPage, Block, Colophon, Document, Element, Span};

/// A line that a data value began ([`LITERAL`] first): body text, whatever it looks like. Its
/// mark keeps the patterns that look at a line's start (headings, dates, 附件, 抄送) from
/// matching; those that look at its end or length ask here.
fn literal(line: &str) -> bool {
    line.starts_with(LITERAL)
}

/// The main part: title, 发文字号, a report's subtitle and speaker, 主送 (or a speech's
/// salutation), body, 附件说明, 署名, 成文日期, 附注, an enclosed document; then the attachment
/// pages that plain lines start after a 署名 block (`附件1`, `附件：`, `附：` alone, 8).
pub(super) fn parse_main(lines: &[(usize, String)], bylines: Vec<Block>) -> Document {
    let (start, end) = (1usize, lines.len());
    // `|` in the title line breaks it there (7.3.1: the author decides how it is arranged).
    let (title_text, breaks) = split_breaks(lines[0].1.trim_start_matches(LITERAL));
    let mut title = Block::para(Element::Title, title_text.clone(), lines[0].0);
    if let Some(t) = title.as_para_mut() {
        t.breaks = breaks;
    }
    let mut blocks = vec![title];
    blocks.extend(bylines);
    let mut i = start;
    if i < end && is_doc_number(&lines[i].1) {
        blocks.push(Block::para(
            Element::DocNumber,
            lines[i].1.clone(),
            lines[i].0,
        ));
        i += 1;
    }
    // A report's furniture right under the title: "——" subtitles, then speaker lines.
    while i < end && is_subtitle(&lines[i].1) {
        blocks.push(Block::para(
            Element::Subtitle,
            lines[i].1.clone(),
            lines[i].0,
        ));
        i += 1;
    }
    while i < end && is_speaker(&lines[i].1) {
        blocks.push(Block::para(
            Element::Speaker,
            lines[i].1.clone(),
            lines[i].0,
        ));
        i += 1;
    }
    let lines = &lines[i..];
    let starts = attachment_page_starts(lines);
    let main_end = starts.first().copied().unwrap_or(lines.len());
    let main = &lines[..main_end];
    // Only a notice that passes a document on encloses one (印发, 转发, 批转).
    let passes_on = |t: &str| ["印发", "转发", "批转"].iter().any(|w| t.contains(w));
    let encloses = passes_on(&title_text)
        || main
            .iter()
            .any(|(_, l)| l.contains("给你们") && passes_on(l));
    blocks.extend(page_blocks(main, encloses));
    let mut attachments = Vec::new();
    for (k, &a) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).copied().unwrap_or(lines.len());
        let number = attachment_page_start(&lines[a].1).unwrap_or_default();
        let (title, title_breaks) = split_breaks(&lines[a + 1].1);
        attachments.push(AttachmentPage {
            number,
            title,
            title_breaks,
            line: lines[a].0,
            title_line: lines[a + 1].0,
            blocks: page_blocks(&lines[a + 2..stop], false),
        });
    }
    Document {
        title: title_text,
        blocks,
        attachments,
        ..Document::default()
    }
}

/// The lines of a main text after its title, or of an attachment page after its title: 主送
/// (or a speech's salutation), then body, 附件说明 and the 署名 blocks wherever they stand. In a
/// notice that `encloses` a document (印发/转发/批转), a line that reads as a title right after
/// a 署名 block and its 附注 is the enclosed document's title; what follows is its text.
pub(super) fn page_blocks(lines: &[(usize, String)], encloses: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    if i < lines.len() && is_addressee(&lines[i].1) {
        let e = if is_salutation(&lines[i].1) {
            Element::Salutation
        } else {
            Element::Addressee
        };
        blocks.push(Block::para(e, lines[i].1.clone(), lines[i].0));
        i += 1;
    }
    let lines = &lines[i..];
    let roles = closing_roles(lines, encloses);
    let mut in_attachments = false;
    // Lines right under an enclosed title: its organs' line and its `（……）` lines.
    let mut under_title = false;
    let mut skip = false;
    for (k, ((line_no, line), role)) in lines.iter().zip(&roles).enumerate() {
        if std::mem::take(&mut skip) {
            continue;
        }
        if let Some(element) = *role {
            in_attachments = false;
            under_title = false;
            blocks.push(Block::para(element, line.clone(), *line_no));
            continue;
        }
        let after_block = k > 0 && matches!(roles[k - 1], Some(Element::Date | Element::Note));
        if encloses && after_block {
            // A title the draft split over two lines (`关于推进……的` / `实施方案`) is one title.
            let second = lines.get(k + 1).filter(|_| roles.get(k + 1) == Some(&None));
            if let Some((second_no, second)) = second.filter(|(_, s)| title_continues(line, s)) {
                let mut title =
                    Block::para(Element::EnclosedTitle, format!("{line}{second}"), *line_no);
                if let Some(t) = title.as_para_mut() {
                    t.more_lines = vec![*second_no];
                }
                blocks.push(title);
                under_title = true;
                skip = true;
                continue;
            }
            if is_enclosed_title(line) {
                blocks.push(Block::para(Element::EnclosedTitle, line.clone(), *line_no));
                under_title = true;
                continue;
            }
        }
        // Under an enclosed title: its organs (`国家发展改革委　教育部`) and `（2024年10月8日）`
        // or `（……通过）` lines, centred as published documents print them; then its own 主送.
        if under_title {
            let e = if is_note(line) {
                Some(Element::Subtitle)
            } else if is_organ_line(line) {
                Some(Element::Byline)
            } else {
                None
            };
            if let Some(e) = e {
                blocks.push(Block::para(e, line.clone(), *line_no));
                continue;
            }
            under_title = false;
            if is_addressee(line) {
                blocks.push(Block::para(Element::Addressee, line.clone(), *line_no));
                continue;
            }
        }
        if line.starts_with("附件：") || line.starts_with("附件:") {
            in_attachments = true;
            blocks.push(Block::para(Element::Attachment, line.clone(), *line_no));
            continue;
        }
        if in_attachments && heading_level(line) == Some(3) {
            blocks.push(Block::para(Element::Attachment, line.clone(), *line_no));
            continue;
        }
        in_attachments = false;
        blocks.push(body_block(line, *line_no));
    }
    blocks
}

/// A report's subtitle under its title: `——在……会议上` (a dash of two 一字线, as offices type it
/// with —, ― or －), or a date in brackets, `（2024年3月5日）`.
fn is_subtitle(line: &str) -> bool {
    let dashes = line
        .chars()
        .take_while(|c| matches!(c, '—' | '―' | '－' | '-'))
        .count();
    let bracketed = is_note(line)
        && line.chars().count() <= 40
        && line.contains('年')
        && line.contains('日')
        && !line.contains('。');
    !literal(line)
        && ((dashes >= 2 && line.chars().count() > dashes && line.chars().count() <= 60)
            || bracketed)
}

/// A speaker line: 职务 then a name, a space between (`国务院总理　李　强`, `市长 王建国`): a
/// name of two to four Han characters, spaced one by one or not, after a post of two or more.
fn is_speaker(line: &str) -> bool {
    if literal(line)
        || line.chars().count() > 30
        || line.contains(|c: char| "，。；：、！？（）()".contains(c))
    {
        return false;
    }
    let parts: Vec<&str> = line
        .split(char::is_whitespace)
        .filter(|p| !p.is_empty())
        .collect();
    // `第一章　总则` is a chapter heading, not a speaker.
    let chapter = parts.first().is_some_and(|p| {
        p.starts_with('第') && ["章", "节", "编", "部分"].iter().any(|k| p.ends_with(k))
    });
    if chapter || parts.len() < 2 || parts[0].chars().count() < 2 {
        return false;
    }
    let han =
        |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c);
    let name: String = parts[1..].concat();
    let n = name.chars().count();
    (2..=4).contains(&n)
        && name.chars().all(han)
        && parts[1..].iter().all(|p| p.chars().count() <= 3)
        && parts[0].chars().all(han)
}

/// A speech's salutation (`各位代表：`, `委员长、各位副委员长：`, `同志们：`): each of its
/// parts is addressed to people, not organs.
fn is_salutation(line: &str) -> bool {
    let body = line.trim_end_matches(['：', ':']);
    let people = |p: &str| {
        p.starts_with("各位")
            || p.starts_with("尊敬的")
            || ["同志们", "朋友们", "女士们", "先生们", "同学们", "老师们"].contains(&p)
            || (p.chars().count() <= 5 && (p.ends_with("长") || p.ends_with("主席")))
    };
    !body.is_empty()
        && body.chars().count() <= 40
        && body.split(['、', '，', ',']).all(|p| people(p.trim()))
}

/// An enclosed document's title (印发/转发/批转): no sentence punctuation, not too long, and
/// `关于……` or ending in the name of a kind of document (方案, 意见, 办法 …).
fn is_enclosed_title(line: &str) -> bool {
    !literal(line)
        && line.chars().count() <= 60
        && !line.contains(['。', '；', '！', '？', '：', ':'])
        && heading_level(line).is_none()
        && !is_date(line)
        && (line.starts_with("关于") || ends_with_kind(line))
}

/// Ends in the name of a kind of document (`……方案`, `……办法（试行）`).
fn ends_with_kind(line: &str) -> bool {
    const KINDS: [&str; 22] = [
        "方案", "意见", "办法", "规定", "细则", "请示", "报告", "通知", "计划", "要点", "决定",
        "措施", "规划", "纲要", "指南", "指引", "规则", "章程", "条例", "清单", "准则", "制度",
    ];
    let t = line.trim_end_matches(['）', ')']);
    let t = match (line.len() != t.len(), t.rfind(['（', '('])) {
        // `……办法（试行）`: the bracket after the kind.
        (true, Some(p)) => &t[..p],
        _ => line,
    };
    KINDS.iter().any(|k| t.ends_with(k))
}

/// An enclosed title split over two lines: the first does not end in a kind of document, the
/// second does, neither reads as a sentence, and together they read as one title.
fn title_continues(first: &str, second: &str) -> bool {
    let plain = |l: &str| {
        !literal(l)
            && !has_sentence_punct(l)
            && !l.contains(['：', ':'])
            && heading_level(l).is_none()
            && !is_date(l)
            && !is_note(l)
    };
    plain(first)
        && plain(second)
        && !ends_with_kind(first)
        && ends_with_kind(second)
        && !second.starts_with("关于")
        && second.chars().count() <= 30
        && is_enclosed_title(&format!("{first}{second}"))
}

/// The organs that issue an enclosed document, on the line under its title: one or more organ
/// names, spaced (`国家发展改革委　教育部`), each ending as organs' names end.
fn is_organ_line(line: &str) -> bool {
    const ENDS: [&str; 16] = [
        "委", "部", "局", "厅", "办", "院", "署", "会", "室", "府", "处", "中心", "行", "司", "社",
        "团",
    ];
    let parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '、')
        .filter(|p| !p.is_empty())
        .collect();
    is_signature(line)
        && !is_date(line)
        && !ends_with_kind(line)
        && !parts.is_empty()
        && parts
            .iter()
            .all(|p| p.chars().count() >= 2 && ENDS.iter().any(|e| p.ends_with(e)))
}

/// 署名 blocks wherever they stand (7.3.5): one or more organ lines (a joint document signs
/// one organ a line) directly over a date line, then any `（……）` lines as 附注 (7.3.6). A date
/// with no organ over it (a 请示 or 函 whose organ the title or 版头 names) is a 成文日期 where
/// it ends its part: at the end, or before a line that starts an attachment page or (in a
/// notice that `encloses` a document) before the enclosed title.
fn closing_roles(lines: &[(usize, String)], encloses: bool) -> Vec<Option<Element>> {
    let n = lines.len();
    let mut roles: Vec<Option<Element>> = vec![None; n];
    for d in 0..n {
        if roles[d].is_some() || !is_date(&lines[d].1) {
            continue;
        }
        let mut k = d;
        while k > 0 && d - k < 6 && roles[k - 1].is_none() && is_signature(&lines[k - 1].1) {
            k -= 1;
        }
        let mut e = d + 1;
        while e < n && is_note(&lines[e].1) {
            e += 1;
        }
        let ends_part = e == n
            || (e + 1 < n && attachment_page_start(&lines[e].1).is_some())
            || (encloses && is_enclosed_title(&lines[e].1))
            || (encloses && e + 1 < n && title_continues(&lines[e].1, &lines[e + 1].1));
        if k == d && !ends_part {
            continue;
        }
        roles[k..d].fill(Some(Element::Signature));
        roles[d] = Some(Element::Date);
        roles[d + 1..e].fill(Some(Element::Note));
    }
    roles
}

/// Where plain lines start attachment pages (8): a `附件`/`附件1`/`附件：`/`附：` line alone
/// right after a 署名 block (or a numbered `附件N` once the pages have begun), with a title line
/// after it.
fn attachment_page_starts(lines: &[(usize, String)]) -> Vec<usize> {
    let roles = closing_roles(lines, false);
    let mut starts: Vec<usize> = Vec::new();
    for a in 1..lines.len().saturating_sub(1) {
        let Some(number) = attachment_page_start(&lines[a].1) else {
            continue;
        };
        // After 署名, 日期 and any 附注: walk back over the notes to the date, then a 署名.
        let mut k = a;
        while k > 0 && roles[k - 1] == Some(Element::Note) {
            k -= 1;
        }
        // (a date alone is a 日期 here only where it ends its part: see `closing_roles`)
        let after_signature = k >= 1 && roles[k - 1] == Some(Element::Date);
        let next_page =
            !starts.is_empty() && !number.is_empty() && a > starts[starts.len() - 1] + 1;
        if after_signature || next_page {
            starts.push(a);
        }
    }
    starts
}

/// `附件`, `附件1`, `附件：` or `附：` alone → the number (empty when none).
fn attachment_page_start(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("附件")
        .or_else(|| line.strip_prefix('附').filter(|r| matches!(*r, "：" | ":")))?;
    let rest = rest.trim_end_matches(['：', ':']).trim();
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    Some(
        rest.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect(),
    )
}

/// 版记 lines at the end of the text (7.4): `抄送：…。` and `XX办公室　2024年10月15日印发`,
/// taken off the lines.
pub(super) fn take_colophon(lines: &mut Vec<(usize, String)>) -> Colophon {
    let mut c = Colophon::default();
    while let Some((n, last)) = lines.last() {
        let cc = ["抄送：", "抄送:"]
            .iter()
            .find_map(|p| last.strip_prefix(p))
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let (Some(v), None) = (cc, &c.cc) {
            c.cc = Some(v.to_string());
            c.cc_line = Some(*n);
        } else if let (Some((organ, date)), None) = (printer_line(last), &c.printer) {
            c.printer = Some(organ);
            c.print_date = Some(date);
            c.print_line = Some(*n);
        } else {
            break;
        }
        lines.pop();
    }
    c
}

/// `XX办公室　2024年10月15日印发` → (organ, date).
fn printer_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_suffix("印发").filter(|_| !literal(line))?;
    let (organ, date) = rest.rsplit_once(char::is_whitespace)?;
    let (organ, date) = (organ.trim(), date.trim());
    (is_date(date)
        && !organ.is_empty()
        && organ.chars().count() <= 30
        && !has_sentence_punct(organ)
        && !organ.contains(['：', ':']))
    .then(|| (organ.to_string(), date.to_string()))
}

/// A title with `|` (or `｜`) where the author breaks it → the text and the char offsets of the
/// breaks.
pub(super) fn split_breaks(line: &str) -> (String, Vec<usize>) {
    let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
    let mut breaks = Vec::new();
    let mut at = 0;
    for part in &parts[..parts.len() - 1] {
        at += part.chars().count();
        breaks.push(at);
    }
    (parts.concat(), breaks)
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

/// The heading level a line's numbering gives it (7.3.3): `一、` 1, `（一）` 2, `1.` 3, `（1）` 4.
pub fn heading_level(line: &str) -> Option<u8> {
    let chars: Vec<char> = line.chars().collect();
    let count = |from: usize, pred: &dyn Fn(char) -> bool| {
        chars[from..].iter().take_while(|c| pred(**c)).count()
    };
    let cn = |c: char| CN_DIGITS.contains(c);
    let ar = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let n = count(0, &cn);
    if n > 0 && chars.get(n) == Some(&'、') {
        return Some(1);
    }
    if matches!(chars.first(), Some('（') | Some('(')) {
        let close = |c: Option<&char>| matches!(c, Some('）') | Some(')'));
        let n = count(1, &cn);
        if n > 0 && close(chars.get(1 + n)) {
            return Some(2);
        }
        let n = count(1, &ar);
        if n > 0 && close(chars.get(1 + n)) {
            return Some(4);
        }
        return None;
    }
    let n = count(0, &ar);
    // `1.` or `1．` but not a decimal number such as `1.5万亩`.
    if n > 0
        && matches!(chars.get(n), Some('.') | Some('．'))
        && !chars.get(n + 1).is_some_and(|c| ar(*c))
    {
        return Some(3);
    }
    None
}

/// A body line: a heading (whole or run-in) or a plain paragraph. `一是……二是……` stays body.
fn body_block(line: &str, line_no: usize) -> Block {
    let Some(level) = heading_level(line) else {
        return Block::para(Element::Body, line, line_no);
    };
    let element = Element::heading(level);
    // A run-in heading: the heading sentence ends at the first 。 and body text follows.
    match line.find('。') {
        Some(p) if p + '。'.len_utf8() < line.len() => {
            let (head, rest) = line.split_at(p + '。'.len_utf8());
            Block::spans(
                element,
                vec![
                    Span {
                        element,
                        text: head.to_string(),
                    },
                    Span {
                        element: Element::Body,
                        text: rest.to_string(),
                    },
                ],
                line_no,
            )
        }
        _ => Block::para(element, line, line_no),
    }
}

fn has_sentence_punct(line: &str) -> bool {
    line.contains(['，', '。', '；', '！', '？'])
}

/// `国办发〔2023〕12号`: an organ abbreviation, the year in 〔〕, a number, 号 (7.2.4).
fn is_doc_number(line: &str) -> bool {
    !literal(line)
        && line.chars().count() <= 30
        && line.ends_with('号')
        && (line.contains('〔') || line.contains('['))
}

/// `各省、自治区、直辖市人民政府：` — short, no sentence punctuation, ends with a colon (7.3.2).
fn is_addressee(line: &str) -> bool {
    // A list of organs, separated by 、 and ，: no full stop or other sentence ending.
    !literal(line)
        && (line.ends_with('：') || line.ends_with(':'))
        && line.chars().count() <= 80
        && !line.contains(['。', '；', '！', '？'])
}

/// `2023年7月1日` or `二〇二三年七月一日` (7.3.5.4).
pub fn is_date(line: &str) -> bool {
    let Some((y, rest)) = line.split_once('年') else {
        return false;
    };
    let Some((m, rest)) = rest.split_once('月') else {
        return false;
    };
    let Some(d) = rest.strip_suffix('日') else {
        return false;
    };
    let num = |s: &str, max: usize| {
        !s.is_empty()
            && s.chars().count() <= max
            && s.chars()
                .all(|c| c.is_ascii_digit() || CN_DIGITS.contains(c))
    };
    num(y, 4) && y.chars().count() == 4 && num(m, 3) && num(d, 3)
}

/// An organ line of a 署名: short, no sentence punctuation (。，；：？！), not a heading.
fn is_signature(line: &str) -> bool {
    !literal(line)
        && !line.starts_with("附件")
        && attachment_page_start(line).is_none()
        && !line.contains(['：', ':'])
        && !line.starts_with(TABLE_MARK)
        && line.chars().count() <= 30
        && !has_sentence_punct(line)
        && heading_level(line).is_none()
}

fn is_note(line: &str) -> bool {
    heading_level(line).is_none()
        && ((line.starts_with('（') && line.ends_with('）'))
            || (line.starts_with('(') && line.ends_with(')')))
}
