//! What every gateway request goes through before its handler answers: authentication
//! (401, 403 without balance), injected faults and validation, in that order
//! ([`admit`]), and the seed of its deterministic answer.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use modelgate::{Endpoint, ParsedJson};
use serde_json::{Value, json};

use super::AppState;
use super::faults::fault;
use super::respond::{Shape, error};
use super::warnings::validate;
use crate::content;

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
    // The body is read once: the value the answer is made from and the validator's
    // check both follow that reading.
    let parsed: Result<Option<ParsedJson>, String> = if body.is_empty() {
        Ok(None)
    } else {
        ParsedJson::parse(body).map(Some).map_err(|_| {
            // serde_json's words for what is wrong (the reader accepts what it accepts).
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Err(e) => format!("invalid JSON: {e}"),
                Ok(_) => "invalid JSON".to_string(),
            }
        })
    };
    let value: Result<Value, String> = match &parsed {
        Ok(Some(p)) => Ok(p.to_value()),
        Ok(None) => Ok(Value::Null),
        Err(message) => Err(message.clone()),
    };
    let seed = match &value {
        Ok(value) => request_seed(value),
        Err(_) => content::seed(body),
    };
    let drop_after = fault(state, headers, seed, shape).await?;
    let value = value.map_err(|message| {
        error(
            shape,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            &message,
            json!({}),
        )
    })?;
    if let Some(endpoint) = endpoint {
        let parsed = parsed.ok().flatten();
        validate(endpoint, &state.validator, parsed.as_ref(), body, shape)?;
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

pub(super) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    shape: Shape,
) -> Result<(), Response> {
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
    fn the_auth_scheme_is_case_insensitive() {
        assert_eq!(bearer("Bearer k1"), Some("k1"));
        assert_eq!(bearer("bearer k1"), Some("k1"));
        assert_eq!(bearer("BEARER\tk1"), Some("k1"));
        assert_eq!(bearer("Basic k1"), None);
        assert_eq!(bearer("Bearerk1"), None);
    }
}
