//! The routes: the page, the lists it offers (layouts, templates), render, check, downloads.

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
use super::{AppState, MAX_UPLOAD, page};
use crate::error::Error;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { Html(page::HTML) }))
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

/// Files in the working folder with this extension, as `./NAME.EXT`.
fn local(ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(".")
        .map(|d| {
            d.flatten()
                .map(|e| PathBuf::from(e.file_name()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .map(|p| format!("./{}", p.display()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

async fn options() -> Json<Options> {
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
    Json(Options {
        layouts,
        templates,
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
    let error = if e.location.is_empty() {
        e.message
    } else {
        format!("{}: {}", e.location, e.message)
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
    let job = Job {
        name: q.name,
        bytes: body.to_vec(),
        layout: non_empty(q.layout),
        template: non_empty(q.template),
    };
    let fonts = state.config.fonts.clone();
    let done = tokio::task::spawn_blocking(move || work::render(&job, &fonts)).await;
    match done {
        Ok(Ok((out, mut answer))) => {
            answer.id = state.keep(out);
            Json(answer).into_response()
        }
        Ok(Err(e)) => failure(StatusCode::UNPROCESSABLE_ENTITY, e),
        Err(_) => failure(
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
    Path((id, what)): Path<(u64, String)>,
) -> Response {
    let Some(out) = state.get(id) else {
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
