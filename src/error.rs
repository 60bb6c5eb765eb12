//! Errors and warnings as typed values: where (file, line, column as numbers), how grave
//! ([`Severity`]), which kind (a stable `key`, for the message catalogue of issue 24), with what
//! (`args`), the message in English, and hints.
//!
//! Messages are lowercase without a trailing period; `main` prints them as
//! `error: file:line:col: message` followed by `hint:` lines ([`Error::location`] is that
//! `file:line:col`). Both serialise (serde) as `{location, message, hints}` /
//! `{location, message}` for `--json` output, followed by `key` and, when known, `line` and
//! `col`.

use std::fmt;
use std::num::NonZeroU32;
use std::path::Path;

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The key of a diagnostic whose call site gave none (the `key` field of [`Error`] and
/// [`Warning`]).
pub const GENERIC: &str = "generic";

/// How grave a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is not produced.
    Error,
    /// The document is produced; the user should know.
    Warning,
}

/// A 1-based line or column; 0 (the constructors' "leave it out") is none.
fn number(n: usize) -> Option<NonZeroU32> {
    // A line past 4 billion cannot occur under the input limits; saturated all the same.
    NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Write `file`, `file:line` or `file:line:col` (a column only with a line).
fn write_location(
    f: &mut impl fmt::Write,
    file: &str,
    line: Option<NonZeroU32>,
    col: Option<NonZeroU32>,
) -> fmt::Result {
    f.write_str(file)?;
    if let Some(l) = line {
        write!(f, ":{l}")?;
        if let Some(c) = col {
            write!(f, ":{c}")?;
        }
    }
    Ok(())
}

/// `file:line:col` / `file:line` / `file` taken apart again, as [`write_location`] joins them:
/// only a trailing `:N` written as a number is (so `a.csv:row 3`, `x:0` or `x:07` stay whole
/// files), which makes the round trip exact.
fn parse_location(text: &str) -> (String, Option<NonZeroU32>, Option<NonZeroU32>) {
    fn tail(s: &str) -> Option<(&str, NonZeroU32)> {
        let (head, n) = s.rsplit_once(':')?;
        let v: NonZeroU32 = n.parse().ok()?;
        (v.to_string() == n).then_some((head, v))
    }
    match tail(text) {
        Some((head, last)) => match tail(head) {
            Some((file, line)) => (file.to_string(), Some(line), Some(last)),
            None => (head.to_string(), Some(last), None),
        },
        None => (text.to_string(), None, None),
    }
}

/// A fatal error: the document is not produced.
///
/// Kept within 120 bytes (a `Result` of it is returned everywhere; clippy's
/// `result_large_err` starts at 128): hence the columns as `NonZeroU32` and the arguments boxed.
#[derive(Debug, Clone)]
pub struct Error {
    /// The file (or what stands for one: `a.csv:row 3`, `draft.docx:paragraph 7`), empty when
    /// no file is involved.
    pub file: String,
    /// 1-based line in `file`, if known.
    pub line: Option<NonZeroU32>,
    /// 1-based column (in characters) on that line, if known; only with a line.
    pub col: Option<NonZeroU32>,
    /// Always [`Severity::Error`] for an `Error` (carried so a list of diagnostics reads alike).
    pub severity: Severity,
    /// What kind of error, stable across versions and languages (`input.empty`); [`GENERIC`]
    /// where the call site gave none.
    pub key: &'static str,
    /// The values the message names, by name (for a translated message).
    pub args: Box<[(&'static str, String)]>,
    /// What went wrong.
    pub message: String,
    /// What the user can do about it.
    pub hints: Vec<String>,
}

const _: () = assert!(std::mem::size_of::<Error>() <= 120);

impl Error {
    fn new(file: String, line: usize, col: usize, message: String) -> Error {
        let line = number(line);
        Error {
            file,
            line,
            col: line.and(number(col)),
            severity: Severity::Error,
            key: GENERIC,
            args: Box::default(),
            message,
            hints: vec![],
        }
    }

    /// An error without a location.
    pub fn msg(message: impl Into<String>) -> Error {
        Error::new(String::new(), 0, 0, message.into())
    }

    /// An error about a file as a whole.
    pub fn io(path: &Path, message: impl Into<String>) -> Error {
        Error::new(path.display().to_string(), 0, 0, message.into())
    }

    /// An error at a line and column (1-based; 0 leaves it out, and a column needs a line).
    pub fn at(file: &str, line: usize, col: usize, message: impl Into<String>) -> Error {
        Error::new(file.to_string(), line, col, message.into())
    }

    /// An error at a location given as printed text (`file`, `file:line`, `file:line:col`):
    /// for messages kept as text, such as a batch manifest's.
    pub fn at_location(location: &str, message: impl Into<String>) -> Error {
        let mut e = Error::msg(message);
        e.set_location(location);
        e
    }

    /// Add a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }

    /// Say what kind of error this is (the `key` field).
    pub fn key(mut self, key: &'static str) -> Error {
        self.key = key;
        self
    }

    /// Add a value the message names.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Error {
        let mut args = std::mem::take(&mut self.args).into_vec();
        args.push((name, value.to_string()));
        self.args = args.into_boxed_slice();
        self
    }

    /// `file`, `file:line` or `file:line:col`, or empty when no file is involved: as printed
    /// before the message.
    pub fn location(&self) -> String {
        let mut s = String::new();
        let _ = write_location(&mut s, &self.file, self.line, self.col);
        s
    }

    /// Put the error at another location, given as printed text (a batch row's label, a
    /// location with a server's temporary path taken out).
    pub fn set_location(&mut self, location: &str) {
        (self.file, self.line, self.col) = parse_location(location);
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() || self.line.is_some() {
            write_location(f, &self.file, self.line, self.col)?;
            f.write_str(": ")?;
        }
        write!(f, "{}", self.message)?;
        for h in &self.hints {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// `{location, message, hints, key, line?, col?, args?}`: the first three as before the
/// location had numbers, so `--json` readers keep working.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Error", 7)?;
        st.serialize_field("location", &self.location())?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("hints", &self.hints)?;
        extra_fields(&mut st, self.key, self.line, self.col, &self.args)?;
        st.end()
    }
}

/// The fields `--json` gained with typed diagnostics (issue 20).
fn extra_fields<S: SerializeStruct>(
    st: &mut S,
    key: &'static str,
    line: Option<NonZeroU32>,
    col: Option<NonZeroU32>,
    args: &[(&'static str, String)],
) -> Result<(), S::Error> {
    st.serialize_field("key", key)?;
    match line {
        Some(l) => st.serialize_field("line", &l)?,
        None => st.skip_field("line")?,
    }
    match col {
        Some(c) => st.serialize_field("col", &c)?,
        None => st.skip_field("col")?,
    }
    if args.is_empty() {
        st.skip_field("args")
    } else {
        let map: std::collections::BTreeMap<&str, &str> =
            args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        st.serialize_field("args", &map)
    }
}

/// Something the user should know that does not stop the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// As in [`Error`]'s `file`.
    pub file: String,
    /// As in [`Error`]'s `line`.
    pub line: Option<NonZeroU32>,
    /// As in [`Error`]'s `col`.
    pub col: Option<NonZeroU32>,
    /// Always [`Severity::Warning`] for a `Warning`.
    pub severity: Severity,
    /// As in [`Error`]'s `key`.
    pub key: &'static str,
    /// As in [`Error`]'s `args`.
    pub args: Box<[(&'static str, String)]>,
    /// What was noticed.
    pub message: String,
}

impl Warning {
    /// A warning at a line (1-based; 0 leaves it out).
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Warning {
        Warning::at_col(file, line, 0, message)
    }

    /// A warning at a line and column (1-based, in characters; 0 leaves them out, and a column
    /// needs a line).
    pub fn at_col(file: &str, line: usize, col: usize, message: impl Into<String>) -> Warning {
        let line = number(line);
        Warning {
            file: file.to_string(),
            line,
            col: line.and(number(col)),
            severity: Severity::Warning,
            key: GENERIC,
            args: Box::default(),
            message: message.into(),
        }
    }

    /// A warning at a location given as printed text (as [`Error::at_location`]).
    pub fn at_location(location: &str, message: impl Into<String>) -> Warning {
        let mut w = Warning::at("", 0, message);
        (w.file, w.line, w.col) = parse_location(location);
        w
    }

    /// Say what kind of warning this is (the `key` field).
    pub fn key(mut self, key: &'static str) -> Warning {
        self.key = key;
        self
    }

    /// Add a value the message names.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Warning {
        let mut args = std::mem::take(&mut self.args).into_vec();
        args.push((name, value.to_string()));
        self.args = args.into_boxed_slice();
        self
    }

    /// As [`Error::location`]: `file:line:col`.
    pub fn location(&self) -> String {
        let mut s = String::new();
        let _ = write_location(&mut s, &self.file, self.line, self.col);
        s
    }

    /// As [`Error::set_location`].
    pub fn set_location(&mut self, location: &str) {
        (self.file, self.line, self.col) = parse_location(location);
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() || self.line.is_some() {
            write_location(f, &self.file, self.line, self.col)?;
            f.write_str(": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// `{location, message, key, line?, col?, args?}` (as [`Error`]'s, without hints).
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Warning", 6)?;
        st.serialize_field("location", &self.location())?;
        st.serialize_field("message", &self.message)?;
        extra_fields(&mut st, self.key, self.line, self.col, &self.args)?;
        st.end()
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A value with what was noticed while making it: how every stage hands its warnings back
/// beside its result, instead of pushing them into a caller's vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Warned<T> {
    /// What was made.
    pub value: T,
    /// What the user should know about it, in the order noticed.
    pub warnings: Vec<Warning>,
}

impl<T> Warned<T> {
    /// A value nothing was noticed about.
    pub fn new(value: T) -> Warned<T> {
        Warned {
            value,
            warnings: Vec::new(),
        }
    }

    /// A value with its warnings.
    pub fn with(value: T, warnings: Vec<Warning>) -> Warned<T> {
        Warned { value, warnings }
    }

    /// The same warnings beside another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned {
            value: f(self.value),
            warnings: self.warnings,
        }
    }

    /// The value, its warnings appended to `sink` (for a caller that gathers several stages').
    pub fn take(self, sink: &mut Vec<Warning>) -> T {
        sink.extend(self.warnings);
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_print_as_before() {
        assert_eq!(Error::at("t.txt", 3, 5, "m").location(), "t.txt:3:5");
        assert_eq!(Error::at("t.txt", 3, 0, "m").location(), "t.txt:3");
        // A column without a line was never printed.
        assert_eq!(Error::at("t.txt", 0, 5, "m").location(), "t.txt");
        assert_eq!(Error::msg("m").to_string(), "m");
        let e = Error::at("t.txt", 2, 1, "bad").hint("fix it");
        assert_eq!(e.to_string(), "t.txt:2:1: bad\nhint: fix it");
        assert_eq!(
            (e.line.map(|n| n.get()), e.col.map(|n| n.get())),
            (Some(2), Some(1))
        );
        assert_eq!((e.severity, e.key), (Severity::Error, GENERIC));
        let w = Warning::at_col("t.txt", 4, 2, "odd");
        assert_eq!(
            (w.to_string(), w.severity),
            ("t.txt:4:2: odd".into(), Severity::Warning)
        );
        assert_eq!(Warning::at("", 0, "odd").to_string(), "odd");
    }

    #[test]
    fn a_printed_location_parses_back_exactly() {
        for text in [
            "",
            "t.txt",
            "t.txt:3",
            "t.txt:3:5",
            "a.csv:row 3",
            "a.csv:row 3 (through shuzhi):5",
            "x:0",
            "x:07",
            "x:",
            "C:\\data\\a.csv:4",
            "d.yaml:99999999999",
        ] {
            let e = Error::at_location(text, "m");
            assert_eq!(e.location(), text);
            let w = Warning::at_location(text, "m");
            assert_eq!(w.location(), text);
        }
        let e = Error::at_location("a.csv:row 3 (through shuzhi):5", "m");
        assert_eq!(e.file, "a.csv:row 3 (through shuzhi)");
        assert_eq!(e.line.map(|n| n.get()), Some(5));
        assert_eq!(e.col, None);
    }

    #[test]
    fn json_keeps_its_fields_and_adds_the_numbers() {
        let e = Error::at("t.txt", 2, 1, "bad")
            .hint("fix it")
            .key("input.bad")
            .arg("what", 7);
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"location":"t.txt:2:1","message":"bad","hints":["fix it"],"key":"input.bad","line":2,"col":1,"args":{"what":"7"}}"#
        );
        assert_eq!(
            serde_json::to_string(&Warning::at("t.txt", 0, "odd")).unwrap(),
            r#"{"location":"t.txt","message":"odd","key":"generic"}"#
        );
    }
}
