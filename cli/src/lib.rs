//! The `modelgate` command line: argument definitions and the commands behind them. The
//! binary (`main.rs`) only calls [`run`] and turns its result into an exit status.
//!
//! ```text
//! modelgate validate [--format human|json|github] [--quiet] [--endpoint E] [LINT] PATH...
//! modelgate models [--provider P] [--json] [--remote]
//! modelgate catalog update [--provider P] [--spec DIR] [--generated DIR] [--dry-run]
//! modelgate schema MODEL [--endpoint E]
//! modelgate chat --model M [--system S] [--max-tokens N] [--no-stream] [--json] [LINT] PROMPT
//! modelgate chat --body FILE [--no-stream] [--json] [LINT]
//! modelgate image --model M [--image FILE|URL] --out FILE PROMPT
//! modelgate video --model M [--image FILE|URL] [--out FILE] PROMPT
//! modelgate serve [--addr 127.0.0.1:8080] [--config FILE] [--quiet]
//! modelgate completions bash|zsh|fish|elvish|powershell
//! modelgate man [COMMAND] [--dir DIR]
//! global: --offline --base-url URL --api-key KEY --max-retries N --timeout SECONDS --provider P
//!         --color auto|always|never
//! LINT: --deny/--warn/--allow CODE[:MODEL[:PARAMETER]]|warnings --config FILE --no-config
//! ```

#![deny(missing_docs)]

pub mod color;
pub mod commands;
pub mod config;
pub mod escape;
pub mod inputs;
pub mod lint;
pub mod report;
pub mod source;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
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
    /// Colour the output: `auto` colours a terminal unless NO_COLOR is set (to a
    /// non-empty value) or TERM=dumb.
    #[arg(long, global = true, value_enum, default_value_t = color::ColorChoice::Auto)]
    pub color: color::ColorChoice,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check request payloads: each model's documented limits and its endpoint's format.
    ///
    /// A documented limit or a format rule broken is an error; a parameter the gateway's
    /// docs are silent on is a warning. Exit status: 0 when no payload has an error
    /// (warnings are printed and counted), 1 when any has one (malformed JSON included),
    /// 2 for usage errors, a bad config file and unreadable paths.
    Validate(commands::validate::ValidateArgs),
    /// List the models of the catalog.
    Models(commands::models::ModelsArgs),
    /// Keep the catalog in step with the gateways: `catalog update` reads a gateway's
    /// model list and writes the difference into spec/ and generated/.
    Catalog(commands::catalog::CatalogArgs),
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
    /// `completions SHELL` and `man [COMMAND]`: shell completion scripts and man pages.
    #[command(flatten)]
    ShellIntegration(commands::completions::ShellIntegration),
}

impl Command {
    /// The lint-level options of the commands that check payloads.
    pub fn lint_args_mut(&mut self) -> Option<&mut lint::LintArgs> {
        match self {
            Command::Validate(a) => Some(&mut a.lint),
            Command::Chat(a) => Some(&mut a.lint),
            Command::Image(a) => Some(&mut a.lint),
            Command::Video(a) => Some(&mut a.lint),
            _ => None,
        }
    }
}

/// Parses a command line (the program name first), keeping the order of the level flags
/// (`--deny`, `--warn`, `--allow`), which clap's derive loses.
pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    if let (Some((_, sub)), Some(lint)) = (matches.subcommand(), cli.command.lint_args_mut()) {
        lint.record_order(sub);
    }
    Ok(cli)
}

/// Parses an endpoint key (`vtrix.chat_completions`, or `messages` when unambiguous).
pub fn parse_endpoint(key: &str) -> Result<Endpoint, String> {
    Endpoint::from_key(key).ok_or_else(|| {
        let keys: Vec<&str> = Endpoint::ALL.iter().map(|e| e.key()).collect();
        format!("unknown endpoint `{key}`; one of: {}", keys.join(", "))
    })
}

/// The longest `--timeout`: a day.
pub const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;

/// The longest `video --interval`: an hour.
pub const MAX_INTERVAL_SECONDS: f64 = 3_600.0;

/// Parses `--timeout`: seconds, finite, above 0 and at most [`MAX_TIMEOUT_SECONDS`].
pub fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    parse_seconds(text, MAX_TIMEOUT_SECONDS)
}

/// Parses `video --interval`: seconds, finite, above 0 and at most
/// [`MAX_INTERVAL_SECONDS`].
pub fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    parse_seconds(text, MAX_INTERVAL_SECONDS)
}

