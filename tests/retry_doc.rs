//! The retry table of the guide (docs/library.md, "Retries") says what
//! `modelgate::retry::decide` does: each row's outcome, for other requests and for paid
//! work, is computed here and compared with the text.

use modelgate::retry::{Attempt, Decision, decide};
use reqwest::header::{HeaderMap, HeaderValue};

/// The rows between the table's markers: (outcome, other requests, paid work).
fn table() -> Vec<(String, String, String)> {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/library.md")).unwrap();
    let start = guide
        .find("<!-- retry-table")
        .expect("the guide has the retry table");
    let end = guide
        .find("<!-- end retry-table -->")
        .expect("the table ends");
    guide[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Outcome"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (
                cells[0].to_string(),
                cells[1].to_string(),
                cells[2].to_string(),
            )
        })
        .collect()
}

fn words(decision: Decision) -> &'static str {
    match decision {
        Decision::Retry(_) => "retried",
        Decision::GiveUp => "not retried",
    }
}

/// What `decide` says for an outcome as the table names it, as (other, paid).
fn computed(outcome: &str) -> Vec<(&'static str, &'static str)> {
    let both = |attempt: Attempt| {
        (
            words(decide(attempt, 0, 2, false, 0.0)),
            words(decide(attempt, 0, 2, true, 0.0)),
        )
    };
    let status = |code: u16, header: Option<&str>| {
        let mut headers = HeaderMap::new();
        if let Some(h) = header {
            headers.insert("x-should-retry", HeaderValue::from_str(h).unwrap());
        }
        both(Attempt::Status(code, &headers))
    };
    match outcome {
        "no connection made" => vec![both(Attempt::ConnectFailed)],
        "timeout, or connection broken after sending" => vec![both(Attempt::MaybeReceived)],
        "any status with `x-should-retry: true`" => [400, 408, 500, 504]
            .iter()
            .map(|c| status(*c, Some("true")))
            .collect(),
        "any status with `x-should-retry: false`" => [408, 429, 500, 503]
            .iter()
            .map(|c| status(*c, Some("false")))
            .collect(),
        codes => codes
            .split(", ")
            .map(|c| status(c.parse().unwrap_or_else(|_| panic!("a status: {c}")), None))
            .collect(),
    }
}

#[test]
fn the_guides_retry_table_is_what_decide_does() {
    let rows = table();
    assert!(rows.len() >= 10, "{rows:?}");
    for (outcome, other, paid) in &rows {
        for (want_other, want_paid) in computed(outcome) {
            assert_eq!(
                (other.as_str(), paid.as_str()),
                (want_other, want_paid),
                "row `{outcome}`"
            );
        }
    }
}

#[test]
fn every_retryable_status_has_a_row() {
    let rows = table();
    let listed: Vec<String> = rows
        .iter()
        .flat_map(|(o, _, _)| o.split(", ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    for code in [408, 409, 429, 500, 502, 503, 504] {
        assert!(listed.contains(&code.to_string()), "no row for {code}");
    }
}
