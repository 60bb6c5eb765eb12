//! The batch manifest: `NAME.manifest.json` in the output folder (one per source: `officials.xlsx`
//! → `officials.xlsx.manifest.json`, so two sheets batched into one folder keep their own) says,
//! for each row of the last run,
//! which files it produced, whether they were made, left unchanged or failed, the hash of the
//! row's inputs and the row's messages. It is what lets the next run rebuild only what changed.
//!
//! Owns: the manifest's format, reading the previous one, writing the new one atomically, the
//! journal that survives an interrupted run, and the hashing of inputs. It renders nothing.
//!
//! # Regeneration
//!
//! A row's hash covers everything its documents depend on: the program (version and build), the
//! template's text, the layout file's text, the fonts that serve its faces (each file's path,
//! face index, size and modification time, and which file serves which face) and the row's data.
//! A row is skipped when the previous manifest has an entry under the same output name with the
//! same hash, and every file asked for is listed there *and is still exactly the file that was
//! written* (same size and modification time). Anything else — a changed input, a deleted or
//! edited output, a file the previous run did not write — rebuilds the row.
//!
//! # Interruption
//!
//! Outputs are written atomically (temporary file, then rename), so a file either is complete or
//! does not exist. After a row's files are renamed into place, its entry is appended as one JSON
//! line to the journal (`.NAME.journal.jsonl`). A run that ends writes the whole manifest
//! atomically and then removes the journal; a run that is killed leaves the journal, and the next
//! run reads the old manifest and then the journal's complete lines over it (a torn last line is
//! ignored), so every row finished before the kill counts as unchanged. Because an entry is only
//! trusted while its files' size and modification time match, a journal line that is older than
//! the files it names (or a file written whose line never made it) just means a rebuild, never a
//! stale document taken as current.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The one manifest of earlier versions, for every source: read once (when it was written for
/// the same source) and removed when the source's own manifest is written.
pub const LEGACY_FILE: &str = "manifest.json";

/// Where a source's manifest and journal are: `officials.xlsx.manifest.json` (with `--sheet 名单`:
/// `officials.xlsx.名单.manifest.json`) and `.officials.xlsx.journal.jsonl` (which exists only
/// while a run goes on, or after one was killed). Not `.gongwen-…`: the stale-temporary cleanup
/// removes those.
#[derive(Debug, Clone)]
pub struct Place {
    /// The output folder.
    pub dir: PathBuf,
    /// `officials.xlsx` or `officials.xlsx.名单`: the source's file (or folder) name.
    pub stem: String,
}

impl Place {
    /// The place for `source` (and the sheet read, if named) in `dir`.
    pub fn new(dir: &Path, source: &Path, sheet: Option<&str>) -> Place {
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| {
                let abs = source.canonicalize().ok()?;
                Some(abs.file_name()?.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "batch".into());
        let stem = match sheet {
            Some(s) => format!("{name}.{s}"),
            None => name,
        };
        Place {
            dir: dir.to_path_buf(),
            stem: crate::names::safe_name(&stem),
        }
    }

    /// The manifest's path.
    pub fn manifest(&self) -> PathBuf {
        self.dir.join(format!("{}.manifest.json", self.stem))
    }

    /// The journal's path.
    pub fn journal(&self) -> PathBuf {
        self.dir.join(format!(".{}.journal.jsonl", self.stem))
    }
}

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Rendered and written by this run.
    Made,
    /// Its inputs and files are as the previous run left them: not rebuilt.
    Unchanged,
    /// Not produced: see its messages.
    Failed,
}

/// One output file, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutFile {
    /// The file name inside the output folder.
    pub file: String,
    /// Its size in bytes when written.
    pub bytes: u64,
    /// Its modification time when written (nanoseconds since 1970).
    pub modified: u128,
}

impl OutFile {
    /// The file's current size and time, if it exists.
    pub fn stat(dir: &Path, file: &str) -> Option<OutFile> {
        let meta = std::fs::metadata(dir.join(file)).ok()?;
        if !meta.is_file() {
            return None;
        }
        Some(OutFile {
            file: file.to_string(),
            bytes: meta.len(),
            modified: nanos(meta.modified().ok()?),
        })
    }

    /// Is the file on disk still the one this entry describes?
    pub fn is_current(&self, dir: &Path) -> bool {
        OutFile::stat(dir, &self.file).as_ref() == Some(self)
    }
}

