//! How a model's documented facts change its endpoint's rules: a [`Constraint`] on a
//! parameter path (`max_tokens`, `messages/*/role`) is layered on the tree by
//! [`apply_constraint`]; the property, everything on the way to it and everything below
//! it become documented, and the constraint's limits replace the format's.
//!
//! The same function builds the catalog's trees at generation time and a model declared
//! in `modelgate.toml` at run time, so the two are checked alike.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::node::{Basis, Node, ObjectNode, Property, SourceRef, TaggedNode};

/// Constraints on one parameter, added to what the endpoint's schema says. The path of a
/// parameter is its JSON path below the request body (or below the model's parameters
/// object), with `/` between names and `*` for every array item: `messages/*/role`.
/// Listing a parameter, even as `{}`, means the gateway documents it for the model (with
/// everything below it); a format parameter that is not listed is accepted with an
/// `undocumented_parameter` warning (catalog note `knowledge-levels`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// The parameter must be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Smallest allowed value (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Largest allowed value (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// The string values the gateway documents. They replace the format's list (a
    /// documented limit wins); on a tagged union's tag (`messages/*/role`) they choose
    /// its variants.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// Whether `enum` lists every value the gateway takes (the default). With `false`
    /// the format's other values stay, accepted with an `undocumented_value` warning:
    /// for lists the sources show to be incomplete (catalog note `tool-role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exhaustive: Option<bool>,
    /// The value the gateway uses when the parameter is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Longest allowed string, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// The only value the model takes (e.g. a fixed image size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Extra description for docs and JSON Schemas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where these constraints come from, when not the model's or profile's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Why the constraint is what it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Constraint {
    /// `over`'s fields where it sets them, else this one's (a model's own constraint on
    /// a path its profile constrains too).
    pub fn merged_with(&self, over: &Constraint) -> Constraint {
        Constraint {
            required: over.required.or(self.required),
            minimum: over.minimum.or(self.minimum),
            maximum: over.maximum.or(self.maximum),
            allowed: over.allowed.clone().or_else(|| self.allowed.clone()),
            exhaustive: over.exhaustive.or(self.exhaustive),
            default: over.default.clone().or_else(|| self.default.clone()),
            max_length: over.max_length.or(self.max_length),
            fixed: over.fixed.clone().or_else(|| self.fixed.clone()),
            description: over
                .description
                .clone()
                .or_else(|| self.description.clone()),
            source: over.source.clone().or_else(|| self.source.clone()),
            note: over.note.clone().or_else(|| self.note.clone()),
        }
    }
}

/// Layers a model's documented constraint on the property (or tag) at `path`: the
/// property, everything on the way to it and everything below it become documented, and
/// the constraint's limits replace the format's. `source` is where it comes from unless
/// the constraint names its own. Errors say what is wrong with the constraint (the
/// caller adds file, model and field).
pub fn apply_constraint(
    root: &mut ObjectNode,
    path: &str,
    c: &Constraint,
    source: &SourceRef,
) -> Result<(), String> {
    let segments: Vec<&str> = path.split('/').collect();
    walk_path(root, &segments, "", &mut |target| match target {
        Target::Property(prop) => apply_to_property(prop, c, source),
        Target::Tag(t) => apply_to_tag(t, c, source),
    })
}

/// Walks `segments` from `object`, descending through arrays (`*`), the object or array
/// alternative of a type union, and every variant of a tagged union that has the next
/// name. `visit` is called on each property found, with the path walked to it (`a/*/`);
/// documenting a path documents every property on it. A tagged union's tag
/// (`messages/*/role`) is reached as [`Target::Tag`].
fn walk_path(
    object: &mut ObjectNode,
    segments: &[&str],
    walked: &str,
    visit: &mut dyn FnMut(Target) -> Result<(), String>,
) -> Result<(), String> {
    let (name, rest) = segments.split_first().ok_or("empty parameter path")?;
    let names = object.property_names().join(", ");
    let prop = object
        .property_mut(name)
        .ok_or_else(|| format!("`{walked}{name}` does not exist (known here: {names})"))?;
    if rest.is_empty() {
        return visit(Target::Property(prop));
    }
    prop.basis = Basis::Documented;
    walk_node(&mut prop.node, rest, &format!("{walked}{name}/"), visit)
}

