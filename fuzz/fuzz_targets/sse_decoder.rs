//! The SSE decoder on arbitrary bytes cut at arbitrary places: no panic, and the same
//! events however the bytes are split (the first byte of the input picks the cut sizes).
//! The events then go through the typed chat and Anthropic stream decoders.

#![no_main]

use futures_util::StreamExt;
use libfuzzer_sys::fuzz_target;
use modelgate::sse::{SseDecoder, SseEvent};

fn decode(pieces: &[&[u8]]) -> Vec<SseEvent> {
    let mut decoder = SseDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        if decoder.feed(piece, &mut out).is_err() {
            break;
        }
    }
    out.extend(decoder.finish());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let whole = decode(&[bytes]);
    let step = usize::from(cut % 17) + 1;
    let pieces: Vec<&[u8]> = bytes.chunks(step).collect();
    assert_eq!(whole, decode(&pieces), "split into pieces of {step}");
    let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(whole, decode(&one_by_one), "split into single bytes");

    // The typed decoders after it: errors are fine, panics are not.
    let events = || {
        let items: Vec<Result<SseEvent, modelgate::Error>> =
            whole.iter().cloned().map(Ok).collect();
        futures_util::stream::iter(items).boxed()
    };
    futures_util::future::FutureExt::now_or_never(async {
        let mut chunks = modelgate::chat::chat_chunks(events());
        let mut acc = modelgate::chat::ChatAccumulator::default();
        while let Some(chunk) = chunks.next().await {
            match chunk {
                Ok(c) => acc.push(&c),
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
        let mut messages = modelgate::messages::message_events(events());
        let mut acc = modelgate::messages::MessageAccumulator::default();
        while let Some(event) = messages.next().await {
            if let Ok(e) = event {
                acc.push(&e);
            }
        }
        let _ = acc.text();
    })
    .expect("the decoders over an in-memory stream never wait");
});
