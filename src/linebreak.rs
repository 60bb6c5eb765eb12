//! Line breaking on the character grid, with the Chinese 禁则 rules, and justification.
//!
//! Chinese text may break between any two characters except where punctuation forbids it
//! (clreq §3.1.7 "Prohibition rules for line start and end", <https://www.w3.org/TR/clreq/#prohibition_rules_for_line_start_end>;
//! GB/T 15834): closing punctuation never starts a line, opening punctuation never ends one,
//! a 破折号 —— or 省略号 …… is never split, and a run of digits or Latin letters is one word.
//! Lines are filled greedily; when the natural break is forbidden the break moves back, pulling
//! the previous character down (what LibreOffice and Word do when punctuation may not hang).

use std::ops::Range;

/// Characters that may not start a line (closing punctuation, clreq 3.1.7).
pub const NO_LINE_START: &str = "，。、；：？！）》」』”’〕】〗〉%,.;:?!)]}·～";
/// Characters that may not end a line (opening punctuation).
pub const NO_LINE_END: &str = "（《「『“‘〔【〖〈([{";

/// Part of a word that must not be split: Latin letters, digits and what binds them (1.5, 10%,
/// 10~15, 3×4, 25℃: the symbols LibreOffice's line breaking, ICU's, counts as letters).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('０'..='９').contains(&c) || "._-/@&+'%~#*=^|<>×℃".contains(c)
}

/// Closing punctuation that binds a Latin letter or digit after it (`，2023`, `）GDP`).
const CLOSING: &str = "，。、）》」』”’〕】〗〉)]}";

/// May a line break fall between `a` and `b`?
pub fn break_allowed(a: char, b: char) -> bool {
    if NO_LINE_START.contains(b) || NO_LINE_END.contains(a) {
        return false;
    }
    // LibreOffice's line breaking (ICU's rules) keeps a Latin letter or digit with closing
    // punctuation before it and with opening punctuation or an ellipsis after it (measured on
    // LibreOffice 7.4: `，|1234`, `〕|12号`, `”|GDP`, `2025|（`, `GDP|“`, `2025|……` never
    // break; `；|1`, `：|“`, `？|1`, `一|2023`, `2025|年` do), and a number's digit groups
    // (`1,|286`, `1:|500`); the PDF keeps them too, so both break lines alike.
    let latin = |c: char| c.is_ascii_alphanumeric();
    if (CLOSING.contains(a) || ",:;".contains(a)) && latin(b)
        || latin(a) && (NO_LINE_END.contains(b) || b == '…')
    {
        return false;
    }
    if a == b && (a == '—' || a == '…') {
        return false; // —— and …… are one mark (GB/T 15834 4.13, 4.11)
    }
    if word_char(a) && word_char(b) {
        return false;
    }
    true
}

/// May a line break fall before `chars[k]`? [`break_allowed`], and LibreOffice's rule for
/// quotation marks (ICU's, as Unicode's line breaking has it since 15.1: a quote breaks from
/// Chinese only): no break before `“` when a Latin letter or digit follows it, nor after `”`
/// when one precedes it (`（2023）|“GDP”` and `GDP”|增长` do not break; `）|“二”` does).
pub fn break_at(chars: &[char], k: usize) -> bool {
    let latin = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    break_allowed(chars[k - 1], chars[k])
        && !("“‘".contains(chars[k]) && latin(k + 1))
        && !("”’".contains(chars[k - 1]) && k >= 2 && latin(k - 2))
}

/// Break `chars` (with their widths in points) into lines: the first line holds `first` points,
/// the others `rest`. Returns the index range of each line. Spaces at a wrapped line's start are
/// skipped (they belong to the break).
pub fn break_lines(chars: &[char], widths: &[f32], first: f32, rest: f32) -> Vec<Range<usize>> {
    break_spaced(chars, widths, |_| (0.0, 0.0), first, rest)
}

