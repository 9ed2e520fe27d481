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

pub mod catalog;
pub mod chat;
pub mod config;
pub mod cost;
pub mod error;
pub mod generated;
pub mod http;
pub mod media;
pub mod messages;
pub use modelgate_io::pointer;
pub mod retry;
pub mod rules;
pub mod sse;
pub mod stream;
pub mod suggest;
pub mod types;
pub mod validate;
pub mod vertexkey;
pub mod vtrix;

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use catalog::{Endpoint, ModelId, Provider};
pub use config::Config;
pub use error::{ApiError, ApiErrorKind, Error};
pub use validate::{Code, Finding, Level, Policy, Report, Validator};
pub use vertexkey::VertexKeyClient;
pub use vtrix::VtrixClient;
