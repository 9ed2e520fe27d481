//! The generator on the full catalog, in process (criterion): loading and checking
//! spec/, and generating every file (catalog tables, progenitor clients, 56 JSON Schemas,
//! MODELS.md) in memory. Writing to disk is left out; `bash bench/build-compare.sh`
//! times the whole `modelgate-codegen` process instead.
//!
//! ```text
//! cargo bench --bench generate
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn config() -> modelgate_codegen::Config {
    let mut c = modelgate_codegen::Config::new();
    c.catalog_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/spec"))
        .rerun_if_changed(false);
    c
}

fn generate(c: &mut Criterion) {
    let config = config();
    let catalog = config.load().expect("the catalog loads");
    let files = config.generate(&catalog).expect("the catalog generates");
    assert!(files.len() > 50, "{} files", files.len());
    let mut group = c.benchmark_group("generator");
    group.sample_size(20);
    group.bench_function("load and check spec/", |b| {
        b.iter(|| black_box(config.load().expect("loads")))
    });
    group.bench_function("generate every file", |b| {
        b.iter(|| black_box(config.generate(&catalog).expect("generates")))
    });
    group.bench_function("load, check and generate", |b| {
        b.iter(|| {
            let catalog = config.load().expect("loads");
            black_box(config.generate(&catalog).expect("generates"))
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