/// One row of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The row number (see [`crate::batch::source::Record::row`]).
    pub row: usize,
    /// Where the row came from: `officials.xlsx:row 7`.
    pub label: String,
    /// The output name (without extension); `None` when the name could not be made.
    #[serde(default)]
    pub name: Option<String>,
    /// The files of the row, in the output folder.
    #[serde(default)]
    pub files: Vec<OutFile>,
    /// What happened.
    pub status: Status,
    /// The hash of the row's inputs (`None` when the row failed before they were known).
    #[serde(default)]
    pub hash: Option<String>,
    /// Pages of the PDF layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    /// Warnings and errors, each `warning: …` or `error: …`.
    #[serde(default)]
    pub messages: Vec<String>,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Rows rendered and written.
    pub made: usize,
    /// Rows left as they were.
    pub unchanged: usize,
    /// Rows not produced.
    pub failed: usize,
}

/// The whole manifest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The program that wrote it: `gongwen 0.1.0 (build …)`.
    #[serde(default)]
    pub program: String,
    /// The source the rows came from.
    #[serde(default)]
    pub source: String,
    /// `false` when the run was interrupted: rows it did not reach keep their previous entries.
    #[serde(default)]
    pub complete: bool,
    /// Made, unchanged, failed.
    #[serde(default)]
    pub summary: Counts,
    /// What the hashes cover, for a person asking why rows were rebuilt: template file → text
    /// hash, layout file → text hash, layout file → fonts hash.
    #[serde(default)]
    pub inputs: Inputs,
    /// One entry per row, in source order.
    #[serde(default)]
    pub rows: Vec<Entry>,
    /// Files earlier runs made for rows that have since left the source or been renamed, kept
    /// until `--prune` removes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<OutFile>,
}

/// The shared inputs of a run and their hashes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// Template file → hash of its text.
    #[serde(default)]
    pub templates: BTreeMap<String, String>,
    /// Layout file → hash of its text.
    #[serde(default)]
    pub layouts: BTreeMap<String, String>,
    /// Layout file → hash of the fonts that serve its faces.
    #[serde(default)]
    pub fonts: BTreeMap<String, String>,
}

/// What the previous runs left: entries by output name, and the previous manifest's shared
/// inputs (to say why everything is rebuilt).
#[derive(Debug, Default)]
pub struct Previous {
    /// Output name → entry.
    pub entries: HashMap<String, Entry>,
    /// The previous manifest's program and inputs, if there was one.
    pub program: Option<String>,
    /// As above.
    pub inputs: Option<Inputs>,
    /// The previous manifest's stale files.
    pub stale: Vec<OutFile>,
    /// A manifest that could not be read (every row is then rebuilt).
    pub warning: Option<String>,
    /// The old shared `manifest.json` this run read (it is removed when the new one is saved).
    pub legacy: Option<PathBuf>,
}

/// Read the previous manifest and the journal of an interrupted run, if any. Without the
/// source's own manifest, an old shared `manifest.json` written for the same `source` is read
/// instead (one written for another source is left alone).
pub fn previous(place: &Place, source: &str) -> Previous {
    let mut prev = Previous::default();
    let path = place.manifest();
    let legacy = place.dir.join(LEGACY_FILE);
    let (path, bytes) = match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::read(&legacy) {
            Ok(b) if same_source(&b, source) => {
                prev.legacy = Some(legacy.clone());
                (legacy, Ok(b))
            }
            _ => (path, Err(e)),
        },
        other => (path, other),
    };
    match bytes {
        Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) => {
                prev.program = Some(m.program);
                prev.inputs = Some(m.inputs);
                prev.stale = m.stale;
                for e in m.rows {
                    if let Some(name) = e.name.clone() {
                        prev.entries.insert(name, e);
                    }
                }
            }
            Err(e) => {
                prev.warning = Some(format!(
                    "{}: cannot read the previous manifest ({e}); every row is rebuilt",
                    path.display()
                ))
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            prev.warning = Some(format!(
                "{}: cannot read the previous manifest ({e}); every row is rebuilt",
                path.display()
            ))
        }
    }
    if let Ok(text) = std::fs::read_to_string(place.journal()) {
        // Lines of a killed run, newer than the manifest; a torn last line does not parse.
        for line in text.lines() {
            if let Ok(e) = serde_json::from_str::<Entry>(line)
                && let Some(name) = e.name.clone()
            {
                prev.entries.insert(name, e);
            }
        }
    }
    prev
}

