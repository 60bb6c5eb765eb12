//! Layout inheritance: a file that says `base = "gbt9704"` gives only what differs.
//!
//! The base (a bundled name, or a path relative to the file that names it) is read first, its
//! own base before it, and the TOML trees are merged: tables key by key, any other value
//! replaced whole. Only then is the result read into [`LayoutSpec`](super::LayoutSpec), so every check
//! of `spec.rs` applies to the merged layout. A base that does not exist and a chain that comes
//! back to a file already read are errors naming the file and the `base` line.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::LayoutSpec;
use crate::error::{Error, line_col};

/// The hint for a layout that lacks keys: take them from a bundled layout.
pub const BASE_HINT: &str = "a layout that gives only what differs starts with base = \"gbt9704\" (or another bundled name)";

/// The merged tree of the layout file at `path` (text already read) and the files read for it,
/// this one first. `chain` holds the files being read further down, to find a cycle.
pub(super) fn tree(
    text: &str,
    path: &Path,
    chain: &mut Vec<PathBuf>,
) -> Result<(Table, Vec<PathBuf>), Error> {
    let source = path.display().to_string();
    let mut own: Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        Error::at(&source, line, col, e.message().trim_end().to_string())
            .hint("see layouts/gbt9704.toml for every key and its clause")
    })?;
    let here = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(base) = own.remove("base") else {
        return Ok((own, vec![path.to_path_buf()]));
    };
    let line = key_line(text, "base");
    let Value::String(name) = base else {
        return Err(Error::at(
            &source,
            line,
            0,
            "base: must be a layout name or path in quotes",
        )
        .hint("base = \"gbt9704\""));
    };
    let base_path = resolve(&name, path);
    chain.push(here);
    let there = std::fs::canonicalize(&base_path).unwrap_or_else(|_| base_path.clone());
    if chain.contains(&there) {
        let mut names: Vec<String> = chain.iter().map(|p| p.display().to_string()).collect();
        names.push(there.display().to_string());
        return Err(Error::at(
            &source,
            line,
            0,
            format!(
                "base: the layouts inherit in a circle ({})",
                names.join(" → ")
            ),
        )
        .hint("one of them must be a whole layout or name a bundled one (base = \"gbt9704\")"));
    }
    let base_text = crate::read_source(&base_path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "base: no layout '{name}' (looked for {})",
                base_path.display()
            ),
            _ => format!("base: cannot read {} ({e})", base_path.display()),
        };
        Error::at(&source, line, 0, why).hint(format!(
            "a bundled name ({}) or a path relative to this file",
            bundled_names().join(", ")
        ))
    })?;
    let (mut merged, mut files) = tree(&base_text, &base_path, chain)?;
    chain.pop();
    // What the base is for is not what this file is for.
    merged.remove("description");
    merge(&mut merged, own);
    files.insert(0, path.to_path_buf());
    Ok((merged, files))
}

/// The file a `base` value names: a bundled name, or a path relative to the naming file.
fn resolve(name: &str, from: &Path) -> PathBuf {
    if name.ends_with(".toml") || name.contains('/') {
        let p = Path::new(name);
        match from.parent() {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    } else {
        LayoutSpec::path_of(name)
    }
}

/// `over` into `base`: tables key by key, other values replaced.
fn merge(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// Read a merged tree into a `LayoutSpec`, naming the key of an error in full (`grid.chars`).
pub(super) fn read(tree: Table, source: &str) -> Result<LayoutSpec, Error> {
    serde_path_to_error::deserialize(Value::Table(tree)).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().message().trim_end().to_string();
        let at = |key: &str| {
            if path == "." {
                key.to_string()
            } else {
                format!("{path}.{key}")
            }
        };
        match message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
        {
            Some(key) => {
                Error::at(source, 0, 0, format!("missing key `{}`", at(key))).hint(BASE_HINT)
            }
            None => Error::at(source, 0, 0, format!("{path}: {message}"))
                .hint("see layouts/gbt9704.toml for every key and its clause"),
        }
    })
}

/// The 1-based line where `key = …` stands (0 when not found).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

