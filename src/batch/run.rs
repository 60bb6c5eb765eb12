//! Running a batch: every row of a source through its template to PDF and DOCX, in parallel,
//! rebuilding only what changed (issue 4).
//!
//! Owns: the pipeline of a batch run — reading rows ([`source::for_each`]), choosing each row's
//! template and layout, its output name ([`Namer`]), deciding whether it must be rebuilt
//! ([`manifest`]), rendering on a rayon pool, writing with [`crate::write_all`], progress on the
//! terminal, and the manifest at the end. It renders through the library's stages
//! ([`crate::document_from_data`], [`crate::produce`]) and decides nothing about the documents.
//!
//! The flow, with memory flat however many rows there are:
//!
//! ```text
//! source::for_each ─(this thread: name, hash, skip?)─ bounded channel ─→ rayon workers
//!        (template, layout, PDF, DOCX, write) ─ channel ─→ collector (progress, journal, entries)
//! ```
//!
//! Rows are streamed: a CSV or JSON Lines file is never held whole, at most `2 × jobs` rows wait
//! for a worker, and a document's bytes live only until its files are written. The layout, the
//! fonts (parsed once, shared by every worker) and each distinct template are loaded once per
//! run. A row that fails — an error from the source, a missing field, a bad date, a character no
//! font has under `--strict` — is reported with its label and every other row is still made.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A progress line on standard error; a closed stderr (`2>&-`, a pipe that went away) does not
/// stop the batch (issue 9: it panicked).
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

use handlebars::{Handlebars, RenderErrorReason};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde_json::Value;

use super::manifest::{self, Counts, Entry, Inputs, Journal, Manifest, OutFile, Status};
use super::names::Namer;
use super::source::{self, Record, SourceOptions};
use crate::data::Data;
use crate::error::Error;
use crate::fonts::FontBook;
use crate::spec::Layout;
use crate::template::Template;

// The fonts are parsed once and shared by every worker.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<FontBook>();
    shared::<Layout>();
    shared::<Template>();
};

/// How progress is shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar when stderr is a terminal, plain lines otherwise.
    Auto,
    /// Plain lines (`made 3/20: 张三`), one per row up to 100 rows, else every 2 %.
    Lines,
    /// Nothing but errors and warnings.
    Quiet,
}

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
    /// Worker threads; `None`: one per core.
    pub jobs: Option<usize>,
    /// Progress display.
    pub progress: Progress,
    /// Set (by a Ctrl-C handler) to stop: rows in progress finish, the rest are left for the
    /// next run, and the manifest is written.
    pub cancel: Arc<AtomicBool>,
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
            jobs: None,
            progress: Progress::Auto,
            cancel: Arc::new(AtomicBool::new(false)),
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
        )
    }
}

