//! Reading the catalog's files without the generator: bounded reads, YAML parsed with its
//! places, documents deserialized into the [crate] types with the failing key's place and
//! model. `modelgate-codegen`'s loader reads every file this way and then checks the
//! whole catalog; [`read_catalog`] is the read alone (what `modelgate catalog update`
//! needs to plan its edit).

use std::fmt;
use std::path::{Path, PathBuf};

use modelgate_io::yaml::{self, LocatedDocument, Position};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{CatalogIndex, ProviderFile};

/// The largest catalog file read (the biggest in spec/ is under 100 KiB).
pub const MAX_CATALOG_FILE: u64 = 16 << 20;

/// A place in a catalog file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as the catalog directory was given plus the file's relative path.
    pub file: PathBuf,
    /// Line and column.
    pub position: Position,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.file.display(),
            self.position.line,
            self.position.column
        )
    }
}

/// One problem in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CatalogError {
    /// Where it is.
    pub location: Location,
    /// The model it concerns, if any.
    pub model: Option<String>,
    /// The field it concerns, if any (a parameter path, or a key of the file).
    pub field: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        match (&self.model, &self.field) {
            (Some(m), Some(field)) => write!(f, "model `{m}`, field `{field}`: ")?,
            (Some(m), None) => write!(f, "model `{m}`: ")?,
            (None, Some(field)) => write!(f, "field `{field}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CatalogError {}

/// The text of a catalog file of at most [`MAX_CATALOG_FILE`] bytes.
pub fn read_text(file: &Path) -> std::io::Result<String> {
    modelgate_io::read::read_file_capped(file, MAX_CATALOG_FILE)
}

/// Reads a catalog file of at most [`MAX_CATALOG_FILE`] bytes and parses it as YAML.
pub fn read_document(file: &Path) -> Result<LocatedDocument, CatalogError> {
    let text = read_text(file).map_err(|e| {
        error_at(
            file,
            Position { line: 1, column: 1 },
            format!("cannot read the file: {e}"),
        )
    })?;
    parse_document(file, &text)
}

/// Parses the text of `file` as one YAML document.
pub fn parse_document(file: &Path, text: &str) -> Result<LocatedDocument, CatalogError> {
    yaml::parse_single(text)
        .map_err(|e| error_at(file, e.position, format!("malformed YAML: {}", e.message)))
}

/// Deserializes a document of `file` into `T`; an error names the failing key's place,
/// its path and the model entry it is in.
pub fn deserialize<T: DeserializeOwned>(
    file: &Path,
    doc: &LocatedDocument,
) -> Result<T, CatalogError> {
    serde_path_to_error::deserialize::<_, T>(&doc.value).map_err(|e| {
        let pointer = yaml::path_to_pointer(e.path());
        CatalogError {
            location: Location {
                file: file.to_path_buf(),
                position: doc.key_position(&pointer),
            },
            model: model_at(&doc.value, &pointer),
            field: Some(e.path().to_string()),
            message: e.into_inner().to_string(),
        }
    })
}

fn error_at(file: &Path, position: Position, message: String) -> CatalogError {
    CatalogError {
        location: Location {
            file: file.to_path_buf(),
            position,
        },
        model: None,
        field: None,
        message,
    }
}

/// The `id` (or name) of the model entry a pointer is inside of (`/models/3/...`).
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

/// The catalog's files as read: the index and each provider file, not checked beyond
/// their format.
#[derive(Clone, Debug)]
pub struct CatalogFiles {
    /// `catalog.yaml`'s path.
    pub index_file: PathBuf,
    /// `catalog.yaml`.
    pub index: CatalogIndex,
    /// Each provider file, in the index's order.
    pub providers: Vec<ProviderEntry>,
}

/// One provider file as read.
#[derive(Clone, Debug)]
pub struct ProviderEntry {
    /// Its path (the catalog directory joined with the index's relative path).
    pub file: PathBuf,
    /// Its content.
    pub spec: ProviderFile,
}

impl ProviderEntry {
    /// Every model ID the file has, documented (`models`) or listed (`listed`), with
    /// whether it is marked `not_listed`.
    pub fn ids(&self) -> impl Iterator<Item = (&str, bool)> {
        let documented = self
            .spec
            .models
            .iter()
            .map(|m| (m.id.as_str(), m.not_listed.is_some()));
        let listed = self
            .spec
            .listed
            .iter()
            .filter_map(|m| Some((m.id.as_deref()?, m.not_listed.is_some())));
        documented.chain(listed)
    }
}

/// Reads `catalog.yaml` in `dir` and every provider file it names. The first problem
/// stops the read (the generator's loader reports them all, and checks much more).
pub fn read_catalog(dir: &Path) -> Result<CatalogFiles, CatalogError> {
    let index_file = dir.join("catalog.yaml");
    let index: CatalogIndex = deserialize(&index_file, &read_document(&index_file)?)?;
    let providers = index
        .providers
        .iter()
        .map(|rel| {
            let file = dir.join(rel);
            let spec = deserialize(&file, &read_document(&file)?)?;
            Ok(ProviderEntry { file, spec })
        })
        .collect::<Result<_, CatalogError>>()?;
    Ok(CatalogFiles {
        index_file,
        index,
        providers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
    }

    #[test]
    fn the_bundled_catalog_reads_with_every_model() {
        let files = read_catalog(&spec()).unwrap();
        let keys: Vec<&str> = files
            .providers
            .iter()
            .map(|p| p.spec.provider.as_str())
            .collect();
        assert_eq!(keys, ["vtrix", "vertexkey"]);
        let vertexkey = &files.providers[1];
        assert!(vertexkey.ids().any(|(id, _)| id == "aws/claude-sonnet-4-6"));
        assert!(files.index.sources.contains_key("seed-004"));
    }

    #[test]
    fn a_misspelt_key_is_located_with_its_model() {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(spec()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
            }
        }
        std::fs::create_dir(dir.path().join("models")).unwrap();
        for name in ["vtrix.yaml", "vertexkey.yaml"] {
            let text = std::fs::read_to_string(spec().join("models").join(name)).unwrap();
            let text = if name == "vertexkey.yaml" {
                text.replacen("kind: chat", "kind: chatt", 1)
            } else {
                text
            };
            std::fs::write(dir.path().join("models").join(name), text).unwrap();
        }
        let e = read_catalog(dir.path()).unwrap_err();
        assert!(e.location.file.ends_with("models/vertexkey.yaml"), "{e}");
        assert!(e.location.position.line > 1, "{e}");
        assert_eq!(e.field.as_deref(), Some("families[0].kind"), "{e}");
        assert!(e.to_string().contains("unknown variant `chatt`"), "{e}");
    }
}
