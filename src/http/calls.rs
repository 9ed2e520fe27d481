//! Typed calls: a body serialized once and checked against the catalog before it is
//! sent, JSON answers decoded, event streams within their time limits, and media
//! downloads without the API key.

use std::time::Duration;

use tokio::time::Instant as Deadline;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::decode::{
    MAX_DOWNLOAD, MAX_ERROR_BODY, api_error, api_error_within, decode, decode_error, read_all,
    read_capped,
};
use super::send::error_chain;
use super::url::shown_url;
use super::{Operation, Runtime};
use crate::Endpoint;
use crate::error::Error;
use crate::retry;
use crate::validate::Validator;

impl Runtime {
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
            .declare(&self.config().declared)
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
        let stream = op.sets_stream.then_some(op.stream);
        let (text, tape) = match crate::validate::write::serialize_with_stream(body, stream) {
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
    /// limits of [`Config`](crate::config::Config) (response headers within `request_timeout`, events with
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

/// `now + d`, or a date far away when that overflows (a limit of `Duration::MAX`).
pub(crate) fn later(now: Deadline, d: Duration) -> Deadline {
    now.checked_add(d)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 86_400))
}
