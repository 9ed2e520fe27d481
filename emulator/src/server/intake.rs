//! The guard in front of every gateway handler: the key checked before a byte of the body
//! is read, an oversized body refused, the body read once within its time limits and the
//! memory budget, and each whole answer held in the budget until it is written.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;

use super::AppState;
use super::admit::authenticate;
use super::respond::{Shape, error, shape_of};
use crate::budget::{Exhausted, HeldBody, Reservation};
use crate::config;
use crate::connections::MIN_TIMEOUT;

/// Before any handler: the key is checked (401/403 without reading a byte of the body),
/// a `Content-Length` over `max_body_bytes` is refused (413), and the body is read here,
/// once, into one buffer of its final size ([`read_body`]): its bytes taken from the
/// memory budget, within its time limits. The handler gets it whole; after the handler
/// the body's bytes are given back, and a whole answer takes its own from the budget until
/// it is written.
pub(super) async fn guard(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let shape = shape_of(request.uri().path());
    let limits = &state.config.limits;
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let has_body = announced.is_some_and(|n| n > 0)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    // A refused request's body is not read to its end: the connection closes after the
    // answer.
    let refuse = |mut response: Response| {
        if has_body {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    };
    if let Err(response) = authenticate(&state, request.headers(), shape) {
        return refuse(response);
    }
    if let Some(length) = announced
        && length > limits.max_body_bytes as u64
    {
        return refuse(too_large(shape, length, limits.max_body_bytes));
    }
    let wait = config::duration(limits.body_idle_seconds).max(MIN_TIMEOUT);
    if !has_body {
        let response = next.run(request).await;
        return hold_answer(&state, response, shape, wait).await;
    }
    let (parts, body) = request.into_parts();
    let (body, room) = match read_body(&state, body, announced, shape).await {
        Ok(read) => read,
        Err(response) => return refuse(response),
    };
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    // The handler has answered: the body it read is gone.
    drop(room);
    hold_answer(&state, response, shape, wait).await
}

/// Reads a request body into one buffer, in one pass: with `announced` length, its room
/// in the budget is taken first and the buffer made at its size; without, each chunk
/// takes its room as it comes (503 `overloaded` when none frees within
/// `body_idle_seconds`). A pause over `body_idle_seconds`, or more than
/// `body_timeout_seconds` in all, is 408; more than `max_body_bytes` is 413.
async fn read_body(
    state: &AppState,
    body: Body,
    announced: Option<u64>,
    shape: Shape,
) -> Result<(Bytes, Reservation), Response> {
    use futures_util::StreamExt;
    let limits = &state.config.limits;
    let idle = config::duration(limits.body_idle_seconds).max(MIN_TIMEOUT);
    let total = config::duration(limits.body_timeout_seconds).max(MIN_TIMEOUT);
    let deadline = tokio::time::Instant::now() + total;
    let mut room = Reservation::default();
    // At most max_body_bytes, checked by the caller.
    let announced = announced.map(|n| n as usize);
    if let Some(length) = announced {
        room = state
            .budget
            .reserve(length, idle)
            .await
            .map_err(|Exhausted| overloaded(shape, limits))?;
    }
    let mut buffer = bytes::BytesMut::with_capacity(announced.unwrap_or(0));
    let mut chunks = body.into_data_stream();
    loop {
        let wait = idle.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let chunk = match tokio::time::timeout(wait, chunks.next()).await {
            Ok(Some(Ok(chunk))) => chunk,
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(error(
                    shape,
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    &format!("the request body could not be read: {e}"),
                    json!({}),
                ));
            }
            Err(_) => {
                let message = format!(
                    "the request body did not arrive in time (a pause over {} s, or more than {} s in all)",
                    idle.as_secs_f64(),
                    total.as_secs_f64()
                );
                return Err(error(
                    shape,
                    StatusCode::REQUEST_TIMEOUT,
                    "invalid_request_error",
                    &message,
                    json!({"code": "request_timeout"}),
                ));
            }
        };
        let length = buffer.len() + chunk.len();
        if length > limits.max_body_bytes {
            return Err(too_large(shape, length as u64, limits.max_body_bytes));
        }
        if announced.is_none() {
            let more = state
                .budget
                .reserve(chunk.len(), idle)
                .await
                .map_err(|Exhausted| overloaded(shape, limits))?;
            room.merge(more);
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok((buffer.freeze(), room))
}

/// `response`, holding its length in the memory budget until it is written; 503 when the
/// budget has no room for it within `wait`. Streams (no known length) make their events
/// as they go and hold nothing.
async fn hold_answer(
    state: &AppState,
    response: Response,
    shape: Shape,
    wait: Duration,
) -> Response {
    let length = http_body::Body::size_hint(response.body()).exact();
    let Some(length) = length.filter(|n| *n > 0) else {
        return response;
    };
    match state.budget.reserve(length as usize, wait).await {
        Ok(room) => response.map(|body| HeldBody::wrap(body, room)),
        Err(Exhausted) => overloaded(shape, &state.config.limits),
    }
}

/// 503 when the memory budget has no room: retryable, after a second.
fn overloaded(shape: Shape, limits: &config::Limits) -> Response {
    let message = format!(
        "the emulator's memory budget ({} bytes for request bodies and answers, \
         limits.memory_budget_bytes) is taken by other requests; retry",
        limits.memory_budget_bytes
    );
    let mut response = error(
        shape,
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded_error",
        &message,
        json!({"code": "overloaded"}),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// 413 in the gateway's shape.
fn too_large(shape: Shape, length: u64, limit: usize) -> Response {
    let kind = match shape {
        Shape::Anthropic => "request_too_large",
        Shape::OpenAi => "invalid_request_error",
    };
    error(
        shape,
        StatusCode::PAYLOAD_TOO_LARGE,
        kind,
        &format!("the request body is {length} bytes; at most {limit} are accepted"),
        json!({"code": "request_too_large"}),
    )
}
