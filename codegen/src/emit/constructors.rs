//! Constructors and setters for the generated types, so that a request is built without
//! listing its optional fields and without JSON:
//!
//! ```text
//! ChatCompletionRequest::new("aws/claude-sonnet-4-6", vec![user("Hi")]).max_tokens(512)
//! ```
//!
//! For every struct of a client's `types` module: `new` takes the required fields
//! (`impl Into<String>` for a string, `impl IntoIterator` for a list, the type itself for
//! a number or a flag, `impl Into<T>` otherwise) and fills in the rest: `None`, an empty
//! list or map, the schema's default, and for a required field whose type has one value
//! only (a message's `role`) that value. Each field that `new` does not take gets a
//! setter of its own name (`.max_tokens(512)`, `.tools([...])`). A string the schema
//! constrains (typify's newtype with a `maxLength`, say) is taken as any string: the
//! validator, which every request goes through, reports a limit it breaks before it is
//! sent. This pass runs on the client progenitor made, so a field the catalog adds gets
//! its setter with no hand edit.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;
use syn::{Attribute, Fields, GenericArgument, Item, ItemStruct, PathArguments, Type};

/// Adds an `impl` with `new` and the setters to every struct of `tokens`' `types` module.
/// `new` takes the required fields in the order of the schema's `required` list in
/// `spec` (the OpenAPI document the client was generated from: `model` before
/// `messages`), any others after them.
pub fn add(tokens: TokenStream, spec: &Value) -> syn::Result<TokenStream> {
    let mut file: syn::File = syn::parse2(tokens)?;
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let single = single_valued_enums(items);
        let strings = string_newtypes(items);
        let impls: Vec<Item> = items
            .iter()
            .filter_map(|item| match item {
                Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                    let required: Vec<&str> = spec
                        .pointer(&format!("/components/schemas/{}/required", s.ident))
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    constructor(
                        s,
                        &Known {
                            single: &single,
                            strings: &strings,
                        },
                        &required,
                    )
                }
                _ => None,
            })
            .map(syn::parse2)
            .collect::<syn::Result<_>>()?;
        items.extend(impls);
        let from_strings: Vec<Item> = string_enum_froms(items)
            .into_iter()
            .map(syn::parse2::<syn::File>)
            .map(|f| f.map(|f| f.items))
            .collect::<syn::Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        items.extend(from_strings);
    }
    Ok(file.into_token_stream())
}

/// `From<String>` and `From<&str>` for each enum with a `String(String)` variant (a
/// schema's "a string, or ..."), where typify made none: so that a message's content is
/// `"Hi"`, not `UserContent::String("Hi".into())`.
fn string_enum_froms(items: &[Item]) -> Vec<TokenStream> {
    let has_from_string: std::collections::BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(i) => {
                let (path, _) = i.trait_.as_ref()?;
                let last = path.segments.last()?;
                let PathArguments::AngleBracketed(args) = &last.arguments else {
                    return None;
                };
                let from_string = last.ident == "From"
                    && matches!(args.args.first(), Some(GenericArgument::Type(t)) if last_ident(t).is_some_and(|i| i == "String"));
                from_string.then(|| last_ident(&i.self_ty).map(ToString::to_string))?
            }
            _ => None,
        })
        .collect();
    items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if !has_from_string.contains(&e.ident.to_string()) => {
                let variant = e.variants.iter().find(|v| match &v.fields {
                    Fields::Unnamed(f) => {
                        f.unnamed.len() == 1
                            && last_ident(&f.unnamed[0].ty).is_some_and(|i| i == "String")
                    }
                    _ => false,
                })?;
                let name = &e.ident;
                let variant = &variant.ident;
                Some(quote! {
                    impl ::std::convert::From<::std::string::String> for #name {
                        fn from(value: ::std::string::String) -> Self {
                            Self::#variant(value)
                        }
                    }
                    impl ::std::convert::From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#variant(value.to_string())
                        }
                    }
                })
            }
            _ => None,
        })
        .collect()
}

/// What `new` and the setters know of the module's other types.
struct Known<'a> {
    /// Enums with one value: name -> its variant.
    single: &'a BTreeMap<String, syn::Ident>,
    /// Tuple structs around a `String` (a string the schema constrains, such as a
    /// `maxLength`): taken as any string, the validator reports a limit it breaks.
    strings: &'a std::collections::BTreeSet<String>,
}

