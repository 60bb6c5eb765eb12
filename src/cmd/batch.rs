//! `gongwen batch`: one document per row of a sheet, list or folder, rebuilt incrementally.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongwen::batch::manifest::{Manifest, Status};
use gongwen::error::{Error, Warning};

use super::progress::Terminal;
use super::{FileOut, FontArgs, Format, Report, print_json, render_options, say, tell};

const EXAMPLES: &str = "\
Examples:
  gongwen batch officials.xlsx --template shuzhi --name '{{单位}}-{{姓名}}'
  gongwen batch units.csv --template tongzhi --format pdf -o out
  gongwen batch reports/                       # a folder of data files or .txt/.docx drafts
  gongwen batch officials.xlsx --sheet 名单 --items-sheet 工作 --items-key 工号 --items-field sections --template shuzhi
  gongwen batch officials.xlsx --template shuzhi --quiet || echo 'some rows failed'
  gongwen batch officials.xlsx --template shuzhi --json | jq '.rows[] | select(.status == \"failed\")'";

/// One document per row of a sheet (xlsx, xls, ods, csv), JSON Lines or YAML/JSON list, or
/// per data file of a folder; rebuilds only rows whose inputs changed (output/SOURCE.manifest.json)
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
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
    /// Refuse a draft or data file of a folder larger than this, in MB (as `render` does)
    #[arg(long, value_name = "MB", default_value_t = gongwen::DEFAULT_MAX_INPUT_MB)]
    max_input_mb: u64,
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
    /// Also write every document into one PDF, in row order, each starting on an odd page
    /// (double-sided printing); a bare file name goes into the output folder
    #[arg(long, value_name = "FILE.pdf")]
    merge: Option<PathBuf>,
    /// Remove the files of rows that left the source or were renamed (as the manifest records)
    #[arg(long)]
    prune: bool,
    /// A character no font has is an error for its row, not a warning
    #[arg(long)]
    strict: bool,
    /// Embed the (subset) fonts in each DOCX
    #[arg(long)]
    embed_fonts: bool,
    /// How hard each PDF and DOCX is deflated: fast (PDF fonts coded byte by byte, the rest libdeflate 1; small DOCX parts stored), standard (zlib 6), best (zlib 9), or a zlib level 0–9
    #[arg(long, default_value = "fast")]
    compress: gongwen::export::pdf::Compress,
    /// Worker threads [default: one per core]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    report: Report,
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
        max_input_mb,
        items_sheet,
        items_file,
        items_key,
        items_field,
        format,
        out,
        force,
        merge,
        prune,
        strict,
        embed_fonts,
        compress,
        jobs,
        report,
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
            max_input_mb,
        },
    };
    opts.render = render_options(&fonts, template, out, format, strict, embed_fonts);
    opts.render.compress = compress;
    opts.name = name;
    opts.force = force;
    opts.merge = merge;
    opts.prune = prune;
    opts.jobs = jobs.map(usize::from);
    opts.progress = std::sync::Arc::new(Terminal::new(report.quiet || report.json));
    // Ctrl-C, SIGTERM or SIGHUP: rows in progress finish and the manifest is written; a
    // second signal stops.
    let cancel = opts.cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let _held = gongwen::remove_temporaries();
            std::process::exit(130);
        }
    });
    super::keep_freed_memory();
    let summary = match gongwen::batch::run(&opts) {
        Ok(s) => s,
        Err(e) if report.json => {
            tell(format_args!("error: {e}"));
            print_json(&Json {
                errors: vec![e],
                ..Json::default()
            });
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e),
    };
    if report.json {
        print_json(&json(&summary, &opts.render.out_dir));
    } else if !report.quiet {
        say(format_args!("{summary}"));
    }
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else if summary.counts.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `batch --json`: every file and message of the run, and each row with its own.
#[derive(serde::Serialize, Default)]
struct Json {
    files: Vec<FileOut>,
    warnings: Vec<Warning>,
    errors: Vec<Error>,
    rows: Vec<Row>,
    made: usize,
    unchanged: usize,
    failed: usize,
    interrupted: bool,
    manifest: String,
}

/// One row in `batch --json`.
#[derive(serde::Serialize)]
struct Row {
    row: usize,
    label: String,
    name: Option<String>,
    status: Status,
    files: Vec<FileOut>,
    warnings: Vec<Warning>,
    errors: Vec<Error>,
}

/// The run as JSON, from the manifest it wrote (which holds every row, its files and messages).
fn json(summary: &gongwen::batch::Summary, out_dir: &Path) -> Json {
    let mut j = Json {
        made: summary.counts.made,
        unchanged: summary.counts.unchanged,
        failed: summary.counts.failed,
        interrupted: summary.interrupted,
        manifest: summary.manifest.display().to_string(),
        ..Json::default()
    };
    let manifest: Option<Manifest> = std::fs::read(&summary.manifest)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    for e in manifest.map(|m| m.rows).unwrap_or_default() {
        let files: Vec<FileOut> = e
            .files
            .iter()
            .map(|f| FileOut {
                path: out_dir.join(&f.file).display().to_string(),
                pages: f.file.ends_with(".pdf").then_some(e.pages).flatten(),
            })
            .collect();
        let (mut warnings, mut errors) = (Vec::new(), Vec::new());
        for m in &e.messages {
            if let Some(w) = m.strip_prefix("warning: ") {
                let (location, message) = split_location(w, &e.label);
                warnings.push(Warning::at_location(&location, message));
            } else {
                let m = m.strip_prefix("error: ").unwrap_or(m);
                let mut lines = m.split("\nhint: ");
                let (location, message) = split_location(lines.next().unwrap_or(""), &e.label);
                let mut error = Error::at_location(&location, message);
                error.hints = lines.map(str::to_string).collect();
                errors.push(error);
            }
        }
        j.files.extend(files.iter().map(|f| FileOut {
            path: f.path.clone(),
            pages: f.pages,
        }));
        j.warnings.extend(warnings.iter().cloned());
        j.errors.extend(errors.iter().cloned());
        j.rows.push(Row {
            row: e.row,
            label: e.label,
            name: e.name,
            status: e.status,
            files,
            warnings,
            errors,
        });
    }
    j
}

/// A manifest message `location: message` split again. The manifest keeps them as text; a
/// location is the row's label and what follows it up to `: ` (`a.csv:row 3 (through
/// shuzhi):5`), or else a first part without spaces (`shuzhi.hbs:5:15`).
fn split_location(text: &str, label: &str) -> (String, String) {
    if let Some(rest) = text.strip_prefix(label)
        && let Some((more, message)) = rest.split_once(": ")
    {
        return (format!("{label}{more}"), message.to_string());
    }
    match text.split_once(": ") {
        Some((loc, message)) if !loc.contains(char::is_whitespace) => {
            (loc.to_string(), message.to_string())
        }
        _ => (String::new(), text.to_string()),
    }
}
