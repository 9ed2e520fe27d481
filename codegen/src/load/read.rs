//! Reading catalog files: bounded reads, YAML parsed with its places, documents
//! deserialized with the failing key's place and model, and paths made clean.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Location, Problems};
use modelgate_io::yaml::{self, LocatedDocument};

/// The largest catalog file read (the biggest in spec/ is under 100 KiB).
pub const MAX_CATALOG_FILE: u64 = 16 << 20;

/// Reads a catalog file of at most [`MAX_CATALOG_FILE`] bytes.
pub(super) fn read_capped(file: &Path) -> std::io::Result<String> {
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

pub(super) fn parse_yaml(
    file: &Path,
    text: &str,
    problems: &mut Problems,
) -> Option<LocatedDocument> {
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
pub(super) fn deserialize<T: DeserializeOwned>(
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
