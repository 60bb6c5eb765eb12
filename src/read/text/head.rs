//! A 版头 typed as text above the title (issue 22): the lines a clerk types in Notepad, or a
//! Word draft's red 标志 and 发文字号 paragraphs once [`crate::read::docx`] has made them lines,
//! read as the `@` lines that say the same (7.2), so everything after reads as it does for
//! markup and the real title stays the title.
//!
//! Owns: telling a leading line as a 版头 part, and rewriting it into the markup line that says
//! it (`@发文机关`, `@标志后缀`, `@发文字号`, `@签发人`, `@份号`, `@密级`, `@紧急程度`), each with
//! a warning naming its line, what it was taken as and the markup that says it explicitly.
//!
//! What is a 版头 line (only the lines before the first line that is none, and never the last
//! text line: the title must remain):
//! - 份号 `000123` (six digits, 7.2.1), 密级 `秘密★1年` / `机密` / `绝密★长期` (7.2.2), 紧急程度
//!   `特急` / `加急` (7.2.3), alone or several on one line, spaced;
//! - the 标志 (7.2.5): an organ's name ending in 文件 (`青山县人民政府办公室文件`); joint, the names
//!   spaced on one line (`中共青山县委　青山县人民政府文件`) or each on its line, the last ending
//!   in 文件 or a line `文件` alone under them; an organ's name alone (no 文件) only when a
//!   发文字号 or 签发人 line follows it — alone, over a title, it could be the title's first line
//!   (`国务院办公厅` / `关于……的通知`), so it is left to be read as it was;
//! - 发文字号 (7.2.4): the whole line an organ's abbreviation, the year in brackets, a number
//!   and 号; typed with `[2024]`, `［2024］`, `(2024)`, `（2024）` or `【2024】` it is written with
//!   the 六角括号 `〔2024〕` 7.2.4 asks for (the warning says so); a `签发人：…` after it on the
//!   same line (an upward document's, 7.2.6) is taken too;
//! - 签发人 (7.2.6): `签发人：王某某` (several lines or names: one 签发人 field).
//!
//! A title never matches: it names no organ alone (`……关于……的通知` has 关于 and ends in a kind
//! of document), and an organ line needs 文件 or a 发文字号 after it. What the markup already says
//! wins: a typed line for a field an `@` line gives is left out, with a warning.

use crate::error::Warning;
use crate::model::Element;
use crate::read::markup;
use crate::read::recognise::{has_sentence_punct, is_organ_line, trimmed};

/// One part of a typed 版头 line.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// 份号.
    CopyNo(String),
    /// 密级 (and 保密期限).
    Secrecy(String),
    /// 紧急程度.
    Urgency(String),
    /// 发文字号 as GB/T 9704 writes it, and whether its brackets were changed.
    Number(String, bool),
    /// 签发人 names.
    Signers(String),
    /// Organ names on one line, and whether the line ends in 文件.
    Organs(Vec<String>, bool),
    /// `文件` alone, under organ lines.
    Suffix,
}

