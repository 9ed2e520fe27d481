//! The state of one validation: where in the payload the walk is, which model and
//! endpoint the payload is for, the policy that gives each finding its level, and the
//! findings so far, with the wording of each kind.

use std::borrow::Cow;
use std::fmt::Display;
use std::ops::Range;

use super::declared::{Declarations, DeclaredModel};
use super::finding::{Code, Finding, Level};
use super::policy::Policy;
use crate::catalog::{Endpoint, FamilyInfo, ModelInfo};
use crate::rules::{Basis, Node, ObjectNode, SourceRef};
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
    /// A model the user declared.
    Declared(&'static DeclaredModel),
    /// An endpoint's generic schema (the model is unknown or listed only).
    Endpoint(Endpoint),
    /// Nothing chosen yet.
    Nothing,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Model(id) => write!(f, " for {id}"),
            Subject::Declared(m) => write!(f, " for {}", m.describe()),
            Subject::Endpoint(e) => write!(f, " on endpoint {}", e.key()),
            Subject::Nothing => Ok(()),
        }
    }
}

/// How the endpoint of a model the catalog lacks was told.
#[derive(Clone, Copy)]
pub(crate) enum Told {
    /// The caller asked for it.
    Requested,
    /// The ID's family (its prefix).
    Family(&'static str),
    /// The body has `messages`: a chat.
    Messages,
}

impl Told {
    fn describe(self) -> String {
        match self {
            Told::Requested => "the endpoint asked for".into(),
            Told::Family(prefix) => format!("the endpoint of the `{prefix}` family's models"),
            Told::Messages => {
                "told by its `messages`: a chat, in the OpenAI format both gateways share".into()
            }
        }
    }
}

/// Where a media model's own parameters go (`/input/*/params`), and their rules: a
/// payload that writes them at the top level is told to move them.
#[derive(Clone, Copy)]
pub(crate) struct Envelope {
    pub at: &'static str,
    pub params: &'static ObjectNode,
}

pub(crate) struct Context<'de> {
    path: Vec<Segment<'de>>,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub subject: Subject,
    policy: &'de Policy,
    /// The endpoint the caller asked for, if any.
    pub requested_endpoint: Option<Endpoint>,
    /// The endpoint the payload was checked against.
    pub endpoint: Option<Endpoint>,
    /// The `model` field as sent.
    pub model: Option<Cow<'de, str>>,
    pub model_info: Option<&'static ModelInfo>,
    /// The models the user declared, looked up before the catalog.
    pub declared: Option<&'de Declarations>,
    /// Where a model ID is looked up: the generated catalog (tests give their own
    /// entries, for kinds of models the bundled catalog happens not to have).
    pub models: fn(&str) -> Option<&'static ModelInfo>,
    /// Only the verdict is wanted: record nothing, stop at the first error.
    pub verdict_only: bool,
    /// An error was found (in verdict-only mode, where none is recorded).
    pub failed: bool,
    /// How many objects deep the walk is (0 outside the body, 1 in it).
    pub object_depth: usize,
    /// How many undocumented parameters the walk is inside: one finding is made where
    /// the undocumented part starts, not again for each part below it.
    pub undocumented: usize,
    /// The media envelope of the chosen model, if it has one.
    pub envelope: Option<Envelope>,
    /// Top-level members that belong in the envelope: name, JSON text and the bytes of
    /// the key.
    pub misplaced: Vec<(&'de str, String, Range<usize>)>,
    /// Keys met a second time in an object: pointer (empty in verdict-only mode) and the
    /// bytes of the repeated key.
    pub duplicates: Vec<(String, Range<usize>)>,
    /// The bytes of the text the next finding is about, kept up to date by the walk:
    /// the key of the member being read, then its value.
    pub span: Range<usize>,
}

impl<'de> Context<'de> {
    pub fn new(
        requested_endpoint: Option<Endpoint>,
        policy: &'de Policy,
        verdict_only: bool,
    ) -> Self {
        Context {
            verdict_only,
            failed: false,
            path: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            subject: Subject::Nothing,
            policy,
            requested_endpoint,
            endpoint: None,
            model: None,
            model_info: None,
            models: crate::catalog::find_model,
            declared: None,
            object_depth: 0,
            undocumented: 0,
            envelope: None,
            misplaced: Vec::new(),
            duplicates: Vec::new(),
            span: 0..0,
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
            match seg {
                Segment::Key(k) => crate::pointer::push(&mut out, k),
                Segment::Index(i) => out.push_str(&format!("/{i}")),
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

    /// The model the findings are about, as named in messages.
    fn model_name(&self) -> String {
        match self.subject {
            Subject::Model(id) => id.to_string(),
            Subject::Declared(m) => m.describe(),
            Subject::Endpoint(e) => format!("endpoint {}", e.key()),
            Subject::Nothing => "this endpoint".into(),
        }
    }

    /// Reports a finding of `code` at the current position, its message made only when
    /// the policy reports it at all.
    fn report(&mut self, code: Code, message: impl FnOnce(&Self) -> String) {
        if self.verdict_only && !self.policy.may_deny(code) {
            return;
        }
        let pointer = if self.verdict_only && !self.policy.needs_pointer() {
            String::new()
        } else {
            self.pointer()
        };
        let level = self.policy.level(code, self.model.as_deref(), &pointer);
        if level == Level::Deny {
            self.failed = true;
        }
        if self.verdict_only || level == Level::Allow {
            return;
        }
        let finding = Finding {
            pointer,
            code,
            level,
            message: message(self),
            span: Some(self.span.clone()),
        };
        match level {
            Level::Deny => self.errors.push(finding),
            _ => self.warnings.push(finding),
        }
    }

    /// Records that the child `key` of the current position is given again, at the
    /// bytes `at`: the payload is then checked as serde_json reads it (the last value
    /// wins).
    pub fn duplicate_key(&mut self, key: &str, at: Range<usize>) {
        let pointer = if self.verdict_only {
            String::new()
        } else {
            self.push_key(Cow::Owned(key.to_string()));
            let pointer = self.pointer();
            self.pop();
            pointer
        };
        self.duplicates.push((pointer, at));
    }

    /// Reports a finding about the child `key` of the current position.
    fn report_child(&mut self, key: &str, code: Code, message: impl FnOnce(&Self) -> String) {
        self.push_key(Cow::Owned(key.to_string()));
        self.report(code, message);
        self.pop();
    }

    pub fn wrong_type(&mut self, rule: &Node, found: impl Display) {
        self.report(Code::WrongType, |cx| {
            format!(
                "{} must be {}{}, found {found}",
                cx.field(),
                rule.expected(),
                cx.subject
            )
        });
    }

    pub fn out_of_range(
        &mut self,
        value: impl Display,
        minimum: Option<impl Display>,
        maximum: Option<impl Display>,
        above: bool,
    ) {
        self.report(Code::OutOfRange, |cx| {
            let (minimum, maximum) = (
                minimum.map(|v| v.to_string()),
                maximum.map(|v| v.to_string()),
            );
            let (side, bound) = if above {
                ("above the maximum", maximum.clone().unwrap_or_default())
            } else {
                ("below the minimum", minimum.clone().unwrap_or_default())
            };
            format!(
                "{} is {value}, {side} {bound}{} (allowed: {})",
                cx.field(),
                cx.subject,
                range(minimum, maximum)
            )
        });
    }

    pub fn array_length(&mut self, count: usize, minimum: Option<u64>, maximum: Option<u64>) {
        self.report(Code::ArrayLength, |cx| {
            let items = |n: u64| if n == 1 { "item" } else { "items" };
            let (side, bound) = match (minimum, maximum) {
                (Some(lo), _) if (count as u64) < lo => ("fewer than the minimum of", lo),
                (_, Some(hi)) => ("more than the maximum of", hi),
                _ => ("outside the allowed count", 0),
            };
            format!(
                "{} has {count} {}, {side} {bound}{} (allowed: {} items)",
                cx.field(),
                items(count as u64),
                cx.subject,
                range(
                    minimum.map(|v| v.to_string()),
                    maximum.map(|v| v.to_string())
                )
            )
        });
    }

    /// A string outside the allowed values; `warned` are the values also accepted (with
    /// a warning).
    pub fn not_in_enum<S: AsRef<str>>(&mut self, value: &str, allowed: &[S], warned: &[S]) {
        self.report(Code::NotInEnum, |cx| {
            let all = allowed.iter().chain(warned).map(AsRef::as_ref);
            format!(
                "{} is \"{value}\", which is not accepted{} (allowed: {}){}",
                cx.field(),
                cx.subject,
                quoted_list(all.clone()),
                did_you_mean(value, all, true),
            )
        });
    }

    /// A value the format allows but the gateway's list for the model does not name.
    pub fn undocumented_value<S: AsRef<str>>(&mut self, value: &str, documented: &[S]) {
        self.report(Code::UndocumentedValue, |cx| {
            format!(
                "{} is \"{value}\", which {} does not document (documented: {}); the format allows it, the gateway may refuse it",
                cx.field(),
                cx.model_name(),
                quoted_list(documented.iter().map(AsRef::as_ref)),
            )
        });
    }

    /// A parameter of the format that the gateway does not document for the model.
    pub fn undocumented_parameter(&mut self, source: Option<&SourceRef>, basis: Basis) {
        self.report(Code::UndocumentedParameter, |cx| {
            if basis == Basis::Practice {
                let by = source
                    .map(|s| format!(" ({}, {})", s.doc, s.section))
                    .unwrap_or_default();
                return format!(
                    "{} is not in the format's schema, though the format's own examples send it{by}; {} does not document it either, so the gateway may ignore it",
                    cx.field(),
                    cx.model_name(),
                );
            }
            let format = source
                .map(|s| format!(" (the format has it: {}, {})", s.doc, s.section))
                .unwrap_or_default();
            format!(
                "{} is not documented for {}; the gateway may ignore or refuse it{format}",
                cx.field(),
                cx.model_name(),
            )
        });
    }

    pub fn deprecated(&mut self) {
        self.report(Code::DeprecatedParameter, |cx| {
            format!("{} is deprecated in the format{}", cx.field(), cx.subject)
        });
    }

    /// A null on an optional field that does not take null.
    pub fn unexpected_null(&mut self, rule: &Node) {
        self.report(Code::UnexpectedNull, |cx| {
            format!(
                "{} is null, which is not declared nullable{} (it must be {} when sent); leave it out to mean \"not set\", as the gateway may refuse null",
                cx.field(),
                cx.subject,
                rule.expected()
            )
        });
    }

    pub fn fixed_mismatch(&mut self, value: &str, fixed: &str) {
        self.report(Code::FixedValueMismatch, |cx| {
            format!(
                "{} is \"{value}\", but it is fixed to \"{fixed}\"{}; send \"{fixed}\" or leave it out",
                cx.field(),
                cx.subject
            )
        });
    }

    pub fn too_long(&mut self, chars: usize, max: u64) {
        self.report(Code::TooLong, |cx| {
            format!(
                "{} is {chars} characters long, above the maximum of {max}{}",
                cx.field(),
                cx.subject
            )
        });
    }

    pub fn missing(&mut self, name: &str) {
        // The envelope a misplaced-parameter finding asks for is not missing on its own.
        if self.object_depth == 1
            && !self.misplaced.is_empty()
            && self.envelope.is_some_and(|e| envelope_key(e.at) == name)
        {
            return;
        }
        self.report_child(name, Code::MissingRequired, |cx| {
            format!("{} is required{}", cx.field(), cx.subject)
        });
    }

    pub fn unknown(&mut self, key: &str, object: &ObjectNode) {
        let top = self.object_depth == 1;
        self.report_child(key, Code::UnknownParameter, |cx| {
            let known: Vec<&str> = object.property_names();
            let hint = if top {
                cx.other_endpoint_hint(key)
            } else {
                String::new()
            };
            // A short list helps; the 37 parameters of a chat request do not.
            let listed = if known.len() <= 12 {
                format!(" (known here: {})", known.join(", "))
            } else {
                let model = match cx.subject {
                    Subject::Model(id) => id,
                    _ => "MODEL",
                };
                format!(" (`modelgate schema {model}` lists the {} known here)", known.len())
            };
            format!(
                "{} is not a parameter{}: neither the gateway's docs nor the endpoint's format has it{}{hint}{listed}",
                cx.field(),
                cx.subject,
                did_you_mean(key, known.iter().copied(), false),
            )
        });
    }

    /// For a top-level parameter of another endpoint: the model's own other endpoints
    /// first, then any endpoint of the catalog.
    fn other_endpoint_hint(&self, key: &str) -> String {
        let current = self.endpoint;
        let own = self.model_info.and_then(|info| {
            info.requests
                .iter()
                .find(|r| Some(r.endpoint) != current && r.rules().property(key).is_some())
                .map(|r| r.endpoint)
        });
        let any = || {
            Endpoint::ALL
                .iter()
                .copied()
                .find(|e| Some(*e) != current && e.info().base().property(key).is_some())
        };
        match own.or_else(any) {
            Some(e) => format!(
                "; it is a parameter of {}: send it there (validate with --endpoint {})",
                e.key(),
                e.key()
            ),
            None => String::new(),
        }
    }

    /// One finding for every top-level member that belongs in the media envelope, with
    /// the body they should have formed.
    pub fn misplaced_parameters(&mut self) {
        let Some(envelope) = self.envelope else {
            return;
        };
        if self.misplaced.is_empty() {
            return;
        }
        let misplaced = std::mem::take(&mut self.misplaced);
        self.span = misplaced[0].2.clone();
        self.report(Code::MisplacedParameter, |cx| {
            let names: Vec<String> = misplaced.iter().map(|(k, ..)| format!("`{k}`")).collect();
            let members: Vec<String> = misplaced
                .iter()
                .map(|(k, raw, _)| format!("{}: {}", json_string(k), abridged(raw)))
                .collect();
            let params = format!("{{{}}}", members.join(", "));
            let model = cx.model.as_deref().unwrap_or("MODEL");
            let place = envelope.at.trim_start_matches('/').replace("/*/", "[0].");
            format!(
                "{} {} the model's own parameters and go in `{place}`{}, not at the top of the body; send {{\"model\": {}, {}}}",
                names.join(", "),
                if names.len() == 1 { "is one of" } else { "are" },
                cx.subject,
                json_string(model),
                nest(envelope.at, &params)
            )
        });
    }

    /// A model the catalog lacks (which is incomplete: a new model, or a typo), and what
    /// its body was checked against.
    /// The closest ID (only looked for when the message is written).
    pub fn unknown_model(
        &mut self,
        id: &str,
        family: Option<&FamilyInfo>,
        told: Option<(Endpoint, Told)>,
    ) {
        self.report_child("model", Code::UnknownModel, |_| {
            let hint = match closest_model(id, family) {
                Some(s) => format!(" (did you mean \"{s}\"?)"),
                None => " (`modelgate models` lists it)".into(),
            };
            let checked = match told {
                Some((e, why)) => format!(
                    "the body was checked against the format of {} ({}), not against any model's limits",
                    e.key(),
                    why.describe()
                ),
                None => "no endpoint could be told (no ID family, no `messages`), so the body was not checked: name the endpoint it is sent to (`--endpoint` in the CLI) to check it".into(),
            };
            format!("model \"{id}\" is not in the catalog{hint}; {checked}")
        });
    }

    /// A model of a family whose every ID a source gives, which that source lacks: the
    /// gateway will refuse it.
    pub fn unlisted_model(&mut self, id: &str, family: &FamilyInfo) {
        self.report_child("model", Code::UnlistedModel, |_| {
            let suggestion = closest_model(id, Some(family));
            let list = family
                .complete
                .as_ref()
                .map(|s| match s.document_info() {
                    Some(d) if d.kind == crate::catalog::SourceKind::RemoteList => format!(
                        "the model list {} read on {}",
                        d.url.unwrap_or(d.key),
                        d.read.unwrap_or("an unknown day")
                    ),
                    _ => format!(
                        "`{}` (section \"{}\"; the catalog's copy, which gives no date)",
                        s.document, s.section
                    ),
                })
                .unwrap_or_default();
            let hint = suggestion
                .map(|s| format!("did you mean \"{s}\"? "))
                .unwrap_or_default();
            format!(
                "model \"{id}\" is not one of {}'s `{}` models, which {list} gives in full, so the gateway will refuse it; {hint}(a model newer than the catalog: declare it in modelgate.toml)",
                family.provider.info().name,
                family.prefix,
            )
        });
    }

    pub fn listed_model(&mut self, id: &str, endpoint: Endpoint) {
        self.report_child("model", Code::ListedModel, |_| {
            format!(
                "{id} is listed in the catalog without documented parameters; only the {} envelope was checked",
                endpoint.key()
            )
        });
    }

    pub fn listed_model_without_endpoint(&mut self, id: &str, info: &ModelInfo) {
        self.report_child("model", Code::ListedModel, |_| {
            format!(
                "{id} is listed in the catalog (by {}) with no known kind, so no endpoint's rules apply and the body was not checked; name the endpoint it is sent to (one of {}'s; `--endpoint` in the CLI) to check it",
                describe_source(&info.source),
                info.provider.info().name
            )
        });
    }

    pub fn not_listed(&mut self, id: &str, list: &crate::rules::Source) {
        self.report_child("model", Code::NotListed, |_| {
            format!(
                "{id} was not in {}; the gateway may have withdrawn it (the catalog keeps its facts)",
                describe_source(list)
            )
        });
    }

    pub fn wrong_endpoint(&mut self, info: &ModelInfo, endpoint: Endpoint) {
        self.report_child("model", Code::NotInEnum, |_| {
            let served: Vec<&str> = info.endpoints.iter().map(|e| e.key()).collect();
            let id = info.id.unwrap_or(info.name);
            if served.is_empty() {
                return format!(
                    "model \"{id}\" is a {} model, not served on {} (another gateway's endpoint)",
                    info.provider.info().name,
                    endpoint.key()
                );
            }
            format!(
                "model \"{id}\" is not served on {} (it is served on: {})",
                endpoint.key(),
                served.join(", ")
            )
        });
    }

    pub fn not_a_string_selector(&mut self, key: &str) {
        self.report_child(key, Code::WrongType, |cx| {
            format!("{} must be a string{}", cx.field(), cx.subject)
        });
    }

    pub fn unknown_tag(&mut self, key: &str, value: &str, allowed: &[&str]) {
        self.push_key(Cow::Owned(key.to_string()));
        self.not_in_enum(value, allowed, &[]);
        self.pop();
    }

    pub fn undocumented_tag(&mut self, key: &str, value: &str, documented: &[&str]) {
        self.push_key(Cow::Owned(key.to_string()));
        self.undocumented_value(value, documented);
        self.pop();
    }
}

/// A source as a message names it: a model list with its URL and day, another document
/// by its key.
fn describe_source(s: &crate::rules::Source) -> String {
    match s.document_info() {
        Some(d) if d.kind == crate::catalog::SourceKind::RemoteList => format!(
            "the model list {} read on {}",
            d.url.unwrap_or(d.key),
            d.read.unwrap_or("an unknown day")
        ),
        _ => format!("`{}`", s.document),
    }
}

fn range(minimum: Option<String>, maximum: Option<String>) -> String {
    match (minimum, maximum) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => String::new(),
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

/// The first member name of an envelope path (`/input/*/params` -> `input`).
fn envelope_key(at: &str) -> &str {
    at.trim_start_matches('/').split('/').next().unwrap_or(at)
}

/// `inner` placed at an envelope path: `/input/*/params` gives
/// `"input": [{"params": INNER}]`.
fn nest(at: &str, inner: &str) -> String {
    let segments: Vec<&str> = at.trim_start_matches('/').split('/').collect();
    let mut out = inner.to_string();
    for (i, seg) in segments.iter().enumerate().rev() {
        out = match *seg {
            "*" => format!("[{out}]"),
            name if i == 0 => format!("{}: {out}", json_string(name)),
            name => format!("{{{}: {out}}}", json_string(name)),
        };
    }
    out
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// A member's JSON text, shortened when long (a base64 image, say).
fn abridged(raw: &str) -> String {
    const KEEP: usize = 40;
    if raw.chars().count() <= KEEP + 8 {
        return raw.to_string();
    }
    let head: String = raw.chars().take(KEEP).collect();
    if raw.starts_with('"') {
        format!("{head}...\"")
    } else {
        format!("{head}...")
    }
}

/// The catalog ID closest to `id`: among its family's IDs first, then among all.
fn closest_model(id: &str, family: Option<&FamilyInfo>) -> Option<&'static str> {
    family
        .and_then(|f| suggest::closest(id, f.model_ids()))
        .or_else(|| suggest::closest(id, crate::catalog::ModelId::ALL.iter().map(|m| m.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_nest_and_long_values_are_abridged() {
        assert_eq!(
            nest("/input/*/params", "{\"a\": 1}"),
            "\"input\": [{\"params\": {\"a\": 1}}]"
        );
        assert_eq!(envelope_key("/input/*/params"), "input");
        assert_eq!(abridged("\"short\""), "\"short\"");
        let long = format!("\"{}\"", "x".repeat(100));
        assert_eq!(abridged(&long), format!("\"{}...\"", "x".repeat(39)));
    }
}
