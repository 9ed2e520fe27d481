//! Hostile and broken clients against the emulator (issue 9): nothing makes it hang,
//! hold memory, or answer outside the gateway's error shape. Raw sockets send half
//! requests; every wait is wrapped in a generous timeout, and the emulator is configured
//! with short limits so that the tests are fast.

use std::net::SocketAddr;
use std::time::Duration;

use modelgate_emulator::{Emulator, EmulatorConfig, Limits};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// A generous bound for what should take milliseconds.
const SOON: Duration = Duration::from_secs(5);

fn limits(limits: Limits) -> EmulatorConfig {
    EmulatorConfig {
        limits,
        ..Default::default()
    }
}

fn short() -> Limits {
    Limits {
        header_timeout_seconds: 0.5,
        body_idle_seconds: 0.5,
        body_timeout_seconds: 2.0,
        shutdown_grace_seconds: 0.3,
        ..Default::default()
    }
}

async fn start(config: EmulatorConfig) -> SocketAddr {
    Emulator::new(config).spawn_local().await.unwrap()
}

/// Reads until the server closes the connection; fails if it does not within [`SOON`].
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    match timeout(SOON, stream.read_to_end(&mut out)).await {
        Ok(_) => String::from_utf8_lossy(&out).into_owned(),
        Err(_) => panic!(
            "the server held the connection; read so far: {:?}",
            String::from_utf8_lossy(&out)
        ),
    }
}

/// One HTTP/1.1 response from `stream`: status, head (lower case), body.
async fn response(stream: &mut TcpStream) -> (u16, String, String) {
    timeout(SOON, async {
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).await.unwrap() == 0 {
                panic!(
                    "closed before a response: {:?}",
                    String::from_utf8_lossy(&buf)
                );
            }
            buf.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&buf).to_lowercase();
        let status = head[9..12].parse().unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.unwrap();
        (status, head, String::from_utf8(body).unwrap())
    })
    .await
    .expect("a response in time")
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

const CHAT: &str = r#"{"model":"aws/glm-5","messages":[{"role":"user","content":"Hi"}]}"#;

fn get_models(key: &str) -> String {
    format!("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\r\n")
}

#[tokio::test]
async fn a_silent_client_and_a_half_sent_request_are_disconnected() {
    let addr = start(limits(short())).await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
        .await
        .unwrap();
    until_closed(&mut silent).await;
    until_closed(&mut half).await;
}

