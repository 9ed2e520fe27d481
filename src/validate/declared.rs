//! Models users declare: a model the bundled catalog lacks (a gateway added it yesterday),
//! or a bundled one changed, said the way `spec/` says it: an ID, its gateway, the model
//! it is like and what differs (limits, enums, fixed values), with a source that findings
//! cite. `modelgate.toml`'s `[[models]]` and the emulator's `declared_models` are read
//! into [`ModelDeclaration`]s; [`Declarations::resolve`] checks them and builds each
//! model's rules once, with the same code that built the catalog's
//! ([`crate::rules::apply_constraint`]), so a declared model is checked exactly as a
//! bundled one.
//!
//! ```
//! use modelgate::validate::{Code, Declarations, ModelDeclaration, Validator};
//!
//! let declared = Declarations::resolve(vec![ModelDeclaration {
//!     source: Some("VertexKey changelog, 2026-12-01".into()),
//!     ..ModelDeclaration::like("aws/claude-sonnet-4-7", "vertexkey", "aws/claude-sonnet-4-6")
//!         .limit("max_tokens", None, Some(32000.0))
//! }])
//! .unwrap();
//! let validator = Validator::new().declare(&declared);
//! let ok = br#"{"model": "aws/claude-sonnet-4-7", "max_tokens": 32000,
//!               "messages": [{"role": "user", "content": "Hi"}]}"#;
//! assert!(validator.validate_json(ok).is_valid());
//! let over = br#"{"model": "aws/claude-sonnet-4-7", "max_tokens": 32001,
//!                 "messages": [{"role": "user", "content": "Hi"}]}"#;
//! let report = validator.validate_json(over);
//! assert_eq!(report.errors[0].code, Code::OutOfRange);
//! assert!(report.errors[0].message.contains("VertexKey changelog, 2026-12-01"));
//! // Without the declaration, the ID is one VertexKey's list lacks.
//! assert_eq!(Validator::new().validate_json(ok).errors[0].code, Code::UnlistedModel);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::catalog::{Endpoint, ModelInfo, ModelStatus, Provider, find_model};
use crate::rules::{Constraint, ObjectNode, Source, SourceRef, apply_constraint, object_at_mut};

/// A model declared by its user, the way `spec/` declares one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDeclaration {
    /// The ID sent in requests: a new one, or a bundled one to change.
    pub id: String,
    /// The gateway that serves it: `vtrix` or `vertexkey`.
    pub gateway: String,
    /// The bundled model whose rules it starts from (`aws/claude-sonnet-4-6`); may be left
    /// out when `id` is a bundled model (which it then changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub like: Option<String>,
    /// What differs from that model, by parameter path (`max_tokens`, `messages/*/role`),
    /// in the catalog's constraint form: `minimum`, `maximum`, `enum`, `fixed`, ...
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Constraint>,
    /// Where the differences come from (a changelog, a page, a ticket), cited by every
    /// finding about the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it was declared (`modelgate.toml:12`), for messages and listings; set by the
    /// reader of the file.
    #[serde(default, skip)]
    pub origin: Option<String>,
}

impl ModelDeclaration {
    /// A model `id` on `gateway` like the bundled model `like`, nothing changed yet.
    pub fn like(id: &str, gateway: &str, like: &str) -> Self {
        ModelDeclaration {
            id: id.into(),
            gateway: gateway.into(),
            like: Some(like.into()),
            ..Default::default()
        }
    }

    /// The same, with the range of the number at `path` set.
    pub fn limit(mut self, path: &str, minimum: Option<f64>, maximum: Option<f64>) -> Self {
        let c = self.parameters.entry(path.into()).or_default();
        c.minimum = minimum.or(c.minimum);
        c.maximum = maximum.or(c.maximum);
        self
    }
}

/// What is wrong with a declaration: which one (its index in the list), which field
/// (`id`, `gateway`, `like`, `parameters.max_tokens`), and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("models[{index}].{field}: {message}")]
pub struct DeclarationError {
    /// The declaration's index in the list given.
    pub index: usize,
    /// The field: `id`, `gateway`, `like`, or `parameters.<path>`.
    pub field: String,
    /// What is wrong, and what is allowed.
    pub message: String,
}

