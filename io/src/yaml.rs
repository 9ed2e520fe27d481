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
//! as the YAML spec says; [`parse_payloads`] reads request payloads the way serde_json
//! reads JSON (the last value wins) and lists each repeated key in
//! [`LocatedDocument::duplicates`], so that the validator can report it.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
    /// Keys repeated in a mapping, in the order met (only from [`parse_payloads`]; the
    /// last value was kept).
    pub duplicates: Vec<DuplicateKey>,
}

/// A key met a second time in the same mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// RFC 6901 pointer of the entry.
    pub pointer: String,
    /// Where the repeated key starts.
    pub position: Position,
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
    parse(text, Keys::Unique)
}

/// Parses every document of a YAML stream of request payloads: like
/// [`parse_documents`], except that a repeated key keeps its last value (as serde_json
/// does with JSON) and is listed in [`LocatedDocument::duplicates`].
///
/// ```
/// let docs = modelgate_io::yaml::parse_payloads("n: 1\nn: 2\n").unwrap();
/// assert_eq!(docs[0].value, serde_json::json!({"n": 2}));
/// assert_eq!(docs[0].duplicates[0].pointer, "/n");
/// assert_eq!(docs[0].duplicates[0].position.line, 2);
/// ```
pub fn parse_payloads(text: &str) -> Result<Vec<LocatedDocument>, YamlError> {
    parse(text, Keys::LastWins)
}

fn parse(text: &str, keys: Keys) -> Result<Vec<LocatedDocument>, YamlError> {
    // A byte order mark may start the stream and, after concatenation, any line (a later
    // document's first).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unmarked;
    let text = if text.contains("\n\u{feff}") {
        unmarked = text.replace("\n\u{feff}", "\n");
        unmarked.as_str()
    } else {
        text
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
        ..Builder::default()
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

/// A container being filled while its events arrive.
enum Frame {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
    },
    Mapping {
        entries: Map<String, Value>,
        pending_key: Option<String>,
        anchor: usize,
    },
}

/// How repeated keys are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Keys {
    /// A repeated key is an error.
    #[default]
    Unique,
    /// The last value wins; the repetition is recorded.
    LastWins,
}

#[derive(Default)]
struct Builder {
    keys: Keys,
    documents: Vec<LocatedDocument>,
    stack: Vec<Frame>,
    /// Pointer segments of the node being built (one per open container entry).
    path: Vec<String>,
    positions: BTreeMap<String, Position>,
    key_positions: BTreeMap<String, Position>,
    duplicates: Vec<DuplicateKey>,
    /// Anchored values with their copy cost.
    anchors: BTreeMap<usize, (Value, usize)>,
    /// Aliases met in the stream.
    aliases: usize,
    /// Bytes copied for anchors and aliases in the stream (see [`MAX_ALIAS_COPY`]).
    copied: usize,
    start: Position,
    error: Option<YamlError>,
}

/// What copying `value` costs, in the unit of [`MAX_ALIAS_COPY`].
fn copy_cost(value: &Value) -> usize {
    const NODE: usize = 64;
    match value {
        Value::String(s) => NODE + s.len(),
        Value::Array(items) => items
            .iter()
            .fold(NODE, |n, v| n.saturating_add(copy_cost(v))),
        Value::Object(entries) => entries.iter().fold(NODE, |n, (k, v)| {
            n.saturating_add(k.len()).saturating_add(copy_cost(v))
        }),
        _ => NODE,
    }
}

impl Builder {
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

    fn pointer(&self) -> String {
        self.path.iter().fold(String::new(), |mut acc, seg| {
            crate::pointer::push(&mut acc, seg);
            acc
        })
    }

    /// Called when a node begins: records its position and, inside a mapping that is
    /// waiting for a key, reports whether this node is that key.
    fn node_starts(&mut self, pos: Position) -> bool {
        match self.stack.last() {
            Some(Frame::Mapping {
                pending_key: None, ..
            }) => true,
            Some(Frame::Sequence { items, .. }) => {
                self.path.push(items.len().to_string());
                self.positions.insert(self.pointer(), pos);
                false
            }
            _ => {
                self.positions.insert(self.pointer(), pos);
                false
            }
        }
    }

