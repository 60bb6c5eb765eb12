//! `gongwen render`: one input (a file, or standard input) → PDF and DOCX (files, or one of
//! them on standard output).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongwen::error::{Error, Warning};
use gongwen::{DocxOptions, Engine, Outputs, PdfOptions, PngOptions, Reading};

use super::{
    FileOut, FontArgs, Format, Outcome, Report, font_options, print_json, say, tell, usage,
};

const EXAMPLES: &str = "\
Examples:
  gongwen render report.txt                    # → output/report.pdf and output/report.docx
  gongwen render data/shuzhi-2023.yaml -o out  # data through the template it names
  gongwen render 草稿.docx --format pdf         # a Word draft's text, PDF only
  gongwen render report.txt --layout ./house.toml
  cat report.txt | gongwen render - --name 报告  # standard input → output/报告.pdf, .docx
  gongwen render report.txt -o - --format pdf > report.pdf
  gongwen render report.txt --compress best    # a smaller PDF, slower (default: fast)
  gongwen render report.txt --json             # {\"files\":[{\"path\":…,\"pages\":3}],\"warnings\":[…],\"errors\":[]}";

/// Render a plain-text report, a Word draft's text, or a YAML/JSON/TOML data file through its
/// template, to output/NAME.pdf and output/NAME.docx
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The report (UTF-8 or GBK text, or a .docx), or data file (.yaml, .json, .toml); `-`:
    /// standard input (a draft, a .docx, or with --template or a `template:` key, YAML/JSON data)
    input: PathBuf,
    /// Template name (in layouts/templates/) or path [default: the one the data names]
    #[arg(long)]
    template: Option<String>,
    /// Output folder; `-`: standard output (one format: --format pdf or docx)
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// The outputs' name when the input is `-` [default: document]
    #[arg(long)]
    name: Option<String>,
    /// What to write
    #[arg(long, value_enum, default_value = "both")]
    format: Format,
    /// A character no font has is an error, not a warning
    #[arg(long)]
    strict: bool,
    /// Embed the (subset) fonts in the DOCX, so it shows the same faces without the office fonts
    #[arg(long)]
    embed_fonts: bool,
    /// Also write a PNG of each page beside the PDF (NAME-1.png …), as `gongwen preview` does
    #[arg(long)]
    png: bool,
    /// Resolution of the --png pages in dots per inch (10–1200)
    #[arg(long, default_value_t = gongwen::export::preview::DEFAULT_DPI, requires = "png")]
    dpi: f32,
    /// How hard the PDF and DOCX are deflated: fast (PDF fonts coded byte by byte, the rest libdeflate 1; small DOCX parts stored), standard (zlib 6), best (zlib 9), or a zlib level 0–9
    #[arg(long, default_value = "fast")]
    compress: gongwen::export::pdf::Compress,
    /// The largest input file read, in MB
    #[arg(long, default_value_t = gongwen::DEFAULT_MAX_INPUT_MB, value_parser = clap::value_parser!(u64).range(1..))]
    max_input_mb: u64,
    #[command(flatten)]
    report: Report,
    #[command(flatten)]
    fonts: FontArgs,
}

/// Standard input's name in messages.
const STDIN: &str = "<stdin>";

