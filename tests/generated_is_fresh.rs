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

/// Every field of the generated clients is described by the catalog (an OpenAPI
/// `description`), not by the generator's fallback line.
#[test]
fn every_generated_client_field_has_a_description_from_the_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated");
    for file in ["vtrix_client.rs", "vertexkey_client.rs"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let fallbacks: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(modelgate_codegen::emit::client_docs::FALLBACK_MARK))
            .collect();
        assert!(
            fallbacks.is_empty(),
            "generated/{file}: {} fields have no description in spec/openapi/; add one:\n{}",
            fallbacks.len(),
            fallbacks.join("\n")
        );
    }
}
