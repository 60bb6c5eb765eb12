//! Measures the plan takes without fonts: grid cells, the ideographic em box, title breaks, and
//! how Word and LibreOffice space a line's characters.
//!
//! Word, WPS and LibreOffice set a full-width character of the base size 16 pt wide less the
//! DOCX's run spacing (−0.25 pt, [`tracking`]): 15.75 pt, the advance OOXML can express (whole
//! twentieths of a point), so 28 fill 441 pt of the 442.2 pt measure (5.2.3) and justification
//! spreads the rest. The PDF sets the same advances ([`seam`]), so both break every line at the
//! same character; counting cells ([`cells`]) gives the same answer as the fonts for Chinese
//! text, Latin letters and digits counting half a cell. The font-metric constants of the em box
//! are named here once and used by both writers.

use crate::linebreak::break_lines;
use crate::spec::LayoutSpec;

/// Top of an ideographic em box above the baseline, in em.
pub const EM_ASCENT: f32 = 0.88;
/// Bottom of an ideographic em box below the baseline, in em.
pub const EM_DESCENT: f32 = 0.12;

/// Baseline below the top of a grid line: the em box centred in the line.
pub fn baseline_offset(pitch: f32, size: f32) -> f32 {
    pitch / 2.0 + (EM_ASCENT - 0.5) * size
}

/// The tracking, in points, that sets base-size characters in grid cells (5.2.3: 28 characters
/// of 16 pt in 156 mm): the cell minus the size, rounded down to a twentieth of a point, the unit
/// Word keeps (−0.25 pt: −0.2 pt would need 442.4 pt and the line holds 442.2). The DOCX writes
/// it as character spacing of base-size text; Word and LibreOffice then set a Latin letter or
/// digit that much narrower too, so the PDF does the same to break lines where they do.
pub fn tracking(layout: &LayoutSpec) -> f32 {
    ((layout.cell() - layout.grid.base_size_pt) * 20.0).floor() / 20.0
}

/// The run spacing text of `size` points is set with: the grid's [`tracking`] for the base size
/// (as the DOCX writes it, 5.2.3), none for other sizes.
pub fn run_spacing(size: f32, layout: &LayoutSpec) -> f32 {
    if is_base(size, layout) {
        tracking(layout)
    } else {
        0.0
    }
}

/// Whether a size is the grid's base size (3号), whose text is tracked to the grid cells.
pub fn is_base(size: f32, layout: &LayoutSpec) -> bool {
    (size - layout.grid.base_size_pt).abs() < 0.01
}

/// A Han character (CJK ideograph), as opposed to punctuation or Latin.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Width of one character in grid cells of its size: full-width one, others half.
pub fn char_cells(c: char) -> f32 {
    if c.is_ascii() || ('\u{2000}'..'\u{2010}').contains(&c) {
        0.5
    } else {
        1.0
    }
}

/// Width of text in grid cells without fonts.
pub fn cells(text: &str) -> f32 {
    text.chars().map(char_cells).sum()
}

/// A character's script class as LibreOffice's text formatting sees it (i18npool
/// `BreakIteratorImpl::getScriptClass`, by Unicode block): a line is set in portions of one
/// script, and a weak character (a space, General Punctuation such as “ ” — …, symbols,
/// ①) joins the portion before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// CJK ideographs, kana, CJK punctuation (U+2E80–U+D7AF), full-width forms, CJK
    /// compatibility ideographs and forms, the supplementary ideographs.
    Asian,
    /// Basic Latin to Spacing Modifier Letters (U+0000–U+02FF: letters, digits, ASCII
    /// punctuation, `×` `·` `°`), Greek, Cyrillic and the other alphabets.
    Latin,
    /// Spaces and everything else: takes the script of the portion it follows.
    Weak,
}

/// The script class of `c` ([`Script`]).
pub fn script(c: char) -> Script {
    match c {
        ' ' | '\u{A0}' | '\u{2C7}' | '\u{2CA}' | '\u{2CB}' | '\u{2D9}' => Script::Weak,
        '\0'..='\u{2FF}' => Script::Latin,
        '\u{2E80}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3FFFF}' => Script::Asian,
        _ if c.is_alphabetic() => Script::Latin,
        _ => Script::Weak,
    }
}

