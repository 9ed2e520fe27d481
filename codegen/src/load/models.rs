//! A provider's models: documented entries (with their sources, notes, pricing and
//! endpoints) and listed ones (their kind from their own or their family's), each ID
//! claimed once.

use super::{FileCtx, Loader};
use crate::catalog::{Endpoint, Model, Status};
use crate::error::Location;
use crate::ident;
use crate::openapi::OpenApiDoc;
use crate::spec_file::{Family, ListedEntry, ModelEntry, Pricing, ProviderFile};
use modelgate_io::pointer::escape;

impl Loader<'_> {
    /// Records a model ID, refusing duplicates and IDs that collide as Rust names.
    fn claim_id(&mut self, id: &str, at: Location) {
        if let Some(first) = self.ids.get(id) {
            let message = format!("duplicate model ID; it is first defined at {first}");
            self.problems.push(at, Some(id), Some("id"), message);
            return;
        }
        let variant = ident::variant_name(id);
        if let Some(other) = self.idents.get(&variant) {
            let message = format!(
                "model ID maps to the Rust name `{variant}`, as `{other}` does; rename one"
            );
            self.problems
                .push(at.clone(), Some(id), Some("id"), message);
        }
        if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
            self.problems.push(
                at.clone(),
                Some(id),
                Some("id"),
                "a model ID must be non-empty and hold no spaces",
            );
        }
        self.idents.insert(variant, id.to_string());
        self.ids.insert(id.to_string(), at);
    }

    pub(super) fn documented(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        doc: &OpenApiDoc,
        endpoints: &[Endpoint],
        i: usize,
        m: &ModelEntry,
    ) -> Option<Model> {
        let base = format!("/models/{i}");
        let id = m.id.as_str();
        self.claim_id(id, cx.at(&format!("{base}/id")));
        self.check_source_at(&m.source, cx.at(&format!("{base}/source")), Some(id));
        for (j, s) in m.also_sources.iter().enumerate() {
            self.check_source_at(s, cx.at(&format!("{base}/also_sources/{j}")), Some(id));
        }
        for (j, n) in m.notes.iter().enumerate() {
            self.check_note_ref(n, cx.at(&format!("{base}/notes/{j}")), Some(id));
        }
        if let Some(p) = &m.pricing {
            self.check_pricing(p, cx.at(&format!("{base}/pricing")), id);
        }
        if let Some(s) = &m.not_listed {
            self.check_not_listed(s, cx.at(&format!("{base}/not_listed")), id);
        }
        if m.endpoints.is_empty() {
            self.problems.push(
                cx.at(&base),
                Some(id),
                Some("endpoints"),
                "a documented model needs at least one endpoint",
            );
        }
        if m.profile.is_some() && !m.profiles.is_empty() {
            self.problems.push(
                cx.at(&base),
                Some(id),
                Some("profiles"),
                "give either `profile` or `profiles`, not both",
            );
        }
        for key in m.profiles.keys() {
            if !m.endpoints.contains(key) {
                self.problems.push(
                    cx.at(&format!("{base}/profiles/{}", escape(key))),
                    Some(id),
                    Some("profiles"),
                    format!(
                        "`{key}` is not one of this model's endpoints ({})",
                        m.endpoints.join(", ")
                    ),
                );
            }
        }
        let mut requests = Vec::new();
        for (j, key) in m.endpoints.iter().enumerate() {
            let at = cx.at(&format!("{base}/endpoints/{j}"));
            let Some(endpoint) = endpoints.iter().find(|e| &e.key == key) else {
                let known: Vec<&str> = endpoints.iter().map(|e| e.key.as_str()).collect();
                self.problems.push(
                    at,
                    Some(id),
                    Some("endpoints"),
                    format!(
                        "unknown endpoint `{key}` (provider {} has: {})",
                        def.provider,
                        known.join(", ")
                    ),
                );
                continue;
            };
            if !endpoint.kind.serves(m.kind) {
                self.problems.push(
                    at.clone(),
                    Some(id),
                    Some("endpoints"),
                    format!(
                        "a {} model cannot be served by `{key}`, a {} endpoint",
                        m.kind.as_str(),
                        endpoint.kind.as_str()
                    ),
                );
            }
            if let Some(request) = self.request(cx, def, doc, endpoint, &base, m) {
                requests.push(request);
            }
        }
        Some(Model {
            id: Some(m.id.clone()),
            name: m.name.clone().unwrap_or_else(|| m.id.clone()),
            vendor: m.vendor.clone(),
            kind: Some(m.kind),
            status: Status::Documented,
            owned_by: None,
            not_listed: m.not_listed.clone(),
            description: m
                .description
                .as_ref()
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" ")),
            context_window: m.context_window.clone(),
            pricing: m.pricing.clone(),
            source: m.source.clone(),
            also_sources: m.also_sources.clone(),
            notes: m.notes.clone(),
            endpoints: m.endpoints.clone(),
            requests,
        })
    }

    fn check_pricing(&mut self, p: &Pricing, at: Location, id: &str) {
        let per_token = p.input_per_million.is_some() || p.output_per_million.is_some();
        let complete = (p.input_per_million.is_some() && p.output_per_million.is_some())
            != p.per_request.is_some();
        if !complete || (per_token && p.per_request.is_some()) {
            self.problems.push(
                at.clone(),
                Some(id),
                Some("pricing"),
                "give either input_per_million and output_per_million, or per_request",
            );
        }
        for v in [p.input_per_million, p.output_per_million, p.per_request]
            .into_iter()
            .flatten()
        {
            if v.is_nan() || v < 0.0 {
                self.problems.push(
                    at.clone(),
                    Some(id),
                    Some("pricing"),
                    format!("price {v} must not be negative"),
                );
            }
        }
    }

    pub(super) fn listed(
        &mut self,
        cx: &FileCtx,
        def: &ProviderFile,
        endpoints: &[Endpoint],
        i: usize,
        l: &ListedEntry,
    ) -> Option<Model> {
        let base = format!("/listed/{i}");
        let Some(label) = l.id.as_deref().or(l.name.as_deref()) else {
            self.problems.push(
                cx.at(&base),
                None,
                Some("name"),
                "a listed model needs a name or an ID",
            );
            return None;
        };
        if let Some(id) = &l.id {
            self.claim_id(id, cx.at(&format!("{base}/id")));
        }
        self.check_source_at(&l.source, cx.at(&format!("{base}/source")), Some(label));
        if let Some(s) = &l.id_source {
            self.check_source_at(s, cx.at(&format!("{base}/id_source")), Some(label));
        }
        if let Some(n) = &l.note {
            self.check_note_ref(n, cx.at(&format!("{base}/note")), Some(label));
        }
        if let Some(s) = &l.not_listed {
            if l.id.is_none() {
                self.problems.push(
                    cx.at(&format!("{base}/not_listed")),
                    Some(label),
                    Some("not_listed"),
                    "only a model with an ID can be missing from a model list",
                );
            }
            self.check_not_listed(s, cx.at(&format!("{base}/not_listed")), label);
        }
        // Without a kind of its own, the kind of its ID's family (the longest prefix).
        let family = match (l.kind, &l.id) {
            (None, Some(id)) => Family::of(&def.families, id),
            _ => None,
        };
        let kind = l.kind.or(family.map(|f| f.kind));
        // Every endpoint of the provider that serves its kind: nothing narrows a listed
        // model to one of them.
        let served: Vec<String> = kind
            .map(|kind| {
                endpoints
                    .iter()
                    .filter(|e| e.kind.serves(kind))
                    .map(|e| e.key.clone())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(kind) = l.kind
            && served.is_empty()
        {
            self.problems.push(
                cx.at(&format!("{base}/kind")),
                Some(label),
                Some("kind"),
                format!(
                    "provider {} has no endpoint that serves {} models",
                    def.provider,
                    kind.as_str()
                ),
            );
        }
        Some(Model {
            id: l.id.clone(),
            name: l.name.clone().unwrap_or_else(|| label.to_string()),
            vendor: l.vendor.clone(),
            kind,
            status: Status::Listed,
            owned_by: l.owned_by.clone(),
            not_listed: l.not_listed.clone(),
            description: None,
            context_window: None,
            pricing: None,
            source: l.source.clone(),
            also_sources: l
                .id_source
                .iter()
                .chain(family.map(|f| &f.source))
                .cloned()
                .collect(),
            notes: l
                .note
                .iter()
                .chain(family.map(|f| &f.note))
                .cloned()
                .collect(),
            endpoints: served,
            requests: Vec::new(),
        })
    }
}
