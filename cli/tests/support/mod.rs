//! What the CLI's test binaries share: the `modelgate` binary with an environment that
//! the developer's own keys, base URLs or offline switch cannot change.

#![allow(dead_code)] // each test binary uses part of this

use std::process::Command;

/// The variables that would point a run at another gateway or at the emulator.
const GATEWAY_VARIABLES: &[&str] = &[
    "VERTEXKEY_API_KEY",
    "VTRIX_API_KEY",
    "VERTEXKEY_BASE_URL",
    "VTRIX_BASE_URL",
    "MODELGATE_OFFLINE",
];

/// The `modelgate` binary, its environment cleared of [`GATEWAY_VARIABLES`].
pub fn modelgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modelgate"));
    for var in GATEWAY_VARIABLES {
        c.env_remove(var);
    }
    c
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
