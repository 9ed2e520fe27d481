//! The state of one validation: where in the payload the walk is, which model and
//! endpoint the payload is for, and the violations found so far, with the wording of
//! each kind of violation.

use std::borrow::Cow;
use std::fmt::Display;

use super::violation::{Code, Violation};
use crate::catalog::{Endpoint, ModelInfo};
use crate::schema::{ObjectRule, Rule};
use crate::suggest;

/// One step of the path from the payload's root.
pub(crate) enum Segment<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

/// What the payload is checked against, for messages.
#[derive(Clone, Copy)]
pub(crate) enum Subject {
    /// A model of the catalog.
    Model(&'static str),
    /// An endpoint's generic schema (the model is unknown or listed only).
    Endpoint(Endpoint),
    /// Nothing chosen yet.
    Nothing,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Model(id) => write!(f, " for {id}"),
            Subject::Endpoint(e) => write!(f, " on endpoint {}", e.key()),
            Subject::Nothing => Ok(()),
        }
    }
}

pub(crate) struct Context<'de> {
    path: Vec<Segment<'de>>,
    pub violations: Vec<Violation>,
    pub subject: Subject,
    /// The endpoint the caller asked for, if any.
    pub requested_endpoint: Option<Endpoint>,
    /// The endpoint the payload was checked against.
    pub endpoint: Option<Endpoint>,
    /// The `model` field as sent.
    pub model: Option<String>,
    pub model_info: Option<&'static ModelInfo>,
    pub notes: Vec<String>,
    /// Only the verdict is wanted: record nothing, stop at the first violation.
    pub verdict_only: bool,
    /// A violation was found (in verdict-only mode, where none is recorded).
    pub failed: bool,
}

impl<'de> Context<'de> {
    pub fn new(requested_endpoint: Option<Endpoint>, verdict_only: bool) -> Self {
        Context {
            verdict_only,
            failed: false,
            path: Vec::new(),
            violations: Vec::new(),
            subject: Subject::Nothing,
            requested_endpoint,
            endpoint: None,
            model: None,
            model_info: None,
            notes: Vec::new(),
        }
    }

    // In verdict-only mode no message is written, so no path is kept.
    pub fn push_key(&mut self, key: Cow<'de, str>) {
        if !self.verdict_only {
            self.path.push(Segment::Key(key));
        }
    }

    pub fn push_index(&mut self, index: usize) {
        if !self.verdict_only {
            self.path.push(Segment::Index(index));
        }
    }

    pub fn pop(&mut self) {
        if !self.verdict_only {
            self.path.pop();
        }
    }