    /// Attaches a finished node to its parent (or ends the document).
    fn node_done(&mut self, value: Value, anchor: usize, pos: Position) {
        if anchor > 0 {
            let cost = copy_cost(&value);
            if !self.spend(cost, pos) {
                return;
            }
            self.anchors.insert(anchor, (value.clone(), cost));
        }
        match self.stack.last_mut() {
            None => {
                self.documents.push(LocatedDocument {
                    value,
                    positions: std::mem::take(&mut self.positions),
                    key_positions: std::mem::take(&mut self.key_positions),
                    start: self.start,
                    duplicates: std::mem::take(&mut self.duplicates),
                });
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(value);
                self.path.pop();
            }
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => {
                let key = pending_key.take().unwrap_or_default();
                entries.insert(key, value);
                self.path.pop();
            }
        }
    }

    /// A scalar or alias in key position: becomes the pending key of the mapping.
    fn key(&mut self, key: String, pos: Position) {
        let duplicate = match self.stack.last_mut() {
            Some(Frame::Mapping {
                entries,
                pending_key,
                ..
            }) => {
                let duplicate = entries.contains_key(&key);
                *pending_key = Some(key.clone());
                duplicate
            }
            _ => return,
        };
        self.path.push(key);
        let pointer = self.pointer();
        if duplicate {
            match self.keys {
                Keys::Unique => {
                    let key = self.path.last().cloned().unwrap_or_default();
                    self.fail(pos, format!("duplicate key `{key}`"));
                }
                Keys::LastWins => {
                    // The first value is dropped, and with it what was repeated inside it.
                    let inside = format!("{pointer}/");
                    self.duplicates.retain(|d| !d.pointer.starts_with(&inside));
                    self.duplicates.push(DuplicateKey {
                        pointer: pointer.clone(),
                        position: pos,
                    })
                }
            }
        }
        self.key_positions.insert(pointer, pos);
    }

    /// Opens a sequence or mapping, unless it is a key or too deep.
    fn open(&mut self, frame: Frame, tag: Option<&Tag>, pos: Position) {
        if self.node_starts(pos) {
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
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = position_of(&mark);
        match ev {
            Event::DocumentStart => {
                self.start = pos;
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.node_starts(pos) {
                    // A key is its text, whatever it would resolve to as a value.
                    return match tag.as_ref().filter(|t| core_tag(t).is_none()) {
                        Some(t) => self.fail(pos, unsupported_tag(t)),
                        None => self.key(text, pos),
                    };
                }
                match resolve_scalar(text, style, tag.as_ref()) {
                    Ok(value) => self.node_done(value, anchor, pos),
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
                let is_key = self.node_starts(pos);
                let Some((value, cost)) = self.anchors.get(&id) else {
                    return self.fail(pos, "alias to an unknown anchor".into());
                };
                let cost = *cost;
                match (value, is_key) {
                    (Value::String(s), true) => {
                        let key = s.clone();
                        self.key(key, pos)
                    }
                    (_, true) => self.fail(pos, "an alias used as a key must name a string".into()),
                    (value, false) => {
                        let value = value.clone();
                        if self.spend(cost, pos) {
                            self.node_done(value, 0, pos)
                        }
                    }
                }
            }
            Event::SequenceStart(anchor, tag) => self.open(
                Frame::Sequence {
                    items: Vec::new(),
                    anchor,
                },
                tag.as_ref(),
                pos,
            ),
            Event::MappingStart(anchor, tag) => self.open(
                Frame::Mapping {
                    entries: Map::new(),
                    pending_key: None,
                    anchor,
                },
                tag.as_ref(),
                pos,
            ),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Sequence { items, anchor }) => {
                    self.node_done(Value::Array(items), anchor, pos)
                }
                Some(Frame::Mapping {
                    entries, anchor, ..
                }) => self.node_done(Value::Object(entries), anchor, pos),
                None => self.fail(pos, "unbalanced end of a YAML collection".into()),
            },
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// The core schema name (`str`, `int`, `seq`, ...) of a tag, or `None` for another tag.
/// The non-specific tag `!` counts as `str` (YAML 1.2, 10.3.2: a quoted scalar).
fn core_tag(tag: &Tag) -> Option<&str> {
    match (tag.handle.as_str(), tag.suffix.as_str()) {
        ("tag:yaml.org,2002:", suffix) => Some(suffix),
        // Verbatim: `!<tag:yaml.org,2002:str>`.
        ("" | "!", verbatim) if verbatim.starts_with("tag:yaml.org,2002:") => {
            verbatim.strip_prefix("tag:yaml.org,2002:")
        }
        ("", "!") | ("!", "") => Some("str"),
        _ => None,
    }
    .filter(|s| {
        matches!(
            *s,
            "str" | "int" | "float" | "bool" | "null" | "seq" | "map"
        )
    })
}

fn unsupported_tag(tag: &Tag) -> String {
    let shown = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    };
    format!(
        "the YAML tag `{shown}` is not supported here (modelgate reads the core schema: \
         !!str, !!int, !!float, !!bool and !!null on scalars, !!seq and !!map on collections)"
    )
}

/// Resolves a scalar with the YAML 1.2 core schema, or as its core-schema tag says.
fn resolve_scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(if style == TScalarStyle::Plain {
            resolve_plain(&text)?
        } else {
            Value::String(text)
        });
    };
    let wanted = core_tag(tag).ok_or_else(|| unsupported_tag(tag))?;
    if wanted == "str" {
        return Ok(Value::String(text));
    }
    let value = resolve_plain(&text)?;
    let fits = match (wanted, &value) {
        ("null", Value::Null) | ("bool", Value::Bool(_)) => true,
        ("int", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("float", Value::Number(_)) => true,
        _ => false,
    };
    if fits {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a valid !!{wanted}"))
    }
}

/// Resolves an untagged plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Result<Value, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(n) = parse_integer(text) {
                Value::Number(n)
            } else if looks_like_float(text) {
                let f: f64 = text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a valid number"))?;
                Value::Number(
                    Number::from_f64(f)
                        .ok_or_else(|| format!("`{text}` cannot be represented in JSON"))?,
                )
            } else if matches!(
                text.to_ascii_lowercase().as_str(),
                ".inf" | "+.inf" | "-.inf" | ".nan"
            ) {
                return Err(format!(
                    "`{text}` (infinity or NaN) cannot be represented in JSON"
                ));
            } else {
                Value::String(text.to_string())
            }
        }
    })
}

