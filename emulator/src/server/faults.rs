//! Injected faults: the `x-modelgate-fault` header (`429|500|503|timeout|drop-stream-after=N`,
//! with `retry-after` and `count`), the configured random rates, and the bounded table of
//! the faults already served.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use super::AppState;
use super::respond::{Shape, error};
use crate::config::{self, EmulatorConfig};
use crate::content;

/// The most (request, fault spec) pairs [`FaultCounts`] remembers.
const MAX_FAULT_ENTRIES: usize = 10_000;

/// The longest `x-modelgate-fault` value taken (`503; count=2; retry-after=1` is 29).
const MAX_FAULT_SPEC: usize = 256;

/// How often each (request seed, fault spec) pair has been served, with the insertion
/// order so that the oldest entries can be forgotten. Keys are two hashes (the spec's
/// too, never its text), so memory stays bounded whatever the requests send: at most
/// [`MAX_FAULT_ENTRIES`] entries of a few dozen bytes.
#[derive(Default)]
pub(super) struct FaultCounts {
    counts: HashMap<(u64, u64), u32>,
    order: VecDeque<(u64, u64)>,
}

impl FaultCounts {
    /// Counts one more arrival of `spec` on the request with `seed`; whether it is one of
    /// the first `count`.
    fn first_times(&mut self, seed: u64, spec: &str, count: u32) -> bool {
        let key = (seed, content::seed(spec.as_bytes()));
        let seen = self.counts.entry(key).or_insert(0);
        *seen = seen.saturating_add(1);
        let fault = *seen <= count;
        if *seen == 1 {
            self.order.push_back(key);
            while self.order.len() > MAX_FAULT_ENTRIES
                && let Some(old) = self.order.pop_front()
            {
                self.counts.remove(&old);
            }
        }
        fault
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.counts.len()
    }
}

/// `x-modelgate-fault: 429|500|503|timeout|drop-stream-after=N`, with options after `;`:
/// `retry-after=S` and `count=N` (fault only the first N times this request arrives, so
/// that a client's retry then succeeds). Without the header, the configured rates apply.
pub(super) async fn fault(
    state: &AppState,
    headers: &HeaderMap,
    seed: u64,
    shape: Shape,
) -> Result<Option<usize>, Response> {
    let n = state.requests.fetch_add(1, Ordering::Relaxed);
    let spec = headers
        .get("x-modelgate-fault")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    let refuse = |message: &str| {
        error(
            shape,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            message,
            json!({}),
        )
    };
    if spec.len() > MAX_FAULT_SPEC {
        return Err(refuse(&format!(
            "x-modelgate-fault is {} bytes; at most {MAX_FAULT_SPEC} are taken",
            spec.len()
        )));
    }
    let (kind, options) = spec.split_once(';').unwrap_or((spec, ""));
    let option = |name: &str| {
        options
            .split(';')
            .find_map(|o| o.trim().strip_prefix(name)?.strip_prefix('='))
            .map(str::trim)
    };
    // A number of seconds from 0 to a day; `-1`, `NaN`, `inf` are refused. Fractions
    // (for fast tests) are sent as `retry-after-ms`, see [`retry_after_headers`].
    let mut retry_after = match option("retry-after") {
        None => None,
        Some(v) => match v.parse::<f64>() {
            Ok(seconds) if (0.0..=MAX_RETRY_AFTER).contains(&seconds) => Some(seconds),
            _ => {
                return Err(refuse(&format!(
                    "retry-after={v} is not a number of seconds; allowed: 0 to {MAX_RETRY_AFTER}"
                )));
            }
        },
    };
    let mut kind = kind.trim().to_string();
    if let Some(count) = option("count").and_then(|v| v.parse::<u32>().ok())
        && !kind.is_empty()
        && !first_times(state, seed, spec, count)
    {
        kind.clear();
    }
    if kind.is_empty() {
        kind = random_fault(&state.config, n)
            .unwrap_or_default()
            .to_string();
        retry_after = retry_after.or(state.config.faults.retry_after_seconds);
    }
    let status = match kind.as_str() {
        "" => return Ok(None),
        "429" => StatusCode::TOO_MANY_REQUESTS,
        "500" => StatusCode::INTERNAL_SERVER_ERROR,
        "503" => StatusCode::SERVICE_UNAVAILABLE,
        "timeout" => {
            tokio::time::sleep(config::duration(state.config.timeout_fault_seconds)).await;
            return Err(error(
                shape,
                StatusCode::GATEWAY_TIMEOUT,
                "timeout",
                "the emulator held this request (fault: timeout)",
                json!({}),
            ));
        }
        other => match other
            .strip_prefix("drop-stream-after=")
            .and_then(|v| v.parse().ok())
        {
            Some(n) => return Ok(Some(n)),
            None => {
                return Err(refuse(&format!(
                    "unknown fault `{other}`: use 429, 500, 503, timeout or drop-stream-after=N"
                )));
            }
        },
    };
    let (kind_name, message) = match status.as_u16() {
        429 => ("rate_limit_error", "Rate limit exceeded (injected fault)"),
        503 => ("overloaded_error", "Service unavailable (injected fault)"),
        _ => (
            "api_error",
            "An internal server error occurred (injected fault)",
        ),
    };
    let mut response = error(shape, status, kind_name, message, json!({}));
    if let Some((whole, ms)) = retry_after.and_then(retry_after_headers) {
        response.headers_mut().insert(header::RETRY_AFTER, whole);
        if let Some(ms) = ms {
            response.headers_mut().insert("retry-after-ms", ms);
        }
    }
    Err(response)
}

