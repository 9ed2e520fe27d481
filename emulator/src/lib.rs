//! `modelgate-emulator`: a local emulator of the Vtrix and VertexKey gateways, for testing
//! programs without a network, a key or a bill. It serves both gateways' documented paths,
//! checks every request with the same generated validators as the modelgate client
//! (answering 400 with every violation), answers deterministically (the same request gets
//! the same answer) in the spec's response shapes, streams real server-sent events, runs
//! video and media jobs through their lifecycle, and injects faults on request
//! (`x-modelgate-fault: 429|500|503|timeout|drop-stream-after=N`) or at configured rates.
//! No client makes it hang or grow without bound, and honest load is never refused for a
//! small count: connections are bounded by the open-file limit (idle kept-alive ones give
//! way to waiting clients), request time and size are limited, and request bodies and
//! answers share one memory budget ([`Limits`], and the caps in the README's "Emulator
//! limits").
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use modelgate_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::new(EmulatorConfig::default());
//! let addr = emulator.spawn_local().await?;
//! // VertexKey at http://{addr}/v1, Vtrix at http://{addr}
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
// Handlers return `Result<_, axum::response::Response>`, axum's idiom for early
// rejections; the large error variant costs one move per rejected request.
#![allow(clippy::result_large_err)]

mod anthropic;
mod budget;
mod chat;
pub mod config;
pub mod connections;
mod content;
mod images;
mod jobs;
mod server;

pub use config::{EmulatorConfig, FaultRates, Limits, ListFault, ListedModel, ModelList};
pub use server::Emulator;
