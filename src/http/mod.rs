//! All HTTP in one place: the [`Runtime`] every gateway client shares (one reqwest client,
//! its configuration), the retry loop, validation before sending, error decoding, and the
//! hooks that give the generated progenitor clients the same behaviour (no `api-version`
//! header, authentication, retries, tracing).

mod calls;
mod clients;
mod decode;
mod operation;
mod send;
mod url;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;

use crate::Provider;
use crate::config::Config;
use crate::error::Error;

pub use decode::{MAX_DOWNLOAD, MAX_ERROR_BODY, MAX_RESPONSE_BODY};
pub use url::public_url;

pub(crate) use calls::later;
pub(crate) use clients::gateway_client;
pub(crate) use decode::{decode_error, decode_value, error_fields};
pub(crate) use operation::Operation;
pub(crate) use send::error_chain;

use url::same_origin_redirects;

/// The shared part of every gateway client: configuration and connection pool.
/// Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Runtime {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    /// For the gateway: refuses redirects to another origin.
    http: reqwest::Client,
    /// For media downloads, which carry no credentials: follows redirects (up to 10).
    downloads: reqwest::Client,
}

impl Runtime {
    /// A runtime for `config`, which must be for `provider` (each gateway client calls
    /// this, so that a client and its configuration cannot disagree).
    pub fn for_provider(config: Config, provider: Provider) -> Result<Self, Error> {
        if config.provider() != provider {
            let name = |p: Provider| p.info().name;
            return Err(Error::Config(format!(
                "a {} client needs a {} configuration, not one for {}",
                name(provider),
                name(provider),
                name(config.provider())
            )));
        }
        Runtime::new(config)
    }

    /// A runtime for `config`. Fails only if the TLS backend cannot start.
    ///
    /// Requests to the gateway follow a redirect only within the same origin (scheme,
    /// host and port); a redirect to another origin is refused with an error, so that the
    /// key and the configured headers never reach another host.
    pub fn new(config: Config) -> Result<Self, Error> {
        let build = |policy| {
            reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .redirect(policy)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))
        };
        let http = build(same_origin_redirects())?;
        let downloads = build(reqwest::redirect::Policy::limited(10))?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                config,
                http,
                downloads,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The underlying reqwest client (connect timeout set, no total timeout: each request
    /// sets its own).
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.config.base_url)
    }

    /// The time a streamed request's response headers must arrive within, per attempt.
    fn headers_within(&self, op: &Operation) -> Option<Duration> {
        op.stream.then_some(self.inner.config.request_timeout)
    }

    /// Adds authentication, the user agent and the configured headers.
    fn authorize(&self, headers: &mut HeaderMap) -> Result<(), Error> {
        let config = &self.inner.config;
        let key = config.api_key.as_ref().ok_or_else(|| {
            Error::Config(format!(
                "no API key for {}: set {} or pass one to the client",
                config.provider.info().name,
                Config::api_key_variable(config.provider)
            ))
        })?;
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", key.expose_secret())).map_err(|_| {
                Error::Config("the API key holds characters not allowed in a header".into())
            })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        if let Ok(agent) = HeaderValue::from_str(&config.user_agent) {
            headers.insert(USER_AGENT, agent);
        }
        for (name, value) in &config.headers {
            headers.insert(name, value.clone());
        }
        Ok(())
    }
}
