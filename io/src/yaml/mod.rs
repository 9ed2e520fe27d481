//! A YAML reader that keeps positions: each document becomes a `serde_json::Value` plus a
//! map from JSON pointer to line and column, so that errors about the catalog (and about
//! YAML payloads in the CLI) can say where in the file they are.
//!
//! Scalars are resolved with the YAML 1.2 core schema (`null`, `true`, `42`, `1.5`, ...);
//! quoted scalars are always strings. The core schema's tags (`!!str`, `!!int`,
//! `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`) are honoured and any other tag is
//! refused by name. A leading byte order mark is skipped.
//!
//! Hostile input is bounded: aliases are expanded by copying, so a stream may use at most
//! [`MAX_ALIASES`] of them and they may copy at most [`MAX_ALIAS_COPY`] bytes (an estimate
//! of the memory the copies take), which stops "billion laughs" files; nesting deeper than
//! [`MAX_DEPTH`] levels is refused, as serde_json refuses it.
//!
//! Duplicate keys are an error for [`parse_documents`] (the catalog, configuration files),
//! as the YAML spec says; [`parse_payload_nodes`] keeps every entry of a request payload,
//! a repeated key included, for the validator to read as it reads JSON (the last value
//! wins, with a `duplicate_key` finding).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde_json::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

mod node;
mod scalar;

pub use node::{Document, Entry, Node, NodeValue};
use scalar::{core_tag, resolve_scalar, unsupported_tag};

/// A line and column in a text file, both counted from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

/// One YAML document converted to JSON, with the position of every node.
#[derive(Clone, Debug, Default)]
pub struct LocatedDocument {
    /// The document as JSON.
    pub value: Value,
    /// RFC 6901 pointer of every node to where its value starts.
    positions: BTreeMap<String, Position>,
    /// RFC 6901 pointer of every mapping entry to where its key starts.
    key_positions: BTreeMap<String, Position>,
    /// Where the document starts.
    pub start: Position,
}

/// The most aliases a YAML stream may use.
pub const MAX_ALIASES: usize = 10_000;

/// The most bytes aliases may copy in one YAML stream (each node counts 64 bytes, plus the
/// length of its strings); anchored values count once more for the copy kept of them.
pub const MAX_ALIAS_COPY: usize = 16 << 20;

/// The deepest nesting of sequences and mappings a YAML document may have (as serde_json).
pub const MAX_DEPTH: usize = 127;

impl LocatedDocument {
    /// Where the node at `pointer` starts; falls back to the nearest enclosing node that
    /// has a position (a pointer to a missing key points at its parent).
    pub fn position(&self, pointer: &str) -> Position {
        self.find(pointer, |p| self.positions.get(p))
    }

    /// Where the key of the entry at `pointer` starts (for an array item, where the item
    /// starts); falls back like [`LocatedDocument::position`].
    pub fn key_position(&self, pointer: &str) -> Position {
        self.find(pointer, |p| {
            self.key_positions.get(p).or_else(|| self.positions.get(p))
        })
    }

    fn find<'a>(
        &'a self,
        pointer: &str,
        lookup: impl Fn(&str) -> Option<&'a Position>,
    ) -> Position {
        let mut p = pointer;
        loop {
            if let Some(pos) = lookup(p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return self.start,
            }
        }
    }

    /// Deserializes the document into `T`; a failure names the line and column of the
    /// offending key and its JSON pointer (`3:1: /faults/rate_429: invalid type ...`).
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, YamlError> {
        serde_path_to_error::deserialize::<_, T>(&self.value).map_err(|e| {
            let pointer = path_to_pointer(e.path());
            YamlError {
                position: self.key_position(&pointer),
                message: if pointer.is_empty() {
                    e.into_inner().to_string()
                } else {
                    format!("{pointer}: {}", e.into_inner())
                },
            }
        })
    }
}

