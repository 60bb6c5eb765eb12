//! Measures the plan takes without fonts: grid cells, the ideographic em box, title breaks.
//!
//! Word, WPS and LibreOffice set a full-width character of the base size in one grid cell
//! (5.2.3: 156 mm / 28 = 15.79 pt), so counting cells gives the same answer as the fonts for
//! Chinese text; Latin letters and digits count half a cell. The font-metric constants of the
//! em box are named here once and used by both writers.

use crate::linebreak::break_lines;
use crate::spec::Layout;

/// Top of an ideographic em box above the baseline, in em.
pub const EM_ASCENT: f32 = 0.88;
/// Bottom of an ideographic em box below the baseline, in em.
pub const EM_DESCENT: f32 = 0.12;

/// Baseline below the top of a grid line: the em box centred in the line.
pub fn baseline_offset(pitch: f32, size: f32) -> f32 {
    pitch / 2.0 + (EM_ASCENT - 0.5) * size
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

/// Whether Word and LibreOffice put their 汉字–Latin autospace between `a` and `b`.
pub fn autospace(a: char, b: char) -> bool {
    is_han(a) && b.is_ascii_alphanumeric() || a.is_ascii_alphanumeric() && is_han(b)
}

/// Width in grid cells of text set in the base size, with the 汉字–Latin autospace the layout
/// asks for (what the PDF sets, and about what Word and LibreOffice add).
pub fn spaced_cells(text: &str, layout: &Layout) -> f32 {
    let chars: Vec<char> = text.chars().collect();
    let gaps = chars.windows(2).filter(|w| autospace(w[0], w[1])).count();
    cells(text)
        + gaps as f32 * layout.grid.cjk_latin_space_em * layout.grid.base_size_pt / layout.cell()
}

/// Where a title of `size` points breaks in a measure of `width` points (7.3.1): as few lines
/// as the measure allows, the lines then made even with the upper ones no shorter (a
/// trapezoid), breaking only where the 禁则 allow (digits and Latin words whole). Returns the
/// char offsets of the breaks.
pub fn title_breaks(text: &str, size: f32, width: f32, layout: &Layout) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let one = layout.char_width(size);
    let widths: Vec<f32> = chars.iter().map(|c| char_cells(*c) * one).collect();
    let first = break_lines(&chars, &widths, width, width);
    let n = first.len();
    if n <= 1 {
        return vec![];
    }
    let total: f32 = widths.iter().sum();
    let mut target = total / n as f32;
    let ranges = loop {
        let r = break_lines(&chars, &widths, target, target);
        if r.len() <= n || target >= width {
            break r;
        }
        target = (target + one / 2.0).min(width);
    };
    ranges.iter().skip(1).map(|r| r.start).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::load("gbt9704").unwrap()
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
        assert!(a >= z && a - z <= 1, "{a} / {z}");
    }

    #[test]
    fn a_short_title_does_not_break() {
        let l = layout();
        assert!(title_breaks("关于召开会议的通知", 22.0, l.body_width(), &l).is_empty());
    }
}
