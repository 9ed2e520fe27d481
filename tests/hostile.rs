//! Servers that misbehave (issue 9): each test runs one on 127.0.0.1 and checks that the
//! client ends with a typed error, in bounded time and memory, instead of hanging,
//! growing without end, or reporting a success that did not happen.

mod support;

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use modelgate::chat::{ChatCompletionRequest, ChatStream};
use modelgate::{Error, VertexKeyClient};
use support::{Answer, KEY, Server, chat_request, vertexkey};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Far more than any test needs: an assertion that the call ends, not how fast.
const ENDS_WITHIN: Duration = Duration::from_secs(10);

/// A server that reads each request (headers and `content-length` body) and hands the
/// connection to `script`, which writes what it likes. Returns its base URL.
async fn raw<F, Fut>(script: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let script = std::sync::Arc::new(script);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let script = script.clone();
            tokio::spawn(async move {
                read_request(&mut socket).await;
                script(socket).await;
            });
        }
    });
    base
}

async fn read_request(socket: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = seen.len() - head_end;
    while body < length {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body += n,
        }
    }
}

/// Writes `head`, then `piece` again and again until `limit` bytes went, then holds the
/// connection open without a word: a body that, before the caps, the client kept reading.
async fn endless(mut socket: TcpStream, head: &'static str, piece: &'static [u8], limit: usize) {
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut sent = 0;
    while sent < limit {
        if socket.write_all(piece).await.is_err() {
            return;
        }
        sent += piece.len();
    }
    std::future::pending::<()>().await;
}

const SSE_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";

fn stream_request() -> ChatCompletionRequest {
    ChatCompletionRequest {
        stream: Some(true),
        ..chat_request("aws/glm-5")
    }
}

fn config(base: &str) -> modelgate::Config {
    modelgate::Config::new(modelgate::Provider::VertexKey)
        .api_key(KEY)
        .base_url(base)
        .max_retries(0)
        .request_timeout(Duration::from_millis(300))
        .stream_idle_timeout(Duration::from_millis(300))
        .stream_timeout(Duration::from_secs(5))
}

async fn start_stream(config: modelgate::Config) -> Result<ChatStream, Error> {
    let client = VertexKeyClient::new(config).unwrap();
    tokio::time::timeout(ENDS_WITHIN, client.chat().create_stream(&stream_request()))
        .await
        .expect("create_stream hangs")
}

/// The stream's items until its end or first error; the error, if any.
async fn drain(stream: ChatStream) -> (usize, Option<Error>) {
    tokio::time::timeout(ENDS_WITHIN, async {
        let mut stream = stream;
        let mut chunks = 0;
        while let Some(item) = stream.next().await {
            match item {
                Ok(_) => chunks += 1,
                Err(e) => return (chunks, Some(e)),
            }
        }
        (chunks, None)
    })
    .await
    .expect("the stream hangs")
}

// Problem group 1: deadlines and caps on streams.

