//! The validator's walk: over the payload's [`Tape`] (the one pass that read its bytes),
//! checking each value against its model's rule tree, without building a
//! `serde_json::Value`. The key that selects an object's rules (`model` at the top,
//! `type` in a content part) is found by index, and so is a key given twice: each object's
//! members are listed first (their keys against the rules' properties), so that only the
//! last copy of a repeated key is checked, as serde_json keeps it, whatever the mode.

use std::collections::HashMap;

use super::context::{Context, Envelope, Subject, Told};
use super::declared::DeclaredModel;
use super::tape::{Kind, Num, Tape};
use crate::catalog::{Endpoint, FamilyInfo, ModelStatus};
use crate::rules::{
    Additional, Basis, IntegerRule, Node as Rule, NumberRule, ObjectNode as ObjectRule, Property,
    StringNode as StringRule, TaggedNode as TaggedRule, key_hash, same_bytes,
};

/// What a selecting member holds.
pub(crate) enum Member<'a> {
    String(&'a str),
    Null,
    NotAString,
    Missing,
}

/// Walks the payload of `tape` (read from `text`); violations and what was chosen end
/// up in `cx`. In verdict-only mode it stops at the first violation.
/// `root` is the index of the body's token (0 for a whole payload; a batch line's `body`
/// is inside the line's tape). `slots` is memory for the walk to reuse (left empty).
pub(crate) fn walk<'a>(
    text: &'a str,
    tape: &'a Tape,
    root: usize,
    cx: &mut Context<'a>,
    slots: &mut Vec<Slot>,
) {
    slots.clear();
    let mut w = Walk {
        text,
        tape,
        slots: std::mem::take(slots),
    };
    let token = tape.tokens[root];
    if token.kind == Kind::Object {
        let (member, at) = w.member(root, "model", key_hash(b"model"));
        cx.span = at;
        let rules = ModelSelector { text, tape, root }.select(member, cx);
        w.object(root, rules, cx);
    } else {
        cx.span = tape.value_span(root);
        cx.wrong_type(&Rule::Object(ObjectRule::default()), describe(token.kind));
    }
    *slots = w.slots;
    slots.clear();
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
#[inline(always)]
fn pick(rule: &'static Rule, kind: Kind) -> Option<&'static Rule> {
    match rule {
        Rule::OneOfType(alternatives) => alternatives.iter().find(|r| fits(r, kind)),
        r => fits(r, kind).then_some(r),
    }
}

/// Whether `rule` (not a union) is about values of `kind`.
#[inline(always)]
fn fits(rule: &Rule, kind: Kind) -> bool {
    match rule {
        Rule::Any => true,
        Rule::Null => kind == Kind::Null,
        Rule::Boolean => kind == Kind::Boolean,
        Rule::Integer(_) | Rule::Number(_) => kind == Kind::Number,
        Rule::String(_) => kind == Kind::String,
        Rule::Array(_) => kind == Kind::Array,
        Rule::Object(_) | Rule::Tagged(_) => kind == Kind::Object,
        Rule::OneOfType(_) => false,
    }
}

/// One member of an object being walked: its key and value tokens, the property it is
/// (its index among the rules' properties), and whether a later copy of its key
/// replaces it.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    key: u32,
    value: u32,
    property: Option<u32>,
    replaced: bool,
}

/// The walk's own state: the text, its tape, and the members of the objects being walked
/// (a stack: an object's slots follow its parent's).
struct Walk<'a> {
    text: &'a str,
    tape: &'a Tape,
    slots: Vec<Slot>,
}

