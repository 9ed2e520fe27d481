//! Lint levels, as clippy and ruff have them: every [`Code`] has a default level, and a
//! [`Policy`] changes it for all findings, or for some models (a glob on the model ID)
//! and some parameters (a path such as `tools` or `messages/*/name`, which also covers
//! everything below it).
//!
//! How a finding's level is decided: the code's default; then the policy's rules that
//! name no model and no parameter, in the order they were added (the last that matches
//! wins); then the rules scoped to models or parameters, in order, which override the
//! unscoped ones (a narrow exception stays in force whatever the broad level is); and
//! last, with [`Policy::deny_warnings`], every remaining warning becomes an error (CI
//! strict mode, `--deny warnings`).
//!
//! ```
//! use modelgate::validate::{Code, Level, Policy, Scope};
//!
//! let mut policy = Policy::default();
//! policy.set(Code::UndocumentedParameter, Level::Deny);
//! policy.scoped(Code::UndocumentedParameter, Scope::parse("vtrix-claude-sonnet-4.5", "tools").unwrap(), Level::Allow);
//! assert_eq!(policy.level(Code::UndocumentedParameter, Some("vtrix-claude-sonnet-4.5"), "/tools"), Level::Allow);
//! assert_eq!(policy.level(Code::UndocumentedParameter, Some("vtrix-claude-sonnet-4.5"), "/seed"), Level::Deny);
//! ```

use globset::{Glob, GlobBuilder, GlobMatcher};

use super::finding::{Code, Level};

/// A malformed level rule: a flag such as `--allow undocumented_parameter:aws/*:seed`, or
/// the same in a config file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The code is not one modelgate reports.
    #[error("unknown code `{code}`{hint} (codes: {known})")]
    UnknownCode {
        /// The code as written.
        code: String,
        /// `; did you mean ...?`, when one is close.
        hint: String,
        /// Every code, and `warnings`.
        known: String,
    },
    /// The code's level is fixed.
    #[error("the level of `{0}` cannot be changed: a payload that is not JSON is never valid")]
    Fixed(Code),
    /// `warnings` takes `deny` (or `warn`) only, and no scope.
    #[error(
        "`warnings` only takes deny (every warning becomes an error) or warn, for all models and parameters"
    )]
    Warnings,
    /// A glob that does not parse.
    #[error("bad {what} pattern `{pattern}`: {reason}")]
    Pattern {
        /// `model` or `parameter`.
        what: &'static str,
        /// The pattern as written.
        pattern: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A level name other than allow, warn and deny.
    #[error("unknown level `{0}` (levels: allow, warn, deny)")]
    Level(String),
}

/// Which findings a scoped rule covers: models by a glob on their ID (`aws/*`; `*`
/// crosses `/`), parameters by a path of names with `*` for one array index or name
/// (`messages/*/name`), covering that parameter and everything below it.
#[derive(Clone, Debug)]
pub struct Scope {
    model: Option<(String, GlobMatcher)>,
    parameter: Option<(String, GlobMatcher, GlobMatcher)>,
}

impl Scope {
    /// A scope from a model pattern and a parameter path; an empty string leaves that part
    /// open.
    pub fn parse(model: &str, parameter: &str) -> Result<Scope, PolicyError> {
        let model = match model {
            "" => None,
            m => Some((m.to_string(), glob(m, false, "model")?)),
        };
        let parameter = match parameter.trim_matches('/') {
            "" => None,
            p => Some((
                p.to_string(),
                glob(p, true, "parameter")?,
                glob(&format!("{p}/**"), true, "parameter")?,
            )),
        };
        Ok(Scope { model, parameter })
    }

    /// Whether a finding on `model` at `pointer` is covered.
    pub fn covers(&self, model: Option<&str>, pointer: &str) -> bool {
        let model_ok = match (&self.model, model) {
            (None, _) => true,
            (Some((_, m)), Some(id)) => m.is_match(id),
            (Some(_), None) => false,
        };
        let parameter_ok = match &self.parameter {
            None => true,
            Some((_, exact, below)) => {
                let path = pointer.trim_start_matches('/');
                exact.is_match(path) || below.is_match(path)
            }
        };
        model_ok && parameter_ok
    }

    /// Whether it names no model and no parameter.
    pub fn is_everything(&self) -> bool {
        self.model.is_none() && self.parameter.is_none()
    }

    /// Whether it names a parameter (so the finding's pointer is needed to decide).
    pub fn names_parameter(&self) -> bool {
        self.parameter.is_some()
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let model = self.model.as_ref().map_or("*", |(m, _)| m.as_str());
        match &self.parameter {
            Some((p, _, _)) => write!(f, "{model}:{p}"),
            None => write!(f, "{model}"),
        }
    }
}