/// Run a batch. `Err` when the run as a whole cannot go on (the source cannot be read, the
/// template or layout named on the command line does not load, the output folder cannot be
/// written); a bad row is only counted, reported and entered in the manifest.
pub fn run(opts: &BatchOptions) -> Result<Summary, Error> {
    let start = Instant::now();
    let out_dir = opts.render.out_dir.clone();
    // A first pass counts the rows (for the progress) and finds a source that is broken as a
    // whole before any document is made. Rows are not kept.
    let mut total = 0usize;
    source::for_each(&opts.source, &opts.source_options, |_| total += 1)?;

    let program = manifest::program_id();
    let mut caches = Caches::new(&program);
    // What the command line names must load: otherwise every row would fail the same way.
    if let Some(t) = &opts.render.template {
        caches.template(t)?;
    }
    if let Some(l) = &opts.render.layout {
        caches.layout(l, &opts.render.fonts)?;
    }
    let pattern = opts.name.as_deref().map(NamePattern::new).transpose()?;

    let reporter = Reporter::new(opts.progress, total);
    let prev = manifest::previous(&out_dir);
    if let Some(w) = &prev.warning {
        reporter.print(&format!("warning: {w}"));
    }
    let journal = Journal::open(&out_dir)?;
    // This run's rows, in source order, wait here for the manifest (one JSON line each).
    let spool = tempfile::tempfile_in(&out_dir)
        .map_err(|e| Error::io(&out_dir, format!("cannot write to the output folder ({e})")))?;
    // Names are only needed to keep a previous run's rows that an interrupted run did not reach.
    let keep_names = !prev.entries.is_empty();
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("gongwen-batch-{i}"))
        .build()
        .map_err(|e| Error::msg(format!("cannot start {jobs} worker threads ({e})")))?;
    let clock = Clock::default();
    let is_folder = opts.source.is_dir();

    let (job_tx, job_rx) = mpsc::sync_channel::<Box<Job>>(jobs * 2);
    let (out_tx, out_rx) = mpsc::channel::<Outcome>();
    let (collected, source_result) = std::thread::scope(|s| {
        let reporter = &reporter;
        let collector = s.spawn(move || collect(out_rx, journal, reporter, spool, keep_names));
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
        let result = source::for_each(&opts.source, &opts.source_options, |r| {
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
                    let _ = out_tx.send(Outcome { seq: this, entry });
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

    // The manifest: this run's rows in source order; after an interruption (or a source that
    // broke half-way) the rows not reached keep their previous entries, so nothing is forgotten.
    let Collected {
        counts,
        failed,
        pages,
        names,
        spool,
    } = collected?;
    let interrupted = opts.cancel.load(Ordering::Relaxed) || source_result.is_err();
    let mut kept: Vec<Entry> = Vec::new();
    if interrupted {
        kept = prev
            .entries
            .values()
            .filter(|e| !names.contains(e.name.as_deref().unwrap_or("")))
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
            reporter.print(&format!("note: {note}"));
        }
    }
    reporter.finish();
    let m = Manifest {
        program,
        source: opts.source.display().to_string(),
        complete: !interrupted,
        summary: counts,
        inputs,
        rows: Vec::new(),
    };
    let manifest = manifest::save_streamed(&out_dir, &m, spool, &kept)?;
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
    })
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

/// A loaded template and the hash of its text.
struct Tpl {
    template: Template,
    hash: String,
}

/// A loaded layout, the fonts that serve it, and their hashes.
struct Lay {
    layout: Layout,
    fonts: FontBook,
    /// Hash of the layout text, the fonts and the program.
    hash: String,
}

/// Templates and layouts by file, loaded on first use (a failure is kept too, so a row naming a
/// missing template fails at once, not after another attempt).
struct Caches {
    program: String,
    templates: HashMap<PathBuf, Result<Arc<Tpl>, Error>>,
    layouts: HashMap<PathBuf, Result<Arc<Lay>, Error>>,
    inputs: Inputs,
}

impl Caches {
    fn new(program: &str) -> Caches {
        Caches {
            program: program.to_string(),
            templates: HashMap::new(),
            layouts: HashMap::new(),
            inputs: Inputs::default(),
        }
    }

    fn template(&mut self, name: &str) -> Result<Arc<Tpl>, Error> {
        let path = crate::template::find(name);
        if let Some(t) = self.templates.get(&path) {
            return t.clone();
        }
        // The text is hashed before it is parsed: should the file change in between, the hash
        // is the older one and the next run rebuilds.
        let loaded = std::fs::read_to_string(&path)
            .map_err(|e| {
                Error::io(&path, format!("cannot read template ({e})"))
                    .hint("bundled templates are in layouts/templates/")
            })
            .and_then(|text| {
                let hash = manifest::hash_text(&text);
                let template = Template::load(&path)?;
                self.inputs
                    .templates
                    .insert(path.display().to_string(), hash.clone());
                Ok(Arc::new(Tpl { template, hash }))
            });
        self.templates.insert(path, loaded.clone());
        loaded
    }

    fn layout(&mut self, name: &str, fonts: &crate::fonts::FontOptions) -> Result<Arc<Lay>, Error> {
        // As `Layout::load` finds it: a name in layouts/, or a path.
        let path = if name.ends_with(".toml") || name.contains('/') {
            PathBuf::from(name)
        } else {
            crate::resources::layouts_dir().join(format!("{name}.toml"))
        };
        if let Some(l) = self.layouts.get(&path) {
            return l.clone();
        }
        let loaded = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(&path, format!("cannot read layout file ({e})")))
            .and_then(|text| {
                let layout = Layout::parse(&text, &path.display().to_string())?;
                let book = FontBook::load(&layout, fonts)?;
                let text_hash = manifest::hash_text(&text);
                let fonts_hash = fonts_hash(&book);
                let key = path.display().to_string();
                self.inputs.layouts.insert(key.clone(), text_hash.clone());
                self.inputs.fonts.insert(key, fonts_hash.clone());
                let mut h = manifest::Hasher::new();
                h.part(self.program.as_bytes())
                    .part(text_hash.as_bytes())
                    .part(fonts_hash.as_bytes());
                Ok(Arc::new(Lay {
                    layout,
                    fonts: book,
                    hash: h.finish(),
                }))
            });
        self.layouts.insert(path, loaded.clone());
        loaded
    }

    fn inputs(&self) -> Inputs {
        self.inputs.clone()
    }
}

