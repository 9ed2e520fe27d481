//! What the runtime knows of a call ([`Operation`]): its name, method and path, the
//! catalog endpoint its body is checked against, and whether the gateway bills it on
//! submit.

use reqwest::Method;

use crate::Endpoint;
use crate::error::Error;

/// What the runtime needs to know about a call.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// The operation's name (the OpenAPI operationId, snake case).
    pub name: &'static str,
    pub method: Method,
    /// Below the base URL.
    pub path: String,
    /// The endpoint whose constraints the body must meet, if any.
    pub endpoint: Option<Endpoint>,
    /// Whether the call starts billed work (see [`crate::retry`]).
    pub paid: bool,
    /// Whether the answer is a stream (no total timeout then).
    pub stream: bool,
    /// Whether the body's top-level `stream` member is the call's to set: `true` for a
    /// streamed call, `false` otherwise (chat completions and messages, where the method
    /// says whether the answer streams).
    pub sets_stream: bool,
    /// Headers this operation adds (e.g. `anthropic-version`).
    pub headers: &'static [(&'static str, &'static str)],
}

impl Operation {
    /// The gateway's operation `api` (from its OpenAPI document, generated in
    /// `modelgate_api::<provider>::operations`), its path parameters filled from `args` in
    /// order. Not on a catalog endpoint: no body check, never billed on submit.
    pub fn call(api: &modelgate_api::Operation, args: &[&str]) -> Result<Self, Error> {
        let path = api.path_with(args).ok_or_else(|| {
            Error::Config(format!(
                "operation {} ({} {}) takes other path parameters than the {} given",
                api.name,
                api.method,
                api.path,
                args.len()
            ))
        })?;
        Ok(Operation {
            name: api.name,
            method: method(api.method),
            path,
            endpoint: None,
            paid: false,
            stream: false,
            sets_stream: false,
            headers: &[],
        })
    }

    /// The operation of a catalog endpoint: its method and path from the OpenAPI
    /// document (as the catalog recorded them), its constraints for validation, and
    /// whether the catalog says the gateway bills it on submit.
    pub fn endpoint(endpoint: Endpoint) -> Self {
        let info = endpoint.info();
        let name = modelgate_api::operations(info.provider.info().key)
            .iter()
            .find(|op| op.id == info.operation_id)
            .map_or(info.operation_id, |op| op.name);
        Operation {
            name,
            method: method(info.method),
            path: info.path.to_string(),
            endpoint: Some(endpoint),
            paid: is_paid(endpoint),
            stream: false,
            sets_stream: false,
            headers: &[],
        }
    }

    pub fn stream(mut self) -> Self {
        self.stream = true;
        self
    }

    /// The body's `stream` member follows the call ([`Operation::sets_stream`]).
    pub fn sets_stream(mut self) -> Self {
        self.sets_stream = true;
        self
    }

    pub fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Self {
        self.headers = headers;
        self
    }
}

/// The method an OpenAPI document names (upper case; anything else as given).
fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::POST)
}

/// Whether a request to `endpoint` starts billed work: a catalog fact with its source
/// (`billed_on_submit` in spec/models/), for the generated clients and the hand-written
/// ones alike.
pub(super) fn is_paid(endpoint: Endpoint) -> bool {
    endpoint.info().billed_on_submit.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_operations_come_from_the_catalog_with_their_source() {
        use crate::Provider::{VertexKey, Vtrix};
        for (provider, op, document) in [
            (VertexKey, "create_image", "seed-004"),
            (VertexKey, "editImage", "seed-004"),
            (VertexKey, "create_video", "seed-004"),
            (Vtrix, "create_generation", "public-facts"),
        ] {
            let endpoint = Endpoint::by_operation(provider, op).expect(op);
            assert_eq!(
                endpoint.info().billed_on_submit.map(|s| s.document),
                Some(document),
                "{op}"
            );
            assert!(Operation::endpoint(endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (Vtrix, "create_chat_completion"),
            (VertexKey, "createChatCompletion"),
            (VertexKey, "create_message"),
        ] {
            let endpoint = Endpoint::by_operation(provider, op).expect(op);
            assert!(!is_paid(endpoint), "{op}");
            assert!(!Operation::endpoint(endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (VertexKey, "list_models"),
            (VertexKey, "get_video"),
            (Vtrix, "get_generation_task"),
            (Vtrix, "create_image"),
        ] {
            assert_eq!(Endpoint::by_operation(provider, op), None, "{op}");
        }
        let get_video = Operation::call(&modelgate_api::vertexkey::operations::GET_VIDEO, &["v1"]);
        assert!(!get_video.unwrap().paid);
    }
}
