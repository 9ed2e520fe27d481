//! The subcommands, each defined once with its arguments and help text.

pub mod catalog;
pub mod completions;
pub mod gateway;
pub mod models;
pub mod schema;
pub mod serve;
pub mod validate;
