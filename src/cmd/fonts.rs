//! `gongwen fonts`: which font file serves each face of a layout.

use std::process::ExitCode;

use gongwen::Engine;

use super::{FontArgs, font_options, say};

const EXAMPLES: &str = "\
Examples:
  gongwen fonts                                # the bundled layout's faces, system fonts too
  gongwen fonts --layout xinhan --no-system-fonts
  gongwen fonts --font-dir /path/to/office/fonts   # the office's licensed faces first";

/// Show which font file serves each face of the layout
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let fonts = a.fonts;
    let engine = Engine::new(font_options(&fonts));
    let layout = engine.layout(
        fonts
            .layout
            .as_deref()
            .unwrap_or(gongwen::spec::DEFAULT_LAYOUT),
    )?;
    let book = engine.fonts(&layout)?;
    for w in book.warnings() {
        super::tell(format_args!("warning: {w}"));
    }
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
    Ok(ExitCode::SUCCESS)
}
