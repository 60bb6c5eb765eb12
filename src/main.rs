//! The `gongwen` command: parse arguments, call the library, print messages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gongwen::fonts::{FontBook, FontOptions};
use gongwen::spec::Layout;

#[derive(Parser)]
#[command(
    name = "gongwen",
    version,
    about = "GB/T 9704-2012 公文 as PDF and DOCX"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct FontArgs {
    /// Layout name (in layouts/) or path to a layout file [default: the data's, else gbt9704]
    #[arg(long)]
    layout: Option<String>,
    /// A folder of fonts to prefer (the office's licensed faces); may be repeated
    #[arg(long = "font-dir")]
    font_dirs: Vec<PathBuf>,
    /// Do not look at the system's fonts (use --font-dir and the bundled fonts only)
    #[arg(long)]
    no_system_fonts: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Format {
    Pdf,
    Docx,
    Both,
}

#[derive(Subcommand)]
enum Command {
    /// Render a plain-text report, or a YAML/JSON/TOML data file through its template, to
    /// output/NAME.pdf and output/NAME.docx
    Render {
        /// The report (UTF-8 or GBK text) or data file (.yaml, .json, .toml)
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
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Show which font file serves each face of the layout
    Fonts {
        #[command(flatten)]
        fonts: FontArgs,
    },
}

fn font_options(a: &FontArgs) -> FontOptions {
    FontOptions {
        dirs: a.font_dirs.clone(),
        system: !a.no_system_fonts,
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), gongwen::error::Error> {
    match cli.command {
        Command::Render {
            input,
            template,
            out,
            format,
            strict,
            embed_fonts,
            fonts,
        } => {
            let opts = gongwen::Options {
                layout: fonts.layout.clone(),
                template,
                fonts: font_options(&fonts),
                strict,
                out_dir: out,
                pdf: format != Format::Docx,
                docx: format != Format::Pdf,
                embed_fonts,
            };
            let r = gongwen::render(&input, &opts)?;
            for w in &r.warnings {
                eprintln!("warning: {w}");
            }
            for f in &r.files {
                println!("{} ({} pages)", f.display(), r.pages);
            }
        }
        Command::Fonts { fonts } => {
            let layout = Layout::load(
                fonts
                    .layout
                    .as_deref()
                    .unwrap_or(gongwen::spec::DEFAULT_LAYOUT),
            )?;
            let book = FontBook::load(&layout, &font_options(&fonts))?;
            for (key, chain) in book.faces() {
                let f = book.font(chain.fonts[0]);
                println!(
                    "{key:13} {:10} → {} ({}, {})",
                    chain.office,
                    f.path.display(),
                    f.name,
                    f.origin
                );
            }
        }
    }
    Ok(())
}
