//! `gongwen render`: one input → PDF and DOCX.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{FontArgs, Format, render_options, say, tell};

/// Render a plain-text report, a Word draft's text, or a YAML/JSON/TOML data file through its
/// template, to output/NAME.pdf and output/NAME.docx
#[derive(clap::Args)]
pub struct Args {
    /// The report (UTF-8 or GBK text, or a .docx), or data file (.yaml, .json, .toml)
    input: PathBuf,
    /// Template name (in layouts/templates/) or path [default: the one the data names]
    #[arg(long)]
    template: Option<String>,
    /// Output folder
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// What to write
    #[arg(long, value_enum, default_value = "both")]
    format: Format,
    /// A character no font has is an error, not a warning
    #[arg(long)]
    strict: bool,
    /// Embed the (subset) fonts in the DOCX, so it shows the same faces without the office fonts
    #[arg(long)]
    embed_fonts: bool,
    /// The largest input file read, in MB
    #[arg(long, default_value_t = gongwen::DEFAULT_MAX_INPUT_MB, value_parser = clap::value_parser!(u64).range(1..))]
    max_input_mb: u64,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let mut opts = render_options(
        &a.fonts,
        a.template,
        a.out,
        a.format,
        a.strict,
        a.embed_fonts,
    );
    opts.max_input_mb = a.max_input_mb;
    let r = gongwen::render(&a.input, &opts)?;
    for w in &r.warnings {
        tell(format_args!("warning: {w}"));
    }
    for f in &r.files {
        // A DOCX-only render lays out no pages (Word paginates it).
        match r.pages {
            0 => say(format_args!("{}", f.display())),
            n => say(format_args!("{} ({n} pages)", f.display())),
        }
    }
    Ok(ExitCode::SUCCESS)
}
