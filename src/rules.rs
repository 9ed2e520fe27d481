//! The rule trees the validator walks: the types of the `modelgate-rules` crate, shared
//! with the generator (`Node`, `ObjectNode`, `Property`, ...), and [`Source`], the
//! catalog tables' citation of a source document.

pub use modelgate_rules::*;

/// Where a fact of the catalog tables comes from: a source document and a section of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    /// Short name of the document (`seed-000`, `public-facts`).
    pub document: &'static str,
    /// The section in it.
    pub section: &'static str,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, {}", self.document, self.section)
    }
}
