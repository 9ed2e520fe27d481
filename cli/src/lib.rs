//! The `modelgate` command line: argument definitions and the commands behind them. The
//! binary (`main.rs`) only calls [`run`] and turns its result into an exit status.
//!
//! ```text
//! modelgate validate [--format human|json|github] [--endpoint E] PATH...
//! modelgate models [--provider P] [--json] [--remote]
//! modelgate schema MODEL [--endpoint E]
//! modelgate chat --model M [--system S] [--max-tokens N] [--no-stream] [--json] PROMPT
//! modelgate image --model M [--image FILE|URL] --out FILE PROMPT
//! modelgate video --model M [--image FILE|URL] [--out FILE] PROMPT
//! modelgate serve [--addr 127.0.0.1:8080] [--config FILE] [--quiet]
//! global: --offline --base-url URL --api-key KEY --max-retries N --timeout SECONDS --provider P
//! ```

#![deny(missing_docs)]

pub mod commands;
pub mod inputs;
pub mod locate;
pub mod report;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use modelgate::{Endpoint, Provider};

/// Typed, validated access to the Vtrix and VertexKey AI gateways.
#[derive(Debug, Parser)]
#[command(name = "modelgate", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// How to reach the gateway (for the commands that call one).
    #[command(flatten)]
    pub gateway: commands::gateway::GatewayArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check request payloads against each model's documented limits.
    ///
    /// Exit status: 0 when every payload is valid, 1 when any is invalid (malformed JSON
    /// included), 2 for usage errors and unreadable paths.
    Validate(commands::validate::ValidateArgs),
    /// List the models of the catalog.
    Models(commands::models::ModelsArgs),
    /// Print the JSON Schema of a model's request.
    Schema(commands::schema::SchemaArgs),
    /// Ask a chat model; the answer streams to stdout as it arrives.
    Chat(commands::gateway::ChatArgs),
    /// Generate an image, or edit one with --image, and write it to --out.
    Image(commands::gateway::ImageArgs),
    /// Make a video (VertexKey job or Vtrix media task), showing progress while it renders.
    Video(commands::gateway::VideoArgs),
    /// Run the local emulator of both gateways (for tests without network, key or bill).
    Serve(commands::serve::ServeArgs),
}

/// Parses an endpoint key (`vtrix.chat_completions`, or `messages` when unambiguous).
pub fn parse_endpoint(key: &str) -> Result<Endpoint, String> {
    Endpoint::from_key(key).ok_or_else(|| {
        let keys: Vec<&str> = Endpoint::ALL.iter().map(|e| e.key()).collect();
        format!("unknown endpoint `{key}`; one of: {}", keys.join(", "))
    })
}

/// Parses a provider key (`vtrix`, `vertexkey`).
pub fn parse_provider(key: &str) -> Result<Provider, String> {
    Provider::ALL
        .iter()
        .copied()
        .find(|p| p.info().key == key)
        .ok_or_else(|| {
            let keys: Vec<&str> = Provider::ALL.iter().map(|p| p.info().key).collect();
            format!("unknown provider `{key}`; one of: {}", keys.join(", "))
        })
}

/// Runs a parsed command line. `Err` is for failures to report on stderr (exit 2);
/// a broken pipe on `out` comes back as an `io::Error` of kind `BrokenPipe`.
pub fn run(
    cli: &Cli,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match &cli.command {
        Command::Validate(args) => Ok(commands::validate::run(args, out, err)?),
        Command::Models(args) if args.remote => {
            let same = commands::gateway::remote_models(&cli.gateway, out, err)?;
            Ok(if same {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Models(args) => {
            commands::models::run(args, cli.gateway.provider, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Chat(args) => {
            commands::gateway::chat(&cli.gateway, args, out, err)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Image(args) => {
            commands::gateway::image(&cli.gateway, args, out, err)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Video(args) => {
            commands::gateway::video(&cli.gateway, args, out, err)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            commands::serve::run(args, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema(args) => {
            commands::schema::run(args, out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Whether an error is a closed pipe on standard output (`modelgate ... | head`).
pub fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            return true;
        }
        current = e.source();
    }
    false
}
