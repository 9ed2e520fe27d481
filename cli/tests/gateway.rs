//! The commands that call a gateway, run as users run them against a local HTTP server:
//! streamed chat, error output, the remote model list, images and video jobs.

use std::net::SocketAddr;
use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;

mod support;

const KEY: &str = "vai-cli-secret-000";

/// Status, headers, body.
type Scripted = (u16, Vec<(&'static str, &'static str)>, String);
type Answers = Arc<Mutex<Vec<Scripted>>>;

/// A server that answers requests with the queued answers, in order.
fn serve(answers: Vec<Scripted>) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state: (Answers, Arc<Mutex<Vec<String>>>) = (
        Arc::new(Mutex::new(answers.into_iter().rev().collect())),
        seen.clone(),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().fallback(handle).with_state(state);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().unwrap(), seen)
}

async fn handle(
    State((answers, seen)): State<(Answers, Arc<Mutex<Vec<String>>>)>,
    request: Request,
) -> Response {
    let auth = request
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let line = format!("{} {} {auth}", request.method(), request.uri().path());
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap();
    seen.lock()
        .unwrap()
        .push(format!("{line} {}", String::from_utf8_lossy(&body)));
    let (status, headers, body) =
        answers
            .lock()
            .unwrap()
            .pop()
            .unwrap_or((599, vec![], "{}".into()));
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
    for (k, v) in headers {
        response.headers_mut().insert(k, v.parse().unwrap());
    }
    response
}

