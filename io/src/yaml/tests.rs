//! The YAML reader's tests.
use super::*;
use serde_json::json;

/// (key, its bytes, its value's bytes) of each entry of the root mapping.
fn spans(text: &str) -> Vec<(String, String, String)> {
    let docs = parse_payload_nodes(text).unwrap();
    let NodeValue::Mapping(entries) = &docs[0].root.value else {
        panic!("{:?}", docs[0].root)
    };
    entries
        .iter()
        .map(|e| {
            (
                e.key.clone(),
                text[e.key_span.clone()].to_string(),
                text[e.value.span.clone()].to_string(),
            )
        })
        .collect()
}

#[test]
fn nodes_span_their_bytes_in_the_text() {
    let text = "model: 'it''s' # c\nn: 12  # count\ns: \"a\\\"b\"\nlist: [1, x y, {k: v}]\nmap:\n  a: 1\n  b: [2]\nblock: |\n  text\n\"q k\": 日本 語\n";
    let got = spans(text);
    let want = [
        ("model", "model", "'it''s'"),
        ("n", "n", "12"),
        ("s", "s", "\"a\\\"b\""),
        ("list", "list", "[1, x y, {k: v}]"),
        ("map", "map", "a: 1\n  b: [2]"),
        ("block", "block", "text"),
        ("q k", "\"q k\"", "日本 語"),
    ];
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn spans_index_the_text_given_whatever_byte_order_marks_it_holds() {
    let text = "\u{feff}a: 1\n---\n\u{feff}b: xyz\n";
    let docs = parse_payload_nodes(text).unwrap();
    assert_eq!(docs.len(), 2);
    let NodeValue::Mapping(entries) = &docs[1].root.value else {
        panic!()
    };
    assert_eq!(&text[entries[0].key_span.clone()], "b");
    assert_eq!(&text[entries[0].value.span.clone()], "xyz");
}

#[test]
fn a_payload_node_keeps_every_copy_of_a_repeated_key() {
    let got = spans("n: 1\nm: 2\nn: 3\n");
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].2, "3");
    let docs = parse_payload_nodes("n: 1\nn: [2]\n").unwrap();
    assert_eq!(docs[0].root.to_value(), json!({"n": [2]}));
}

#[test]
fn a_nul_character_is_an_error_where_it_is_not_the_end_of_the_text() {
    let e = parse_payload_nodes("model: x\nmessages: [a\0b]\nmore: 1\n").unwrap_err();
    assert_eq!((e.position.line, e.position.column), (2, 13));
    assert_eq!(
        e.message,
        "a NUL character (U+0000), which YAML does not allow"
    );
    assert!(parse_payload_nodes("\0model: x\n").is_err());
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
fn an_alias_cannot_nest_a_document_deeper_than_the_limit() {
    // Each anchor nests 100 levels and holds the one before: through aliases the copy
    // would nest 200, which no single list or mapping reaches on its own.
    let hundred = |inner: &str| format!("{}{inner}{}", "[".repeat(100), "]".repeat(100));
    let text = format!("a: &a {}\nb: &b {}\n", hundred("1"), hundred("*a"));
    let err = parse_payload_nodes(&text).unwrap_err();
    assert!(err.message.contains("nests more than 127"), "{err}");
    assert_eq!(err.position.line, 2);
    // The same alias where it fits is read.
    let fits = format!("a: &a {}\nb: [*a]\n", hundred("1"));
    assert!(parse_payload_nodes(&fits).is_ok());
}

#[test]
fn spans_after_a_block_scalar_of_non_ascii_text_are_in_place() {
    // yaml-rust2's markers count a block scalar's lines in bytes, not characters; spans
    // come from lines and columns, which it counts right.
    let text = "a: |\n  日本語のテキスト\n  und Größe\nb: >\n  ünïcödé\nmax_tokens: 99999\n";
    let got = spans(text);
    assert_eq!(
        got[2],
        ("max_tokens".into(), "max_tokens".into(), "99999".into())
    );
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
    // A BOM before a later document, and the verbatim form of a core tag.
    let docs =
        parse_documents("a: 1\n\u{feff}---\n\u{feff}b: !<tag:yaml.org,2002:str> 2\n").unwrap();
    assert_eq!(docs[1].value, json!({"b": "2"}));
}
