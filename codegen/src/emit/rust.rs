//! Emits `catalog.rs`: the `Provider`, `Endpoint` and `ModelId` enums and the model
//! metadata table. The rules are data, not code: each endpoint's base tree is a JSON file
//! (`rules/PROVIDER.ENDPOINT.json`, [`base_rules_file`]) that `catalog.rs` includes, and
//! each model's request holds only what it differs by (its profile, by name, its own
//! constraints and, for Vtrix media models, its parameters object), as JSON text the
//! library resolves with `modelgate_rules::resolve` the first time the model is used.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::catalog::{Catalog, Endpoint, Model, Provider, Status};
use crate::ident;
use crate::spec_file::{Kind, SourceKind, SourceRef};

/// The file name of a model's JSON Schema on an endpoint, below `schemas/`.
pub fn schema_file_name(model_id: &str, endpoint: &str) -> String {
    format!("{}.{endpoint}.json", ident::file_stem(model_id))
}

/// The file of an endpoint's base rule tree (its format's rules, before any model's),
/// relative to the output directory.
pub fn base_rules_file(provider: &str, endpoint: &str) -> String {
    format!("rules/{provider}.{endpoint}.json")
}

/// The generated `catalog.rs`, as tokens.
pub fn catalog_tokens(catalog: &Catalog) -> TokenStream {
    let providers = providers(catalog);
    let endpoints = endpoints(catalog);
    let profiles = profiles(catalog);
    let models = models(catalog);
    let sources = sources(catalog);
    let families = families(catalog);
    let identity = super::client::providers_identity(catalog);
    quote! {
        /// The providers modelgate-api's clients must have been generated for (see
        /// `modelgate_api::PROVIDERS`).
        pub const CLIENT_PROVIDERS: &str = #identity;
        #providers
        #endpoints
        #profiles
        #models
        #sources
        #families
    }
}

/// `FAMILIES`: the ID families of every provider (an ID prefix whose models the sources
/// give one kind), so that an ID the catalog lacks can still be told a gateway and a kind.
fn families(catalog: &Catalog) -> TokenStream {
    let mut infos = Vec::new();
    for p in &catalog.providers {
        let provider = provider_variant(p);
        for f in &p.families {
            let prefix = &f.prefix;
            let kind = kind(f.kind);
            let src = source(&f.source);
            let complete = option(f.complete.as_ref().map(source));
            infos.push(quote! {
                crate::catalog::FamilyInfo {
                    prefix: #prefix,
                    provider: Provider::#provider,
                    kind: #kind,
                    source: #src,
                    complete: #complete,
                }
            });
        }
    }
    let count = infos.len();
    quote! {
        /// Every ID family of the catalog's providers.
        pub static FAMILIES: [crate::catalog::FamilyInfo; #count] = [#(#infos),*];
    }
}

/// Compact JSON text of a serializable value (the rules' data in `catalog.rs`).
fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("rule data serializes")
}

fn profile_const(p: &Provider, name: &str) -> proc_macro2::Ident {
    format_ident!(
        "PROFILE_{}__{}",
        ident::const_name(&p.key),
        ident::const_name(name)
    )
}

/// One constant per profile: its constraints and source, as JSON.
fn profiles(catalog: &Catalog) -> TokenStream {
    let items = catalog.providers.iter().flat_map(|p| {
        p.profiles.iter().map(move |(name, layer)| {
            let konst = profile_const(p, name);
            let text = json_text(layer);
            let doc = format!(
                "Profile `{name}` of {}: its constraints and source, as JSON.",
                p.name
            );
            quote! {
                #[doc = #doc]
                const #konst: &str = #text;
            }
        })
    });
    quote! { #(#items)* }
}

fn provider_variant(p: &Provider) -> proc_macro2::Ident {
    format_ident!("{}", ident::variant_name(&p.name))
}

fn endpoint_variant(p: &Provider, e: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}", ident::variant_name(&format!("{}-{}", p.name, e.key)))
}

fn source(s: &SourceRef) -> TokenStream {
    let (doc, section) = (&s.doc, &s.section);
    quote! { crate::rules::Source { document: #doc, section: #section } }
}

fn option<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    }
}

fn f64_lit(v: f64) -> Literal {
    Literal::f64_suffixed(v)
}

