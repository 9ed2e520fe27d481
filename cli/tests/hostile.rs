//! `modelgate validate` on hostile input, as a whole process under a memory cap
//! (`ulimit -v`) and a time limit (`timeout`): alias bombs, link loops, FIFOs, devices,
//! endless lines, byte order marks, repeated keys and terminal escapes. Each case here
//! once hung, aborted, or gave a wrong verdict.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod support;

/// Virtual memory the process may take, in KiB (`ulimit -v`): 1 GiB.
const MEMORY_KIB: u64 = 1 << 20;

/// Runs `modelgate args...` with at most [`MEMORY_KIB`] of memory and 60 seconds, its
/// standard input from `stdin` (a path) or empty.
fn capped(args: &[&str], stdin: Option<&Path>) -> Output {
    let mut c = support::modelgate();
    let program = c.get_program().to_owned();
    let mut shell = Command::new("bash");
    shell
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec timeout 60 \"$@\""))
        .arg("bash")
        .arg(program)
        .args(args);
    for (key, value) in c.get_envs() {
        match value {
            Some(v) => shell.env(key, v),
            None => shell.env_remove(key),
        };
    }
    shell.stdin(match stdin {
        Some(path) => Stdio::from(fs::File::open(path).unwrap()),
        None => Stdio::null(),
    });
    c = shell;
    let out = c.output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(124),
        "timed out: {}",
        support::text(&out.stderr)
    );
    out
}

fn text(o: &Output) -> (String, String) {
    (support::text(&o.stdout), support::text(&o.stderr))
}

/// A "billion laughs": nine levels of nine aliases, 9^9 copies if expanded (under 500
/// bytes).
fn alias_bomb() -> String {
    let mut bomb = String::from("a0: &a0 [lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    bomb
}

const HAIKU_TOO_LONG: &str = r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4097}"#;

#[test]
fn an_alias_bomb_is_an_invalid_payload_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = alias_bomb();
    let path = dir.path().join("bomb.yaml");
    fs::write(&path, &bomb).unwrap();
    let o = capped(&["validate", path.to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains(
            "error[invalid_json]: invalid YAML: anchors and aliases would copy more than 16 MiB"
        ),
        "{out}"
    );
}

#[test]
fn symbolic_link_loops_end_and_each_file_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("top");
    fs::create_dir_all(top.join("l/s")).unwrap();
    fs::write(top.join("a.json"), HAIKU_TOO_LONG).unwrap();
    std::os::unix::fs::symlink("..", top.join("l/self")).unwrap();
    std::os::unix::fs::symlink("../..", top.join("l/s/up")).unwrap();
    // Links are followed only with -L; then a loop ends, and each file is read once.
    let o = capped(&["validate", "-L", top.to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.ends_with("checked 1 payload in 1 file: 0 valid, 1 invalid (1 error, 0 warnings)\n"),
        "{out}"
    );
    assert!(err.contains("a symbolic link loops back to"), "{err}");
    let o = capped(&["validate", top.to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.ends_with("checked 1 payload in 1 file: 0 valid, 1 invalid (1 error, 0 warnings)\n"),
        "{out}"
    );
    assert_eq!(
        err.matches("a symbolic link, not followed").count(),
        2,
        "{err}"
    );

    // One link to a directory that is also walked directly: its files once.
    let other = dir.path().join("other");
    fs::create_dir_all(other.join("sub")).unwrap();
    fs::write(other.join("sub/b.json"), HAIKU_TOO_LONG).unwrap();
    std::os::unix::fs::symlink("sub", other.join("alias")).unwrap();
    let b = other.join("sub/b.json");
    let o = capped(
        &[
            "validate",
            "-L",
            other.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    let (out, err) = text(&o);
    assert!(
        out.ends_with("checked 1 payload in 1 file: 0 valid, 1 invalid (1 error, 0 warnings)\n"),
        "{out}"
    );
    assert_eq!(
        err.matches("the same file was reached before; checked once")
            .count(),
        2,
        "{err}"
    );
}

#[test]
fn fifos_in_a_walk_are_skipped_and_devices_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.json"), HAIKU_TOO_LONG).unwrap();
    let fifo = dir.path().join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = capped(&["validate", dir.path().to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        err.contains("pipe.json: skipped, it is a FIFO, not a regular file"),
        "{err}"
    );
    assert!(out.contains("checked 1 payload in 1 file"), "{out}");

    let o = capped(&["validate", "/dev/zero"], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        err.contains("/dev/zero: is a device, not a payload file"),
        "{err}"
    );
}

#[test]
fn an_endless_line_on_stdin_is_refused_with_its_line_number() {
    let o = capped(&["validate", "-"], Some(Path::new("/dev/zero")));
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        err.contains("-: line 1 is longer than 64 MiB, the most modelgate reads as one payload"),
        "{err}"
    );
}

#[test]
fn a_json_file_over_the_cap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let padding = " ".repeat((64 << 20) + 1);
    fs::write(&path, format!("{HAIKU_TOO_LONG}{padding}")).unwrap();
    let o = capped(&["validate", path.to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        err.contains("big.json: the file is larger than 64 MiB, the most modelgate reads"),
        "{err}"
    );
}

#[test]
fn no_payload_found_is_a_usage_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let o = capped(&["validate", path], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        err.contains("error: no payload found in the paths given"),
        "{err}"
    );
    fs::write(dir.path().join("notes.txt"), "{}").unwrap();
    fs::write(dir.path().join("blank.jsonl"), "\n\n").unwrap();
    let o = capped(&["validate", path], None);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("error: no payload found in 1 files"), "{err}");
    let o = capped(&["validate", "--allow-empty", path], None);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
}