/// [`break_lines`] as LibreOffice sets a line; `glue(k)` is (space, tail) of character `k`:
/// - `space`, points of glue after it (the 汉字–Latin autospace,
///   [`crate::plan::metrics::Seam`]), set only between two characters of one line and only when
///   it fits — a line that holds character `k` but not the space after it ends after `k` (sw
///   `SwTextFormatter::BuildPortions`: "does the kerning portion still fit into the line?",
///   else the line is full). So `开展|2025年` breaks after 展 when 展 ends the line, where
///   counting the space with 展 would pull 展 down to the next line;
/// - `tail`, the width it gains when it ends a line: the run spacing it then loses (a line's
///   last character is a portion's last, set at its full advance), which must fit too
///   (measured: `…19` + 3.2 + `有` 15.75 fit a 410.65 pt line in our count, not in
///   LibreOffice's, which holds `有` at 16).
pub fn break_spaced(
    chars: &[char],
    widths: &[f32],
    glue: impl Fn(usize) -> (f32, f32),
    first: f32,
    rest: f32,
) -> Vec<Range<usize>> {
    // The DOCX's measures are whole twips (0.05 pt): LibreOffice's 156 mm line is 442.25 pt
    // where ours is 442.205, and a line of 15.75 pt characters and 7.75 pt digits may fill it
    // exactly.
    const EPS: f32 = 0.05;
    let n = chars.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first } else { rest };
        let (mut k, mut w) = (start, 0.0);
        let mut full = None;
        while k < n && w + widths[k] + glue(k).1 <= avail + EPS {
            w += widths[k];
            k += 1;
            let space = if k < n { glue(k - 1).0 } else { 0.0 };
            if space > 0.0 {
                if w + space > avail + EPS && break_at(chars, k) {
                    full = Some(k);
                    break;
                }
                w += space;
            }
        }
        if let Some(b) = full {
            lines.push(start..b);
            start = b;
            continue;
        }
        if k == n {
            lines.push(start..n);
            break;
        }
        if k == start {
            k = start + 1; // one character wider than the line: it still has to go somewhere
            if k == n {
                lines.push(start..n);
                break;
            }
        }
        let mut b = k;
        while b > start + 1 && !break_at(chars, b) {
            b -= 1;
        }
        if !break_at(chars, b) {
            b = k; // no legal break in the whole line: break where it is full
        }
        lines.push(start..b);
        start = b;
        while start < n && chars[start] == ' ' {
            start += 1;
        }
    }
    lines
}

