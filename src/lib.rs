//! gongwen: Chinese official documents (公文) in the GB/T 9704-2012 format, as a print-ready PDF
//! with embedded fonts and an editable DOCX, from one model.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`read`]: bytes → text ([`read::encoding`]: UTF-8 or GBK/GB18030; a `.docx` through
//!    [`read::docx`], data through [`read::data`] + [`read::template`]) → [`read::text`] →
//!    [`model::Document`] (title, 主送, headings 一、/（一）/1./（1）, paragraphs, tables, 附件,
//!    署名, 日期, 版记 …; what the text says, no geometry);
//! 2. [`plan`]: `Document` + the layout file ([`spec`]: every number of the format) →
//!    [`plan::Plan`], every decision both outputs share (roles, indents, blank lines, keep rules,
//!    title breaks, 版头 geometry, column widths, fixed strings, where the 版记 goes), counted
//!    in grid cells, no fonts; a 版头 or 版记 that does not fit is refused here. Its pagination
//!    ([`plan::paginate`]) is generic over how text is measured;
//! 3. PDF: [`layout`]: `Plan` + fonts ([`fonts`]: office names → files) → [`page::Paged`]
//!    (pages of positioned glyph runs, paginated by the plan's routine with glyphs; [`linebreak`]
//!    for the 禁则), drawn by [`export::pdf`] (krilla: subset fonts with ToUnicode) and, for a
//!    preview, by [`export::preview`] (a PNG per page);
//! 4. DOCX: [`export::docx`]: `Plan` → WordprocessingML parts for Word and WPS to lay out (our
//!    own OOXML writer); it never sees `Paged`.
//!
//! The [`Engine`] ([`engine`]) owns what every render shares — fonts, layouts, templates — and
//! runs the whole pipeline for one input ([`Engine::render`]); `render`, `preview`, `batch` and
//! `serve` all go through one.

#![deny(missing_docs)]

#[cfg(feature = "batch")]
pub mod batch;
pub mod check;
pub mod engine;
pub mod error;
pub mod explain;
pub mod export;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod model;
pub mod names;
pub mod page;
pub mod plan;
pub mod read;
pub mod resources;
#[cfg(feature = "serve")]
pub mod serve;
pub mod spec;

use std::path::{Path, PathBuf};

// The reader layer's names where they were before it was one module (issue 20), so callers
// elsewhere keep compiling; new code names them under `read::`.
pub use read::docx as wordin;
pub use read::text as plaintext;
pub use read::{
    DEFAULT_MAX_INPUT_MB, MAX_SOURCE_BYTES, SourceText, data, document_from_data,
    document_from_text, load, load_text, markup, read_input, read_input_warned, read_limited,
    read_source, source_text, template, text_source,
};

pub use engine::{DocxOptions, Engine, Outputs, PdfOptions, PngOptions, Reading};
use error::{Error, Warning};
use fonts::{FontBook, FontOptions};
use spec::LayoutSpec;

/// The command line's flags in one bundle: what to read ([`Options::reading`]), what to write
/// ([`Options::outputs`]), where fonts are and where files go. The readers and a batch still
/// take it; the [`Engine`] takes its parts.
#[derive(Debug, Clone)]
pub struct Options {
    /// Layout name (`gbt9704`) or path; `None`: the one the data names, else `gbt9704`.
    pub layout: Option<String>,
    /// Template name (`shuzhi`) or path for data files; `None`: the one the data names.
    pub template: Option<String>,
    /// Where fonts are looked for.
    pub fonts: FontOptions,
    /// A character no font has is an error instead of a warning.
    pub strict: bool,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Write the PDF.
    pub pdf: bool,
    /// Write the DOCX.
    pub docx: bool,
    /// Embed the subset fonts in the DOCX (ECMA-376 Part 1, 17.8.1).
    pub embed_fonts: bool,
    /// Also write a PNG per page at this resolution (dpi), `NAME-1.png` … ([`export::preview`]).
    pub png: Option<f32>,
    /// The largest input file read, MB (`--max-input-mb`).
    pub max_input_mb: u64,
    /// Hand the laid-out pages back in [`Made::paged`] (a batch's `--merge` draws them again);
    /// otherwise they are freed as soon as they are drawn.
    pub keep_pages: bool,
    /// How hard the PDF and the DOCX are deflated (`--compress`; issue 11).
    pub compress: export::pdf::Compress,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            layout: None,
            template: None,
            fonts: FontOptions {
                dirs: vec![],
                system: true,
            },
            strict: false,
            out_dir: PathBuf::from("output"),
            pdf: true,
            docx: true,
            embed_fonts: false,
            png: None,
            max_input_mb: DEFAULT_MAX_INPUT_MB,
            keep_pages: false,
            compress: export::pdf::Compress::default(),
        }
    }
}

impl Options {
    /// What to read: layout, template, input size.
    pub fn reading(&self) -> Reading {
        Reading {
            layout: self.layout.clone(),
            template: self.template.clone(),
            max_input_mb: self.max_input_mb,
        }
    }

    /// What to write, each format with its options.
    pub fn outputs(&self) -> Outputs {
        Outputs {
            pdf: self.pdf.then_some(PdfOptions {
                compress: self.compress,
            }),
            docx: self.docx.then_some(DocxOptions {
                embed_fonts: self.embed_fonts,
                compress: self.compress,
            }),
            png: self.png.map(|dpi| PngOptions { dpi }),
            strict: self.strict,
            keep_pages: self.keep_pages,
        }
    }
}

/// What [`render`] produced.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Pages in the PDF layout.
    pub pages: usize,
    /// Everything worth telling the user.
    pub warnings: Vec<Warning>,
}

