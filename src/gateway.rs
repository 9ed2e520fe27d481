//! Code that serves both gateways: [`GatewayClient`] is the client of whichever gateway a
//! [`Config`] names, with what the two have in common (the OpenAI-format chat
//! completions); what only one has stays on [`VtrixClient`] and [`VertexKeyClient`],
//! which the enum holds.
//!
//! ```no_run
//! use modelgate::gateway::GatewayClient;
//! use modelgate::chat::{request, user};
//! use modelgate::{Config, Provider};
//!
//! async fn ask(provider: Provider, model: &str) -> Result<String, modelgate::Error> {
//!     // VTRIX_API_KEY or VERTEXKEY_API_KEY, as the provider says.
//!     let client = GatewayClient::new(Config::from_env(provider))?;
//!     let answer = client.chat().create(&request(model, vec![user("Hello!")])).await?;
//!     Ok(answer.text().unwrap_or_default().to_string())
//! }
//! ```

use crate::chat::Chat;
use crate::http::Runtime;
use crate::{Config, Error, Provider, VertexKeyClient, VtrixClient};

/// The client of one gateway, either of them: chat completions without a branch on the
/// provider, and the gateway's own client when only one has a call.
#[derive(Clone, Debug)]
pub enum GatewayClient {
    /// Vtrix.
    Vtrix(VtrixClient),
    /// VertexKey.
    VertexKey(VertexKeyClient),
}

impl GatewayClient {
    /// The client of the gateway `config` is for.
    pub fn new(config: Config) -> Result<Self, Error> {
        match config.provider() {
            Provider::Vtrix => VtrixClient::new(config).map(GatewayClient::Vtrix),
            Provider::VertexKey => VertexKeyClient::new(config).map(GatewayClient::VertexKey),
        }
    }

    /// The client of `provider`, configured from its environment variables
    /// (`VTRIX_API_KEY`, `VERTEXKEY_API_KEY` and their `_BASE_URL`).
    pub fn from_env(provider: Provider) -> Result<Self, Error> {
        Self::new(Config::from_env(provider))
    }

    /// The gateway it talks to.
    pub fn provider(&self) -> Provider {
        self.runtime().provider()
    }

    /// Chat completions in the OpenAI format, on the gateway's endpoint for them.
    pub fn chat(&self) -> Chat<'_> {
        match self {
            GatewayClient::Vtrix(c) => c.chat(),
            GatewayClient::VertexKey(c) => c.chat(),
        }
    }

    /// The shared runtime.
    pub fn runtime(&self) -> &Runtime {
        match self {
            GatewayClient::Vtrix(c) => c.runtime(),
            GatewayClient::VertexKey(c) => c.runtime(),
        }
    }
}

impl From<VtrixClient> for GatewayClient {
    fn from(client: VtrixClient) -> Self {
        GatewayClient::Vtrix(client)
    }
}

impl From<VertexKeyClient> for GatewayClient {
    fn from(client: VertexKeyClient) -> Self {
        GatewayClient::VertexKey(client)
    }
}