/// The parts of one line, if the whole line is 版头 text.
fn parts(line: &str) -> Option<Vec<Part>> {
    let t = trimmed(line);
    if t.is_empty() || markup::is_markup(t) || t.starts_with(markup::LITERAL) {
        return None;
    }
    if t == "文件" {
        return Some(vec![Part::Suffix]);
    }
    if let Some(p) = signers_and_number(t) {
        return Some(p);
    }
    let tokens: Vec<&str> = t.split(is_space).filter(|s| !s.is_empty()).collect();
    let marks: Option<Vec<Part>> = tokens.iter().map(|s| mark(s)).collect();
    if let Some(m) = marks.filter(|m| !m.is_empty()) {
        return Some(m);
    }
    organs(t).map(|p| vec![p])
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// 份号, 密级 or 紧急程度, one token.
fn mark(s: &str) -> Option<Part> {
    let n = s.chars().count();
    if n == 6 && s.chars().all(|c| c.is_ascii_digit()) {
        return Some(Part::CopyNo(s.to_string()));
    }
    if matches!(s, "特急" | "加急") {
        return Some(Part::Urgency(s.to_string()));
    }
    let level = ["绝密", "机密", "秘密"]
        .iter()
        .find(|k| s.starts_with(*k))?;
    let rest = &s[level.len()..];
    // `秘密★1年`, `绝密★长期`, `机密★6个月`: the period after a star, short and plain.
    let period = rest.strip_prefix('★').unwrap_or(rest);
    (rest.is_empty()
        || (rest.starts_with('★')
            && period.chars().count() <= 6
            && !has_sentence_punct(period)
            && !period.contains(['：', ':', '（', '('])))
    .then(|| Part::Secrecy(s.to_string()))
}

/// `签发人：王某某` alone, or a 发文字号 line, with its `签发人：…` after it if any.
fn signers_and_number(t: &str) -> Option<Vec<Part>> {
    let (before, names) = match t.split_once("签发人") {
        Some((b, rest)) => {
            let names = rest.trim_start_matches(is_space);
            let names = names.strip_prefix(['：', ':'])?;
            let names = names.split(is_space).filter(|s| !s.is_empty());
            let names: Vec<&str> = names.collect();
            let plain = |n: &&str| {
                (2..=5).contains(&n.chars().count())
                    && n.chars()
                        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·')
            };
            if names.is_empty() || !names.iter().all(plain) {
                return None;
            }
            (b.trim_matches(is_space), Some(names.join(" ")))
        }
        None => (t, None),
    };
    let mut out = Vec::new();
    if !before.is_empty() {
        let (number, changed) = doc_number(before)?;
        out.push(Part::Number(number, changed));
    }
    out.extend(names.map(Part::Signers));
    (!out.is_empty()).then_some(out)
}

/// `青政办发〔2024〕15号` (or with `[2024]`, `(2024)` …) → the number as 7.2.4 writes it, and
/// whether the brackets were changed.
fn doc_number(t: &str) -> Option<(String, bool)> {
    const OPEN: &str = "〔[［(（【";
    const CLOSE: &str = "〕]］)）】";
    let chars: Vec<char> = t.chars().collect();
    let open = chars.iter().position(|c| OPEN.contains(*c))?;
    let prefix = &chars[..open];
    let year = chars.get(open + 1..open + 5)?;
    let close = *chars.get(open + 5)?;
    let number = &chars[open + 6..];
    let han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c) || c.is_ascii_alphabetic();
    let ok = (1..=12).contains(&prefix.len())
        && prefix.iter().all(han)
        && year.iter().all(char::is_ascii_digit)
        && CLOSE.contains(close)
        && number.len() >= 2
        && number.last() == Some(&'号')
        && number[..number.len() - 1].iter().all(char::is_ascii_digit);
    if !ok {
        return None;
    }
    let changed = chars[open] != '〔' || close != '〕';
    let prefix: String = prefix.iter().collect();
    let year: String = year.iter().collect();
    let number: String = number.iter().collect();
    Some((format!("{prefix}〔{year}〕{number}"), changed))
}

/// An organ's name (or several, spaced) alone, or with 文件 after it.
fn organs(t: &str) -> Option<Part> {
    let (names, file) = match t.strip_suffix("文件") {
        Some(n) => (n.trim_end_matches(is_space), true),
        None => (t, false),
    };
    // `关于` is a title's word; a line ending in 令 is a 令's 标志 (10.2), read elsewhere.
    if names.is_empty() || names.contains("关于") || names.ends_with('令') || !is_organ_line(names)
    {
        return None;
    }
    let names: Vec<String> = names
        .split(is_space)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Some(Part::Organs(names, file))
}

/// What explain shows for a line: the element of its first part.
fn element(p: &Part) -> Element {
    match p {
        Part::CopyNo(_) => Element::CopyNo,
        Part::Secrecy(_) => Element::Secrecy,
        Part::Urgency(_) => Element::Urgency,
        Part::Number(..) => Element::DocNumber,
        Part::Signers(_) => Element::Signer,
        Part::Organs(..) | Part::Suffix => Element::Masthead,
    }
}

