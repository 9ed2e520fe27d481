//! `catalog update` itself (feature `catalog`): reads the model lists, edits `spec/` with
//! the catalog file's line editor, and has the generator (run as a program: see
//! [`super::generator`]) check the edit and refresh `generated/`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use modelgate::{Provider, VertexKeyClient};
use modelgate_catalog_file::edit::{self, Edited, ListChange, ListedModel, Outcome, RemoteList};
use modelgate_catalog_file::read::{CatalogFiles, read_catalog};

use super::generator::{Failure, Generator};

use super::UpdateArgs;
use crate::commands::gateway::GatewayArgs;
use crate::escape;

/// Most IDs a model list may give.
const MAX_MODELS: usize = 10_000;
/// Longest ID (or owner) taken from a model list, in bytes.
const MAX_ID_BYTES: usize = 256;

/// An error that stops the update before anything is written (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UpdateError(pub(super) String);

/// One provider's model list, as read.
struct ReadList {
    /// The URL read, without credentials.
    url: String,
    /// The models in list order, each ID once.
    models: Vec<ListedModel>,
}

/// One provider's planned change.
struct Plan {
    provider: String,
    name: String,
    file: PathBuf,
    old: String,
    new: Edited,
    listed_count: usize,
    /// The URL read.
    url: String,
    /// The source key the change cites.
    source: String,
}