/// The RFC 6901 pointer of a serde path (`faults.rate_429` -> `/faults/rate_429`).
pub fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => crate::pointer::push(&mut out, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// A YAML text that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position_line}:{position_column}: {message}", position_line = position.line, position_column = position.column)]
pub struct YamlError {
    /// Where the problem is.
    pub position: Position,
    /// What the problem is.
    pub message: String,
}

/// Parses every document of a YAML stream.
///
/// ```
/// let docs = modelgate_io::yaml::parse_documents("a: 1\nb: [x, 2.5]\n").unwrap();
/// assert_eq!(docs[0].value, serde_json::json!({"a": 1, "b": ["x", 2.5]}));
/// assert_eq!(docs[0].position("/b/1").line, 2);
/// ```
pub fn parse_documents(text: &str) -> Result<Vec<LocatedDocument>, YamlError> {
    Ok(read(text, Keys::Unique)?
        .into_iter()
        .map(Document::located)
        .collect())
}

/// Parses every document of a YAML stream of request payloads into located nodes: each
/// node with the bytes it spans in `text` and every mapping entry in file order, a
/// repeated key included (its reader decides what a repeat means, as a JSON reader does).
/// Nothing is converted or looked up by pointer: a validator builds its reading of the
/// document from these nodes directly.
///
/// ```
/// use modelgate_io::yaml::{NodeValue, parse_payload_nodes};
///
/// let text = "model: m\nn: 1\nn: 2\n";
/// let docs = parse_payload_nodes(text).unwrap();
/// let NodeValue::Mapping(entries) = &docs[0].root.value else { panic!() };
/// assert_eq!(entries.len(), 3);
/// assert_eq!(&text[entries[2].key_span.clone()], "n");
/// assert_eq!(&text[entries[2].value.span.clone()], "2");
/// ```
pub fn parse_payload_nodes(text: &str) -> Result<Vec<Document>, YamlError> {
    read(text, Keys::LastWins)
}

/// Reads every document of a YAML stream into located nodes.
fn read(original: &str, keys: Keys) -> Result<Vec<Document>, YamlError> {
    // A byte order mark may start the stream and, after concatenation, any line (a later
    // document's first). They are taken out of the text parsed, and where (so that byte
    // spans still index `original`).
    let mut removed = Vec::new();
    let unmarked;
    let text = if original.contains('\u{feff}') {
        let mut out = String::with_capacity(original.len());
        let mut rest = original;
        let mut at_line_start = true;
        while let Some(c) = rest.chars().next() {
            if c == '\u{feff}' && at_line_start {
                removed.push(out.len());
            } else {
                out.push(c);
            }
            at_line_start = c == '\n';
            rest = &rest[c.len_utf8()..];
        }
        unmarked = out;
        unmarked.as_str()
    } else {
        original
    };
    // The scanner takes a NUL character for the end of the stream and would drop the rest
    // of the text silently; YAML does not allow one anywhere (c-printable).
    if let Some(at) = text.find('\0') {
        let before = &text[..at];
        return Err(YamlError {
            position: Position {
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
            },
            message: "a NUL character (U+0000), which YAML does not allow".to_string(),
        });
    }
    let mut builder = Builder {
        keys,
        text,
        removed,
        documents: Vec::new(),
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        aliases: 0,
        copied: 0,
        start: Position::default(),
        error: None,
        line_starts: line_starts(text),
        cursor: (0, 0, 0),
    };
    let mut parser = Parser::new_from_str(text);
    let loaded = parser.load(&mut builder, true);
    // The builder's own error comes first: after it the builder ignores events, and the
    // parser may stop later for a reason that follows from it.
    if let Some(err) = builder.error {
        return Err(YamlError {
            position: within(text, err.position),
            ..err
        });
    }
    loaded.map_err(|e| YamlError {
        position: within(text, position_of(e.marker())),
        message: e.info().to_string(),
    })?;
    Ok(builder.documents)
}

/// Parses a YAML text that must hold exactly one document.
pub fn parse_single(text: &str) -> Result<LocatedDocument, YamlError> {
    let mut docs = parse_documents(text)?;
    match docs.len() {
        1 => Ok(docs.remove(0)),
        0 => Err(YamlError {
            position: Position { line: 1, column: 1 },
            message: "the file holds no YAML document".into(),
        }),
        n => Err(YamlError {
            position: docs[1].start,
            message: format!("expected one YAML document, found {n}"),
        }),
    }
}

/// The byte offset where each line of `text` starts, as YAML breaks lines: `\r\n`, `\r`
/// or `\n`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// `pos`, moved back into `text` when the parser reports the end of the stream as the
/// line after the last (a text without a final line break): the end of the last line.
fn within(text: &str, pos: Position) -> Position {
    // Line breaks as YAML counts them: `\r\n`, `\r` or `\n`.
    let breaks = text.matches(['\n', '\r']).count() - text.matches("\r\n").count();
    let lines = breaks + 1;
    if pos.line <= lines || text.ends_with(['\n', '\r']) {
        return pos;
    }
    let last = text.rsplit(['\n', '\r']).next().unwrap_or_default();
    Position {
        line: lines,
        column: last.chars().count() + 1,
    }
}

fn position_of(mark: &Marker) -> Position {
    Position {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

/// A container being filled while its events arrive: its nodes so far, its anchor, and
/// where it starts.
enum Frame {
    Sequence {
        items: Vec<Node>,
        anchor: usize,
        start: usize,
        position: Position,
        flow: bool,
    },
    Mapping {
        entries: Vec<Entry>,
        /// The key read, waiting for its value: its text, bytes and position.
        pending_key: Option<(String, Range<usize>, Position)>,
        /// The keys so far, when a repeat is an error.
        seen: Option<HashSet<String>>,
        anchor: usize,
        start: usize,
        position: Position,
        flow: bool,
    },
}

/// How repeated keys are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Keys {
    /// A repeated key is an error.
    #[default]
    Unique,
    /// The last value wins; the repetition is recorded.
    LastWins,
}

struct Builder<'t> {
    keys: Keys,
    /// The text parsed.
    text: &'t str,
    /// Where byte order marks were taken out of the text parsed (see [`Builder::original`]).
    removed: Vec<usize>,
    documents: Vec<Document>,
    stack: Vec<Frame>,
    /// Anchored nodes with their copy cost and depth (lists and mappings, nested).
    anchors: BTreeMap<usize, (Node, usize, usize)>,
    /// Aliases met in the stream.
    aliases: usize,
    /// Bytes copied for anchors and aliases in the stream (see [`MAX_ALIAS_COPY`]).
    copied: usize,
    start: Position,
    error: Option<YamlError>,
    /// Where each line of the text parsed starts (bytes), as YAML breaks lines (`\n`,
    /// `\r\n`, `\r`): markers are placed by their line and column. (Their character
    /// index is not used: yaml-rust2 adds a block scalar line's bytes to it, not its
    /// characters, which put every later finding of a `|` text with non-ASCII in it
    /// off its place.)
    line_starts: Vec<usize>,
    /// The last marker turned into a byte offset: its line, column and byte, so that
    /// markers along one long line are counted on from the last, not from the line's
    /// start each time.
    cursor: (usize, usize, usize),
}

impl Builder<'_> {
    /// The byte offset in the text parsed of the marker `mark`: its line's start, then
    /// its column (characters) counted on from there, or from the last marker when it is
    /// on the same line before this one.
    fn byte_at(&mut self, mark: &Marker) -> usize {
        let (line, col) = (mark.line(), mark.col());
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let (from_col, from) = match self.cursor {
            (l, c, byte) if l == line && c <= col => (c, byte),
            _ => (0, start),
        };
        let rest = &self.text[from..];
        let step = rest
            .char_indices()
            .nth(col - from_col)
            .map_or(rest.len(), |(i, _)| i);
        self.cursor = (line, col, from + step);
        from + step
    }

    fn fail(&mut self, position: Position, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError { position, message });
        }
    }

    /// Counts a copy of `cost` bytes against the stream's budget; false (with the error
    /// recorded) when it is spent.
    fn spend(&mut self, cost: usize, pos: Position) -> bool {
        self.copied = self.copied.saturating_add(cost);
        if self.copied > MAX_ALIAS_COPY {
            self.fail(
                pos,
                format!(
                    "anchors and aliases would copy more than {} MiB here; YAML aliases are \
                     expanded by copying, and modelgate stops there to guard against alias \
                     bombs (write the values out, or use fewer aliases)",
                    MAX_ALIAS_COPY >> 20
                ),
            );
            return false;
        }
        true
    }

    /// The offset in the text given of byte `at` of the text parsed.
    fn original(&self, at: usize) -> usize {
        at + 3 * self.removed.partition_point(|&r| r <= at)
    }

    /// Whether the node starting now is a key of the mapping being filled.
    fn is_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            })
        )
    }

    /// Whether the node starting now is inside a flow collection (`[...]`, `{...}`).
    fn in_flow(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Sequence { flow: true, .. } | Frame::Mapping { flow: true, .. })
        )
    }

    /// The bytes (of the text given) of the scalar at `at` (of the text parsed).
    fn scalar_span(&self, at: usize, style: TScalarStyle) -> Range<usize> {
        let end = scalar_end(self.text, at, style, self.in_flow());
        self.original(at)..self.original(end)
    }

    /// Attaches a finished node to its parent (or ends the document).
    fn node_done(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            let (cost, depth) = copy_cost(&node);
            if !self.spend(cost, node.position) {
                return;
            }
            self.anchors.insert(anchor, (node.clone(), cost, depth));
        }
        match self.stack.last_mut() {
            None => self.documents.push(Document {
                root: node,
                start: self.start,
            }),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => {
                let (key, key_span, key_position) = pending_key.take().unwrap_or_default();
                entries.push(Entry {
                    key,
                    key_span,
                    key_position,
                    value: node,
                });
            }
        }
    }

    /// A scalar or alias in key position: becomes the pending key of the mapping.
    fn key(&mut self, key: String, span: Range<usize>, pos: Position) {
        let unique = self.keys == Keys::Unique;
        let duplicate = match self.stack.last_mut() {
            Some(Frame::Mapping {
                pending_key, seen, ..
            }) => {
                let duplicate = unique && !seen.get_or_insert_default().insert(key.clone());
                *pending_key = Some((key.clone(), span, pos));
                duplicate
            }
            _ => return,
        };
        if duplicate {
            self.fail(pos, format!("duplicate key `{key}`"));
        }
    }

    /// Opens a sequence or mapping, unless it is a key or too deep.
    fn open(&mut self, frame: Frame, tag: Option<&Tag>, pos: Position) {
        if self.is_key() {
            self.fail(
                pos,
                "a key must be a plain string, not a list or mapping".into(),
            );
            return;
        }
        let expected = match frame {
            Frame::Sequence { .. } => "seq",
            Frame::Mapping { .. } => "map",
        };
        if let Some(tag) = tag
            && core_tag(tag) != Some(expected)
        {
            self.fail(pos, unsupported_tag(tag));
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.fail(
                pos,
                format!("the document nests more than {MAX_DEPTH} levels of lists and mappings"),
            );
            return;
        }
        self.stack.push(frame);
    }

    /// Closes the innermost collection, whose end event is at `at` of the text parsed.
    fn close(&mut self, at: usize, pos: Position) {
        let (value, anchor, start, position) = match self.stack.pop() {
            Some(Frame::Sequence {
                items,
                anchor,
                start,
                position,
                ..
            }) => (NodeValue::Sequence(items), anchor, start, position),
            Some(Frame::Mapping {
                entries,
                anchor,
                start,
                position,
                ..
            }) => (NodeValue::Mapping(entries), anchor, start, position),
            None => return self.fail(pos, "unbalanced end of a YAML collection".into()),
        };
        // A block mapping is marked after its first key: it starts where its first
        // child does, when that is earlier.
        let first = match &value {
            NodeValue::Mapping(entries) => entries.first().map(|e| e.key_span.start),
            NodeValue::Sequence(items) => items.first().map(|n| n.span.start),
            _ => None,
        };
        let end = collection_end(self.text, start, at);
        let mut span = self.original(start)..self.original(end);
        if let Some(first) = first.filter(|&f| f < span.start) {
            span.start = first;
        }
        self.node_done(
            Node {
                value,
                span,
                position,
            },
            anchor,
        );
    }
}

