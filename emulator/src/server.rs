//! The server: routes for both gateways' documented paths, and what every request goes
//! through before its handler: authentication (401, 403 without balance), injected faults
//! (by the `x-modelgate-fault` header or by configured rates), and validation with the
//! catalog's generated validators (400 with every violation). Media are served from
//! `/files/...`, regenerated from their names, so memory stays bounded.

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

use crate::config::EmulatorConfig;
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
}

/// How often each (request seed, fault spec) pair has been served, with the insertion
/// order so that the oldest entries can be forgotten (bounded memory).
type FaultCounts = (HashMap<(u64, String), u32>, VecDeque<(u64, String)>);

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
        Emulator {
            state: Arc::new(AppState {
                config,
                policy,
                jobs: Mutex::new(jobs),
                requests: AtomicU64::new(0),
                fault_counts: Mutex::default(),
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
        Router::new()
            .route("/llm/chat/completions", post(chat::vtrix))
            .route("/model/v1/generation", post(jobs::submit_media))
            .route("/model/v1/generation/task/{id}", get(jobs::get_media))
            .nest("/v1", vertexkey.clone())
            .nest("/api/v1", vertexkey)
            .route("/files/{name}", get(files))
            .fallback(not_found)
            .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
            .layer(middleware::from_fn(warning_header))
            .layer(middleware::from_fn(log_line))
            .with_state(self.state.clone())
    }

    /// Serves on `listener` until `shutdown` completes (then finishes open requests).
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Starts on 127.0.0.1 with an ephemeral port, in the background; returns its address.
    /// For tests and for the CLI's offline mode.
    pub async fn spawn_local(&self) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = self.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(addr)
    }
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

fn authenticate(state: &AppState, headers: &HeaderMap, shape: Shape) -> Result<(), Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
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
    let (kind, options) = spec.split_once(';').unwrap_or((spec, ""));
    let option = |name: &str| {
        options
            .split(';')
            .find_map(|o| o.trim().strip_prefix(name)?.strip_prefix('='))
            .map(str::trim)
    };
    let mut retry_after = option("retry-after").and_then(|v| v.parse::<f64>().ok());
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
            tokio::time::sleep(Duration::from_secs_f64(state.config.timeout_fault_seconds)).await;
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
                let message = format!(
                    "unknown fault `{other}`: use 429, 500, 503, timeout or drop-stream-after=N"
                );
                return Err(error(
                    shape,
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    &message,
                    json!({}),
                ));
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
    if let Some(seconds) = retry_after
        && let Ok(v) = HeaderValue::from_str(&format!("{seconds}"))
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Err(response)
}

/// Whether this is one of the first `count` arrivals of the request with this fault spec.
fn first_times(state: &AppState, seed: u64, spec: &str, count: u32) -> bool {
    let mut guard = state.fault_counts.lock().unwrap_or_else(|e| e.into_inner());
    let (counts, order) = &mut *guard;
    let key = (seed, spec.to_string());
    let seen = counts.entry(key.clone()).or_insert(0);
    *seen += 1;
    let fault = *seen <= count;
    if *seen == 1 {
        order.push_back(key);
        if order.len() > 10_000
            && let Some(old) = order.pop_front()
        {
            counts.remove(&old);
        }
    }
    fault
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

/// `GET /v1/models`: the catalog's VertexKey models.
async fn models(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(r) = admit(&state, &headers, b"", Shape::OpenAi, None).await {
        return r;
    }
    let data: Vec<Value> = modelgate::catalog::MODELS
        .iter()
        .filter(|m| m.provider == modelgate::Provider::VertexKey)
        .filter_map(|m| m.id)
        .map(|id| json!({"id": id, "object": "model", "created": CREATED, "owned_by": "vertexkey"}))
        .collect();
    json_response(StatusCode::OK, &json!({"object": "list", "data": data}))
}

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
