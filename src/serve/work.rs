//! The work behind each request, synchronous (run on a render thread): an upload → its own
//! temporary folder → explain + PNG pages + PDF + DOCX (a draft or data file), or a zip of a
//! batch (a sheet). The folder is removed when the work ends, whatever happened. A data file's
//! `template:` and `layout:` are held to what the menus offer, as the query's are; no server
//! path is in an answer or an error (the upload is called by its own name). Every render goes
//! through the server's one [`Engine`]: fonts, layouts and templates are loaded once for its
//! life.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::batch::BatchOptions;
use crate::check::Finding;
use crate::engine::{Engine, Outputs};
use crate::error::Error;
use crate::explain::{Explained, Located};

use super::routes::Allowed;

/// PNG resolution of the pages shown: 80 dpi is an A4 page at 662 × 936 pixels.
pub const PAGE_DPI: f32 = 80.0;

/// Pages shown as PNGs, at most: the first 50 (about 3 MB). A 19.5 MB report made thousands of
/// page images, kept in memory for the page (issue 19: 1.1 → 2.84 GB); the PDF has them all.
pub const MAX_SHOWN_PAGES: usize = 50;

/// What one render made, kept in memory for its downloads.
#[derive(Debug, Default)]
pub struct Output {
    /// Download name without extension.
    pub stem: String,
    /// The first pages as PNGs, at most [`MAX_SHOWN_PAGES`].
    pub pngs: Vec<Vec<u8>>,
    /// The PDF.
    pub pdf: Option<Vec<u8>>,
    /// The DOCX.
    pub docx: Option<Vec<u8>>,
    /// A batch's outputs.
    pub zip: Option<Vec<u8>>,
}

impl Output {
    /// The bytes it holds.
    pub fn bytes(&self) -> usize {
        let opt = |b: &Option<Vec<u8>>| b.as_ref().map_or(0, Vec::len);
        self.pngs.iter().map(Vec::len).sum::<usize>()
            + opt(&self.pdf)
            + opt(&self.docx)
            + opt(&self.zip)
            + self.stem.len()
    }
}

/// What the page is told.
#[derive(Debug, Default, Serialize)]
pub struct Answer {
    /// The result's id in its download addresses (random).
    pub id: String,
    pub stem: String,
    /// `text`, `docx`, `data` or `sheet`.
    pub kind: String,
    pub pages: usize,
    /// Pages shown as PNGs (`page-1.png` …): the first [`MAX_SHOWN_PAGES`].
    pub shown: usize,
    /// Each line and what it became (not for a sheet).
    pub explain: Option<Explained>,
    /// Every warning, with its line when it has one.
    pub warnings: Vec<Located>,
    /// A batch: rows made and failed, and why.
    pub rows_made: usize,
    pub rows_failed: Vec<(String, String)>,
    /// A Word file: what in it breaks GB/T 9704, by paragraph ([`crate::check`]).
    pub findings: Option<Vec<Finding>>,
}

/// One upload or pasted text.
#[derive(Debug, Clone)]
pub struct Job {
    /// The file's name as the browser gave it (`公文.txt` for pasted text).
    pub name: String,
    /// The upload, shared with the request (not copied).
    pub bytes: axum::body::Bytes,
    pub layout: Option<String>,
    pub template: Option<String>,
    /// What the menus offer: the only layouts and templates it (or its data) may name.
    pub allowed: Allowed,
}

/// What kind of input a file name says.
fn kind_of(name: &str) -> Option<&'static str> {
    let ext = Path::new(name)
        .extension()?
        .to_string_lossy()
        .to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" => "text",
        "docx" => "docx",
        "yaml" | "yml" | "json" | "toml" => "data",
        "xlsx" | "xls" | "xlsm" | "ods" | "csv" | "tsv" | "jsonl" => "sheet",
        _ => return None,
    })
}