fn kind(k: Kind) -> TokenStream {
    match k {
        Kind::Chat => quote! { crate::catalog::ModelKind::Chat },
        Kind::Image => quote! { crate::catalog::ModelKind::Image },
        Kind::Video => quote! { crate::catalog::ModelKind::Video },
        Kind::Media => quote! { crate::catalog::ModelKind::Media },
    }
}

/// `SOURCES`: every source document of the catalog, by key, so that a model's source
/// says what kind of document it is (a gateway's docs, a format, a model list read on a
/// day) and where to find it.
fn sources(catalog: &Catalog) -> TokenStream {
    let count = catalog.sources.len();
    let infos = catalog.sources.iter().map(|(key, d)| {
        let title = &d.title;
        let kind = match d.kind {
            SourceKind::Gateway => quote! { crate::catalog::SourceKind::Gateway },
            SourceKind::Format => quote! { crate::catalog::SourceKind::Format },
            SourceKind::RemoteList => quote! { crate::catalog::SourceKind::RemoteList },
        };
        let file = option(d.file.as_deref());
        let url = option(d.url.as_deref());
        let read = option(d.read.as_deref());
        quote! {
            crate::catalog::SourceInfo {
                key: #key,
                title: #title,
                kind: #kind,
                file: #file,
                url: #url,
                read: #read,
            }
        }
    });
    quote! {
        /// Every source document the catalog cites, by key (sorted).
        pub static SOURCES: [crate::catalog::SourceInfo; #count] = [#(#infos),*];
    }
}

fn providers(catalog: &Catalog) -> TokenStream {
    let variants: Vec<_> = catalog.providers.iter().map(provider_variant).collect();
    let docs: Vec<String> = catalog
        .providers
        .iter()
        .map(|p| {
            format!(
                "{} (<{}>); source: `{}`, section \"{}\".",
                p.name, p.base_url, p.source.doc, p.source.section
            )
        })
        .collect();
    let indices = 0..catalog.providers.len();
    let count = catalog.providers.len();
    let infos = catalog.providers.iter().map(|p| {
        let (key, name, base_url) = (&p.key, &p.name, &p.base_url);
        let aliases = &p.base_url_aliases;
        let src = source(&p.source);
        let cache = option(p.cache_pricing.as_ref().map(|c| {
            let (r, w) = (f64_lit(c.read_multiplier), f64_lit(c.write_multiplier));
            quote! { crate::catalog::CachePricing { read_multiplier: #r, write_multiplier: #w } }
        }));
        quote! {
            crate::catalog::ProviderInfo {
                key: #key,
                name: #name,
                base_url: #base_url,
                base_url_aliases: &[#(#aliases),*],
                cache_pricing: #cache,
                source: #src,
            }
        }
    });
    quote! {
        /// A gateway in the catalog.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Provider {
            #( #[doc = #docs] #variants, )*
        }

        impl Provider {
            /// Every provider, in catalog order.
            pub const ALL: &'static [Provider] = &[#(Provider::#variants),*];

            /// The provider's catalog entry.
            pub const fn info(self) -> &'static crate::catalog::ProviderInfo {
                match self {
                    #( Provider::#variants => &PROVIDERS[#indices], )*
                }
            }
        }

        static PROVIDERS: [crate::catalog::ProviderInfo; #count] = [#(#infos),*];
    }
}

fn endpoints(catalog: &Catalog) -> TokenStream {
    let mut variants = Vec::new();
    let mut docs = Vec::new();
    let mut infos = Vec::new();
    let mut by_operation = Vec::new();
    for p in &catalog.providers {
        for e in &p.endpoints {
            let variant = endpoint_variant(p, e);
            let key = format!("{}.{}", p.key, e.key);
            docs.push(format!("`{key}`: {} <{}{}>", e.method, p.base_url, e.path));
            let pv = provider_variant(p);
            let (name, method, path, op) = (&e.key, &e.method, &e.path, &e.operation_id);
            let kind = kind(e.kind);
            let base = format!("/{}", base_rules_file(&p.key, &e.key));
            let parameters_at = option(e.parameters_at.as_deref());
            let billed = option(e.billed_on_submit.as_ref().map(source));
            let snake = ident::snake_name(op);
            by_operation
                .push(quote! { (Provider::#pv, #op | #snake) => Some(Endpoint::#variant), });
            infos.push(quote! {
                crate::catalog::EndpointInfo {
                    key: #key,
                    name: #name,
                    provider: Provider::#pv,
                    method: #method,
                    path: #path,
                    operation_id: #op,
                    kind: #kind,
                    billed_on_submit: #billed,
                    parameters_at: #parameters_at,
                    base_json: include_str!(concat!(env!("OUT_DIR"), #base)),
                    base: std::sync::OnceLock::new(),
                    generic: std::sync::OnceLock::new(),
                }
            });
            variants.push(variant);
        }
    }
    let indices = 0..variants.len();
    let count = variants.len();
    quote! {
        /// An endpoint whose request body the catalog constrains.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Endpoint {
            #( #[doc = #docs] #variants, )*
        }

        impl Endpoint {
            /// Every endpoint, in catalog order.
            pub const ALL: &'static [Endpoint] = &[#(Endpoint::#variants),*];

            /// The endpoint's catalog entry.
            pub const fn info(self) -> &'static crate::catalog::EndpointInfo {
                match self {
                    #( Endpoint::#variants => &ENDPOINTS[#indices], )*
                }
            }

            /// A provider's endpoint by its OpenAPI operationId (`createImage`) or the
            /// snake_case name the generated clients use (`create_image`).
            pub fn by_operation(provider: Provider, operation_id: &str) -> Option<Endpoint> {
                match (provider, operation_id) {
                    #(#by_operation)*
                    _ => None,
                }
            }
        }

        static ENDPOINTS: [crate::catalog::EndpointInfo; #count] = [#(#infos),*];
    }
}

fn models(catalog: &Catalog) -> TokenStream {
    let mut variants = Vec::new();
    let mut variant_docs = Vec::new();
    let mut variant_ids = Vec::new();
    let mut variant_indices = Vec::new();
    let mut infos = Vec::new();
    let mut slots = 0usize;
    for (index, (p, m)) in catalog.models().enumerate() {
        infos.push(model_info(p, m, &mut slots));
        if let Some(id) = &m.id {
            variants.push(format_ident!("{}", ident::variant_name(id)));
            variant_docs.push(model_doc(catalog, p, m, id));
            variant_ids.push(id.clone());
            variant_indices.push(index);
        }
    }
    let count = infos.len();
    quote! {
        /// Every model in the catalog that has an ID. Each variant's documentation gives
        /// what the catalog holds for it: provider, kind, status, limits, price and source.
        ///
        /// ```
        /// use modelgate::catalog::{ModelId, ModelStatus, Provider};
        ///
        /// let haiku: ModelId = "vtrix-claude-3-haiku".parse().unwrap();
        /// assert_eq!(haiku, ModelId::VtrixClaude3Haiku);
        /// assert_eq!(haiku.as_str(), "vtrix-claude-3-haiku");
        /// assert_eq!(haiku.info().provider, Provider::Vtrix);
        /// assert_eq!(haiku.info().status, ModelStatus::Documented);
        /// assert_eq!(haiku.info().max_output_tokens, Some(4096));
        /// // A typo gets a suggestion.
        /// let err = "vtrix-claude-3-haiky".parse::<ModelId>().unwrap_err();
        /// assert_eq!(err.suggestion, Some("vtrix-claude-3-haiku"));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ModelId {
            #( #(#[doc = #variant_docs])* #variants, )*
        }

        impl ModelId {
            /// Every model ID, in catalog order.
            pub const ALL: &'static [ModelId] = &[#(ModelId::#variants),*];

            /// The ID as sent in requests.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #( ModelId::#variants => #variant_ids, )*
                }
            }

            /// The model's catalog entry.
            pub const fn info(self) -> &'static crate::catalog::ModelInfo {
                match self {
                    #( ModelId::#variants => &MODELS[#variant_indices], )*
                }
            }

            /// The model with this exact ID.
            pub fn from_id(id: &str) -> Option<ModelId> {
                match id {
                    #( #variant_ids => Some(ModelId::#variants), )*
                    _ => None,
                }
            }
        }

        /// Every model in the catalog: documented ones, then listed ones, per provider.
        pub static MODELS: [crate::catalog::ModelInfo; #count] = [#(#infos),*];

        /// Each request's resolved rules, by [`crate::catalog::RequestSchema::slot`],
        /// made the first time the validator needs them.
        static REQUEST_RULES: [std::sync::OnceLock<crate::rules::ObjectNode>; #slots] =
            [const { std::sync::OnceLock::new() }; #slots];
    }
}

/// The doc comment of a `ModelId` variant, one string per line: name, ID, provider, kind
/// and status; the limits, price and source the catalog holds for it. Every figure is the
/// catalog's own (with the source's unit), never derived.
pub fn model_doc(catalog: &Catalog, p: &Provider, m: &Model, id: &str) -> Vec<String> {
    let mut lines = vec![format!(
        " {} (`{id}`): {} {} model, {}.",
        m.name,
        p.name,
        m.kind.map_or("(kind unknown)", Kind::as_str),
        m.status.as_str()
    )];
    lines.push(String::new());
    let mut limits = Vec::new();
    if let Some(c) = &m.context_window {
        limits.push(format!(
            "context window {} tokens (\"{}\")",
            c.tokens, c.quote
        ));
    }
    if let Some(max) = m.max_output_tokens() {
        limits.push(format!("`max_tokens` at most {max}"));
    }
    if let Some(size) = m.fixed_size() {
        limits.push(format!("`size` always `{size}`"));
    }
    lines.push(match (limits.is_empty(), m.status) {
        (false, _) => format!(" Limits: {}.", limits.join("; ")),
        (true, Status::Listed) => {
            " Limits: none documented (a listed model: only the endpoint's envelope is checked)."
                .into()
        }
        (true, Status::Documented) => {
            " Limits: none documented beyond its parameters (see `generated/MODELS.md`).".into()
        }
    });
    lines.push(match &m.pricing {
        Some(pr) => match (pr.per_request, pr.input_per_million, pr.output_per_million) {
            (Some(price), _, _) => format!(" Price: {price} {} per request.", pr.currency),
            (None, Some(i), Some(o)) => format!(
                " Price: {i} {c} per 1M input tokens, {o} {c} per 1M output tokens.",
                c = pr.currency
            ),
            _ => " Price: not given by the sources.".into(),
        },
        None => " Price: not given by the sources.".into(),
    });
    lines.push(format!(" Source: {}.", cited(catalog, &m.source)));
    for also in &m.also_sources {
        lines.push(format!(" Also: {}.", cited(catalog, also)));
    }
    if let Some(gone) = &m.not_listed {
        lines.push(String::new());
        lines.push(format!(
            " **Not listed** by the gateway's model list: {} (the entry and its facts are kept; the validator warns).",
            cited(catalog, gone)
        ));
    }
    lines
}

/// A source as docs cite it: `` `key` (title, <url>), section "…" ``; a model list gives
/// its URL, the day it was read is in its title.
fn cited(catalog: &Catalog, s: &SourceRef) -> String {
    let about = catalog
        .sources
        .get(&s.doc)
        .map(|d| match (d.kind, &d.url) {
            (SourceKind::RemoteList, Some(url)) => format!(" ({}, <{url}>)", d.title),
            _ => format!(" ({})", d.title),
        })
        .unwrap_or_default();
    format!("`{}`{about}, section \"{}\"", s.doc, s.section)
}

/// `next_slot`: the next free index of `REQUEST_RULES`, where each request's resolved
/// tree is kept once made.
fn model_info(p: &Provider, m: &Model, next_slot: &mut usize) -> TokenStream {
    let id = option(m.id.as_deref());
    let name = &m.name;
    let provider = provider_variant(p);
    let vendor = option(m.vendor.as_deref());
    let owned_by = option(m.owned_by.as_deref());
    let kind = option(m.kind.map(kind));
    let not_listed = option(m.not_listed.as_ref().map(source));
    let also_sources = m.also_sources.iter().map(source);
    let status = match m.status {
        Status::Documented => quote! { crate::catalog::ModelStatus::Documented },
        Status::Listed => quote! { crate::catalog::ModelStatus::Listed },
    };
    let description = option(m.description.as_deref());
    let context = option(m.context_window.as_ref().map(|c| c.tokens));
    let max_output = option(m.max_output_tokens().map(|v| v as u64));
    let fixed_size = option(m.fixed_size());
    let pricing = option(m.pricing.as_ref().map(|pr| {
        let currency = &pr.currency;
        match pr.per_request {
            Some(price) => {
                let price = f64_lit(price);
                quote! { crate::catalog::Pricing::PerRequest { currency: #currency, price: #price } }
            }
            None => {
                let input = f64_lit(pr.input_per_million.unwrap_or_default());
                let output = f64_lit(pr.output_per_million.unwrap_or_default());
                quote! {
                    crate::catalog::Pricing::PerToken {
                        currency: #currency,
                        input_per_million: #input,
                        output_per_million: #output,
                    }
                }
            }
        }
    }));
    let endpoint_variants: Vec<_> = m
        .endpoints
        .iter()
        .filter_map(|k| p.endpoints.iter().find(|e| &e.key == k))
        .map(|e| endpoint_variant(p, e))
        .collect();
    let requests = m.requests.iter().map(|r| {
        let e = p
            .endpoints
            .iter()
            .find(|e| e.key == r.endpoint)
            .expect("checked by load");
        let ev = endpoint_variant(p, e);
        let profile = option(r.profile.as_deref().map(|name| profile_const(p, name)));
        let own = json_text(&r.own);
        let params = option(r.params.as_ref().map(|(_, shape)| json_text(shape)));
        let slot = *next_slot;
        *next_slot += 1;
        quote! {
            crate::catalog::RequestSchema {
                endpoint: Endpoint::#ev,
                profile: #profile,
                own: #own,
                params: #params,
                slot: #slot,
            }
        }
    });
    let src = source(&m.source);
    let notes = &m.notes;
    quote! {
        crate::catalog::ModelInfo {
            id: #id,
            name: #name,
            provider: Provider::#provider,
            vendor: #vendor,
            owned_by: #owned_by,
            kind: #kind,
            status: #status,
            not_listed: #not_listed,
            description: #description,
            context_window: #context,
            max_output_tokens: #max_output,
            pricing: #pricing,
            fixed_size: #fixed_size,
            endpoints: &[#(Endpoint::#endpoint_variants),*],
            requests: &[#(#requests),*],
            source: #src,
            also_sources: &[#(#also_sources),*],
            notes: &[#(#notes),*],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_id_variant_is_documented_with_its_source() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let catalog = crate::load_catalog(spec).unwrap();
        let text = super::super::rust_file("catalog.rs", catalog_tokens(&catalog)).unwrap();
        let start = text.find("pub enum ModelId {").unwrap();
        let body = &text[start..start + text[start..].find("\n}\n").unwrap()];
        let mut doc: Vec<&str> = Vec::new();
        let mut variants = 0;
        for line in body.lines().skip(1).map(str::trim) {
            if let Some(d) = line.strip_prefix("///") {
                doc.push(d);
                continue;
            }
            let variant = line.trim_end_matches(',');
            let (p, m) = catalog
                .models()
                .find(|(_, m)| m.id.as_deref().map(ident::variant_name).as_deref() == Some(variant))
                .unwrap_or_else(|| panic!("{variant} is not a catalog model"));
            let id = m.id.as_deref().unwrap();
            let doc_text = doc.join("\n");
            for expected in [
                format!("(`{id}`): {} ", p.name),
                format!("Source: `{}`", m.source.doc),
                format!("section \"{}\"", m.source.section),
                "Limits: ".to_string(),
                "Price: ".to_string(),
            ] {
                assert!(
                    doc_text.contains(&expected),
                    "{variant}: `{expected}` missing from:\n{doc_text}"
                );
            }
            doc.clear();
            variants += 1;
        }
        let with_id = catalog.models().filter(|(_, m)| m.id.is_some()).count();
        assert_eq!(variants, with_id);
    }

    #[test]
    fn model_docs_give_the_catalogs_prices_and_limits_with_units() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let catalog = crate::load_catalog(spec).unwrap();
        let doc = |id: &str| {
            let (p, m) = catalog
                .models()
                .find(|(_, m)| m.id.as_deref() == Some(id))
                .unwrap();
            model_doc(&catalog, p, m, id).join("\n")
        };
        let haiku = doc("vtrix-claude-3-haiku");
        assert!(
            haiku.contains("Limits: `max_tokens` at most 4096."),
            "{haiku}"
        );
        assert!(
            haiku.contains("Price: not given by the sources."),
            "{haiku}"
        );
        let sonnet = doc("vtrix-claude-sonnet-4.5");
        assert!(
            sonnet.contains("context window 200000 tokens (\"200K context\")"),
            "{sonnet}"
        );
        let image = doc("enterprise/gemini-3-pro-image-preview-1k");
        assert!(image.contains("`size` always `1024x1024`"), "{image}");
        assert!(image.contains(" Cr$ per request."), "{image}");
    }
}
