//! Checking a request against what the sources say about its model, before it is sent.
//!
//! Every check has a basis (catalog note `knowledge-levels`): a limit the gateway
//! documents for the model, or a rule of the public format the endpoint follows, or
//! nothing (an unknown parameter). A validator reports every finding, not just the first,
//! each with an RFC 6901 pointer, a stable [`Code`], a [`Level`] from its [`Policy`], and
//! a message that names the model and what is allowed. Breaking a documented limit or a
//! format rule is an error; a parameter the gateway's docs are silent on is a warning.
//! The model (and so the rules) is read from the payload's `model` field; the endpoint is
//! the model's default unless one is given.
//!
//! ```
//! use modelgate::validate::{Code, Validator};
//!
//! let report = Validator::new().validate_json(
//!     br#"{"model": "vtrix-claude-3-haiku", "max_tokens": 4097, "seed": 7,
//!          "messages": [{"role": "user", "content": "Hi"}]}"#,
//! );
//! assert!(!report.is_valid());
//! assert_eq!(report.errors[0].pointer, "/max_tokens");
//! assert_eq!(report.errors[0].code, Code::OutOfRange);
//! assert_eq!(report.warnings[0].code, Code::UndocumentedParameter); // seed: the format's only
//! ```

mod context;
mod declared;
mod engine;
mod finding;
mod policy;
pub(crate) mod tape;
pub(crate) mod write;
#[cfg(feature = "yaml")]
mod yaml;

pub use declared::{DeclarationError, Declarations, DeclaredModel, ModelDeclaration};
pub use finding::{Code, Finding, Level};
pub use policy::{Policy, PolicyError, Scope, parse_code, parse_level};

use std::ops::Range;
use std::sync::Arc;

use crate::catalog::{Endpoint, ModelInfo};

/// The result of checking one payload.
///
/// ```
/// use modelgate::{Code, Validator};
///
/// let report = Validator::new().validate_json(
///     br#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "Hi"}],
///          "max_tokens": 5000, "seed": 1}"#,
/// );
/// assert!(!report.is_valid());
/// assert_eq!(report.model.as_deref(), Some("vtrix-claude-3-haiku"));
/// // A documented limit broken: an error, pointing at the field.
/// assert_eq!(report.errors[0].code, Code::OutOfRange);
/// assert_eq!(report.errors[0].pointer, "/max_tokens");
/// // A format parameter the gateway does not document for the model: a warning.
/// assert_eq!(report.warnings[0].code, Code::UndocumentedParameter);
/// assert_eq!(report.warnings[0].pointer, "/seed");
/// ```
#[derive(Clone, Debug)]
pub struct Report {
    /// The payload's `model` field, when it is a string.
    pub model: Option<String>,
    /// The model's catalog entry, when the model is in the catalog.
    pub model_info: Option<&'static ModelInfo>,
    /// The endpoint the payload was checked against.
    pub endpoint: Option<Endpoint>,
    /// Findings at deny level, in payload order: the payload is invalid if there is one.
    pub errors: Vec<Finding>,
    /// Findings at warn level, in payload order (an undocumented parameter, a listed
    /// model checked loosely, ...).
    pub warnings: Vec<Finding>,
}

impl Report {
    /// Whether the payload has no error (warnings do not count).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every finding: the errors, then the warnings.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.errors.iter().chain(&self.warnings)
    }

    fn from_context(cx: context::Context) -> Report {
        Report {
            model: cx.model.map(|m| m.into_owned()),
            model_info: cx.model_info,
            endpoint: cx.endpoint,
            errors: cx.errors,
            warnings: cx.warnings,
        }
    }

    fn invalid(endpoint: Option<Endpoint>, message: String, span: Option<Range<usize>>) -> Report {
        Report {
            model: None,
            model_info: None,
            endpoint,
            errors: vec![Finding {
                pointer: String::new(),
                code: Code::InvalidJson,
                level: Level::Deny,
                message,
                span,
            }],
            warnings: Vec::new(),
        }
    }
}

