//! Where lines stand in a plain text: the title and what comes under it (its bracketed second
//! line, 发文字号, a report's subtitle and speaker), 主送, body and headings, 章/节/条 and a 目录,
//! 附件说明, 署名 blocks with their 附注, enclosed documents (after 印发/转发/批转/公布/印送/报送,
//! one after another when the text names them in 《》), attachment pages started by plain lines,
//! and the 版记 from plain lines at the end. What each line is by its text alone is [`crate::read::recognise`]'s.

use crate::model::{AttachmentPage, Block, Colophon, Document, Element, Span};
use crate::read::markup::LITERAL;
use crate::read::recognise::{
    Numbered, attachment_page_start, decimal_heading, heading_level, is_addressee, is_date,
    is_doc_number, is_enclosed_title, is_note, is_organ_line, is_salutation, is_signature,
    is_speaker, is_subtitle, is_title_bracket, law_part, numbered, printer_line, title_continues,
};

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
    let mut i = start;
    // A second title line in brackets (`（试行）`, `（2024年修订）`) is the title's own last line.
    if i < end && is_title_bracket(&lines[i].1) {
        join_bracket(&mut title, &lines[i]);
        i += 1;
    }
    let title_text = title.text();
    let mut blocks = vec![title];
    blocks.extend(bylines);
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
    let encloses = enclosing(&title_text, main);
    blocks.extend(page_blocks_in(
        main,
        encloses.as_ref(),
        law_kind(&title_text),
    ));
    let mut attachments = Vec::new();
    for (k, &a) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).copied().unwrap_or(lines.len());
        let number = attachment_page_start(&lines[a].1).unwrap_or_default();
        let (mut title, mut title_breaks) = split_breaks(&lines[a + 1].1);
        let mut title_more_lines = Vec::new();
        let mut from = a + 2;
        // `（共130项）` under an attachment's title: the title's second line (8, 7.3.1).
        if from < stop && is_title_bracket(&lines[from].1) {
            title_breaks.push(title.chars().count());
            title.push_str(&lines[from].1);
            title_more_lines.push(lines[from].0);
            from += 1;
        }
        let clauses = law_kind(&title);
        attachments.push(AttachmentPage {
            number,
            title,
            title_breaks,
            line: lines[a].0,
            title_line: lines[a + 1].0,
            title_more_lines,
            blocks: page_blocks_in(&lines[from..stop], None, clauses),
        });
    }
    Document {
        title: title_text,
        blocks,
        attachments,
        ..Document::default()
    }
}

/// The verbs with which a text passes a document on: a notice that 印发, 转发 or 批转 it, a 令
/// that 公布 it (`《……条例》已经……通过，现予公布`), a 函 that 印送 or 报送 it, a 决定 that 发布 it.
const PASSES_ON: [&str; 7] = ["印发", "转发", "批转", "公布", "印送", "报送", "发布"];

/// Whether a main text encloses documents, and the titles its text names in 《》: a title with
/// a verb that passes a document on, or a body line that names a document in 《》 with such a
/// verb (`现将《……》印发给你们`, `现将《……预案》印送给你们`). `None`: it encloses none.
fn enclosing(title: &str, main: &[(usize, String)]) -> Option<Vec<String>> {
    let passes_on = |t: &str| PASSES_ON.iter().any(|w| t.contains(w));
    let on = passes_on(title)
        || main.iter().any(|(_, l)| {
            passes_on(l) && (l.contains("给你们") || l.contains('《') || l.contains("现予"))
        });
    if !on {
        return None;
    }
    let mut named = Vec::new();
    for (_, l) in main {
        let mut rest = l.as_str();
        while let Some((_, after)) = rest.split_once('《') {
            let Some((name, tail)) = after.split_once('》') else {
                break;
            };
            if !name.is_empty() && name.chars().count() <= 60 {
                named.push(name.to_string());
            }
            rest = tail;
        }
    }
    Some(named)
}

/// A title with its second line in brackets (`（试行）`) joined to it, a break between: one
/// title, set as one (7.3.1), the bracket line its last line.
fn join_bracket(title: &mut Block, (line_no, line): &(usize, String)) {
    if let Some(t) = title.as_para_mut() {
        let at = t.spans.iter().map(|s| s.text.chars().count()).sum();
        t.breaks.push(at);
        if let Some(last) = t.spans.last_mut() {
            last.text.push_str(line);
        }
        t.more_lines.push(*line_no);
    }
}

