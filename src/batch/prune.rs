//! Stale files: what earlier runs made for rows that have since left the source, or whose
//! output name changed (a renamed `--name` pattern), as the manifest recorded them.
//!
//! Owns: finding them ([`stale`]), removing them under `--prune`, and what the run says about
//! them. A file is removed only when it is still exactly the file that was written (same size
//! and modification time): a stale file someone edited since is left, and said. And only a file
//! this program writes, named plainly inside the output folder: a manifest edited to name
//! `../victim.txt` or a symbolic link removes nothing (issue 19). Without
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
    /// Names the manifest lists that are not a file this program writes in the output folder
    /// (`../victim.txt`, `/etc/passwd`, `notes.txt`, a symbolic link): never removed, and
    /// dropped from the manifest (issue 19: a manifest is a file anyone can edit).
    pub foreign: Vec<String>,
}

/// The extensions of the files a batch (or the page's batch) writes in its output folder.
pub const PRUNED_EXTENSIONS: &[&str] = &["pdf", "docx", "png", "zip"];

/// Is `file` a plain name of a file a batch writes, directly inside `dir`, and not a symbolic
/// link? Only such a file may be removed: the manifest's names are read back from disk.
fn is_ours(dir: &Path, file: &str) -> bool {
    let plain = !file.is_empty()
        && !file.contains(['/', '\\', '\0'])
        && !file.contains("..")
        && Path::new(file).is_relative()
        && Path::new(file).components().count() == 1;
    let ext = Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    plain
        && PRUNED_EXTENSIONS.contains(&ext.as_str())
        && std::fs::symlink_metadata(dir.join(file)).is_ok_and(|m| m.file_type().is_file())
}

/// What the stale list (and an interrupted run's manifest) needs of this run's rows: their
/// output names and files — not whole entries, so a batch's memory stays flat in rows but for
/// the names. They are kept only when a previous run left something to compare them with.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// Keep names and files (a previous run left entries or stale files).
    pub(super) keep: bool,
    /// Output names of this run's rows.
    pub(super) names: HashSet<String>,
    /// Their files, with the files each name asks for.
    pub(super) files: HashSet<String>,
    /// Rows that failed before they had a name.
    pub(super) unnamed: usize,
}

impl Seen {
    /// Note one row of this run.
    pub(super) fn add(&mut self, e: &Entry, render: &crate::Options) {
        if e.status == Status::Failed && e.name.is_none() {
            self.unnamed += 1;
        }
        if !self.keep {
            return;
        }
        for f in &e.files {
            if !self.files.contains(&f.file) {
                self.files.insert(f.file.clone());
            }
        }
        if let Some(n) = &e.name {
            self.files.extend(wanted_files(n, render));
            self.names.insert(n.clone());
        }
    }
}

/// The files of the previous run's rows that no row of this run has, still in `dir`; removed
/// when `prune`.
pub(super) fn stale(dir: &Path, prev: &Previous, seen: &Seen, prune: bool) -> Stale {
    let (names, current) = (&seen.names, &seen.files);
    let mut listed = HashSet::new();
    let mut entries: Vec<&Entry> = prev
        .entries
        .values()
        .filter(|e| !names.contains(e.name.as_deref().unwrap_or_default()))
        .collect();
    entries.sort_by_key(|e| e.row);
    let candidates: Vec<OutFile> = entries
        .into_iter()
        .flat_map(|e| e.files.iter())
        .chain(prev.stale.iter())
        .filter(|f| !current.contains(&f.file) && listed.insert(f.file.clone()))
        .filter(|f| OutFile::stat(dir, &f.file).is_some())
        .cloned()
        .collect();
    let (candidates, foreign): (Vec<OutFile>, Vec<OutFile>) =
        candidates.into_iter().partition(|f| is_ours(dir, &f.file));
    let unnamed = seen.unnamed;
    let mut out = Stale {
        unnamed,
        foreign: foreign.into_iter().map(|f| f.file).collect(),
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
        if !self.foreign.is_empty() {
            let n = self.foreign.len();
            lines.push(format!(
                "warning: the manifest names {n} {} that {} not a document of {} ({}): left alone",
                plural(n),
                if n == 1 { "is" } else { "are" },
                dir.display(),
                list(&mut self.foreign.iter().map(String::as_str), n)
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