/// A declared model, resolved: its entry (as the catalog's) and its rules per endpoint.
#[derive(Debug)]
pub struct DeclaredModel {
    /// The declaration.
    pub declaration: ModelDeclaration,
    /// Its entry, as a catalog entry: the model it is like, with its own ID and source.
    pub info: &'static ModelInfo,
    /// Its rules on each endpoint that serves it.
    rules: Vec<(Endpoint, &'static ObjectNode)>,
}

impl DeclaredModel {
    /// Its rules on `endpoint`, if the endpoint serves it.
    pub fn rules(&self, endpoint: Endpoint) -> Option<&'static ObjectNode> {
        self.rules
            .iter()
            .find(|(e, _)| *e == endpoint)
            .map(|(_, r)| *r)
    }

    /// How messages name it: `ID (declared in modelgate.toml:12, from SOURCE)`.
    pub fn describe(&self) -> String {
        let d = &self.declaration;
        let mut out = d.id.clone();
        let origin = d.origin.as_deref().unwrap_or("code");
        match &d.source {
            Some(s) => out.push_str(&format!(" (declared in {origin}, from {s})")),
            None => out.push_str(&format!(" (declared in {origin})")),
        }
        out
    }
}

/// The most models one list may declare.
pub const MAX_DECLARED: usize = 1000;

/// The models a user declares, resolved once and cheap to clone. Each resolved model is
/// kept for the life of the process (the validator's rules are `'static`); the same
/// declaration resolved again reuses it, so memory is bounded by the distinct
/// declarations a process makes, not by how often it makes them.
#[derive(Clone, Debug, Default)]
pub struct Declarations {
    models: Arc<Vec<&'static DeclaredModel>>,
}

impl Declarations {
    /// Checks `declarations` and builds each model's rules. Every problem is reported,
    /// each with its declaration's index and field.
    pub fn resolve(declarations: Vec<ModelDeclaration>) -> Result<Self, Vec<DeclarationError>> {
        // Each declared model keeps its own rules (about 230 KB for a chat model): a file
        // of thousands would hold gigabytes.
        if declarations.len() > MAX_DECLARED {
            return Err(vec![DeclarationError {
                index: MAX_DECLARED,
                field: "id".into(),
                message: format!(
                    "{} models are declared; modelgate takes at most {MAX_DECLARED} (the bundled catalog has {})",
                    declarations.len(),
                    crate::catalog::ModelId::ALL.len()
                ),
            }]);
        }
        let mut errors = Vec::new();
        let mut models: Vec<&'static DeclaredModel> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, d) in declarations.into_iter().enumerate() {
            if let Some(first) = seen.insert(d.id.clone(), index) {
                errors.push(DeclarationError {
                    index,
                    field: "id".into(),
                    message: format!("`{}` is declared twice (first at models[{first}])", d.id),
                });
                continue;
            }
            match intern(d, index) {
                Ok(m) => models.push(m),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(Declarations {
                models: Arc::new(models),
            })
        } else {
            Err(errors)
        }
    }

    /// The declared model with this ID.
    pub fn find(&self, id: &str) -> Option<&'static DeclaredModel> {
        self.models.iter().find(|m| m.declaration.id == id).copied()
    }

    /// Every declared model, in the order declared.
    pub fn iter(&self) -> impl Iterator<Item = &'static DeclaredModel> + '_ {
        self.models.iter().copied()
    }

    /// Whether none is declared.
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }
}