/// How many of the leading lines `parts` reads as one typed 版头: stops before a line that is
/// none, before organ lines with no 文件 and no 发文字号 or 签发人 after them, and before the last
/// text line (the title).
fn extent(lines: &[(usize, String)], read: &[Option<Vec<Part>>]) -> usize {
    let text: Vec<usize> = (0..lines.len())
        .filter(|&i| !markup::is_markup(&lines[i].1))
        .collect();
    let mut end = 0; // index into `text`: the lines before it are taken
    let mut k = 0;
    while k < text.len() {
        let Some(p) = &read[text[k]] else { break };
        match p.first() {
            Some(Part::Organs(_, false)) => {
                // A run of organ lines: closed by 文件 (on the last, or alone) or followed by a
                // 发文字号 or 签发人 line.
                let mut j = k;
                while j < text.len()
                    && matches!(read[text[j]].as_deref(), Some([Part::Organs(_, false)]))
                {
                    j += 1;
                }
                let next = text.get(j).and_then(|&i| read[i].as_deref());
                let closed = match next {
                    Some([Part::Organs(_, true)] | [Part::Suffix]) => j + 1,
                    Some([Part::Number(..) | Part::Signers(_), ..]) => j,
                    _ => break,
                };
                k = closed;
            }
            Some(Part::Suffix) => break,
            _ => k += 1,
        }
        end = k;
    }
    // The title must remain.
    if end >= text.len() {
        return 0;
    }
    text.get(end).copied().unwrap_or(lines.len())
}