#[tokio::test]
async fn a_stream_whose_server_never_answers_times_out_waiting_for_headers() {
    let base = raw(|socket| async move {
        let _held = socket;
        std::future::pending::<()>().await
    })
    .await;
    let err = start_stream(config(&base)).await.err().expect("an error");
    match &err {
        Error::Timeout { what, after } => {
            assert_eq!(*after, Duration::from_millis(300));
            assert!(what.contains("no response headers"), "{err}");
            assert!(what.contains(&base), "names the URL: {err}");
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn keep_alive_comments_do_not_reset_the_idle_limit() {
    let base = raw(|mut socket| async move {
        socket.write_all(SSE_HEAD.as_bytes()).await.unwrap();
        loop {
            if socket.write_all(b": keep-alive\n\n").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let stream = start_stream(config(&base)).await.unwrap();
    let (chunks, err) = drain(stream).await;
    assert_eq!(chunks, 0);
    assert!(
        matches!(&err, Some(Error::Timeout { what, after }) if what.contains("no data event") && *after == Duration::from_millis(300)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_stream_of_data_that_never_ends_stops_at_the_overall_deadline() {
    let base = raw(|mut socket| async move {
        socket.write_all(SSE_HEAD.as_bytes()).await.unwrap();
        loop {
            let event = b"data: {\"choices\":[]}\n\n";
            if socket.write_all(event).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let config = config(&base).stream_timeout(Duration::from_millis(800));
    let stream = start_stream(config).await.unwrap();
    let (chunks, err) = drain(stream).await;
    assert!(chunks > 3, "the data events came through: {chunks}");
    assert!(
        matches!(&err, Some(Error::Timeout { what, after }) if what.contains("whole stream") && *after == Duration::from_millis(800)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_line_that_never_ends_is_cut_at_the_line_cap() {
    // 64 MiB of one `data:` line, then silence: before the cap the client held it all
    // and waited for the line's end.
    let base = raw(|socket| async move {
        endless(socket, SSE_HEAD, &[b'x'; 64 << 10], 64 << 20).await;
    })
    .await;
    let mut config = config(&base);
    config = config.stream_idle_timeout(Duration::from_secs(60));
    let stream = start_stream(config).await.unwrap();
    let (_, err) = drain(stream).await;
    match err {
        Some(Error::TooLarge { cap, message, .. }) => {
            assert_eq!(cap, "MAX_LINE");
            assert!(message.contains("1 MiB"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_endless_error_body_of_a_stream_is_read_up_to_its_cap() {
    let base = raw(|socket| async move {
        let head = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n";
        endless(socket, head, &[b'e'; 64 << 10], 64 << 20).await;
    })
    .await;
    let err = start_stream(config(&base)).await.err().expect("an error");
    let api = err.api().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(api.status, 500);
    assert_eq!(api.body.len(), modelgate::http::MAX_ERROR_BODY);
    assert!(
        api.body_error
            .as_deref()
            .unwrap()
            .contains("MAX_ERROR_BODY"),
        "{api:?}"
    );
    assert!(err.to_string().contains("MAX_ERROR_BODY"), "{err}");
}

#[tokio::test]
async fn a_stalled_error_body_of_a_stream_times_out() {
    let base = raw(|mut socket| async move {
        let head = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 100\r\n\r\n{\"error\":";
        socket.write_all(head.as_bytes()).await.unwrap();
        std::future::pending::<()>().await;
    })
    .await;
    let err = start_stream(config(&base)).await.err().expect("an error");
    let api = err.api().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(api.status, 503);
    assert_eq!(api.body, "{\"error\":");
    assert_eq!(
        api.body_error.as_deref(),
        Some("reading the body timed out")
    );
}

// Problem group 2: a successful status that is not a stream is not a success.

#[tokio::test]
async fn a_stream_answered_with_something_else_is_an_error_with_status_and_snippet() {
    let login = "<html><body>Please log in</body></html>";
    let cases = [
        Answer {
            status: 200,
            headers: vec![("content-type", "text/html; charset=utf-8".into())],
            chunks: vec![login.as_bytes().to_vec()],
            ..Default::default()
        },
        Answer::json(200, r#"{"id": "c1", "choices": []}"#),
        Answer::json(200, "{not json"),
    ];
    for answer in cases {
        let body = String::from_utf8(answer.chunks.concat()).unwrap();
        let server = Server::start(vec![answer]).await;
        let err = start_stream(vertexkey(&server).max_retries(0))
            .await
            .err()
            .expect("an error");
        match &err {
            Error::Decode {
                status,
                snippet,
                message,
                ..
            } => {
                assert_eq!(*status, 200);
                assert_eq!(snippet, &body);
                assert!(message.contains("text/event-stream"), "{message}");
            }
            other => panic!("{other}"),
        }
    }
}

#[tokio::test]
async fn a_stream_without_content_type_and_without_events_is_an_error() {
    for body in ["<html>login</html>", ""] {
        let server = Server::start(vec![Answer {
            status: 200,
            chunks: vec![body.as_bytes().to_vec()],
            ..Default::default()
        }])
        .await;
        let stream = start_stream(vertexkey(&server).max_retries(0))
            .await
            .unwrap();
        let (chunks, err) = drain(stream).await;
        assert_eq!(chunks, 0);
        match &err {
            Some(Error::Decode {
                status, snippet, ..
            }) => {
                assert_eq!((*status, snippet.as_str()), (200, body));
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    // An event stream with nothing in it does not pass for an answer either.
    let server = Server::start(vec![Answer::sse(": keep-alive\n\n", 100)]).await;
    let stream = start_stream(vertexkey(&server)).await.unwrap();
    let (_, err) = drain(stream).await;
    assert!(
        matches!(&err, Some(Error::Decode { message, .. }) if message.contains("before its first event")),
        "{err:?}"
    );
}

// Problem group 4: redirects, error bodies, URLs in errors.

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_sends_nothing_there() {
    let elsewhere =
        Server::start(vec![Answer::json(200, r#"{"object": "list", "data": []}"#)]).await;
    let gateway = Server::start(vec![
        Answer::json(307, "{}").header("location", format!("{}/models", elsewhere.base_url)),
    ])
    .await;
    let config = vertexkey(&gateway).header(
        reqwest::header::HeaderName::from_static("x-api-key"),
        reqwest::header::HeaderValue::from_static("custom-secret"),
    );
    let err = VertexKeyClient::new(config.clone())
        .unwrap()
        .models()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Connection { message, .. } if message.contains("refused to follow a redirect")),
        "{err}"
    );
    assert_eq!(elsewhere.hits(), 0, "nothing reaches the other host");
    assert_eq!(gateway.hits(), 1, "a refused redirect is not retried");
    assert!(!err.to_string().contains("custom-secret"));
    // The same with a stream.
    let gateway = Server::start(vec![Answer::json(307, "{}").header(
        "location",
        format!("{}/chat/completions", elsewhere.base_url),
    )])
    .await;
    let err = start_stream(vertexkey(&gateway))
        .await
        .err()
        .expect("an error");
    assert!(matches!(err, Error::Connection { .. }), "{err}");
    assert_eq!(elsewhere.hits(), 0);
}

#[tokio::test]
async fn a_redirect_within_the_gateway_is_followed_with_its_headers() {
    let gateway = Server::start(vec![
        Answer::json(307, "{}").header("location", "/v2/models"),
        Answer::json(200, r#"{"object": "list", "data": []}"#),
    ])
    .await;
    let config = vertexkey(&gateway).header(
        reqwest::header::HeaderName::from_static("x-api-key"),
        reqwest::header::HeaderValue::from_static("custom-secret"),
    );
    VertexKeyClient::new(config)
        .unwrap()
        .models()
        .await
        .unwrap();
    let received = gateway.received();
    assert_eq!(received[1].path, "/v2/models");
    assert_eq!(received[1].headers["x-api-key"], "custom-secret");
    assert_eq!(
        received[1].headers["authorization"],
        format!("Bearer {KEY}")
    );
}

#[tokio::test]
async fn an_error_body_that_times_out_is_not_an_empty_body() {
    let base = raw(|mut socket| async move {
        let head = "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 50\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        std::future::pending::<()>().await;
    })
    .await;
    let err = VertexKeyClient::new(config(&base))
        .unwrap()
        .models()
        .await
        .unwrap_err();
    let api = err.api().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(api.status, 502);
    assert_eq!(api.body, "");
    assert_eq!(
        api.body_error.as_deref(),
        Some("reading the body timed out")
    );
    assert_eq!(api.message, "(no body: reading the body timed out)");
    // A body that is really empty says so.
    let server = Server::start(vec![Answer {
        status: 502,
        ..Default::default()
    }])
    .await;
    let err = VertexKeyClient::new(vertexkey(&server).max_retries(0))
        .unwrap()
        .models()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(
        (api.message.as_str(), api.body_error.as_deref()),
        ("(empty body)", None)
    );
}

#[tokio::test]
async fn a_broken_stream_names_the_url_without_credentials() {
    let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n";
    let answer = Answer {
        cut: true,
        ..Answer::sse(body, 1000)
    };
    let server = Server::start(vec![answer]).await;
    let base = server
        .base_url
        .replace("http://", "http://someone:hunter2@");
    let stream = start_stream(config(&base)).await.unwrap();
    let (chunks, err) = drain(stream).await;
    assert_eq!(chunks, 1);
    match err {
        Some(Error::Connection { url, .. }) => {
            assert_eq!(url, format!("{}/chat/completions", server.base_url));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_answer_larger_than_the_response_cap_is_refused() {
    // Announced: refused before reading.
    let base = raw(|mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n{\"object\":";
        socket.write_all(head.as_bytes()).await.unwrap();
        std::future::pending::<()>().await;
    })
    .await;
    let err = VertexKeyClient::new(config(&base).request_timeout(Duration::from_secs(5)))
        .unwrap()
        .models()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TooLarge {
                cap: "MAX_RESPONSE_BODY",
                ..
            }
        ),
        "{err}"
    );
    // Not announced: read up to the cap, then refused.
    let base = raw(|socket| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[";
        endless(
            socket,
            head,
            &[b' '; 64 << 10],
            2 * modelgate::http::MAX_RESPONSE_BODY,
        )
        .await;
    })
    .await;
    let client =
        VertexKeyClient::new(config(&base).request_timeout(Duration::from_secs(60))).unwrap();
    let err = tokio::time::timeout(ENDS_WITHIN, client.models())
        .await
        .expect("the read hangs")
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TooLarge {
                cap: "MAX_RESPONSE_BODY",
                ..
            }
        ),
        "{err}"
    );
}
