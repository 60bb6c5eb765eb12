//! Which part of a 公文 each paragraph of a Word file is, from its text (and, for the 版头, its
//! colour and size): the plain-text reader's rules, applied to paragraphs. What a line is by its
//! text (a heading's numbering, a date, a 主送, a 附注, an attachment's label) is asked of
//! [`crate::read::recognise`], the recogniser `render` uses, so both call a line the same thing;
//! what a Word file tells by its formatting (the red 版头, a centred line under the title) is
//! decided here.
//!
//! 版头 lines (red text, an oversized 标志, 份号, 密级, 紧急程度, 发文字号, 签发人) come first and
//! are skipped; the first paragraph after them is the 标题 (with any centred lines of the same
//! type under it); a centred line under the title is a byline; a short line ending in `：` is
//! the 主送; `一、` `（一）` `1.`/`1．` `（1）` (typed or from automatic numbering) are headings
//! 1–4; `附件：` is the 附件说明; a date line is the 成文日期 and the short lines over it the
//! 署名; `（…）` under the date the 附注; `抄送：…` and `…印发` the 版记; `附件N` alone an
//! attachment page's label, the line after it that page's title; `出席：` … a 纪要's attendance.

use super::docx::{Origin, Para};
use crate::model::Element;
pub use crate::read::recognise::trimmed;
use crate::read::recognise::{
    Numbered, attachment_page_start, heading_level, is_addressee, is_colophon, is_date,
    is_masthead_text, is_note, is_signature, numbered,
};

/// A paragraph's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// No text (an empty line).
    Empty,
    /// In a table cell: not judged.
    Table,
    /// 版头 (7.2): not judged here.
    Masthead,
    /// 标题 (7.3.1): its first line.
    Title,
    /// A title line under the first, of the same type.
    TitleMore,
    /// A centred line under the title (a 述职报告's unit, post and name).
    Byline,
    /// 主送机关 (7.3.2).
    Addressee,
    /// 正文 (7.3.3).
    Body,
    /// Level 1–4.
    Heading(u8),
    /// 附件说明 (7.3.4): the first line.
    Attachment,
    /// Its further lines (`2.…`), aligned with the first name.
    AttachmentMore,
    /// 署名 (7.3.5).
    Signature,
    /// 成文日期 (7.3.5).
    Date,
    /// 附注 (7.3.6).
    Note,
    /// An attachment page's label, `附件N` (8).
    AttachmentLabel,
    /// An attachment page's title, the line after its label (8).
    AttachmentTitle,
    /// A 纪要's attendance: 出席, 请假, 列席 (10.3).
    Attendance,
    /// 版记 (7.4): 抄送, 印发.
    Colophon,
    /// A part our own files name by their style that has no role above: a report's subtitle and
    /// speaker, a speech's salutation, an enclosed title, a 令's 签发人 line, 章/节/条, a 目录.
    /// Judged by its element's face and size in the layout.
    Part(Element),
    /// The rest of a paragraph our writer split at a page to keep its last lines with the 署名:
    /// body text with no first line of its own to indent.
    Continued,
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

fn is_centred(p: &Para) -> bool {
    p.ppr.jc.as_ref().is_some_and(|j| j.0 == "center")
}

/// Each paragraph's part: in our own files (`ours`) by its style, as `render` reads them back
/// ([`crate::read::docx`]); in any other by its text and formatting.
pub fn classify_file(paras: &[Para], ours: bool) -> Vec<Role> {
    if ours {
        return by_style(paras);
    }
    let mut roles = classify(paras);
    reader_parts(paras, &mut roles);
    roles
}

