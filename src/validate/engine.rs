//! The validator's walk: one pass over the payload with [`Reader`], checking each value
//! against the static rule tree of its model as it is read, without building a
//! `serde_json::Value`. The key that selects an object's rules (`model` at the top, `type`
//! in a content part) is found by looking ahead, so each object is walked once whatever
//! the order of its keys.

use std::fmt;

use std::borrow::Cow;
use std::collections::HashSet;
use std::mem;

use super::context::{Context, Envelope, Subject};
use super::reader::{Kind, Member, NotJson, Num, Reader, Result};
use crate::catalog::ModelStatus;
use crate::rules::{
    Additional, Basis, IntegerRule, Node as Rule, NumberRule, ObjectNode as ObjectRule, Property,
    StringNode as StringRule, TaggedNode as TaggedRule,
};

/// Walks `text` as a request body; violations and what was chosen end up in `cx`.
/// `Err` means the text is not JSON, or, in verdict-only mode, that the walk stopped at
/// the first violation: it then reads the rest of each object around it by structure
/// only, to note a key given again later (which may replace the value that failed).
pub(crate) fn walk<'a>(text: &'a str, cx: &mut Context<'a>) -> Result<()> {
    let mut r = Reader::new(text);
    let kind = r.kind()?;
    let start = r.offset();
    if kind == Kind::Object {
        r.begin_object()?;
        let (member, at) = r.find_member("model");
        cx.span = if at.is_empty() { start..start + 1 } else { at };
        let rules = ModelSelector.select(member, cx);
        walk_members(&mut r, rules, start, cx)?;
    } else {
        r.skip_value()?;
        cx.span = value_span(kind, start, &r);
        cx.wrong_type(&Rule::Object(ObjectRule::default()), describe(kind));
    }
    r.end()
}

/// The bytes a finding about a value of `kind` starting at `start` points to, once the
/// value was read: the whole of a scalar, the first byte of an array or object.
fn value_span(kind: Kind, start: usize, r: &Reader) -> std::ops::Range<usize> {
    match kind {
        Kind::Array | Kind::Object => start..start + 1,
        _ => start..r.offset(),
    }
}

fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Boolean => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Array => "an array",
        Kind::Object => "an object",
    }
}

/// The rule (or alternative of a union) that applies to a value of `kind`.
fn pick(rule: &'static Rule, kind: Kind) -> Option<&'static Rule> {
    let fits = |r: &Rule| {
        matches!(
            (r, kind),
            (Rule::Any, _)
                | (Rule::Null, Kind::Null)
                | (Rule::Boolean, Kind::Boolean)
                | (Rule::Integer(_) | Rule::Number(_), Kind::Number)
                | (Rule::String(_), Kind::String)
                | (Rule::Array(_), Kind::Array)
                | (Rule::Object(_) | Rule::Tagged(_), Kind::Object)
        )
    };
    match rule {
        Rule::OneOfType(alternatives) => alternatives.iter().find(|r| fits(r)),
        r if fits(r) => Some(r),
        _ => None,
    }
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Unsigned(v) => v as f64,
            Num::Signed(v) => v as f64,
            Num::Float(v) => v,
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Num::Unsigned(v) => v.fmt(f),
            Num::Signed(v) => v.fmt(f),
            Num::Float(v) => v.fmt(f),
        }
    }
}

/// Key equality, cheapest test first (property names are short and mostly differ in
/// length or first letter).
fn same_name(name: &str, key: &str) -> bool {
    name.len() == key.len() && name.as_bytes().first() == key.as_bytes().first() && name == key
}

