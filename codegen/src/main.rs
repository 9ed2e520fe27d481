//! `modelgate-codegen`: regenerates the reviewable copies of the generated code.
//!
//! ```text
//! cargo codegen                 # this workspace's alias: spec/ into generated/ and api/generated/
//! cargo run -p modelgate-codegen --features generate -- [--catalog DIR] OUT_DIR [--client DIR]
//! cargo run -p modelgate-codegen --features generate -- [--catalog DIR] --check
//! ```
//!
//! OUT_DIR gets the tables (`modelgate`'s part), `--client DIR` the clients
//! (`modelgate-api`'s). Files in either that the catalog no longer produces are removed.
//! `--check` loads the catalog and generates the tables, and writes nothing: exit 0 when
//! it would generate, 1 (the problems on stderr) when not. `modelgate catalog update` runs
//! this program for both.

use std::path::PathBuf;
use std::process::ExitCode;

use modelgate_codegen::{Config, Part, Refreshed};

const USAGE: &str = "usage: modelgate-codegen [--catalog DIR] OUT_DIR [--client DIR]\n       \
modelgate-codegen [--catalog DIR] --check\n\n\
Loads the catalog (default: spec/), generates the tables into OUT_DIR and, with --client,\n\
the typed clients into DIR, and removes files there that are no longer generated.\n\
--check: load and generate the tables, write nothing (exit 1 when the catalog fails).";

fn main() -> ExitCode {
    let mut catalog = PathBuf::from("spec");
    let mut out: Option<PathBuf> = None;
    let mut client: Option<PathBuf> = None;
    let mut check = false;
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
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return usage_error("only one OUT_DIR may be given"),
        }
    }
    if check {
        if out.is_some() || client.is_some() {
            return usage_error("--check writes nothing: give no OUT_DIR or --client");
        }
        let mut config = Config::new();
        config.catalog_dir(&catalog).rerun_if_changed(false);
        return match config.load().and_then(|c| config.generate(&c)) {
            Ok(files) => {
                println!(
                    "{}: loads, {} files generated",
                    catalog.display(),
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let Some(out) = out else {
        return usage_error("OUT_DIR is missing");
    };
    let parts = std::iter::once((Part::Tables, out)).chain(client.map(|d| (Part::Client, d)));
    for (part, dir) in parts {
        let mut config = Config::new();
        config
            .catalog_dir(&catalog)
            .part(part)
            .rerun_if_changed(false);
        match config.refresh(&dir) {
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
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
