//! Which part of a 公文 each paragraph of a Word file is, from its text (and, for the 版头, its
//! colour and size): the plain-text reader's rules, applied to paragraphs.
//!
//! 版头 lines (red text, an oversized 标志, 份号, 密级, 紧急程度, 发文字号, 签发人) come first and
//! are skipped; the first paragraph after them is the 标题 (with any centred lines of the same
//! type under it); a centred line under the title is a byline; a short line ending in `：` is
//! the 主送; `一、` `（一）` `1.`/`1．` `（1）` (typed or from automatic numbering) are headings
//! 1–4; `附件：` is the 附件说明; a date line is the 成文日期 and the short lines over it the
//! 署名; `（…）` under the date the 附注; `抄送：…` and `…印发` the 版记; `附件N` alone an
//! attachment page's label, the line after it that page's title; `出席：` … a 纪要's attendance.

use super::docx::Para;

/// A paragraph's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Empty,
    /// In a table cell: not judged.
    Table,
    /// 版头 (7.2): not judged here.
    Masthead,
    Title,
    /// A title line under the first, of the same type.
    TitleMore,
    Byline,
    Addressee,
    Body,
    /// Level 1–4.
    Heading(u8),
    /// 附件说明 (7.3.4): the first line.
    Attachment,
    /// Its further lines (`2.…`), aligned with the first name.
    AttachmentMore,
    Signature,
    Date,
    Note,
    AttachmentLabel,
    AttachmentTitle,
    Attendance,
    /// 版记 (7.4): 抄送, 印发.
    Colophon,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Text without leading and trailing spaces (full-width ones too).
pub fn trimmed(t: &str) -> &str {
    t.trim_matches(is_space)
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

/// The heading level the numbering text at the start of `t` says, if any.
pub fn heading_level(t: &str) -> Option<u8> {
    let t = trimmed(t);
    let cn = |c: char| CN_DIGITS.contains(c);
    let mut chars = t.chars().peekable();
    let first = *chars.peek()?;
    if cn(first) {
        let n = t.chars().take_while(|c| cn(*c)).count();
        return (t.chars().nth(n) == Some('、')).then_some(1);
    }
    if first == '（' || first == '(' {
        let inner: Vec<char> = t
            .chars()
            .skip(1)
            .take_while(|c| *c != '）' && *c != ')')
            .collect();
        let closed = t
            .chars()
            .nth(inner.len() + 1)
            .is_some_and(|c| c == '）' || c == ')');
        if !closed || inner.is_empty() || inner.len() > 4 {
            return None;
        }
        if inner.iter().all(|c| cn(*c)) {
            return Some(2);
        }
        if inner.iter().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let n = t.chars().take_while(char::is_ascii_digit).count();
        let mut rest = t.chars().skip(n);
        let dot = rest.next();
        let after = rest.next();
        if n <= 3
            && matches!(dot, Some('.') | Some('．'))
            && !after.is_some_and(|c| c.is_ascii_digit())
        {
            return Some(3);
        }
    }
    None
}

/// A 成文日期 line: `2023年7月1日` or `二〇二三年七月一日`.
pub fn is_date(t: &str) -> bool {
    let t = trimmed(t);
    let Some((y, rest)) = t.split_once('年') else {
        return false;
    };
    let Some((m, rest)) = rest.split_once('月') else {
        return false;
    };
    let Some(d) = rest.strip_suffix('日') else {
        return false;
    };
    let arabic = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let chinese = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.chars().count()) && s.chars().all(|c| CN_DIGITS.contains(c))
    };
    (arabic(y, 4..=4) && arabic(m, 1..=2) && arabic(d, 1..=2))
        || (chinese(y, 4..=4) && chinese(m, 1..=3) && chinese(d, 1..=3))
}

