//! Lint levels from the command line and from `modelgate.toml`, as users set them: CI
//! strict mode (`--deny warnings`), scoped exceptions, per-model allow lists in the config
//! file, path patterns that choose the endpoint, the order of flags, and located errors
//! in the config file.

use std::path::Path;
use std::process::Output;

mod support;

/// A project directory with payload files and, maybe, a `modelgate.toml`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, text: &str) -> &Self {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// `modelgate ARGS` run in the project directory (or `cwd` below it).
    fn run_in(&self, cwd: &str, args: &[&str]) -> Output {
        support::modelgate()
            .args(args)
            .current_dir(self.dir.path().join(cwd))
            .output()
            .unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in("", args)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn out(o: &Output) -> String {
    support::text(&o.stdout)
}

fn err(o: &Output) -> String {
    support::text(&o.stderr)
}

/// (code, severity, pointer) of every finding of the one payload in a JSON report.
fn findings(o: &Output) -> Vec<(String, String, String)> {
    let items: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", out(o), err(o)));
    let mut found = Vec::new();
    for item in items.as_array().unwrap() {
        for list in ["errors", "warnings"] {
            for f in item[list].as_array().unwrap() {
                found.push((
                    f["code"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                    f["pointer"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    found
}

fn f(code: &str, severity: &str, pointer: &str) -> (String, String, String) {
    (code.into(), severity.into(), pointer.into())
}

const TOOLS: &str = r#"{"model": "vtrix-claude-sonnet-4.5", "seed": 7,
  "messages": [{"role": "user", "content": "Weather in Oslo?"}],
  "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}"#;

#[test]
fn deny_warnings_is_ci_strict_mode() {
    let p = Project::new();
    p.file("req.json", TOOLS);
    let o = p.run(&["validate", "req.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).ends_with("1 valid, 0 invalid (0 errors, 2 warnings)\n"),
        "{}",
        out(&o)
    );
    let o = p.run(&["validate", "--deny", "warnings", "req.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).starts_with("error[undocumented_parameter]: `seed`"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).ends_with("0 valid, 1 invalid (2 errors, 0 warnings)\n"),
        "{}",
        out(&o)
    );
    // -D is --deny; a scoped allow outlives the broad deny, in either order.
    for args in [
        [
            "-D",
            "warnings",
            "-A",
            "undocumented_parameter:vtrix-claude-*:tools",
        ],
        [
            "-A",
            "undocumented_parameter:vtrix-claude-*:tools",
            "-D",
            "warnings",
        ],
    ] {
        let mut all = vec!["validate", "--format", "json"];
        all.extend(args);
        all.push("req.json");
        let o = p.run(&all);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            findings(&o),
            [f("undocumented_parameter", "error", "/seed")]
        );
    }
    let o = p.run(&[
        "validate",
        "--format",
        "json",
        "-D",
        "warnings",
        "-A",
        "undocumented_parameter",
        "req.json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(findings(&o), []);
}

#[test]
fn level_flags_apply_in_the_order_given() {
    let p = Project::new();
    p.file("req.json", TOOLS);
    let o = p.run(&[
        "validate",
        "--format",
        "json",
        "--deny",
        "undocumented_parameter",
        "--warn",
        "undocumented_parameter",
        "req.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = p.run(&[
        "validate",
        "--format",
        "json",
        "--warn",
        "undocumented_parameter",
        "--deny",
        "undocumented_parameter",
        "req.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // An allow-by-default code turned on.
    let o = p.run(&[
        "validate",
        "--format",
        "json",
        "--warn",
        "deprecated_parameter",
        "req.json",
    ]);
    assert_eq!(
        findings(&o),
        [
            f("undocumented_parameter", "warning", "/seed"),
            f("deprecated_parameter", "warning", "/seed"),
            f("undocumented_parameter", "warning", "/tools"),
        ]
    );
}

#[test]
fn bad_flags_are_usage_errors_that_say_what_is_allowed() {
    let p = Project::new();
    p.file("req.json", TOOLS);
    let o = p.run(&["validate", "--deny", "undocumented_paramter", "req.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("error: --deny undocumented_paramter: unknown code `undocumented_paramter`; did you mean `undocumented_parameter`? (codes: out_of_range,"),
        "{}",
        err(&o)
    );
    let o = p.run(&["validate", "--allow", "invalid_json", "req.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("the level of `invalid_json` cannot be changed"),
        "{}",
        err(&o)
    );
}

#[test]
fn the_config_file_sets_levels_and_per_model_allow_lists() {
    let p = Project::new();
    p.file(
        "modelgate.toml",
        r#"# CI strict mode, with what we checked by hand.
[lints]
warnings = "deny"

[[allow]]
code = "undocumented_parameter"
models = ["vtrix-claude-sonnet-4.5"]
parameters = ["tools", "tool_choice"]
reason = "we checked that vtrix-claude-sonnet-4.5 accepts tools"
"#,
    );
    p.file("requests/req.json", TOOLS);
    // Found from a subdirectory, upward.
    let o = p.run_in("requests", &["validate", "--format", "json", "req.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(
        findings(&o),
        [f("undocumented_parameter", "error", "/seed")]
    );
    // Flags come after the file.
    let o = p.run_in(
        "requests",
        &[
            "validate",
            "--format",
            "json",
            "--allow",
            "undocumented_parameter::seed",
            "req.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // --no-config ignores it; --config names another.
    let o = p.run_in(
        "requests",
        &["validate", "--format", "json", "--no-config", "req.json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(findings(&o).len(), 2);
    p.file(
        "lenient.toml",
        "[lints]\nundocumented_parameter = \"allow\"\n",
    );
    let o = p.run_in(
        "requests",
        &[
            "validate",
            "--format",
            "json",
            "--config",
            "../lenient.toml",
            "req.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(findings(&o), []);
}

#[test]
fn path_patterns_choose_the_endpoint_for_a_tree_that_mixes_formats() {
    let p = Project::new();
    p.file(
        "modelgate.toml",
        "[endpoints]\n\"anthropic/**\" = \"vertexkey.messages\"\n\"images/edits/*.json\" = \"vertexkey.images_edits\"\n",
    );
    p.file(
        "anthropic/claude/hello.json",
        r#"{"model": "aws/claude-sonnet-4-6", "max_tokens": 1024, "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello"}]}]}"#,
    );
    p.file(
        "openai/hello.json",
        r#"{"model": "aws/claude-sonnet-4-6", "messages": [{"role": "user", "content": "Hello"}]}"#,
    );
    p.file(
        "images/edits/hat.json",
        r#"{"model": "enterprise/image-2", "prompt": "add a hat", "image": "https://example.com/cat.png"}"#,
    );
    let o = p.run(&["validate", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let endpoints: Vec<(&str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["endpoint"].as_str().unwrap()))
        .collect();
    assert_eq!(
        endpoints,
        [
            ("./anthropic/claude/hello.json", "vertexkey.messages"),
            ("./images/edits/hat.json", "vertexkey.images_edits"),
            ("./openai/hello.json", "vertexkey.chat_completions"),
        ]
    );
    // Without the config the Anthropic payload is checked as chat completions, and
    // the edit as a generation.
    let o = p.run(&["validate", "--no-config", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    // --endpoint still wins over the patterns.
    let o = p.run(&[
        "validate",
        "--format",
        "json",
        "--endpoint",
        "vertexkey.messages",
        "openai/hello.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // The patterns are relative to the config file, wherever the command runs.
    let o = p.run_in(
        "anthropic",
        &["validate", "--format", "json", "claude/hello.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn config_errors_name_the_file_the_line_and_the_key() {
    let p = Project::new();
    p.file("req.json", TOOLS);
    let cases = [
        (
            "[lints]\nundocumented_parameter = \"warn\"\nundocumented_paramter = \"allow\"\n",
            "modelgate.toml:3:1: lints.undocumented_paramter: unknown code `undocumented_paramter`; did you mean `undocumented_parameter`?",
        ),
        (
            "[lints]\nout_of_range = \"error\"\n",
            "modelgate.toml:2:16: lints.out_of_range: unknown level `error` (levels: allow, warn, deny)",
        ),
        (
            "[[allow]]\ncode = \"undocumented_parameter\"\nmodels = [\"aws/[\"]\n",
            "modelgate.toml:3:11: allow[0].models: bad model pattern `aws/[`",
        ),
        (
            "[[deny]]\ncode = [\"out_of_range\", \"seed\"]\n",
            "modelgate.toml:2:8: deny[0].code: unknown code `seed`",
        ),
        (
            "[endpoints]\n\"anthropic/**\" = \"vertexkey.mesages\"\n",
            "modelgate.toml:2:18: endpoints.\"anthropic/**\": unknown endpoint `vertexkey.mesages`; one of: vtrix.chat_completions",
        ),
        (
            "[lint]\nx = 1\n",
            "modelgate.toml:1:2: unknown field `lint`, expected one of",
        ),
        ("[lints\n", "modelgate.toml:1:7: "),
    ];
    for (text, expected) in cases {
        p.file("modelgate.toml", text);
        let o = p.run(&["validate", "req.json"]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let shown = err(&o);
        let full = format!("error: {}", p.path().join(expected).display());
        assert!(
            shown.starts_with(&full),
            "{text}\nexpected: {full}\ngot: {shown}"
        );
    }
}

#[test]
fn the_chat_command_honours_the_levels_before_sending() {
    let p = Project::new();
    p.file("loop.json", TOOL_LOOP);
    // Offline: the built-in emulator answers. The loop has two warnings on Vtrix's
    // Claude (tools, the tool role): it is sent, and answered.
    let o = p.run(&["chat", "--offline", "--no-stream", "--body", "loop.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!out(&o).trim().is_empty());
    // Strict: refused before sending, with the findings.
    let o = p.run(&[
        "chat",
        "--offline",
        "--no-stream",
        "--deny",
        "warnings",
        "--body",
        "loop.json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        err(&o).contains("the request was not sent: 3 errors for vtrix-claude-sonnet-4.5"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("/messages/2/role"), "{}", err(&o));
    // The config file counts too.
    p.file("modelgate.toml", "[lints]\nwarnings = \"deny\"\n");
    let o = p.run(&["chat", "--offline", "--no-stream", "--body", "loop.json"]);
    assert_eq!(o.status.code(), Some(1));
}

/// A standard tool-calling loop (the shape of openai-python's and the OpenAI cookbook's):
/// the assistant turn that called the tool has `content: null`.
const TOOL_LOOP: &str = r#"{
  "model": "vtrix-claude-sonnet-4.5",
  "messages": [
    {"role": "user", "content": "What's the weather like in Paris today?"},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_12345xyz", "type": "function",
       "function": {"name": "get_weather", "arguments": "{\"location\":\"Paris, France\"}"}}]},
    {"role": "tool", "tool_call_id": "call_12345xyz", "content": "18 C and cloudy"}
  ],
  "tools": [{"type": "function", "function": {"name": "get_weather",
    "description": "Get current temperature for a given location.",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}},
                   "required": ["location"], "additionalProperties": false},
    "strict": true}}],
  "tool_choice": "auto"
}"#;

#[test]
fn the_example_config_file_is_valid_and_strict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let o = support::modelgate()
        .args([
            "validate",
            "--format",
            "json",
            "--config",
            "examples/modelgate.toml",
            "examples/payloads/valid",
        ])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(err(&o), "");
    // warnings = "deny": the valid examples' undocumented parameters fail it, except the
    // ones its exceptions allow (max_tokens and temperature on aws/*).
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        findings(&o),
        [f("undocumented_parameter", "error", "/response_format")],
        "{}",
        out(&o)
    );
}

#[test]
fn chat_body_errors_say_which_file_and_what_is_wrong() {
    let p = Project::new();
    p.file("broken.json", "{\"model\": ");
    p.file("nomodel.json", "{\"messages\": []}");
    let o = p.run(&["chat", "--offline", "--body", "broken.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("error: broken.json: EOF while parsing"),
        "{}",
        err(&o)
    );
    let o = p.run(&["chat", "--offline", "--body", "nomodel.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: nomodel.json: the body has no `model` string\n"
    );
    let o = p.run(&["chat", "--offline", "--body", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("error: missing.json: No such file"),
        "{}",
        err(&o)
    );
    // An endless input stops at the limit instead of filling memory.
    let o = p.run(&["chat", "--offline", "--body", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: /dev/zero: the body is larger than 64 MiB, the most modelgate reads\n"
    );
}
