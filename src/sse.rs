//! Server-sent events: an incremental decoder fed with whatever bytes the network
//! delivers. It handles `\n`, `\r\n` and `\r` line ends (a `\r\n` may be split between two
//! reads), comment and keep-alive lines, `event:` and `id:` fields, multi-line `data:`,
//! and an event that ends the stream without its closing blank line.
//!
//! Memory is bounded whatever the server sends: a line longer than [`MAX_LINE`] or an
//! event whose data grows beyond [`MAX_EVENT`] is an [`SseLimit`] error, after which the
//! decoder takes nothing more.
//!
//! ```
//! use modelgate::sse::SseDecoder;
//!
//! let mut decoder = SseDecoder::new();
//! let mut events = Vec::new();
//! decoder.feed(b": keep-alive\r\nevent: ping\r\ndata: {\"a\":", &mut events)?;
//! decoder.feed(b"1}\r\n\r\ndata: [DONE]\n\n", &mut events)?;
//! assert_eq!(events.len(), 2);
//! assert_eq!(events[0].event.as_deref(), Some("ping"));
//! assert_eq!(events[0].data, "{\"a\":1}");
//! assert!(events[1].is_done());
//! # Ok::<(), modelgate::sse::SseLimit>(())
//! ```

/// The longest line (field name, value and all, without its line end) the decoder holds:
/// 1 MiB. A chat chunk is a few hundred bytes; a whole-message chunk with a long tool
/// call a few hundred KiB at most.
pub const MAX_LINE: usize = 1 << 20;

/// The most data one event may gather over its `data:` lines: 4 MiB.
pub const MAX_EVENT: usize = 4 << 20;

/// A stream that breaks one of the decoder's caps ([`MAX_LINE`], [`MAX_EVENT`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SseLimit {
    /// A line did not end within [`MAX_LINE`] bytes.
    #[error("an event-stream line is longer than the {} MiB limit (MAX_LINE)", MAX_LINE >> 20)]
    Line,
    /// An event's data grew beyond [`MAX_EVENT`] bytes.
    #[error("an event-stream event holds more than the {} MiB limit of data (MAX_EVENT)", MAX_EVENT >> 20)]
    Event,
}

impl SseLimit {
    /// The name of the cap: `MAX_LINE` or `MAX_EVENT`.
    pub fn cap(self) -> &'static str {
        match self {
            SseLimit::Line => "MAX_LINE",
            SseLimit::Event => "MAX_EVENT",
        }
    }
}

/// One event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name, if one was given.
    pub event: Option<String>,
    /// The `data:` lines, joined by `\n`.
    pub data: String,
    /// The `id:` field, if one was given.
    pub id: Option<String>,
}

impl SseEvent {
    /// Whether this is the OpenAI end marker `data: [DONE]`.
    pub fn is_done(&self) -> bool {
        self.data == "[DONE]"
    }
}