#[test]
fn a_byte_order_mark_is_skipped_in_json_json_lines_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.json"),
        format!("\u{feff}{HAIKU_TOO_LONG}"),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.jsonl"),
        format!("\u{feff}{HAIKU_TOO_LONG}\n{HAIKU_TOO_LONG}\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("c.yaml"),
        "\u{feff}model: vtrix-claude-3-haiku\nmessages: [{role: user, content: Hi}]\nmax_tokens: 4097\n",
    )
    .unwrap();
    let o = capped(&["validate", dir.path().to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert_eq!(out.matches("error[out_of_range]").count(), 4, "{out}");
    assert!(
        !out.contains("invalid_json") && !out.contains("missing_required"),
        "{out}"
    );
}

#[test]
fn repeated_keys_are_warnings_at_the_second_key_and_the_last_value_counts() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.json"),
        "{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],\n \"max_tokens\": 99999,\n \"max_tokens\": 1}",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.yaml"),
        "model: vtrix-claude-3-haiku\nmessages: [{role: user, content: Hi}]\nmax_tokens: 99999\nmax_tokens: 1\n",
    )
    .unwrap();
    let o = capped(&["validate", dir.path().to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert_eq!(
        out.matches("warning[duplicate_key]: `max_tokens` is given more than once")
            .count(),
        2,
        "{out}"
    );
    assert!(out.contains("a.json:3:2\n"), "{out}");
    assert!(out.contains("b.yaml:4:1\n"), "{out}");
}

#[test]
fn terminal_escapes_in_payloads_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A model ID with an escape sequence (valid JSON: `\u001b`), quoted in a message.
    let quoted = dir.path().join("a.json");
    fs::write(
        &quoted,
        r#"{"model": "\u001b]0;owned\u0007x", "messages": [{"role": "user", "content": "Hi"}]}"#,
    )
    .unwrap();
    for format in ["human", "github"] {
        let o = capped(
            &["validate", "--format", format, quoted.to_str().unwrap()],
            None,
        );
        let (out, _) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        assert!(out.contains("\\x1b]0;owned\\x07x"), "{format}: {out}");
    }
    // Raw control characters in the line shown (not JSON), with the caret after them.
    let raw = dir.path().join("b.json");
    fs::write(&raw, "{\"a\u{1b}[2J\u{7}\": 1, }").unwrap();
    let o = capped(&["validate", raw.to_str().unwrap()], None);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    let lines: Vec<&str> = out.lines().collect();
    let shown = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
    // The renderer shows controls as their Unicode symbols (U+241B, U+2407).
    assert_eq!(lines[shown], "1 | {\"a\u{241b}[2J\u{2407}\": 1, }", "{out}");
    // The caret marks the character serde_json stopped at.
    assert_eq!(lines[shown + 1], "  |    ^ (root)", "{out}");
}

#[test]
fn yaml_tags_outside_the_core_schema_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.yaml");
    fs::write(
        &path,
        "model: vtrix-claude-3-haiku\nmessages: !!binary aGk=\n",
    )
    .unwrap();
    let o = capped(&["validate", path.to_str().unwrap()], None);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("invalid YAML: the YAML tag `!!binary` is not supported"),
        "{out}"
    );
}

#[test]
fn a_request_body_with_a_byte_order_mark_is_sent_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    fs::write(
        &path,
        "\u{feff}{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
    )
    .unwrap();
    let o = capped(
        &[
            "chat",
            "--offline",
            "--no-stream",
            "--body",
            path.to_str().unwrap(),
        ],
        None,
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(!out.trim().is_empty(), "{err}");
}

#[test]
fn an_alias_bomb_as_the_emulator_config_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = alias_bomb();
    let path = dir.path().join("emulator.yaml");
    fs::write(&path, &bomb).unwrap();
    let o = capped(&["serve", "--config", path.to_str().unwrap()], None);
    let (out, err) = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        err.contains("anchors and aliases would copy more than 16 MiB"),
        "{err}"
    );
    assert!(err.contains("emulator.yaml"), "{err}");
}
