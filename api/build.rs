//! Puts the generated clients and open enums into `OUT_DIR`.
//!
//! With the `codegen` feature (this workspace's builds) they are generated from the
//! catalog in `../spec`, and the build runs again only when one of the files they come
//! from changes (the catalog index and the OpenAPI documents: not a model's limit or
//! price). Without it (every dependent's build) the committed copy in `generated/` is
//! copied: no generator is compiled.

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
    if let Err(e) = copy_generated() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Copies every file of `generated/` into `OUT_DIR`.
#[cfg(not(feature = "codegen"))]
fn copy_generated() -> Result<(), String> {
    let out = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    modelgate_io::fingerprint::copy_generated("generated".as_ref(), out.as_ref())
}
