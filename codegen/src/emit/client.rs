//! Emits a provider's typed client with progenitor, from its normalised OpenAPI document
//! (see [`crate::openapi::normalise_for_progenitor`]); [`super::client_docs`] then documents
//! what progenitor leaves undocumented.

use quote::{format_ident, quote};

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Provider};
use crate::emit::open_enums::OpenEnum;
use crate::error::Error;
use crate::openapi::normalise_for_progenitor;

/// How progenitor shapes the operations of the generated client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientInterface {
    /// `client.create_chat_completion(&body)`: one method per operation, arguments in
    /// order. About 2.5x less code than `Builder`.
    #[default]
    Positional,
    /// `client.create_chat_completion().body(&body).send()`.
    Builder,
}

/// The client module's tokens for one provider, for the `modelgate-api` crate: its inner
/// value is that crate's `Transport` (through which modelgate's runtime supplies the
/// request hooks: authentication, retries, tracing), and open enums are its `types`.
///
/// Schemas shared between documents (`common.yaml`, `formats/`) are generated once, by
/// their owner in `owners` (the first provider that has them); other providers refer to
/// the owner's types, so that the OpenAI-format chat types are one set for both gateways.
pub fn client_tokens(
    p: &Provider,
    interface: ClientInterface,
    open_enums: &BTreeMap<String, OpenEnum>,
    owners: &BTreeMap<String, String>,
) -> Result<proc_macro2::TokenStream, Error> {
    let fail = |message: String| Error::Client {
        provider: p.key.clone(),
        path: p.openapi.file.clone(),
        message,
    };
    let normalised = normalise_for_progenitor(&p.openapi.value).map_err(fail)?;
    let spec: openapiv3::OpenAPI = serde_json::from_value(normalised.clone())
        .map_err(|e| fail(format!("the document is not valid OpenAPI 3.0: {e}")))?;
    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(match interface {
            ClientInterface::Positional => progenitor::InterfaceStyle::Positional,
            ClientInterface::Builder => progenitor::InterfaceStyle::Builder,
        })
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(quote!(crate::Transport));
    let schemas = p
        .openapi
        .value
        .pointer("/components/schemas")
        .and_then(|s| s.as_object());
    for name in open_enums
        .keys()
        .filter(|n| schemas.is_some_and(|s| s.contains_key(n.as_str())))
    {
        settings.with_replacement(name, format!("crate::types::{name}"), std::iter::empty());
    }
    for name in p
        .openapi
        .shared_schemas
        .iter()
        .filter(|n| !open_enums.contains_key(n.as_str()))
    {
        if let Some(owner) = owners.get(name).filter(|o| **o != p.key) {
            settings.with_replacement(
                name,
                format!("crate::{owner}::types::{name}"),
                std::iter::empty(),
            );
        }
    }
    // progenitor panics on some inputs instead of returning an error; keep that from
    // reaching the user as a panic of the build script.
    let generated = std::panic::catch_unwind(|| {
        let mut generator = progenitor::Generator::new(&settings);
        generator.generate_tokens(&spec).map_err(|e| e.to_string())
    });
    match generated {
        Ok(Ok(tokens)) => super::client_docs::document(tokens, &normalised)
            .and_then(|tokens| super::constructors::add(tokens, &normalised))
            .map_err(|e| fail(format!("the generated client does not parse: {e}"))),
        Ok(Err(message)) => Err(fail(message)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "progenitor panicked".into());
            Err(fail(format!("progenitor panicked: {message}")))
        }
    }
}

/// What a provider's client is generated from, as a key: its OpenAPI document, the schemas
/// it shares and their owners, the open enums' names, the interface, and the generator
/// itself (this program's size and time, so that a new progenitor or modelgate-codegen
/// never reuses an old client). Equal keys give equal clients.
pub fn inputs_key(
    p: &Provider,
    interface: ClientInterface,
    open_enums: &BTreeMap<String, OpenEnum>,
    owners: &BTreeMap<String, String>,
) -> String {
    let mut hash = modelgate_io::fingerprint::Fnv::new();
    let mut part = |bytes: &[u8]| {
        hash.write(bytes);
        hash.write(&[0]);
    };
    let generator = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    part(generator.as_bytes());
    part(env!("CARGO_PKG_VERSION").as_bytes());
    part(p.key.as_bytes());
    part(
        serde_json::to_string(&p.openapi.value)
            .unwrap_or_default()
            .as_bytes(),
    );
    for name in &p.openapi.shared_schemas {
        part(name.as_bytes());
    }
    part(format!("{interface:?}").as_bytes());
    for name in open_enums.keys() {
        part(name.as_bytes());
    }
    for (name, owner) in owners {
        part(name.as_bytes());
        part(owner.as_bytes());
    }
    format!("{:016x}\n", hash.0)
}

