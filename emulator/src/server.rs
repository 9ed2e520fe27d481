//! The server: routes for both gateways' documented paths, and what every request goes
//! through before its handler: authentication (401, 403 without balance), injected faults
//! (by the `x-modelgate-fault` header or by configured rates), and validation with the
//! catalog's generated validators (400 with every violation). Media are served from
//! `/files/...`, regenerated from their names, so memory stays bounded.
//!
//! Connections are served by `connections` within the config's
//! [`Limits`](crate::config::Limits). Before a handler reads a body ([`guard`]) the key is
//! checked, an oversized `Content-Length` refused, the body given its time limits and its
//! bytes taken from the memory budget (`budget`), which also holds each whole answer
//! until it is written.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use modelgate::{Endpoint, Policy, Validator};
use serde_json::{Value, json};

use crate::budget::{Exhausted, HeldBody, MemoryBudget, Reservation};
use crate::config::{self, EmulatorConfig, ListFault};
use crate::connections::{self, MIN_TIMEOUT};
use crate::{anthropic, chat, content, images, jobs};

/// The `created` time every answer carries (fixed, so that answers repeat exactly).
pub(crate) const CREATED: u64 = 1_763_683_200;

/// The emulator's shared state.
pub struct AppState {
    pub(crate) config: EmulatorConfig,
    /// The levels of validation findings (from `config.policy`).
    policy: Arc<Policy>,
    pub(crate) jobs: Mutex<jobs::Jobs>,
    requests: AtomicU64,
    /// Faults already served per (request body, fault spec), for `count=N` faults.
    fault_counts: Mutex<FaultCounts>,
    /// The bytes request bodies and whole answers may hold at once.
    budget: MemoryBudget,
}

/// The most (request, fault spec) pairs [`FaultCounts`] remembers.
const MAX_FAULT_ENTRIES: usize = 10_000;

/// The longest `x-modelgate-fault` value taken (`503; count=2; retry-after=1` is 29).
const MAX_FAULT_SPEC: usize = 256;

/// How often each (request seed, fault spec) pair has been served, with the insertion
/// order so that the oldest entries can be forgotten. Keys are two hashes (the spec's
/// too, never its text), so memory stays bounded whatever the requests send: at most
/// [`MAX_FAULT_ENTRIES`] entries of a few dozen bytes.
#[derive(Default)]
struct FaultCounts {
    counts: HashMap<(u64, u64), u32>,
    order: VecDeque<(u64, u64)>,
}

impl FaultCounts {
    /// Counts one more arrival of `spec` on the request with `seed`; whether it is one of
    /// the first `count`.
    fn first_times(&mut self, seed: u64, spec: &str, count: u32) -> bool {
        let key = (seed, content::seed(spec.as_bytes()));
        let seen = self.counts.entry(key).or_insert(0);
        *seen = seen.saturating_add(1);
        let fault = *seen <= count;
        if *seen == 1 {
            self.order.push_back(key);
            while self.order.len() > MAX_FAULT_ENTRIES
                && let Some(old) = self.order.pop_front()
            {
                self.counts.remove(&old);
            }
        }
        fault
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.counts.len()
    }
}

/// A configured emulator; [`Emulator::router`] gives the axum router, [`Emulator::serve`]
/// runs it.
#[derive(Clone)]
pub struct Emulator {
    state: Arc<AppState>,
}

impl Emulator {
    /// An emulator with `config`. A policy that does not parse (see
    /// [`EmulatorConfig::from_yaml`], which refuses it with its line) falls back to the
    /// default levels, with a logged error that says which rule and why.
    pub fn new(config: EmulatorConfig) -> Self {
        let jobs = jobs::Jobs::new(config.max_jobs);
        let policy = config.policy.policy().unwrap_or_else(|(pointer, message)| {
            tracing::error!(
                pointer,
                "the emulator's policy is not valid ({message}); using the default levels"
            );
            Policy::default()
        });
        let policy = Arc::new(policy);
        let budget = MemoryBudget::new(config.limits.memory_budget_bytes);
        Emulator {
            state: Arc::new(AppState {
                config,
                policy,
                jobs: Mutex::new(jobs),
                requests: AtomicU64::new(0),
                fault_counts: Mutex::default(),
                budget,
            }),
        }
    }

