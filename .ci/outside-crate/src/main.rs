//! Validates one good and one bad payload with modelgate built without its default
//! features, and exits non-zero unless the verdicts are right.

use modelgate::{Code, Validator};

fn main() {
    let validator = Validator::new();
    let good = br#"{"model": "aws/claude-haiku-4-5", "messages": [{"role": "user", "content": "hi"}]}"#;
    let bad = br#"{"model": "aws/claude-haiku-4-5", "messages": [{"role": "user", "content": "hi"}], "temperature": 7}"#;
    let good_report = validator.validate_json(good);
    assert!(good_report.errors.is_empty(), "{:?}", good_report.errors);
    let bad_report = validator.validate_json(bad);
    let found: Vec<_> = bad_report.errors.iter().map(|f| (f.pointer.as_str(), f.code)).collect();
    assert_eq!(found, [("/temperature", Code::OutOfRange)], "{:?}", bad_report.errors);
    println!("ok: {}", bad_report.errors[0].message);
}
