//! Not published, no code: a member of the workspace that depends on `modelgate` with the
//! `codegen` feature. Cargo unifies features over the packages a command builds, so every
//! build that includes this member (`cargo build` and `cargo test` at the root, anything
//! with `--workspace`) generates the catalog's code from `spec/` in build.rs; a build of
//! one published package alone (`-p modelgate-cli`), like any dependent's, compiles the
//! committed `generated/` copies instead.
