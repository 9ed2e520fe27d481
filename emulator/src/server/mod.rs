//! The server: routes for both gateways' documented paths, and what every request goes
//! through before its handler: authentication (401, 403 without balance), injected faults
//! (by the `x-modelgate-fault` header or by configured rates), and validation with the
//! catalog's generated validators (400 with every violation). Media are served from
//! `/files/...`, regenerated from their names, so memory stays bounded.
//!
//! Connections are served by `connections` within the config's
//! [`Limits`](crate::config::Limits). Before a handler reads a body ([`guard`]) the key is
//! checked, an oversized `Content-Length` refused, the body given its time limits and its
//! bytes taken from the memory budget (`budget`), which also holds each whole answer
//! until it is written.

mod admit;
mod faults;
mod handlers;
mod intake;
mod respond;
mod warnings;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use modelgate::validate::Declarations;
use modelgate::{Policy, Validator};

use crate::budget::MemoryBudget;
use crate::config::EmulatorConfig;
use crate::connections;
use crate::{anthropic, chat, images, jobs};

pub(crate) use admit::{Admitted, admit};
pub(crate) use respond::{Shape, error, json_response, paced, sse_response};

use faults::FaultCounts;
use handlers::{files, models, not_found};
use intake::guard;
use respond::{gateway_errors, log_line};
use warnings::warning_header;

/// The `created` time every answer carries (fixed, so that answers repeat exactly).
pub(crate) const CREATED: u64 = 1_763_683_200;

/// The emulator's shared state.
pub struct AppState {
    pub(crate) config: EmulatorConfig,
    /// The validator of request bodies: the levels of `config.policy`, the models of
    /// `config.declared_models`.
    validator: Validator,
    /// The declared models.
    pub(crate) declared: Declarations,
    pub(crate) jobs: Mutex<jobs::Jobs>,
    requests: AtomicU64,
    /// Faults already served per (request body, fault spec), for `count=N` faults.
    fault_counts: Mutex<FaultCounts>,
    /// The bytes request bodies and whole answers may hold at once.
    budget: MemoryBudget,
}

/// A configured emulator; [`Emulator::router`] gives the axum router, [`Emulator::serve`]
/// runs it.
#[derive(Clone)]
pub struct Emulator {
    state: Arc<AppState>,
}

impl Emulator {
    /// An emulator with `config`. A policy that does not parse (see
    /// [`EmulatorConfig::from_yaml`], which refuses it with its line) falls back to the
    /// default levels, with a logged error that says which rule and why.
    pub fn new(config: EmulatorConfig) -> Self {
        let jobs = jobs::Jobs::new(config.max_jobs);
        let policy = config.policy.policy().unwrap_or_else(|(pointer, message)| {
            tracing::error!(
                pointer,
                "the emulator's policy is not valid ({message}); using the default levels"
            );
            Policy::default()
        });
        let declared =
            Declarations::resolve(config.declared_models.clone()).unwrap_or_else(|errors| {
                for e in errors {
                    tracing::error!("the emulator's declared model is not valid ({e}); left out");
                }
                Declarations::default()
            });
        let validator = Validator::new().policy(policy).declare(&declared);
        let budget = MemoryBudget::new(config.limits.memory_budget_bytes);
        Emulator {
            state: Arc::new(AppState {
                config,
                validator,
                declared,
                jobs: Mutex::new(jobs),
                requests: AtomicU64::new(0),
                fault_counts: Mutex::default(),
                budget,
            }),
        }
    }

    /// The routes: Vtrix at the root, VertexKey under `/v1` (and its alias `/api/v1`).
    pub fn router(&self) -> Router {
        let vertexkey = Router::new()
            .route("/chat/completions", post(chat::vertexkey))
            .route("/messages", post(anthropic::messages))
            .route("/models", get(models))
            .route("/images/generations", post(images::generations))
            .route("/images/edits", post(images::edits))
            .route("/videos", post(jobs::create_video))
            .route("/videos/{id}", get(jobs::get_video));
        let gateway = Router::new()
            .route("/llm/chat/completions", post(chat::vtrix))
            .route("/model/v1/generation", post(jobs::submit_media))
            .route("/model/v1/generation/task/{id}", get(jobs::get_media))
            .nest("/v1", vertexkey.clone())
            .nest("/api/v1", vertexkey)
            // Runs before the handlers' extractors: nothing of the body is read before.
            .route_layer(middleware::from_fn_with_state(self.state.clone(), guard));
        Router::new()
            .merge(gateway)
            .route("/files/{name}", get(files))
            .fallback(not_found)
            .layer(axum::extract::DefaultBodyLimit::max(
                self.state.config.limits.max_body_bytes,
            ))
            .layer(middleware::from_fn(warning_header))
            .layer(middleware::from_fn(gateway_errors))
            .layer(middleware::from_fn(log_line))
            .with_state(self.state.clone())
    }

    /// Serves on `listener` until `shutdown` completes, within the configured
    /// [`Limits`](crate::config::Limits): see the `connections` module for what a client
    /// may hold (slots, idle connections given up for waiting clients, header timeout,
    /// buffers) and how shutdown lets open requests finish.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        connections::serve(self.router(), &self.state.config.limits, listener, shutdown).await
    }

    /// Starts on 127.0.0.1 with an ephemeral port, in the background; returns its address.
    /// For tests and for the CLI's offline mode.
    pub async fn spawn_local(&self) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let emulator = self.clone();
        tokio::spawn(async move {
            let _ = emulator.serve(listener, std::future::pending()).await;
        });
        Ok(addr)
    }
}
