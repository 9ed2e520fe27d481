//! Chat completions in the OpenAI format, for both gateways: a deterministic answer (the
//! same request gets the same words), `max_tokens` respected (`finish_reason: length` when
//! it cuts), a tool or function call when the prompt asks for one, JSON that satisfies
//! `response_format`, reasoning text for reasoning models, and real SSE streams.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use modelgate::Endpoint;
use serde_json::{Value, json};

use crate::content::{from_schema, sentence, tokens, tool_arguments};
use crate::server::{AppState, CREATED, Shape, admit, error, json_response, paced, sse_response};

pub(crate) async fn vtrix(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    complete(&state, &headers, &body, Endpoint::VtrixChatCompletions).await
}

pub(crate) async fn vertexkey(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    complete(&state, &headers, &body, Endpoint::VertexKeyChatCompletions).await
}

/// What the answer is made of.
pub(crate) struct Answer {
    pub text: String,
    pub reasoning: Option<String>,
    /// A call: (id, name, arguments as JSON text).
    pub call: Option<(String, String, String)>,
    pub cut: bool,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

/// The text of every message, and of the last message when it is the user's (after a
/// tool result, the model answers rather than asking for the tool again).
pub(crate) fn prompt_text(messages: &Value) -> (String, String) {
    let text = |content: &Value| match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    let all: Vec<String> = messages
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| text(m.get("content").unwrap_or(&Value::Null)))
        .collect();
    let last_user = messages
        .as_array()
        .into_iter()
        .flatten()
        .next_back()
        .filter(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .map(|m| text(m.get("content").unwrap_or(&Value::Null)))
        .unwrap_or_default();
    (all.join("\n"), last_user)
}

/// A function the prompt asks to call: one named in it, or any when it says "call",
/// "use the tool" or "tool".
pub(crate) fn wanted_function(
    functions: &[(&str, Value)],
    prompt: &str,
) -> Option<(String, Value)> {
    let lower = prompt.to_lowercase();
    let named = functions
        .iter()
        .find(|(name, _)| lower.contains(&name.to_lowercase()));
    let asked = lower.contains("tool") || lower.contains("call") || lower.contains("function");
    named
        .or(if asked { functions.first() } else { None })
        .map(|(name, params)| (name.to_string(), params.clone()))
}

/// The answer to a chat request; a tool schema or `response_format` schema that asks for
/// more than the emulator generates (see [`crate::content::TooLarge`]) is refused with
/// what to say in a 400.
pub(crate) fn answer(body: &Value, seed: u64, max_tokens_default: i64) -> Result<Answer, String> {
    let messages = body.get("messages").cloned().unwrap_or(Value::Null);
    let (all, last) = prompt_text(&messages);
    let max_tokens = body
        .get("max_tokens")
        .and_then(Value::as_i64)
        .unwrap_or(max_tokens_default)
        .max(1);
    let tools: Vec<(&str, Value)> = body
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t.pointer("/function/name")?.as_str()?,
                t.pointer("/function/parameters")
                    .cloned()
                    .unwrap_or(json!({})),
            ))
        })
        .chain(
            body.get("functions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|f| {
                    Some((
                        f.get("name")?.as_str()?,
                        f.get("parameters").cloned().unwrap_or(json!({})),
                    ))
                }),
        )
        .collect();
    let call = match wanted_function(&tools, &last) {
        Some((name, params)) => {
            let arguments = tool_arguments(&params, seed)
                .map_err(|e| format!("the parameters of tool `{name}`: {e}"))?;
            Some((
                format!("call_{:08x}", seed as u32),
                name,
                arguments.to_string(),
            ))
        }
        None => None,
    };
    let format = body
        .pointer("/response_format/type")
        .and_then(Value::as_str);
    let mut text = match format {
        Some("json_object") => json!({"answer": sentence(seed, 6)}).to_string(),
        Some("json_schema") => {
            let schema = body
                .pointer("/response_format/json_schema/schema")
                .cloned()
                .unwrap_or(json!({"type": "object"}));
            from_schema(&schema, seed)
                .map_err(|e| format!("/response_format/json_schema/schema: {e}"))?
                .to_string()
        }
        _ => sentence(seed, 8 + (seed % 17) as usize),
    };
    let mut cut = false;
    // Plain text (no response_format, or type text) is cut to max_tokens; JSON is kept
    // whole so that it stays valid. A tool call replaces the text.
    if call.is_some() {
        text.clear();
    } else if !matches!(format, Some("json_object" | "json_schema")) && tokens(&text) > max_tokens {
        text = text.chars().take((max_tokens * 4) as usize).collect();
        cut = true;
    }
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    let reasoning =
        (model.contains("r1") || model.contains("reason")).then(|| sentence(seed ^ 0x5eed, 10));
    let completion_tokens = tokens(&text)
        + reasoning.as_deref().map_or(0, tokens)
        + call.as_ref().map_or(0, |c| tokens(&c.2));
    Ok(Answer {
        text,
        reasoning,
        call,
        cut,
        prompt_tokens: tokens(&all),
        completion_tokens,
    })
}

