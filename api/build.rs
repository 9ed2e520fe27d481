//! With the `codegen` feature (this workspace's builds) the clients and open enums are
//! generated from the catalog in `../spec` into `OUT_DIR`, and the build runs again only
//! when one of the files they come from changes (the catalog index and the OpenAPI
//! documents: not a model's limit or price). Without it (every dependent's build) this
//! does nothing: the crate includes the committed copy in `generated/`, so no generator
//! and no build-time dependency is compiled.

fn main() {
    #[cfg(feature = "codegen")]
    if let Err(e) = modelgate_codegen::Config::new()
        .catalog_dir("../spec")
        .part(modelgate_codegen::Part::Client)
        .compile()
    {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    #[cfg(not(feature = "codegen"))]
    println!("cargo:rerun-if-changed=build.rs");
}
