//! The emulator's settings, from a YAML file (`modelgate serve --config FILE`) or code.
//!
//! ```yaml
//! api_keys: [vai-local-1]        # accepted keys (default: any non-empty key)
//! no_balance_keys: [vai-broke]   # keys answered with 403 insufficient balance
//! stream_pacing_ms: 20           # pause between stream events
//! job_seconds: 6                 # how long a video or media job takes
//! faults: {rate_429: 0.05, rate_500: 0.01, rate_503: 0.0, retry_after_seconds: 1}
//! limits:                        # protections against clients that stall or send too much
//!   # max_connections: 20000     # served at once (default: the open-file limit less 64);
//!                                # at the limit, idle kept-alive connections give way to new ones
//!   header_timeout_seconds: 10   # a request head (or the next one, keep-alive) must arrive within this
//!   body_idle_seconds: 10        # longest pause while a request body arrives
//!   body_timeout_seconds: 60     # a whole request body must arrive within this
//!   shutdown_grace_seconds: 5    # on shutdown, open connections get this long, then are dropped
//!   max_body_bytes: 67108864     # larger request bodies are answered 413
//!   memory_budget_bytes: 268435456  # request bodies and whole answers held at once; beyond, 503
//! policy:                        # levels of the validation findings (default: modelgate's defaults)
//!   strict: true                 # refuse what a gateway does not document (every warning denied)
//!   deny: [unknown_model]        # also: warn, allow; entries as `modelgate validate --deny`
//! models:                        # what GET /v1/models lists (default: the catalog's VertexKey models)
//!   add: [{id: aws/claude-opus-4-8, owned_by: aws}]  # listed after them (owned_by: vertexkey unless given)
//!   withdraw: [aws/claude-sonnet-4-0]                # not listed; each must be a catalog VertexKey ID
//!   # list: [{id: aws/x}]        # instead of add and withdraw: exactly these, in this order
//!   fault: malformed             # or unauthorized: every GET /v1/models gets a 200 with a cut-off
//!                                # JSON body, or a 401 (the other endpoints are unaffected)
//! declared_models:               # models the catalog lacks, as modelgate.toml's [[models]]
//!   - {id: aws/claude-sonnet-4-7, gateway: vertexkey, like: aws/claude-sonnet-4-6,
//!      source: "VertexKey changelog", parameters: {max_tokens: {maximum: 32000}}}
//! ```
//!
//! `GET /v1/models` answers in the OpenAI list shape, `{"object": "list", "data": [{"id",
//! "object": "model", "created", "owned_by"}]}`. It also goes through the
//! `x-modelgate-fault` header and the `faults:` rates (429, 500, 503, timeout) as every
//! endpoint does; `models.fault` is for a list that is wrong while the rest works.

use std::path::Path;
use std::time::Duration;

use modelgate::validate::{Declarations, ModelDeclaration};
use modelgate::{Level, Policy};
use serde::Deserialize;

/// The largest config file read, in bytes: a real one is a few hundred.
pub const MAX_FILE: u64 = 1 << 20;

/// How the emulator behaves. `Debug` shows how many keys there are, never the keys.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmulatorConfig {
    /// Keys accepted; `None` accepts any non-empty key.
    pub api_keys: Option<Vec<String>>,
    /// Keys that authenticate but have no balance (answered with 403), whether or not
    /// `api_keys` lists them.
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
    /// The levels its validation gives findings: by default it accepts what modelgate's
    /// default policy accepts (warnings go back in the `x-modelgate-warnings` header).
    pub policy: PolicyConfig,
    /// Protections against clients that stall or send too much.
    pub limits: Limits,
    /// What `GET /v1/models` lists, and whether it answers at all.
    pub models: ModelList,
    /// Models the catalog lacks (or bundled ones changed), declared as `modelgate.toml`'s
    /// `[[models]]` declare them: served, checked by their declarations, and listed by
    /// `GET /v1/models` (VertexKey's).
    pub declared_models: Vec<ModelDeclaration>,
}

