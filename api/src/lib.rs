//! `modelgate-api`: the Vtrix and VertexKey gateways' HTTP API as progenitor generates it
//! from [modelgate](https://docs.rs/modelgate)'s catalog.
//!
//! - [`types`]: the open enums (a finish reason, status or event type the catalog does not
//!   know is kept as `Unknown(value)`, not a decoding error);
//! - with the `client` feature, [`vtrix`] and [`vertexkey`]: each gateway's `Client` and
//!   its request and response `types`. The OpenAI-format types both gateways share (chat
//!   requests, completions, chunks, errors) are generated once, in `vtrix::types`.
//!
//! - with `client`, hand-written helpers on the generated types: [`chat`] (reading an
//!   answer, building a request and its messages), [`messages`] (reading an Anthropic
//!   answer), [`images`] (building an image request, reading its images).
//!
//! Most users want `modelgate`'s gateway clients, which add validation, retries,
//! streaming and typed errors on top of these through a [`Transport`]. This crate holds
//! only what the OpenAPI documents say, so that a change of a model's limit or price does
//! not compile it again.
//!
//! The types, clients and open enums are generated; a build with the
//! `codegen` feature (this workspace's) generates it from the catalog, any other build
//! compiles the committed copy in `generated/`.
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
mod transport;
#[cfg(feature = "client")]
pub use operation::Operation;
#[cfg(feature = "client")]
pub use transport::{Hooks, SendFuture, Transport};

#[cfg(feature = "client")]
generated!("clients.rs");
