//! `gongwen check`: lint a Word file against the layout; `--fix` writes a conformant copy.

use std::path::PathBuf;
use std::process::ExitCode;

use gongwen::error::Error;
use gongwen::spec::Layout;

use super::{FontArgs, say, tell};

/// Check a Word file (.docx, ours or anyone's) against GB/T 9704: page, margins, grid, faces,
/// sizes, headings, indents, line spacing, page numbers, 署名 and 版记. Exit 1 when there are
/// findings
#[derive(clap::Args)]
#[command(after_help = "Examples:
  gongwen check 通知.docx
  gongwen check 通知.docx --json
  gongwen check 信函.docx --layout xinhan
  gongwen check --fix 通知.docx -o output/")]
pub struct Args {
    /// The Word file (.docx)
    input: PathBuf,
    /// Print {file, findings: [...]} as JSON instead of lines
    #[arg(long)]
    json: bool,
    /// Write a conformant copy (the text through the Word-file import and the normal render,
    /// DOCX and PDF) into the output folder
    #[arg(long)]
    fix: bool,
    /// Output folder for --fix
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(a: Args) -> Result<ExitCode, Error> {
    let layout_name = a
        .fonts
        .layout
        .clone()
        .unwrap_or_else(|| gongwen::spec::DEFAULT_LAYOUT.into());
    let layout = Layout::load(&layout_name)?;
    let name = a.input.display().to_string();
    if a.input.is_dir() {
        return Err(Error::io(&a.input, "is a directory, not a file")
            .hint("name a Word file: gongwen check 通知.docx"));
    }
    let bytes = std::fs::read(&a.input).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => format!("cannot read ({e})"),
        };
        Error::io(&a.input, why)
    })?;
    let findings = gongwen::check::check(&bytes, &name, &layout)?;
    if a.json {
        let v = serde_json::json!({ "file": name, "layout": layout_name, "findings": findings });
        say(format_args!(
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        ));
    } else {
        for f in &findings {
            say(format_args!("{}", f.line(&name)));
        }
        match findings.len() {
            0 => say(format_args!("{name}: no findings against {layout_name}")),
            1 => say(format_args!("{name}: 1 finding against {layout_name}")),
            n => say(format_args!("{name}: {n} findings against {layout_name}")),
        }
    }
    if !a.fix {
        return Ok(if findings.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    // --fix: the text through the Word-file import and the normal pipeline; the layout decides
    // every face, size and position. `render` refuses to write over the input.
    let opts = super::render_options(
        &a.fonts,
        None,
        a.out.clone(),
        super::Format::Both,
        false,
        false,
    );
    let r = gongwen::render(&a.input, &opts)?;
    for w in &r.warnings {
        tell(format_args!("warning: {w}"));
    }
    let docx = r
        .files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "docx"));
    for f in &r.files {
        say(format_args!("fixed: {} ({} pages)", f.display(), r.pages));
    }
    // The copy is checked as the original was: what it still breaks is printed.
    if let Some(d) = docx {
        let bytes = std::fs::read(d).map_err(|e| Error::io(d, format!("cannot read ({e})")))?;
        let left = gongwen::check::check(&bytes, &d.display().to_string(), &layout)?;
        for f in &left {
            say(format_args!("{}", f.line(&d.display().to_string())));
        }
        if !left.is_empty() {
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
