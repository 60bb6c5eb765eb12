//! The one recogniser: what a line of a 公文 is from its text alone — a heading by its numbering
//! (7.3.3, decimal `1.1　……` too), a 章, 节 or 条 of a 条例 or 规定, a title's bracketed second
//! line, a 成文日期, a 发文字号, a 主送, an organ line, a 附注, an attachment page's label, a
//! 版记 line, a report's subtitle or speaker, an enclosed document's title; and the 版头 and 版记
//! lines a Word file types where a plain text would write `@` lines.
//!
//! Every reader asks here: the plain-text reader ([`super::text`], which Word drafts and data
//! files go through too) places the lines it recognises into a document, and `gongwen check`
//! ([`crate::check`]) classifies a Word file's paragraphs with the same rules, so `check` and
//! `render` call a line the same thing. Where a rule looks at more than the text — where a line
//! stands, a paragraph's colour, size or alignment — it belongs to the reader that has that.
//!
//! A line a template's data value began ([`LITERAL`] first) is never markup, a heading or a
//! date: its mark keeps the rules that look at a line's start from matching, and those that look
//! at its end or length ask `literal`.

use super::text::TABLE_MARK;
use crate::read::markup::LITERAL;

/// Text without leading and trailing spaces (full-width ones too): a Word paragraph keeps the
/// spaces it was indented with, a plain-text line is trimmed already.
pub fn trimmed(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// A line that a data value began ([`LITERAL`] first): body text, whatever it looks like. Its
/// mark keeps the patterns that look at a line's start (headings, dates, 附件, 抄送) from
/// matching; those that look at its end or length ask here.
pub(crate) fn literal(line: &str) -> bool {
    line.starts_with(LITERAL)
}

/// A report's subtitle under its title: `——在……会议上` (a dash of two 一字线, as offices type it
/// with —, ― or －), or a date in brackets, `（2024年3月5日）`.
pub(crate) fn is_subtitle(line: &str) -> bool {
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
            || bracketed
            || is_issue_number(line))
}

