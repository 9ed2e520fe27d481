//! All HTTP in one place: the [`Runtime`] every gateway client shares (one reqwest client,
//! its configuration), the retry loop, validation before sending, error decoding, and the
//! hooks that give the generated progenitor clients the same behaviour (no `api-version`
//! header, authentication, retries, tracing).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::time::Instant as Deadline;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, Request, Response};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::error::{ApiError, ApiErrorKind, Error};
use crate::retry::{self, Attempt, Decision};
use crate::validate::Validator;
use crate::{Endpoint, Provider};

/// The most of an error response's body the client reads: 64 KiB. Gateways' error
/// bodies are a few hundred bytes; a proxy's HTML page a few KiB. The rest is not read
/// (the connection is dropped), and [`ApiError::body_error`] says it was cut.
pub const MAX_ERROR_BODY: usize = 64 << 10;

/// The largest successful JSON answer the client reads: 256 MiB. The largest real
/// answers carry images as base64 (a 4K PNG is some 10–30 MiB of it); a longer body is
/// an [`Error::TooLarge`], refused before reading when its `content-length` says so.
pub const MAX_RESPONSE_BODY: usize = 256 << 20;

/// The largest file a client's `download` fetches into memory: 1 GiB.
pub const MAX_DOWNLOAD: usize = 1 << 30;

/// What the runtime needs to know about a call.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// The operation's name (the OpenAPI operationId, snake case).
    pub name: &'static str,
    pub method: Method,
    /// Below the base URL.
    pub path: String,
    /// The endpoint whose constraints the body must meet, if any.
    pub endpoint: Option<Endpoint>,
    /// Whether the call starts billed work (see [`crate::retry`]).
    pub paid: bool,
    /// Whether the answer is a stream (no total timeout then).
    pub stream: bool,
    /// Headers this operation adds (e.g. `anthropic-version`).
    pub headers: &'static [(&'static str, &'static str)],
}

impl Operation {
    /// An operation by its name (the OpenAPI operationId), method and path. Only an
    /// operation on a catalog endpoint can be billed on submit ([`Operation::endpoint`]).
    fn new(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Operation {
            name,
            method,
            path: path.into(),
            endpoint: None,
            paid: false,
            stream: false,
            headers: &[],
        }
    }

    pub fn post(name: &'static str, path: impl Into<String>) -> Self {
        Operation::new(name, Method::POST, path)
    }

    pub fn get(name: &'static str, path: impl Into<String>) -> Self {
        Operation::new(name, Method::GET, path)
    }

    /// An operation on a catalog endpoint: its path, its constraints for validation, and
    /// whether the catalog says the gateway bills it on submit.
    pub fn endpoint(name: &'static str, endpoint: Endpoint) -> Self {
        Operation {
            endpoint: Some(endpoint),
            paid: is_paid(endpoint),
            ..Operation::post(name, endpoint.info().path)
        }
    }

    pub fn stream(mut self) -> Self {
        self.stream = true;
        self
    }

    pub fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Self {
        self.headers = headers;
        self
    }
}

/// Whether a request to `endpoint` starts billed work: a catalog fact with its source
/// (`billed_on_submit` in spec/models/), for the generated clients and the hand-written
/// ones alike.
fn is_paid(endpoint: Endpoint) -> bool {
    endpoint.info().billed_on_submit.is_some()
}

/// The shared part of every gateway client: configuration and connection pool.
/// Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Runtime {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    /// For the gateway: refuses redirects to another origin.
    http: reqwest::Client,
    /// For media downloads, which carry no credentials: follows redirects (up to 10).
    downloads: reqwest::Client,
}

impl Runtime {
    /// A runtime for `config`, which must be for `provider` (each gateway client calls
    /// this, so that a client and its configuration cannot disagree).
    pub fn for_provider(config: Config, provider: Provider) -> Result<Self, Error> {
        if config.provider() != provider {
            let name = |p: Provider| p.info().name;
            return Err(Error::Config(format!(
                "a {} client needs a {} configuration, not one for {}",
                name(provider),
                name(provider),
                name(config.provider())
            )));
        }
        Runtime::new(config)
    }