    /// The routes: Vtrix at the root, VertexKey under `/v1` (and its alias `/api/v1`).
    pub fn router(&self) -> Router {
        let vertexkey = Router::new()
            .route("/chat/completions", post(chat::vertexkey))
            .route("/messages", post(anthropic::messages))
            .route("/models", get(models))
            .route("/images/generations", post(images::generations))
            .route("/images/edits", post(images::edits))
            .route("/videos", post(jobs::create_video))
            .route("/videos/{id}", get(jobs::get_video));
        let gateway = Router::new()
            .route("/llm/chat/completions", post(chat::vtrix))
            .route("/model/v1/generation", post(jobs::submit_media))
            .route("/model/v1/generation/task/{id}", get(jobs::get_media))
            .nest("/v1", vertexkey.clone())
            .nest("/api/v1", vertexkey)
            // Runs before the handlers' extractors: nothing of the body is read before.
            .route_layer(middleware::from_fn_with_state(self.state.clone(), guard));
        Router::new()
            .merge(gateway)
            .route("/files/{name}", get(files))
            .fallback(not_found)
            .layer(axum::extract::DefaultBodyLimit::max(
                self.state.config.limits.max_body_bytes,
            ))
            .layer(middleware::from_fn(warning_header))
            .layer(middleware::from_fn(gateway_errors))
            .layer(middleware::from_fn(log_line))
            .with_state(self.state.clone())
    }

    /// Serves on `listener` until `shutdown` completes, within the configured
    /// [`Limits`](crate::config::Limits): see the `connections` module for what a client
    /// may hold (slots, idle connections given up for waiting clients, header timeout,
    /// buffers) and how shutdown lets open requests finish.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        connections::serve(self.router(), &self.state.config.limits, listener, shutdown).await
    }

    /// Starts on 127.0.0.1 with an ephemeral port, in the background; returns its address.
    /// For tests and for the CLI's offline mode.
    pub async fn spawn_local(&self) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let emulator = self.clone();
        tokio::spawn(async move {
            let _ = emulator.serve(listener, std::future::pending()).await;
        });
        Ok(addr)
    }
}

/// The error shape of a path: Anthropic's on `/messages`, OpenAI's elsewhere.
fn shape_of(path: &str) -> Shape {
    if path.ends_with("/messages") {
        Shape::Anthropic
    } else {
        Shape::OpenAi
    }
}

/// Before any handler: the key is checked (401/403 without reading a byte of the body),
/// a `Content-Length` over `max_body_bytes` is refused (413), and the body is read here,
/// once, into one buffer of its final size ([`read_body`]): its bytes taken from the
/// memory budget, within its time limits. The handler gets it whole; after the handler
/// the body's bytes are given back, and a whole answer takes its own from the budget until
/// it is written.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
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

