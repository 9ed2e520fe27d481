//! Emits `open_enums.rs`: one `open_enum!` invocation per OpenAPI schema marked
//! `x-modelgate-open-enum` (finish reasons, job statuses, stream event types). The macro,
//! in the runtime, makes an enum with a variant per documented value plus
//! `Unknown(String)`, so that a value a gateway adds later decodes instead of failing.
//! The typed clients use these enums in place of the schemas (progenitor replacements).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::Error;
use crate::ident;

/// An open enum: its schema name, description and documented values.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenEnum {
    /// The schema (and Rust type) name.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// The documented values.
    pub values: Vec<String>,
}

/// Every open enum of the catalog's OpenAPI documents, by name. A name used by two
/// documents must have the same values in both.
pub fn collect(catalog: &Catalog) -> Result<BTreeMap<String, OpenEnum>, Error> {
    let mut out: BTreeMap<String, OpenEnum> = BTreeMap::new();
    for p in &catalog.providers {
        let Some(schemas) = p
            .openapi
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, schema) in schemas {
            if schema.get("x-modelgate-open-enum") != Some(&Value::Bool(true)) {
                continue;
            }
            let fail = |message: String| Error::Client {
                provider: p.key.clone(),
                path: p.openapi.file.clone(),
                message: format!("schema `{name}`: {message}"),
            };
            let values: Vec<String> = schema
                .get("enum")
                .and_then(Value::as_array)
                .ok_or_else(|| fail("`x-modelgate-open-enum` needs an `enum` of strings".into()))?
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| fail("`x-modelgate-open-enum` values must be strings".into()))?;
            if let Some(v) = values.iter().find(|v| ident::variant_name(v) == "Unknown") {
                return Err(fail(format!(
                    "value `{v}` would clash with the `Unknown` variant"
                )));
            }
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
            let e = OpenEnum {
                name: name.clone(),
                description,
                values,
            };
            match out.get(name) {
                Some(existing) if existing.values != e.values => {
                    return Err(fail(format!(
                        "an open enum of this name in another document has other values ({:?})",
                        existing.values
                    )));
                }
                _ => {
                    out.insert(name.clone(), e);
                }
            }
        }
    }
    Ok(out)
}

/// The `open_enum!` invocations.
pub fn tokens(enums: &BTreeMap<String, OpenEnum>) -> TokenStream {
    let items = enums.values().map(|e| {
        let name = format_ident!("{}", e.name);
        let doc = e
            .description
            .clone()
            .unwrap_or_else(|| format!("`{}`", e.name));
        let variants = e
            .values
            .iter()
            .map(|v| format_ident!("{}", ident::variant_name(v)));
        let values = &e.values;
        quote! {
            crate::open_enum! {
                #[doc = #doc]
                #name { #( #variants = #values, )* }
            }
        }
    });
    quote! { #(#items)* }
}
