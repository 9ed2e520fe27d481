//! The clients on the runtime: the hooks that give the generated progenitor clients the
//! runtime's behaviour (no `api-version` header, authentication, retries, tracing), the
//! macro that declares both gateway clients, and a runtime's generated clients.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{Request, Response};

use super::Runtime;
use super::operation::is_paid;
use crate::{Endpoint, Provider};

/// The generated clients run on the runtime: progenitor calls these hooks around every
/// operation (an impl for `Client` takes precedence over the generated one for `&Client`).
macro_rules! runtime_hooks {
    ($client:ty) => {
        impl ClientHooks<Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                _info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                // progenitor sends the document's version; the gateways do not want it.
                request.headers_mut().remove("api-version");
                self.inner()
                    .authorize(request.headers_mut())
                    .map_err(|e| progenitor_client::Error::Custom(e.to_string()))?;
                if request.timeout().is_none() {
                    *request.timeout_mut() = Some(self.inner().config().request_timeout);
                }
                Ok(())
            }

            async fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> reqwest::Result<Response> {
                self.inner()
                    .execute(
                        request,
                        info.operation_id,
                        Endpoint::by_operation(self.inner().provider(), info.operation_id)
                            .is_some_and(is_paid),
                    )
                    .await
            }
        }
    };
}

runtime_hooks!(crate::generated::vtrix::Client);
runtime_hooks!(crate::generated::vertexkey::Client);

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
            self.clone(),
        )
    }

    /// See [`Runtime::vtrix_client`].
    pub fn vertexkey_client(&self) -> crate::generated::vertexkey::Client {
        crate::generated::vertexkey::Client::new_with_client(
            &self.inner.config.base_url,
            self.inner.http.clone(),
            self.clone(),
        )
    }

    /// The gateway this runtime talks to.
    pub fn provider(&self) -> Provider {
        self.inner.config.provider
    }
}
