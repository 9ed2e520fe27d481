//! The gateway clients against a real HTTP server on 127.0.0.1: typed errors for every
//! status, the retry rules, validation before sending, timeouts, streams (one byte at a
//! time included), job polling, and that the API key never shows.

mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use modelgate::chat::ChatCompletionRequest;
use modelgate::media::{JobState, WaitOptions};
use modelgate::vertexkey::{VideoCreateRequest, image_request};
use modelgate::{ApiErrorKind, Error, VertexKeyClient, VtrixClient};
use support::{Answer, COMPLETION, KEY, Server, chat_request, vertexkey, vtrix};

fn client(server: &Server) -> VertexKeyClient {
    VertexKeyClient::new(vertexkey(server)).unwrap()
}

#[tokio::test]
async fn a_completion_is_sent_with_auth_and_without_api_version() {
    let server = Server::start(vec![Answer::json(200, COMPLETION)]).await;
    let answer = client(&server)
        .chat()
        .create(&chat_request("aws/claude-haiku-4-5"))
        .await
        .unwrap();
    let choice = &answer.choices.as_ref().unwrap()[0];
    assert_eq!(
        choice.message.as_ref().unwrap().content.as_deref(),
        Some("Hi!")
    );
    assert_eq!(
        choice.finish_reason,
        Some(modelgate::types::FinishReason::Stop)
    );
    let received = server.received();
    assert_eq!(received[0].path, "/chat/completions");
    assert_eq!(
        received[0].headers["authorization"],
        format!("Bearer {KEY}")
    );
    assert!(received[0].headers.get("api-version").is_none());
    assert!(
        received[0].headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("modelgate/")
    );
}

#[tokio::test]
async fn every_error_status_becomes_its_typed_error() {
    let cases = [
        (400, ApiErrorKind::BadRequest),
        (401, ApiErrorKind::Authentication),
        (403, ApiErrorKind::PermissionDenied),
        (404, ApiErrorKind::NotFound),
        (409, ApiErrorKind::Conflict),
        (422, ApiErrorKind::UnprocessableEntity),
        (429, ApiErrorKind::RateLimited),
        (500, ApiErrorKind::Server),
        (503, ApiErrorKind::Server),
        (418, ApiErrorKind::Other),
    ];
    for (status, kind) in cases {
        let body = format!(
            r#"{{"error": {{"message": "status {status} here", "type": "t{status}", "code": "c{status}"}}}}"#
        );
        let answer = Answer::json(status, &body)
            .header("x-request-id", format!("req-{status}"))
            .header("retry-after-ms", "7");
        let server = Server::start(vec![answer]).await;
        let config = vertexkey(&server).max_retries(0);
        let err = VertexKeyClient::new(config)
            .unwrap()
            .chat()
            .create(&chat_request("aws/glm-5"))
            .await
            .unwrap_err();
        let api = err.api().unwrap_or_else(|| panic!("{status}: {err}"));
        assert_eq!((api.kind, api.status), (kind, status));
        assert_eq!(api.code.as_deref(), Some(format!("c{status}").as_str()));
        assert_eq!(api.message, format!("status {status} here"));
        assert_eq!(
            api.request_id.as_deref(),
            Some(format!("req-{status}").as_str())
        );
        assert_eq!(api.body, body);
        assert_eq!(api.retry_after, Some(Duration::from_millis(7)));
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.is_retryable(), matches!(status, 409 | 429 | 500 | 503));
    }
}

#[tokio::test]
async fn errors_that_are_not_json_keep_their_body() {
    let server = Server::start(vec![Answer {
        status: 502,
        chunks: vec![b"<html>bad gateway</html>".to_vec()],
        ..Default::default()
    }])
    .await;
    let err = VertexKeyClient::new(vertexkey(&server).max_retries(0))
        .unwrap()
        .models()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.message, "<html>bad gateway</html>");
    assert_eq!(api.body, "<html>bad gateway</html>");
    assert_eq!(
        err.to_string(),
        "502 server error: <html>bad gateway</html>"
    );
}