/// What happens between two neighbouring characters of a line as LibreOffice 7.4 sets them
/// (sw `SwTextFormatter::BuildPortions`), found by [`seam`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seam {
    /// A text portion ends after the first character: its script changes, or its run (face,
    /// size). The run spacing is not applied after a portion's last character, so that
    /// character is set at its full advance (measured: `五|2023` 16 + 3.2 pt, `3|，` 8 pt).
    pub ends: bool,
    /// The 汉字–Latin autospace (autoSpaceDE/DN) after the first character, pt: between a
    /// letter or digit of one script and one of the other, a fifth of the first's size in
    /// whole twips (3.2 pt at 16 pt). It is set only when it fits on the line: a line that
    /// holds the first character but not the space ends there ([`crate::linebreak`]).
    pub space: f32,
    /// The script the second character's portion is in (a weak one takes the first's).
    pub script: Script,
}

/// The seam between `a` (its portion in script `script_a`, set in `size_a` points) and `b`;
/// `same_run` when both are in one run (same face and size). `space_em` is the layout's
/// `grid.cjk_latin_space_em` (0 turns the autospace off).
pub fn seam(
    a: char,
    script_a: Script,
    size_a: f32,
    b: char,
    same_run: bool,
    space_em: f32,
) -> Seam {
    let own = script(b);
    let changes = script_a != Script::Weak && own != Script::Weak && own != script_a;
    let space = if changes && a.is_alphanumeric() && b.is_alphanumeric() {
        // LibreOffice: the font height (twips) / 5, an integer.
        (size_a * 20.0 * space_em + 0.001).floor() / 20.0
    } else {
        0.0
    };
    Seam {
        ends: changes || !same_run,
        space,
        script: if own == Script::Weak { script_a } else { own },
    }
}

/// Whether Word and LibreOffice put their 汉字–Latin autospace between `a` and `b`: a letter or
/// digit of the Asian script beside one of another.
pub fn autospace(a: char, b: char) -> bool {
    a.is_alphanumeric()
        && b.is_alphanumeric()
        && matches!(
            (script(a), script(b)),
            (Script::Asian, Script::Latin) | (Script::Latin, Script::Asian)
        )
}

/// The autospace after a character of `size` points, pt ([`Seam::space`]).
pub fn autospace_width(size: f32, layout: &LayoutSpec) -> f32 {
    (size * 20.0 * layout.grid.cjk_latin_space_em + 0.001).floor() / 20.0
}

/// Width in grid cells of one line of text set in the base size, as the PDF and LibreOffice set
/// it ([`seam`]): each character its advance with the run spacing, the spacing given back where a
/// portion ends (a script change) and after the line's last character, and the 汉字–Latin
/// autospace the layout asks for. The 署名 column rule (7.3.5) places lines by it.
pub fn spaced_cells(text: &str, layout: &LayoutSpec) -> f32 {
    let size = layout.grid.base_size_pt;
    let t = tracking(layout);
    let em = layout.grid.cjk_latin_space_em;
    let mut width = 0.0;
    let mut prev: Option<(char, Script)> = None;
    for ch in text.chars() {
        let own = match prev {
            Some((p, sc)) => {
                let s = seam(p, sc, size, ch, true, em);
                if s.ends {
                    width -= t;
                }
                width += s.space;
                s.script
            }
            None => script(ch),
        };
        width += char_cells(ch) * size + t;
        prev = Some((ch, own));
    }
    if prev.is_some() {
        width -= t;
    }
    width / layout.cell()
}

