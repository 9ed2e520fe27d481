//! How a generated client sends: through a [`Transport`], the clients' inner value, which
//! hands every request to the [`Hooks`] it was made with (modelgate's runtime supplies
//! authentication, timeouts, retries and tracing this way).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{Request, Response};

/// The future [`Hooks::send`] returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = reqwest::Result<Response>> + Send + 'a>>;

/// What happens around every operation of a generated client.
pub trait Hooks: fmt::Debug + Send + Sync + 'static {
    /// Prepares a request before it is sent (headers, timeout). An error stops the call
    /// before anything is sent; its text becomes the call's error.
    fn prepare(&self, request: &mut Request) -> Result<(), String>;

    /// Sends a prepared request for the operation `operation_id` (its OpenAPI
    /// `operationId`).
    fn send(&self, request: Request, operation_id: &'static str) -> SendFuture<'_>;
}

/// The generated clients' inner value: the [`Hooks`] they send through, shared.
#[derive(Clone)]
pub struct Transport(Arc<dyn Hooks>);

impl Transport {
    /// A transport sending through `hooks`.
    pub fn new(hooks: impl Hooks) -> Self {
        Transport(Arc::new(hooks))
    }

    /// The hooks.
    pub fn hooks(&self) -> &dyn Hooks {
        &*self.0
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Transport").field(&self.0).finish()
    }
}

/// The generated clients call these around every operation (an impl for `Client` takes
/// precedence over the generated one for `&Client`).
macro_rules! transport_hooks {
    ($client:ty) => {
        impl ClientHooks<Transport> for $client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                _info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                // progenitor sends the document's version; the gateways do not want it.
                request.headers_mut().remove("api-version");
                self.inner()
                    .hooks()
                    .prepare(request)
                    .map_err(progenitor_client::Error::Custom)
            }

            async fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> reqwest::Result<Response> {
                self.inner().hooks().send(request, info.operation_id).await
            }
        }
    };
}

transport_hooks!(crate::vtrix::Client);
transport_hooks!(crate::vertexkey::Client);
