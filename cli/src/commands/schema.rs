//! `modelgate schema MODEL`: the JSON Schema of a model's request, as generated from the
//! catalog (the same constraints `modelgate validate` applies).

use std::io::{self, Write};

use modelgate::{Endpoint, ModelId};

/// Which schema to print.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The model ID, e.g. `vtrix-claude-3-haiku`.
    pub model: String,
    /// The endpoint (default: the model's first one).
    #[arg(long, value_parser = crate::parse_endpoint)]
    pub endpoint: Option<Endpoint>,
}

/// Why a schema cannot be printed.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Not in the catalog.
    #[error(transparent)]
    UnknownModel(#[from] modelgate::catalog::UnknownModel),
    /// In the catalog, but not with parameters on that endpoint.
    #[error(
        "model `{model}` has no documented request schema on {endpoint} (documented on: {documented})"
    )]
    NoSchema {
        /// The model.
        model: String,
        /// The endpoint asked for.
        endpoint: String,
        /// Where it is documented.
        documented: String,
    },
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Runs the command.
pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<(), SchemaError> {
    let info = args.model.parse::<ModelId>()?.info();
    let endpoint = args.endpoint.or_else(|| info.default_endpoint());
    let request = endpoint
        .and_then(|e| info.request(e))
        .ok_or_else(|| SchemaError::NoSchema {
            model: args.model.clone(),
            endpoint: endpoint.map_or("any endpoint".into(), |e| e.key().to_string()),
            documented: match info.requests {
                [] => "none: the model is listed only".into(),
                requests => requests
                    .iter()
                    .map(|r| r.endpoint.key())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        })?;
    out.write_all(request.json_schema.as_bytes())?;
    Ok(())
}
