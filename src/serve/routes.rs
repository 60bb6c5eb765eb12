//! The routes: the page, the lists it offers (layouts, templates; and only those may be
//! named), render, check, downloads.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::work::{self, Job};
use super::{AppState, MAX_UPLOAD, RENDER_STACK, RENDER_WAIT};
use crate::error::Error;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/",
            get(|State(s): State<Arc<AppState>>| async move { Html(s.page.clone()) }),
        )
        .route("/api/options", get(options))
        .route("/api/render", post(render))
        .route("/api/out/{id}/{what}", get(download))
}

/// What the page's menus offer.
#[derive(Serialize)]
struct Options {
    /// Bundled layout names, then `./NAME.toml` in the working folder.
    layouts: Vec<String>,
    /// Bundled template names, then `./NAME.hbs` in the working folder.
    templates: Vec<String>,
    max_upload: usize,
}

/// The largest layout or template file of the working folder offered: 1 MB (a layout is a
/// few KB). Larger ones, and anything not a regular file (a FIFO named `x.toml` would block
/// the list for good, a device would be read without end), are not offered.
pub const MAX_LOCAL_FILE: u64 = 1 << 20;

/// Regular files of the working folder with this extension, as `./NAME.EXT`.
fn local(ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(".")
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    // Followed, as opening it would: a link to a device is not a file.
                    std::fs::metadata(e.path())
                        .is_ok_and(|m| m.is_file() && m.len() <= MAX_LOCAL_FILE)
                })
                .map(|e| PathBuf::from(e.file_name()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .filter_map(|p| p.to_str().map(|p| format!("./{p}")))
                .filter(|p| !p[2..].contains(['/', '\\']))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The layouts and templates a request may name: what the menus offer, nothing else (issue
/// 19: `template=/etc/passwd` printed that file).
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    pub layouts: Vec<String>,
    pub templates: Vec<String>,
}

impl Allowed {
    pub fn now() -> Allowed {
        let mut layouts = crate::spec::bundled_names();
        layouts.extend(local("toml").into_iter().filter(|p| {
            // Only files that look like layouts (Cargo.toml does not).
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .is_some_and(|t| ["base", "page", "grid"].iter().any(|k| t.contains_key(*k)))
        }));
        let dir = crate::resources::layouts_dir().join("templates");
        let mut templates: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| PathBuf::from(e.file_name()))
                    .filter(|p| p.extension().is_some_and(|x| x == "hbs"))
                    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        templates.sort();
        templates.extend(local("hbs"));
        Allowed { layouts, templates }
    }

    /// `Ok` when `name` is offered as a layout; else the message the page shows.
    pub fn layout(&self, name: &str) -> Result<(), Error> {
        if self.layouts.iter().any(|l| l == name) {
            return Ok(());
        }
        Err(Error::msg(format!("没有这个版式：“{}”", clip(name)))
            .hint("请从“版式”菜单里选：内置版式，或启动 gongwen serve 的文件夹里的 NAME.toml"))
    }

    /// `Ok` when `name` is offered as a template; else the message the page shows.
    pub fn template(&self, name: &str) -> Result<(), Error> {
        if self.templates.iter().any(|t| t == name) {
            return Ok(());
        }
        Err(Error::msg(format!("没有这个模板：“{}”", clip(name)))
            .hint("请从“模板”菜单里选：内置模板，或启动 gongwen serve 的文件夹里的 NAME.hbs"))
    }
}

/// A name as a message quotes it: at most 60 characters.
fn clip(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

async fn options() -> Json<Options> {
    let a = tokio::task::spawn_blocking(Allowed::now)
        .await
        .unwrap_or_default();
    Json(Options {
        layouts: a.layouts,
        templates: a.templates,
        max_upload: MAX_UPLOAD,
    })
}

#[derive(Deserialize)]
struct RenderQuery {
    name: String,
    layout: Option<String>,
    template: Option<String>,
}

/// An error as the page shows it: the message and what to do.
#[derive(Serialize)]
struct Failure {
    error: String,
    hints: Vec<String>,
}

pub(crate) fn failure(status: StatusCode, e: Error) -> Response {
    let error = if e.location().is_empty() {
        e.message
    } else {
        format!("{}: {}", e.location(), e.message)
    };
    (
        status,
        Json(Failure {
            error,
            hints: e.hints,
        }),
    )
        .into_response()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

async fn render(
    State(state): State<Arc<AppState>>,
    Query(q): Query<RenderQuery>,
    body: Bytes,
) -> Response {
    let layout = non_empty(q.layout);
    let template = non_empty(q.template);
    let allowed = match tokio::task::spawn_blocking(Allowed::now).await {
        Ok(a) => a,
        Err(_) => return failure(StatusCode::INTERNAL_SERVER_ERROR, Error::msg("内部错误")),
    };
    let named = layout
        .as_deref()
        .map_or(Ok(()), |l| allowed.layout(l))
        .and_then(|_| template.as_deref().map_or(Ok(()), |t| allowed.template(t)));
    if let Err(e) = named {
        return failure(StatusCode::BAD_REQUEST, e);
    }
    let job = Job {
        name: q.name,
        bytes: body,
        layout,
        template,
        allowed,
    };
    // A slot among MAX_RENDERS, or 503 rather than a queue without end.
    let slot = match tokio::time::timeout(RENDER_WAIT, state.renders.clone().acquire_owned()).await
    {
        Ok(Ok(slot)) => slot,
        _ => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Failure {
                    error:
                        "服务器正忙：同时排版的稿子太多，请稍后再试（server busy: try again later）"
                            .into(),
                    hints: vec![],
                }),
            )
                .into_response();
        }
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let shared = state.clone();
    let spawned = std::thread::Builder::new()
        .name("gongwen-render".into())
        .stack_size(RENDER_STACK)
        .spawn(move || {
            // A panic is this request's 500, not the server's end; the slot is freed when the
            // work ends, even if the client has gone.
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                work::render(&job, &shared.engine)
            }));
            let _ = tx.send(done);
            // What the render freed goes back to the system, not kept by the allocator for a
            // thread that is about to end (a long-running server's memory follows its kept
            // results, not its busiest minute).
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: malloc_trim only releases free memory.
            unsafe {
                libc::malloc_trim(0);
            }
            drop(slot);
        });
    if spawned.is_err() {
        return failure(
            StatusCode::SERVICE_UNAVAILABLE,
            Error::msg("服务器正忙：不能开始排版，请稍后再试"),
        );
    }
    match rx.await {
        Ok(Ok(Ok((out, mut answer)))) => {
            answer.id = state.results.keep(out);
            Json(answer).into_response()
        }
        Ok(Ok(Err(e))) => failure(StatusCode::UNPROCESSABLE_ENTITY, e),
        _ => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            Error::msg("排版时出了内部错误（请把这份稿子发给维护者）"),
        ),
    }
}

