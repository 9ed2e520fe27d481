//! Generates the catalog, the validators' rules, the JSON Schemas and the typed clients
//! from `spec/` into `OUT_DIR`. Editing any file in `spec/` and running `cargo build`
//! regenerates everything.

fn main() {
    if let Err(e) = modelgate_codegen::compile_catalog("spec") {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
