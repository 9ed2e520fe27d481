//! Checking a request against its model's documented constraints, before it is sent.
//!
//! A validator reports every violation, not just the first, each with an RFC 6901
//! pointer, a stable [`Code`] and a message that names the model and what is allowed. The
//! model (and so the rules) is read from the payload's `model` field; the endpoint is the
//! model's default unless one is given.
//!
//! ```
//! use modelgate::validate::{Code, Validator};
//!
//! let report = Validator::new().validate_json(
//!     br#"{"model": "vtrix-claude-3-haiku", "max_tokens": 4097,
//!          "messages": [{"role": "user", "content": "Hi"}]}"#,
//! );
//! assert!(!report.is_valid());
//! assert_eq!(report.violations[0].pointer, "/max_tokens");
//! assert_eq!(report.violations[0].code, Code::OutOfRange);
//! ```

mod context;
mod engine;
mod reader;
mod violation;

pub use violation::{Code, Violation};

use crate::catalog::{Endpoint, ModelInfo};

/// The result of checking one payload.
#[derive(Clone, Debug)]
pub struct Report {
    /// The payload's `model` field, when it is a string.
    pub model: Option<String>,
    /// The model's catalog entry, when the model is in the catalog.
    pub model_info: Option<&'static ModelInfo>,
    /// The endpoint the payload was checked against.
    pub endpoint: Option<Endpoint>,
    /// Every violation, in payload order.
    pub violations: Vec<Violation>,
    /// Remarks that are not violations (e.g. a listed model checked loosely).
    pub notes: Vec<String>,
}

impl Report {
    /// Whether the payload has no violation.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks request payloads. Cheap to create and to copy.
#[derive(Clone, Copy, Debug, Default)]
pub struct Validator {
    endpoint: Option<Endpoint>,
}

impl Validator {
    /// A validator that takes each model's default endpoint.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks payloads as requests to `endpoint` (e.g. VertexKey's `/messages` rather
    /// than the default `/chat/completions`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Checks a payload given as JSON bytes. Malformed JSON is an `invalid_json`
    /// violation with its line and column.
    pub fn validate_json(&self, bytes: &[u8]) -> Report {
        let mut cx = context::Context::new(self.endpoint, false);
        let walked = std::str::from_utf8(bytes)
            .ok()
            .map(|text| engine::walk(text, &mut cx));
        if walked.is_some_and(|r| r.is_ok()) {
            return Report {
                model: cx.model,
                model_info: cx.model_info,
                endpoint: cx.endpoint,
                violations: cx.violations,
                notes: cx.notes,
            };
        }
        // Not JSON: serde_json says what and where. (Should it accept what the reader
        // refused, the reader is wrong; the payload is then checked in serde_json's words.)
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Err(e) => Report {
                model: cx.model,
                model_info: cx.model_info,
                endpoint: cx.endpoint,
                violations: vec![Violation {
                    pointer: String::new(),
                    code: Code::InvalidJson,
                    message: format!("invalid JSON: {e}"),
                    position: Some((e.line(), e.column())),
                }],
                notes: Vec::new(),
            },
            Ok(value) => self.validate_canonical(&value),
        }
    }

    /// Whether a payload given as JSON bytes is valid: the same checks as
    /// [`Validator::validate_json`], stopping at the first violation and recording none.
    pub fn is_valid_json(&self, bytes: &[u8]) -> bool {
        let mut cx = context::Context::new(self.endpoint, true);
        let walked = std::str::from_utf8(bytes)
            .ok()
            .map(|text| engine::walk(text, &mut cx));
        match walked {
            Some(Ok(())) => !cx.failed,
            Some(Err(_)) if cx.failed => false,
            _ => match serde_json::from_slice::<serde_json::Value>(bytes) {
                Err(_) => false,
                Ok(value) => self.validate_canonical(&value).is_valid(),
            },
        }
    }

    /// Checks serde_json's own rendering of a value the reader refused.
    fn validate_canonical(&self, value: &serde_json::Value) -> Report {
        let text = value.to_string();
        let mut cx = context::Context::new(self.endpoint, false);
        let walked = engine::walk(&text, &mut cx);
        let mut violations = cx.violations;
        if walked.is_err() {
            violations.push(Violation {
                pointer: String::new(),
                code: Code::InvalidJson,
                message:
                    "modelgate could not read this JSON, which serde_json accepts; please report it"
                        .into(),
                position: None,
            });
        }
        Report {
            model: cx.model,
            model_info: cx.model_info,
            endpoint: cx.endpoint,
            violations,
            notes: cx.notes,
        }
    }

    /// Checks a payload given as a JSON value.
    pub fn validate_value(&self, value: &serde_json::Value) -> Report {
        self.validate_request(value)
    }

    /// Checks a typed request, such as the generated `ChatCompletionRequest`, as the JSON
    /// it serializes to.
    pub fn validate_request<T: serde::Serialize + ?Sized>(&self, request: &T) -> Report {
        match serde_json::to_vec(request) {
            Ok(bytes) => self.validate_json(&bytes),
            Err(e) => Report {
                model: None,
                model_info: None,
                endpoint: self.endpoint,
                violations: vec![Violation {
                    pointer: String::new(),
                    code: Code::InvalidJson,
                    message: format!("the request does not serialize to JSON: {e}"),
                    position: None,
                }],
                notes: Vec::new(),
            },
        }
    }
}

/// Checks JSON bytes with each model's default endpoint: `Validator::new().validate_json`.
pub fn validate_json(bytes: &[u8]) -> Report {
    Validator::new().validate_json(bytes)
}
