//! `modelgate validate`'s payload reader on arbitrary bytes: the first byte picks the
//! layout (JSON, JSON Lines, YAML; its value modulo 3), the rest is read with
//! `read_payloads` under small limits (a 4,096-byte payload or line, a 48 KiB YAML
//! file), so that long lines and the YAML cap are within libFuzzer's `-max_len`, and the
//! YAML alias limit (10,000 aliases, about 30 KB) is too.
//!
//! No panic, and:
//! - a JSON payload delivered is at most the limit and does not start with a byte order
//!   mark (unless its file or line started with two: only one is skipped); a JSON Lines
//!   payload is not blank, does not end in `\n` or `\r`, and its line
//!   number is at most the number of `\n` in the input plus one;
//! - the reader fails exactly when it should: a JSON file over the limit; for JSON Lines
//!   the first line (without its `\n`) longer than the limit, whose number the error
//!   names; a YAML file over its cap;
//! - a YAML document's findings (`validate_yaml` on its located nodes) are each placed
//!   at bytes of the text, on one of its lines (counting lines as YAML does);
//! - on every JSON payload delivered, the validator's verdict-only path agrees with its
//!   report (`is_valid_json` == `validate_json(..).is_valid()`), and the validator's own
//!   `duplicate_key` pointers resolve.
//!
//! The three findings of the first run (BENCHMARKS.md, "Issue 9 readers") are fixed and
//! checked here without exception; their reproducers are seeds. `FUZZ_DEBUG=1` prints
//! what each payload gave.

#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::validate::{Code, Validator};
use modelgate_cli::inputs::{Layout, Payload, ReadLimits, read_payloads};

const LIMITS: ReadLimits = ReadLimits {
    payload_bytes: 4096,
    yaml_bytes: 48 << 10,
};

const BOM: &[u8] = "\u{feff}".as_bytes();

/// The verdict-only path agrees with the full report.
fn same_verdict(validator: &Validator, bytes: &[u8]) -> modelgate::validate::Report {
    let report = validator.validate_json(bytes);
    assert_eq!(
        report.is_valid(),
        validator.is_valid_json(bytes),
        "is_valid_json disagrees with validate_json on {:?}",
        String::from_utf8_lossy(bytes)
    );
    report
}

/// Whether `pointer` names a node of `value`.
fn resolves(value: &serde_json::Value, pointer: &str) -> bool {
    value.pointer(pointer).is_some()
}

/// The repeated keys the validator reports in `report` resolve in the payload (as
/// serde_json reads it, the last value winning).
fn duplicates_resolve(report: &modelgate::validate::Report, bytes: &[u8]) {
    let pointers: Vec<&str> = report
        .findings()
        .filter(|f| f.code == Code::DuplicateKey)
        .map(|f| f.pointer.as_str())
        .collect();
    if pointers.is_empty() {
        return;
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).expect("a payload with repeated keys is JSON");
    for p in &pointers {
        assert!(
            resolves(&value, p),
            "validator: repeated key {p:?} is not in {value}"
        );
    }
}

/// The number of the first line (counted from 1, split at `\n`) longer than the limit
/// without its `\n`: the line JSON Lines reading must stop at.
fn first_long_line(input: &[u8]) -> Option<usize> {
    input
        .split(|&b| b == b'\n')
        .position(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            line.len() as u64 > LIMITS.payload_bytes
        })
        .map(|i| i + 1)
}

/// Whether the file (for JSON) or line `number` (for JSON Lines) of `input` starts with
/// two byte order marks.
fn starts_with_two_boms(input: &[u8], layout: Layout, number: usize) -> bool {
    let start = match layout {
        Layout::JsonLines => input
            .split(|&b| b == b'\n')
            .nth(number - 1)
            .unwrap_or_default(),
        _ => input,
    };
    start.starts_with(BOM) && start[BOM.len()..].starts_with(BOM)
}

