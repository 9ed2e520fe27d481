//! `modelgate-codegen`: the build-time generator behind `modelgate`, in the manner of
//! prost-build. It works in three stages that can be called on their own:
//!
//! 1. [`Config::load`] reads `spec/` (catalog index, provider files, OpenAPI documents)
//!    and checks it, reporting every problem with file, line, model and field;
//! 2. [`Config::generate`] turns the loaded catalog into file contents (no I/O): the
//!    typed clients (progenitor), the model table and validator rules (`catalog.rs`),
//!    one JSON Schema per documented model and endpoint, and `MODELS.md`;
//! 3. [`Config::compile`] writes them to `OUT_DIR` (only files whose content changed)
//!    and prints `cargo:rerun-if-changed` for every catalog file. Only build.rs calls it.
//!
//! ```no_run
//! // In build.rs's `main`:
//! if let Err(e) = modelgate_codegen::compile_catalog("spec") {
//!     eprintln!("{e}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! Without the default `generate` feature the crate is the catalog loader and checker
//! only. Reading files (bounded reads, the located YAML reader, JSON pointers, the
//! catalog fingerprint) is the leaf crate `modelgate-io`'s job.
#![deny(missing_docs)]

pub mod catalog;
pub mod error;
pub mod ident;
pub mod ir;
mod load;
pub mod openapi;

/// The catalog's file format (the `modelgate-catalog-file` crate) and its line editor.
pub use modelgate_catalog_file as spec_file;
pub use modelgate_catalog_file::edit;

#[cfg(feature = "generate")]
pub mod emit;

use std::path::Path;
#[cfg(feature = "generate")]
use std::path::PathBuf;

#[cfg(feature = "generate")]
use modelgate_io::fingerprint;

pub use catalog::Catalog;
pub use error::{CatalogError, Error, Location};
pub use load::MAX_CATALOG_FILE;

#[cfg(feature = "generate")]
pub use emit::{ClientInterface, GeneratedFiles, Part};

/// Loads and checks the catalog in `dir` (the directory holding `catalog.yaml`).
pub fn load_catalog(dir: impl AsRef<Path>) -> Result<Catalog, Error> {
    load::load(dir.as_ref())
}

/// The zero-configuration shortcut for build.rs: generates everything from the catalog in
/// `dir` into `OUT_DIR`.
#[cfg(feature = "generate")]
pub fn compile_catalog(dir: impl AsRef<Path>) -> Result<(), Error> {
    Config::new().catalog_dir(dir).compile()
}

/// How to generate. Every default is in [`Config::default`].
#[cfg(feature = "generate")]
#[derive(Clone, Debug)]
pub struct Config {
    catalog_dir: PathBuf,
    out_dir: Option<PathBuf>,
    part: Part,
    interface: ClientInterface,
    rerun_if_changed: bool,
}

#[cfg(feature = "generate")]
impl Default for Config {
    fn default() -> Self {
        Config {
            catalog_dir: PathBuf::from("spec"),
            out_dir: None,
            part: Part::Tables,
            interface: ClientInterface::Positional,
            rerun_if_changed: true,
        }
    }
}