/// Where a path ends.
enum Target<'a> {
    /// A property.
    Property(&'a mut Property),
    /// The tag of a tagged union.
    Tag(&'a mut TaggedNode),
}

fn walk_node(
    node: &mut Node,
    segments: &[&str],
    walked: &str,
    visit: &mut dyn FnMut(Target) -> Result<(), String>,
) -> Result<(), String> {
    let star = segments.first() == Some(&"*");
    match node {
        Node::Array(a) if star => {
            walk_node(&mut a.items, &segments[1..], &format!("{walked}*/"), visit)
        }
        Node::Object(o) if !star => walk_path(o, segments, walked, visit),
        Node::Tagged(t) if !star && segments == [t.tag.as_str()] => visit(Target::Tag(t)),
        Node::Tagged(t) if !star => {
            let mut found = 0;
            let mut last_error = None;
            for v in &mut t.variants {
                if v.object.property(segments[0]).is_none() {
                    continue;
                }
                match walk_path(&mut v.object, segments, walked, visit) {
                    Ok(()) => found += 1,
                    Err(e) => last_error = Some(e),
                }
            }
            match (found, last_error) {
                (_, Some(e)) => Err(e),
                (0, None) => Err(format!(
                    "`{walked}{}` does not exist in any variant (`{}`: {})",
                    segments[0],
                    t.tag,
                    t.values().join(", ")
                )),
                _ => Ok(()),
            }
        }
        Node::OneOfType(alts) => {
            let fits = |a: &Node| match a {
                Node::Array(_) => star,
                Node::Object(_) | Node::Tagged(_) => !star,
                _ => false,
            };
            match alts.iter_mut().find(|a| fits(a)) {
                Some(alt) => walk_node(alt, segments, walked, visit),
                None => Err(not_there(walked, star)),
            }
        }
        _ => Err(not_there(walked, star)),
    }
}

fn not_there(walked: &str, star: bool) -> String {
    if star {
        format!("`{walked}*`: `*` used on something that is not an array")
    } else {
        format!("`{}` is not an object", walked.trim_end_matches('/'))
    }
}

/// Finds the property at `path` (`a/*/b`) below `root`, descending through arrays (`*`)
/// and through the array or object alternative of a type union. Tagged unions are not
/// descended (a path into one names a property of several variants).
pub fn find_property_mut<'a>(
    root: &'a mut ObjectNode,
    path: &str,
) -> Result<&'a mut Property, String> {
    let segments: Vec<&str> = path.split('/').collect();
    let (last, parents) = segments.split_last().ok_or("empty parameter path")?;
    let mut object = root;
    let mut walked = String::new();
    let mut rest = parents.iter().peekable();
    while let Some(seg) = rest.next() {
        let names = object.property_names().join(", ");
        let prop = object
            .property_mut(seg)
            .ok_or_else(|| format!("`{walked}{seg}` does not exist (known here: {names})"))?;
        walked.push_str(seg);
        walked.push('/');
        let mut node = &mut prop.node;
        while rest.peek() == Some(&&"*") {
            rest.next();
            walked.push_str("*/");
            node = array_items(node)
                .ok_or_else(|| format!("`{walked}`: `*` used on something that is not an array"))?;
        }
        object = object_of(node).ok_or_else(|| format!("`{walked}` is not an object"))?;
    }
    let names = object.property_names().join(", ");
    object
        .property_mut(last)
        .ok_or_else(|| format!("`{walked}{last}` does not exist (known here: {names})"))
}

