//! `gongwen layouts`: the bundled layouts and those in the working folder, what each is for and
//! where its file is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongwen::error::Error;
use gongwen::spec::LayoutSpec;

use super::{print_json, say};

const EXAMPLES: &str = "\
Examples:
  gongwen layouts                              # bundled ones, then ./*.toml layouts
  gongwen layouts --json
  gongwen new layout house --from gbt9704      # start a house layout: ./house.toml
  gongwen render report.txt --layout ./house.toml";

/// List the layouts: each bundled one (layouts/*.toml) and any in the working folder, with what
/// it is for and its file
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Print a JSON list: [{name, description, base, path, error}]
    #[arg(long)]
    json: bool,
}

/// One layout as listed.
#[derive(serde::Serialize)]
struct Entry {
    /// What `--layout` takes: a bundled name, or `./house.toml`.
    name: String,
    description: String,
    /// The `base` the file names, if any.
    base: Option<String>,
    path: String,
    /// Why it does not load (a layout in the working folder being written).
    error: Option<String>,
}

pub fn run(a: Args) -> Result<ExitCode, Error> {
    let dir = gongwen::resources::layouts_dir();
    let mut entries: Vec<Entry> = gongwen::spec::bundled_names()
        .into_iter()
        .map(|n| entry(n.clone(), &dir.join(format!("{n}.toml"))))
        .collect();
    entries.extend(
        local_layouts()
            .into_iter()
            .map(|p| entry(format!("./{}", p.display()), &p)),
    );
    if a.json {
        print_json(&entries);
        return Ok(ExitCode::SUCCESS);
    }
    let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for e in &entries {
        let what = match (&e.error, e.description.is_empty(), &e.base) {
            (Some(err), _, _) => format!("does not load: {err}"),
            (None, false, _) => e.description.clone(),
            (None, true, Some(base)) => format!("{base}, with changes"),
            (None, true, None) => "(no description)".into(),
        };
        say(format_args!("{:width$}  {what}", e.name));
        say(format_args!("{:width$}  {}", "", e.path));
    }
    Ok(ExitCode::SUCCESS)
}

fn entry(name: String, path: &Path) -> Entry {
    let base = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("base").and_then(|b| b.as_str()).map(str::to_string));
    let (description, error) = match LayoutSpec::load(&path.display().to_string()) {
        Ok(l) => (l.description, None),
        Err(e) => (String::new(), Some(e.to_string().replace('\n', " "))),
    };
    Entry {
        name,
        description,
        base,
        path: path.display().to_string(),
        error,
    }
}

/// The working folder's `*.toml` files that look like layouts (a `base` key, or a `[page]` or
/// `[grid]` table): `Cargo.toml` and other TOML files are not listed. Only regular files are
/// opened: a FIFO named `x.toml` would block the listing for good, a device never end.
fn local_layouts() -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(".") else {
        return vec![];
    };
    let bundled = std::fs::canonicalize(gongwen::resources::layouts_dir()).ok();
    let mut found: Vec<PathBuf> = dir
        .flatten()
        .map(|e| PathBuf::from(e.file_name()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // Through a symbolic link too: its target is what would be opened.
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
        .filter(|p| {
            // Run inside layouts/ itself, the bundled ones are not listed twice.
            std::fs::canonicalize(".").ok() != bundled
                && std::fs::read_to_string(p)
                    .ok()
                    .and_then(|t| t.parse::<toml::Table>().ok())
                    .is_some_and(|t| ["base", "page", "grid"].iter().any(|k| t.contains_key(*k)))
        })
        .collect();
    found.sort();
    found
}