/// Checks the next value against `rule`.
fn check<'a>(r: &mut Reader<'a>, rule: &'static Rule, cx: &mut Context<'a>) -> Result<()> {
    let kind = r.kind()?;
    let start = r.offset();
    let Some(picked) = pick(rule, kind) else {
        r.skip_value()?;
        cx.span = value_span(kind, start, r);
        cx.wrong_type(rule, describe(kind));
        return Ok(());
    };
    match picked {
        Rule::Integer(ir) => {
            let n = r.number()?;
            cx.span = start..r.offset();
            check_integer(*ir, n, cx)
        }
        Rule::Number(nr) => {
            let n = r.number()?;
            cx.span = start..r.offset();
            check_number(*nr, n, cx)
        }
        Rule::String(sr) if sr.is_free() => r.skip_string()?,
        Rule::String(sr) => {
            let s = r.string()?;
            cx.span = start..r.offset();
            check_string(sr, &s, cx)
        }
        Rule::Array(a) => {
            let a: &'static crate::rules::ArrayNode = a;
            r.begin_array()?;
            let mut index = 0;
            while r.next_element(index == 0)? {
                cx.push_index(index);
                let result = check(r, &a.items, cx);
                cx.pop();
                if stopping(cx) {
                    return drain_array(r);
                }
                result?;
                index += 1;
            }
            let n = index as u64;
            if a.min_items.is_some_and(|m| n < m) || a.max_items.is_some_and(|m| n > m) {
                cx.span = start..start + 1;
                cx.array_length(index, a.min_items, a.max_items);
            }
        }
        Rule::Object(o) => {
            r.begin_object()?;
            walk_members(r, Some(o), start, cx)?;
        }
        Rule::Tagged(t) => {
            r.begin_object()?;
            let (member, at) = r.find_member(&t.tag);
            cx.span = if at.is_empty() { start..start + 1 } else { at };
            let rules = TagSelector(t).select(member, cx);
            walk_members(r, rules, start, cx)?;
        }
        Rule::Any | Rule::Null | Rule::Boolean | Rule::OneOfType(_) => r.skip_value()?,
    }
    Ok(())
}

/// Checks the value of the known property `p` (its key already on the path).
fn check_property<'a>(
    r: &mut Reader<'a>,
    p: &'static Property,
    cx: &mut Context<'a>,
) -> Result<()> {
    // A null on an optional property means "not set": never a presence finding, and at
    // most a warning where null is not declared.
    if r.kind()? == Kind::Null && !p.required {
        let start = r.offset();
        r.null()?;
        if !p.node.accepts_null() {
            cx.span = start..r.offset();
            cx.unexpected_null(&p.node);
        }
        return Ok(());
    }
    let undocumented = p.basis == Basis::Format;
    if undocumented && cx.undocumented == 0 {
        cx.undocumented_parameter(p.source.as_ref());
    }
    // The format's deprecation matters only where the gateway does not document the
    // parameter itself (Vtrix documents max_tokens, which the format deprecates).
    if p.deprecated && undocumented {
        cx.deprecated();
    }
    cx.undocumented += usize::from(undocumented);
    let result = check(r, &p.node, cx);
    cx.undocumented -= usize::from(undocumented);
    result
}

/// Reads the members of an object whose `{` (at byte `open`) was read, checking them
/// against `rules` (`None`: the rules could not be chosen; the members are only read).
fn walk_members<'a>(
    r: &mut Reader<'a>,
    rules: Option<&'static ObjectRule>,
    open: usize,
    cx: &mut Context<'a>,
) -> Result<()> {
    cx.object_depth += 1;
    let result = walk_members_inside(r, rules, open, cx);
    cx.object_depth -= 1;
    result
}

fn walk_members_inside<'a>(
    r: &mut Reader<'a>,
    rules: Option<&'static ObjectRule>,
    open: usize,
    cx: &mut Context<'a>,
) -> Result<()> {
    let mut seen: u64 = 0;
    // Members the object does not list, to find repeated ones. (Keys in content no rule
    // looks into are not checked for repeats.)
    let mut others = KeySet::default();
    let mut first = true;
    while let Some(key) = r.next_key(first)? {
        first = false;
        let Some(o) = rules else {
            // Free-form content is not checked, but the body's own keys still choose what is
            // (an unknown model's `model`).
            if cx.object_depth == 1 && !others.insert(key.clone()) {
                cx.duplicate_key(&key, r.key_span());
            }
            r.skip_value()?;
            continue;
        };
        cx.span = r.key_span();
        let index = o.properties.iter().position(|p| same_name(&p.name, &key));
        if repeated(&mut seen, &mut others, index, &key) {
            cx.duplicate_key(&key, r.key_span());
        }
        let result = match index {
            Some(i) => {
                cx.push_key(key);
                let result = check_property(r, &o.properties[i], cx);
                cx.pop();
                result
            }
            None => other_member(r, key, o, cx),
        };
        if stopping(cx) {
            return drain_object(r, o, seen, others, cx);
        }
        result?;
    }
    if let Some(o) = rules {
        for (i, p) in o.properties.iter().enumerate() {
            let bit = 1u64.checked_shl(i as u32).unwrap_or(0);
            if p.required && bit != 0 && seen & bit == 0 {
                cx.span = open..open + 1;
                cx.missing(&p.name);
            }
        }
        if cx.object_depth == 1 {
            cx.misplaced_parameters();
        }
    }
    Ok(())
}