/// In anyone else's file, the paragraphs this module calls body text, a heading, a byline, a
/// title line or the 主送 that `render`'s reader, given the paragraphs' texts as a Word draft's
/// lines ([`crate::read::text`]), finds to be a part with rules of its own — 副标题, 讲话人, 称谓,
/// 附文标题, 签发人职务, 章/节/条, 目录 — are judged as that part, as `render` sets it.
fn reader_parts(paras: &[Para], roles: &mut [Role]) {
    use crate::read::markup::LITERAL;
    let text: Vec<String> = paras
        .iter()
        .map(|p| {
            if p.in_table {
                return String::new();
            }
            let t = p.text().replace(['\n', '\t'], " ");
            // A paragraph's text is never markup.
            if t.trim_start().starts_with('@') {
                format!("{LITERAL}{t}")
            } else {
                t
            }
        })
        .collect();
    let text = text.join("\n");
    let Ok(doc) = crate::read::text::parse(&text, "check", &mut Vec::new()) else {
        return;
    };
    for line in crate::explain::lines(&text, &doc) {
        let Some(e) = line.element.as_deref().and_then(Element::from_key) else {
            continue;
        };
        let Some(role) = line.line.checked_sub(1).and_then(|j| roles.get_mut(j)) else {
            continue;
        };
        // A part judged by its own face and size (`role_of`'s `Role::Part`).
        let own = matches!(role_of(e), Role::Part(_));
        if own
            && matches!(
                role,
                Role::Body | Role::Heading(_) | Role::Byline | Role::TitleMore | Role::Addressee
            )
        {
            *role = Role::Part(e);
        }
    }
}

/// The part each element of ours is.
fn role_of(e: Element) -> Role {
    match e {
        Element::Title => Role::Title,
        Element::Byline => Role::Byline,
        Element::DocNumber
        | Element::CopyNo
        | Element::Secrecy
        | Element::Urgency
        | Element::Masthead
        | Element::Signer => Role::Masthead,
        Element::Addressee => Role::Addressee,
        Element::Body => Role::Body,
        Element::Heading1 | Element::Heading2 | Element::Heading3 | Element::Heading4 => {
            Role::Heading(e.level().unwrap_or(4))
        }
        Element::Attachment => Role::Attachment,
        Element::Signature => Role::Signature,
        Element::Date => Role::Date,
        Element::Note => Role::Note,
        Element::Cc | Element::Printer => Role::Colophon,
        Element::AttachmentLabel => Role::AttachmentLabel,
        Element::AttachmentTitle => Role::AttachmentTitle,
        Element::Attendance | Element::AttendanceLabel => Role::Attendance,
        Element::Table => Role::Table,
        Element::Subtitle
        | Element::Speaker
        | Element::Salutation
        | Element::EnclosedTitle
        | Element::SignerPost
        | Element::Chapter
        | Element::Section
        | Element::Article
        | Element::ContentsTitle
        | Element::Contents => Role::Part(e),
    }
}

/// Whether a paragraph starts flush left by its own indent (our writer's split-off tail).
fn starts_flush(p: &Para) -> bool {
    let direct_zero = |s: &Option<(i32, Origin)>| matches!(s, Some((0, Origin::Direct)));
    let zero = |s: &Option<(i32, Origin)>| s.as_ref().is_none_or(|(v, _)| *v == 0);
    (direct_zero(&p.ppr.first) || direct_zero(&p.ppr.first_chars))
        && zero(&p.ppr.left)
        && zero(&p.ppr.left_chars)
}