/// Extra space after each character of a justified line so it fills `avail` points exactly
/// (the last character gets none). Spread evenly over the gaps, as CJK justification does
/// (clreq §3.8 "Line adjustment", inter-character spacing).
pub fn justify(widths: &[f32], avail: f32) -> Vec<f32> {
    let natural: f32 = widths.iter().sum();
    let gaps = widths.len().saturating_sub(1);
    let extra = if gaps > 0 && avail > natural {
        (avail - natural) / gaps as f32
    } else {
        0.0
    };
    (0..widths.len())
        .map(|i| if i < gaps { extra } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, per_line: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .collect();
        break_lines(&chars, &widths, per_line as f32, per_line as f32)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn fills_whole_lines() {
        assert_eq!(
            lines_of("一二三四五六七八九十", 5),
            ["一二三四五", "六七八九十"]
        );
    }

    #[test]
    fn closing_punctuation_pulls_the_previous_character_down() {
        // "五" would end line 1 and "。" start line 2: "五" comes down with it.
        assert_eq!(lines_of("一二三四五。六七", 5), ["一二三四", "五。六七"]);
        // two closing marks in a row: both stay off the line start.
        assert_eq!(lines_of("一二三四五”。六", 5), ["一二三四", "五”。六"]);
    }

    #[test]
    fn opening_punctuation_does_not_end_a_line() {
        assert_eq!(lines_of("一二三四“五六”", 5), ["一二三四", "“五六”"]);
    }

    /// As LibreOffice breaks: never between closing punctuation and a digit or Latin letter,
    /// nor between one and opening punctuation or an ellipsis; after `；` `：` `？` it may.
    #[test]
    fn latin_stays_with_the_punctuation_around_it() {
        for (a, b) in [
            ('，', '1'),
            ('〕', '1'),
            ('”', 'G'),
            ('5', '（'),
            ('P', '“'),
            ('5', '…'),
        ] {
            assert!(!break_allowed(a, b), "{a}|{b}");
        }
        for (a, b) in [
            ('；', '1'),
            ('：', '“'),
            ('？', '1'),
            ('一', '2'),
            ('5', '年'),
        ] {
            assert!(break_allowed(a, b), "{a}|{b}");
        }
        assert_eq!(lines_of("一二三，2023年", 5), ["一二", "三，2023年"]);
        // Quotes break from Chinese only.
        let q: Vec<char> = "）“GDP”增）“二”".chars().collect();
        assert!(!break_at(&q, 1) && !break_at(&q, 6) && break_at(&q, 8));
    }

    #[test]
    fn dashes_and_ellipses_stay_whole() {
        assert_eq!(lines_of("一二三四——五", 5), ["一二三四", "——五"]);
        assert_eq!(lines_of("一二三四……", 5), ["一二三四", "……"]);
    }

    #[test]
    fn digits_and_latin_words_are_not_split() {
        // "2023" is 2 cells wide; it does not fit after 四 and moves whole.
        assert_eq!(lines_of("一二三四2023年", 5), ["一二三四", "2023年"]);
        assert_eq!(lines_of("一二三abcd", 4), ["一二三", "abcd"]);
    }

    /// The autospace after a character is set only when the line goes on after it and it fits:
    /// a line that holds 展 but not the space after it ends after 展 (LibreOffice), rather than
    /// pulling 展 down with 2025.
    #[test]
    fn an_autospace_that_does_not_fit_ends_the_line() {
        let chars: Vec<char> = "一二三展2025年".chars().collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .collect();
        let space = |k: usize| (if k == 3 { 0.2 } else { 0.0 }, 0.0);
        assert_eq!(
            break_spaced(&chars[..8], &widths[..8], space, 4.0, 4.0),
            [0..4, 4..8]
        );
        // Counted with 展, the space pulled 展 down.
        let mut with = widths.clone();
        with[3] += 0.2;
        assert_eq!(break_lines(&chars[..8], &with[..8], 4.0, 4.0), [0..3, 3..8]);
        // A last character must fit with its tail (its run spacing given back).
        let w = [1.0, 1.0, 1.0];
        let c: Vec<char> = "一二三".chars().collect();
        assert_eq!(break_spaced(&c, &w, |_| (0.0, 0.0), 3.0, 3.0), vec![0..3]);
        assert_eq!(break_spaced(&c, &w, |_| (0.0, 0.1), 3.0, 3.0), [0..2, 2..3]);
        // Where the space fits but the next character does not, the line breaks as usual.
        assert_eq!(
            break_spaced(
                &chars[4..],
                &widths[4..],
                |k| (if k == 3 { 0.2 } else { 0.0 }, 0.0),
                3.1,
                3.1
            ),
            [0..4, 4..5]
        );
    }

    #[test]
    fn first_line_is_shorter_by_the_indent() {
        let chars: Vec<char> = "一二三四五六七八".chars().collect();
        let w = vec![1.0; chars.len()];
        assert_eq!(break_lines(&chars, &w, 3.0, 5.0), [0..3, 3..8]);
    }

    #[test]
    fn characters_wider_than_the_line_each_take_a_line() {
        // A table column narrower than one character (issue: 20 columns panicked here).
        let chars: Vec<char> = "内容1".chars().collect();
        let lines = break_lines(&chars, &[16.0, 16.0, 8.0], 5.0, 5.0);
        assert_eq!(lines, vec![0..1, 1..2, 2..3]);
    }

    #[test]
    fn justification_fills_the_line() {
        let extra = justify(&[1.0, 1.0, 1.0, 1.0], 5.0);
        assert_eq!(extra, [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.0]);
        assert_eq!(justify(&[1.0], 5.0), [0.0]);
    }
}
