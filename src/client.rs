//! The typed clients progenitor generates from the gateways' OpenAPI documents, one
//! module per provider (`vtrix`, `vertexkey`), each with a `Client` and its `types`.
//! They are built from `spec/openapi/*.yaml`, normalised by `modelgate-codegen` (see
//! `generated/openapi/` for the documents they come from).

include!(concat!(env!("OUT_DIR"), "/clients.rs"));