/// Where a title of `size` points breaks in a measure of `width` points (7.3.1: 回行时要做到词意
/// 完整，排列对称，长短适宜，间距恰当). As few lines as the measure allows; breaks only between
/// words (jieba's segmentation, with a number kept with the unit after it) where the 禁则 allow;
/// of those, the breaks that make the lines most even, a longer line above a shorter one (the
/// 梯形) preferred, or a short middle line between two long ones (the 菱形). Returns the char
/// offsets of the breaks.
pub fn title_breaks(text: &str, size: f32, width: f32, layout: &LayoutSpec) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let widths = title_widths(&chars, size, layout);
    let total: f32 = widths.iter().sum();
    if total <= width + 0.01 {
        return vec![];
    }
    let n_min = (total / width).ceil() as usize;
    // Past this many boundaries the first try below gives up (`choices` only grows with them):
    // a long first line read as the title (a whole file on one line) is not segmented further.
    let enough = |found: usize| {
        let k = n_min.max(2) - 1;
        found >= k && choices(found, k) > 100_000
    };
    let at = word_boundaries(text, &chars, &enough);
    if !enough(at.len()) {
        // Prefix widths, for the width of chars[a..b].
        let mut pre = vec![0.0f32];
        for w in &widths {
            pre.push(pre.last().copied().unwrap_or(0.0) + w);
        }
        let one = layout.char_width(size);
        let pen = break_penalties(text, &chars, &at, one * one);
        for n in n_min.max(2)..=(n_min + 2).min(at.len() + 1) {
            // `best_breaks` tries every choice of breaks: past this many (a first line of a
            // hundred characters or more, read as the title with a warning) it would not end, so
            // such a title breaks where the 禁则 allow (found by fuzz/: a 150-character line hung).
            if choices(at.len(), n - 1) > 100_000 {
                break;
            }
            if let Some(best) = best_breaks(&at, &pen, &pre, n, width) {
                return best;
            }
        }
    }
    // No word boundary gives lines that fit: break where the 禁则 allow.
    break_lines(&chars, &widths, width, width)
        .iter()
        .skip(1)
        .map(|r| r.start)
        .collect()
}

/// The width of each character of a title set in `size` points, as both writers set it: a
/// full-width character one em (a grid cell at the base size), a digit or Latin letter half,
/// and the 汉字–Latin autospace Word, LibreOffice and the PDF put between `于` and `2018`
/// counted on the character before it. Without the autospace,
/// `国务院关于2018年度国家科学技术奖励的决定` measured 20 em and was set on one line of the
/// 20.1 em measure; set, the two spaces pushed `定` alone onto a second line.
pub fn title_widths(chars: &[char], size: f32, layout: &LayoutSpec) -> Vec<f32> {
    let one = layout.char_width(size);
    let space = autospace_width(size, layout);
    let mut widths: Vec<f32> = chars.iter().map(|c| char_cells(*c) * one).collect();
    for k in 1..chars.len() {
        if autospace(chars[k - 1], chars[k]) {
            widths[k - 1] += space;
        }
    }
    widths
}

/// The fewest characters a title line may hold when it breaks (7.3.1 排列对称: no one or two
/// characters alone on a line, as a typesetter never leaves them).
pub const TITLE_LINE_MIN_CHARS: usize = 3;

/// Offsets where a title may break: between jieba's words, never after a digit (a number stays
/// with its unit: 2019年, 30%) and never where the 禁则 forbid. Stops early (with at least that
/// many) once `enough` says so.
///
/// The text is cut in pieces of about 64 KB, each ending after a punctuation mark: jieba cuts
/// each run of Han characters and letters on its own and every other character alone, so the
/// words are the same as the whole text's, but its list of words (48 bytes each) stays small —
/// a 20 MB title took 300 MB more.
pub(super) fn word_boundaries(
    text: &str,
    chars: &[char],
    enough: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    super::words::with_segmenter(text, |jieba| cut_points(jieba, text, chars, enough))
}

fn cut_points(
    jieba: &jieba_rs::Jieba,
    text: &str,
    chars: &[char],
    enough: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let mut at = Vec::new();
    let mut k = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let piece = &rest[..piece_end(rest, 1 << 16)];
        rest = &rest[piece.len()..];
        for word in jieba.cut(piece, true) {
            k += word.word.chars().count();
            if k < chars.len() {
                let (a, b) = (chars[k - 1], chars[k]);
                if !a.is_ascii_digit()
                    && !('０'..='９').contains(&a)
                    && crate::linebreak::break_allowed(a, b)
                {
                    at.push(k);
                }
            }
        }
        if enough(at.len()) {
            break;
        }
    }
    at
}

/// Byte length of the first piece of `text` to segment: `text` whole when short, else up to
/// just after the first of these marks past `target` bytes. None of them is of jieba's word
/// characters (Han, ASCII letters and digits, `+#&._%-`), nor a CR (CR LF is one token), so a
/// cut there is a cut jieba makes too.
fn piece_end(text: &str, target: usize) -> usize {
    if text.len() <= target {
        return text.len();
    }
    let mut from = target;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text[from..]
        .char_indices()
        .find(|(_, c)| "，。、；：！？）》”,;:!? \n".contains(*c))
        .map_or(text.len(), |(i, c)| from + i + c.len_utf8())
}

