//! The commands that call a gateway: `chat`, `image`, `video` and `models --remote`, and
//! the options they share (base URL, key, retries, timeout). Which gateway a model is on
//! comes from the catalog; for a model the catalog does not know, from `--provider`.
//! With `--offline`, or when no key is set at all, they answer from the built-in emulator
//! (crate `modelgate-emulator`), started in-process on a free loopback port.
//!
//! The options are defined here, in every build; the commands themselves are in
//! `client` (feature `gateway`: the HTTP clients, TLS and the built-in emulator).

use std::path::PathBuf;
use std::time::Duration;

use modelgate::Provider;

use crate::lint::LintArgs;

#[cfg(feature = "gateway")]
mod client;
#[cfg(feature = "catalog")]
pub(crate) use client::runtime;
#[cfg(feature = "gateway")]
pub use client::{Connection, chat, image, remote_models, video};

/// How to reach the gateway; every option also has an environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct GatewayArgs {
    /// Base URL of the gateway (default: the catalog's, or VTRIX_BASE_URL / VERTEXKEY_BASE_URL).
    #[arg(long, global = true)]
    pub base_url: Option<String>,
    /// API key (default: VTRIX_API_KEY or VERTEXKEY_API_KEY).
    #[arg(long, global = true, hide_env_values = true)]
    pub api_key: Option<String>,
    /// Retries after a failed attempt (0 disables them).
    #[arg(long, global = true)]
    pub max_retries: Option<u32>,
    /// Seconds allowed per request: for a streamed answer, to its first byte, between
    /// two events with data, and for the whole stream (above 0, at most a day; default
    /// 600, a whole stream 3600).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = crate::parse_timeout)]
    pub timeout: Option<Duration>,
    /// The gateway, for a model the catalog does not know.
    #[arg(long, global = true, value_parser = crate::parse_provider)]
    pub provider: Option<Provider>,
    /// Answer from the built-in emulator instead of the gateway (the default when
    /// neither a key nor a base URL is set). MODELGATE_OFFLINE takes 1/0, true/false,
    /// yes/no or on/off.
    #[arg(long, global = true, env = "MODELGATE_OFFLINE",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub offline: bool,
}

/// `modelgate chat`.
#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// The model, e.g. `aws/claude-sonnet-4-6` or `vtrix-deepseek-r1` (with --body: the
    /// body's `model`).
    #[arg(long, required_unless_present = "body")]
    pub model: Option<String>,
    /// A system message.
    #[arg(long, conflicts_with = "body")]
    pub system: Option<String>,
    /// Maximum tokens to generate.
    #[arg(long, conflicts_with = "body")]
    pub max_tokens: Option<i64>,
    /// Send this JSON request body (a file, or `-` for standard input) as it is: a
    /// tool-calling loop, say. Its `stream` decides whether the answer streams.
    #[arg(long, value_name = "FILE", conflicts_with = "prompt")]
    pub body: Option<PathBuf>,
    /// Wait for the whole answer instead of printing tokens as they arrive.
    #[arg(long)]
    pub no_stream: bool,
    /// Print the response as JSON (one chunk a line when streaming).
    #[arg(long)]
    pub json: bool,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// The prompt.
    #[arg(required_unless_present = "body")]
    pub prompt: Option<String>,
}

/// `modelgate image`.
#[derive(Debug, clap::Args)]
pub struct ImageArgs {
    /// An image model, e.g. `enterprise/gemini-3.1-flash-image-preview-2k`.
    #[arg(long)]
    pub model: String,
    /// Edit this image (a file, sent as base64, or a URL) instead of generating one.
    #[arg(long, value_name = "FILE|URL")]
    pub image: Option<String>,
    /// Where to write the image.
    #[arg(long)]
    pub out: PathBuf,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// What to draw (or how to edit).
    pub prompt: String,
}

/// `modelgate video`.
#[derive(Debug, clap::Args)]
pub struct VideoArgs {
    /// A video model: `enterprise/seedance-1-5-pro` (VertexKey) or a Vtrix media model
    /// such as `minimax_hailuo_23_i2v`.
    #[arg(long)]
    pub model: String,
    /// The first frame (a file, sent as base64, or a URL), for image-to-video models.
    #[arg(long, value_name = "FILE|URL")]
    pub image: Option<String>,
    /// Download the finished video here (else its URL is printed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seconds between polls (default: the gateway's advice, 10 s VertexKey, 5 s Vtrix;
    /// above 0, at most an hour).
    #[arg(long, value_name = "SECONDS", value_parser = crate::parse_interval)]
    pub interval: Option<Duration>,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// What to film.
    pub prompt: String,
}