/// Take the typed 版头 lines at the start of `lines`, rewriting each into the markup lines that
/// say it (same line number), with a warning each. Returns each taken line and what it became.
pub(super) fn take(
    lines: &mut Vec<(usize, String)>,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(usize, Element)> {
    let read: Vec<Option<Vec<Part>>> = lines.iter().map(|(_, l)| parts(l)).collect();
    let end = extent(lines, &read);
    if end == 0 {
        return vec![];
    }
    // The fields the markup gives already: markup wins.
    let given: Vec<String> = lines
        .iter()
        .filter(|(_, l)| markup::is_markup(l))
        .map(|(_, l)| markup::key_value(l).0.to_string())
        .collect();
    let has = |k: &str| given.iter().any(|g| g == k);
    let mut out: Vec<(usize, String)> = Vec::with_capacity(lines.len() + 4);
    let mut taken = Vec::new();
    let mut signers: Vec<String> = Vec::new();
    let mut signer_line = None;
    let mut suffix_given = false;
    let mut last_organ = None;
    for (i, (n, line)) in lines.drain(..).enumerate() {
        let Some(parts) = read[i]
            .as_ref()
            .filter(|_| i < end && !markup::is_markup(&line))
        else {
            out.push((n, line));
            continue;
        };
        taken.push((n, element(&parts[0])));
        // (markup key, value, what it is, what was changed).
        let mut fields: Vec<(&str, String, &str, &str)> = Vec::new();
        for p in parts {
            match p {
                Part::CopyNo(v) => fields.push(("份号", v.clone(), "份号", "")),
                Part::Secrecy(v) => fields.push(("密级", v.clone(), "密级", "")),
                Part::Urgency(v) => fields.push(("紧急程度", v.clone(), "紧急程度", "")),
                Part::Number(v, changed) => fields.push((
                    "发文字号",
                    v.clone(),
                    "发文字号",
                    if *changed {
                        " (its year's brackets typed otherwise, written 〔〕 as GB/T 9704 7.2.4 asks)"
                    } else {
                        ""
                    },
                )),
                Part::Organs(names, file) => {
                    for (k, name) in names.iter().enumerate() {
                        let last = k + 1 == names.len() && *file;
                        let extra = if last { ", 文件 after it" } else { "" };
                        fields.push(("发文机关", name.clone(), "发文机关 of the 标志", extra));
                    }
                    suffix_given |= *file;
                    last_organ = Some(n);
                }
                Part::Suffix => {
                    suffix_given = true;
                    fields.push(("标志后缀", "文件".into(), "标志's suffix", ""));
                }
                Part::Signers(v) => {
                    signers.push(v.clone());
                    signer_line.get_or_insert(n);
                    fields.push(("签发人", v.clone(), "签发人", ""));
                }
            }
        }
        let (mut said, mut explicit) = (Vec::new(), Vec::new());
        for (key, value, what, extra) in fields {
            if has(key) {
                warnings.push(Warning::at(
                    source,
                    n,
                    format!("「{value}」 reads as the {what} of a typed 版头, but an @{key} line gives it already: this line is left out"),
                ));
                continue;
            }
            said.push(format!("the {what} 「{value}」{extra}"));
            explicit.push(format!("@{key}: {value}"));
            // 签发人 lines are joined into one field below.
            if key != "签发人" {
                out.push((n, format!("@{key}: {value}")));
            }
        }
        if !said.is_empty() {
            warnings.push(Warning::at(
                source,
                n,
                format!(
                    "a typed 版头 line, taken as {}; to say it explicitly, write {}",
                    said.join(" and "),
                    explicit.join(" and ")
                ),
            ));
        }
    }
    if let Some(n) = signer_line.filter(|_| !has("签发人")) {
        out.push((n, format!("@签发人: {}", signers.join(" "))));
    }
    // An organ's name with no 文件 after it is the whole 标志 (as a 函's is, 10.1).
    if let Some(n) = last_organ.filter(|_| !suffix_given && !has("标志后缀")) {
        out.push((n, "@标志后缀:".to_string()));
    }
    // Markup lines are read in line order; keep the rewritten ones where the typed lines stood.
    out.sort_by_key(|(n, _)| *n);
    *lines = out;
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<String>, Vec<(usize, Element)>, Vec<String>) {
        let mut lines: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect();
        let mut w = Vec::new();
        let taken = take(&mut lines, "d.txt", &mut w);
        (
            lines.into_iter().map(|(_, l)| l).collect(),
            taken,
            w.iter().map(|w| w.to_string()).collect(),
        )
    }

    #[test]
    fn a_typed_head_becomes_markup_and_the_title_stays() {
        let (lines, taken, w) = run(
            "000123\n机密★1年\n特急\n青山县人民政府办公室文件\n青政办发〔2024〕15号\n青山县人民政府办公室关于做好防汛工作的通知\n各乡镇人民政府：",
        );
        assert_eq!(
            lines,
            [
                "@份号: 000123",
                "@密级: 机密★1年",
                "@紧急程度: 特急",
                "@发文机关: 青山县人民政府办公室",
                "@发文字号: 青政办发〔2024〕15号",
                "青山县人民政府办公室关于做好防汛工作的通知",
                "各乡镇人民政府：",
            ]
        );
        assert_eq!(
            taken,
            [
                (1, Element::CopyNo),
                (2, Element::Secrecy),
                (3, Element::Urgency),
                (4, Element::Masthead),
                (5, Element::DocNumber)
            ]
        );
        assert_eq!(w.len(), 5, "{w:?}");
        assert!(
            w[3] == "d.txt:4: a typed 版头 line, taken as the 发文机关 of the 标志 「青山县人民政府办公室」, 文件 after it; to say it explicitly, write @发文机关: 青山县人民政府办公室",
            "{}",
            w[3]
        );
    }

    #[test]
    fn joint_organs_spaced_on_one_line_or_stacked() {
        let (lines, ..) =
            run("中共青山县委　青山县人民政府文件\n青发〔2024〕3号\n关于加强耕地保护的意见");
        assert_eq!(
            lines[..3],
            [
                "@发文机关: 中共青山县委",
                "@发文机关: 青山县人民政府",
                "@发文字号: 青发〔2024〕3号"
            ]
        );
        let (lines, taken, _) =
            run("中共青山县委\n青山县人民政府\n文件\n青发〔2024〕3号\n关于加强耕地保护的意见");
        assert_eq!(
            lines[..4],
            [
                "@发文机关: 中共青山县委",
                "@发文机关: 青山县人民政府",
                "@标志后缀: 文件",
                "@发文字号: 青发〔2024〕3号"
            ]
        );
        assert_eq!(taken.len(), 4);
        let (lines, ..) = run("中共青山县委\n青山县人民政府文件\n关于加强耕地保护的意见");
        assert_eq!(
            lines[..2],
            ["@发文机关: 中共青山县委", "@发文机关: 青山县人民政府"]
        );
    }

    #[test]
    fn brackets_typed_otherwise_are_written_as_7_2_4_asks_and_said() {
        for typed in [
            "青政办发[2024]15号",
            "青政办发(2024)15号",
            "青政办发（2024）15号",
            "青政办发【2024】15号",
        ] {
            let (lines, _, w) = run(&format!(
                "青山县人民政府办公室文件\n{typed}\n关于做好防汛工作的通知"
            ));
            assert_eq!(lines[1], "@发文字号: 青政办发〔2024〕15号", "{typed}");
            assert!(
                w[1].contains("written 〔〕 as GB/T 9704 7.2.4 asks"),
                "{w:?}"
            );
        }
    }

    #[test]
    fn an_organ_alone_needs_a_number_or_signer_after_it() {
        // Over a title it could be the title's first line: left alone.
        let (lines, taken, w) = run("国务院办公厅\n关于做好防汛工作的通知\n正文。");
        assert_eq!(lines[0], "国务院办公厅");
        assert!(taken.is_empty() && w.is_empty());
        // Over a 发文字号 it is the 标志, with no 文件.
        let (lines, ..) = run("青山县人民政府办公室\n青政办函〔2024〕7号\n关于商请支持的函");
        assert_eq!(
            lines[..3],
            [
                "@发文机关: 青山县人民政府办公室",
                "@标志后缀:",
                "@发文字号: 青政办函〔2024〕7号"
            ]
        );
    }

    #[test]
    fn number_and_signers_of_an_upward_document() {
        let (lines, taken, _) = run(
            "青山县人民政府文件\n青政报〔2024〕2号　　签发人：王建国\n关于2023年工作情况的报告",
        );
        assert_eq!(
            lines[..3],
            [
                "@发文机关: 青山县人民政府",
                "@发文字号: 青政报〔2024〕2号",
                "@签发人: 王建国"
            ]
        );
        assert_eq!(taken[1], (2, Element::DocNumber));
        let (lines, ..) = run(
            "青山县人民政府文件\n青政报〔2024〕2号\n签发人：王建国\n签发人：李明\n关于……的报告",
        );
        assert_eq!(lines[2], "@签发人: 王建国 李明");
        assert_eq!(lines[3], "关于……的报告");
    }

    #[test]
    fn titles_and_body_lines_are_never_taken() {
        for text in [
            "青山县人民政府办公室关于做好防汛工作的通知\n各乡镇：",
            "关于转发省政府文件的通知\n正文。",
            "青山县人民政府文件\n", // the title must remain: a lone 标志 line is the title
            "特急\n",
            "2024年工作要点\n正文。",
            "青政办发〔2024〕15号号召大家\n正文。",
            "第一章　总则\n正文。",
            "中华人民共和国国务院令\n第706号\n正文。",
            "@发文机关: 青山县人民政府\n青山县人民政府关于……的批复",
        ] {
            let (lines, taken, w) = run(text);
            assert!(taken.is_empty() && w.is_empty(), "{text}: {lines:?}");
            assert_eq!(lines.join("\n"), text.trim_end_matches('\n'), "{text}");
        }
    }

    #[test]
    fn markup_wins_over_a_typed_line() {
        let (lines, taken, w) = run(
            "@发文字号: 青政办发〔2024〕16号\n青山县人民政府办公室文件\n青政办发〔2024〕15号\n关于……的通知",
        );
        assert_eq!(
            lines,
            [
                "@发文字号: 青政办发〔2024〕16号",
                "@发文机关: 青山县人民政府办公室",
                "关于……的通知"
            ]
        );
        assert_eq!(taken.len(), 2);
        assert!(w[1].contains("an @发文字号 line gives it already"), "{w:?}");
    }
}
