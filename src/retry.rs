//! When to retry a request and how long to wait, as the official OpenAI and Anthropic SDKs
//! do it (public-facts section 5), with one addition: requests that start paid work are
//! not retried once the gateway may have received them.
//!
//! The decision is one pure function, [`decide`], tested as a table below.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// The statuses the SDKs retry: 408, 409, 429 and 500 and above.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// What happened to an attempt.
#[derive(Clone, Copy, Debug)]
pub enum Attempt<'a> {
    /// The gateway answered with this status and these headers.
    Status(u16, &'a HeaderMap),
    /// No connection could be made: the request was not sent.
    ConnectFailed,
    /// The request timed out, or the connection broke, after it may have been sent.
    MaybeReceived,
}

/// Whether to try again, and after how long.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop and report the outcome.
    GiveUp,
}

/// The decision after an attempt. `retries_made` counts retries already made;
/// `paid` marks requests that start billed work (image generation, video and media jobs);
/// `jitter` in `[0, 1)` shortens the backoff by up to 25%.
pub fn decide(
    attempt: Attempt,
    retries_made: u32,
    max_retries: u32,
    paid: bool,
    jitter: f64,
) -> Decision {
    if retries_made >= max_retries {
        return Decision::GiveUp;
    }
    let (retry, headers) = match attempt {
        Attempt::ConnectFailed => (true, None),
        // It may have been received: a retry could pay twice.
        Attempt::MaybeReceived => (!paid, None),
        Attempt::Status(status, headers) => {
            let retry = match should_retry_header(headers) {
                Some(forced) => forced,
                // Paid work is retried only when the gateway said it did not accept it.
                None if paid => matches!(status, 429 | 503),
                None => retryable_status(status),
            };
            (retry, Some(headers))
        }
    };
    if !retry {
        return Decision::GiveUp;
    }
    let delay = headers
        .and_then(server_delay)
        .unwrap_or_else(|| backoff(retries_made, jitter));
    Decision::Retry(delay)
}

