//! A paragraph's text from its runs: `w:t`, tabs, breaks, symbols (`w:sym`) and rubies
//! (拼音指南), with hidden text (`w:vanish`) left out and counted for a warning. Shared by the
//! draft reader and `check`, so both see the same text.

use roxmltree::Node;

use super::{child, is_w, w_attr};
use crate::error::Warning;

/// What one paragraph's runs left out or could not map, for its warnings.
#[derive(Debug, Default)]
pub(crate) struct Hidden {
    /// Hidden text left out, as far as a warning quotes it.
    text: String,
    /// Characters of hidden text left out.
    chars: usize,
    /// Symbols kept as they are: (font, code).
    symbols: Vec<(String, u32)>,
}

/// Characters of hidden text a warning quotes.
const QUOTED: usize = 16;

impl Hidden {
    /// The warnings for one paragraph at `place` (`draft.docx:paragraph 3`).
    pub(crate) fn warnings(&self, place: &str) -> Vec<Warning> {
        let mut out = Vec::new();
        if self.chars > 0 {
            let more = if self.chars > QUOTED { "…" } else { "" };
            out.push(Warning::at(
                place,
                0,
                format!(
                    "hidden text (隐藏文字) left out: \"{}{more}\" ({} characters)",
                    self.text, self.chars
                ),
            ));
        }
        for (font, code) in &self.symbols {
            out.push(Warning::at(
                place,
                0,
                format!(
                    "symbol {code:04X} of the font {font} has no Unicode character here: kept as \
                     is, it may print as a box"
                ),
            ));
        }
        out
    }
}

/// A paragraph's (or ruby base's) text: runs and the inline containers around them.
pub(crate) fn inline(parent: Node, out: &mut String, hidden: &mut Hidden) {
    for n in parent.children().filter(Node::is_element) {
        let local = n.tag_name().name();
        if !is_w(&n, local) {
            continue;
        }
        match local {
            "r" => run_text(n, out, hidden, true),
            "ins" | "moveTo" | "hyperlink" | "smartTag" | "fldSimple" | "customXml" | "dir"
            | "bdo" => inline(n, out, hidden),
            "sdt" => {
                if let Some(c) = child(&n, "sdtContent") {
                    inline(c, out, hidden);
                }
            }
            // w:del, w:moveFrom, w:pPr, bookmarks, comment ranges, proofing marks: no text.
            _ => {}
        }
    }
}

/// Whether a run is hidden (`w:vanish` set on it, not switched off).
fn is_hidden(r: &Node) -> bool {
    child(r, "rPr")
        .and_then(|p| child(&p, "vanish"))
        .is_some_and(|v| w_attr(&v, "val").is_none_or(|v| !matches!(v, "0" | "false" | "off")))
}

/// One run's text onto `out`; `breaks`: line, page and column breaks as new lines (else left
/// out). Hidden text goes to `hidden` instead.
pub(crate) fn run_text(r: Node, out: &mut String, hidden: &mut Hidden, breaks: bool) {
    if is_hidden(&r) {
        let mut text = String::new();
        shown(r, &mut text, hidden, false);
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        if chars > 0 {
            let room = QUOTED.saturating_sub(hidden.text.chars().count());
            hidden.text.extend(text.chars().take(room));
            hidden.chars += chars;
        }
        return;
    }
    shown(r, out, hidden, breaks);
}

fn shown(r: Node, out: &mut String, hidden: &mut Hidden, breaks: bool) {
    for n in r.children().filter(Node::is_element) {
        let local = n.tag_name().name();
        if !is_w(&n, local) {
            continue;
        }
        match local {
            "t" => out.push_str(n.text().unwrap_or("")),
            "tab" | "ptab" => out.push('\t'),
            // A page or column break ends the line as a paragraph mark would: the text after
            // it is not joined to the paragraph before.
            "br" | "cr" if breaks => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "sym" => symbol(&n, out, hidden),
            // 拼音指南: the base text is the text; the annotation (w:rt) is not.
            "ruby" => {
                if let Some(base) = child(&n, "rubyBase") {
                    inline(base, out, hidden);
                }
            }
            _ => {}
        }
    }
}

/// A `w:sym`: its font's character as Unicode where known, else the code as it is (noted).
fn symbol(n: &Node, out: &mut String, hidden: &mut Hidden) {
    let font = w_attr(n, "font").unwrap_or("");
    let Some(code) = w_attr(n, "char").and_then(|c| u32::from_str_radix(c, 16).ok()) else {
        return;
    };
    // Symbol fonts put their characters at F000–F0FF (or 00–FF): the low byte is the glyph.
    let low = match code {
        0xF000..=0xF0FF => Some(code - 0xF000),
        0..=0xFF => Some(code),
        _ => None,
    };
    let f = font.to_ascii_lowercase();
    let mapped = low.and_then(|b| {
        if f == "symbol" {
            symbol_font(b as u8)
        } else if f.starts_with("wingdings") && !f.contains(' ') {
            wingdings(b as u8)
        } else {
            None
        }
    });
    match mapped {
        Some(c) => out.push(c),
        None if (0xF000..=0xF0FF).contains(&code) => {
            out.extend(char::from_u32(code));
            hidden.symbols.push((font.to_string(), code));
        }
        None => out.extend(char::from_u32(code)),
    }
}

/// The Symbol font's common characters (Adobe Symbol encoding).
fn symbol_font(b: u8) -> Option<char> {
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    Some(match b {
        b'A'..=b'Z' => UPPER.chars().nth(usize::from(b - b'A'))?,
        b'a'..=b'z' => LOWER.chars().nth(usize::from(b - b'a'))?,
        b' ' | b'0'..=b'9' | b'+' | b'=' | b'(' | b')' | b'[' | b']' | b'.' | b',' | b'/' => {
            char::from(b)
        }
        0x2D => '−',
        0xA2 => '′',
        0xA3 => '≤',
        0xA5 => '∞',
        0xAC => '←',
        0xAD => '↑',
        0xAE => '→',
        0xAF => '↓',
        0xB0 => '°',
        0xB1 => '±',
        0xB2 => '″',
        0xB3 => '≥',
        0xB4 => '×',
        0xB6 => '∂',
        0xB7 => '•',
        0xB8 => '÷',
        0xB9 => '≠',
        0xBB => '≈',
        0xC6 => '∅',
        0xCE => '∈',
        0xD5 => '∏',
        0xD6 => '√',
        0xDB => '⇔',
        0xDE => '⇒',
        0xE5 => '∑',
        0xF2 => '∫',
        _ => return None,
    })
}

/// Wingdings' marks a form uses: boxes, ticks, bullets.
fn wingdings(b: u8) -> Option<char> {
    Some(match b {
        0x6C => '●',
        0x6E => '■',
        0x6F => '□',
        0xA1 => '○',
        0xA7 => '▪',
        0xA8 => '□',
        0xD8 => '➢',
        0xFB => '✗',
        0xFC => '✓',
        0xFD => '☒',
        0xFE => '☑',
        _ => return None,
    })
}