/// `filename*=` of RFC 6266 / 5987: a Chinese name, percent-encoded as UTF-8.
fn disposition(name: &str) -> String {
    let mut enc = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"download\"; filename*=UTF-8''{enc}")
}

/// `/api/out/ID/page-N.png`, `…/pdf`, `…/docx`, `…/zip`.
async fn download(
    State(state): State<Arc<AppState>>,
    Path((id, what)): Path<(String, String)>,
) -> Response {
    let Some(out) = state.results.get(&id) else {
        return (
            StatusCode::NOT_FOUND,
            "这个结果已经不在了：请重新排版一次\n",
        )
            .into_response();
    };
    let (bytes, mime, name) = match what.as_str() {
        "pdf" => (
            out.pdf.clone(),
            "application/pdf",
            format!("{}.pdf", out.stem),
        ),
        "docx" => (
            out.docx.clone(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("{}.docx", out.stem),
        ),
        "zip" => (
            out.zip.clone(),
            "application/zip",
            format!("{}.zip", out.stem),
        ),
        p => {
            let n = p
                .strip_prefix("page-")
                .and_then(|s| s.strip_suffix(".png"))
                .and_then(|s| s.parse::<usize>().ok());
            let png = n.and_then(|n| out.pngs.get(n.wrapping_sub(1)).cloned());
            return match png {
                Some(b) => ([(header::CONTENT_TYPE, "image/png")], b).into_response(),
                None => (StatusCode::NOT_FOUND, "没有这一页\n").into_response(),
            };
        }
    };
    match bytes {
        Some(b) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, disposition(&name)),
            ],
            b,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "没有这个文件\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_download_names_are_percent_encoded() {
        assert_eq!(
            disposition("报告 1.pdf"),
            "attachment; filename=\"download\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.pdf"
        );
    }
}
