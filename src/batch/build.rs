//! The parallel part of a batch row — render, lay out, write — with a panic made that row's
//! failure; and the collector that takes finished rows in (journal, the caller's [`Progress`],
//! the merged PDF, the manifest's rows spooled in order). Nothing here prints: the caller's
//! `Progress` shows what it wants (`gongwen batch`: a bar or lines on stderr).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::manifest::{Counts, Entry, Journal, OutFile, Status};
use super::merge::{Merged, Merger};
use super::prepare::{Job, Outcome, failed, wanted_files};
use super::prune::Seen;
use super::run::{Progress, Stages};
use crate::error::Error;

/// Stage times, added up by the workers.
#[derive(Default)]
pub(super) struct Clock {
    pub(super) template: AtomicU64,
    pub(super) produce: AtomicU64,
    pub(super) write: AtomicU64,
}

impl Clock {
    pub(super) fn add(counter: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        counter.fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    pub(super) fn stages(&self) -> Stages {
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
pub(super) fn build_isolated(job: Box<Job>, render: &crate::Options, clock: &Clock) -> Outcome {
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
            .key("batch.internal")
            .arg("panic", &what)
            .hint("please report this row with the template; the other rows are not affected");
            Outcome {
                seq,
                entry: failed(row, label.clone(), Some(name), Some(hash), vec![], &e),
                paged: None,
            }
        })
}

/// The parallel part of a row: render, lay out, write.
pub(super) fn build(job: Box<Job>, render: &crate::Options, clock: &Clock) -> Outcome {
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
        merge,
        unchanged,
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
        (None, None) => Err(Error::at(&label, 0, 0, "the row names no template").key("batch.no_template")),
    };
    // Typed dates and numbers written as the standard writes them, as `render` writes them,
    // unless the layout keeps the text as typed (read::habits).
    let doc = doc.map(|mut doc| {
        crate::read::habits::apply(&mut doc, layout.layout.text.as_typed, &mut warnings);
        doc
    });
    if let Some(entry) = unchanged {
        // Files current: only the pages, for the merged PDF (a failure leaves it out, and the
        // merger says so).
        let paged = doc.ok().and_then(|doc| {
            let plan = crate::plan::plan(&doc, &layout.layout).ok()?;
            let mut w = Vec::new();
            let paged =
                crate::layout::layout(&plan, &layout.layout, &layout.fonts, render.strict, &mut w);
            paged.ok()
        });
        return Outcome {
            seq,
            entry,
            paged: paged.map(|p| (p, layout)),
        };
    }
    let mut kept_pages = None;
    let result = doc.and_then(|doc| {
        let t = Clock::add(&clock.template, t);
        // The merged PDF needs the pages even when only the DOCX is written.
        let mut opts = render.clone();
        opts.pdf |= merge;
        opts.keep_pages = merge;
        let mut made = crate::produce(&doc, &layout.layout, &layout.fonts, &opts, &mut warnings)?;
        if !render.pdf {
            made.pdf = None;
        }
        if merge {
            kept_pages = made.paged.take();
        }
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
    Outcome {
        seq,
        entry,
        paged: kept_pages.map(|p| (p, layout)),
    }
}

/// What the collector gathered: the counts, the failures, what the stale list needs, the
/// rows for the manifest, and the merged PDF's pages.
pub(super) struct Collected {
    pub(super) counts: Counts,
    pub(super) failed: Vec<(String, String)>,
    pub(super) pages: usize,
    /// This run's names and files (for the stale list and an interrupted run's manifest).
    pub(super) seen: Seen,
    /// The rows as JSON lines, in source order.
    pub(super) spool: std::fs::File,
    pub(super) merged: Option<Merged>,
}

/// Where the collector puts what it receives.
pub(super) struct Sink<'a> {
    pub(super) journal: Journal,
    /// The caller's, told of each row as it is taken in.
    pub(super) progress: &'a dyn Progress,
    pub(super) merge: Option<std::path::PathBuf>,
    /// The rows for the manifest wait here, one JSON line each.
    pub(super) spool: std::fs::File,
    /// The previous run's entries (a failed row keeps the files they list under its name).
    pub(super) prev: &'a HashMap<String, Entry>,
    pub(super) render: &'a crate::Options,
    pub(super) seen: Seen,
}

/// Receive finished rows: progress, messages, journal, counts, the merged PDF's pages (in row
/// order). Each row's entry goes to the spool in source order as soon as the rows before it
/// are in, so only the few rows finished out of order are held (memory flat in rows, issue 11).
pub(super) fn collect(rx: mpsc::Receiver<Outcome>, sink: Sink<'_>) -> Result<Collected, Error> {
    let Sink {
        mut journal,
        progress,
        merge,
        spool,
        prev,
        render,
        seen,
    } = sink;
    let mut merger = merge.map(|path| Merger::new(path, render.compress));
    let mut c = Collected {
        counts: Counts::default(),
        failed: Vec::new(),
        pages: 0,
        seen,
        spool,
        merged: None,
    };
    let mut out = std::io::BufWriter::new(&c.spool);
    let mut waiting: BTreeMap<usize, Entry> = BTreeMap::new();
    let mut next = 0;
    let mut write = |e: Entry| -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&e).map_err(std::io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)
    };
    let mut result = Ok(());
    for o in rx {
        let mut entry = o.entry;
        if entry.status == Status::Made {
            // Only after the files are in place: a killed run's journal names complete files.
            journal.append(&entry);
        }
        progress.row_done(&entry);
        // A row that failed keeps the files an earlier run made under its name: they are still
        // there, and --prune must find them should the row leave the sheet.
        if entry.status == Status::Failed
            && entry.files.is_empty()
            && let Some(p) = entry.name.as_ref().and_then(|n| prev.get(n))
        {
            entry.files = p
                .files
                .iter()
                .filter(|f| f.is_current(&render.out_dir))
                .cloned()
                .collect();
        }
        match entry.status {
            Status::Made => {
                c.counts.made += 1;
                c.pages += entry.pages.unwrap_or(0);
            }
            Status::Unchanged => c.counts.unchanged += 1,
            Status::Failed => {
                c.counts.failed += 1;
                let msg = entry
                    .messages
                    .iter()
                    .find_map(|m| m.strip_prefix("error: "))
                    .unwrap_or("failed");
                c.failed.push((entry.label.clone(), msg.to_string()));
            }
        }
        c.seen.add(&entry, render);
        if let Some(m) = merger.as_mut() {
            m.add(o.seq, &entry, o.paged);
        }
        waiting.insert(o.seq, entry);
        while let Some(e) = waiting.remove(&next) {
            next += 1;
            if result.is_ok() {
                result = write(e);
            }
        }
    }
    // Rows skipped after Ctrl-C leave gaps in the sequence: the rest, in order.
    for (_, e) in std::mem::take(&mut waiting) {
        if result.is_ok() {
            result = write(e);
        }
    }
    drop(write);
    let flushed = out.flush();
    drop(out);
    result.and(flushed).map_err(|e| {
        Error::msg(format!("cannot write the manifest's rows ({e})"))
            .key("batch.manifest_write")
            .arg("reason", e)
    })?;
    c.merged = merger.map(Merger::finish);
    Ok(c)
}
