//! The generator, run as a program: `catalog update` checks an edited catalog and refreshes
//! `generated/` with `modelgate-codegen` (its `--check` and `OUT_DIR` forms) instead of
//! linking it, so that the shipped `modelgate` binary carries no progenitor, typify or
//! OpenAPI parser.
//!
//! Which program: `--codegen PROGRAM` (or `MODELGATE_CODEGEN`); else, for a catalog in
//! modelgate's workspace (`codegen/Cargo.toml` beside `spec/`), `cargo run -p
//! modelgate-codegen` there; else `modelgate-codegen` on the `PATH` (`cargo install
//! modelgate-codegen --features generate`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::update::UpdateError;

/// How to run the generator.
#[derive(Clone, Debug)]
pub struct Generator {
    program: OsString,
    args: Vec<OsString>,
}

impl Generator {
    /// The generator for the catalog in `spec`: `program` when given, else the
    /// workspace's or the installed one (see the module's documentation).
    pub fn resolve(program: Option<&Path>, spec: &Path) -> Generator {
        if let Some(program) = program {
            return Generator {
                program: program.into(),
                args: Vec::new(),
            };
        }
        let root = spec
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if root.join("codegen/Cargo.toml").is_file() && root.join("Cargo.toml").is_file() {
            return Generator {
                program: "cargo".into(),
                args: [
                    "run",
                    "--quiet",
                    "--manifest-path",
                    &root.join("Cargo.toml").to_string_lossy(),
                    "-p",
                    "modelgate-codegen",
                    "--features",
                    "generate",
                    "--",
                ]
                .map(OsString::from)
                .to_vec(),
            };
        }
        Generator {
            program: "modelgate-codegen".into(),
            args: Vec::new(),
        }
    }

    /// Whether the catalog in `spec` loads and generates (nothing is written); the
    /// generator's own report of its problems when not.
    pub fn check(&self, spec: &Path) -> Result<Result<(), String>, UpdateError> {
        self.run(spec, &[OsString::from("--check")])
    }

    /// Refreshes `generated` from the catalog in `spec` (the tables: a model list's
    /// change does not touch the clients); the generator's report when it fails.
    pub fn refresh(
        &self,
        spec: &Path,
        generated: &Path,
    ) -> Result<Result<(), String>, UpdateError> {
        self.run(spec, &[generated.as_os_str().to_owned()])
    }

    /// Runs the generator on `spec` with `extra`: `Ok(Ok(()))` on success, `Ok(Err(why))`
    /// when it ran and failed, `Err` when it could not be run at all.
    fn run(&self, spec: &Path, extra: &[OsString]) -> Result<Result<(), String>, UpdateError> {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .arg("--catalog")
            .arg(spec)
            .args(extra);
        tracing::info!(command = %self.describe(), "running the generator");
        let output = command.output().map_err(|e| {
            UpdateError(format!(
                "cannot run the generator (`{}`): {e}; install it (`cargo install modelgate-codegen --features generate`), give its path with --codegen, or run in modelgate's workspace (nothing was changed)",
                self.describe()
            ))
        })?;
        if output.status.success() {
            return Ok(Ok(()));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr
            .trim()
            .strip_prefix("error: ")
            .unwrap_or(stderr.trim())
            .to_string();
        Ok(Err(if why.is_empty() {
            format!("`{}` failed ({})", self.describe(), output.status)
        } else {
            why
        }))
    }

    /// The command line, for messages.
    pub fn describe(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every file below `dir` with its content, to tell what a refresh changed.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    modelgate_io::fingerprint::files_below(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|(relative, path): (String, PathBuf)| {
            let bytes = std::fs::read(&path).unwrap_or_default();
            (relative, bytes)
        })
        .collect()
}

/// The relative names of files added, changed or removed between two snapshots (both
/// sorted by name, as [`snapshot`] gives them).
pub fn changed(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> Vec<String> {
    let old: std::collections::BTreeMap<&str, &[u8]> = before
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let new: std::collections::BTreeMap<&str, &[u8]> = after
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut names: Vec<String> = new
        .iter()
        .filter(|(n, b)| old.get(*n) != Some(*b))
        .map(|(n, _)| n.to_string())
        .chain(
            old.keys()
                .filter(|n| !new.contains_key(*n))
                .map(|n| n.to_string()),
        )
        .collect();
    names.sort();
    names
}
