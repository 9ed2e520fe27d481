//! The ratios of `stream.rs`, measured so that a shared, noisy machine cannot skew them:
//! the limit, modelgate and async-openai decode the same recorded stream in alternating
//! rounds, and the medians are compared.
//!
//! ```text
//! cargo bench --bench stream_ab
//! ```

#[path = "common/median.rs"]
mod median;
#[path = "common/stream_corpus.rs"]
mod stream_corpus;

use std::hint::black_box;
use std::time::Instant;

use median::median;
use modelgate::chat::ChatCompletionChunk;
use stream_corpus::{async_openai_decode, modelgate_decode, reads, recorded};

const ROUNDS: usize = 21;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let (body, payloads) = recorded();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for p in &payloads {
            black_box(serde_json::from_slice::<ChatCompletionChunk>(black_box(p)).unwrap());
        }
        times[0].push(t.elapsed().as_secs_f64());
        let r = reads(&body);
        let t = Instant::now();
        black_box(rt.block_on(modelgate_decode(r)));
        times[1].push(t.elapsed().as_secs_f64());
        let r = reads(&body);
        let t = Instant::now();
        black_box(rt.block_on(async_openai_decode(r)));
        times[2].push(t.elapsed().as_secs_f64());
    }
    let [limit, ours, peer] = times.map(|t| median(&t));
    println!("stream of {} chunks ({} bytes)", payloads.len(), body.len());
    println!("limit (serde_json::from_slice)    {:7.2} ms", limit * 1e3);
    println!(
        "modelgate                         {:7.2} ms   {:.2}x the limit",
        ours * 1e3,
        ours / limit
    );
    println!(
        "async-openai + eventsource-stream {:7.2} ms   {:.2}x the limit, modelgate {:.2}x faster",
        peer * 1e3,
        peer / limit,
        peer / ours
    );
}
