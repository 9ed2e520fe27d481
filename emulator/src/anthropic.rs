//! `POST /v1/messages` in the Anthropic format: a message (text, or `tool_use` when the
//! prompt asks for a tool), or with `stream: true` the event sequence the Anthropic SDKs
//! read (message_start, content_block_start, ping, content_block_delta, content_block_stop,
//! message_delta, message_stop).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use modelgate::Endpoint;
use serde_json::{Value, json};

use crate::chat::{prompt_text, wanted_function, words};
use crate::content::{sentence, tokens, tool_arguments};
use crate::server::{AppState, Shape, admit, error, json_response, paced, sse_response};

pub(crate) async fn messages(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let admitted = match admit(
        &state,
        &headers,
        &body,
        Shape::Anthropic,
        Some(Endpoint::VertexKeyMessages),
    )
    .await
    {
        Ok(a) => a,
        Err(r) => return r,
    };
    let req = &admitted.body;
    let seed = admitted.seed;
    let model = req
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let messages = req.get("messages").cloned().unwrap_or(Value::Null);
    let (all, last) = prompt_text(&messages);
    let system = match req.get("system") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let input_tokens = tokens(&all) + tokens(&system);
    let max_tokens = req
        .get("max_tokens")
        .and_then(Value::as_i64)
        .unwrap_or(256)
        .max(1);
    let tools: Vec<(&str, Value)> = req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t.get("name")?.as_str()?,
                t.get("input_schema").cloned().unwrap_or(json!({})),
            ))
        })
        .collect();
    let tool = match wanted_function(&tools, &last) {
        Some((name, schema)) => match tool_arguments(&schema, seed) {
            Ok(input) => Some((format!("toolu_{:016x}", seed), name, input)),
            Err(e) => {
                let message = format!("the input_schema of tool `{name}`: {e}");
                return error(
                    Shape::Anthropic,
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    &message,
                    json!({}),
                );
            }
        },
        None => None,
    };
    let mut text = sentence(seed, 8 + (seed % 17) as usize);
    let mut stop = "end_turn";
    if tokens(&text) > max_tokens {
        text = text.chars().take((max_tokens * 4) as usize).collect();
        stop = "max_tokens";
    }
    if tool.is_some() {
        stop = "tool_use";
    }
    let output_tokens = tokens(&text) + tool.as_ref().map_or(0, |t| tokens(&t.2.to_string()));
    let id = format!("msg_{:016x}", seed);
    let usage = json!({"input_tokens": input_tokens, "output_tokens": output_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0});
    let mut content = vec![json!({"type": "text", "text": text})];
    if let Some((tool_id, name, input)) = &tool {
        content.push(json!({"type": "tool_use", "id": tool_id, "name": name, "input": input}));
    }
    if req.get("stream").and_then(Value::as_bool) != Some(true) {
        let body = json!({"id": id, "type": "message", "role": "assistant", "content": content, "model": model,
            "stop_reason": stop, "stop_sequence": null, "usage": usage});
        return json_response(StatusCode::OK, &body);
    }
    let mut events = vec![
        (
            "message_start",
            json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant", "content": [], "model": model,
            "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": input_tokens, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        ("ping", json!({"type": "ping"})),
    ];
    for w in words(&text) {
        events.push(("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}})));
    }
    events.push((
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    if let Some((tool_id, name, input)) = &tool {
        let args = input.to_string();
        let (head, tail) = args.split_at(args.len() / 2);
        events.push(("content_block_start", json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": tool_id, "name": name, "input": {}}})));
        for part in [head, tail] {
            events.push(("content_block_delta", json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": part}})));
        }
        events.push((
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 1}),
        ));
    }
    events.push(("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": output_tokens}})));
    events.push(("message_stop", json!({"type": "message_stop"})));
    let lines = events
        .into_iter()
        .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
        .collect();
    sse_response(paced(lines, state.config.pacing(), admitted.drop_after))
}
