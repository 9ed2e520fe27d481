//! Catching bad requests: before sending (the client refuses, listing every error with
//! its JSON pointer), in CI (validate a payload with no client at all), and on the
//! gateway's side (the emulator answers 400 in the gateway's error shape). Parameters the
//! gateway does not document are warnings, not errors: the request still goes.
//!
//! `cargo run --example validation_errors` (with `modelgate serve` running).

mod common;

use modelgate::chat::{request, user};
use modelgate::{ApiErrorKind, Error, Validator};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A payload file as CI sees it: no client, no network.
    let payload = json!({
        "model": "vtrix-gpt-5.3-codex",
        "messages": [{"role": "user", "content": "Refactor this"}],
        "max_tokens": 200000,
        "reasoning_effort": "extreme",
        "seed": 7,
    });
    let report = Validator::new().validate_value(&payload);
    println!(
        "payload: {} error(s), {} warning(s)",
        report.errors.len(),
        report.warnings.len()
    );
    for v in report.findings() {
        println!("  {v}");
    }
    if report.errors.len() != 2 || report.warnings.len() != 1 {
        return Err(
            "expected two errors (max_tokens, reasoning_effort) and one warning (seed)".into(),
        );
    }

    // 2. The client refuses to send a request that breaks its model's limits.
    let client = common::vtrix()?;
    let req = request("vtrix-claude-sonnet-4.5", [user("Hello")])
        .max_tokens(64001)
        .temperature(2.5);
    match client.chat().create(&req).await {
        Err(Error::Validation { subject, errors }) => {
            println!("not sent, {subject}:");
            for v in &errors {
                println!("  {v}");
            }
        }
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }

    // 3. With client validation off, the gateway (here the emulator) refuses it: 400.
    match client.chat().validate(false).create(&req).await {
        Err(Error::Api(api)) if api.kind == ApiErrorKind::BadRequest => {
            println!("gateway: {api}");
            let body: serde_json::Value = serde_json::from_str(&api.body)?;
            for v in body["error"]["violations"].as_array().into_iter().flatten() {
                println!("  {} {}", v["pointer"], v["message"]);
            }
        }
        other => return Err(format!("expected a 400 from the gateway, got {other:?}").into()),
    }
    Ok(())
}
