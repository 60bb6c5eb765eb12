//! gongwen: Chinese official documents (公文) in the GB/T 9704-2012 format, as a print-ready PDF
//! with embedded fonts and an editable DOCX, from one model.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`plaintext`] (or [`data`] + [`template`], or [`wordin`] for a `.docx`, first): bytes → text (UTF-8 or GBK/GB18030) →
//!    [`model::Document`] (title, 主送, headings 一、/（一）/1./（1）, paragraphs, tables, 附件,
//!    署名, 日期, 版记 …; what the text says, no geometry);
//! 2. [`plan`]: `Document` + the layout file ([`spec`]: every number of the format) →
//!    [`plan::Plan`], every decision both outputs share (roles, indents, blank lines, keep rules,
//!    title breaks, 版头 geometry, column widths, fixed strings, where the 版记 goes), counted
//!    in grid cells, no fonts; a 版头 or 版记 that does not fit is refused here. Its pagination
//!    ([`plan::paginate`]) is generic over how text is measured;
//! 3. PDF: [`layout`]: `Plan` + fonts ([`fonts`]: office names → files) → [`page::Paged`]
//!    (pages of positioned glyph runs, paginated by the plan's routine with glyphs; [`linebreak`]
//!    for the 禁则), drawn by [`export::pdf`]
//!    (krilla: subset fonts with ToUnicode);
//! 4. DOCX: [`export::docx`]: `Plan` → WordprocessingML parts for Word and WPS to lay out (our
//!    own OOXML writer); it never sees `Paged`.
//!
//! [`render`] runs the whole pipeline for one input file.

pub mod batch;
pub mod check;
pub mod data;
pub mod error;
pub mod explain;
pub mod export;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod markup;
pub mod model;
pub mod page;
pub mod plaintext;
pub mod plan;
pub mod preview;
pub mod resources;
pub mod serve;
pub mod spec;
pub mod template;
pub mod wordin;

use std::path::{Path, PathBuf};

use error::{Error, Warning};
use fonts::{FontBook, FontOptions};
use spec::Layout;

/// What to produce and how.
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
    /// Also write a PNG per page at this resolution (dpi), `NAME-1.png` … ([`preview`]).
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

/// What a render produced.
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
/// data file through its template —
/// to PDF and DOCX in `opts.out_dir`, named after the input.
pub fn render(input: &Path, opts: &Options) -> Result<Rendered, Error> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into());
    // A Word draft rendered into its own folder would be overwritten by its DOCX: refuse before
    // any work.
    let docx_out = opts.out_dir.join(format!("{stem}.docx"));
    if opts.docx
        && let (Ok(source), Ok(out)) = (input.canonicalize(), docx_out.canonicalize())
        && source == out
    {
        return Err(Error::io(&docx_out, "the output would overwrite the input")
            .hint("write to another folder: -o output (the default), or rename the draft"));
    }
    let mut warnings = Vec::new();
    let text = read_input_warned(input, opts.max_input_mb, &mut warnings)?;
    let made = make(&text, input, data::is_data_file(input), opts, &mut warnings)?;
    let outputs = made.named(&opts.out_dir, &stem);
    write_all(&opts.out_dir, &outputs)?;
    Ok(Rendered {
        files: outputs.into_iter().map(|(p, _)| p).collect(),
        pages: made.pages,
        warnings,
    })
}

