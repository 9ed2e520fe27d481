//! One model's request rules on one endpoint: its profile's constraints with its own on
//! top, checked against the endpoint's parameters, and resolved into the rule tree as the
//! library does at run time.

use std::collections::{BTreeMap, BTreeSet};

use super::{FileCtx, Loader};
use crate::catalog::{Endpoint, Request};
use crate::ir::{self, Basis, Node, ObjectNode};
use crate::openapi::OpenApiDoc;
use crate::spec_file::{Constraint, ModelEntry, ProviderFile, SourceRef};
use modelgate_io::pointer::escape;
use modelgate_rules::{Layer, Recipe};

impl Loader<'_> {
    /// Builds one model's rule tree on one endpoint, with [`modelgate_rules::resolve`]
    /// (as the library does at run time), after checking what the recipe names.
    pub(super) fn request(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        doc: &OpenApiDoc,
        endpoint: &Endpoint,
        base: &str,
        m: &ModelEntry,
    ) -> Option<Request> {
        let id = m.id.as_str();
        let endpoint_def = &def.endpoints[&endpoint.key];
        // Where the model's parameters live: the body, or the object at `parameters_at`.
        let params_at = endpoint_def.parameters_at.as_deref();
        let params_shape = match (params_at, &m.params_schema) {
            (Some(_), Some(name)) => {
                let schema = serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
                match ir::lower(&doc.value, &schema, name) {
                    Ok(Node::Object(params)) => Some(params),
                    Ok(_) => {
                        self.problems.push(
                            cx.at(&format!("{base}/params_schema")),
                            Some(id),
                            Some("params_schema"),
                            format!("schema `{name}` must be an object"),
                        );
                        return None;
                    }
                    Err(message) => {
                        self.problems.push(
                            cx.at(&format!("{base}/params_schema")),
                            Some(id),
                            Some("params_schema"),
                            message,
                        );
                        return None;
                    }
                }
            }
            (Some(_), None) => {
                self.problems.push(cx.at(base), Some(id), Some("params_schema"), format!(
                    "endpoint `{}` takes model parameters at {}; name their OpenAPI schema in `params_schema`",
                    endpoint.key, params_at.unwrap_or_default()));
                return None;
            }
            (None, Some(_)) => {
                self.problems.push(cx.at(&format!("{base}/params_schema")), Some(id), Some("params_schema"), format!(
                    "endpoint `{}` has no `parameters_at`, so `params_schema` means nothing here", endpoint.key));
                return None;
            }
            (None, None) => None,
        };

        let constraints = self.constraints_for(cx, def, base, m, &endpoint.key)?;
        // What the recipe's constraints may name: the body's properties, or the model's
        // parameters object's.
        let mut probe = endpoint.generic.clone();
        let params: &ObjectNode = match (params_at, &params_shape) {
            (Some(at), Some(shape)) => {
                let slot = ir::object_at_mut(&mut probe, at).ok()?;
                *slot = shape.clone();
                slot
            }
            _ => &probe,
        };
        let accepted: BTreeSet<&str> = constraints
            .keys()
            .map(|k| k.split('/').next().unwrap_or(k))
            .collect();
        let mut ok = true;
        for name in &accepted {
            if params.property(name).is_none() {
                let (pointer, _, _) = &constraints[constraints
                    .keys()
                    .find(|k| k.split('/').next() == Some(name))?];
                let message = format!(
                    "`{name}` is not a parameter of endpoint {}.{} (it has: {})",
                    def.provider,
                    endpoint.key,
                    params.property_names().join(", ")
                );
                self.problems
                    .push(cx.at(pointer), Some(id), Some(name), message);
                ok = false;
            }
        }
        // The gateway's own parameters (its schemas, not a format's) exist for a model
        // only where the model lists them; a format's parameters exist for every model
        // and stay `Format` unless listed.
        for p in params.properties.iter().filter(|p| {
            p.required && p.basis == Basis::Documented && !accepted.contains(p.name.as_str())
        }) {
            let message = format!(
                "the endpoint requires `{}`, so the model must accept it: add `{}: {{}}` to its parameters",
                p.name, p.name
            );
            self.problems
                .push(cx.at(base), Some(id), Some(&p.name), message);
            ok = false;
        }
        if !ok {
            return None;
        }
        let profile = m
            .profiles
            .get(&endpoint.key)
            .or(m.profile.as_ref())
            .cloned();
        let profile_layer = profile.as_ref().map(|name| {
            let p = &def.profiles[name];
            Layer {
                source: p.source.clone(),
                parameters: p.parameters.clone(),
            }
        });
        let own = Layer {
            source: m.source.clone(),
            parameters: m.parameters.clone(),
        };
        let recipe = Recipe {
            params: params_at.zip(params_shape.as_ref()),
            profile: profile_layer.as_ref(),
            own: &own,
        };
        let root = match modelgate_rules::resolve(&endpoint.generic, &recipe, Some(id)) {
            Ok(root) => root,
            Err(errors) => {
                for e in errors {
                    let pointer = constraints
                        .get(&e.path)
                        .map_or(base.to_string(), |(pointer, _, _)| pointer.clone());
                    self.problems
                        .push(cx.at(&pointer), Some(id), Some(&e.path), e.message);
                }
                return None;
            }
        };
        if let Some(path) = too_many_properties(&root, "") {
            self.problems.push(cx.at(base), Some(id), Some(&path), format!(
                "an object has more than {MAX_PROPERTIES} properties, more than the validator tracks"));
            return None;
        }
        Some(Request {
            endpoint: endpoint.key.clone(),
            root,
            profile,
            own,
            params: params_at.map(str::to_string).zip(params_shape),
        })
    }

    /// The model's constraints on one endpoint: its profile's, with its own on top.
    /// Each comes with the pointer of its key (for errors) and its default source.
    #[allow(clippy::type_complexity)]
    fn constraints_for(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        base: &str,
        m: &ModelEntry,
        endpoint: &str,
    ) -> Option<BTreeMap<String, (String, Constraint, SourceRef)>> {
        let mut out = BTreeMap::new();
        let profile_name = m.profiles.get(endpoint).or(m.profile.as_ref());
        if let Some(name) = profile_name {
            let Some(profile) = def.profiles.get(name) else {
                let known: Vec<&str> = def.profiles.keys().map(String::as_str).collect();
                let field = if m.profile.is_some() {
                    "profile"
                } else {
                    "profiles"
                };
                self.problems.push(
                    cx.at(&format!("{base}/{field}")),
                    Some(&m.id),
                    Some(field),
                    format!(
                        "unknown profile `{name}` (this file defines: {})",
                        known.join(", ")
                    ),
                );
                return None;
            };
            for (path, c) in &profile.parameters {
                let pointer = format!("/profiles/{}/parameters/{}", escape(name), escape(path));
                out.insert(path.clone(), (pointer, c.clone(), profile.source.clone()));
            }
        }
        for (path, c) in &m.parameters {
            let pointer = format!("{base}/parameters/{}", escape(path));
            if let Some(s) = &c.source {
                self.check_source_at(s, cx.at(&pointer), Some(&m.id));
            }
            let merged = match out.remove(path) {
                Some((_, profile_c, _)) => profile_c.merged_with(c),
                None => c.clone(),
            };
            out.insert(path.clone(), (pointer, merged, m.source.clone()));
        }
        if out.is_empty() {
            self.problems.push(
                cx.at(base),
                Some(&m.id),
                Some("parameters"),
                format!("no parameters for endpoint `{endpoint}`: give a profile or parameters"),
            );
            return None;
        }
        Some(out)
    }
}

/// The most properties one object may have (the validator tracks them in a `u64`).
const MAX_PROPERTIES: usize = 64;

/// The path of the first object below `o` with more than [`MAX_PROPERTIES`] properties.
fn too_many_properties(o: &ObjectNode, at: &str) -> Option<String> {
    if o.properties.len() > MAX_PROPERTIES {
        return Some(if at.is_empty() {
            "(body)".into()
        } else {
            at.to_string()
        });
    }
    o.properties.iter().find_map(|p| {
        let path = if at.is_empty() {
            p.name.clone()
        } else {
            format!("{at}/{}", p.name)
        };
        nested_objects(&p.node)
            .into_iter()
            .find_map(|child| too_many_properties(child, &path))
    })
}

fn nested_objects(n: &Node) -> Vec<&ObjectNode> {
    match n {
        Node::Object(o) => vec![o],
        Node::Array(a) => nested_objects(&a.items),
        Node::OneOfType(alts) => alts.iter().flat_map(nested_objects).collect(),
        Node::Tagged(t) => t.variants.iter().map(|v| &v.object).collect(),
        _ => Vec::new(),
    }
}
