//! Bounded reads: the one way modelgate reads a file or stream it did not write (catalog
//! files, config files, payloads, request bodies), so that `/dev/zero` or a huge file is
//! an error that names the limit, never unbounded memory. Shared by the generator, the
//! CLI and the emulator.

use std::io::{self, Read};
use std::path::Path;

/// `64 MiB`, or `1000 bytes` for a limit that is not a whole number of MiB.
pub fn size(bytes: u64) -> String {
    if bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// All of `reader`, or an error once it passes `cap` bytes: `{what} is larger than
/// {cap}, the most modelgate reads` (one byte past the cap is read, no more).
///
/// ```
/// use modelgate_io::read::read_capped;
/// assert_eq!(read_capped(&b"abc"[..], 3, "the body").unwrap(), b"abc");
/// let err = read_capped(&b"abcd"[..], 3, "the body").unwrap_err();
/// assert_eq!(err.to_string(), "the body is larger than 3 bytes, the most modelgate reads");
/// ```
pub fn read_capped(reader: impl Read, cap: u64, what: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(io::Error::other(format!(
            "{what} is larger than {}, the most modelgate reads",
            size(cap)
        )));
    }
    Ok(bytes)
}

/// The UTF-8 text of the file at `path`, read with [`read_capped`] (`what`: "the file").
pub fn read_file_capped(path: &Path, cap: u64) -> io::Result<String> {
    let bytes = read_capped(std::fs::File::open(path)?, cap, "the file")?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