/// A provider module's `operations`: one `crate::Operation` constant per operation of
/// its OpenAPI document (method, path, whether it may stream), and `ALL`.
fn operations_tokens(p: &Provider) -> proc_macro2::TokenStream {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    for (id, method, path, op) in crate::openapi::operations(&p.openapi.value) {
        let name = crate::ident::snake_name(id);
        let constant = format_ident!("{}", name.to_uppercase());
        let streams = op
            .get("responses")
            .and_then(|r| r.as_object())
            .is_some_and(|r| {
                r.values()
                    .any(|resp| resp.pointer("/content/text~1event-stream").is_some())
            });
        let doc = format!("`{method} {path}` (`{id}`).");
        consts.push(quote! {
            #[doc = #doc]
            pub const #constant: crate::Operation = crate::Operation {
                id: #id,
                name: #name,
                method: #method,
                path: #path,
                streams: #streams,
            };
        });
        names.push(constant);
    }
    let doc = format!(
        "The operations of {}'s OpenAPI document: what the runtime sends.",
        p.name
    );
    quote! {
        #[doc = #doc]
        pub mod operations {
            #(#consts)*
            /// Every operation above.
            pub const ALL: &[crate::Operation] = &[#(#names),*];
        }
    }
}

/// What the clients take from the providers' files rather than from the OpenAPI
/// documents: each provider's key, name and document file, in the index's order. Both
/// parts carry it (`PROVIDERS` in `providers.rs` for modelgate-api, `CLIENT_PROVIDERS` in
/// `catalog.rs` for modelgate), and modelgate refuses to compile when they differ: the
/// clients' build does not run again when a provider file changes (a limit there must not
/// compile them again), so a renamed document would otherwise leave them stale.
pub fn providers_identity(catalog: &Catalog) -> String {
    catalog
        .providers
        .iter()
        .map(|p| {
            let file = p
                .openapi
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{}:{}:{file}", p.key, p.name)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `providers.rs`: [`providers_identity`] as `PROVIDERS`.
pub fn providers_tokens(catalog: &Catalog) -> proc_macro2::TokenStream {
    let identity = providers_identity(catalog);
    quote! {
        /// The providers the clients were generated for (key, name, OpenAPI document), as
        /// the catalog's provider files gave them; modelgate checks it against its tables.
        pub const PROVIDERS: &str = #identity;
    }
}

/// `clients.rs`: one module per provider, each including its generated client.
pub fn modules_tokens(catalog: &Catalog) -> proc_macro2::TokenStream {
    let modules = catalog.providers.iter().map(|p| {
        let name = format_ident!("{}", p.key);
        // Only the file name: generated text must not depend on where the catalog is.
        let file_name = p.openapi.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let doc = format!(
            "The {} gateway's typed client (`Client`, `types`), generated by progenitor from the catalog's `openapi/{file_name}`.",
            p.name
        );
        // Beside this file: OUT_DIR in a build that generates, generated/ in one that
        // compiles the committed copy.
        let file = format!("{}_client.rs", p.key);
        let operations = operations_tokens(p);
        quote! {
            #[doc = #doc]
            #[allow(unused_imports, clippy::all, clippy::pedantic)]
            pub mod #name {
                include!(#file);
                #operations
            }
        }
    });
    let keys = catalog.providers.iter().map(|p| p.key.as_str());
    let names = catalog.providers.iter().map(|p| format_ident!("{}", p.key));
    quote! {
        #(#modules)*

        /// The operations of a provider's OpenAPI document, by the provider's key
        /// (`vtrix`); empty for a key the catalog does not have.
        pub fn operations(provider: &str) -> &'static [crate::Operation] {
            match provider {
                #(#keys => #names::operations::ALL,)*
                _ => &[],
            }
        }
    }
}
