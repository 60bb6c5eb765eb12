//! Titles broken as a typesetter breaks them (7.3.1 回行时要做到词意完整，排列对称): over the
//! published titles in `tests/fixtures/titles.txt`, no line of one or two characters, no break
//! inside a word of jieba's default dictionary (the segmentation `structcheck.py` checks with),
//! every line within the measure as both writers set it (the 汉字–digit autospace counted).

use super::{TITLE_LINE_MIN_CHARS, title_breaks, title_widths};
use crate::spec::LayoutSpec;

const TITLES: &str = include_str!("../../tests/fixtures/titles.txt");

fn titles() -> Vec<&'static str> {
    TITLES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap_or(l))
        .collect()
}

/// The title with `|` at its breaks, for messages.
fn shown(title: &str, breaks: &[usize]) -> String {
    let mut s = String::new();
    for (k, c) in title.chars().enumerate() {
        if breaks.contains(&k) {
            s.push('|');
        }
        s.push(c);
    }
    s
}

#[test]
fn published_titles_break_between_words_into_even_lines_that_fit() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let jieba = jieba_rs::Jieba::new();
    let size = layout.element(crate::model::Element::Title).size_pt;
    let width = layout.body_width();
    let all = titles();
    assert!(all.len() >= 40, "{} titles", all.len());
    let mut broken = 0;
    for title in all {
        let n = title.chars().count();
        assert!((15..=60).contains(&n), "{title}: {n} characters");
        let breaks = title_breaks(title, size, width, &layout);
        let s = shown(title, &breaks);
        let mut words = std::collections::BTreeSet::new();
        let mut k = 0;
        for w in jieba.cut(title, true) {
            k += w.word.chars().count();
            words.insert(k);
        }
        let chars: Vec<char> = title.chars().collect();
        let widths = title_widths(&chars, size, &layout);
        let mut edges = vec![0];
        edges.extend(&breaks);
        edges.push(n);
        for e in edges.windows(2) {
            assert!(e[1] - e[0] >= TITLE_LINE_MIN_CHARS, "a short line: {s}");
            let w: f32 = widths[e[0]..e[1]].iter().sum();
            assert!(w <= width + 0.01, "a line of {w} pt in {width}: {s}");
        }
        for b in &breaks {
            assert!(words.contains(b), "a break inside a word: {s}");
        }
        // The most even lines: no line longer than the one above by more than a word's room,
        // except a 菱形's last.
        if breaks.len() == 1 {
            let (a, z) = (breaks[0], n - breaks[0]);
            assert!(a + 6 >= z, "a short first line: {s}");
        }
        broken += usize::from(!breaks.is_empty());
    }
    assert!(broken >= 30, "{broken} titles broke");
}

/// The title: 20 em of characters and two autospaces on a 20.1 em measure broke as
/// `……奖励的决 / 定`; it takes two even lines, broken between words, the upper one longer
/// (the 梯形).
#[test]
fn the_award_decision_breaks_in_two_between_words() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let t = "国务院关于2018年度国家科学技术奖励的决定";
    let b = title_breaks(t, 22.0, layout.body_width(), &layout);
    assert_eq!(shown(t, &b), "国务院关于2018年度国家|科学技术奖励的决定");
}
