//! `modelgate models`: the catalog as a table or as JSON.

use std::io::{self, Write};

use modelgate::Provider;
use modelgate::catalog::{MODELS, ModelInfo, Pricing};
use modelgate::rules::Source;
use modelgate::validate::{Declarations, DeclaredModel};
use serde::Serialize;

/// Which models to list and how (`--provider` filters; it is a global option).
#[derive(Debug, clap::Args)]
pub struct ModelsArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Ask the gateway for its model list (`GET /v1/models`) and compare it with the
    /// catalog, to know when to regenerate. Exits 1 when they differ.
    #[arg(long)]
    pub remote: bool,
    /// The config file whose `[[models]]` declarations are listed too (default:
    /// `modelgate.toml` found upward from the working directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// List the bundled catalog only, without any config file's declarations.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

impl ModelsArgs {
    /// The models the config file declares (none with `--no-config` or without a file).
    pub fn declared(&self) -> Result<Declarations, crate::config::ConfigError> {
        let path = match (&self.config, self.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => crate::config::find(&std::env::current_dir().unwrap_or_default()),
        };
        match path {
            Some(path) => Ok(crate::config::load(&path)?.declared),
            None => Ok(Declarations::default()),
        }
    }
}

/// One model in `--json` output.
#[derive(Serialize)]
struct ModelJson {
    id: Option<&'static str>,
    name: &'static str,
    provider: &'static str,
    vendor: Option<&'static str>,
    /// `null` when no source says.
    kind: Option<&'static str>,
    status: &'static str,
    /// The owner the gateway's model list gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    owned_by: Option<&'static str>,
    /// The model list that no longer gave this ID, when one did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_listed: Option<SourceJson>,
    endpoints: Vec<&'static str>,
    max_output_tokens: Option<u64>,
    context_window: Option<u64>,
    fixed_size: Option<&'static str>,
    pricing: Option<PricingJson>,
    source: SourceJson,
    /// Further sources (where the ID or the kind comes from).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also_sources: Vec<SourceJson>,
    /// Where the entry comes from: `catalog` (bundled), or the declaration's place
    /// (`modelgate.toml:12`).
    origin: String,
    /// For a declared model, the bundled model it is like.
    #[serde(skip_serializing_if = "Option::is_none")]
    like: Option<String>,
}

#[derive(Serialize)]
struct PricingJson {
    currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_per_million: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_per_million: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_read_per_million: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_write_per_million: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_request: Option<f64>,
}

/// A source with what the catalog knows of its document: its kind (`gateway`, `format`,
/// `remote_list`), title, and for a model list its URL and the day it was read.
#[derive(Serialize)]
struct SourceJson {
    document: &'static str,
    section: &'static str,
    kind: Option<&'static str>,
    title: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read: Option<&'static str>,
}

fn source_json(s: &Source) -> SourceJson {
    let doc = s.document_info();
    SourceJson {
        document: s.document,
        section: s.section,
        kind: doc.map(|d| d.kind.as_str()),
        title: doc.map(|d| d.title),
        url: doc.and_then(|d| d.url),
        read: doc.and_then(|d| d.read),
    }
}

fn pricing_json(m: &ModelInfo) -> Option<PricingJson> {
    let cache = m.cache_prices_per_million();
    Some(match m.pricing? {
        Pricing::PerToken {
            currency,
            input_per_million,
            output_per_million,
        } => PricingJson {
            currency,
            input_per_million: Some(input_per_million),
            output_per_million: Some(output_per_million),
            cache_read_per_million: cache.map(|c| round(c.0)),
            cache_write_per_million: cache.map(|c| round(c.1)),
            per_request: None,
        },
        Pricing::PerRequest { currency, price } => PricingJson {
            currency,
            input_per_million: None,
            output_per_million: None,
            cache_read_per_million: None,
            cache_write_per_million: None,
            per_request: Some(price),
        },
    })
}

