//! The typed clients progenitor generates from the gateways' OpenAPI documents, one
//! module per provider (`vtrix`, `vertexkey`), each with a `Client` and its `types`
//! (re-exported from `modelgate-api`, the crate that holds them, so that a change of a
//! model's limit or price does not compile them again).
//!
//! The OpenAI-format types both gateways share (chat requests, completions, chunks,
//! errors) are generated once, in `vtrix::types`; `vertexkey::types` refers to them. The
//! clients run on a [`crate::http::Runtime`] (get one with `Runtime::vtrix_client` or
//! `Runtime::vertexkey_client`): authentication, retries and tracing come from it, and no
//! `api-version` header is sent. Most users want the gateway clients instead
//! ([`crate::VtrixClient`], [`crate::VertexKeyClient`]), which add validation, streaming
//! and typed errors.

pub use modelgate_api::{vertexkey, vtrix};
