//! The benchmark corpus shared by `validate.rs` (criterion) and `validate_ab.rs`
//! (interleaved rounds): per documented model, one valid payload and three broken in
//! different ways, half with `model` written first and half with it last (as
//! `serde_json::Value` and the OpenAI Python SDK write it); and the jsonschema side.

#![allow(dead_code)] // each benchmark uses part of it

use std::collections::HashMap;

use modelgate::catalog::{MODELS, ModelStatus};
use serde_json::{Value, json};

/// A realistic valid payload for a model on its default endpoint, or `None` when the
/// endpoint is not one the corpus covers.
fn valid_payload(id: &str, endpoint: &str) -> Option<Value> {
    let conversation = json!([
        {"role": "system", "content": "You are a careful assistant. Answer in at most three sentences and cite the document section you used."},
        {"role": "user", "content": "Our gateway returns 429 on bursts of requests. What retry policy should the client use, and how long should it wait?"},
        {"role": "assistant", "content": "Retry with exponential backoff starting at half a second, capped at eight seconds, honouring Retry-After when present."},
        {"role": "user", "content": [{"type": "text", "text": "And for image generation, which is billed per request?"}]}
    ]);
    Some(match endpoint {
        "vtrix.chat_completions" | "vertexkey.chat_completions" => {
            json!({"model": id, "messages": conversation, "max_tokens": 1024, "temperature": 0.7, "top_p": 0.9, "stream": false})
        }
        "vtrix.media_generation" => json!({"model": id, "input": [{"params": {
            "first_frame_image": "https://example.com/frame.jpg", "prompt": "[Zoom in] a lighthouse at dusk", "duration": 6}}]}),
        "vertexkey.images_generations" => {
            json!({"model": id, "prompt": "A red panda in a bamboo forest, watercolour"})
        }
        "vertexkey.videos" => {
            json!({"model": id, "prompt": "A cat walking on the beach at sunset"})
        }
        _ => return None,
    })
}

/// The corpus: per model, one valid payload and three broken in different ways, with the
/// model key first in half of them and last in the other half.
pub fn corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for m in MODELS
        .iter()
        .filter(|m| m.status == ModelStatus::Documented)
    {
        let (Some(id), Some(endpoint)) = (m.id, m.default_endpoint()) else {
            continue;
        };
        let Some(valid) = valid_payload(id, endpoint.key()) else {
            continue;
        };
        let mut variants = vec![valid.clone()];
        for (key, bad) in [
            ("max_tokens", json!(10_000_000)),
            ("temperature", json!("hot")),
            ("unknown_knob", json!(true)),
        ] {
            let mut v = valid.clone();
            v[key] = bad;
            variants.push(v);
        }
        for (i, v) in variants.into_iter().enumerate() {
            let text = serde_json::to_string(&v).unwrap();
            let text = if i % 2 == 1 {
                move_model_last(&v)
            } else {
                text
            };
            out.push(text.into_bytes());
        }
    }
    out
}

/// The same payload with `model` written last (as the OpenAI Python SDK sends it).
fn move_model_last(v: &Value) -> String {
    let mut map = v.as_object().unwrap().clone();
    let model = map.remove("model").unwrap();
    let mut body = serde_json::to_string(&Value::Object(map)).unwrap();
    body.pop();
    format!("{body},\"model\":{model}}}")
}

pub fn jsonschema_validators() -> HashMap<&'static str, jsonschema::Validator> {
    MODELS
        .iter()
        .filter_map(|m| {
            let request = m.requests.first()?;
            let schema: Value = request.json_schema(m);
            Some((m.id?, jsonschema::validator_for(&schema).unwrap()))
        })
        .collect()
}

pub fn jsonschema_verdict(validators: &HashMap<&str, jsonschema::Validator>, bytes: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    let Some(validator) = value
        .get("model")
        .and_then(Value::as_str)
        .and_then(|m| validators.get(m))
    else {
        return false;
    };
    validator.is_valid(&value)
}
