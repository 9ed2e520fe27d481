//! The tolerant response decoders on arbitrary bytes: every response type of both
//! gateways, the job-state readers, and error responses (body and retry headers). No
//! panic; what decodes encodes again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::ApiError;
use modelgate::media::JobState;
use reqwest::header::{HeaderMap, HeaderValue};

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(bytes: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(bytes).ok()?;
    serde_json::to_vec(&value).expect("a decoded value encodes");
    Some(value)
}

fuzz_target!(|data: &[u8]| {
    let _ = roundtrip::<modelgate::chat::ChatCompletion>(data);
    let _ = roundtrip::<modelgate::chat::ChatCompletionChunk>(data);
    let _ = roundtrip::<modelgate::messages::Message>(data);
    let _ = roundtrip::<modelgate::messages::MessageStreamEvent>(data);
    let _ = roundtrip::<modelgate::vertexkey::ImagesResponse>(data);
    let _ = roundtrip::<modelgate::vertexkey::ModelList>(data);
    if let Some(job) = roundtrip::<modelgate::vertexkey::VideoJob>(data) {
        let _ = job
            .status
            .map(|s| JobState::from_status(&s.to_string(), None));
    }
    let _ = roundtrip::<modelgate::vtrix::MediaTask>(data);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = modelgate::media::job_error_message(&value);
    }

    // An error response: the first line is a retry header's value, the rest the body.
    let text = String::from_utf8_lossy(data);
    let (header, body) = text.split_once('\n').unwrap_or(("", &text));
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(header) {
        headers.insert("retry-after", v.clone());
        headers.insert("retry-after-ms", v.clone());
        headers.insert("x-request-id", v);
    }
    let status = 400 + (data.len() % 200) as u16;
    let e = ApiError::from_parts(status, &headers, body.to_string());
    if let Some(d) = e.retry_after {
        assert!(d.as_secs() <= 60, "retry delays are capped at 60 s: {d:?}");
    }
    let _ = e.to_string();
});
