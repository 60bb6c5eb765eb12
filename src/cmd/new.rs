//! `gongwen new layout|template NAME --from …`: start a house layout or template in the working
//! folder from a bundled one.
//!
//! A new layout is `base = "gbt9704"` plus the keys offices usually change, commented out with
//! the base's values — not a full copy: a full copy freezes every number of the day it was made
//! (a fix to the bundled file never reaches it) and hides which numbers the house changed; with
//! `base` the file is exactly the house's differences. A new template is a whole copy (a
//! Handlebars file has no inheritance).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gongwen::error::Error;
use gongwen::spec::LayoutSpec;

use super::say;

const EXAMPLES: &str = "\
Examples:
  gongwen new layout house                     # ./house.toml: base = \"gbt9704\" and the keys to change
  gongwen new layout 信函 --from xinhan
  gongwen new template 述职 --from shuzhi       # ./述职.hbs, a copy of layouts/templates/shuzhi.hbs
  gongwen render report.txt --layout ./house.toml
  gongwen render data.yaml --template ./述职.hbs";

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Kind {
    /// A layout file (NAME.toml) that takes every key it does not give from --from
    Layout,
    /// A Handlebars template (NAME.hbs), a copy of --from
    Template,
}

/// Start a house layout or template in the working folder from a bundled one (never overwrites)
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// What to make
    #[arg(value_enum)]
    kind: Kind,
    /// Its name: writes ./NAME.toml or ./NAME.hbs
    name: String,
    /// The bundled layout or template (or a path) to start from [default: gbt9704 for a
    /// layout; required for a template]
    #[arg(long)]
    from: Option<String>,
}

pub fn run(a: Args) -> Result<ExitCode, Error> {
    let ext = match a.kind {
        Kind::Layout => "toml",
        Kind::Template => "hbs",
    };
    let stem = a.name.strip_suffix(&format!(".{ext}")).unwrap_or(&a.name);
    if stem.is_empty() || stem.contains(['/', '\\']) || stem.starts_with('.') {
        return Err(
            Error::msg(format!("'{}' cannot be a file name here", a.name))
                .hint("a plain name, written in the working folder: gongwen new layout house"),
        );
    }
    let path = PathBuf::from(format!("{stem}.{ext}"));
    let (text, from, usage) = match a.kind {
        Kind::Layout => {
            let from = a
                .from
                .unwrap_or_else(|| gongwen::spec::DEFAULT_LAYOUT.into());
            let text = layout_text(stem, &from)?;
            (
                text,
                from,
                format!("gongwen render report.txt --layout ./{}", path.display()),
            )
        }
        Kind::Template => {
            let Some(from) = a.from else {
                return Err(Error::msg("which template to start from?").hint(
                    "--from shuzhi (or tongzhi, qingshi, baogao, han, jiyao; see layouts/templates/)",
                ));
            };
            let source = gongwen::template::find(&from);
            let text = std::fs::read_to_string(&source).map_err(|e| {
                Error::io(&source, format!("no template '{from}' ({e})"))
                    .hint("a bundled name (shuzhi, tongzhi, qingshi, baogao, han, jiyao) or a path to a .hbs file")
            })?;
            (
                text,
                from,
                format!("gongwen render data.yaml --template ./{}", path.display()),
            )
        }
    };
    write_new(&path, &text)?;
    say(format_args!("wrote ./{} (from {from})", path.display()));
    say(format_args!("use it: {usage}"));
    Ok(ExitCode::SUCCESS)
}

/// Create `path`, refusing to replace a file that is there.
fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::io(path, "already exists; not overwritten")
                .hint("choose another name, or move the file away first"),
            _ => Error::io(path, format!("cannot write ({e})")),
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, format!("cannot write ({e})")))
}

/// The keys a house usually changes, each with what it is: (table, key, note).
const USUAL: &[(&str, &str, &str)] = &[
    ("page", "top_mm", "天头, paper top to body area (5.2.2)"),
    ("page", "left_mm", "订口, paper left to body area (5.2.2)"),
    ("grid", "lines", "lines a page (5.2.3)"),
    ("grid", "chars", "characters a line (5.2.3)"),
    (
        "grid",
        "line_pitch_pt",
        "distance between lines; lines × pitch must fit the body area",
    ),
    (
        "faces.fangsong",
        "office",
        "the body face's name as the office PCs have it",
    ),
    ("faces.xiaobiaosong", "office", "the title face's name"),
    ("elements.title", "size_pt", "2号 = 22 (7.3.1)"),
    ("elements.body", "size_pt", "3号 = 16 (5.2.3)"),
    (
        "elements.body",
        "first_line_chars",
        "first-line indent in characters",
    ),
    (
        "elements.heading1",
        "keep_with_next",
        "keep a heading with the line after it",
    ),
    (
        "page_number",
        "placement",
        "\"outside\" (odd right, even left, 7.5) or \"center\"",
    ),
    (
        "page_number",
        "first_page",
        "whether page 1 shows its number",
    ),
    ("masthead", "top_mm", "top of the 发文机关标志 (7.2.5)"),
    (
        "colophon",
        "double_sided",
        "the 版记 on an even page (double-sided printing)",
    ),
    (
        "seal",
        "space_before_lines",
        "blank lines above the 署名, room for the seal",
    ),
];

/// A new layout: `base = FROM`, a description, and [`USUAL`] commented out with the base's
/// values (table headers left in: an empty table changes nothing, and a key uncommented under
/// its header lands in the right table).
fn layout_text(stem: &str, from: &str) -> Result<String, Error> {
    LayoutSpec::load(from).map_err(|e| {
        e.hint(format!(
            "--from takes a bundled layout ({}) or a path",
            gongwen::spec::bundled_names().join(", ")
        ))
    })?;
    // The base's values with its own bases merged in, so a value shown is the one inherited.
    let merged = LayoutSpec::merged_tree(from)?;
    let mut out = format!(
        "# {stem}.toml — a house layout: every key of the `base` layout, except those given here.\n\
         # Uncomment a line and change its value; any key of {} can be given the same way\n\
         # (tables merge key by key). Use it: gongwen render report.txt --layout ./{stem}.toml\n\
         base = {}\n\
         description = {}\n",
        LayoutSpec::path_of(from).display(),
        toml_str(from),
        toml_str(&format!(
            "{stem}: based on {from} (say here what it is for)"
        )),
    );
    let mut table = "";
    for (t, key, note) in USUAL {
        if *t != table {
            out.push_str(&format!("\n[{t}]\n"));
            table = t;
        }
        let value = t
            .split('.')
            .try_fold(&merged, |tab, k| tab.get(k)?.as_table())
            .and_then(|tab| tab.get(*key))
            // A key the base leaves to its default (only `first_page` here): its default.
            .map_or("true".to_string(), |v| v.to_string());
        let line = format!("# {key} = {value}");
        // Pad by display width: a Han character takes two columns.
        let width: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        let pad = " ".repeat(34usize.saturating_sub(width));
        out.push_str(&format!("{line}{pad}# {note}\n"));
    }
    Ok(out)
}

/// A TOML string literal.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