/// Puts the errors axum answers by itself (405 wrong method, 413 body too large, 400
/// body unreadable, ...), which are plain text or empty, in the gateway's JSON error
/// shape, as every other error of the emulator. `/files/` answers are left alone.
async fn gateway_errors(request: Request, next: Next) -> Response {
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
async fn log_line(request: Request, next: Next) -> Response {
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

/// What a request that got through the checks carries on.
pub(crate) struct Admitted {
    /// The body as JSON.
    pub body: Value,
    /// Its hash, the seed of the answer.
    pub seed: u64,
    /// For streams: cut the connection after this many events.
    pub drop_after: Option<usize>,
    /// `http://host` as the client reached the server, for media URLs.
    pub base: String,
}

/// Authentication, faults and validation, in that order.
pub(crate) async fn admit(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    shape: Shape,
    endpoint: Option<Endpoint>,
) -> Result<Admitted, Response> {
    authenticate(state, headers, shape)?;
    let parsed: Result<Value, String> = if body.is_empty() {
        Ok(Value::Null)
    } else {
        serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))
    };
    let seed = match &parsed {
        Ok(value) => request_seed(value),
        Err(_) => content::seed(body),
    };
    let drop_after = fault(state, headers, seed, shape).await?;
    let value = parsed.map_err(|message| {
        error(
            shape,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            &message,
            json!({}),
        )
    })?;
    if let Some(endpoint) = endpoint {
        validate(endpoint, &state.policy, body, shape)?;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    Ok(Admitted {
        body: value,
        seed,
        drop_after,
        base: format!("http://{host}"),
    })
}

/// The seed of a request's answer: its JSON without `stream` and
/// `stream_options`, so that a streamed answer and a whole one say the same.
fn request_seed(value: &Value) -> u64 {
    // The body without its stream flags, as serde_json writes it (keys sorted), hashed as
    // it is written: no copy of the body, which can be an image of megabytes.
    let mut seed = content::Seed::default();
    let written = match value {
        Value::Object(map) => {
            let kept: std::collections::BTreeMap<&String, &Value> = map
                .iter()
                .filter(|(k, _)| *k != "stream" && *k != "stream_options")
                .collect();
            serde_json::to_writer(&mut seed, &kept)
        }
        other => serde_json::to_writer(&mut seed, other),
    };
    debug_assert!(written.is_ok(), "a Value always serializes");
    seed.0
}

/// The key of `Authorization: Bearer KEY`; the scheme is case-insensitive (RFC 9110
/// section 11.1), so `bearer KEY` and `BEARER KEY` are the same.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, key) = value.trim_start().split_once([' ', '\t'])?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key)
}

fn authenticate(state: &AppState, headers: &HeaderMap, shape: Shape) -> Result<(), Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer);
    let key = bearer
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .unwrap_or("");
    let unauthorized = || {
        error(
            shape,
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "API key is missing or invalid",
            json!({}),
        )
    };
    if key.is_empty() {
        return Err(unauthorized());
    }
    if state.config.no_balance_keys.iter().any(|k| k == key) {
        return Err(error(
            shape,
            StatusCode::FORBIDDEN,
            "permission_error",
            "Insufficient balance",
            json!({"code": "insufficient_balance"}),
        ));
    }
    if let Some(keys) = &state.config.api_keys
        && !keys.iter().any(|k| k == key)
    {
        return Err(unauthorized());
    }
    Ok(())
}

