//! Real request bodies from public SDK code, docs, cookbooks and framework tests
//! (`tests/corpus/real/`, each with its repository, path, commit and how it was
//! transcribed; `SOURCES.md` lists them), checked as requests to catalog models with only
//! `model` changed, as a user would send them.
//!
//! Asserted for every payload and target model: the verdict (valid unless the payload
//! breaks a documented limit or a format rule, each such error listed in
//! [`EXPECTED_ERRORS`] with its reason) and the level of every finding (the snapshot
//! `real_payloads__findings.snap`, reviewed: errors are the listed ones, the rest are
//! warnings where the gateway is silent).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use modelgate::{Code, Endpoint, Level, Validator};
use serde_json::Value;

/// A model a payload is sent to.
struct Target {
    label: &'static str,
    model: &'static str,
    endpoint: Endpoint,
}

fn targets(format: &str) -> Vec<Target> {
    let t = |label, model, endpoint| Target {
        label,
        model,
        endpoint,
    };
    match format {
        "openai-chat" => vec![
            // VertexKey's main use: the OpenAI format to AWS models.
            t(
                "vertexkey",
                "aws/claude-sonnet-4-6",
                Endpoint::VertexKeyChatCompletions,
            ),
            // A Vtrix model documenting the seed-000 table only.
            t(
                "vtrix",
                "vtrix-claude-sonnet-4.5",
                Endpoint::VtrixChatCompletions,
            ),
            // A Vtrix model documenting reasoning_effort values and functions.
            t(
                "codex",
                "vtrix-gpt-5.3-codex",
                Endpoint::VtrixChatCompletions,
            ),
        ],
        "anthropic-messages" => vec![t(
            "vertexkey",
            "aws/claude-sonnet-4-6",
            Endpoint::VertexKeyMessages,
        )],
        "openai-images-generate" => vec![t(
            "vertexkey",
            "enterprise/image-2",
            Endpoint::VertexKeyImagesGenerations,
        )],
        "openai-images-edit" => vec![t(
            "vertexkey",
            "enterprise/image-2",
            Endpoint::VertexKeyImagesEdits,
        )],
        other => panic!("unknown format {other}"),
    }
}

/// The errors one payload gets on one target: file number, target label, (pointer, code)
/// of each error, and why.
type Expected = (
    &'static str,
    &'static str,
    &'static [(&'static str, Code)],
    &'static str,
);