    /// A runtime for `config`. Fails only if the TLS backend cannot start.
    ///
    /// Requests to the gateway follow a redirect only within the same origin (scheme,
    /// host and port); a redirect to another origin is refused with an error, so that the
    /// key and the configured headers never reach another host.
    pub fn new(config: Config) -> Result<Self, Error> {
        let build = |policy| {
            reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .redirect(policy)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))
        };
        let http = build(same_origin_redirects())?;
        let downloads = build(reqwest::redirect::Policy::limited(10))?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                config,
                http,
                downloads,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The underlying reqwest client (connect timeout set, no total timeout: each request
    /// sets its own).
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.config.base_url)
    }

    /// The time a streamed request's response headers must arrive within, per attempt.
    fn headers_within(&self, op: &Operation) -> Option<Duration> {
        op.stream.then_some(self.inner.config.request_timeout)
    }

    /// Adds authentication, the user agent and the configured headers.
    fn authorize(&self, headers: &mut HeaderMap) -> Result<(), Error> {
        let config = &self.inner.config;
        let key = config.api_key.as_ref().ok_or_else(|| {
            Error::Config(format!(
                "no API key for {}: set {} or pass one to the client",
                config.provider.info().name,
                Config::api_key_variable(config.provider)
            ))
        })?;
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", key.expose_secret())).map_err(|_| {
                Error::Config("the API key holds characters not allowed in a header".into())
            })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        if let Ok(agent) = HeaderValue::from_str(&config.user_agent) {
            headers.insert(USER_AGENT, agent);
        }
        for (name, value) in &config.headers {
            headers.insert(name, value.clone());
        }
        Ok(())
    }

    /// Checks a body (its JSON text and tape, from the one serialization) against the
    /// catalog under the client's policy. Warnings (a parameter the gateway does not
    /// document, a model the catalog does not know) are logged and the request goes; only
    /// errors (deny level) stop it.
    fn validate(
        &self,
        endpoint: Endpoint,
        text: &str,
        tape: &crate::validate::tape::Tape,
    ) -> Result<(), Error> {
        let report = Validator::new()
            .endpoint(endpoint)
            .policy(self.config().policy.clone())
            .validate_tape(text, tape, 0);
        for w in &report.warnings {
            tracing::warn!(
                endpoint = endpoint.key(),
                model = report.model.as_deref().unwrap_or_default(),
                code = w.code.as_str(),
                pointer = %w.pointer,
                "{}",
                w.message
            );
        }
        if report.is_valid() {
            return Ok(());
        }
        let subject = match (report.model_info, report.model) {
            (Some(info), _) => info.id.unwrap_or(info.name).to_string(),
            (None, Some(model)) => format!("{model} (endpoint {})", endpoint.key()),
            (None, None) => format!("endpoint {}", endpoint.key()),
        };
        let mut errors = report.errors;
        // Spans index a text the caller never saw.
        for e in &mut errors {
            e.span = None;
        }
        Err(Error::Validation { subject, errors })
    }

    /// Sends the operation with retries; returns the final response, whatever its status.
    /// A JSON body is checked when it is made ([`Runtime::body_bytes`]).
    pub(crate) async fn send(
        &self,
        op: &Operation,
        body: Option<Bytes>,
    ) -> Result<Response, Error> {
        let mut headers = HeaderMap::new();
        self.authorize(&mut headers)?;
        if body.is_some() {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for (name, value) in op.headers {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        let url = self.url(&op.path);
        let mut builder = self
            .inner
            .http
            .request(op.method.clone(), &url)
            .headers(headers);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        // A stream has no total timeout from reqwest: its headers must come within
        // `request_timeout` (below), its events within the limits of `crate::stream`.
        if !op.stream {
            builder = builder.timeout(self.inner.config.request_timeout);
        }
        let shown = shown_url(&url);
        let request = builder
            .build()
            .map_err(|e| Error::Config(format!("cannot build the request to {shown}: {e}")))?;
        self.run(request, op.name, op.paid, self.headers_within(op))
            .await
            .map_err(|e| match e {
                Failure::Http(e) => self.transport_error(e, op, &shown),
                Failure::NoHeaders(after) => Error::Timeout {
                    what: format!("{} ({shown}): no response headers", op.name),
                    after,
                },
            })
    }

    fn transport_error(&self, e: reqwest::Error, op: &Operation, url: &str) -> Error {
        if e.is_timeout() {
            let after = if e.is_connect() {
                self.inner.config.connect_timeout
            } else {
                self.inner.config.request_timeout
            };
            Error::Timeout {
                what: format!("{} ({url})", op.name),
                after,
            }
        } else {
            Error::Connection {
                url: url.to_string(),
                message: error_chain(&e),
            }
        }
    }

    /// The retry loop for the generated clients' `exec` hook (see [`Runtime::run`]).
    pub(crate) async fn execute(
        &self,
        request: Request,
        operation: &'static str,
        paid: bool,
    ) -> reqwest::Result<Response> {
        self.run(request, operation, paid, None)
            .await
            .map_err(|e| match e {
                Failure::Http(e) => e,
                // Only streams set a header limit; the generated clients make none.
                Failure::NoHeaders(_) => unreachable!("no header limit was given"),
            })
    }

    /// The retry loop shared by the gateway clients and the generated clients, in a
    /// tracing span with the provider, operation, model, status, retry count and latency.
    /// With `headers_within`, each attempt's response headers must arrive in that time.
    async fn run(
        &self,
        request: Request,
        operation: &'static str,
        paid: bool,
        headers_within: Option<Duration>,
    ) -> Result<Response, Failure> {
        let config = &self.inner.config;
        let span = tracing::info_span!(
            "modelgate.request",
            provider = config.provider.info().key,
            operation,
            model = tracing::field::Empty,
            status = tracing::field::Empty,
            retries = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Reading the model means reading the body again (megabytes for an image edit):
        // only when something listens.
        if !span.is_disabled()
            && let Some(model) = request.body().and_then(|b| b.as_bytes()).and_then(model_of)
        {
            span.record("model", model.as_str());
        }
        let started = Instant::now();
        let result = self
            .retry_loop(request, paid, headers_within)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok((response, retries)) => {
                span.record("status", response.status().as_u16());
                span.record("retries", retries);
            }
            Err((_, retries)) => {
                span.record("retries", retries);
            }
        }
        span.in_scope(|| tracing::debug!("request finished"));
        result.map(|(r, _)| r).map_err(|(e, _)| e)
    }

    async fn retry_loop(
        &self,
        mut request: Request,
        paid: bool,
        headers_within: Option<Duration>,
    ) -> Result<(Response, u32), (Failure, u32)> {
        let max = self.inner.config.max_retries;
        let mut retries = 0;
        loop {
            let spare = request.try_clone();
            let sent = self.inner.http.execute(request);
            let outcome = match headers_within {
                Some(limit) => match tokio::time::timeout(limit, sent).await {
                    Ok(result) => result.map_err(Failure::Http),
                    Err(_) => Err(Failure::NoHeaders(limit)),
                },
                None => sent.await.map_err(Failure::Http),
            };
            let decision = match &outcome {
                Ok(r) if r.status().is_success() => Decision::GiveUp,
                Ok(r) => retry::decide(
                    Attempt::Status(r.status().as_u16(), r.headers()),
                    retries,
                    max,
                    paid,
                    retry::jitter(),
                ),
                // A refused redirect would be refused again.
                Err(Failure::Http(e)) if e.is_redirect() => Decision::GiveUp,
                Err(Failure::Http(e)) if e.is_connect() => {
                    retry::decide(Attempt::ConnectFailed, retries, max, paid, retry::jitter())
                }
                Err(_) => {
                    retry::decide(Attempt::MaybeReceived, retries, max, paid, retry::jitter())
                }
            };
            match (decision, spare) {
                (Decision::Retry(delay), Some(spare)) => {
                    let why = match &outcome {
                        Ok(r) => r.status().to_string(),
                        Err(Failure::Http(e)) => error_chain(e),
                        Err(Failure::NoHeaders(after)) => {
                            format!("no response headers within {} s", after.as_secs_f64())
                        }
                    };
                    tracing::warn!(
                        retry = retries + 1,
                        delay_ms = delay.as_millis() as u64,
                        "retrying after {why}"
                    );
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    request = spare;
                }
                _ => return outcome.map(|r| (r, retries)).map_err(|e| (e, retries)),
            }
        }
    }

    /// Posts a JSON body and decodes a JSON answer.
    pub(crate) async fn post_json<B, R>(
        &self,
        op: &Operation,
        body: &B,
        validate: bool,
    ) -> Result<R, Error>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let bytes = self.body_bytes(op, body, validate)?;
        let response = self.send(op, Some(bytes)).await?;
        decode(response, op).await
    }

    /// A typed body as JSON, serialized once: the bytes sent and, when validating, the
    /// tape the validator walks come from the same pass. A NaN or infinite float (which
    /// serde_json would write as `null`, "not set") is refused, and so is a body that
    /// breaks its endpoint's rules.
    pub(crate) fn body_bytes<B: Serialize + ?Sized>(
        &self,
        op: &Operation,
        body: &B,
        validate: bool,
    ) -> Result<Bytes, Error> {
        let validate = validate && self.inner.config.validate;
        let subject = || op.endpoint.map_or(op.name, |e| e.key()).to_string();
        let (text, tape) = match crate::validate::write::serialize(body) {
            Ok(written) => written,
            Err(crate::validate::write::Unwritable::NonFinite(pointer, value)) if validate => {
                return Err(Error::Validation {
                    subject: subject(),
                    errors: vec![crate::validate::non_finite_finding(pointer, value)],
                });
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "the request does not serialize: {e}"
                )));
            }
        };
        if let (Some(endpoint), true) = (op.endpoint, validate) {
            self.validate(endpoint, &text, &tape)?;
        }
        Ok(Bytes::from(text))
    }

    /// Gets a JSON answer.
    pub(crate) async fn get_json<R: DeserializeOwned>(&self, op: &Operation) -> Result<R, Error> {
        let response = self.send(op, None).await?;
        decode(response, op).await
    }

    /// Sends and returns the answer as a JSON value with the delay the server asks before
    /// the next poll (`retry-after-ms`, `retry-after`, `openai-poll-after-ms`), for job
    /// polling and for answers that need tolerant unwrapping.
    pub(crate) async fn json_value(
        &self,
        op: &Operation,
        body: Option<Bytes>,
    ) -> Result<(serde_json::Value, Option<Duration>), Error> {
        let response = self.send(op, body).await?;
        if !response.status().is_success() {
            return Err(api_error(response).await);
        }
        let delay = retry::server_delay(response.headers()).or_else(|| {
            let ms = response
                .headers()
                .get("openai-poll-after-ms")?
                .to_str()
                .ok()?
                .parse::<f64>()
                .ok()?;
            (0.0..=60_000.0)
                .contains(&ms)
                .then(|| Duration::from_secs_f64(ms / 1000.0))
        });
        let value = decode(response, op).await?;
        Ok((value, delay))
    }

    /// Sends a streamed request and returns its server-sent events, within the stream
    /// limits of [`Config`] (response headers within `request_timeout`, events with
    /// data within `stream_idle_timeout` of each other, all of it within
    /// `stream_timeout`). An error status is an API error; a successful answer that is
    /// not an event stream is a decode error with its status and the start of its body.
    pub(crate) async fn post_events<B: Serialize + ?Sized>(
        &self,
        op: &Operation,
        body: &B,
        validate: bool,
    ) -> Result<crate::stream::BoxStream<crate::sse::SseEvent>, Error> {
        let config = &self.inner.config;
        let total = config.stream_timeout;
        let deadline = later(Deadline::now(), total);
        let what = op.endpoint.map_or(op.name, |e| e.key()).to_string();
        let bytes = self.body_bytes(op, body, validate)?;
        let response = tokio::time::timeout_at(deadline, self.send(op, Some(bytes)))
            .await
            .map_err(|_| Error::Timeout {
                what: format!(
                    "{what} ({}): no response headers within the whole stream's limit",
                    shown_url(&self.url(&op.path))
                ),
                after: total,
            })??;
        // Reading an error body may take `request_timeout`, and no longer than the stream.
        let read_until = later(Deadline::now(), config.request_timeout).min(deadline);
        if !response.status().is_success() {
            return Err(api_error_within(response, Some(read_until)).await);
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let is_events = content_type.as_deref().is_none_or(|t| {
            t.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"))
        });
        if !is_events {
            let status = response.status().as_u16();
            let (body, note) = read_capped(response, MAX_ERROR_BODY, Some(read_until)).await;
            let mut message = format!(
                "expected an event stream (text/event-stream), got content-type `{}`",
                content_type.unwrap_or_default()
            );
            if let Some(note) = note {
                message.push_str(&format!("; {note}"));
            }
            return Err(decode_error(&what, status, &message, &body));
        }
        let url = shown_url(response.url().as_str());
        Ok(crate::stream::sse_events(
            response,
            crate::stream::StreamLimits {
                idle: config.stream_idle_timeout,
                deadline: Some((deadline, total)),
                what,
                url,
                status: 200,
            },
        ))
    }

    /// Fetches a URL (a finished video, an image) with the configured timeouts, without
    /// the API key: media URLs are usually signed links to other hosts.
    pub(crate) async fn download(&self, url: &str) -> Result<Bytes, Error> {
        let fail = |e: reqwest::Error| Error::Connection {
            url: shown_url(url),
            message: error_chain(&e),
        };
        let response = self
            .inner
            .downloads
            .get(url)
            .timeout(self.inner.config.request_timeout)
            .send()
            .await
            .map_err(fail)?;
        if !response.status().is_success() {
            return Err(api_error(response).await);
        }
        read_all(response, "download", MAX_DOWNLOAD, "MAX_DOWNLOAD").await
    }
}

