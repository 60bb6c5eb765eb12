//! Running a batch: every row of a source through its template to PDF and DOCX, in parallel,
//! rebuilding only what changed (issue 4).
//!
//! Owns: the pipeline of a batch run — reading rows ([`source::scan`] to count them and read
//! the items once, then [`source::stream`]), preparing each
//! ([`super::prepare`]: template, layout, output name, whether it must be rebuilt), rendering on
//! a rayon pool ([`super::build`]), the merged PDF ([`super::merge`]), stale files
//! ([`super::prune`]), and the manifest at the end. It renders through the library's stages
//! ([`crate::document_from_data`], [`crate::produce`]) and decides nothing about the documents.
//! It prints nothing and tunes no allocator (issue 20): what happens goes to the caller's
//! [`Progress`], and `gongwen batch` draws the bar and sets malloc's thresholds.
//!
//! The flow, with memory flat however many rows there are:
//!
//! ```text
//! source::stream ─(this thread: name, hash, skip?)─ bounded channel ─→ rayon workers
//!        (template, layout, PDF, DOCX, write) ─ channel ─→ collector (progress, journal, counts,
//!        each row's entry to a spool file in row order, --merge: each document's pages into one
//!        PDF, in row order) ─→ manifest written from the spool
//! ```
//!
//! Rows are streamed: a sheet, CSV or JSON Lines file is never held whole, at most `2 × jobs`
//! rows wait for a worker, a document's bytes live only until its files are written, and the
//! manifest's rows go through a temporary spool file, not a list (only output names are kept,
//! and only when a previous run left rows to compare them with). The layout, the
//! fonts (parsed once, shared by every worker) and each distinct template are loaded once per
//! run. A row that fails — an error from the source, a missing field, a bad date, a character no
//! font has under `--strict` — is reported with its label and every other row is still made.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use rayon::iter::{ParallelBridge, ParallelIterator};

use super::build::{Clock, Collected, Sink, build_isolated, collect};
use super::manifest::{self, Counts, Entry, Inputs, Journal, Manifest, Place};
use super::prepare::{Caches, Job, NamePattern, Outcome, Prepared, Step};
use super::source::{self, SourceOptions};
use crate::error::Error;
use crate::fonts::FontBook;
use crate::names::Namer;
use crate::spec::LayoutSpec;
use crate::template::Template;

// The fonts are parsed once and shared by every worker.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<FontBook>();
    shared::<LayoutSpec>();
    shared::<Template>();
};

/// What a run tells its caller as it goes. The library prints nothing (issue 20): `gongwen
/// batch` shows these on stderr, as a bar or lines; [`Silent`], the default, drops them (every
/// message is in the manifest too). Each method does nothing unless implemented. The calls come
/// from the run's thread and its collector thread, one at a time, in this order: `started`,
/// then `message` and `row_done` as they happen, then `finished`.
pub trait Progress: Send + Sync {
    /// The run begins, with `total` rows.
    fn started(&self, total: usize) {
        let _ = total;
    }

    /// A row is finished — made, unchanged or failed — with its messages (`error: …`,
    /// `warning: …`), in the order rows finish.
    fn row_done(&self, entry: &Entry) {
        let _ = entry;
    }

    /// A line about the run as a whole (`note: …`, `warning: …`, the stale files).
    fn message(&self, line: &str) {
        let _ = line;
    }

    /// The run is over; every message is in the `manifest`.
    fn finished(&self, manifest: &Path) {
        let _ = manifest;
    }
}

impl std::fmt::Debug for dyn Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dyn Progress")
    }
}

