//! The answers the server gives by itself: the model list (`GET /v1/models`), media files
//! made again from their names, and 404 for a path of neither gateway.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::respond::{Shape, error, json_response};
use super::{AppState, CREATED, admit};
use crate::config::ListFault;
use crate::content;

/// `GET /v1/models`: the catalog's VertexKey models, or the list the config gives
/// ([`ModelList`](crate::config::ModelList)), with its fault if it has one.
pub(super) async fn models(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(r) = admit(&state, &headers, b"", Shape::OpenAi, None).await {
        return r;
    }
    let list = &state.config.models;
    match list.fault {
        Some(ListFault::Unauthorized) => {
            return error(
                Shape::OpenAi,
                StatusCode::UNAUTHORIZED,
                "authentication_error",
                "API key is missing or invalid (models.fault: unauthorized)",
                json!({}),
            );
        }
        Some(ListFault::Malformed) => {
            let mut r = (StatusCode::OK, MALFORMED_LIST).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            return r;
        }
        None => {}
    }
    // Declared VertexKey models the catalog lacks are served, so they are listed too
    // (after the rest; not when the config gives the exact `list`).
    let mut entries = list.entries();
    if list.list.is_none() {
        for d in state.declared.iter() {
            let id = &d.declaration.id;
            if d.info.provider == modelgate::Provider::VertexKey
                && !entries.iter().any(|(listed, _)| listed == id)
            {
                entries.push((id.clone(), crate::config::OWNED_BY.to_string()));
            }
        }
    }
    let data: Vec<Value> = entries
        .into_iter()
        .map(|(id, owned_by)| json!({"id": id, "object": "model", "created": CREATED, "owned_by": owned_by}))
        .collect();
    json_response(StatusCode::OK, &json!({"object": "list", "data": data}))
}

/// The body of `models.fault: malformed`: a list cut off inside its first entry.
pub(crate) const MALFORMED_LIST: &str =
    r#"{"object": "list", "data": [{"id": "aws/claude-opus-4-7", "object": "mod"#;

/// Media files: `img-<seed>-<size>.png`, `vid-<seed>.mp4`, made again from their names.
pub(super) async fn files(Path(name): Path<String>) -> Response {
    let parse = |s: &str| u64::from_str_radix(s, 16).ok();
    if let Some(rest) = name
        .strip_prefix("img-")
        .and_then(|r| r.strip_suffix(".png"))
        && let Some((seed, size)) = rest
            .split_once('-')
            .and_then(|(s, z)| Some((parse(s)?, z.parse::<u32>().ok()?)))
    {
        return (
            [(header::CONTENT_TYPE, "image/png")],
            content::png(size.clamp(1, 64), seed),
        )
            .into_response();
    }
    if let Some(seed) = name
        .strip_prefix("vid-")
        .and_then(|r| r.strip_suffix(".mp4"))
        .and_then(parse)
    {
        return ([(header::CONTENT_TYPE, "video/mp4")], content::video(seed)).into_response();
    }
    (StatusCode::NOT_FOUND, "no such file").into_response()
}

pub(super) async fn not_found(request: Request) -> Response {
    let message = format!(
        "{} {} is not an endpoint of either gateway",
        request.method(),
        request.uri().path()
    );
    error(
        Shape::OpenAi,
        StatusCode::NOT_FOUND,
        "not_found_error",
        &message,
        json!({}),
    )
}
