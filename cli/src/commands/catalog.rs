//! `modelgate catalog update`: reads a gateway's model list (`GET /v1/models`), writes the
//! difference into the catalog as an edit of `spec/` (new IDs become `listed` entries,
//! IDs no longer listed get a `not_listed` mark, the list itself becomes a `remote_list`
//! source), then refreshes `generated/` the way `cargo codegen` does, by running the
//! generator as a program (the `modelgate` binary does not link it).
//!
//! Nothing is written unless the whole change is known: a network error, a refused key
//! or a malformed list stops the command before any file is touched, and an edit that
//! would leave a catalog the loader refuses is undone.
//!
//! The options are defined here, in every build; the command itself is in `update`
//! (feature `catalog`).

use std::path::PathBuf;

#[cfg(feature = "catalog")]
mod generator;
#[cfg(feature = "catalog")]
mod update;
#[cfg(feature = "catalog")]
pub use update::{UpdateError, update};

/// `modelgate catalog`: keep the catalog in step with the gateways.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: CatalogCommand,
}

/// The `catalog` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// Read each gateway's model list and write the difference into the catalog:
    /// new IDs become `listed` entries, IDs no longer listed are marked `not_listed`,
    /// then generated/ is refreshed. Exits 0 when done; with --dry-run, 1 when the
    /// catalog differs from the lists; 2 when a list cannot be read (nothing is written).
    Update(UpdateArgs),
}

/// `modelgate catalog update`.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The catalog: the directory holding `catalog.yaml`.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    pub spec: PathBuf,
    /// The reviewable copy of the generated code to refresh (default: `generated`
    /// next to the catalog directory).
    #[arg(long, value_name = "DIR")]
    pub generated: Option<PathBuf>,
    /// The generator to run (`modelgate-codegen`), which checks the edited catalog and
    /// refreshes generated/. Default: `cargo run -p modelgate-codegen` when the catalog is
    /// in modelgate's workspace, else `modelgate-codegen` on the PATH.
    #[arg(long, value_name = "PROGRAM", env = "MODELGATE_CODEGEN")]
    pub codegen: Option<PathBuf>,
    /// Write nothing: print the change as a diff, and exit 1 when there is one (0 when
    /// the catalog agrees with the lists). For a scheduled CI job.
    #[arg(long)]
    pub dry_run: bool,
    /// Print what was found and done as one JSON object (providers with the IDs added,
    /// marked, still not listed and listed again; with --dry-run the diff; the files
    /// written and refreshed) instead of text.
    #[arg(long)]
    pub json: bool,
}
