//! A fingerprint of the catalog directory, so that a build from the committed copy in
//! `generated/` (the `modelgate` crate without its `codegen` feature) can tell that
//! `spec/` changed after that copy was made, and refuse instead of building stale code.
//!
//! FNV-1a (64 bit) over every file below the directory, in sorted order: its path relative
//! to the directory (with `/`), a zero byte, its contents without `\r` (so a checkout with
//! CRLF line endings gives the same fingerprint), a zero byte. The generator writes it to
//! `SPEC_FINGERPRINT`; the root crate's `build.rs` checks it (a build dependency on this
//! crate without its `yaml` feature).

use std::io;
use std::path::{Path, PathBuf};

/// The name of the generated file that records the fingerprint.
pub const FILE: &str = "SPEC_FINGERPRINT";

/// Every file below `dir`: its path relative to `dir` with `/` separators, and its full
/// path, sorted by the relative path. Links are followed; a link loop is an error.
pub fn files_below(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push((parts.join("/"), entry.into_path()));
    }
    files.sort();
    Ok(files)
}

/// Copies every file below `from` to the same place below `to` (a build script's copy of
/// a committed `generated/` into `OUT_DIR`), and prints `cargo:rerun-if-changed` for
/// `from`. Errors name the file.
pub fn copy_generated(from: &Path, to: &Path) -> Result<(), String> {
    println!("cargo:rerun-if-changed={}", from.display());
    let files = files_below(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for (relative, path) in files {
        let target = to.join(&relative);
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

/// The most the fingerprint reads of one file (a catalog file is at most 16 MiB).
pub const MAX_FILE: u64 = 16 << 20;

/// The fingerprint of every file below `dir`, and how many files there were.
pub fn of_dir(dir: &Path) -> io::Result<(u64, usize)> {
    let files = files_below(dir)?;
    let mut hash = Fnv::new();
    for (relative, path) in &files {
        hash.write(relative.as_bytes());
        hash.write(&[0]);
        let contents = crate::read::read_capped(
            std::fs::File::open(path)?,
            MAX_FILE,
            &path.display().to_string(),
        )?;
        for chunk in contents.split(|&b| b == b'\r') {
            hash.write(chunk);
        }
        hash.write(&[0]);
    }
    Ok((hash.0, files.len()))
}

/// The content of [`FILE`] for the catalog in `dir`.
pub fn file_text(dir: &Path) -> io::Result<String> {
    let (hash, count) = of_dir(dir)?;
    Ok(format!(
        "{hash:016x}\n# FNV-1a over the {count} files of the catalog that generated these files.\n\
         # A build without the codegen feature compares it with spec/ and refuses a mismatch.\n"
    ))
}

/// Compares the catalog in `dir` with a recorded [`FILE`] text. The error says what to do.
pub fn check(dir: &Path, recorded: &str) -> Result<(), String> {
    let recorded = recorded.lines().next().unwrap_or_default().trim();
    let (hash, count) =
        of_dir(dir).map_err(|e| format!("cannot read the catalog in {}: {e}", dir.display()))?;
    if format!("{hash:016x}") == recorded {
        return Ok(());
    }
    Err(format!(
        "the catalog in {} ({count} files, fingerprint {hash:016x}) is not the one generated/ was made from (fingerprint {recorded}); \
         run `cargo codegen` in modelgate's workspace to refresh generated/, or build with the `codegen` feature (a `cargo build` at the workspace's root turns it on) to generate from the catalog at build time",
        dir.display()
    ))
}

/// FNV-1a, 64 bit: the fingerprint's hash, also what the generator keys its reuse of a
/// generated client by (not for anything an adversary chooses).
#[derive(Clone, Copy, Debug)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Self::new()
    }
}

impl Fnv {
    /// The hash of nothing.
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes `bytes` on.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn the_fingerprint_follows_names_and_contents_but_not_line_endings() {
        let a = catalog(&[("catalog.yaml", "a: 1\nb: 2\n"), ("models/x.yaml", "m\n")]);
        let same = catalog(&[
            ("catalog.yaml", "a: 1\r\nb: 2\r\n"),
            ("models/x.yaml", "m\n"),
        ]);
        let edited = catalog(&[("catalog.yaml", "a: 1\nb: 3\n"), ("models/x.yaml", "m\n")]);
        let renamed = catalog(&[("catalog.yaml", "a: 1\nb: 2\n"), ("models/y.yaml", "m\n")]);
        let added = catalog(&[
            ("catalog.yaml", "a: 1\nb: 2\n"),
            ("models/x.yaml", "m\n"),
            ("models/z.yaml", ""),
        ]);
        let of = |d: &tempfile::TempDir| of_dir(d.path()).unwrap();
        assert_eq!(of(&a), of(&same));
        assert_eq!(of(&a).1, 2);
        for other in [&edited, &renamed, &added] {
            assert_ne!(of(&a).0, of(other).0);
        }
    }

    #[test]
    fn check_accepts_the_recorded_catalog_and_says_what_to_do_otherwise() {
        let dir = catalog(&[("catalog.yaml", "a: 1\n")]);
        let recorded = file_text(dir.path()).unwrap();
        assert_eq!(check(dir.path(), &recorded), Ok(()));
        std::fs::write(dir.path().join("catalog.yaml"), "a: 2\n").unwrap();
        let error = check(dir.path(), &recorded).unwrap_err();
        assert!(
            error.contains("is not the one generated/ was made from"),
            "{error}"
        );
        assert!(error.contains("cargo codegen"), "{error}");
        assert!(error.contains("`codegen` feature"), "{error}");
        let missing = check(&dir.path().join("nowhere"), &recorded).unwrap_err();
        assert!(missing.contains("nowhere"), "{missing}");
        assert!(
            missing.starts_with("cannot read the catalog in"),
            "{missing}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_an_error_not_a_hang() {
        let dir = catalog(&[("catalog.yaml", "a: 1\n")]);
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let error = of_dir(dir.path()).unwrap_err();
        assert!(error.to_string().contains("loop"), "{error}");
    }

    #[test]
    fn the_committed_copy_matches_the_catalog() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let recorded = std::fs::read_to_string(root.join("generated").join(FILE)).unwrap();
        check(&root.join("spec"), &recorded).unwrap();
    }
}