/// Progress nobody is told of (a library caller's, the server's).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// What to run.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The sheet, CSV, JSON Lines, YAML/JSON list or folder of data files.
    pub source: PathBuf,
    /// How to read it (`--sheet`, repeated items).
    pub source_options: SourceOptions,
    /// Template, layout, fonts, strictness, output folder and formats; the command line's
    /// template and layout win over the ones a row names.
    pub render: crate::Options,
    /// The output name pattern (Handlebars over the row's fields); `None`: `row-7`, or a folder
    /// file's stem.
    pub name: Option<String>,
    /// Rebuild every row, whatever the manifest says.
    pub force: bool,
    /// Also write every row's document into this one PDF, in row order, each starting on an odd
    /// page (`--merge all.pdf`, for double-sided printing).
    pub merge: Option<PathBuf>,
    /// Remove the files of rows that left the source or were renamed (`--prune`).
    pub prune: bool,
    /// Worker threads; `None`: one per core.
    pub jobs: Option<usize>,
    /// Told of the run as it goes ([`Silent`] unless set).
    pub progress: Arc<dyn Progress>,
    /// Set (by a Ctrl-C handler) to stop: rows in progress finish, the rest are left for the
    /// next run, and the manifest is written.
    pub cancel: Arc<AtomicBool>,
    /// The engine to load layouts, templates and fonts with (a server's); `None`: one of the
    /// run's own, with `render.fonts`.
    pub engine: Option<crate::Engine>,
}

impl BatchOptions {
    /// Options for `source` with the defaults of the command line.
    pub fn new(source: impl Into<PathBuf>) -> BatchOptions {
        BatchOptions {
            source: source.into(),
            source_options: SourceOptions::default(),
            render: crate::Options::default(),
            name: None,
            force: false,
            merge: None,
            prune: false,
            jobs: None,
            progress: Arc::new(Silent),
            cancel: Arc::new(AtomicBool::new(false)),
            engine: None,
        }
    }
}

/// Time spent in each stage, added up over the workers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    /// Data through the template and the plain-text reader.
    pub template: Duration,
    /// Layout, PDF and DOCX ([`crate::produce`]).
    pub produce: Duration,
    /// Writing the files.
    pub write: Duration,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Rows made, unchanged and failed.
    pub counts: Counts,
    /// Rows in the source.
    pub total: usize,
    /// Each failed row: its label and the error.
    pub failed: Vec<(String, String)>,
    /// The manifest written.
    pub manifest: PathBuf,
    /// The run was stopped before every row was done.
    pub interrupted: bool,
    /// Time per stage, summed over workers.
    pub stages: Stages,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Pages made.
    pub pages: usize,
    /// The merged PDF written (`--merge`), with its documents and pages.
    pub merged: Option<(PathBuf, usize, usize)>,
    /// Files of rows no longer in the source (or renamed): removed with `--prune`, else left.
    pub stale: super::prune::Stale,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counts;
        write!(
            f,
            "{} made, {} unchanged, {} failed",
            c.made, c.unchanged, c.failed
        )?;
        if self.interrupted {
            let left = self.total.saturating_sub(c.made + c.unchanged + c.failed);
            write!(
                f,
                "; interrupted with {left} of {} rows left (run again to build them)",
                self.total
            )?;
        }
        write!(
            f,
            " in {:.1} s; manifest: {}",
            self.elapsed.as_secs_f64(),
            self.manifest.display()
        )?;
        if let Some((path, docs, pages)) = &self.merged {
            write!(
                f,
                "\nmerged {docs} documents into {} ({pages} pages, each document from an odd page)",
                path.display()
            )?;
        }
        Ok(())
    }
}