/// Run one job in a fresh temporary folder (removed on return).
pub fn render(job: &Job, engine: &Engine) -> Result<(Output, Answer), Error> {
    let Some(kind) = kind_of(&job.name) else {
        return Err(Error::msg(format!(
            "“{}”不是能排版的文件：请用 .txt、.docx、.xlsx/.csv（配模板）或 .yaml/.json/.toml",
            job.name
        )));
    };
    let tmp = tempfile::Builder::new()
        .prefix(&super::listen::upload_prefix())
        .tempdir()
        .map_err(|e| Error::msg(format!("cannot make a temporary folder ({e})")))?;
    let ext = Path::new(&job.name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem = Path::new(&job.name)
        .file_stem()
        .map(|s| crate::batch::names::safe_name(&s.to_string_lossy()))
        .unwrap_or_else(|| "公文".into());
    // The upload's own name is not trusted as a path: it is written as `input.EXT`.
    let input = tmp.path().join(format!("input.{ext}"));
    let scrub = Scrub::new(tmp.path(), &input, &job.name);
    let result = (|| {
        std::fs::write(&input, &job.bytes)
            .map_err(|e| Error::msg(format!("cannot write the upload ({e})")))?;
        let (layout, template) = names(job, kind, &input, engine)?;
        let opts = crate::Options {
            layout,
            template,
            fonts: engine.font_options().clone(),
            out_dir: tmp.path().join("out"),
            ..crate::Options::default()
        };
        let (out, mut answer) = if kind == "sheet" {
            batch(&input, &opts, &stem, engine)?
        } else {
            draft(&input, &opts, &stem, kind, engine)?
        };
        if kind == "docx" {
            // The Word file as it is, checked against the layout chosen (the pages show what
            // gongwen makes of its text).
            let layout = engine.layout(
                opts.layout
                    .as_deref()
                    .unwrap_or(crate::spec::DEFAULT_LAYOUT),
            )?;
            answer.findings = Some(crate::check::check(&job.bytes, &job.name, &layout)?);
        }
        Ok((out, answer))
    })();
    // Messages name the upload, not the temporary file; no server path is shown.
    let (out, mut answer) = result.map_err(|mut e: Error| {
        e.set_location(&scrub.text(&e.location()));
        e.message = scrub.text(&e.message);
        for h in &mut e.hints {
            *h = scrub.text(h);
        }
        e
    })?;
    for w in &mut answer.warnings {
        w.location = scrub.text(&w.location);
        w.message = scrub.text(&w.message);
    }
    if let Some(x) = &mut answer.explain {
        x.source = scrub.text(&x.source);
        for w in &mut x.warnings {
            w.location = scrub.text(&w.location);
            w.message = scrub.text(&w.message);
        }
    }
    for (row, why) in &mut answer.rows_failed {
        *row = scrub.text(row);
        *why = scrub.text(why);
    }
    drop(tmp);
    Ok((out, answer))
}

/// The layout and template a job renders with: the query's, else (a data file) the data's,
/// each one the menus offer (issue 19: a data file's `layout: /dev/zero` was opened).
fn names(
    job: &Job,
    kind: &str,
    input: &Path,
    engine: &Engine,
) -> Result<(Option<String>, Option<String>), Error> {
    let mut layout = job.layout.clone();
    let mut template = job.template.clone();
    if kind == "data" {
        let text = crate::read_input(input, crate::Options::default().max_input_mb)?;
        let data = crate::data::parse(&text, input)?;
        if template.is_none()
            && let Some(t) = data.template()
        {
            job.allowed.template(t)?;
            template = Some(t.to_string());
        }
        if layout.is_none()
            && let Some(l) = data.layout()
        {
            job.allowed.layout(l)?;
            layout = Some(l.to_string());
        }
    }
    // The template's header may name a layout too (used for data, as the library does; a
    // batch finds it itself): held to the same list.
    if layout.is_none()
        && matches!(kind, "data" | "sheet")
        && let Some(t) = &template
        && let Ok(tpl) = engine.template(&crate::template::find(t))
        && let Some(l) = tpl.template.layout()
    {
        job.allowed.layout(l)?;
        if kind == "data" {
            layout = Some(l.to_string());
        }
    }
    if let Some(l) = &layout {
        job.allowed.layout(l)?;
    }
    if let Some(t) = &template {
        job.allowed.template(t)?;
    }
    Ok((layout, template))
}

/// Server paths out of the text an answer shows: the upload's temporary file is called by the
/// upload's name, its folder and the working folder by nothing.
struct Scrub {
    pairs: Vec<(String, String)>,
}

impl Scrub {
    fn new(tmp: &Path, input: &Path, name: &str) -> Scrub {
        let mut pairs = Vec::new();
        let mut add = |from: &Path, to: &str| {
            let from = from.display().to_string();
            if from.len() > 1 {
                pairs.push((from, to.to_string()));
            }
        };
        let canon = tmp.canonicalize().unwrap_or_else(|_| tmp.to_path_buf());
        add(input, name);
        add(&canon.join(input.file_name().unwrap_or_default()), name);
        for t in [tmp, canon.as_path()] {
            add(&t.join("out"), "");
            add(t, "");
        }
        if let Ok(cwd) = std::env::current_dir() {
            add(&cwd, ".");
        }
        add(&crate::resources::layouts_dir(), "layouts");
        add(&std::env::temp_dir(), "");
        Scrub { pairs }
    }

    fn text(&self, s: &str) -> String {
        let mut s = s.to_string();
        for (from, to) in &self.pairs {
            if s.contains(from.as_str()) {
                s = s.replace(from.as_str(), to);
            }
        }
        s
    }
}

/// A draft or data file: explain, pages, PDF, DOCX.
fn draft(
    input: &Path,
    opts: &crate::Options,
    stem: &str,
    kind: &str,
    engine: &Engine,
) -> Result<(Output, Answer), Error> {
    let explained = crate::explain::explain(input, opts)?;
    let text = crate::read_input(input, opts.max_input_mb)?;
    let is_data = crate::data::is_data_file(input);
    let loaded = engine.load_text(&text, input, is_data, &opts.reading())?;
    let (mut warnings, (doc, layout)) = (loaded.warnings, loaded.value);
    // The PDF first, its pages kept to draw the first few as PNGs, then freed before the
    // DOCX is made (a long document's laid-out glyphs are most of its memory).
    let pdf_only = Outputs {
        docx: None,
        png: None,
        keep_pages: true,
        ..opts.outputs()
    };
    // The font book's warnings first, then the layout's.
    let mut made = engine
        .produce(&doc, &layout, &pdf_only)?
        .take(&mut warnings);
    let pngs = match made.paged.take() {
        Some(paged) => {
            let fonts = engine.fonts(&layout)?;
            let shown = &paged.pages[..paged.pages.len().min(MAX_SHOWN_PAGES)];
            let mut r = crate::export::preview::Rasteriser::new(&fonts);
            r.prepare(shown)?;
            shown
                .iter()
                .map(|p| r.png(p, PAGE_DPI))
                .collect::<Result<Vec<_>, _>>()?
        }
        None => Vec::new(),
    };
    let docx_only = Outputs {
        pdf: None,
        png: None,
        keep_pages: false,
        ..opts.outputs()
    };
    // Its warnings are the PDF's again.
    let docx = engine.produce(&doc, &layout, &docx_only)?.value.docx;
    // The reader's warnings are in `explain` already; the layout's (a character no font has)
    // are added, with their line.
    let mut all = explained.warnings.clone();
    for w in warnings {
        if !all
            .iter()
            .any(|l| l.location == w.location() && l.message == w.message)
        {
            all.push(Located {
                line: line_of(&w.location()),
                location: w.location(),
                message: w.message,
            });
        }
    }
    let answer = Answer {
        stem: stem.to_string(),
        kind: kind.to_string(),
        pages: made.pages,
        shown: pngs.len(),
        explain: Some(explained),
        warnings: all,
        ..Answer::default()
    };
    let out = Output {
        stem: stem.to_string(),
        pngs,
        pdf: made.pdf,
        docx,
        ..Output::default()
    };
    Ok((out, answer))
}

/// `file:12` or `file:12:3` → 12.
fn line_of(location: &str) -> Option<usize> {
    let mut parts = location.rsplit(':');
    let last = parts.next()?.parse::<usize>().ok()?;
    match parts.next().and_then(|p| p.parse::<usize>().ok()) {
        Some(line) => Some(line),
        None => Some(last),
    }
}

/// A sheet: one document a row through the template, all in a zip.
fn batch(
    input: &Path,
    opts: &crate::Options,
    stem: &str,
    engine: &Engine,
) -> Result<(Output, Answer), Error> {
    if opts.template.is_none() {
        return Err(Error::msg(
            "表格需要一个模板：请在“模板”中选一个（如 shuzhi）",
        ));
    }
    let mut b = BatchOptions::new(input);
    b.render = crate::Options {
        png: None,
        ..opts.clone()
    };
    b.engine = Some(engine.clone());
    b.jobs = Some(2);
    b.force = true;
    let summary = crate::batch::run(&b)?;
    let zip = zip_folder(&opts.out_dir)?;
    let answer = Answer {
        stem: stem.to_string(),
        kind: "sheet".into(),
        pages: summary.pages,
        rows_made: summary.counts.made,
        rows_failed: summary.failed.clone(),
        ..Answer::default()
    };
    let out = Output {
        stem: stem.to_string(),
        zip: Some(zip),
        ..Output::default()
    };
    Ok((out, answer))
}

/// Every file of a folder in a zip, in name order: not its hidden ones, nor the batch's
/// manifest (it records server paths).
fn zip_folder(dir: &Path) -> Result<Vec<u8>, Error> {
    let err = |e: &dyn std::fmt::Display| Error::msg(format!("cannot make the zip ({e})"));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| err(&e))?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.path().is_file() && !name.starts_with('.') && !name.ends_with(".manifest.json")
        })
        .map(|e| e.file_name())
        .collect();
    names.sort();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for n in names {
        let bytes = std::fs::read(dir.join(&n)).map_err(|e| err(&e))?;
        z.start_file(n.to_string_lossy(), o).map_err(|e| err(&e))?;
        z.write_all(&bytes).map_err(|e| err(&e))?;
    }
    Ok(z.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_of("a.TXT"), Some("text"));
        assert_eq!(kind_of("报告.docx"), Some("docx"));
        assert_eq!(kind_of("名单.xlsx"), Some("sheet"));
        assert_eq!(kind_of("d.yaml"), Some("data"));
        assert_eq!(kind_of("x.png"), None);
        assert_eq!(line_of("a.txt:12"), Some(12));
        assert_eq!(line_of("a.txt:12:3"), Some(12));
        assert_eq!(line_of("a.txt"), None);
    }
}