#[tokio::test]
async fn keep_alive_works_and_an_idle_kept_alive_connection_is_closed() {
    let addr = start(limits(Limits {
        header_timeout_seconds: 2.0,
        ..short()
    }))
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    for _ in 0..3 {
        stream.write_all(get_models("k").as_bytes()).await.unwrap();
        let (status, _, body) = response(&mut stream).await;
        assert_eq!(status, 200, "{body}");
        // A pause shorter than the header timeout keeps the connection.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Then idle for longer: closed.
    assert_eq!(until_closed(&mut stream).await, "");
}

#[tokio::test]
async fn a_stream_longer_than_every_timeout_is_not_cut() {
    let addr = start(EmulatorConfig {
        stream_pacing_ms: 100,
        ..limits(short())
    })
    .await;
    let text = reqwest::Client::new()
        .post(format!("http://{addr}/v1/chat/completions"))
        .bearer_auth("k")
        .header("content-type", "application/json")
        .body(r#"{"model":"aws/glm-5","messages":[{"role":"user","content":"Hi"}],"stream":true}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.matches("data: ").count() > 10, "{text}");
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
}

#[tokio::test]
async fn stalled_clients_do_not_lock_out_real_ones() {
    // Six silent connections against two slots, and a header timeout far longer than the
    // test: the real client is served at once, because idle connections give way.
    let addr = start(limits(Limits {
        max_connections: Some(2),
        header_timeout_seconds: 60.0,
        ..short()
    }))
    .await;
    let mut stalled = Vec::new();
    for _ in 0..6 {
        stalled.push(TcpStream::connect(addr).await.unwrap());
    }
    let answer = timeout(
        SOON,
        reqwest::Client::new()
            .get(format!("http://{addr}/v1/models"))
            .bearer_auth("k")
            .send(),
    )
    .await
    .expect("served at once: the silent connections gave way")
    .unwrap();
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn idle_kept_alive_connections_give_way_to_new_clients_longest_idle_first() {
    let addr = start(limits(Limits {
        max_connections: Some(2),
        header_timeout_seconds: 60.0,
        ..Default::default()
    }))
    .await;
    // Two clients take both slots, get an answer each and keep their connections.
    let mut first = TcpStream::connect(addr).await.unwrap();
    first.write_all(get_models("k").as_bytes()).await.unwrap();
    assert_eq!(response(&mut first).await.0, 200);
    let mut second = TcpStream::connect(addr).await.unwrap();
    second.write_all(get_models("k").as_bytes()).await.unwrap();
    assert_eq!(response(&mut second).await.0, 200);
    // A third client is served without waiting for the 60 s header timeout ...
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(get_models("k").as_bytes()).await.unwrap();
    assert_eq!(response(&mut third).await.0, 200);
    // ... because the connection idle the longest was closed for it, and only that one.
    assert_eq!(until_closed(&mut first).await, "");
    second.write_all(get_models("k").as_bytes()).await.unwrap();
    assert_eq!(response(&mut second).await.0, 200);
}

#[tokio::test]
async fn busy_connections_are_never_cut_and_a_new_client_waits_for_one_to_finish() {
    let addr = start(EmulatorConfig {
        timeout_fault_seconds: 1.0,
        ..limits(Limits {
            max_connections: Some(2),
            header_timeout_seconds: 60.0,
            ..Default::default()
        })
    })
    .await;
    let held = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
         x-modelgate-fault: timeout\r\nContent-Length: {}\r\n\r\n{CHAT}",
        CHAT.len()
    );
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(held.as_bytes()).await.unwrap();
        busy.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(get_models("k").as_bytes()).await.unwrap();
    let mut byte = [0u8; 1];
    assert!(
        timeout(Duration::from_millis(400), third.read(&mut byte))
            .await
            .is_err(),
        "a third connection waits while both slots hold a request in progress"
    );
    // The held requests get their whole answers, then the third is served.
    for stream in &mut busy {
        let (status, _, body) = response(stream).await;
        assert_eq!(status, 504, "{body}");
    }
    assert_eq!(response(&mut third).await.0, 200);
}

/// A POST of `body` to the chat endpoint with key `k`.
async fn post_chat(addr: SocketAddr, body: String) -> reqwest::Response {
    let request = reqwest::Client::new()
        .post(format!("http://{addr}/v1/chat/completions"))
        .bearer_auth("k")
        .header("content-type", "application/json")
        .body(body)
        .send();
    timeout(SOON, request).await.unwrap().unwrap()
}

/// A budget of 1,000 bytes, and half a second for a request to find room in it.
fn small_budget() -> EmulatorConfig {
    limits(Limits {
        max_body_bytes: 1000,
        memory_budget_bytes: 1000,
        body_idle_seconds: 0.5,
        ..Default::default()
    })
}

#[tokio::test]
async fn a_body_that_finds_no_room_in_the_memory_budget_is_answered_503_and_retried_later() {
    let addr = start(small_budget()).await;
    // A body of 800 announced bytes takes them all before it is read, and arrives slowly.
    let slow = format!("{CHAT:<800}");
    let mut sender = TcpStream::connect(addr).await.unwrap();
    let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
                Content-Length: 800\r\n\r\n";
    sender.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        for byte in slow.as_bytes() {
            sender.write_all(&[*byte]).await.unwrap();
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        sender
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Another of 500 finds no room within body_idle_seconds: 503, retryable, gateway shape.
    let answer = post_chat(addr, format!("{CHAT:<500}")).await;
    assert_eq!(answer.status(), 503);
    assert_eq!(answer.headers()["retry-after"], "1");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "overloaded", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limits.memory_budget_bytes"),
        "{body}"
    );
    // The slow body is answered and gives its room back: the retry gets through.
    let mut sender = trickle.await.unwrap();
    assert_eq!(response(&mut sender).await.0, 200);
    let answer = post_chat(addr, format!("{CHAT:<500}")).await;
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
}

#[tokio::test]
async fn a_chunked_body_takes_its_room_chunk_by_chunk() {
    let addr = start(small_budget()).await;
    // 600 bytes arrive without a length, then one-byte chunks keep coming: the first
    // chunk holds its room while the body goes on.
    let mut sender = TcpStream::connect(addr).await.unwrap();
    let first = format!("{CHAT:<600}");
    let head = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n",
        first.len()
    );
    sender.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            sender.write_all(b"1\r\n \r\n").await.unwrap();
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        sender.write_all(b"0\r\n\r\n").await.unwrap();
        sender
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(post_chat(addr, format!("{CHAT:<500}")).await.status(), 503);
    let mut sender = trickle.await.unwrap();
    assert_eq!(response(&mut sender).await.0, 200);
    assert_eq!(post_chat(addr, format!("{CHAT:<500}")).await.status(), 200);
}

#[tokio::test]
async fn shutdown_drops_stalled_clients_after_the_grace_period() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let emulator = Emulator::new(limits(Limits {
        header_timeout_seconds: 60.0,
        shutdown_grace_seconds: 0.3,
        ..Default::default()
    }));
    let server = tokio::spawn(async move {
        emulator
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(get_models("k").as_bytes()).await.unwrap();
    assert_eq!(response(&mut kept).await.0, 200);
    stop.send(()).unwrap();
    timeout(SOON, server)
        .await
        .expect("shutdown does not wait for stalled clients")
        .unwrap()
        .unwrap();
    until_closed(&mut half).await;
    until_closed(&mut kept).await;
}

#[tokio::test]
async fn shutdown_lets_a_request_in_progress_finish_within_the_grace_period() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let emulator = Emulator::new(EmulatorConfig {
        timeout_fault_seconds: 0.5,
        ..limits(Limits {
            shutdown_grace_seconds: 4.0,
            ..Default::default()
        })
    });
    let server = tokio::spawn(async move {
        emulator
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    let mut held = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
         x-modelgate-fault: timeout\r\nContent-Length: {}\r\n\r\n{CHAT}",
        CHAT.len()
    );
    held.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let (status, _, body) = response(&mut held).await;
    assert_eq!(status, 504, "{body}");
    timeout(SOON, server).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn an_unauthenticated_body_is_refused_before_it_is_sent() {
    let addr = start(EmulatorConfig {
        api_keys: Some(vec!["good".into()]),
        ..limits(Limits {
            body_idle_seconds: 60.0,
            body_timeout_seconds: 600.0,
            ..Default::default()
        })
    })
    .await;
    for (path, key_header, shape) in [
        ("/v1/chat/completions", "", "openai"),
        (
            "/llm/chat/completions",
            "Authorization: Bearer bad\r\n",
            "openai",
        ),
        ("/v1/messages", "x-api-key: bad\r\n", "anthropic"),
    ] {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        // 60 MiB announced, none of it sent.
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\n{key_header}Content-Type: application/json\r\n\
             Content-Length: 62914560\r\n\r\n{{\"model\":"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let (status, head, body) = response(&mut stream).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert!(head.contains("connection: close"), "{head}");
        let body = json(&body);
        assert_eq!(body["error"]["type"], "authentication_error", "{body}");
        assert_eq!(body.get("type").is_some(), shape == "anthropic", "{body}");
        until_closed(&mut stream).await;
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_413_in_the_gateway_shape() {
    let addr = start(limits(Limits {
        max_body_bytes: 1024,
        ..short()
    }))
    .await;
    // Announced by Content-Length: refused before it is sent.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
              Content-Length: 104857600\r\n\r\n",
        )
        .await
        .unwrap();
    let (status, _, body) = response(&mut stream).await;
    assert_eq!(status, 413, "{body}");
    let body = json(&body);
    assert_eq!(body["error"]["code"], "request_too_large", "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    // Chunked, found out while reading: the same shape (Anthropic's on /messages).
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let chunk = "x".repeat(2048);
    let request = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let (status, _, body) = response(&mut stream).await;
    assert_eq!(status, 413, "{body}");
    let body = json(&body);
    assert_eq!(body["type"], "error", "{body}");
    assert_eq!(body["error"]["type"], "request_too_large", "{body}");
}

#[tokio::test]
async fn a_stalled_body_is_answered_408() {
    let addr = start(limits(short())).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\
              Content-Length: 100\r\n\r\n{\"model\":",
        )
        .await
        .unwrap();
    let (status, _, body) = response(&mut stream).await;
    assert_eq!(status, 408, "{body}");
    assert_eq!(json(&body)["error"]["code"], "request_timeout", "{body}");
    until_closed(&mut stream).await;
}

#[tokio::test]
async fn a_wrong_method_is_405_in_the_gateway_shape() {
    let addr = start(EmulatorConfig::default()).await;
    let client = reqwest::Client::new();
    let r = client
        .get(format!("http://{addr}/v1/chat/completions"))
        .bearer_auth("k")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().get("allow").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed", "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    let r = client
        .get(format!("http://{addr}/v1/messages"))
        .header("x-api-key", "k")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error", "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
}

#[tokio::test]
async fn a_json_schema_asking_for_a_gigabyte_is_refused_at_once() {
    let addr = start(EmulatorConfig::default()).await;
    let client = reqwest::Client::new();
    for schema in [
        json!({"type": "object", "properties": {"a": {"type": "string", "minLength": 1_000_000_000u64}}}),
        json!({"type": "object", "properties": {"a": {"type": "array", "minItems": 1_000_000_000u64}}}),
    ] {
        let request = json!({"model": "vtrix-gpt-5.3-codex", "messages": [{"role": "user", "content": "Plan"}],
            "response_format": {"type": "json_schema", "json_schema": {"name": "plan", "schema": schema}}});
        let r = timeout(
            SOON,
            client
                .post(format!("http://{addr}/llm/chat/completions"))
                .bearer_auth("k")
                .json(&request)
                .send(),
        )
        .await
        .expect("answered at once")
        .unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("/response_format/json_schema/schema: ")
                && message.contains("asks for more than the emulator generates"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn retry_after_is_valid_or_the_fault_is_refused() {
    let addr = start(EmulatorConfig::default()).await;
    let client = reqwest::Client::new();
    let send = |fault: String| {
        client
            .post(format!("http://{addr}/v1/chat/completions"))
            .bearer_auth("k")
            .header("content-type", "application/json")
            .header("x-modelgate-fault", fault)
            .body(CHAT)
            .send()
    };
    for bad in ["-1", "NaN", "inf", "86401", "soon"] {
        let r = send(format!("429; retry-after={bad}")).await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        assert!(r.headers().get("retry-after").is_none());
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("is not a number of seconds"),
            "{body}"
        );
    }
    let r = send("429; retry-after=2".into()).await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert!(r.headers().get("retry-after-ms").is_none());
    // A fraction (fast tests): whole seconds in Retry-After, exact in retry-after-ms.
    let r = send("429; retry-after=0.2".into()).await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(r.headers()["retry-after-ms"], "200");
    let long = format!("429; x={}", "y".repeat(300));
    assert_eq!(send(long).await.unwrap().status(), 400);

    // A config built in code, past the checks of a config file: clamped, or left out.
    for (seconds, sent) in [(1e12, Some("86400")), (-3.0, Some("0")), (f64::NAN, None)] {
        let addr = start(EmulatorConfig {
            faults: modelgate_emulator::FaultRates {
                rate_503: 1.0,
                retry_after_seconds: Some(seconds),
                ..Default::default()
            },
            ..Default::default()
        })
        .await;
        let r = client
            .get(format!("http://{addr}/v1/models"))
            .bearer_auth("k")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(
            r.headers().get("retry-after").map(|v| v.to_str().unwrap()),
            sent,
            "{seconds}"
        );
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let addr = start(EmulatorConfig {
        api_keys: Some(vec!["good".into()]),
        ..Default::default()
    })
    .await;
    let client = reqwest::Client::new();
    for (value, status) in [
        ("bearer good", 200),
        ("BEARER good", 200),
        ("Bearer good", 200),
        ("bearer bad", 401),
        ("Basic good", 401),
    ] {
        let r = client
            .get(format!("http://{addr}/v1/models"))
            .header("authorization", value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{value}");
    }
}