/// The fonts of a book as the hashes see them: which file serves which face, and each file's
/// path, face index, size and modification time (a changed or replaced font file changes it;
/// reading the bytes again would cost more than the check is worth).
fn fonts_hash(book: &FontBook) -> String {
    let mut h = manifest::Hasher::new();
    for f in book.fonts() {
        h.part(f.path.to_string_lossy().as_bytes());
        h.part(&f.index.to_le_bytes());
        h.part(&(f.data.len() as u64).to_le_bytes());
        let modified = std::fs::metadata(&f.path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.part(&modified.to_le_bytes());
    }
    for (key, chain) in book.faces() {
        h.part(key.as_bytes()).part(chain.office.as_bytes());
        for id in &chain.fonts {
            h.part(&(*id as u64).to_le_bytes());
        }
    }
    h.finish()
}

/// The `--name` pattern: Handlebars in strict mode over the row's fields.
struct NamePattern {
    hb: Handlebars<'static>,
}

impl NamePattern {
    fn new(pattern: &str) -> Result<NamePattern, Error> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        hb.register_template_string("name", pattern).map_err(|e| {
            Error::msg(format!(
                "--name '{pattern}': invalid pattern ({})",
                e.reason()
            ))
            .hint("write field names in double braces: --name '{{单位}}-{{姓名}}'")
        })?;
        Ok(NamePattern { hb })
    }

    fn render(&self, data: &Value, label: &str) -> Result<String, Error> {
        self.hb.render("name", data).map_err(|e| {
            let why = match e.reason() {
                RenderErrorReason::MissingVariable(Some(field)) => {
                    format!("the name pattern uses '{field}', which the row does not have")
                }
                other => format!("the name pattern cannot be filled ({other})"),
            };
            Error::at(label, 0, 0, why).hint("name an existing column in --name")
        })
    }
}

/// The output name of a row without `--name`: `row-7` (`line-3`, `item-2`), or a folder file's
/// stem.
fn default_name(label: &str, is_folder: bool) -> String {
    if is_folder && let Some(stem) = Path::new(label).file_stem() {
        return stem.to_string_lossy().into_owned();
    }
    label.rsplit(':').next().unwrap_or(label).replace(' ', "-")
}

/// A row ready for a worker.
struct Job {
    seq: usize,
    row: usize,
    /// Where a sheet row's field names came from (its header row's label).
    header: Option<String>,
    label: String,
    data: Data,
    /// A draft's own text (a `.txt`/`.docx` in a folder): rendered without a template.
    text: Option<String>,
    name: String,
    hash: String,
    /// `None` for a draft.
    template: Option<Arc<Tpl>>,
    layout: Arc<Lay>,
    /// Messages from before the render (the name's warning).
    notes: Vec<String>,
    /// Files of the previous run with the same inputs that this run does not rewrite (a PDF
    /// kept when only the DOCX is asked for).
    keep: Vec<OutFile>,
}

/// A finished row, for the collector.
struct Outcome {
    seq: usize,
    entry: Entry,
}

enum Prepared {
    Build(Box<Job>),
    Done(Entry),
}