fn parse_integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        let signed = i64::try_from(magnitude).ok()?.checked_neg()?;
        Some(Number::from(signed))
    } else {
        Some(Number::from(magnitude))
    }
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn looks_like_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && !frac.is_empty() || !int.is_empty())
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nul_character_is_an_error_where_it_is_not_the_end_of_the_text() {
        let e = parse_payloads("model: x\nmessages: [a\0b]\nmore: 1\n").unwrap_err();
        assert_eq!((e.position.line, e.position.column), (2, 13));
        assert_eq!(
            e.message,
            "a NUL character (U+0000), which YAML does not allow"
        );
        assert!(parse_payloads("\0model: x\n").is_err());
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let doc = parse_single(
            "a: ~\nb: true\nc: 12\nd: -3\ne: 1.0\nf: '12'\ng: 0x1F\nh: 1e3\ni: .5\nj: hello\nk: 1.2.3\n",
        )
        .unwrap();
        assert_eq!(
            doc.value,
            json!({"a": null, "b": true, "c": 12, "d": -3, "e": 1.0, "f": "12", "g": 31,
                   "h": 1000.0, "i": 0.5, "j": "hello", "k": "1.2.3"})
        );
    }

    #[test]
    fn positions_point_at_keys_values_and_items() {
        let doc = parse_single("models:\n  - id: x\n    max: 5\n  - id: y\n").unwrap();
        assert_eq!(
            doc.position("/models/1/id"),
            Position { line: 4, column: 9 }
        );
        assert_eq!(
            doc.key_position("/models/1/id"),
            Position { line: 4, column: 5 }
        );
        assert_eq!(
            doc.key_position("/models/1"),
            Position { line: 4, column: 7 }
        );
        assert_eq!(
            doc.position("/models/0/max"),
            Position {
                line: 3,
                column: 10
            }
        );
        // A key that does not exist falls back to its parent.
        assert_eq!(doc.position("/models/0/missing"), doc.position("/models/0"));
    }

    #[test]
    fn duplicate_keys_are_errors_with_their_position() {
        let err = parse_single("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.to_string(), "3:1: duplicate key `a`");
    }

    #[test]
    fn malformed_yaml_reports_line_and_column() {
        let err = parse_single("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.position.line >= 2, "{err}");
    }

    #[test]
    fn anchors_and_aliases_are_copied() {
        let doc = parse_single("base: &b {x: 1}\nother: *b\n").unwrap();
        assert_eq!(doc.value["other"], json!({"x": 1}));
    }

    #[test]
    fn several_documents_each_know_where_they_start() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].value, json!({"b": 2}));
        assert_eq!(docs[1].position("/b").line, 3);
    }

    #[test]
    fn infinity_is_refused() {
        assert!(parse_single("a: .inf\n").is_err());
    }

    /// A "billion laughs": nine levels of nine aliases each would expand to 9^9 copies.
    fn alias_bomb() -> String {
        let mut text = String::from("a0: &a0 [lol]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn alias_bombs_stop_at_the_copy_budget() {
        let text = alias_bomb();
        assert!(text.len() <= 500, "{}", text.len());
        let err = parse_documents(&text).unwrap_err();
        assert!(err.message.contains("alias bombs"), "{err}");
        assert!(err.message.contains("16 MiB"), "{err}");
        assert!(err.position.line > 1, "{err}");
    }

    #[test]
    fn alias_count_is_bounded() {
        let mut text = String::from("a: &x 1\nb: [");
        text.push_str(&vec!["*x"; MAX_ALIASES + 1].join(","));
        text.push_str("]\n");
        let err = parse_documents(&text).unwrap_err();
        assert!(err.message.contains("more than 10000 aliases"), "{err}");
        // One fewer is fine.
        let ok = text.replacen("*x,", "", 1);
        assert_eq!(
            parse_documents(&ok).unwrap()[0].value["b"]
                .as_array()
                .unwrap()
                .len(),
            MAX_ALIASES
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = parse_documents(&deep).unwrap_err();
        assert!(err.message.contains("nests more than 127"), "{err}");
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_documents(&fine).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let doc = parse_single("\u{feff}model: x\nn: 1\n").unwrap();
        assert_eq!(doc.value, json!({"model": "x", "n": 1}));
        assert_eq!(doc.key_position("/model"), Position { line: 1, column: 1 });
    }

    #[test]
    fn core_schema_tags_are_honoured_and_others_refused() {
        let doc = parse_single(
            "a: !!str 12\nb: !!int 12\nc: !!float 1.5\nd: !!bool true\ne: !!null ~\nf: ! 12\ng: !!seq [1]\nh: !!map {x: 1}\n",
        )
        .unwrap();
        assert_eq!(
            doc.value,
            json!({"a": "12", "b": 12, "c": 1.5, "d": true, "e": null, "f": "12", "g": [1], "h": {"x": 1}})
        );
        for (text, tag) in [
            ("a: !!binary aGk=\n", "!!binary"),
            ("a: !custom 1\n", "!custom"),
            ("a: !!set {x: ~}\n", "!!set"),
            ("a: !!map [1]\n", "!!map"),
            ("!foo a: 1\n", "!foo"),
        ] {
            let err = parse_single(text).unwrap_err();
            assert!(
                err.message
                    .contains(&format!("the YAML tag `{tag}` is not supported")),
                "{text}: {err}"
            );
        }
        let err = parse_single("a: !!int twelve\n").unwrap_err();
        assert_eq!(err.message, "`twelve` is not a valid !!int");
    }

    #[test]
    fn payloads_keep_the_last_of_repeated_keys_and_say_where() {
        let docs = parse_payloads("model: a\nmax_tokens: 99999\nmax_tokens: 1\nx: {y: 1, y: 2}\n")
            .unwrap();
        assert_eq!(
            docs[0].value,
            json!({"model": "a", "max_tokens": 1, "x": {"y": 2}})
        );
        assert_eq!(
            docs[0].duplicates,
            [
                DuplicateKey {
                    pointer: "/max_tokens".into(),
                    position: Position { line: 3, column: 1 }
                },
                DuplicateKey {
                    pointer: "/x/y".into(),
                    position: Position {
                        line: 4,
                        column: 11
                    }
                },
            ]
        );
    }

    #[test]
    fn fuzz_findings_positions_and_replaced_repeats() {
        // An error at the end of a text without a final newline is on its last line.
        let err = parse_documents("[1").unwrap_err();
        assert_eq!(err.position.line, 1, "{err}");
        // So is one of modelgate's own, met at the end of the stream (found by fuzzing).
        let err = parse_documents("model: !cu#\0om vtix-;;;").unwrap_err();
        assert_eq!(err.position.line, 1, "{err}");
        // A CRLF is one line break.
        let err = parse_documents("base: \n-\n<<: lau}]}\n\n /a   \n\t\r\nel\"").unwrap_err();
        assert_eq!(err.position.line, 7, "{err}");
        // A repeat inside a value that a later copy replaces goes with that value.
        let docs = parse_payloads("a: {b: 1, b: 2}\na: 3\n").unwrap();
        assert_eq!(docs[0].value, json!({"a": 3}));
        let pointers: Vec<_> = docs[0]
            .duplicates
            .iter()
            .map(|d| d.pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/a"]);
        // A BOM before a later document, and the verbatim form of a core tag.
        let docs =
            parse_documents("a: 1\n\u{feff}---\n\u{feff}b: !<tag:yaml.org,2002:str> 2\n").unwrap();
        assert_eq!(docs[1].value, json!({"b": "2"}));
    }
}