/// A number of seconds in `(0, max]` (fractions allowed) as a duration.
fn parse_seconds(text: &str, max: f64) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !seconds.is_finite() || seconds <= 0.0 || seconds > max {
        return Err(format!(
            "`{text}` is out of range: give seconds above 0 and at most {max}"
        ));
    }
    // A positive value this small would round to no time at all.
    std::time::Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is out of range: give seconds above 0 and at most {max}"))
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
        Command::Validate(args) => {
            let color = cli.color.enabled(io::stdout().is_terminal());
            Ok(commands::validate::run(args, color, out, err)?)
        }
        Command::Models(args) if args.remote => remote_models(cli, out, err),
        Command::Models(args) => match args.declared() {
            Ok(declared) => {
                commands::models::run(args, cli.gateway.provider, &declared, out)?;
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                writeln!(err, "error: {e}")?;
                Ok(ExitCode::from(2))
            }
        },
        Command::Catalog(commands::catalog::CatalogArgs {
            command: commands::catalog::CatalogCommand::Update(args),
        }) => {
            #[cfg(feature = "catalog")]
            return commands::catalog::update(&cli.gateway, args, out);
            #[cfg(not(feature = "catalog"))]
            return Err(left_out("catalog update", "catalog", args));
        }
        Command::Chat(args) => {
            #[cfg(feature = "gateway")]
            commands::gateway::chat(&cli.gateway, args, out, err)?;
            #[cfg(not(feature = "gateway"))]
            return Err(left_out("chat", "gateway", args));
            #[cfg(feature = "gateway")]
            Ok(ExitCode::SUCCESS)
        }
        Command::Image(args) => {
            #[cfg(feature = "gateway")]
            commands::gateway::image(&cli.gateway, args, out, err)?;
            #[cfg(not(feature = "gateway"))]
            return Err(left_out("image", "gateway", args));
            #[cfg(feature = "gateway")]
            Ok(ExitCode::SUCCESS)
        }
        Command::Video(args) => {
            #[cfg(feature = "gateway")]
            commands::gateway::video(&cli.gateway, args, out, err)?;
            #[cfg(not(feature = "gateway"))]
            return Err(left_out("video", "gateway", args));
            #[cfg(feature = "gateway")]
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            #[cfg(feature = "serve")]
            commands::serve::run(args, cli.color.enabled(io::stderr().is_terminal()), out)?;
            #[cfg(not(feature = "serve"))]
            return Err(left_out("serve", "serve", args));
            #[cfg(feature = "serve")]
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema(args) => {
            commands::schema::run(args, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ShellIntegration(what) => {
            commands::completions::run(what, out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `models --remote`: the gateway's list against the catalog (feature `gateway`).
fn remote_models(
    cli: &Cli,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    #[cfg(feature = "gateway")]
    {
        let same = commands::gateway::remote_models(&cli.gateway, out, err)?;
        Ok(if same {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    }
    #[cfg(not(feature = "gateway"))]
    {
        let _ = (out, err);
        Err(left_out("models --remote", "gateway", &cli.gateway))
    }
}

/// A command this build was made without: which feature has it, and how to get it.
#[cfg(not(all(feature = "gateway", feature = "serve", feature = "catalog")))]
#[allow(dead_code)]
fn left_out(
    command: &str,
    feature: &str,
    _args: &dyn std::fmt::Debug,
) -> Box<dyn std::error::Error> {
    format!(
        "`modelgate {command}` is not in this build of modelgate, which was built without the \
         `{feature}` feature (the pre-commit hook and the GitHub Action build only validate, \
         schema, models, completions and man); `cargo install --locked modelgate-cli` builds \
         every command"
    )
    .into()
}

/// The exit status for an error [`run`] returned: 1 for a gateway call that failed, 2 for
/// usage errors and the rest.
pub fn exit_status(e: &(dyn std::error::Error + 'static)) -> u8 {
    #[cfg(feature = "gateway")]
    if e.downcast_ref::<modelgate::Error>()
        .is_some_and(|e| !matches!(e, modelgate::Error::Config(_)))
    {
        return 1;
    }
    let _ = e;
    2
}

/// Whether an error is a closed pipe on standard output (`modelgate ... | head`), found
/// anywhere in its chain: an `io::Error`, or a serde_json error that wraps one (whose
/// `source()` skips the `io::Error` itself).
pub fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(e) = current {
        let kind = e
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
        if kind == Some(io::ErrorKind::BrokenPipe) {
            return true;
        }
        current = e.source();
    }
    false
}
