//! Output file names: a batch name pattern's result (`{{单位}}-{{姓名}}`), a `render --name` or
//! an upload's name made into a file stem that is safe on Windows, macOS and Linux, and unique
//! within one run.
//!
//! Owns: [`safe_name`] (one name, no context) and [`Namer`] (hands out distinct names, with a
//! warning when it had to change one). It knows nothing of rows, templates or extensions: the
//! caller appends `.pdf` / `.docx` and joins the result to the output folder. Because a safe name
//! holds no path separator and no `..`, that join can never leave the output folder (issue 4:
//! "nothing is ever written outside the output folder").

use std::collections::HashMap;

/// Most characters kept in a name (issue 4: "length-capped"; Windows Explorer and 公文 filing
/// systems show long names badly).
pub const MAX_CHARS: usize = 100;

/// Most UTF-8 bytes kept in a name. ext4 and APFS allow 255 bytes per file name, and 100 Chinese
/// characters are 300 bytes, so the character cap alone is not enough; 240 leaves room for a
/// `-NN` suffix from [`Namer`] and the `.docx` extension.
pub const MAX_BYTES: usize = 240;

/// The name used when nothing usable is left.
pub const FALLBACK: &str = "document";

/// Make `raw` a safe output file stem (no extension is added).
///
/// - `/` and `\` split the name into parts; empty, `.` and `..` parts are dropped and the rest
///   joined with `_` (`../../etc/passwd` → `etc_passwd`, `a/b` → `a_b`);
/// - runs of dots become one dot, so no `..` is left anywhere;
/// - tabs and line breaks become spaces, other control characters and invisible direction marks
///   are dropped;
/// - the characters Windows forbids, `<>:"|?*`, become `_`;
/// - at most [`MAX_CHARS`] characters and [`MAX_BYTES`] bytes, cut on a character boundary;
/// - leading and trailing dots and spaces are removed (Windows drops trailing ones silently, and
///   a leading dot hides the file on Unix);
/// - a Windows device name (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, any case,
///   with or without an extension) gets a `_` in front (`con.txt` → `_con.txt`);
/// - an empty result is [`FALLBACK`].
pub fn safe_name(raw: &str) -> String {
    let mut cleaned = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\t' | '\n' | '\r' => cleaned.push(' '),
            c if c.is_control() || invisible(c) => {}
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => cleaned.push('_'),
            c => cleaned.push(c),
        }
    }
    let joined = cleaned
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|part| !part.chars().all(|c| c == '.'))
        .collect::<Vec<_>>()
        .join("_");
    let mut name = String::with_capacity(joined.len());
    for c in joined.chars() {
        if c == '.' && name.ends_with('.') {
            continue;
        }
        name.push(c);
    }
    let name = trim_ends(cap(trim_ends(&name), MAX_CHARS, MAX_BYTES));
    if name.is_empty() {
        FALLBACK.to_string()
    } else if is_reserved(name) {
        format!("_{name}")
    } else {
        name.to_string()
    }
}

/// Zero-width and bidirectional-control characters: invisible in a file manager, and the
/// direction overrides can make `gpj.exe` look like `exe.jpg`.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Without leading and trailing dots and whitespace.
fn trim_ends(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// The longest prefix of `s` with at most `chars` characters and `bytes` bytes.
fn cap(s: &str, chars: usize, bytes: usize) -> &str {
    let mut end = 0;
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n == chars || i + c.len_utf8() > bytes {
            break;
        }
        end = i + c.len_utf8();
    }
    &s[..end]
}

/// Is this a Windows device name? Windows reserves them whatever the extension (`con.txt`) and
/// ignores trailing spaces before the dot.
fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut chars = upper.chars();
            let prefix: String = chars.by_ref().take(3).collect();
            let rest: Vec<char> = chars.collect();
            (prefix == "COM" || prefix == "LPT")
                && matches!(rest.as_slice(), ['1'..='9'] | ['¹' | '²' | '³'])
        }
    }
}

/// Hands out distinct output names for one run.
///
/// Names are compared ignoring case, because the file systems of Windows and macOS do: `张三`
/// and `张三` (or `Report` and `report`) would overwrite each other there. The second gets `-2`,
/// the third `-3`, and so on, skipping names already handed out.
#[derive(Debug, Default)]
pub struct Namer {
    /// Folded name → the name as handed out.
    taken: HashMap<String, String>,
    /// Folded base name → the next suffix number to try.
    next: HashMap<String, usize>,
}

impl Namer {
    /// A namer with no names taken.
    pub fn new() -> Namer {
        Namer::default()
    }

    /// A safe, unique name for `raw` (see [`safe_name`]), and a warning naming both documents'
    /// names when it had to change the name to avoid a clash.
    pub fn name(&mut self, raw: &str) -> (String, Option<String>) {
        let base = safe_name(raw);
        let key = fold(&base);
        let Some(first) = self.taken.get(&key).cloned() else {
            self.taken.insert(key, base.clone());
            return (base, None);
        };
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            let suffix = format!("-{n}");
            let stem = cap(
                &base,
                MAX_CHARS - suffix.chars().count(),
                MAX_BYTES - suffix.len(),
            );
            let candidate = format!("{}{suffix}", trim_ends(stem));
            n += 1;
            let candidate_key = fold(&candidate);
            if self.taken.contains_key(&candidate_key) {
                continue;
            }
            self.next.insert(key, n);
            self.taken.insert(candidate_key, candidate.clone());
            let warning = format!(
                "'{first}' and '{base}' would share a file name; this one is named '{candidate}'"
            );
            return (candidate, Some(warning));
        }
    }
}

