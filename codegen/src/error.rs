//! Errors of the generator. A broken catalog yields [`Error::Catalog`] with every problem
//! found, each naming its file, line, model and field, so that one run shows them all.

use std::path::PathBuf;

pub use modelgate_catalog_file::read::{CatalogError, Location};

/// Everything that can go wrong while loading the catalog or generating from it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {source} (hint: is the catalog directory right? it must hold catalog.yaml)", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The catalog has problems; all of them are listed.
    #[error("{}", render_catalog_errors(.0))]
    Catalog(Vec<CatalogError>),
    /// progenitor refused the (normalised) OpenAPI document.
    #[error("progenitor could not generate the {provider} client from {}: {message} (hint: see public-facts section 8 for what progenitor 0.15 accepts)", path.display())]
    Client {
        /// The provider key.
        provider: String,
        /// Its OpenAPI document.
        path: PathBuf,
        /// progenitor's message.
        message: String,
    },
    /// Generated Rust did not parse (a bug in the generator).
    #[error(
        "generated code for {file} does not parse: {message} (this is a modelgate-codegen bug)"
    )]
    GeneratedCode {
        /// The output file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// An output file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Error {
    /// The catalog problems, if this is [`Error::Catalog`].
    pub fn catalog_errors(&self) -> &[CatalogError] {
        match self {
            Error::Catalog(errors) => errors,
            _ => &[],
        }
    }
}

fn render_catalog_errors(errors: &[CatalogError]) -> String {
    let mut out = match errors.len() {
        1 => "the catalog has 1 error:".to_string(),
        n => format!("the catalog has {n} errors:"),
    };
    for e in errors {
        out.push_str("\n  ");
        out.push_str(&e.to_string());
    }
    out
}

/// Collects catalog problems while loading goes on.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    errors: Vec<CatalogError>,
}

impl Problems {
    pub(crate) fn push(
        &mut self,
        location: Location,
        model: Option<&str>,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        self.errors.push(CatalogError {
            location,
            model: model.map(str::to_string),
            field: field.map(str::to_string),
            message: message.into(),
        });
    }

    /// The value of `result`, or `None` with its error kept.
    pub(crate) fn take<T>(&mut self, result: Result<T, CatalogError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e)).ok()
    }

    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Ok(value)` when nothing was found, else every problem, sorted by place.
    pub(crate) fn finish<T>(mut self, value: T) -> Result<T, Error> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            self.errors.sort();
            self.errors.dedup();
            Err(Error::Catalog(self.errors))
        }
    }
}