/// `x-modelgate-fault: 429|500|503|timeout|drop-stream-after=N`, with options after `;`:
/// `retry-after=S` and `count=N` (fault only the first N times this request arrives, so
/// that a client's retry then succeeds). Without the header, the configured rates apply.
async fn fault(
    state: &AppState,
    headers: &HeaderMap,
    seed: u64,
    shape: Shape,
) -> Result<Option<usize>, Response> {
    let n = state.requests.fetch_add(1, Ordering::Relaxed);
    let spec = headers
        .get("x-modelgate-fault")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    let refuse = |message: &str| {
        error(
            shape,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            message,
            json!({}),
        )
    };
    if spec.len() > MAX_FAULT_SPEC {
        return Err(refuse(&format!(
            "x-modelgate-fault is {} bytes; at most {MAX_FAULT_SPEC} are taken",
            spec.len()
        )));
    }
    let (kind, options) = spec.split_once(';').unwrap_or((spec, ""));
    let option = |name: &str| {
        options
            .split(';')
            .find_map(|o| o.trim().strip_prefix(name)?.strip_prefix('='))
            .map(str::trim)
    };
    // A number of seconds from 0 to a day; `-1`, `NaN`, `inf` are refused. Fractions
    // (for fast tests) are sent as `retry-after-ms`, see [`retry_after_headers`].
    let mut retry_after = match option("retry-after") {
        None => None,
        Some(v) => match v.parse::<f64>() {
            Ok(seconds) if (0.0..=MAX_RETRY_AFTER).contains(&seconds) => Some(seconds),
            _ => {
                return Err(refuse(&format!(
                    "retry-after={v} is not a number of seconds; allowed: 0 to {MAX_RETRY_AFTER}"
                )));
            }
        },
    };
    let mut kind = kind.trim().to_string();
    if let Some(count) = option("count").and_then(|v| v.parse::<u32>().ok())
        && !kind.is_empty()
        && !first_times(state, seed, spec, count)
    {
        kind.clear();
    }
    if kind.is_empty() {
        kind = random_fault(&state.config, n)
            .unwrap_or_default()
            .to_string();
        retry_after = retry_after.or(state.config.faults.retry_after_seconds);
    }
    let status = match kind.as_str() {
        "" => return Ok(None),
        "429" => StatusCode::TOO_MANY_REQUESTS,
        "500" => StatusCode::INTERNAL_SERVER_ERROR,
        "503" => StatusCode::SERVICE_UNAVAILABLE,
        "timeout" => {
            tokio::time::sleep(config::duration(state.config.timeout_fault_seconds)).await;
            return Err(error(
                shape,
                StatusCode::GATEWAY_TIMEOUT,
                "timeout",
                "the emulator held this request (fault: timeout)",
                json!({}),
            ));
        }
        other => match other
            .strip_prefix("drop-stream-after=")
            .and_then(|v| v.parse().ok())
        {
            Some(n) => return Ok(Some(n)),
            None => {
                return Err(refuse(&format!(
                    "unknown fault `{other}`: use 429, 500, 503, timeout or drop-stream-after=N"
                )));
            }
        },
    };
    let (kind_name, message) = match status.as_u16() {
        429 => ("rate_limit_error", "Rate limit exceeded (injected fault)"),
        503 => ("overloaded_error", "Service unavailable (injected fault)"),
        _ => (
            "api_error",
            "An internal server error occurred (injected fault)",
        ),
    };
    let mut response = error(shape, status, kind_name, message, json!({}));
    if let Some((whole, ms)) = retry_after.and_then(retry_after_headers) {
        response.headers_mut().insert(header::RETRY_AFTER, whole);
        if let Some(ms) = ms {
            response.headers_mut().insert("retry-after-ms", ms);
        }
    }
    Err(response)
}

/// The largest `Retry-After` sent, in seconds: a day.
const MAX_RETRY_AFTER: f64 = 86_400.0;

/// The headers that ask a client to wait `seconds`: `Retry-After` in whole seconds
/// (RFC 9110 delay-seconds; a fraction is rounded up), and for a fraction also
/// `retry-after-ms`, which the OpenAI and Anthropic SDKs and modelgate read first. A value
/// from a config built in code, which is not checked as a file is, is clamped to 0 to a
/// day; NaN sends nothing.
fn retry_after_headers(seconds: f64) -> Option<(HeaderValue, Option<HeaderValue>)> {
    if seconds.is_nan() {
        return None;
    }
    let seconds = seconds.clamp(0.0, MAX_RETRY_AFTER);
    let whole = HeaderValue::from(seconds.ceil() as u32);
    let ms = (seconds.fract() != 0.0).then(|| HeaderValue::from((seconds * 1000.0).round() as u64));
    Some((whole, ms))
}

/// Whether this is one of the first `count` arrivals of the request with this fault spec.
fn first_times(state: &AppState, seed: u64, spec: &str, count: u32) -> bool {
    state
        .fault_counts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .first_times(seed, spec, count)
}

/// The configured random faults, spread evenly over requests: request n gets a fault when
/// a low-discrepancy sequence falls in that fault's share.
fn random_fault(config: &EmulatorConfig, n: u64) -> Option<&'static str> {
    let f = &config.faults;
    if f.rate_429 + f.rate_500 + f.rate_503 <= 0.0 {
        return None;
    }
    let x = ((n as f64) * 0.618_033_988_749_895).fract();
    if x < f.rate_429 {
        Some("429")
    } else if x < f.rate_429 + f.rate_500 {
        Some("500")
    } else if x < f.rate_429 + f.rate_500 + f.rate_503 {
        Some("503")
    } else {
        None
    }
}

/// The header that carries the warnings of an accepted request.
pub const WARNINGS_HEADER: &str = "x-modelgate-warnings";

tokio::task_local! {
    /// The warnings of the request being handled, for [`warning_header`].
    static WARNINGS: std::cell::RefCell<Warnings>;
}