/// A JSON payload read once: every check of it (the validator, the batch checker, a
/// JSON Lines reader deciding which of the two a line is for) follows what this one
/// reading found, and nothing reads its bytes again.
///
/// ```
/// use modelgate::{ParsedJson, Validator};
///
/// let parsed = ParsedJson::parse(br#"{"model": "vtrix-claude-3-haiku", "max_tokens": 99999, "messages": []}"#).unwrap();
/// assert!(!parsed.is_batch_line());
/// let report = Validator::new().validate_parsed(&parsed);
/// assert_eq!(report.errors[0].pointer, "/max_tokens");
/// assert!(ParsedJson::parse(b"{\"model\": ").is_err());
/// ```
#[derive(Debug)]
pub struct ParsedJson<'a> {
    pub(crate) text: &'a str,
    pub(crate) tape: tape::Tape,
}

/// The bytes are not JSON (or not UTF-8); [`Validator::validate_json`] says what and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not JSON (at byte {offset})")]
pub struct NotJson {
    /// Where the reading stopped.
    pub offset: usize,
}

/// `bytes` as text, or how many of them are valid UTF-8.
#[inline]
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| {
        std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to())
    })
}

impl<'a> ParsedJson<'a> {
    /// Reads a JSON text (UTF-8, one value).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, NotJson> {
        let text = utf8(bytes).map_err(|offset| NotJson { offset })?;
        let tape = tape::Tape::parse(text).map_err(|e| NotJson { offset: e.0 })?;
        Ok(ParsedJson { text, tape })
    }

    /// Whether it is a batch line (see [`crate::batch`]): an object with `custom_id` and
    /// `body` members and no `model`.
    pub fn is_batch_line(&self) -> bool {
        let tape = &self.tape;
        if tape.tokens[0].kind != tape::Kind::Object {
            return false;
        }
        let (mut custom_id, mut body) = (false, false);
        for (key, _) in tape.members(0) {
            match tape.str(self.text, key) {
                "custom_id" => custom_id = true,
                "body" => body = true,
                "model" => return false,
                _ => {}
            }
        }
        custom_id && body
    }

    /// The text it was read from.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The payload as a `serde_json::Value`, built from the reading (the bytes are not
    /// read again): a key given twice keeps its last value, as serde_json keeps it.
    ///
    /// ```
    /// let parsed = modelgate::ParsedJson::parse(br#"{"n": 1, "s": "\u00e9", "n": 2.5}"#).unwrap();
    /// assert_eq!(parsed.to_value(), serde_json::json!({"n": 2.5, "s": "é"}));
    /// ```
    pub fn to_value(&self) -> serde_json::Value {
        self.tape.to_value(self.text, 0)
    }
}

static DEFAULT_POLICY: Policy = Policy::DEFAULT;

/// Memory the checks reuse from one payload to the next on a thread: the tape and the
/// walk's member slots (a batch of payloads allocates them once).
#[derive(Default)]
struct Scratch {
    tape: tape::Tape,
    slots: Vec<engine::Slot>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's [`Scratch`] (or a fresh one, should a check run inside
/// another).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Checks request payloads under a [`Policy`] (by default, each code's default level).
/// Cheap to create and to clone.
///
/// ```
/// use modelgate::{Endpoint, Validator};
///
/// // A typed request (feature `client`), checked against its model's rules on its
/// // default endpoint.
/// # #[cfg(feature = "client")] {
/// use modelgate::chat::{ChatCompletionRequest, request, user};
/// let req = ChatCompletionRequest {
///     max_tokens: Some(4096),
///     ..request("vtrix-claude-3-haiku", vec![user("Hello")])
/// };
/// assert!(Validator::new().validate_request(&req).is_valid());
/// # }
///
/// // A JSON value, checked as a request to another endpoint (Anthropic Messages here).
/// let body = serde_json::json!({"model": "aws/claude-haiku-4-5", "max_tokens": 100,
///     "messages": [{"role": "user", "content": "Hi"}]});
/// let report = Validator::new().endpoint(Endpoint::VertexKeyMessages).validate_value(&body);
/// assert!(report.is_valid(), "{:?}", report.errors);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Validator {
    endpoint: Option<Endpoint>,
    policy: Option<Arc<Policy>>,
    declared: Option<Declarations>,
}

impl Validator {
    /// A validator that takes each model's default endpoint and the default levels.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks payloads as requests to `endpoint` (e.g. VertexKey's `/messages` rather
    /// than the default `/chat/completions`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Gives findings the levels of `policy`.
    pub fn policy(mut self, policy: impl Into<Arc<Policy>>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Checks payloads for the models `declared` declares (see [`Declarations`]) by their
    /// declarations, before the bundled catalog.
    pub fn declare(mut self, declared: &Declarations) -> Self {
        self.declared = (!declared.is_empty()).then(|| declared.clone());
        self
    }

    /// The entry of the model with this ID: a declared one (see [`Validator::declare`]),
    /// else the catalog's.
    pub fn find_model(&self, id: &str) -> Option<&'static ModelInfo> {
        match self.declared.as_ref().and_then(|d| d.find(id)) {
            Some(declared) => Some(declared.info),
            None => crate::catalog::find_model(id),
        }
    }

