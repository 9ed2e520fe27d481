//! URLs: shown without the credentials they may carry, and
//! the redirect policy that keeps the key and headers on the gateway's origin.

/// A URL as errors show it: without the user name and password it may carry.
pub(crate) fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(an invalid URL)".to_string(),
    }
}

/// A URL to write down (in the catalog, say): without user name, password, query or
/// fragment, where credentials could be; `None` when it is not a URL.
///
/// ```
/// assert_eq!(
///     modelgate::http::public_url("https://u:secret@vertex-key.com/v1/models?key=vai-1#x").as_deref(),
///     Some("https://vertex-key.com/v1/models")
/// );
/// assert_eq!(modelgate::http::public_url("not a url"), None);
/// ```
pub fn public_url(url: &str) -> Option<String> {
    let mut parsed = reqwest::Url::parse(url).ok()?;
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    parsed.set_query(None);
    parsed.set_fragment(None);
    Some(parsed.to_string())
}

/// Follows a redirect only within the origin (scheme, host, port) it started from, at
/// most 10 times: the request carries the key and the configured headers, which must not
/// reach another host.
pub(super) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let origin = |u: &reqwest::Url| {
            (
                u.scheme().to_string(),
                u.host_str().map(str::to_string),
                u.port_or_known_default(),
            )
        };
        let Some(from) = attempt.previous().last() else {
            return attempt.follow();
        };
        if attempt.previous().len() > 10 {
            return attempt.error("more than 10 redirects");
        }
        if origin(from) != origin(attempt.url()) {
            let message = format!(
                "refused to follow a redirect from {} to another origin, {} \
                 (the API key and headers are sent to the gateway's host only)",
                from.origin().ascii_serialization(),
                attempt.url().origin().ascii_serialization()
            );
            return attempt.error(message);
        }
        attempt.follow()
    })
}
