//! The clients on the runtime: the [`Hooks`] that give the generated progenitor clients
//! the runtime's behaviour (authentication, timeouts, retries, tracing), the macro that
//! declares both gateway clients, and a runtime's generated clients.

use modelgate_api::{Hooks, SendFuture, Transport};
use reqwest::Request;

use super::Runtime;
use super::operation::is_paid;
use crate::{Endpoint, Provider};

/// The generated clients send through the runtime (`modelgate-api` removes the
/// `api-version` header progenitor adds; the gateways do not want it).
impl Hooks for Runtime {
    fn prepare(&self, request: &mut Request) -> Result<(), String> {
        self.authorize(request.headers_mut())
            .map_err(|e| e.to_string())?;
        if request.timeout().is_none() {
            *request.timeout_mut() = Some(self.config().request_timeout);
        }
        Ok(())
    }

    fn send(&self, request: Request, operation_id: &'static str) -> SendFuture<'_> {
        let paid = Endpoint::by_operation(self.provider(), operation_id).is_some_and(is_paid);
        Box::pin(self.execute(request, operation_id, paid))
    }
}

/// Declares a gateway client: a struct around a [`Runtime`] for one provider, with
/// `new`, `from_env`, `runtime` and `generated`. Both clients are made here, so that they
/// are constructed one way (through [`Runtime::for_provider`]).
macro_rules! gateway_client {
    ($(#[$meta:meta])* $name:ident, $provider:ident, $env:literal, $generated:ident, $runtime_fn:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            runtime: $crate::http::Runtime,
        }

        impl $name {
            #[doc = concat!("A client with this configuration (which must be for ", stringify!($provider), ").")]
            pub fn new(config: $crate::config::Config) -> Result<Self, $crate::error::Error> {
                Ok($name {
                    runtime: $crate::http::Runtime::for_provider(config, $crate::Provider::$provider)?,
                })
            }

            #[doc = concat!("A client configured from `", $env, "_API_KEY` (and `", $env, "_BASE_URL`).")]
            pub fn from_env() -> Result<Self, $crate::error::Error> {
                Self::new($crate::config::Config::from_env($crate::Provider::$provider))
            }

            /// The shared runtime.
            pub fn runtime(&self) -> &$crate::http::Runtime {
                &self.runtime
            }

            /// The generated progenitor client, on the same runtime.
            pub fn generated(&self) -> $crate::generated::$generated::Client {
                self.runtime.$runtime_fn()
            }
        }
    };
}
pub(crate) use gateway_client;

impl Runtime {
    /// The generated progenitor client of this runtime's gateway, on the same connection
    /// pool and hooks.
    pub fn vtrix_client(&self) -> crate::generated::vtrix::Client {
        crate::generated::vtrix::Client::new_with_client(
            &self.inner.config.base_url,
            self.inner.http.clone(),
            Transport::new(self.clone()),
        )
    }

    /// See [`Runtime::vtrix_client`].
    pub fn vertexkey_client(&self) -> crate::generated::vertexkey::Client {
        crate::generated::vertexkey::Client::new_with_client(
            &self.inner.config.base_url,
            self.inner.http.clone(),
            Transport::new(self.clone()),
        )
    }

    /// The gateway this runtime talks to.
    pub fn provider(&self) -> Provider {
        self.inner.config.provider
    }
}
