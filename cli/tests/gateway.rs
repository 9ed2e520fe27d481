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
