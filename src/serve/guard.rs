//! What every request passes before a handler sees it (issue 19): the peer (loopback unless
//! `--allow-remote`), the `Host` (the address served, so a page elsewhere cannot reach us by
//! DNS rebinding), the size of the body, and for a request that changes something (POST) a
//! same-origin `Origin` or the page's token (so a page elsewhere cannot post to us); then the
//! body is read within [`BODY_TIMEOUT`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, MAX_UPLOAD};

/// How long the body of a request may take to arrive: 60 s, 20 MB at 350 KB/s. A client that
/// sends slower holds a connection and a buffer for nothing.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// The bytes of request bodies held at once, at most: 128 MB (six uploads of the largest
/// size). 256 connections each sending 20 MB would otherwise hold 5 GB while they wait for a
/// render slot. A request waits for room up to [`super::RENDER_WAIT`], then is answered 503.
pub const BODIES_IN_FLIGHT: usize = 128 << 20;

/// The header the page sends its token in, when a browser sends no `Origin`.
pub const TOKEN_HEADER: &str = "x-gongwen-token";

/// May a connection from `peer` be served? Loopback always; others only with `--allow-remote`.
/// The peer's own address is checked, not the address listened on: `--host 0.0.0.0` alone does
/// not open the page to the network.
pub fn peer_allowed(peer: IpAddr, allow_remote: bool) -> bool {
    allow_remote || peer.is_loopback() || peer.to_canonical().is_loopback()
}

/// Is `host` (a `Host` header, or the host:port of an `Origin`) an address this server is?
/// `localhost` and loopback addresses always; with `--allow-remote`, any IP address (a page
/// reached by its IP cannot be rebound) and the names in `names` (this computer's name and
/// `--allow-host`). The port must be the one served (`port` 0: any, for tests without a
/// socket); no port means 80.
pub fn host_allowed(host: &str, port: u16, allow_remote: bool, names: &[String]) -> bool {
    let host = host.trim();
    let (name, given) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        match after {
            "" => (ip, None),
            p => match p.strip_prefix(':') {
                Some(p) => (ip, Some(p)),
                None => return false,
            },
        }
    } else {
        match host.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match given {
        Some(p) => p.parse::<u16>().is_ok_and(|p| port == 0 || p == port),
        None => port == 0 || port == 80,
    };
    if !port_ok || name.is_empty() {
        return false;
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" {
        return true;
    }
    if let Ok(ip) = name.parse::<IpAddr>() {
        return allow_remote || ip.is_loopback() || ip.to_canonical().is_loopback();
    }
    allow_remote && names.iter().any(|n| n.eq_ignore_ascii_case(&name))
}

/// Is a state-changing request from our own page? Its `Origin` is `http://` + its `Host`
/// (already checked), or, when a browser sends no `Origin`, it carries the page's token.
pub fn same_origin(headers: &HeaderMap, token: &str) -> bool {
    let get = |h: &str| headers.get(h).and_then(|v| v.to_str().ok());
    match (get("origin"), get("host")) {
        (Some(origin), Some(host)) => origin == format!("http://{host}"),
        (Some(_), None) => false,
        (None, _) => get(TOKEN_HEADER).is_some_and(|t| t == token),
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": message, "hints": [] })),
    )
        .into_response()
}

pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let config = &state.config;
    // Without a socket (tests, the fuzzer) there is no peer: it is this process.
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>()
        && !peer_allowed(peer.ip(), config.allow_remote)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "此页面只对本机开放（gongwen serve --allow-remote 才允许其他电脑访问）",
        );
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !host_allowed(host, config.port, config.allow_remote, &state.names) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "这个地址不是 gongwen serve 的地址：请用它启动时显示的地址打开（如 http://127.0.0.1:8080/）",
        );
    }
    // Refused from its Content-Length, before a byte of the body is read (the body limit
    // alone would read up to the limit first).
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD as u64) {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("文件太大：上限 {} MB", MAX_UPLOAD >> 20),
        );
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        && !same_origin(req.headers(), &state.token)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "只接受 gongwen serve 自己页面发来的请求（Origin 不符）",
        );
    }
    // Room for the body among those held (its declared size; the limit when it declares
    // none), kept until the answer is made.
    let kb = declared
        .map_or(MAX_UPLOAD, |n| n as usize)
        .div_ceil(1024)
        .max(1) as u32;
    let room = tokio::time::timeout(
        super::RENDER_WAIT,
        state.bodies.clone().acquire_many_owned(kb),
    )
    .await;
    let Ok(Ok(_room)) = room else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务器正忙：同时上传的文件太多，请稍后再试（server busy: try again later）",
        );
    };
    // The body, whole, within its time and size.
    let (parts, body) = req.into_parts();
    let read = axum::body::to_bytes(body, MAX_UPLOAD);
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, read).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("文件太大或没有传完：上限 {} MB", MAX_UPLOAD >> 20),
            );
        }
        Err(_) => {
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                "文件传得太慢，没有传完：请再试一次",
            );
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
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

    #[test]
    fn hosts_are_the_address_served() {
        let none: &[String] = &[];
        assert!(host_allowed("127.0.0.1:8080", 8080, false, none));
        assert!(host_allowed("localhost:8080", 8080, false, none));
        assert!(host_allowed("LOCALHOST:8080", 8080, false, none));
        assert!(host_allowed("[::1]:8080", 8080, false, none));
        // Another port, a name that could be rebound, an address elsewhere, nothing.
        assert!(!host_allowed("127.0.0.1:8081", 8080, false, none));
        assert!(!host_allowed("127.0.0.1", 8080, false, none));
        assert!(!host_allowed("evil.example:8080", 8080, false, none));
        assert!(!host_allowed("192.168.1.5:8080", 8080, false, none));
        assert!(!host_allowed("", 8080, false, none));
        assert!(!host_allowed("[::1", 8080, false, none));
        assert!(!host_allowed("127.0.0.1:8080:1", 8080, false, none));
        // --allow-remote: addresses, and the names given; still not any name.
        let names = vec!["office-pc".to_string()];
        assert!(host_allowed("192.168.1.5:8080", 8080, true, &names));
        assert!(host_allowed("office-pc:8080", 8080, true, &names));
        assert!(!host_allowed("evil.example:8080", 8080, true, &names));
        assert!(!host_allowed("office-pc:8080", 8080, false, &names));
    }

    #[test]
    fn posts_need_their_own_origin_or_the_token() {
        let h = |pairs: &[(&'static str, &str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, v.parse().unwrap());
            }
            m
        };
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(
            &h(&[host, ("origin", "http://127.0.0.1:8080")]),
            "t"
        ));
        assert!(!same_origin(
            &h(&[host, ("origin", "http://evil.example")]),
            "t"
        ));
        assert!(!same_origin(&h(&[host, ("origin", "null")]), "t"));
        assert!(same_origin(&h(&[host, (TOKEN_HEADER, "t")]), "t"));
        assert!(!same_origin(&h(&[host, (TOKEN_HEADER, "u")]), "t"));
        assert!(!same_origin(&h(&[host]), "t"));
    }
}
