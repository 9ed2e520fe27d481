//! Located nodes: what the YAML reader builds, each node with the bytes it spans in the
//! text and every mapping entry in file order. A payload's reader (the validator) takes
//! them as they are; [`Document::located`] makes the `serde_json::Value` and the
//! positions by pointer that configuration files are read with.

use std::ops::Range;

use serde_json::{Map, Number, Value};

use super::{LocatedDocument, Position};

/// One document of a YAML stream: its root node, and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The root node.
    pub root: Node,
    /// Where the document starts.
    pub start: Position,
}

/// A node with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What it is.
    pub value: NodeValue,
    /// The bytes it spans in the text: a scalar's token (a quoted one with its quotes, a
    /// block scalar its `|` or `>`), a collection from its first byte to its last.
    pub span: Range<usize>,
    /// Where it starts.
    pub position: Position,
}

/// A node's value, scalars resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a float (never infinite or NaN).
    Number(Number),
    /// A string.
    String(String),
    /// A sequence's items.
    Sequence(Vec<Node>),
    /// A mapping's entries, in file order; a repeated key is there each time.
    Mapping(Vec<Entry>),
}

/// One entry of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// The bytes of the key.
    pub key_span: Range<usize>,
    /// Where the key starts.
    pub key_position: Position,
    /// Its value.
    pub value: Node,
}

impl NodeValue {
    /// The value of a resolved scalar.
    pub(super) fn from_scalar(value: Value) -> NodeValue {
        match value {
            Value::Null => NodeValue::Null,
            Value::Bool(b) => NodeValue::Bool(b),
            Value::Number(n) => NodeValue::Number(n),
            Value::String(s) => NodeValue::String(s),
            // Scalars resolve to scalars only.
            other => NodeValue::String(other.to_string()),
        }
    }
}

impl Node {
    /// The node as a `serde_json::Value`: a repeated key keeps its last value, as
    /// serde_json keeps it.
    pub fn to_value(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Sequence(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeValue::Mapping(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

impl Document {
    /// The document as a value with the position of each node and key by pointer (for
    /// configuration files and the catalog, whose errors name a key; their reader
    /// refused a repeated key already).
    pub(crate) fn located(self) -> LocatedDocument {
        let mut out = LocatedDocument {
            start: self.start,
            ..LocatedDocument::default()
        };
        let mut pointer = String::new();
        out.value = locate(&self.root, &mut pointer, &mut out);
        out
    }
}

/// Records where `node` (at `pointer`) and everything inside it are, and makes its value.
fn locate(node: &Node, pointer: &mut String, out: &mut LocatedDocument) -> Value {
    out.positions.insert(pointer.clone(), node.position);
    match &node.value {
        NodeValue::Sequence(items) => {
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                crate::pointer::push(pointer, &i.to_string());
                values.push(locate(item, pointer, out));
                pointer.truncate(len);
            }
            Value::Array(values)
        }
        NodeValue::Mapping(entries) => {
            let mut map = Map::new();
            for e in entries {
                let len = pointer.len();
                crate::pointer::push(pointer, &e.key);
                out.key_positions.insert(pointer.clone(), e.key_position);
                let value = locate(&e.value, pointer, out);
                map.insert(e.key.clone(), value);
                pointer.truncate(len);
            }
            Value::Object(map)
        }
        _ => node.to_value(),
    }
}