#[cfg(feature = "generate")]
impl Config {
    /// The defaults: catalog in `spec/`, output in `$OUT_DIR`, the tables
    /// ([`Part::Tables`]), positional clients, `rerun-if-changed` printed.
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory holding `catalog.yaml`.
    pub fn catalog_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.catalog_dir = dir.as_ref().to_path_buf();
        self
    }

    /// Where [`Config::compile`] writes (default: the `OUT_DIR` environment variable).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Which part of the outputs to generate (default: [`Part::Tables`]).
    pub fn part(&mut self, part: Part) -> &mut Self {
        self.part = part;
        self
    }

    /// The method style of the generated clients (default: positional).
    pub fn client_interface(&mut self, interface: ClientInterface) -> &mut Self {
        self.interface = interface;
        self
    }

    /// Whether [`Config::compile`] prints `cargo:rerun-if-changed` lines (default: yes).
    pub fn rerun_if_changed(&mut self, on: bool) -> &mut Self {
        self.rerun_if_changed = on;
        self
    }

    /// Stage 1: loads and checks the catalog.
    pub fn load(&self) -> Result<Catalog, Error> {
        load_catalog(&self.catalog_dir)
    }

    /// Stage 2: the content of every generated file of the part, and, with the tables,
    /// the catalog's [`fingerprint`] in [`fingerprint::FILE`].
    pub fn generate(&self, catalog: &Catalog) -> Result<GeneratedFiles, Error> {
        self.generate_with(catalog, None)
    }

    /// [`Config::generate`]; with `build_into`, only what a build includes (see
    /// `emit::Options::build_into`).
    fn generate_with(
        &self,
        catalog: &Catalog,
        build_into: Option<&Path>,
    ) -> Result<GeneratedFiles, Error> {
        let mut files = emit::generate(
            catalog,
            emit::Options {
                part: self.part,
                interface: self.interface,
                build_into,
            },
        )?;
        if self.part == Part::Client {
            return Ok(files);
        }
        let stamp = fingerprint::file_text(&self.catalog_dir).map_err(|source| Error::Read {
            path: self.catalog_dir.clone(),
            source,
        })?;
        files.insert(fingerprint::FILE.into(), stamp);
        Ok(files)
    }

    /// Loads, generates and writes into `dir`, removing files there that are no longer
    /// generated: how the reviewable copies are refreshed (by `cargo codegen`, and by
    /// `modelgate catalog update` through the same program). Returns how many
    /// files the catalog produces and the relative names of those changed or removed.
    pub fn refresh(&self, dir: impl AsRef<Path>) -> Result<Refreshed, Error> {
        self.refresh_from(&self.load()?, dir)
    }

    /// [`Config::refresh`] from a catalog already loaded (one load for several parts).
    pub fn refresh_from(
        &self,
        catalog: &Catalog,
        dir: impl AsRef<Path>,
    ) -> Result<Refreshed, Error> {
        let files = self.generate(catalog)?;
        let changed = write_files(dir.as_ref(), &files, true)?;
        Ok(Refreshed {
            total: files.len(),
            changed,
        })
    }

    /// Stage 3: loads, generates and writes into the output directory.
    pub fn compile(&self) -> Result<(), Error> {
        self.compile_with(&mut std::io::stdout())
    }

    /// [`Config::compile`], printing cargo instructions to `cargo` instead of stdout.
    fn compile_with(&self, cargo: &mut dyn std::io::Write) -> Result<(), Error> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| Error::Write {
                path: PathBuf::from("$OUT_DIR"),
                source: std::io::Error::other(
                    "OUT_DIR is not set (hint: call compile from build.rs, or set out_dir)",
                ),
            })?),
        };
        let catalog = match self.load() {
            Ok(catalog) => catalog,
            Err(e) => {
                // A broken catalog is read again once any file of it changes.
                if self.rerun_if_changed {
                    let _ = writeln!(
                        cargo,
                        "cargo:rerun-if-changed={}",
                        self.catalog_dir.display()
                    );
                }
                return Err(e);
            }
        };
        if self.rerun_if_changed {
            // The files this part comes from: a client does not depend on the models'
            // files, so a changed limit or price does not run its build again.
            let files: Vec<&Path> = match self.part {
                Part::Tables => catalog.files.iter().map(PathBuf::as_path).collect(),
                Part::Client => catalog
                    .files
                    .first()
                    .map(PathBuf::as_path)
                    .into_iter()
                    .chain(
                        catalog
                            .providers
                            .iter()
                            .flat_map(|p| p.openapi.files.iter().map(PathBuf::as_path)),
                    )
                    .collect(),
            };
            for file in files {
                let _ = writeln!(cargo, "cargo:rerun-if-changed={}", file.display());
            }
        }
        let files = self.generate_with(&catalog, Some(&out_dir))?;
        write_files(&out_dir, &files, false)?;
        Ok(())
    }
}

/// What [`Config::refresh`] did.
#[cfg(feature = "generate")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refreshed {
    /// How many files the catalog produces.
    pub total: usize,
    /// Relative names of the files written or removed, because their content changed.
    pub changed: Vec<String>,
}

/// Writes generated files below `dir`, touching only those whose content changed.
/// With `prune`, files below `dir` that were not generated are removed (used for the
/// reviewable copy in `generated/`). Returns the relative names of files changed.
#[cfg(feature = "generate")]
pub fn write_files(dir: &Path, files: &GeneratedFiles, prune: bool) -> Result<Vec<String>, Error> {
    let mut changed = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, content).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        changed.push(name.clone());
    }
    if prune {
        for stale in existing_files(dir)
            .into_iter()
            .filter(|f| !files.contains_key(f))
        {
            let path = dir.join(&stale);
            std::fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
            changed.push(stale);
        }
    }
    Ok(changed)
}

/// Relative names (`/`-separated) of every file below `dir`.
#[cfg(feature = "generate")]
pub fn existing_files(dir: &Path) -> Vec<String> {
    fingerprint::files_below(dir)
        .map(|files| files.into_iter().map(|(relative, _)| relative).collect())
        .unwrap_or_default()
}

/// The JSON Schema of the catalog's file format (`catalog.yaml` at the root,
/// `#/definitions/ProviderFile` for the provider files), for editors.
#[cfg(feature = "generate")]
pub fn catalog_format_schema() -> serde_json::Value {
    let mut generator = schemars::r#gen::SchemaGenerator::default();
    let _ = generator.subschema_for::<spec_file::ProviderFile>();
    let root = generator.into_root_schema_for::<spec_file::CatalogIndex>();
    let mut value = serde_json::to_value(root).unwrap_or_default();
    value["$comment"] = serde_json::json!("@generated by modelgate-codegen. Do not edit.");
    value
}

#[cfg(all(test, feature = "generate"))]
mod tests {
    use super::*;

