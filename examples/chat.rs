//! A chat completion on each gateway, with its token usage and estimated cost.
//!
//! `cargo run --example chat` (with `modelgate serve` running).

mod common;

use modelgate::chat::{ChatCompletionRequest, request, system, user};
use modelgate::cost::{TokenUsage, estimate};
use modelgate::{ModelId, cost::Cost};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (model, answer) in [
        (
            "aws/claude-sonnet-4-6",
            ask_vertexkey("aws/claude-sonnet-4-6").await?,
        ),
        (
            "vtrix-deepseek-v3.1",
            ask_vtrix("vtrix-deepseek-v3.1").await?,
        ),
    ] {
        let text = answer.text().unwrap_or_default();
        println!("{model}: {text}");
        if let Some(usage) = &answer.usage {
            let tokens = TokenUsage::from(usage);
            let cost = estimate(
                ModelId::from_id(model).ok_or("unknown model")?.info(),
                &tokens,
            )
            .map_or(
                "no token price in the catalog".to_string(),
                |Cost { currency, amount }| format!("{amount:.6} {currency}"),
            );
            println!("  {} in, {} out; cost {cost}", tokens.input, tokens.output);
        }
    }
    Ok(())
}

fn question(model: &str) -> ChatCompletionRequest {
    let messages = [
        system("Answer in one sentence."),
        user("What does an AI gateway do?"),
    ];
    request(model, messages).max_tokens(200).temperature(0.2)
}

async fn ask_vertexkey(model: &str) -> Result<modelgate::chat::ChatCompletion, modelgate::Error> {
    common::vertexkey()?.chat().create(&question(model)).await
}

async fn ask_vtrix(model: &str) -> Result<modelgate::chat::ChatCompletion, modelgate::Error> {
    common::vtrix()?.chat().create(&question(model)).await
}
