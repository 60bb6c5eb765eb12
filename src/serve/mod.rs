//! `gongwen serve`: a local web page for the office — paste or drop a draft, see its pages and
//! what each line became, download the PDF and DOCX, check a Word file.
//!
//! One axum server on a tokio runtime, behind an accept loop of our own ([`listen`]: a header
//! timeout, a cap on connections, signals). The page ([`page`]) is embedded in the binary and
//! needs nothing from the network. Every request passes [`guard`]: loopback peers only (unless
//! `--allow-remote`), a `Host` that is the address served, and for a POST a same-origin
//! `Origin` or the page's token (issue 19: any web page could post to us and read the
//! answers). A layout or template is named only from the menus' lists ([`routes`]): bundled
//! ones and `./NAME.toml` / `./NAME.hbs` of the working folder, never a path.
//!
//! Each request's upload goes into its own temporary folder (`gongwen-serve-PID-…`), removed
//! when the request ends, on SIGTERM, or by the next server if this one crashed. What a render
//! made is kept in memory for the downloads under a random id ([`store`]), bounded by count,
//! bytes and time. Rendering is CPU work: at most [`MAX_RENDERS`] at once, each on a thread of
//! its own with a [`RENDER_STACK`] stack, never on the threads that answer requests; a panic
//! there is a 500 for that request only. One [`Engine`] serves every request for the server's
//! life: the fonts, layouts and templates are loaded once and shared.

mod guard;
mod listen;
mod page;
mod routes;
mod store;
mod work;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;

use crate::Engine;
use crate::fonts::FontOptions;

pub use crate::engine::MAX_FONT_BOOKS;
pub use guard::{
    BODIES_IN_FLIGHT, BODY_TIMEOUT, TOKEN_HEADER, host_allowed, peer_allowed, same_origin,
};
pub use listen::{HEADER_TIMEOUT, MAX_CONNECTIONS, STOP_GRACE, UPLOAD_PREFIX, serve};
pub use store::{KEEP, KEEP_BYTES, KEEP_FOR};
pub use work::{MAX_SHOWN_PAGES, Output, PAGE_DPI};

/// The largest upload taken (a draft, a Word file or a sheet): 20 MB. A larger body is refused
/// before it is read (its `Content-Length`), and the page says so before sending it.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// Renders at once, at most: 2 (the machine's cores are what a render needs; more at once
/// only share them and multiply the memory). A request finds a free slot within
/// [`RENDER_WAIT`] or is answered 503.
pub const MAX_RENDERS: usize = 2;

/// How long a render request waits for a free slot before it is answered 503: 20 s.
pub const RENDER_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// The stack of each render's thread: 256 MB (address space, used only as deep as a draft's
/// nesting goes). A Word file of 10,000 nested elements overflowed a tokio worker's 2 MB
/// stack and aborted the whole server (issue 19); the readers bound their depth, and this
/// leaves them a wide margin.
pub const RENDER_STACK: usize = 256 << 20;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`127.0.0.1` by default).
    pub host: IpAddr,
    /// Port; 0 picks a free one (and, without a socket, lets any port through the Host check).
    pub port: u16,
    /// Take connections from other hosts too.
    pub allow_remote: bool,
    /// Host names (besides addresses and this computer's name) the page may be reached by,
    /// with `--allow-remote`.
    pub allow_hosts: Vec<String>,
    /// Where fonts are looked for.
    pub fonts: FontOptions,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            allow_remote: false,
            allow_hosts: vec![],
            fonts: FontOptions::default(),
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub(crate) config: Config,
    /// Host names the Host header may carry with `--allow-remote`.
    pub(crate) names: Vec<String>,
    /// The page's token, sent back in [`TOKEN_HEADER`] when a browser sends no `Origin`.
    pub(crate) token: String,
    /// The page, with its token.
    pub(crate) page: String,
    pub(crate) results: store::Store,
    pub(crate) renders: Arc<tokio::sync::Semaphore>,
    /// Room for request bodies, in KB ([`BODIES_IN_FLIGHT`]).
    pub(crate) bodies: Arc<tokio::sync::Semaphore>,
    /// Fonts, layouts and templates, loaded once for the server's life.
    pub(crate) engine: Engine,
}

impl AppState {
    fn new(config: Config) -> AppState {
        let mut names = config.allow_hosts.clone();
        if let Some(h) = host_name() {
            names.push(h.clone());
            names.push(format!("{h}.local"));
        }
        let token = store::random_id();
        AppState {
            page: page::with_token(&token),
            names,
            token,
            results: store::Store::default(),
            renders: Arc::new(tokio::sync::Semaphore::new(MAX_RENDERS)),
            bodies: Arc::new(tokio::sync::Semaphore::new(BODIES_IN_FLIGHT >> 10)),
            engine: Engine::new(config.fonts.clone()),
            config,
        }
    }

    /// The bytes of the results kept (for tests).
    pub fn kept_bytes(&self) -> usize {
        self.results.bytes()
    }
}

/// This computer's name, as another computer of the office may reach it.
fn host_name() -> Option<String> {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer and its length are ours; the name is NUL-terminated when it fits.
        let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        let end = buf.iter().position(|&b| b == 0)?;
        (r == 0 && end > 0).then(|| String::from_utf8_lossy(&buf[..end]).into_owned())
    }
    #[cfg(not(unix))]
    None
}

/// The router (public for tests and the fuzzer: they call it without a socket).
pub fn app(config: Config) -> axum::Router {
    app_with(config).0
}

/// The router and its state.
pub fn app_with(config: Config) -> (axum::Router, Arc<AppState>) {
    let state = Arc::new(AppState::new(config));
    let router = routes::routes()
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state.clone());
    (router, state)
}