/// Where the scalar starting at `at` ends: a quoted one after its closing quote, a plain
/// one before the space, comment, `: ` or line break (or, in a flow collection, the
/// `,]}`) that ends it on its line; a block scalar (`|`, `>`) is its indicator.
fn scalar_end(text: &str, at: usize, style: TScalarStyle, flow: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    match style {
        TScalarStyle::SingleQuoted => {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            bytes.len()
        }
        TScalarStyle::DoubleQuoted => {
            i += 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            bytes.len()
        }
        // The parser marks a block scalar (`|`, `>`) at its content: its first line.
        TScalarStyle::Literal | TScalarStyle::Folded => {
            let line = text[at..].find(['\n', '\r']).map_or(text.len(), |n| at + n);
            at + text[at..line].trim_end().len().max(1).min(line - at)
        }
        _ => {
            while i < bytes.len() {
                let b = bytes[i];
                let next = bytes.get(i + 1).copied();
                let ends = matches!(b, b'\n' | b'\r')
                    || (matches!(b, b' ' | b'\t') && next == Some(b'#'))
                    || (b == b':' && matches!(next, None | Some(b' ' | b'\t' | b'\n' | b'\r')))
                    || (flow && matches!(b, b',' | b']' | b'}'))
                    || (flow && b == b':' && matches!(next, Some(b',' | b']' | b'}')));
                if ends {
                    break;
                }
                i += 1;
            }
            let trimmed = text[at..i].trim_end_matches([' ', '\t']).len();
            (at + trimmed.max(1)).min(bytes.len())
        }
    }
}

