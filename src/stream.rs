//! From a streamed HTTP response to server-sent events: the body is read as it arrives,
//! with the configured idle timeout between reads (no total timeout: a stream may run for
//! minutes), and decoded by [`crate::sse::SseDecoder`]. The typed chat and message streams
//! are built on this.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::error::Error;
use crate::sse::{SseDecoder, SseEvent};

/// A boxed stream of results, the shape of every stream this crate returns.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

struct EventState {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    decoder: SseDecoder,
    ready: VecDeque<SseEvent>,
    scratch: Vec<SseEvent>,
    idle: Duration,
    what: String,
    ended: bool,
}

/// The events of a streamed response, in order. A read error or a silence longer than
/// `idle` ends the stream with an error; events already decoded are delivered first.
/// Refuses a request whose `stream` flag does not fit the call: `create` takes one
/// answer, `create_stream` a stream.
pub(crate) fn check_stream_flag(flag: Option<bool>, streamed: bool) -> Result<(), Error> {
    match (flag == Some(true), streamed) {
        (true, false) => Err(Error::Config(
            "`stream` is true: call create_stream for a streamed answer".into(),
        )),
        (false, true) => Err(Error::Config(
            "`stream` is not true: set it, or call create for one answer".into(),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn sse_events(
    response: reqwest::Response,
    idle: Duration,
    what: String,
) -> BoxStream<SseEvent> {
    events_from_bytes(Box::pin(response.bytes_stream()), idle, what)
}

/// [`sse_events`] from any byte stream (used by tests and benchmarks).
pub fn events_from_bytes(
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    idle: Duration,
    what: String,
) -> BoxStream<SseEvent> {
    let state = EventState {
        body,
        decoder: SseDecoder::new(),
        ready: VecDeque::new(),
        scratch: Vec::new(),
        idle,
        what,
        ended: false,
    };
    Box::pin(futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(event) = s.ready.pop_front() {
                return Some((Ok(event), s));
            }
            if s.ended {
                return None;
            }
            match tokio::time::timeout(s.idle, s.body.next()).await {
                Ok(Some(Ok(bytes))) => {
                    s.decoder.feed(&bytes, &mut s.scratch);
                    s.ready.extend(s.scratch.drain(..));
                }
                Ok(Some(Err(e))) => {
                    s.ended = true;
                    let error = Error::Connection {
                        url: s.what.clone(),
                        message: format!("the stream broke: {e}"),
                    };
                    return Some((Err(error), s));
                }
                Ok(None) => {
                    s.ended = true;
                    s.ready.extend(s.decoder.finish());
                }
                Err(_) => {
                    s.ended = true;
                    let error = Error::Timeout {
                        what: format!("{} (no data between stream events)", s.what),
                        after: s.idle,
                    };
                    return Some((Err(error), s));
                }
            }
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
