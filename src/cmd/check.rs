//! `gongwen check`: lint a Word file against the layout; `--fix` writes a conformant copy and
//! checks it: the layout rules, and every paragraph's part against the input's (a changed part,
//! or a 版头 or 标题 the copy lost, is a finding: never "no findings" on such a copy).

use std::path::PathBuf;
use std::process::ExitCode;

use gongwen::error::Error;
use gongwen::spec::LayoutSpec;

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
    let name = a.input.display().to_string();
    if a.input.is_dir() {
        return Err(Error::io(&a.input, "is a directory, not a file")
            .key("input.is_directory")
            .hint("name a Word file: gongwen check 通知.docx"));
    }
    let input = std::fs::read(&a.input).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::io(&a.input, "no such file").key("input.missing"),
        _ => Error::io(&a.input, format!("cannot read ({e})"))
            .key("input.unreadable")
            .arg("reason", e),
    })?;
    // The command line's layout, else the one our DOCX records (as `render` reads it back).
    let layout_name = a
        .fonts
        .layout
        .clone()
        .or_else(|| gongwen::read::docx::recorded_layout(&input, &a.input))
        .unwrap_or_else(|| gongwen::spec::DEFAULT_LAYOUT.into());
    let layout = LayoutSpec::load(&layout_name)?;
    let findings = gongwen::check::check(&input, &name, &layout)?;
    // --fix: the text through the Word-file import and the normal pipeline; the layout decides
    // every face, size and position. `render` refuses to write over the input. The copy is
    // checked as the original was.
    let fixed = if a.fix {
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
        let mut left = Vec::new();
        let mut checked = String::new();
        if let Some(d) = r
            .files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "docx"))
        {
            checked = d.display().to_string();
            let bytes = std::fs::read(d).map_err(|e| {
                Error::io(d, format!("cannot read ({e})"))
                    .key("input.unreadable")
                    .arg("reason", e)
            })?;
            left = gongwen::check::check(&bytes, &checked, &layout)?;
            // A copy whose paragraphs' parts changed is no clean copy: name each change.
            let changed = gongwen::check::role_changes(&input, &name, &bytes, &checked)?;
            left.extend(changed);
            left.sort_by_key(|f| f.paragraph);
        }
        Some((r, checked, left))
    } else {
        None
    };
    let summary = |file: &str, n: usize| match n {
        0 => format!("{file}: no findings against {layout_name}"),
        1 => format!("{file}: 1 finding against {layout_name}"),
        n => format!("{file}: {n} findings against {layout_name}"),
    };
    if a.json {
        let mut v =
            serde_json::json!({ "file": name, "layout": layout_name, "findings": findings });
        if let Some((r, _, left)) = &fixed {
            v["fixed"] = serde_json::json!({
                "files": r.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                "pages": r.pages,
                "findings": left,
            });
        }
        say(format_args!(
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        ));
    } else {
        for f in &findings {
            say(format_args!("{}", f.line(&name)));
        }
        say(format_args!("{}", summary(&name, findings.len())));
        if let Some((r, checked, left)) = &fixed {
            for f in &r.files {
                say(format_args!("fixed: {} ({} pages)", f.display(), r.pages));
            }
            for f in left {
                say(format_args!("{}", f.line(checked)));
            }
            if !checked.is_empty() {
                say(format_args!("{}", summary(checked, left.len())));
            }
        }
    }
    // Exit 1 when the file (or, with --fix, the copy) breaks the format.
    let bad = match &fixed {
        Some((_, _, left)) => !left.is_empty(),
        None => !findings.is_empty(),
    };
    Ok(if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