/// Where a collection starting at `start` whose end event is at `at` ends: after its
/// closing bracket, or (a block collection, whose end is found at the next token) at the
/// end of its last line's text.
fn collection_end(text: &str, start: usize, at: usize) -> usize {
    let at = at.min(text.len());
    match text.as_bytes().get(at) {
        Some(b']' | b'}') => at + 1,
        _ => start.max(start + text[start.min(at)..at].trim_end().len()),
    }
}

/// What copying `node` costs, in the unit of [`MAX_ALIAS_COPY`].
fn copy_cost(node: &Node) -> (usize, usize) {
    const NODE: usize = 64;
    let deeper = |(cost, depth): (usize, usize), (c, d): (usize, usize)| {
        (cost.saturating_add(c), depth.max(d + 1))
    };
    match &node.value {
        NodeValue::String(s) => (NODE + s.len(), 0),
        NodeValue::Sequence(items) => items.iter().fold((NODE, 1), |n, v| deeper(n, copy_cost(v))),
        NodeValue::Mapping(entries) => entries.iter().fold((NODE, 1), |n, e| {
            let (c, d) = copy_cost(&e.value);
            deeper(n, (c.saturating_add(e.key.len()), d))
        }),
        _ => (NODE, 0),
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = position_of(&mark);
        let at = self.byte_at(&mark);
        match ev {
            Event::DocumentStart => {
                self.start = pos;
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                let span = self.scalar_span(at, style);
                if self.is_key() {
                    // A key is its text, whatever it would resolve to as a value.
                    return match tag.as_ref().filter(|t| core_tag(t).is_none()) {
                        Some(t) => self.fail(pos, unsupported_tag(t)),
                        None => self.key(text, span, pos),
                    };
                }
                match resolve_scalar(text, style, tag.as_ref()) {
                    Ok(value) => self.node_done(
                        Node {
                            value: NodeValue::from_scalar(value),
                            span,
                            position: pos,
                        },
                        anchor,
                    ),
                    Err(message) => self.fail(pos, message),
                }
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > MAX_ALIASES {
                    return self.fail(
                        pos,
                        format!(
                            "the file uses more than {MAX_ALIASES} aliases; modelgate stops \
                             there to guard against alias bombs"
                        ),
                    );
                }
                let is_key = self.is_key();
                let Some((node, cost, depth)) = self.anchors.get(&id) else {
                    return self.fail(pos, "alias to an unknown anchor".into());
                };
                let (cost, depth) = (*cost, *depth);
                match (&node.value, is_key) {
                    (NodeValue::String(s), true) => {
                        let (key, span) = (s.clone(), node.span.clone());
                        self.key(key, span, pos)
                    }
                    (_, true) => self.fail(pos, "an alias used as a key must name a string".into()),
                    // A copy nests as deep as its anchor did, below where it is put.
                    (_, false) if self.stack.len() + depth > MAX_DEPTH => self.fail(
                        pos,
                        format!("the document nests more than {MAX_DEPTH} levels of lists and mappings (through an alias)"),
                    ),
                    (_, false) => {
                        let node = node.clone();
                        if self.spend(cost, pos) {
                            self.node_done(node, 0)
                        }
                    }
                }
            }
            Event::SequenceStart(anchor, tag) => self.open(
                Frame::Sequence {
                    items: Vec::new(),
                    anchor,
                    start: at,
                    position: pos,
                    flow: self.text.as_bytes().get(at) == Some(&b'['),
                },
                tag.as_ref(),
                pos,
            ),
            Event::MappingStart(anchor, tag) => self.open(
                Frame::Mapping {
                    entries: Vec::new(),
                    pending_key: None,
                    seen: None,
                    anchor,
                    start: at,
                    position: pos,
                    flow: self.text.as_bytes().get(at) == Some(&b'{'),
                },
                tag.as_ref(),
                pos,
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(at, pos),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests;