    /// The context of one check.
    fn context(&self, verdict_only: bool) -> context::Context<'_> {
        let mut cx = context::Context::new(self.endpoint, self.levels(), verdict_only);
        cx.declared = self.declared.as_ref();
        cx
    }

    pub(crate) fn levels(&self) -> &Policy {
        self.policy.as_deref().unwrap_or(&DEFAULT_POLICY)
    }

    /// Checks a payload given as JSON bytes. Each finding carries the bytes it is about
    /// ([`Finding::span`]); malformed JSON is one `invalid_json` error at the place the
    /// text stops being JSON. The bytes are read once (into a token tape) and the walk
    /// follows the tape: a key given twice is checked as serde_json reads it, the last
    /// value winning, and every finding keeps its place.
    pub fn validate_json(&self, bytes: &[u8]) -> Report {
        let Ok(text) = utf8(bytes) else {
            return self.not_json(bytes, None);
        };
        with_scratch(|scratch| match scratch.tape.read(text) {
            Ok(()) => self.walk(text, &scratch.tape, 0, false, &mut scratch.slots),
            Err(broken) => self.not_json(bytes, broken.model),
        })
    }

    /// Checks a payload already read (see [`ParsedJson`]): as
    /// [`Validator::validate_json`], without reading its bytes again.
    pub fn validate_parsed(&self, parsed: &ParsedJson) -> Report {
        self.validate_tape(parsed.text, &parsed.tape, 0)
    }

    /// Checks a YAML payload: one document of `text` as the YAML reader gives it
    /// ([`modelgate_io::yaml::parse_payload_nodes`]; feature `yaml`). It is checked as the same payload in
    /// JSON is, each finding placed at the bytes of its node (or key) in `text`; a key
    /// given twice is found and placed as in JSON (the last value is checked).
    ///
    /// ```
    /// use modelgate::{Code, Validator};
    ///
    /// let text = "model: vtrix-claude-3-haiku\nmax_tokens: 99999\nmessages:\n  - {role: user, content: Hi}\n";
    /// let docs = modelgate::yaml::parse_payload_nodes(text).unwrap();
    /// let report = Validator::new().validate_yaml(&docs[0], text);
    /// assert_eq!(report.errors[0].code, Code::OutOfRange);
    /// assert_eq!(&text[report.errors[0].span.clone().unwrap()], "99999");
    /// ```
    #[cfg(feature = "yaml")]
    pub fn validate_yaml(&self, document: &modelgate_io::yaml::Document, text: &str) -> Report {
        with_scratch(|scratch| {
            yaml::build(&document.root, &mut scratch.tape);
            self.walk(text, &scratch.tape, 0, false, &mut scratch.slots)
        })
    }

    /// Checks the payload at token `root` of `tape`, read from `text`.
    pub(crate) fn validate_tape(&self, text: &str, tape: &tape::Tape, root: usize) -> Report {
        with_scratch(|scratch| self.walk(text, tape, root, false, &mut scratch.slots))
    }

    /// The walk behind every check, with memory to reuse.
    fn walk(
        &self,
        text: &str,
        tape: &tape::Tape,
        root: usize,
        verdict_only: bool,
        slots: &mut Vec<engine::Slot>,
    ) -> Report {
        let mut cx = self.context(verdict_only);
        engine::walk(text, tape, root, &mut cx, slots);
        let mut duplicates = std::mem::take(&mut cx.duplicates);
        // In payload order (an object's repeats are found before its members are walked).
        duplicates.sort_by_key(|(_, at)| at.start);
        let mut report = Report::from_context(cx);
        for (pointer, at) in duplicates {
            self.duplicate_key(&mut report, &pointer, Some(at));
        }
        report
    }

    /// The report of bytes that are not JSON: serde_json says what and where. (Should it
    /// accept what the reader refused, the reader is wrong, and the report says so.)
    /// `model`: the root object's model, when the reading got that far, which still says
    /// what the payload was for.
    #[cold]
    fn not_json(&self, bytes: &[u8], model: Option<String>) -> Report {
        let model_info = model.as_deref().and_then(crate::catalog::find_model);
        let endpoint = self
            .endpoint
            .or_else(|| model_info.and_then(|m| m.default_endpoint()));
        let report = match serde_json::from_slice::<serde_json::Value>(bytes) {
            Err(e) => {
                let (message, span) = invalid_json(bytes, &e);
                Report::invalid(endpoint, message, Some(span))
            }
            Ok(_) => Report::invalid(
                endpoint,
                "modelgate could not read this JSON, which serde_json accepts; please report it"
                    .into(),
                None,
            ),
        };
        Report {
            model,
            model_info,
            ..report
        }
    }

    /// Adds a `duplicate_key` finding (at the policy's level) for the key at `pointer`,
    /// given more than once in its object, the repeated key being the bytes `span` of
    /// the text. The validator does this itself for JSON; a reader of another syntax that
    /// keeps the last value (such as YAML payloads) reports its repeated keys with it.
    pub fn duplicate_key(&self, report: &mut Report, pointer: &str, span: Option<Range<usize>>) {
        let level = self
            .levels()
            .level(Code::DuplicateKey, report.model.as_deref(), pointer);
        if level == Level::Allow {
            return;
        }
        let key = crate::pointer::last_key(pointer);
        let finding = Finding {
            pointer: pointer.to_string(),
            code: Code::DuplicateKey,
            level,
            message: format!(
                "`{key}` is given more than once in this object; modelgate checked the last \
                 value, which serde_json, Python's json and JavaScript keep, but a gateway may \
                 read another: keep one"
            ),
            span,
        };
        match level {
            Level::Deny => report.errors.push(finding),
            _ => report.warnings.push(finding),
        }
    }

    /// Whether a payload given as JSON bytes is valid: the same checks as
    /// [`Validator::validate_json`], stopping at the first error and recording nothing.
    pub fn is_valid_json(&self, bytes: &[u8]) -> bool {
        if self.levels().needs_pointer() {
            // A rule scoped to a parameter needs the path, which the fast walk does not keep.
            return self.validate_json(bytes).is_valid();
        }
        let Ok(text) = utf8(bytes) else {
            return false;
        };
        with_scratch(|scratch| {
            if scratch.tape.read(text).is_err() {
                return false;
            }
            let mut cx = self.context(true);
            engine::walk(text, &scratch.tape, 0, &mut cx, &mut scratch.slots);
            // A key given twice fails the payload only where the policy denies it.
            let denied_duplicate = !cx.duplicates.is_empty()
                && self
                    .levels()
                    .level(Code::DuplicateKey, cx.model.as_deref(), "")
                    == Level::Deny;
            !cx.failed && !denied_duplicate
        })
    }

    /// Checks a payload given as a JSON value.
    pub fn validate_value(&self, value: &serde_json::Value) -> Report {
        self.validate_request(value)
    }

    /// Checks a typed request, such as the generated `ChatCompletionRequest`, as the JSON
    /// it serializes to. A NaN or infinite float is an error first: serde_json would write
    /// it as `null`, which the format reads as "not set".
    pub fn validate_request<T: serde::Serialize + ?Sized>(&self, request: &T) -> Report {
        // One serde pass: the JSON and its tape together (the JSON text is not kept).
        match write::serialize(request) {
            Ok((text, tape)) => {
                let mut report = self.validate_tape(&text, &tape, 0);
                // Spans into a text the caller never saw mean nothing to them.
                for finding in report.errors.iter_mut().chain(&mut report.warnings) {
                    finding.span = None;
                }
                report
            }
            Err(write::Unwritable::NonFinite(pointer, value)) => {
                let mut report = Report::invalid(self.endpoint, String::new(), None);
                report.errors = vec![non_finite_finding(pointer, value)];
                report
            }
            Err(e) => Report::invalid(
                self.endpoint,
                format!("the request does not serialize to JSON: {e}"),
                None,
            ),
        }
    }
}