/// A path segment with `/`, `?`, `#`, `%` and spaces escaped.
pub(crate) fn encode_segment(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '/' | '?' | '#' | '%' | ' ' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A successful answer's JSON as `T`; the body is written out again only for the error.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    operation: &str,
) -> Result<T, Error> {
    T::deserialize(&value)
        .map_err(|e| decode_error(operation, 200, &e.to_string(), value.to_string().as_bytes()))
}

/// The `model` field of a JSON body, for the tracing span.
fn model_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ModelOnly {
        model: String,
    }
    serde_json::from_slice::<ModelOnly>(body)
        .ok()
        .map(|m| m.model)
}

/// An error's message with its causes.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// Decodes a successful JSON answer, or turns an error status into [`Error::Api`].
pub(crate) async fn decode<R: DeserializeOwned>(
    response: Response,
    op: &Operation,
) -> Result<R, Error> {
    if !response.status().is_success() {
        return Err(api_error(response).await);
    }
    let status = response.status().as_u16();
    let body = read_all(response, op.name, MAX_RESPONSE_BODY, "MAX_RESPONSE_BODY").await?;
    serde_json::from_slice(&body).map_err(|e| decode_error(op.name, status, &e.to_string(), &body))
}

pub(crate) fn decode_error(operation: &str, status: u16, message: &str, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body).into_owned();
    let snippet: String = text.chars().take(200).collect();
    Error::Decode {
        operation: operation.to_string(),
        status,
        message: message.to_string(),
        snippet,
        body: text,
    }
}

