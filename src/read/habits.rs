//! Typing habits written as the standards write them, between reading and planning: a
//! 成文日期 typed `2024.4.25`, `2024-04-25`, `2024年04月25日`, `二〇二四年四月二十五日` or with
//! full-width digits is written `2024年4月25日` (GB/T 9704 7.3.5.2: Arabic digits, 年月日 in
//! full, no 虚位); a `1、` heading or list number is written `1.` (7.3.3's third level);
//! half-width `(一)`, `(1)` and a half-width `:` or `(…)` in Chinese text are written
//! full-width (GB/T 15834: Chinese text takes full-width marks; `10:30`, `http://` and
//! `(GB/T 9704)` are Latin or digit text and keep theirs). Each change is a warning naming the
//! line and what was written. The layout's `[text] as_typed = true` keeps the text as typed and
//! says nothing.
//!
//! Why a pass here and not in the reader: the reader has no layout (`read::text::parse(text,
//! source, warnings)`), and what a line *is* must not depend on one. So the recogniser reads
//! every typed form ([`crate::read::recognise::is_date`] takes `2024.4.25`, `heading_level`
//! takes `1、`), and the roles are the same whichever the layout says; this pass then rewrites
//! only what the reader placed — a paragraph it made a 成文日期, the number of a paragraph it
//! made a heading or numbered item, a 主送's or 附件's colon — never a date inside a sentence or
//! anything in a table cell. It is called where the document and its layout first meet
//! ([`crate::engine::Engine::load_text`], [`crate::read::load_text`], `gongwen explain`).

use crate::error::Warning;
use crate::model::{Block, Colophon, Document, Element, Para};
use crate::plan::metrics::is_han;
use crate::read::recognise::{heading_level, standard_date};

/// Write `doc`'s typed dates, numbers and half-width marks as the standards write them, each
/// change a warning; nothing when `as_typed` (the layout's `[text] as_typed`).
pub fn apply(doc: &mut Document, as_typed: bool, warnings: &mut Vec<Warning>) {
    if as_typed {
        return;
    }
    let source = doc.source.clone();
    let mut fix = Fixer {
        source: &source,
        warnings,
    };
    fix.title(&mut doc.title, doc.blocks.first().map_or(0, Block::line));
    for block in &mut doc.blocks {
        fix.block(block);
    }
    for page in &mut doc.attachments {
        fix.title(&mut page.title, page.title_line);
        for block in &mut page.blocks {
            fix.block(block);
        }
    }
    if let Some(c) = doc.colophon.as_mut() {
        fix.colophon(c);
    }
}

struct Fixer<'a> {
    source: &'a str,
    warnings: &'a mut Vec<Warning>,
}

impl Fixer<'_> {
    fn warn(&mut self, line: usize, msg: String) {
        self.warnings.push(Warning::at(self.source, line, msg));
    }

    /// The document's (or an attachment page's) title as one string: its marks only.
    fn title(&mut self, title: &mut String, line: usize) {
        if let Some(new) = full_width_marks(title) {
            self.warn(line, marks_message(title, &new));
            *title = new;
        }
    }

    fn block(&mut self, block: &mut Block) {
        // A table's cells are data: a date or a `10:30` there is never rewritten.
        let Block::Para(p) = block else { return };
        let typed = p.spans.iter().map(|s| s.text.as_str()).collect::<String>();
        match p.element {
            Element::Date => {
                if let Some(date) = standard_date(&typed).filter(|d| *d != typed.trim()) {
                    self.warn(p.line, date_message(&typed, &date));
                    p.spans.truncate(1);
                    if let Some(s) = p.spans.first_mut() {
                        s.text = date;
                    }
                }
                return;
            }
            // The title's marks are its own string too: the same change, said once.
            Element::Title => {
                if let Some(new) = full_width_marks(&typed) {
                    set_text(p, &new);
                }
                return;
            }
            _ => {}
        }
        let numbered = p.element.level().is_some()
            || p.spans.first().is_some_and(|s| s.element.level().is_some())
            || (p.element == Element::Attachment && heading_level(&typed).is_some());
        if numbered && let Some(first) = p.spans.first_mut() {
            if let Some((typed_no, new)) = numbering(&first.text) {
                let written: String = new.chars().take(typed_no.chars().count()).collect();
                first.text = new;
                self.warn(p.line, numbering_message(&typed_no, &written));
            }
        }
        if p.element == Element::Attachment {
            // `附件:1.……` (附件说明, 7.3.4): the label's colon, then its first item's number.
            if let Some(rest) = p.spans[0].text.strip_prefix("附件:") {
                let rest = rest.to_string();
                p.spans[0].text = format!("附件：{rest}");
                self.warn(
                    p.line,
                    "`附件:` written `附件：` (GB/T 15834: a full-width colon in Chinese text); `[text] as_typed = true` in the layout keeps it as typed"
                        .into(),
                );
            }
            if let Some(after) = p.spans[0].text.strip_prefix("附件：").map(str::to_string)
                && let Some((typed_no, new)) = numbering(&after)
            {
                let written: String = new.chars().take(typed_no.chars().count()).collect();
                p.spans[0].text = format!("附件：{new}");
                self.warn(p.line, numbering_message(&typed_no, &written));
            }
        }
        // A 署名, 作者 or speaker line is a name, printed as given; a line starting with `@`
        // that is text (a data value that looks like markup) is printed as written.
        if matches!(
            p.element,
            Element::Signature | Element::Byline | Element::Speaker
        ) || typed.trim_start().starts_with(['@', '＠'])
        {
            return;
        }
        let now = p.spans.iter().map(|s| s.text.as_str()).collect::<String>();
        if let Some(new) = full_width_marks(&now) {
            self.warn(p.line, marks_message(&now, &new));
            set_text(p, &new);
        }
    }

    fn colophon(&mut self, c: &mut Colophon) {
        let line = c.print_line.unwrap_or(0);
        if let Some(d) = c.print_date.as_mut()
            && let Some(date) = standard_date(d).filter(|n| n != d.trim())
        {
            self.warn(line, date_message(d, &date));
            *d = date;
        }
    }
}

