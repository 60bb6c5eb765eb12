//! A workbook's cell references checked before calamine reads them: calamine 0.38 adds up the
//! letters and digits of `<row r="…">`, `<c r="…">`, `<dimension ref="…">` and
//! `<mergeCell ref="…">` without an overflow check (`xlsx/mod.rs`, `get_row_and_optional_column`),
//! so a reference of seven letters or ten digits panics in a build with overflow checks (the
//! fuzzer's) and wraps to a wrong cell in a release build (issue 9, found by the `xlsx` target).
//! Excel's last cell is XFD1048576: a reference with more than three letters or seven digits
//! is no cell any spreadsheet program writes, and is refused here naming where it stands.
//!
//! The same scan reads `xl/sharedStrings.xml` for its `uniqueCount`: calamine reserves room for
//! that many strings before reading one, so `uniqueCount="88888888888888883"` in a 400-byte
//! workbook made it ask for 2 × 10¹⁸ bytes and abort the process (issue 19, found by the `xlsx`
//! target). A count over [`MAX_SHARED_STRINGS`] is refused the same way.
//!
//! The worksheets are read once more for this, streamed (a buffer of 64 KB), so a sheet of any
//! length needs no more memory; the scan is a few milliseconds a megabyte.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::Error;

/// The most unique strings a workbook's `uniqueCount` may declare: 16,777,216 (2²⁴), more than
/// the cells of a sheet of 100,000 rows (`--max-rows`) by 160 columns. calamine reserves 24
/// bytes a string for it (400 MB of address space at this bound, committed only as strings are
/// read).
pub const MAX_SHARED_STRINGS: u64 = 1 << 24;

/// Which attributes a part's scan checks.
#[derive(Clone, Copy, Default, PartialEq)]
enum Part {
    /// A worksheet: `r` and `ref` hold cell references.
    #[default]
    Sheet,
    /// The shared strings: `uniqueCount` holds a count.
    Strings,
}

/// Refuse a workbook (`.xlsx`/`.xlsm`) with a cell reference in a worksheet no spreadsheet has.
pub(super) fn check(path: &Path) -> Result<(), Error> {
    let cannot =
        |e: &dyn std::fmt::Display| Error::io(path, format!("cannot read the workbook ({e})"));
    let file = File::open(path).map_err(|e| cannot(&e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| cannot(&e))?;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| cannot(&e))?;
        let name = part.name().map_err(|e| cannot(&e))?.to_string();
        let kind = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            Part::Sheet
        } else if name == "xl/sharedStrings.xml" {
            Part::Strings
        } else {
            continue;
        };
        let found = scan(part, kind).map_err(|e| cannot(&e))?;
        if let (Some((line, col, n)), Part::Strings) = (&found, kind) {
            return Err(Error::io(
                path,
                format!("{name}:{line}:{col}: the workbook declares {n} different texts, more than {MAX_SHARED_STRINGS}"),
            )
            .hint("the workbook is damaged or was not written by a spreadsheet program; open it in Excel or WPS and save it again"));
        }
        if let Some((line, col, r)) = found {
            return Err(Error::io(
                path,
                format!("{name}:{line}:{col}: '{r}' is not a cell reference (the last cell is XFD1048576)"),
            )
            .hint("the workbook is damaged or was not written by a spreadsheet program; open it in Excel or WPS and save it again"));
        }
    }
    Ok(())
}

/// The first bad reference in a worksheet's XML (or bad count in the shared strings): its line,
/// column (in bytes) and the value (cut to 40 characters).
fn scan(reader: impl Read, kind: Part) -> std::io::Result<Option<(usize, usize, String)>> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut scanner = Scanner {
        kind,
        ..Scanner::default()
    };
    let mut buf = [0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        for &b in &buf[..n] {
            if let Some(found) = scanner.byte(b) {
                return Ok(Some(found));
            }
        }
    }
}

