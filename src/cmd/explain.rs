//! `gongwen explain`: each line of a draft with what it became, and the warnings.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;

/// Show what each line of a draft became (标题, 主送, 一级标题, 表格, 署名, 日期 …) and the
/// warnings, without rendering
#[derive(clap::Args)]
pub struct Args {
    /// The report (UTF-8 or GBK text, or a .docx), or data file (.yaml, .json, .toml)
    input: PathBuf,
    /// Template name (in layouts/templates/) or path [default: the one the data names]
    #[arg(long)]
    template: Option<String>,
    /// Print the lines and warnings as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let opts = gongwen::Options {
        template: a.template,
        ..gongwen::Options::default()
    };
    let e = gongwen::explain::explain(&a.input, &opts)?;
    if a.json {
        let json = serde_json::to_string_pretty(&e)
            .map_err(|e| gongwen::error::Error::msg(e.to_string()))?;
        say(format_args!("{json}"));
        return Ok(ExitCode::SUCCESS);
    }
    say(format_args!("{} — lines of {}", e.source, e.lines_of));
    let width = e.lines.iter().map(|l| columns(&l.role)).max().unwrap_or(0);
    // Each line's warnings, found once: filtering every warning for every line was quadratic
    // (40,000 typed `1、` lines, each warned about, took 3.8 s).
    let mut by_line: std::collections::HashMap<usize, Vec<&str>> = Default::default();
    for w in &e.warnings {
        if let Some(n) = w.line {
            by_line.entry(n).or_default().push(&w.message);
        }
    }
    let lines: std::collections::HashSet<usize> = e.lines.iter().map(|l| l.line).collect();
    for l in &e.lines {
        let pad = " ".repeat(width - columns(&l.role));
        say(format_args!(
            "{:>4}  {}{pad}  {}",
            l.line,
            l.role,
            l.text.replace('\t', " ⇥ ")
        ));
        // A line shown twice (a line split in two roles) has its warnings under its first.
        for m in by_line.remove(&l.line).unwrap_or_default() {
            say(format_args!("      warning: {m}"));
        }
    }
    for w in &e.warnings {
        if !w.line.is_some_and(|n| lines.contains(&n)) {
            say(format_args!("warning: {}: {}", w.location, w.message));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Terminal columns of a string: a Han character or full-width form takes two.
fn columns(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