#[tokio::test]
async fn undecodable_answers_keep_a_snippet_and_the_body() {
    let server = Server::start(vec![Answer::json(
        200,
        r#"{"object": "list", "data": "not a list"}"#,
    )])
    .await;
    let err = client(&server).models().await.unwrap_err();
    match err {
        Error::Decode {
            operation,
            status,
            snippet,
            body,
            ..
        } => {
            assert_eq!((operation.as_str(), status), ("list_models", 200));
            assert!(snippet.starts_with(r#"{"object": "list""#));
            assert!(body.contains("not a list"));
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn retries_follow_the_sdk_rules() {
    // Two 5xx then success: three attempts with the default two retries.
    let fast = |status| {
        Answer::json(status, r#"{"error": {"message": "busy"}}"#).header("retry-after-ms", "5")
    };
    let server = Server::start(vec![fast(500), fast(503), Answer::json(200, COMPLETION)]).await;
    client(&server)
        .chat()
        .create(&chat_request("aws/glm-5"))
        .await
        .unwrap();
    assert_eq!(server.hits(), 3);

    // Three failures exhaust two retries.
    let server = Server::start(vec![
        fast(429),
        fast(429),
        fast(429),
        Answer::json(200, COMPLETION),
    ])
    .await;
    let err = client(&server)
        .chat()
        .create(&chat_request("aws/glm-5"))
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().kind, ApiErrorKind::RateLimited);
    assert_eq!(server.hits(), 3);

    // 0 disables retries.
    let server = Server::start(vec![fast(500), Answer::json(200, COMPLETION)]).await;
    let c = VertexKeyClient::new(vertexkey(&server).max_retries(0)).unwrap();
    assert!(c.chat().create(&chat_request("aws/glm-5")).await.is_err());
    assert_eq!(server.hits(), 1);

    // Not retried: 400, or 500 with x-should-retry: false. Retried: 400 with x-should-retry: true.
    let server = Server::start(vec![fast(400), Answer::json(200, COMPLETION)]).await;
    assert!(
        client(&server)
            .chat()
            .create(&chat_request("aws/glm-5"))
            .await
            .is_err()
    );
    assert_eq!(server.hits(), 1);
    let server = Server::start(vec![
        fast(500).header("x-should-retry", "false"),
        Answer::json(200, COMPLETION),
    ])
    .await;
    assert!(
        client(&server)
            .chat()
            .create(&chat_request("aws/glm-5"))
            .await
            .is_err()
    );
    assert_eq!(server.hits(), 1);
    let server = Server::start(vec![
        fast(400).header("x-should-retry", "true"),
        Answer::json(200, COMPLETION),
    ])
    .await;
    assert!(
        client(&server)
            .chat()
            .create(&chat_request("aws/glm-5"))
            .await
            .is_ok()
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn server_delays_are_honoured() {
    let busy = || Answer::json(429, r#"{"error": {"message": "slow down"}}"#);
    type Case = (&'static str, fn() -> String, f64);
    let cases: [Case; 3] = [
        ("retry-after-ms", || "300".into(), 0.3),
        ("retry-after", || "1".into(), 1.0),
        // An HTTP date has whole seconds: "now + 3 s" is 2 to 3 s away.
        (
            "retry-after",
            || httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3)),
            1.9,
        ),
    ];
    for (header, value, at_least) in cases {
        let value = value();
        let server = Server::start(vec![
            busy().header(header, value.clone()),
            Answer::json(200, COMPLETION),
        ])
        .await;
        let started = Instant::now();
        client(&server)
            .chat()
            .create(&chat_request("aws/glm-5"))
            .await
            .unwrap();
        let waited = started.elapsed().as_secs_f64();
        assert!(
            waited >= at_least && waited < at_least + 2.5,
            "{header}: {value} waited {waited}"
        );
        assert_eq!(server.hits(), 2);
    }
}

#[tokio::test]
async fn paid_work_is_not_retried_once_it_may_have_been_received() {
    let image = image_request("enterprise/image-2", "a fox");
    let images = r#"{"created": 1, "data": [{"url": "https://img/1.png"}]}"#;
    // A timeout after sending: one attempt only.
    let server = Server::start(vec![
        Answer::json(200, images).delay(Duration::from_millis(800)),
        Answer::json(200, images),
    ])
    .await;
    let c = VertexKeyClient::new(vertexkey(&server).request_timeout(Duration::from_millis(200)))
        .unwrap();
    let err = c.images().generate(&image).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(server.hits(), 1);
    // A 500 may have started the work: not retried. 429 and 503 refused it: retried.
    let fast = |status| Answer::json(status, "{}").header("retry-after-ms", "5");
    let server = Server::start(vec![fast(500), Answer::json(200, images)]).await;
    assert!(client(&server).images().generate(&image).await.is_err());
    assert_eq!(server.hits(), 1);
    let server = Server::start(vec![fast(429), fast(503), Answer::json(200, images)]).await;
    assert!(client(&server).images().generate(&image).await.is_ok());
    assert_eq!(server.hits(), 3);
    // The same timeout on a chat request is retried.
    let server = Server::start(vec![
        Answer::json(200, COMPLETION).delay(Duration::from_millis(800)),
        Answer::json(200, COMPLETION),
    ])
    .await;
    let c = VertexKeyClient::new(vertexkey(&server).request_timeout(Duration::from_millis(200)))
        .unwrap();
    assert!(c.chat().create(&chat_request("aws/glm-5")).await.is_ok());
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn connection_failures_are_typed() {
    // A port nothing listens on: the connection fails before sending.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let config = modelgate::Config::new(modelgate::Provider::VertexKey)
        .api_key(KEY)
        .base_url(&url)
        .max_retries(1);
    let started = Instant::now();
    let err = VertexKeyClient::new(config)
        .unwrap()
        .models()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Connection { url: u, .. } if u.starts_with(&url)),
        "{err}"
    );
    // One retry after the 0.5 s backoff (less up to 25% jitter).
    assert!(
        started.elapsed() >= Duration::from_millis(370),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_invalid_request_sends_nothing() {
    let server = Server::start(vec![Answer::json(200, COMPLETION)]).await;
    let request = ChatCompletionRequest {
        max_tokens: Some(5000),
        ..chat_request("vtrix-claude-3-haiku")
    };
    let err = VtrixClient::new(vtrix(&server))
        .unwrap()
        .chat()
        .create(&request)
        .await
        .unwrap_err();
    match &err {
        Error::Validation { subject, errors } => {
            assert_eq!(subject, "vtrix-claude-3-haiku");
            assert_eq!(errors[0].pointer, "/max_tokens");
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string().starts_with(
            "the request was not sent: 1 error for vtrix-claude-3-haiku:\n  error: /max_tokens:"
        ),
        "{err}"
    );
    assert_eq!(server.hits(), 0);
    // Off per handle, or per client: then it is sent.
    let c = VtrixClient::new(vtrix(&server)).unwrap();
    c.chat().validate(false).create(&request).await.unwrap();
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn unknown_models_pass_with_the_generic_checks() {
    let server = Server::start(vec![Answer::json(200, COMPLETION)]).await;
    client(&server)
        .chat()
        .create(&chat_request("someone/claude-opus-9"))
        .await
        .unwrap();
    assert_eq!(server.hits(), 1);
    // The endpoint's own types still apply.
    let bad = ChatCompletionRequest {
        temperature: Some(f64::NAN),
        ..chat_request("someone/claude-opus-9")
    };
    let err = client(&server).chat().create(&bad).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err}");
    assert_eq!(server.hits(), 1, "the invalid request was not sent");
    // An `aws/` ID that VertexKey's own list lacks would be refused by the gateway: it is
    // not sent, and the error names the closest ID.
    let err = client(&server)
        .chat()
        .create(&chat_request("aws/claude-opus-9"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { errors, .. }
            if errors[0].code == modelgate::Code::UnlistedModel
                && errors[0].message.contains("did you mean \"aws/claude-opus-4-")),
        "{err}"
    );
    assert_eq!(server.hits(), 1, "the unlisted model was not sent");
}

/// The method says whether the answer streams; the request's own `stream` cannot
/// disagree with it: `create` sends a `stream` the request holds as false (and adds none),
/// `create_stream` sends `stream: true` whether the request has it or not.
#[tokio::test]
async fn the_method_sets_the_stream_flag() {
    let sent_stream = |server: &Server, i: usize| {
        let body: serde_json::Value = serde_json::from_slice(&server.received()[i].body).unwrap();
        body.get("stream").cloned()
    };
    let server = Server::start(vec![
        Answer::json(200, COMPLETION),
        Answer::json(200, COMPLETION),
        Answer::sse(CHAT_STREAM, usize::MAX),
    ])
    .await;
    let streaming = ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    };
    let chat = client(&server);
    let answer = chat.chat().create(&streaming).await.unwrap();
    assert_eq!(sent_stream(&server, 0), Some(serde_json::json!(false)));
    assert!(answer.choices.is_some_and(|c| !c.is_empty()));
    chat.chat()
        .create(&chat_request("aws/glm-5"))
        .await
        .unwrap();
    assert_eq!(sent_stream(&server, 1), None, "no stream member added");
    // JSON sent as it is gets the call's flag too (a typed request without `stream`:
    // collect_stream below; Anthropic messages: the stream test further down).
    let json = serde_json::json!({"model": "aws/glm-5", "messages": [{"role": "user", "content": "hi"}], "stream": false});
    chat.chat().create_stream(&json).await.unwrap();
    assert_eq!(sent_stream(&server, 2), Some(serde_json::json!(true)));
}

/// One way to send a chat to either gateway: the enum picks the gateway's endpoint.
#[tokio::test]
async fn a_gateway_client_sends_the_chat_to_its_gateways_endpoint() {
    use modelgate::gateway::GatewayClient;
    let server = Server::start(vec![
        Answer::json(200, COMPLETION),
        Answer::json(200, COMPLETION),
    ])
    .await;
    for (config, model, path) in [
        (vertexkey(&server), "aws/glm-5", "/chat/completions"),
        (
            vtrix(&server),
            "vtrix-claude-3-haiku",
            "/llm/chat/completions",
        ),
    ] {
        let provider = config.provider();
        let client = GatewayClient::new(config).unwrap();
        assert_eq!(client.provider(), provider);
        client.chat().create(&chat_request(model)).await.unwrap();
        assert_eq!(server.received().last().unwrap().path, path, "{provider:?}");
    }
    // A typo is refused by the chosen gateway's catalog before anything is sent.
    let client = GatewayClient::from(VertexKeyClient::new(vertexkey(&server)).unwrap());
    assert!(matches!(
        client
            .chat()
            .create(&chat_request("aws/claude-sonet-4-5"))
            .await,
        Err(Error::Validation { .. })
    ));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn the_api_key_never_shows() {
    let server = Server::start(vec![Answer::json(
        401,
        r#"{"error": {"message": "bad key"}}"#,
    )])
    .await;
    let config = vertexkey(&server).header(
        reqwest::header::HeaderName::from_static("x-team"),
        reqwest::header::HeaderValue::from_static("blue"),
    );
    let c = VertexKeyClient::new(config.clone()).unwrap();
    let err = c.models().await.unwrap_err();
    let outputs = [
        format!("{config:?}"),
        format!("{c:?}"),
        format!("{:?}", c.runtime()),
        format!("{err:?}"),
        err.to_string(),
    ];
    for text in outputs {
        assert!(!text.contains(KEY), "the key shows in: {text}");
        assert!(
            !text.contains("test-secret"),
            "part of the key shows in: {text}"
        );
    }
    // A missing key is an error that says which variable to set.
    let none = VertexKeyClient::new(
        modelgate::Config::new(modelgate::Provider::VertexKey).base_url(&server.base_url),
    )
    .unwrap();
    let err = none.models().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no API key for VertexKey: set VERTEXKEY_API_KEY or pass one to the client"
    );
}

const CHAT_STREAM: &str = concat!(
    ": keep-alive\n\n",
    "data: {\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"model\":\"aws/glm-5\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Think\"}}]}\n\n",
    "data: {\"id\":\"s1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\r\n\r\n",
    "data: {\"id\":\"s1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}}]}}]}\n\n",
    "data: {\"id\":\"s1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Hue\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n",
    "data: {\"id\":\"s1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13},\"service_tier\":\"on_demand\"}\n\n",
    "data: [DONE]\n\n",
);

async fn collect_stream(piece: usize) -> modelgate::chat::ChatAccumulator {
    let server = Server::start(vec![Answer::sse(CHAT_STREAM, piece)]).await;
    // No `stream` in the request: create_stream sends it.
    let stream = client(&server)
        .chat()
        .create_stream(&chat_request("aws/glm-5"))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&server.received()[0].body).unwrap();
    assert_eq!(body["stream"], true);
    stream.collect_message().await.map_err(|(e, _)| e).unwrap()
}

#[tokio::test]
async fn a_chat_stream_accumulates_into_the_final_message() {
    for piece in [usize::MAX, 7, 1] {
        let acc = collect_stream(piece).await;
        assert_eq!(acc.content, "Hello", "piece {piece}");
        assert_eq!(acc.reasoning_content, "Think");
        assert_eq!(acc.role.as_deref(), Some("assistant"));
        assert_eq!(acc.tool_calls.len(), 1);
        assert_eq!(acc.tool_calls[0].id.as_deref(), Some("call_1"));
        assert_eq!(acc.tool_calls[0].name, "weather");
        assert_eq!(acc.tool_calls[0].arguments, r#"{"city":"Hue"}"#);
        assert_eq!(
            acc.finish_reason,
            Some(modelgate::types::FinishReason::ToolCalls)
        );
        assert_eq!(acc.usage.as_ref().and_then(|u| u.total_tokens), Some(13));
        assert_eq!(acc.chunks, 5);
    }
}

#[tokio::test]
async fn a_stream_without_done_ends_cleanly() {
    let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n";
    let server = Server::start(vec![Answer::sse(body, 5)]).await;
    let request = ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    };
    let acc = client(&server)
        .chat()
        .create_stream(&request)
        .await
        .unwrap()
        .collect_message()
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    assert_eq!(acc.content, "ab");
}

#[tokio::test]
async fn an_error_event_mid_stream_is_typed_and_keeps_what_came_before() {
    let body = concat!(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial \"}}]}\n\n",
        "event: error\ndata: {\"error\":{\"message\":\"upstream overloaded\",\"type\":\"overloaded_error\"}}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"never\"}}]}\n\n",
    );
    let server = Server::start(vec![Answer::sse(body, 3)]).await;
    let request = ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    };
    let (err, partial) = client(&server)
        .chat()
        .create_stream(&request)
        .await
        .unwrap()
        .collect_message()
        .await
        .unwrap_err();
    assert_eq!(partial.content, "partial ");
    assert!(
        matches!(&err, Error::Stream { code: Some(c), message, .. } if c == "overloaded_error" && message == "upstream overloaded"),
        "{err}"
    );
}

#[tokio::test]
async fn a_stream_is_not_retried_once_started() {
    let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n";
    let answer = Answer {
        cut: true,
        ..Answer::sse(body, 1000)
    };
    let server = Server::start(vec![answer, Answer::sse(body, 1000)]).await;
    let request = ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    };
    let mut stream = client(&server)
        .chat()
        .create_stream(&request)
        .await
        .unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(
        first.choices.unwrap()[0]
            .delta
            .as_ref()
            .unwrap()
            .content
            .as_deref(),
        Some("first")
    );
    let rest = stream.next().await;
    assert!(
        matches!(rest, Some(Err(Error::Connection { .. }))),
        "a cut stream ends with an error, not quietly: {rest:?}"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_silent_stream_times_out_between_events() {
    let body = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";
    let answer = Answer {
        pause: Duration::from_millis(600),
        ..Answer::sse(body, 20)
    };
    let server = Server::start(vec![answer]).await;
    let c =
        VertexKeyClient::new(vertexkey(&server).stream_idle_timeout(Duration::from_millis(150)))
            .unwrap();
    let request = ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    };
    let (err, _) = c
        .chat()
        .create_stream(&request)
        .await
        .unwrap()
        .collect_message()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(150)),
        "{err}"
    );
}

const MESSAGE_STREAM: &str = concat!(
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"aws/claude-opus-4-7\",\"content\":[],\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    "event: ping\ndata: {\"type\":\"ping\"}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"there\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"tu_1\",\"name\":\"lookup\",\"input\":{}}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n",
    "event: citation_added\ndata: {\"type\":\"citation_added\"}\n\n",
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
);

#[tokio::test]
async fn an_anthropic_stream_accumulates_and_tolerates_new_event_types() {
    for piece in [usize::MAX, 1] {
        let server = Server::start(vec![Answer::sse(MESSAGE_STREAM, piece)]).await;
        // No `stream` in the request: create_stream sends it.
        let request: modelgate::messages::MessageCreateRequest = serde_json::from_value(serde_json::json!({"model": "aws/claude-opus-4-7", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]})).unwrap();
        let acc = client(&server)
            .messages()
            .create_stream(&request)
            .await
            .unwrap()
            .collect_message()
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        assert_eq!(acc.text(), "Hi there");
        assert_eq!(acc.blocks[1].tool_name.as_deref(), Some("lookup"));
        assert_eq!(acc.blocks[1].input_json, r#"{"q":1}"#);
        assert_eq!((acc.input_tokens, acc.output_tokens), (Some(12), Some(30)));
        assert_eq!(acc.stop_reason.as_deref(), Some("tool_use"));
        assert!(acc.complete);
        let received = server.received();
        let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
        assert_eq!(body["stream"], true);
        assert_eq!(received[0].path, "/messages");
        assert_eq!(received[0].headers["anthropic-version"], "2023-06-01");
    }
}

#[tokio::test]
async fn a_video_job_is_polled_to_completion() {
    let server = Server::start(vec![
        Answer::json(200, r#"{"id": "task_1", "status": "queued"}"#),
        Answer::json(200, r#"{"id": "task_1", "status": "queued"}"#),
        Answer::json(
            200,
            r#"{"id": "task_1", "status": "in_progress", "progress": 40}"#,
        )
        .header("retry-after-ms", "20"),
        Answer::json(
            200,
            r#"{"status": "completed", "video_url": "https://v/1.mp4"}"#,
        ),
    ])
    .await;
    let c = client(&server);
    let job = c
        .videos()
        .create(&VideoCreateRequest {
            model: "enterprise/seedance-1-5-pro".into(),
            prompt: "a cat".into(),
        })
        .await
        .unwrap();
    let id = job.id.unwrap();
    let mut seen = Vec::new();
    let options = WaitOptions {
        interval: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
    };
    let done = c
        .videos()
        .wait(&id, options, |p| seen.push((p.state.clone(), p.progress)))
        .await
        .unwrap();
    assert_eq!(done.video_url.as_deref(), Some("https://v/1.mp4"));
    assert_eq!(
        seen,
        [
            (JobState::Queued, None),
            (JobState::Running, Some(0.4)),
            (JobState::Succeeded, None)
        ]
    );
    assert_eq!(server.received()[1].path, "/videos/task_1");
}

#[tokio::test]
async fn a_failed_media_task_is_an_error_with_its_message() {
    let server = Server::start(vec![
        Answer::json(200, r#"{"data": {"id": "t9", "status": "pending"}, "status": {"code": 200, "message": "success"}}"#),
        Answer::json(200, r#"{"id": "t9", "status": "failed", "error": {"code": "E1", "message": "frame rejected"}}"#),
    ])
    .await;
    let c = VtrixClient::new(vtrix(&server)).unwrap();
    let request = modelgate::vtrix::MediaGenerationRequest {
        model: "minimax_hailuo_23_i2v".into(),
        input: vec![modelgate::vtrix::MediaInput {
            params: serde_json::from_str(
                r#"{"prompt": "waves", "first_frame_image": "https://i/1.jpg"}"#,
            )
            .unwrap(),
        }],
    };
    let submitted = c.media().submit(&request).await.unwrap();
    assert_eq!(submitted.state, JobState::Queued);
    let err = c
        .media()
        .wait(
            "t9",
            WaitOptions {
                interval: Duration::from_millis(5),
                timeout: Duration::from_secs(2),
            },
            |_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "job t9 failed: frame rejected (code E1)");
    assert_eq!(server.received()[1].path, "/model/v1/generation/task/t9");
}

#[tokio::test]
async fn the_generated_client_runs_on_the_runtime() {
    let fast = Answer::json(500, "{}").header("retry-after-ms", "1");
    let server = Server::start(vec![
        fast,
        Answer::json(200, r#"{"object": "list", "data": [{"id": "aws/glm-5"}]}"#),
    ])
    .await;
    let generated = client(&server).generated();
    let list = generated.list_models().await.unwrap().into_inner();
    assert_eq!(list.data.unwrap()[0].id, "aws/glm-5");
    let received = server.received();
    assert_eq!(received.len(), 2, "the exec hook retried");
    assert!(received[1].headers.get("api-version").is_none());
    assert_eq!(
        received[1].headers["authorization"],
        format!("Bearer {KEY}")
    );
}

/// Both clients are built one way (`Runtime::for_provider`): a configuration for the other
/// gateway is refused, by name.
#[test]
fn a_client_refuses_the_other_gateways_configuration() {
    let vertexkey = modelgate::Config::new(modelgate::Provider::VertexKey).api_key("sk-x");
    let Err(err) = modelgate::VtrixClient::new(vertexkey) else {
        panic!("a Vtrix client took a VertexKey configuration");
    };
    assert_eq!(
        err.to_string(),
        "a Vtrix client needs a Vtrix configuration, not one for VertexKey"
    );
    let vtrix = modelgate::Config::new(modelgate::Provider::Vtrix).api_key("sk-x");
    assert!(modelgate::VertexKeyClient::new(vtrix).is_err());
}