/// Render one input — a plain-text report, a Word draft (`.docx`, its text), or a YAML/JSON/TOML
/// data file through its template — to PDF and DOCX in `opts.out_dir`, named after the input,
/// with an engine of its own ([`Engine::render`]; a caller that renders more shares one).
pub fn render(input: &Path, opts: &Options) -> Result<Rendered, Error> {
    let engine = Engine::new(opts.fonts.clone());
    let written = engine.render(input, &opts.reading(), &opts.outputs(), &opts.out_dir)?;
    Ok(Rendered {
        files: written.value.files,
        pages: written.value.pages,
        warnings: written.warnings,
    })
}

/// The bytes of one document's outputs.
#[derive(Debug, Clone)]
pub struct Made {
    /// The PDF, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// The DOCX, if asked for.
    pub docx: Option<Vec<u8>>,
    /// A PNG per page, if asked for.
    pub png: Vec<Vec<u8>>,
    /// Pages in the PDF layout.
    pub pages: usize,
    /// The laid-out pages the PDF was drawn from (a batch's `--merge` draws them again).
    pub paged: Option<page::Paged>,
}

impl Made {
    /// (path, bytes) for each output, named `stem.pdf` / `stem.docx` / `stem-N.png` in `dir`.
    pub fn named(&self, dir: &Path, stem: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        if let Some(b) = &self.pdf {
            out.push((dir.join(format!("{stem}.pdf")), b.clone()));
        }
        if let Some(b) = &self.docx {
            out.push((dir.join(format!("{stem}.docx")), b.clone()));
        }
        for (i, b) in self.png.iter().enumerate() {
            out.push((dir.join(export::preview::png_name(stem, i + 1)), b.clone()));
        }
        out
    }
}

/// Lay a document out and write its PDF and/or DOCX bytes with fonts the caller loaded (a
/// batch's workers share them; [`Engine::produce`] takes its engine's).
pub fn produce(
    doc: &model::Document,
    layout: &LayoutSpec,
    fonts: &FontBook,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<Made, Error> {
    // One plan for both writers; only the PDF needs the fonts and the page layout.
    produce_plan(&plan::plan(doc, layout)?, layout, fonts, opts, warnings)
}

/// As [`produce`], for a document already planned.
pub fn produce_plan(
    plan: &plan::Plan,
    layout: &LayoutSpec,
    fonts: &FontBook,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<Made, Error> {
    Ok(engine::write_plan(plan, layout, fonts, &opts.outputs())?.take(warnings))
}

/// Remove our temporary files (`.gongwen-*`) older than an hour from the output folder: what a
/// run killed by a signal left behind (a live run's are seconds old).
fn remove_stale_temporaries(dir: &Path) {
    // Once per folder per process: a batch writes through here for every row, and scanning a
    // folder of 100,000 documents each time made a batch quadratic in rows.
    static SWEPT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    {
        let mut swept = SWEPT.lock().unwrap_or_else(|p| p.into_inner());
        if swept.iter().any(|d| d == dir) {
            return;
        }
        swept.push(dir.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > hour);
        if old && e.file_name().to_string_lossy().starts_with(".gongwen-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The temporary files of [`write_all`] being written now: what an interrupt must remove before
/// the program ends (it ends by `process::exit`, which runs no destructor, so a `NamedTempFile`
/// would stay). A file is created and registered, and renamed and unregistered, under the lock,
/// so [`remove_temporaries`] sees every one that exists and none that was already renamed.
static LIVE_TEMPORARIES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn live_temporaries() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE_TEMPORARIES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Remove the temporary files being written now, and hold the lock: no other is created or
/// renamed after this, so the caller (an interrupt handler about to end the program) leaves
/// none behind and no half-written document. The returned guard is meant to live until the
/// process ends.
pub fn remove_temporaries() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let mut live = live_temporaries();
    for path in live.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    live
}

/// Write every output atomically (public: a batch writes through it too): each goes to a temporary file in the output folder and is
/// renamed only when all are complete, so a failure or Ctrl-C leaves no half-written file, and
/// an interrupt removes the temporary files ([`remove_temporaries`]).
pub fn write_all(dir: &Path, outputs: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(dir, format!("cannot create the output folder ({e})")))?;
    remove_stale_temporaries(dir);
    // Unregisters the temporary files on every way out (an error drops and deletes them).
    struct Registered(Vec<PathBuf>);
    impl Drop for Registered {
        fn drop(&mut self) {
            live_temporaries().retain(|p| !self.0.contains(p));
        }
    }
    let mut registered = Registered(Vec::new());
    let mut temps = Vec::new();
    for (path, bytes) in outputs {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".gongwen-");
        // Temporary files are private (0600); the documents are ordinary files, so they are
        // made 0644 (less the umask) when created, not changed after.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = {
            let mut live = live_temporaries();
            let tmp = builder
                .tempfile_in(dir)
                .map_err(|e| Error::io(dir, format!("cannot write to the output folder ({e})")))?;
            live.push(tmp.path().to_path_buf());
            registered.0.push(tmp.path().to_path_buf());
            tmp
        };
        std::io::Write::write_all(&mut tmp, bytes)
            .map_err(|e| Error::io(path, format!("cannot write ({e})")))?;
        temps.push((tmp, path));
    }
    for (tmp, path) in temps {
        let mut live = live_temporaries();
        let temp_path = tmp.path().to_path_buf();
        tmp.persist(path)
            .map_err(|e| Error::io(path, format!("cannot write ({})", e.error)))?;
        live.retain(|p| *p != temp_path);
    }
    drop(registered);
    Ok(())
}
