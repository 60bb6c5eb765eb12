//! The word segmenter behind title breaks (7.3.1: a title breaks between words): jieba, with
//! its dictionary loaded only as far as a title needs.
//!
//! Why: `jieba_rs::Jieba::new()` builds a trie of the whole dictionary (349,046 words), which
//! took 130 ms of CPU and about 30 MB, five times the rest of a one-document render, for every
//! document whose title needs a break. A title can only match words made of its own
//! characters, so the first titles of a run get a segmenter built from those dictionary
//! entries alone (one scan of the dictionary text), with the dictionary's total frequency
//! restored: every path through the title scores as with the whole dictionary, so the words
//! are the same (`tests::the_same_words_as_the_whole_dictionary`). Past [`SMALL_RUNS`] titles
//! (a batch), or for a title too long to gain, the whole dictionary is loaded once and shared.
//!
//! `jieba_dict.txt` is jieba-rs 0.11's `src/data/dict.txt` (MIT, as jieba-rs), unchanged.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use jieba_rs::Jieba;

/// jieba's dictionary: `word frequency tag` lines.
static DICT: &str = include_str!("jieba_dict.txt");

/// The sum of every line's frequency in [`DICT`] (what `Jieba::new` divides by).
const DICT_TOTAL: usize = 60_101_964;

/// How many titles get a segmenter of their own before the whole dictionary is loaded.
const SMALL_RUNS: usize = 4;

/// Titles longer than this (bytes) use the whole dictionary: their characters select most of it.
const SMALL_TEXT: usize = 4096;

/// Run `f` with a segmenter that cuts `text` as jieba with its whole dictionary does.
pub(super) fn with_segmenter<R>(text: &str, f: impl FnOnce(&Jieba) -> R) -> R {
    static WHOLE: OnceLock<Jieba> = OnceLock::new();
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    if let Some(whole) = WHOLE.get() {
        return f(whole);
    }
    if text.len() > SMALL_TEXT || RUNS.fetch_add(1, Ordering::Relaxed) >= SMALL_RUNS {
        return f(WHOLE.get_or_init(Jieba::new));
    }
    f(&for_text(text))
}

/// A segmenter holding the dictionary words made only of `text`'s characters.
fn for_text(text: &str) -> Jieba {
    // The title's characters: a bit set over the Basic Multilingual Plane, a list beyond it.
    let mut bmp = vec![0u64; 1024];
    let mut astral: Vec<char> = Vec::new();
    for c in text.chars() {
        match u16::try_from(u32::from(c)) {
            Ok(u) => bmp[usize::from(u >> 6)] |= 1 << (u & 63),
            Err(_) => astral.push(c),
        }
    }
    let has = |c: char| match u16::try_from(u32::from(c)) {
        Ok(u) => bmp[usize::from(u >> 6)] & (1 << (u & 63)) != 0,
        Err(_) => astral.contains(&c),
    };
    // Most lines fail on their first character, so the scan is mostly looking for line ends.
    let mut picked = String::new();
    let mut held = 0usize;
    let mut rest = DICT;
    while !rest.is_empty() {
        let end = rest.as_bytes().iter().position(|&b| b == b'\n');
        let (line, next) = match end {
            Some(e) => (&rest[..e], &rest[e + 1..]),
            None => (rest, ""),
        };
        rest = next;
        if !line.chars().next().is_some_and(has) {
            continue;
        }
        let mut fields = line.split(' ');
        let word = fields.next().unwrap_or("");
        if !word.is_empty() && word.chars().all(has) {
            held += fields
                .next()
                .and_then(|f| f.parse::<usize>().ok())
                .unwrap_or(0);
            picked.push_str(line);
            picked.push('\n');
        }
    }
    let mut jieba = Jieba::with_dict(&mut picked.as_bytes()).unwrap_or_else(|_| Jieba::empty());
    // The rest of the dictionary's frequency, on a word no title holds (a noncharacter), so that
    // each word's probability is its frequency over the whole dictionary's total.
    if DICT_TOTAL > held {
        jieba.add_word("\u{FDD0}", Some(DICT_TOTAL - held), None);
    }
    jieba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_the_dictionarys() {
        let total: usize = DICT
            .lines()
            .filter_map(|l| l.split(' ').nth(1)?.parse::<usize>().ok())
            .sum();
        assert_eq!(total, DICT_TOTAL);
    }

    #[test]
    fn the_same_words_as_the_whole_dictionary() {
        let whole = Jieba::new();
        for title in [
            "关于进一步加强和改进新时代基层党组织建设工作推动全面从严治党向纵深发展的实施意见",
            "2023年XX县XX镇述职述廉报告（2）",
            "关于印发《青山县2024年度重点项目建设实施方案》的通知",
            "中华人民共和国国务院办公厅关于做好2024年春节期间安全生产工作的紧急通知",
            "关于申请拨付4S店周边道路AA制停车管理试点经费的请示",
            "研究生命起源和结婚的和尚未结婚的",
        ] {
            let cut = |j: &Jieba| -> Vec<String> {
                j.cut(title, true)
                    .iter()
                    .map(|w| w.word.to_string())
                    .collect()
            };
            assert_eq!(cut(&for_text(title)), cut(&whole), "{title}");
        }
    }
}
