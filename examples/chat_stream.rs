//! A streamed chat: tokens are printed as they arrive, then the accumulated message.
//!
//! `cargo run --example chat_stream` (with `modelgate serve` running).

mod common;

use std::io::Write;

use futures_util::StreamExt;
use modelgate::chat::{ChatAccumulator, request, user};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vertexkey()?;
    // create_stream sends `stream: true` itself.
    let req = request(
        "aws/claude-haiku-4-5",
        vec![user("Tell me about server-sent events.")],
    );
    let mut stream = client.chat().create_stream(&req).await?;
    let mut message = ChatAccumulator::default();
    let mut out = std::io::stdout();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if let Some(text) = chunk.delta_text() {
            write!(out, "{text}")?;
            out.flush()?;
        }
        message.push(&chunk);
    }
    println!();
    println!(
        "{} chunks, finish reason {:?}, {} completion tokens",
        message.chunks,
        message.finish_reason,
        message
            .usage
            .as_ref()
            .and_then(|u| u.completion_tokens)
            .unwrap_or(0)
    );
    Ok(())
}