/// Every error the corpus gets, by file number and target, with the reason. Anything not
/// here must be valid (warnings allowed).
const EXPECTED_ERRORS: &[Expected] = &[
    // The SDKs' all-params tests send max_tokens 0: Vtrix documents 1 to N.
    (
        "001",
        "vtrix",
        &[("/max_tokens", Code::OutOfRange)],
        "seed 000: max_tokens 1-64000",
    ),
    (
        "001",
        "codex",
        &[
            ("/max_tokens", Code::OutOfRange),
            ("/reasoning_effort", Code::NotInEnum),
        ],
        "seeds 001/003: max_tokens 1-128000; reasoning_effort low|medium|high|xhigh (the test sends none)",
    ),
    (
        "002",
        "vtrix",
        &[("/max_tokens", Code::OutOfRange)],
        "seed 000: max_tokens 1-64000",
    ),
    (
        "002",
        "codex",
        &[
            ("/max_tokens", Code::OutOfRange),
            ("/reasoning_effort", Code::NotInEnum),
        ],
        "seeds 001/003",
    ),
    (
        "006",
        "vtrix",
        &[("/max_tokens", Code::OutOfRange)],
        "seed 000",
    ),
    (
        "006",
        "codex",
        &[("/max_tokens", Code::OutOfRange)],
        "seeds 001/003",
    ),
    (
        "007",
        "vtrix",
        &[("/max_tokens", Code::OutOfRange)],
        "seed 000",
    ),
    (
        "007",
        "codex",
        &[("/max_tokens", Code::OutOfRange)],
        "seeds 001/003",
    ),
    (
        "008",
        "vtrix",
        &[("/max_tokens", Code::OutOfRange)],
        "seed 000",
    ),
    (
        "008",
        "codex",
        &[("/max_tokens", Code::OutOfRange)],
        "seeds 001/003",
    ),
    // The fixed image size (seed 004: "a different size is rejected").
    (
        "003",
        "vertexkey",
        &[("/size", Code::FixedValueMismatch)],
        "seed 004: enterprise/image-2 is 1024x1024 (auto sent)",
    ),
    (
        "004",
        "vertexkey",
        &[("/size", Code::FixedValueMismatch)],
        "seed 004 (auto sent)",
    ),
    (
        "005",
        "vertexkey",
        &[("/size", Code::FixedValueMismatch)],
        "seed 004 (256x256 sent)",
    ),
    (
        "075",
        "vertexkey",
        &[("/size", Code::FixedValueMismatch)],
        "seed 004 (auto sent)",
    ),
    // Codex documents four reasoning_effort values.
    (
        "035",
        "codex",
        &[("/reasoning_effort", Code::NotInEnum)],
        "seeds 001/003 (none sent)",
    ),
    (
        "036",
        "codex",
        &[("/reasoning_effort", Code::NotInEnum)],
        "seeds 001/003 (max sent)",
    ),
    // Format rules broken (SOURCES.md lists these payloads as not conforming).
    (
        "049",
        "vertexkey",
        &[("/thinking/budget_tokens", Code::OutOfRange)],
        "format D: budget_tokens at least 1024",
    ),
    (
        "051",
        "vertexkey",
        &[("/top_k", Code::WrongType)],
        "format D: top_k is an integer (0.1 sent)",
    ),
    (
        "065",
        "vertexkey",
        &[("/container", Code::WrongType)],
        "format D: container is a string or null (an object sent)",
    ),
    (
        "047",
        "vertexkey",
        &[("/someCustomOption", Code::UnknownParameter)],
        "not in the format",
    ),
    (
        "047",
        "vtrix",
        &[("/someCustomOption", Code::UnknownParameter)],
        "not in the format",
    ),
    (
        "047",
        "codex",
        &[("/someCustomOption", Code::UnknownParameter)],
        "not in the format",
    ),
    (
        "105",
        "vertexkey",
        &[(
            "/messages/0/content/1/cache_control",
            Code::UnknownParameter,
        )],
        "an Anthropic key in an OpenAI text part",
    ),
    (
        "105",
        "vtrix",
        &[(
            "/messages/0/content/1/cache_control",
            Code::UnknownParameter,
        )],
        "an Anthropic key in an OpenAI text part",
    ),
    (
        "105",
        "codex",
        &[(
            "/messages/0/content/1/cache_control",
            Code::UnknownParameter,
        )],
        "an Anthropic key in an OpenAI text part",
    ),
    (
        "107",
        "vertexkey",
        &[("/tools/0/strict", Code::UnknownParameter)],
        "strict belongs in function",
    ),
    (
        "107",
        "vtrix",
        &[("/tools/0/strict", Code::UnknownParameter)],
        "strict belongs in function",
    ),
    (
        "107",
        "codex",
        &[("/tools/0/strict", Code::UnknownParameter)],
        "strict belongs in function",
    ),
    (
        "116",
        "vertexkey",
        &[("/messages/0/content/1/image_url", Code::WrongType)],
        "image_url is an object",
    ),
    (
        "116",
        "vtrix",
        &[("/messages/0/content/1/image_url", Code::WrongType)],
        "image_url is an object",
    ),
    (
        "116",
        "codex",
        &[("/messages/0/content/1/image_url", Code::WrongType)],
        "image_url is an object",
    ),
    (
        "117",
        "vertexkey",
        &[
            ("/messages/0/content/1/image", Code::UnknownParameter),
            ("/messages/0/content/1/image_url", Code::MissingRequired),
        ],
        "image instead of image_url",
    ),
    (
        "117",
        "vtrix",
        &[
            ("/messages/0/content/1/image", Code::UnknownParameter),
            ("/messages/0/content/1/image_url", Code::MissingRequired),
        ],
        "image instead of image_url",
    ),
    (
        "117",
        "codex",
        &[
            ("/messages/0/content/1/image", Code::UnknownParameter),
            ("/messages/0/content/1/image_url", Code::MissingRequired),
        ],
        "image instead of image_url",
    ),
];

struct Case {
    file: String,
    format: String,
    body: Value,
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let record: Value = serde_json::from_str(&text).unwrap();
            for key in ["source", "format", "covers", "transcription", "body"] {
                assert!(record.get(key).is_some(), "{}: no `{key}`", path.display());
            }
            assert!(
                record["source"]["repo"].is_string() && record["source"]["path"].is_string(),
                "{}: the source names a repository and a path",
                path.display()
            );
            Case {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                format: record["format"].as_str().unwrap().to_string(),
                body: record["body"].clone(),
            }
        })
        .collect()
}

