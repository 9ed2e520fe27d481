//! A provider's model families (ID prefixes that give listed models their kind): each
//! checked against the provider's endpoints and the models it covers.

use super::{FileCtx, Loader};
use crate::catalog::{Endpoint, Model};
use crate::spec_file::{Kind, ProviderFile};

impl Loader<'_> {
    /// A family needs a prefix, a known source and note, an endpoint that serves its kind,
    /// and no model of another kind among its members (else it would not be certain).
    pub(super) fn families(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        endpoints: &[Endpoint],
        models: &[Model],
    ) {
        for (i, f) in def.families.iter().enumerate() {
            let base = format!("/families/{i}");
            // Errors point at the family's line; it is no model, so none is named.
            let label = None;
            self.check_source_at(&f.source, cx.at(&format!("{base}/source")), label);
            self.check_note_ref(&f.note, cx.at(&format!("{base}/note")), label);
            if let Some(complete) = &f.complete {
                self.check_source_at(complete, cx.at(&format!("{base}/complete")), label);
            }
            if f.prefix.is_empty() || f.prefix.chars().any(char::is_whitespace) {
                self.problems.push(
                    cx.at(&format!("{base}/prefix")),
                    None,
                    Some("prefix"),
                    "a family's prefix must be non-empty and hold no spaces",
                );
            }
            if !endpoints.iter().any(|e| e.kind.serves(f.kind)) {
                self.problems.push(
                    cx.at(&format!("{base}/kind")),
                    label,
                    Some("kind"),
                    format!(
                        "family `{}`: provider {} has no endpoint that serves {} models",
                        f.prefix,
                        def.provider,
                        f.kind.as_str()
                    ),
                );
            }
            let other: Vec<String> = models
                .iter()
                .filter(|m| {
                    m.id.as_deref().is_some_and(|id| id.starts_with(&f.prefix))
                        && m.kind.is_some_and(|k| k != f.kind)
                })
                .map(|m| {
                    format!(
                        "{} ({})",
                        m.id.as_deref().unwrap_or_default(),
                        m.kind.map_or("?", Kind::as_str)
                    )
                })
                .collect();
            if !other.is_empty() {
                self.problems.push(
                    cx.at(&format!("{base}/kind")),
                    label,
                    Some("kind"),
                    format!(
                        "family `{}` is said to be {}, but {} {} not: a family's kind must hold for every model in it",
                        f.prefix,
                        f.kind.as_str(),
                        other.join(", "),
                        if other.len() == 1 { "is" } else { "are" }
                    ),
                );
            }
        }
    }
}
