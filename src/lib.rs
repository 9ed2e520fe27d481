//! modelgate: typed, validated access to the Vtrix and VertexKey AI model gateways.
//!
//! Everything comes from one catalog (`spec/`): at build time `modelgate-codegen`
//! generates the typed clients (progenitor), the model table and each model's request
//! rules; at run time [`validate`] checks a request against its model's documented limits
//! before it costs money.
//!
//! ```
//! use modelgate::catalog::ModelId;
//! use modelgate::validate::Validator;
//!
//! // What the catalog knows about a model.
//! let info = ModelId::from_id("enterprise/gemini-3-pro-image-preview-1k").unwrap().info();
//! assert_eq!(info.fixed_size, Some("1024x1024"));
//!
//! // A request that breaks it, caught before sending.
//! let report = Validator::new().validate_json(
//!     br#"{"model": "enterprise/gemini-3-pro-image-preview-1k", "prompt": "a fox", "size": "512x512"}"#,
//! );
//! assert_eq!(report.errors[0].pointer, "/size");
//! println!("{}", report.errors[0].message);
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
pub mod catalog;
#[cfg(feature = "client")]
pub mod chat;
#[cfg(feature = "client")]
pub mod config;
pub mod cost;
#[cfg(feature = "client")]
pub mod error;
#[cfg(feature = "client")]
pub mod gateway;
#[cfg(feature = "client")]
pub mod generated;
#[cfg(feature = "client")]
pub mod http;
#[cfg(feature = "client")]
pub mod media;
#[cfg(feature = "client")]
pub mod messages;
pub use modelgate_io::pointer;
#[cfg(feature = "client")]
pub mod retry;
/// YAML payloads: the reader whose located nodes [`Validator::validate_yaml`] checks
/// (re-exported from `modelgate-io`; feature `yaml`).
#[cfg(feature = "yaml")]
pub mod yaml {
    pub use modelgate_io::yaml::{
        Document, Entry, MAX_ALIAS_COPY, MAX_ALIASES, MAX_DEPTH, Node, NodeValue, Position,
        YamlError, parse_payload_nodes,
    };
}
pub mod rules;
#[cfg(feature = "client")]
pub mod sse;
#[cfg(feature = "client")]
pub mod stream;
pub mod suggest;
/// The open enums: a finish reason, status or event type the catalog does not know is kept
/// as `Unknown(value)` (re-exported from `modelgate-api`).
pub use modelgate_api::types;
pub mod validate;
#[cfg(feature = "client")]
pub mod vertexkey;
#[cfg(feature = "client")]
pub mod vtrix;

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(all(doctest, feature = "client"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The guide's Rust examples (`docs/*.md`), doctests as the README's are; its shell
/// blocks run in CI (`.ci/doc-blocks`).
#[cfg(all(doctest, feature = "client"))]
pub mod guide {
    #[doc = include_str!("../docs/validate.md")]
    pub struct Validate;
    #[doc = include_str!("../docs/ci.md")]
    pub struct Ci;
    #[doc = include_str!("../docs/library.md")]
    pub struct Library;
    #[doc = include_str!("../docs/emulator.md")]
    pub struct Emulator;
    #[doc = include_str!("../docs/catalog.md")]
    pub struct Catalog;
    #[doc = include_str!("../docs/limits.md")]
    pub struct Limits;
    #[doc = include_str!("../docs/benchmarks.md")]
    pub struct Benchmarks;
    #[doc = include_str!("../CONTRIBUTING.md")]
    pub struct Contributing;
}

pub use catalog::{Endpoint, ModelId, Provider};
#[cfg(feature = "client")]
pub use config::Config;
#[cfg(feature = "client")]
pub use error::{ApiError, ApiErrorKind, Error};
pub use validate::{Code, Finding, Level, ParsedJson, Policy, Report, Validator};
#[cfg(feature = "client")]
pub use vertexkey::VertexKeyClient;
#[cfg(feature = "client")]
pub use vtrix::VtrixClient;
