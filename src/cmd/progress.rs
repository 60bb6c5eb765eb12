//! `gongwen batch`'s progress on stderr: a bar when stderr is a terminal, else a line a row up to
//! 100 rows and one every 2 % past that; each row's errors always, the first
//! [`SHOWN_WARNINGS`] warnings, the run's notes. The library reports the run through
//! [`gongwen::batch::Progress`] and prints nothing; this is the terminal's side of it.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use gongwen::batch::manifest::{Counts, Entry, Status};

use super::tell;

/// Most warnings printed; the rest are in the manifest.
pub const SHOWN_WARNINGS: usize = 20;

/// Progress and messages on stderr.
pub struct Terminal {
    /// `--quiet` / `--json`: nothing but errors and the run's notes.
    quiet: bool,
    /// Made when the run starts (it knows the rows then): `None` when stderr is no terminal.
    bar: OnceLock<Option<indicatif::ProgressBar>>,
    total: AtomicUsize,
    done: AtomicUsize,
    counts: Mutex<Counts>,
    warnings: AtomicUsize,
}

impl Terminal {
    pub fn new(quiet: bool) -> Terminal {
        Terminal {
            quiet,
            bar: OnceLock::new(),
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            counts: Mutex::new(Counts::default()),
            warnings: AtomicUsize::new(0),
        }
    }

    fn bar(&self) -> Option<&indicatif::ProgressBar> {
        self.bar.get().and_then(Option::as_ref)
    }

    /// A line per row (no bar, not quiet).
    fn lines(&self) -> bool {
        self.bar().is_none() && !self.quiet
    }

    /// A line on stderr, above the bar when there is one (a closed stderr does not stop the
    /// batch: issue 9, it panicked).
    fn print(&self, line: &str) {
        match self.bar() {
            Some(bar) => bar.println(line),
            None => tell(format_args!("{line}")),
        }
    }
}

impl gongwen::batch::Progress for Terminal {
    fn started(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        let tty = std::io::stderr().is_terminal();
        let bar = (!self.quiet && tty).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:30.cyan/blue} {pos}/{len} [{elapsed_precise} < {eta}] {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("██░"));
            }
            bar
        });
        let _ = self.bar.set(bar);
    }

    fn row_done(&self, e: &Entry) {
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
            // Errors always; warnings of rows made now, up to SHOWN_WARNINGS (none when quiet).
            let shown = m.starts_with("error: ")
                || (!self.quiet
                    && e.status != Status::Unchanged
                    && self.warnings.fetch_add(1, Ordering::Relaxed) < SHOWN_WARNINGS);
            if shown {
                self.print(m);
            }
        }
        let name = e.name.as_deref().unwrap_or(&e.label);
        if let Some(bar) = self.bar() {
            bar.set_message(format!(
                "{} made, {} unchanged, {} failed · {name}",
                counts.made, counts.unchanged, counts.failed
            ));
            bar.inc(1);
        } else if self.lines() {
            let total = self.total.load(Ordering::Relaxed).max(done);
            if total <= 100 {
                match e.status {
                    Status::Made => tell(format_args!(
                        "made {done}/{total}: {name} ({} pages)",
                        e.pages.unwrap_or(0)
                    )),
                    Status::Unchanged => tell(format_args!("unchanged {done}/{total}: {name}")),
                    Status::Failed => tell(format_args!("failed {done}/{total}: {}", e.label)),
                }
            } else if done * 50 / total != (done - 1) * 50 / total || done == total {
                tell(format_args!(
                    "made {}/{total} ({} unchanged, {} failed, {done} done)",
                    counts.made, counts.unchanged, counts.failed
                ));
            }
        }
    }

    fn message(&self, line: &str) {
        self.print(line);
    }

    fn finished(&self, manifest: &Path) {
        if let Some(bar) = self.bar() {
            bar.finish_and_clear();
        }
        let w = self.warnings.load(Ordering::Relaxed);
        if w > SHOWN_WARNINGS {
            tell(format_args!(
                "… and {} more warnings (see {})",
                w - SHOWN_WARNINGS,
                manifest.display()
            ));
        }
    }
}
