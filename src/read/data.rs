//! Data files: one document's facts in YAML, JSON or TOML → a JSON value for the template.
//!
//! The format follows the file's extension. A syntax error names the file, line and column;
//! brackets nested deeper than [`MAX_DATA_DEPTH`] are refused before any parser reads the text.
//! Two top-level keys are read by gongwen itself: `template` (a bundled template name or a path)
//! and `layout` (a layout name or path); the command line's `--template`/`--layout` win. A path
//! the data names must lie in the data's folder ([`confined`]): data comes from outside.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Warned, Warning, line_col};

/// A loaded data file.
#[derive(Debug, Clone)]
pub struct Data {
    /// The facts, as the template sees them.
    pub value: Value,
    /// Where they came from.
    pub source: String,
}

impl Data {
    /// The template the data names, if any.
    pub fn template(&self) -> Option<&str> {
        self.value.get("template").and_then(Value::as_str)
    }

    /// The layout the data names, if any.
    pub fn layout(&self) -> Option<&str> {
        self.value.get("layout").and_then(Value::as_str)
    }
}

/// The file a data file or a sheet row names as its `what` (`template`, `layout`): `path` when
/// the name is `bundled` (a bare name, looked up among the bundled ones) or when it lies inside
/// `base`, the data's own folder (a relative path is taken from there). Data comes from outside
/// the office: `/etc/passwd`, `/dev/zero` or `../../x` would print another file's text into the
/// document or never end; only the command line may name any file.
pub fn confined(
    name: &str,
    path: PathBuf,
    bundled: bool,
    base: &Path,
    what: &str,
) -> Result<PathBuf, Error> {
    if bundled {
        return Ok(path);
    }
    let candidate = if path.is_absolute() {
        path
    } else {
        base.join(path)
    };
    let inside = match (candidate.canonicalize(), base.canonicalize()) {
        (Ok(c), Ok(b)) => c.starts_with(&b),
        _ => false,
    };
    if inside {
        Ok(candidate)
    } else {
        Err(Error::msg(format!(
            "the data names the {what} '{name}', which is neither bundled nor in {}",
            base.display()
        ))
        .hint(format!(
            "keep house {what}s beside the data, or pass --{what} PATH on the command line"
        )))
    }
}

/// The layout a data file or sheet row names, confined as [`confined`] says: a bundled name
/// (`report`) as it is, a path (`house.toml`, `sub/x.toml`) inside `base`.
pub fn layout_named_by_data(name: &str, base: &Path) -> Result<String, Error> {
    let bundled = !(name.ends_with(".toml") || name.contains('/'));
    let path = confined(name, PathBuf::from(name), bundled, base, "layout")?;
    Ok(path.display().to_string())
}

/// Is this path a data file (by extension) rather than a plain-text report?
pub fn is_data_file(path: &Path) -> bool {
    matches!(ext(path).as_str(), "yaml" | "yml" | "json" | "toml")
}

fn ext(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// The deepest a data file's brackets may nest (`[[[…`, `{"a": {"b": …`). A document's facts
/// nest a few levels (fields, a list of sections, their items); the YAML reader's time grows
/// with the square of the open brackets before its own limit (128) stops it — 100 KB of `[`
/// took 24.7 s (issue 19) — so the text is looked over once before any parser sees it.
pub const MAX_DATA_DEPTH: usize = 64;

/// The place (line, column, 1-based) where the text's brackets open more than
/// [`MAX_DATA_DEPTH`] levels, if they do. One pass, no allocation: brackets inside quoted
/// strings and `#` comments do not count (a quote opens a string only where a value starts,
/// so the apostrophe of `don't` is text); a closing bracket closes one level.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut line, mut col) = (1usize, 0usize);
    let mut depth = 0usize;
    // The last character on this line that was not white space ('\n' when none), and whether
    // white space followed it.
    let (mut last, mut spaced) = ('\n', false);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                (line, col, last, spaced) = (line + 1, 0, '\n', false);
                continue;
            }
            // A comment runs to the line's end.
            '#' if last == '\n' || spaced => {
                chars.by_ref().find(|c| *c == '\n');
                (line, col, last, spaced) = (line + 1, 0, '\n', false);
                continue;
            }
            // A quoted string, where a value starts (`key: "…"`, `- '…'`, `["…", …]`, `k = "…"`).
            '"' | '\'' if matches!(last, '\n' | '[' | '{' | ',' | ':' | '-' | '?' | '=') => {
                let mut escaped = false;
                for q in chars.by_ref() {
                    col += 1;
                    if q == '\n' {
                        (line, col) = (line + 1, 0);
                    }
                    if c == '"' && q == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if q == c && !escaped {
                        break;
                    }
                    escaped = false;
                }
                (last, spaced) = (c, false);
                continue;
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DATA_DEPTH {
                    return Some((line, col));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_whitespace() {
            spaced = true;
        } else {
            (last, spaced) = (c, false);
        }
    }
    None
}