/// What `GET /v1/models` lists: the catalog's VertexKey models, with some added or
/// withdrawn, or a whole list instead; and a fault for that endpoint alone. For testing
/// a client of the list (`modelgate models --remote`, a catalog update) against a gateway
/// whose list changed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelList {
    /// Models listed after the catalog's.
    pub add: Vec<ListedModel>,
    /// Catalog IDs not listed.
    pub withdraw: Vec<String>,
    /// Exactly these models, instead of the catalog's (with `add` and `withdraw` empty).
    pub list: Option<Vec<ListedModel>>,
    /// A fault every `GET /v1/models` gets.
    pub fault: Option<ListFault>,
}

/// One model of the list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ListedModel {
    /// The ID.
    pub id: String,
    /// Its `owned_by` (default `vertexkey`).
    #[serde(default)]
    pub owned_by: Option<String>,
}

/// How `GET /v1/models` fails, when told to.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ListFault {
    /// 200 with `content-type: application/json` and a body cut off mid-list.
    Malformed,
    /// 401 with the OpenAI error body, whatever the key.
    Unauthorized,
}

/// The `owned_by` of the catalog's models and of added ones without one.
pub const OWNED_BY: &str = "vertexkey";

impl ModelList {
    /// The (id, owned_by) pairs listed, in order: the catalog's VertexKey models that are
    /// not withdrawn, then the added ones; or `list`.
    pub fn entries(&self) -> Vec<(String, String)> {
        let own = |m: &ListedModel| {
            (
                m.id.clone(),
                m.owned_by.clone().unwrap_or_else(|| OWNED_BY.to_string()),
            )
        };
        if let Some(list) = &self.list {
            return list.iter().map(own).collect();
        }
        // The gateway as the catalog last read it: not the IDs its list no longer gave.
        catalog_models()
            .filter(|(id, m)| m.not_listed.is_none() && !self.withdraw.iter().any(|w| w == id))
            .map(|(id, m)| (id.to_string(), m.owned_by.unwrap_or(OWNED_BY).to_string()))
            .chain(self.add.iter().map(own))
            .collect()
    }