/// The sequential part of a row: template and layout, name, hash, and whether it is current.
struct Step<'a> {
    seq: usize,
    opts: &'a BatchOptions,
    caches: &'a mut Caches,
    namer: &'a mut Namer,
    pattern: Option<&'a NamePattern>,
    prev: &'a HashMap<String, Entry>,
    is_folder: bool,
}

/// The phrase of [`Namer`]'s warning, to tell it from a render's warnings.
const NAME_CLASH: &str = "would share a file name";

impl Step<'_> {
    fn prepare(self, r: Result<Record, Error>) -> Prepared {
        let record = match r {
            Ok(record) => record,
            Err(e) => {
                // A row the source could not read: its error names the row.
                let row = row_number(&e.location).unwrap_or(self.seq + 1);
                return Prepared::Done(failed(row, e.location.clone(), None, None, vec![], &e));
            }
        };
        let Record {
            row,
            label,
            fields,
            text,
            header,
        } = record;
        let data = Data {
            value: Value::Object(fields),
            source: label.clone(),
        };
        let render = &self.opts.render;
        let fail = |name: Option<String>, notes: Vec<String>, e: &Error| {
            Prepared::Done(failed(row, label.clone(), name, None, notes, e))
        };
        let mut template_name = render
            .template
            .clone()
            .or_else(|| data.template().map(str::to_string));
        if template_name.is_none() && text.is_none() {
            let e = Error::at(&label, 0, 0, "the row names no template")
                .hint("pass --template NAME (see layouts/templates/), or add a column 'template'");
            return fail(None, vec![], &e);
        }
        let layout_name = render
            .layout
            .clone()
            .or_else(|| data.layout().map(str::to_string))
            .unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.to_string());

        let raw_name = match self.pattern {
            Some(p) => match p.render(&data.value, &label) {
                Ok(n) => n,
                Err(e) => return fail(None, vec![], &e),
            },
            None => default_name(&label, self.is_folder),
        };
        let (name, clash) = self.namer.name(&raw_name);
        let notes: Vec<String> = clash
            .into_iter()
            .map(|w| format!("warning: {label}: {w}"))
            .collect();

        // A template the row names must be bundled or lie beside the source (issue 9: trust).
        if let (None, None, Some(named)) = (&render.template, &text, &template_name) {
            let source = &self.opts.source;
            let base = if source.is_dir() {
                source.as_path()
            } else {
                source
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
            };
            match crate::template::named_by_data(named, base) {
                Ok(path) => template_name = Some(path.display().to_string()),
                Err(mut e) => {
                    e.location = label.clone();
                    return fail(Some(name), notes, &e);
                }
            }
        }
        // A draft is its own text: no template, even when --template is given.
        let template = match (&text, template_name) {
            (Some(_), _) | (None, None) => None,
            (None, Some(t)) => match self.caches.template(&t) {
                Ok(t) => Some(t),
                Err(e) => return fail(Some(name), notes, &e),
            },
        };
        let layout = match self.caches.layout(&layout_name, &render.fonts) {
            Ok(l) => l,
            Err(e) => return fail(Some(name), notes, &e),
        };
        let data_json = serde_json::to_vec(&data.value).unwrap_or_default();
        let mut h = manifest::Hasher::new();
        h.part(layout.hash.as_bytes())
            .part(
                template
                    .as_ref()
                    .map_or(&b"draft"[..], |t| t.hash.as_bytes()),
            )
            // Every option that changes a file's bytes or whether it is made (issue 9: a strict
            // rerun said "unchanged"); which formats are wanted is checked file by file below.
            .part(&[u8::from(render.embed_fonts), u8::from(render.strict)])
            .part(&data_json);
        if let Some(text) = &text {
            h.part(text.as_bytes());
        }
        let hash = h.finish();

        let wanted = wanted_files(&name, render);
        let mut keep = Vec::new();
        if let Some(p) = self.prev.get(&name)
            && p.status != Status::Failed
            && p.hash.as_deref() == Some(hash.as_str())
        {
            let out_dir = &render.out_dir;
            let current: Vec<&OutFile> = p.files.iter().filter(|f| f.is_current(out_dir)).collect();
            let all_there = wanted.iter().all(|w| current.iter().any(|f| &f.file == w));
            if all_there && !self.opts.force {
                let mut messages = notes;
                messages.extend(
                    p.messages
                        .iter()
                        .filter(|m| !m.contains(NAME_CLASH))
                        .cloned(),
                );
                return Prepared::Done(Entry {
                    row,
                    label,
                    name: Some(name),
                    files: current.into_iter().cloned().collect(),
                    status: Status::Unchanged,
                    hash: Some(hash),
                    pages: p.pages,
                    messages,
                });
            }
            keep = current
                .into_iter()
                .filter(|f| !wanted.contains(&f.file))
                .cloned()
                .collect();
        }
        Prepared::Build(Box::new(Job {
            seq: self.seq,
            row,
            header,
            label,
            data,
            text,
            name,
            hash,
            template,
            layout,
            notes,
            keep,
        }))
    }
}

