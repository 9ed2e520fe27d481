//! From a streamed HTTP response to server-sent events: the body is read as it arrives
//! and decoded by [`crate::sse::SseDecoder`] (with its size caps), under two limits: the
//! idle limit between events that carry data (comments and keep-alives do not reset it)
//! and the overall deadline of the call ([`crate::Config::stream_timeout`]). The typed
//! chat and message streams are built on this.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::time::Instant;

use crate::error::Error;
use crate::sse::{SseDecoder, SseEvent};

/// A boxed stream of results, the shape of every stream this crate returns.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

struct EventState {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    decoder: SseDecoder,
    ready: VecDeque<SseEvent>,
    scratch: Vec<SseEvent>,
    limits: StreamLimits,
    /// When the idle limit runs out: moved on by each data event, not by comments.
    idle_until: Instant,
    /// Events delivered so far.
    events: usize,
    /// The first bytes of the body, kept until the first event (for the error when
    /// none comes).
    head: Vec<u8>,
    /// The error that ends the stream, after the events decoded before it.
    failure: Option<Error>,
    ended: bool,
}

/// The deadlines and names of one stream (see [`crate::Config::stream_timeout`]).
#[derive(Clone, Debug)]
pub(crate) struct StreamLimits {
    /// Longest wait for the next event with data.
    pub idle: Duration,
    /// When the whole stream must have ended, and the limit it comes from.
    pub deadline: Option<(Instant, Duration)>,
    /// The endpoint or operation, for timeouts and decode errors.
    pub what: String,
    /// The URL (without credentials), for broken connections.
    pub url: String,
    /// The HTTP status of the response.
    pub status: u16,
}

/// How much of the body's start is kept for the error of a stream without events.
const HEAD: usize = 1024;

/// The events of a streamed response, in order. A read error, a cap broken
/// ([`crate::sse::MAX_LINE`], [`crate::sse::MAX_EVENT`]), no data event within the idle
/// limit, the overall deadline, or a body that ends before its first event ends the
/// stream with an error; events already decoded are delivered first.
pub(crate) fn sse_events(response: reqwest::Response, limits: StreamLimits) -> BoxStream<SseEvent> {
    events_with(Box::pin(response.bytes_stream()), limits)
}

/// The events of a response body, as a streamed call reads them, from any byte stream (used by tests and benchmarks): `idle` is the
/// longest wait for an event with data (comments and keep-alives do not count), with
/// no overall deadline.
pub fn events_from_bytes(
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    idle: Duration,
    what: String,
) -> BoxStream<SseEvent> {
    events_with(
        body,
        StreamLimits {
            idle,
            deadline: None,
            url: what.clone(),
            what,
            status: 200,
        },
    )
}

fn events_with(
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    limits: StreamLimits,
) -> BoxStream<SseEvent> {
    let state = EventState {
        body,
        decoder: SseDecoder::new(),
        ready: VecDeque::new(),
        scratch: Vec::new(),
        idle_until: crate::http::later(Instant::now(), limits.idle),
        limits,
        events: 0,
        head: Vec::new(),
        failure: None,
        ended: false,
    };
    Box::pin(futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(event) = s.ready.pop_front() {
                s.events += 1;
                return Some((Ok(event), s));
            }
            if let Some(error) = s.failure.take() {
                return Some((Err(error), s));
            }
            if s.ended {
                return None;
            }
            let (until, total) = match s.limits.deadline {
                Some((deadline, total)) if deadline <= s.idle_until => (deadline, Some(total)),
                _ => (s.idle_until, None),
            };
            let next = tokio::time::timeout_at(until, s.body.next()).await;
            let outcome = match next {
                Ok(Some(Ok(bytes))) => {
                    if s.events == 0 && s.head.len() < HEAD {
                        let room = HEAD - s.head.len();
                        s.head.extend_from_slice(&bytes[..bytes.len().min(room)]);
                    }
                    let fed = s.decoder.feed(&bytes, &mut s.scratch);
                    if !s.scratch.is_empty() {
                        s.idle_until = crate::http::later(Instant::now(), s.limits.idle);
                        s.head = Vec::new();
                    }
                    s.ready.extend(s.scratch.drain(..));
                    match fed {
                        Ok(()) => continue,
                        Err(limit) => Error::TooLarge {
                            what: s.limits.what.clone(),
                            cap: limit.cap(),
                            message: limit.to_string(),
                        },
                    }
                }
                Ok(Some(Err(e))) => Error::Connection {
                    url: s.limits.url.clone(),
                    message: format!("the stream broke: {}", crate::http::error_chain(&e)),
                },
                Ok(None) => {
                    s.ended = true;
                    s.ready.extend(s.decoder.finish());
                    if s.events == 0 && s.ready.is_empty() {
                        let message = "the event stream ended before its first event";
                        s.failure = Some(crate::http::decode_error(
                            &s.limits.what,
                            s.limits.status,
                            message,
                            &std::mem::take(&mut s.head),
                        ));
                    }
                    continue;
                }
                Err(_) => match total {
                    Some(after) => Error::Timeout {
                        what: format!("{} (the whole stream)", s.limits.what),
                        after,
                    },
                    None => Error::Timeout {
                        what: format!("{} (no data event)", s.limits.what),
                        after: s.limits.idle,
                    },
                },
            };
            // Events decoded before the failure come first; then the error ends it.
            s.ended = true;
            s.failure = Some(outcome);
        }
    }))
}

/// Turns events into items with `decode`, which may end the stream (`Ok(None)`, e.g. at
/// `[DONE]`) or fail it (`Err`, e.g. an `error` event). After an error nothing follows.
pub(crate) fn typed<T: Send + 'static>(
    events: BoxStream<SseEvent>,
    decode: fn(SseEvent) -> Result<Option<T>, Error>,
) -> BoxStream<T> {
    Box::pin(futures_util::stream::unfold(
        (events, false),
        move |(mut events, stopped)| async move {
            if stopped {
                return None;
            }
            match events.next().await? {
                Ok(event) => match decode(event) {
                    Ok(Some(item)) => Some((Ok(item), (events, false))),
                    Ok(None) => None,
                    Err(e) => Some((Err(e), (events, true))),
                },
                Err(e) => Some((Err(e), (events, true))),
            }
        },
    ))
}

/// The error an `error` event (or a `{"error": ...}` payload) carries.
pub(crate) fn stream_error(data: &str) -> Error {
    let (code, message) = crate::http::error_fields(data);
    Error::Stream {
        code,
        message: message.unwrap_or_else(|| data.chars().take(200).collect()),
        data: data.to_string(),
    }
}
