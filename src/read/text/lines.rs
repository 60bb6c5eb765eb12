//! Text → lines: split as an editor numbers them, then trimmed non-empty lines with site
//! markers and control characters removed (the bytes were decoded by
//! [`crate::read::encoding`]).

use crate::error::Warning;

/// The lines of a text as an editor numbers them: split at LF and CRLF, or at CR alone in a
/// file with no LF at all (classic Mac OS line ends). A CR elsewhere is a stray control
/// character, removed with a warning by [`clean_lines`].
pub fn split_lines(text: &str) -> Vec<&str> {
    if !text.contains('\n') && text.contains('\r') {
        text.split('\r').collect()
    } else {
        text.lines().collect()
    }
}

/// Non-empty lines with their 1-based numbers, trimmed, control characters and site markers
/// removed. Every character removed that is not plain whitespace is named in a warning at its
/// line and column, wherever it stands in the line (issue 9: VT, FF and U+001C–U+001F are
/// whitespace to Rust's `trim`, so at a line's end they went without a word).
pub(super) fn clean_lines(
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, raw) in split_lines(text).into_iter().enumerate() {
        let mut line = raw.to_string();
        // Control characters (NUL, form feed, escape …; a tab stays) have no place in a
        // document and make a DOCX unreadable: dropped, with a warning naming each column.
        if line.chars().any(is_removed) {
            let found = removed_at(raw, is_removed);
            warnings.push(Warning::at_col(
                source,
                n + 1,
                found[0].0,
                removed_message(&found),
            ));
            line.retain(|c| !is_removed(c));
        }
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let line = remove_markers(line, source, n + 1, warnings);
        let line = line.trim().to_string();
        if !line.is_empty() {
            out.push((n + 1, line));
        }
    }
    out
}

/// A C0 or C1 control character other than the tab, a Unicode line or paragraph separator
/// (U+2028, U+2029: not a line end in a text file, and no font draws them), or the
/// noncharacters U+FFFE and U+FFFF, which XML does not allow: the DOCX left them out while the
/// PDF showed a box and the warning spoke of one (issue 19), so both outputs now go without.
pub(crate) fn is_removed(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Each character of `s` that `removed` takes out, with its place (1-based), for the warning.
pub(crate) fn removed_at(s: &str, removed: impl Fn(char) -> bool) -> Vec<(usize, char)> {
    s.chars()
        .enumerate()
        .filter(|&(_, c)| removed(c))
        .map(|(i, c)| (i + 1, c))
        .collect()
}

/// What a removed character was, for the warning.
pub(crate) fn control_name(c: char) -> &'static str {
    match c {
        '\0' => "NUL",
        '\u{b}' => "vertical tab: a line break in Word's text",
        '\u{c}' => "form feed: a page break; pages are broken by the layout",
        '\r' => "carriage return",
        '\u{1b}' => "escape",
        '\u{1c}'..='\u{1f}' => "information separator",
        '\u{7f}' => "delete",
        '\u{85}' => "next line",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{FFFE}' | '\u{FFFF}' => "a noncharacter, not allowed in a Word file",
        _ => "control character",
    }
}

/// `removed control character U+000C (form feed …)`, or, for several on a line, each with its
/// column (the first ten).
pub(crate) fn removed_message(found: &[(usize, char)]) -> String {
    let code = |c: char| format!("U+{:04X} ({})", c as u32, control_name(c));
    // U+FFFE and U+FFFF are not control characters: the warning says no more than is true.
    let kind = if found
        .iter()
        .any(|&(_, c)| matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        "character"
    } else {
        "control character"
    };
    match found {
        [(_, c)] => format!("removed {kind} {}", code(*c)),
        _ => {
            let mut list: Vec<String> = found
                .iter()
                .take(10)
                .map(|(col, c)| format!("{} at column {col}", code(*c)))
                .collect();
            if found.len() > 10 {
                list.push(format!("and {} more", found.len() - 10));
            }
            format!("removed {} {kind}s: {}", found.len(), list.join(", "))
        }
    }
}

/// The line without its `##word##` markers, each named in a warning. One pass: removing them
/// one at a time from the whole line (search from the start, `replace_range`) was quadratic,
/// and a 20 MB text on one line with its markers took minutes (issue 9).
fn remove_markers(line: &str, source: &str, n: usize, warnings: &mut Vec<Warning>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(marker) = find_marker(rest) {
        warnings.push(Warning::at(
            source,
            n,
            format!("removed site marker {}", &rest[marker.clone()]),
        ));
        out.push_str(&rest[..marker.start]);
        rest = &rest[marker.end..];
    }
    out.push_str(rest);
    out
}

/// The byte range of a `##word##` marker left by a web site, if any.
fn find_marker(line: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(s) = line[from..].find("##").map(|p| p + from) {
        let rest = &line[s + 2..];
        let word_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if word_len > 0 && rest[word_len..].starts_with("##") {
            return Some(s..s + 2 + word_len + 2);
        }
        from = s + 2;
    }
    None
}
