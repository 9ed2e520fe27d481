//! The validator on arbitrary bytes claiming each model: the first byte picks a catalog
//! model, the rest follows `{"model": "<id>",`. No panic; the full report and the
//! verdict-only path agree; and when serde_json reads the bytes, checking the parsed
//! value gives the same verdict and the same violations.

#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::catalog::MODELS;
use modelgate::validate::Validator;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let ids: Vec<&str> = MODELS.iter().filter_map(|m| m.id).collect();
    let model = ids[usize::from(pick) % ids.len()];
    let mut payload = format!("{{\"model\": \"{model}\",").into_bytes();
    payload.extend_from_slice(rest);
    for bytes in [&payload[..], rest] {
        let validator = Validator::new();
        let report = validator.validate_json(bytes);
        assert_eq!(
            report.is_valid(),
            validator.is_valid_json(bytes),
            "verdict-only path"
        );
        for v in &report.violations {
            let _ = v.to_string();
        }
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
