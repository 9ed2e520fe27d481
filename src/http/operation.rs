//! What the runtime knows of a call ([`Operation`]): its name, method and path, the
//! catalog endpoint its body is checked against, and whether the gateway bills it on
//! submit.

use reqwest::Method;

use crate::Endpoint;

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
    /// An operation by its name (the OpenAPI operationId), method and path. Only an
    /// operation on a catalog endpoint can be billed on submit ([`Operation::endpoint`]).
    fn new(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Operation {
            name,
            method,
            path: path.into(),
            endpoint: None,
            paid: false,
            stream: false,
            sets_stream: false,
            headers: &[],
        }
    }

    pub fn post(name: &'static str, path: impl Into<String>) -> Self {
        Operation::new(name, Method::POST, path)
    }

    pub fn get(name: &'static str, path: impl Into<String>) -> Self {
        Operation::new(name, Method::GET, path)
    }

    /// An operation on a catalog endpoint: its path, its constraints for validation, and
    /// whether the catalog says the gateway bills it on submit.
    pub fn endpoint(name: &'static str, endpoint: Endpoint) -> Self {
        Operation {
            endpoint: Some(endpoint),
            paid: is_paid(endpoint),
            ..Operation::post(name, endpoint.info().path)
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
            assert!(Operation::endpoint("x", endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (Vtrix, "create_chat_completion"),
            (VertexKey, "createChatCompletion"),
            (VertexKey, "create_message"),
        ] {
            let endpoint = Endpoint::by_operation(provider, op).expect(op);
            assert!(!is_paid(endpoint), "{op}");
            assert!(!Operation::endpoint("x", endpoint).paid, "{op}");
        }
        for (provider, op) in [
            (VertexKey, "list_models"),
            (VertexKey, "get_video"),
            (Vtrix, "get_generation_task"),
            (Vtrix, "create_image"),
        ] {
            assert_eq!(Endpoint::by_operation(provider, op), None, "{op}");
        }
        assert!(!Operation::get("get_video", "/").paid);
    }
}
