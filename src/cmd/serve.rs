//! `gongwen serve`: the local web page (the server is [`gongwen::serve`]).

use std::net::IpAddr;
use std::process::ExitCode;

use super::{FontArgs, font_options, say};

/// Serve a web page on this computer: paste or drop a draft, see its pages and what each line
/// became, download the PDF and DOCX (only this computer may connect unless --allow-remote)
#[derive(clap::Args)]
#[command(after_help = "Examples:
  gongwen serve                      # then open http://127.0.0.1:8080/
  gongwen serve --port 0             # any free port; the address is printed
  gongwen serve --host 0.0.0.0 --allow-remote   # let the office's other computers in
  gongwen serve --host 0.0.0.0 --allow-remote --allow-host gongwen.office.lan

The page answers only at the address it is served at (127.0.0.1, localhost, [::1] and the
port; with --allow-remote also any IP address, this computer's name and each --allow-host),
and takes uploads only from its own page. Results are kept 30 minutes (256 MB at most).")]
pub struct Args {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Take connections from other computers too (by default only this one is served)
    #[arg(long)]
    allow_remote: bool,
    /// With --allow-remote: a host name the other computers reach this one by (besides its
    /// addresses and its own name); may be repeated
    #[arg(long, value_name = "NAME", requires = "allow_remote")]
    allow_host: Vec<String>,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(a: Args) -> Result<ExitCode, gongwen::error::Error> {
    let config = gongwen::serve::Config {
        host: a.host,
        port: a.port,
        allow_remote: a.allow_remote,
        allow_hosts: a.allow_host,
        fonts: font_options(&a.fonts),
    };
    // The first line on stdout is the address, for scripts and tests (`--port 0`).
    gongwen::serve::serve(config, |addr| say(format_args!("http://{addr}/")))?;
    Ok(ExitCode::SUCCESS)
}
