//! `check --fix`'s second look: the part (标题, 版头, 主送, headings, 署名, 日期, 版记 …) `check`
//! tells each paragraph of the input to be, against the part it tells the same text to be in
//! the copy `--fix` wrote. The copy is made by the plain-text reader, which may read a paragraph
//! otherwise than `check` did (a typed 版头, a title at 36 pt): a copy whose roles changed is
//! not a clean copy, whatever the layout rules find, so each change is a finding naming both
//! paragraphs (issue 22).
//!
//! Paragraphs are paired by their text, in order, spaces ignored: the same text, or one holding
//! the other when the shorter has six characters or more (the copy joins a title the draft
//! split, and splits a paragraph where a page breaks it). A paragraph whose text the copy
//! changed (a date written in full) pairs with nothing and is not judged; a 版头 or 标题
//! paragraph that pairs with nothing is a finding: the copy could not place it.

use super::docx::Para;
use super::roles::Role;
use super::{Finding, excerpt};

/// A role, with the parts that continue another folded into it; `None` for what is not judged.
fn kind(r: Role) -> Option<Role> {
    match r {
        Role::Empty | Role::Table => None,
        Role::TitleMore => Some(Role::Title),
        Role::AttachmentMore => Some(Role::Attachment),
        Role::Continued => Some(Role::Body),
        r => Some(r),
    }
}

/// What a role is called, and the GB/T 9704 clause that places it.
fn name(r: Role) -> (String, &'static str) {
    let (n, c) = match r {
        Role::Masthead => ("版头", "7.2"),
        Role::Title | Role::TitleMore => ("标题", "7.3.1"),
        Role::Byline => ("标题下的署名行", "7.3.1"),
        Role::Addressee => ("主送机关", "7.3.2"),
        Role::Body => ("正文", "7.3.3"),
        Role::Heading(n) => {
            return (
                format!(
                    "{}级标题",
                    ["一", "二", "三", "四"][(n.clamp(1, 4) - 1) as usize]
                ),
                "7.3.3",
            );
        }
        Role::Attachment | Role::AttachmentMore => ("附件说明", "7.3.4"),
        Role::Signature => ("署名", "7.3.5"),
        Role::Date => ("成文日期", "7.3.5"),
        Role::Note => ("附注", "7.3.6"),
        Role::Colophon => ("版记", "7.4"),
        Role::AttachmentLabel | Role::AttachmentTitle => ("附件", "8"),
        Role::Attendance => ("出席人员", "10.3"),
        Role::Part(e) => (e.name(), "7.3"),
        Role::Continued => ("正文", "7.3.3"),
        Role::Empty | Role::Table => ("—", "—"),
    };
    (n.to_string(), c)
}

/// How far ahead in the copy a paragraph of the input is looked for: the copy keeps the input's
/// order and adds a paragraph here and there (a title the draft split, a paragraph a page break
/// splits), never hundreds in a row.
const LOOK_AHEAD: usize = 256;

