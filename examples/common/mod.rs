//! What every example shares: clients pointed at the local emulator unless the
//! environment says otherwise.
//!
//! Start the emulator first (`cargo run -p modelgate-cli -- serve`), then run an example
//! (`cargo run --example chat`). `MODELGATE_EMULATOR` changes the emulator's address
//! (default `http://127.0.0.1:8080`). To call the real gateways instead, set
//! `VERTEXKEY_BASE_URL` / `VTRIX_BASE_URL` and the keys `VERTEXKEY_API_KEY` /
//! `VTRIX_API_KEY`.

#![allow(dead_code)] // each example uses part of this

use modelgate::{Config, Provider, VertexKeyClient, VtrixClient};

/// The emulator's address.
pub fn emulator() -> String {
    std::env::var("MODELGATE_EMULATOR")
        .unwrap_or_else(|_| "http://127.0.0.1:8080".to_string())
        .trim_end_matches('/')
        .to_string()
}

/// The configuration for `provider`: the environment's, else the emulator.
pub fn config(provider: Provider) -> Config {
    let base_variable = format!("{}_BASE_URL", provider.info().key.to_uppercase());
    let mut config = Config::from_env(provider);
    if std::env::var_os(&base_variable).is_none() {
        let base = match provider {
            Provider::VertexKey => format!("{}/v1", emulator()),
            Provider::Vtrix => emulator(),
        };
        config = config.base_url(base);
        if !config.has_api_key() {
            config = config.api_key("modelgate-local");
        }
    }
    config
}

/// A VertexKey client (chat, messages, images, videos, models).
pub fn vertexkey() -> Result<VertexKeyClient, modelgate::Error> {
    VertexKeyClient::new(config(Provider::VertexKey))
}

/// A Vtrix client (chat, media tasks).
pub fn vtrix() -> Result<VtrixClient, modelgate::Error> {
    VtrixClient::new(config(Provider::Vtrix))
}