    /// RFC 6901 pointer of the current position.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            out.push('/');
            match seg {
                Segment::Key(k) => {
                    for c in k.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// The current position as people write it: `messages[0].role`.
    fn field(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() {
            "the request body".into()
        } else {
            format!("`{out}`")
        }
    }

    /// In verdict-only mode: notes the failure and tells the caller to skip the details.
    fn verdict_only(&mut self) -> bool {
        self.failed = true;
        self.verdict_only
    }

    fn record(&mut self, code: Code, message: String) {
        let pointer = self.pointer();
        self.violations.push(Violation {
            pointer,
            code,
            message,
            position: None,
        });
    }

    /// Records a violation about the child `key` of the current position.
    fn record_child(&mut self, key: &str, code: Code, message: impl FnOnce(&Self) -> String) {
        self.push_key(Cow::Owned(key.to_string()));
        let text = message(self);
        self.record(code, text);
        self.pop();
    }

    pub fn wrong_type(&mut self, rule: &Rule, found: impl Display) {
        if self.verdict_only() {
            return;
        }
        let message = format!(
            "{} must be {}{}, found {found}",
            self.field(),
            rule.expected(),
            self.subject
        );
        self.record(Code::WrongType, message);
    }

    pub fn out_of_range(
        &mut self,
        value: impl Display,
        minimum: Option<impl Display>,
        maximum: Option<impl Display>,
        above: bool,
    ) {
        if self.verdict_only() {
            return;
        }
        let (minimum, maximum) = (
            minimum.map(|v| v.to_string()),
            maximum.map(|v| v.to_string()),
        );
        let (side, bound) = if above {
            ("above the maximum", maximum.clone().unwrap_or_default())
        } else {
            ("below the minimum", minimum.clone().unwrap_or_default())
        };
        let allowed = match (minimum, maximum) {
            (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => String::new(),
        };
        let message = format!(
            "{} is {value}, {side} {bound}{} (allowed: {allowed})",
            self.field(),
            self.subject
        );
        self.record(Code::OutOfRange, message);
    }

    pub fn not_in_enum(&mut self, value: &str, allowed: &[&str]) {
        if self.verdict_only() {
            return;
        }
        let message = format!(
            "{} is \"{value}\", which is not accepted{} (allowed: {}){}",
            self.field(),
            self.subject,
            quoted_list(allowed.iter().copied()),
            did_you_mean(value, allowed.iter().copied(), true),
        );
        self.record(Code::NotInEnum, message);
    }

    pub fn fixed_mismatch(&mut self, value: &str, fixed: &str) {
        if self.verdict_only() {
            return;
        }
        let message = format!(
            "{} is \"{value}\", but it is fixed to \"{fixed}\"{}; send \"{fixed}\" or leave it out",
            self.field(),
            self.subject
        );
        self.record(Code::FixedValueMismatch, message);
    }

    pub fn too_long(&mut self, chars: usize, max: u64) {
        if self.verdict_only() {
            return;
        }
        let message = format!(
            "{} is {chars} characters long, above the maximum of {max}{}",
            self.field(),
            self.subject
        );
        self.record(Code::TooLong, message);
    }

    pub fn missing(&mut self, name: &str) {
        if self.verdict_only() {
            return;
        }
        self.record_child(name, Code::MissingRequired, |cx| {
            format!("{} is required{}", cx.field(), cx.subject)
        });
    }

    pub fn unsupported(&mut self, key: &str, object: &ObjectRule) {
        if self.verdict_only() {
            return;
        }
        let accepted: Vec<&str> = object.property_names().collect();
        let hint = self.other_endpoint_hint(key);
        self.record_child(key, Code::UnsupportedParameter, |cx| {
            format!(
                "{} is not accepted{} (accepted: {}){}{hint}",
                cx.field(),
                cx.subject,
                accepted.join(", "),
                did_you_mean(key, accepted.iter().copied(), false),
            )
        });
    }

    /// For a top-level parameter the model takes on another of its endpoints.
    fn other_endpoint_hint(&self, key: &str) -> String {
        let (Some(info), Some(current), true) =
            (self.model_info, self.endpoint, self.path.is_empty())
        else {
            return String::new();
        };
        info.requests
            .iter()
            .find(|r| r.endpoint != current && r.rule.property(key).is_some())
            .map(|r| {
                format!(
                    "; it is a parameter of {}: validate against that endpoint",
                    r.endpoint.key()
                )
            })
            .unwrap_or_default()
    }

    pub fn unknown_model(&mut self, id: &str) {
        if self.verdict_only() {
            return;
        }
        let suggestion =
            suggest::closest(id, crate::catalog::ModelId::ALL.iter().map(|m| m.as_str()));
        let message = match suggestion {
            Some(s) => format!("model \"{id}\" is not in the catalog; did you mean \"{s}\"?"),
            None => format!("model \"{id}\" is not in the catalog (`modelgate models` lists them)"),
        };
        self.record_child("model", Code::UnknownModel, |_| message);
    }

    pub fn wrong_endpoint(&mut self, info: &ModelInfo, endpoint: Endpoint) {
        if self.verdict_only() {
            return;
        }
        let served: Vec<&str> = info.endpoints.iter().map(|e| e.key()).collect();
        let id = info.id.unwrap_or(info.name);
        let message = format!(
            "model \"{id}\" is not served on {} (it is served on: {})",
            endpoint.key(),
            served.join(", ")
        );
        self.record_child("model", Code::NotInEnum, |_| message);
    }

    pub fn not_a_string_selector(&mut self, key: &str) {
        if self.verdict_only() {
            return;
        }
        self.record_child(key, Code::WrongType, |cx| {
            format!("{} must be a string{}", cx.field(), cx.subject)
        });
    }

    pub fn unknown_tag(&mut self, key: &str, value: &str, allowed: &[&str]) {
        self.push_key(Cow::Owned(key.to_string()));
        self.not_in_enum(value, allowed);
        self.pop();
    }
}

fn quoted_list<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn did_you_mean<'a>(
    value: &str,
    candidates: impl Iterator<Item = &'a str>,
    quoted: bool,
) -> String {
    match suggest::closest(value, candidates) {
        Some(s) if quoted => format!("; did you mean \"{s}\"?"),
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    }
}
