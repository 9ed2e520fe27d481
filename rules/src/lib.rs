//! The rule trees of modelgate's catalog, one set of types for the generator
//! (`modelgate-codegen`) and the library (`modelgate`).
//!
//! - [`Node`] and its parts: what a request body must look like, each property marked
//!   documented by the gateway or the public format's only ([`Basis`]), with its source.
//! - [`Constraint`] and [`apply_constraint`]: how a model's documented facts change an
//!   endpoint's format rules.
//! - [`resolve`]: a model's whole tree from its endpoint's base tree and its differences
//!   ([`Recipe`], [`Layer`]), the same at generation time and at run time.
//! - [`schema`]: the JSON Schema a tree amounts to.
//!
//! ```
//! use modelgate_rules::{Constraint, Layer, Node, ObjectNode, Property, Recipe, SourceRef};
//! use modelgate_rules::{IntegerRule, resolve};
//!
//! // An endpoint's base tree: `max_tokens`, an integer the format says nothing more of.
//! let base = ObjectNode {
//!     properties: vec![Property {
//!         name: "max_tokens".into(),
//!         node: Node::Integer(IntegerRule::default()),
//!         required: false,
//!         basis: Default::default(),
//!         deprecated: false,
//!         description: None,
//!         default: None,
//!         source: None,
//!     }],
//!     ..Default::default()
//! };
//! // A model that documents a maximum of 4096.
//! let own = Layer {
//!     source: SourceRef { doc: "seed-000".into(), section: "Claude 3 Haiku".into() },
//!     parameters: [("max_tokens".to_string(), Constraint { maximum: Some(4096.0), ..Default::default() })]
//!         .into_iter()
//!         .collect(),
//! };
//! let tree = resolve(&base, &Recipe { params: None, profile: None, own: &own }, None).unwrap();
//! assert_eq!(
//!     tree.property("max_tokens").unwrap().node,
//!     Node::Integer(IntegerRule { minimum: None, maximum: Some(4096) })
//! );
//! ```
#![deny(missing_docs)]

mod constraint;
mod lookup;
mod node;
mod resolve;
pub mod schema;

pub use constraint::{Constraint, apply_constraint, find_property_mut, object_at, object_at_mut};
pub use lookup::{PropertyLookup, key_hash, same_bytes};
pub use node::{
    Additional, ArrayNode, Basis, IntegerRule, Node, NumberRule, ObjectNode, Property, SourceRef,
    StringNode, TaggedNode, Variant,
};
pub use resolve::{
    Layer, Recipe, ResolveError, merged_constraints, pin_model, resolve, resolve_like,
};
