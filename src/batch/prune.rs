//! Stale files: what earlier runs made for rows that have since left the source, or whose
//! output name changed (a renamed `--name` pattern), as the manifest recorded them.
//!
//! Owns: finding them ([`stale`]), removing them under `--prune`, and what the run says about
//! them. A file is removed only when it is still exactly the file that was written (same size
//! and modification time): a stale file someone edited since is left, and said. Without
//! `--prune` they are counted, named in the manifest (`stale`), and left for a later `--prune`.

use std::collections::HashSet;
use std::path::Path;

use super::manifest::{Entry, OutFile, Previous, Status};
use super::prepare::wanted_files;

/// The stale files of a run.
#[derive(Debug, Clone, Default)]
pub struct Stale {
    /// Removed (`--prune`).
    pub removed: Vec<String>,
    /// Still there, kept in the manifest for a later `--prune`.
    pub left: Vec<OutFile>,
    /// Not removed under `--prune`: changed since they were written.
    pub changed: Vec<String>,
    /// Rows that failed before they had a name: `--prune` waits, since one of them may be a
    /// row whose files look stale.
    pub unnamed: usize,
}

/// The files of the previous run's rows that no row of this run has, still in `dir`; removed
/// when `prune`.
pub(super) fn stale(
    dir: &Path,
    prev: &Previous,
    rows: &[Entry],
    render: &crate::Options,
    prune: bool,
) -> Stale {
    let names: HashSet<&str> = rows.iter().filter_map(|e| e.name.as_deref()).collect();
    let mut current: HashSet<String> = HashSet::new();
    for e in rows {
        current.extend(e.files.iter().map(|f| f.file.clone()));
        if let Some(n) = &e.name {
            current.extend(wanted_files(n, render));
        }
    }
    let mut seen = HashSet::new();
    let mut entries: Vec<&Entry> = prev
        .entries
        .values()
        .filter(|e| !names.contains(e.name.as_deref().unwrap_or("")))
        .collect();
    entries.sort_by_key(|e| e.row);
    let candidates: Vec<OutFile> = entries
        .into_iter()
        .flat_map(|e| e.files.iter())
        .chain(prev.stale.iter())
        .filter(|f| !current.contains(&f.file) && seen.insert(f.file.clone()))
        .filter(|f| OutFile::stat(dir, &f.file).is_some())
        .cloned()
        .collect();
    let unnamed = rows
        .iter()
        .filter(|e| e.status == Status::Failed && e.name.is_none())
        .count();
    let mut out = Stale {
        unnamed,
        ..Stale::default()
    };
    if !prune || unnamed > 0 {
        out.left = candidates;
        return out;
    }
    for f in candidates {
        if !f.is_current(dir) {
            out.changed.push(f.file);
        } else if std::fs::remove_file(dir.join(&f.file)).is_ok() {
            out.removed.push(f.file);
        } else {
            out.left.push(f);
        }
    }
    out
}

impl Stale {
    /// What the run says about them (`note:` / `warning:` lines).
    pub fn report(&self, dir: &Path, prune: bool) -> Vec<String> {
        let list = |files: &mut dyn Iterator<Item = &str>, n: usize| {
            let shown: Vec<&str> = files.take(3).collect();
            format!("{}{}", shown.join(", "), if n > 3 { ", …" } else { "" })
        };
        let plural = |n: usize| if n == 1 { "file" } else { "files" };
        let mut lines = Vec::new();
        if !self.removed.is_empty() {
            let n = self.removed.len();
            lines.push(format!(
                "note: removed {n} {} of rows no longer in the source or renamed ({})",
                plural(n),
                list(&mut self.removed.iter().map(String::as_str), n)
            ));
        }
        if !self.changed.is_empty() {
            let n = self.changed.len();
            lines.push(format!(
                "warning: kept {n} stale {} that changed since they were written ({})",
                plural(n),
                list(&mut self.changed.iter().map(String::as_str), n)
            ));
        }
        if !self.left.is_empty() {
            let n = self.left.len();
            let files = list(&mut self.left.iter().map(|f| f.file.as_str()), n);
            if prune && self.unnamed > 0 {
                lines.push(format!(
                    "note: --prune left {n} stale {} in {} ({files}): {} rows failed before they had a name, and may be theirs",
                    plural(n),
                    dir.display(),
                    self.unnamed
                ));
            } else {
                lines.push(format!(
                    "note: {n} {} in {} belong to rows no longer in the source or renamed ({files}); --prune removes them",
                    plural(n),
                    dir.display()
                ));
            }
        }
        lines
    }
}