/// The lines of a main text after its title, or of an attachment page after its title: 主送
/// (or a speech's salutation), then body, 附件说明 and the 署名 blocks wherever they stand. In a
/// notice that `encloses` a document (印发/转发/批转), a line that reads as a title right after
/// a 署名 block and its 附注 is the enclosed document's title; what follows is its text.
pub(super) fn page_blocks(lines: &[(usize, String)], encloses: bool) -> Vec<Block> {
    page_blocks_in(lines, encloses.then_some(&Vec::new()), false)
}

/// [`page_blocks`], with the titles the text names in 《》 when it encloses documents (see
/// [`enclosing`]): a line that is one of them starts the next enclosed document wherever it
/// stands after the first (a 通知 that issues two 规定, one after the other, no 署名 between).
/// `clauses`: the text is a 规定, 条例 or 规则 (its title says so), whose numbered lines are
/// clauses, never run-in headings.
fn page_blocks_in(
    lines: &[(usize, String)],
    named: Option<&Vec<String>>,
    clauses: bool,
) -> Vec<Block> {
    let encloses = named.is_some();
    // A set, looked up once a line (with its last bracket, `（试行）`, taken off): a draft naming
    // thousands of documents in 《》 over thousands of lines was quadratic.
    let names: std::collections::HashSet<&str> = named
        .map(|n| n.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let named_title = |l: &str| {
        names.contains(l)
            || l.rfind(['（', '('])
                .is_some_and(|k| is_title_bracket(&l[k..]) && names.contains(&l[..k]))
    };
    let mut seen_enclosed = false;
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
    // Where a table of contents ends (the index of the line after its last).
    let mut contents_end: Option<usize> = None;
    // Whether numbered lines are clauses: under a 章 heading, or in a 规定, 条例 or 规则.
    let mut in_chapters = clauses;
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
        let next_enclosed = seen_enclosed && named_title(line) && is_enclosed_title(line);
        if encloses && (after_block || next_enclosed) {
            // A title the draft split over two lines (`关于推进……的` / `实施方案`) is one title.
            let second = lines.get(k + 1).filter(|_| roles.get(k + 1) == Some(&None));
            if let Some((second_no, second)) = second.filter(|(_, s)| title_continues(line, s)) {
                let mut title =
                    Block::para(Element::EnclosedTitle, format!("{line}{second}"), *line_no);
                if let Some(t) = title.as_para_mut() {
                    t.more_lines = vec![*second_no];
                }
                in_chapters = law_kind(&format!("{line}{second}"));
                blocks.push(title);
                under_title = true;
                seen_enclosed = true;
                skip = true;
                continue;
            }
            if is_enclosed_title(line) {
                blocks.push(Block::para(Element::EnclosedTitle, line.clone(), *line_no));
                in_chapters = law_kind(line);
                under_title = true;
                seen_enclosed = true;
                continue;
            }
        }
        // `（试行）` right under an enclosed title is its second line.
        if under_title
            && blocks.last().is_some_and(|b| {
                b.element() == Element::EnclosedTitle
                    && b.as_para().is_some_and(|p| p.more_lines.len() < 2)
            })
            && is_title_bracket(line)
        {
            if let Some(t) = blocks.last_mut() {
                join_bracket(t, &(*line_no, line.clone()));
            }
            continue;
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
        // A table of contents: `目　录` over its lines, up to the heading its first line names.
        if contents_end.is_none()
            && is_contents_title(line)
            && let Some(n) = contents_lines(&lines[k + 1..], &roles[k + 1..])
        {
            blocks.push(Block::para(Element::ContentsTitle, line.clone(), *line_no));
            contents_end = Some(k + 1 + n);
            continue;
        }
        if contents_end.is_some_and(|e| k < e) {
            blocks.push(Block::para(Element::Contents, line.clone(), *line_no));
            continue;
        }
        if let Some(block) = law_block(line, *line_no) {
            in_attachments = false;
            in_chapters |= block.element() == Element::Chapter;
            blocks.push(block);
            continue;
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
        // The body lines right before and after: a numbered line with a sibling next to it is
        // a list item, not a heading.
        // (not a table of contents' line: `1　总则` is no sibling of its entry)
        let near = |j: Option<usize>| {
            j.filter(|&j| j < lines.len() && roles[j].is_none())
                .filter(|&j| contents_end.is_none_or(|e| j >= e))
                .map(|j| lines[j].1.as_str())
        };
        let mut block = body_block(line, *line_no, near(k.checked_sub(1)), near(Some(k + 1)));
        // In a 规定, 条例 or 规则, or under 章 headings, a numbered line with a sentence after
        // its first is a clause (`四、常务会议主要讨论决定以下事项：……`): its number in the level's
        // face, the rest body text, not a run-in heading.
        if in_chapters
            && block.element().level().is_some()
            && let Some(p) = block.as_para_mut().filter(|p| p.spans.len() > 1)
        {
            let number = line
                .chars()
                .position(|c| matches!(c, '、' | '）' | ')' | '.' | '．'))
                .map_or(0, |k| k + 1);
            let text = p.text();
            let at = text
                .char_indices()
                .nth(number)
                .map_or(text.len(), |(b, _)| b);
            p.element = Element::Body;
            p.spans[0].text = text[..at].to_string();
            p.spans[1].text = text[at..].to_string();
        }
        blocks.push(block);
    }
    blocks
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

/// A body line: a heading (whole or run-in), a numbered list item (body text whose number keeps
/// its level's face) or a plain paragraph, as [`numbered`] reads it beside its neighbours.
/// `一是……二是……` stays body.
fn body_block(line: &str, line_no: usize, prev: Option<&str>, next: Option<&str>) -> Block {
    let Some((level, kind)) = numbered(line, prev, next) else {
        return Block::para(Element::Body, line, line_no);
    };
    let heading = Element::heading(level);
    let (element, lead) = match kind {
        Numbered::Heading => return Block::para(heading, line, line_no),
        // A run-in heading: its lead in the heading's face, then body text.
        Numbered::RunIn(n) => (heading, n),
        // A list item: a body paragraph, its number in the level's face.
        Numbered::Item(n) => (Element::Body, n),
    };
    let p = line.char_indices().nth(lead).map_or(line.len(), |(b, _)| b);
    let (head, rest) = line.split_at(p);
    Block::spans(
        element,
        vec![
            Span {
                element: heading,
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

/// `目录` or `目　录` alone on its line.
fn is_contents_title(line: &str) -> bool {
    line.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect::<String>()
        == "目录"
}

/// The lines of a table of contents after its `目　录` line: decimal headings (`1　总则`,
/// `1.1　编制目的`), 章 and 节 lines or `附件`/`附录` lines, up to the line that repeats the first
/// (where the text itself starts). `None` when the lines after `目录` do not read as one.
fn contents_lines(lines: &[(usize, String)], roles: &[Option<Element>]) -> Option<usize> {
    let first = lines.first().map(|(_, l)| plain(l))?;
    let entry = |l: &str| {
        decimal_heading(l).is_some()
            || law_part(l).is_some_and(|(k, _)| k != '条')
            || l.starts_with("附件")
            || l.starts_with("附录")
    };
    let n = lines
        .iter()
        .zip(roles)
        .skip(1)
        .position(|((_, l), r)| r.is_some() || plain(l) == first || !entry(l))
        .map_or(lines.len(), |p| p + 1);
    // It ends where the text repeats its first entry; a list that does not is no contents.
    (entry(&lines[0].1) && n >= 2 && lines.get(n).is_some_and(|(_, l)| plain(l) == first))
        .then_some(n)
}

/// A line without its spaces, to compare a contents entry with its heading.
fn plain(l: &str) -> String {
    l.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// A 章 or 节 heading (`第一章　总　则`) or an article (`第一条　……`: its number in the article's
/// face, the text in the body's), as laws are set.
fn law_block(line: &str, line_no: usize) -> Option<Block> {
    let (kind, n) = law_part(line)?;
    let element = match kind {
        '章' => Element::Chapter,
        '节' => Element::Section,
        _ => Element::Article,
    };
    if element != Element::Article {
        return Some(Block::para(element, line, line_no));
    }
    let p = line.char_indices().nth(n).map_or(line.len(), |(b, _)| b);
    let (head, rest) = line.split_at(p);
    Some(Block::spans(
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
    ))
}

/// A title of a document whose numbered lines are clauses, not headings: a 规定, 条例, 规则,
/// 细则 or 章程 (`（试行）` after it is fine).
fn law_kind(title: &str) -> bool {
    let t = match title.rfind(['（', '(']) {
        Some(p) if title.ends_with(['）', ')']) => &title[..p],
        _ => title,
    };
    ["规定", "条例", "规则", "细则", "章程"]
        .iter()
        .any(|k| t.ends_with(k))
}
