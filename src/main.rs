//! The `gongwen` command: parse arguments, call the library, print messages.

use std::io::Write;
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
    /// Render a plain-text report, a Word draft's text, or a YAML/JSON/TOML data file through
    /// its template, to
    /// output/NAME.pdf and output/NAME.docx
    Render {
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
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// One document per row of a sheet (xlsx, xls, ods, csv), JSON Lines or YAML/JSON list, or
    /// per data file of a folder; rebuilds only rows whose inputs changed (output/manifest.json)
    Batch {
        /// The rows: .xlsx .xls .ods .csv .jsonl .yaml .json, or a folder of data files and
        /// .txt/.docx drafts
        source: PathBuf,
        /// Template name (in layouts/templates/) or path [default: the row's `template` field]
        #[arg(long)]
        template: Option<String>,
        /// Output name pattern over the row's fields, e.g. '{{单位}}-{{姓名}}' [default: row-7,
        /// or a folder file's name]
        #[arg(long)]
        name: Option<String>,
        /// The sheet of a workbook to read [default: the first]
        #[arg(long)]
        sheet: Option<String>,
        /// A sheet of the same workbook with repeated items (one row per item), joined by
        /// --items-key
        #[arg(long, group = "items", requires = "items_key")]
        items_sheet: Option<String>,
        /// A CSV or workbook file with repeated items, joined by --items-key
        #[arg(long, group = "items", requires = "items_key")]
        items_file: Option<PathBuf>,
        /// The column both tables have, e.g. 工号
        #[arg(long, requires = "items")]
        items_key: Option<String>,
        /// The field each row gets its items under
        #[arg(long, default_value = "items", requires = "items")]
        items_field: String,
        /// What to write
        #[arg(long, value_enum, default_value = "both")]
        format: Format,
        /// Output folder
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Rebuild every row, even those whose inputs did not change
        #[arg(long)]
        force: bool,
        /// A character no font has is an error for its row, not a warning
        #[arg(long)]
        strict: bool,
        /// Embed the (subset) fonts in each DOCX
        #[arg(long)]
        embed_fonts: bool,
        /// Worker threads [default: one per core]
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Show which font file serves each face of the layout
    Fonts {
        #[command(flatten)]
        fonts: FontArgs,
    },
}

/// What `render` and `batch` share: layout, template, fonts, output folder and formats.
fn render_options(
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

fn font_options(a: &FontArgs) -> FontOptions {
    FontOptions {
        dirs: a.font_dirs.clone(),
        system: !a.no_system_fonts,
    }
}

/// A line on standard output; when the reader has gone (`gongwen fonts | head -1`), the program
/// ends quietly with success, as Unix tools do.
fn say(line: std::fmt::Arguments) {
    if writeln!(std::io::stdout(), "{line}").is_err() {
        std::process::exit(0);
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, gongwen::error::Error> {
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
            let opts = render_options(&fonts, template, out, format, strict, embed_fonts);
            let r = gongwen::render(&input, &opts)?;
            for w in &r.warnings {
                let _ = writeln!(std::io::stderr(), "warning: {w}");
            }
            for f in &r.files {
                // A DOCX-only render lays out no pages (Word paginates it).
                match r.pages {
                    0 => say(format_args!("{}", f.display())),
                    n => say(format_args!("{} ({n} pages)", f.display())),
                }
            }
        }
        Command::Batch {
            source,
            template,
            name,
            sheet,
            items_sheet,
            items_file,
            items_key,
            items_field,
            format,
            out,
            force,
            strict,
            embed_fonts,
            jobs,
            fonts,
        } => {
            use gongwen::batch::source::{ItemsSource, ItemsSpec, SourceOptions};
            let items = items_sheet
                .map(ItemsSource::Sheet)
                .or(items_file.map(ItemsSource::File))
                .zip(items_key)
                .map(|(source, key)| ItemsSpec {
                    source,
                    key,
                    field: items_field,
                });
            let mut opts = gongwen::batch::BatchOptions::new(source);
            opts.source_options = SourceOptions { sheet, items };
            opts.render = render_options(&fonts, template, out, format, strict, embed_fonts);
            opts.name = name;
            opts.force = force;
            opts.jobs = jobs.map(usize::from);
            // Ctrl-C, SIGTERM or SIGHUP: rows in progress finish and the manifest is written; a
            // second signal stops.
            let cancel = opts.cancel.clone();
            let _ = ctrlc::set_handler(move || {
                if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    std::process::exit(130);
                }
            });
            let summary = gongwen::batch::run(&opts)?;
            say(format_args!("{summary}"));
            return Ok(if summary.interrupted {
                ExitCode::from(130)
            } else if summary.counts.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
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
                say(format_args!(
                    "{key:13} {:10} → {} ({}, {})",
                    chain.office,
                    f.path.display(),
                    f.name,
                    f.origin
                ));
                let fb = book.font(chain.fallback);
                say(format_args!(
                    "{:13} {:10} ↳ {} ({}, {}{}: what no Fandol face has)",
                    "",
                    "",
                    fb.path.display(),
                    fb.name,
                    fb.origin,
                    if fb.embolden > 0.0 {
                        ", emboldened"
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