/// `x-should-retry: true|false`, when present.
fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// `min(0.5 * 2^n, 8)` seconds, less up to 25% jitter.
pub fn backoff(retries_made: u32, jitter: f64) -> Duration {
    let base = (0.5 * 2f64.powi(retries_made.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
}

/// The delay the server asks for: `retry-after-ms`, else `retry-after` in seconds or as
/// an HTTP date; used only when between 0 and 60 seconds.
pub fn server_delay(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let delay = if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        ms / 1000.0
    } else {
        let value = text("retry-after")?;
        match value.parse::<f64>() {
            Ok(seconds) => seconds,
            Err(_) => {
                let at = httpdate::parse_http_date(value).ok()?;
                match at.duration_since(SystemTime::now()) {
                    Ok(d) => d.as_secs_f64(),
                    Err(_) => 0.0, // a date in the past: retry now
                }
            }
        }
    };
    (0.0..=60.0)
        .contains(&delay)
        .then(|| Duration::from_secs_f64(delay))
}

/// A number in `[0, 1)` for backoff jitter, from the clock (no RNG dependency needed).
pub fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // A multiplicative hash spreads the low-entropy nanoseconds over [0, 1).
    f64::from(nanos.wrapping_mul(2_654_435_761) >> 8) / f64::from(1u32 << 24)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn secs(s: f64) -> Decision {
        Decision::Retry(Duration::from_secs_f64(s))
    }

    #[test]
    fn the_decision_table() {
        let none = headers(&[]);
        let ms = headers(&[("retry-after-ms", "1500")]);
        let after = headers(&[("retry-after", "3")]);
        let far = headers(&[("retry-after", "120")]);
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        let both = headers(&[("retry-after-ms", "250"), ("retry-after", "9")]);
        // (attempt, retries made, max, paid, expected), jitter 0.
        let table: &[(Attempt, u32, u32, bool, Decision)] = &[
            (Attempt::Status(429, &none), 0, 2, false, secs(0.5)),
            (Attempt::Status(429, &none), 1, 2, false, secs(1.0)),
            (Attempt::Status(429, &none), 2, 2, false, Decision::GiveUp),
            (Attempt::Status(500, &none), 0, 0, false, Decision::GiveUp),
            (Attempt::Status(408, &none), 0, 2, false, secs(0.5)),
            (Attempt::Status(409, &none), 0, 2, false, secs(0.5)),
            (Attempt::Status(500, &none), 0, 2, false, secs(0.5)),
            (Attempt::Status(503, &none), 0, 2, false, secs(0.5)),
            (Attempt::Status(400, &none), 0, 2, false, Decision::GiveUp),
            (Attempt::Status(401, &none), 0, 2, false, Decision::GiveUp),
            (Attempt::Status(403, &none), 0, 2, false, Decision::GiveUp),
            (Attempt::Status(404, &none), 0, 2, false, Decision::GiveUp),
            (Attempt::Status(429, &ms), 0, 2, false, secs(1.5)),
            (Attempt::Status(429, &after), 0, 2, false, secs(3.0)),
            (Attempt::Status(429, &far), 0, 2, false, secs(0.5)),
            (Attempt::Status(429, &both), 0, 2, false, secs(0.25)),
            (Attempt::Status(400, &yes), 0, 2, false, secs(0.5)),
            (Attempt::Status(500, &no), 0, 2, false, Decision::GiveUp),
            (Attempt::ConnectFailed, 0, 2, false, secs(0.5)),
            (Attempt::MaybeReceived, 0, 2, false, secs(0.5)),
            // Paid work: never after it may have been received; only when refused.
            (Attempt::MaybeReceived, 0, 2, true, Decision::GiveUp),
            (Attempt::ConnectFailed, 0, 2, true, secs(0.5)),
            (Attempt::Status(500, &none), 0, 2, true, Decision::GiveUp),
            (Attempt::Status(502, &none), 0, 2, true, Decision::GiveUp),
            (Attempt::Status(408, &none), 0, 2, true, Decision::GiveUp),
            (Attempt::Status(429, &none), 0, 2, true, secs(0.5)),
            (Attempt::Status(503, &none), 0, 2, true, secs(0.5)),
            (Attempt::Status(500, &yes), 0, 2, true, secs(0.5)),
            (Attempt::Status(429, &no), 0, 2, true, Decision::GiveUp),
        ];
        for (i, (attempt, made, max, paid, expected)) in table.iter().enumerate() {
            assert_eq!(
                decide(*attempt, *made, *max, *paid, 0.0),
                *expected,
                "row {i}: {attempt:?}"
            );
        }
    }

    #[test]
    fn backoff_doubles_up_to_8_seconds_less_jitter() {
        let b: Vec<f64> = (0..6).map(|n| backoff(n, 0.0).as_secs_f64()).collect();
        assert_eq!(b, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]);
        assert_eq!(backoff(3, 1.0).as_secs_f64(), 3.0);
        assert_eq!(backoff(100, 0.0).as_secs_f64(), 8.0);
    }

    #[test]
    fn server_delays() {
        assert_eq!(
            server_delay(&headers(&[("retry-after", "0")])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            server_delay(&headers(&[("retry-after", "2.5")])),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(server_delay(&headers(&[("retry-after", "61")])), None);
        assert_eq!(server_delay(&headers(&[("retry-after", "-1")])), None);
        assert_eq!(server_delay(&headers(&[("retry-after", "soon")])), None);
        let in_10s = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let d = server_delay(&headers(&[("retry-after", &in_10s)])).unwrap();
        assert!(
            d > Duration::from_secs(8) && d <= Duration::from_secs(10),
            "{d:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(100));
        assert_eq!(
            server_delay(&headers(&[("retry-after", &past)])),
            Some(Duration::ZERO)
        );
        let in_2m = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        assert_eq!(server_delay(&headers(&[("retry-after", &in_2m)])), None);
    }

    #[test]
    fn jitter_stays_in_range() {
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }
}
