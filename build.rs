//! Generates the catalog, the validators' rules, the JSON Schemas and the typed clients
//! from `spec/` into `OUT_DIR`. Editing any file in `spec/` and running `cargo build`
//! regenerates everything.
//!
//! Without the default `codegen` feature nothing is generated: the committed copy in
//! `generated/` is copied into `OUT_DIR` instead (no progenitor, syn or YAML parser to
//! compile), after checking that `spec/` is still the catalog it was made from.

fn main() {
    #[cfg(feature = "codegen")]
    if let Err(e) = modelgate_codegen::compile_catalog("spec") {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    #[cfg(not(feature = "codegen"))]
    if let Err(e) = copy_generated() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Copies `generated/` into `OUT_DIR` if `spec/` matches its fingerprint.
#[cfg(not(feature = "codegen"))]
fn copy_generated() -> Result<(), String> {
    use modelgate_io::fingerprint;
    use std::path::{Path, PathBuf};

    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-changed=generated");
    let stamp = Path::new("generated").join(fingerprint::FILE);
    let recorded = std::fs::read_to_string(&stamp)
        .map_err(|e| format!("cannot read {}: {e}", stamp.display()))?;
    fingerprint::check(Path::new("spec"), &recorded)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let files = fingerprint::files_below(Path::new("generated"))
        .map_err(|e| format!("cannot read generated/: {e}"))?;
    for (relative, path) in files {
        let target = out.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::copy(&path, &target).map_err(|e| {
            format!(
                "cannot copy {} to {}: {e}",
                path.display(),
                target.display()
            )
        })?;
    }
    Ok(())
}
