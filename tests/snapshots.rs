//! Snapshots of the generated surface, reviewed with `cargo insta review` when the
//! catalog or the generator changes:
//! - the typed clients' API (operations and types) per gateway;
//! - every documented model's validator rules, rendered readably;
//! - the JSON Schema of one model per kind of request.
//!
//! The full generated files are in `generated/` and `api/generated/` (kept fresh by
//! `generated_is_fresh.rs`).

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use modelgate::catalog::{MODELS, ModelStatus, Provider};
use modelgate::rules::{Additional, Basis, Node as Rule, ObjectNode as ObjectRule};

/// A file of the generated copies: `generated/` (this crate's) or `api/generated/`.
fn generated_in(dir: &str, name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(name)).unwrap()
}

/// The public API of a progenitor client: its operations' signatures, each type's
/// generated constructor, and its type names.
fn client_surface(source: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = source.lines().collect();
    // The type an inherent `impl` block is for, so that each constructor says whose it is.
    let mut impl_of = String::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("impl ")
            && !rest.contains(" for ")
            && t.ends_with('{')
        {
            impl_of = rest.trim_end_matches(['{', ' ']).to_string();
        }
        if t.starts_with("pub async fn ") || t.starts_with("pub fn new") {
            let mut signature = String::new();
            for l in &lines[i..] {
                signature.push_str(l.trim());
                signature.push(' ');
                if l.trim_end().ends_with('{') {
                    break;
                }
            }
            let signature = signature
                .trim_end_matches([' ', '{'])
                .replace("( ", "(")
                .replace(", )", ")")
                .replace(" )", ")");
            match signature.strip_prefix("pub fn new") {
                Some(rest) => {
                    let _ = writeln!(out, "{impl_of}::new{rest}");
                }
                None => {
                    let _ = writeln!(out, "{signature}");
                }
            }
        }
    }
    out.push('\n');
    for line in &lines {
        let t = line.trim_start();
        for kind in ["pub struct ", "pub enum "] {
            if let Some(rest) = t.strip_prefix(kind) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let _ = writeln!(out, "{kind}{name}");
            }
        }
    }
    out
}

#[test]
fn vtrix_client_surface() {
    insta::assert_snapshot!(client_surface(&generated_in(
        "api/generated",
        "vtrix_client.rs"
    )));
}

#[test]
fn vertexkey_client_surface() {
    insta::assert_snapshot!(client_surface(&generated_in(
        "api/generated",
        "vertexkey_client.rs"
    )));
}

/// Renders rule trees; an object met before (the same content) is shown as `same as
/// PATH` (models share most of their endpoint's tree, so most of a second model's tree is
/// a reference).
#[derive(Default)]
struct Render {
    out: String,
    seen: HashMap<String, String>,
}