/// In verdict-only mode, whether the walk has its verdict (a violation) and only looks
/// for repeated keys from now on.
fn stopping(cx: &Context) -> bool {
    cx.verdict_only && cx.failed
}

/// After the verdict, in verdict-only mode: reads the rest of an object by its structure
/// only, noting repeated keys (a later copy may replace the value that failed), and stops
/// the walk. `seen` and `others` are the keys met so far, as in `walk_members_inside`.
#[cold]
#[inline(never)]
fn drain_object<'a>(
    r: &mut Reader<'a>,
    o: &'static ObjectRule,
    mut seen: u64,
    mut others: KeySet<'a>,
    cx: &mut Context<'a>,
) -> Result<()> {
    while let Some(key) = r.next_key(false)? {
        let index = o.properties.iter().position(|p| same_name(&p.name, &key));
        if repeated(&mut seen, &mut others, index, &key) {
            cx.duplicate_key(&key, r.key_span());
        }
        r.skip_structure()?;
    }
    Err(NotJson)
}

/// Notes `key` among an object's keys met so far (`index`: its place among the listed
/// properties, which `seen` holds a bit each for; `others` the rest) and says whether it
/// was met before. (`&Cow`: a borrowed key goes into `others` without allocating.)
#[inline(always)]
#[allow(clippy::ptr_arg)]
fn repeated<'a>(
    seen: &mut u64,
    others: &mut KeySet<'a>,
    index: Option<usize>,
    key: &Cow<'a, str>,
) -> bool {
    match index {
        Some(i) => {
            let bit = 1u64.checked_shl(i as u32).unwrap_or(0);
            let before = *seen & bit != 0;
            *seen |= bit;
            before
        }
        None => !others.insert(key.clone()),
    }
}

/// After the verdict, in verdict-only mode: moves past the rest of an array by its
/// structure only (the objects around it still look for repeated keys), and stops the
/// walk.
#[cold]
#[inline(never)]
fn drain_array(r: &mut Reader) -> Result<()> {
    while r.next_element(false)? {
        r.skip_structure()?;
    }
    Err(NotJson)
}

/// The keys met in an object, to find one given twice: a short list searched in order
/// (objects have a handful of members), a hash set past [`KeySet::FEW`] keys so that a
/// hostile object of many keys stays linear.
#[derive(Default)]
enum KeySet<'a> {
    #[default]
    Empty,
    Few(Vec<Cow<'a, str>>),
    Many(HashSet<Cow<'a, str>>),
}

impl<'a> KeySet<'a> {
    const FEW: usize = 16;

    /// Adds `key`; false if it was there already.
    fn insert(&mut self, key: Cow<'a, str>) -> bool {
        match self {
            KeySet::Empty => *self = KeySet::Few(vec![key]),
            KeySet::Few(keys) if keys.contains(&key) => return false,
            KeySet::Few(keys) if keys.len() < Self::FEW => keys.push(key),
            KeySet::Few(keys) => {
                let mut set: HashSet<_> = mem::take(keys).into_iter().collect();
                set.insert(key);
                *self = KeySet::Many(set);
            }
            KeySet::Many(set) => return set.insert(key),
        }
        true
    }
}

/// A member the object does not list: checked against what the object says of others.
fn other_member<'a>(
    r: &mut Reader<'a>,
    key: Cow<'a, str>,
    o: &'static ObjectRule,
    cx: &mut Context<'a>,
) -> Result<()> {
    match &o.additional {
        Additional::Any => r.skip_value(),
        Additional::Rule(rule) => {
            cx.push_key(key);
            let result = check(r, rule.as_ref(), cx);
            cx.pop();
            result
        }
        Additional::Forbidden => {
            // A media model's own parameter written at the top of the body.
            let envelope = cx.envelope.filter(|_| cx.object_depth == 1);
            if let Some(e) = envelope
                && e.params.property(&key).is_some()
            {
                let at = r.key_span();
                let text = r.value_text()?;
                cx.misplaced.push((key, text, at));
                return Ok(());
            }
            cx.unknown(&key, o);
            r.skip_value()
        }
    }
}