/// The warnings of one request: the first [`MAX_HEADER_WARNINGS`] as header text, and how
/// many there were.
#[derive(Default)]
struct Warnings {
    shown: Vec<String>,
    total: usize,
}

/// Adds the warnings validation found in an accepted request to its response, as
/// `x-modelgate-warnings: undocumented_parameter /seed, unexpected_null /tool_choice`.
async fn warning_header(request: Request, next: Next) -> Response {
    WARNINGS
        .scope(std::cell::RefCell::new(Warnings::default()), async move {
            let mut response = next.run(request).await;
            let warnings = WARNINGS.with(|w| w.take());
            if warnings.total > 0
                && let Ok(value) = HeaderValue::from_str(&header_list(&warnings))
            {
                response.headers_mut().insert(WARNINGS_HEADER, value);
            }
            response
        })
        .await
}

/// Validates with the emulator's policy: errors refuse the request with 400; warnings
/// are kept for the response header.
fn validate(
    endpoint: Endpoint,
    policy: &Arc<Policy>,
    body: &[u8],
    shape: Shape,
) -> Result<(), Response> {
    let report = Validator::new()
        .endpoint(endpoint)
        .policy(policy.clone())
        .validate_json(body);
    let _ = WARNINGS.try_with(|w| {
        let mut w = w.borrow_mut();
        w.total += report.warnings.len();
        let room = MAX_HEADER_WARNINGS.saturating_sub(w.shown.len());
        w.shown.extend(
            report
                .warnings
                .iter()
                .take(room)
                .map(|f| format!("{} {}", f.code, header_safe(&f.pointer))),
        );
    });
    let errors = &report.errors;
    let Some(first) = errors.first() else {
        return Ok(());
    };
    // Every error, with its JSON pointer, also in the one-line message that SDKs show
    // (`openai.BadRequestError: Error code: 400 - ...`).
    let message = errors
        .iter()
        .map(|v| {
            let at = if v.pointer.is_empty() {
                "/"
            } else {
                &v.pointer
            };
            format!("{at}: {}", v.message)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let listed: Vec<Value> = errors
        .iter()
        .map(|v| json!({"pointer": v.pointer, "code": v.code.as_str(), "message": v.message}))
        .collect();
    let extra = json!({"code": first.code.as_str(), "param": first.pointer, "violations": listed});
    Err(error(
        shape,
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        &message,
        extra,
    ))
}

/// The most warnings named in the header; a payload can carry thousands.
const MAX_HEADER_WARNINGS: usize = 32;

/// `a, b, c`, and `... (N more)` after the first [`MAX_HEADER_WARNINGS`].
fn header_list(warnings: &Warnings) -> String {
    let mut text = warnings.shown.join(", ");
    if warnings.total > warnings.shown.len() {
        text.push_str(&format!(
            ", ... ({} more)",
            warnings.total - warnings.shown.len()
        ));
    }
    text
}

/// A pointer as header text: visible ASCII kept, everything else percent-encoded.
fn header_safe(pointer: &str) -> String {
    let mut out = String::new();
    for b in pointer.bytes() {
        match b {
            b'!'..=b'~' if b != b'%' && b != b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `GET /v1/models`: the catalog's VertexKey models, or the list the config gives
/// ([`ModelList`](crate::config::ModelList)), with its fault if it has one.
async fn models(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
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
    let data: Vec<Value> = list
        .entries()
        .into_iter()
        .map(|(id, owned_by)| json!({"id": id, "object": "model", "created": CREATED, "owned_by": owned_by}))
        .collect();
    json_response(StatusCode::OK, &json!({"object": "list", "data": data}))
}

/// The body of `models.fault: malformed`: a list cut off inside its first entry.
pub(crate) const MALFORMED_LIST: &str =
    r#"{"object": "list", "data": [{"id": "aws/claude-opus-4-7", "object": "mod"#;

/// Media files: `img-<seed>-<size>.png`, `vid-<seed>.mp4`, made again from their names.
async fn files(Path(name): Path<String>) -> Response {
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

async fn not_found(request: Request) -> Response {
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

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn the_warnings_header_is_bounded() {
        let many = Warnings {
            shown: (0..MAX_HEADER_WARNINGS).map(|i| format!("w{i}")).collect(),
            total: 1000,
        };
        let text = header_list(&many);
        assert!(text.starts_with("w0, w1, "), "{text}");
        assert!(text.ends_with(", w31, ... (968 more)"), "{text}");
        let two = Warnings {
            shown: vec!["a".into(), "b".into()],
            total: 2,
        };
        assert_eq!(header_list(&two), "a, b");
        assert_eq!(header_safe("/a b/é"), "/a%20b/%C3%A9");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_the_hash_of_the_body_without_its_stream_flags() {
        let body = json!({"model": "m", "stream": true, "stream_options": {"include_usage": true},
            "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5});
        let without =
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5});
        assert_eq!(
            request_seed(&body),
            content::seed(without.to_string().as_bytes())
        );
        assert_eq!(request_seed(&body), request_seed(&without));
        assert_ne!(request_seed(&body), request_seed(&json!({"model": "m"})));
        assert_eq!(request_seed(&json!([1])), content::seed(b"[1]"));
    }

    #[test]
    fn the_fault_table_keeps_hashes_and_a_bounded_number_of_entries() {
        let mut table = FaultCounts::default();
        // Two hashes a key, whatever the header's length: no copy of the header is kept.
        let _keys_carry_no_text: &HashMap<(u64, u64), u32> = &table.counts;
        let long = "503; count=1; ".to_string() + &"x".repeat(200_000);
        assert!(table.first_times(1, &long, 1));
        assert!(
            !table.first_times(1, &long, 1),
            "counted once, then let through"
        );
        let spec = "503; count=2";
        for seed in 0..(MAX_FAULT_ENTRIES as u64 + 500) {
            table.first_times(seed + 10, spec, 2);
        }
        assert_eq!(table.len(), MAX_FAULT_ENTRIES);
        assert_eq!(table.order.len(), MAX_FAULT_ENTRIES);
        // The newest entries are kept.
        let last = MAX_FAULT_ENTRIES as u64 + 509;
        assert!(table.first_times(last, spec, 2), "second arrival");
        assert!(!table.first_times(last, spec, 2), "third arrival");
    }

    #[test]
    fn retry_after_is_whole_seconds_with_milliseconds_for_a_fraction() {
        let text = |s: f64| {
            retry_after_headers(s).map(|(whole, ms)| {
                (
                    whole.to_str().unwrap().to_string(),
                    ms.map(|v| v.to_str().unwrap().to_string()),
                )
            })
        };
        assert_eq!(text(2.0), Some(("2".into(), None)));
        assert_eq!(text(0.1), Some(("1".into(), Some("100".into()))));
        assert_eq!(text(-1.0), Some(("0".into(), None)));
        assert_eq!(text(f64::INFINITY), Some(("86400".into(), None)));
        assert_eq!(text(f64::NAN), None);
    }

    #[test]
    fn the_auth_scheme_is_case_insensitive() {
        assert_eq!(bearer("Bearer k1"), Some("k1"));
        assert_eq!(bearer("bearer k1"), Some("k1"));
        assert_eq!(bearer("BEARER\tk1"), Some("k1"));
        assert_eq!(bearer("Basic k1"), None);
        assert_eq!(bearer("Bearerk1"), None);
    }

    #[test]
    fn random_faults_match_their_rates() {
        let config = EmulatorConfig {
            faults: crate::config::FaultRates {
                rate_429: 0.1,
                rate_500: 0.05,
                rate_503: 0.0,
                retry_after_seconds: None,
            },
            ..Default::default()
        };
        let faults: Vec<_> = (0..1000).map(|n| random_fault(&config, n)).collect();
        let n429 = faults.iter().filter(|f| **f == Some("429")).count();
        assert!((98..=102).contains(&n429), "{n429}");
        let n500 = faults.iter().filter(|f| **f == Some("500")).count();
        assert!((48..=52).contains(&n500), "{n500}");
        assert!(random_fault(&EmulatorConfig::default(), 3).is_none());
    }
}
