//! `gongwen serve`: a local web page for the office — paste or drop a draft, see its pages and
//! what each line became, download the PDF and DOCX, check a Word file.
//!
//! One axum server on a tokio runtime. The page ([`page`]) is embedded in the binary and needs
//! nothing from the network. Each request's upload goes into its own temporary folder
//! (`tempfile`), removed when the request ends; what a render made (PNG pages, PDF, DOCX) is kept
//! in memory for the downloads, the last [`KEEP`] results only. No account, no database.
//!
//! Rendering is CPU work: it runs on tokio's blocking pool (`spawn_blocking`), never on the
//! threads that answer requests.

mod page;
mod routes;
mod work;

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::fonts::FontOptions;

pub use work::Output;

/// The largest upload taken (a draft, a Word file or a sheet): 20 MB. A larger body is refused
/// before it is read (its `Content-Length`), and the page says so before sending it.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// How many results are kept in memory for their downloads.
pub const KEEP: usize = 24;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`127.0.0.1` by default).
    pub host: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Take connections from other hosts too.
    pub allow_remote: bool,
    /// Where fonts are looked for.
    pub fonts: FontOptions,
}

/// What the handlers share.
pub struct AppState {
    pub(crate) config: Config,
    /// The last results, newest last.
    pub(crate) results: Mutex<VecDeque<Arc<Output>>>,
    pub(crate) next_id: Mutex<u64>,
}

impl AppState {
    fn new(config: Config) -> AppState {
        AppState {
            config,
            results: Mutex::new(VecDeque::new()),
            next_id: Mutex::new(1),
        }
    }

    /// Keep a result, dropping the oldest past [`KEEP`]; returns its id.
    pub(crate) fn keep(&self, mut out: Output) -> u64 {
        let id = {
            let mut n = self.next_id.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            *n
        };
        out.id = id;
        let mut r = self.results.lock().unwrap_or_else(|e| e.into_inner());
        r.push_back(Arc::new(out));
        while r.len() > KEEP {
            r.pop_front();
        }
        id
    }

    pub(crate) fn get(&self, id: u64) -> Option<Arc<Output>> {
        let r = self.results.lock().unwrap_or_else(|e| e.into_inner());
        r.iter().find(|o| o.id == id).cloned()
    }
}

/// May a connection from `peer` be served? Loopback always; others only with `--allow-remote`.
/// The peer's own address is checked, not the address listened on: `--host 0.0.0.0` alone does
/// not open the page to the network.
pub fn peer_allowed(peer: IpAddr, allow_remote: bool) -> bool {
    allow_remote || peer.is_loopback() || peer.to_canonical().is_loopback()
}

async fn guard(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    if !peer_allowed(peer.ip(), state.config.allow_remote) {
        return (
            StatusCode::FORBIDDEN,
            "此页面只对本机开放（gongwen serve --allow-remote 才允许其他电脑访问）\n",
        )
            .into_response();
    }
    // Refused from its Content-Length, before a byte of the body is read (the body limit
    // alone would read up to the limit first).
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD as u64) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(serde_json::json!({
                "error": format!("文件太大：上限 {} MB", MAX_UPLOAD >> 20),
                "hints": [],
            })),
        )
            .into_response();
    }
    next.run(req).await
}

/// The router (public for tests: they call it without a socket).
pub fn app(config: Config) -> axum::Router {
    let state = Arc::new(AppState::new(config));
    routes::routes()
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Listen and serve until Ctrl-C / SIGTERM; `ready` is called with the bound address (port 0
/// becomes the port chosen) once connections are taken.
pub fn serve(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::msg(format!("cannot start the server ({e})")))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Error::msg(format!("cannot listen on {addr} ({e})"))
                .hint("another program may use the port: try --port 0 (any free port)")
        })?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::msg(format!("cannot read the bound address ({e})")))?;
        ready(bound);
        let app = app(config).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| Error::msg(format!("the server stopped ({e})")))
    })
}

/// Ctrl-C or SIGTERM: stop taking connections; requests in progress finish and their temporary
/// folders are removed as they end.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_without_the_flag() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(peer_allowed(ip("127.0.0.1"), false));
        assert!(peer_allowed(ip("::1"), false));
        assert!(peer_allowed(ip("::ffff:127.0.0.1"), false));
        assert!(!peer_allowed(ip("192.168.1.20"), false));
        assert!(!peer_allowed(ip("10.0.0.5"), false));
        assert!(!peer_allowed(ip("::ffff:192.168.1.20"), false));
        assert!(peer_allowed(ip("192.168.1.20"), true));
    }
}
