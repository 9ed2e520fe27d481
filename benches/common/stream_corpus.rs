//! The recorded chat stream shared by `stream.rs` (criterion) and `stream_ab.rs`
//! (interleaved rounds), and the two ways of decoding it.

#![allow(dead_code)] // each benchmark uses part of it

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use modelgate::chat::chat_chunks;
use modelgate::stream::events_from_bytes;

const CHUNKS: usize = 12_000;
const READ: usize = 1_400;

/// A stream as a gateway sends it: a role chunk, reasoning, content tokens, a tool call
/// in fragments, the finish reason, usage, then `[DONE]`.
pub fn recorded() -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut payloads = Vec::new();
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
        serde_json::json!({"id": "chatcmpl-9f3a", "object": "chat.completion.chunk", "created": 1763683200,
            "model": "aws/claude-sonnet-4-6", "system_fingerprint": null,
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
    };
    payloads.push(chunk(
        serde_json::json!({"role": "assistant", "content": ""}),
        serde_json::Value::Null,
    ));
    let words = [
        "The",
        " gateway",
        " retries",
        " with",
        " backoff",
        ",",
        " honouring",
        " Retry",
        "-After",
        ".",
    ];
    for i in 0..CHUNKS - 4 {
        let delta = if i < 200 {
            serde_json::json!({"reasoning_content": words[i % words.len()]})
        } else {
            serde_json::json!({"content": words[i % words.len()]})
        };
        payloads.push(chunk(delta, serde_json::Value::Null));
    }
    payloads.push(chunk(
        serde_json::json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\"q\":"}}]}),
        serde_json::Value::Null,
    ));
    payloads.push(chunk(
        serde_json::json!({"tool_calls": [{"index": 0, "function": {"arguments": "\"x\"}"}}]}),
        serde_json::json!("tool_calls"),
    ));
    payloads.push(serde_json::json!({"id": "chatcmpl-9f3a", "object": "chat.completion.chunk", "created": 1763683200,
        "model": "aws/claude-sonnet-4-6", "choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 11996, "total_tokens": 12116}}));
    let payloads: Vec<Vec<u8>> = payloads
        .iter()
        .map(|p| serde_json::to_vec(p).unwrap())
        .collect();
    let mut body = Vec::new();
    for p in &payloads {
        body.extend_from_slice(b"data: ");
        body.extend_from_slice(p);
        body.extend_from_slice(b"\n\n");
    }
    body.extend_from_slice(b"data: [DONE]\n\n");
    (body, payloads)
}

pub fn reads(body: &[u8]) -> Vec<Bytes> {
    body.chunks(READ).map(Bytes::copy_from_slice).collect()
}

pub async fn modelgate_decode(reads: Vec<Bytes>) -> usize {
    let body = futures_util::stream::iter(reads.into_iter().map(Ok::<Bytes, reqwest::Error>));
    let mut chunks = chat_chunks(events_from_bytes(
        Box::pin(body),
        Duration::from_secs(600),
        "bench".into(),
    ));
    let mut n = 0;
    while let Some(chunk) = chunks.next().await {
        black_box(chunk.unwrap());
        n += 1;
    }
    n
}

pub async fn async_openai_decode(reads: Vec<Bytes>) -> usize {
    let body = futures_util::stream::iter(reads.into_iter().map(Ok::<Bytes, std::io::Error>));
    let mut events = body.eventsource();
    let mut n = 0;
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        if event.data == "[DONE]" {
            break;
        }
        let chunk: async_openai::types::chat::CreateChatCompletionStreamResponse =
            serde_json::from_str(&event.data).unwrap();
        black_box(chunk);
        n += 1;
    }
    n
}