fn glob(pattern: &str, separator: bool, what: &'static str) -> Result<GlobMatcher, PolicyError> {
    GlobBuilder::new(pattern)
        .literal_separator(separator)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| PolicyError::Pattern {
            what,
            pattern: pattern.to_string(),
            reason: e.kind().to_string(),
        })
}

#[derive(Clone, Debug)]
struct LevelRule {
    code: Code,
    scope: Scope,
    level: Level,
}

/// The levels findings get. [`Policy::default`] is the codes' default levels, which the
/// CLI also uses when no config file or flag says otherwise.
///
/// ```
/// use modelgate::{Code, Level, Policy, Validator};
///
/// let payload = br#"{"model": "vtrix-claude-3-haiku", "seed": 1,
///                    "messages": [{"role": "user", "content": "Hi"}]}"#;
/// // By default `seed` (not documented for the model) is a warning.
/// assert!(Validator::new().is_valid_json(payload));
///
/// // CI strict mode: every warning is an error...
/// let mut strict = Policy::strict();
/// assert!(!Validator::new().policy(strict.clone()).is_valid_json(payload));
/// // ... except this one, allowed for this model and parameter (as `-A` takes it).
/// strict.apply("undocumented_parameter:vtrix-claude-*:seed", Level::Allow).unwrap();
/// assert!(Validator::new().policy(strict).is_valid_json(payload));
///
/// // Or set one code's level everywhere.
/// let mut quiet = Policy::default();
/// quiet.set(Code::UndocumentedParameter, Level::Allow);
/// assert!(Validator::new().policy(quiet).validate_json(payload).warnings.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Policy {
    rules: Vec<LevelRule>,
    deny_warnings: bool,
    scoped_parameters: bool,
}

impl Policy {
    /// Each code's default level, and nothing else.
    pub const DEFAULT: Policy = Policy {
        rules: Vec::new(),
        deny_warnings: false,
        scoped_parameters: false,
    };

    /// The default levels with every warning turned into an error: for CI, and for a
    /// client that must not send anything the gateway's docs do not cover.
    pub fn strict() -> Policy {
        let mut p = Policy::default();
        p.deny_warnings(true);
        p
    }

    /// Sets `code`'s level for every model and parameter.
    pub fn set(&mut self, code: Code, level: Level) -> &mut Self {
        self.scoped(
            code,
            Scope {
                model: None,
                parameter: None,
            },
            level,
        )
    }

    /// Sets `code`'s level for the findings `scope` covers. A fixed code
    /// ([`Code::is_configurable`]) keeps its level.
    pub fn scoped(&mut self, code: Code, scope: Scope, level: Level) -> &mut Self {
        if code.is_configurable() {
            self.scoped_parameters |= scope.names_parameter();
            self.rules.push(LevelRule { code, scope, level });
        }
        self
    }

    /// Turns every warning into an error (`--deny warnings`), or stops doing so.
    pub fn deny_warnings(&mut self, on: bool) -> &mut Self {
        self.deny_warnings = on;
        self
    }

    /// Whether warnings are turned into errors.
    pub fn denies_warnings(&self) -> bool {
        self.deny_warnings
    }

    /// Applies a rule as written on a command line or in a config file: `CODE`,
    /// `CODE:MODEL` or `CODE:MODEL:PARAMETER` (an empty or `*` model means any), or
    /// `warnings`.
    pub fn apply(&mut self, rule: &str, level: Level) -> Result<&mut Self, PolicyError> {
        let mut parts = rule.splitn(3, ':');
        let name = parts.next().unwrap_or_default().trim();
        let model = parts.next().unwrap_or_default().trim();
        let parameter = parts.next().unwrap_or_default().trim();
        let model = if model == "*" { "" } else { model };
        if name == "warnings" {
            if !model.is_empty() || !parameter.is_empty() || level == Level::Allow {
                return Err(PolicyError::Warnings);
            }
            return Ok(self.deny_warnings(level == Level::Deny));
        }
        let code = parse_code(name)?;
        let scope = Scope::parse(model, parameter)?;
        Ok(self.scoped(code, scope, level))
    }

    /// Whether a finding of `code` can be an error under this policy (anywhere): a
    /// verdict needs no other findings.
    #[inline]
    pub fn may_deny(&self, code: Code) -> bool {
        self.deny_warnings
            || code.default_level() == Level::Deny
            || self
                .rules
                .iter()
                .any(|r| r.code == code && r.level == Level::Deny)
    }

