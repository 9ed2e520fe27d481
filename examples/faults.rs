//! How a program copes with rate limits and broken streams, using the emulator's fault
//! injection (`x-modelgate-fault`): a 429 retried until it succeeds, the same 429 with
//! retries off, and a stream cut in the middle (the partial message is kept).
//!
//! `cargo run --example faults` (with `modelgate serve` running).

mod common;

use std::time::Instant;

use modelgate::chat::{request, user};
use modelgate::{ApiErrorKind, Error, Provider, VertexKeyClient};
use reqwest::header::{HeaderName, HeaderValue};

fn with_fault(fault: &str, retries: u32) -> Result<VertexKeyClient, Error> {
    let config = common::config(Provider::VertexKey)
        .header(
            HeaderName::from_static("x-modelgate-fault"),
            HeaderValue::from_str(fault).map_err(|e| Error::Config(e.to_string()))?,
        )
        .max_retries(retries);
    VertexKeyClient::new(config)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Rate limited twice (count=2), then served: two retries are enough.
    let started = Instant::now();
    let client = with_fault("429; retry-after=0.2; count=2", 2)?;
    let req = request("aws/glm-5", vec![user("A rate-limited question")]);
    let answer = client.chat().create(&req).await?;
    println!(
        "429 x2 then 200: answered after {:.1} s ({} choice)",
        started.elapsed().as_secs_f64(),
        answer.choices.map_or(0, |c| c.len())
    );

    // Retries off: the 429 comes back with the delay the gateway asked for.
    let client = with_fault("429; retry-after=0.2", 0)?;
    match client.chat().create(&req).await {
        Err(Error::Api(api)) if api.kind == ApiErrorKind::RateLimited => {
            println!("retries off: {api}");
        }
        other => return Err(format!("expected a 429, got {other:?}").into()),
    }

    // A stream cut after 5 events: the error comes with what had arrived.
    let client = with_fault("drop-stream-after=5", 0)?;
    let streamed = request("aws/glm-5", vec![user("A long streamed answer")]);
    match client
        .chat()
        .create_stream(&streamed)
        .await?
        .collect_message()
        .await
    {
        Err((error, partial)) => println!(
            "stream cut: {error}; kept {} chunks, {:?}",
            partial.chunks, partial.content
        ),
        Ok(_) => return Err("expected the stream to break".into()),
    }
    Ok(())
}
