//! The work behind each request, synchronous (run on the blocking pool): an upload → its own
//! temporary folder → explain + PNG pages + PDF + DOCX (a draft or data file), or a zip of a
//! batch (a sheet). The folder is removed when the work ends, whatever happened.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::batch::{BatchOptions, Progress};
use crate::check::Finding;
use crate::error::Error;
use crate::explain::{Explained, Located};
use crate::fonts::FontOptions;

/// PNG resolution of the pages shown: 80 dpi is an A4 page at 662 × 936 pixels.
pub const PAGE_DPI: f32 = 80.0;

/// What one render made, kept in memory for its downloads.
#[derive(Debug, Default)]
pub struct Output {
    pub id: u64,
    /// Download name without extension.
    pub stem: String,
    pub pngs: Vec<Vec<u8>>,
    pub pdf: Option<Vec<u8>>,
    pub docx: Option<Vec<u8>>,
    /// A batch's outputs.
    pub zip: Option<Vec<u8>>,
}

/// What the page is told.
#[derive(Debug, Default, Serialize)]
pub struct Answer {
    pub id: u64,
    pub stem: String,
    /// `text`, `docx`, `data` or `sheet`.
    pub kind: String,
    pub pages: usize,
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
    pub bytes: Vec<u8>,
    pub layout: Option<String>,
    pub template: Option<String>,
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
pub fn render(job: &Job, fonts: &FontOptions) -> Result<(Output, Answer), Error> {
    let Some(kind) = kind_of(&job.name) else {
        return Err(Error::msg(format!(
            "“{}”不是能排版的文件：请用 .txt、.docx、.xlsx/.csv（配模板）或 .yaml/.json/.toml",
            job.name
        )));
    };
    let tmp = tempfile::Builder::new()
        .prefix("gongwen-serve-")
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
    std::fs::write(&input, &job.bytes)
        .map_err(|e| Error::msg(format!("cannot write the upload ({e})")))?;
    let opts = crate::Options {
        layout: job.layout.clone(),
        template: job.template.clone(),
        fonts: fonts.clone(),
        out_dir: tmp.path().join("out"),
        png: Some(PAGE_DPI),
        ..crate::Options::default()
    };
    let shown = |s: &str| s.replace(&input.display().to_string(), &job.name);
    let result = if kind == "sheet" {
        batch(&input, &opts, &stem)
    } else {
        draft(&input, &opts, &stem, kind)
    };
    // Messages name the upload, not the temporary file.
    let (out, mut answer) = result.map_err(|mut e| {
        e.location = shown(&e.location);
        e.message = shown(&e.message);
        e
    })?;
    if kind == "docx" {
        // The Word file as it is, checked against the layout chosen (the pages show what
        // gongwen makes of its text).
        let layout = crate::spec::Layout::load(
            job.layout.as_deref().unwrap_or(crate::spec::DEFAULT_LAYOUT),
        )?;
        answer.findings = Some(crate::check::check(&job.bytes, &job.name, &layout)?);
    }
    for w in &mut answer.warnings {
        w.location = shown(&w.location);
        w.message = shown(&w.message);
    }
    if let Some(x) = &mut answer.explain {
        x.source = shown(&x.source);
    }
    drop(tmp);
    Ok((out, answer))
}

/// A draft or data file: explain, pages, PDF, DOCX.
fn draft(
    input: &Path,
    opts: &crate::Options,
    stem: &str,
    kind: &str,
) -> Result<(Output, Answer), Error> {
    let explained = crate::explain::explain(input, opts)?;
    let text = crate::read_input(input, opts.max_input_mb)?;
    let mut warnings = Vec::new();
    let is_data = crate::data::is_data_file(input);
    let made = crate::make(&text, input, is_data, opts, &mut warnings)?;
    // The reader's warnings are in `explain` already; the layout's (a character no font has)
    // are added, with their line.
    let mut all = explained.warnings.clone();
    for w in warnings {
        if !all
            .iter()
            .any(|l| l.location == w.location && l.message == w.message)
        {
            all.push(Located {
                line: line_of(&w.location),
                location: w.location,
                message: w.message,
            });
        }
    }
    let answer = Answer {
        stem: stem.to_string(),
        kind: kind.to_string(),
        pages: made.pages,
        explain: Some(explained),
        warnings: all,
        ..Answer::default()
    };
    let out = Output {
        stem: stem.to_string(),
        pngs: made.png,
        pdf: made.pdf,
        docx: made.docx,
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
fn batch(input: &Path, opts: &crate::Options, stem: &str) -> Result<(Output, Answer), Error> {
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
    b.progress = Progress::Quiet;
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

/// Every file of a folder (not its hidden ones) in a zip, in name order.
fn zip_folder(dir: &Path) -> Result<Vec<u8>, Error> {
    let err = |e: &dyn std::fmt::Display| Error::msg(format!("cannot make the zip ({e})"));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| err(&e))?
        .flatten()
        .filter(|e| e.path().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
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