/// The number a 公告 or 通告 carries under its title: `（第3号）`, `第3号`, `（2024年第3号）`
/// (practice: centred under the title, as a 题注 is). Digits, full-width digits or Chinese
/// numerals between 第 and 号.
pub(crate) fn is_issue_number(line: &str) -> bool {
    let t: String = trimmed(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t
        .strip_prefix(['（', '('])
        .and_then(|r| r.strip_suffix(['）', ')']))
        .unwrap_or(&t);
    let t = match t.split_once('年') {
        Some((y, rest)) if y.chars().count() == 4 && y.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    };
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || CN_DIGITS.contains(c);
    !literal(line)
        && t.strip_prefix('第')
            .and_then(|r| r.strip_suffix('号'))
            .is_some_and(|n| !n.is_empty() && n.chars().count() <= 6 && n.chars().all(digit))
}

/// A speaker line: 职务 then a name, a space between (`国务院总理　李　强`, `市长 王建国`): a
/// name of two to four Han characters, spaced one by one or not, after a post of two or more.
pub(crate) fn is_speaker(line: &str) -> bool {
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
pub(crate) fn is_salutation(line: &str) -> bool {
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
pub(crate) fn is_enclosed_title(line: &str) -> bool {
    !literal(line)
        && line.chars().count() <= 60
        && !line.contains(['。', '；', '！', '？', '：', ':'])
        && heading_level(line).is_none()
        && law_part(line).is_none()
        && !is_date(line)
        && (line.starts_with("关于") || ends_with_kind(line))
}

/// Ends in the name of a kind of document (`……方案`, `……办法（试行）`).
pub(crate) fn ends_with_kind(line: &str) -> bool {
    const KINDS: [&str; 23] = [
        "方案", "意见", "办法", "规定", "细则", "请示", "报告", "通知", "计划", "要点", "决定",
        "措施", "规划", "纲要", "指南", "指引", "规则", "章程", "条例", "清单", "准则", "制度",
        "预案",
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
pub(crate) fn title_continues(first: &str, second: &str) -> bool {
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
pub(crate) fn is_organ_line(line: &str) -> bool {
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

/// `附件`, `附件1`, `附件：` or `附：` alone → the number (empty when none).
pub(crate) fn attachment_page_start(line: &str) -> Option<String> {
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

/// `XX办公室　2024年10月15日印发` → (organ, date).
pub(crate) fn printer_line(line: &str) -> Option<(String, String)> {
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

pub(crate) const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

/// The heading level a line's numbering gives it (7.3.3): `一、` 1, `（一）` 2, `1.` 3, `（1）` 4.
pub fn heading_level(line: &str) -> Option<u8> {
    let chars: Vec<char> = trimmed(line).chars().collect();
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
    // `1.` or `1．` but not a decimal number such as `1.5万亩`; `1、` as clerks type it is the
    // same level (`habits` writes it `1.`, 7.3.3).
    if n > 0
        && matches!(chars.get(n), Some('.') | Some('．') | Some('、'))
        && !chars.get(n + 1).is_some_and(|c| ar(*c))
    {
        return Some(3);
    }
    // Arabic numbers number the third and fourth levels (7.3.3), set in 仿宋: a decimal
    // heading takes those levels, `1　总则` the third, `1.1　编制目的` and deeper the fourth (its
    // depth tells siblings apart, see `numbered`).
    decimal_heading(line).map(|(depth, _)| if depth == 1 { 3 } else { 4 })
}

/// Characters after a number that make it a quantity, not a heading's number (`1.5亿元`,
/// `3 个乡镇`, `2.5%`).
const UNITS: &str =
    "亿万千百元角个%％倍年月日天时分秒米吨亩人次户家所项件条名岁度克斤辆台套座处批期号届";

/// A decimal heading as 预案 and technical 规定 number them (`1　总则`, `1.1　编制目的`,
/// `1.2.1 ……`) → (its level: the count of numbers, at most 4; the characters of the number and
/// the space after it). `1.5亿元` is a quantity, not a heading: a number of one part stands
/// before a space and a short name of no punctuation (`1　总则`); two or more parts before a
/// space, or straight before a word that is no unit.
pub fn decimal_heading(line: &str) -> Option<(u8, usize)> {
    let chars: Vec<char> = trimmed(line).chars().collect();
    let ar = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut k = 0;
    let mut parts = 0;
    loop {
        let n = chars[k..].iter().take_while(|c| ar(**c)).count();
        if n == 0 || n > 2 {
            return None;
        }
        k += n;
        parts += 1;
        match chars.get(k) {
            Some('.' | '．') if chars.get(k + 1).is_some_and(|c| ar(*c)) => k += 1,
            _ => break,
        }
    }
    let space = chars[k..]
        .iter()
        .take_while(|c| **c == ' ' || **c == '\u{3000}')
        .count();
    let rest: String = chars[k + space..].iter().collect();
    let first = rest.chars().next()?;
    let han = ('\u{4e00}'..='\u{9fff}').contains(&first) || "《“（".contains(first);
    // `5.2　分级响应` is a heading; `2.5分`, `3 个乡镇` are quantities.
    if parts > 4 || !han || (UNITS.contains(first) && (space == 0 || parts == 1)) {
        return None;
    }
    let name = rest.chars().count() <= 20 && !rest.contains(['，', '。', '；', '：', '、']);
    let ok = match parts {
        1 => space > 0 && name,
        2 => space > 0 || name,
        _ => true,
    };
    ok.then_some((parts as u8, k + space))
}

/// A part of a 条例, 规定 or 规则 by its number: `第一章　总　则` and `第二节　监督检查` (a number
/// and a short name) or `第十二条　……` (an article, its text running on) → (章, 节 or 条; the
/// characters of `第…条`). `第三条规定的……`, a sentence that cites an article, is none.
pub fn law_part(line: &str) -> Option<(char, usize)> {
    let t = trimmed(line);
    if literal(line) {
        return None;
    }
    let rest = t.strip_prefix('第')?;
    let n = rest
        .chars()
        .take_while(|c| CN_DIGITS.contains(*c) || c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    if n == 0 || n > 6 {
        return None;
    }
    let mut after = rest.chars().skip(n);
    let kind = after.next().filter(|c| matches!(c, '章' | '节' | '条'))?;
    let text: String = after.collect();
    let spaced = text.starts_with([' ', '\u{3000}']);
    let text = text.trim_start_matches([' ', '\u{3000}']);
    let chars = n + 2;
    if kind == '条' {
        const CITES: [&str; 8] = ["规定", "的", "、", "至", "和", "第", "所", "之"];
        let cites = !spaced && CITES.iter().any(|c| text.starts_with(c));
        return (!text.is_empty() && !cites).then_some(('条', chars));
    }
    // A 章 or 节 names itself: a short line of no sentence (`第一章　总则`, or the number alone).
    (text.chars().count() <= 24 && !has_sentence_punct(text) && !text.contains(['：', ':']))
        .then_some((kind, chars))
}

/// A title's second line in brackets (`（试行）`, `（共130项）`, `（2024年修订）`, `（征求意见稿）`):
/// short, no sentence and no full date (a `（2024年3月5日……通过）` line is the 题注 under it).
pub fn is_title_bracket(line: &str) -> bool {
    let t = trimmed(line);
    let inner = t
        .strip_prefix('（')
        .and_then(|r| r.strip_suffix('）'))
        .or_else(|| t.strip_prefix('(').and_then(|r| r.strip_suffix(')')));
    inner.is_some_and(|i| {
        let n = i.chars().count();
        (1..=16).contains(&n)
            && !literal(line)
            && !i.contains(['日', '。', '，', '；', '：', ':', '！', '？', '（', '('])
            && !["通过", "发布", "公布", "印发"]
                .iter()
                .any(|w| i.contains(w))
            && heading_level(t).is_none()
            // A 公告's number (`（第3号）`) is no part of its title: it is set as a 题注 is.
            && !is_issue_number(line)
    })
}

/// What a numbered line is (7.3.3), which its numbering alone does not say: a heading stands on
/// a line of its own, and no sentence runs on after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbered {
    /// A heading, alone on its line: set in its level's face, never split, kept with its next
    /// line.
    Heading,
    /// A run-in heading (`（一）加强组织领导。各地要……`): its first `n` characters — the lead, to
    /// the first 。, or to the ： of a short lead (`（一）知识产权保护方面5项：……`) — in the
    /// heading's face, then body text in the same paragraph, which may split like any body
    /// paragraph.
    RunIn(usize),
    /// A list item or a clause (`1.对……情况。`, `一、审议……；`, `一、为……，制定本规则。`): a body
    /// paragraph that opens with its number, the first `n` characters, which keep the level's
    /// face (the number marks the level, 7.3.3). Published lists and 规则 set their items as
    /// body text and let them split; read as headings they were each kept with the next, and a
    /// list of nine moved as one block and ended pages half empty.
    Item(usize),
}

/// Characters of a heading line's first line: the grid's 28 (5.2.3) less the 2 of its indent.
/// A sentence longer than that takes two lines or more, which a heading never does.
const HEADING_LINE_CHARS: usize = 26;

/// The longest lead, in characters, that a ： ends as a run-in heading: a label, not a sentence.
const RUN_IN_LEAD_CHARS: usize = 24;

/// The characters a run-in heading's lead takes (to the first 。, or a short lead's ：), when
/// text follows it in the same line.
pub fn run_in_lead(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    let stop = chars.iter().position(|c| *c == '。');
    let colon = chars
        .iter()
        .position(|c| matches!(c, '：' | ':'))
        .filter(|&k| stop.is_none_or(|s| k < s))
        .filter(|&k| k < RUN_IN_LEAD_CHARS && !has_sentence_punct(&line[..byte_at(line, k)]));
    let end = colon.or(stop)? + 1;
    (end < chars.len()).then_some(end)
}

fn byte_at(line: &str, k: usize) -> usize {
    line.char_indices().nth(k).map_or(line.len(), |(b, _)| b)
}

/// What a numbered line is: its level (`heading_level`) and whether it is a heading, a run-in
/// heading or a list item, from its text and its neighbours' (the lines right before and after
/// it in the body, `None` where there is none). A line is an item when a sibling of its level
/// stands right next to it (several in a row are a list: a heading has text under it), when it
/// ends in ； as list items do, or when it is a sentence (it ends in 。 or has a ，) of more than
/// a line.
pub fn numbered(line: &str, prev: Option<&str>, next: Option<&str>) -> Option<(u8, Numbered)> {
    let level = heading_level(line)?;
    // A lead longer than a heading's one line is a clause's first sentence, not a heading
    // (`六、提交常务会议讨论的议题，由分管副县长审核后提出，报县长确定。……`).
    if let Some(n) = run_in_lead(trimmed(line)).filter(|&n| n <= HEADING_LINE_CHARS) {
        return Some((level, Numbered::RunIn(n)));
    }
    let t = trimmed(line);
    let depth = |l: &str| decimal_heading(l).map(|d| d.0);
    let sibling = |l: Option<&str>| {
        l.is_some_and(|l| heading_level(l) == Some(level) && depth(l) == depth(line))
    };
    let sentence = t.ends_with('。') || t.contains(['，', '；']);
    let item = sibling(prev)
        || sibling(next)
        || t.ends_with(['；', ';'])
        || (sentence && t.chars().count() > HEADING_LINE_CHARS);
    if !item {
        return Some((level, Numbered::Heading));
    }
    // The number: to the 、, the closing bracket or the full stop that ends it; a decimal
    // number (`1.2.1`) with the space after it.
    let number = match decimal_heading(t) {
        Some((_, n)) => n,
        None => t
            .chars()
            .position(|c| matches!(c, '、' | '）' | ')' | '.' | '．'))
            .map_or(0, |k| k + 1),
    };
    Some((level, Numbered::Item(number)))
}

pub(crate) fn has_sentence_punct(line: &str) -> bool {
    line.contains(['，', '。', '；', '！', '？'])
}

/// `国办发〔2023〕12号`: an organ abbreviation, the year in 〔〕, a number, 号 (7.2.4).
pub(crate) fn is_doc_number(line: &str) -> bool {
    !literal(line)
        && line.chars().count() <= 30
        && line.ends_with('号')
        && (line.contains('〔') || line.contains('['))
}

/// `各省、自治区、直辖市人民政府：` — short, no sentence punctuation, ends with a colon (7.3.2).
pub(crate) fn is_addressee(line: &str) -> bool {
    // A list of organs, separated by 、 and ，: no full stop or other sentence ending.
    !literal(line)
        && (line.ends_with('：') || line.ends_with(':'))
        && line.chars().count() <= 80
        && !line.contains(['。', '；', '！', '？'])
}

/// A 成文日期 on a line of its own (7.3.5.4), in any form a clerk types: `2023年7月1日`,
/// `二〇二三年七月一日` or `二零二三年七月一日`, `2024年04月25日`, `2024 年 4 月 25 日`,
/// `２０２４年４月２５日`, `2024.4.25`, `2024-04-25`, `2024/4/25`. Only a whole line that is
/// one real date: `2024.4`, a version number or a date inside a sentence is none.
pub fn is_date(line: &str) -> bool {
    date_ymd(line).is_some()
}

/// The year, month and day of a date line in any form [`is_date`] takes (`2023年7月1日`,
/// `二〇二三年七月一日`, `2023年十二月1日`, `2024.4.25` …), for the PDF's metadata and for
/// writing a typed date as GB/T 9704 wants ([`standard_date`]); this recogniser is the one
/// place dates are read. `None` for a line that is not one real date.
pub fn date_ymd(text: &str) -> Option<(u32, u32, u32)> {
    if literal(text) {
        return None;
    }
    // Full-width digits and separators as ASCII; spaces inside (`2024 年 4 月 25 日`) dropped.
    let t: String = trimmed(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            '／' => '/',
            c => c,
        })
        .collect();
    let (y, m, d) = if t.contains('年') {
        let (y, rest) = t.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest.strip_suffix('日')?;
        (year(y)?, small_number(m)?, small_number(d)?)
    } else {
        // `2024.4.25`, `2024-04-25`, `2024/4/25`: one separator, the year's four digits first
        // (a version number `1.2.3` or `2024.4` is no date).
        let sep = t.chars().find(|c| matches!(c, '.' | '-' | '/'))?;
        let parts: Vec<&str> = t.split(sep).collect();
        let ascii = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        let [y, m, d] = parts[..] else { return None };
        if !(ascii(y, 4..=4) && ascii(m, 1..=2) && ascii(d, 1..=2)) {
            return None;
        }
        let y: u32 = y.parse().ok()?;
        // A punctuated date is read only in a plausible range: `1000.1.1` is a number.
        if !(1900..=2100).contains(&y) {
            return None;
        }
        (y, m.parse().ok()?, d.parse().ok()?)
    };
    let days = match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    ((1..=12).contains(&m) && (1..=days).contains(&d)).then_some((y, m, d))
}

/// A date line as GB/T 9704 7.3.5.2 writes a 成文日期: `2024年4月25日`, Arabic digits, 年月日
/// in full, no 虚位 (`04`). `None` when the line is no date ([`date_ymd`]).
pub fn standard_date(line: &str) -> Option<String> {
    date_ymd(line).map(|(y, m, d)| format!("{y}年{m}月{d}日"))
}

/// A date's year before 年: four digits, Arabic or Chinese (`2024`, `二〇二四`, `二零二四`).
fn year(s: &str) -> Option<u32> {
    if s.chars().count() != 4 {
        return None;
    }
    let digits: String = s
        .chars()
        .map(
            |c| match "〇一二三四五六七八九".chars().position(|d| d == c) {
                Some(k) => Some(char::from(b'0' + k as u8)),
                None if c == '零' || c == 'O' => Some('0'),
                None => c.is_ascii_digit().then_some(c),
            },
        )
        .collect::<Option<String>>()?;
    digits.parse().ok().filter(|y| *y >= 1000)
}

/// A month or day before 月 or 日: Arabic digits (`4`, `04`, `25`) or Chinese numerals (`四`,
/// `十二`, `二十一`, `三十`).
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|k| k as u32)
            .or((c == '零').then_some(0))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|c| *c == '十') {
        // 十 = 10, 十二 = 12, 二十 = 20, 二十一 = 21.
        Some(k) => {
            let tens = match k {
                0 => 1,
                1 => digit(chars[0])?,
                _ => return None,
            };
            let ones = match &chars[k + 1..] {
                [] => 0,
                [c] => digit(*c)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
        None if chars.len() == 1 => digit(chars[0]),
        None => None,
    }
}

/// An organ line of a 署名: short, no sentence punctuation (。，；：？！), not a heading.
pub(crate) fn is_signature(line: &str) -> bool {
    !literal(line)
        && !line.starts_with("附件")
        && attachment_page_start(line).is_none()
        && !line.contains(['：', ':'])
        && !line.starts_with(TABLE_MARK)
        && line.chars().count() <= 30
        && !has_sentence_punct(line)
        && heading_level(line).is_none()
}

pub(crate) fn is_note(line: &str) -> bool {
    heading_level(line).is_none()
        && ((line.starts_with('（') && line.ends_with('）'))
            || (line.starts_with('(') && line.ends_with(')')))
}

/// A 版头 line as a Word file types it, in text: a 发文字号 (`国办发〔2023〕12号`), 份号, 密级,
/// 紧急程度, 签发人 or 纪要 期号 line (a plain text marks its 版头 with `@` lines instead).
pub fn is_masthead_text(t: &str) -> bool {
    let t = trimmed(t);
    let doc_no = ['〔', '[', '［', '（', '('].iter().any(|o| {
        t.split_once(*o).is_some_and(|(_, r)| {
            r.chars().take(4).all(|c| c.is_ascii_digit()) && r.chars().count() > 5
        })
    }) && t.contains('号');
    let copy_no = t.chars().count() == 6 && t.chars().all(|c| c.is_ascii_digit());
    let issue = t.starts_with('第') && t.ends_with('期') && t.chars().count() <= 8;
    doc_no
        || copy_no
        || issue
        || t.contains("签发人")
        || ["绝密", "机密", "秘密", "特急", "加急"]
            .iter()
            .any(|k| t.starts_with(k))
}

/// A 版记 line as a Word file types it: `抄送…`, `抄报…` or `…印发` (a plain text's last lines
/// are read more strictly, by where they stand: `take_colophon` in the text reader).
pub fn is_colophon(t: &str) -> bool {
    let t = trimmed(t);
    t.starts_with("抄送") || t.starts_with("抄报") || t.ends_with("印发")
}

#[cfg(test)]
mod date_tests;
#[cfg(test)]
mod tests;
