//! The validator on arbitrary bytes claiming each model: the first byte picks a catalog
//! model, the rest follows `{"model": "<id>",`. No panic; the full report and the
//! verdict-only path agree (at the default and the strict policy); and when serde_json
//! reads the bytes, checking the parsed value gives the same verdict.

#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::catalog::MODELS;
use modelgate::validate::{Policy, Validator};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let ids: Vec<&str> = MODELS.iter().filter_map(|m| m.id).collect();
    let model = ids[usize::from(pick) % ids.len()];
    let mut payload = format!("{{\"model\": \"{model}\",").into_bytes();
    payload.extend_from_slice(rest);
    for bytes in [&payload[..], rest] {
        let strict = Validator::new().policy(Policy::strict());
        let strict_report = strict.validate_json(bytes);
        assert_eq!(
            strict_report.is_valid(),
            strict.is_valid_json(bytes),
            "verdict-only path, strict"
        );
        let validator = Validator::new();
        let report = validator.validate_json(bytes);
        assert_eq!(
            report.is_valid(),
            validator.is_valid_json(bytes),
            "verdict-only path"
        );
        for v in report.findings() {
            let _ = v.to_string();
        }
        // Strict only turns warnings into errors.
        assert_eq!(
            strict_report.errors.len(),
            report.errors.len() + report.warnings.len(),
            "strict = errors + warnings"
        );
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            let from_value = validator.validate_value(&value);
            assert_eq!(
                report.is_valid(),
                from_value.is_valid(),
                "bytes vs parsed value"
            );
        }
    }
});