/// Our file's parts by style name: the names [`crate::export::docx::style_of`] gives. A
/// paragraph in a style that is not ours (one a user added in Word) is body text; one that
/// goes on mid-sentence from the paragraph before, in its style, starting flush, is the rest
/// of it ([`Role::Continued`]); the 附件说明's lines after its first are [`Role::AttachmentMore`].
fn by_style(paras: &[Para]) -> Vec<Role> {
    // Names matched without case: LibreOffice writes Word's built-in ones capitalised.
    let by_name: std::collections::HashMap<String, Element> = Element::ALL
        .iter()
        .map(|&e| (crate::export::docx::style_of(e).1.to_ascii_lowercase(), e))
        .collect();
    let mut roles = vec![Role::Empty; paras.len()];
    for (i, p) in paras.iter().enumerate() {
        let text = p.text();
        let t = trimmed(&text);
        if p.in_table {
            roles[i] = Role::Table;
            continue;
        }
        if p.textbox.iter().any(|t| is_colophon(t)) {
            roles[i] = Role::Colophon;
            continue;
        }
        if t.is_empty() {
            continue;
        }
        let mut role = by_name
            .get(&p.style.to_ascii_lowercase())
            .map_or(Role::Body, |&e| role_of(e));
        if let Some(k) = i.checked_sub(1)
            && paras[k].style == p.style
            && roles[k] != Role::Empty
            && starts_flush(p)
            && !starts_flush(&paras[k])
            && !trimmed(&paras[k].text())
                .ends_with(['。', '！', '？', '；', '：', '”', '…', ':', ';'])
        {
            role = Role::Continued;
        }
        if role == Role::Attachment
            && i > 0
            && matches!(roles[i - 1], Role::Attachment | Role::AttachmentMore)
        {
            role = Role::AttachmentMore;
        }
        roles[i] = role;
    }
    roles
}

/// Each paragraph's part, by its text and formatting.
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
            if is_addressee(t) {
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
        if attachment_page_start(t).is_some() {
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
                if !s.is_empty()
                    && is_signature(s)
                    && matches!(roles[k], Role::Body | Role::Signature)
                    && j - k <= 4
                {
                    roles[k] = Role::Signature;
                } else {
                    break;
                }
            }
            continue;
        }
        if matches!(prev_role, Some(Role::Date | Role::Note)) && is_note(t) {
            roles[j] = Role::Note;
            continue;
        }
        // A numbered line is a heading unless it reads as a list item or clause beside its
        // neighbours, as the plain-text reader reads it (`recognise::numbered`).
        let near = |k: Option<usize>| {
            k.and_then(|k| texts.get(k))
                .map(|s| trimmed(s))
                .filter(|s| !s.is_empty())
        };
        roles[j] = match numbered(t, near(j.checked_sub(1)), near(Some(j + 1))) {
            Some((n, Numbered::Heading | Numbered::RunIn(_))) => Role::Heading(n),
            _ => Role::Body,
        };
    }
    roles
}

/// The lines as unformatted paragraphs, as a Word file with no styles would give them (tests).
#[cfg(test)]
pub(crate) fn plain_paras(lines: &[&str]) -> Vec<Para> {
    lines
        .iter()
        .enumerate()
        .map(|(i, t)| Para {
            index: i + 1,
            in_table: false,
            style: String::new(),
            number: String::new(),
            ppr: Default::default(),
            style_rpr: Default::default(),
            runs: vec![super::docx::Run {
                text: t.to_string(),
                rpr: Default::default(),
            }],
            textbox: vec![],
        })
        .collect()
}

/// Each line's part as `check` tells it, the lines as unformatted paragraphs: what the
/// recogniser's tests hold against what `render` makes of the same lines.
#[cfg(test)]
pub(crate) fn classify_text(lines: &[&str]) -> Vec<Role> {
    classify(&plain_paras(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_files_know_chapters_articles_and_a_salutation_as_render_does() {
        let lines = [
            "青山县人民政府工作规则",
            "第一章　总　则",
            "第一条　为规范县人民政府工作，提高行政效能，制定本规则。",
            "第二条　县人民政府工作坚持依法行政。",
            "第二章　组成人员职责",
            "第三条　县长领导县人民政府的全面工作。",
        ];
        let roles = classify_file(&plain_paras(&lines), false);
        assert_eq!(
            roles,
            [
                Role::Title,
                Role::Part(Element::Chapter),
                Role::Part(Element::Article),
                Role::Part(Element::Article),
                Role::Part(Element::Chapter),
                Role::Part(Element::Article),
            ]
        );
        // A paragraph's text that starts with @ is text, not markup.
        let roles = classify_file(
            &plain_paras(&["关于做好防汛工作的通知", "@抄送: 县委"]),
            false,
        );
        assert_eq!(roles[1], Role::Body);
    }
}
