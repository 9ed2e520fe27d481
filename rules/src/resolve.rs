//! A model's whole rule tree from its endpoint's base tree and its differences: the
//! endpoint's format rules, the model's own parameters object where the endpoint has one
//! per model (Vtrix media), then its profile's constraints and its own ([`Layer`]s), as
//! `spec/` writes them. The generator builds the catalog's trees with [`resolve`], and
//! the library resolves each model's tree with it at run time from the same data, so the
//! two are the same tree.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::constraint::{Constraint, apply_constraint, object_at_mut};
use crate::node::{Additional, Basis, Node, ObjectNode, SourceRef};

/// Constraints on parameter paths, all from one source unless a constraint names its own:
/// a profile's (shared by several models) or a model's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// Where the constraints come from.
    pub source: SourceRef,
    /// The constraints, by parameter path (`max_tokens`, `messages/*/role`).
    pub parameters: BTreeMap<String, Constraint>,
}

/// What a model's tree differs by from its endpoint's base tree.
#[derive(Clone, Copy, Debug)]
pub struct Recipe<'a> {
    /// Where the endpoint takes a model's own parameters (`/input/*/params`), and their
    /// shape for this model.
    pub params: Option<(&'a str, &'a ObjectNode)>,
    /// The profile the model follows, if any.
    pub profile: Option<&'a Layer>,
    /// The model's own constraints, which win over the profile's path by path.
    pub own: &'a Layer,
}

/// A constraint that cannot be applied: its path and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    /// The parameter path (`max_tokens`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The constraints of a recipe in the order they apply (by path), each with the source it
/// takes when it names none: the profile's, merged with the model's own where both
/// constrain a path (the model's fields win, and its source).
pub fn merged_constraints(recipe: &Recipe) -> BTreeMap<String, (Constraint, SourceRef)> {
    let mut out = BTreeMap::new();
    if let Some(profile) = recipe.profile {
        for (path, c) in &profile.parameters {
            out.insert(path.clone(), (c.clone(), profile.source.clone()));
        }
    }
    for (path, c) in &recipe.own.parameters {
        let merged = match out.remove(path) {
            Some((profile_c, _)) => profile_c.merged_with(c),
            None => c.clone(),
        };
        out.insert(path.clone(), (merged, recipe.own.source.clone()));
    }
    out
}

/// The model's tree: `base` (the endpoint's) with the model's parameters object put in
/// place, the gateway's own parameters kept only where the model lists them, unlisted
/// members refused, and every constraint applied. With `model_id`, the body's `model` is
/// pinned to it (for a JSON Schema of this model alone; the validator, which chose the
/// tree by that value, does not need it). Errors name each constraint that does not apply.
pub fn resolve(
    base: &ObjectNode,
    recipe: &Recipe,
    model_id: Option<&str>,
) -> Result<ObjectNode, Vec<ResolveError>> {
    let mut root = base.clone();
    let error = |path: &str, message: String| ResolveError {
        path: path.to_string(),
        message,
    };
    if let Some((at, shape)) = recipe.params {
        let slot = object_at_mut(&mut root, at).map_err(|m| vec![error(at, m)])?;
        *slot = shape.clone();
    }
    let constraints = merged_constraints(recipe);
    let params = match recipe.params {
        Some((at, _)) => object_at_mut(&mut root, at).map_err(|m| vec![error(at, m)])?,
        None => &mut root,
    };
    let accepted: BTreeSet<&str> = constraints
        .keys()
        .map(|k| k.split('/').next().unwrap_or(k))
        .collect();
    // The gateway's own parameters (its schemas, not a format's) exist for a model only
    // where the model lists them; a format's exist for every model and stay `Format`
    // unless listed.
    params
        .properties
        .retain(|p| p.basis != Basis::Documented || accepted.contains(p.name.as_str()));
    params.additional = Additional::Forbidden;
    let mut errors = Vec::new();
    for (path, (constraint, source)) in &constraints {
        if let Err(message) = apply_constraint(params, path, constraint, source) {
            errors.push(error(path, message));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The envelope is the model's too: closed.
    root.additional = Additional::Forbidden;
    if let Some(id) = model_id {
        pin_model(&mut root, id);
    }
    Ok(root)
}

/// Fixes the body's `model` to `id`.
pub fn pin_model(root: &mut ObjectNode, id: &str) {
    if let Some(model) = root.property_mut("model")
        && let Node::String(s) = &mut model.node
    {
        s.fixed = Some(id.to_string());
    }
}

/// A model declared the way `spec/` declares one, but like another whose tree is known
/// (`like = "aws/claude-sonnet-4-6"`): that tree, with `own`'s constraints applied on
/// top (they win where both constrain a path). Errors name each constraint that does not
/// apply.
pub fn resolve_like(like: &ObjectNode, own: &Layer) -> Result<ObjectNode, Vec<ResolveError>> {
    let mut root = like.clone();
    let mut errors = Vec::new();
    for (path, constraint) in &own.parameters {
        if let Err(message) = apply_constraint(&mut root, path, constraint, &own.source) {
            errors.push(ResolveError {
                path: path.clone(),
                message,
            });
        }
    }
    if errors.is_empty() {
        Ok(root)
    } else {
        Err(errors)
    }
}