/// The names of the bundled layouts (`layouts/*.toml`), sorted.
pub fn bundled_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crate::resources::layouts_dir())
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    let p = e.path();
                    (p.extension()? == "toml")
                        .then(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                        .flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    #[test]
    fn a_base_gives_every_key_the_file_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "house.toml",
            "base = \"gbt9704\"\ndescription = \"house\"\n[elements.body]\nsize_pt = 15.0\n[page_number]\nplacement = \"center\"\n",
        );
        let l = LayoutSpec::load(&p).unwrap();
        let body = &l.elements["body"];
        assert_eq!(body.size_pt, 15.0);
        // The rest of [elements.body] comes from the base, key by key.
        assert_eq!(body.face, "fangsong");
        assert_eq!(body.first_line_chars, 2.0);
        assert_eq!(l.page_number.placement, super::super::Placement::Center);
        assert_eq!(l.grid.chars, 28);
        assert_eq!(l.description, "house");
        assert_eq!(l.files.len(), 2);
    }

    #[test]
    fn a_relative_base_chain_merges_in_order() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.toml",
            "base = \"report\"\n[grid]\nline_pitch_pt = 28.0\n",
        );
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let b = write(
            &sub,
            "b.toml",
            "base = \"../a.toml\"\n[elements.title]\nsize_pt = 20.0\n",
        );
        let l = LayoutSpec::load(&b).unwrap();
        assert_eq!(l.grid.line_pitch_pt, 28.0);
        assert_eq!(l.elements["title"].size_pt, 20.0);
        // report.toml's own value, under both.
        assert!(!l.colophon.double_sided);
        assert_eq!(l.files.len(), 3);
    }

    #[test]
    fn range_checks_apply_to_the_merged_layout() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "x.toml",
            "base = \"gbt9704\"\n[grid]\nlines = 0\n",
        );
        let e = LayoutSpec::load(&p).unwrap_err().to_string();
        assert!(e.contains("grid.lines"), "{e}");
        let p = write(
            dir.path(),
            "y.toml",
            "base = \"gbt9704\"\n[elements.body]\nsize_pt = \"big\"\n",
        );
        let e = LayoutSpec::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("elements.body") && e.contains("invalid type"),
            "{e}"
        );
        let p = write(
            dir.path(),
            "z.toml",
            "base = \"gbt9704\"\n[grid]\nlnies = 3\n",
        );
        let e = LayoutSpec::load(&p).unwrap_err().to_string();
        assert!(e.contains("grid") && e.contains("lnies"), "{e}");
    }

    #[test]
    fn a_partial_file_without_base_names_the_missing_key_and_hints_base() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "p.toml", "[grid]\nlines = 22\n");
        let e = LayoutSpec::load(&p).unwrap_err().to_string();
        assert!(e.contains("p.toml: missing key `"), "{e}");
        assert!(
            e.contains("hint: ") && e.contains("base = \"gbt9704\""),
            "{e}"
        );
        // A whole file missing one key of a table names the table too.
        let whole = std::fs::read_to_string(LayoutSpec::path_of("gbt9704")).unwrap();
        let e = LayoutSpec::parse(&whole.replace("chars = 28 ", "# "), &p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing key `grid.chars`"), "{e}");
    }

    #[test]
    fn an_unknown_base_and_a_cycle_are_errors_at_the_base_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "u.toml", "# house\nbase = \"gbt9074\"\n");
        let e = LayoutSpec::load(&p).unwrap_err().to_string();
        assert!(e.contains("u.toml:2: base: no layout 'gbt9074'"), "{e}");
        assert!(e.contains("gbt9704, jiyao, ling, report, xinhan"), "{e}");
        write(dir.path(), "a.toml", "base = \"b.toml\"\n");
        let b = write(dir.path(), "b.toml", "base = \"./a.toml\"\n");
        let e = LayoutSpec::load(&b).unwrap_err().to_string();
        assert!(e.contains("inherit in a circle"), "{e}");
        let s = write(dir.path(), "s.toml", "base = \"s.toml\"\n");
        let e = LayoutSpec::load(&s).unwrap_err().to_string();
        assert!(e.contains("inherit in a circle"), "{e}");
    }
}