#[test]
fn real_payloads_break_only_documented_limits_and_format_rules() {
    let cases = corpus();
    assert!(cases.len() >= 60, "{} payloads", cases.len());
    let mut expected: BTreeMap<(&str, &str), Vec<(String, Code)>> = BTreeMap::new();
    for (file, target, errors, _) in EXPECTED_ERRORS {
        let mut errors: Vec<(String, Code)> =
            errors.iter().map(|(p, c)| (p.to_string(), *c)).collect();
        errors.sort();
        assert!(
            expected.insert((file, target), errors).is_none(),
            "{file} {target} listed twice"
        );
    }
    let mut used = 0;
    let mut failures = Vec::new();
    let mut snapshot = String::new();
    let mut counts: BTreeMap<(Level, Code), usize> = BTreeMap::new();
    let mut checked = 0;
    for case in &cases {
        let number = &case.file[..3];
        for target in targets(&case.format) {
            checked += 1;
            let mut body = case.body.clone();
            body["model"] = Value::from(target.model);
            let report = Validator::new()
                .endpoint(target.endpoint)
                .validate_value(&body);
            let bytes = serde_json::to_vec(&body).unwrap();
            assert_eq!(
                Validator::new()
                    .endpoint(target.endpoint)
                    .is_valid_json(&bytes),
                report.is_valid(),
                "{} {}: the verdict-only path differs",
                case.file,
                target.label
            );
            let mut errors: Vec<(String, Code)> = report
                .errors
                .iter()
                .map(|f| (f.pointer.clone(), f.code))
                .collect();
            errors.sort();
            let want = expected.get(&(number, target.label));
            used += usize::from(want.is_some());
            if errors != *want.map(Vec::as_slice).unwrap_or(&[]) {
                failures.push(format!(
                    "{} to {} ({}): errors {:?}, expected {:?}",
                    case.file, target.model, target.label, report.errors, want
                ));
            }
            let _ = writeln!(
                snapshot,
                "{} -> {} on {}: {}",
                case.file,
                target.model,
                target.endpoint.key(),
                if report.is_valid() {
                    "valid"
                } else {
                    "INVALID"
                }
            );
            for f in report.findings() {
                *counts.entry((f.level, f.code)).or_default() += 1;
                let _ = writeln!(
                    snapshot,
                    "  {} {} {}",
                    f.level.severity(),
                    f.code,
                    f.pointer
                );
            }
        }
    }
    assert_eq!(used, expected.len(), "every expected error list was used");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "real payloads: {} files, {checked} checks; findings by level: {counts:?}",
        cases.len()
    );
    insta::assert_snapshot!("findings", snapshot);
}

#[test]
fn the_tool_loops_and_the_streams_of_the_issue_pass_on_vertexkey() {
    // The complaint that started it: every tool-calling loop (assistant content null with
    // tool_calls) and every Vercel AI SDK stream (stream_options) was refused.
    let cases = corpus();
    let mut loops = 0;
    let mut streams = 0;
    for case in cases.iter().filter(|c| c.format == "openai-chat") {
        let messages = case.body["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let is_loop = messages
            .iter()
            .any(|m| m["role"] == "assistant" && m.get("tool_calls").is_some());
        let is_stream = case.body.get("stream_options").is_some();
        if !is_loop && !is_stream {
            continue;
        }
        loops += usize::from(is_loop);
        streams += usize::from(is_stream);
        let mut body = case.body.clone();
        body["model"] = Value::from("aws/claude-sonnet-4-6");
        let report = Validator::new().validate_value(&body);
        let number = &case.file[..3];
        if EXPECTED_ERRORS
            .iter()
            .any(|(f, t, _, _)| *f == number && *t == "vertexkey")
        {
            continue;
        }
        assert!(report.is_valid(), "{}: {:?}", case.file, report.errors);
        // Tool calling and streaming are documented for VertexKey: nothing about the loop
        // itself is even a warning, except the `name` the cookbook puts on a tool message,
        // which the format's schema lacks (a warning, never an error).
        let tool_message_name = |pointer: &str| {
            pointer
                .strip_suffix("/name")
                .and_then(|m| m.strip_prefix("/messages/"))
                .and_then(|i| messages.get(i.parse::<usize>().ok()?))
                .is_some_and(|m| m["role"] == "tool")
        };
        assert!(
            report
                .warnings
                .iter()
                .all(
                    |w| (!w.pointer.starts_with("/messages") || tool_message_name(&w.pointer))
                        && w.pointer != "/tools"
                        && w.pointer != "/stream"
                ),
            "{}: {:?}",
            case.file,
            report.warnings
        );
    }
    assert!(
        loops >= 5 && streams >= 5,
        "{loops} tool loops, {streams} streams"
    );
}