/// What each break among `at` costs beyond the lines' unevenness, in `unit`s (a character's
/// width squared): a typesetter keeps a quoted or bracketed name whole (`“十四五”`,
/// `《中国制造2025》`, `（上海）`: 16, about never), starts no line with a Latin mark (`+”行动`: 4), and
/// breaks between words of two characters or more rather than beside a single character jieba
/// could not join to a word (`绿色低|碳循环`, `新|时代`, `的|通知`: 3 each side), when the
/// lines come out about as even either way.
fn break_penalties(text: &str, chars: &[char], at: &[usize], unit: f32) -> Vec<f32> {
    let mut word_end = vec![false; chars.len() + 1];
    word_end[0] = true;
    super::words::with_segmenter(text, |jieba| {
        let mut k = 0;
        for w in jieba.cut(text, true) {
            k += w.word.chars().count();
            word_end[k.min(chars.len())] = true;
        }
    });
    // Depth of quotes and brackets before each offset.
    let mut depth = vec![0i32; chars.len() + 1];
    for (k, c) in chars.iter().enumerate() {
        let d = match c {
            '“' | '《' | '（' | '(' | '「' | '‘' => 1,
            '”' | '》' | '）' | ')' | '」' | '’' => -1,
            _ => 0,
        };
        depth[k + 1] = (depth[k] + d).max(0);
    }
    at.iter()
        .map(|&b| {
            let mut p = 0.0;
            if depth[b] > 0 {
                p += 16.0;
            }
            if chars.get(b).is_some_and(|c| c.is_ascii_punctuation()) {
                p += 4.0;
            }
            // (a unit after a number, `2023年|`, is the number's word)
            let after_number = b >= 2 && chars[b - 2].is_ascii_digit();
            if b >= 1 && word_end[b - 1] && is_han(chars[b - 1]) && !after_number {
                p += 3.0;
            }
            if word_end.get(b + 1) == Some(&true) && is_han(chars[b]) {
                p += 3.0;
            }
            p * unit
        })
        .collect()
}

/// The `n - 1` breaks among `at` that fit every line in `width` with the least unevenness and
/// the least penalty (`pen`, one for each of `at`); `None` when no choice fits.
fn best_breaks(at: &[usize], pen: &[f32], pre: &[f32], n: usize, width: f32) -> Option<Vec<usize>> {
    let len = pre.len() - 1;
    let mean = pre[len] / n as f32;
    let mut best: Option<(f32, Vec<usize>)> = None;
    let mut pick = Vec::with_capacity(n - 1);
    choose(at, 0, n - 1, &mut pick, &mut |cuts: &[usize]| {
        let mut edges = vec![0];
        edges.extend_from_slice(cuts);
        edges.push(len);
        let lines: Vec<f32> = edges.windows(2).map(|e| pre[e[1]] - pre[e[0]]).collect();
        if lines.iter().any(|w| *w > width + 0.01)
            || edges.windows(2).any(|e| e[1] - e[0] < TITLE_LINE_MIN_CHARS)
        {
            return;
        }
        let mut cost: f32 = lines.iter().map(|w| (w - mean) * (w - mean)).sum();
        // A line longer than the one above it spoils the 梯形, except the middle of a 菱形:
        // weighed double the unevenness, as a typesetter sets `……关于2023年上半年 / 安全生产……`
        // rather than the more even `……关于2023年 / 上半年安全生产……`.
        for (k, pair) in lines.windows(2).enumerate() {
            let diamond = n == 3 && k == 0 && lines[1] < lines[0] && lines[2] > lines[1];
            if pair[1] > pair[0] + 0.01 && !diamond {
                cost += (pair[1] - pair[0]) * (pair[1] - pair[0]) * 4.0;
            }
        }
        for c in cuts {
            cost += at.binary_search(c).map_or(0.0, |i| pen[i]);
        }
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, cuts.to_vec()));
        }
    });
    best.map(|(_, cuts)| cuts)
}

/// How many ways to choose `k` of `m` (saturating).
fn choices(m: usize, k: usize) -> u128 {
    let mut c: u128 = 1;
    for i in 0..k.min(m) as u128 {
        c = c.saturating_mul(m as u128 - i) / (i + 1);
        if c > u64::MAX as u128 {
            return c;
        }
    }
    c
}

