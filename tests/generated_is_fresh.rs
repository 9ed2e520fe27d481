//! `generated/` and `api/generated/` are the reviewable copies of what the build scripts
//! generate into OUT_DIR. This test fails when one is stale, and says how to refresh it.

use std::path::Path;

/// Both copies: `generated/` (this crate's tables) and `api/generated/` (modelgate-api's
/// clients).
#[test]
fn generated_matches_the_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (part, dir) in [
        (modelgate_codegen::Part::Tables, "generated"),
        (modelgate_codegen::Part::Client, "api/generated"),
    ] {
        let mut config = modelgate_codegen::Config::new();
        config.catalog_dir(root.join("spec")).part(part);
        let catalog = config.load().expect("the catalog loads");
        let files = config.generate(&catalog).expect("the generator runs");
        let path = root.join(dir);
        for (name, content) in &files {
            match std::fs::read_to_string(path.join(name)) {
                Ok(existing) if &existing == content => {}
                Ok(_) => stale.push(format!("changed: {dir}/{name}")),
                Err(_) => stale.push(format!("missing: {dir}/{name}")),
            }
        }
        for name in modelgate_codegen::existing_files(&path) {
            if !files.contains_key(&name) {
                stale.push(format!("no longer generated: {dir}/{name}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the generated copies are stale; run `cargo codegen` and commit the result:\n  {}",
        stale.join("\n  ")
    );
}

/// Every field of the generated clients is described by the catalog (an OpenAPI
/// `description`), not by the generator's fallback line.
#[test]
fn every_generated_client_field_has_a_description_from_the_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("api/generated");
    for file in ["vtrix_client.rs", "vertexkey_client.rs"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let fallbacks: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(modelgate_codegen::emit::client_docs::FALLBACK_MARK))
            .collect();
        assert!(
            fallbacks.is_empty(),
            "api/generated/{file}: {} fields have no description in spec/openapi/; add one:\n{}",
            fallbacks.len(),
            fallbacks.join("\n")
        );
    }
}
