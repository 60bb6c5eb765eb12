//! The reader layer: every input → [`Document`], and nothing after it.
//!
//! Owns, one module per concern:
//!
//! - [`file`](mod@file): bytes from disk, bounded (`--max-input-mb`; a folder, device, FIFO or binary
//!   file refused before it is read), and layout and template files;
//! - [`encoding`]: bytes → text for every reader of text (UTF-8, UTF-16 by its mark,
//!   GBK/GB18030 when the bytes are GBK and not Big5 or Shift_JIS): plain-text drafts, data
//!   files, and the batch's CSV files;
//! - [`text`]: the plain-text reader, lines → `Document`; Word drafts and data files end here
//!   too, as text;
//! - [`docx`]: a Word draft → its text, one paragraph or table row a line;
//! - [`data`]: YAML/JSON/TOML data, bounded and checked; [`template`]: data → text through a
//!   Handlebars template, each value kept data (it can never start a markup line or a heading);
//! - [`habits`]: typed dates, `1、` numbers and half-width marks written as GB/T 9704 and
//!   GB/T 15834 write them, once the layout is known (`[text] as_typed` keeps them);
//! - [`markup`]: the `@key: value` lines (版头, 版记, 附件 pages) a draft or template writes;
//! - [`recognise`]: the one recogniser, what a line is from its text (a heading by its
//!   numbering, a date, a 发文字号 …), which the plain-text reader and `gongwen check` both ask.
//!
//! The spreadsheet readers (`.xlsx`, `.ods`, `.csv` rows for a batch) stay in [`crate::batch`],
//! behind the batch feature: they read rows, not documents, and only a batch asks for them.
//! Their CSV encoding is judged here ([`encoding::sniff`]).
//!
//! The public functions return what they read with what they noticed beside it
//! ([`Warned`]); the `&mut Vec<Warning>` forms ([`document_from_text`], [`read_input_warned`]
//! …) remain for callers that gather several stages' warnings in one list.

pub mod data;
pub mod docx;
pub mod encoding;
pub mod file;
pub mod habits;
pub mod markup;
pub mod recognise;
pub mod template;
pub mod text;

use std::path::Path;

use crate::Options;
use crate::error::{Error, Warned, Warning};
use crate::model::Document;
use crate::spec::{self, LayoutSpec};

pub use file::{
    DEFAULT_MAX_INPUT_MB, MAX_SOURCE_BYTES, input, read_input, read_input_warned, read_limited,
    read_source,
};

/// Read one input into its `Document` and the layout it asks for (the command line's, else the
/// data's, else `gbt9704`).
pub fn load(
    input: &Path,
    opts: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<(Document, LayoutSpec), Error> {
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
) -> Result<(Document, LayoutSpec), Error> {
    let source = text_source(text.to_string(), input, is_data, opts)?.take(warnings);
    let mut doc = document(&source.text, &source.label)?.take(warnings);
    let layout_name = opts
        .layout
        .clone()
        .or(source.layout)
        .or_else(|| doc.layout_hint().map(str::to_string))
        .unwrap_or_else(|| spec::DEFAULT_LAYOUT.into());
    let layout = LayoutSpec::load(&layout_name)?;
    habits::apply(&mut doc, layout.text.as_typed, warnings);
    Ok((doc, layout))
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
}

/// Read an input into the text the plain-text reader takes (a data file through its template),
/// with what reading it and running the template noticed (a Word draft's hidden text left out,
/// control characters removed from the data's values …).
pub fn source_text(input: &Path, opts: &Options) -> Result<Warned<SourceText>, Error> {
    let read = file::input(input, opts.max_input_mb)?;
    let source = text_source(read.value, input, data::is_data_file(input), opts)?;
    let mut warnings = read.warnings;
    warnings.extend(source.warnings);
    Ok(Warned::with(source.value, warnings))
}

/// As [`source_text`], for text already read; `is_data`: it is YAML/JSON/TOML data for a
/// template.
pub fn text_source(
    text: String,
    input: &Path,
    is_data: bool,
    opts: &Options,
) -> Result<Warned<SourceText>, Error> {
    if !is_data {
        let kind = if docx::is_docx(input) { "docx" } else { "text" };
        return Ok(Warned::new(SourceText {
            text,
            label: input.display().to_string(),
            layout: None,
            kind,
        }));
    }
    let raw = data::parse(&text, input)?;
    let Warned {
        value: data,
        mut warnings,
    } = data::without_controls(&raw);
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
    let text = template.render_warned(&data)?.take(&mut warnings);
    let layout = data_layout.or_else(|| template.layout().map(str::to_string));
    Ok(Warned::with(
        SourceText {
            text,
            label: format!("{} (through {})", data.source, template.name()),
            layout,
            kind: "data",
        },
        warnings,
    ))
}

/// Data → `Document`: the data through its (already loaded) template, then the plain-text
/// reader; placeholders left in the text are warnings.
pub fn data_document(
    data: &data::Data,
    template: &template::Template,
) -> Result<Warned<Document>, Error> {
    let Warned {
        value: data,
        mut warnings,
    } = data::without_controls(data);
    let text = template.render_warned(&data)?.take(&mut warnings);
    let source = format!("{} (through {})", data.source, template.name());
    let doc = document(&text, &source)?.take(&mut warnings);
    Ok(Warned::with(doc, warnings))
}

/// A draft's text (a `.txt`, or a `.docx` read by [`docx`]) → `Document` through the
/// plain-text reader; placeholders left in the text are warnings.
pub fn document(text: &str, source: &str) -> Result<Warned<Document>, Error> {
    let mut warnings = Vec::new();
    let doc = text::parse(text, source, &mut warnings)?;
    placeholders(&doc, &mut warnings);
    Ok(Warned::with(doc, warnings))
}

/// As [`data_document`], its warnings added to `warnings`.
pub fn document_from_data(
    data: &data::Data,
    template: &template::Template,
    warnings: &mut Vec<Warning>,
) -> Result<Document, Error> {
    data_document(data, template).map(|doc| doc.take(warnings))
}

/// As [`document`], its warnings added to `warnings`.
pub fn document_from_text(
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Document, Error> {
    document(text, source).map(|doc| doc.take(warnings))
}

/// Warn about template placeholders left in the text (`XX`, `XXX`, `××`): the seed report shows
/// how often they survive into submitted documents.
fn placeholders(doc: &Document, warnings: &mut Vec<Warning>) {
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

#[cfg(test)]
mod tests;