/// Run a batch. `Err` when the run as a whole cannot go on (the source cannot be read, the
/// template or layout named on the command line does not load, the output folder cannot be
/// written); a bad row is only counted, reported and entered in the manifest.
pub fn run(opts: &BatchOptions) -> Result<Summary, Error> {
    let start = Instant::now();
    let out_dir = opts.render.out_dir.clone();
    refuse_own_folder(opts)?;
    // A first pass counts the rows (for the progress) and finds a source that is broken as a
    // whole before any document is made. Rows are not kept; items are, for the second pass.
    let scanned = source::scan(&opts.source, &opts.source_options)?;
    let total = scanned.rows;

    let program = manifest::program_id();
    let mut caches = Caches::new(&program, opts.engine.clone());
    // What the command line names must load: otherwise every row would fail the same way.
    if let Some(t) = &opts.render.template {
        caches.template(t, &opts.render.fonts)?;
    }
    if let Some(l) = &opts.render.layout {
        caches.layout(l, &opts.render.fonts)?;
    }
    let pattern = opts.name.as_deref().map(NamePattern::new).transpose()?;
    let merge = match &opts.merge {
        Some(path) => Some(super::merge::target(path, &out_dir)?),
        None => None,
    };

    // Held to the end of the run: a second batch into this folder stops here.
    let _lock = super::lock::hold(&out_dir)?;
    let progress = &*opts.progress;
    progress.started(total);
    let temporaries = super::lock::remove_temporaries(&out_dir);
    if temporaries > 0 {
        progress.message(&format!(
            "note: removed {temporaries} temporary {} an interrupted run left in {}",
            if temporaries == 1 { "file" } else { "files" },
            out_dir.display()
        ));
    }
    let source_name = opts.source.display().to_string();
    let place = Place::new(&out_dir, &opts.source, opts.source_options.sheet.as_deref());
    let prev = manifest::previous(&place, &source_name);
    if let Some(w) = &prev.warning {
        progress.message(&format!("warning: {w}"));
    }
    let journal = Journal::open(&place)?;
    // This run's rows, in source order, wait here for the manifest (one JSON line each).
    let spool = tempfile::tempfile_in(&out_dir).map_err(|e| {
        Error::io(&out_dir, format!("cannot write to the output folder ({e})"))
            .key("output.unwritable")
            .arg("reason", e)
    })?;
    // Names and files are only needed to compare with what a previous run left.
    let seen = super::prune::Seen {
        keep: !prev.entries.is_empty() || !prev.stale.is_empty(),
        ..Default::default()
    };
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("gongwen-batch-{i}"))
        .build()
        .map_err(|e| {
            Error::msg(format!("cannot start {jobs} worker threads ({e})"))
                .key("batch.threads")
                .arg("jobs", jobs)
                .arg("reason", e)
        })?;
    let clock = Clock::default();
    let is_folder = opts.source.is_dir();

    let (job_tx, job_rx) = mpsc::sync_channel::<Box<Job>>(jobs * 2);
    let (out_tx, out_rx) = mpsc::channel::<Outcome>();
    let (collected, source_result) = std::thread::scope(|s| {
        let sink = Sink {
            journal,
            progress,
            merge,
            spool,
            prev: &prev.entries,
            render: &opts.render,
            seen,
        };
        let collector = s.spawn(move || collect(out_rx, sink));
        let worker_tx = out_tx.clone();
        let (clock, render, cancel) = (&clock, &opts.render, &opts.cancel);
        s.spawn(move || {
            pool.install(|| {
                job_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(worker_tx, |tx, job| {
                        // After Ctrl-C, rows not begun are left for the next run.
                        if !cancel.load(Ordering::Relaxed) {
                            let _ = tx.send(build_isolated(job, render, clock));
                        }
                    })
            })
        });

        let mut namer = Namer::new();
        let mut seq = 0usize;
        let result = source::stream(&opts.source, &opts.source_options, scanned, |r| {
            if opts.cancel.load(Ordering::Relaxed) {
                return;
            }
            let this = seq;
            seq += 1;
            let step = Step {
                seq: this,
                opts,
                caches: &mut caches,
                namer: &mut namer,
                pattern: pattern.as_ref(),
                prev: &prev.entries,
                is_folder,
            };
            match step.prepare(r) {
                Prepared::Build(job) => {
                    let _ = job_tx.send(job);
                }
                Prepared::Done(entry) => {
                    let _ = out_tx.send(Outcome {
                        seq: this,
                        entry,
                        paged: None,
                    });
                }
            }
        });
        drop(job_tx);
        drop(out_tx);
        let collected = collector
            .join()
            .expect("the collector thread does not panic");
        (collected, result)
    });

    // The manifest: this run's rows in source order (spooled); after an interruption (or a
    // source that broke half-way) the rows not reached keep their previous entries, so nothing
    // is forgotten.
    let Collected {
        counts,
        failed,
        pages,
        seen,
        spool,
        merged,
    } = collected?;
    let interrupted = opts.cancel.load(Ordering::Relaxed) || source_result.is_err();
    let mut kept: Vec<Entry> = Vec::new();
    if interrupted {
        kept = prev
            .entries
            .values()
            .filter(|e| !seen.names.contains(e.name.as_deref().unwrap_or_default()))
            .cloned()
            .collect();
        kept.sort_by_key(|e| e.row);
    }
    // Inputs of earlier runs stay listed (this run's hashes win), so a later run can still say
    // which shared file changed.
    let mut inputs = prev.inputs.clone().unwrap_or_default();
    let now = caches.inputs();
    inputs.templates.extend(now.templates.clone());
    inputs.layouts.extend(now.layouts.clone());
    inputs.fonts.extend(now.fonts.clone());
    if counts.made > 0 && !prev.entries.is_empty() {
        for note in why_rebuilt(
            prev.program.as_deref(),
            prev.inputs.as_ref(),
            &program,
            &now,
        ) {
            progress.message(&format!("note: {note}"));
        }
    }
    // Files of rows that left the source or were renamed: only known after a whole run.
    let stale = if interrupted {
        super::prune::Stale::default()
    } else {
        super::prune::stale(&out_dir, &prev, &seen, opts.prune)
    };
    for line in stale.report(&out_dir, opts.prune) {
        progress.message(&line);
    }
    let merged = match merged {
        Some(m) if !interrupted => Some(m.write(progress)?),
        Some(_) => {
            progress.message("note: the run was interrupted: no merged PDF is written (run again)");
            None
        }
        None => None,
    };
    progress.finished(&place.manifest());
    let m = Manifest {
        program,
        source: source_name,
        complete: !interrupted,
        summary: counts,
        inputs,
        rows: Vec::new(),
        stale: stale.left.clone(),
    };
    let manifest = manifest::save_streamed(&place, &m, spool, &kept, prev.legacy.as_deref())?;
    source_result?;
    Ok(Summary {
        counts,
        total,
        failed,
        manifest,
        interrupted,
        stages: clock.stages(),
        elapsed: start.elapsed(),
        pages,
        merged,
        stale,
    })
}

