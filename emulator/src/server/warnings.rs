//! Validation with the emulator's policy: errors refuse the request with 400 and every
//! violation; the warnings of an accepted request go back in the `x-modelgate-warnings`
//! header, bounded.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use modelgate::{Endpoint, ParsedJson, Validator};
use serde_json::{Value, json};

use super::respond::{Shape, error};

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
pub(super) async fn warning_header(request: Request, next: Next) -> Response {
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
pub(super) fn validate(
    endpoint: Endpoint,
    validator: &Validator,
    parsed: Option<&ParsedJson>,
    body: &[u8],
    shape: Shape,
) -> Result<(), Response> {
    let validator = validator.clone().endpoint(endpoint);
    let report = match parsed {
        Some(parsed) => validator.validate_parsed(parsed),
        None => validator.validate_json(body),
    };
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