fn check_integer(r: IntegerRule, n: Num, cx: &mut Context) {
    let value: Option<i128> = match n {
        Num::Unsigned(v) => Some(i128::from(v)),
        Num::Signed(v) => Some(i128::from(v)),
        Num::Float(f) if f.is_finite() && f.fract() == 0.0 => None,
        Num::Float(f) => {
            cx.wrong_type(&Rule::Integer(r), f);
            return;
        }
    };
    let below = match (value, r.minimum) {
        (Some(v), Some(m)) => v < i128::from(m),
        (None, Some(m)) => n.as_f64() < m as f64,
        _ => false,
    };
    let above = match (value, r.maximum) {
        (Some(v), Some(m)) => v > i128::from(m),
        (None, Some(m)) => n.as_f64() > m as f64,
        _ => false,
    };
    if below || above {
        cx.out_of_range(n, r.minimum, r.maximum, above);
    }
}

fn check_number(r: NumberRule, n: Num, cx: &mut Context) {
    let v = n.as_f64();
    let below = r.minimum.is_some_and(|m| v < m);
    let above = r.maximum.is_some_and(|m| v > m);
    if below || above {
        cx.out_of_range(n, r.minimum, r.maximum, above);
    }
}

fn check_string(r: &StringRule, s: &str, cx: &mut Context) {
    if let Some(fixed) = r.fixed.as_deref()
        && s != fixed
    {
        cx.fixed_mismatch(s, fixed);
        return;
    }
    if r.is_enum() && !r.allowed.iter().any(|a| a == s) {
        if r.warn_values.iter().any(|w| w == s) {
            cx.undocumented_value(s, &r.allowed);
        } else {
            cx.not_in_enum(s, &r.allowed, &r.warn_values);
        }
    }
    if let Some(max) = r.max_length {
        // A string has at least as many bytes as characters: count only when needed.
        if s.len() as u64 > max {
            let chars = s.chars().count();
            if chars as u64 > max {
                cx.too_long(chars, max);
            }
        }
    }
}

/// Chooses the rules of an object from the value of one of its members.
trait Selector {
    /// The rules to check the object against; `None` leaves it unchecked (after
    /// recording why).
    fn select<'a>(&self, member: Member<'a>, cx: &mut Context<'a>) -> Option<&'static ObjectRule>;
}