/// An error status as [`Error::Api`], with the gateway's code and message when the body is
/// JSON (`{"error": {...}}`, `{"error": "..."}` or `{"message": ...}`). At most
/// [`MAX_ERROR_BODY`] bytes of the body are read (within the request's own timeout).
pub(crate) async fn api_error(response: Response) -> Error {
    api_error_within(response, None).await
}

/// [`api_error`], reading the body until `until` at the latest.
async fn api_error_within(response: Response, until: Option<Deadline>) -> Error {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let (body, note) = read_capped(response, MAX_ERROR_BODY, until).await;
    let body = String::from_utf8_lossy(&body).into_owned();
    let mut error = ApiError::from_parts(status, &headers, body);
    if let Some(note) = note {
        if error.body.is_empty() {
            error.message = format!("(no body: {note})");
        }
        error.body_error = Some(note);
    }
    Error::Api(Box::new(error))
}

/// The start of a body, at most `cap` bytes, read until `until` at the latest; with why
/// it is not the whole body, if it is not.
async fn read_capped(
    mut response: Response,
    cap: usize,
    until: Option<Deadline>,
) -> (Vec<u8>, Option<String>) {
    let mut body = Vec::new();
    loop {
        let chunk = match until {
            Some(until) => match tokio::time::timeout_at(until, response.chunk()).await {
                Ok(chunk) => chunk,
                Err(_) => return (body, Some("reading the body timed out".into())),
            },
            None => response.chunk().await,
        };
        match chunk {
            Ok(Some(bytes)) => {
                let room = cap - body.len();
                body.extend_from_slice(&bytes[..bytes.len().min(room)]);
                if bytes.len() > room {
                    let note = format!("the body was cut at {} KiB (MAX_ERROR_BODY)", cap >> 10);
                    return (body, Some(note));
                }
            }
            Ok(None) => return (body, None),
            Err(e) if e.is_timeout() => {
                return (body, Some("reading the body timed out".into()));
            }
            Err(e) => {
                return (
                    body,
                    Some(format!("reading the body failed: {}", error_chain(&e))),
                );
            }
        }
    }
}