/// The file names a row gets.
fn wanted_files(name: &str, render: &crate::Options) -> Vec<String> {
    let mut v = Vec::new();
    if render.pdf {
        v.push(format!("{name}.pdf"));
    }
    if render.docx {
        v.push(format!("{name}.docx"));
    }
    v
}

/// The row number at the end of a source error's location (`a.xlsx:row 7`, `a.jsonl:line 3`).
fn row_number(location: &str) -> Option<usize> {
    let last = location.rsplit(':').next()?;
    let (kind, n) = last.split_once(' ')?;
    matches!(kind, "row" | "line" | "item")
        .then(|| n.parse().ok())
        .flatten()
}

/// The entry of a failed row.
fn failed(
    row: usize,
    label: String,
    name: Option<String>,
    hash: Option<String>,
    mut messages: Vec<String>,
    e: &Error,
) -> Entry {
    messages.push(format!("error: {}", error_text(&label, e)));
    Entry {
        row,
        label,
        name,
        files: vec![],
        status: Status::Failed,
        hash,
        pages: None,
        messages,
    }
}

/// `label: error`, without saying the label twice when the error already starts with it.
fn error_text(label: &str, e: &Error) -> String {
    let text = e.to_string();
    if e.location.starts_with(label) {
        text
    } else {
        format!("{label}: {text}")
    }
}

/// Stage times, added up by the workers.
#[derive(Default)]
struct Clock {
    template: AtomicU64,
    produce: AtomicU64,
    write: AtomicU64,
}

impl Clock {
    fn add(counter: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        counter.fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    fn stages(&self) -> Stages {
        let d = |a: &AtomicU64| Duration::from_nanos(a.load(Ordering::Relaxed));
        Stages {
            template: d(&self.template),
            produce: d(&self.produce),
            write: d(&self.write),
        }
    }
}

/// [`build`], with a panic (a bug) in one row's render made that row's failure instead of the
/// end of the whole run.
fn build_isolated(job: Box<Job>, render: &crate::Options, clock: &Clock) -> Outcome {
    let (seq, row, label, name, hash) = (
        job.seq,
        job.row,
        job.label.clone(),
        job.name.clone(),
        job.hash.clone(),
    );
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(job, render, clock)))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let e = Error::at(
                &label,
                0,
                0,
                format!("internal error while rendering ({what})"),
            )
            .hint("please report this row with the template; the other rows are not affected");
            Outcome {
                seq,
                entry: failed(row, label.clone(), Some(name), Some(hash), vec![], &e),
            }
        })
}

