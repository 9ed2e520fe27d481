//! Anthropic Messages on VertexKey: a message with a system prompt, then the same request
//! streamed, event by event.
//!
//! `cargo run --example messages` (with `modelgate serve` running).

mod common;

use std::io::Write;

use futures_util::StreamExt;
use modelgate::ModelId;
use modelgate::messages::{MessageAccumulator, request, user};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vertexkey()?;
    let req = request(
        ModelId::AwsClaudeOpus4_7,
        [user("What is prompt caching?")],
        300,
    )
    .system("You are terse.");
    let message = client.messages().create(&req).await?;
    let text = message.text();
    println!("{text}");
    println!(
        "stop reason {:?}, usage {:?}",
        message.stop_reason, message.usage
    );

    // The same request, streamed: create_stream sends `stream: true` itself.
    let mut events = client.messages().create_stream(&req).await?;
    let mut whole = MessageAccumulator::default();
    let mut kinds: Vec<(String, usize)> = Vec::new();
    while let Some(event) = events.next().await {
        let event = event?;
        let kind = event.type_.to_string();
        match kinds.last_mut() {
            Some((last, n)) if *last == kind => *n += 1,
            _ => kinds.push((kind, 1)),
        }
        whole.push(&event);
        if let Some(text) = event.delta.as_ref().and_then(|d| d.text.as_deref()) {
            print!("{text}");
            std::io::stdout().flush()?;
        }
    }
    println!();
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(kind, n)| {
            if *n > 1 {
                format!("{kind} x{n}")
            } else {
                kind.clone()
            }
        })
        .collect();
    println!("events: {}", kinds.join(", "));
    if whole.text() != text {
        return Err("the streamed message differs from the whole one".into());
    }
    Ok(())
}
