//! Models declared in `modelgate.toml` (`[[models]]`): checked by `validate` as bundled
//! ones are, their own limits citing the declaration's source; served by `serve`; listed
//! by `models` with where they come from; a malformed declaration is exit 2 with its
//! file, line, column and key.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

mod support;
use support::{modelgate, text};

const DECLARATION: &str = r#"# A model VertexKey added after the catalog was made.
[[models]]
id = "aws/claude-sonnet-4-7"
gateway = "vertexkey"
like = "aws/claude-sonnet-4-6"
source = "VertexKey changelog, 2026-12-01"
parameters.max_tokens = { maximum = 32000 }
"#;

fn chat(tokens: u32) -> String {
    format!(
        r#"{{"model": "aws/claude-sonnet-4-7", "max_tokens": {tokens}, "messages": [{{"role": "user", "content": "Hi"}}]}}"#
    )
}

/// A directory with `modelgate.toml` holding `config`.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("modelgate.toml"), config).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    modelgate().args(args).current_dir(dir).output().unwrap()
}

#[test]
fn a_declared_model_is_accepted_within_its_own_limit_and_refused_above_it_citing_its_source() {
    let dir = project(DECLARATION);
    std::fs::write(dir.path().join("ok.json"), chat(32000)).unwrap();
    std::fs::write(dir.path().join("over.json"), chat(32001)).unwrap();
    let ok = run(dir.path(), &["validate", "ok.json"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    assert!(
        text(&ok.stdout).ends_with("1 valid, 0 invalid (0 errors, 0 warnings)\n"),
        "{}",
        text(&ok.stdout)
    );
    let over = run(dir.path(), &["validate", "over.json"]);
    assert_eq!(over.status.code(), Some(1));
    let out = text(&over.stdout);
    assert!(
        out.starts_with(
            "error[out_of_range]: `max_tokens` is 32001, above the maximum 32000 for aws/claude-sonnet-4-7 (declared in modelgate.toml:3, from VertexKey changelog, 2026-12-01)"
        ),
        "{out}"
    );
    // Without the declaration the same ID is one VertexKey's own list lacks.
    let bare = run(dir.path(), &["validate", "--no-config", "ok.json"]);
    assert_eq!(bare.status.code(), Some(1));
    assert!(
        text(&bare.stdout).contains("error[unlisted_model]"),
        "{}",
        text(&bare.stdout)
    );
}

#[test]
fn models_lists_declared_models_with_their_origin() {
    let dir = project(DECLARATION);
    let o = run(dir.path(), &["models", "--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let header = out.lines().next().unwrap();
    assert!(header.ends_with("ORIGIN"), "{header}");
    let row = out
        .lines()
        .find(|l| l.starts_with("aws/claude-sonnet-4-7 "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.ends_with("modelgate.toml:3 (like aws/claude-sonnet-4-6)"),
        "{row}"
    );
    assert!(row.contains(" 32000 "), "{row}");
    let bundled = out
        .lines()
        .find(|l| l.starts_with("aws/claude-sonnet-4-6 "))
        .unwrap();
    assert!(bundled.ends_with("catalog"), "{bundled}");
    assert!(out.contains("(1 declared in a config file)"), "{out}");
    let json = run(dir.path(), &["models", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let declared: Vec<&serde_json::Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["origin"] != "catalog")
        .collect();
    assert_eq!(declared.len(), 1);
    assert_eq!(declared[0]["id"], "aws/claude-sonnet-4-7");
    assert_eq!(declared[0]["origin"], "modelgate.toml:3");
    assert_eq!(declared[0]["like"], "aws/claude-sonnet-4-6");
    assert_eq!(declared[0]["max_output_tokens"], 32000);
    // A price is not declared, so none is shown.
    assert!(declared[0]["pricing"].is_null());
    // --no-config lists the bundled catalog only.
    let bare = run(dir.path(), &["models", "--no-config"]);
    assert!(!text(&bare.stdout).contains("aws/claude-sonnet-4-7"));
}

#[test]
fn a_malformed_declaration_is_exit_2_with_its_file_line_and_key() {
    let cases = [
        (
            DECLARATION.replace(
                "like = \"aws/claude-sonnet-4-6\"",
                "like = \"aws/claude-sonet-4-6\"",
            ),
            "modelgate.toml:5:8: models[0].like: `aws/claude-sonet-4-6` is not a bundled model; did you mean `aws/claude-sonnet-4-6`?",
        ),
        (
            DECLARATION.replace("gateway = \"vertexkey\"", "gateway = \"vtrix\""),
            "modelgate.toml:4:11: models[0].gateway: `aws/claude-sonnet-4-6` is a VertexKey model",
        ),
        (
            DECLARATION.replace("parameters.max_tokens", "parameters.max_tokns"),
            "modelgate.toml:7:12: models[0].parameters.max_tokns: `max_tokns` does not exist (known here:",
        ),
        (
            DECLARATION.replace("maximum = 32000", "maximun = 32000"),
            "modelgate.toml:7:25: models[0].parameters.\"max_tokens\": unknown field `maximun`",
        ),
        (
            DECLARATION.replace("gateway = \"vertexkey\"\n", ""),
            "modelgate.toml:2:1: missing field `gateway`",
        ),
        (
            format!("{DECLARATION}\n{DECLARATION}"),
            "modelgate.toml:11:6: models[1].id: `aws/claude-sonnet-4-7` is declared twice (first at models[0])",
        ),
    ];
    for (config, expected) in cases {
        let dir = project(&config);
        std::fs::write(dir.path().join("ok.json"), chat(1)).unwrap();
        for args in [
            &["validate", "ok.json"][..],
            &["models"],
            &["serve", "--addr", "127.0.0.1:0"],
        ] {
            let o = run(dir.path(), args);
            assert_eq!(
                o.status.code(),
                Some(2),
                "{args:?} {expected}: {}",
                text(&o.stdout)
            );
            let err = text(&o.stderr);
            assert!(
                err.contains(expected),
                "{args:?}: {err}\nexpected: {expected}"
            );
        }
    }
}

/// Starts `modelgate serve` in `dir` on a free port; returns it and its base URL.
fn serve(dir: &Path) -> (Child, String) {
    let mut child = modelgate()
        .args(["serve", "--addr", "127.0.0.1:0", "--quiet"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = support::listening(&mut child);
    (child, base)
}

/// `GET path` on the emulator, the answer's body.
fn get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer vai-test\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_serves_lists_and_checks_a_declared_model() {
    let dir = project(DECLARATION);
    let (mut child, base) = serve(dir.path());
    let list = get(&base, "/v1/models");
    assert!(list.contains("\"aws/claude-sonnet-4-7\""), "{list}");
    let send = |tokens: &str, extra: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_modelgate"))
            .args(["--base-url", &format!("{base}/v1"), "--api-key", "vai-test"])
            .args(["--max-retries", "0", "chat", "--no-stream"])
            .args(["--model", "aws/claude-sonnet-4-7", "--max-tokens", tokens])
            .args(extra)
            .arg("Hi")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let ok = send("32000", &[]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(!text(&ok.stdout).trim().is_empty());
    // Above its limit, sent anyway (no config, the client's own checks off for it): the
    // emulator refuses it by the declaration, citing its source.
    let over = send(
        "32001",
        &[
            "--no-config",
            "--provider",
            "vertexkey",
            "--allow",
            "unlisted_model",
            "--allow",
            "out_of_range",
        ],
    );
    assert_ne!(over.status.code(), Some(0));
    let err = text(&over.stderr);
    assert!(
        err.contains("400")
            && err.contains("declared in modelgate.toml:3, from VertexKey changelog, 2026-12-01"),
        "{err}"
    );
    child.kill().unwrap();
    let _ = child.wait();
}
