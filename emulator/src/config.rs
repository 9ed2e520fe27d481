//! The emulator's settings, from a YAML file (`modelgate serve --config FILE`) or code.
//!
//! ```yaml
//! api_keys: [vai-local-1]        # accepted keys (default: any non-empty key)
//! no_balance_keys: [vai-broke]   # keys answered with 403 insufficient balance
//! stream_pacing_ms: 20           # pause between stream events
//! job_seconds: 6                 # how long a video or media job takes
//! faults: {rate_429: 0.05, rate_500: 0.01, rate_503: 0.0, retry_after_seconds: 1}
//! ```

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

/// How the emulator behaves.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmulatorConfig {
    /// Keys accepted; `None` accepts any non-empty key.
    pub api_keys: Option<Vec<String>>,
    /// Keys that authenticate but have no balance (answered with 403).
    pub no_balance_keys: Vec<String>,
    /// Pause between stream events, in milliseconds.
    pub stream_pacing_ms: u64,
    /// How long a video or media job takes, in seconds (fractions allowed).
    pub job_seconds: f64,
    /// How long a `timeout` fault holds the request before answering 504, in seconds.
    pub timeout_fault_seconds: f64,
    /// Faults injected at random (deterministically, by request count).
    pub faults: FaultRates,
    /// Most jobs kept; the oldest are forgotten beyond this.
    pub max_jobs: usize,
}

/// Share of requests answered with each fault, from 0 to 1.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultRates {
    /// 429 rate limited.
    pub rate_429: f64,
    /// 500 server error.
    pub rate_500: f64,
    /// 503 unavailable.
    pub rate_503: f64,
    /// The `retry-after` sent with injected faults, in seconds.
    pub retry_after_seconds: Option<f64>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            api_keys: None,
            no_balance_keys: Vec::new(),
            stream_pacing_ms: 0,
            job_seconds: 3.0,
            timeout_fault_seconds: 60.0,
            faults: FaultRates::default(),
            max_jobs: 10_000,
        }
    }
}

impl EmulatorConfig {
    /// Reads a YAML (or JSON) file; errors name the file, line and field.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc = modelgate_codegen::yaml::parse_single(&text)
            .map_err(|e| format!("{}:{e}", path.display()))?;
        serde_json::from_value(doc.value).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub(crate) fn pacing(&self) -> Duration {
        Duration::from_millis(self.stream_pacing_ms)
    }

    pub(crate) fn job_duration(&self) -> Duration {
        Duration::from_secs_f64(self.job_seconds.max(0.0))
    }
}
