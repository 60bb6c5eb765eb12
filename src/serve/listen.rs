//! The socket side of `serve`: an accept loop of our own (axum's `serve` has no header
//! timeout and no cap on connections: 20,100 slow connections stopped it answering, issue
//! 19), signals, and the upload folders of this and of crashed earlier servers.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use super::{Config, app_with};
use crate::error::Error;

/// How long a client may take to send a request's headers (and, on a kept-alive connection,
/// to start the next one): 10 s. A browser sends them at once.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once, at most: 256. One more is answered 503 at once and closed,
/// rather than left waiting for a slot (a page has a few; slow clients cannot take them all
/// for longer than [`HEADER_TIMEOUT`] or [`super::BODY_TIMEOUT`]).
pub const MAX_CONNECTIONS: usize = 256;

/// How long requests in progress are given to finish after SIGTERM or Ctrl-C: the server
/// stops within a second even while a render is blocked (it is abandoned, its folder removed).
pub const STOP_GRACE: Duration = Duration::from_millis(500);

/// The name every upload folder starts with, then this process's id and `-`: a later server
/// can tell which folders a crashed one left.
pub const UPLOAD_PREFIX: &str = "gongwen-serve-";

/// This process's upload folders' prefix (`gongwen-serve-PID-`).
pub fn upload_prefix() -> String {
    format!("{UPLOAD_PREFIX}{}-", std::process::id())
}

/// The answer to a connection past [`MAX_CONNECTIONS`].
fn busy() -> Vec<u8> {
    let body = "服务器正忙（连接太多），请稍后再试\n";
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Listen and serve until Ctrl-C / SIGTERM; `ready` is called with the bound address (port 0
/// becomes the port chosen) once connections are taken. It prints nothing and leaves malloc as
/// it is: `gongwen serve` caps its arenas first (each render runs on a thread of its own).
pub fn serve(mut config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    sweep(|pid| pid != std::process::id() && !alive(pid));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Error::msg(format!("cannot start the server ({e})"))
                .key("serve.runtime")
                .arg("reason", e)
        })?;
    let result = rt.block_on(async move {
        let addr = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Error::msg(format!("cannot listen on {addr} ({e})"))
                .key("serve.listen")
                .arg("address", addr)
                .arg("reason", &e)
                .hint("another program may use the port: try --port 0 (any free port)")
        })?;
        let bound = listener.local_addr().map_err(|e| {
            Error::msg(format!("cannot read the bound address ({e})"))
                .key("serve.address")
                .arg("reason", e)
        })?;
        // The Host header is checked against the port really served.
        config.port = bound.port();
        let (app, _) = app_with(config);
        ready(bound);
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let stop = stop_signal();
        tokio::pin!(stop);
        loop {
            let (stream, peer) = tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    // Out of file descriptors and the like: wait a little, not a busy loop.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                },
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                tokio::spawn(async move {
                    let mut stream = stream;
                    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&busy()))
                        .await;
                });
                continue;
            };
            let app = app.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
                    let mut req = req.map(axum::body::Body::new);
                    req.extensions_mut().insert(ConnectInfo(peer));
                    app.clone().oneshot(req)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(slot);
            });
        }
        // Requests in progress get a moment to finish; then they are abandoned.
        let _ = tokio::time::timeout(STOP_GRACE, slots.acquire_many(MAX_CONNECTIONS as u32)).await;
        Ok(())
    });
    // Abandoned renders run on their own threads, which end with the process.
    rt.shutdown_timeout(Duration::from_millis(100));
    let me = std::process::id();
    sweep(|pid| pid == me);
    result
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
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

/// Is process `pid` running?
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Remove the upload folders in the temporary folder whose server `gone(pid)` says is gone.
/// Only folders (not symbolic links) named `gongwen-serve-PID-…`; the older form without a
/// pid (`gongwen-serve-XXXXXX`, from servers before issue 19) when over a day old.
fn sweep(gone: impl Fn(u32) -> bool) {
    let tmp = std::env::temp_dir();
    let Ok(dir) = std::fs::read_dir(&tmp) else {
        return;
    };
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(UPLOAD_PREFIX) else {
            continue;
        };
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        let remove = match rest.split_once('-') {
            Some((pid, _)) => pid.parse::<u32>().is_ok_and(&gone),
            None => meta
                .modified()
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .is_some_and(|age| age > Duration::from_secs(24 * 3600)),
        };
        if remove {
            let _ = std::fs::remove_dir_all(Path::new(&tmp).join(&name));
        }
    }
}
