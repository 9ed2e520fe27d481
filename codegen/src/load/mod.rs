//! Reading and checking the catalog: `spec/catalog.yaml`, the provider files it lists and
//! their OpenAPI documents, into a [`Catalog`]. Every problem found is reported with its
//! file, line, model and field; loading goes on after a problem so that one run lists
//! them all.

mod endpoints;
mod families;
mod models;
mod read;
mod requests;
mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, Model, Provider};
use crate::error::{Error, Location, Problems};
use crate::openapi;
use crate::spec_file::{CatalogIndex, ProviderFile};
use modelgate_io::pointer::escape;
use modelgate_io::yaml::LocatedDocument;
use modelgate_rules::Layer;

pub use read::MAX_CATALOG_FILE;
pub(crate) use read::{clean_path, read_yaml};

use read::{deserialize, parse_yaml, read_text};

/// Loads and checks the catalog whose index is `dir/catalog.yaml`.
pub fn load(dir: &Path) -> Result<Catalog, Error> {
    let index_file = dir.join("catalog.yaml");
    let text = read_text(&index_file).map_err(|source| Error::Read {
        path: index_file.clone(),
        source,
    })?;
    let mut problems = Problems::default();
    let Some(index_doc) = parse_yaml(&index_file, &text, &mut problems) else {
        return problems.finish(unreachable_catalog());
    };
    let Some(index) = deserialize::<CatalogIndex>(&index_file, &index_doc, &mut problems) else {
        return problems.finish(unreachable_catalog());
    };
    let mut loader = Loader {
        index: &index,
        index_file: &index_file,
        index_doc: &index_doc,
        problems,
        ids: BTreeMap::new(),
        idents: BTreeMap::new(),
        files: vec![index_file.clone()],
    };
    loader.check_index();
    let providers = index
        .providers
        .iter()
        .filter_map(|rel| loader.provider(&dir.join(rel)))
        .collect();
    let catalog = Catalog {
        files: loader.files,
        sources: index.sources.clone(),
        notes: index.notes.clone(),
        providers,
    };
    loader.problems.finish(catalog)
}

/// Placeholder for `Problems::finish` when loading stopped early (there are problems, so
/// it is never returned).
fn unreachable_catalog() -> Catalog {
    Catalog {
        files: Vec::new(),
        sources: BTreeMap::new(),
        notes: Vec::new(),
        providers: Vec::new(),
    }
}

struct Loader<'a> {
    index: &'a CatalogIndex,
    index_file: &'a Path,
    index_doc: &'a LocatedDocument,
    problems: Problems,
    /// Model ID -> where it was first defined.
    ids: BTreeMap<String, Location>,
    /// Rust identifier -> the model ID that took it.
    idents: BTreeMap<String, String>,
    files: Vec<PathBuf>,
}

/// A provider file being loaded: where errors point.
struct FileCtx<'a> {
    file: &'a Path,
    doc: &'a LocatedDocument,
}

impl FileCtx<'_> {
    /// The place of the key at `pointer` (or of the nearest enclosing one).
    fn at(&self, pointer: &str) -> Location {
        Location {
            file: self.file.to_path_buf(),
            position: self.doc.key_position(pointer),
        }
    }
}

impl Loader<'_> {
    fn provider(&mut self, file: &Path) -> Option<Provider> {
        self.files.push(file.to_path_buf());
        let doc = read_yaml(file, &mut self.problems)?;
        let def: ProviderFile = deserialize(file, &doc, &mut self.problems)?;
        let cx = FileCtx { file, doc: &doc };
        if def.provider.is_empty()
            || !def
                .provider
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            self.problems.push(cx.at("/provider"), None, Some("provider"), format!(
                "provider `{}` must be lower-case letters and digits (it becomes a Rust module name)", def.provider));
        }
        self.check_source_at(&def.source, cx.at("/source"), None);
        if let Some(c) = &def.cache_pricing {
            self.check_source_at(&c.source, cx.at("/cache_pricing/source"), None);
        }
        for (i, alias) in def.base_url_aliases.iter().enumerate() {
            if let Some(note) = &alias.note {
                self.check_note_ref(note, cx.at(&format!("/base_url_aliases/{i}/note")), None);
            }
        }
        let openapi_file = clean_path(&file.parent().unwrap_or(Path::new("")).join(&def.openapi));
        let before = self.problems.len();
        let openapi = openapi::load(&openapi_file, &mut self.problems)?;
        self.files.extend(openapi.files.iter().cloned());
        for (at, doc) in &openapi.source_refs {
            if !self.index.sources.contains_key(doc) {
                let known: Vec<&str> = self.index.sources.keys().map(String::as_str).collect();
                self.problems.push(
                    at.clone(),
                    None,
                    Some("x-modelgate-source"),
                    format!(
                        "`x-modelgate-source` names unknown source document `{doc}` (catalog.yaml lists: {})",
                        known.join(", ")
                    ),
                );
            }
        }
        if self.problems.len() > before {
            // The document's own problems are reported; what depends on it would only echo them.
            return None;
        }
        let endpoints = self.endpoints(&cx, &def, &openapi);
        for (name, profile) in &def.profiles {
            self.check_source_at(
                &profile.source,
                cx.at(&format!("/profiles/{}/source", escape(name))),
                None,
            );
        }
        let mut models: Vec<Model> = def
            .models
            .iter()
            .enumerate()
            .filter_map(|(i, m)| self.documented(&cx, &def, &openapi, &endpoints, i, m))
            .collect();
        models.extend(
            def.listed
                .iter()
                .enumerate()
                .filter_map(|(i, l)| self.listed(&cx, &def, &endpoints, i, l)),
        );
        self.families(&cx, &def, &endpoints, &models);
        Some(Provider {
            key: def.provider.clone(),
            name: def.name.clone(),
            file: file.to_path_buf(),
            base_url: def.base_url.clone(),
            base_url_aliases: def.base_url_aliases.iter().map(|a| a.url.clone()).collect(),
            source: def.source.clone(),
            cache_pricing: def.cache_pricing.clone(),
            openapi,
            endpoints,
            models,
            families: def.families.clone(),
            profiles: def
                .profiles
                .iter()
                .map(|(name, p)| {
                    let layer = Layer {
                        source: p.source.clone(),
                        parameters: p.parameters.clone(),
                    };
                    (name.clone(), layer)
                })
                .collect(),
        })
    }
}
