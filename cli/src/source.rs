//! Where findings are in their files. The validator gives each finding the bytes it is
//! about, from the one pass that found it (the JSON walk, or the YAML reader for a YAML
//! payload); this module turns those byte spans into lines and columns, and gives the
//! printers the lines around a span. Nothing here reads JSON or YAML again.
//!
//! Lines are counted from 1 and columns in characters (Unicode scalar values) from 1,
//! as editors and SARIF's `unicodeCodePoints` do. A JSON text breaks lines at `\n`; a
//! YAML text also at a lone `\r`, as the YAML reader counts them.

use std::borrow::Cow;
use std::ops::Range;

/// The byte offsets where the lines of a text start.
#[derive(Clone, Debug)]
pub struct LineStarts {
    starts: Vec<usize>,
    /// The last position found, as (byte offset, column): the next one on the same line
    /// at or after it counts characters from there, not from the line's start. Findings
    /// are placed in payload order, so placing them all costs one count over each line,
    /// however many of them a (minified, one-line) payload has.
    last: std::cell::Cell<(usize, usize)>,
}

impl PartialEq for LineStarts {
    fn eq(&self, other: &Self) -> bool {
        self.starts == other.starts
    }
}

impl Eq for LineStarts {}

impl LineStarts {
    /// Lines broken at `\n` (JSON).
    pub fn json(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts::new(starts)
    }

    fn new(starts: Vec<usize>) -> Self {
        LineStarts {
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// Lines broken at `\n`, `\r\n` or a lone `\r` (YAML).
    pub fn yaml(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if breaks {
                starts.push(i + 1);
            }
        }
        LineStarts::new(starts)
    }

    /// Line (from 1) and column (characters, from 1) of byte `offset` of `text`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        let (last, last_column) = self.last.get();
        // From the last position when it is on this line and nearer than the line's start.
        let column = if start <= last && last <= offset {
            last_column + text[last..offset].chars().count()
        } else if start <= offset && offset < last && last - offset < offset - start {
            last_column - text[offset..last].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (line, column)
    }

    /// Byte offset of `line` (from 1), `column` (characters, from 1), kept within the
    /// line (its end, for a column past it).
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let range = self.line(text, line.max(1));
        let line_text = &text[range.clone()];
        range.start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i)
    }

    /// The bytes of `line` (from 1) without its line break.
    pub fn line(&self, text: &str, line: usize) -> Range<usize> {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        let mut end = self
            .starts
            .get(line)
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }
}

/// The largest char boundary of `text` at or below `offset`.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where a finding is in its file: the start and the end (just after its last
/// character) of its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    /// Line of the first byte, from 1, in the file.
    pub line: usize,
    /// Column of the first byte, in characters, from 1.
    pub column: usize,
    /// Line of the end, in the file.
    pub end_line: usize,
    /// Column just after the last character.
    pub end_column: usize,
}

/// A payload's text with its line starts: what a span of one of its findings indexes.
pub struct Source<'a> {
    /// The text (the payload's, or for YAML the whole file's).
    pub text: Cow<'a, str>,
    /// Its line starts.
    pub lines: Cow<'a, LineStarts>,
    /// The file's line number of the text's first line.
    pub first_line: usize,
}

impl Source<'_> {
    /// Where `span` is, in file lines and columns.
    pub fn spot(&self, span: &Range<usize>) -> Spot {
        let (line, column) = self.lines.position(&self.text, span.start);
        let (end_line, end_column) = self.lines.position(&self.text, span.end.max(span.start));
        Spot {
            line: line + self.first_line - 1,
            column,
            end_line: end_line + self.first_line - 1,
            end_column,
        }
    }

    /// The lines that `span` touches (without the last line break), with the line number
    /// of the first in the file, and `span` relative to them. A line longer than
    /// [`CONTEXT`] bytes either side of the span (a minified payload is one line) is cut
    /// to that much around it: showing it whole for each of its findings would cost its
    /// whole length each time.
    pub fn excerpt(&self, span: &Range<usize>) -> Excerpt<'_> {
        let text: &str = &self.text;
        let start = floor_boundary(text, span.start);
        let end = floor_boundary(text, span.end.max(start));
        let (first, _) = self.lines.position(text, start);
        let (last, _) = self.lines.position(text, end);
        let from = self.lines.line(text, first).start;
        let to = self.lines.line(text, last).end.max(end);
        let cut_from = if start - from > 2 * CONTEXT {
            floor_boundary(text, start - CONTEXT)
        } else {
            from
        };
        let cut_to = if to - end > 2 * CONTEXT {
            floor_boundary(text, end + CONTEXT)
        } else {
            to
        };
        Excerpt {
            text: &text[cut_from..cut_to],
            first_line: first + self.first_line - 1,
            span: start - cut_from..end - cut_from,
            cut_before: cut_from > from,
            cut_after: cut_to < to,
        }
    }
}