pub fn run(a: Args) -> Result<ExitCode, Error> {
    let stdin = a.input == Path::new("-");
    let stdout = a.out == Path::new("-");
    if stdout && a.format == Format::Both {
        usage(
            "render",
            "-o - writes one format to standard output: add --format pdf or --format docx",
        );
    }
    if stdout && a.report.json {
        usage(
            "render",
            "-o - and --json both want standard output: write the files to a folder (-o DIR) for --json",
        );
    }
    if a.name.is_some() && !stdin {
        usage(
            "render",
            "--name names what standard input makes (`render -`); a file's outputs are named after it",
        );
    }
    super::exit_130_on_interrupt();
    let report = a.report;
    let mut warnings = Vec::new();
    let engine = Engine::new(font_options(&a.fonts));
    let result = if stdin || stdout {
        piped(&engine, &a, &mut warnings)
    } else {
        engine
            .render(&a.input, &reading(&a), &outputs(&a), &a.out)
            .map(|r| files(r.take(&mut warnings)))
    };
    match result {
        Ok(files) => {
            if report.json {
                print_json(&Outcome {
                    files,
                    warnings,
                    errors: vec![],
                });
            } else if !report.quiet {
                for w in &warnings {
                    tell(format_args!("warning: {w}"));
                }
                for f in &files {
                    // A DOCX-only render lays out no pages (Word paginates it).
                    match f.pages {
                        Some(n) if n > 0 => say(format_args!("{} ({n} pages)", f.path)),
                        _ => say(format_args!("{}", f.path)),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if report.json => {
            tell(format_args!("error: {e}"));
            print_json(&Outcome {
                files: vec![],
                warnings,
                errors: vec![e],
            });
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e),
    }
}

/// What the flags say to read.
fn reading(a: &Args) -> Reading {
    Reading {
        layout: a.fonts.layout.clone(),
        template: a.template.clone(),
        max_input_mb: a.max_input_mb,
    }
}

/// What the flags say to write.
fn outputs(a: &Args) -> Outputs {
    Outputs {
        pdf: (a.format != Format::Docx).then_some(PdfOptions {
            compress: a.compress,
        }),
        docx: (a.format != Format::Pdf).then_some(DocxOptions {
            embed_fonts: a.embed_fonts,
            compress: a.compress,
        }),
        png: a.png.then_some(PngOptions { dpi: a.dpi }),
        strict: a.strict,
        keep_pages: false,
    }
}

/// Each written file with its pages: the PDF's count; `None` for the DOCX.
fn files(written: gongwen::engine::Written) -> Vec<FileOut> {
    let pages = written.pages;
    written
        .files
        .into_iter()
        .map(|p| FileOut {
            pages: (p.extension().is_some_and(|e| e == "pdf")).then_some(pages),
            path: p.display().to_string(),
        })
        .collect()
}

/// Standard input in, or one format out to standard output: the library's stages on text read
/// here, the bytes written here.
fn piped(engine: &Engine, a: &Args, warnings: &mut Vec<Warning>) -> Result<Vec<FileOut>, Error> {
    let (text, source, is_data) = if a.input == Path::new("-") {
        let (text, is_data) = read_stdin(a.template.is_some(), a.max_input_mb)?;
        (text, PathBuf::from(STDIN), is_data)
    } else {
        let text = gongwen::read_input_warned(&a.input, a.max_input_mb, warnings)?;
        let is_data = gongwen::data::is_data_file(&a.input);
        (text, a.input.clone(), is_data)
    };
    let made = engine
        .make(&text, &source, is_data, &reading(a), &outputs(a))?
        .take(warnings);
    if a.out == Path::new("-") {
        let bytes = made.pdf.as_deref().or(made.docx.as_deref()).unwrap_or(&[]);
        let mut out = std::io::stdout().lock();
        if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
            // The reader went away (`| head -c 10`): as a Unix tool, end quietly.
            std::process::exit(0);
        }
        return Ok(vec![]);
    }
    let stem = match &a.name {
        Some(n) => gongwen::names::safe_name(n),
        None if a.input == Path::new("-") => "document".to_string(),
        None => a
            .input
            .file_stem()
            .map_or("document".into(), |s| s.to_string_lossy().into_owned()),
    };
    let outputs = made.named(&a.out, &stem);
    gongwen::write_all(&a.out, &outputs)?;
    Ok(files(gongwen::engine::Written {
        files: outputs.into_iter().map(|(p, _)| p).collect(),
        pages: made.pages,
    }))
}

/// Standard input's text and whether it is data for a template: a Word file (by its zip
/// signature) gives its text; data is what `--template` is given for, or a YAML/JSON mapping
/// with a `template` key.
fn read_stdin(template_given: bool, max_mb: u64) -> Result<(String, bool), Error> {
    let source = Path::new(STDIN);
    let mut bytes = Vec::new();
    let limit = max_mb.saturating_mul(1 << 20);
    std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(source, format!("cannot read standard input ({e})")))?;
    if bytes.len() as u64 > limit {
        return Err(
            Error::io(source, format!("standard input is larger than {max_mb} MB"))
                .hint("raise the limit with --max-input-mb N"),
        );
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::io(source, "standard input is empty")
            .hint("pipe a draft in: gongwen render - < report.txt"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok((gongwen::wordin::text(&bytes, source)?, false));
    }
    let text = gongwen::plaintext::decode(&bytes, STDIN)?;
    let names_template = || {
        serde_yaml_ng::from_str::<serde_json::Value>(&text)
            .is_ok_and(|v| v.get("template").is_some_and(|t| t.is_string()))
    };
    let is_data = template_given || names_template();
    Ok((text, is_data))
}
