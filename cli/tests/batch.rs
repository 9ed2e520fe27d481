//! Batch files (OpenAI's Batch API input format, `{"custom_id", "method", "url",
//! "body"}` per line) in `modelgate validate`: recognised per line among plain payloads,
//! each line's `url` choosing its endpoint, custom_ids checked across the file.

use std::process::Output;

use serde_json::Value;

mod support;

use support::{root, run_in_root as modelgate, run_in_root_with_stdin as with_stdin};

fn json(o: &Output) -> Vec<Value> {
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", support::text(&o.stdout)))
        .as_array()
        .unwrap()
        .clone()
}

/// Every finding of a JSON report: (payload line, code, pointer, finding line, column).
fn findings(items: &[Value]) -> Vec<(u64, String, String, u64, u64)> {
    let mut out = Vec::new();
    for item in items {
        for list in ["errors", "warnings"] {
            for f in item[list].as_array().unwrap() {
                out.push((
                    item["line"].as_u64().unwrap(),
                    f["code"].as_str().unwrap().to_string(),
                    f["pointer"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                ));
            }
        }
    }
    out
}

/// The 1-based column (in characters) of the `nth` (from 0) occurrence of `needle` in
/// line `line` of `file`.
fn column(file: &str, line: usize, needle: &str, nth: usize) -> u64 {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let l = text.lines().nth(line - 1).unwrap();
    let at = l.match_indices(needle).nth(nth).unwrap().0;
    l[..at].chars().count() as u64 + 1
}

const MIXED: &str = "examples/payloads/batch/mixed-endpoints.jsonl";
const INVALID: &str = "examples/payloads/batch/invalid.jsonl";

#[test]
fn a_file_of_batch_lines_for_several_endpoints_passes_in_one_run() {
    let o = modelgate(&["validate", "--format", "json", MIXED]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        support::text(&o.stdout),
        support::text(&o.stderr)
    );
    let items = json(&o);
    let endpoints: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["model"].as_str().unwrap(),
                i["endpoint"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        endpoints,
        [
            ("aws/claude-sonnet-4-6", "vertexkey.chat_completions"),
            ("aws/claude-haiku-4-5", "vertexkey.messages"),
            (
                "enterprise/gemini-3-pro-image-preview-1k",
                "vertexkey.images_generations"
            ),
            ("vtrix-claude-3-haiku", "vtrix.chat_completions"),
            ("minimax_hailuo_23_i2v", "vtrix.media_generation"),
            // The plain payload among them: its model's default endpoint.
            ("aws/glm-5", "vertexkey.chat_completions"),
        ]
    );
    assert!(items.iter().all(|i| i["valid"] == true));
    // The human summary counts every line.
    let o = modelgate(&["validate", MIXED]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        support::text(&o.stdout)
            .ends_with("checked 6 payloads in 1 file: 6 valid, 0 invalid (0 errors, 0 warnings)\n"),
        "{}",
        support::text(&o.stdout)
    );
}

#[test]
fn an_invalid_batch_file_has_three_findings_on_their_lines() {
    let o = modelgate(&["validate", "--format", "json", INVALID]);
    assert_eq!(o.status.code(), Some(1), "{}", support::text(&o.stderr));
    let items = json(&o);
    assert_eq!(items.len(), 4);
    assert_eq!(
        findings(&items),
        [
            // A url one letter short: did-you-mean.
            (
                2,
                "unknown_url".to_string(),
                "/url".to_string(),
                2,
                column(INVALID, 2, "\"/v1/chat/completion\"", 0)
            ),
            // request-1 again (first on line 1).
            (
                3,
                "duplicate_custom_id".to_string(),
                "/custom_id".to_string(),
                3,
                column(INVALID, 3, "\"request-1\"", 0)
            ),
            // Above Vtrix's documented 4096 for Claude 3 Haiku, inside the body.
            (
                4,
                "out_of_range".to_string(),
                "/body/max_tokens".to_string(),
                4,
                column(INVALID, 4, "4097", 0)
            ),
        ]
    );
    let message = |line: usize| {
        items[line - 1]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        message(2).contains("did you mean \"/v1/chat/completions\"?"),
        "{}",
        message(2)
    );
    assert!(
        message(3).contains("already given on line 1"),
        "{}",
        message(3)
    );
    assert!(message(4).contains("4096"), "{}", message(4));
    // The valid lines say where they went; the unknown url has no endpoint.
    assert_eq!(items[0]["endpoint"], "vtrix.chat_completions");
    assert_eq!(items[2]["endpoint"], "vertexkey.messages");
    assert_eq!(items[3]["endpoint"], "vtrix.chat_completions");

    // Human output: each finding at its file line and column.
    let o = modelgate(&["validate", INVALID]);
    assert_eq!(o.status.code(), Some(1));
    let out = support::text(&o.stdout);
    for (line, needle) in [
        (2, "\"/v1/chat/completion\""),
        (3, "\"request-1\""),
        (4, "4097"),
    ] {
        let at = format!("{INVALID}:{line}:{}\n", column(INVALID, line, needle, 0));
        assert!(out.contains(&at), "{at} in {out}");
    }
    assert!(
        out.ends_with("checked 4 payloads in 1 file: 1 valid, 3 invalid (3 errors, 0 warnings)\n"),
        "{out}"
    );
}

#[test]
fn policies_change_the_batch_codes_levels() {
    let o = modelgate(&[
        "validate",
        "--format",
        "json",
        "--allow",
        "unknown_url",
        "--warn",
        "duplicate_custom_id",
        INVALID,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let items = json(&o);
    assert!(items[1]["errors"].as_array().unwrap().is_empty());
    assert!(items[1]["warnings"].as_array().unwrap().is_empty());
    assert_eq!(items[2]["valid"], true);
    assert_eq!(items[2]["warnings"][0]["code"], "duplicate_custom_id");
    // Only the out-of-range body is left as an error.
    let o = modelgate(&[
        "validate",
        "--allow",
        "unknown_url",
        "--allow",
        "duplicate_custom_id",
        "--allow",
        "out_of_range",
        INVALID,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", support::text(&o.stdout));
    // A misspelt code is refused with a did-you-mean.
    let o = modelgate(&["validate", "--deny", "batch_methd", INVALID]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        support::text(&o.stderr).contains("did you mean `batch_method`?"),
        "{}",
        support::text(&o.stderr)
    );
}

#[test]
fn batch_lines_on_standard_input_share_their_custom_ids() {
    let line = |id: &str, method: &str| {
        format!(
            "{{\"custom_id\": \"{id}\", \"method\": \"{method}\", \"url\": \"/v1/chat/completions\", \"body\": {{\"model\": \"aws/glm-5\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hi\"}}]}}}}\n"
        )
    };
    let input = [line("a", "POST"), line("a", "GET")].concat();
    let o = with_stdin(&["validate", "--format", "json", "-"], &input);
    assert_eq!(o.status.code(), Some(1));
    let items = json(&o);
    assert_eq!(items[0]["valid"], true);
    let codes: Vec<&str> = items[1]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["duplicate_custom_id", "batch_method"]);
}

/// The lines of OpenAI's batch cookbook example (chat completions with `model`,
/// `messages`, `temperature`, `max_tokens` and `response_format`), with catalog model IDs.
#[test]
fn the_cookbook_batch_lines_pass_with_catalog_models() {
    let system = "Your goal is to extract movie categories from movie descriptions, as well as a 1-sentence summary for these movies. You will be provided with a movie description, and you will output a json object containing the following information:\n\n{\n    categories: string[] // Array of categories based on the movie description,\n    summary: string // 1-sentence summary of the movie based on the movie description\n}";
    let movies = [
        "Two imprisoned men bond over a number of years, finding solace and eventual redemption through acts of common decency.",
        "An organized crime dynasty's aging patriarch transfers control of his clandestine empire to his reluctant son.",
    ];
    let mut input = String::new();
    for (i, (movie, model)) in movies
        .iter()
        .zip(["vtrix-deepseek-v3.2", "aws/glm-5"])
        .enumerate()
    {
        let line = serde_json::json!({
            "custom_id": format!("task-{i}"),
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {
                "model": model,
                "temperature": 0.1,
                "max_tokens": 1000,
                "response_format": {"type": "json_object"},
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": movie}
                ]
            }
        });
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let o = with_stdin(&["validate", "--format", "json", "-"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", support::text(&o.stdout));
    let items = json(&o);
    assert_eq!(items[0]["endpoint"], "vtrix.chat_completions");
    assert_eq!(items[1]["endpoint"], "vertexkey.chat_completions");
    // VertexKey documents neither temperature nor max_tokens nor response_format: warnings,
    // at their place under /body.
    let pointers: Vec<&str> = items[1]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    assert!(pointers.contains(&"/body/temperature"), "{pointers:?}");
    assert!(
        pointers.iter().all(|p| p.starts_with("/body/")),
        "{pointers:?}"
    );
}
