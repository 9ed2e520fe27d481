//! Image generation and edits (VertexKey): a real PNG, as a URL the emulator serves or as
//! `b64_json`. The model's fixed resolution is enforced by validation, as the gateway
//! does (seed 004); the picture itself is small. Edits take the seed's JSON body, and the
//! multipart form the OpenAI SDKs send.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use bytes::Bytes;
use modelgate::Endpoint;
use serde_json::{Value, json};

use crate::content::png;
use crate::server::{AppState, CREATED, Shape, admit, error, json_response};

/// The side of the PNG the emulator returns (the requested resolution is checked, not drawn).
const SIDE: u32 = 16;

pub(crate) async fn generations(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(
        &state,
        &headers,
        &body,
        Endpoint::VertexKeyImagesGenerations,
    )
    .await
}

pub(crate) async fn edits(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type.strip_prefix("multipart/form-data; boundary=") {
        return match form_to_json(&body, boundary) {
            Some(json_body) => {
                respond(
                    &state,
                    &headers,
                    json_body.to_string().as_bytes(),
                    Endpoint::VertexKeyImagesEdits,
                )
                .await
            }
            None => error(
                Shape::OpenAi,
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "the multipart form could not be read",
                json!({}),
            ),
        };
    }
    respond(&state, &headers, &body, Endpoint::VertexKeyImagesEdits).await
}

async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    endpoint: Endpoint,
) -> Response {
    let admitted = match admit(state, headers, body, Shape::OpenAi, Some(endpoint)).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let seed = admitted.seed;
    let prompt = admitted
        .body
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or("");
    let item = match admitted.body.get("response_format").and_then(Value::as_str) {
        Some("b64_json") => {
            json!({"b64_json": base64::engine::general_purpose::STANDARD.encode(png(SIDE, seed)), "revised_prompt": prompt})
        }
        _ => {
            json!({"url": format!("{}/files/img-{seed:x}-{SIDE}.png", admitted.base), "revised_prompt": prompt})
        }
    };
    json_response(StatusCode::OK, &json!({"created": CREATED, "data": [item]}))
}

/// The longest multipart boundary (RFC 2046, section 5.1.1).
const MAX_BOUNDARY: usize = 70;

/// The fields of a multipart form as the JSON body of an edit; a file field becomes a
/// base64 data URL. `None` when it cannot be read, or its boundary is not 1 to
/// [`MAX_BOUNDARY`] characters.
fn form_to_json(body: &[u8], boundary: &str) -> Option<Value> {
    let boundary = boundary.trim_matches('"');
    if boundary.is_empty() || boundary.len() > MAX_BOUNDARY {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let mut out = serde_json::Map::new();
    let text = body;
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let end = find(rest, delimiter.as_bytes()).unwrap_or(rest.len());
        parts.push(&rest[..end]);
    }
    for part in parts {
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let split = find(part, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..split]);
        let mut value = &part[split + 4..];
        value = value.strip_suffix(b"\r\n").unwrap_or(value);
        let name = head
            .split("name=\"")
            .nth(1)?
            .split('"')
            .next()?
            .trim_end_matches("[]")
            .to_string();
        let is_file = head.contains("filename=");
        let json_value = if is_file {
            let mime = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type: "))
                .unwrap_or("image/png")
                .trim();
            json!(format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(value)
            ))
        } else {
            json!(String::from_utf8_lossy(value).into_owned())
        };
        out.insert(name, json_value);
    }
    Some(Value::Object(out))
}

/// Where `needle` first is in `haystack`, in linear time (a window-by-window comparison
/// is quadratic on a hostile body and boundary).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_forms_become_json_bodies() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nenterprise/image-2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nadd a hat\r\n--XyZ--\r\n";
        let v = form_to_json(body, "XyZ").unwrap();
        assert_eq!(v["model"], "enterprise/image-2");
        assert_eq!(v["prompt"], "add a hat");
        assert_eq!(v["image"], "data:image/png;base64,iVBORw==");
    }

    #[test]
    fn hostile_boundaries_are_refused_or_read_in_linear_time() {
        let long = "a".repeat(100_000);
        assert_eq!(form_to_json(b"--x", &long), None);
        assert_eq!(form_to_json(b"--x", ""), None);
        // A body that almost matches the boundary everywhere.
        let boundary = format!("{}b", "a".repeat(69));
        let body = vec![b'a'; 8 << 20];
        let started = std::time::Instant::now();
        assert_eq!(form_to_json(&body, &boundary), Some(json!({})));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