/// The form names are compared in: Windows and macOS ignore case.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_dot_dot_never_leave_the_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(safe_name("a/b"), "a_b");
        assert_eq!(safe_name("a\\b"), "a_b");
        assert_eq!(safe_name("a/../b"), "a_b");
        assert_eq!(safe_name("..\\..\\Windows\\win.ini"), "Windows_win.ini");
        assert_eq!(safe_name("报告..pdf"), "报告.pdf");
        assert_eq!(safe_name("/"), "document");
        assert_eq!(safe_name(".."), "document");
        for raw in [
            "../x",
            "x/..",
            "....",
            "a/./b",
            "..a..",
            "/abs/path",
            "C:\\x",
        ] {
            let name = safe_name(raw);
            assert!(!name.contains(['/', '\\']), "{raw} → {name}");
            assert!(!name.contains(".."), "{raw} → {name}");
            assert!(!name.starts_with('.'), "{raw} → {name}");
        }
    }

    #[test]
    fn control_and_reserved_characters() {
        assert_eq!(safe_name("第一行\n第二行"), "第一行 第二行");
        assert_eq!(safe_name("a\u{0}b\u{7f}c\u{1b}d"), "abcd");
        assert_eq!(safe_name("a<b>c:d\"e|f?g*h"), "a_b_c_d_e_f_g_h");
        assert_eq!(safe_name("exe.\u{202E}gpj"), "exe.gpj");
        // Full-width punctuation is ordinary on every file system and stays.
        assert_eq!(safe_name("关于：通知？"), "关于：通知？");
    }

    #[test]
    fn device_names_any_case_with_or_without_extension() {
        assert_eq!(safe_name("CON"), "_CON");
        assert_eq!(safe_name("con.txt"), "_con.txt");
        assert_eq!(safe_name("Nul"), "_Nul");
        assert_eq!(safe_name("aux.tar.gz"), "_aux.tar.gz");
        assert_eq!(safe_name("com1"), "_com1");
        assert_eq!(safe_name("LPT9.pdf"), "_LPT9.pdf");
        assert_eq!(safe_name("CON .txt"), "_CON .txt");
        assert_eq!(safe_name("COM0"), "COM0");
        assert_eq!(safe_name("COM10"), "COM10");
        assert_eq!(safe_name("console"), "console");
        assert_eq!(safe_name("prn-张三"), "prn-张三");
    }

    #[test]
    fn leading_and_trailing_dots_and_spaces() {
        assert_eq!(safe_name("  张三  "), "张三");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("报告. . "), "报告");
        assert_eq!(safe_name(" . "), "document");
        assert_eq!(safe_name(""), "document");
        assert_eq!(safe_name("\u{0}\u{1}"), "document");
    }

    #[test]
    fn length_is_capped_on_a_char_boundary() {
        let long: String = "述职述廉报告".chars().cycle().take(300).collect();
        let name = safe_name(&long);
        assert!(
            name.chars().count() <= MAX_CHARS,
            "{}",
            name.chars().count()
        );
        assert!(name.len() <= MAX_BYTES, "{}", name.len());
        assert!(long.starts_with(&name));
        // 240 bytes of three-byte characters.
        assert_eq!(name.chars().count(), 80);
        let ascii = "a".repeat(300);
        assert_eq!(safe_name(&ascii), "a".repeat(100));
        // A cut that ends in a space or dot loses it.
        let spaced = format!("{} x", "a".repeat(99));
        assert_eq!(safe_name(&spaced), "a".repeat(99));
    }

    #[test]
    fn duplicates_get_numbers_ignoring_case() {
        let mut namer = Namer::new();
        assert_eq!(namer.name("张三"), ("张三".to_string(), None));
        let (second, warning) = namer.name("张三");
        assert_eq!(second, "张三-2");
        let warning = warning.unwrap();
        assert!(
            warning.contains("'张三'") && warning.contains("'张三-2'"),
            "{warning}"
        );
        assert_eq!(namer.name("张三").0, "张三-3");
        assert_eq!(namer.name("Report"), ("Report".to_string(), None));
        let (r2, w) = namer.name("report");
        assert_eq!(r2, "report-2");
        assert!(w.unwrap().contains("'Report'"));
        // A name that is itself taken as a suffixed name is skipped over.
        assert_eq!(namer.name("a-2").0, "a-2");
        assert_eq!(namer.name("a").0, "a");
        assert_eq!(namer.name("A").0, "A-3");
        // Different raw names that sanitise alike clash too.
        assert_eq!(namer.name("x/y").0, "x_y");
        assert_eq!(namer.name("x:y").0, "x_y-2");
    }

    #[test]
    fn suffixed_long_names_stay_within_the_caps() {
        let long: String = "通知".chars().cycle().take(300).collect();
        let mut namer = Namer::new();
        let (first, _) = namer.name(&long);
        let (second, warning) = namer.name(&long);
        assert!(warning.is_some());
        assert_ne!(first.to_lowercase(), second.to_lowercase());
        assert!(second.ends_with("-2"));
        assert!(second.chars().count() <= MAX_CHARS);
        assert!(second.len() <= MAX_BYTES);
        let ascii = "b".repeat(150);
        namer.name(&ascii);
        let (b2, _) = namer.name(&ascii);
        assert_eq!(b2, format!("{}-2", "b".repeat(98)));
    }
}
