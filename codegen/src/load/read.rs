//! Reading catalog files: bounded reads, YAML parsed with its places, documents
//! deserialized with the failing key's place and model, and paths made clean.

use std::path::{Path, PathBuf};

use modelgate_catalog_file::read;
use modelgate_io::yaml::LocatedDocument;
use serde::de::DeserializeOwned;

use crate::error::Problems;

pub use modelgate_catalog_file::MAX_CATALOG_FILE;

/// Reads a catalog file of at most [`MAX_CATALOG_FILE`] bytes.
pub(super) fn read_capped(file: &Path) -> std::io::Result<String> {
    modelgate_io::read::read_file_capped(file, MAX_CATALOG_FILE)
}

/// Reads and parses a YAML file, reporting failures to `problems`.
pub(crate) fn read_yaml(file: &Path, problems: &mut Problems) -> Option<LocatedDocument> {
    problems.take(read::read_document(file))
}

pub(super) fn parse_yaml(
    file: &Path,
    text: &str,
    problems: &mut Problems,
) -> Option<LocatedDocument> {
    problems.take(read::parse_document(file, text))
}

/// Deserializes a document into `T`, reporting the failing key's place and model.
pub(super) fn deserialize<T: DeserializeOwned>(
    file: &Path,
    doc: &LocatedDocument,
    problems: &mut Problems,
) -> Option<T> {
    problems.take(read::deserialize(file, doc))
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
