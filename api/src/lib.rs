//! `modelgate-api`: the Vtrix and VertexKey gateways' request and response types as
//! progenitor generates them from [modelgate](https://docs.rs/modelgate)'s catalog.
//!
//! - [`types`]: the open enums (a finish reason, status or event type the catalog does not
//!   know is kept as `Unknown(value)`, not a decoding error);
//! - with the `client` feature, [`vtrix`] and [`vertexkey`]: each gateway's `types`, every
//!   one with a generated constructor (`new`, its required fields) and setters, and its
//!   `operations` (method, path, whether it streams); the OpenAI-format types both
//!   gateways share (chat requests, completions, chunks, errors) are generated once, in
//!   `vtrix::types`; and hand-written helpers on them: [`chat`] (reading an answer,
//!   building a request, its messages and content parts), [`messages`] (the same for the
//!   Anthropic format), [`images`] (image requests, an answer's images).
//!
//! This crate depends on serde alone: no HTTP stack, so that its types compile while a
//! dependent's TLS stack does. The progenitor `Client` of each gateway, which sends these
//! types, is in `modelgate` (`modelgate::generated`), with validation, retries, streaming
//! and typed errors on top. Nothing here changes with a model's limit or price, so such a
//! change does not compile it again.
//!
//! The types, operations and open enums are generated; a build with the `codegen`
//! feature (this workspace's) generates them from the catalog, any other build compiles
//! the committed copy in `generated/`.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod types;

/// Includes a generated file: from `OUT_DIR` when the build generates (`codegen`), else
/// the committed copy in `generated/` (no build-time work at all).
macro_rules! generated {
    ($file:literal) => {
        #[cfg(feature = "codegen")]
        include!(concat!(env!("OUT_DIR"), "/", $file));
        #[cfg(not(feature = "codegen"))]
        include!(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/", $file));
    };
}
pub(crate) use generated;

generated!("providers.rs");

#[cfg(feature = "client")]
pub mod chat;
#[cfg(feature = "client")]
pub mod images;
#[cfg(feature = "client")]
pub mod messages;

#[cfg(feature = "client")]
mod operation;
#[cfg(feature = "client")]
pub use operation::Operation;

// The generated types name each other by their path in this crate
// (`modelgate_api::vtrix::types::ErrorResponse`), as modelgate's generated clients do.
extern crate self as modelgate_api;

#[cfg(feature = "client")]
generated!("clients.rs");