impl<'a> Walk<'a> {
    #[inline]
    fn key(&self, i: usize) -> &'a str {
        self.tape.str(self.text, i)
    }

    /// What the last member `key` of object `i` holds (the one serde_json keeps), and
    /// the bytes a finding about it points to (its value's, else the object's).
    #[inline(always)]
    fn member(&self, i: usize, key: &str, hash: u16) -> (Member<'a>, std::ops::Range<usize>) {
        match self.tape.last_member_value(self.text, i, key, hash) {
            None => (Member::Missing, self.tape.value_span(i)),
            Some(value) => {
                let member = match self.tape.tokens[value].kind {
                    Kind::String => Member::String(self.tape.str(self.text, value)),
                    Kind::Null => Member::Null,
                    _ => Member::NotAString,
                };
                (member, self.tape.value_span(value))
            }
        }
    }

    /// Checks value `i` against `rule`.
    fn check(&mut self, i: usize, rule: &'static Rule, cx: &mut Context<'a>) {
        let kind = self.tape.tokens[i].kind;
        let Some(picked) = pick(rule, kind) else {
            cx.span = self.tape.value_span(i);
            cx.wrong_type(rule, describe(kind));
            return;
        };
        match picked {
            Rule::Integer(ir) => {
                cx.span = self.tape.span(i);
                check_integer(*ir, self.tape.num(i), cx)
            }
            Rule::Number(nr) => {
                cx.span = self.tape.span(i);
                check_number(*nr, self.tape.num(i), cx)
            }
            Rule::String(sr) if sr.is_free() => {}
            Rule::String(sr) => {
                cx.span = self.tape.span(i);
                check_string(sr, self.key(i), cx)
            }
            Rule::Array(a) => {
                let mut count = 0usize;
                for (index, element) in self.tape.elements(i).enumerate() {
                    cx.push_index(index);
                    self.check(element, &a.items, cx);
                    cx.pop();
                    if stopping(cx) {
                        return;
                    }
                    count += 1;
                }
                let n = count as u64;
                if a.min_items.is_some_and(|m| n < m) || a.max_items.is_some_and(|m| n > m) {
                    cx.span = self.tape.value_span(i);
                    cx.array_length(count, a.min_items, a.max_items);
                }
            }
            Rule::Object(o) => self.object(i, Some(o), cx),
            Rule::Tagged(t) => {
                let (member, at) = self.member(i, &t.tag, key_hash(t.tag.as_bytes()));
                cx.span = at;
                let rules = TagSelector(t).select(member, cx);
                self.object(i, rules, cx);
            }
            Rule::Any | Rule::Null | Rule::Boolean | Rule::OneOfType(_) => {}
        }
    }

    /// Checks the value `i` of the known property `p` (its key already on the path).
    fn property(&mut self, i: usize, p: &'static Property, cx: &mut Context<'a>) {
        // A null on an optional property means "not set": never a presence finding, and at
        // most a warning where null is not declared.
        if self.tape.tokens[i].kind == Kind::Null && !p.required {
            if !p.node.accepts_null() {
                cx.span = self.tape.span(i);
                cx.unexpected_null(&p.node);
            }
            return;
        }
        let undocumented = p.basis != Basis::Documented;
        if undocumented && cx.undocumented == 0 {
            cx.undocumented_parameter(p.source.as_deref(), p.basis);
        }
        // The format's deprecation matters only where the gateway does not document the
        // parameter itself (Vtrix documents max_tokens, which the format deprecates).
        if p.deprecated && undocumented {
            cx.deprecated();
        }
        cx.undocumented += usize::from(undocumented);
        self.check(i, &p.node, cx);
        cx.undocumented -= usize::from(undocumented);
    }

    /// Checks the members of object `i` against `rules` (`None`: the rules could not be
    /// chosen; at the top, repeated keys are still reported).
    fn object(&mut self, i: usize, rules: Option<&'static ObjectRule>, cx: &mut Context<'a>) {
        cx.object_depth += 1;
        self.object_inside(i, rules, cx);
        cx.object_depth -= 1;
    }

    fn object_inside(
        &mut self,
        i: usize,
        rules: Option<&'static ObjectRule>,
        cx: &mut Context<'a>,
    ) {
        // Free-form content is not looked into (the tape already read it as JSON); the
        // body's own keys still are, for repeats.
        if rules.is_none() && cx.object_depth != 1 {
            return;
        }
        let seen = if self.tape.may_repeat(i) {
            match self.repeating_members(i, rules, cx) {
                Some(seen) => seen,
                None => return,
            }
        } else {
            // No key given twice (the usual case): each member is walked as it comes.
            let Some(o) = rules else {
                return;
            };
            let mut seen = 0u64;
            for (key, value) in self.tape.members(i) {
                let name = self.tape.content(self.text.as_bytes(), key);
                cx.span = self.tape.span(key);
                match o.find_hashed(self.tape.tokens[key].hash, name) {
                    Some(p) => {
                        seen |= 1u64.checked_shl(p as u32).unwrap_or(0);
                        // The property's own name (the key's bytes are the same).
                        let property = &o.properties[p];
                        cx.push_key(property.name.as_str().into());
                        self.property(value, property, cx);
                        cx.pop();
                    }
                    None => self.other_member(key, value, self.key(key), o, cx),
                }
                if stopping(cx) {
                    return;
                }
            }
            seen
        };
        let Some(o) = rules else {
            return;
        };
        let required = o.required_mask();
        if seen & required != required {
            for (n, p) in o.properties.iter().enumerate().take(64) {
                if required & !seen & (1 << n) != 0 {
                    cx.span = self.tape.value_span(i);
                    cx.missing(&p.name);
                }
            }
        }
        if cx.object_depth == 1 {
            cx.misplaced_parameters();
        }
    }

    /// The members of object `i`, which may give a key twice: listed first as slots
    /// (see [`Walk::list_members`]), then walked, each repeated key at its last copy
    /// only. The properties present, a bit each; `None` when the walk stops here.
    fn repeating_members(
        &mut self,
        i: usize,
        rules: Option<&'static ObjectRule>,
        cx: &mut Context<'a>,
    ) -> Option<u64> {
        let base = self.slots.len();
        let seen = self.list_members(i, rules, cx);
        let Some(o) = rules else {
            self.slots.truncate(base);
            return Some(seen);
        };
        for n in base..self.slots.len() {
            let slot = self.slots[n];
            if slot.replaced {
                continue;
            }
            let (key, value) = (slot.key as usize, slot.value as usize);
            let name = self.key(key);
            cx.span = self.tape.span(key);
            match slot.property {
                Some(p) => {
                    cx.push_key(name.into());
                    self.property(value, &o.properties[p as usize], cx);
                    cx.pop();
                }
                None => self.other_member(key, value, name, o, cx),
            }
            if stopping(cx) {
                self.slots.truncate(base);
                return None;
            }
        }
        self.slots.truncate(base);
        Some(seen)
    }

    /// Lists the members of object `i` as slots, each with the property it is; marks each
    /// member whose key is given again later as replaced (the repeat is reported at the
    /// later key). Returns the properties present, a bit each.
    fn list_members(
        &mut self,
        i: usize,
        rules: Option<&'static ObjectRule>,
        cx: &mut Context<'a>,
    ) -> u64 {
        let base = self.slots.len();
        let mut seen: u64 = 0;
        // The slot of each key no property lists met so far.
        let mut others = KeySlots::default();
        for (key, value) in self.tape.members(i) {
            let name = self.key(key);
            let hash = self.tape.tokens[key].hash;
            let property = rules
                .and_then(|o| o.find_hashed(hash, name.as_bytes()))
                .map(|p| p as u32);
            let here = (self.slots.len() - base) as u32;
            let earlier = match property {
                Some(p) if (p as usize) < 64 => {
                    let bit = 1u64 << p;
                    let before = seen & bit != 0;
                    seen |= bit;
                    // Met before (rare): its slot is the last one of this property.
                    before
                        .then(|| {
                            self.slots[base..]
                                .iter()
                                .rposition(|s| s.property == Some(p))
                                .map(|n| n as u32)
                        })
                        .flatten()
                }
                _ => others.insert(name, here),
            };
            if let Some(earlier) = earlier {
                self.slots[base + earlier as usize].replaced = true;
                cx.duplicate_key(name, self.tape.span(key));
            }
            self.slots.push(Slot {
                key: key as u32,
                value: value as u32,
                property,
                replaced: false,
            });
        }
        seen
    }

    /// A member the object does not list: checked against what the object says of others.
    fn other_member(
        &mut self,
        key: usize,
        value: usize,
        name: &'a str,
        o: &'static ObjectRule,
        cx: &mut Context<'a>,
    ) {
        match &o.additional {
            Additional::Any => {}
            Additional::Rule(rule) => {
                cx.push_key(name.into());
                self.check(value, rule.as_ref(), cx);
                cx.pop();
            }
            Additional::Forbidden => {
                // A media model's own parameter written at the top of the body.
                let envelope = cx.envelope.filter(|_| cx.object_depth == 1);
                if let Some(e) = envelope
                    && e.params.property(name).is_some()
                {
                    let raw = self.tape.json(self.text, value);
                    cx.misplaced.push((name, raw, self.tape.span(key)));
                    return;
                }
                cx.unknown(name, o);
            }
        }
    }
}

