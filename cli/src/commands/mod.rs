//! The subcommands, each defined once with its arguments and help text.

pub mod models;
pub mod schema;
pub mod validate;
