//! Which files `modelgate validate` reads when it walks a directory: as ripgrep does
//! (.gitignore, .ignore, hidden files; links only with -L), narrowed by the config's
//! `include` and `exclude`. The repository itself is the first directory walked.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

mod support;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The paths `validate --format json` reported, in the form it prints them.
fn reported(stdout: &[u8]) -> BTreeSet<String> {
    let report: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect()
}

fn is_payload_file(path: &str) -> bool {
    [".json", ".jsonl", ".ndjson", ".yaml", ".yml"]
        .iter()
        .any(|e| path.ends_with(e))
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn validate_at_the_root_reads_exactly_what_git_does_not_ignore() {
    let root = support::root();
    // An ignored payload file (target/ is in .gitignore) that must not be read.
    let planted = root.join("target/walk-check/planted.json");
    std::fs::create_dir_all(planted.parent().unwrap()).unwrap();
    std::fs::write(&planted, r#"{"model": "aws/glm-5", "messages": []}"#).unwrap();

    let o = support::run_in_root(&["validate", "--format", "json", "--no-config", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let read = reported(&o.stdout);
    assert!(!read.iter().any(|p| p.starts_with("./target/")), "{read:?}");

    // What git tracks or would add (not ignored), without hidden paths: every file the
    // walk read is one of them, and every one of them that holds a payload was read.
    let listed = git(
        &root,
        &["ls-files", "--cached", "--others", "--exclude-standard"],
    );
    let expected: BTreeSet<String> = listed
        .lines()
        .filter(|p| is_payload_file(p))
        .filter(|p| !p.split('/').any(|part| part.starts_with('.')))
        .filter(|p| root.join(p).exists())
        .map(|p| format!("./{p}"))
        .collect();
    let unexpected: Vec<_> = read.difference(&expected).collect();
    assert!(
        unexpected.is_empty(),
        "read but ignored or hidden: {unexpected:?}"
    );
    let missed: Vec<_> = expected
        .difference(&read)
        .filter(|p| {
            // A YAML file of comments only holds no payload, and prints nothing.
            let body = std::fs::read_to_string(root.join(&p[2..])).unwrap_or_default();
            body.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .collect();
    assert!(missed.is_empty(), "not read: {missed:?}");
    std::fs::remove_file(&planted).unwrap();
}

#[test]
fn include_in_the_config_reads_exactly_those_files() {
    let root = support::root();
    let clone = tempfile::tempdir().unwrap();
    git(
        &root,
        &[
            "clone",
            "-q",
            "--local",
            ".",
            clone.path().to_str().unwrap(),
        ],
    );
    std::fs::write(
        clone.path().join("modelgate.toml"),
        "include = [\"examples/payloads/**\"]\n",
    )
    .unwrap();
    let o = support::modelgate()
        .args(["validate", "--format", "json", "."])
        .current_dir(clone.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let read = reported(&o.stdout);
    let expected: BTreeSet<String> = walkdir::WalkDir::new(clone.path().join("examples/payloads"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(clone.path())
                .unwrap()
                .display()
                .to_string()
        })
        .filter(|p| is_payload_file(p))
        .map(|p| format!("./{p}"))
        .collect();
    assert!(expected.len() > 10, "{expected:?}");
    assert_eq!(read, expected);
    assert!(
        text(&o.stderr)
            .contains("payload files skipped: the config's include patterns match none of them"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_malformed_glob_is_a_config_error_with_its_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("modelgate.toml"),
        "# payloads\nexclude = [\"drafts\", \"a/[b\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.json"), "{}").unwrap();
    let o = support::modelgate()
        .args(["validate", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("modelgate.toml:2:22: exclude[1]: bad pattern `a/[b`: "),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_directory_link_to_the_parent_is_not_followed_without_l() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let payload =
        r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "Hi"}]}"#;
    std::fs::write(tree.join("a.json"), payload).unwrap();
    std::fs::write(dir.path().join("outside.json"), payload).unwrap();
    std::os::unix::fs::symlink("..", tree.join("up")).unwrap();
    let run = |args: &[&str]| {
        support::modelgate()
            .args(["validate", "--format", "json", "--no-config"])
            .args(args)
            .arg("tree")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        reported(&o.stdout),
        BTreeSet::from(["tree/a.json".to_string()])
    );
    assert!(
        text(&o.stderr)
            .contains("note: tree/up: a symbolic link, not followed (-L/--follow follows links)"),
        "{}",
        text(&o.stderr)
    );
    // With -L the link is followed out of the tree, and the tree is not read twice.
    let o = run(&["-L"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        reported(&o.stdout),
        BTreeSet::from([
            "tree/a.json".to_string(),
            "tree/up/outside.json".to_string()
        ])
    );
    assert!(
        text(&o.stderr).contains("loops back"),
        "{}",
        text(&o.stderr)
    );
}
