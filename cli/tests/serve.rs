//! `modelgate serve` as users run it: a real process on a free port, driven by the
//! `modelgate` client commands, stopped with Ctrl-C (SIGINT); and the offline default
//! of `chat`, `image`, `video` when no key is set.

use std::io::Read;
use std::process::{Child, Command, Output, Stdio};

mod support;
use support::{modelgate, text};

/// Starts `modelgate serve` on a free port; returns the process and its base URL.
fn serve(config: &str) -> (Child, String, tempfile::TempDir) {
    serve_with(config, &[])
}

/// [`serve`] with more arguments.
fn serve_with(config: &str, args: &[&str]) -> (Child, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emulator.yaml");
    std::fs::write(&path, config).unwrap();
    let mut child = modelgate()
        .args(args)
        .args(["serve", "--addr", "127.0.0.1:0", "--config"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = support::listening(&mut child);
    (child, base, dir)
}

fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn chat(base: &str, key: &str, extra: &[&str]) -> Output {
    modelgate()
        .args(["--base-url", &format!("{base}/v1"), "--api-key", key])
        .args([
            "--max-retries",
            "0",
            "chat",
            "--model",
            "aws/claude-haiku-4-5",
        ])
        .args(extra)
        .arg("Say something about gateways")
        .output()
        .unwrap()
}

#[test]
fn serves_checks_keys_logs_requests_and_stops_gracefully_on_ctrl_c() {
    let (mut child, base, _dir) =
        serve("api_keys: [vai-good]\nno_balance_keys: [vai-broke]\nstream_pacing_ms: 40\n");

    let ok = chat(&base, "vai-good", &["--no-stream"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).trim().len() > 10, "{}", text(&ok.stdout));
    let again = chat(&base, "vai-good", &["--no-stream"]);
    assert_eq!(
        text(&again.stdout),
        text(&ok.stdout),
        "same request, same answer"
    );

    let unknown = chat(&base, "vai-other", &["--no-stream"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("401"),
        "{}",
        text(&unknown.stderr)
    );
    assert!(
        !text(&unknown.stderr).contains("vai-other"),
        "the key is not echoed"
    );
    let broke = chat(&base, "vai-broke", &["--no-stream"]);
    assert_eq!(broke.status.code(), Some(1));
    assert!(
        text(&broke.stderr).contains("403"),
        "{}",
        text(&broke.stderr)
    );

    // A paced stream (about 1 s) is still running when Ctrl-C arrives: it finishes.
    let stream = std::thread::spawn({
        let base = base.clone();
        move || chat(&base, "vai-good", &[])
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    interrupt(&child);
    let streamed = stream.join().unwrap();
    assert_eq!(
        streamed.status.code(),
        Some(0),
        "{}",
        text(&streamed.stderr)
    );
    assert_eq!(
        text(&streamed.stdout),
        text(&ok.stdout),
        "streamed = whole answer"
    );

    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    assert!(rest.contains("stopped"), "{rest}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("POST /v1/chat/completions -> 200"))
            .count(),
        3,
        "{log}"
    );
    assert!(log.contains("POST /v1/chat/completions -> 401"), "{log}");
    assert!(log.contains("POST /v1/chat/completions -> 403"), "{log}");
    assert!(!log.contains("vai-good"), "keys stay out of the log: {log}");
}

#[test]
fn config_errors_name_the_file_line_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "job_seconds: 2\nfaults:\n  rate_500: 1.5\n").unwrap();
    let o = modelgate()
        .args(["serve", "--addr", "127.0.0.1:0", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: {}:3:3: /faults/rate_500: 1.5 is not a share; allowed: 0 to 1\n",
            path.display()
        )
    );
}

#[test]
fn a_busy_address_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = modelgate()
        .args(["serve", "--addr", &addr])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).starts_with(&format!("error: cannot listen on {addr}: ")),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn without_a_key_every_gateway_command_answers_offline() {
    let o = modelgate()
        .args([
            "chat",
            "--model",
            "vtrix-deepseek-v3.1",
            "--no-stream",
            "Hello",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("note: no API key (VTRIX_API_KEY or --api-key)"),
        "{}",
        text(&o.stderr)
    );
    let streamed = modelgate()
        .args([
            "--offline",
            "chat",
            "--model",
            "vtrix-deepseek-v3.1",
            "Hello",
        ])
        .output()
        .unwrap();
    assert_eq!(text(&streamed.stdout), text(&o.stdout));
    assert_eq!(text(&streamed.stderr), "", "--offline asked for: no note");

    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("cat.png");
    let o = modelgate()
        .args([
            "image",
            "--model",
            "enterprise/gemini-3.1-flash-image-preview-2k",
        ])
        .arg("--out")
        .arg(&png)
        .arg("a cat")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::read(&png)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );

    let mp4 = dir.path().join("dog.mp4");
    let o = modelgate()
        .args(["video", "--model", "enterprise/seedance-1-5-pro", "--out"])
        .arg(&mp4)
        .arg("a dog")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(&std::fs::read(&mp4).unwrap()[4..8], b"ftyp");

    // Editing that image, a Vtrix media task, and the model list, all offline.
    let edited = dir.path().join("edited.png");
    let o = modelgate()
        .args(["image", "--model", "enterprise/image-2", "--image"])
        .arg(&png)
        .arg("--out")
        .arg(&edited)
        .arg("add a hat")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::read(&edited)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );
    let task = dir.path().join("waves.mp4");
    let o = modelgate()
        .args(["video", "--model", "minimax_hailuo_23_i2v", "--image"])
        .arg(&png)
        .arg("--out")
        .arg(&task)
        .arg("waves")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(&std::fs::read(&task).unwrap()[4..8], b"ftyp");
    // Without a key, `models --remote` would compare the catalog with itself: refused
    // (a CI job missing its secret must not report the catalog in sync).
    let o = modelgate().args(["models", "--remote"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("models --remote compares the catalog with VertexKey's list, which needs a key: set VERTEXKEY_API_KEY"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(text(&o.stdout), "", "nothing claims the catalog matches");
    // --offline asks for the built-in emulator explicitly.
    let o = modelgate()
        .args(["models", "--remote", "--offline"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).ends_with("the catalog matches the gateway\n"),
        "{}",
        text(&o.stdout)
    );

    // Offline requests are validated like online ones.
    let o = modelgate()
        .args([
            "chat",
            "--model",
            "vtrix-deepseek-v3.1",
            "--max-tokens",
            "0",
            "Hi",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("/max_tokens"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn modelgate_offline_takes_the_usual_spellings_of_a_boolean() {
    let remote = |value: &str| {
        modelgate()
            .env("MODELGATE_OFFLINE", value)
            .args(["models", "--remote", "--api-key", "k", "--max-retries", "0"])
            .args(["--base-url", "http://127.0.0.1:9"])
            .output()
            .unwrap()
    };
    for on in ["1", "true", "yes", "on"] {
        let o = remote(on);
        assert_eq!(o.status.code(), Some(0), "{on}: {}", text(&o.stderr));
        assert!(text(&o.stdout).contains("models listed by http://127.0.0.1:"));
        assert!(
            !text(&o.stdout).contains("127.0.0.1:9/"),
            "{on}: answered offline"
        );
    }
    // Off: the given (closed) base URL is asked.
    let o = remote("0");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("connection to http://127.0.0.1:9/models failed"));
    let o = remote("maybe");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("invalid value 'maybe' for '--offline'"),
        "{}",
        text(&o.stderr)
    );
}

/// `--color` decides whether `serve` colours its log lines (stderr is a pipe here, so
/// `auto` does not); NO_COLOR does not override an explicit `always`.
#[test]
fn serve_colours_its_log_only_when_asked() {
    for (args, coloured) in [
        (&["--color", "always"][..], true),
        (&[][..], false),
        (&["--color", "never"][..], false),
    ] {
        let (mut child, base, _dir) = serve_with("api_keys: [vai-test]\n", args);
        let ok = chat(&base, "vai-test", &["--no-stream"]);
        assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
        interrupt(&child);
        let mut log = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        child.wait().unwrap();
        assert!(log.contains("/v1/chat/completions"), "{log}");
        assert_eq!(log.contains('\u{1b}'), coloured, "{args:?}: {log:?}");
    }
}
