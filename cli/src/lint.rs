//! The lint-level options every checking command shares (`validate`, and the gateway
//! commands, which check a request before sending it): `--deny`, `--warn`, `--allow`,
//! `--config`, `--no-config`. The config file gives the levels first; the flags then
//! apply in the order given, as rustc's `-D`/`-W`/`-A` do.

use std::path::{Path, PathBuf};

use modelgate::validate::Level;

use crate::config::{self, Config, ConfigError};

/// Lint-level options.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LintArgs {
    /// Make findings errors: a code (`undocumented_parameter`), scoped to models and a
    /// parameter (`undocumented_parameter:aws/*:seed`; `*` in the model part crosses
    /// `/`), or `warnings` for every warning (CI strict mode). Repeatable.
    #[arg(long, short = 'D', value_name = "CODE[:MODEL[:PARAMETER]]")]
    pub deny: Vec<String>,
    /// Make findings warnings (same forms as --deny). Repeatable.
    #[arg(long, short = 'W', value_name = "CODE[:MODEL[:PARAMETER]]")]
    pub warn: Vec<String>,
    /// Do not report findings (same forms as --deny): "we checked that the gateway
    /// accepts this". Repeatable.
    #[arg(long, short = 'A', value_name = "CODE[:MODEL[:PARAMETER]]")]
    pub allow: Vec<String>,
    /// The config file (default: modelgate.toml in the working directory or the nearest
    /// directory above it).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read no config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// The level flags in command-line order (filled by [`crate::parse_args`]; without
    /// it, allow, then warn, then deny).
    #[arg(skip)]
    pub order: Vec<(Level, String)>,
}

/// Why the settings cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The config file is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A flag is wrong.
    #[error("--{level} {rule}: {message}")]
    Flag {
        /// The flag's level.
        level: Level,
        /// The rule as given.
        rule: String,
        /// What is wrong.
        message: String,
    },
}

impl LintArgs {
    /// The level flags in the order they apply.
    fn flags(&self) -> Vec<(Level, String)> {
        if !self.order.is_empty() {
            return self.order.clone();
        }
        let each = |level: Level, rules: &[String]| {
            rules
                .iter()
                .map(move |r| (level, r.clone()))
                .collect::<Vec<_>>()
        };
        [
            each(Level::Allow, &self.allow),
            each(Level::Warn, &self.warn),
            each(Level::Deny, &self.deny),
        ]
        .concat()
    }

    /// The config in `cwd` (the file named, or found upward, or none) with the flags
    /// applied on top.
    pub fn settings(&self, cwd: &Path) -> Result<Config, SettingsError> {
        let file = match (&self.config, self.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => config::find(cwd),
        };
        let mut settings = match &file {
            Some(path) => config::load(path)?,
            None => Config::default(),
        };
        for (level, rule) in self.flags() {
            settings
                .policy
                .apply(&rule, level)
                .map_err(|e| SettingsError::Flag {
                    level,
                    rule: rule.clone(),
                    message: e.to_string(),
                })?;
        }
        Ok(settings)
    }

    /// Records the level flags' command-line order from clap's matches of the command
    /// that has them.
    pub fn record_order(&mut self, matches: &clap::ArgMatches) {
        let mut flags: Vec<(usize, Level, String)> = Vec::new();
        for (id, level) in [
            ("allow", Level::Allow),
            ("warn", Level::Warn),
            ("deny", Level::Deny),
        ] {
            let (Ok(Some(values)), Some(indices)) =
                (matches.try_get_many::<String>(id), matches.indices_of(id))
            else {
                continue;
            };
            flags.extend(indices.zip(values).map(|(i, v)| (i, level, v.clone())));
        }
        flags.sort_by_key(|(i, _, _)| *i);
        self.order = flags.into_iter().map(|(_, l, r)| (l, r)).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelgate::Code;

    #[test]
    fn flags_apply_after_the_config_file_in_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("modelgate.toml");
        std::fs::write(&file, "[lints]\nundocumented_parameter = \"deny\"\n").unwrap();
        let up = Code::UndocumentedParameter;
        let args = LintArgs {
            order: vec![
                (Level::Allow, "undocumented_parameter".into()),
                (Level::Warn, "undocumented_parameter".into()),
            ],
            ..LintArgs::default()
        };
        // The file's deny, then the flags' allow and warn, in their order.
        let s = args.settings(dir.path()).unwrap();
        assert_eq!(s.policy.level(up, None, "/seed"), Level::Warn);
        let file_only = LintArgs::default().settings(dir.path()).unwrap();
        assert_eq!(file_only.policy.level(up, None, "/seed"), Level::Deny);
        let none = LintArgs {
            no_config: true,
            ..LintArgs::default()
        };
        let defaults = none.settings(dir.path()).unwrap();
        assert_eq!(defaults.policy.level(up, None, "/seed"), Level::Warn);
        let bad = LintArgs {
            deny: vec!["undocumented".into()],
            no_config: true,
            ..LintArgs::default()
        };
        let e = bad.settings(dir.path()).unwrap_err().to_string();
        assert!(
            e.starts_with("--deny undocumented: unknown code `undocumented`"),
            "{e}"
        );
    }
}
