//! The generated validator against the `jsonschema` crate validating the exported JSON
//! Schema of the same model, from raw bytes to a verdict for both, on one corpus of mixed
//! valid and invalid payloads for every documented model.
//!
//! ```text
//! cargo bench --bench validate       # criterion: each side measured in turn
//! cargo bench --bench validate_ab    # the same corpus in alternating rounds (for noisy machines)
//! ```
//!
//! Both sides start from the payload's bytes: modelgate reads the model and checks in one
//! pass; the jsonschema side parses to a `serde_json::Value`, reads `model`, picks that
//! model's compiled schema and checks. The verdicts are compared before timing starts.

mod common;

use std::collections::HashMap;
use std::hint::black_box;

use common::{corpus, jsonschema_validators, jsonschema_verdict};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

fn modelgate_verdict(validator: &modelgate::Validator, bytes: &[u8]) -> bool {
    validator.is_valid_json(bytes)
}

/// The full report: every violation with its message, on both sides.
fn jsonschema_report(validators: &HashMap<&str, jsonschema::Validator>, bytes: &[u8]) -> usize {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return 1;
    };
    let Some(validator) = value
        .get("model")
        .and_then(Value::as_str)
        .and_then(|m| validators.get(m))
    else {
        return 1;
    };
    validator
        .iter_errors(&value)
        .map(|e| e.to_string().len())
        .sum()
}

fn modelgate_report(validator: &modelgate::Validator, bytes: &[u8]) -> usize {
    validator
        .validate_json(bytes)
        .errors
        .iter()
        .map(|v| v.message.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let validators = jsonschema_validators();
    let ours = modelgate::Validator::new();
    for payload in &corpus {
        let verdict = modelgate_verdict(&ours, payload);
        assert_eq!(verdict, ours.validate_json(payload).is_valid());
        assert_eq!(
            verdict,
            jsonschema_verdict(&validators, payload),
            "verdicts differ on {}",
            String::from_utf8_lossy(payload)
        );
    }
    let valid: Vec<&Vec<u8>> = corpus
        .iter()
        .filter(|p| modelgate_verdict(&ours, p))
        .collect();
    let invalid: Vec<&Vec<u8>> = corpus
        .iter()
        .filter(|p| !modelgate_verdict(&ours, p))
        .collect();
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    eprintln!(
        "corpus: {} payloads ({} valid, {} invalid), {bytes} bytes, identical verdicts",
        corpus.len(),
        valid.len(),
        invalid.len()
    );

    let mut group = c.benchmark_group("verdict, mixed corpus");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    group.bench_function("modelgate", |b| {
        b.iter(|| {
            corpus
                .iter()
                .filter(|p| modelgate_verdict(&ours, black_box(p)))
                .count()
        })
    });
    group.bench_function("jsonschema", |b| {
        b.iter(|| {
            corpus
                .iter()
                .filter(|p| jsonschema_verdict(&validators, black_box(p)))
                .count()
        })
    });
    group.finish();

    for (name, subset) in [
        ("verdict, valid payloads", &valid),
        ("verdict, invalid payloads", &invalid),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(subset.len() as u64));
        group.bench_function("modelgate", |b| {
            b.iter(|| {
                subset
                    .iter()
                    .filter(|p| modelgate_verdict(&ours, black_box(p)))
                    .count()
            })
        });
        group.bench_function("jsonschema", |b| {
            b.iter(|| {
                subset
                    .iter()
                    .filter(|p| jsonschema_verdict(&validators, black_box(p)))
                    .count()
            })
        });
        group.finish();
    }

    let mut group = c.benchmark_group("full report, mixed corpus");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    group.bench_function("modelgate", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|p| modelgate_report(&ours, black_box(p)))
                .sum::<usize>()
        })
    });
    group.bench_function("jsonschema", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|p| jsonschema_report(&validators, black_box(p)))
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