async fn complete(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    endpoint: Endpoint,
) -> Response {
    let admitted = match admit(state, headers, body, Shape::OpenAi, Some(endpoint)).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let req = &admitted.body;
    let model = req
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let a = match answer(req, admitted.seed, 256) {
        Ok(a) => a,
        Err(message) => {
            return error(
                Shape::OpenAi,
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                &message,
                json!({}),
            );
        }
    };
    let id = format!("chatcmpl-{:016x}", admitted.seed);
    let finish = if a.call.is_some() {
        if req.get("functions").is_some() {
            "function_call"
        } else {
            "tool_calls"
        }
    } else if a.cut {
        "length"
    } else {
        "stop"
    };
    let usage = json!({"prompt_tokens": a.prompt_tokens, "completion_tokens": a.completion_tokens, "total_tokens": a.prompt_tokens + a.completion_tokens});
    if req.get("stream").and_then(Value::as_bool) != Some(true) {
        let mut message = json!({"role": "assistant", "content": if a.call.is_some() { Value::Null } else { json!(a.text) }, "refusal": null});
        if let Some(r) = &a.reasoning {
            message["reasoning_content"] = json!(r);
        }
        if let Some((call_id, name, args)) = &a.call {
            if finish == "function_call" {
                message["function_call"] = json!({"name": name, "arguments": args});
            } else {
                message["tool_calls"] = json!([{"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}]);
            }
        }
        let body = json!({"id": id, "object": "chat.completion", "created": CREATED, "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
            "usage": usage, "system_fingerprint": "fp_modelgate_emulator"});
        return json_response(StatusCode::OK, &body);
    }
    let chunk = |delta: Value, finish: Value| {
        json!({"id": id, "object": "chat.completion.chunk", "created": CREATED, "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
    };
    let mut events = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    if let Some(r) = &a.reasoning {
        events.extend(words(r).map(|w| chunk(json!({"reasoning_content": w}), Value::Null)));
    }
    events.extend(words(&a.text).map(|w| chunk(json!({"content": w}), Value::Null)));
    if let Some((call_id, name, args)) = &a.call {
        let (head, tail) = args.split_at(args.len() / 2);
        events.push(chunk(json!({"tool_calls": [{"index": 0, "id": call_id, "type": "function", "function": {"name": name, "arguments": head}}]}), Value::Null));
        events.push(chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": tail}}]}),
            Value::Null,
        ));
    }
    events.push(chunk(json!({}), json!(finish)));
    let mut last = json!({"id": id, "object": "chat.completion.chunk", "created": CREATED, "model": model, "choices": []});
    last["usage"] = usage;
    events.push(last);
    let mut lines: Vec<String> = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    lines.push("data: [DONE]\n\n".into());
    sse_response(paced(lines, state.config.pacing(), admitted.drop_after))
}

/// Words with their leading space, the way models stream tokens.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_inclusive(' ').map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_answer(response_format: Value) -> Answer {
        let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
            "max_tokens": 2, "response_format": response_format});
        answer(&body, 42, 100).unwrap()
    }

    #[test]
    fn plain_text_is_cut_to_max_tokens_with_or_without_a_text_format() {
        for format in [Value::Null, json!({"type": "text"})] {
            let a = long_answer(format.clone());
            assert!(a.cut, "{format}");
            assert_eq!(a.text.chars().count(), 8, "{format}: {}", a.text);
        }
        let json = long_answer(json!({"type": "json_object"}));
        assert!(!json.cut);
        serde_json::from_str::<Value>(&json.text).expect("whole JSON");
    }

    #[test]
    fn a_tool_call_replaces_the_text_and_only_the_call_is_counted() {
        let body = json!({"model": "m", "messages": [{"role": "user", "content": "call the tool"}],
            "tools": [{"type": "function", "function": {"name": "search",
                "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}]});
        let a = answer(&body, 7, 100).unwrap();
        let (_, name, arguments) = a.call.as_ref().expect("a call");
        assert_eq!(name, "search");
        assert_eq!(a.text, "");
        assert_eq!(a.completion_tokens, tokens(arguments));
    }
}
