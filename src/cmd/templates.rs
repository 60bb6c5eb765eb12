//! `gongwen templates`: the bundled templates and those in the working folder, each with what it
//! makes, its default layout, its fields with their types, and its example data.

use std::process::ExitCode;

use super::say;

/// List the templates: name (what --template takes), what it makes, layout, fields, example
#[derive(clap::Args)]
#[command(after_help = "Examples:
  gongwen templates
  gongwen render data/shuzhi-2023.yaml            # a template's example
  gongwen batch data/officials.xlsx --template shuzhi --name '{{单位}}-{{姓名}}'")]
pub struct Args {}

pub fn run(_: Args) -> Result<ExitCode, gongwen::error::Error> {
    let listed = gongwen::template::list();
    for (i, t) in listed.iter().enumerate() {
        if i > 0 {
            say(format_args!(""));
        }
        match &t.meta {
            Ok(Some(m)) => {
                say(format_args!("{}  {}", t.name, m.description));
                say(format_args!(
                    "  layout:  {}",
                    m.layout.as_deref().unwrap_or(gongwen::spec::DEFAULT_LAYOUT)
                ));
                if let Some(ex) = &m.example {
                    say(format_args!("  example: {ex}"));
                }
                say(format_args!(
                    "  fields:  (? = optional; text unless a type is given)"
                ));
                for f in &m.fields {
                    let alias = f
                        .alias
                        .as_deref()
                        .map(|a| format!("  [also '{a}']"))
                        .unwrap_or_default();
                    let about = f
                        .about
                        .as_deref()
                        .map(|a| format!(" — {a}"))
                        .unwrap_or_default();
                    say(format_args!("    {}{about}{alias}", f.describe()));
                }
            }
            Ok(None) => say(format_args!(
                "{}  (no header: its fields are not declared)\n  file:    {}",
                t.name,
                t.path.display()
            )),
            Err(why) => say(format_args!("{}  ({why})", t.name)),
        }
    }
    if listed.is_empty() {
        say(format_args!(
            "no templates found (bundled ones are in layouts/templates/)"
        ));
    }
    Ok(ExitCode::SUCCESS)
}