/// The message and the bytes of an `invalid_json` finding, from serde_json's error:
/// its words without its position, and the byte it stopped at (its line and column,
/// which count bytes, turned back into an offset).
fn invalid_json(bytes: &[u8], e: &serde_json::Error) -> (String, Range<usize>) {
    if bytes.starts_with("\u{feff}".as_bytes()) {
        let message = "invalid JSON: the text starts with a byte order mark (U+FEFF), which \
                       JSON parsers refuse; save it as UTF-8 without one";
        return (message.to_string(), 0..3);
    }
    let words = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let words = format!(
        "invalid JSON: {}",
        words.strip_suffix(&suffix).unwrap_or(&words)
    );
    if e.is_eof() {
        return (words, bytes.len()..bytes.len());
    }
    let mut offset = 0;
    for _ in 1..e.line() {
        match bytes[offset..].iter().position(|&b| b == b'\n') {
            Some(i) => offset += i + 1,
            None => break,
        }
    }
    // serde_json's column is the number of bytes of the line read, the failing one
    // included; 0 when the failing byte was the line break before the line.
    let offset = match e.column() {
        0 => offset.saturating_sub(1),
        column => (offset + column - 1).min(bytes.len()),
    };
    let mut end = (offset + 1).min(bytes.len());
    while end < bytes.len() && (bytes[end] & 0xC0) == 0x80 {
        end += 1;
    }
    (words, offset..end)
}

