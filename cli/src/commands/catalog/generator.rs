//! The generator, run as a program: `catalog update` checks an edited catalog and refreshes
//! `generated/` with `modelgate-codegen` (its `--check` and `--json OUT_DIR` forms) instead of
//! linking it, so that the shipped `modelgate` binary carries no progenitor, typify or
//! OpenAPI parser.
//!
//! Which program: `--codegen PROGRAM` (or `MODELGATE_CODEGEN`); else, for a catalog in
//! modelgate's workspace (`codegen/Cargo.toml` beside `spec/`), `cargo run -p
//! modelgate-codegen` there; else `modelgate-codegen` on the `PATH` (`cargo install
//! modelgate-codegen --features generate`).

use std::ffi::OsString;
use std::path::Path;
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
                args: vec![
                    "run".into(),
                    "--quiet".into(),
                    "--manifest-path".into(),
                    root.join("Cargo.toml").into_os_string(),
                    "-p".into(),
                    "modelgate-codegen".into(),
                    "--features".into(),
                    "generate".into(),
                    "--".into(),
                ],
            };
        }
        Generator {
            program: "modelgate-codegen".into(),
            args: Vec::new(),
        }
    }

    /// Whether the catalog in `spec` loads and generates (nothing is written); the
    /// generator's own report of its problems when not.
    pub fn check(&self, spec: &Path) -> Result<Result<(), Failure>, UpdateError> {
        Ok(self.run(spec, &["--check".into()])?.map(drop))
    }

    /// Refreshes `generated` from the catalog in `spec` (the tables: a model list's
    /// change does not touch the clients), as one run that also checks the catalog: how
    /// many files it has and which changed, or why it failed.
    pub fn refresh(
        &self,
        spec: &Path,
        generated: &Path,
    ) -> Result<Result<Refreshed, Failure>, UpdateError> {
        let stdout = match self.run(spec, &["--json".into(), generated.into()])? {
            Ok(stdout) => stdout,
            Err(failure) => return Ok(Err(failure)),
        };
        let line = stdout.lines().next().unwrap_or_default();
        serde_json::from_str(line).map(Ok).map_err(|e| {
            UpdateError(format!(
                "`{}` refreshed {} but its report is not what modelgate-codegen --json writes ({e}): {}",
                self.describe(),
                generated.display(),
                crate::escape::line(line)
            ))
        })
    }

    /// Runs the generator on `spec` with `extra`: its standard output on success, the
    /// failure by its exit status, `Err` when it could not be run at all.
    fn run(&self, spec: &Path, extra: &[OsString]) -> Result<Result<String, Failure>, UpdateError> {
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
            return Ok(Ok(String::from_utf8_lossy(&output.stdout).into_owned()));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = match stderr
            .trim()
            .strip_prefix("error: ")
            .unwrap_or(stderr.trim())
        {
            "" => format!("`{}` failed ({})", self.describe(), output.status),
            why => why.to_string(),
        };
        // modelgate-codegen's exit statuses: 1 the catalog, 3 a write.
        Ok(Err(match output.status.code() {
            Some(1) => Failure::Catalog(why),
            Some(3) => Failure::Write(why),
            _ => Failure::Other(why),
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

/// Why a run of the generator failed, with its report.
#[derive(Debug)]
pub enum Failure {
    /// The catalog does not load or generate: nothing was written.
    Catalog(String),
    /// Writing a generated file failed.
    Write(String),
    /// Anything else (the program itself failed: `cargo run` could not build it, say).
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Catalog(why) | Failure::Write(why) | Failure::Other(why) => f.write_str(why),
        }
    }
}

/// What a refresh did, as `modelgate-codegen --json` reports it.
#[derive(Debug, serde::Deserialize)]
pub struct Refreshed {
    /// How many files the catalog produces.
    pub files: usize,
    /// The relative names of the files written or removed.
    pub changed: Vec<String>,
}
