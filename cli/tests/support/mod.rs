//! What the CLI's test binaries share: the `modelgate` binary with an environment that
//! the developer's own keys, base URLs or offline switch cannot change.

#![allow(dead_code)] // each test binary uses part of this

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The variables that would point a run at another gateway or at the emulator.
const GATEWAY_VARIABLES: &[&str] = &[
    "VERTEXKEY_API_KEY",
    "VTRIX_API_KEY",
    "VERTEXKEY_BASE_URL",
    "VTRIX_BASE_URL",
    "MODELGATE_OFFLINE",
];

/// The `modelgate` binary, its environment cleared of [`GATEWAY_VARIABLES`].
pub fn modelgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modelgate"));
    for var in GATEWAY_VARIABLES {
        c.env_remove(var);
    }
    c
}

/// The generator program that `catalog update` runs (`--codegen`, `MODELGATE_CODEGEN`):
/// this build's `modelgate-codegen`, built once when the test run did not build it
/// (`cargo test -p modelgate-cli` does not; `--workspace` does).
pub fn codegen() -> &'static std::path::Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let bin = std::path::Path::new(env!("CARGO_BIN_EXE_modelgate"))
            .with_file_name(format!("modelgate-codegen{}", std::env::consts::EXE_SUFFIX));
        if !bin.is_file() {
            let profile = bin
                .parent()
                .and_then(|d| d.file_name())
                .and_then(|n| n.to_str())
                .map(|n| if n == "debug" { "dev" } else { n })
                .unwrap_or("dev")
                .to_string();
            let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args([
                    "build",
                    "--quiet",
                    "-p",
                    "modelgate-codegen",
                    "--features",
                    "generate",
                ])
                .args(["--bin", "modelgate-codegen", "--profile", &profile])
                .current_dir(root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building modelgate-codegen failed");
        }
        assert!(bin.is_file(), "no generator at {}", bin.display());
        bin
    })
}

/// The repository's root, where the tests run the binary (examples/ is there).
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `modelgate ARGS` in the repository's root.
pub fn run_in_root(args: &[&str]) -> Output {
    modelgate().args(args).current_dir(root()).output().unwrap()
}

/// Runs `modelgate ARGS` in the repository's root with `input` on standard input.
pub fn run_in_root_with_stdin(args: &[&str], input: &str) -> Output {
    let mut command = modelgate();
    command.args(args).current_dir(root());
    with_stdin(command, input)
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `command` with `input` on its standard input, capturing its output.
pub fn with_stdin(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The base URL `modelgate serve` (`child`, its stdout piped) prints on its first line.
pub fn listening(child: &mut std::process::Child) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim()
        .strip_prefix("modelgate emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string()
}