/// Was the old shared manifest written for `source` (the same path, or the same file)?
fn same_source(bytes: &[u8], source: &str) -> bool {
    #[derive(Deserialize)]
    struct Head {
        #[serde(default)]
        source: String,
    }
    let Ok(head) = serde_json::from_slice::<Head>(bytes) else {
        return false;
    };
    head.source == source
        || matches!(
            (Path::new(&head.source).canonicalize(), Path::new(source).canonicalize()),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Write the manifest atomically (temporary file, then rename), then remove the journal and
/// the old shared manifest this run took over.
pub fn save(place: &Place, manifest: &Manifest, legacy: Option<&Path>) -> Result<PathBuf, Error> {
    let path = place.manifest();
    let mut text = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::io(&path, format!("cannot write the manifest ({e})")))?;
    text.push(b'\n');
    crate::write_all(&place.dir, &[(path.clone(), text)])?;
    let _ = std::fs::remove_file(place.journal());
    if let Some(old) = legacy {
        let _ = std::fs::remove_file(old);
    }
    Ok(path)
}

/// Write the manifest atomically as [`save`] does, its rows read from `spool` (one entry as a
/// JSON line each, in order) and then `extra`, so a batch's rows are never all in memory
/// (issue 11). Each row is one line of the file; `head.rows` is not written.
pub fn save_streamed(
    place: &Place,
    head: &Manifest,
    spool: std::fs::File,
    extra: &[Entry],
    legacy: Option<&Path>,
) -> Result<PathBuf, Error> {
    use std::io::{BufRead, BufWriter, Seek};
    let path = place.manifest();
    let dir = &place.dir;
    let fail =
        |e: &dyn std::fmt::Display| Error::io(&path, format!("cannot write the manifest ({e})"));
    let tmp = tempfile::Builder::new()
        .prefix(".gongwen-")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    // The head is written with no rows; its `"rows": []` is where the spooled rows go (the
    // fields after it, such as `stale`, follow them).
    let empty = Manifest {
        rows: Vec::new(),
        ..head.clone()
    };
    let head_text = serde_json::to_string_pretty(&empty).map_err(|e| fail(&e))?;
    const ROWS: &str = "\"rows\": [";
    let cut = head_text
        .find("\"rows\": []")
        .map(|i| i + ROWS.len())
        .ok_or_else(|| fail(&"no rows field"))?;
    let mut w = BufWriter::new(tmp.as_file());
    let mut spool = spool;
    spool.rewind().map_err(|e| fail(&e))?;
    (|| -> std::io::Result<()> {
        w.write_all(head_text[..cut].as_bytes())?;
        let mut rows = 0usize;
        let mut row = |w: &mut BufWriter<&std::fs::File>, line: &[u8]| {
            w.write_all(if rows == 0 { b"\n    " } else { b",\n    " })?;
            rows += 1;
            w.write_all(line)
        };
        for line in std::io::BufReader::new(spool).split(b'\n') {
            let line = line?;
            if !line.is_empty() {
                row(&mut w, &line)?;
            }
        }
        for e in extra {
            row(
                &mut w,
                &serde_json::to_vec(e).map_err(std::io::Error::other)?,
            )?;
        }
        if rows > 0 {
            w.write_all(b"\n  ")?;
        }
        w.write_all(head_text[cut..].as_bytes())?;
        w.write_all(b"\n")?;
        w.flush()
    })()
    .map_err(|e| fail(&e))?;
    drop(w);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(&path).map_err(|e| fail(&e.error))?;
    let _ = std::fs::remove_file(place.journal());
    if let Some(old) = legacy {
        let _ = std::fs::remove_file(old);
    }
    Ok(path)
}

/// The journal of a running batch: one JSON line per finished row, appended after its files are
/// in place.
pub struct Journal {
    file: std::fs::File,
}

impl Journal {
    /// Open (and create) the journal for appending; lines of an earlier killed run are kept
    /// until a manifest that includes them is written.
    pub fn open(place: &Place) -> Result<Journal, Error> {
        let dir = &place.dir;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(dir, format!("cannot create the output folder ({e})")))?;
        let path = place.journal();
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, format!("cannot write the journal ({e})")))?;
        // A killed run may have left a torn last line: start on a fresh one.
        if file.metadata().map(|m| m.len() > 0).unwrap_or(false) {
            let _ = file.write_all(b"\n");
        }
        Ok(Journal { file })
    }

    /// Append one entry as one line (a single write, so a kill leaves a whole line or a torn
    /// last one, which the reader skips).
    pub fn append(&mut self, entry: &Entry) {
        if let Ok(mut line) = serde_json::to_vec(entry) {
            line.push(b'\n');
            let _ = self.file.write_all(&line);
        }
    }
}

/// A hash of several inputs: each part is length-prefixed, so parts cannot run into each other.
pub struct Hasher(Sha256);

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

