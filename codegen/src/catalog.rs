//! The loaded and checked catalog: what the emitters read. Built by [`crate::load_catalog`] from
//! the files in `spec/`; every model's request constraints are already resolved into a
//! constraint tree per endpoint.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ir::{Node, ObjectNode};
use crate::openapi::OpenApiDoc;
use crate::spec_file::{
    CachePricing, ContextWindow, Family, Kind, Note, Pricing, SourceDocument, SourceRef,
};

/// The whole catalog.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// Every file read, for `cargo:rerun-if-changed`; the first is the index.
    pub files: Vec<PathBuf>,
    /// Source documents by short name.
    pub sources: BTreeMap<String, SourceDocument>,
    /// Contradictions, gaps and inferences, with the choices made.
    pub notes: Vec<Note>,
    /// The gateways, in the order catalog.yaml lists them.
    pub providers: Vec<Provider>,
}

/// One gateway.
#[derive(Clone, Debug)]
pub struct Provider {
    /// Identifier: `vtrix`.
    pub key: String,
    /// Display name: `Vtrix`.
    pub name: String,
    /// The provider file it was read from (`spec/models/vtrix.yaml`).
    pub file: PathBuf,
    /// Default base URL.
    pub base_url: String,
    /// Other base URLs.
    pub base_url_aliases: Vec<String>,
    /// Where the connection facts come from.
    pub source: SourceRef,
    /// Cache price multipliers.
    pub cache_pricing: Option<CachePricing>,
    /// Its OpenAPI document, bundled.
    pub openapi: OpenApiDoc,
    /// Endpoints with constrained request bodies.
    pub endpoints: Vec<Endpoint>,
    /// Documented models first, then listed ones, each in file order.
    pub models: Vec<Model>,
    /// ID families with a sourced kind (see [`Family`] and [`Family::of`]).
    pub families: Vec<Family>,
    /// Constraint sets that several models share, by name.
    pub profiles: BTreeMap<String, modelgate_rules::Layer>,
}

/// An endpoint with a constrained request body.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// Key within the provider: `chat_completions`.
    pub key: String,
    /// The OpenAPI operationId.
    pub operation_id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path below the base URL.
    pub path: String,
    /// The kind of model it serves.
    pub kind: Kind,
    /// Where a model's own parameters sit in the body (`/input/*/params`), if not at
    /// the top.
    pub parameters_at: Option<String>,
    /// The source saying the gateway charges as soon as it accepts a request here.
    pub billed_on_submit: Option<SourceRef>,
    /// The request schema as the OpenAPI document gives it (format parameters marked
    /// [`crate::ir::Basis::Format`]): the start of every model's constraints, and the
    /// rules for models the catalog does not document.
    pub generic: ObjectNode,
}

/// Whether the sources document a model fully or only name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// ID, parameters and limits known.
    Documented,
    /// Only named (and maybe an ID).
    Listed,
}

impl Status {
    /// The word used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Documented => "documented",
            Status::Listed => "listed",
        }
    }
}

/// One model.
#[derive(Clone, Debug)]
pub struct Model {
    /// The ID sent in requests, when known.
    pub id: Option<String>,
    /// Display name.
    pub name: String,
    /// Who made it.
    pub vendor: Option<String>,
    /// What it does; `None` for a listed model no source gives a kind for (an entry
    /// taken from a gateway's model list whose ID is in no [`Family`]).
    pub kind: Option<Kind>,
    /// Documented or listed.
    pub status: Status,
    /// The owner a gateway's model list gives (`owned_by`), for listed models.
    pub owned_by: Option<String>,
    /// The model list (a `remote_list` source) that no longer listed its ID, when one did
    /// not: "not listed by GET /v1/models on the day the source was read".
    pub not_listed: Option<SourceRef>,
    /// The source's description.
    pub description: Option<String>,
    /// Context window.
    pub context_window: Option<ContextWindow>,
    /// Price.
    pub pricing: Option<Pricing>,
    /// Where its facts come from.
    pub source: SourceRef,
    /// Further sources.
    pub also_sources: Vec<SourceRef>,
    /// Ids of notes that concern it.
    pub notes: Vec<String>,
    /// Endpoint keys that serve it; the first is the default.
    pub endpoints: Vec<String>,
    /// Its request constraints per endpoint (documented models only).
    pub requests: Vec<Request>,
}

/// A model's request rules on one endpoint: the tree, and what it differs by from the
/// endpoint's base tree (which is what the generated catalog holds).
#[derive(Clone, Debug)]
pub struct Request {
    /// Endpoint key.
    pub endpoint: String,
    /// The rule tree of the whole body, the model ID pinned.
    pub root: ObjectNode,
    /// The profile the model follows on this endpoint, by name.
    pub profile: Option<String>,
    /// The model's own constraints, with its source.
    pub own: modelgate_rules::Layer,
    /// Where the endpoint takes a model's own parameters, and their shape for this model.
    pub params: Option<(String, ObjectNode)>,
}

impl Model {
    /// The upper bound of `max_tokens` on the model's first endpoint that has one.
    pub fn max_output_tokens(&self) -> Option<i64> {
        self.requests.iter().find_map(|r| {
            alternatives(&r.root.property("max_tokens")?.node).find_map(|n| match n {
                Node::Integer(r) => r.maximum,
                _ => None,
            })
        })
    }

    /// The fixed `size` of an image model.
    pub fn fixed_size(&self) -> Option<&str> {
        self.requests.iter().find_map(|r| {
            alternatives(&r.root.property("size")?.node).find_map(|n| match n {
                Node::String(s) => s.fixed.as_deref(),
                _ => None,
            })
        })
    }
}

/// The alternatives of a union (a nullable parameter is `null` or its type), or the node itself.
fn alternatives(node: &Node) -> impl Iterator<Item = &Node> {
    match node {
        Node::OneOfType(alts) => alts.as_slice(),
        n => std::slice::from_ref(n),
    }
    .iter()
}

impl Catalog {
    /// Every model of every provider, with its provider.
    pub fn models(&self) -> impl Iterator<Item = (&Provider, &Model)> {
        self.providers
            .iter()
            .flat_map(|p| p.models.iter().map(move |m| (p, m)))
    }
}