/// A whole successful body, at most `cap` bytes (the cap named `cap_name`).
async fn read_all(
    mut response: Response,
    what: &str,
    cap: usize,
    cap_name: &'static str,
) -> Result<Bytes, Error> {
    let too_large = || Error::TooLarge {
        what: what.to_string(),
        cap: cap_name,
        message: format!(
            "the response is larger than the {} MiB limit ({cap_name})",
            cap >> 20
        ),
    };
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(bytes)) => {
                if body.len() + bytes.len() > cap {
                    return Err(too_large());
                }
                body.extend_from_slice(&bytes);
            }
            Ok(None) => return Ok(Bytes::from(body)),
            Err(e) => {
                return Err(Error::Connection {
                    url: shown_url(response.url().as_str()),
                    message: format!("{what}: reading the response failed: {}", error_chain(&e)),
                });
            }
        }
    }
}

/// Why a request came back without a response.
pub(crate) enum Failure {
    /// The HTTP library's error (connection, timeout, refused redirect).
    Http(reqwest::Error),
    /// The response headers did not come within this time.
    NoHeaders(Duration),
}

/// `now + d`, or a date far away when that overflows (a limit of `Duration::MAX`).
pub(crate) fn later(now: Deadline, d: Duration) -> Deadline {
    now.checked_add(d)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 86_400))
}