impl Hasher {
    /// An empty hash.
    pub fn new() -> Hasher {
        Hasher(Sha256::new())
    }

    /// Add one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// `sha256:` and the hex digest.
    pub fn finish(self) -> String {
        let digest = self.0.finalize();
        let mut s = String::with_capacity(7 + 64);
        s.push_str("sha256:");
        for b in digest.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

/// The hash of one piece of text.
pub fn hash_text(text: &str) -> String {
    let mut h = Hasher::new();
    h.part(text.as_bytes());
    h.finish()
}

fn nanos(t: std::time::SystemTime) -> u128 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The program's identity for the hashes: its version, and the size and time of its executable
/// (a build id that needs no git: a rebuilt program rebuilds every document).
pub fn program_id() -> String {
    let build = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let mut h = Hasher::new();
            h.part(&m.len().to_le_bytes());
            h.part(&m.modified().map(nanos).unwrap_or(0).to_le_bytes());
            h.finish()[7..19].to_string()
        })
        .unwrap_or_else(|_| "unknown".into());
    format!("gongwen {} (build {build})", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, hash: &str) -> Entry {
        Entry {
            row: 2,
            label: "a.csv:row 2".into(),
            name: Some(name.into()),
            files: vec![],
            status: Status::Made,
            hash: Some(hash.into()),
            pages: Some(1),
            messages: vec![],
        }
    }

    #[test]
    fn journal_lines_override_the_manifest_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::new(dir.path(), Path::new("a.csv"), None);
        let m = Manifest {
            complete: true,
            rows: vec![entry("a", "h1"), entry("b", "h1")],
            ..Manifest::default()
        };
        save(&place, &m, None).unwrap();
        let mut j = Journal::open(&place).unwrap();
        j.append(&entry("a", "h2"));
        drop(j);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(place.journal())
            .unwrap();
        f.write_all(br#"{"row": 3, "label": "a.csv:row 3", "name": "b", "st"#)
            .unwrap();
        let prev = previous(&place, "a.csv");
        assert_eq!(prev.entries["a"].hash.as_deref(), Some("h2"));
        assert_eq!(prev.entries["b"].hash.as_deref(), Some("h1"));
        // A new journal starts on a fresh line after the torn one.
        let mut j = Journal::open(&place).unwrap();
        j.append(&entry("c", "h3"));
        assert_eq!(
            previous(&place, "a.csv").entries["c"].hash.as_deref(),
            Some("h3")
        );
        save(&place, &m, None).unwrap();
        assert!(!place.journal().exists());
        assert!(dir.path().join("a.csv.manifest.json").exists());
    }

    #[test]
    fn a_broken_manifest_means_rebuild_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::new(dir.path(), Path::new("x/a.csv"), Some("名单"));
        assert_eq!(
            place.manifest(),
            dir.path().join("a.csv.名单.manifest.json")
        );
        std::fs::write(place.manifest(), "{ not json").unwrap();
        let prev = previous(&place, "x/a.csv");
        assert!(prev.entries.is_empty());
        assert!(prev.warning.unwrap().contains("every row is rebuilt"));
    }

    #[test]
    fn the_old_shared_manifest_is_read_only_for_its_own_source() {
        let dir = tempfile::tempdir().unwrap();
        let m = Manifest {
            source: "a.csv".into(),
            rows: vec![entry("a", "h1")],
            ..Manifest::default()
        };
        std::fs::write(
            dir.path().join(LEGACY_FILE),
            serde_json::to_vec(&m).unwrap(),
        )
        .unwrap();
        let other = Place::new(dir.path(), Path::new("b.csv"), None);
        assert!(previous(&other, "b.csv").entries.is_empty());
        let place = Place::new(dir.path(), Path::new("a.csv"), None);
        let prev = previous(&place, "a.csv");
        assert_eq!(prev.entries["a"].hash.as_deref(), Some("h1"));
        save(&place, &m, prev.legacy.as_deref()).unwrap();
        assert!(!dir.path().join(LEGACY_FILE).exists());
        assert!(previous(&place, "a.csv").legacy.is_none());
    }

    #[test]
    fn hash_parts_do_not_run_together() {
        let mut a = Hasher::new();
        a.part(b"ab").part(b"c");
        let mut b = Hasher::new();
        b.part(b"a").part(b"bc");
        assert_ne!(a.finish(), b.finish());
        assert!(hash_text("x").starts_with("sha256:"));
        assert_eq!(hash_text("x").len(), 7 + 64);
    }
}