/// Selects a tagged object's shape (a message by `role`, a part by `type`) by its tag.
struct TagSelector(&'static TaggedRule);

impl Selector for TagSelector {
    fn select<'a>(&self, member: Member<'a>, cx: &mut Context<'a>) -> Option<&'static ObjectRule> {
        let tagged = self.0;
        let default = tagged.default.map(|i| &tagged.variants[i].object);
        match member {
            Member::String(v) => {
                let Some(variant) = tagged.variant(&v) else {
                    let values: Vec<&str> = tagged.values();
                    cx.unknown_tag(&tagged.tag, &v, &values);
                    return None;
                };
                if variant.warn {
                    let documented: Vec<&str> = tagged
                        .variants
                        .iter()
                        .filter(|v| !v.warn)
                        .map(|v| v.value.as_str())
                        .collect();
                    cx.undocumented_tag(&tagged.tag, &v, &documented);
                }
                Some(&variant.object)
            }
            Member::Null if default.is_some() => default,
            Member::Null | Member::NotAString => {
                cx.not_a_string_selector(&tagged.tag);
                None
            }
            Member::Missing if default.is_some() => default,
            Member::Missing => {
                cx.missing(&tagged.tag);
                None
            }
        }
    }
}

/// Selects the request's rules by its `model`, on the requested or default endpoint.
struct ModelSelector;

impl Selector for ModelSelector {
    fn select<'a>(&self, member: Member<'a>, cx: &mut Context<'a>) -> Option<&'static ObjectRule> {
        let requested = cx.requested_endpoint;
        let generic = |cx: &mut Context| {
            cx.endpoint = requested;
            requested.map(|e| {
                cx.subject = Subject::Endpoint(e);
                e.info().generic()
            })
        };
        let id = match member {
            Member::String(id) => id,
            // With an endpoint to fall back on, its schema reports the missing or wrong model.
            Member::NotAString | Member::Null => {
                let rules = generic(cx);
                if rules.is_none() {
                    cx.not_a_string_selector("model");
                }
                return rules;
            }
            Member::Missing => {
                let rules = generic(cx);
                if rules.is_none() {
                    cx.missing("model");
                }
                return rules;
            }
        };
        cx.model = Some(id.clone());
        let Some(info) = (cx.models)(&id) else {
            cx.unknown_model(&id);
            return generic(cx);
        };
        cx.model_info = Some(info);
        if let Some(list) = &info.not_listed {
            cx.not_listed(&id, list);
        }
        let Some(endpoint) = requested.or_else(|| info.default_endpoint()) else {
            // A model known only from a model list, of no known kind: no endpoint to
            // check its body against unless one is requested.
            cx.listed_model_without_endpoint(&id, info);
            return None;
        };
        cx.endpoint = Some(endpoint);
        if !info.is_served_on(endpoint) {
            cx.wrong_endpoint(info, endpoint);
            cx.subject = Subject::Endpoint(endpoint);
            return Some(endpoint.info().generic());
        }
        cx.subject = Subject::Model(info.id.unwrap_or(info.name));
        match (info.status, info.request(endpoint)) {
            (ModelStatus::Documented, Some(request)) => {
                cx.envelope = request
                    .parameters()
                    .map(|(at, params)| Envelope { at, params });
                Some(request.rules())
            }
            _ => {
                cx.listed_model(&id, endpoint);
                Some(endpoint.info().generic())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Endpoint, ModelInfo, ModelKind, Provider};
    use crate::rules::Source;
    use crate::validate::{Code, Policy};

    const LIST: Source = Source {
        document: "vertexkey-models-2026-09-01",
        section: "data",
    };

    /// A model a model list added, in the `aws/` family: chat, both chat endpoints.
    const LISTED_CHAT_ENTRY: ModelInfo = ModelInfo {
        id: Some("aws/test-listed"),
        name: "aws/test-listed",
        provider: Provider::VertexKey,
        vendor: None,
        owned_by: Some("aws"),
        kind: Some(ModelKind::Chat),
        status: ModelStatus::Listed,
        not_listed: None,
        description: None,
        context_window: None,
        max_output_tokens: None,
        pricing: None,
        fixed_size: None,
        endpoints: &[
            Endpoint::VertexKeyChatCompletions,
            Endpoint::VertexKeyMessages,
        ],
        requests: &[],
        source: LIST,
        also_sources: &[],
        notes: &[],
    };
    static LISTED_CHAT: ModelInfo = LISTED_CHAT_ENTRY;

    /// The same, no longer listed by a later read.
    static WITHDRAWN: ModelInfo = ModelInfo {
        id: Some("aws/test-withdrawn"),
        name: "aws/test-withdrawn",
        not_listed: Some(LIST),
        ..LISTED_CHAT_ENTRY
    };

    /// A model a model list added whose kind no source gives.
    static UNKNOWN_KIND: ModelInfo = ModelInfo {
        id: Some("enterprise/test-unknown"),
        name: "enterprise/test-unknown",
        kind: None,
        endpoints: &[],
        ..LISTED_CHAT_ENTRY
    };

    fn lookup(id: &str) -> Option<&'static ModelInfo> {
        [&LISTED_CHAT, &WITHDRAWN, &UNKNOWN_KIND]
            .into_iter()
            .find(|m| m.id == Some(id))
    }

    /// (error codes, warning codes, messages) of `text` sent to `endpoint`, with the
    /// test models in the catalog.
    fn check(text: &str, endpoint: Option<Endpoint>) -> (Vec<Code>, Vec<Code>, String) {
        let policy = Policy::default();
        let mut cx = Context::new(endpoint, &policy, false);
        cx.models = lookup;
        walk(text, &mut cx).unwrap();
        let messages = cx
            .errors
            .iter()
            .chain(&cx.warnings)
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("\n");
        (
            cx.errors.iter().map(|f| f.code).collect(),
            cx.warnings.iter().map(|f| f.code).collect(),
            messages,
        )
    }

    const CHAT: &str = r#"{"model": "aws/test-listed", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 10}"#;

    #[test]
    fn a_listed_chat_model_is_checked_on_either_chat_endpoint_with_a_warning() {
        for endpoint in [None, Some(Endpoint::VertexKeyChatCompletions)] {
            let (errors, warnings, _) = check(CHAT, endpoint);
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(warnings, [Code::ListedModel]);
        }
        let messages = CHAT.replace(
            "\"max_tokens\": 10",
            "\"max_tokens\": 10, \"system\": \"Be brief\"",
        );
        let (errors, warnings, _) = check(&messages, Some(Endpoint::VertexKeyMessages));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(warnings.contains(&Code::ListedModel), "{warnings:?}");
        // The format's own checks still apply.
        let hot = CHAT.replace("\"max_tokens\": 10", "\"temperature\": 5");
        let (errors, _, _) = check(&hot, None);
        assert_eq!(errors, [Code::OutOfRange]);
        // Not an image model.
        let (errors, _, m) = check(CHAT, Some(Endpoint::VertexKeyImagesGenerations));
        assert!(errors.contains(&Code::NotInEnum), "{m}");
    }

    #[test]
    fn a_model_no_longer_listed_is_a_warning_naming_the_list() {
        let text = CHAT.replace("aws/test-listed", "aws/test-withdrawn");
        let (errors, warnings, messages) = check(&text, None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(warnings, [Code::NotListed, Code::ListedModel]);
        assert!(
            messages.contains(
                "aws/test-withdrawn was not in `vertexkey-models-2026-09-01`; the gateway may have withdrawn it"
            ),
            "{messages}"
        );
    }

    #[test]
    fn a_model_of_unknown_kind_is_checked_on_whichever_endpoint_of_its_gateway() {
        let image = r#"{"model": "enterprise/test-unknown", "prompt": "a lighthouse", "n": "two"}"#;
        // No endpoint: nothing to check the body against, and the warning says so.
        let (errors, warnings, messages) = check(image, None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(warnings, [Code::ListedModel]);
        assert!(messages.contains("no known kind"), "{messages}");
        assert!(messages.contains("the body was not checked"), "{messages}");
        // On one of its gateway's endpoints: that endpoint's format applies.
        let (errors, warnings, _) = check(image, Some(Endpoint::VertexKeyImagesGenerations));
        assert_eq!(errors, [Code::WrongType]);
        assert_eq!(warnings, [Code::ListedModel]);
        let fine = image.replace(", \"n\": \"two\"", "");
        let (errors, _, _) = check(&fine, Some(Endpoint::VertexKeyImagesEdits));
        assert_eq!(errors, [Code::MissingRequired], "an edit needs its image");
        let chat = CHAT.replace("aws/test-listed", "enterprise/test-unknown");
        let (errors, _, _) = check(&chat, Some(Endpoint::VertexKeyChatCompletions));
        assert!(errors.is_empty(), "{errors:?}");
        // Another gateway's endpoint is an error.
        let (errors, _, messages) = check(&chat, Some(Endpoint::VtrixChatCompletions));
        assert_eq!(errors, [Code::NotInEnum]);
        assert!(
            messages.contains("is a VertexKey model, not served on vtrix.chat_completions"),
            "{messages}"
        );
        assert!(UNKNOWN_KIND.is_served_on(Endpoint::VertexKeyVideos));
        assert!(!UNKNOWN_KIND.is_served_on(Endpoint::VtrixMediaGeneration));
        assert!(!LISTED_CHAT.is_served_on(Endpoint::VertexKeyVideos));
    }

    #[test]
    fn key_sets_find_repeats_in_few_and_in_many_keys() {
        let mut set = KeySet::default();
        let keys: Vec<Cow<str>> = (0..40).map(|i| Cow::Owned(format!("k{i}"))).collect();
        for key in &keys {
            assert!(set.insert(key.clone()), "{key}");
        }
        assert!(matches!(set, KeySet::Many(_)));
        assert!(!set.insert(keys[0].clone()) && !set.insert(keys[39].clone()));
        let mut few = KeySet::default();
        assert!(few.insert(Cow::Borrowed("a")) && few.insert(Cow::Borrowed("b")));
        assert!(!few.insert(Cow::Owned("a".to_string())));
        assert!(matches!(few, KeySet::Few(_)));
    }
}
