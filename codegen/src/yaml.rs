//! A YAML reader that keeps positions: each document becomes a `serde_json::Value` plus a
//! map from JSON pointer to line and column, so that errors about the catalog (and about
//! YAML payloads in the CLI) can say where in the file they are.
//!
//! Scalars are resolved with the YAML 1.2 core schema (`null`, `true`, `42`, `1.5`, ...);
//! quoted scalars are always strings. Duplicate keys are an error, as the YAML spec says.

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
}

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
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
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
/// let docs = modelgate_codegen::yaml::parse_documents("a: 1\nb: [x, 2.5]\n").unwrap();
/// assert_eq!(docs[0].value, serde_json::json!({"a": 1, "b": ["x", 2.5]}));
/// assert_eq!(docs[0].position("/b/1").line, 2);
/// ```
pub fn parse_documents(text: &str) -> Result<Vec<LocatedDocument>, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| YamlError {
        position: position_of(e.marker()),
        message: e.info().to_string(),
    })?;
    match builder.error {
        Some(err) => Err(err),
        None => Ok(builder.documents),
    }
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

#[derive(Default)]
struct Builder {
    documents: Vec<LocatedDocument>,
    stack: Vec<Frame>,
    /// Pointer segments of the node being built (one per open container entry).
    path: Vec<String>,
    positions: BTreeMap<String, Position>,
    key_positions: BTreeMap<String, Position>,
    anchors: BTreeMap<usize, Value>,
    start: Position,
    error: Option<YamlError>,
}

impl Builder {
    fn fail(&mut self, position: Position, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError { position, message });
        }
    }

    fn pointer(&self) -> String {
        self.path.iter().fold(String::new(), |mut acc, seg| {
            acc.push('/');
            acc.push_str(&seg.replace('~', "~0").replace('/', "~1"));
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
    fn node_done(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => {
                self.documents.push(LocatedDocument {
                    value,
                    positions: std::mem::take(&mut self.positions),
                    key_positions: std::mem::take(&mut self.key_positions),
                    start: self.start,
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
                *pending_key = Some(key.clone());
                entries.contains_key(&key)
            }
            _ => return,
        };
        if duplicate {
            self.fail(pos, format!("duplicate key `{key}`"));
        }
        self.path.push(key);
        self.key_positions.insert(self.pointer(), pos);
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
                let is_key = self.node_starts(pos);
                if is_key {
                    self.key(text, pos);
                    return;
                }
                match resolve_scalar(&text, style, tag.as_ref()) {
                    Ok(value) => self.node_done(value, anchor),
                    Err(message) => self.fail(pos, message),
                }
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned();
                let is_key = self.node_starts(pos);
                match (value, is_key) {
                    (Some(Value::String(s)), true) => self.key(s, pos),
                    (Some(_), true) => {
                        self.fail(pos, "an alias used as a key must name a string".into())
                    }
                    (Some(v), false) => self.node_done(v, 0),
                    (None, _) => self.fail(pos, "alias to an unknown anchor".into()),
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.node_starts(pos) {
                    self.fail(
                        pos,
                        "a key must be a plain string, not a list or mapping".into(),
                    );
                    return;
                }
                self.stack.push(match ev {
                    Event::SequenceStart(..) => Frame::Sequence {
                        items: Vec::new(),
                        anchor,
                    },
                    _ => Frame::Mapping {
                        entries: Map::new(),
                        pending_key: None,
                        anchor,
                    },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Sequence { items, anchor }) => {
                    self.node_done(Value::Array(items), anchor)
                }
                Some(Frame::Mapping {
                    entries, anchor, ..
                }) => self.node_done(Value::Object(entries), anchor),
                None => self.fail(pos, "unbalanced end of a YAML collection".into()),
            },
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar with the YAML 1.2 core schema.
fn resolve_scalar(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag
        && tag.handle == "!!"
        && tag.suffix == "str"
    {
        return Ok(Value::String(text.to_string()));
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
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
}
