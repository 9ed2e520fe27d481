//! `modelgate schema MODEL`: the JSON Schema of a model's request, as generated from the
//! catalog (the same constraints `modelgate validate` applies). `modelgate schema --all`:
//! one schema for a request to any model, dispatching on `model`, for generic JSON Schema
//! tools that check a mixed corpus.

use std::io::{self, Write};

use modelgate::{Endpoint, ModelId};

/// Which schema to print.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The model ID, e.g. `vtrix-claude-3-haiku`.
    #[arg(required_unless_present = "all")]
    pub model: Option<String>,
    /// The endpoint (default: the model's first one).
    #[arg(long, value_parser = crate::parse_endpoint, conflicts_with = "all")]
    pub endpoint: Option<Endpoint>,
    /// One schema for every model on its default endpoint: `model` must be a catalog ID
    /// and selects that model's schema (what `validate` checks without `--endpoint`).
    #[arg(long, conflicts_with = "model")]
    pub all: bool,
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
    /// Writing failed (the cause is the I/O error, so that a closed pipe is recognised).
    #[error("cannot write the schema")]
    Io(#[from] io::Error),
}

/// Runs the command.
pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<(), SchemaError> {
    let Some(model) = args.model.as_deref().filter(|_| !args.all) else {
        write_json(out, &modelgate::catalog::any_model_json_schema())?;
        return Ok(());
    };
    let info = model.parse::<ModelId>()?.info();
    let endpoint = args.endpoint.or_else(|| info.default_endpoint());
    let request = endpoint
        .and_then(|e| info.request(e))
        .ok_or_else(|| SchemaError::NoSchema {
            model: model.to_string(),
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
    write_json(out, &request.json_schema(info))?;
    Ok(())
}

/// A schema as `generated/schemas/` has it: pretty-printed, ending in a line break.
fn write_json(out: &mut dyn Write, schema: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, schema).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
