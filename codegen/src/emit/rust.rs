//! Emits `catalog.rs`: the `Provider`, `Endpoint` and `ModelId` enums, the model metadata
//! table, and every request's constraint tree as static `modelgate::schema` data that
//! the runtime validator walks. Identical sub-trees are emitted once, named after their
//! OpenAPI schema and a hash of their content, so that names stay put when unrelated
//! parts of the catalog change.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::catalog::{Catalog, Endpoint, Model, Provider, Status};
use crate::ident;
use crate::ir::{self, Additional, Basis, Node, ObjectNode, Property, StringNode};
use crate::spec_file::{Kind, SourceKind, SourceRef};

/// The file name of a model's JSON Schema on an endpoint, below `schemas/`.
pub fn schema_file_name(model_id: &str, endpoint: &str) -> String {
    format!("{}.{endpoint}.json", ident::file_stem(model_id))
}

/// The generated `catalog.rs`, as tokens.
pub fn catalog_tokens(catalog: &Catalog) -> TokenStream {
    let mut statics = Statics::default();
    let providers = providers(catalog, &mut statics);
    let endpoints = endpoints(catalog, &mut statics);
    let models = models(catalog, &mut statics);
    let sources = sources(catalog);
    let rule_statics = statics.into_tokens();
    let any_model = format!("/{}", super::json_schema::ANY_MODEL_FILE);
    quote! {
        #providers
        #endpoints
        #models
        #sources
        #rule_statics
        /// One JSON Schema (2020-12) for a request to any model in the catalog on its
        /// default endpoint: what `modelgate validate` checks without `--endpoint`.
        pub const ANY_MODEL_JSON_SCHEMA: &str =
            include_str!(concat!(env!("OUT_DIR"), #any_model));
    }
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

fn providers(catalog: &Catalog, _statics: &mut Statics) -> TokenStream {
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

fn endpoints(catalog: &Catalog, statics: &mut Statics) -> TokenStream {
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
            let static_name = format!(
                "ENDPOINT_{}__{}",
                ident::const_name(&p.key),
                ident::const_name(&e.key)
            );
            // The generic rules serve models the catalog does not document: no parameter
            // is documented for them, so none is singled out as undocumented (the
            // validator says once that only the envelope was checked).
            let mut generic = e.generic.clone();
            generic.mark_documented();
            let generic = statics.object(&generic, Some(&static_name));
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
                    generic: &#generic,
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

fn models(catalog: &Catalog, statics: &mut Statics) -> TokenStream {
    let mut variants = Vec::new();
    let mut variant_docs = Vec::new();
    let mut variant_ids = Vec::new();
    let mut variant_indices = Vec::new();
    let mut infos = Vec::new();
    for (index, (p, m)) in catalog.models().enumerate() {
        infos.push(model_info(p, m, statics));
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

fn model_info(p: &Provider, m: &Model, statics: &mut Statics) -> TokenStream {
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
        let id = m.id.as_deref().unwrap_or_default();
        let name = format!(
            "REQUEST_{}__{}",
            ident::const_name(id),
            ident::const_name(&r.endpoint)
        );
        let rule = statics.object(&r.root, Some(&name));
        // The loader found the envelope with the same walk; a copy keeps it read-only here.
        let parameters = option(e.parameters_at.as_deref().map(|at| {
            let mut root = r.root.clone();
            let object = ir::object_at_mut(&mut root, at).expect("checked by load");
            let params = statics.object(object, None);
            quote! { (#at, &#params) }
        }));
        let file = format!("/schemas/{}", schema_file_name(id, &r.endpoint));
        quote! {
            crate::catalog::RequestSchema {
                endpoint: Endpoint::#ev,
                rule: &#rule,
                parameters: #parameters,
                json_schema: include_str!(concat!(env!("OUT_DIR"), #file)),
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

/// The static items that rule trees are made of, deduplicated by content.
#[derive(Default)]
struct Statics {
    /// Name -> the full item.
    items: BTreeMap<String, TokenStream>,
    /// Rendered type and body -> name.
    by_body: BTreeMap<String, String>,
}

impl Statics {
    fn into_tokens(self) -> TokenStream {
        let items = self.items.into_values();
        quote! { #(#items)* }
    }

    /// Declares `static NAME: TY = BODY;` once per distinct body; returns NAME.
    fn declare(
        &mut self,
        ty: TokenStream,
        body: TokenStream,
        hint: &str,
        fixed_name: Option<&str>,
    ) -> proc_macro2::Ident {
        let key = format!("{ty} = {body}");
        if fixed_name.is_none()
            && let Some(name) = self.by_body.get(&key)
        {
            return format_ident!("{}", name);
        }
        let name = match fixed_name {
            Some(n) => n.to_string(),
            None => format!("{}_{:08X}", ident::const_name(hint), fnv1a(&key) as u32),
        };
        let ident = format_ident!("{}", name);
        self.items
            .insert(name.clone(), quote! { static #ident: #ty = #body; });
        self.by_body.insert(key, name);
        ident
    }

    fn object(&mut self, o: &ObjectNode, fixed_name: Option<&str>) -> proc_macro2::Ident {
        let props: Vec<_> = o.properties.iter().map(|p| self.property(p)).collect();
        let additional = match &o.additional {
            Additional::Forbidden => quote! { crate::rules::Additional::Forbidden },
            Additional::Any => quote! { crate::rules::Additional::Any },
            Additional::Rule(n) => {
                let rule = self.rule(n);
                let name = self.declare(quote! { crate::rules::Rule }, rule, "values", None);
                quote! { crate::rules::Additional::Rule(&#name) }
            }
        };
        let body = quote! {
            crate::rules::ObjectRule {
                properties: &[#(#props),*],
                additional: #additional,
            }
        };
        let hint = match &o.origin {
            Some(origin) => origin.as_str(),
            None => "object",
        };
        self.declare(quote! { crate::rules::ObjectRule }, body, hint, fixed_name)
    }

    fn property(&mut self, p: &Property) -> TokenStream {
        let name = &p.name;
        let rule = self.rule(&p.node);
        let required = p.required;
        let basis = match p.basis {
            Basis::Documented => quote! { crate::rules::Basis::Documented },
            Basis::Format => quote! { crate::rules::Basis::Format },
        };
        let deprecated = p.deprecated;
        let default = option(p.default.as_ref().map(|d| d.to_string()));
        let src = option(p.source.as_ref().map(source));
        quote! {
            crate::rules::Property {
                name: #name,
                rule: #rule,
                required: #required,
                basis: #basis,
                deprecated: #deprecated,
                default: #default,
                source: #src,
            }
        }
    }

    fn rule(&mut self, node: &Node) -> TokenStream {
        match node {
            Node::Any => quote! { crate::rules::Rule::Any },
            Node::Null => quote! { crate::rules::Rule::Null },
            Node::Boolean => quote! { crate::rules::Rule::Boolean },
            Node::Integer { minimum, maximum } => {
                let (lo, hi) = (option(*minimum), option(*maximum));
                quote! { crate::rules::Rule::Integer(crate::rules::IntegerRule { minimum: #lo, maximum: #hi }) }
            }
            Node::Number { minimum, maximum } => {
                let (lo, hi) = (option(minimum.map(f64_lit)), option(maximum.map(f64_lit)));
                quote! { crate::rules::Rule::Number(crate::rules::NumberRule { minimum: #lo, maximum: #hi }) }
            }
            Node::String(s) => string_rule(s),
            Node::Array(a) => {
                let items = self.rule(&a.items);
                let (min, max) = (option(a.min_items), option(a.max_items));
                let body = quote! {
                    crate::rules::ArrayRule { items: #items, min_items: #min, max_items: #max }
                };
                let name = self.declare(quote! { crate::rules::ArrayRule }, body, "items", None);
                quote! { crate::rules::Rule::Array(&#name) }
            }
            Node::Object(o) => {
                let name = self.object(o, None);
                quote! { crate::rules::Rule::Object(&#name) }
            }
            Node::OneOfType(alts) => {
                let alts: Vec<_> = alts.iter().map(|a| self.rule(a)).collect();
                quote! { crate::rules::Rule::OneOfType(&[#(#alts),*]) }
            }
            Node::Tagged(t) => {
                let tag = &t.tag;
                let variants: Vec<_> = t
                    .variants
                    .iter()
                    .map(|v| {
                        let obj = self.object(&v.object, None);
                        let (value, warn) = (&v.value, v.warn);
                        quote! { crate::rules::Variant { value: #value, object: &#obj, warn: #warn } }
                    })
                    .collect();
                let default = option(t.default);
                let body = quote! {
                    crate::rules::TaggedRule { tag: #tag, variants: &[#(#variants),*], default: #default }
                };
                let name = self.declare(quote! { crate::rules::TaggedRule }, body, "tagged", None);
                quote! { crate::rules::Rule::Tagged(&#name) }
            }
        }
    }
}

fn string_rule(s: &StringNode) -> TokenStream {
    let allowed = &s.allowed;
    let warn_values = &s.warn_values;
    let fixed = option(s.fixed.as_deref());
    let max = option(s.max_length);
    quote! {
        crate::rules::Rule::String(crate::rules::StringRule {
            allowed: &[#(#allowed),*],
            warn_values: &[#(#warn_values),*],
            fixed: #fixed,
            max_length: #max,
        })
    }
}

/// FNV-1a, 64 bits: a stable content hash for static names.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
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