/// The parallel part of a row: render, lay out, write.
fn build(job: Box<Job>, render: &crate::Options, clock: &Clock) -> Outcome {
    let Job {
        seq,
        row,
        header,
        label,
        data,
        text,
        name,
        hash,
        template,
        layout,
        notes,
        keep,
    } = *job;
    let mut warnings = Vec::new();
    let t = Instant::now();
    let doc = match (&text, &template) {
        (Some(text), _) => crate::document_from_text(text, &label, &mut warnings),
        (None, Some(t)) => crate::document_from_data(&data, &t.template, &mut warnings)
            // A field the template wants and the sheet lacks may be a header row mistaken:
            // say which row the field names were read from (issue 10).
            .map_err(|e| match &header {
                Some(h) if e.message.contains("no field") => e.hint(format!(
                    "the columns were read from the header in {h}; if another row is the header, say which with --header-row N"
                )),
                _ => e,
            }),
        (None, None) => Err(Error::at(&label, 0, 0, "the row names no template")),
    };
    let result = doc.and_then(|doc| {
        let t = Clock::add(&clock.template, t);
        let made = crate::produce(&doc, &layout.layout, &layout.fonts, render, &mut warnings)?;
        let t = Clock::add(&clock.produce, t);
        // The bytes move into the writer: no copy of a document is made.
        let mut outputs = Vec::with_capacity(2);
        if let Some(b) = made.pdf {
            outputs.push((render.out_dir.join(format!("{name}.pdf")), b));
        }
        if let Some(b) = made.docx {
            outputs.push((render.out_dir.join(format!("{name}.docx")), b));
        }
        crate::write_all(&render.out_dir, &outputs)?;
        Clock::add(&clock.write, t);
        Ok(made.pages)
    });
    let mut messages = notes;
    messages.extend(warnings.iter().map(|w| format!("warning: {w}")));
    let entry = match result {
        Ok(pages) => {
            let mut files: Vec<OutFile> = wanted_files(&name, render)
                .iter()
                .filter_map(|f| OutFile::stat(&render.out_dir, f))
                .collect();
            files.extend(keep);
            Entry {
                row,
                label,
                name: Some(name),
                files,
                status: Status::Made,
                hash: Some(hash),
                pages: Some(pages),
                messages,
            }
        }
        Err(e) => failed(row, label, Some(name), Some(hash), messages, &e),
    };
    Outcome { seq, entry }
}

/// What the collector gathered: the counts, the failures, and the rows for the manifest.
struct Collected {
    counts: Counts,
    failed: Vec<(String, String)>,
    pages: usize,
    /// Output names of this run's rows (only when a previous run left entries).
    names: HashSet<String>,
    /// The rows as JSON lines, in source order.
    spool: std::fs::File,
}

/// Receive finished rows: progress, messages, journal, counts; each row's entry goes to the
/// spool in source order as soon as the rows before it are in, so only the few rows finished
/// out of order are held (memory flat in rows, issue 11).
fn collect(
    rx: mpsc::Receiver<Outcome>,
    mut journal: Journal,
    reporter: &Reporter,
    spool: std::fs::File,
    keep_names: bool,
) -> Result<Collected, Error> {
    use std::io::Write;
    let mut c = Collected {
        counts: Counts::default(),
        failed: Vec::new(),
        pages: 0,
        names: HashSet::new(),
        spool,
    };
    let mut out = std::io::BufWriter::new(&c.spool);
    let mut waiting: std::collections::BTreeMap<usize, Entry> = Default::default();
    let mut next = 0;
    let mut write = |e: Entry| -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&e).map_err(std::io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)
    };
    let mut result = Ok(());
    for o in rx {
        let e = &o.entry;
        if e.status == Status::Made {
            // Only after the files are in place: a killed run's journal names complete files.
            journal.append(e);
        }
        reporter.row(e);
        match e.status {
            Status::Made => {
                c.counts.made += 1;
                c.pages += e.pages.unwrap_or(0);
            }
            Status::Unchanged => c.counts.unchanged += 1,
            Status::Failed => {
                c.counts.failed += 1;
                let msg = e
                    .messages
                    .iter()
                    .find_map(|m| m.strip_prefix("error: "))
                    .unwrap_or("failed");
                c.failed.push((e.label.clone(), msg.to_string()));
            }
        }
        if keep_names && let Some(n) = &e.name {
            c.names.insert(n.clone());
        }
        waiting.insert(o.seq, o.entry);
        while let Some(e) = waiting.remove(&next) {
            next += 1;
            if result.is_ok() {
                result = write(e);
            }
        }
    }
    // Rows skipped after Ctrl-C leave gaps in the sequence: the rest, in order.
    for (_, e) in waiting {
        if result.is_ok() {
            result = write(e);
        }
    }
    let flushed = out.flush();
    drop(out);
    result
        .and(flushed)
        .map_err(|e| Error::msg(format!("cannot write the manifest's rows ({e})")))?;
    Ok(c)
}