/// The object at a body pointer like `/input/*/params` (the media envelope's parameters).
pub fn object_at_mut<'a>(
    root: &'a mut ObjectNode,
    pointer: &str,
) -> Result<&'a mut ObjectNode, String> {
    let prop = find_property_mut(root, pointer.trim_start_matches('/'))?;
    match &mut prop.node {
        Node::Object(o) => Ok(o),
        _ => Err(format!(
            "`{pointer}` is not an object in the request schema"
        )),
    }
}

/// The object at a body pointer like `/input/*/params`, read only.
pub fn object_at<'a>(root: &'a ObjectNode, pointer: &str) -> Option<&'a ObjectNode> {
    let mut object = root;
    let mut node: Option<&Node> = None;
    for seg in pointer.trim_start_matches('/').split('/') {
        if seg == "*" {
            node = match node? {
                Node::Array(a) => Some(&a.items),
                Node::OneOfType(alts) => alts.iter().find_map(|a| match a {
                    Node::Array(a) => Some(&a.items),
                    _ => None,
                }),
                _ => None,
            };
            continue;
        }
        if let Some(n) = node {
            object = match n {
                Node::Object(o) => o,
                Node::OneOfType(alts) => alts.iter().find_map(|a| match a {
                    Node::Object(o) => Some(o),
                    _ => None,
                })?,
                _ => return None,
            };
        }
        node = Some(&object.property(seg)?.node);
    }
    match node? {
        Node::Object(o) => Some(o),
        _ => None,
    }
}

fn array_items(node: &mut Node) -> Option<&mut Node> {
    match node {
        Node::Array(a) => Some(&mut a.items),
        Node::OneOfType(alts) => alts.iter_mut().find_map(|a| match a {
            Node::Array(a) => Some(&mut a.items),
            _ => None,
        }),
        _ => None,
    }
}

fn object_of(node: &mut Node) -> Option<&mut ObjectNode> {
    match node {
        Node::Object(o) => Some(o),
        Node::OneOfType(alts) => alts.iter_mut().find_map(|a| match a {
            Node::Object(o) => Some(o),
            _ => None,
        }),
        _ => None,
    }
}

/// Where a constraint's value lands inside a (possibly union) node.
fn scalar_mut<'a>(node: &'a mut Node, want: &str) -> Option<&'a mut Node> {
    let fits = |n: &Node| match want {
        "number" => matches!(n, Node::Integer(_) | Node::Number(_)),
        _ => matches!(n, Node::String(_)),
    };
    match node {
        Node::OneOfType(alts) => alts.iter_mut().find(|a| fits(a)),
        n if fits(n) => Some(n),
        _ => None,
    }
}

fn apply_to_property(
    prop: &mut Property,
    c: &Constraint,
    source: &SourceRef,
) -> Result<(), String> {
    prop.basis = Basis::Documented;
    prop.node.mark_documented();
    if c.required == Some(true) {
        prop.required = true;
    }
    if c.required == Some(false) && prop.required {
        return Err("the endpoint's schema requires it; a model cannot make it optional".into());
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        apply_range(&mut prop.node, c.minimum, c.maximum)?;
    }
    if c.allowed.is_some() || c.fixed.is_some() || c.max_length.is_some() {
        apply_string(&mut prop.node, c)?;
    }
    if c.exhaustive.is_some() && c.allowed.is_none() {
        return Err("`exhaustive` qualifies an `enum`; give the enum".into());
    }
    if let Some(default) = &c.default {
        if !prop.node.accepts(default) {
            return Err(format!(
                "default {default} does not satisfy the parameter's own constraints"
            ));
        }
        prop.default = Some(Box::new(default.clone()));
    }
    if let Some(d) = &c.description {
        prop.description = Some(d.clone());
    }
    prop.source = Some(Box::new(c.source.clone().unwrap_or_else(|| source.clone())));
    Ok(())
}

