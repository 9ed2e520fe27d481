//! `generated/` is the reviewable copy of what build.rs generates into OUT_DIR. This test
//! fails when it is stale, and says how to refresh it.

use std::path::Path;

#[test]
fn generated_matches_the_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = modelgate_codegen::Config::new();
    config.catalog_dir(root.join("spec"));
    let catalog = config.load().expect("the catalog loads");
    let files = config.generate(&catalog).expect("the generator runs");
    let dir = root.join("generated");
    let mut stale = Vec::new();
    for (name, content) in &files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(existing) if &existing == content => {}
            Ok(_) => stale.push(format!("changed: generated/{name}")),
            Err(_) => stale.push(format!("missing: generated/{name}")),
        }
    }
    for name in modelgate_codegen::existing_files(&dir) {
        if !files.contains_key(&name) {
            stale.push(format!("no longer generated: generated/{name}"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p modelgate-codegen -- generated` and commit the result:\n  {}",
        stale.join("\n  ")
    );
}
