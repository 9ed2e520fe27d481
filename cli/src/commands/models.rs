//! `modelgate models`: the catalog as a table or as JSON.

use std::io::{self, Write};

use modelgate::Provider;
use modelgate::catalog::{MODELS, ModelInfo, Pricing};
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
}

/// One model in `--json` output.
#[derive(Serialize)]
struct ModelJson {
    id: Option<&'static str>,
    name: &'static str,
    provider: &'static str,
    vendor: Option<&'static str>,
    kind: &'static str,
    status: &'static str,
    endpoints: Vec<&'static str>,
    max_output_tokens: Option<u64>,
    context_window: Option<u64>,
    fixed_size: Option<&'static str>,
    pricing: Option<PricingJson>,
    source: SourceJson,
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

#[derive(Serialize)]
struct SourceJson {
    document: &'static str,
    section: &'static str,
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
pub fn run(args: &ModelsArgs, provider: Option<Provider>, out: &mut dyn Write) -> io::Result<()> {
    let models: Vec<&ModelInfo> = MODELS
        .iter()
        .filter(|m| provider.is_none_or(|p| m.provider == p))
        .collect();
    if args.json {
        let items: Vec<ModelJson> = models.iter().map(|m| model_json(m)).collect();
        serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::other)?;
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
    ];
    let rows: Vec<[String; 8]> = models
        .iter()
        .map(|m| {
            [
                m.id.unwrap_or("-").to_string(),
                m.name.to_string(),
                m.provider.info().key.to_string(),
                m.vendor.unwrap_or("-").to_string(),
                m.kind.as_str().to_string(),
                m.status.as_str().to_string(),
                m.max_output_tokens.map_or("-".into(), |v| v.to_string()),
                price_text(m),
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
        .filter(|m| m.status.as_str() == "documented")
        .count();
    writeln!(
        out,
        "\n{} models: {documented} documented, {} listed",
        models.len(),
        models.len() - documented
    )
}

fn model_json(m: &ModelInfo) -> ModelJson {
    ModelJson {
        id: m.id,
        name: m.name,
        provider: m.provider.info().key,
        vendor: m.vendor,
        kind: m.kind.as_str(),
        status: m.status.as_str(),
        endpoints: m.endpoints.iter().map(|e| e.key()).collect(),
        max_output_tokens: m.max_output_tokens,
        context_window: m.context_window,
        fixed_size: m.fixed_size,
        pricing: pricing_json(m),
        source: SourceJson {
            document: m.source.document,
            section: m.source.section,
        },
    }
}
