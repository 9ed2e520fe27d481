//! Server-sent events: an incremental decoder fed with whatever bytes the network
//! delivers. It handles `\n`, `\r\n` and `\r` line ends (a `\r\n` may be split between two
//! reads), comment and keep-alive lines, `event:` and `id:` fields, multi-line `data:`,
//! and an event that ends the stream without its closing blank line.
//!
//! ```
//! use modelgate::sse::SseDecoder;
//!
//! let mut decoder = SseDecoder::new();
//! let mut events = Vec::new();
//! decoder.feed(b": keep-alive\r\nevent: ping\r\ndata: {\"a\":", &mut events);
//! decoder.feed(b"1}\r\n\r\ndata: [DONE]\n\n", &mut events);
//! assert_eq!(events.len(), 2);
//! assert_eq!(events[0].event.as_deref(), Some("ping"));
//! assert_eq!(events[0].data, "{\"a\":1}");
//! assert!(events[1].is_done());
//! ```

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
}

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `bytes`, appending every event they complete to `out`.
    pub fn feed(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) {
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while !bytes.is_empty() {
            let Some(end) = memchr::memchr2(b'\n', b'\r', bytes) else {
                self.partial.extend_from_slice(bytes);
                return;
            };
            if self.partial.is_empty() {
                self.line(&bytes[..end], out);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&bytes[..end]);
                self.line(&line, out);
                line.clear();
                self.partial = line;
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
    }

    /// At the end of the stream: the last event, if it had data but no closing blank line.
    /// A line cut off without its line end is dropped (it may be incomplete).
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.partial.clear();
        self.has_data.then(|| self.take())
    }

    fn take(&mut self) -> SseEvent {
        self.has_data = false;
        let mut event = std::mem::take(&mut self.pending);
        if event.data.ends_with('\n') {
            event.data.pop();
        }
        event
    }

    fn line(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if self.has_data {
                out.push(self.take());
            } else {
                // An event without data is not dispatched (the SSE spec).
                self.pending = SseEvent::default();
            }
            return;
        }
        if line[0] == b':' {
            return; // a comment, often a keep-alive
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
                self.pending.data.push_str(&value);
                self.pending.data.push('\n');
                self.has_data = true;
            }
            b"event" => self.pending.event = Some(value.into_owned()),
            b"id" => self.pending.id = Some(value.into_owned()),
            _ => {} // `retry:` and unknown fields
        }
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
            d.feed(&rest[..n], &mut out);
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
}
