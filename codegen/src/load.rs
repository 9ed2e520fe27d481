//! Reading and checking the catalog: `spec/catalog.yaml`, the provider files it lists and
//! their OpenAPI documents, into a [`Catalog`]. Every problem found is reported with its
//! file, line, model and field; loading goes on after a problem so that one run lists
//! them all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::catalog::{Catalog, Endpoint, Model, Provider, Request, Status};
use crate::error::{Error, Location, Problems};
use crate::ident;
use crate::ir::{self, Basis, Node, ObjectNode};
use crate::openapi::{self, OpenApiDoc};
use crate::spec_file::{
    CatalogIndex, Constraint, Family, Kind, ListedEntry, ModelEntry, Pricing, ProviderFile,
    SourceDocument, SourceKind, SourceRef, is_date,
};
use modelgate_io::pointer::escape;
use modelgate_io::yaml::{self, LocatedDocument};
use modelgate_rules::{Layer, Recipe};

/// Loads and checks the catalog whose index is `dir/catalog.yaml`.
pub fn load(dir: &Path) -> Result<Catalog, Error> {
    let index_file = dir.join("catalog.yaml");
    let text = read_capped(&index_file).map_err(|source| Error::Read {
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

/// The largest catalog file read (the biggest in spec/ is under 100 KiB).
pub const MAX_CATALOG_FILE: u64 = 16 << 20;

/// Reads a catalog file of at most [`MAX_CATALOG_FILE`] bytes.
fn read_capped(file: &Path) -> std::io::Result<String> {
    modelgate_io::read::read_file_capped(file, MAX_CATALOG_FILE)
}

/// Reads and parses a YAML file, reporting failures to `problems`.
pub(crate) fn read_yaml(file: &Path, problems: &mut Problems) -> Option<LocatedDocument> {
    match read_capped(file) {
        Ok(text) => parse_yaml(file, &text, problems),
        Err(e) => {
            let at = Location {
                file: file.to_path_buf(),
                position: yaml::Position { line: 1, column: 1 },
            };
            problems.push(at, None, None, format!("cannot read the file: {e}"));
            None
        }
    }
}

fn parse_yaml(file: &Path, text: &str, problems: &mut Problems) -> Option<LocatedDocument> {
    match yaml::parse_single(text) {
        Ok(doc) => Some(doc),
        Err(e) => {
            let at = Location {
                file: file.to_path_buf(),
                position: e.position,
            };
            problems.push(at, None, None, format!("malformed YAML: {}", e.message));
            None
        }
    }
}

/// Deserializes a document into `T`, reporting the failing key's place and model.
fn deserialize<T: DeserializeOwned>(
    file: &Path,
    doc: &LocatedDocument,
    problems: &mut Problems,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(&doc.value) {
        Ok(v) => Some(v),
        Err(e) => {
            let pointer = modelgate_io::yaml::path_to_pointer(e.path());
            let model = model_at(&doc.value, &pointer);
            let field = e.path().to_string();
            let at = Location {
                file: file.to_path_buf(),
                position: doc.key_position(&pointer),
            };
            problems.push(
                at,
                model.as_deref(),
                Some(&field),
                e.into_inner().to_string(),
            );
            None
        }
    }
}

/// The `id` of the model entry a pointer is inside of (`/models/3/...`).
fn model_at(value: &Value, pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    let list = parts.next()?;
    let index = parts.next()?;
    if list != "models" && list != "listed" {
        return None;
    }
    let entry = value.get(list)?.get(index.parse::<usize>().ok()?)?;
    entry
        .get("id")
        .or_else(|| entry.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `a/b/../c` -> `a/c`, without touching the file system.
pub(crate) fn clean_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// Whether `url` is an `https://` address with a host and no whitespace.
fn is_web_address(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(char::is_whitespace)
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
    fn check_index(&mut self) {
        if self.index.format_version != 1 {
            let at = Location {
                file: self.index_file.to_path_buf(),
                position: self.index_doc.position("/format_version"),
            };
            self.problems.push(
                at,
                None,
                Some("format_version"),
                format!(
                    "format_version {} is not supported; this modelgate-codegen reads version 1",
                    self.index.format_version
                ),
            );
        }
        for (key, doc) in &self.index.sources {
            self.check_source_document(key, doc);
        }
        let mut seen = BTreeSet::new();
        for (i, note) in self.index.notes.iter().enumerate() {
            let pointer = format!("/notes/{i}");
            if !seen.insert(note.id.clone()) {
                let at = self.index_location(&format!("{pointer}/id"));
                self.problems.push(
                    at,
                    None,
                    Some("notes.id"),
                    format!("duplicate note id `{}`", note.id),
                );
            }
            for (j, s) in note.sources.iter().enumerate() {
                let at = self.index_location(&format!("{pointer}/sources/{j}"));
                self.check_source_at(s, at, None);
            }
        }
    }

    /// A `remote_list` has the URL it was read from and the day; other documents have
    /// neither.
    fn check_source_document(&mut self, key: &str, doc: &SourceDocument) {
        let pointer = format!("/sources/{}", escape(key));
        let field = |name: &str| format!("sources.{key}.{name}");
        if doc.kind == SourceKind::RemoteList {
            match &doc.url {
                None => {
                    let at = self.index_location(&pointer);
                    self.problems.push(
                        at,
                        None,
                        Some(&field("url")),
                        "a `remote_list` source needs the `url` it was read from",
                    );
                }
                Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
                    let at = self.index_location(&format!("{pointer}/url"));
                    self.problems.push(
                        at,
                        None,
                        Some(&field("url")),
                        format!("`{url}` is not an http(s) URL"),
                    );
                }
                Some(_) => {}
            }
            match &doc.read {
                None => {
                    let at = self.index_location(&pointer);
                    self.problems.push(
                        at,
                        None,
                        Some(&field("read")),
                        "a `remote_list` source needs the day it was `read` (YYYY-MM-DD)",
                    );
                }
                Some(day) if !is_date(day) => {
                    let at = self.index_location(&format!("{pointer}/read"));
                    self.problems.push(
                        at,
                        None,
                        Some(&field("read")),
                        format!("`{day}` is not a date; write YYYY-MM-DD"),
                    );
                }
                Some(_) => {}
            }
        } else {
            let problem = match (&doc.file, &doc.url) {
                (None, None) => Some((
                    pointer.clone(),
                    "url",
                    "give the document's `file`, its `url`, or both".to_string(),
                )),
                (_, Some(url)) if !is_web_address(url) => Some((
                    format!("{pointer}/url"),
                    "url",
                    format!("`url` {url:?} is not a web address (https://host/...)"),
                )),
                _ => None,
            };
            if let Some((at, name, problem)) = problem {
                let at = self.index_location(&at);
                self.problems.push(
                    at,
                    None,
                    Some(&field(name)),
                    format!("source `{key}`: {problem}"),
                );
            }
            if doc.read.is_some() {
                let at = self.index_location(&format!("{pointer}/read"));
                self.problems.push(
                    at,
                    None,
                    Some(&field("read")),
                    "only a `kind: remote_list` source has `read`",
                );
            }
        }
    }

    fn index_location(&self, pointer: &str) -> Location {
        Location {
            file: self.index_file.to_path_buf(),
            position: self.index_doc.key_position(pointer),
        }
    }

    fn check_source_at(&mut self, s: &SourceRef, at: Location, model: Option<&str>) {
        if !self.index.sources.contains_key(&s.doc) {
            let known: Vec<&str> = self.index.sources.keys().map(String::as_str).collect();
            self.problems.push(
                at,
                model,
                Some("source.doc"),
                format!(
                    "unknown source document `{}` (catalog.yaml lists: {})",
                    s.doc,
                    known.join(", ")
                ),
            );
        }
    }

    fn check_note_ref(&mut self, id: &str, at: Location, model: Option<&str>) {
        if !self.index.notes.iter().any(|n| n.id == id) {
            self.problems.push(
                at,
                model,
                Some("notes"),
                format!("unknown note `{id}` (catalog.yaml's notes define it)"),
            );
        }
    }

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

    /// A family needs a prefix, a known source and note, an endpoint that serves its kind,
    /// and no model of another kind among its members (else it would not be certain).
    fn families(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        endpoints: &[Endpoint],
        models: &[Model],
    ) {
        for (i, f) in def.families.iter().enumerate() {
            let base = format!("/families/{i}");
            // Errors point at the family's line; it is no model, so none is named.
            let label = None;
            self.check_source_at(&f.source, cx.at(&format!("{base}/source")), label);
            self.check_note_ref(&f.note, cx.at(&format!("{base}/note")), label);
            if f.prefix.is_empty() || f.prefix.chars().any(char::is_whitespace) {
                self.problems.push(
                    cx.at(&format!("{base}/prefix")),
                    None,
                    Some("prefix"),
                    "a family's prefix must be non-empty and hold no spaces",
                );
            }
            if !endpoints.iter().any(|e| e.kind.serves(f.kind)) {
                self.problems.push(
                    cx.at(&format!("{base}/kind")),
                    label,
                    Some("kind"),
                    format!(
                        "family `{}`: provider {} has no endpoint that serves {} models",
                        f.prefix,
                        def.provider,
                        f.kind.as_str()
                    ),
                );
            }
            let other: Vec<String> = models
                .iter()
                .filter(|m| {
                    m.id.as_deref().is_some_and(|id| id.starts_with(&f.prefix))
                        && m.kind.is_some_and(|k| k != f.kind)
                })
                .map(|m| {
                    format!(
                        "{} ({})",
                        m.id.as_deref().unwrap_or_default(),
                        m.kind.map_or("?", Kind::as_str)
                    )
                })
                .collect();
            if !other.is_empty() {
                self.problems.push(
                    cx.at(&format!("{base}/kind")),
                    label,
                    Some("kind"),
                    format!(
                        "family `{}` is said to be {}, but {} {} not: a family's kind must hold for every model in it",
                        f.prefix,
                        f.kind.as_str(),
                        other.join(", "),
                        if other.len() == 1 { "is" } else { "are" }
                    ),
                );
            }
        }
    }

    fn endpoints(&mut self, cx: &FileCtx, def: &ProviderFile, doc: &OpenApiDoc) -> Vec<Endpoint> {
        let mut out = Vec::new();
        for (key, e) in &def.endpoints {
            let pointer = format!("/endpoints/{}", escape(key));
            let field = format!("endpoints.{key}.operation");
            let Some((method, path, op)) = openapi::find_operation(&doc.value, &e.operation) else {
                self.problems.push(
                    cx.at(&pointer),
                    None,
                    Some(&field),
                    format!(
                        "no operation with operationId `{}` in {}",
                        e.operation,
                        doc.file.display()
                    ),
                );
                continue;
            };
            let Some(schema) = openapi::request_schema(op) else {
                self.problems.push(
                    cx.at(&pointer),
                    None,
                    Some(&field),
                    format!(
                        "operation `{}` has no application/json request body",
                        e.operation
                    ),
                );
                continue;
            };
            let generic = match ir::lower(&doc.value, schema, &format!("{} {path}", method)) {
                Ok(Node::Object(o)) => o,
                Ok(_) => {
                    self.problems.push(
                        cx.at(&pointer),
                        None,
                        Some(&field),
                        "the request body must be an object",
                    );
                    continue;
                }
                Err(message) => {
                    self.problems
                        .push(cx.at(&pointer), None, Some(&field), message);
                    continue;
                }
            };
            if let Some(at) = &e.parameters_at {
                let mut probe = generic.clone();
                if let Err(message) = ir::object_at_mut(&mut probe, at) {
                    self.problems.push(
                        cx.at(&format!("{pointer}/parameters_at")),
                        None,
                        Some(&format!("endpoints.{key}.parameters_at")),
                        message,
                    );
                }
            }
            if let Some(source) = &e.billed_on_submit {
                self.check_source_at(source, cx.at(&format!("{pointer}/billed_on_submit")), None);
            }
            out.push(Endpoint {
                key: key.clone(),
                operation_id: e.operation.clone(),
                method,
                path,
                kind: e.kind,
                parameters_at: e.parameters_at.clone(),
                billed_on_submit: e.billed_on_submit.clone(),
                generic,
            });
        }
        out
    }

    /// Records a model ID, refusing duplicates and IDs that collide as Rust names.
    fn claim_id(&mut self, id: &str, at: Location) {
        if let Some(first) = self.ids.get(id) {
            let message = format!("duplicate model ID; it is first defined at {first}");
            self.problems.push(at, Some(id), Some("id"), message);
            return;
        }
        let variant = ident::variant_name(id);
        if let Some(other) = self.idents.get(&variant) {
            let message = format!(
                "model ID maps to the Rust name `{variant}`, as `{other}` does; rename one"
            );
            self.problems
                .push(at.clone(), Some(id), Some("id"), message);
        }
        if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
            self.problems.push(
                at.clone(),
                Some(id),
                Some("id"),
                "a model ID must be non-empty and hold no spaces",
            );
        }
        self.idents.insert(variant, id.to_string());
        self.ids.insert(id.to_string(), at);
    }

    fn documented(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        doc: &OpenApiDoc,
        endpoints: &[Endpoint],
        i: usize,
        m: &ModelEntry,
    ) -> Option<Model> {
        let base = format!("/models/{i}");
        let id = m.id.as_str();
        self.claim_id(id, cx.at(&format!("{base}/id")));
        self.check_source_at(&m.source, cx.at(&format!("{base}/source")), Some(id));
        for (j, s) in m.also_sources.iter().enumerate() {
            self.check_source_at(s, cx.at(&format!("{base}/also_sources/{j}")), Some(id));
        }
        for (j, n) in m.notes.iter().enumerate() {
            self.check_note_ref(n, cx.at(&format!("{base}/notes/{j}")), Some(id));
        }
        if let Some(p) = &m.pricing {
            self.check_pricing(p, cx.at(&format!("{base}/pricing")), id);
        }
        if let Some(s) = &m.not_listed {
            self.check_not_listed(s, cx.at(&format!("{base}/not_listed")), id);
        }
        if m.endpoints.is_empty() {
            self.problems.push(
                cx.at(&base),
                Some(id),
                Some("endpoints"),
                "a documented model needs at least one endpoint",
            );
        }
        if m.profile.is_some() && !m.profiles.is_empty() {
            self.problems.push(
                cx.at(&base),
                Some(id),
                Some("profiles"),
                "give either `profile` or `profiles`, not both",
            );
        }
        for key in m.profiles.keys() {
            if !m.endpoints.contains(key) {
                self.problems.push(
                    cx.at(&format!("{base}/profiles/{}", escape(key))),
                    Some(id),
                    Some("profiles"),
                    format!(
                        "`{key}` is not one of this model's endpoints ({})",
                        m.endpoints.join(", ")
                    ),
                );
            }
        }
        let mut requests = Vec::new();
        for (j, key) in m.endpoints.iter().enumerate() {
            let at = cx.at(&format!("{base}/endpoints/{j}"));
            let Some(endpoint) = endpoints.iter().find(|e| &e.key == key) else {
                let known: Vec<&str> = endpoints.iter().map(|e| e.key.as_str()).collect();
                self.problems.push(
                    at,
                    Some(id),
                    Some("endpoints"),
                    format!(
                        "unknown endpoint `{key}` (provider {} has: {})",
                        def.provider,
                        known.join(", ")
                    ),
                );
                continue;
            };
            if !endpoint.kind.serves(m.kind) {
                self.problems.push(
                    at.clone(),
                    Some(id),
                    Some("endpoints"),
                    format!(
                        "a {} model cannot be served by `{key}`, a {} endpoint",
                        m.kind.as_str(),
                        endpoint.kind.as_str()
                    ),
                );
            }
            if let Some(request) = self.request(cx, def, doc, endpoint, &base, m) {
                requests.push(request);
            }
        }
        Some(Model {
            id: Some(m.id.clone()),
            name: m.name.clone().unwrap_or_else(|| m.id.clone()),
            vendor: m.vendor.clone(),
            kind: Some(m.kind),
            status: Status::Documented,
            owned_by: None,
            not_listed: m.not_listed.clone(),
            description: m
                .description
                .as_ref()
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" ")),
            context_window: m.context_window.clone(),
            pricing: m.pricing.clone(),
            source: m.source.clone(),
            also_sources: m.also_sources.clone(),
            notes: m.notes.clone(),
            endpoints: m.endpoints.clone(),
            requests,
        })
    }

    fn check_pricing(&mut self, p: &Pricing, at: Location, id: &str) {
        let per_token = p.input_per_million.is_some() || p.output_per_million.is_some();
        let complete = (p.input_per_million.is_some() && p.output_per_million.is_some())
            != p.per_request.is_some();
        if !complete || (per_token && p.per_request.is_some()) {
            self.problems.push(
                at.clone(),
                Some(id),
                Some("pricing"),
                "give either input_per_million and output_per_million, or per_request",
            );
        }
        for v in [p.input_per_million, p.output_per_million, p.per_request]
            .into_iter()
            .flatten()
        {
            if v.is_nan() || v < 0.0 {
                self.problems.push(
                    at.clone(),
                    Some(id),
                    Some("pricing"),
                    format!("price {v} must not be negative"),
                );
            }
        }
    }

    /// Builds one model's rule tree on one endpoint, with [`modelgate_rules::resolve`]
    /// (as the library does at run time), after checking what the recipe names.
    fn request(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        doc: &OpenApiDoc,
        endpoint: &Endpoint,
        base: &str,
        m: &ModelEntry,
    ) -> Option<Request> {
        let id = m.id.as_str();
        let endpoint_def = &def.endpoints[&endpoint.key];
        // Where the model's parameters live: the body, or the object at `parameters_at`.
        let params_at = endpoint_def.parameters_at.as_deref();
        let params_shape = match (params_at, &m.params_schema) {
            (Some(_), Some(name)) => {
                let schema = serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
                match ir::lower(&doc.value, &schema, name) {
                    Ok(Node::Object(params)) => Some(params),
                    Ok(_) => {
                        self.problems.push(
                            cx.at(&format!("{base}/params_schema")),
                            Some(id),
                            Some("params_schema"),
                            format!("schema `{name}` must be an object"),
                        );
                        return None;
                    }
                    Err(message) => {
                        self.problems.push(
                            cx.at(&format!("{base}/params_schema")),
                            Some(id),
                            Some("params_schema"),
                            message,
                        );
                        return None;
                    }
                }
            }
            (Some(_), None) => {
                self.problems.push(cx.at(base), Some(id), Some("params_schema"), format!(
                    "endpoint `{}` takes model parameters at {}; name their OpenAPI schema in `params_schema`",
                    endpoint.key, params_at.unwrap_or_default()));
                return None;
            }
            (None, Some(_)) => {
                self.problems.push(cx.at(&format!("{base}/params_schema")), Some(id), Some("params_schema"), format!(
                    "endpoint `{}` has no `parameters_at`, so `params_schema` means nothing here", endpoint.key));
                return None;
            }
            (None, None) => None,
        };

        let constraints = self.constraints_for(cx, def, base, m, &endpoint.key)?;
        // What the recipe's constraints may name: the body's properties, or the model's
        // parameters object's.
        let mut probe = endpoint.generic.clone();
        let params: &ObjectNode = match (params_at, &params_shape) {
            (Some(at), Some(shape)) => {
                let slot = ir::object_at_mut(&mut probe, at).ok()?;
                *slot = shape.clone();
                slot
            }
            _ => &probe,
        };
        let accepted: BTreeSet<&str> = constraints
            .keys()
            .map(|k| k.split('/').next().unwrap_or(k))
            .collect();
        let mut ok = true;
        for name in &accepted {
            if params.property(name).is_none() {
                let (pointer, _, _) = &constraints[constraints
                    .keys()
                    .find(|k| k.split('/').next() == Some(name))?];
                let message = format!(
                    "`{name}` is not a parameter of endpoint {}.{} (it has: {})",
                    def.provider,
                    endpoint.key,
                    params.property_names().join(", ")
                );
                self.problems
                    .push(cx.at(pointer), Some(id), Some(name), message);
                ok = false;
            }
        }
        // The gateway's own parameters (its schemas, not a format's) exist for a model
        // only where the model lists them; a format's parameters exist for every model
        // and stay `Format` unless listed.
        for p in params.properties.iter().filter(|p| {
            p.required && p.basis == Basis::Documented && !accepted.contains(p.name.as_str())
        }) {
            let message = format!(
                "the endpoint requires `{}`, so the model must accept it: add `{}: {{}}` to its parameters",
                p.name, p.name
            );
            self.problems
                .push(cx.at(base), Some(id), Some(&p.name), message);
            ok = false;
        }
        if !ok {
            return None;
        }
        let profile = m
            .profiles
            .get(&endpoint.key)
            .or(m.profile.as_ref())
            .cloned();
        let profile_layer = profile.as_ref().map(|name| {
            let p = &def.profiles[name];
            Layer {
                source: p.source.clone(),
                parameters: p.parameters.clone(),
            }
        });
        let own = Layer {
            source: m.source.clone(),
            parameters: m.parameters.clone(),
        };
        let recipe = Recipe {
            params: params_at.zip(params_shape.as_ref()),
            profile: profile_layer.as_ref(),
            own: &own,
        };
        let root = match modelgate_rules::resolve(&endpoint.generic, &recipe, Some(id)) {
            Ok(root) => root,
            Err(errors) => {
                for e in errors {
                    let pointer = constraints
                        .get(&e.path)
                        .map_or(base.to_string(), |(pointer, _, _)| pointer.clone());
                    self.problems
                        .push(cx.at(&pointer), Some(id), Some(&e.path), e.message);
                }
                return None;
            }
        };
        if let Some(path) = too_many_properties(&root, "") {
            self.problems.push(cx.at(base), Some(id), Some(&path), format!(
                "an object has more than {MAX_PROPERTIES} properties, more than the validator tracks"));
            return None;
        }
        Some(Request {
            endpoint: endpoint.key.clone(),
            root,
            profile,
            own,
            params: params_at.map(str::to_string).zip(params_shape),
        })
    }

    /// The model's constraints on one endpoint: its profile's, with its own on top.
    /// Each comes with the pointer of its key (for errors) and its default source.
    #[allow(clippy::type_complexity)]
    fn constraints_for(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        base: &str,
        m: &ModelEntry,
        endpoint: &str,
    ) -> Option<BTreeMap<String, (String, Constraint, SourceRef)>> {
        let mut out = BTreeMap::new();
        let profile_name = m.profiles.get(endpoint).or(m.profile.as_ref());
        if let Some(name) = profile_name {
            let Some(profile) = def.profiles.get(name) else {
                let known: Vec<&str> = def.profiles.keys().map(String::as_str).collect();
                let field = if m.profile.is_some() {
                    "profile"
                } else {
                    "profiles"
                };
                self.problems.push(
                    cx.at(&format!("{base}/{field}")),
                    Some(&m.id),
                    Some(field),
                    format!(
                        "unknown profile `{name}` (this file defines: {})",
                        known.join(", ")
                    ),
                );
                return None;
            };
            for (path, c) in &profile.parameters {
                let pointer = format!("/profiles/{}/parameters/{}", escape(name), escape(path));
                out.insert(path.clone(), (pointer, c.clone(), profile.source.clone()));
            }
        }
        for (path, c) in &m.parameters {
            let pointer = format!("{base}/parameters/{}", escape(path));
            if let Some(s) = &c.source {
                self.check_source_at(s, cx.at(&pointer), Some(&m.id));
            }
            let merged = match out.remove(path) {
                Some((_, profile_c, _)) => profile_c.merged_with(c),
                None => c.clone(),
            };
            out.insert(path.clone(), (pointer, merged, m.source.clone()));
        }
        if out.is_empty() {
            self.problems.push(
                cx.at(base),
                Some(&m.id),
                Some("parameters"),
                format!("no parameters for endpoint `{endpoint}`: give a profile or parameters"),
            );
            return None;
        }
        Some(out)
    }

    fn listed(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        endpoints: &[Endpoint],
        i: usize,
        l: &ListedEntry,
    ) -> Option<Model> {
        let base = format!("/listed/{i}");
        let Some(label) = l.id.as_deref().or(l.name.as_deref()) else {
            self.problems.push(
                cx.at(&base),
                None,
                Some("name"),
                "a listed model needs a name or an ID",
            );
            return None;
        };
        if let Some(id) = &l.id {
            self.claim_id(id, cx.at(&format!("{base}/id")));
        }
        self.check_source_at(&l.source, cx.at(&format!("{base}/source")), Some(label));
        if let Some(s) = &l.id_source {
            self.check_source_at(s, cx.at(&format!("{base}/id_source")), Some(label));
        }
        if let Some(n) = &l.note {
            self.check_note_ref(n, cx.at(&format!("{base}/note")), Some(label));
        }
        if let Some(s) = &l.not_listed {
            if l.id.is_none() {
                self.problems.push(
                    cx.at(&format!("{base}/not_listed")),
                    Some(label),
                    Some("not_listed"),
                    "only a model with an ID can be missing from a model list",
                );
            }
            self.check_not_listed(s, cx.at(&format!("{base}/not_listed")), label);
        }
        // Without a kind of its own, the kind of its ID's family (the longest prefix).
        let family = match (l.kind, &l.id) {
            (None, Some(id)) => Family::of(&def.families, id),
            _ => None,
        };
        let kind = l.kind.or(family.map(|f| f.kind));
        // Every endpoint of the provider that serves its kind: nothing narrows a listed
        // model to one of them.
        let served: Vec<String> = kind
            .map(|kind| {
                endpoints
                    .iter()
                    .filter(|e| e.kind.serves(kind))
                    .map(|e| e.key.clone())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(kind) = l.kind
            && served.is_empty()
        {
            self.problems.push(
                cx.at(&format!("{base}/kind")),
                Some(label),
                Some("kind"),
                format!(
                    "provider {} has no endpoint that serves {} models",
                    def.provider,
                    kind.as_str()
                ),
            );
        }
        Some(Model {
            id: l.id.clone(),
            name: l.name.clone().unwrap_or_else(|| label.to_string()),
            vendor: l.vendor.clone(),
            kind,
            status: Status::Listed,
            owned_by: l.owned_by.clone(),
            not_listed: l.not_listed.clone(),
            description: None,
            context_window: None,
            pricing: None,
            source: l.source.clone(),
            also_sources: l
                .id_source
                .iter()
                .chain(family.map(|f| &f.source))
                .cloned()
                .collect(),
            notes: l
                .note
                .iter()
                .chain(family.map(|f| &f.note))
                .cloned()
                .collect(),
            endpoints: served,
            requests: Vec::new(),
        })
    }

    /// A `not_listed` mark must name a known `remote_list` source (whose `read` is the
    /// date the ID was missing).
    fn check_not_listed(&mut self, s: &SourceRef, at: Location, model: &str) {
        match self.index.sources.get(&s.doc) {
            None => self.check_source_at(s, at, Some(model)),
            Some(doc) if doc.kind != SourceKind::RemoteList => {
                self.problems.push(
                    at,
                    Some(model),
                    Some("not_listed"),
                    format!(
                        "`not_listed` names `{}`, which is not a model list (its source needs `kind: remote_list`, a `url` and the date it was `read`)",
                        s.doc
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

/// The most properties one object may have (the validator tracks them in a `u64`).
const MAX_PROPERTIES: usize = 64;

/// The path of the first object below `o` with more than [`MAX_PROPERTIES`] properties.
fn too_many_properties(o: &ObjectNode, at: &str) -> Option<String> {
    if o.properties.len() > MAX_PROPERTIES {
        return Some(if at.is_empty() {
            "(body)".into()
        } else {
            at.to_string()
        });
    }
    o.properties.iter().find_map(|p| {
        let path = if at.is_empty() {
            p.name.clone()
        } else {
            format!("{at}/{}", p.name)
        };
        nested_objects(&p.node)
            .into_iter()
            .find_map(|child| too_many_properties(child, &path))
    })
}

fn nested_objects(n: &Node) -> Vec<&ObjectNode> {
    match n {
        Node::Object(o) => vec![o],
        Node::Array(a) => nested_objects(&a.items),
        Node::OneOfType(alts) => alts.iter().flat_map(nested_objects).collect(),
        Node::Tagged(t) => t.variants.iter().map(|v| &v.object).collect(),
        _ => Vec::new(),
    }
}
