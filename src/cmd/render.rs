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
    /// Also write a PNG of each page beside the PDF (NAME-1.png …), as `gongwen preview` does
    #[arg(long)]
    png: bool,
    /// Resolution of the --png pages in dots per inch (10–1200)
    #[arg(long, default_value_t = gongwen::preview::DEFAULT_DPI, requires = "png")]
    dpi: f32,
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
    opts.png = a.png.then_some(a.dpi);
    let r = gongwen::render(&a.input, &opts)?;
    for w in &r.warnings {
        tell(format_args!("warning: {w}"));
    }
    for f in &r.files {
        // A DOCX-only render lays out no pages (Word paginates it); a PNG is one page.
        match r.pages {
            n if n > 0 && f.extension().is_none_or(|e| e != "png") => {
                say(format_args!("{} ({n} pages)", f.display()))
            }
            _ => say(format_args!("{}", f.display())),
        }
    }
    Ok(ExitCode::SUCCESS)
}
