//! The subcommands, one file each: their arguments (clap) and how they call the library. What
//! they share (font and layout flags, output formats, printing to a closed pipe) is here.

pub mod batch;
pub mod check;
pub mod fonts;
pub mod render;

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use gongwen::fonts::FontOptions;

#[derive(clap::Args)]
pub struct FontArgs {
    /// Layout name (in layouts/) or path to a layout file [default: the data's, else gbt9704]
    #[arg(long)]
    pub layout: Option<String>,
    /// A folder of fonts to prefer (the office's licensed faces); may be repeated
    #[arg(long = "font-dir")]
    pub font_dirs: Vec<PathBuf>,
    /// Do not look at the system's fonts (use --font-dir and the bundled fonts only)
    #[arg(long)]
    pub no_system_fonts: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Format {
    Pdf,
    Docx,
    Both,
}

/// What `render` and `batch` share: layout, template, fonts, output folder and formats.
pub fn render_options(
    fonts: &FontArgs,
    template: Option<String>,
    out_dir: PathBuf,
    format: Format,
    strict: bool,
    embed_fonts: bool,
) -> gongwen::Options {
    gongwen::Options {
        layout: fonts.layout.clone(),
        template,
        fonts: font_options(fonts),
        strict,
        out_dir,
        pdf: format != Format::Docx,
        docx: format != Format::Pdf,
        embed_fonts,
    }
}

pub fn font_options(a: &FontArgs) -> FontOptions {
    FontOptions {
        dirs: a.font_dirs.clone(),
        system: !a.no_system_fonts,
    }
}

/// A line on standard output; when the reader has gone (`gongwen fonts | head -1`), the program
/// ends quietly with success, as Unix tools do.
pub fn say(line: std::fmt::Arguments) {
    if writeln!(std::io::stdout(), "{line}").is_err() {
        std::process::exit(0);
    }
}

/// A line on standard error (a closed stderr is not worth dying for).
pub fn tell(line: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