/// A URL as errors show it: without the user name and password it may carry.
pub(crate) fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(an invalid URL)".to_string(),
    }
}

/// A URL to write down (in the catalog, say): without user name, password, query or
/// fragment, where credentials could be; `None` when it is not a URL.
///
/// ```
/// assert_eq!(
///     modelgate::http::public_url("https://u:secret@vertex-key.com/v1/models?key=vai-1#x").as_deref(),
///     Some("https://vertex-key.com/v1/models")
/// );
/// assert_eq!(modelgate::http::public_url("not a url"), None);
/// ```
pub fn public_url(url: &str) -> Option<String> {
    let mut parsed = reqwest::Url::parse(url).ok()?;
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    parsed.set_query(None);
    parsed.set_fragment(None);
    Some(parsed.to_string())
}

/// Follows a redirect only within the origin (scheme, host, port) it started from, at
/// most 10 times: the request carries the key and the configured headers, which must not
/// reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let origin = |u: &reqwest::Url| {
            (
                u.scheme().to_string(),
                u.host_str().map(str::to_string),
                u.port_or_known_default(),
            )
        };
        let Some(from) = attempt.previous().last() else {
            return attempt.follow();
        };
        if attempt.previous().len() > 10 {
            return attempt.error("more than 10 redirects");
        }
        if origin(from) != origin(attempt.url()) {
            let message = format!(
                "refused to follow a redirect from {} to another origin, {} \
                 (the API key and headers are sent to the gateway's host only)",
                from.origin().ascii_serialization(),
                attempt.url().origin().ascii_serialization()
            );
            return attempt.error(message);
        }
        attempt.follow()
    })
}

