//! `gongwen batch`: one document per row of a sheet, list or folder, rebuilt incrementally.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{FontArgs, Format, render_options, say};

/// One document per row of a sheet (xlsx, xls, ods, csv), JSON Lines or YAML/JSON list, or
/// per data file of a folder; rebuilds only rows whose inputs changed (output/manifest.json)
#[derive(clap::Args)]
pub struct Args {
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
    /// The row that names the fields, as Excel numbers it [default: found below any title rows]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    header_row: Option<u32>,
    /// Refuse a sheet larger than this once decompressed, in MB
    #[arg(long, value_name = "MB", default_value_t = gongwen::batch::source::Limits::DEFAULT_MAX_MB)]
    max_sheet_mb: u64,
    /// Refuse a sheet or CSV file of more data rows than this
    #[arg(long, value_name = "N", default_value_t = gongwen::batch::source::Limits::DEFAULT_MAX_ROWS)]
    max_rows: usize,
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
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let Args {
        source,
        template,
        name,
        sheet,
        header_row,
        max_sheet_mb,
        max_rows,
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
    } = a;
    use gongwen::batch::source::{ItemsSource, ItemsSpec, Limits, SourceOptions};
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
    opts.source_options = SourceOptions {
        sheet,
        items,
        header_row: header_row.map(|n| n as usize),
        limits: Limits {
            max_bytes: max_sheet_mb.saturating_mul(1 << 20),
            max_rows,
        },
    };
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
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else if summary.counts.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