/// One input's text, already read (standard input, say), → its outputs' bytes, written nowhere.
/// `input` names it in messages; `is_data`: data for a template rather than a draft.
pub fn make(
    text: &str,
    input: &Path,
    is_data: bool,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<Made, Error> {
    let (doc, layout) = load_text(text, input, is_data, opts, warnings)?;
    let fonts = FontBook::load(&layout, &opts.fonts)?;
    warnings.extend(fonts.warnings().iter().cloned());
    // The document is planned, then freed: the plan is all the writers read, and a text of
    // short lines holds as much again in the document (a fifth of the peak, issue 19).
    let plan = plan::plan(&doc, &layout)?;
    drop(doc);
    produce_plan(&plan, &layout, &fonts, opts, warnings)
}

/// Read one input into its `Document` and the layout it asks for (the command line's, else the
/// data's, else `gbt9704`).
pub fn load(
    input: &Path,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<(model::Document, Layout), Error> {
    let text = read_input_warned(input, opts.max_input_mb, warnings)?;
    load_text(&text, input, data::is_data_file(input), opts, warnings)
}

/// As [`load`], for text already read (standard input).
pub fn load_text(
    text: &str,
    input: &Path,
    is_data: bool,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<(model::Document, Layout), Error> {
    let source = text_source(text.to_string(), input, is_data, opts)?;
    warnings.extend(source.warnings.iter().cloned());
    let doc = document_from_text(&source.text, &source.label, warnings)?;
    let layout_name = opts
        .layout
        .clone()
        .or(source.layout)
        .unwrap_or_else(|| spec::DEFAULT_LAYOUT.into());
    Ok((doc, Layout::load(&layout_name)?))
}

/// The text the plain-text reader reads for one input.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The lines: a draft's own text, a Word draft's paragraphs and table rows, or what a data
    /// file's template made of it.
    pub text: String,
    /// How messages name it (`data.yaml (through shuzhi.hbs)` for data).
    pub label: String,
    /// The layout a data file names.
    pub layout: Option<String>,
    /// What the input was: `text`, `docx` or `data`.
    pub kind: &'static str,
    /// What was noticed in the data before the template ran (control characters removed from
    /// its values).
    pub warnings: Vec<Warning>,
}

/// Read an input into the text the plain-text reader takes (a data file through its template).
pub fn source_text(input: &Path, opts: &Options) -> Result<SourceText, Error> {
    let mut noticed = Vec::new();
    let text = read_input_warned(input, opts.max_input_mb, &mut noticed)?;
    let mut source = text_source(text, input, data::is_data_file(input), opts)?;
    source.warnings.splice(0..0, noticed);
    Ok(source)
}

/// As [`source_text`], for text already read; `is_data`: it is YAML/JSON/TOML data for a
/// template.
pub fn text_source(
    text: String,
    input: &Path,
    is_data: bool,
    opts: &Options,
) -> Result<SourceText, Error> {
    if !is_data {
        let kind = if wordin::is_docx(input) {
            "docx"
        } else {
            "text"
        };
        return Ok(SourceText {
            text,
            label: input.display().to_string(),
            layout: None,
            kind,
            warnings: vec![],
        });
    }
    let mut data = data::parse(&text, input)?;
    let mut warnings = vec![];
    if let Some((clean, w)) = data::without_controls(&data) {
        data = clean;
        warnings = w;
    }
    let base = input.parent().filter(|p| !p.as_os_str().is_empty());
    let base = base.unwrap_or(Path::new("."));
    let path = match (opts.template.as_deref(), data.template()) {
        (Some(cli), _) => template::find(cli),
        (None, Some(named)) => template::named_by_data(named, base)?,
        (None, None) => {
            return Err(Error::io(input, "the data names no template").hint(
                "add `template: shuzhi` to the data, or pass --template NAME (see layouts/templates/)",
            ));
        }
    };
    // The data's layout (bundled or beside the data, as its template), else the one the
    // template's header names. The command line's --layout wins over both, so the data's is
    // not even looked at then.
    let data_layout = match (&opts.layout, data.layout()) {
        (None, Some(named)) => Some(data::layout_named_by_data(named, base)?),
        _ => None,
    };
    let template = template::Template::load(&path)?;
    let text = template.render_warned(&data, &mut warnings)?;
    let layout = data_layout.or_else(|| template.layout().map(str::to_string));
    Ok(SourceText {
        text,
        label: format!("{} (through {})", data.source, template.name()),
        layout,
        kind: "data",
        warnings,
    })
}

/// Data → `Document`: the data through its (already loaded) template, then the plain-text
/// reader; placeholders left in the text are warnings.
pub fn document_from_data(
    data: &data::Data,
    template: &template::Template,
    warnings: &mut Vec<Warning>,
) -> Result<model::Document, Error> {
    let cleaned = data::without_controls(data).map(|(clean, w)| {
        warnings.extend(w);
        clean
    });
    let data = cleaned.as_ref().unwrap_or(data);
    let text = template.render_warned(data, warnings)?;
    let source = format!("{} (through {})", data.source, template.name());
    let doc = plaintext::parse(&text, &source, warnings)?;
    placeholders(&doc, warnings);
    Ok(doc)
}

/// A draft's text (a `.txt`, or a `.docx` read by [`wordin`]) → `Document` through the
/// plain-text reader; placeholders left in the text are warnings.
pub fn document_from_text(
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Result<model::Document, Error> {
    let doc = plaintext::parse(text, source, warnings)?;
    placeholders(&doc, warnings);
    Ok(doc)
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
            out.push((dir.join(preview::png_name(stem, i + 1)), b.clone()));
        }
        out
    }
}

/// Lay a document out and write its PDF and/or DOCX bytes (fonts and layout loaded once by the
/// caller, so a batch shares them).
pub fn produce(
    doc: &model::Document,
    layout: &Layout,
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
    layout: &Layout,
    fonts: &FontBook,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<Made, Error> {
    if let Some(dpi) = opts.png {
        preview::check_dpi(dpi)?;
        let (w, h) = (layout.page_width(), layout.page_height());
        preview::check_pixels(&layout.source, w, h, dpi)?;
    }
    let paged = if opts.pdf || opts.png.is_some() || opts.keep_pages {
        Some(layout::layout(plan, layout, fonts, opts.strict, warnings)?)
    } else {
        None
    };
    let pdf = match &paged {
        Some(paged) if opts.pdf => Some(export::pdf::write(paged, fonts, opts.compress)?),
        _ => None,
    };
    let png = match (&paged, opts.png) {
        (Some(paged), Some(dpi)) => preview::pages(paged, fonts, dpi)?,
        _ => Vec::new(),
    };
    // The pages are drawn: free them before the DOCX is built (a long document's glyphs are
    // most of its memory).
    let pages = paged.as_ref().map_or(0, |p| p.pages.len());
    let paged = paged.filter(|_| opts.keep_pages);
    let docx = if opts.docx {
        let parts = if opts.embed_fonts {
            export::docx::embed::font_parts(&export::docx::faces_used(plan, layout, fonts))?
        } else {
            Vec::new()
        };
        Some(export::docx::write(plan, layout, &parts, opts.compress)?)
    } else {
        None
    };
    Ok(Made {
        pdf,
        docx,
        png,
        pages,
        paged,
    })
}

/// Warn about template placeholders left in the text (`XX`, `XXX`, `××`): the seed report shows
/// how often they survive into submitted documents.
fn placeholders(doc: &model::Document, warnings: &mut Vec<Warning>) {
    for block in &doc.blocks {
        let text = block.text();
        let found: Vec<&str> = ["XXX", "XX", "××", "ＸＸ"]
            .into_iter()
            .filter(|p| text.contains(p))
            .collect();
        if let Some(p) = found.first() {
            let n = text.matches(p).count();
            warnings.push(Warning::at(
                &doc.source,
                block.line(),
                format!("placeholder '{p}' left in the text ({n}×)"),
            ));
        }
    }
}

/// The largest input read unless `--max-input-mb` says otherwise, in MB.
pub const DEFAULT_MAX_INPUT_MB: u64 = 50;

/// Read and decode an input file of at most `max_mb` MB (a `.docx` through [`wordin`]: its
/// text, one paragraph or table row a line); a missing, empty, too large or non-file input is an
/// error.
pub fn read_input(input: &Path, max_mb: u64) -> Result<String, Error> {
    read_input_warned(input, max_mb, &mut Vec::new())
}

/// As [`read_input`], with what reading noticed (a Word draft's hidden text left out, say) added
/// to `warnings`.
pub fn read_input_warned(
    input: &Path,
    max_mb: u64,
    warnings: &mut Vec<Warning>,
) -> Result<String, Error> {
    let bytes = read_limited(input, max_mb)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            Error::io(input, "the file is empty").hint("the first non-empty line is the title")
        );
    }
    if wordin::is_docx(input) {
        let (text, noticed) = wordin::read(&bytes, input)?;
        warnings.extend(noticed);
        return Ok(text);
    }
    if let Some(kind) = binary_kind(&bytes) {
        return Err(
            Error::io(input, format!("is not a text file: it looks like {kind}")).hint(
                "render a plain-text report (.txt), a Word draft (.docx) or a data file (.yaml, .json, .toml)",
            ),
        );
    }
    plaintext::decode(&bytes, &input.display().to_string())
}

