//! `modelgate-catalog-file`: the catalog's file format, the serde types that
//! `spec/catalog.yaml` and `spec/models/*.yaml` are read into. `modelgate-codegen` loads
//! and checks the whole catalog on top of them, and writes their JSON Schema
//! (`generated/catalog.schema.json`) so that editors can complete and check the files;
//! [`read`] reads the files without the generator, and [`edit`] is the line editor behind
//! `modelgate catalog update`.
//!
//! Every struct refuses unknown fields, so a misspelt key is an error, not a silent no-op.
#![deny(missing_docs)]

pub mod edit;
pub mod read;

pub use read::MAX_CATALOG_FILE;

use std::collections::BTreeMap;

use serde::Deserialize;

/// `spec/catalog.yaml`: the index of the catalog.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogIndex {
    /// Version of this file format; only 1 exists.
    pub format_version: u32,
    /// The documents facts are taken from, by the short name that `source.doc` uses.
    pub sources: BTreeMap<String, SourceDocument>,
    /// Provider files, relative to this file.
    pub providers: Vec<String>,
    /// Contradictions and gaps in the sources, and the choice made for each.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A document the catalog's facts come from.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// What the document is.
    pub title: String,
    /// Its file name in the source collection.
    #[serde(default)]
    pub file: Option<String>,
    /// Whether it documents a gateway (the default), a public request format, or is a
    /// gateway's own model list as read on a date (`remote_list`).
    #[serde(default)]
    pub kind: SourceKind,
    /// Its address (an `https://` URL): a public web page, or for a `remote_list` the
    /// list that was read, e.g. `https://vertex-key.com/v1/models`. A document has a
    /// `file`, a `url`, or both; a `remote_list` always has a `url`.
    #[serde(default)]
    pub url: Option<String>,
    /// For a `remote_list`: the day it was read, `YYYY-MM-DD` (UTC). Only a
    /// `remote_list` has one.
    #[serde(default)]
    pub read: Option<String>,
}

/// What a source document describes.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A gateway's own documentation (or facts about the gateway): its limits are
    /// documented limits.
    #[default]
    Gateway,
    /// A public request format the gateways follow: its fields are format-level.
    Format,
    /// A gateway's answer to its model list (`GET /v1/models`) as read from `url` on the
    /// day `read`: the source of the IDs it lists (section `data`), and of `not_listed`
    /// marks for the IDs it no longer lists. It says which IDs exist, nothing more.
    RemoteList,
}

pub use modelgate_rules::SourceRef;

/// What kind of note a [`Note`] is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The sources say two different things.
    Contradiction,
    /// The sources are silent on something the catalog needs.
    Gap,
    /// The catalog concludes something the sources imply but do not state.
    Inference,
}

/// A contradiction, gap or inference in the sources, and the choice made.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Short identifier that model entries refer to.
    pub id: String,
    /// Contradiction, gap or inference.
    pub kind: NoteKind,
    /// What the sources say.
    pub text: String,
    /// What the catalog does about it.
    pub choice: String,
    /// Where the sources say it.
    pub sources: Vec<SourceRef>,
}

/// `spec/models/<provider>.yaml`: one gateway, its endpoints and models.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderFile {
    /// Identifier, lower case: `vtrix`, `vertexkey`.
    pub provider: String,
    /// Display name.
    pub name: String,
    /// The provider's OpenAPI document, relative to this file.
    pub openapi: String,
    /// Default base URL.
    pub base_url: String,
    /// Other base URLs that reach the same API.
    #[serde(default)]
    pub base_url_aliases: Vec<BaseUrlAlias>,
    /// Where the connection facts come from.
    pub source: SourceRef,
    /// Provider-wide prompt-cache price multipliers.
    #[serde(default)]
    pub cache_pricing: Option<CachePricing>,
    /// Endpoints whose request bodies the catalog constrains, by key.
    pub endpoints: BTreeMap<String, EndpointDef>,
    /// Named parameter sets that several models share.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Fully documented models.
    #[serde(default)]
    pub models: Vec<ModelEntry>,
    /// Models the sources only name.
    #[serde(default)]
    pub listed: Vec<ListedEntry>,
    /// ID families whose kind a source makes certain: a listed model without a `kind`
    /// whose ID starts with a family's prefix takes the family's kind (and its source).
    #[serde(default)]
    pub families: Vec<Family>,
}

/// IDs that share a prefix and, by a source, a kind: `aws/` IDs are VertexKey's "Chat
/// Models — AWS Enterprise". The loader checks that every model of the provider whose ID
/// has the prefix is of that kind, so a family is never less certain than its members.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The start of every ID in the family, e.g. `aws/`.
    pub prefix: String,
    /// The kind of every model in it.
    pub kind: Kind,
    /// Where the source groups these IDs under that kind.
    pub source: SourceRef,
    /// Id of the note that explains the inference.
    pub note: String,
    /// A source that gives every ID of the family (the gateway's own table of them, or
    /// its model list), when one does: an ID of the family that the catalog lacks is then
    /// certain to fail at the gateway, and the validator refuses it (`unlisted_model`)
    /// rather than warn. Left out where the sources admit they may be incomplete.
    #[serde(default)]
    pub complete: Option<SourceRef>,
}

impl Family {
    /// The family of `families` whose prefix `id` starts with (the longest, if several
    /// do).
    pub fn of<'a>(families: &'a [Family], id: &str) -> Option<&'a Family> {
        families
            .iter()
            .filter(|f| id.starts_with(&f.prefix))
            .max_by_key(|f| f.prefix.len())
    }
}

/// Another base URL of a provider.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BaseUrlAlias {
    /// The URL.
    pub url: String,
    /// Id of the note that explains it.
    #[serde(default)]
    pub note: Option<String>,
}

