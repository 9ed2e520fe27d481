//! Sending: one request with authentication, its headers and timeouts, the retry loop
//! (in a tracing span) that the gateway clients and the generated clients share, and
//! transport failures as errors.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use super::url::shown_url;
use super::{Operation, Runtime};
use crate::error::Error;
use crate::retry::{self, Attempt, Decision};

impl Runtime {
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

/// Why a request came back without a response.
pub(crate) enum Failure {
    /// The HTTP library's error (connection, timeout, refused redirect).
    Http(reqwest::Error),
    /// The response headers did not come within this time.
    NoHeaders(Duration),
}