/// A byte-at-a-time reader of `name="value"` attributes inside tags: only `r` and `ref` values
/// are looked at. Text between tags cannot hold `<`, so "inside a tag" is "since the last `<`,
/// no `>` outside a quoted value". Declarations, processing instructions, comments, CDATA and
/// DOCTYPE are skipped to their end marker without regard to quotes, as calamine's XML reader
/// (quick-xml) skips them: an unbalanced quote in `<?xml …?>` must not turn the scanner's
/// idea of what is quoted inside out (the fuzzer found such a sheet).
#[derive(Default)]
struct Scanner {
    kind: Part,
    line: usize,
    col: usize,
    in_tag: bool,
    /// The bytes after a `<` while it is not yet known what it opens (`<?`, `<!--`, `<![CDATA[`,
    /// `<!…`, or a tag).
    opening: Option<Vec<u8>>,
    /// Inside a construct skipped to this end marker, and the last bytes read in it.
    skip: Option<&'static [u8]>,
    tail: Vec<u8>,
    /// The attribute name being read (its last bytes), or the value's quote when in a value.
    name: Vec<u8>,
    quote: Option<u8>,
    /// Whether the value being read is an `r`/`ref` one, and its bytes and place.
    checked: bool,
    value: Vec<u8>,
    at: (usize, usize),
}

impl Scanner {
    fn byte(&mut self, b: u8) -> Option<(usize, usize, String)> {
        if b == b'\n' {
            self.line += 1;
            self.col = 0;
        } else {
            self.col += 1;
        }
        if let Some(end) = self.skip {
            self.tail.push(b);
            if self.tail.len() > end.len() {
                self.tail.remove(0);
            }
            if self.tail == end {
                self.skip = None;
                self.tail.clear();
            }
            return None;
        }
        if let Some(mut seen) = self.opening.take() {
            seen.push(b);
            const COMMENT: &[u8] = b"!--";
            const CDATA: &[u8] = b"![CDATA[";
            let end: Option<&'static [u8]> = match seen.as_slice() {
                [b'?', ..] => Some(b"?>"),
                s if s == COMMENT => Some(b"-->"),
                s if s == CDATA => Some(b"]]>"),
                s if COMMENT.starts_with(s) || CDATA.starts_with(s) => {
                    self.opening = Some(seen);
                    return None;
                }
                // `<!DOCTYPE …>` and the like.
                [b'!', ..] => Some(b">"),
                // A tag: its bytes so far are read as a tag's.
                _ => {
                    self.in_tag = true;
                    self.name.clear();
                    for c in seen {
                        if let Some(found) = self.byte_in_place(c) {
                            return Some(found);
                        }
                    }
                    return None;
                }
            };
            self.skip = end;
            // `<!-->` is no comment's end: the end marker is looked for after the opening.
            self.tail.clear();
            return None;
        }
        self.byte_in_place(b)
    }

    /// One byte, its line and column counted already.
    fn byte_in_place(&mut self, b: u8) -> Option<(usize, usize, String)> {
        if let Some(q) = self.quote {
            if b != q {
                if self.checked && self.value.len() < 64 {
                    self.value.push(b);
                }
                return None;
            }
            self.quote = None;
            let bad = match self.kind {
                Part::Sheet => !is_cell_range(&self.value),
                Part::Strings => !is_count(&self.value),
            };
            if self.checked && bad {
                let text = String::from_utf8_lossy(&self.value);
                let cut: String = text.chars().take(40).collect();
                return Some((self.at.0 + 1, self.at.1, cut));
            }
            self.value.clear();
            return None;
        }
        match b {
            b'<' => self.opening = Some(Vec::new()),
            b'>' => self.in_tag = false,
            b'"' | b'\'' if self.in_tag => {
                // `name =` before the quote: the name is the last word before `=`.
                let name = self.name.trim_ascii_end();
                let name = name.strip_suffix(b"=").unwrap_or(name).trim_ascii_end();
                let word = name
                    .rsplit(|c| c.is_ascii_whitespace())
                    .next()
                    .unwrap_or_default();
                self.checked = match self.kind {
                    Part::Sheet => word == b"r" || word == b"ref",
                    Part::Strings => word == b"uniqueCount",
                };
                self.quote = Some(b);
                self.value.clear();
                self.at = (self.line, self.col + 1);
                self.name.clear();
            }
            _ if self.in_tag => {
                if self.name.len() >= 64 {
                    self.name.drain(..32);
                }
                self.name.push(b);
            }
            _ => {}
        }
        None
    }
}