fn modelgate(addr: SocketAddr, args: &[&str]) -> Output {
    support::modelgate()
        .args([
            "--base-url",
            &format!("http://{addr}"),
            "--api-key",
            KEY,
            "--max-retries",
            "0",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn chat_streams_tokens_to_stdout() {
    let sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n";
    let (addr, seen) = serve(vec![(
        200,
        vec![("content-type", "text/event-stream")],
        sse.into(),
    )]);
    let o = modelgate(
        addr,
        &[
            "chat",
            "--model",
            "aws/claude-haiku-4-5",
            "--system",
            "Be brief",
            "--max-tokens",
            "50",
            "Hi",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "Hello\n");
    let request = seen.lock().unwrap()[0].clone();
    assert!(
        request.starts_with(&format!("POST /chat/completions Bearer {KEY} ")),
        "{request}"
    );
    assert!(
        request.contains("\"stream\":true")
            && request.contains("\"max_tokens\":50")
            && request.contains("Be brief"),
        "{request}"
    );
}

#[test]
fn chat_without_streaming_and_as_json() {
    let completion = r#"{"choices": [{"index": 0, "message": {"role": "assistant", "content": "Four."}, "finish_reason": "stop"}]}"#;
    let (addr, _) = serve(vec![
        (200, vec![], completion.into()),
        (200, vec![], completion.into()),
    ]);
    let o = modelgate(
        addr,
        &[
            "chat",
            "--model",
            "vtrix-claude-3-haiku",
            "--no-stream",
            "2+2?",
        ],
    );
    assert_eq!(text(&o.stdout), "Four.\n");
    let o = modelgate(
        addr,
        &[
            "chat",
            "--model",
            "vtrix-claude-3-haiku",
            "--no-stream",
            "--json",
            "2+2?",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
}

#[test]
fn gateway_errors_print_status_message_and_request_id() {
    let body = r#"{"error": {"message": "Insufficient balance", "code": "insufficient_quota"}}"#;
    let (addr, _) = serve(vec![(403, vec![("x-request-id", "req-777")], body.into())]);
    let o = modelgate(addr, &["chat", "--model", "aws/glm-5", "--no-stream", "hi"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert_eq!(
        err,
        "error: 403 permission denied or insufficient balance: Insufficient balance (code insufficient_quota) [request id req-777]\n"
    );
    assert!(!err.contains(KEY));
}

#[test]
fn an_invalid_chat_request_is_refused_before_sending() {
    let (addr, seen) = serve(vec![]);
    let o = modelgate(
        addr,
        &[
            "chat",
            "--model",
            "vtrix-claude-3-haiku",
            "--max-tokens",
            "5000",
            "hi",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("/max_tokens: `max_tokens` is 5000, above the maximum 4096"),
        "{}",
        text(&o.stderr)
    );
    assert!(seen.lock().unwrap().is_empty());
    let o = modelgate(addr, &["chat", "--model", "gpt-4o", "hi"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("give --provider vtrix|vertexkey"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn models_remote_shows_the_difference_from_the_catalog() {
    let list = r#"{"object": "list", "data": [{"id": "aws/claude-opus-4-7"}, {"id": "aws/claude-opus-5-0"}]}"#;
    let (addr, seen) = serve(vec![(200, vec![], list.into())]);
    let o = modelgate(addr, &["models", "--remote"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains("  + aws/claude-opus-5-0\n"), "{out}");
    assert!(
        out.contains("not in the catalog (1): aws/claude-opus-5-0\n"),
        "{out}"
    );
    assert!(
        out.contains("in the catalog but no longer listed (18): "),
        "{out}"
    );
    assert!(seen.lock().unwrap()[0].starts_with("GET /models "));
}

#[test]
fn image_writes_the_file() {
    let (addr, seen) = serve(vec![(
        200,
        vec![],
        r#"{"data": [{"b64_json": "iVBORw0KGgo="}]}"#.into(),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fox.png");
    let o = modelgate(
        addr,
        &[
            "image",
            "--model",
            "enterprise/image-2",
            "--out",
            out.to_str().unwrap(),
            "a fox",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]
    );
    assert!(seen.lock().unwrap()[0].starts_with("POST /images/generations "));
}

#[test]
fn video_polls_and_prints_the_url() {
    let (addr, seen) = serve(vec![
        (
            200,
            vec![],
            r#"{"id": "task_9", "status": "queued"}"#.into(),
        ),
        (
            200,
            vec![],
            r#"{"id": "task_9", "status": "in_progress", "progress": 50}"#.into(),
        ),
        (
            200,
            vec![],
            r#"{"id": "task_9", "status": "completed", "video_url": "https://v/task_9.mp4"}"#
                .into(),
        ),
    ]);
    let o = modelgate(
        addr,
        &[
            "video",
            "--model",
            "enterprise/seedance-1-5-pro",
            "--interval",
            "0.01",
            "a cat on a beach",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "https://v/task_9.mp4\n");
    let seen = seen.lock().unwrap();
    assert!(seen[0].starts_with("POST /videos "));
    assert!(seen[2].starts_with("GET /videos/task_9 "));
}

/// Runs the command, failing the test if it has not ended within 10 s (far more than any
/// of these need: the point is that it ends, not how fast).
fn within_10s(mut command: std::process::Command) -> Output {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            let o = child.wait_with_output().unwrap();
            panic!("still running after 10 s; stderr: {}", text(&o.stderr));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A server that reads each request's head, writes `head` and then `repeat` every 50 ms
/// for as long as the client listens (nothing at all when both are empty).
fn raw_server(head: &'static str, repeat: &'static str) -> SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for socket in listener.incoming() {
            let Ok(mut socket) = socket else { return };
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                if socket.write_all(head.as_bytes()).is_err() {
                    return;
                }
                loop {
                    if !repeat.is_empty() && socket.write_all(repeat.as_bytes()).is_err() {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            });
        }
    });
    addr
}

fn chat_command(addr: SocketAddr, extra: &[&str]) -> std::process::Command {
    let mut c = support::modelgate();
    c.args([
        "--base-url",
        &format!("http://{addr}"),
        "--api-key",
        KEY,
        "--max-retries",
        "0",
    ])
    .args(extra)
    .args(["chat", "--model", "aws/glm-5", "hi"]);
    c
}

#[test]
fn a_streamed_chat_obeys_timeout_when_the_server_never_answers() {
    let addr = raw_server("", "");
    let o = within_10s(chat_command(addr, &["--timeout", "0.3"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("no response headers") && err.contains("timed out after 0.3 s"),
        "{err}"
    );
    assert!(
        err.contains(&format!("http://{addr}/chat/completions")),
        "{err}"
    );
}

#[test]
fn keep_alive_comments_do_not_keep_a_streamed_chat_open() {
    let addr = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
        ": keep-alive\n\n",
    );
    let o = within_10s(chat_command(addr, &["--timeout", "0.4"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("timed out"), "{}", text(&o.stderr));
}

#[test]
fn a_streamed_chat_answered_without_a_stream_fails() {
    let login = "<html><body>Please log in</body></html>";
    let cases: Vec<(Vec<(&'static str, &'static str)>, &str)> = vec![
        (vec![("content-type", "text/html")], login),
        (
            vec![("content-type", "application/json")],
            r#"{"id": "c1", "choices": []}"#,
        ),
        (vec![], "{not json"),
    ];
    for (headers, body) in cases {
        let (addr, _) = serve(vec![(200, headers, body.into())]);
        let o = within_10s(chat_command(addr, &[]));
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{body}: {err}");
        assert!(err.contains("200 response"), "{err}");
        assert!(err.contains(body), "the body's start is shown: {err}");
        assert_eq!(text(&o.stdout), "", "{body}");
    }
}

#[test]
fn numeric_options_are_checked_when_parsed() {
    let (addr, seen) = serve(vec![]);
    for value in ["1e20", "0", "NaN", "-1", "inf", "ten", "86401", "1e-300"] {
        let o = within_10s(chat_command(addr, &[&format!("--timeout={value}")]));
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "--timeout {value}: {err}");
        assert!(
            err.contains("--timeout") && err.contains(value),
            "--timeout {value}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    for value in ["-1", "0", "1e20", "NaN", "3601"] {
        let mut c = support::modelgate();
        c.args(["--base-url", &format!("http://{addr}"), "--api-key", KEY])
            .args(["video", "--model", "enterprise/seedance-1-5-pro"])
            .arg(format!("--interval={value}"))
            .arg("a cat");
        let o = within_10s(c);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "--interval {value}: {err}");
        assert!(err.contains("--interval"), "{err}");
    }
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
    // The bounds themselves pass.
    let sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\ndata: [DONE]\n\n";
    let (addr, _) = serve(vec![(
        200,
        vec![("content-type", "text/event-stream")],
        sse.into(),
    )]);
    let o = within_10s(chat_command(addr, &["--timeout", "86400"]));
    assert_eq!(text(&o.stdout), "ok\n", "{}", text(&o.stderr));
}

#[test]
fn control_characters_from_the_server_are_escaped_on_output() {
    let hostile = "\u{1b}[2J\u{1b}]0;owned\u{7}red\r\u{9b}31m\u{7f}";
    let escaped = "\\x1b[2J\\x1b]0;owned\\x07red\\x0d\\u{9b}31m\\x7f";
    let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": format!("{hostile}\n\tend")}}]});
    let sse = format!("data: {chunk}\n\ndata: [DONE]\n\n");
    let completion = serde_json::json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": hostile}}]});
    let error = serde_json::json!({"error": {"message": format!("bad {hostile}")}});
    let stream = || {
        (
            200,
            vec![("content-type", "text/event-stream")],
            sse.clone(),
        )
    };
    let (addr, _) = serve(vec![
        stream(),
        stream(),
        (200, vec![], completion.to_string()),
        (500, vec![], error.to_string()),
    ]);
    let o = within_10s(chat_command(addr, &[]));
    assert_eq!(text(&o.stdout), format!("{escaped}\n\tend\n"));
    // JSON output escapes controls its own way, and keeps the text exact.
    let mut c = chat_command(addr, &[]);
    c.arg("--json");
    let o = within_10s(c);
    let line: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        line["choices"][0]["delta"]["content"],
        format!("{hostile}\n\tend")
    );
    let mut c = chat_command(addr, &[]);
    c.arg("--no-stream");
    let o = within_10s(c);
    assert_eq!(text(&o.stdout), format!("{escaped}\n"));
    let mut c = chat_command(addr, &[]);
    c.arg("--no-stream");
    let o = within_10s(c);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains(&format!("bad {escaped}")),
        "{}",
        text(&o.stderr)
    );
    assert!(!o.stderr.contains(&0x1b), "{}", text(&o.stderr));
}