impl ApiError {
    /// Reads an error response: its status, headers (request id, retry delay) and body
    /// (the gateway's code and message when it is JSON). Never fails: an unreadable body
    /// becomes the message's snippet.
    ///
    /// ```
    /// use modelgate::ApiError;
    /// let mut headers = reqwest::header::HeaderMap::new();
    /// headers.insert("retry-after", "2".parse().unwrap());
    /// let e = ApiError::from_parts(429, &headers, r#"{"error": {"code": "rate_limited", "message": "slow down"}}"#.into());
    /// assert_eq!((e.code.as_deref(), e.message.as_str()), (Some("rate_limited"), "slow down"));
    /// assert_eq!(e.retry_after, Some(std::time::Duration::from_secs(2)));
    /// ```
    pub fn from_parts(status: u16, headers: &HeaderMap, body: String) -> ApiError {
        let (code, message) = error_fields(&body);
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        ApiError {
            kind: ApiErrorKind::from_status(status),
            status,
            code,
            message: message.unwrap_or_else(|| {
                let snippet: String = body.chars().take(200).collect();
                if snippet.is_empty() {
                    "(empty body)".into()
                } else {
                    snippet
                }
            }),
            request_id: header("x-request-id").or_else(|| header("request-id")),
            retry_after: retry::server_delay(headers),
            body,
            body_error: None,
        }
    }
}

/// The code and message of a gateway error body.
pub(crate) fn error_fields(body: &str) -> (Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return (None, None);
    };
    let error = value.get("error").unwrap_or(&value);
    if let Some(text) = error.as_str() {
        return (None, Some(text.to_string()));
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let code = error
        .get("code")
        .and_then(text)
        .or_else(|| error.get("type").and_then(text));
    let message = error
        .get("message")
        .or_else(|| error.get("error_message"))
        .and_then(text);
    (code, message)
}

/// The generated clients run on the runtime: progenitor calls these hooks around every
/// operation (an impl for `Client` takes precedence over the generated one for `&Client`).
macro_rules! runtime_hooks {
    ($client:ty) => {
        impl ClientHooks<Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                _info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                // progenitor sends the document's version; the gateways do not want it.
                request.headers_mut().remove("api-version");
                self.inner()
                    .authorize(request.headers_mut())
                    .map_err(|e| progenitor_client::Error::Custom(e.to_string()))?;
                if request.timeout().is_none() {
                    *request.timeout_mut() = Some(self.inner().config().request_timeout);
                }
                Ok(())
            }

            async fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> reqwest::Result<Response> {
                self.inner()
                    .execute(
                        request,
                        info.operation_id,
                        Endpoint::by_operation(self.inner().provider(), info.operation_id)
                            .is_some_and(is_paid),
                    )
                    .await
            }
        }
    };
}

runtime_hooks!(crate::generated::vtrix::Client);
runtime_hooks!(crate::generated::vertexkey::Client);