/// Rounds a derived price to 6 decimals, so that 5.0 x 0.53 prints as 2.65.
fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn price_text(m: &ModelInfo) -> String {
    match m.pricing {
        Some(Pricing::PerToken {
            currency,
            input_per_million,
            output_per_million,
        }) => {
            format!("{input_per_million:.2}/{output_per_million:.2} {currency} per 1M")
        }
        Some(Pricing::PerRequest { currency, price }) => format!("{price:.2} {currency}/request"),
        None => "-".into(),
    }
}

/// Runs the command (the catalog listing; `--remote` is in [`super::gateway`]).
pub fn run(
    args: &ModelsArgs,
    provider: Option<Provider>,
    declared: &Declarations,
    out: &mut dyn Write,
) -> io::Result<()> {
    // The catalog's models, a declared one in place of the bundled model of its ID, then
    // the new IDs declared.
    let mut models: Vec<(&ModelInfo, Option<&DeclaredModel>)> = MODELS
        .iter()
        .map(|m| match m.id.and_then(|id| declared.find(id)) {
            Some(d) => (d.info, Some(d)),
            None => (m, None),
        })
        .collect();
    models.extend(
        declared
            .iter()
            .filter(|d| modelgate::catalog::find_model(&d.declaration.id).is_none())
            .map(|d| (d.info, Some(d))),
    );
    models.retain(|(m, _)| provider.is_none_or(|p| m.provider == p));
    if args.json {
        let items: Vec<ModelJson> = models.iter().map(|(m, d)| model_json(m, *d)).collect();
        serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
        return writeln!(out);
    }
    let header = [
        "ID",
        "NAME",
        "PROVIDER",
        "VENDOR",
        "KIND",
        "STATUS",
        "MAX OUTPUT",
        "PRICE",
        "ORIGIN",
    ];
    let rows: Vec<[String; 9]> = models
        .iter()
        .map(|(m, d)| {
            [
                m.id.unwrap_or("-").to_string(),
                m.name.to_string(),
                m.provider.info().key.to_string(),
                m.vendor.unwrap_or("-").to_string(),
                m.kind.map_or("?", |k| k.as_str()).to_string(),
                match m.not_listed {
                    Some(_) => format!("{} (not listed)", m.status.as_str()),
                    None => m.status.as_str().to_string(),
                },
                m.max_output_tokens.map_or("-".into(), |v| v.to_string()),
                price_text(m),
                origin(*d),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    let documented = models
        .iter()
        .filter(|(m, _)| m.status.as_str() == "documented")
        .count();
    let declared = models.iter().filter(|(_, d)| d.is_some()).count();
    writeln!(
        out,
        "\n{} models: {documented} documented, {} listed{}",
        models.len(),
        models.len() - documented,
        if declared == 0 {
            String::new()
        } else {
            format!(" ({declared} declared in a config file)")
        }
    )
}

/// Where an entry comes from: `catalog`, or its declaration's place.
fn origin(declared: Option<&DeclaredModel>) -> String {
    match declared {
        None => "catalog".into(),
        Some(d) => format!(
            "{}{}",
            d.declaration.origin.as_deref().unwrap_or("declared"),
            d.declaration
                .like
                .as_deref()
                .map(|l| format!(" (like {l})"))
                .unwrap_or_default()
        ),
    }
}

fn model_json(m: &ModelInfo, declared: Option<&DeclaredModel>) -> ModelJson {
    ModelJson {
        id: m.id,
        name: m.name,
        provider: m.provider.info().key,
        vendor: m.vendor,
        kind: m.kind.map(|k| k.as_str()),
        status: m.status.as_str(),
        owned_by: m.owned_by,
        not_listed: m.not_listed.as_ref().map(source_json),
        endpoints: m.endpoints.iter().map(|e| e.key()).collect(),
        max_output_tokens: m.max_output_tokens,
        context_window: m.context_window,
        fixed_size: m.fixed_size,
        pricing: pricing_json(m),
        source: source_json(&m.source),
        also_sources: m.also_sources.iter().map(source_json).collect(),
        origin: match declared {
            None => "catalog".into(),
            Some(d) => d
                .declaration
                .origin
                .clone()
                .unwrap_or_else(|| "declared".into()),
        },
        like: declared.and_then(|d| d.declaration.like.clone()),
    }
}
