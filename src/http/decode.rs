//! Reading answers: bodies within their caps, successful JSON decoded, and error statuses
//! as [`Error::Api`] with the gateway's code and message.

use bytes::Bytes;
use reqwest::Response;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tokio::time::Instant as Deadline;

use super::Operation;
use super::send::error_chain;
use super::url::shown_url;
use crate::error::{ApiError, ApiErrorKind, Error};
use crate::retry;

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

/// A successful answer's JSON as `T`; the body is written out again only for the error.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    operation: &str,
) -> Result<T, Error> {
    T::deserialize(&value)
        .map_err(|e| decode_error(operation, 200, &e.to_string(), value.to_string().as_bytes()))
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
pub(super) async fn api_error_within(response: Response, until: Option<Deadline>) -> Error {
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
pub(super) async fn read_capped(
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
pub(super) async fn read_all(
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
}