/// `A1`, `XFD1048576`, `A1:C3`, a row number alone (`<row r="7">`): at most three letters then
/// at most seven digits in each part; any other byte ends the count (calamine refuses what
/// follows with an error of its own, so only the lengths that overflow matter here).
fn is_cell_range(value: &[u8]) -> bool {
    value.split(|&b| b == b':').all(|part| {
        let letters = part.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = part[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        letters <= 3 && digits <= 7
    })
}

/// A `uniqueCount` calamine may reserve for: digits (at most 20 of them are kept) up to
/// [`MAX_SHARED_STRINGS`]. Anything else calamine does not read as a number, and ignores.
fn is_count(value: &[u8]) -> bool {
    let digits = value.trim_ascii();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return true;
    }
    digits.len() <= 8
        && std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse::<u64>().ok())
            .is_some_and(|n| n <= MAX_SHARED_STRINGS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_bad(xml: &str) -> Option<(usize, usize, String)> {
        scan(xml.as_bytes(), Part::Sheet).unwrap()
    }

    #[test]
    fn a_shared_string_count_past_the_bound_is_found() {
        let strings = |xml: &str| scan(xml.as_bytes(), Part::Strings).unwrap();
        assert_eq!(
            strings(r#"<sst count="3" uniqueCount="3"><si><t>r="ABCDEFGHIJ1"</t></si></sst>"#),
            None
        );
        assert_eq!(strings(r#"<sst uniqueCount="16777216"/>"#), None);
        assert_eq!(
            strings("<?xml version=\"1.0\"?>\n<sst count=\"3\" uniqueCount=\"88888888888888883\">")
                .map(|f| (f.0, f.1, f.2)),
            Some((2, 29, "88888888888888883".into()))
        );
        assert!(strings(r#"<sst uniqueCount="16777217"/>"#).is_some());
        // Not a number: calamine does not reserve for it.
        assert_eq!(strings(r#"<sst uniqueCount="many"/>"#), None);
    }

    #[test]
    fn excel_references_pass_and_overflowing_ones_are_found_with_their_place() {
        let good = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>"#;
        assert_eq!(first_bad(good), None);
        // Text that looks like an attribute is not one.
        assert_eq!(
            first_bad(r#"<c r="A1"><is><t> r="ABCDEFGHIJ1"</t></is></c>"#),
            None
        );
        assert_eq!(
            first_bad("<sheetData>\n<row r=\"schemas.openxmlformats.org\">"),
            Some((2, 9, "schemas.openxmlformats.org".into()))
        );
        assert_eq!(
            first_bad(r#"<row r="1"><c r='A99999999999'/>"#).map(|f| f.2),
            Some("A99999999999".into())
        );
        assert!(first_bad(r#"<mergeCell ref="A1:ABCDEFG2"/>"#).is_some());
        // An unbalanced quote in the declaration, a comment or CDATA does not hide a reference
        // (calamine's reader skips them to their end marker).
        for before in [
            r#"<?xml version="1 ?>"#,
            r#"<!-- r="1 -->"#,
            r#"<![CDATA[ " ]]>"#,
            r#"<!DOCTYPE x ">"#,
        ] {
            let xml = format!(r#"{before}<worksheet><c r="Breadsheetml/2006"/></worksheet>"#);
            assert_eq!(
                first_bad(&xml).map(|f| f.2),
                Some("Breadsheetml/2006".into()),
                "{xml}"
            );
        }
        assert!(first_bad(r#"<dimension ref = "A1:B2"/><c r = "AAAAAAAA1"/>"#).is_some());
    }
}
