//! The `modelgate` binary, run as users run it: exit statuses, the three output formats
//! with each finding's severity, lint levels from flags and `modelgate.toml`, the catalog
//! listing and schemas. Outputs are insta snapshots.

use std::io::Read;
use std::process::{Output, Stdio};

mod support;

use support::{root, run_in_root as modelgate, run_in_root_with_stdin as with_stdin};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn valid_payloads_exit_0_and_show_their_warnings() {
    let o = modelgate(&["validate", "examples/payloads/valid"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.ends_with(
            "checked 10 payloads in 6 files: 10 valid, 0 invalid (0 errors, 3 warnings)\n"
        ),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn one_violation_is_counted_in_the_singular() {
    let o = modelgate(&[
        "validate",
        "examples/payloads/invalid/vtrix-claude-3-haiku-max-tokens.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o)
            .ends_with("checked 1 payload in 1 file: 0 valid, 1 invalid (1 error, 0 warnings)\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn invalid_payloads_exit_1_and_show_each_finding_in_its_file_errors_first() {
    let o = modelgate(&["validate", "examples/payloads/invalid"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    // In each payload, its errors come before its warnings.
    let mixed_line_3: Vec<&str> = out
        .split("\n\n")
        .filter(|block| block.contains("mixed.jsonl:3:"))
        .map(|block| block.split('[').next().unwrap_or(""))
        .collect();
    assert_eq!(mixed_line_3, ["error", "error", "error", "warning"]);
    insta::assert_snapshot!(out);
}

#[test]
fn json_format_is_one_array_with_an_object_per_payload() {
    let o = modelgate(&[
        "validate",
        "--format",
        "json",
        "examples/payloads/invalid",
        "examples/payloads/valid/vertexkey-chat.jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 9 + 4);
    for item in items {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "endpoint", "errors", "line", "model", "path", "valid", "warnings"
            ]
        );
        for (list, severity) in [("errors", "error"), ("warnings", "warning")] {
            for e in item[list].as_array().unwrap() {
                let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
                assert_eq!(
                    keys,
                    [
                        "code",
                        "column",
                        "end_column",
                        "end_line",
                        "line",
                        "message",
                        "pointer",
                        "severity"
                    ]
                );
                assert!(e["line"].as_u64().unwrap() >= 1, "{e}");
                assert!(e["column"].as_u64().unwrap() >= 1, "{e}");
                assert_eq!(e["severity"], severity);
            }
        }
        // `valid` means no error; warnings do not count.
        assert_eq!(
            item["valid"].as_bool(),
            Some(item["errors"].as_array().unwrap().is_empty())
        );
    }
    // JSON Lines payloads carry their line; others null.
    let haiku = items
        .iter()
        .find(|i| i["path"] == "examples/payloads/invalid/vtrix-claude-3-haiku-max-tokens.json")
        .unwrap();
    assert_eq!(haiku["line"], serde_json::Value::Null);
    assert_eq!(haiku["errors"][0]["pointer"], "/max_tokens");
    assert_eq!(haiku["errors"][0]["code"], "out_of_range");
    let jsonl: Vec<_> = items
        .iter()
        .filter(|i| i["path"] == "examples/payloads/valid/vertexkey-chat.jsonl")
        .collect();
    assert_eq!(
        jsonl
            .iter()
            .map(|i| i["line"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(jsonl.iter().all(|i| i["valid"] == true));
    assert_eq!(jsonl[1]["warnings"][0]["code"], "undocumented_parameter");
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn github_format_is_workflow_annotations() {
    let o = modelgate(&[
        "validate",
        "--format",
        "github",
        "examples/payloads/invalid",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with("modelgate:"))
        .collect();
    assert!(
        annotations
            .iter()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{out}"
    );
    assert!(annotations.iter().any(|l| l.starts_with("::warning file=")));
    assert!(
        out.ends_with(
            "modelgate: checked 9 payloads in 5 files: 0 valid, 9 invalid (13 errors, 4 warnings)\n"
        ),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn the_issue_acceptance_examples() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let chat = |model: &str, extra: &str| {
        format!(
            r#"{{"model": "{model}", "messages": [{{"role": "user", "content": "hi"}}]{extra}}}"#
        )
    };
    let cases = [
        (
            write(
                "a.json",
                &chat("vtrix-claude-3-haiku", r#", "max_tokens": 4096"#),
            ),
            0,
            "",
        ),
        (
            write(
                "b.json",
                &chat("vtrix-claude-3-haiku", r#", "max_tokens": 4097"#),
            ),
            1,
            "/max_tokens",
        ),
        (
            write(
                "c.json",
                &chat(
                    "vtrix-deepseek-v3.2",
                    r#", "response_format": {"type": "json_schema"}"#,
                ),
            ),
            1,
            "/response_format/type",
        ),
        (
            write(
                "d.json",
                r#"{"model": "enterprise/gemini-3-pro-image-preview-1k", "prompt": "x", "size": "512x512"}"#,
            ),
            1,
            "/size",
        ),
    ];
    for (path, status, pointer) in cases {
        let o = modelgate(&["validate", "--format", "json", &path]);
        assert_eq!(o.status.code(), Some(status), "{path}: {}", stdout(&o));
        let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        if !pointer.is_empty() {
            assert_eq!(items[0]["errors"][0]["pointer"], pointer);
        }
    }
}

#[test]
fn usage_errors_and_missing_paths_exit_2() {
    let o = modelgate(&["validate", "examples/payloads/nope.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: examples/payloads/nope.json: No such file or directory (os error 2)\n"
    );
    let o = modelgate(&[
        "validate",
        "--endpoint",
        "vertexkey.message",
        "examples/payloads/valid",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("unknown endpoint `vertexkey.message`; one of: vtrix.chat_completions,"),
        "{}",
        stderr(&o)
    );
    let o = modelgate(&["validate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = modelgate(&["validate", "--format", "xml", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unreadable_file_exits_2_after_checking_the_rest() {
    // Reading /proc/self/mem at offset 0 fails with EIO, even for root.
    let o = support::modelgate()
        .args(["validate", "--format", "json", "/proc/self/mem"])
        .arg(root().join("examples/payloads/invalid/vtrix-claude-3-haiku-max-tokens.json"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: /proc/self/mem: "),
        "{}",
        stderr(&o)
    );
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        items.as_array().unwrap().len(),
        1,
        "the readable file is still checked"
    );
}

#[test]
fn a_yaml_file_that_is_not_utf8_is_an_invalid_payload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"model: caf\xe9\n").unwrap();
    let o = support::modelgate()
        .args(["validate", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items[0]["errors"][0]["code"], "invalid_json");
}

#[test]
fn the_endpoint_flag_selects_the_messages_endpoint() {
    let payload = r#"{"model": "aws/claude-haiku-4-5", "max_tokens": 64, "system": "Be brief", "messages": [{"role": "user", "content": "hi"}]}"#;
    let run = |args: &[&str]| with_stdin(args, payload);
    assert_eq!(run(&["validate", "-"]).status.code(), Some(1));
    let o = run(&["validate", "--endpoint", "vertexkey.messages", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // VertexKey does not document `system`: a warning, not an error.
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "warning[undocumented_parameter]: `system` is not documented for aws/claude-haiku-4-5"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("checked 1 payload in 1 file: 1 valid, 0 invalid (0 errors, 1 warning)\n"),
        "{out}"
    );
}

#[test]
fn models_lists_the_catalog() {
    let o = modelgate(&["models"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn models_json_lists_all_37_documented_ids_and_the_listed_models() {
    let o = modelgate(&["models", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let models: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let documented: Vec<&str> = models
        .iter()
        .filter(|m| m["status"] == "documented")
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(documented.len(), 37);
    for id in [
        "vtrix-claude-3-haiku",
        "vtrix-gpt-5.3-codex",
        "minimax_hailuo_23_i2v",
        "aws/claude-opus-4-7",
        "enterprise/seedance-1-5-pro",
    ] {
        assert!(documented.contains(&id), "{id}");
    }
    let listed: Vec<&serde_json::Value> =
        models.iter().filter(|m| m["status"] == "listed").collect();
    assert_eq!(listed.len(), 76);
    assert_eq!(listed.iter().filter(|m| m["id"].is_string()).count(), 18);
    assert!(
        listed
            .iter()
            .any(|m| m["name"] == "Mistral Nemo" && m["id"].is_null() && m["kind"] == "chat")
    );
    let opus = models
        .iter()
        .find(|m| m["id"] == "aws/claude-opus-4-7")
        .unwrap();
    assert_eq!(
        opus["pricing"],
        serde_json::json!({"currency": "Cr$", "input_per_million": 5.0, "output_per_million": 25.0,
                           "cache_read_per_million": 2.65, "cache_write_per_million": 6.25})
    );
    let haiku = models
        .iter()
        .find(|m| m["id"] == "vtrix-claude-3-haiku")
        .unwrap();
    assert_eq!(haiku["max_output_tokens"], 4096);
    assert_eq!(
        haiku["source"],
        serde_json::json!({"document": "seed-000", "section": "Anthropic / Claude 3 Haiku",
                           "kind": "gateway",
                           "title": "Vtrix model API documentation (GitBook export)"})
    );
    // A listed model's ID from public-facts: its ID source is shown too.
    let listed_with_id = listed.iter().find(|m| m["id"].is_string()).unwrap();
    assert!(
        listed_with_id["also_sources"]
            .as_array()
            .is_some_and(|a| a.iter().all(|s| s["kind"] == "gateway")),
        "{listed_with_id}"
    );
}

#[test]
fn models_filters_by_provider() {
    let o = modelgate(&["models", "--provider", "vertexkey", "--json"]);
    let models: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(models.len(), 19);
    assert!(models.iter().all(|m| m["provider"] == "vertexkey"));
    let o = modelgate(&["models", "--provider", "openai"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown provider `openai`; one of: vtrix, vertexkey"));
}

#[test]
fn schema_prints_the_generated_json_schema() {
    let o = modelgate(&["schema", "enterprise/gemini-3-pro-image-preview-1k"]);
    assert_eq!(o.status.code(), Some(0));
    let expected = std::fs::read_to_string(root().join(
        "generated/schemas/enterprise__gemini-3-pro-image-preview-1k.images_generations.json",
    ))
    .unwrap();
    assert_eq!(stdout(&o), expected);
    let o = modelgate(&[
        "schema",
        "aws/claude-opus-4-7",
        "--endpoint",
        "vertexkey.messages",
    ]);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        schema["required"],
        serde_json::json!(["max_tokens", "messages", "model"])
    );
}

#[test]
fn schema_all_prints_one_schema_for_every_model() {
    let o = modelgate(&["schema", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected =
        std::fs::read_to_string(root().join("generated/schemas/any-model.json")).unwrap();
    assert_eq!(stdout(&o), expected);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&serde_json::Value> = schema["allOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|branch| &branch["if"]["properties"]["model"]["const"])
        .collect();
    assert!(ids.contains(&&serde_json::json!("vtrix-grok-4")));
    assert!(
        ids.contains(&&serde_json::json!("vidu_q2")),
        "listed IDs too"
    );
    // `model` itself is any string: what an ID the catalog lacks gets is in the branches
    // for its family and its body's shape (catalog note `unknown-ids`).
    assert_eq!(
        schema["properties"]["model"],
        serde_json::json!({"type": "string"})
    );
    // A model and --all together is a usage error.
    let o = modelgate(&["schema", "vtrix-grok-4", "--all"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn schema_errors_say_what_to_do() {
    let o = modelgate(&["schema", "vtrix-grok4"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: model `vtrix-grok4` is not in the catalog; did you mean `vtrix-grok-4`?\n"
    );
    let o = modelgate(&["schema", "vidu_q2"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: model `vidu_q2` has no documented request schema on vtrix.media_generation (documented on: none: the model is listed only)\n"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let line = "{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [], \"max_tokens\": 99999}\n";
    std::fs::write(&path, line.repeat(20_000)).unwrap();
    let mut child = support::modelgate()
        .arg("validate")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    // Quietly, and with the status of the check: the payloads are invalid, so 1 (a
    // pipeline with pipefail must not pass because its reader stopped early).
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "");
}

#[test]
fn yaml_payloads_point_into_the_yaml() {
    let o = modelgate(&[
        "validate",
        "examples/payloads/invalid/hailuo-prompt-too-long.yaml",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains(" --> examples/payloads/invalid/hailuo-prompt-too-long.yaml:6:17\n"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "model: [x\n").unwrap();
    let o = support::modelgate()
        .args(["validate", "--format", "json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items[0]["errors"][0]["code"], "invalid_json");
}

/// The issue's examples on the command line: real payloads (a tool loop with
/// `content: null`, a Vercel AI SDK stream with `stream_options`, an all-params SDK test)
/// sent to VertexKey pass with exit 0 and warnings where the gateway is silent; a
/// documented violation still fails with its pointer, listed before the warnings.
#[test]
fn real_payloads_pass_with_warnings_and_documented_violations_fail_first() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = root().join("tests/corpus/real");
    let mut names = Vec::new();
    for (file, model) in [
        (
            "014-openai-node-runtools-tool-loop.json",
            "aws/claude-sonnet-4-6",
        ),
        (
            "043-vercel-openai-stream-include-usage.json",
            "aws/claude-sonnet-4-6",
        ),
        (
            "008-openai-node-chat-all-params-2025.json",
            "aws/claude-sonnet-4-6",
        ),
    ] {
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(corpus.join(file)).unwrap()).unwrap();
        let mut body = record["body"].clone();
        body["model"] = serde_json::json!(model);
        std::fs::write(
            dir.path().join(file),
            serde_json::to_string_pretty(&body).unwrap(),
        )
        .unwrap();
        names.push(file);
    }
    let o = support::modelgate()
        .args(["validate", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(items.as_array().unwrap().iter().all(|i| i["valid"] == true));
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| !i["warnings"].as_array().unwrap().is_empty())
    );
    // The same all-params body on Vtrix's Claude breaks its documented max_tokens range.
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join(names[2])).unwrap()).unwrap();
    let mut body = record["body"].clone();
    body["model"] = serde_json::json!("vtrix-claude-sonnet-4.5");
    let path = dir.path().join("vtrix.json");
    std::fs::write(&path, serde_json::to_string_pretty(&body).unwrap()).unwrap();
    let o = support::modelgate()
        .args(["validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("error[out_of_range]: `max_tokens` is 0, below the minimum 1 for vtrix-claude-sonnet-4.5 (allowed: 1 to 64000)\n"),
        "{out}"
    );
    assert!(out.contains("warning[undocumented_parameter]"), "{out}");
    assert!(
        out.contains("checked 1 payload in 1 file: 0 valid, 1 invalid (1 error, "),
        "{out}"
    );
}

/// The caret sits under the offending token when the line holds tabs and wide
/// characters (CJK, emoji): the renderer lays them out as the terminal does.
#[test]
fn carets_sit_under_the_token_with_tabs_and_wide_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.json");
    std::fs::write(
        &path,
        "{\n\t\"model\":\t\"vtrix-claude-3-haiku\",\n\t\"messages\": [{\"role\": \"user\", \"content\": \"日本語のテキスト🦊\"}],\t\"max_tokens\":\t99999,\n\t\t\"stop\": \"停止\",\t\"temperature\": \"高い\"\n}\n",
    )
    .unwrap();
    let o = modelgate(&["validate", "--color", "never", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o).replace(path.to_str().unwrap(), "wide.json");
    // Each caret line's marks start where its token starts on the line above, counting
    // a tab as 4 columns and a wide character as 2.
    let lines: Vec<&str> = out.lines().collect();
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| match c {
                '\t' => 4,
                '日' | '本' | '語' | 'の' | 'テ' | 'キ' | 'ス' | 'ト' | '🦊' | '停' | '止'
                | '高' | 'い' => 2,
                _ => 1,
            })
            .sum()
    };
    let mut checked = 0;
    for pair in lines.windows(2) {
        let (source, marks) = (pair[0], pair[1]);
        let Some(caret) = marks.find('^') else {
            continue;
        };
        let Some(bar) = source.find(" | ") else {
            continue;
        };
        let token_column = marks[..caret].chars().count() - (bar + 3);
        let shown = &source[bar + 3..];
        let rest: String = shown
            .chars()
            .scan(0, |w, c| {
                let at = *w;
                *w += width(&c.to_string());
                Some((at, c))
            })
            .skip_while(|(at, _)| *at < token_column)
            .map(|(_, c)| c)
            .collect();
        assert!(
            rest.starts_with("99999")
                || rest.starts_with("\"stop\"")
                || rest.starts_with("\"高い\""),
            "caret at display column {token_column} of {shown:?} points at {rest:?}\n{out}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3, "{out}");
    insta::assert_snapshot!(out);
}

/// `-` takes one pretty-printed JSON document, JSON Lines or YAML, told apart by the
/// first non-blank line, or as `--stdin-format` says.
#[test]
fn standard_input_is_one_json_document_json_lines_or_yaml() {
    let lines = |o: &Output| -> Vec<(Option<u64>, Vec<String>)> {
        let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let codes = i["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| format!("{}@{}", e["code"].as_str().unwrap(), e["line"]))
                    .collect();
                (i["line"].as_u64(), codes)
            })
            .collect()
    };
    let pretty = "\n{\n  \"model\": \"vtrix-claude-3-haiku\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],\n  \"max_tokens\": 99999\n}\n";
    let o = with_stdin(&["validate", "--format", "json", "-"], pretty);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o), [(None, vec!["out_of_range@5".to_string()])]);

    let jsonl = "{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n\n{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [], \"max_tokens\": 1}\n";
    let o = with_stdin(&["validate", "--format", "json", "-"], jsonl);
    assert_eq!(
        lines(&o),
        [
            (Some(1), vec![]),
            (Some(3), vec!["array_length@3".to_string()])
        ]
    );

    let yaml = "model: vtrix-claude-3-haiku\nmessages:\n  - {role: user, content: hi}\nmax_tokens: 99999\n---\nmodel: vtrix-claude-3-haiku\nmessages: [{role: user, content: hi}]\n";
    let o = with_stdin(&["validate", "--format", "json", "-"], yaml);
    assert_eq!(
        lines(&o),
        [(None, vec!["out_of_range@4".to_string()]), (None, vec![])]
    );

    // Findings come in the order of the file, not of the converted document's sorted
    // keys.
    let yaml = "model: vtrix-claude-3-haiku\ntemperature: 9\nmessages: [{role: user, content: hi}]\nmax_tokens: 99999\ntop_p: 7\n";
    let o = with_stdin(&["validate", "--format", "json", "-"], yaml);
    assert_eq!(
        lines(&o),
        [(
            None,
            vec![
                "out_of_range@2".to_string(),
                "out_of_range@4".to_string(),
                "out_of_range@5".to_string()
            ]
        )]
    );

    // Told: a one-line document read as YAML (JSON is YAML) is still checked.
    let o = with_stdin(
        &[
            "validate",
            "--stdin-format",
            "yaml",
            "--format",
            "json",
            "-",
        ],
        "{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [], \"max_tokens\": 1}",
    );
    assert_eq!(lines(&o), [(None, vec!["array_length@1".to_string()])]);
    // Told wrong: a pretty document read as JSON Lines fails line by line.
    let o = with_stdin(
        &[
            "validate",
            "--stdin-format",
            "jsonl",
            "--format",
            "json",
            "-",
        ],
        pretty,
    );
    assert_eq!(lines(&o).len(), 5);
}

/// `--quiet` prints the findings only, and nothing at all when every payload is clean.
#[test]
fn quiet_prints_only_findings() {
    let o = modelgate(&["validate", "--quiet", "examples/payloads/valid"]);
    assert_eq!(o.status.code(), Some(0));
    // The valid examples have warnings: shown, without the summary.
    let out = stdout(&o);
    assert!(out.starts_with("warning["), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("checked ")), "{out}");
    let o = modelgate(&[
        "validate",
        "--quiet",
        "examples/payloads/valid/vtrix-claude-3-haiku.json",
    ]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
    let o = modelgate(&["validate", "-q", "examples/payloads/invalid"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("error["));
    assert!(!stdout(&o).lines().any(|l| l.starts_with("checked ")));
}

/// `--format sarif`: one SARIF 2.1.0 run, a rule per code, each result pointing at its
/// rule and placed in its file; `--format junit`: a test case per payload, one failure
/// per invalid payload. (.ci/formats-check runs the real consumers on both.)
#[test]
fn sarif_and_junit_describe_every_finding() {
    let o = modelgate(&["validate", "--format", "json", "examples/payloads"]);
    let payloads: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let payloads = payloads.as_array().unwrap();
    let invalid = payloads.iter().filter(|p| p["valid"] == false).count();
    let findings: usize = payloads
        .iter()
        .map(|p| p["errors"].as_array().unwrap().len() + p["warnings"].as_array().unwrap().len())
        .sum();

    let o = modelgate(&["validate", "--format", "sarif", "examples/payloads"]);
    assert_eq!(o.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), modelgate::Code::ALL.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings);
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(r["ruleId"], rule["id"]);
        assert!(rule["help"]["text"].as_str().unwrap().len() > 20);
        assert!(["error", "warning"].contains(&r["level"].as_str().unwrap()));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert!(region["startColumn"].as_u64().unwrap() >= 1, "{r}");
    }

    let o = modelgate(&["validate", "--format", "junit", "examples/payloads"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert_eq!(xml.matches("<testcase ").count(), payloads.len());
    assert_eq!(xml.matches("<failure ").count(), invalid);
    assert!(xml.contains(&format!(
        "tests=\"{}\" failures=\"{invalid}\"",
        payloads.len()
    )));
}

/// `--color always` colours the human output even into a pipe; `auto` (the default, a
/// pipe here) and `never` do not.
#[test]
fn color_always_colours_and_auto_does_not_into_a_pipe() {
    let path = "examples/payloads/invalid/vtrix-claude-3-haiku-max-tokens.json";
    let coloured = stdout(&modelgate(&["validate", "--color", "always", path]));
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    for args in [
        &["validate", path][..],
        &["validate", "--color", "never", path][..],
    ] {
        let plain = stdout(&modelgate(args));
        assert!(!plain.contains('\u{1b}'), "{args:?}: {plain:?}");
        assert!(plain.contains("error[out_of_range]"), "{plain}");
    }
}

/// Every command that writes to standard output ends quietly, with status 0, when the
/// reader goes away (`modelgate ... | head`), as ripgrep and cargo do.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in [
        "schema --all",
        "models --json",
        "models",
        "man",
        "completions bash",
        "validate --format json examples/payloads",
        "validate examples/payloads",
    ] {
        let o = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "set -o pipefail; \"$MODELGATE\" {args} | head -c 1 >/dev/null"
            ))
            .env("MODELGATE", env!("CARGO_BIN_EXE_modelgate"))
            .current_dir(support::root())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        // validate on the examples finds errors: 1; the others 0. Never 2, never a word.
        let expected = if args.starts_with("validate") { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(expected), "{args}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args}: {stderr}");
    }
}

/// The codes of a `--format json` report of one payload: (errors, warnings), each as
/// (code, pointer), and the messages.
/// (code, pointer) of each finding.
type Found = Vec<(String, String)>;

fn codes(o: &Output) -> (Found, Found, String) {
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let item = &items[0];
    let list = |key: &str| -> Found {
        item[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["pointer"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let messages = ["errors", "warnings"]
        .iter()
        .flat_map(|k| item[*k].as_array().unwrap().clone())
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    (list("errors"), list("warnings"), messages)
}

fn pair(code: &str, pointer: &str) -> (String, String) {
    (code.to_string(), pointer.to_string())
}

#[test]
fn a_typo_in_a_family_the_gateway_lists_in_full_is_an_error_naming_the_model() {
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "aws/claude-sonet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}"#,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let (errors, warnings, messages) = codes(&o);
    assert_eq!(errors, [pair("unlisted_model", "/model")]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        messages.contains("did you mean \"aws/claude-sonnet-4-5\"")
            && messages.contains("seed-004")
            && messages.contains("no date"),
        "{messages}"
    );
    // The body is still checked, against the family's endpoint (VertexKey chat).
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "aws/claude-sonet-4-5", "messages": [{"role": "user", "content": "Hi"}], "temperature": 7}"#,
    );
    let (errors, ..) = codes(&o);
    assert_eq!(
        errors,
        [
            pair("unlisted_model", "/model"),
            pair("out_of_range", "/temperature")
        ]
    );
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items[0]["endpoint"], "vertexkey.chat_completions");
}

#[test]
fn an_unknown_vtrix_id_is_a_warning_and_its_body_is_checked_against_the_chat_format() {
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "vtrix-claude-3-haiku2", "messages": []}"#,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let (errors, warnings, messages) = codes(&o);
    assert_eq!(errors, [pair("array_length", "/messages")]);
    assert_eq!(warnings, [pair("unknown_model", "/model")]);
    assert!(
        messages.contains("did you mean \"vtrix-claude-3-haiku\"")
            && messages.contains("checked against the format of vtrix.chat_completions")
            && messages.contains("not against any model's limits"),
        "{messages}"
    );
    // A body whose endpoint cannot be told is not checked, and the warning says so.
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "someone-else/model", "prompt": 7}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let (errors, warnings, messages) = codes(&o);
    assert!(errors.is_empty());
    assert_eq!(warnings, [pair("unknown_model", "/model")]);
    assert!(messages.contains("the body was not checked"), "{messages}");
    // `--endpoint` tells it.
    let o = with_stdin(
        &[
            "validate",
            "--format",
            "json",
            "--endpoint",
            "vertexkey.images_generations",
            "-",
        ],
        r#"{"model": "someone-else/model", "prompt": 7}"#,
    );
    let (errors, ..) = codes(&o);
    assert_eq!(errors, [pair("wrong_type", "/prompt")]);
}

#[test]
fn a_tool_message_with_a_name_is_a_warning_not_an_error() {
    // As the OpenAI cookbook's function-calling notebook sends it.
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "vtrix-claude-3-haiku", "messages": [
            {"role": "user", "content": "What is the name of the album with the most tracks?"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
              "function": {"name": "ask_database", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "name": "ask_database", "content": "[('Greatest Hits', 57)]"}]}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let (errors, warnings, messages) = codes(&o);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        warnings.contains(&pair("undocumented_parameter", "/messages/2/name")),
        "{warnings:?}"
    );
    assert!(
        messages.contains("not in the format's schema"),
        "{messages}"
    );
    // Its type is still the format's.
    let o = with_stdin(
        &["validate", "--format", "json", "-"],
        r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "tool", "tool_call_id": "c", "name": 5, "content": "r"}]}"#,
    );
    let (errors, ..) = codes(&o);
    assert_eq!(errors, [pair("wrong_type", "/messages/0/name")]);
}