/// Decodes a byte stream into events.
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// The last read ended with `\r`: a `\n` starting the next read belongs to it.
    after_cr: bool,
    /// The event being assembled.
    pending: SseEvent,
    /// Whether `pending` has had a `data:` line.
    has_data: bool,
    /// A cap was broken: nothing more is decoded.
    failed: Option<SseLimit>,
}

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `bytes`, appending every event they complete to `out`. Fails when a line
    /// or an event breaks its cap ([`MAX_LINE`], [`MAX_EVENT`]); the events completed
    /// before it are in `out`, and every later call fails the same way.
    pub fn feed(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseLimit> {
        if let Some(limit) = self.failed {
            return Err(limit);
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while !bytes.is_empty() {
            let Some(end) = memchr::memchr2(b'\n', b'\r', bytes) else {
                if self.partial.len() + bytes.len() > MAX_LINE {
                    return Err(self.fail(SseLimit::Line));
                }
                self.partial.extend_from_slice(bytes);
                return Ok(());
            };
            if self.partial.len() + end > MAX_LINE {
                return Err(self.fail(SseLimit::Line));
            }
            let result = if self.partial.is_empty() {
                self.line(&bytes[..end], out)
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&bytes[..end]);
                let result = self.line(&line, out);
                line.clear();
                self.partial = line;
                result
            };
            if let Err(limit) = result {
                return Err(self.fail(limit));
            }
            let mut next = end + 1;
            if bytes[end] == b'\r' {
                match bytes.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            bytes = &bytes[next..];
        }
        Ok(())
    }

    /// Records a broken cap and drops what was held.
    fn fail(&mut self, limit: SseLimit) -> SseLimit {
        self.failed = Some(limit);
        self.partial = Vec::new();
        self.pending = SseEvent::default();
        self.has_data = false;
        limit
    }

    /// At the end of the stream: the last event, if it had data but no closing blank line.
    /// A line cut off without its line end is dropped (it may be incomplete). Nothing
    /// after a broken cap.
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.partial.clear();
        (self.has_data && self.failed.is_none()).then(|| self.take())
    }

    fn take(&mut self) -> SseEvent {
        self.has_data = false;
        let mut event = std::mem::take(&mut self.pending);
        if event.data.ends_with('\n') {
            event.data.pop();
        }
        event
    }

    fn line(&mut self, line: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseLimit> {
        if line.is_empty() {
            if self.has_data {
                out.push(self.take());
            } else {
                // An event without data is not dispatched (the SSE spec).
                self.pending = SseEvent::default();
            }
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(()); // a comment, often a keep-alive
        }
        let (name, value) = match line.iter().position(|b| *b == b':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        // Valid UTF-8 (the common case) is checked fast; anything else is kept lossily.
        let value = match std::str::from_utf8(value) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(value),
        };
        match name {
            b"data" => {
                if self.pending.data.len() + value.len() + 1 > MAX_EVENT {
                    return Err(SseLimit::Event);
                }
                self.pending.data.push_str(&value);
                self.pending.data.push('\n');
                self.has_data = true;
            }
            b"event" => self.pending.event = Some(value.into_owned()),
            b"id" => self.pending.id = Some(value.into_owned()),
            _ => {} // `retry:` and unknown fields
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(text: &[u8], sizes: impl Fn(usize) -> usize) -> Vec<SseEvent> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        let mut rest = text;
        let mut i = 0;
        while !rest.is_empty() {
            let n = sizes(i).clamp(1, rest.len());
            d.feed(&rest[..n], &mut out).unwrap();
            rest = &rest[n..];
            i += 1;
        }
        out.extend(d.finish());
        out
    }

    fn event(name: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: name.map(str::to_string),
            data: data.to_string(),
            id: None,
        }
    }

    const STREAM: &[u8] = b": keep-alive\n\ndata: {\"n\":1}\n\nevent: content_block_delta\ndata: {\"a\":\ndata: 2}\n\n\
        :comment\r\ndata: crlf\r\n\r\ndata: cr\r\rid: 7\ndata: with id\n\nevent: ping\n\ndata: [DONE]\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            event(None, "{\"n\":1}"),
            event(Some("content_block_delta"), "{\"a\":\n2}"),
            event(None, "crlf"),
            event(None, "cr"),
            SseEvent {
                event: None,
                data: "with id".into(),
                id: Some("7".into()),
            },
            event(None, "[DONE]"),
        ]
    }

    #[test]
    fn every_split_gives_the_same_events() {
        assert_eq!(decode_in_pieces(STREAM, |_| usize::MAX), expected());
        assert_eq!(
            decode_in_pieces(STREAM, |_| 1),
            expected(),
            "one byte at a time"
        );
        for size in 2..STREAM.len() {
            assert_eq!(
                decode_in_pieces(STREAM, |_| size),
                expected(),
                "pieces of {size}"
            );
        }
        assert_eq!(
            decode_in_pieces(STREAM, |i| i % 7 + 1),
            expected(),
            "ragged pieces"
        );
    }

    #[test]
    fn a_split_crlf_is_one_line_end() {
        let events = decode_in_pieces(b"data: a\r\n\r\ndata: b\r\n\r\n", |i| {
            if i == 0 { 8 } else { 100 }
        });
        assert_eq!(events, vec![event(None, "a"), event(None, "b")]);
    }

    #[test]
    fn the_last_event_may_lack_its_blank_line_but_not_its_line_end() {
        assert_eq!(
            decode_in_pieces(b"data: last\n", |_| 100),
            vec![event(None, "last")]
        );
        assert_eq!(
            decode_in_pieces(b"data: a\n\ndata: cut", |_| 100),
            vec![event(None, "a")]
        );
    }

    #[test]
    fn field_forms() {
        let events = decode_in_pieces(
            b"data:nospace\n\ndata\n\ndata:  two spaces\n\nretry: 5\nfoo: bar\ndata: x\n\n",
            |_| 100,
        );
        assert_eq!(
            events,
            vec![
                event(None, "nospace"),
                event(None, ""),
                event(None, " two spaces"),
                event(None, "x")
            ]
        );
    }

    #[test]
    fn a_line_without_end_stops_at_the_line_cap() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        d.feed(b"data: ok\n\ndata: ", &mut out).unwrap();
        let piece = vec![b'x'; 64 << 10];
        let mut fed = 0;
        let err = loop {
            match d.feed(&piece, &mut out) {
                Ok(()) => fed += piece.len(),
                Err(e) => break e,
            }
            assert!(fed <= MAX_LINE, "the decoder kept {fed} bytes of one line");
        };
        assert_eq!(err, SseLimit::Line);
        assert!(err.to_string().contains("MAX_LINE"), "{err}");
        assert_eq!(out, vec![event(None, "ok")]);
        assert!(d.partial.capacity() == 0, "the line is dropped");
        assert_eq!(d.feed(b"\n\n", &mut out), Err(SseLimit::Line));
        assert_eq!(d.finish(), None);
        // One read holding the whole long line, its end included.
        let mut d = SseDecoder::new();
        let mut long = b"data: ".to_vec();
        long.resize(MAX_LINE + 1, b'y');
        long.extend_from_slice(b"\n\n");
        assert_eq!(d.feed(&long, &mut out), Err(SseLimit::Line));
        // A line just under the cap passes.
        let mut d = SseDecoder::new();
        let mut fits = b"data: ".to_vec();
        fits.resize(MAX_LINE, b'z');
        fits.extend_from_slice(b"\n\n");
        let mut events = Vec::new();
        d.feed(&fits, &mut events).unwrap();
        assert_eq!(events[0].data.len(), MAX_LINE - 6);
    }

    #[test]
    fn an_event_of_many_data_lines_stops_at_the_event_cap() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        let mut line = b"data: ".to_vec();
        line.resize(512 << 10, b'd');
        line.push(b'\n');
        let mut lines = 0;
        let err = loop {
            match d.feed(&line, &mut out) {
                Ok(()) => lines += 1,
                Err(e) => break e,
            }
            assert!(lines * line.len() <= MAX_EVENT + line.len());
        };
        assert_eq!(err, SseLimit::Event);
        assert!(err.to_string().contains("MAX_EVENT"), "{err}");
        assert!(out.is_empty());
        assert!(d.pending.data.capacity() == 0, "the event is dropped");
    }
}
