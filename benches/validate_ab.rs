//! The ratio of `validate.rs`, measured so that a shared, noisy machine cannot skew it:
//! both sides run over the same corpus in alternating rounds, and the medians are
//! compared. Prints one line per path.
//!
//! ```text
//! cargo bench --bench validate_ab
//! ```

mod common;
#[path = "common/median.rs"]
mod median;

use std::hint::black_box;
use std::time::Instant;

use common::{corpus, jsonschema_validators, jsonschema_verdict};

const ROUNDS: usize = 41;
const PASSES: usize = 40;

/// Median seconds per pass of `a` and of `b`, measured in alternation.
fn interleaved(mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..PASSES {
            f();
        }
        start.elapsed().as_secs_f64() / PASSES as f64
    };
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ta.push(time(&mut a));
        tb.push(time(&mut b));
    }
    (median::median(&ta), median::median(&tb))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; there is nothing to run here.
    }
    let corpus = corpus();
    let validators = jsonschema_validators();
    let ours = modelgate::Validator::new();
    for p in &corpus {
        assert_eq!(
            ours.is_valid_json(p),
            jsonschema_verdict(&validators, p),
            "{}",
            String::from_utf8_lossy(p)
        );
    }
    let valid: Vec<&Vec<u8>> = corpus.iter().filter(|p| ours.is_valid_json(p)).collect();
    let invalid: Vec<&Vec<u8>> = corpus.iter().filter(|p| !ours.is_valid_json(p)).collect();
    println!(
        "corpus: {} payloads ({} valid, {} invalid), identical verdicts",
        corpus.len(),
        valid.len(),
        invalid.len()
    );
    for (name, set) in [
        ("mixed", corpus.iter().collect::<Vec<_>>()),
        ("valid", valid),
        ("invalid", invalid),
    ] {
        let n = set.len() as f64;
        let (a, b) = interleaved(
            || {
                set.iter().for_each(|p| {
                    black_box(ours.is_valid_json(black_box(p)));
                })
            },
            || {
                set.iter().for_each(|p| {
                    black_box(jsonschema_verdict(&validators, black_box(p)));
                })
            },
        );
        println!(
            "verdict, {name:7} modelgate {:6.0} ns/payload   jsonschema {:6.0} ns/payload   ratio {:.2}x",
            a / n * 1e9,
            b / n * 1e9,
            b / a
        );
    }
}
