//! The reviewable JSON Schemas (draft 2020-12) in `generated/schemas/`: one per documented
//! model and endpoint, rendered by `modelgate_rules::schema` from the same tree the
//! validator walks (the library renders them alike when `modelgate schema` asks). Any
//! JSON Schema tool (ajv, check-jsonschema, the `jsonschema` crate) then gives the same
//! verdict as modelgate.

use serde_json::{Value, json};

use crate::catalog::{Catalog, Model, Provider, Status};
use crate::ir::ObjectNode;
use modelgate_rules::schema::object;

/// Where [`any_model_schema`] is written, below the output directory.
pub const ANY_MODEL_FILE: &str = "schemas/any-model.json";

/// The JSON Schema of `model`'s request body on `endpoint`.
pub fn request_schema(
    provider: &Provider,
    model: &Model,
    endpoint: &str,
    root: &ObjectNode,
) -> Value {
    let e = provider.endpoints.iter().find(|e| e.key == endpoint);
    let (method, path) = e
        .map(|e| (e.method.as_str(), e.path.as_str()))
        .unwrap_or_default();
    let id = model.id.as_deref().unwrap_or_default();
    let title = format!("{id}: {method} {}{path} request body", provider.base_url);
    modelgate_rules::schema::request_schema(&title, model.description.as_deref(), root)
}

/// One schema for a request to any model, as `modelgate validate` checks it without
/// `--endpoint` at the default policy: `model` must be a string; a catalog ID then selects
/// that model's schema on its default endpoint (a listed model: the endpoint's generic
/// schema). A model the catalog does not know is checked as the validator checks it
/// (catalog note `unknown-ids`): refused in a family whose every ID a source gives,
/// against its family's endpoint in another, against the chat format when the body has
/// `messages`, and otherwise not at all. Generic validators (ajv, check-jsonschema) can
/// check a mixed corpus with it, one file at a time.
pub fn any_model_schema(catalog: &Catalog) -> Value {
    let generic = |p: &crate::catalog::Provider, e: &crate::catalog::Endpoint| {
        let name = format!("{}.{}", p.key, e.key);
        let mut body = object(&e.generic);
        body["title"] = json!(format!("{name}: the endpoint's schema, for listed models"));
        (name, body)
    };
    let mut unknown = modelgate_rules::schema::UnknownIds::default();
    for p in &catalog.providers {
        unknown
            .known
            .extend(p.models.iter().filter_map(|m| m.id.clone()));
        for f in &p.families {
            let endpoint = p
                .endpoints
                .iter()
                .find(|e| e.kind.serves(f.kind))
                .map(|e| generic(p, e));
            unknown
                .families
                .push(modelgate_rules::schema::UnknownFamily {
                    prefix: f.prefix.clone(),
                    complete: f.complete.is_some(),
                    endpoint,
                });
        }
        if unknown.chat.is_none() {
            unknown.chat = p
                .endpoints
                .iter()
                .find(|e| e.key == "chat_completions")
                .map(|e| generic(p, e));
        }
    }
    let mut models = Vec::new();
    for p in &catalog.providers {
        for m in &p.models {
            let Some(id) = &m.id else { continue };
            let Some(endpoint) = m.endpoints.first() else {
                continue;
            };
            let request = m
                .requests
                .iter()
                .find(|r| &r.endpoint == endpoint && m.status == Status::Documented);
            match request {
                Some(r) => models.push((
                    id.clone(),
                    crate::ident::file_stem(id),
                    request_schema(p, m, &r.endpoint, &r.root),
                )),
                None => {
                    let name = format!("{}.{endpoint}", p.key);
                    if let Some(e) = p.endpoints.iter().find(|e| &e.key == endpoint) {
                        let mut body = object(&e.generic);
                        body["title"] =
                            json!(format!("{name}: the endpoint's schema, for listed models"));
                        models.push((id.clone(), name, body));
                    }
                }
            }
        }
    }
    modelgate_rules::schema::any_model_schema(models, unknown)
}
