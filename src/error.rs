//! Errors and warnings: where (file, line, column) and what, in one line, plus hints.
//!
//! Messages are lowercase without a trailing period; `main` prints them as
//! `error: file:line:col: message` followed by `hint:` lines. Both serialise (serde) as
//! `{location, message, hints}` / `{location, message}` for `--json` output.

use std::fmt;
use std::path::Path;

/// A fatal error: the document is not produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Error {
    /// `file`, `file:line` or `file:line:col`, or empty when no file is involved.
    pub location: String,
    /// What went wrong.
    pub message: String,
    /// What the user can do about it.
    pub hints: Vec<String>,
}

impl Error {
    /// An error without a location.
    pub fn msg(message: impl Into<String>) -> Error {
        Error {
            location: String::new(),
            message: message.into(),
            hints: vec![],
        }
    }

    /// An error about a file as a whole.
    pub fn io(path: &Path, message: impl Into<String>) -> Error {
        Error {
            location: path.display().to_string(),
            message: message.into(),
            hints: vec![],
        }
    }

    /// An error at a line and column (1-based; 0 leaves it out).
    pub fn at(file: &str, line: usize, col: usize, message: impl Into<String>) -> Error {
        Error {
            location: locate(file, line, col),
            message: message.into(),
            hints: vec![],
        }
    }

    /// Add a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.location.is_empty() {
            write!(f, "{}: ", self.location)?;
        }
        write!(f, "{}", self.message)?;
        for h in &self.hints {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Something the user should know that does not stop the document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// As in [`Error::location`].
    pub location: String,
    /// What was noticed.
    pub message: String,
}

impl Warning {
    /// A warning at a line (1-based; 0 leaves it out).
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Warning {
        Warning {
            location: locate(file, line, 0),
            message: message.into(),
        }
    }

    /// A warning at a line and column (1-based, in characters; 0 leaves them out).
    pub fn at_col(file: &str, line: usize, col: usize, message: impl Into<String>) -> Warning {
        Warning {
            location: locate(file, line, col),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

fn locate(file: &str, line: usize, col: usize) -> String {
    match (line, col) {
        (0, _) => file.to_string(),
        (l, 0) => format!("{file}:{l}"),
        (l, c) => format!("{file}:{l}:{c}"),
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
