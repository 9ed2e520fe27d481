//! `modelgate catalog update` against the emulator serving a changed `GET /v1/models`:
//! the catalog files gain exactly the expected lines (whole files compared), generated/
//! is what the generator makes of the edited catalog, `--dry-run` writes nothing and
//! answers by its exit status, and a failed read changes nothing and says why.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;

use modelgate_emulator::{Emulator, EmulatorConfig};

mod support;

const KEY: &str = "vai-catalog-secret-123";

/// The emulator configured by `yaml`, on its own runtime for the rest of the test.
fn emulator(yaml: &str) -> SocketAddr {
    let config = EmulatorConfig::from_yaml(yaml).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let addr = Emulator::new(config).spawn_local().await.unwrap();
            tx.send(addr).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

/// A server that answers every request with 200 and `body` as JSON.
fn answering(body: &'static str) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let app = axum::Router::new()
                .fallback(move || async move { ([("content-type", "application/json")], body) });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Compares two texts line by line, naming the first line that differs (the files are
/// too long to print whole).
fn assert_same_text(got: &str, want: &str, what: &str) {
    let (g, w): (Vec<&str>, Vec<&str>) = (
        got.split_inclusive('\n').collect(),
        want.split_inclusive('\n').collect(),
    );
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        assert_eq!(a, b, "{what}: line {} differs", i + 1);
    }
    assert_eq!(g.len(), w.len(), "{what}: line count");
}

const CHANGED: &str = "models:\n  add:\n    - {id: aws/claude-opus-4-8, owned_by: aws}\n  withdraw: [aws/claude-sonnet-4-0]\n";

/// A copy of spec/ and generated/ in a temporary directory, where the command runs.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["spec", "generated"] {
            copy_dir(&support::root().join(sub), &dir.path().join(sub));
        }
        Repo { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Every file below the copy, by relative path.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(self.dir.path()) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(self.dir.path()).unwrap();
                out.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
        out
    }

    fn update(&self, addr: Option<SocketAddr>, args: &[&str]) -> Output {
        let mut c = support::modelgate();
        c.env("MODELGATE_CODEGEN", support::codegen());
        c.current_dir(self.dir.path()).args([
            "catalog",
            "update",
            "--max-retries",
            "0",
            "--timeout",
            "10",
        ]);
        if let Some(addr) = addr {
            c.args(["--base-url", &format!("http://{addr}/v1"), "--api-key", KEY]);
        }
        c.args(args).output().unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn text(b: &[u8]) -> String {
    support::text(b)
}

/// `text` with `new` lines inserted after the first line equal to `after` (at the end
/// when `after` is `None`).
fn insert_after(text: &str, after: Option<&str>, new: &[String]) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let at = match after {
        Some(line) => {
            lines
                .iter()
                .position(|l| l.trim_end_matches('\n') == line)
                .unwrap_or_else(|| panic!("{line:?} not found"))
                + 1
        }
        None => lines.len(),
    };
    for (i, line) in new.iter().enumerate() {
        lines.insert(at + i, format!("{line}\n"));
    }
    lines.concat()
}

/// The UTC day now, `YYYY-MM-DD`.
fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

#[test]
fn update_adds_the_new_id_marks_the_withdrawn_one_and_touches_nothing_else() {
    let addr = emulator(CHANGED);
    let repo = Repo::new();
    let before = repo.files();
    let mode = |rel: &str| std::fs::metadata(repo.path(rel)).unwrap().permissions();
    let modes = (
        mode("spec/catalog.yaml"),
        mode("spec/models/vertexkey.yaml"),
    );
    let day_before = today();
    let o = repo.update(Some(addr), &["--provider", "vertexkey"]);
    let day_after = today();
    // The files are replaced, and keep their permissions.
    assert_eq!(
        (
            mode("spec/catalog.yaml"),
            mode("spec/models/vertexkey.yaml")
        ),
        modes
    );
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", text(&o.stderr));

    // The day read is in the source's key; it is the day of the run.
    let catalog = repo.read("spec/catalog.yaml");
    let day = catalog
        .lines()
        .find_map(|l| l.strip_prefix("  vertexkey-models-")?.strip_suffix(':'))
        .expect("a vertexkey-models-DAY source")
        .to_string();
    assert!(day == day_before || day == day_after, "{day}");
    let key = format!("vertexkey-models-{day}");
    let url = format!("http://{addr}/v1/models");

    // spec/models/vertexkey.yaml: the whole file is the old one with three insertions.
    let old = text(&before["spec/models/vertexkey.yaml"]);
    // The mark goes after the last line of aws/claude-sonnet-4-0's entry: its source.
    let entry = old
        .find("  - id: aws/claude-sonnet-4-0\n")
        .expect("the sonnet 4.0 entry");
    let source_line = "    source: {doc: seed-004, section: Chat Models — AWS Enterprise}\n";
    let mark_at = entry + old[entry..].find(source_line).unwrap() + source_line.len();
    let mut want = format!(
        "{}    not_listed: {{doc: {key}, section: data}}\n{}",
        &old[..mark_at],
        &old[mark_at..]
    );
    want = insert_after(
        &want,
        None,
        &[
            String::new(),
            "listed:".into(),
            format!(
                "  - {{id: aws/claude-opus-4-8, owned_by: aws, source: {{doc: {key}, section: data}}}}"
            ),
        ],
    );
    assert_same_text(
        &repo.read("spec/models/vertexkey.yaml"),
        &want,
        "vertexkey.yaml",
    );

    // spec/catalog.yaml: the list as a source, after the last source.
    let old_index = text(&before["spec/catalog.yaml"]);
    let providers = old_index.find("\nproviders:\n").unwrap();
    let last_source_end = old_index[..providers].rfind('\n').unwrap() + 1;
    let want_index = format!(
        "{}  {key}:\n    title: VertexKey model list (GET /v1/models), read {day}\n    kind: remote_list\n    url: {url}\n    read: {day}\n{}",
        &old_index[..last_source_end],
        &old_index[last_source_end..]
    );
    assert_same_text(&catalog, &want_index, "catalog.yaml");

    // No other catalog file changed.
    let after = repo.files();
    for (rel, bytes) in before.iter().filter(|(rel, _)| rel.starts_with("spec/")) {
        if rel != "spec/catalog.yaml" && rel != "spec/models/vertexkey.yaml" {
            assert_eq!(&after[rel], bytes, "{rel} changed");
        }
    }
    assert_eq!(
        after.keys().filter(|k| k.starts_with("spec/")).count(),
        before.keys().filter(|k| k.starts_with("spec/")).count()
    );

    // generated/ is exactly what the generator makes of the edited catalog.
    let mut config = modelgate_codegen::Config::new();
    config
        .catalog_dir(repo.path("spec"))
        .rerun_if_changed(false);
    let files = config.generate(&config.load().unwrap()).unwrap();
    let generated: BTreeMap<&String, &Vec<u8>> = after
        .iter()
        .filter_map(|(rel, bytes)| Some((rel, bytes)).filter(|_| rel.starts_with("generated/")))
        .collect();
    assert_eq!(generated.len(), files.len());
    for (name, content) in &files {
        let rel = format!("generated/{name}");
        assert_eq!(
            after.get(&rel).map(|b| text(b)).as_deref(),
            Some(content.as_str()),
            "{rel}"
        );
    }
    let models_md = repo.read("generated/MODELS.md");
    assert!(
        models_md.contains(&format!(
            "| `aws/claude-opus-4-8` | aws/claude-opus-4-8 | - (owned_by `aws`) | chat | listed | chat_completions, messages | - | - | - | - | {key}, data (model list read {day}); seed-004, Chat Models — AWS Enterprise |"
        )),
        "{models_md}"
    );
    assert!(models_md.contains(&format!(
        "| documented, **not listed**: {key}, data (model list read {day}) |"
    )));
    assert_ne!(
        before["generated/catalog.rs"], after["generated/catalog.rs"],
        "the table was refreshed"
    );

    // The summary says what changed and what to do next; the key is never printed.
    for line in [
        "VertexKey (vertexkey): the model list gives 19 models",
        "  + 1 new, added as listed: aws/claude-opus-4-8",
        "  - 1 no longer listed, marked not_listed (entries and facts kept): aws/claude-sonnet-4-0",
        "wrote spec/models/vertexkey.yaml",
        "wrote spec/catalog.yaml",
        "next steps:",
        "  cargo build ",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "{line:?} missing:\n{stdout}"
        );
    }
    assert!(stdout.contains("refreshed generated: 4 of"), "{stdout}");
    assert!(!stdout.contains(KEY) && !text(&o.stderr).contains(KEY));

    // Run again: the catalog agrees, nothing is written.
    let again_before = repo.files();
    let o = repo.update(Some(addr), &["--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("nothing to write"));
    assert_eq!(repo.files(), again_before);
}

#[test]
fn dry_run_prints_the_diff_writes_nothing_and_exits_1_then_0_when_the_lists_agree() {
    let repo = Repo::new();
    let before = repo.files();
    let changed = emulator(CHANGED);
    let o = repo.update(Some(changed), &["--dry-run"]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}{}", text(&o.stderr));
    assert_eq!(repo.files(), before, "a dry run writes nothing");
    for line in [
        "--- a/spec/models/vertexkey.yaml",
        "+++ b/spec/models/vertexkey.yaml",
        "+listed:",
        "--- a/spec/catalog.yaml",
        "+    kind: remote_list",
        "  + 1 new, would be added as listed: aws/claude-opus-4-8",
        "Vtrix: documents no model list endpoint (GET /models); nothing to compare, nothing changed",
        "dry run: the catalog differs from the model lists; nothing was written",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "{line:?} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(
            "+  - {id: aws/claude-opus-4-8, owned_by: aws, source: {doc: vertexkey-models-"
        )
    );

    // The catalog's own list: no difference.
    let same = emulator("{}");
    let o = repo.update(Some(same), &["--dry-run"]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", text(&o.stderr));
    assert!(stdout.contains("the catalog agrees with it"), "{stdout}");
    assert!(stdout.contains("dry run: the catalog agrees with the model lists"));
    assert!(!stdout.contains("+++"), "no diff: {stdout}");
    assert_eq!(repo.files(), before);
}

#[test]
fn a_failed_read_changes_nothing_and_says_why() {
    let repo = Repo::new();
    let before = repo.files();
    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let unauthorized = emulator("models: {fault: unauthorized}\n");
    let malformed = emulator("models: {fault: malformed}\n");
    let empty = emulator("models: {list: []}\n");
    let bad_id = answering(r#"{"object": "list", "data": [{"id": "aws/a b", "owned_by": "aws"}]}"#);
    let no_data = answering(r#"{"object": "list"}"#);
    for (addr, dry_run, why) in [
        (closed, false, "cannot read VertexKey's model list from"),
        (unauthorized, false, "401"),
        (unauthorized, true, "401"),
        (malformed, false, "cannot read VertexKey's model list from"),
        (empty, false, "malformed model list from"),
        (bad_id, true, "/data/0/id (aws/a b) holds spaces"),
        (no_data, false, "it has no `data` array"),
    ] {
        let args: &[&str] = if dry_run {
            &["--provider", "vertexkey", "--dry-run"]
        } else {
            &["--provider", "vertexkey"]
        };
        let o = repo.update(Some(addr), args);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{why}: {stderr}");
        assert!(stderr.contains(why), "{why:?} missing:\n{stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert!(!stderr.contains(KEY), "the key leaked: {stderr}");
        assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
        assert_eq!(repo.files(), before, "{why}: files changed");
    }

    // No key at all: it does not fall back to the built-in emulator.
    let o = repo.update(None, &["--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr)
            .contains("no API key for VertexKey: set VERTEXKEY_API_KEY or give --api-key"),
        "{}",
        text(&o.stderr)
    );
    let o = repo.update(None, &["--provider", "vertexkey", "--offline"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--offline"), "{}", text(&o.stderr));
    assert_eq!(repo.files(), before);
}

#[test]
fn vtrix_documents_no_list_so_nothing_is_read_or_changed() {
    let repo = Repo::new();
    let before = repo.files();
    for args in [
        &["--provider", "vtrix"][..],
        &["--provider", "vtrix", "--dry-run"],
    ] {
        let o = repo.update(None, args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(
            text(&o.stdout).lines().next(),
            Some(
                "Vtrix: documents no model list endpoint (GET /models); nothing to compare, nothing changed"
            )
        );
    }
    assert_eq!(repo.files(), before);
}

#[test]
fn a_broken_catalog_or_a_missing_generated_copy_stops_before_any_read() {
    let repo = Repo::new();
    std::fs::remove_dir_all(repo.path("generated")).unwrap();
    let addr = emulator(CHANGED);
    let o = repo.update(Some(addr), &["--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no generated copy at generated to refresh; give --generated DIR"),
        "{}",
        text(&o.stderr)
    );

    let repo = Repo::new();
    let path = repo.path("spec/models/vertexkey.yaml");
    let broken = repo
        .read("spec/models/vertexkey.yaml")
        .replace("kind: chat", "kind: chatt");
    std::fs::write(&path, &broken).unwrap();
    let o = repo.update(Some(addr), &["--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("does not load, so it is not updated"),
        "{stderr}"
    );
    assert!(stderr.contains("vertexkey.yaml"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn a_model_listed_again_loses_its_mark_and_a_second_url_the_same_day_gets_its_own_source() {
    let repo = Repo::new();
    let original = repo.read("spec/models/vertexkey.yaml");
    let o = repo.update(Some(emulator(CHANGED)), &["--provider", "vertexkey"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let day = today();
    // The catalog's own list again (another emulator, so another URL): sonnet 4.0 is
    // back, opus 4.8 is gone.
    let o = repo.update(Some(emulator("{}")), &["--provider", "vertexkey"]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", text(&o.stderr));
    assert!(
        stdout.contains("  * 1 listed again, no longer marked not_listed: aws/claude-sonnet-4-0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("marked not_listed (entries and facts kept): aws/claude-opus-4-8"),
        "{stdout}"
    );
    let vk = repo.read("spec/models/vertexkey.yaml");
    let first = format!("vertexkey-models-{day}");
    let second = format!("vertexkey-models-{day}-2");
    // Only the new entry's line differs from the original file, and it carries the mark
    // of the second read.
    let want = format!(
        "{original}\nlisted:\n  - {{id: aws/claude-opus-4-8, owned_by: aws, source: {{doc: {first}, section: data}}, not_listed: {{doc: {second}, section: data}}}}\n"
    );
    assert_same_text(&vk, &want, "vertexkey.yaml");
    let index = repo.read("spec/catalog.yaml");
    assert!(
        index.contains(&format!(
            "  {second}:\n    title: VertexKey model list (GET /v1/models), read {day} (2)\n"
        )),
        "{index}"
    );
    assert!(index.contains(&format!("  {first}:\n")));
    // And the catalog agrees with that list now.
    let o = repo.update(
        Some(emulator("{}")),
        &["--provider", "vertexkey", "--dry-run"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn the_guide_shows_the_scheduled_workflow_as_the_repository_has_it() {
    let root = support::root();
    let workflow =
        std::fs::read_to_string(root.join(".github/workflows/catalog-update.yml")).unwrap();
    let readme = std::fs::read_to_string(root.join("docs/catalog.md")).unwrap();
    let start = readme
        .find("```yaml\n# .github/workflows/catalog-update.yml\n")
        .expect("the guide shows the workflow");
    let block = &readme[start..];
    let body = &block[block.find('\n').unwrap() + 1..];
    let body = &body[body.find('\n').unwrap() + 1..body.find("```\n").unwrap()];
    // The file is the README's block after its own header comment.
    let file_body: String = workflow
        .split_inclusive('\n')
        .skip_while(|l| l.starts_with('#'))
        .collect();
    assert_same_text(body, &file_body, "the guide's workflow vs the file");

    // It reads as YAML, runs weekly, dry-runs first and handles each exit status.
    let doc = modelgate_io::yaml::parse_single(&workflow).unwrap().value;
    assert!(doc["on"]["schedule"][0]["cron"].is_string(), "{doc}");
    let run = doc["jobs"]["update"]["steps"][2]["run"].as_str().unwrap();
    for part in [
        "catalog update --dry-run",
        "case $status in",
        "0)",
        "1)",
        "*)",
    ] {
        assert!(run.contains(part), "{part}");
    }
    assert_eq!(
        doc["jobs"]["update"]["steps"][3]["uses"],
        "peter-evans/create-pull-request@v7"
    );
}

/// The shell of the workflow's update step, run as GitHub would run it, with a stand-in
/// `cargo` that runs this build's `modelgate` for `cargo run ... -- ARGS` and does
/// nothing for `cargo build`: (exit status, stdout and stderr, GITHUB_OUTPUT).
fn run_workflow_step(cwd: &Path, addr: SocketAddr) -> (Option<i32>, String, String) {
    let workflow =
        std::fs::read_to_string(support::root().join(".github/workflows/catalog-update.yml"))
            .unwrap();
    let doc = modelgate_io::yaml::parse_single(&workflow).unwrap().value;
    let script = doc["jobs"]["update"]["steps"][2]["run"]
        .as_str()
        .unwrap()
        .to_string();
    let scratch = tempfile::tempdir().unwrap();
    let bin = scratch.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        "#!/usr/bin/env bash\nif [ \"$1\" = run ]; then\n  while [ \"$1\" != -- ]; do shift; done\n  shift\n  exec \"$MODELGATE_BIN\" \"$@\"\nfi\nexit 0\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let output = scratch.path().join("github_output");
    let o = std::process::Command::new("bash")
        .args(["-e", "-c", &script])
        .current_dir(cwd)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("MODELGATE_BIN", env!("CARGO_BIN_EXE_modelgate"))
        .env("MODELGATE_CODEGEN", support::codegen())
        .env("RUNNER_TEMP", scratch.path())
        .env("GITHUB_OUTPUT", &output)
        .env("VERTEXKEY_API_KEY", KEY)
        .env("VERTEXKEY_BASE_URL", format!("http://{addr}/v1"))
        .output()
        .unwrap();
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    let outputs = std::fs::read_to_string(&output).unwrap_or_default();
    (o.status.code(), all, outputs)
}

#[cfg(unix)]
#[test]
fn the_workflow_says_why_an_update_failed_in_its_own_words() {
    let addr = emulator(CHANGED);
    // A catalog that does not load: the list is fine, the catalog is not.
    let repo = Repo::new();
    let catalog = repo.path("spec/catalog.yaml");
    let text_before = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(
        &catalog,
        format!("{text_before}\nnot_a_key_of_the_catalog: 1\n"),
    )
    .unwrap();
    let (status, out, outputs) = run_workflow_step(repo.dir.path(), addr);
    assert_eq!(status, Some(2), "{out}");
    let annotation = out
        .lines()
        .find(|l| l.starts_with("::error title=catalog update::"))
        .unwrap_or_else(|| panic!("an error annotation: {out}"));
    assert!(
        annotation.contains("catalog update --dry-run exited 2: the catalog in spec does not load"),
        "{annotation}"
    );
    assert!(!annotation.contains("could not be read"), "{annotation}");
    assert!(!outputs.contains("changed=true"), "{outputs}");

    // A list that cannot be read: the annotation says that instead.
    let repo = Repo::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (status, out, _) = run_workflow_step(repo.dir.path(), closed);
    assert_eq!(status, Some(2), "{out}");
    let annotation = out
        .lines()
        .find(|l| l.starts_with("::error title=catalog update::"))
        .unwrap_or_else(|| panic!("an error annotation: {out}"));
    assert!(annotation.contains("nothing was changed"), "{annotation}");

    // And a change the catalog takes: the step writes it and asks for a pull request.
    let repo = Repo::new();
    let (status, out, outputs) = run_workflow_step(repo.dir.path(), addr);
    assert_eq!(status, Some(0), "{out}");
    assert!(outputs.contains("changed=true"), "{outputs}");
    assert!(
        outputs.contains("title=catalog: VertexKey's model list of "),
        "{outputs}"
    );
}

#[test]
fn a_change_the_catalog_refuses_is_undone() {
    // Two new IDs with one Rust name: the edited catalog does not load.
    let addr = answering(
        r#"{"object": "list", "data": [{"id": "aws/claude-opus-4-7"}, {"id": "aws/x-1"}, {"id": "aws/x.1"}]}"#,
    );
    let repo = Repo::new();
    let before = repo.files();
    let o = repo.update(Some(addr), &["--provider", "vertexkey"]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the edited catalog does not load or generate: the change was undone (the catalog files were restored)"),
        "{stderr}"
    );
    assert!(stderr.contains("maps to the Rust name"), "{stderr}");
    assert!(!text(&o.stdout).contains("wrote "), "{}", text(&o.stdout));
    assert_eq!(repo.files(), before, "every file is as it was");

    // A dry run says so too (exit 2, not "differs"): a scheduled job proposes only
    // changes the real run can make.
    let o = repo.update(Some(addr), &["--provider", "vertexkey", "--dry-run"]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the catalog with this change would not load or generate"),
        "{stderr}"
    );
    assert!(stderr.contains("maps to the Rust name"), "{stderr}");
    assert_eq!(repo.files(), before);
}

#[test]
fn json_output_says_what_was_found_and_done() {
    let addr = emulator(CHANGED);
    let repo = Repo::new();
    let day = today();
    let o = repo.update(Some(addr), &["--dry-run", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["differs"], true);
    assert_eq!(report["wrote"], serde_json::json!([]));
    let providers = report["providers"].as_array().unwrap();
    assert_eq!(providers[0]["provider"], "vtrix");
    assert!(providers[0]["list"].is_null(), "Vtrix documents no list");
    let list = &providers[1]["list"];
    assert_eq!(list["url"], format!("http://{addr}/v1/models"));
    assert_eq!(list["source"], format!("vertexkey-models-{day}"));
    assert_eq!(list["models"], 19);
    assert_eq!(list["added"], serde_json::json!(["aws/claude-opus-4-8"]));
    assert_eq!(
        list["marked_not_listed"],
        serde_json::json!(["aws/claude-sonnet-4-0"])
    );
    assert!(report["diff"].as_str().unwrap().contains("+listed:\n"));

    let o = repo.update(Some(addr), &["--provider", "vertexkey", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(report.get("diff").is_none());
    assert_eq!(
        report["wrote"],
        serde_json::json!(["spec/models/vertexkey.yaml", "spec/catalog.yaml"])
    );
    assert_eq!(report["generated"]["dir"], "generated");
    assert!(
        report["generated"]["changed"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("MODELS.md"))
    );
}

#[test]
fn a_dry_run_writes_nothing_wherever_the_provider_file_is() {
    let addr = emulator(CHANGED);
    // `--spec ./spec` and an absolute path: the same files, still nothing written.
    let repo = Repo::new();
    let before = repo.files();
    let absolute = repo.path("spec").display().to_string();
    for spec in ["./spec", "spec/", absolute.as_str()] {
        let o = repo.update(
            Some(addr),
            &["--provider", "vertexkey", "--dry-run", "--spec", spec],
        );
        assert_eq!(o.status.code(), Some(1), "{spec}: {}", text(&o.stderr));
        assert_eq!(repo.files(), before, "{spec}");
    }
    // A provider file outside the catalog directory cannot be checked in a copy: the
    // dry run says so and leaves it alone.
    std::fs::create_dir_all(repo.path("other/models")).unwrap();
    let moved = repo.read("spec/models/vertexkey.yaml").replace(
        "openapi: ../openapi/vertexkey.yaml",
        "openapi: ../../spec/openapi/vertexkey.yaml",
    );
    std::fs::write(repo.path("other/models/vertexkey.yaml"), &moved).unwrap();
    std::fs::remove_file(repo.path("spec/models/vertexkey.yaml")).unwrap();
    let index = repo.read("spec/catalog.yaml").replace(
        "  - models/vertexkey.yaml\n",
        "  - ../other/models/vertexkey.yaml\n",
    );
    std::fs::write(repo.path("spec/catalog.yaml"), index).unwrap();
    let before = repo.files();
    let o = repo.update(Some(addr), &["--provider", "vertexkey", "--dry-run"]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}{}", text(&o.stdout));
    assert!(
        stderr.contains(
            "is outside the catalog directory spec, so a dry run cannot check the change"
        ),
        "{stderr}"
    );
    assert_eq!(repo.files(), before);
}
