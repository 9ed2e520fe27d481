//! Client configuration: base URL, API key, extra headers, user agent, timeouts, retries,
//! validation and its policy, per gateway. The key is a [`SecretString`]: it never appears in
//! `Debug` output, logs or errors.
//!
//! ```
//! use modelgate::config::Config;
//! use modelgate::Provider;
//!
//! let config = Config::new(Provider::VertexKey)
//!     .api_key("vai-not-a-real-key")
//!     .base_url("http://127.0.0.1:8080/v1")
//!     .max_retries(0);
//! assert!(!format!("{config:?}").contains("vai-not-a-real-key"));
//! ```

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::SecretString;

use crate::Provider;
use crate::validate::Policy;

/// How a gateway client connects and behaves. Defaults follow the official OpenAI and
/// Anthropic SDKs (public-facts section 5).
///
/// ```
/// use std::time::Duration;
/// use modelgate::{Config, Policy, Provider, VtrixClient};
///
/// let config = Config::new(Provider::Vtrix)
///     .api_key("sk-not-a-real-key")
///     .base_url("http://127.0.0.1:8080")      // a local `modelgate serve`
///     .request_timeout(Duration::from_secs(30))
///     .max_retries(0)
///     .policy(Policy::strict());               // refuse what the docs do not cover
/// let client = VtrixClient::new(config)?;
/// # let _ = client;
/// // A configuration for the other gateway is refused, naming both.
/// assert!(modelgate::VertexKeyClient::new(Config::new(Provider::Vtrix)).is_err());
/// # Ok::<(), modelgate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) provider: Provider,
    pub(crate) base_url: String,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) headers: HeaderMap,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) stream_idle_timeout: Duration,
    pub(crate) stream_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) validate: bool,
    pub(crate) policy: Arc<Policy>,
    pub(crate) declared: crate::validate::Declarations,
}

impl Config {
    /// The defaults for a gateway: its catalog base URL, no key, 5 s to connect, 600 s
    /// per request (for a stream: to its response headers), 600 s allowed between two
    /// stream events with data, one hour for a whole stream, 2 retries, validation on.
    pub fn new(provider: Provider) -> Self {
        Config {
            provider,
            base_url: provider.info().base_url.to_string(),
            api_key: None,
            headers: HeaderMap::new(),
            user_agent: format!("modelgate/{}", env!("CARGO_PKG_VERSION")),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(600),
            stream_idle_timeout: Duration::from_secs(600),
            stream_timeout: Duration::from_secs(3600),
            max_retries: 2,
            validate: true,
            policy: Arc::new(Policy::default()),
            declared: crate::validate::Declarations::default(),
        }
    }

    /// [`Config::new`] with the key from the gateway's environment variable
    /// (`VTRIX_API_KEY`, `VERTEXKEY_API_KEY`) and the base URL from
    /// `VTRIX_BASE_URL` / `VERTEXKEY_BASE_URL` when set.
    pub fn from_env(provider: Provider) -> Self {
        let prefix = provider.info().key.to_uppercase();
        let mut config = Config::new(provider);
        if let Ok(key) = std::env::var(format!("{prefix}_API_KEY")) {
            config = config.api_key(key);
        }
        if let Ok(url) = std::env::var(format!("{prefix}_BASE_URL")) {
            config = config.base_url(url);
        }
        config
    }

    /// The name of the environment variable that holds the gateway's key.
    pub fn api_key_variable(provider: Provider) -> String {
        format!("{}_API_KEY", provider.info().key.to_uppercase())
    }

    /// The API key, sent as `Authorization: Bearer ...`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// Another base URL (a proxy, the local emulator, an alias such as VertexKey's
    /// `/api/v1`). A trailing `/` is dropped.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// A header sent with every request. Its value is marked sensitive, so that it is
    /// not printed by `Debug` either.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.headers.insert(name, value);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request and response, per attempt. For a streamed call,
    /// the time allowed until the response headers arrive (per attempt), and to read the
    /// body of an error answer; the stream itself is bounded by
    /// [`Config::stream_idle_timeout`] and [`Config::stream_timeout`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Longest wait in a stream for the next event that carries data. Only such events
    /// reset it: SSE comments (`: keep-alive`), events without data and bytes of an
    /// unfinished line do not, so a server cannot keep a stream open by sending them.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// The overall deadline of a streamed call, from sending the request (retries
    /// included) to the last event. Default: one hour.
    pub fn stream_timeout(mut self, timeout: Duration) -> Self {
        self.stream_timeout = timeout;
        self
    }

    /// Retries after the first attempt (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Whether requests are checked against the catalog before sending.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// The levels validation gives its findings (default: each code's default level, as
    /// `modelgate validate` without a config file). Only errors stop a request; warnings
    /// are logged through `tracing`. [`Policy::strict`] refuses anything the gateway's
    /// docs do not cover.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = Arc::new(policy);
        self
    }

    /// Models the catalog lacks (or bundled ones changed) that requests are checked by,
    /// as `modelgate.toml`'s `[[models]]` declare them (see
    /// [`Declarations`](crate::validate::Declarations)).
    pub fn declare(mut self, declared: &crate::validate::Declarations) -> Self {
        self.declared = declared.clone();
        self
    }

    /// The gateway.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// Whether a key is set (the key itself is never shown).
    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }

    /// The base URL requests go to.
    pub fn base_url_str(&self) -> &str {
        &self.base_url
    }
}
