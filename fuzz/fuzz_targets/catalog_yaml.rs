//! The catalog loader on arbitrary YAML: the located YAML reader on the input, then the
//! whole loader with one catalog file replaced by the input (the first byte picks which,
//! by its index among spec/'s files in sorted order).
//! No panic; a failure is an error that names a place.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A copy of the real catalog in a temporary directory, and its files' paths relative to
/// it, sorted: the input's first byte picks one by its index (`fuzz/run.sh` makes the
/// seeds in the same order, from spec/).
fn spec() -> &'static (PathBuf, Vec<String>) {
    static SPEC: OnceLock<(PathBuf, Vec<String>)> = OnceLock::new();
    SPEC.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let files: Vec<String> = modelgate_io::fingerprint::files_below(&source)
            .expect("read spec/")
            .into_iter()
            .map(|(relative, _)| relative)
            .collect();
        let dir = tempfile::tempdir().expect("a temp dir").keep();
        for file in &files {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
            std::fs::copy(source.join(file), &to).expect("copy the catalog");
        }
        (dir, files)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if let Ok(docs) = modelgate_io::yaml::parse_documents(&text) {
        for doc in &docs {
            let _ = doc.position("/a/0/b");
        }
    }
    let (dir, files) = spec();
    let file = dir.join(&files[usize::from(pick) % files.len()]);
    let original = std::fs::read(&file).expect("read");
    std::fs::write(&file, rest).expect("write");
    let result = modelgate_codegen::load_catalog(dir);
    std::fs::write(&file, original).expect("restore");
    // `FUZZ_DEBUG=1` says whether the catalog loaded (to look at a seed or a reproducer).
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!(
            "load_catalog: {:?}",
            result.as_ref().map(|_| ()).map_err(|e| e.to_string())
        );
    }
    if let Err(e) = result {
        let shown = e.to_string();
        assert!(!shown.is_empty());
    }
});