/// Declares a gateway client: a struct around a [`Runtime`] for one provider, with
/// `new`, `from_env`, `runtime` and `generated`. Both clients are made here, so that they
/// are constructed one way (through [`Runtime::for_provider`]).
macro_rules! gateway_client {
    ($(#[$meta:meta])* $name:ident, $provider:ident, $env:literal, $generated:ident, $runtime_fn:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            runtime: $crate::http::Runtime,
        }

        impl $name {
            #[doc = concat!("A client with this configuration (which must be for ", stringify!($provider), ").")]
            pub fn new(config: $crate::config::Config) -> Result<Self, $crate::error::Error> {
                Ok($name {
                    runtime: $crate::http::Runtime::for_provider(config, $crate::Provider::$provider)?,
                })
            }

            #[doc = concat!("A client configured from `", $env, "_API_KEY` (and `", $env, "_BASE_URL`).")]
            pub fn from_env() -> Result<Self, $crate::error::Error> {
                Self::new($crate::config::Config::from_env($crate::Provider::$provider))
            }

            /// The shared runtime.
            pub fn runtime(&self) -> &$crate::http::Runtime {
                &self.runtime
            }

            /// The generated progenitor client, on the same runtime.
            pub fn generated(&self) -> $crate::generated::$generated::Client {
                self.runtime.$runtime_fn()
            }
        }
    };
}
pub(crate) use gateway_client;

impl Runtime {
    /// The generated progenitor client of this runtime's gateway, on the same connection
    /// pool and hooks.
    pub fn vtrix_client(&self) -> crate::generated::vtrix::Client {
        crate::generated::vtrix::Client::new_with_client(
            &self.inner.config.base_url,
            self.inner.http.clone(),
            self.clone(),
        )
    }

    /// See [`Runtime::vtrix_client`].
    pub fn vertexkey_client(&self) -> crate::generated::vertexkey::Client {
        crate::generated::vertexkey::Client::new_with_client(
            &self.inner.config.base_url,
            self.inner.http.clone(),
            self.clone(),
        )
    }

    /// The gateway this runtime talks to.
    pub fn provider(&self) -> Provider {
        self.inner.config.provider
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_in_the_shapes_gateways_send() {
        assert_eq!(
            error_fields(
                r#"{"error": {"message": "Rate limit exceeded", "type": "rate_limit", "code": "429"}}"#
            ),
            (Some("429".into()), Some("Rate limit exceeded".into()))
        );
        assert_eq!(
            error_fields(r#"{"error": {"message": "x", "type": "invalid_request_error"}}"#),
            (Some("invalid_request_error".into()), Some("x".into()))
        );
        assert_eq!(
            error_fields(r#"{"error": "Insufficient balance"}"#),
            (None, Some("Insufficient balance".into()))
        );
        assert_eq!(
            error_fields(r#"{"code": 1003, "error_message": "bad image"}"#),
            (Some("1003".into()), Some("bad image".into()))
        );
        assert_eq!(error_fields("<html>502</html>"), (None, None));
    }

    #[test]
    fn paid_operations_come_from_the_catalog_with_their_source() {
        use crate::Provider::{VertexKey, Vtrix};
        for (provider, op, document) in [
            (VertexKey, "create_image", "seed-004"),
            (VertexKey, "editImage", "seed-004"),
            (VertexKey, "create_video", "seed-004"),
            (Vtrix, "create_generation", "public-facts"),
        ] {
            let endpoint = Endpoint::by_operation(provider, op).expect(op);
            assert_eq!(
                endpoint.info().billed_on_submit.map(|s| s.document),
                Some(document),
                "{op}"
            );
            assert!(Operation::endpoint("x", endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (Vtrix, "create_chat_completion"),
            (VertexKey, "createChatCompletion"),
            (VertexKey, "create_message"),
        ] {
            let endpoint = Endpoint::by_operation(provider, op).expect(op);
            assert!(!is_paid(endpoint), "{op}");
            assert!(!Operation::endpoint("x", endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (VertexKey, "list_models"),
            (VertexKey, "get_video"),
            (Vtrix, "get_generation_task"),
            (Vtrix, "create_image"),
        ] {
            assert_eq!(Endpoint::by_operation(provider, op), None, "{op}");
        }
        assert!(!Operation::get("get_video", "/").paid);
    }
}
