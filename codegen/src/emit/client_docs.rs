//! Documents what progenitor leaves undocumented in a generated client, so that the
//! client modules hold under `#![deny(missing_docs)]` without an `allow`.
//!
//! typify writes a field's OpenAPI `description` as its doc comment, except where the
//! property is a `$ref` (OpenAPI 3.0 ignores a `$ref`'s siblings, so the description never
//! reaches typify). This pass runs on progenitor's output and fills in, deterministically:
//!
//! - a field without a doc comment: the `description` written next to its `$ref` in the
//!   catalog (looked up by struct name = schema name and the field's JSON name, in the
//!   schema's `properties` and those of its `allOf` members); failing that, a line naming
//!   the JSON property and its type ([`FALLBACK_MARK`] tells them apart);
//! - a variant without one: the JSON string of a string-enum value, or the shape of an
//!   untagged union's alternative (a string, an array, a named type);
//! - any other public item without one: a line naming it.

use proc_macro2::TokenStream;
use quote::ToTokens;
use serde_json::Value;
use syn::{Attribute, Field, Fields, Item, Type, Variant};

/// The words that end a field doc the catalog gave no description for: a test counts them.
pub const FALLBACK_MARK: &str = "(no description in the catalog)";

/// Adds a doc comment to every public item, field and variant of `tokens` (a generated
/// client) that has none. `spec` is the OpenAPI document it was generated from.
pub fn document(tokens: TokenStream, spec: &Value) -> syn::Result<TokenStream> {
    let mut file: syn::File = syn::parse2(tokens)?;
    let schemas = spec.pointer("/components/schemas");
    items(&mut file.items, schemas);
    Ok(file.into_token_stream())
}

fn items(items: &mut [Item], schemas: Option<&Value>) {
    for item in items {
        match item {
            Item::Struct(s) => {
                let name = s.ident.to_string();
                if public(&s.vis) {
                    ensure_doc(&mut s.attrs, || format!("The `{name}` object."));
                }
                if let Fields::Named(named) = &mut s.fields {
                    for f in named.named.iter_mut().filter(|f| public(&f.vis)) {
                        document_field(f, &name, schemas);
                    }
                }
            }
            Item::Enum(e) => {
                let name = e.ident.to_string();
                if public(&e.vis) {
                    ensure_doc(&mut e.attrs, || format!("The `{name}` values."));
                    for v in e.variants.iter_mut() {
                        document_variant(v);
                    }
                }
            }
            Item::Mod(m) => {
                let name = m.ident.to_string();
                if public(&m.vis) {
                    ensure_doc(&mut m.attrs, || format!("Generated `{name}` items."));
                }
                if let Some((_, content)) = &mut m.content {
                    self::items(content, schemas);
                }
            }
            Item::Fn(f) if public(&f.vis) => {
                let name = f.sig.ident.to_string();
                ensure_doc(&mut f.attrs, || format!("The generated `{name}` function."));
            }
            Item::Type(t) if public(&t.vis) => {
                let name = t.ident.to_string();
                ensure_doc(&mut t.attrs, || format!("The `{name}` type."));
            }
            Item::Const(c) if public(&c.vis) => {
                let name = c.ident.to_string();
                ensure_doc(&mut c.attrs, || format!("The `{name}` constant."));
            }
            Item::Impl(i) if i.trait_.is_none() => {
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member
                        && public(&f.vis)
                    {
                        let name = f.sig.ident.to_string();
                        ensure_doc(&mut f.attrs, || format!("The generated `{name}` method."));
                    }
                }
            }
            _ => {}
        }
    }
}

fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn ensure_doc(attrs: &mut Vec<Attribute>, text: impl FnOnce() -> String) {
    if !has_doc(attrs) {
        let text = text();
        attrs.insert(0, syn::parse_quote!(#[doc = #text]));
    }
}

/// The name serde gives a field or variant: its `#[serde(rename = "...")]`, else the
/// identifier (without `r#`).
fn json_name(attrs: &[Attribute], ident: &syn::Ident) -> String {
    let mut name = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                name = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name.unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string())
}

fn document_field(f: &mut Field, owner: &str, schemas: Option<&Value>) {
    if has_doc(&f.attrs) {
        return;
    }
    let Some(ident) = &f.ident else { return };
    let json = json_name(&f.attrs, ident);
    let text = schemas
        .and_then(|s| property_description(s, owner, &json))
        .unwrap_or_else(|| {
            format!(
                "`{json}`: {} {FALLBACK_MARK}.",
                shape(&f.ty).unwrap_or_else(|| "a value".into())
            )
        });
    f.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
}

/// The `description` of property `json` of schema `owner`, looking through `allOf` members
/// (and the schemas they refer to) too.
fn property_description(schemas: &Value, owner: &str, json: &str) -> Option<String> {
    fn find(schemas: &Value, schema: &Value, json: &str, depth: u8) -> Option<String> {
        if depth > 8 {
            return None;
        }
        if let Some(d) = schema
            .pointer(&format!(
                "/properties/{}/description",
                modelgate_io::pointer::escape(json)
            ))
            .and_then(Value::as_str)
        {
            return Some(d.trim().to_string());
        }
        let members = schema.get("allOf").and_then(Value::as_array)?;
        members.iter().find_map(|m| {
            let target = match m.get("$ref").and_then(Value::as_str) {
                Some(r) => schemas.get(r.rsplit('/').next()?)?,
                None => m,
            };
            find(schemas, target, json, depth + 1)
        })
    }
    // typify puts the fields of a nullable object schema `X` on a struct `XInner`.
    let schema = schemas
        .get(owner)
        .or_else(|| schemas.get(owner.strip_suffix("Inner")?))?;
    find(schemas, schema, json, 0)
}

fn document_variant(v: &mut Variant) {
    if has_doc(&v.attrs) {
        return;
    }
    let text = match &v.fields {
        Fields::Unit => format!("`{}`.", json_name(&v.attrs, &v.ident)),
        Fields::Unnamed(u) if u.unnamed.len() == 1 => {
            let shape = shape(&u.unnamed[0].ty).unwrap_or_else(|| "a value".into());
            let mut s = shape;
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{s}.")
        }
        _ => format!("The `{}` form.", v.ident),
    };
    v.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
}

/// How a type reads in a sentence: "a string", "an array of [`TextPart`]", "[`Usage`]".
fn shape(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let inner = || match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    let text = match last.ident.to_string().as_str() {
        "Option" | "Box" => return shape(inner()?),
        "Vec" => match inner().and_then(shape) {
            Some(item) => format!("an array of {}", plural(&item)),
            None => "an array".into(),
        },
        "String" => "a string".into(),
        "i64" | "u64" | "NonZeroU64" | "i32" | "u32" => "an integer".into(),
        "f64" | "f32" => "a number".into(),
        "bool" => "a boolean".into(),
        "Map" | "HashMap" => "an object".into(),
        "Value" => "any JSON value".into(),
        _ => {
            let path: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            format!("[`{}`]", path.join("::"))
        }
    };
    Some(text)
}

/// "a string" -> "strings"; "[`X`]" stays "[`X`]" items.
fn plural(item: &str) -> String {
    for article in ["a ", "an "] {
        if let Some(rest) = item.strip_prefix(article) {
            return format!("{rest}s");
        }
    }
    item.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn fills_in_fields_variants_and_items_from_the_spec_or_their_shape() {
        let spec = serde_json::json!({"components": {"schemas": {
            "Outer": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {}}]},
            "Base": {"properties": {"usage": {"$ref": "#/components/schemas/Usage", "description": "Token counts."}}}
        }}});
        let tokens = quote! {
            pub mod types {
                pub struct Outer {
                    pub usage: Option<Usage>,
                    #[serde(rename = "type")]
                    pub type_: Option<String>,
                    ///Kept.
                    pub kept: bool,
                    pub(crate) hidden: bool,
                }
                pub enum Union { String(String), Array(Vec<TextPart>), Part(TextPart) }
                pub enum Mode { #[serde(rename = "auto")] Auto }
            }
        };
        let out = document(tokens, &spec).unwrap().to_string();
        for expected in [
            "\"Token counts.\"",
            "\"`type`: a string (no description in the catalog).\"",
            "\"Kept.\"",
            "\"A string.\"",
            "\"An array of [`TextPart`].\"",
            "\"[`TextPart`].\"",
            "\"`auto`.\"",
            "\"Generated `types` items.\"",
            "\"The `Union` values.\"",
        ] {
            assert!(out.contains(expected), "{expected} missing from {out}");
        }
    }

    #[test]
    fn a_nullable_objects_inner_struct_takes_the_schemas_descriptions() {
        let spec = serde_json::json!({"components": {"schemas": {
            "Loc": {"nullable": true, "properties": {"approximate": {"$ref": "#/components/schemas/A", "description": "Roughly where."}}}
        }}});
        let tokens = quote! {
            pub mod types {
                pub struct LocInner { pub approximate: Option<A> }
            }
        };
        let out = document(tokens, &spec).unwrap().to_string();
        assert!(out.contains("\"Roughly where.\""), "{out}");
    }
}