    /// The first problem, as (JSON pointer, message).
    fn check(&self) -> Result<(), (String, String)> {
        if self.list.is_some() && !(self.add.is_empty() && self.withdraw.is_empty()) {
            return Err((
                "/models/list".into(),
                "give either `list`, or `add` and `withdraw`, not both".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        let (name, listed) = match &self.list {
            Some(list) => ("list", list),
            None => ("add", &self.add),
        };
        for (i, m) in listed.iter().enumerate() {
            let at = format!("/models/{name}/{i}/id");
            if m.id.trim().is_empty() || m.id.chars().any(char::is_whitespace) {
                return Err((at, "a model ID must be non-empty and hold no spaces".into()));
            }
            if !seen.insert(m.id.as_str()) {
                return Err((at, format!("`{}` is listed twice", m.id)));
            }
            // A model the catalog marks not_listed is not in the list: it may be added.
            if name == "add" && catalog_models().any(|(id, c)| id == m.id && c.not_listed.is_none())
            {
                return Err((
                    at,
                    format!("`{}` is a catalog VertexKey model, listed already", m.id),
                ));
            }
        }
        for (i, id) in self.withdraw.iter().enumerate() {
            if !catalog_models().any(|(c, _)| c == id) {
                return Err((
                    format!("/models/withdraw/{i}"),
                    format!(
                        "`{id}` is not a catalog VertexKey model, so it is not listed to begin with"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The catalog's VertexKey models with an ID, in catalog order.
fn catalog_models() -> impl Iterator<Item = (&'static str, &'static modelgate::catalog::ModelInfo)>
{
    modelgate::catalog::MODELS
        .iter()
        .filter(|m| m.provider == modelgate::Provider::VertexKey)
        .filter_map(|m| Some((m.id?, m)))
}

/// What a client may cost the emulator: connections, time to send a request, its size,
/// memory. The defaults let every normal client and honest load through (thousands of
/// kept-alive connections, long streams, `timeout` faults) while a client that stalls is
/// dropped within seconds and memory stays within the budget.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Connections served at once. `None` (the default) is the process's open-file limit
    /// less 64 ([`default_max_connections`](crate::connections::default_max_connections); `modelgate
    /// serve` first raises the limit to its hard maximum). When every slot is taken, the
    /// connection idle the longest (kept alive between requests, or silent since it
    /// connected) is closed for the new client; when all are busy, it waits for one to end.
    pub max_connections: Option<usize>,
    /// Seconds a client has to send a request's head, from connecting or from the end of
    /// the previous answer on a kept-alive connection (default 10): a client that sends
    /// half a request, or nothing, is disconnected, and so is an idle kept-alive connection.
    pub header_timeout_seconds: f64,
    /// Longest pause, in seconds, while a request body arrives (default 10); the request is
    /// then answered 408.
    pub body_idle_seconds: f64,
    /// Seconds a whole request body may take to arrive (default 60); then 408.
    pub body_timeout_seconds: f64,
    /// Seconds open connections get to finish after shutdown is asked (default 5); the
    /// ones still open then are dropped.
    pub shutdown_grace_seconds: f64,
    /// Largest request body, in bytes (default 64 MiB); larger ones are answered 413,
    /// before they are read when `Content-Length` announces them.
    pub max_body_bytes: usize,
    /// Bytes that request bodies and whole answers may hold at once, all connections
    /// together (default 256 MiB; at least `max_body_bytes`). A body takes its bytes as
    /// it arrives (all of them first when `Content-Length` announces them), an answer until
    /// it is written; a request that finds no room within `body_idle_seconds` is answered
    /// 503 `overloaded` with `Retry-After: 1`. What a handler makes of a body (its parsed
    /// JSON) comes on top, in proportion to it.
    pub memory_budget_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: None,
            header_timeout_seconds: 10.0,
            body_idle_seconds: 10.0,
            body_timeout_seconds: 60.0,
            shutdown_grace_seconds: 5.0,
            max_body_bytes: 64 << 20,
            memory_budget_bytes: 256 << 20,
        }
    }
}

/// The longest any configured wait may be: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// `seconds` as a duration, whatever it is: NaN and negatives are 0, more than a day (and
/// infinity) is a day. Configs from [`EmulatorConfig::from_yaml`] are already in range;
/// this keeps one built in code from panicking the server.
pub(crate) fn duration(seconds: f64) -> Duration {
    if seconds.is_nan() {
        return Duration::ZERO;
    }
    Duration::from_secs_f64(seconds.clamp(0.0, MAX_SECONDS))
}

/// The emulator's validation levels, in the words of `modelgate validate`'s flags.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Every warning is an error: a gateway that refuses what its docs do not cover.
    pub strict: bool,
    /// Rules set to deny (`CODE`, `CODE:MODEL`, `CODE:MODEL:PARAMETER`).
    pub deny: Vec<String>,
    /// Rules set to warn.
    pub warn: Vec<String>,
    /// Rules set to allow.
    pub allow: Vec<String>,
}

impl PolicyConfig {
    /// The policy; a bad rule gives its list and index (`deny/0`) and what is wrong.
    pub fn policy(&self) -> Result<Policy, (String, String)> {
        let mut policy = Policy::default();
        for (list, level, rules) in [
            ("allow", Level::Allow, &self.allow),
            ("warn", Level::Warn, &self.warn),
            ("deny", Level::Deny, &self.deny),
        ] {
            for (i, rule) in rules.iter().enumerate() {
                policy
                    .apply(rule, level)
                    .map_err(|e| (format!("/policy/{list}/{i}"), e.to_string()))?;
            }
        }
        if self.strict {
            policy.deny_warnings(true);
        }
        Ok(policy)
    }
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
    /// The `Retry-After` sent with injected faults, in seconds from 0 to 86400 (a
    /// fraction is sent rounded up, and exactly as `retry-after-ms`).
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
            policy: PolicyConfig::default(),
            limits: Limits::default(),
            models: ModelList::default(),
            declared_models: Vec::new(),
        }
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = |n: usize| format!("[{n} redacted]");
        f.debug_struct("EmulatorConfig")
            .field("api_keys", &self.api_keys.as_ref().map(|k| keys(k.len())))
            .field("no_balance_keys", &keys(self.no_balance_keys.len()))
            .field("stream_pacing_ms", &self.stream_pacing_ms)
            .field("job_seconds", &self.job_seconds)
            .field("timeout_fault_seconds", &self.timeout_fault_seconds)
            .field("faults", &self.faults)
            .field("max_jobs", &self.max_jobs)
            .field("policy", &self.policy)
            .field("limits", &self.limits)
            .field("models", &self.models)
            .field("declared_models", &self.declared_models)
            .finish()
    }
}

impl EmulatorConfig {
    /// Reads a YAML (or JSON) file of at most [`MAX_FILE`] bytes; errors name the file,
    /// line, column and field, and say what is allowed.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = modelgate_io::read::read_file_capped(path, MAX_FILE)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Self::from_yaml(&text).map_err(|e| format!("{}:{e}", path.display()))
    }

    /// Reads the YAML (or JSON) text of a config file; errors start with `line:column: `.
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        let doc = modelgate_io::yaml::parse_single(text).map_err(|e| e.to_string())?;
        let mut config: EmulatorConfig = doc.deserialize().map_err(|e| e.to_string())?;
        let at = |pointer: &str| {
            let p = doc.key_position(pointer);
            format!("{}:{}: {pointer}", p.line, p.column)
        };
        for (pointer, rate) in [
            ("/faults/rate_429", config.faults.rate_429),
            ("/faults/rate_500", config.faults.rate_500),
            ("/faults/rate_503", config.faults.rate_503),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "{}: {rate} is not a share; allowed: 0 to 1",
                    at(pointer)
                ));
            }
        }
        if config.faults.rate_429 + config.faults.rate_500 + config.faults.rate_503 > 1.0 {
            return Err(format!(
                "{}: the fault rates add up to more than 1",
                at("/faults")
            ));
        }
        let limits = &config.limits;
        for (pointer, seconds, least) in [
            ("/job_seconds", config.job_seconds, 0.0),
            ("/timeout_fault_seconds", config.timeout_fault_seconds, 0.0),
            (
                "/faults/retry_after_seconds",
                config.faults.retry_after_seconds.unwrap_or(0.0),
                0.0,
            ),
            (
                "/limits/header_timeout_seconds",
                limits.header_timeout_seconds,
                0.001,
            ),
            ("/limits/body_idle_seconds", limits.body_idle_seconds, 0.001),
            (
                "/limits/body_timeout_seconds",
                limits.body_timeout_seconds,
                0.001,
            ),
            (
                "/limits/shutdown_grace_seconds",
                limits.shutdown_grace_seconds,
                0.0,
            ),
        ] {
            if !(least..=MAX_SECONDS).contains(&seconds) {
                return Err(format!(
                    "{}: {seconds} seconds is out of range; allowed: {least} to 86400",
                    at(pointer)
                ));
            }
        }
        if limits
            .max_connections
            .is_some_and(|n| !(1..=1_000_000).contains(&n))
        {
            return Err(format!(
                "{}: must be from 1 to 1000000 (leave it out for the open-file limit less 64)",
                at("/limits/max_connections")
            ));
        }
        if !(1..=1 << 30).contains(&limits.max_body_bytes) {
            return Err(format!(
                "{}: must be from 1 to 1073741824 (1 GiB)",
                at("/limits/max_body_bytes")
            ));
        }
        if !(limits.max_body_bytes as u64..=1 << 40).contains(&(limits.memory_budget_bytes as u64))
        {
            return Err(format!(
                "{}: must be from max_body_bytes ({}) to 1099511627776 (1 TiB)",
                at("/limits/memory_budget_bytes"),
                limits.max_body_bytes
            ));
        }
        if let Err((pointer, message)) = config.policy.policy() {
            return Err(format!("{}: {message}", at(&pointer)));
        }
        if let Err((pointer, message)) = config.models.check() {
            return Err(format!("{}: {message}", at(&pointer)));
        }
        for (i, d) in config.declared_models.iter_mut().enumerate() {
            d.origin = Some(format!("the emulator config, declared_models[{i}]"));
        }
        if let Err(errors) = Declarations::resolve(config.declared_models.clone()) {
            let e = &errors[0];
            let field = match e.field.split_once('.') {
                Some((first, path)) => {
                    format!("{first}/{}", path.replace('~', "~0").replace('/', "~1"))
                }
                None => e.field.clone(),
            };
            let pointer = format!("/declared_models/{}/{field}", e.index);
            return Err(format!("{}: {}", at(&pointer), e.message));
        }
        if config.max_jobs == 0 {
            return Err(format!("{}: must be at least 1", at("/max_jobs")));
        }
        if config
            .api_keys
            .as_ref()
            .is_some_and(|k| k.iter().any(|k| k.trim().is_empty()))
        {
            return Err(format!("{}: keys must not be empty", at("/api_keys")));
        }
        Ok(config)
    }

    pub(crate) fn pacing(&self) -> Duration {
        Duration::from_millis(self.stream_pacing_ms)
    }

    pub(crate) fn job_duration(&self) -> Duration {
        duration(self.job_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_models_are_read_and_a_bad_one_is_located() {
        let c = EmulatorConfig::from_yaml(
            "declared_models:\n  - id: aws/claude-sonnet-4-7\n    gateway: vertexkey\n    like: aws/claude-sonnet-4-6\n    parameters: {max_tokens: {maximum: 32000}}\n",
        )
        .unwrap();
        assert_eq!(c.declared_models[0].id, "aws/claude-sonnet-4-7");
        assert_eq!(
            c.declared_models[0].origin.as_deref(),
            Some("the emulator config, declared_models[0]")
        );
        let e = EmulatorConfig::from_yaml(
            "declared_models:\n  - id: aws/claude-sonnet-4-7\n    gateway: vertexkey\n    like: aws/claude-sonet-4-6\n",
        )
        .unwrap_err();
        assert!(
            e.starts_with("4:5: /declared_models/0/like: `aws/claude-sonet-4-6` is not a bundled model; did you mean `aws/claude-sonnet-4-6`?"),
            "{e}"
        );
        let e = EmulatorConfig::from_yaml(
            "declared_models:\n  - id: aws/x\n    gateway: vertexkey\n    like: aws/glm-5\n    parameters:\n      messages/*/rol: {enum: [user]}\n",
        )
        .unwrap_err();
        assert!(
            e.starts_with("6:7: /declared_models/0/parameters/messages~1*~1rol:"),
            "{e}"
        );
    }

    #[test]
    fn reads_every_setting() {
        let c = EmulatorConfig::from_yaml(
            "api_keys: [k1]\nno_balance_keys: [k2]\nstream_pacing_ms: 5\njob_seconds: 0.5\n\
             faults: {rate_429: 0.25, retry_after_seconds: 1}\nmax_jobs: 3\n",
        )
        .unwrap();
        assert_eq!(c.api_keys, Some(vec!["k1".to_string()]));
        assert_eq!(c.no_balance_keys, ["k2"]);
        assert_eq!(c.pacing(), Duration::from_millis(5));
        assert_eq!(c.job_duration(), Duration::from_millis(500));
        assert_eq!(c.faults.rate_429, 0.25);
        assert_eq!(c.faults.retry_after_seconds, Some(1.0));
        assert_eq!(c.max_jobs, 3);
    }

    #[test]
    fn debug_never_shows_the_keys() {
        let c =
            EmulatorConfig::from_yaml("api_keys: [sk-secret-1]\nno_balance_keys: [sk-secret-2]\n")
                .unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains("sk-secret"), "{debug}");
        assert!(
            debug.contains("api_keys: Some(\"[1 redacted]\")"),
            "{debug}"
        );
    }

    #[test]
    fn errors_name_the_line_the_field_and_what_is_allowed() {
        let e =
            EmulatorConfig::from_yaml("job_seconds: 1\nfaults:\n  rate_492: 0.1\n").unwrap_err();
        assert!(
            e.starts_with("3:3: /faults/rate_492: unknown field `rate_492`"),
            "{e}"
        );
        assert!(e.contains("rate_429"), "{e}");
        let e = EmulatorConfig::from_yaml("faults:\n  rate_500: 1.5\n").unwrap_err();
        assert_eq!(
            e,
            "2:3: /faults/rate_500: 1.5 is not a share; allowed: 0 to 1"
        );
        let e = EmulatorConfig::from_yaml("stream_pacing_ms: fast\n").unwrap_err();
        assert!(e.starts_with("1:1: /stream_pacing_ms: invalid type"), "{e}");
        let e = EmulatorConfig::from_yaml("policy:\n  deny: [seed, unknown_model]\n").unwrap_err();
        assert!(
            e.starts_with("2:10: /policy/deny/0: unknown code `seed`"),
            "{e}"
        );
        let e = EmulatorConfig::from_yaml("job_seconds: -1\n").unwrap_err();
        assert!(
            e.contains("/job_seconds: -1 seconds is out of range; allowed: 0 to 86400"),
            "{e}"
        );
    }

    #[test]
    fn retry_after_is_a_number_of_seconds_in_range() {
        for bad in ["-1", ".nan", ".inf", "86401", "soon"] {
            let e = EmulatorConfig::from_yaml(&format!("faults:\n  retry_after_seconds: {bad}\n"))
                .unwrap_err();
            // Located; `.nan` and `.inf` are refused by the YAML reader itself.
            assert!(e.starts_with("2:"), "{bad}: {e}");
            assert!(
                e.contains("/faults/retry_after_seconds: ") || e.contains("NaN"),
                "{bad}: {e}"
            );
        }
        let c = EmulatorConfig::from_yaml("faults: {retry_after_seconds: 0.5}\n").unwrap();
        assert_eq!(c.faults.retry_after_seconds, Some(0.5));
    }

    #[test]
    fn limits_are_read_and_checked() {
        let c = EmulatorConfig::from_yaml(
            "limits:\n  max_connections: 4\n  header_timeout_seconds: 0.5\n  shutdown_grace_seconds: 0\n",
        )
        .unwrap();
        assert_eq!(c.limits.max_connections, Some(4));
        assert_eq!(c.limits.header_timeout_seconds, 0.5);
        assert_eq!(c.limits.body_timeout_seconds, 60.0);
        let e = EmulatorConfig::from_yaml("limits:\n  header_timeout_seconds: 0\n").unwrap_err();
        assert!(
            e.starts_with("2:3: /limits/header_timeout_seconds: 0 seconds is out of range"),
            "{e}"
        );
        let e = EmulatorConfig::from_yaml("limits:\n  max_connections: 0\n").unwrap_err();
        assert_eq!(
            e,
            "2:3: /limits/max_connections: must be from 1 to 1000000 (leave it out for the open-file limit less 64)"
        );
        let e = EmulatorConfig::from_yaml("limits:\n  memory_budget_bytes: 1000\n").unwrap_err();
        assert_eq!(
            e,
            "2:3: /limits/memory_budget_bytes: must be from max_body_bytes (67108864) to 1099511627776 (1 TiB)"
        );
        assert_eq!(EmulatorConfig::default().limits.max_connections, None);
        let e = EmulatorConfig::from_yaml("limits: {max_body: 1}\n").unwrap_err();
        assert!(e.contains("unknown field `max_body`"), "{e}");
    }

    #[test]
    fn the_model_list_is_read_and_checked_with_its_place() {
        let c = EmulatorConfig::from_yaml(
            "models:\n  add: [{id: aws/claude-opus-4-8, owned_by: aws}, {id: aws/x}]\n  withdraw: [aws/claude-sonnet-4-0]\n  fault: malformed\n",
        )
        .unwrap();
        assert_eq!(c.models.fault, Some(ListFault::Malformed));
        let entries = c.models.entries();
        assert!(entries.iter().all(|(id, _)| id != "aws/claude-sonnet-4-0"));
        assert_eq!(
            entries[entries.len() - 2..],
            [
                ("aws/claude-opus-4-8".to_string(), "aws".to_string()),
                ("aws/x".to_string(), OWNED_BY.to_string()),
            ]
        );
        for (yaml, want) in [
            (
                "models:\n  withdraw: [aws/claude-opus-4-7, aws/claude-sonnet-9]\n",
                "2:35: /models/withdraw/1: `aws/claude-sonnet-9` is not a catalog VertexKey model, so it is not listed to begin with",
            ),
            (
                "models:\n  add:\n    - {id: aws/claude-opus-4-7}\n",
                "3:8: /models/add/0/id: `aws/claude-opus-4-7` is a catalog VertexKey model, listed already",
            ),
            (
                "models:\n  list: [{id: a}, {id: a}]\n",
                "2:20: /models/list/1/id: `a` is listed twice",
            ),
            (
                "models:\n  list: [{id: \"a b\"}]\n",
                "2:11: /models/list/0/id: a model ID must be non-empty and hold no spaces",
            ),
            (
                "models:\n  add: [{id: b}]\n  list: []\n",
                "3:3: /models/list: give either `list`, or `add` and `withdraw`, not both",
            ),
        ] {
            assert_eq!(EmulatorConfig::from_yaml(yaml).unwrap_err(), want, "{yaml}");
        }
        let e = EmulatorConfig::from_yaml("models:\n  remove: [a]\n").unwrap_err();
        assert!(
            e.starts_with("2:3: /models/remove: unknown field `remove`"),
            "{e}"
        );
        assert!(e.contains("withdraw"), "{e}");
        let e = EmulatorConfig::from_yaml("models: {fault: 401}\n").unwrap_err();
        assert!(e.starts_with("1:10: /models/fault: "), "{e}");
        let e = EmulatorConfig::from_yaml("models: {fault: broken}\n").unwrap_err();
        assert!(e.contains("unknown variant `broken`"), "{e}");
        assert!(e.contains("malformed") && e.contains("unauthorized"), "{e}");
        let e = EmulatorConfig::from_yaml("models: {add: [{id: b, vendor: x}]}\n").unwrap_err();
        assert!(
            e.contains("/models/add/0/vendor: unknown field `vendor`"),
            "{e}"
        );
    }

    #[test]
    fn durations_from_code_never_panic() {
        assert_eq!(duration(f64::NAN), Duration::ZERO);
        assert_eq!(duration(-1.0), Duration::ZERO);
        assert_eq!(duration(f64::INFINITY), Duration::from_secs(86_400));
        assert_eq!(duration(1.5), Duration::from_millis(1500));
    }

    #[test]
    fn a_config_file_over_1_mib_is_refused_unread() {
        let path = std::env::temp_dir().join(format!(
            "modelgate-emulator-big-{}.yaml",
            std::process::id()
        ));
        let mut text = "# padding\n".repeat((MAX_FILE as usize / 10) + 10);
        text.push_str("job_seconds: 1\n");
        std::fs::write(&path, &text).unwrap();
        let e = EmulatorConfig::from_file(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(
            e.ends_with(": the file is larger than 1 MiB, the most modelgate reads"),
            "{e}"
        );
        assert!(e.starts_with(&path.display().to_string()), "{e}");
    }
}