/// Cache read and write prices as multiples of the input price.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CachePricing {
    /// Cache read price = input price x this.
    pub read_multiplier: f64,
    /// Cache write price = input price x this.
    pub write_multiplier: f64,
    /// Where this comes from.
    pub source: SourceRef,
}

/// What a model does; decides which endpoints can serve it.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Text generation (chat completions, messages).
    Chat,
    /// Image generation or editing.
    Image,
    /// Video generation.
    Video,
    /// Image or video; the sources do not say which.
    Media,
}

impl Kind {
    /// The word used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chat => "chat",
            Kind::Image => "image",
            Kind::Video => "video",
            Kind::Media => "media",
        }
    }

    /// Whether an endpoint of kind `self` can serve a model of kind `model`.
    pub fn serves(self, model: Kind) -> bool {
        self == model || (self == Kind::Media && matches!(model, Kind::Image | Kind::Video))
    }
}

/// An endpoint whose request body the catalog constrains.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EndpointDef {
    /// The `operationId` in the provider's OpenAPI document.
    pub operation: String,
    /// The kind of model it serves.
    pub kind: Kind,
    /// Where a model's own parameters sit in the body (`*` = every array item). When
    /// set, each model names the OpenAPI schema of those parameters in `params_schema`.
    #[serde(default)]
    pub parameters_at: Option<String>,
    /// The source saying that the gateway charges for a request to this endpoint as soon
    /// as it accepts it (before any result exists), if one does. Such a request is never
    /// sent again once it may have arrived: a second copy would be billed twice.
    #[serde(default)]
    pub billed_on_submit: Option<SourceRef>,
}

/// A named set of parameter constraints that models can start from.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// What the set is and why models share it.
    pub description: String,
    /// Where its facts come from.
    pub source: SourceRef,
    /// Parameter path -> constraints (see [`Constraint`]).
    pub parameters: BTreeMap<String, Constraint>,
}

pub use modelgate_rules::Constraint;

/// A context window, as a number and the words of the source.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContextWindow {
    /// Tokens.
    pub tokens: u64,
    /// The source's own words, e.g. "200K context".
    pub quote: String,
}

/// A model's price: per 1M tokens (chat) or per request (images, video).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// Currency as the source writes it (`Cr$` is VertexKey's credit balance).
    pub currency: String,
    /// Price of 1M input tokens.
    #[serde(default)]
    pub input_per_million: Option<f64>,
    /// Price of 1M output tokens.
    #[serde(default)]
    pub output_per_million: Option<f64>,
    /// Fixed price of one request.
    #[serde(default)]
    pub per_request: Option<f64>,
}

/// A fully documented model.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// The model ID sent in requests.
    pub id: String,
    /// Display name; the ID when the source gives none.
    #[serde(default)]
    pub name: Option<String>,
    /// Who made the model.
    #[serde(default)]
    pub vendor: Option<String>,
    /// What the model does.
    pub kind: Kind,
    /// Endpoint keys that serve it; the first is the default.
    pub endpoints: Vec<String>,
    /// The source's description.
    #[serde(default)]
    pub description: Option<String>,
    /// Context window.
    #[serde(default)]
    pub context_window: Option<ContextWindow>,
    /// Price.
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Where the model's facts come from.
    pub source: SourceRef,
    /// Further sources that agree.
    #[serde(default)]
    pub also_sources: Vec<SourceRef>,
    /// Ids of notes that concern this model.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Profile applied on every endpoint.
    #[serde(default)]
    pub profile: Option<String>,
    /// Profile per endpoint key (instead of `profile`).
    #[serde(default)]
    pub profiles: BTreeMap<String, String>,
    /// For endpoints with `parameters_at`: the OpenAPI schema of the model's parameters.
    #[serde(default)]
    pub params_schema: Option<String>,
    /// Parameter constraints on every endpoint, over the profile's.
    #[serde(default)]
    pub parameters: BTreeMap<String, Constraint>,
    /// The model list (a `remote_list` source, whose `read` is the date) that no longer
    /// listed this ID: "not listed by GET /v1/models on that date". The entry and its
    /// facts stay; nothing else about the model is inferred from its absence.
    #[serde(default)]
    pub not_listed: Option<SourceRef>,
}

/// A model the sources only name (or a gateway's model list only lists).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ListedEntry {
    /// The model ID, only where a source gives it.
    #[serde(default)]
    pub id: Option<String>,
    /// The name as the source writes it; the ID when the source gives none (a model
    /// list gives IDs only). An entry needs a name or an ID.
    #[serde(default)]
    pub name: Option<String>,
    /// Who made it.
    #[serde(default)]
    pub vendor: Option<String>,
    /// The owner a model list gives (`owned_by`), as it gives it: not necessarily who
    /// made the model, so it is not taken as the vendor.
    #[serde(default)]
    pub owned_by: Option<String>,
    /// What it does (see the note `listed-models`), only where a source says or the
    /// grouping makes it certain: a model list's entry has none.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Where it is named.
    pub source: SourceRef,
    /// Where its ID comes from, when another source than `source`.
    #[serde(default)]
    pub id_source: Option<SourceRef>,
    /// Id of a note that concerns it.
    #[serde(default)]
    pub note: Option<String>,
    /// The model list that no longer listed this ID, as a model entry's `not_listed`.
    #[serde(default)]
    pub not_listed: Option<SourceRef>,
}

/// Whether `s` is a calendar date written `YYYY-MM-DD` (the form of a `remote_list`'s
/// `read`).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        for good in ["2026-09-01", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2026-9-01",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2025-02-29",
            "1900-02-29",
            "2026-09-01T00:00:00Z",
            "26-09-01",
            "2026/09/01",
            "",
            "2026-0a-01",
            "+026-09-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