/// The paragraph's text replaced by `new`, of the same number of characters, span by span.
fn set_text(p: &mut Para, new: &str) {
    let mut chars = new.chars();
    for s in &mut p.spans {
        let n = s.text.chars().count();
        s.text = chars.by_ref().take(n).collect();
    }
}

/// A number as clerks type it at a line's start → (what was typed, the line written as 7.3.3
/// and GB/T 15834 number it): `1、` → `1.`, `(一)` → `（一）`, `(1)` → `（1）`. `None` when the
/// number is written so already.
fn numbering(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let lead = chars
        .iter()
        .take_while(|c| c.is_whitespace() || **c == '\u{3000}')
        .count();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let cn = |c: char| crate::read::recognise::CN_DIGITS.contains(c);
    let mut out = chars.clone();
    let end;
    if matches!(chars.get(lead), Some('(' | '（')) {
        let n = chars[lead + 1..]
            .iter()
            .take_while(|c| digit(**c) || cn(**c))
            .count();
        let close = lead + 1 + n;
        if n == 0 || !matches!(chars.get(close), Some(')' | '）')) {
            return None;
        }
        out[lead] = '（';
        out[close] = '）';
        end = close + 1;
    } else {
        let n = chars[lead..].iter().take_while(|c| digit(**c)).count();
        if n == 0 || chars.get(lead + n) != Some(&'、') {
            return None;
        }
        out[lead + n] = '.';
        end = lead + n + 1;
    }
    // The leading spaces stay (a Word paragraph's indent): only the marks change.
    (out != chars).then(|| (chars[lead..end].iter().collect(), out.into_iter().collect()))
}

/// `text` with its half-width `:` and `(…)` written full-width where they stand in Chinese
/// text (GB/T 15834): a `:` right after a Han character or a full-width closing mark, not
/// followed by `/` (`网址:http://` becomes `网址：http://`, `10:30` stays); a `(…)` pair,
/// or a pair with one side full-width already, around text with a Han character in it
/// (`(试行)`, `(2024年修订)`; `(GB/T 9704)` stays). `None` when nothing changes.
pub(crate) fn full_width_marks(text: &str) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    let mut changed = false;
    for k in 0..chars.len() {
        if chars[k] == ':'
            && k > 0
            && (is_han(chars[k - 1]) || "）”』」》".contains(chars[k - 1]))
            && chars.get(k + 1) != Some(&'/')
        {
            chars[k] = '：';
            changed = true;
        }
    }
    let mut open: Option<usize> = None;
    for k in 0..chars.len() {
        match chars[k] {
            '(' | '（' => open = Some(k),
            ')' | '）' => {
                if let Some(o) = open.take()
                    && (chars[o] == '(' || chars[k] == ')')
                    && chars[o + 1..k].iter().any(|c| is_han(*c))
                {
                    chars[o] = '（';
                    chars[k] = '）';
                    changed = true;
                }
            }
            _ => {}
        }
    }
    changed.then(|| chars.into_iter().collect())
}

fn date_message(typed: &str, written: &str) -> String {
    format!(
        "the date `{}` is written `{written}` (GB/T 9704 7.3.5.2: Arabic digits, 年月日 in full, no leading 0); `[text] as_typed = true` in the layout keeps it as typed",
        typed.trim()
    )
}

fn numbering_message(typed: &str, written: &str) -> String {
    format!(
        "the number `{typed}` is written `{written}` (GB/T 9704 7.3.3 numbers the levels 一、（一）1.（1）); `[text] as_typed = true` in the layout keeps it as typed"
    )
}

fn marks_message(typed: &str, written: &str) -> String {
    // The first changed stretch, a few characters either side, as the message's example.
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), written.chars().collect());
    let first = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(0);
    let last = a.iter().zip(&b).rposition(|(x, y)| x != y).unwrap_or(first);
    let from = first.saturating_sub(4);
    let to = (last + 5).min(a.len()).min(from + 24).max(first + 1);
    let shown = |s: &[char]| s[from..to.min(s.len())].iter().collect::<String>();
    format!(
        "half-width marks in Chinese text written full-width (GB/T 15834): `{}` → `{}`; `[text] as_typed = true` in the layout keeps them as typed",
        shown(&a),
        shown(&b)
    )
}

#[cfg(test)]
mod tests;