/// Runs `catalog update`.
pub fn update(
    gateway: &GatewayArgs,
    args: &UpdateArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let index_path = args.spec.join("catalog.yaml");
    let does_not_load = |e: &dyn std::fmt::Display| {
        UpdateError(format!(
            "the catalog in {} does not load, so it is not updated:\n{e}",
            args.spec.display()
        ))
    };
    let catalog = read_catalog(&args.spec).map_err(|e| does_not_load(&e))?;
    let generator = Generator::resolve(args.codegen.as_deref(), &args.spec);
    generator
        .check(&args.spec)?
        .map_err(|e| does_not_load(&e))?;
    let generated = args
        .generated
        .clone()
        .unwrap_or_else(|| sibling(&args.spec, "generated"));
    if !args.dry_run && !generated.is_dir() {
        return Err(UpdateError(format!(
            "no generated copy at {} to refresh; give --generated DIR (nothing was changed)",
            generated.display()
        ))
        .into());
    }
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();

    let providers: Vec<Provider> = match gateway.provider {
        Some(p) => vec![p],
        None => Provider::ALL.to_vec(),
    };
    let mut plans = Vec::new();
    let mut lists = Vec::new();
    let mut no_list = Vec::new();
    for provider in providers {
        let key = provider.info().key;
        let Some(spec_provider) = catalog.providers.iter().find(|p| p.spec.provider == key) else {
            return Err(UpdateError(format!(
                "the catalog in {} has no provider `{key}`",
                args.spec.display()
            ))
            .into());
        };
        let Some(list) = read_list(gateway, provider)? else {
            no_list.push((key.to_string(), spec_provider.spec.name.clone()));
            continue;
        };
        let remote: BTreeSet<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
        let known: BTreeSet<&str> = spec_provider.ids().map(|(id, _)| id).collect();
        let add: Vec<ListedModel> = list
            .models
            .iter()
            .filter(|m| !known.contains(m.id.as_str()))
            .cloned()
            .collect();
        let withdraw: Vec<String> = spec_provider
            .ids()
            .map(|(id, _)| id)
            .filter(|id| !remote.contains(id))
            .map(str::to_string)
            .collect();
        // Marked as no longer listed, and listed again: the mark goes.
        let relist: Vec<String> = spec_provider
            .ids()
            .filter(|(_, not_listed)| *not_listed)
            .map(|(id, _)| id)
            .filter(|id| remote.contains(id))
            .map(str::to_string)
            .collect();
        let remote_list = RemoteList::new(key, &spec_provider.spec.name, &list.url, &today)
            .map(|l| unused_key(l, &catalog))
            .map_err(|e| UpdateError(format!("{}: {e}", spec_provider.spec.name)))?;
        let source = remote_list.key.clone();
        let old = read(&spec_provider.file)?;
        let change = ListChange {
            list: remote_list.clone(),
            add,
            withdraw,
            relist,
        };
        let new = edit::edit_provider(&old, &change).map_err(|e| {
            UpdateError(format!(
                "{}: {e}; nothing was changed",
                spec_provider.file.display()
            ))
        })?;
        // The list becomes a source when an entry cites it (a relisting cites nothing).
        if new
            .outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Added(_) | Outcome::MarkedNotListed(_)))
        {
            lists.push(remote_list);
        }
        plans.push(Plan {
            provider: key.to_string(),
            name: spec_provider.spec.name.clone(),
            file: spec_provider.file.clone(),
            old,
            new,
            listed_count: list.models.len(),
            url: list.url.clone(),
            source,
        });
    }

    // The index gains one source per list that changed a provider file.
    let index_old = read(&index_path)?;
    let mut index_new = index_old.clone();
    for list in &lists {
        index_new = edit::add_remote_list(&index_new, list)
            .map_err(|e| {
                UpdateError(format!(
                    "{}: {e}; nothing was changed",
                    index_path.display()
                ))
            })?
            .text;
    }

    let differs = plans.iter().any(|p| p.new.changed());
    let mut report = Report {
        dry_run: args.dry_run,
        differs,
        providers: no_list
            .into_iter()
            .map(|(provider, name)| ProviderReport {
                provider,
                name,
                list: None,
            })
            .chain(plans.iter().map(Plan::report))
            .collect(),
        diff: None,
        wrote: Vec::new(),
        generated: None,
    };
    let mut edits: Vec<(&Path, &str, &str)> = plans
        .iter()
        .filter(|p| p.new.changed())
        .map(|p| (p.file.as_path(), p.old.as_str(), p.new.text.as_str()))
        .collect();
    if index_new != index_old {
        edits.push((&index_path, &index_old, &index_new));
    }

    if args.dry_run {
        // The change must be one the real run can make: it loads and generates.
        if differs {
            check_in_copy(&generator, &args.spec, &edits)?;
        }
        report.diff = Some(
            edits
                .iter()
                .map(|(path, old, new)| diff(path, old, new))
                .collect(),
        );
        report.print(args.json, out)?;
        return Ok(ExitCode::from(u8::from(differs)));
    }
    if !differs {
        report.print(args.json, out)?;
        return Ok(ExitCode::SUCCESS);
    }

    // Write, check that the catalog still loads, or put the old text back.
    let mut written: Vec<(&Path, &str)> = Vec::new();
    for (path, old, new) in &edits {
        if let Err(e) = replace(path, new) {
            return Err(UpdateError(format!("{e}; {}", restore(&written))).into());
        }
        written.push((path, old));
    }
    // generated/ is refreshed as `cargo codegen` does it, in one run of the generator that
    // loads and generates the edited catalog before it writes anything there: a catalog
    // that does not (an ID whose Rust name another ID has, say) puts the old catalog
    // files back.
    let refreshed = match generator.refresh(&args.spec, &generated)? {
        Ok(refreshed) => refreshed,
        Err(Failure::Catalog(e)) => {
            return Err(UpdateError(format!(
                "the edited catalog does not load or generate: {}:\n{e}",
                restore(&written)
            ))
            .into());
        }
        Err(e) => {
            return Err(UpdateError(format!(
                "the catalog files were updated, but refreshing {} failed: {e}\n\
                 run `cargo codegen` (or `{} --catalog {} {}`) once the cause is fixed",
                generated.display(),
                generator.describe(),
                args.spec.display(),
                generated.display()
            ))
            .into());
        }
    };
    report.wrote = edits
        .iter()
        .map(|(path, ..)| path.display().to_string())
        .collect();
    report.generated = Some(GeneratedReport {
        dir: generated.display().to_string(),
        files: refreshed.files,
        changed: refreshed.changed,
    });
    report.print(args.json, out)?;
    if !args.json {
        let review = format!(
            "git diff -- {} {}",
            args.spec.display(),
            generated.display()
        );
        writeln!(out, "next steps:")?;
        for (command, why) in [
            (
                "cargo build",
                "build.rs compiles the new catalog into the client and validators",
            ),
            (
                "cargo insta test --review",
                "review the snapshots of the generated surface",
            ),
            (review.as_str(), "review the change, then commit it"),
        ] {
            writeln!(out, "  {command:<32} # {why}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Puts back the old text of the files `written`, and says what came of it: that the
/// change was undone, or which files could not be restored and why (so that nothing
/// claims an undo that did not happen).
fn restore(written: &[(&Path, &str)]) -> String {
    let failed: Vec<String> = written
        .iter()
        .filter_map(|(path, old)| {
            replace(path, old)
                .err()
                .map(|e| format!("{} ({e})", path.display()))
        })
        .collect();
    match (written.is_empty(), failed.is_empty()) {
        (true, _) => "no catalog file had been written".to_string(),
        (false, true) => "the change was undone (the catalog files were restored)".to_string(),
        (false, false) => format!(
            "the change could NOT be fully undone: restoring {} failed; restore them from version control (git checkout -- {})",
            failed.join(", "),
            written
                .iter()
                .map(|(p, _)| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Loads and generates the catalog in a copy of `spec` with `edits` applied, so that a
/// dry run says "differs" only for a change the real run can make.
fn check_in_copy(
    generator: &Generator,
    spec: &Path,
    edits: &[(&Path, &str, &str)],
) -> Result<(), UpdateError> {
    let copy = tempfile::tempdir()
        .map_err(|e| UpdateError(format!("cannot make a temporary directory: {e}")))?;
    for entry in walkdir::WalkDir::new(spec) {
        let entry =
            entry.map_err(|e| UpdateError(format!("cannot read {}: {e}", spec.display())))?;
        let rel = entry.path().strip_prefix(spec).unwrap_or(entry.path());
        let target = copy.path().join(rel);
        let done = if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
        } else {
            std::fs::copy(entry.path(), &target).map(drop)
        };
        done.map_err(|e| UpdateError(format!("cannot copy {}: {e}", entry.path().display())))?;
    }
    for (path, _, new) in edits {
        // Only a file inside the catalog directory has a place in the copy (a provider
        // file elsewhere, or absolute, would be written where it is: never in a dry run).
        let rel = path
            .strip_prefix(spec)
            .ok()
            .filter(|rel| {
                rel.components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
            })
            .ok_or_else(|| {
                UpdateError(format!(
                    "{} is outside the catalog directory {}, so a dry run cannot check the change (nothing was changed)",
                    path.display(),
                    spec.display()
                ))
            })?;
        std::fs::write(copy.path().join(rel), new)
            .map_err(|e| UpdateError(format!("cannot write a copy of {}: {e}", path.display())))?;
    }
    generator.check(copy.path())?.map_err(|e| {
        UpdateError(format!(
            "the catalog with this change would not load or generate, so `catalog update` would refuse it (nothing was changed):\n{e}"
        ))
    })
}

/// The list under its own key: `<provider>-models-<day>`, or, when the catalog already
/// has a different document under that key (another URL read the same day), the first
/// free `<key>-2`, `<key>-3`, ... A source with the same URL and day is the same list.
fn unused_key(mut list: RemoteList, catalog: &CatalogFiles) -> RemoteList {
    let same = |d: &modelgate_catalog_file::SourceDocument| {
        d.url.as_deref() == Some(list.url.as_str()) && d.read.as_deref() == Some(list.read.as_str())
    };
    let base = list.key.clone();
    let mut n = 1;
    while let Some(d) = catalog.index.sources.get(&list.key) {
        if same(d) {
            break;
        }
        n += 1;
        list.key = format!("{base}-{n}");
    }
    if n > 1 {
        list.title = format!("{} ({n})", list.title);
    }
    list
}

/// What `catalog update` found and did; printed as text or, with `--json`, as JSON.
#[derive(serde::Serialize)]
struct Report {
    dry_run: bool,
    /// Whether the catalog differs from the lists (before the update).
    differs: bool,
    providers: Vec<ProviderReport>,
    /// With `--dry-run`: the change as a unified diff of the catalog files.
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
    /// The catalog files written.
    wrote: Vec<String>,
    /// The refresh of generated/, when done.
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<GeneratedReport>,
}

#[derive(serde::Serialize)]
struct ProviderReport {
    provider: String,
    name: String,
    /// `None`: the gateway documents no model list.
    list: Option<ListReport>,
}

#[derive(serde::Serialize)]
struct ListReport {
    url: String,
    /// The source key the change cites.
    source: String,
    models: usize,
    added: Vec<String>,
    marked_not_listed: Vec<String>,
    still_not_listed: Vec<String>,
    relisted: Vec<String>,
}

#[derive(serde::Serialize)]
struct GeneratedReport {
    dir: String,
    files: usize,
    changed: Vec<String>,
}

impl Plan {
    fn report(&self) -> ProviderReport {
        let mut list = ListReport {
            url: self.url.clone(),
            source: self.source.clone(),
            models: self.listed_count,
            added: Vec::new(),
            marked_not_listed: Vec::new(),
            still_not_listed: Vec::new(),
            relisted: Vec::new(),
        };
        for o in &self.new.outcomes {
            match o {
                Outcome::Added(id) => list.added.push(id.clone()),
                Outcome::MarkedNotListed(id) => list.marked_not_listed.push(id.clone()),
                Outcome::AlreadyNotListed(id) => list.still_not_listed.push(id.clone()),
                Outcome::Relisted(id) => list.relisted.push(id.clone()),
                _ => {}
            }
        }
        ProviderReport {
            provider: self.provider.clone(),
            name: self.name.clone(),
            list: Some(list),
        }
    }
}

impl Report {
    fn print(&self, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
        if json {
            serde_json::to_writer_pretty(&mut *out, self).map_err(std::io::Error::other)?;
            return writeln!(out);
        }
        let verb = if self.dry_run { "would be " } else { "" };
        let ids = |ids: &[String]| {
            ids.iter()
                .map(|id| escape::line(id).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for p in &self.providers {
            let Some(list) = &p.list else {
                writeln!(
                    out,
                    "{}: documents no model list endpoint (GET /models); nothing to compare, nothing changed",
                    p.name
                )?;
                continue;
            };
            writeln!(
                out,
                "{} ({}): the model list gives {} models",
                p.name, p.provider, list.models
            )?;
            let lines = [
                ("  + ", &list.added, format!("new, {verb}added as listed")),
                (
                    "  - ",
                    &list.marked_not_listed,
                    format!("no longer listed, {verb}marked not_listed (entries and facts kept)"),
                ),
                (
                    "    ",
                    &list.still_not_listed,
                    "still not listed (marked before)".to_string(),
                ),
                (
                    "  * ",
                    &list.relisted,
                    format!("listed again, {verb}no longer marked not_listed"),
                ),
            ];
            for (mark, which, what) in lines {
                if !which.is_empty() {
                    writeln!(out, "{mark}{} {what}: {}", which.len(), ids(which))?;
                }
            }
            if list.added.is_empty()
                && list.marked_not_listed.is_empty()
                && list.relisted.is_empty()
            {
                writeln!(out, "  the catalog agrees with it")?;
            }
        }
        if let Some(diff) = &self.diff {
            out.write_all(diff.as_bytes())?;
            writeln!(
                out,
                "{}",
                if self.differs {
                    "dry run: the catalog differs from the model lists; nothing was written"
                } else {
                    "dry run: the catalog agrees with the model lists"
                }
            )?;
        } else if !self.differs {
            writeln!(out, "nothing to write")?;
        }
        for path in &self.wrote {
            writeln!(out, "wrote {path}")?;
        }
        if let Some(g) = &self.generated {
            writeln!(
                out,
                "refreshed {}: {} of {} files changed{}",
                g.dir,
                g.changed.len(),
                g.files,
                if g.changed.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", g.changed.join(", "))
                }
            )?;
        }
        Ok(())
    }
}

/// A unified diff of one file.
fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Reads `provider`'s model list, or `None` when the gateway documents no list.
fn read_list(
    gateway: &GatewayArgs,
    provider: Provider,
) -> Result<Option<ReadList>, Box<dyn std::error::Error>> {
    if provider != Provider::VertexKey {
        return Ok(None);
    }
    let name = provider.info().name;
    if gateway.offline {
        return Err(UpdateError(format!(
            "catalog update reads {name}'s real model list; the built-in emulator's (--offline) is the catalog itself. Give --base-url and --api-key instead"
        ))
        .into());
    }
    let config = gateway.config(provider);
    if !config.has_api_key() && config.base_url_str() == provider.info().base_url {
        return Err(UpdateError(format!(
            "no API key for {name}: set {} or give --api-key (nothing was changed)",
            modelgate::Config::api_key_variable(provider)
        ))
        .into());
    }
    let list_url = format!("{}/models", config.base_url_str().trim_end_matches('/'));
    // Recorded in the catalog: without any credential the base URL carries.
    let url = modelgate::http::public_url(&list_url).ok_or_else(|| {
        UpdateError(format!(
            "the base URL {} is not a URL (nothing was changed)",
            escape::line(config.base_url_str())
        ))
    })?;
    tracing::info!(%url, "reading the model list");
    let runtime = crate::commands::gateway::runtime()?;
    let list = runtime
        .block_on(async { VertexKeyClient::new(config)?.models().await })
        .map_err(|e| {
            UpdateError(format!(
                "cannot read {name}'s model list from {url}: {e} (nothing was changed)"
            ))
        })?;
    let models = check_list(list, &url)?;
    Ok(Some(ReadList { url, models }))
}

/// The list's models, each ID once in list order, or why the list is not one.
fn check_list(
    list: modelgate::generated::vertexkey::types::ModelList,
    url: &str,
) -> Result<Vec<ListedModel>, UpdateError> {
    let malformed = |what: String| {
        UpdateError(format!(
            "malformed model list from {url}: {what} (nothing was changed)"
        ))
    };
    let Some(data) = list.data else {
        return Err(malformed("it has no `data` array".into()));
    };
    if data.is_empty() {
        return Err(malformed(
            "its `data` array is empty (taken as an outage, not as every model withdrawn)".into(),
        ));
    }
    if data.len() > MAX_MODELS {
        return Err(malformed(format!(
            "it gives {} models, more than {MAX_MODELS}",
            data.len()
        )));
    }
    let mut seen = BTreeSet::new();
    let mut models = Vec::new();
    for (i, m) in data.into_iter().enumerate() {
        check_id(&m.id, &format!("/data/{i}/id")).map_err(&malformed)?;
        if let Some(owner) = &m.owned_by {
            check_owner(owner, &format!("/data/{i}/owned_by")).map_err(&malformed)?;
        }
        if seen.insert(m.id.clone()) {
            models.push(ListedModel {
                owned_by: m.owned_by,
                ..ListedModel::new(m.id)
            });
        }
    }
    Ok(models)
}

/// An ID goes into YAML and into Rust identifiers: non-empty, bounded, no
/// spaces or control characters.
fn check_id(s: &str, at: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err(format!("{at} is empty"));
    }
    if s.len() > MAX_ID_BYTES {
        return Err(format!("{at} is longer than {MAX_ID_BYTES} bytes"));
    }
    if !edit::is_model_id(s) {
        return Err(format!(
            "{at} ({}) holds spaces or control characters",
            escape::line(s)
        ));
    }
    Ok(())
}

/// An owner is written as the list gives it (quoted if need be): bounded, one line.
fn check_owner(s: &str, at: &str) -> Result<(), String> {
    if s.len() > MAX_ID_BYTES {
        return Err(format!("{at} is longer than {MAX_ID_BYTES} bytes"));
    }
    if s.chars().any(char::is_control) {
        return Err(format!(
            "{at} ({}) holds control characters",
            escape::line(s)
        ));
    }
    Ok(())
}

/// `dir`'s sibling called `name` (`spec` -> `generated`).
fn sibling(dir: &Path, name: &str) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(name),
        _ => PathBuf::from(name),
    }
}

fn read(path: &Path) -> Result<String, UpdateError> {
    modelgate_catalog_file::read::read_text(path)
        .map_err(|e| UpdateError(format!("cannot read {}: {e}", path.display())))
}

/// Replaces a file's content through a temporary file of its own in the same
/// directory (two runs at once do not share one), so that a reader sees the old text or
/// the new one, never half of it.
fn replace(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    // The file keeps its mode (a temporary file is made readable by its owner only).
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| fail(&e))?;
    }
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_that_fails_says_so_and_names_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.yaml");
        std::fs::write(&kept, "new").unwrap();
        // A file whose directory is gone cannot be written back.
        let lost = dir.path().join("gone/lost.yaml");
        let message = restore(&[(&kept, "old"), (&lost, "old")]);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old");
        assert!(
            message.starts_with("the change could NOT be fully undone: restoring "),
            "{message}"
        );
        assert!(message.contains("lost.yaml"), "{message}");
        assert!(!message.contains("were restored"), "{message}");
        assert_eq!(
            restore(&[(&kept, "older")]),
            "the change was undone (the catalog files were restored)"
        );
    }

    #[test]
    fn the_generated_copy_sits_next_to_the_catalog() {
        assert_eq!(
            sibling(Path::new("spec"), "generated"),
            Path::new("generated")
        );
        assert_eq!(
            sibling(Path::new("/x/repo/spec"), "generated"),
            Path::new("/x/repo/generated")
        );
    }
}