/// Line breaks as YAML counts them: `\r\n`, `\r` or `\n`.
fn yaml_line_breaks(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

/// `FUZZ_DEBUG=1` prints what each payload gave (to look at a seed or a reproducer).
fn debug() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some())
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let layout = match pick % 3 {
        0 => Layout::Json,
        1 => Layout::JsonLines,
        _ => Layout::Yaml,
    };
    let newlines = input.iter().filter(|&&b| b == b'\n').count();
    let validator = Validator::new();
    let mut delivered = 0usize;
    let mut last_line = 0usize;
    let result = read_payloads(input, layout, LIMITS, |payload| {
        delivered += 1;
        match payload {
            Payload::Json {
                text,
                first_line,
                jsonl_line,
            } => {
                assert!(
                    text.len() as u64 <= LIMITS.payload_bytes,
                    "payload over the limit"
                );
                // One byte order mark is skipped, and only one: U+FEFF after it is text
                // (which JSON refuses, and the validator says so).
                assert!(
                    !text.starts_with(BOM) || starts_with_two_boms(input, layout, first_line),
                    "payload starts with a BOM"
                );
                match layout {
                    Layout::JsonLines => {
                        assert_eq!(jsonl_line, Some(first_line));
                        assert!(
                            text.last() != Some(&b'\n'),
                            "line {first_line} ends in a line break"
                        );
                        assert!(
                            !text.iter().all(u8::is_ascii_whitespace),
                            "blank line {first_line} delivered"
                        );
                        assert!(first_line >= 1 && first_line <= newlines + 1);
                        assert!(first_line > last_line, "lines out of order");
                        last_line = first_line;
                    }
                    _ => {
                        assert_eq!((first_line, jsonl_line), (1, None));
                        assert_eq!(delivered, 1, "a JSON file is one payload");
                    }
                }
                let report = same_verdict(&validator, text);
                duplicates_resolve(&report, text);
                // Every span is inside the payload's text, on character boundaries when
                // the text is UTF-8 (what the printers slice).
                for f in report.findings() {
                    let span = f.span.clone().expect("a JSON payload's finding has a span");
                    assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
                    if let Ok(t) = std::str::from_utf8(text) {
                        assert!(t.is_char_boundary(span.start) && t.is_char_boundary(span.end));
                    }
                }
                if debug() {
                    eprintln!(
                        "json line {first_line}: valid {} {:?}",
                        report.is_valid(),
                        report
                            .findings()
                            .map(|f| format!("{:?} {}", f.code, f.pointer))
                            .collect::<Vec<_>>()
                    );
                }
            }
            Payload::Yaml {
                doc,
                text,
                lines: starts,
            } => {
                assert_eq!(layout, Layout::Yaml);
                // YAML breaks lines at `\r` as well as `\n` (finding 3 in BENCHMARKS.md,
                // `yaml_cr_line_breaks.yaml`).
                let lines = yaml_line_breaks(text) + 1;
                let report = validator.validate_yaml(doc, text);
                if debug() {
                    eprintln!("yaml doc: valid {}", report.is_valid());
                }
                // Every finding is placed inside the text, on one of its lines.
                for f in report.findings() {
                    let span = f.span.clone().expect("a YAML finding has its bytes");
                    assert!(span.end <= text.len() && text.is_char_boundary(span.start));
                    let (line, _) = starts.position(text, span.start);
                    assert!(line >= 1 && line <= lines, "line {line} of {lines}");
                    let _ = f.to_string();
                }
            }
            Payload::BadYaml {
                message,
                line,
                column,
                text,
                ..
            } => {
                assert_eq!(layout, Layout::Yaml);
                if debug() {
                    eprintln!("bad yaml {line}:{column}: {message}");
                }
                assert!(!message.is_empty());
                assert!(column >= 1);
                // An error at the end of a text that does not end with a line break is on
                // its last line (finding 2 in BENCHMARKS.md, fixed;
                // `yaml_error_at_end_without_newline.yaml`).
                assert!(
                    line >= 1 && line <= yaml_line_breaks(text) + 1,
                    "error line {line} outside the text: {message}"
                );
            }
        }
        Ok(())
    });
    if debug() {
        eprintln!("result: {result:?}");
    }
    match (layout, result) {
        (Layout::Json, Ok(())) => assert!(input.len() as u64 <= LIMITS.payload_bytes),
        (Layout::Json, Err(e)) => {
            assert!(input.len() as u64 > LIMITS.payload_bytes, "{e}");
            assert_eq!(delivered, 0);
        }
        (Layout::JsonLines, Ok(())) => assert_eq!(first_long_line(input), None),
        (Layout::JsonLines, Err(e)) => {
            let shown = e.to_string();
            let number: usize = shown
                .strip_prefix("line ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected JSON Lines error: {shown}"));
            assert!(
                shown.ends_with(
                    "is longer than 4096 bytes, the most modelgate reads as one payload"
                ),
                "{shown}"
            );
            assert!(number >= 1 && number <= newlines + 1, "{shown}");
            assert_eq!(Some(number), first_long_line(input), "{shown}");
            assert!(last_line < number);
        }
        (Layout::Yaml, Ok(())) => assert!(input.len() as u64 <= LIMITS.yaml_bytes),
        (Layout::Yaml, Err(e)) => {
            assert!(input.len() as u64 > LIMITS.yaml_bytes, "{e}");
            assert_eq!(delivered, 0);
        }
        (Layout::Sniff, _) => unreachable!("the target names the layout it reads"),
    }
});
