//! `modelgate-io`: how modelgate's crates read what they did not write. A leaf crate (no
//! dependency on the rest of modelgate) shared by the generator (`modelgate-codegen`), the
//! library's `build.rs`, the library itself (JSON pointers), the CLI and the emulator.
//!
//! - [`read`]: bounded reads of files and streams;
//! - [`yaml`] (feature `yaml`, default): YAML with each value's line and column;
//! - [`pointer`](mod@pointer): RFC 6901 JSON pointers;
//! - [`fingerprint`]: the fingerprint of the catalog directory.
#![deny(missing_docs)]

pub mod fingerprint;
pub mod pointer;
pub mod read;
#[cfg(feature = "yaml")]
pub mod yaml;