/// Bytes of context kept either side of a span in a long line's excerpt.
pub const CONTEXT: usize = 160;

/// The lines a finding's span touches, as [`Source::excerpt`] gives them.
#[derive(Debug, PartialEq, Eq)]
pub struct Excerpt<'a> {
    /// The text: whole lines, or for a long line the part around the span.
    pub text: &'a str,
    /// The line number of its first line in the file.
    pub first_line: usize,
    /// The span, relative to `text`.
    pub span: Range<usize>,
    /// Whether a long line was cut before the span (`text` does not start where its
    /// line does).
    pub cut_before: bool,
    /// Whether it was cut after the span.
    pub cut_after: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let text = "{\n\t\"名前\": 1,\r\n  \"b\": 2}";
        let lines = LineStarts::json(text);
        let one = text.find('1').unwrap();
        assert_eq!(lines.position(text, one), (2, 8));
        assert_eq!(lines.offset(text, 2, 8), one);
        let b = text.find("\"b\"").unwrap();
        assert_eq!(lines.position(text, b), (3, 3));
        assert_eq!(&text[lines.line(text, 2)], "\t\"名前\": 1,");
        assert_eq!(lines.offset(text, 1, 99), 1);
    }

    #[test]
    fn yaml_breaks_lines_at_a_lone_carriage_return_too() {
        let text = "a: 1\rb: 2\r\nc: 3\nd: 4";
        let lines = LineStarts::yaml(text);
        let got: Vec<&str> = (1..=4).map(|n| &text[lines.line(text, n)]).collect();
        assert_eq!(got, ["a: 1", "b: 2", "c: 3", "d: 4"]);
        assert_eq!(lines.position(text, text.find('d').unwrap()), (4, 1));
    }

    #[test]
    fn excerpts_are_whole_lines_with_the_span_inside() {
        let text = "x\n  \"stop\": [1]\ny";
        let source = Source {
            text: text.into(),
            lines: Cow::Owned(LineStarts::json(text)),
            first_line: 10,
        };
        let at = text.find("\"stop\"").unwrap();
        let e = source.excerpt(&(at..at + 6));
        assert_eq!(
            (
                e.text,
                e.first_line,
                &e.text[e.span.clone()],
                e.cut_before || e.cut_after
            ),
            ("  \"stop\": [1]", 11, "\"stop\"", false)
        );
        let spot = source.spot(&(at..at + 6));
        assert_eq!((spot.line, spot.column, spot.end_column), (11, 3, 9));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let pad = "日".repeat(400);
        let text = format!("{{\"a\": \"{pad}\", \"stop\": 1, \"b\": \"{pad}\"}}");
        let source = Source {
            text: text.as_str().into(),
            lines: Cow::Owned(LineStarts::json(&text)),
            first_line: 1,
        };
        let at = text.find("\"stop\"").unwrap();
        let e = source.excerpt(&(at..at + 6));
        assert!(e.cut_before && e.cut_after);
        assert_eq!(&e.text[e.span.clone()], "\"stop\"");
        assert!(e.text.len() <= 2 * CONTEXT + 6, "{}", e.text.len());
        // Cut at a character boundary, at most 3 bytes further.
        assert!(e.span.start <= CONTEXT + 3);
    }
}
