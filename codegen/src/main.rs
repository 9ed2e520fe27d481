//! `modelgate-codegen`: regenerates the reviewable copies of the generated code.
//!
//! ```text
//! cargo codegen                 # this workspace's alias: spec/ into generated/ and api/generated/
//! cargo run -p modelgate-codegen --features generate -- [--catalog DIR] [--json] OUT_DIR [--client DIR]
//! cargo run -p modelgate-codegen --features generate -- [--catalog DIR] --check
//! ```
//!
//! OUT_DIR gets the tables (`modelgate`'s part), `--client DIR` the clients
//! (`modelgate-api`'s); the catalog is loaded once for both. Files in either that the
//! catalog no longer produces are removed. `--check` loads the catalog and generates the
//! tables, and writes nothing. `--json` prints, per directory, one line
//! `{"dir": ..., "files": N, "changed": [...]}` instead of text.
//!
//! Exit status: 0 done; 1 the catalog does not load or generate (nothing written); 2 a
//! usage error; 3 writing failed (the directory may be partly refreshed). `modelgate
//! catalog update` runs this program and tells the cases apart by it.

use std::path::PathBuf;
use std::process::ExitCode;

use modelgate_codegen::{Config, Error, Part, Refreshed};

const USAGE: &str = "usage: modelgate-codegen [--catalog DIR] [--json] OUT_DIR [--client DIR]\n       \
modelgate-codegen [--catalog DIR] --check\n\n\
Loads the catalog (default: spec/), generates the tables into OUT_DIR and, with --client,\n\
the typed clients into DIR, and removes files there that are no longer generated.\n\
--check: load and generate the tables, write nothing. --json: one JSON line per directory.\n\
Exit status: 0 done, 1 the catalog does not load or generate, 2 usage, 3 writing failed.";

/// The catalog does not load or generate: nothing was written.
const CATALOG_FAILED: u8 = 1;
/// Writing a generated file failed.
const WRITE_FAILED: u8 = 3;

fn main() -> ExitCode {
    let mut catalog = PathBuf::from("spec");
    let mut out: Option<PathBuf> = None;
    let mut client: Option<PathBuf> = None;
    let mut check = false;
    let mut json = false;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--catalog") => match args.next() {
                Some(dir) => catalog = PathBuf::from(dir),
                None => return usage_error("--catalog needs a directory"),
            },
            Some("--client") => match args.next() {
                Some(dir) => client = Some(PathBuf::from(dir)),
                None => return usage_error("--client needs a directory"),
            },
            Some("--check") => check = true,
            Some("--json") => json = true,
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return usage_error("only one OUT_DIR may be given"),
        }
    }
    if check && (out.is_some() || client.is_some()) {
        return usage_error("--check writes nothing: give no OUT_DIR or --client");
    }
    let config = |part| {
        let mut config = Config::new();
        config
            .catalog_dir(&catalog)
            .part(part)
            .rerun_if_changed(false);
        config
    };
    let loaded = match config(Part::Tables).load() {
        Ok(loaded) => loaded,
        Err(e) => return failed(&e),
    };
    if check {
        return match config(Part::Tables).generate(&loaded) {
            Ok(files) => {
                println!(
                    "{}: loads, {} files generated",
                    catalog.display(),
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => failed(&e),
        };
    }
    let Some(out) = out else {
        return usage_error("OUT_DIR is missing");
    };
    let parts = std::iter::once((Part::Tables, out)).chain(client.map(|d| (Part::Client, d)));
    for (part, dir) in parts {
        match config(part).refresh_from(&loaded, &dir) {
            Ok(Refreshed { total, changed }) if json => println!(
                "{}",
                serde_json::json!({"dir": dir.display().to_string(), "files": total, "changed": changed})
            ),
            Ok(Refreshed { total, changed }) => {
                for name in &changed {
                    println!("updated {}", dir.join(name).display());
                }
                println!(
                    "{total} files in {}, {} changed",
                    dir.display(),
                    changed.len()
                );
            }
            Err(e) => return failed(&e),
        }
    }
    ExitCode::SUCCESS
}

/// Reports `e` and exits 3 for a failed write, 1 for a catalog that does not load or
/// generate.
fn failed(e: &Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(match e {
        Error::Write { .. } => WRITE_FAILED,
        _ => CATALOG_FAILED,
    })
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
