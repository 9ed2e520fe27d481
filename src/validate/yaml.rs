//! A YAML payload read once: the located nodes of the YAML reader
//! (`modelgate_io::yaml::parse_payload_nodes`) turned into the validator's tape, each
//! token with the bytes its node spans in the YAML text. The walk then checks it as it
//! checks a JSON payload: a finding's place is the node's own bytes (no conversion to
//! JSON, no position looked up by pointer), and a key given twice is found, and placed,
//! by the tape as in JSON.

use modelgate_io::yaml::{Node, NodeValue};

use super::tape::{Keys, Kind, Num, Tape, Token};

/// Fills `tape` with the document whose root is `root`; its spans index the YAML text.
pub(crate) fn build(root: &Node, tape: &mut Tape) {
    tape.tokens.clear();
    tape.numbers.clear();
    tape.strings.clear();
    tape.json_text = false;
    push(root, tape);
}

fn token(kind: Kind, span: &std::ops::Range<usize>, aux: u32) -> Token {
    Token {
        kind,
        flag: false,
        hash: 0,
        start: span.start as u32,
        end: span.end as u32,
        aux,
    }
}

fn string(tape: &mut Tape, s: &str, span: &std::ops::Range<usize>) {
    tape.strings.push(s.to_string());
    let aux = tape.strings.len() as u32;
    tape.tokens.push(token(Kind::String, span, aux));
}

/// Pushes `node` and everything inside it.
fn push(node: &Node, tape: &mut Tape) {
    let span = &node.span;
    match &node.value {
        NodeValue::Null => tape.tokens.push(token(Kind::Null, span, 0)),
        NodeValue::Bool(b) => {
            let mut t = token(Kind::Boolean, span, 0);
            t.flag = *b;
            tape.tokens.push(t);
        }
        NodeValue::Number(n) => {
            let num = if let Some(u) = n.as_u64() {
                Num::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Num::Signed(i)
            } else {
                Num::Float(n.as_f64().unwrap_or(f64::NAN))
            };
            tape.numbers.push(num);
            let aux = (tape.numbers.len() - 1) as u32;
            tape.tokens.push(token(Kind::Number, span, aux));
        }
        NodeValue::String(s) => string(tape, s, span),
        NodeValue::Sequence(items) => {
            let open = tape.tokens.len();
            tape.tokens.push(token(Kind::Array, span, 0));
            for item in items {
                push(item, tape);
            }
            tape.tokens[open].aux = tape.tokens.len() as u32;
        }
        NodeValue::Mapping(entries) => {
            let open = tape.tokens.len();
            tape.tokens.push(token(Kind::Object, span, 0));
            let mut keys = Keys::default();
            for e in entries {
                string(tape, &e.key, &e.key_span);
                // Every string of this tape is in its table: the text is not read.
                tape.add_key(&[], open, &mut keys, e.key.as_bytes());
                push(&e.value, tape);
            }
            tape.tokens[open].aux = tape.tokens.len() as u32;
        }
    }
}