/// The first NaN or infinite float in a typed request, as a `wrong_type` error: JSON has
/// no such numbers, and serde_json would send `null` ("not set") in their place.
pub fn non_finite<T: serde::Serialize + ?Sized>(request: &T) -> Option<Finding> {
    match write::serialize(request) {
        Err(write::Unwritable::NonFinite(pointer, value)) => {
            Some(non_finite_finding(pointer, value))
        }
        _ => None,
    }
}

/// The `wrong_type` error of a NaN or infinite float at `pointer`.
pub(crate) fn non_finite_finding(pointer: String, value: f64) -> Finding {
    let field = pointer.trim_start_matches('/').replace('/', ".");
    Finding {
        message: format!(
            "`{field}` is {value}, which JSON cannot carry (it would be sent as null, \"not set\"); use a finite number or leave it out"
        ),
        pointer,
        code: Code::WrongType,
        level: Level::Deny,
        span: None,
    }
}

/// Checks JSON bytes with each model's default endpoint and the default levels:
/// `Validator::new().validate_json`.
pub fn validate_json(bytes: &[u8]) -> Report {
    Validator::new().validate_json(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_keeps_every_finding_in_its_place() {
        // 300 unknown parameters and one key given twice: every finding has its place
        // (the walk follows the tape, nothing is placed by reading the text again).
        let mut text = String::from(
            r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "hi"}]"#,
        );
        for i in 0..300 {
            text.push_str(&format!(", \"x{i}\": 1"));
        }
        text.push_str(r#", "x0": 2}"#);
        let report = validate_json(text.as_bytes());
        assert_eq!(report.errors.len(), 300);
        assert!(report.errors.iter().all(|f| f.span.is_some()));
        // The repeated key itself is placed, at its second copy.
        let dup = report
            .warnings
            .iter()
            .find(|f| f.code == Code::DuplicateKey)
            .unwrap();
        let span = dup.span.clone().unwrap();
        assert_eq!(&text[span.clone()], "\"x0\"");
        assert!(span.start > text.len() - 20);
        // The finding about `x0` is the last copy's.
        let x0 = report.errors.iter().find(|f| f.pointer == "/x0").unwrap();
        assert_eq!(&text[x0.span.clone().unwrap()], "\"x0\"");
        assert!(x0.span.clone().unwrap().start > text.len() - 20);
    }

    fn spans(text: &str) -> Vec<(Code, &str)> {
        let report = Validator::new().validate_json(text.as_bytes());
        report
            .findings()
            .map(|f| (f.code, &text[f.span.clone().expect("a span")]))
            .collect()
    }

    #[test]
    fn findings_point_at_the_bytes_the_walk_found_them_in() {
        let m = r#""model": "vtrix-claude-3-haiku""#;
        let msgs = r#""messages": [{"role": "user", "content": "hi"}]"#;
        assert_eq!(
            spans(&format!("{{{m}, {msgs}, \"max_tokens\":\t99999}}")),
            [(Code::OutOfRange, "99999")]
        );
        assert_eq!(
            spans(&format!("{{{m}, {msgs}, \"max_tokns\": 1}}")),
            [(Code::UnknownParameter, "\"max_tokns\"")]
        );
        assert_eq!(
            spans(&format!("{{{m}, {msgs}, \"stop\": \"x\"}}")),
            [(Code::UndocumentedParameter, "\"stop\"")]
        );
        assert_eq!(
            spans(&format!("{{{m}, \"messages\": [{{\"role\": \"user\"}}]}}")),
            [(Code::MissingRequired, "{")]
        );
        assert_eq!(
            spans(r#"{"model": "vtrix-claud-3-haiku", "messages": []}"#),
            // The body is checked against the chat format its `messages` tells.
            [
                (Code::ArrayLength, "["),
                (Code::UnknownModel, "\"vtrix-claud-3-haiku\"")
            ]
        );
        assert_eq!(
            spans(&format!("{{{m}, \"messages\": \"日本\"}}")),
            [(Code::WrongType, "\"日本\"")]
        );
        assert_eq!(spans("[1]"), [(Code::WrongType, "[")]);
    }

    #[test]
    fn a_repeated_key_is_placed_where_the_kept_value_is() {
        let text = r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 1, "max_tokens": 99999}"#;
        let found = spans(text);
        assert!(
            found.contains(&(Code::DuplicateKey, "\"max_tokens\"")),
            "{found:?}"
        );
        let range = found.iter().find(|(c, _)| *c == Code::OutOfRange).unwrap();
        assert_eq!(range.1, "99999");
        assert!(text.ends_with("\"max_tokens\": 99999}"));
    }

    #[test]
    fn invalid_json_is_one_finding_at_the_byte_where_it_stops() {
        for (text, at, words) in [
            ("{\"a\": 1,}", "}", "trailing comma"),
            ("{\n  \"a\": tru\n}", "\n", "expected ident"),
            ("{\"a\": \"日本\" x}", "x", "expected `,` or `}`"),
            ("{\"a\": 1", "", "EOF while parsing an object"),
            ("\u{feff}{}", "\u{feff}", "byte order mark"),
        ] {
            let report = Validator::new().validate_json(text.as_bytes());
            assert_eq!(report.errors.len(), 1, "{text:?}");
            let f = &report.errors[0];
            assert_eq!(f.code, Code::InvalidJson);
            assert!(f.message.contains(words), "{text:?}: {}", f.message);
            assert!(!f.message.contains(" at line "), "{}", f.message);
            assert_eq!(&text[f.span.clone().unwrap()], at, "{text:?}");
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn a_yaml_payload_gets_the_findings_of_its_json_each_at_its_own_bytes() {
        let yaml = "model: vtrix-claude-3-haiku\nmessages:\n  - role: user\n    content: 日本\n  - {role: robot, content: x}\nmax_tokens: 1\nseed: 2\nmax_tokens: 99999\n";
        let json = r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "日本"}, {"role": "robot", "content": "x"}], "max_tokens": 1, "seed": 2, "max_tokens": 99999}"#;
        let docs = crate::yaml::parse_payload_nodes(yaml).unwrap();
        let from_yaml = Validator::new().validate_yaml(&docs[0], yaml);
        let from_json = Validator::new().validate_json(json.as_bytes());
        let codes = |r: &Report| -> Vec<(Code, String)> {
            r.findings().map(|f| (f.code, f.pointer.clone())).collect()
        };
        assert_eq!(codes(&from_yaml), codes(&from_json));
        let placed: Vec<&str> = from_yaml
            .findings()
            .map(|f| &yaml[f.span.clone().unwrap()])
            .collect();
        assert_eq!(placed, ["robot", "99999", "seed", "max_tokens"]);
        // The repeated key is placed at its second copy.
        let dup = from_yaml.warnings.last().unwrap();
        assert_eq!(dup.code, Code::DuplicateKey);
        assert!(dup.span.clone().unwrap().start > yaml.find("seed").unwrap());
        // A repeat inside a value that a later copy replaces is reported as in JSON.
        let yaml =
            "model: vtrix-claude-3-haiku\nmessages: []\nmetadata: {b: 1, b: 2}\nmetadata: 3\n";
        let json = r#"{"model": "vtrix-claude-3-haiku", "messages": [], "metadata": {"b": 1, "b": 2}, "metadata": 3}"#;
        let docs = crate::yaml::parse_payload_nodes(yaml).unwrap();
        assert_eq!(
            codes(&Validator::new().validate_yaml(&docs[0], yaml)),
            codes(&Validator::new().validate_json(json.as_bytes()))
        );
    }

    #[test]
    fn typed_and_value_payloads_have_no_span() {
        let body = serde_json::json!({"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 99999});
        let report = Validator::new().validate_value(&body);
        assert!(!report.errors.is_empty());
        assert!(report.findings().all(|f| f.span.is_none()));
    }
}
