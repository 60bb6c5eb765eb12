//! Data is data (issue 19): a value the template prints can never become markup, a heading, a
//! 版头, a 署名 or an attachment page of the plain-text language the template writes.
//!
//! Handlebars hands every printed value (`{{field}}`, and the text of the checking helpers such
//! as `doc_no`) to our escape function, which wraps it in two marks ([`START`], [`END`]); after
//! the render, [`settle`] reads the text once, front to back, and for each value:
//!
//! - printed inside a line (the template has text before or after it there: `@发文字号: {{…}}`,
//!   `{{单位}}述职述廉报告`): its line breaks become spaces, with a warning naming the field —
//!   the line stays one line of the template's kind;
//! - printed alone on its line (`{{引言}}`, `{{this}}` in an `#each`): each line break starts a
//!   new paragraph, and each such line begins with [`crate::read::markup::LITERAL`], which the reader
//!   takes as "body text, whatever it looks like" (no `@` markup, heading, 日期, 附件, 版记);
//! - starting with `@` where it stands first on its line: that line is marked too, so a 正文
//!   item `@附件 1: …` is printed as written, with a warning naming the field.
//!
//! A template that means a value to carry structure prints it with three braces, `{{{field}}}`:
//! Handlebars does not escape those, so the value is read as the template's own text.

use serde_json::Value;

use crate::error::Warning;
use crate::read::markup::LITERAL;

/// Before a printed value (private use, plane 15, as [`LITERAL`]).
pub(super) const START: char = '\u{F0001}';
/// After a printed value.
pub(super) const END: char = '\u{F0002}';

/// The escape function: the value between its marks, with any of our marks it held removed.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    out.push(START);
    out.extend(value.chars().filter(|c| !is_mark(*c)));
    out.push(END);
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, START | END | LITERAL)
}

/// What happened to a value, for its warning.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    /// Its line breaks became spaces.
    Folded,
    /// A line of it started with `@` and was printed as text.
    Literal,
}

/// The rendered text without the value marks, each value settled as the module header says;
/// warnings (one per field and kind) name the field of `data` that held the value.
pub(super) fn settle(
    text: &str,
    data: &Value,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> String {
    let mut out = String::with_capacity(text.len());
    // Has the line being written any text yet (the template's or a value's)?
    let mut line_has_text = false;
    let mut events: Vec<(Event, String)> = Vec::new();
    // Where the look ahead for text after a value stopped (see `text_ahead`).
    let mut ahead = 0;
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        let (before, after) = rest.split_at(at);
        push_template(&mut out, before, &mut line_has_text);
        let after = &after[START.len_utf8()..];
        let end = after.find(END).unwrap_or(after.len());
        let value = &after[..end];
        rest = after.get(end + END.len_utf8()..).unwrap_or("");
        let alone = !line_has_text && !text_ahead(text, text.len() - rest.len(), &mut ahead);
        if !alone && value.contains(['\n', '\r']) {
            events.push((Event::Folded, value.to_string()));
            let folded: String = value
                .split(['\n', '\r'])
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !line_has_text && folded.starts_with('@') {
                events.push((Event::Literal, value.to_string()));
                out.push(LITERAL);
            }
            line_has_text |= !folded.is_empty();
            out.push_str(&folded);
            continue;
        }
        for (k, line) in value.split('\n').enumerate() {
            if k > 0 {
                out.push('\n');
                line_has_text = false;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                out.push_str(line);
                continue;
            }
            // A line the value began: the first one where nothing stands before it, and every
            // one after a line break of the value.
            if !line_has_text {
                if k > 0 || trimmed.starts_with('@') {
                    out.push(LITERAL);
                }
                if trimmed.starts_with('@') {
                    events.push((Event::Literal, value.to_string()));
                }
                out.push_str(trimmed);
            } else {
                out.push_str(line);
            }
            line_has_text = true;
        }
    }
    push_template(&mut out, rest, &mut line_has_text);
    warn(&events, data, source, warnings);
    out
}

/// The template's own text, tracking whether the current line has text.
fn push_template(out: &mut String, text: &str, line_has_text: &mut bool) {
    match text.rfind('\n') {
        Some(p) => *line_has_text = !text[p + 1..].trim().is_empty(),
        None => *line_has_text |= !text.trim().is_empty(),
    }
    out.push_str(text);
}

/// Does anything but white space stand between `from` and the end of the line (template text
/// or a value, marks aside)? `ahead` is where the last look stopped: everything between an
/// earlier `from` and it was white space or marks, so a line of many empty values is looked
/// over once, not once per value (that was quadratic).
fn text_ahead(text: &str, from: usize, ahead: &mut usize) -> bool {
    if *ahead < from {
        let rest = &text[from..];
        *ahead = from
            + rest
                .find(|c: char| c == '\n' || (!c.is_whitespace() && !is_mark(c)))
                .unwrap_or(rest.len());
    }
    text[*ahead..].chars().next().is_some_and(|c| c != '\n')
}