/// Most warnings printed; the rest are in the manifest.
const SHOWN_WARNINGS: usize = 20;

/// Progress and messages on stderr.
struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    total: usize,
    done: AtomicUsize,
    counts: Mutex<Counts>,
    warnings: AtomicUsize,
}

impl Reporter {
    fn new(mode: Progress, total: usize) -> Reporter {
        let tty = std::io::stderr().is_terminal();
        let bar = (mode == Progress::Auto && tty).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:30.cyan/blue} {pos}/{len} [{elapsed_precise} < {eta}] {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("██░"));
            }
            bar
        });
        Reporter {
            lines: bar.is_none() && mode != Progress::Quiet,
            bar,
            total,
            done: AtomicUsize::new(0),
            counts: Mutex::new(Counts::default()),
            warnings: AtomicUsize::new(0),
        }
    }

    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => note!("{line}"),
        }
    }

    fn row(&self, e: &Entry) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let counts = {
            let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            match e.status {
                Status::Made => c.made += 1,
                Status::Unchanged => c.unchanged += 1,
                Status::Failed => c.failed += 1,
            }
            *c
        };
        for m in &e.messages {
            // Errors always; warnings of rows made now, up to SHOWN_WARNINGS.
            let shown = m.starts_with("error: ")
                || (e.status != Status::Unchanged
                    && self.warnings.fetch_add(1, Ordering::Relaxed) < SHOWN_WARNINGS);
            if shown {
                self.print(m);
            }
        }
        let name = e.name.as_deref().unwrap_or(&e.label);
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} made, {} unchanged, {} failed · {name}",
                counts.made, counts.unchanged, counts.failed
            ));
            bar.inc(1);
        } else if self.lines {
            let total = self.total.max(done);
            if total <= 100 {
                match e.status {
                    Status::Made => note!(
                        "made {done}/{total}: {name} ({} pages)",
                        e.pages.unwrap_or(0)
                    ),
                    Status::Unchanged => note!("unchanged {done}/{total}: {name}"),
                    Status::Failed => note!("failed {done}/{total}: {}", e.label),
                }
            } else if done * 50 / total != (done - 1) * 50 / total || done == total {
                note!(
                    "made {}/{total} ({} unchanged, {} failed, {done} done)",
                    counts.made,
                    counts.unchanged,
                    counts.failed
                );
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let w = self.warnings.load(Ordering::Relaxed);
        if w > SHOWN_WARNINGS {
            note!(
                "… and {} more warnings (see {} in the output folder)",
                w - SHOWN_WARNINGS,
                manifest::FILE
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_from_labels() {
        assert_eq!(default_name("a.xlsx:row 7", false), "row-7");
        assert_eq!(default_name("a.xlsx:名单:row 12", false), "row-12");
        assert_eq!(default_name("u.jsonl:line 3", false), "line-3");
        assert_eq!(default_name("reports/张三.yaml", true), "张三");
    }

    #[test]
    fn row_numbers_from_error_locations() {
        assert_eq!(row_number("a.xlsx:row 7"), Some(7));
        assert_eq!(row_number("u.jsonl:line 3"), Some(3));
        assert_eq!(row_number("reports/a.yaml:3:5"), None);
    }

    #[test]
    fn name_pattern_is_strict() {
        let p = NamePattern::new("{{单位}}-{{姓名}}").unwrap();
        let v = serde_json::json!({"单位": "柳河镇", "姓名": "张明"});
        assert_eq!(p.render(&v, "a.csv:row 2").unwrap(), "柳河镇-张明");
        let e = p
            .render(&serde_json::json!({"单位": "柳河镇"}), "a.csv:row 3")
            .unwrap_err();
        assert_eq!(e.location, "a.csv:row 3");
        assert!(e.message.contains("'姓名'"), "{e}");
        assert!(NamePattern::new("{{#if}}").is_err());
    }
}
