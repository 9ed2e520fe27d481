//! How the emulator answers: the gateways' two error shapes, JSON and server-sent event
//! responses, and the outer layers that give axum's own errors those shapes and log one
//! line per request.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::content;

/// The error shape of a path: Anthropic's on `/messages`, OpenAI's elsewhere.
pub(super) fn shape_of(path: &str) -> Shape {
    if path.ends_with("/messages") {
        Shape::Anthropic
    } else {
        Shape::OpenAi
    }
}

/// Puts the errors axum answers by itself (405 wrong method, 413 body too large, 400
/// body unreadable, ...), which are plain text or empty, in the gateway's JSON error
/// shape, as every other error of the emulator. `/files/` answers are left alone.
pub(super) async fn gateway_errors(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error())
        || is_json
        || path.starts_with("/files/")
    {
        return response;
    }
    let shape = shape_of(&path);
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let allow = parts
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (kind, code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "invalid_request_error",
            "method_not_allowed",
            format!("{method} is not allowed on {path}; allowed: {allow}"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            match shape {
                Shape::Anthropic => "request_too_large",
                Shape::OpenAi => "invalid_request_error",
            },
            "request_too_large",
            text.trim().to_string(),
        ),
        s if s.is_server_error() => ("api_error", "api_error", text.trim().to_string()),
        _ => (
            "invalid_request_error",
            "invalid_request_error",
            text.trim().to_string(),
        ),
    };
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        message
    };
    let mut shaped = error(shape, status, kind, &message, json!({"code": code}));
    for name in [header::ALLOW, header::CONNECTION] {
        if let Some(value) = parts.headers.get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    shaped
}

/// One line per request: method, path, status, time.
pub(super) async fn log_line(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(target: "modelgate_emulator", "{method} {path} -> {} in {} ms", response.status().as_u16(), started.elapsed().as_millis());
    response
}

/// How errors look on an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{"error": {"message", "type", "code", "param"}}`.
    OpenAi,
    /// `{"type": "error", "error": {"type", "message"}}`.
    Anthropic,
}

pub(crate) fn error(
    shape: Shape,
    status: StatusCode,
    kind: &str,
    message: &str,
    extra: Value,
) -> Response {
    let body = match shape {
        Shape::OpenAi => {
            let mut e = json!({"message": message, "type": kind, "code": kind, "param": null});
            if let (Value::Object(e), Value::Object(extra)) = (&mut e, extra) {
                e.extend(extra);
            }
            json!({"error": e})
        }
        Shape::Anthropic => {
            let mut e = json!({"type": kind, "message": message});
            if let (Value::Object(e), Value::Object(mut extra)) = (&mut e, extra) {
                // Anthropic errors have no `code` or `param`; the violations list stays.
                extra.remove("code");
                extra.remove("param");
                e.extend(extra);
            }
            json!({"type": "error", "error": e})
        }
    };
    json_response(status, &body)
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let text = body.to_string();
    let request_id = format!("req_{:016x}", content::seed(text.as_bytes()));
    let mut r = (status, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut().insert(
        "x-request-id",
        HeaderValue::from_str(&request_id).unwrap_or(HeaderValue::from_static("req")),
    );
    r
}

/// A server-sent events response from a stream of events.
pub(crate) fn sse_response(
    events: impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
) -> Response {
    let mut r = Response::new(Body::from_stream(events));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Events sent with pacing; after `drop_after` events the connection is cut.
pub(crate) fn paced(
    events: Vec<String>,
    pacing: Duration,
    drop_after: Option<usize>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let limit = drop_after.unwrap_or(usize::MAX);
    futures_util::stream::unfold(
        (events.into_iter().enumerate(), false),
        move |(mut it, cut)| async move {
            if cut {
                return None;
            }
            let (i, event) = it.next()?;
            if i >= limit {
                // Give the client time to read what was sent before the cut.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Some((
                    Err(std::io::Error::other("stream dropped (injected fault)")),
                    (it, true),
                ));
            }
            if i > 0 && !pacing.is_zero() {
                tokio::time::sleep(pacing).await;
            }
            Some((Ok(Bytes::from(event)), (it, false)))
        },
    )
}