/// A folder of drafts batched into itself: `a.docx`'s document would replace `a.docx`, and the
/// next run would read its own outputs as drafts (issue 19). Refused before any work, as
/// `render` refuses a draft rendered into its own folder. An output folder inside the source
/// folder is fine: a folder's drafts are the files directly in it.
fn refuse_own_folder(opts: &BatchOptions) -> Result<(), Error> {
    let out_dir = &opts.render.out_dir;
    if let (true, Ok(source), Ok(out)) = (
        opts.source.is_dir(),
        opts.source.canonicalize(),
        out_dir.canonicalize(),
    ) && source == out
    {
        return Err(
            Error::io(out_dir, "the output would overwrite the input").key("batch.output_is_source").hint(
                "write to another folder: -o output (the default), or move the drafts into a folder of their own",
            ),
        );
    }
    Ok(())
}

/// What changed since the previous manifest among the inputs every row shares, in words.
fn why_rebuilt(
    prev_program: Option<&str>,
    prev: Option<&Inputs>,
    program: &str,
    now: &Inputs,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(p) = prev_program
        && !p.is_empty()
        && p != program
    {
        notes.push(format!(
            "the program changed since the last run ({p} → {program}): its documents are rebuilt"
        ));
    }
    let Some(prev) = prev else { return notes };
    let changed = |what: &str,
                   a: &std::collections::BTreeMap<String, String>,
                   b: &std::collections::BTreeMap<String, String>| {
        b.iter()
            .filter(|(k, v)| a.get(*k).is_some_and(|old| old != *v))
            .map(|(k, _)| {
                format!(
                    "{what} {k} changed since the last run: the documents that use it are rebuilt"
                )
            })
            .collect::<Vec<_>>()
    };
    notes.extend(changed("the layout file", &prev.layouts, &now.layouts));
    notes.extend(changed("the template", &prev.templates, &now.templates));
    notes.extend(changed("the fonts of the layout", &prev.fonts, &now.fonts));
    notes
}