/// What a file that is not text looks like, from its first bytes: a known format's signature,
/// else many NUL bytes near the start (binary formats are full of them; text has none but for
/// UTF-16, which starts with its byte-order mark, and a stray one or two, which the reader drops
/// with a warning). Decoding such a file would only turn it into a page of mojibake.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (
            b"PK\x03\x04",
            "a zip archive (a .docx or .xlsx saved under another name?)",
        ),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.doc, .xls)"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(kind);
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    (!utf16 && nuls > 2 && nuls * 100 >= head.len()).then_some("a binary file (it holds NUL bytes)")
}

/// The bytes of a regular file of at most `max_mb` MB. A folder, a device (`/dev/zero`), a FIFO
/// or a socket is refused before reading (reading one may never end), and the read stops at the
/// limit even when the file grows meanwhile.
pub fn read_limited(input: &Path, max_mb: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => format!("cannot read ({e})"),
        };
        Error::io(input, why)
    };
    let meta = std::fs::metadata(input).map_err(cannot)?;
    if meta.is_dir() {
        return Err(Error::io(input, "is a directory, not a file")
            .hint("name a text file: gongwen render report.txt"));
    }
    if !meta.is_file() {
        return Err(
            Error::io(input, "is not a regular file (a device, pipe or socket)")
                .hint("save the text to a file and name that file"),
        );
    }
    let max = max_mb.saturating_mul(1 << 20);
    let too_big = || {
        Error::io(
            input,
            format!(
                "the file is {:.1} MB, more than the {max_mb} MB limit",
                meta.len() as f64 / (1 << 20) as f64
            ),
        )
        .hint(format!(
            "pass --max-input-mb {} to read it",
            (meta.len() >> 20) + 1
        ))
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(input)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The largest layout or template file read, in bytes (1 MiB). The bundled ones are under
/// 20 KB; a file much larger is not one (a log, a dump, a disk image named by mistake or by a
/// data file), and reading it whole would only cost memory before the parser refuses it.
pub const MAX_SOURCE_BYTES: u64 = 1 << 20;

/// The text of a layout or template file — a regular file of at most [`MAX_SOURCE_BYTES`].
/// A folder, a device (`/dev/zero`), a FIFO or a socket is refused before it is read, and the
/// file is opened without blocking and looked at again once open, so a FIFO put in its place
/// meanwhile cannot hang the program (issue 19). The errors read as `read_to_string`'s do, for
/// the callers' `cannot read layout file (…)`.
pub fn read_source(path: &Path) -> std::io::Result<String> {
    use std::io::{Error as IoError, ErrorKind, Read};
    let not_file = |meta: &std::fs::Metadata| {
        let why = if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is a device, pipe or socket, not a regular file"
        };
        IoError::new(ErrorKind::InvalidInput, why)
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_file(&meta));
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_file(&meta));
    }
    let too_big = |len: u64| {
        IoError::new(
            ErrorKind::InvalidInput,
            format!(
                "it is {:.1} MB, more than the {} MB a layout or template may be",
                len as f64 / (1 << 20) as f64,
                MAX_SOURCE_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map_err(|_| IoError::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
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
