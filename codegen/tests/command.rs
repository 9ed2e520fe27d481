//! The `modelgate-codegen` program's contract, which `modelgate catalog update` relies on:
//! `--json` reports each directory as one JSON line, and the exit status tells a catalog
//! that does not load (1) from a write that failed (3) and a usage error (2).

mod common;

use std::process::Command;

use common::CatalogCopy;

fn codegen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_modelgate-codegen"))
}

#[test]
fn json_reports_each_directory_once_and_a_second_run_changes_nothing() {
    let c = CatalogCopy::new();
    let out = tempfile::tempdir().unwrap();
    let run = || {
        codegen()
            .arg("--catalog")
            .arg(c.dir.path())
            .arg("--json")
            .arg(out.path().join("tables"))
            .arg("--client")
            .arg(out.path().join("client"))
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{first:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(first.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let files = lines[0]["files"].as_u64().unwrap();
    assert!(lines[0]["dir"].as_str().unwrap().ends_with("tables"));
    assert_eq!(lines[0]["changed"].as_array().unwrap().len() as u64, files);
    let again = run();
    let lines: Vec<serde_json::Value> = String::from_utf8(again.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.iter().all(|l| l["changed"] == serde_json::json!([])),
        "{lines:?}"
    );
}

#[test]
fn the_exit_status_says_what_failed() {
    let c = CatalogCopy::new();
    // A directory where a file must go: the write fails (3).
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join("catalog.rs")).unwrap();
    let write = codegen()
        .arg("--catalog")
        .arg(c.dir.path())
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(write.status.code(), Some(3), "{write:?}");
    assert!(String::from_utf8_lossy(&write.stderr).contains("catalog.rs"));

    // A catalog that does not load (1), with --check and with a directory alike, and
    // nothing written.
    c.replace("models/vtrix.yaml", "kind: chat", "kind: chatt");
    for extra in [vec!["--check"], vec!["--json", "never-written"]] {
        let broken = codegen()
            .arg("--catalog")
            .arg(c.dir.path())
            .args(&extra)
            .current_dir(out.path())
            .output()
            .unwrap();
        assert_eq!(broken.status.code(), Some(1), "{extra:?}: {broken:?}");
        let stderr = String::from_utf8_lossy(&broken.stderr);
        assert!(
            stderr.contains("vtrix.yaml") && stderr.contains("chatt"),
            "{stderr}"
        );
    }
    assert!(!out.path().join("never-written").exists());

    let usage = codegen().args(["--check", "somewhere"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2), "{usage:?}");
}