/// The resolved model of `d`, made once per distinct declaration.
fn intern(
    d: ModelDeclaration,
    index: usize,
) -> Result<&'static DeclaredModel, Vec<DeclarationError>> {
    static MADE: OnceLock<Mutex<HashMap<String, &'static DeclaredModel>>> = OnceLock::new();
    let key = format!(
        "{}\u{0}{}",
        serde_json::to_string(&d).unwrap_or_default(),
        d.origin.as_deref().unwrap_or_default()
    );
    let made = MADE.get_or_init(Mutex::default);
    if let Some(m) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(m);
    }
    let model: &'static DeclaredModel = Box::leak(Box::new(build(d, index)?));
    made.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, model);
    Ok(model)
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Checks one declaration and builds its rules.
fn build(d: ModelDeclaration, index: usize) -> Result<DeclaredModel, Vec<DeclarationError>> {
    let error = |field: &str, message: String| {
        vec![DeclarationError {
            index,
            field: field.into(),
            message,
        }]
    };
    if d.id.is_empty() || d.id.chars().any(char::is_whitespace) {
        return Err(error(
            "id",
            format!(
                "`{}` is not a model ID: it must be non-empty, without spaces",
                d.id
            ),
        ));
    }
    let gateways: Vec<&str> = Provider::ALL.iter().map(|p| p.info().key).collect();
    let Some(gateway) = Provider::ALL
        .iter()
        .copied()
        .find(|p| p.info().key == d.gateway)
    else {
        return Err(error(
            "gateway",
            format!(
                "unknown gateway `{}` (gateways: {})",
                d.gateway,
                gateways.join(", ")
            ),
        ));
    };
    let like_id = d.like.as_deref().unwrap_or(&d.id);
    let Some(like) = find_model(like_id) else {
        let suggestion = crate::suggest::closest(
            like_id,
            crate::catalog::ModelId::ALL.iter().map(|m| m.as_str()),
        )
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
        return Err(match &d.like {
            Some(like) => error(
                "like",
                format!(
                    "`{like}` is not a bundled model{suggestion} (`modelgate models` lists them)"
                ),
            ),
            None => error(
                "like",
                format!(
                    "`{}` is not a bundled model, so the declaration must say which one it is like (`like = \"...\"`), whose rules it starts from{suggestion}",
                    d.id
                ),
            ),
        });
    };
    if like.provider != gateway {
        return Err(error(
            "gateway",
            format!(
                "`{like_id}` is a {} model; a model like it is served by {} too (gateway = \"{}\")",
                like.provider.info().name,
                like.provider.info().name,
                like.provider.info().key
            ),
        ));
    }
    if like.endpoints.is_empty() {
        return Err(error(
            "like",
            format!(
                "`{like_id}` has no endpoint in the catalog (its kind is unknown), so there are no rules to start from; name a model of the same kind"
            ),
        ));
    }
    let section = d
        .source
        .clone()
        .or_else(|| d.origin.clone())
        .unwrap_or_else(|| "declared in code".into());
    let source = SourceRef {
        doc: d.origin.clone().unwrap_or_else(|| "declaration".into()),
        section: section.clone(),
    };
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    for &endpoint in like.endpoints {
        let like_rules = match (like.status, like.request(endpoint)) {
            (ModelStatus::Documented, Some(r)) => r.rules(),
            _ => endpoint.info().generic(),
        };
        // Nothing differs: the rules are the like model's own, not a copy.
        if d.parameters.is_empty() {
            rules.push((endpoint, like_rules));
            continue;
        }
        let mut root = like_rules.clone();
        let target = match endpoint.info().parameters_at {
            Some(at) => object_at_mut(&mut root, at).map_err(|e| {
                format!(
                    "{e} (a model's parameters on {} sit at {at})",
                    endpoint.key()
                )
            }),
            None => Ok(&mut root),
        };
        let target = match target {
            Ok(target) => target,
            Err(message) => {
                // Not dropped in silence: the declaration cannot change what it names.
                errors.push(DeclarationError {
                    index,
                    field: "parameters".into(),
                    message,
                });
                continue;
            }
        };
        for (path, c) in &d.parameters {
            if let Err(message) = apply_constraint(target, path, c, &source)
                && !errors
                    .iter()
                    .any(|e: &DeclarationError| e.field == format!("parameters.{path}"))
            {
                errors.push(DeclarationError {
                    index,
                    field: format!("parameters.{path}"),
                    message: format!("{message} (on {}, as `{like_id}` has it)", endpoint.key()),
                });
            }
        }
        rules.push((endpoint, &*Box::leak(Box::new(root))));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let max_output_tokens = d
        .parameters
        .get("max_tokens")
        .and_then(|c| c.maximum)
        .map(|m| m as u64)
        .or(like.max_output_tokens);
    let id = leak(&d.id);
    // Its rules are the like model's with the differences; its other facts (price,
    // context, vendor) are not declared, and are not assumed.
    let info = ModelInfo {
        id: Some(id),
        name: id,
        vendor: None,
        owned_by: None,
        description: None,
        context_window: None,
        pricing: None,
        max_output_tokens,
        source: Source {
            document: leak(&source.doc),
            section: leak(&section),
        },
        also_sources: &[],
        notes: &[],
        requests: &[],
        not_listed: None,
        ..*like
    };
    Ok(DeclaredModel {
        declaration: d,
        info: Box::leak(Box::new(info)),
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Code, Validator};

    fn errors(declarations: Vec<ModelDeclaration>) -> Vec<String> {
        Declarations::resolve(declarations)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_bad_declaration_names_its_field_and_what_is_allowed() {
        let like = |like: &str| ModelDeclaration::like("aws/new", "vertexkey", like);
        assert_eq!(
            errors(vec![like("aws/claude-sonet-4-6")]),
            [
                "models[0].like: `aws/claude-sonet-4-6` is not a bundled model; did you mean `aws/claude-sonnet-4-6`? (`modelgate models` lists them)"
            ]
        );
        assert_eq!(
            errors(vec![ModelDeclaration::like(
                "x",
                "vtrix",
                "aws/claude-sonnet-4-6"
            )]),
            [
                "models[0].gateway: `aws/claude-sonnet-4-6` is a VertexKey model; a model like it is served by VertexKey too (gateway = \"vertexkey\")"
            ]
        );
        assert!(
            errors(vec![ModelDeclaration::like(
                "x",
                "openai",
                "aws/claude-sonnet-4-6"
            )])[0]
                .starts_with(
                    "models[0].gateway: unknown gateway `openai` (gateways: vtrix, vertexkey)"
                )
        );
        let e = errors(vec![like("aws/claude-sonnet-4-6").limit(
            "max_tokns",
            None,
            Some(1.0),
        )]);
        assert!(
            e[0].starts_with("models[0].parameters.max_tokns: `max_tokns` does not exist"),
            "{e:?}"
        );
        let new_without_like = ModelDeclaration {
            like: None,
            ..like("")
        };
        assert!(errors(vec![new_without_like])[0]
            .starts_with("models[0].like: `aws/new` is not a bundled model, so the declaration must say which one it is like"));
        let twice = errors(vec![like("aws/glm-5"), like("aws/glm-5")]);
        assert_eq!(
            twice,
            ["models[1].id: `aws/new` is declared twice (first at models[0])"]
        );
    }

    #[test]
    fn a_bundled_model_is_changed_by_declaring_its_own_id() {
        let declared = Declarations::resolve(vec![
            ModelDeclaration {
                id: "vtrix-claude-3-haiku".into(),
                gateway: "vtrix".into(),
                source: Some("a test".into()),
                ..Default::default()
            }
            .limit("max_tokens", None, Some(1000.0)),
        ])
        .unwrap();
        let body = br#"{"model": "vtrix-claude-3-haiku", "max_tokens": 2000,
                        "messages": [{"role": "user", "content": "Hi"}]}"#;
        assert!(Validator::new().validate_json(body).is_valid());
        let report = Validator::new().declare(&declared).validate_json(body);
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].code, Code::OutOfRange);
        assert!(
            report.errors[0].message.contains("from a test"),
            "{}",
            report.errors[0].message
        );
        // The rest of its rules are the bundled model's: `seed` is still undocumented.
        let seed = br#"{"model": "vtrix-claude-3-haiku", "seed": 1,
                        "messages": [{"role": "user", "content": "Hi"}]}"#;
        let report = Validator::new().declare(&declared).validate_json(seed);
        assert_eq!(report.warnings[0].code, Code::UndocumentedParameter);
        assert_eq!(report.model_info.unwrap().max_output_tokens, Some(1000));
    }

    #[test]
    fn a_declaration_that_changes_nothing_shares_the_like_models_rules_and_the_count_is_bounded() {
        let same = Declarations::resolve(vec![ModelDeclaration::like(
            "aws/alias",
            "vertexkey",
            "aws/glm-5",
        )])
        .unwrap();
        let glm = crate::catalog::find_model("aws/glm-5").unwrap();
        let endpoint = glm.default_endpoint().unwrap();
        assert!(std::ptr::eq(
            same.find("aws/alias").unwrap().rules(endpoint).unwrap(),
            glm.request(endpoint).unwrap().rules()
        ));
        let many: Vec<ModelDeclaration> = (0..=MAX_DECLARED)
            .map(|i| ModelDeclaration::like(&format!("aws/m{i}"), "vertexkey", "aws/glm-5"))
            .collect();
        let e = errors(many);
        assert_eq!(
            e,
            [format!(
                "models[{MAX_DECLARED}].id: {} models are declared; modelgate takes at most {MAX_DECLARED} (the bundled catalog has {})",
                MAX_DECLARED + 1,
                crate::catalog::ModelId::ALL.len()
            )]
        );
    }

    #[test]
    fn the_same_declaration_is_resolved_once() {
        let d = || {
            vec![
                ModelDeclaration::like("aws/once", "vertexkey", "aws/glm-5").limit(
                    "max_tokens",
                    None,
                    Some(7.0),
                ),
            ]
        };
        let a = Declarations::resolve(d()).unwrap();
        let b = Declarations::resolve(d()).unwrap();
        assert!(std::ptr::eq(
            a.find("aws/once").unwrap(),
            b.find("aws/once").unwrap()
        ));
    }
}