/// An `enum` on a tagged union's tag chooses among its variants: those listed stay; the
/// others go (an exhaustive list) or stay with a warning (`exhaustive: false`).
fn apply_to_tag(t: &mut TaggedNode, c: &Constraint, source: &SourceRef) -> Result<(), String> {
    let other = c.minimum.is_some()
        || c.maximum.is_some()
        || c.fixed.is_some()
        || c.max_length.is_some()
        || c.default.is_some();
    if other {
        return Err(format!(
            "`{}` selects a variant; only `enum` (and `exhaustive`) apply to it",
            t.tag
        ));
    }
    let Some(allowed) = &c.allowed else {
        return Ok(());
    };
    if allowed.is_empty() {
        return Err("enum must list at least one value".into());
    }
    if let Some(bad) = allowed.iter().find(|v| t.variant(v).is_none()) {
        return Err(format!(
            "enum value `{bad}` has no shape in the format (`{}`: {})",
            t.tag,
            t.values().join(", ")
        ));
    }
    let exhaustive = c.exhaustive.unwrap_or(true);
    let default_value = t.default.map(|i| t.variants[i].value.clone());
    for v in &mut t.variants {
        v.warn = !allowed.contains(&v.value);
    }
    if exhaustive {
        t.variants.retain(|v| !v.warn);
    }
    t.default = default_value.and_then(|d| t.variants.iter().position(|v| v.value == d));
    let source = c.source.clone().unwrap_or_else(|| source.clone());
    for v in &mut t.variants {
        if let Some(p) = v.object.property_mut(&t.tag) {
            p.basis = Basis::Documented;
            p.source = Some(Box::new(source.clone()));
        }
    }
    Ok(())
}

fn apply_range(node: &mut Node, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(format!("minimum {lo} is greater than maximum {hi}"));
    }
    // A documented bound replaces the format's; a bound not documented stays the format's.
    match scalar_mut(node, "number") {
        Some(Node::Integer(r)) => {
            for bound in [min, max].into_iter().flatten() {
                if bound.fract() != 0.0 {
                    return Err(format!(
                        "bound {bound} is not a whole number, but the parameter is an integer"
                    ));
                }
            }
            r.minimum = min.map(|f| f as i64).or(r.minimum);
            r.maximum = max.map(|f| f as i64).or(r.maximum);
            Ok(())
        }
        Some(Node::Number(r)) => {
            r.minimum = min.or(r.minimum);
            r.maximum = max.or(r.maximum);
            Ok(())
        }
        _ => Err("minimum/maximum given for a parameter that is not a number".into()),
    }
}

fn apply_string(node: &mut Node, c: &Constraint) -> Result<(), String> {
    let Some(Node::String(s)) = scalar_mut(node, "string") else {
        return Err("enum, fixed or max_length given for a parameter that is not a string".into());
    };
    if let Some(allowed) = &c.allowed {
        if allowed.is_empty() {
            return Err("enum must list at least one value".into());
        }
        // The documented list wins. With `exhaustive: false` the format's other values
        // stay, accepted with a warning.
        let format_values: Vec<String> = s.all_values().cloned().collect();
        s.warn_values = match c.exhaustive {
            Some(false) => format_values
                .into_iter()
                .filter(|v| !allowed.contains(v))
                .collect(),
            _ => Vec::new(),
        };
        s.allowed = allowed.clone();
    }
    if let Some(fixed) = &c.fixed {
        if s.is_enum() && !s.all_values().any(|v| v == fixed) {
            return Err(format!(
                "fixed value `{fixed}` is not among the allowed values ({})",
                s.allowed.join(", ")
            ));
        }
        s.fixed = Some(fixed.clone());
    }
    if let Some(max) = c.max_length {
        if max == 0 {
            return Err("max_length must be at least 1".into());
        }
        s.max_length = Some(max);
    }
    Ok(())
}
