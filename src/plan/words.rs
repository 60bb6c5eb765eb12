//! The word segmenter behind title breaks (7.3.1: a title breaks between words): jieba, with
//! its dictionary loaded only as far as a title needs.
//!
//! Why: `jieba_rs::Jieba::new()` builds a trie of the whole dictionary (349,046 words), which
//! took 130 ms of CPU and about 30 MB, five times the rest of a one-document render, for every
//! document whose title needs a break. A title can only match words made of its own
//! characters, so each thread keeps a segmenter holding just the dictionary words made of the
//! characters its titles have had so far (found by each character's place in the sorted
//! dictionary), with the dictionary's total frequency restored: every path through a title
//! scores as with the whole dictionary, so the words are the same
//! (`tests::the_same_words_as_the_whole_dictionary`). A title brings dictionary work only for
//! characters no earlier title had, so in a batch of reports whose titles differ by a unit or
//! a post that work stops after the first rows (issue 11). Past [`GROWN_CHARS`] characters, or
//! for a title too long to gain, the whole dictionary is loaded once and shared.
//!
//! `jieba_dict.txt` is jieba-rs 0.11's `src/data/dict.txt` (MIT, as jieba-rs), its lines sorted
//! by their bytes (the order of a dictionary's lines does not change jieba's words).

use std::cell::RefCell;
use std::sync::OnceLock;

use jieba_rs::Jieba;

/// jieba's dictionary: `word frequency tag` lines.
static DICT: &str = include_str!("jieba_dict.txt");

/// The sum of every line's frequency in [`DICT`] (what `Jieba::new` divides by).
const DICT_TOTAL: usize = 60_101_964;

/// The word that carries the rest of [`DICT_TOTAL`]: a noncharacter, which no title holds.
const REST: &str = "\u{FDD0}";

/// Past this many distinct characters a thread's segmenter stops growing and the whole
/// dictionary is used: each new character rescans the lines of all the earlier ones.
const GROWN_CHARS: usize = 2000;

/// Titles longer than this (bytes) use the whole dictionary: their characters select most of it.
const SMALL_TEXT: usize = 4096;

/// Run `f` with a segmenter that cuts `text` as jieba with its whole dictionary does.
pub(super) fn with_segmenter<R>(text: &str, f: impl FnOnce(&Jieba) -> R) -> R {
    static WHOLE: OnceLock<Jieba> = OnceLock::new();
    thread_local! {
        static GROWN: RefCell<Grown> = RefCell::new(Grown::default());
    }
    if let Some(whole) = WHOLE.get() {
        return f(whole);
    }
    if text.len() > SMALL_TEXT {
        return f(WHOLE.get_or_init(Jieba::new));
    }
    GROWN.with_borrow_mut(|grown| {
        if grown.learn(text) {
            f(&grown.jieba)
        } else {
            f(WHOLE.get_or_init(Jieba::new))
        }
    })
}

/// A segmenter holding the dictionary words made only of the characters in `chars`.
struct Grown {
    jieba: Jieba,
    /// Sorted, distinct.
    chars: Vec<char>,
    /// The frequencies of the dictionary words held.
    held: usize,
}

impl Default for Grown {
    fn default() -> Self {
        let mut jieba = Jieba::empty();
        jieba.add_word(REST, Some(DICT_TOTAL), None);
        Self {
            jieba,
            chars: Vec::new(),
            held: 0,
        }
    }
}

impl Grown {
    /// Take in the dictionary words that `text`'s characters add; false once past
    /// [`GROWN_CHARS`].
    fn learn(&mut self, text: &str) -> bool {
        let mut new: Vec<char> = text
            .chars()
            .filter(|c| self.chars.binary_search(c).is_err())
            .collect();
        if new.is_empty() {
            return true;
        }
        new.sort_unstable();
        new.dedup();
        if self.chars.len() + new.len() > GROWN_CHARS {
            return false;
        }
        self.chars.extend(&new);
        self.chars.sort_unstable();
        let (chars, new) = (&self.chars, &new);
        let has = |c: char| chars.binary_search(&c).is_ok();
        // A word made of the known characters with one of the new ones at least: a word of the
        // old ones alone is held already, whichever character it starts with.
        for &c in chars {
            for line in lines_starting_with(c) {
                let mut fields = line.split(' ');
                let word = fields.next().unwrap_or("");
                if word.chars().all(has) && word.chars().any(|c| new.binary_search(&c).is_ok()) {
                    let freq = fields.next().and_then(|f| f.parse::<usize>().ok());
                    let freq = freq.unwrap_or(0);
                    self.jieba.add_word(word, Some(freq), fields.next());
                    self.held += freq;
                }
            }
        }
        // The rest of the dictionary's frequency, so that each word's probability is its
        // frequency over the whole dictionary's total.
        self.jieba.add_word(
            REST,
            Some(DICT_TOTAL.saturating_sub(self.held).max(1)),
            None,
        );
        true
    }
}

/// The lines of [`DICT`] whose word starts with `c`: the file is sorted by its bytes, so they
/// are together, found by a binary search over line starts (a few pages read, not 5 MB).
fn lines_starting_with(c: char) -> impl Iterator<Item = &'static str> {
    let mut buf = [0u8; 4];
    let key = c.encode_utf8(&mut buf).as_bytes().to_vec();
    let bytes = DICT.as_bytes();
    let line_end = |s: usize| {
        bytes[s..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| s + p)
    };
    // The first line not below `key`. `lo` is always a line start with every line before it
    // below `key`; `hi` a line start (or the end) with every line from it on not below.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let s = bytes[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let e = line_end(s);
        if &bytes[s..e] < key.as_slice() {
            lo = (e + 1).min(bytes.len());
        } else {
            hi = s;
        }
    }
    DICT[lo..]
        .lines()
        .take_while(move |l| l.as_bytes().starts_with(&key))
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
    fn the_lines_of_a_character_are_all_found() {
        for c in ['1', 'A', '中', '龢', '和', '\u{FDD0}'] {
            let mut buf = [0u8; 4];
            let key = c.encode_utf8(&mut buf).to_string();
            let scanned: Vec<&str> = DICT.lines().filter(|l| l.starts_with(&key)).collect();
            let found: Vec<&str> = lines_starting_with(c).collect();
            assert_eq!(found, scanned, "{c}");
        }
        assert!(lines_starting_with('中').count() > 100);
    }

    #[test]
    fn the_same_words_as_the_whole_dictionary() {
        let whole = Jieba::new();
        let mut grown = Grown::default();
        for title in [
            "关于进一步加强和改进新时代基层党组织建设工作推动全面从严治党向纵深发展的实施意见",
            "2023年XX县XX镇述职述廉报告（2）",
            // 中 before 华: 中华 must come in with 华, found among 中's lines.
            "关于集中整治的通知",
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
            // Alone, and grown by every title before it.
            let mut alone = Grown::default();
            assert!(alone.learn(title));
            assert_eq!(cut(&alone.jieba), cut(&whole), "{title}");
            assert!(grown.learn(title));
            assert_eq!(cut(&grown.jieba), cut(&whole), "{title}");
        }
    }
}