/// A 发文字号 (`国办发〔2023〕12号`), 份号, 密级, 紧急程度, 签发人 or 纪要 期号 line.
fn is_masthead_text(t: &str) -> bool {
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

/// Red text (the 发文机关标志): any run in a red colour.
fn is_red(p: &Para) -> bool {
    p.runs
        .iter()
        .filter(|r| !trimmed(&r.text).is_empty())
        .any(|r| {
            r.rpr.colour.as_ref().is_some_and(|(c, _)| {
                let hex =
                    |i: usize| u8::from_str_radix(c.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
                c.len() == 6 && hex(0) >= 0xC0 && hex(2) < 0x60 && hex(4) < 0x60
            })
        })
}

/// The largest size (pt) of a paragraph's visible runs.
pub fn largest_size(p: &Para) -> f32 {
    p.runs
        .iter()
        .filter(|r| !trimmed(&r.text).is_empty())
        .map(|r| r.rpr.size.as_ref().map_or(10.0, |s| s.0 as f32 / 2.0))
        .fold(0.0, f32::max)
}

fn is_colophon(t: &str) -> bool {
    let t = trimmed(t);
    t.starts_with("抄送") || t.starts_with("抄报") || t.ends_with("印发")
}

fn is_centred(p: &Para) -> bool {
    p.ppr.jc.as_ref().is_some_and(|j| j.0 == "center")
}

/// Each paragraph's part.
pub fn classify(paras: &[Para]) -> Vec<Role> {
    let texts: Vec<String> = paras.iter().map(Para::text).collect();
    let mut roles = vec![Role::Empty; paras.len()];
    let mut i = 0;
    // 版头: leading lines that are red, oversized or 版头 text (empty lines between them too).
    while i < paras.len() {
        let t = trimmed(&texts[i]);
        if paras[i].in_table {
            roles[i] = Role::Table;
        } else if t.is_empty() {
            if paras[i].textbox.iter().any(|t| is_colophon(t)) {
                break;
            }
        } else if is_red(&paras[i]) || largest_size(&paras[i]) > 26.0 || is_masthead_text(t) {
            roles[i] = Role::Masthead;
        } else {
            break;
        }
        i += 1;
    }
    let mut expect_title = true;
    let mut after_title = false;
    let mut in_attachment_list = false;
    for j in i..paras.len() {
        let t = trimmed(&texts[j]);
        let p = &paras[j];
        if p.in_table {
            roles[j] = Role::Table;
            continue;
        }
        if p.textbox.iter().any(|t| is_colophon(t)) || (!t.is_empty() && is_colophon(t)) {
            roles[j] = Role::Colophon;
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if expect_title {
            roles[j] = Role::Title;
            expect_title = false;
            after_title = true;
            continue;
        }
        let prev = (0..j).rev().find(|&k| roles[k] != Role::Empty);
        let prev_role = prev.map(|k| roles[k]);
        if after_title {
            let title = prev.map(|k| &paras[k]);
            if let Some(title) = title
                && matches!(
                    prev_role,
                    Some(Role::Title) | Some(Role::TitleMore) | Some(Role::AttachmentTitle)
                )
                && is_centred(p)
                && is_centred(title)
                && (largest_size(p) - largest_size(title)).abs() < 0.5
                && heading_level(t).is_none()
                && !t.ends_with('：')
            {
                roles[j] = if prev_role == Some(Role::AttachmentTitle) {
                    Role::AttachmentTitle
                } else {
                    Role::TitleMore
                };
                continue;
            }
            if is_masthead_text(t) && prev_role != Some(Role::Byline) {
                roles[j] = Role::Masthead;
                continue;
            }
            if is_centred(p)
                && t.chars().count() <= 40
                && !t.contains('。')
                && !t.ends_with('：')
                && prev_role != Some(Role::Byline)
            {
                roles[j] = Role::Byline;
                continue;
            }
            after_title = false;
            if (t.ends_with('：') || t.ends_with(':'))
                && t.chars().count() <= 80
                && !t.contains('。')
            {
                roles[j] = Role::Addressee;
                continue;
            }
        }
        if in_attachment_list && heading_level(t) == Some(3) && !t.ends_with('。') {
            roles[j] = Role::AttachmentMore;
            continue;
        }
        in_attachment_list = false;
        if t.starts_with("附件：") || t.starts_with("附件:") {
            roles[j] = Role::Attachment;
            in_attachment_list = true;
            continue;
        }
        let label = t
            .strip_prefix("附件")
            .map(|r| r.trim_end_matches(['：', ':']));
        if label.is_some_and(|r| r.chars().all(|c| c.is_ascii_digit())) {
            roles[j] = Role::AttachmentLabel;
            expect_title = false;
            // The next non-empty line is the attachment's title.
            if let Some(k) = (j + 1..paras.len()).find(|&k| !trimmed(&texts[k]).is_empty()) {
                roles[k] = Role::AttachmentTitle;
            }
            continue;
        }
        if roles[j] == Role::AttachmentTitle {
            after_title = true;
            continue;
        }
        if t.starts_with("出席：") || t.starts_with("请假：") || t.starts_with("列席：") {
            roles[j] = Role::Attendance;
            continue;
        }
        if is_date(t) {
            roles[j] = Role::Date;
            // The short lines right over the date are the 署名 (a joint one has several).
            let mut k = j;
            while k > 0 {
                k -= 1;
                let s = trimmed(&texts[k]);
                let short = !s.is_empty()
                    && s.chars().count() <= 30
                    && !s.chars().any(|c| "。，；：？！".contains(c));
                if short && matches!(roles[k], Role::Body | Role::Signature) && j - k <= 4 {
                    roles[k] = Role::Signature;
                } else {
                    break;
                }
            }
            continue;
        }
        if prev_role == Some(Role::Date) || prev_role == Some(Role::Note) {
            if (t.starts_with('（') && t.ends_with('）'))
                || (t.starts_with('(') && t.ends_with(')'))
            {
                roles[j] = Role::Note;
                continue;
            }
        }
        roles[j] = match heading_level(t) {
            Some(n) => Role::Heading(n),
            None => Role::Body,
        };
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn dates() {
        assert!(is_date("2023年7月1日"));
        assert!(is_date("　二〇二四年三月五日 "));
        assert!(!is_date("2023年7月1日至8月31日"));
        assert!(!is_date("7月1日"));
    }

    #[test]
    fn masthead_lines() {
        assert!(is_masthead_text("青政办发〔2023〕12号"));
        assert!(is_masthead_text("000018"));
        assert!(is_masthead_text("第12期"));
        assert!(!is_masthead_text("关于开展2023年度安全生产大检查的通知"));
    }
}
