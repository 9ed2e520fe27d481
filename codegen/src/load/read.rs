//! Reading catalog files: bounded reads, YAML parsed with its places, documents
//! deserialized with the failing key's place and model, and paths made clean.

use std::path::{Path, PathBuf};

use modelgate_catalog_file::read;
use modelgate_io::yaml::LocatedDocument;
use serde::de::DeserializeOwned;

use crate::error::Problems;

pub use modelgate_catalog_file::MAX_CATALOG_FILE;

pub(super) use modelgate_catalog_file::read::read_text;

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