impl Render {
    fn rule(&mut self, rule: &Rule, path: &str, indent: usize) {
        match rule {
            Rule::Object(o) => self.object(o, path, indent),
            Rule::Array(a) => {
                self.out.push_str("array");
                range(
                    &mut self.out,
                    a.min_items.map(|v| v.to_string()),
                    a.max_items.map(|v| v.to_string()),
                );
                self.out.push_str(" of ");
                self.rule(&a.items, &format!("{path}[]"), indent);
            }
            Rule::OneOfType(alternatives) => {
                for (i, a) in alternatives.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(" | ");
                    }
                    self.rule(a, path, indent);
                }
            }
            Rule::Tagged(t) => {
                let _ = write!(self.out, "object by {}:", t.tag);
                for (i, v) in t.variants.iter().enumerate() {
                    let default = if t.default == Some(i) {
                        " (default)"
                    } else {
                        ""
                    };
                    let warn = if v.warn { " (warning)" } else { "" };
                    let _ = write!(
                        self.out,
                        "\n{}{}{default}{warn} => ",
                        "  ".repeat(indent + 1),
                        v.value
                    );
                    self.object(&v.object, &format!("{path}<{}>", v.value), indent + 2);
                }
            }
            Rule::Integer(r) => {
                self.out.push_str("integer");
                range(
                    &mut self.out,
                    r.minimum.map(|v| v.to_string()),
                    r.maximum.map(|v| v.to_string()),
                );
            }
            Rule::Number(r) => {
                self.out.push_str("number");
                range(
                    &mut self.out,
                    r.minimum.map(|v| v.to_string()),
                    r.maximum.map(|v| v.to_string()),
                );
            }
            Rule::String(s) => {
                self.out.push_str("string");
                if let Some(f) = &s.fixed {
                    let _ = write!(self.out, " = {f:?}");
                }
                if !s.allowed.is_empty() {
                    let _ = write!(self.out, " in {:?}", s.allowed);
                }
                if !s.warn_values.is_empty() {
                    let _ = write!(self.out, " (warning: {:?})", s.warn_values);
                }
                if let Some(m) = s.max_length {
                    let _ = write!(self.out, " max {m} chars");
                }
            }
            Rule::Boolean => self.out.push_str("boolean"),
            Rule::Null => self.out.push_str("null"),
            Rule::Any => self.out.push_str("any"),
        }
    }

    fn object(&mut self, o: &ObjectRule, path: &str, indent: usize) {
        let content = serde_json::to_string(o).unwrap();
        if let Some(first) = self.seen.get(&content) {
            let _ = write!(self.out, "same as {first}");
            return;
        }
        self.seen.insert(content, path.to_string());
        match &o.additional {
            Additional::Forbidden => self.out.push_str("object (closed)"),
            Additional::Any => self.out.push_str("object (open)"),
            Additional::Rule(r) => {
                self.out.push_str("map of ");
                self.rule(r, &format!("{path}{{}}"), indent);
            }
        }
        for p in &o.properties {
            let basis = match p.basis {
                Basis::Documented => "",
                Basis::Format => " (format)",
                Basis::Practice => " (practice)",
            };
            let _ = write!(
                self.out,
                "\n{}{}{}{basis}{}",
                "  ".repeat(indent + 1),
                p.name,
                if p.required { "*" } else { "" },
                if p.deprecated { " (deprecated)" } else { "" },
            );
            if let Some(d) = &p.default {
                let _ = write!(self.out, " (default {d})");
            }
            if let Some(s) = &p.source {
                let _ = write!(self.out, " [{}, {}]", s.doc, s.section);
            }
            self.out.push_str(": ");
            self.rule(&p.node, &format!("{path}.{}", p.name), indent + 1);
        }
    }
}

fn range(out: &mut String, lo: Option<String>, hi: Option<String>) {
    if lo.is_some() || hi.is_some() {
        let _ = write!(
            out,
            " {}..={}",
            lo.unwrap_or_default(),
            hi.unwrap_or_default()
        );
    }
}

fn validator_rules(provider: Provider) -> String {
    let mut render = Render::default();
    for m in MODELS
        .iter()
        .filter(|m| m.provider == provider && m.status == ModelStatus::Documented)
    {
        for r in m.requests {
            let name = format!("{} on {}", m.id.unwrap_or_default(), r.endpoint);
            let _ = write!(render.out, "{name}: ");
            render.object(r.rules(), &name, 0);
            render.out.push_str("\n\n");
        }
    }
    render.out
}

#[test]
fn vtrix_validator_rules() {
    insta::assert_snapshot!(validator_rules(Provider::Vtrix));
}

#[test]
fn vertexkey_validator_rules() {
    insta::assert_snapshot!(validator_rules(Provider::VertexKey));
}

fn schema(file: &str) -> serde_json::Value {
    serde_json::from_str(&generated_in("generated", &format!("schemas/{file}"))).unwrap()
}

#[test]
fn json_schemas_one_per_kind_of_request() {
    for file in [
        "vtrix-claude-3-haiku.chat_completions.json",
        "vtrix-deepseek-v3.2.chat_completions.json",
        "vtrix-gpt-5.3-codex.chat_completions.json",
        "minimax_hailuo_23_i2v.media_generation.json",
        "aws__claude-opus-4-7.chat_completions.json",
        "aws__claude-opus-4-7.messages.json",
        "enterprise__gemini-3-pro-image-preview-1k.images_generations.json",
        "enterprise__image-2.images_edits.json",
        "enterprise__seedance-1-5-pro.videos.json",
    ] {
        insta::assert_json_snapshot!(file, schema(file));
    }
}