/// The most values a render names in warnings: finding a value's field looks over the data, so
/// naming each of 100,000 values would be quadratic; the rest are counted in one more warning.
pub const MAX_VALUE_WARNINGS: usize = 10;

/// One warning per field and kind of event, for the first [`MAX_VALUE_WARNINGS`] values.
fn warn(events: &[(Event, String)], data: &Value, source: &str, warnings: &mut Vec<Warning>) {
    let mut told: Vec<(Event, String)> = Vec::new();
    if events.len() > MAX_VALUE_WARNINGS {
        warnings.push(Warning::at(
            source,
            0,
            format!(
                "{} more values were changed to stay text (line breaks printed as spaces, or lines starting with '@')",
                events.len() - MAX_VALUE_WARNINGS
            ),
        ));
    }
    for (event, value) in events.iter().take(MAX_VALUE_WARNINGS) {
        let field = field_of(data, value, "").unwrap_or_else(|| "a value".into());
        if told.iter().any(|(e, f)| e == event && *f == field) {
            continue;
        }
        let what = match event {
            Event::Folded => {
                "its line breaks are printed as spaces: the template prints it inside a line"
            }
            Event::Literal => {
                "a line of it starts with '@'; it is printed as text, not read as markup"
            }
        };
        let field_words = if field == "a value" {
            field.clone()
        } else {
            format!("field '{field}'")
        };
        warnings.push(Warning::at(source, 0, format!("{field_words}: {what}")));
        told.push((*event, field));
    }
}

/// The path of the first string in `data` equal to `value` (`正文[2]`, `述职内容[0].标题`).
fn field_of(data: &Value, value: &str, path: &str) -> Option<String> {
    match data {
        Value::String(s) if s.chars().filter(|c| !is_mark(*c)).eq(value.chars()) => {
            Some(path.to_string())
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| field_of(v, value, &format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, v)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            field_of(v, value, &p)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template_text: &str, data: Value) -> (String, Vec<String>) {
        let mut w = Vec::new();
        let out = settle(template_text, &data, "d.yaml", &mut w);
        (out, w.iter().map(|w| w.to_string()).collect())
    }

    fn v(s: &str) -> String {
        escape(s)
    }

    #[test]
    fn a_value_inside_a_line_folds_and_one_alone_is_marked() {
        let forged = "青政办函〔2023〕8号\n@密级: 绝密★永久";
        let text = format!(
            "@发文字号: {}\n{}\n",
            v(forged),
            v("甲\n乙\n\n@附件 1: 伪造")
        );
        let (out, w) = run(
            &text,
            json!({"发文字号": forged, "正文": ["甲\n乙\n\n@附件 1: 伪造"]}),
        );
        assert_eq!(
            out,
            format!(
                "@发文字号: 青政办函〔2023〕8号 @密级: 绝密★永久\n甲\n{LITERAL}乙\n\n{LITERAL}@附件 1: 伪造\n"
            )
        );
        assert!(
            w[0].contains("field '发文字号'") && w[0].contains("spaces"),
            "{w:?}"
        );
        assert!(
            w[1].contains("field '正文[0]'") && w[1].contains("'@'"),
            "{w:?}"
        );
    }

    #[test]
    fn many_values_on_one_line_are_looked_over_once() {
        // 100,000 empty values on one line, then one that begins with '@': the look ahead for
        // text after each value used to run to the line's end each time.
        let mut text = String::new();
        for _ in 0..100_000 {
            text.push_str(&v(""));
        }
        text.push_str(&v("@密级: 绝密"));
        let (out, w) = run(&text, json!({}));
        assert_eq!(out, format!("{LITERAL}@密级: 绝密"));
        assert_eq!(w.len(), 1);
        // Many values that warn: a few are named, the rest counted.
        let text: String = (0..1000).map(|_| format!("{}\n", v("@x"))).collect();
        let (_, w) = run(&text, json!({"a": ["@x"]}));
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("990 more values"), "{w:?}");
    }

    #[test]
    fn plain_values_and_template_text_are_unchanged() {
        let text = format!(
            "{}年{}述职\n@作者: {} {}\n{}\n",
            v("2023"),
            v("柳河镇"),
            v("镇长"),
            v("张三"),
            v("一、正文")
        );
        let (out, w) = run(&text, json!({}));
        assert_eq!(out, "2023年柳河镇述职\n@作者: 镇长 张三\n一、正文\n");
        assert!(w.is_empty());
        assert_eq!(escape(&format!("a{START}{LITERAL}b")), v("ab"));
    }
}