/// In verdict-only mode, whether the walk has its verdict (a violation) and can stop.
#[inline]
fn stopping(cx: &Context) -> bool {
    cx.verdict_only && cx.failed
}

/// The keys met in an object that no property lists, with the slot each was met in (to
/// find one given twice): a short list searched in order (objects have a handful of
/// members), a hash map past [`KeySlots::FEW`] keys, so that a hostile object of many
/// keys stays linear.
#[derive(Default)]
enum KeySlots<'a> {
    #[default]
    Empty,
    Few(Vec<(&'a str, u32)>),
    Many(HashMap<&'a str, u32>),
}

impl<'a> KeySlots<'a> {
    const FEW: usize = 16;

    /// Records `key` at `slot`; the slot it was met in before, if it was.
    fn insert(&mut self, key: &'a str, slot: u32) -> Option<u32> {
        match self {
            KeySlots::Empty => {
                *self = KeySlots::Few(vec![(key, slot)]);
                None
            }
            KeySlots::Few(keys) => {
                if let Some(entry) = keys.iter_mut().find(|(k, _)| *k == key) {
                    return Some(std::mem::replace(&mut entry.1, slot));
                }
                if keys.len() < Self::FEW {
                    keys.push((key, slot));
                } else {
                    let mut map: HashMap<&'a str, u32> = keys.drain(..).collect();
                    map.insert(key, slot);
                    *self = KeySlots::Many(map);
                }
                None
            }
            KeySlots::Many(map) => map.insert(key, slot),
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
        && !same_bytes(s.as_bytes(), fixed.as_bytes())
    {
        cx.fixed_mismatch(s, fixed);
        return;
    }
    if r.is_enum()
        && !r
            .allowed
            .iter()
            .any(|a| same_bytes(a.as_bytes(), s.as_bytes()))
    {
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
                let Some(variant) = tagged.variant(v) else {
                    let values: Vec<&str> = tagged.values();
                    cx.unknown_tag(&tagged.tag, v, &values);
                    return None;
                };
                if variant.warn {
                    let documented: Vec<&str> = tagged
                        .variants
                        .iter()
                        .filter(|v| !v.warn)
                        .map(|v| v.value.as_str())
                        .collect();
                    cx.undocumented_tag(&tagged.tag, v, &documented);
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
/// The body (at `root` of `tape`) is looked at only for a model the catalog lacks, whose
/// endpoint its shape may tell.
struct ModelSelector<'t> {
    text: &'t str,
    tape: &'t Tape,
    root: usize,
}

impl ModelSelector<'_> {
    /// The endpoint to check the body of a model the catalog lacks against, and how it
    /// was told: the one asked for, the ID's family, or the body's shape (`messages`: a
    /// chat in the OpenAI format both gateways share; [`Endpoint::chat_format`]).
    fn unknown_endpoint(
        &self,
        requested: Option<Endpoint>,
        family: Option<&'static FamilyInfo>,
    ) -> Option<(Endpoint, Told)> {
        if let Some(e) = requested {
            return Some((e, Told::Requested));
        }
        if let Some(e) = family.and_then(FamilyInfo::default_endpoint) {
            return Some((e, Told::Family(family?.prefix)));
        }
        let chat = self
            .tape
            .last_member_value(self.text, self.root, "messages", key_hash(b"messages"))
            .is_some();
        chat.then(Endpoint::chat_format)
            .flatten()
            .map(|e| (e, Told::Messages))
    }
}

impl Selector for ModelSelector<'_> {
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
        cx.model = Some(id.into());
        if let Some(declared) = cx.declared.and_then(|d| d.find(id)) {
            return select_declared(declared, requested, cx);
        }
        let Some(info) = (cx.models)(id) else {
            // Checked against the format its endpoint follows, where one can be told.
            let family = FamilyInfo::of(id);
            let told = self.unknown_endpoint(requested, family);
            match family.filter(|f| f.complete.is_some()) {
                Some(f) => cx.unlisted_model(id, f),
                None => cx.unknown_model(id, family, told),
            }
            let (endpoint, _) = told?;
            cx.endpoint = Some(endpoint);
            cx.subject = Subject::Endpoint(endpoint);
            return Some(endpoint.info().generic());
        };
        cx.model_info = Some(info);
        if let Some(list) = &info.not_listed {
            cx.not_listed(id, list);
        }
        let Some(endpoint) = requested.or_else(|| info.default_endpoint()) else {
            // A model known only from a model list, of no known kind: no endpoint to
            // check its body against unless one is requested.
            cx.listed_model_without_endpoint(id, info);
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
                cx.listed_model(id, endpoint);
                Some(endpoint.info().generic())
            }
        }
    }
}

/// The rules of a model the user declared, on the requested or its default endpoint.
fn select_declared(
    declared: &'static DeclaredModel,
    requested: Option<Endpoint>,
    cx: &mut Context,
) -> Option<&'static ObjectRule> {
    let info = declared.info;
    cx.model_info = Some(info);
    let endpoint = requested.or_else(|| info.default_endpoint())?;
    cx.endpoint = Some(endpoint);
    let rules = match declared.rules(endpoint) {
        Some(rules) if info.is_served_on(endpoint) => rules,
        _ => {
            cx.wrong_endpoint(info, endpoint);
            cx.subject = Subject::Endpoint(endpoint);
            return Some(endpoint.info().generic());
        }
    };
    cx.subject = Subject::Declared(declared);
    cx.envelope = endpoint
        .info()
        .parameters_at
        .and_then(|at| crate::rules::object_at(rules, at).map(|params| Envelope { at, params }));
    Some(rules)
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
        let tape = Tape::parse(text).unwrap();
        walk(text, &tape, 0, &mut cx, &mut Vec::new());
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
    fn key_slots_find_repeats_in_few_and_in_many_keys() {
        let mut set = KeySlots::default();
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(set.insert(key, i as u32), None, "{key}");
        }
        assert!(matches!(set, KeySlots::Many(_)));
        assert_eq!(set.insert(&keys[0], 40), Some(0));
        assert_eq!(set.insert(&keys[0], 41), Some(40));
        let mut few = KeySlots::default();
        assert_eq!((few.insert("a", 0), few.insert("b", 1)), (None, None));
        assert_eq!(few.insert("a", 2), Some(0));
        assert!(matches!(few, KeySlots::Few(_)));
    }
}
