//! `modelgate-codegen`: regenerates the reviewable copy of the generated code.
//!
//! ```text
//! cargo run -p modelgate-codegen -- generated            # from spec/ into generated/
//! cargo run -p modelgate-codegen -- --catalog DIR OUTDIR
//! ```
//!
//! Files in OUTDIR that the catalog no longer produces are removed.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: modelgate-codegen [--catalog DIR] OUT_DIR\n\n\
Loads the catalog (default: spec/), generates everything, writes it to OUT_DIR and\n\
removes files there that are no longer generated.";

fn main() -> ExitCode {
    let mut catalog = PathBuf::from("spec");
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--catalog") => match args.next() {
                Some(dir) => catalog = PathBuf::from(dir),
                None => return usage_error("--catalog needs a directory"),
            },
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return usage_error("only one OUT_DIR may be given"),
        }
    }
    let Some(out) = out else {
        return usage_error("OUT_DIR is missing");
    };
    let config = {
        let mut c = modelgate_codegen::Config::new();
        c.catalog_dir(&catalog).rerun_if_changed(false);
        c
    };
    match config.refresh(&out) {
        Ok(modelgate_codegen::Refreshed { total, changed }) => {
            for name in &changed {
                println!("updated {}", out.join(name).display());
            }
            println!(
                "{total} files in {}, {} changed",
                out.display(),
                changed.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