/// Tuple structs with one `String` field.
fn string_newtypes(items: &[Item]) -> std::collections::BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => match &s.fields {
                Fields::Unnamed(f)
                    if f.unnamed.len() == 1
                        && last_ident(&f.unnamed[0].ty).is_some_and(|i| i == "String") =>
                {
                    Some(s.ident.to_string())
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Enums with one unit variant (a `const`/one-value `enum` in the schema): name ->
/// variant.
fn single_valued_enums(items: &[Item]) -> BTreeMap<String, syn::Ident> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e)
                if e.variants.len() == 1 && matches!(e.variants[0].fields, Fields::Unit) =>
            {
                Some((e.ident.to_string(), e.variants[0].ident.clone()))
            }
            _ => None,
        })
        .collect()
}

/// How a field is set.
enum Kind {
    /// `Option<T>`: `None` in `new`; the setter takes a `T`.
    Optional(Type),
    /// A list: empty in `new` when serde defaults it, else a parameter of `new`.
    List(Type),
    /// A field with a serde default (`default` or `default = "path"`).
    Defaulted(Option<syn::Path>),
    /// A required field whose type has one value.
    Fixed(syn::Ident, syn::Ident),
    /// A required field: a parameter of `new`.
    Required,
}

fn constructor(s: &ItemStruct, known: &Known, order: &[&str]) -> Option<TokenStream> {
    let Fields::Named(fields) = &s.fields else {
        return None;
    };
    if !s.generics.params.is_empty() {
        return None;
    }
    let name = &s.ident;
    // (place in the schema's `required` list, field name, parameter)
    let mut params: Vec<(usize, String, TokenStream)> = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref()?;
        let ty = &field.ty;
        let (default, rename) = serde_attrs(&field.attrs);
        let json_name =
            rename.unwrap_or_else(|| ident.to_string().trim_end_matches('_').to_string());
        let place = order
            .iter()
            .position(|r| *r == json_name)
            .unwrap_or(usize::MAX);
        let kind = if let Some(inner) = generic_arg(ty, "Option") {
            Kind::Optional(inner)
        } else if let Some(item) = generic_arg(ty, "Vec") {
            match default {
                Some(_) => Kind::Defaulted(None),
                None => Kind::List(item),
            }
        } else if let Some(path) = default {
            Kind::Defaulted(path)
        } else if let Some(variant) = last_ident(ty).and_then(|t| {
            known
                .single
                .get(&t.to_string())
                .map(|v| (t.clone(), v.clone()))
        }) {
            Kind::Fixed(variant.0, variant.1)
        } else {
            Kind::Required
        };
        let doc = format!("Sets `{ident}`.");
        match kind {
            Kind::Optional(inner) => {
                inits.push(quote! { #ident: None });
                let (param, value) = param(&inner, &format_ident!("value"), known);
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #ident(mut self, value: #param) -> Self {
                        self.#ident = Some(#value);
                        self
                    }
                });
            }
            Kind::List(item) => {
                params.push((
                    place,
                    ident.to_string(),
                    quote! { #ident: impl IntoIterator<Item = #item> },
                ));
                inits.push(quote! { #ident: #ident.into_iter().collect() });
            }
            Kind::Defaulted(path) => {
                match path {
                    Some(path) => inits.push(quote! { #ident: #path() }),
                    None => inits.push(quote! { #ident: Default::default() }),
                }
                let (param, value) = match generic_arg(ty, "Vec") {
                    Some(item) => (
                        quote! { impl IntoIterator<Item = #item> },
                        quote! { value.into_iter().collect() },
                    ),
                    None => param(ty, &format_ident!("value"), known),
                };
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #ident(mut self, value: #param) -> Self {
                        self.#ident = #value;
                        self
                    }
                });
            }
            Kind::Fixed(ty, variant) => inits.push(quote! { #ident: #ty::#variant }),
            Kind::Required => {
                let (param, value) = param(ty, ident, known);
                params.push((place, ident.to_string(), quote! { #ident: #param }));
                inits.push(quote! { #ident: #value });
            }
        }
    }
    params.sort_by_key(|(place, ..)| *place);
    let required_names: Vec<&str> = params.iter().map(|(_, name, _)| name.as_str()).collect();
    let new_doc = if required_names.is_empty() {
        format!("A `{name}` with every field empty or at its default; set them with its setters.")
    } else {
        format!(
            "A `{name}` with its required fields ({}); every other field empty or at its default, set with its setters.",
            required_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let params = params.iter().map(|(.., p)| p);
    Some(quote! {
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    })
}

/// A parameter type for a value of type `ty`, and the expression (of the parameter
/// `name`) that makes it one: the type itself for numbers and flags (so that a literal
/// needs no suffix), `impl Into<T>` otherwise.
fn param(ty: &Type, name: &syn::Ident, known: &Known) -> (TokenStream, TokenStream) {
    if let Some(newtype) = last_ident(ty).filter(|i| known.strings.contains(&i.to_string())) {
        return (
            quote! { impl Into<::std::string::String> },
            quote! { #newtype(#name.into()) },
        );
    }
    let plain = last_ident(ty).is_some_and(|i| {
        matches!(
            i.to_string().as_str(),
            "bool"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "f32"
                | "f64"
                | "NonZeroU64"
                | "NonZeroU32"
                | "NonZeroI64"
        )
    });
    if plain {
        (quote! { #ty }, quote! { #name })
    } else {
        (quote! { impl Into<#ty> }, quote! { #name.into() })
    }
}

/// `T` of `Wrapper<T>` (by the last path segment, so `::std::option::Option<T>` too).
fn generic_arg(ty: &Type, wrapper: &str) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// The last identifier of a plain path type.
fn last_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

/// A field's serde default (`Some(None)` for `#[serde(default)]`, `Some(Some(path))` for
/// `#[serde(default = "path")]`, `None` without one) and its `rename`.
fn serde_attrs(attrs: &[Attribute]) -> (Option<Option<syn::Path>>, Option<String>) {
    let mut found = None;
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                if let Ok(value) = meta.value() {
                    let lit: syn::LitStr = value.parse()?;
                    found = Some(lit.parse::<syn::Path>().ok());
                } else {
                    found = Some(None);
                }
            } else if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Another key with a value (`rename = "..."`): skip it.
                let value = meta.value()?;
                let _: syn::Expr = value.parse()?;
            }
            Ok(())
        });
    }
    (found, rename)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> String {
        let tokens: TokenStream = src.parse().unwrap();
        let spec = serde_json::json!({"components": {"schemas": {
            "Message": {"required": ["role", "parts", "content"]}}}});
        let file: syn::File = syn::parse2(add(tokens, &spec).unwrap()).unwrap();
        prettyplease::unparse(&file)
    }

    #[test]
    fn new_takes_the_required_fields_and_setters_set_the_rest() {
        let out = run(r#"
            pub mod types {
                pub enum Role { #[serde(rename = "user")] User }
                pub struct Message {
                    pub content: ::std::string::String,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub max_tokens: ::std::option::Option<i64>,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub tags: ::std::vec::Vec<::std::string::String>,
                    pub parts: ::std::vec::Vec<Part>,
                    #[serde(default = "defaults::kind")]
                    pub kind: ::std::string::String,
                    pub role: Role,
                }
            }
        "#);
        // In the schema's `required` order, not the struct's.
        assert!(out.contains("pub fn new(\n            parts: impl IntoIterator<Item = Part>,\n            content: impl Into<::std::string::String>,\n        ) -> Self"), "{out}");
        assert!(out.contains("role: Role::User"), "{out}");
        assert!(
            out.contains("required fields (`parts`, `content`)"),
            "{out}"
        );
        assert!(out.contains("kind: defaults::kind()"), "{out}");
        assert!(out.contains("tags: Default::default()"), "{out}");
        assert!(
            out.contains("pub fn max_tokens(mut self, value: i64) -> Self"),
            "{out}"
        );
        assert!(out.contains("pub fn tags(\n            mut self,\n            value: impl IntoIterator<Item = ::std::string::String>,\n        ) -> Self"), "{out}");
        assert!(!out.contains("pub fn role("), "{out}");
        assert!(!out.contains("pub fn content("), "{out}");
    }
}