/// Parse data text; the extension of `path` picks the format.
pub fn parse(text: &str, path: &Path) -> Result<Data, Error> {
    let source = path.display().to_string();
    if let Some((line, col)) = too_deep(text) {
        return Err(Error::at(
            &source,
            line,
            col,
            format!("the data nests more than {MAX_DATA_DEPTH} levels deep"),
        )
        .hint("a document's fields nest a few levels (a list of sections, their items): look for a bracket [ or { left open"));
    }
    let value: Value = match ext(path).as_str() {
        "json" => serde_json::from_str(text)
            .map_err(|e| Error::at(&source, e.line(), e.column(), format!("invalid JSON ({e})")))?,
        "toml" => toml::from_str::<toml::Value>(text)
            .map_err(|e| {
                let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
                Error::at(&source, l, c, format!("invalid TOML ({})", e.message()))
            })
            .and_then(|v| {
                serde_json::to_value(v).map_err(|e| Error::at(&source, 0, 0, e.to_string()))
            })?,
        _ => serde_yaml_ng::from_str(text).map_err(|e| {
            let (l, c) = e
                .location()
                .map(|m| (m.line(), m.column()))
                .unwrap_or((0, 0));
            Error::at(&source, l, c, format!("invalid YAML ({e})"))
        })?,
    };
    if !value.is_object() {
        return Err(Error::at(
            &source,
            1,
            1,
            "the data must be a mapping of field names to values",
        ));
    }
    Ok(Data { value, source })
}

/// The data with every control character removed from its values, and a warning for each value
/// that held one, naming the field and the character's place in the value (issue 9: nothing
/// removed without a word); the data itself when no value holds one (nothing is copied). Line
/// feeds stay (a value of several lines is several paragraphs) and so do CRs (the plain-text
/// reader takes a CR before a line feed as part of the line end, and warns about any other).
/// The one place data is cleaned, for a data file and a batch's rows alike.
pub fn without_controls(data: &Data) -> Warned<Cow<'_, Data>> {
    fn removed(c: char) -> bool {
        crate::read::text::is_removed(c) && c != '\n' && c != '\r'
    }
    fn any(v: &Value) -> bool {
        match v {
            Value::String(s) => s.contains(removed),
            Value::Array(a) => a.iter().any(any),
            Value::Object(o) => o.values().any(any),
            _ => false,
        }
    }
    fn clean(v: &mut Value, path: &str, source: &str, out: &mut Vec<Warning>) {
        match v {
            Value::String(s) if s.contains(removed) => {
                let found = crate::read::text::removed_at(s, removed);
                let message =
                    crate::read::text::removed_message(&found).replace("column", "character");
                out.push(Warning::at(
                    source,
                    0,
                    format!("field '{path}', character {}: {message}", found[0].0),
                ));
                s.retain(|c| !removed(c));
            }
            Value::Array(a) => {
                for (i, v) in a.iter_mut().enumerate() {
                    clean(v, &format!("{path}[{i}]"), source, out);
                }
            }
            Value::Object(o) => {
                for (k, v) in o.iter_mut() {
                    let path = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    clean(v, &path, source, out);
                }
            }
            _ => {}
        }
    }
    if !any(&data.value) {
        return Warned::new(Cow::Borrowed(data));
    }
    let mut data = data.clone();
    let mut warnings = Vec::new();
    clean(&mut data.value, "", &data.source, &mut warnings);
    Warned::with(Cow::Owned(data), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let y = parse("template: shuzhi\nname: 张三\n", Path::new("a.yaml")).unwrap();
        assert_eq!(y.template(), Some("shuzhi"));
        let j = parse(r#"{"layout": "report", "n": 1}"#, Path::new("a.json")).unwrap();
        assert_eq!(j.layout(), Some("report"));
        let t = parse("name = \"张三\"\nyear = 2023\n", Path::new("a.toml")).unwrap();
        assert_eq!(t.value["year"], 2023);
    }

    #[test]
    fn nesting_is_bounded_before_the_parser_reads() {
        // Before: 100 KB of `[` took the YAML reader 24.7 s (the pre-scan is one pass).
        let deep = format!("a: {}", "[".repeat(100_000));
        let e = parse(&deep, Path::new("d.yaml")).unwrap_err();
        assert_eq!(
            e.location(),
            format!("d.yaml:1:{}", 3 + MAX_DATA_DEPTH + 1),
            "{e}"
        );
        assert!(e.to_string().contains("nests more than 64 levels"), "{e}");
        let deep = format!("{{\"a\":\n{}", "{\"b\": ".repeat(70));
        assert!(
            parse(&deep, Path::new("d.json"))
                .unwrap_err()
                .to_string()
                .contains("nests")
        );
        assert!(too_deep(&format!("a = {}", "[".repeat(65))).is_some());
        // 64 levels, and brackets in strings and comments, are fine.
        let ok = format!("a: {}{}", "[".repeat(64), "]".repeat(64));
        assert!(too_deep(&ok).is_none());
        let text = format!(
            "a: \"{0}\"\nb: '{0}'\nc: x # {0}\nd: it's [1]\ne: [\"{0}\", '{0}']\n",
            "[".repeat(100)
        );
        assert!(too_deep(&text).is_none());
        assert!(parse(&text, Path::new("d.yaml")).is_ok());
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse("a: 1\nb: [1, 2\n", Path::new("d.yaml")).unwrap_err();
        assert!(e.location().starts_with("d.yaml:"), "{e}");
        let e = parse("{\n  \"a\": 1,\n  oops\n}", Path::new("d.json")).unwrap_err();
        assert_eq!(e.location(), "d.json:3:3", "{e}");
        let e = parse("a = 1\nb = \n", Path::new("d.toml")).unwrap_err();
        assert!(e.location().starts_with("d.toml:2:"), "{e}");
    }
}
