//! Snapshots of the generated surface, reviewed with `cargo insta review` when the
//! catalog or the generator changes:
//! - the typed clients' API (operations and types) per gateway;
//! - every documented model's validator rules, rendered readably;
//! - the JSON Schema of one model per kind of request.
//!
//! The full generated files are in `generated/` (kept fresh by `generated_is_fresh.rs`).

use std::fmt::Write;
use std::path::Path;

use modelgate::catalog::{MODELS, ModelStatus, Provider};
use modelgate::schema::{ObjectRule, Rule};

fn generated(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("generated")
            .join(name),
    )
    .unwrap()
}

/// The public API of a progenitor client: its operations' signatures and its type names.
fn client_surface(source: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = source.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
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
            let _ = writeln!(out, "{signature}");
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
    insta::assert_snapshot!(client_surface(&generated("vtrix_client.rs")));
}

#[test]
fn vertexkey_client_surface() {
    insta::assert_snapshot!(client_surface(&generated("vertexkey_client.rs")));
}

fn render_rule(out: &mut String, rule: &Rule, indent: usize) {
    match rule {
        Rule::Object(o) => render_object(out, o, indent),
        Rule::Array(items) => {
            out.push_str("array of ");
            render_rule(out, items, indent);
        }
        Rule::OneOfType(alternatives) => {
            for (i, a) in alternatives.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                render_rule(out, a, indent);
            }
        }
        Rule::Tagged(t) => {
            let _ = write!(out, "object by {}:", t.tag);
            for (tag, o) in t.variants {
                let _ = write!(out, "\n{}{tag} => ", "  ".repeat(indent + 1));
                render_object(out, o, indent + 2);
            }
        }
        Rule::Integer(r) => {
            out.push_str("integer");
            range(
                out,
                r.minimum.map(|v| v.to_string()),
                r.maximum.map(|v| v.to_string()),
            );
        }
        Rule::Number(r) => {
            out.push_str("number");
            range(
                out,
                r.minimum.map(|v| v.to_string()),
                r.maximum.map(|v| v.to_string()),
            );
        }
        Rule::String(s) => {
            out.push_str("string");
            if let Some(f) = s.fixed {
                let _ = write!(out, " = {f:?}");
            }
            if !s.allowed.is_empty() {
                let _ = write!(out, " in {:?}", s.allowed);
            }
            if let Some(m) = s.max_length {
                let _ = write!(out, " max {m} chars");
            }
        }
        Rule::Boolean => out.push_str("boolean"),
        Rule::Null => out.push_str("null"),
        Rule::Any => out.push_str("any"),
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

fn render_object(out: &mut String, o: &ObjectRule, indent: usize) {
    out.push_str(if o.additional {
        "object (open)"
    } else {
        "object (closed)"
    });
    for p in o.properties {
        let _ = write!(
            out,
            "\n{}{}{}",
            "  ".repeat(indent + 1),
            p.name,
            if p.required { "*" } else { "" }
        );
        if let Some(d) = p.default {
            let _ = write!(out, " (default {d})");
        }
        if let Some(s) = p.source {
            let _ = write!(out, " [{s}]");
        }
        out.push_str(": ");
        render_rule(out, &p.rule, indent + 1);
    }
}

fn validator_rules(provider: Provider) -> String {
    let mut out = String::new();
    for m in MODELS
        .iter()
        .filter(|m| m.provider == provider && m.status == ModelStatus::Documented)
    {
        for r in m.requests {
            let _ = write!(out, "{} on {}: ", m.id.unwrap_or_default(), r.endpoint);
            render_object(&mut out, r.rule, 0);
            out.push_str("\n\n");
        }
    }
    out
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
    serde_json::from_str(&generated(&format!("schemas/{file}"))).unwrap()
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
