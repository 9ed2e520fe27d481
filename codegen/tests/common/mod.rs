#![allow(dead_code)] // each test file uses part of it
//! A temporary copy of the real catalog, for tests that break or extend it.

use std::path::{Path, PathBuf};

pub struct CatalogCopy {
    pub dir: tempfile::TempDir,
}

impl CatalogCopy {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            dir.path(),
        );
        CatalogCopy { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replaces the first occurrence of `from` in a file; panics if it is not there.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(self.path(rel), text.replacen(from, to, 1)).unwrap();
    }

    /// 1-based line of the first line of `rel` containing `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        self.read(rel)
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not in {rel}"))
            + 1
    }

    /// The loader's error messages, with the temporary directory shown as `spec`.
    pub fn errors(&self) -> Vec<String> {
        let err = modelgate_codegen::load_catalog(self.dir.path())
            .expect_err("the catalog should be refused");
        let prefix = self.dir.path().display().to_string();
        err.catalog_errors()
            .iter()
            .map(|e| e.to_string().replace(&prefix, "spec"))
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
