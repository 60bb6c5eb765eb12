//! The `gongwen` command: parse arguments, call the library, print messages. Each subcommand
//! lives in its own file under `cmd/`; this file only dispatches.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gongwen",
    version,
    about = "GB/T 9704-2012 公文 as PDF and DOCX",
    after_help = cmd::EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Render(cmd::render::Args),
    #[cfg(feature = "batch")]
    Batch(cmd::batch::Args),
    /// (Not in this build: it needs the `batch` feature)
    #[cfg(not(feature = "batch"))]
    #[command(hide = true)]
    Batch(cmd::Absent),
    Fonts(cmd::fonts::Args),
    Layouts(cmd::layouts::Args),
    New(cmd::new::Args),
    Explain(cmd::explain::Args),
    Preview(cmd::preview::Args),
    Templates(cmd::templates::Args),
    Check(cmd::check::Args),
    #[cfg(feature = "serve")]
    Serve(cmd::serve::Args),
    /// (Not in this build: it needs the `serve` feature)
    #[cfg(not(feature = "serve"))]
    #[command(hide = true)]
    Serve(cmd::Absent),
}

fn main() -> ExitCode {
    cmd::tune_allocator();
    let result = match Cli::parse().command {
        Command::Render(a) => cmd::render::run(a),
        #[cfg(feature = "batch")]
        Command::Batch(a) => cmd::batch::run(a),
        #[cfg(not(feature = "batch"))]
        Command::Batch(_) => cmd::absent("batch"),
        Command::Fonts(a) => cmd::fonts::run(a),
        Command::Layouts(a) => cmd::layouts::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Preview(a) => cmd::preview::run(a),
        Command::Templates(a) => cmd::templates::run(a),
        Command::Check(a) => cmd::check::run(a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => {
            cmd::few_arenas();
            cmd::serve::run(a)
        }
        #[cfg(not(feature = "serve"))]
        Command::Serve(_) => cmd::absent("serve"),
    };
    result.unwrap_or_else(|e| {
        cmd::tell(format_args!("error: {e}"));
        ExitCode::FAILURE
    })
}
