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
//!    title breaks, 版头 geometry, column widths, fixed strings), counted in grid cells, no fonts;
//! 3. PDF: [`layout`]: `Plan` + fonts ([`fonts`]: office names → files) → [`page::Paged`]
//!    (pages of positioned glyph runs; [`linebreak`] for the 禁则), drawn by [`export::pdf`]
//!    (krilla: subset fonts with ToUnicode);
//! 4. DOCX: [`export::docx`]: `Plan` → WordprocessingML parts for Word and WPS to lay out (our
//!    own OOXML writer); it never sees `Paged`.
//!
//! [`render`] runs the whole pipeline for one input file.

pub mod batch;
pub mod data;
pub mod error;
pub mod export;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod markup;
pub mod model;
pub mod page;
pub mod plaintext;
pub mod plan;
pub mod resources;
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
    let (doc, layout) = load(input, opts, &mut warnings)?;
    let fonts = FontBook::load(&layout, &opts.fonts)?;
    let made = produce(&doc, &layout, &fonts, opts, &mut warnings)?;
    let outputs = made.named(&opts.out_dir, &stem);
    write_all(&opts.out_dir, &outputs)?;
    Ok(Rendered {
        files: outputs.into_iter().map(|(p, _)| p).collect(),
        pages: made.pages,
        warnings,
    })
}

/// Read one input into its `Document` and the layout it asks for (the command line's, else the
/// data's, else `gbt9704`).
pub fn load(
    input: &Path,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<(model::Document, Layout), Error> {
    let text = read_input(input)?;
    let (doc, data_layout) = if data::is_data_file(input) {
        let data = data::parse(&text, input)?;
        let path = match (opts.template.as_deref(), data.template()) {
            (Some(cli), _) => template::find(cli),
            (None, Some(named)) => {
                let base = input.parent().filter(|p| !p.as_os_str().is_empty());
                template::named_by_data(named, base.unwrap_or(Path::new(".")))?
            }
            (None, None) => {
                return Err(Error::io(input, "the data names no template").hint(
                    "add `template: shuzhi` to the data, or pass --template NAME (see layouts/templates/)",
                ));
            }
        };
        let template = template::Template::load(&path)?;
        (
            document_from_data(&data, &template, warnings)?,
            data.layout().map(str::to_string),
        )
    } else {
        (
            document_from_text(&text, &input.display().to_string(), warnings)?,
            None,
        )
    };
    let layout_name = opts
        .layout
        .clone()
        .or(data_layout)
        .unwrap_or_else(|| spec::DEFAULT_LAYOUT.into());
    Ok((doc, Layout::load(&layout_name)?))
}

/// Data → `Document`: the data through its (already loaded) template, then the plain-text
/// reader; placeholders left in the text are warnings.
pub fn document_from_data(
    data: &data::Data,
    template: &template::Template,
    warnings: &mut Vec<Warning>,
) -> Result<model::Document, Error> {
    let text = template.render(data)?;
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
    /// Pages in the PDF layout.
    pub pages: usize,
}

impl Made {
    /// (path, bytes) for each output, named `stem.pdf` / `stem.docx` in `dir`.
    pub fn named(&self, dir: &Path, stem: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        if let Some(b) = &self.pdf {
            out.push((dir.join(format!("{stem}.pdf")), b.clone()));
        }
        if let Some(b) = &self.docx {
            out.push((dir.join(format!("{stem}.docx")), b.clone()));
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
    let plan = plan::plan(doc, layout);
    let paged = if opts.pdf {
        Some(layout::layout(&plan, layout, fonts, opts.strict, warnings)?)
    } else {
        None
    };
    let pdf = match &paged {
        Some(paged) => Some(export::pdf::write(paged, fonts)?),
        None => None,
    };
    let docx = if opts.docx {
        let parts = if opts.embed_fonts {
            export::docx::embed::font_parts(&export::docx::faces_used(&plan, layout, fonts))?
        } else {
            Vec::new()
        };
        Some(export::docx::write(&plan, layout, &parts)?)
    } else {
        None
    };
    Ok(Made {
        pdf,
        docx,
        pages: paged.map_or(0, |p| p.pages.len()),
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
                block.line,
                format!("placeholder '{p}' left in the text ({n}×)"),
            ));
        }
    }
}

/// Read and decode an input file (a `.docx` through [`wordin`]: its text, one paragraph or table
/// row a line); a missing, empty or non-file input is an error.
pub fn read_input(input: &Path) -> Result<String, Error> {
    if input.is_dir() {
        return Err(Error::io(input, "is a directory, not a file")
            .hint("name a text file: gongwen render report.txt"));
    }
    let bytes = std::fs::read(input).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => format!("cannot read ({e})"),
        };
        Error::io(input, why)
    })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            Error::io(input, "the file is empty").hint("the first non-empty line is the title")
        );
    }
    if wordin::is_docx(input) {
        return wordin::text(&bytes, input);
    }
    plaintext::decode(&bytes, &input.display().to_string())
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

/// Write every output atomically (public: a batch writes through it too): each goes to a temporary file in the output folder and is
/// renamed only when all are complete, so a failure or Ctrl-C leaves no half-written file.
pub fn write_all(dir: &Path, outputs: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(dir, format!("cannot create the output folder ({e})")))?;
    remove_stale_temporaries(dir);
    let mut temps = Vec::new();
    for (path, bytes) in outputs {
        let mut tmp = tempfile::Builder::new()
            .prefix(".gongwen-")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, format!("cannot write to the output folder ({e})")))?;
        std::io::Write::write_all(&mut tmp, bytes)
            .map_err(|e| Error::io(path, format!("cannot write ({e})")))?;
        // Temporary files are private (0600); the documents are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        temps.push((tmp, path));
    }
    for (tmp, path) in temps {
        tmp.persist(path)
            .map_err(|e| Error::io(path, format!("cannot write ({})", e.error)))?;
    }
    Ok(())
}
