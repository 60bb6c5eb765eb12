//! `gongwen preview`: one input → a PNG per page, from the PDF's own layout.

use std::path::PathBuf;
use std::process::ExitCode;

use gongwen::{Engine, PngOptions, Reading};

use super::{FontArgs, font_options, say, tell};

/// Draw each page of a document as a PNG (output/NAME-1.png, NAME-2.png …), laid out as
/// `render` lays out the PDF
#[derive(clap::Args)]
#[command(after_help = "Examples:
  gongwen preview data/shuzhi-report.txt              # output/shuzhi-report-1.png … at 80 dpi
  gongwen preview data/tongzhi.json --pages 1 --dpi 60 -o shots/
  gongwen preview report.txt --pages 1,3-4 --dpi 150")]
pub struct Args {
    /// The report (UTF-8 or GBK text, or a .docx), or data file (.yaml, .json, .toml)
    input: PathBuf,
    /// Resolution in dots per inch (10–1200; 80 shows an A4 page at 662 × 936 pixels)
    #[arg(long, default_value_t = gongwen::export::preview::DEFAULT_DPI)]
    dpi: f32,
    /// Output folder
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// Which pages, e.g. 1,3-4 [default: all]
    #[arg(long)]
    pages: Option<String>,
    /// Template name (in layouts/templates/) or path [default: the one the data names]
    #[arg(long)]
    template: Option<String>,
    /// A character no font has is an error, not a warning
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let select = a
        .pages
        .as_deref()
        .map(gongwen::export::preview::parse_pages)
        .transpose()?;
    super::exit_130_on_interrupt();
    let reading = Reading {
        layout: a.fonts.layout.clone(),
        template: a.template,
        ..Reading::default()
    };
    let png = PngOptions { dpi: a.dpi };
    let engine = Engine::new(font_options(&a.fonts));
    let p = engine.preview(&a.input, &reading, a.strict, png, select.as_deref(), &a.out)?;
    for w in &p.warnings {
        tell(format_args!("warning: {w}"));
    }
    for f in &p.value.files {
        say(format_args!("{}", f.display()));
    }
    Ok(ExitCode::SUCCESS)
}
