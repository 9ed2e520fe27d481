//! A scripted HTTP server on 127.0.0.1 for the client tests: each test queues the answers
//! it wants (status, headers, a delay, a body in chunks with pauses between them) and
//! reads back the requests the server received.

#![allow(dead_code)] // each test file uses part of it

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;

/// One scripted answer.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// The body, sent chunk by chunk.
    pub chunks: Vec<Vec<u8>>,
    /// Pause between chunks.
    pub pause: Duration,
    /// After the chunks, cut the connection instead of ending the body cleanly.
    pub cut: bool,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Self {
        Answer {
            status,
            headers: vec![("content-type", "application/json".into())],
            chunks: vec![body.as_bytes().to_vec()],
            ..Default::default()
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }

    /// An event stream, sent in pieces of `piece` bytes.
    pub fn sse(body: &str, piece: usize) -> Self {
        Answer {
            status: 200,
            headers: vec![("content-type", "text/event-stream".into())],
            chunks: body
                .as_bytes()
                .chunks(piece.max(1))
                .map(<[u8]>::to_vec)
                .collect(),
            ..Default::default()
        }
    }
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    received: Mutex<Vec<Received>>,
}

pub struct Server {
    pub base_url: String,
    script: Arc<Script>,
}

impl Server {
    pub async fn start(answers: Vec<Answer>) -> Self {
        let script = Arc::new(Script {
            answers: Mutex::new(answers.into()),
            received: Mutex::default(),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server { base_url, script }
    }

    pub fn received(&self) -> Vec<Received> {
        self.script.received.lock().unwrap().clone()
    }

    pub fn hits(&self) -> usize {
        self.script.received.lock().unwrap().len()
    }
}

async fn handle(State(script): State<Arc<Script>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    script.received.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        headers: parts.headers.clone(),
        body,
    });
    let answer = script
        .answers
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| Answer::json(599, r#"{"error": "no answer scripted"}"#));
    tokio::time::sleep(answer.delay).await;
    let pause = answer.pause;
    let cut = answer.cut;
    let chunks = answer.chunks.clone();
    let stream = futures_util::stream::unfold(
        (chunks.into_iter(), true),
        move |(mut rest, first)| async move {
            match rest.next() {
                Some(chunk) => {
                    if !first {
                        tokio::time::sleep(pause).await;
                    }
                    Some((
                        Ok::<Bytes, std::io::Error>(Bytes::from(chunk)),
                        (rest, false),
                    ))
                }
                None if cut => {
                    // Let what was sent reach the client before the connection is cut.
                    tokio::time::sleep(pause.max(Duration::from_millis(100))).await;
                    Some((Err(std::io::Error::other("cut")), (rest, false)))
                }
                None => None,
            }
        },
    );
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap();
    for (name, value) in answer.headers {
        response.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(&value).unwrap(),
        );
    }
    response
}

pub const KEY: &str = "vai-test-secret-key-123456";

pub fn vertexkey(server: &Server) -> modelgate::Config {
    modelgate::Config::new(modelgate::Provider::VertexKey)
        .api_key(KEY)
        .base_url(&server.base_url)
}

pub fn vtrix(server: &Server) -> modelgate::Config {
    modelgate::Config::new(modelgate::Provider::Vtrix)
        .api_key(KEY)
        .base_url(&server.base_url)
}

pub fn chat_request(model: &str) -> modelgate::chat::ChatCompletionRequest {
    modelgate::chat::request(model, vec![modelgate::chat::user("Hello")])
}

pub const COMPLETION: &str = r#"{"id": "c1", "object": "chat.completion", "created": 1, "model": "aws/claude-haiku-4-5",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}"#;