    fn spec() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
    }

    #[test]
    fn compile_prints_rerun_lines_for_every_catalog_file_unless_told_not_to() {
        let out = tempfile::tempdir().unwrap();
        let mut printed = Vec::new();
        Config::new()
            .catalog_dir(spec())
            .out_dir(out.path())
            .compile_with(&mut printed)
            .unwrap();
        let printed = String::from_utf8(printed).unwrap();
        for file in [
            "catalog.yaml",
            "models/vtrix.yaml",
            "models/vertexkey.yaml",
            "openapi/common.yaml",
            "openapi/vtrix.yaml",
        ] {
            assert!(
                printed.contains(&format!("/spec/{file}\n")),
                "{file} missing from:\n{printed}"
            );
        }
        let mut quiet = Vec::new();
        Config::new()
            .catalog_dir(spec())
            .out_dir(out.path())
            .rerun_if_changed(false)
            .compile_with(&mut quiet)
            .unwrap();
        assert!(quiet.is_empty());
        assert!(out.path().join("catalog.rs").exists());
    }

    /// The clients' build runs again when the index or an OpenAPI document changes, not
    /// when a model's file does (a limit or a price is not in a client).
    #[test]
    fn the_clients_rerun_only_for_their_own_inputs() {
        let out = tempfile::tempdir().unwrap();
        let mut printed = Vec::new();
        Config::new()
            .catalog_dir(spec())
            .part(Part::Client)
            .out_dir(out.path())
            .compile_with(&mut printed)
            .unwrap();
        let printed = String::from_utf8(printed).unwrap();
        for file in ["catalog.yaml", "openapi/common.yaml", "openapi/vtrix.yaml"] {
            assert!(
                printed.contains(&format!("/spec/{file}\n")),
                "{file}: {printed}"
            );
        }
        assert!(!printed.contains("models/"), "{printed}");
        assert!(!printed.contains("/spec\n"), "{printed}");
    }

    /// A build writes only what the crate includes, and takes a provider's client back
    /// from its previous output while the client's inputs are unchanged.
    #[test]
    fn a_build_reuses_a_client_whose_inputs_did_not_change() {
        let out = tempfile::tempdir().unwrap();
        let mut tables = Config::new();
        tables
            .catalog_dir(spec())
            .out_dir(out.path())
            .rerun_if_changed(false)
            .compile()
            .unwrap();
        let mut config = Config::new();
        config
            .catalog_dir(spec())
            .part(Part::Client)
            .out_dir(out.path())
            .rerun_if_changed(false);
        config.compile().unwrap();
        let mut written = existing_files(out.path());
        written.sort();
        assert_eq!(
            written,
            [
                "SPEC_FINGERPRINT",
                "catalog.rs",
                "clients.rs",
                "open_enums.rs",
                "providers.rs",
                "rules/vertexkey.chat_completions.json",
                "rules/vertexkey.images_edits.json",
                "rules/vertexkey.images_generations.json",
                "rules/vertexkey.messages.json",
                "rules/vertexkey.videos.json",
                "rules/vtrix.chat_completions.json",
                "rules/vtrix.media_generation.json",
                "vertexkey_client.rs",
                "vertexkey_client.rs.inputs",
                "vtrix_client.rs",
                "vtrix_client.rs.inputs",
            ],
            "a build writes no schemas, documents or Markdown"
        );
        // Marked, the previous client is what the next build keeps...
        let client = out.path().join("vtrix_client.rs");
        let marked = format!("{}// reused\n", std::fs::read_to_string(&client).unwrap());
        std::fs::write(&client, &marked).unwrap();
        config.compile().unwrap();
        assert_eq!(std::fs::read_to_string(&client).unwrap(), marked);
        // ...until its inputs differ: then it is generated again, as `generated/` has it.
        std::fs::write(out.path().join("vtrix_client.rs.inputs"), "0\n").unwrap();
        config.compile().unwrap();
        let again = std::fs::read_to_string(&client).unwrap();
        assert!(!again.contains("// reused"));
        let catalog = config.load().unwrap();
        assert_eq!(config.generate(&catalog).unwrap()["vtrix_client.rs"], again);
    }

    #[test]
    fn a_client_key_follows_the_openapi_document() {
        let catalog = Config::new().catalog_dir(spec()).load().unwrap();
        let open_enums = emit::open_enums::collect(&catalog).unwrap();
        let owners = std::collections::BTreeMap::new();
        let p = &catalog.providers[0];
        let key = |p: &catalog::Provider| {
            emit::client::inputs_key(p, ClientInterface::Positional, &open_enums, &owners)
        };
        assert_eq!(key(p), key(p));
        let mut edited = p.clone();
        edited.openapi.value["info"]["title"] = serde_json::json!("another title");
        assert_ne!(key(p), key(&edited));
        assert_ne!(
            key(p),
            emit::client::inputs_key(p, ClientInterface::Builder, &open_enums, &owners)
        );
    }
}
