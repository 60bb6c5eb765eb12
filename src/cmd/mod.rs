//! The subcommands, one file each: their arguments (clap) and how they call the library. What
//! they share (font and layout flags, output formats, printing to a closed pipe) is here.

#[cfg(feature = "batch")]
pub mod batch;
pub mod check;
pub mod explain;
pub mod fonts;
pub mod layouts;
pub mod new;
pub mod preview;
#[cfg(feature = "batch")]
mod progress;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod templates;

use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, ValueEnum};
use gongwen::error::{Error, Warning};
use gongwen::fonts::FontOptions;

#[derive(clap::Args)]
pub struct FontArgs {
    /// Layout name (in layouts/) or path to a layout file [default: the data's, else gbt9704]
    #[arg(long)]
    pub layout: Option<String>,
    /// A folder of fonts to prefer (the office's licensed faces); may be repeated
    #[arg(long = "font-dir")]
    pub font_dirs: Vec<PathBuf>,
    /// Do not look at the system's fonts (use --font-dir and the bundled fonts only)
    #[arg(long)]
    pub no_system_fonts: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Format {
    Pdf,
    Docx,
    Both,
}

/// What `render` and `batch` share: layout, template, fonts, output folder and formats.
pub fn render_options(
    fonts: &FontArgs,
    template: Option<String>,
    out_dir: PathBuf,
    format: Format,
    strict: bool,
    embed_fonts: bool,
) -> gongwen::Options {
    gongwen::Options {
        layout: fonts.layout.clone(),
        template,
        fonts: font_options(fonts),
        strict,
        out_dir,
        pdf: format != Format::Docx,
        docx: format != Format::Pdf,
        embed_fonts,
        png: None,
        max_input_mb: gongwen::DEFAULT_MAX_INPUT_MB,
        keep_pages: false,
        compress: Default::default(),
    }
}

pub fn font_options(a: &FontArgs) -> FontOptions {
    FontOptions {
        dirs: a.font_dirs.clone(),
        system: !a.no_system_fonts,
    }
}

/// A line on standard output; when the reader has gone (`gongwen fonts | head -1`), the program
/// ends quietly with success, as Unix tools do.
pub fn say(line: std::fmt::Arguments) {
    if writeln!(std::io::stdout(), "{line}").is_err() {
        std::process::exit(0);
    }
}

/// A line on standard error (a closed stderr is not worth dying for).
pub fn tell(line: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A usage error of subcommand `sub` (clap's form and exit code 2): options that do not go
/// together in a way clap cannot say.
pub fn usage(sub: &str, message: &str) -> ! {
    let mut cli = crate::Cli::command();
    // Built, so the usage line says `gongwen render`, not `render`.
    cli.build();
    let cmd = cli.find_subcommand_mut(sub).expect("a subcommand of ours");
    cmd.error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

/// How a command reports: as text (default), nothing but errors (`--quiet`), or one JSON
/// object on standard output (`--json`).
#[derive(clap::Args, Clone, Copy)]
pub struct Report {
    /// Print one JSON object on standard output: files, pages, warnings and errors with their
    /// locations
    #[arg(long)]
    pub json: bool,
    /// Print nothing but errors (no progress, no file list, no warnings)
    #[arg(long, short, conflicts_with = "json")]
    pub quiet: bool,
}

/// One output file in `--json`: its path and pages (the PDF's; `null` for a DOCX, which Word
/// paginates).
#[derive(serde::Serialize)]
pub struct FileOut {
    pub path: String,
    pub pages: Option<usize>,
}

/// The JSON object of `render --json` (and the top of `batch --json`).
#[derive(serde::Serialize, Default)]
pub struct Outcome {
    pub files: Vec<FileOut>,
    pub warnings: Vec<Warning>,
    pub errors: Vec<Error>,
}

/// A value as one line of JSON on standard output.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string(value) {
        Ok(s) => say(format_args!("{s}")),
        Err(e) => tell(format_args!("error: cannot write JSON ({e})")),
    }
}

/// End with 130 on Ctrl-C, SIGTERM or SIGHUP, as shells expect of an interrupted program.
/// Files are written whole, so none is left half-written; the temporary files being written
/// are removed first (`process::exit` runs no destructor, and a 26 MB `.gongwen-*` stayed), and
/// the lock on them is held to the end, so no other is created meanwhile. What a run killed
/// outright (SIGKILL) leaves is removed by the next run.
pub fn exit_130_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let _held = gongwen::remove_temporaries();
        std::process::exit(130)
    });
}

/// The arguments of a subcommand this build leaves out (`batch` and `serve` are cargo
/// features): taken whatever they are, so the answer names the feature.
#[cfg(not(all(feature = "batch", feature = "serve")))]
#[derive(clap::Args)]
pub struct Absent {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    _args: Vec<String>,
}

/// The answer of a subcommand this build leaves out.
#[cfg(not(all(feature = "batch", feature = "serve")))]
pub fn absent(sub: &str) -> Result<std::process::ExitCode, Error> {
    Err(
        Error::msg(format!("this gongwen was built without `{sub}`"))
            .key("cli.feature_absent")
            .arg("feature", sub)
            .hint(format!(
                "build it with the `{sub}` feature: cargo install --path . --features {sub}"
            )),
    )
}

/// What `gongwen --help` ends with.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    errors (a bad input, a failed row) or findings
  2    usage: an unknown option, a missing argument, options that do not go together
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP)

Every subcommand's --help ends with examples.";

/// glibc's malloc raises its mmap threshold each time a large block is freed, so the big
/// buffers of a long document (the text, the PDF's streams and bytes) then come from the heap
/// and stay there as holes: a 4 MB report peaked at 346 MB resident instead of 120 MB. A fixed
/// threshold (128 KB, glibc's default before it adapts) hands them back when freed.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; called first thing, before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// glibc's malloc gives freed memory back to the kernel (trimming a heap's top) and maps every
/// block over 128 KB afresh, while a batch frees and allocates the same few MB for each
/// document (font subsets, deflate buffers): each document faulted its pages in again. Kept
/// instead: about 50,000 page faults per 300 reports before, 2,100 after (issue 11). Blocks
/// under 4 MB come from the heap, and up to 64 MB of free heap is kept. Called by `batch`
/// before its worker threads start.
#[cfg(feature = "batch")]
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's parameters (it takes its own locks).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// `serve` renders each request on a thread of its own: without a cap glibc gives threads up to
/// 8 heaps a core, each keeping what it freed. Two are plenty for the server's
/// [`gongwen::serve::MAX_RENDERS`] renders. Called before the server starts any thread.
#[cfg(feature = "serve")]
pub fn few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a malloc setting, made before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
