//! Decoding a recorded chat stream of 12,000 chunks into typed chunks, three ways, in one
//! run:
//! - `limit`: `serde_json::from_slice` of the chunk payloads alone (no SSE, no stream);
//! - `modelgate`: the bytes as network reads (1,400 bytes each) through modelgate's SSE
//!   decoder and typed chunk stream (`chat::chat_chunks`), idle timeout included;
//! - `async-openai`: the same reads through `eventsource-stream` into async-openai's
//!   `CreateChatCompletionStreamResponse`, the usual Rust setup.
//!
//! ```text
//! cargo bench --bench stream
//! ```

#[path = "common/stream_corpus.rs"]
mod stream_corpus;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use modelgate::chat::ChatCompletionChunk;
use stream_corpus::{async_openai_decode, modelgate_decode, reads, recorded};

fn bench(c: &mut Criterion) {
    let (body, payloads) = recorded();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // All three decode every chunk.
    assert_eq!(rt.block_on(modelgate_decode(reads(&body))), payloads.len());
    assert_eq!(
        rt.block_on(async_openai_decode(reads(&body))),
        payloads.len()
    );
    eprintln!(
        "stream: {} chunks, {} bytes, {} reads",
        payloads.len(),
        body.len(),
        reads(&body).len()
    );

    let mut group = c.benchmark_group("chat stream to typed chunks");
    group.throughput(Throughput::Elements(payloads.len() as u64));
    group.sample_size(30);
    group.bench_function("limit: serde_json::from_slice of the payloads", |b| {
        b.iter(|| {
            for p in &payloads {
                black_box(serde_json::from_slice::<ChatCompletionChunk>(black_box(p)).unwrap());
            }
        })
    });
    group.bench_function("modelgate", |b| {
        b.iter_batched(
            || reads(&body),
            |r| rt.block_on(modelgate_decode(r)),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("async-openai + eventsource-stream", |b| {
        b.iter_batched(
            || reads(&body),
            |r| rt.block_on(async_openai_decode(r)),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