fn norm(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// Each paragraph whose part differs between the input (`before`, with `check`'s roles) and the
/// copy (`after`), as a finding at the copy's paragraph; and each 版头 or 标题 paragraph of the
/// input the copy has no paragraph for, at the input's.
pub(crate) fn role_changes(
    before: &[Para],
    before_roles: &[Role],
    after: &[Para],
    after_roles: &[Role],
) -> Vec<Finding> {
    let items = |paras: &[Para], roles: &[Role]| -> Vec<(usize, String, String, Role)> {
        paras
            .iter()
            .zip(roles)
            .filter_map(|(p, r)| {
                let t = p.text();
                let n = norm(&t);
                (!n.is_empty()).then_some((p.index, n, t, kind(*r)?))
            })
            .collect()
    };
    let old = items(before, before_roles);
    let new = items(after, after_roles);
    let pairs = |a: &str, b: &str| {
        let short = a.chars().count().min(b.chars().count());
        a == b || (short >= 6 && (a.contains(b) || b.contains(a)))
    };
    let mut out = Vec::new();
    let mut at = 0;
    for (i, text, raw, role) in &old {
        // Forward only: the copy keeps the input's order, and a short text looked for behind
        // would pair with any line it begins (an organ's name with the 印发 line).
        // And within LOOK_AHEAD paragraphs: a paragraph the copy rewrote pairs with nothing, and
        // looking through the whole copy for each would be quadratic (a draft of 50,000
        // paragraphs, each with a half-width colon the copy writes full-width).
        let found = (at..new.len().min(at + LOOK_AHEAD)).find(|&j| pairs(text, &new[j].1));
        let Some(j) = found else {
            if matches!(role, Role::Masthead | Role::Title) {
                let (was, clause) = name(*role);
                out.push(Finding {
                    paragraph: 0,
                    text: excerpt(raw),
                    message: format!(
                        "「{}」 (paragraph {i} of the input, its {was}) is in no paragraph of the copy: it could not be placed",
                        excerpt(raw)
                    ),
                    clause: clause.to_string(),
                    expected: was,
                    found: "—".into(),
                });
            }
            continue;
        };
        let (k, _, new_raw, new_role) = &new[j];
        // A copy's paragraph holding this one and more may hold the next input paragraph too.
        at = if new[j].1.chars().count() > text.chars().count() {
            j
        } else {
            j + 1
        };
        if new_role != role {
            let ((was, clause), (is, _)) = (name(*role), name(*new_role));
            out.push(Finding {
                paragraph: *k,
                text: excerpt(new_raw),
                message: format!(
                    "「{}」 is the {is} in the copy but was the {was} in the input (paragraph {i}): its role changed",
                    excerpt(new_raw)
                ),
                clause: clause.to_string(),
                expected: was,
                found: is,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::roles::plain_paras as paras;

    #[test]
    fn a_changed_role_is_named_with_both_paragraphs() {
        use Role::*;
        let before = paras(&[
            "青山县人民政府办公室文件",
            "关于做好防汛工作的通知",
            "各乡镇：",
            "正文。",
        ]);
        let after = paras(&[
            "青山县人民政府办公室文件",
            "关于做好防汛工作的通知",
            "各乡镇：",
            "正文。",
        ]);
        let same = [Masthead, Title, Addressee, Body];
        assert!(role_changes(&before, &same, &after, &same).is_empty());
        // The copy took the 标志 for the title and the title for body text.
        let f = role_changes(&before, &same, &after, &[Title, Body, Addressee, Body]);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].paragraph, 1);
        assert_eq!(
            f[0].message,
            "「青山县人民政府办公室文件」 is the 标题 in the copy but was the 版头 in the input (paragraph 1): its role changed"
        );
        assert_eq!(
            (f[0].clause.as_str(), f[1].expected.as_str()),
            ("7.2", "标题")
        );
    }

    #[test]
    fn paragraphs_pair_by_text_joined_or_split_and_a_lost_head_is_named() {
        use Role::*;
        // The draft's title over two paragraphs, one in the copy; a body paragraph split where
        // a page breaks it; a date the copy wrote otherwise is not judged.
        let before = paras(&[
            "青山县人民政府办公室文件",
            "青山县人民政府关于做好",
            "防汛工作的通知",
            "各乡镇要压紧压实防汛责任，确保安全度汛。",
            "2024.5.28",
        ]);
        let after = paras(&[
            "青山县人民政府关于做好防汛工作的通知",
            "各乡镇要压紧压实防汛责任，",
            "确保安全度汛。",
            "2024年5月28日",
        ]);
        let f = role_changes(
            &before,
            &[Masthead, Title, TitleMore, Body, Body],
            &after,
            &[Title, Body, Body, Date],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].paragraph, 0);
        assert!(
            f[0].message.contains("could not be placed"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_paragraph_is_looked_for_only_a_bounded_way_ahead() {
        use Role::*;
        // 20,000 input paragraphs the copy rewrote (none pairs), then one it kept: each is
        // looked for LOOK_AHEAD paragraphs ahead, not through the whole copy.
        let n = 20_000;
        let text = |k: usize, colon: &str| format!("第{k}项工作要求{colon}按期完成任务。");
        let mut before: Vec<String> = (0..n).map(|k| text(k, ":")).collect();
        let mut after: Vec<String> = (0..n).map(|k| text(k, "：")).collect();
        before.push("各乡镇要压紧压实防汛责任。".into());
        after.push("各乡镇要压紧压实防汛责任。".into());
        let b: Vec<&str> = before.iter().map(String::as_str).collect();
        let a: Vec<&str> = after.iter().map(String::as_str).collect();
        let roles = vec![Body; n + 1];
        let mut changed = roles.clone();
        changed[n] = Heading(1);
        // The last paragraph is past the window of the first unpaired ones, and is still found
        // from where the pairing stands: its role change is named.
        let f = role_changes(&paras(&b), &roles, &paras(&a), &changed);
        assert!(
            f.is_empty(),
            "the kept paragraph lies beyond the window: {}",
            f.len()
        );
        // Within the window it pairs, and its changed role is named.
        let f = role_changes(
            &paras(&b[n - 10..]),
            &roles[n - 10..],
            &paras(&a[n - 10..]),
            &changed[n - 10..],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }
}