    /// Whether deciding a level may need the finding's pointer (a rule names a parameter).
    pub fn needs_pointer(&self) -> bool {
        self.scoped_parameters
    }

    /// The level of a finding of `code` on `model` at `pointer`.
    pub fn level(&self, code: Code, model: Option<&str>, pointer: &str) -> Level {
        let mut level = code.default_level();
        if !code.is_configurable() {
            return level;
        }
        let matching = self.rules.iter().filter(|r| r.code == code);
        for r in matching.clone().filter(|r| r.scope.is_everything()) {
            level = r.level;
        }
        for r in matching.filter(|r| !r.scope.is_everything() && r.scope.covers(model, pointer)) {
            level = r.level;
        }
        if self.deny_warnings && level == Level::Warn {
            Level::Deny
        } else {
            level
        }
    }
}

/// The code named `name`, or an error listing the codes with a did-you-mean.
pub fn parse_code(name: &str) -> Result<Code, PolicyError> {
    let code = Code::from_name(name).ok_or_else(|| {
        let names = Code::ALL.iter().map(|c| c.as_str());
        let hint = crate::suggest::closest(name, names.clone().chain(["warnings"]))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        PolicyError::UnknownCode {
            code: name.to_string(),
            hint,
            known: names.chain(["warnings"]).collect::<Vec<_>>().join(", "),
        }
    })?;
    if !code.is_configurable() {
        return Err(PolicyError::Fixed(code));
    }
    Ok(code)
}

/// The level named `name`.
pub fn parse_level(name: &str) -> Result<Level, PolicyError> {
    Level::from_name(name).ok_or_else(|| PolicyError::Level(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: Code = Code::UndocumentedParameter;

    #[test]
    fn defaults_then_broad_rules_then_narrow_ones_then_deny_warnings() {
        let mut p = Policy::default();
        assert_eq!(p.level(UP, Some("aws/glm-5"), "/seed"), Level::Warn);
        p.apply("undocumented_parameter:aws/*:seed", Level::Allow)
            .unwrap();
        p.apply("undocumented_parameter", Level::Deny).unwrap();
        // The narrow allow outlives the later broad deny.
        assert_eq!(p.level(UP, Some("aws/glm-5"), "/seed"), Level::Allow);
        assert_eq!(p.level(UP, Some("aws/glm-5"), "/n"), Level::Deny);
        assert_eq!(p.level(UP, Some("vtrix-grok-4"), "/seed"), Level::Deny);
        p.apply("undocumented_parameter", Level::Warn).unwrap();
        p.apply("warnings", Level::Deny).unwrap();
        assert_eq!(p.level(UP, Some("vtrix-grok-4"), "/seed"), Level::Deny);
        assert_eq!(p.level(UP, Some("aws/glm-5"), "/seed"), Level::Allow);
        assert_eq!(
            p.level(Code::DeprecatedParameter, None, "/seed"),
            Level::Allow
        );
    }

    #[test]
    fn parameter_paths_cover_what_is_below_them_and_stars_match_one_segment() {
        let s = Scope::parse("", "messages/*/tool_calls").unwrap();
        assert!(s.covers(None, "/messages/3/tool_calls"));
        assert!(s.covers(None, "/messages/3/tool_calls/0/id"));
        assert!(!s.covers(None, "/messages/3/content"));
        assert!(!s.covers(None, "/messages/tool_calls"));
        let m = Scope::parse("aws/*", "").unwrap();
        assert!(m.covers(Some("aws/claude-opus-4-7"), "/x"));
        assert!(!m.covers(Some("vtrix-grok-4"), "/x"));
        assert!(!m.covers(None, "/x"));
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        let mut p = Policy::default();
        assert_eq!(
            p.apply("undocumented_paramter", Level::Allow)
                .unwrap_err()
                .to_string()
                .split(" (codes")
                .next()
                .unwrap(),
            "unknown code `undocumented_paramter`; did you mean `undocumented_parameter`?"
        );
        assert_eq!(
            p.apply("invalid_json", Level::Allow).unwrap_err(),
            PolicyError::Fixed(Code::InvalidJson)
        );
        assert_eq!(
            p.apply("warnings:aws/*", Level::Deny).unwrap_err(),
            PolicyError::Warnings
        );
        assert!(matches!(
            p.apply("unknown_parameter:[", Level::Allow).unwrap_err(),
            PolicyError::Pattern { what: "model", .. }
        ));
        assert_eq!(
            parse_level("error").unwrap_err(),
            PolicyError::Level("error".into())
        );
    }
}