/// Every choice of `k` increasing items of `from[start..]`, given to `f`.
fn choose(
    from: &[usize],
    start: usize,
    k: usize,
    pick: &mut Vec<usize>,
    f: &mut dyn FnMut(&[usize]),
) {
    if k == 0 {
        f(pick);
        return;
    }
    for i in start..from.len() {
        if from.len() - i < k {
            break;
        }
        pick.push(from[i]);
        choose(from, i + 1, k - 1, pick, f);
        pick.pop();
    }
}

#[cfg(test)]
#[path = "title_tests.rs"]
mod title_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> LayoutSpec {
        LayoutSpec::load("gbt9704").unwrap()
    }

    /// LibreOffice's portions and autospace: 汉字 and digits change script (a fifth of the size
    /// between them, 3.2 pt at 16 pt, 4.4 pt at 22 pt); `，` and `%` end or continue a portion
    /// but get no space; “ ” and — are weak and join the portion before them.
    #[test]
    fn seams_are_libreoffice_s() {
        let em = 0.2;
        let s = seam('五', Script::Asian, 16.0, '2', true, em);
        assert_eq!((s.ends, s.space, s.script), (true, 3.2, Script::Latin));
        assert_eq!(seam('3', Script::Latin, 22.0, '年', true, em).space, 4.4);
        let s = seam('3', Script::Latin, 16.0, '，', true, em);
        assert_eq!((s.ends, s.space), (true, 0.0));
        let s = seam('5', Script::Latin, 16.0, '%', true, em);
        assert_eq!((s.ends, s.space), (false, 0.0));
        // A closing quote after GDP stays in its Latin portion, which ends before the 汉字.
        let s = seam('P', Script::Latin, 16.0, '”', true, em);
        assert_eq!((s.ends, s.script), (false, Script::Latin));
        let s = seam('”', Script::Latin, 16.0, '增', true, em);
        assert_eq!((s.ends, s.space, s.script), (true, 0.0, Script::Asian));
        // A run of another face ends the portion.
        assert!(seam('一', Script::Asian, 16.0, '二', false, em).ends);
        assert_eq!(script('—'), Script::Weak);
        assert_eq!(script('·'), Script::Latin);
        assert!(autospace('于', '2') && autospace('G', '数') && !autospace('，', '2'));
    }

    #[test]
    fn cells_count_full_and_half_width() {
        assert_eq!(cells("2023年7月1日"), 6.0 * 0.5 + 3.0);
        assert_eq!(cells("抄送："), 3.0);
    }

    #[test]
    fn a_long_title_breaks_into_even_lines_with_the_upper_one_no_shorter() {
        let l = layout();
        let t = "青山县人民政府关于进一步加强安全生产工作切实防范遏制重特大事故的通知";
        let b = title_breaks(t, 22.0, l.body_width(), &l);
        assert_eq!(b.len(), 1, "{b:?}");
        let n = t.chars().count();
        let (a, z) = (b[0], n - b[0]);
        assert!(a >= z && a - z <= 4, "{a} / {z}");
    }

    /// Titles that broke inside words before (each break must fall between whole words).
    #[test]
    fn titles_break_between_words() {
        let l = layout();
        for (title, bad) in [
            (
                "国务院办公厅关于2019年全国深化放管服改革优化营商环境电视电话会议重点任务分工方案的通知",
                ["2019|年", "全|国"],
            ),
            (
                "关于进一步加强三级公立医院绩效考核工作的通知（征求意见稿）和有关预算执行情况的报告",
                ["进一|步", "三级公|立医院"],
            ),
            (
                "人力资源社会保障部关于印发“技能中国行动”实施方案的通知的补充通知和有关工作安排",
                ["“技|能", "预算执|行"],
            ),
        ] {
            let b = title_breaks(title, 22.0, l.body_width(), &l);
            assert!(!b.is_empty(), "{title}");
            let chars: Vec<char> = title.chars().collect();
            let mut shown = String::new();
            for (k, c) in chars.iter().enumerate() {
                if b.contains(&k) {
                    shown.push('|');
                }
                shown.push(*c);
            }
            for w in bad {
                assert!(!shown.contains(w), "{shown}");
            }
            assert!(!shown.contains("|年") && !shown.contains("|”"), "{shown}");
        }
    }

    #[test]
    fn a_short_title_does_not_break() {
        let l = layout();
        assert!(title_breaks("关于召开会议的通知", 22.0, l.body_width(), &l).is_empty());
    }
}