/// The largest `Retry-After` sent, in seconds: a day.
const MAX_RETRY_AFTER: f64 = 86_400.0;

/// The headers that ask a client to wait `seconds`: `Retry-After` in whole seconds
/// (RFC 9110 delay-seconds; a fraction is rounded up), and for a fraction also
/// `retry-after-ms`, which the OpenAI and Anthropic SDKs and modelgate read first. A value
/// from a config built in code, which is not checked as a file is, is clamped to 0 to a
/// day; NaN sends nothing.
fn retry_after_headers(seconds: f64) -> Option<(HeaderValue, Option<HeaderValue>)> {
    if seconds.is_nan() {
        return None;
    }
    let seconds = seconds.clamp(0.0, MAX_RETRY_AFTER);
    let whole = HeaderValue::from(seconds.ceil() as u32);
    let ms = (seconds.fract() != 0.0).then(|| HeaderValue::from((seconds * 1000.0).round() as u64));
    Some((whole, ms))
}

/// Whether this is one of the first `count` arrivals of the request with this fault spec.
fn first_times(state: &AppState, seed: u64, spec: &str, count: u32) -> bool {
    state
        .fault_counts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .first_times(seed, spec, count)
}

/// The configured random faults, spread evenly over requests: request n gets a fault when
/// a low-discrepancy sequence falls in that fault's share.
fn random_fault(config: &EmulatorConfig, n: u64) -> Option<&'static str> {
    let f = &config.faults;
    if f.rate_429 + f.rate_500 + f.rate_503 <= 0.0 {
        return None;
    }
    let x = ((n as f64) * 0.618_033_988_749_895).fract();
    if x < f.rate_429 {
        Some("429")
    } else if x < f.rate_429 + f.rate_500 {
        Some("500")
    } else if x < f.rate_429 + f.rate_500 + f.rate_503 {
        Some("503")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fault_table_keeps_hashes_and_a_bounded_number_of_entries() {
        let mut table = FaultCounts::default();
        // Two hashes a key, whatever the header's length: no copy of the header is kept.
        let _keys_carry_no_text: &HashMap<(u64, u64), u32> = &table.counts;
        let long = "503; count=1; ".to_string() + &"x".repeat(200_000);
        assert!(table.first_times(1, &long, 1));
        assert!(
            !table.first_times(1, &long, 1),
            "counted once, then let through"
        );
        let spec = "503; count=2";
        for seed in 0..(MAX_FAULT_ENTRIES as u64 + 500) {
            table.first_times(seed + 10, spec, 2);
        }
        assert_eq!(table.len(), MAX_FAULT_ENTRIES);
        assert_eq!(table.order.len(), MAX_FAULT_ENTRIES);
        // The newest entries are kept.
        let last = MAX_FAULT_ENTRIES as u64 + 509;
        assert!(table.first_times(last, spec, 2), "second arrival");
        assert!(!table.first_times(last, spec, 2), "third arrival");
    }

    #[test]
    fn retry_after_is_whole_seconds_with_milliseconds_for_a_fraction() {
        let text = |s: f64| {
            retry_after_headers(s).map(|(whole, ms)| {
                (
                    whole.to_str().unwrap().to_string(),
                    ms.map(|v| v.to_str().unwrap().to_string()),
                )
            })
        };
        assert_eq!(text(2.0), Some(("2".into(), None)));
        assert_eq!(text(0.1), Some(("1".into(), Some("100".into()))));
        assert_eq!(text(-1.0), Some(("0".into(), None)));
        assert_eq!(text(f64::INFINITY), Some(("86400".into(), None)));
        assert_eq!(text(f64::NAN), None);
    }

    #[test]
    fn random_faults_match_their_rates() {
        let config = EmulatorConfig {
            faults: crate::config::FaultRates {
                rate_429: 0.1,
                rate_500: 0.05,
                rate_503: 0.0,
                retry_after_seconds: None,
            },
            ..Default::default()
        };
        let faults: Vec<_> = (0..1000).map(|n| random_fault(&config, n)).collect();
        let n429 = faults.iter().filter(|f| **f == Some("429")).count();
        assert!((98..=102).contains(&n429), "{n429}");
        let n500 = faults.iter().filter(|f| **f == Some("500")).count();
        assert!((48..=52).contains(&n500), "{n500}");
        assert!(random_fault(&EmulatorConfig::default(), 3).is_none());
    }
}
