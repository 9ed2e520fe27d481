//! `modelgate.toml`: lint levels, per-model and per-parameter exceptions, and the
//! endpoint each payload path is checked against. Found from the working directory
//! upward (as clippy finds `clippy.toml` and ruff `ruff.toml`), or named with `--config`.
//!
//! ```toml
//! # Levels for every model and parameter: allow, warn or deny.
//! [lints]
//! deprecated_parameter = "warn"
//! warnings = "deny"              # CI strict mode: every warning is an error
//!
//! # Exceptions for some models and parameters (also [[warn]] and [[deny]]).
//! [[allow]]
//! code = "undocumented_parameter"
//! models = ["vtrix-claude-sonnet-4.5"]       # globs on the model ID; default: every model
//! parameters = ["tools", "tool_choice"]      # paths, `*` for one segment; default: all
//! reason = "checked against the gateway on 2026-11-02"
//!
//! # Which endpoint a payload file is checked against, by its path relative to this file
//! # (globs, first match wins); other files use their model's default endpoint.
//! [endpoints]
//! "anthropic/**" = "vertexkey.messages"
//!
//! # Which files a directory walk takes as payload files (globs relative to this file):
//! # only those `include` matches (default: every .json, .jsonl, .ndjson, .yaml, .yml), less
//! # those `exclude` matches; a directory `exclude` matches is not walked. Files named on
//! # the command line are always checked. These keys come before the first [table].
//! include = ["payloads/**", "tests/requests/**"]
//! exclude = ["payloads/drafts"]
//!
//! # Models the bundled catalog lacks, or bundled ones changed (see
//! # modelgate::validate::Declarations): checked by validate, listed by models, served
//! # by serve.
//! [[models]]
//! id = "aws/claude-sonnet-4-7"
//! gateway = "vertexkey"
//! like = "aws/claude-sonnet-4-6"
//! source = "VertexKey changelog, 2026-12-01"
//! parameters.max_tokens = { maximum = 32000 }
//! ```
//!
//! Errors name the file, line, column and key, and say what is allowed.

use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use indexmap::IndexMap;
use modelgate::Endpoint;
use modelgate::rules::Constraint;
use modelgate::validate::{
    Declarations, Level, ModelDeclaration, Policy, PolicyError, Scope, parse_code, parse_level,
};
use serde::Deserialize;
use toml::Spanned;

/// The config file's name.
pub const FILE_NAME: &str = "modelgate.toml";

/// A config file that cannot be used: where, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file's content is wrong.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The key and what is wrong with it.
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    lints: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    allow: Vec<Exception>,
    #[serde(default)]
    warn: Vec<Exception>,
    #[serde(default)]
    deny: Vec<Exception>,
    #[serde(default)]
    endpoints: IndexMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    models: Vec<ModelTable>,
}

/// A `[[models]]` table: a model declared the way `spec/` declares one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelTable {
    id: Spanned<String>,
    gateway: Spanned<String>,
    #[serde(default)]
    like: Option<Spanned<String>>,
    #[serde(default)]
    source: Option<Spanned<String>>,
    #[serde(default)]
    parameters: IndexMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    code: Spanned<Codes>,
    #[serde(default)]
    models: Vec<Spanned<String>>,
    #[serde(default)]
    parameters: Vec<Spanned<String>>,
    /// Why the exception is there; kept for people, not read.
    #[serde(default)]
    #[allow(dead_code)]
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Codes {
    One(String),
    Many(Vec<String>),
}

impl Codes {
    fn names(&self) -> Vec<&str> {
        match self {
            Codes::One(c) => vec![c.as_str()],
            Codes::Many(c) => c.iter().map(String::as_str).collect(),
        }
    }
}

/// A loaded config file: the policy it sets and its path patterns.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The levels the file sets (on top of the defaults).
    pub policy: Policy,
    /// Path patterns that choose the endpoint, in file order.
    pub endpoints: EndpointPatterns,
    /// Which files a directory walk takes (`include`, `exclude`).
    pub files: FilePatterns,
    /// The models the file declares (`[[models]]`).
    pub declared: Declarations,
}

/// Where the config file's path patterns start: paths are matched relative to its
/// directory, whatever the working directory.
#[derive(Clone, Debug, Default)]
struct PatternBase {
    /// The config file's directory, absolute.
    base: PathBuf,
    /// The working directory, which relative payload paths start from.
    cwd: PathBuf,
}

impl PatternBase {
    /// `path` relative to the config file's directory (as given when it is outside it).
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = normalise(&self.cwd.join(path));
        match absolute.strip_prefix(&self.base) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }
}

/// Globs on payload paths (relative to the config file's directory) and the endpoint
/// each chooses; the first that matches wins.
#[derive(Clone, Debug, Default)]
pub struct EndpointPatterns {
    base: PatternBase,
    patterns: Vec<(String, GlobMatcher, Endpoint)>,
}

impl EndpointPatterns {
    /// The endpoint for a payload file, if a pattern matches its path.
    pub fn endpoint_for(&self, path: &Path) -> Option<Endpoint> {
        if self.patterns.is_empty() {
            return None;
        }
        let relative = self.base.relative(path);
        self.patterns
            .iter()
            .find(|(_, glob, _)| glob.is_match(&relative))
            .map(|(_, _, e)| *e)
    }

    /// Whether there are patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// The config's `include` and `exclude` globs: which files a directory walk takes as
/// payload files. Without `include`, every file with a payload extension is taken.
#[derive(Clone, Debug, Default)]
pub struct FilePatterns {
    base: PatternBase,
    include: Option<GlobSet>,
    exclude: Option<(GlobSet, Vec<String>)>,
}

/// Why a walk leaves a file or directory out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// `include` is set and matches nothing of it.
    NotIncluded,
    /// This `exclude` pattern matches it.
    Excluded(String),
}

impl FilePatterns {
    /// Why a file met in a walk is left out, if it is.
    pub fn skip_file(&self, path: &Path) -> Option<Skip> {
        if self.include.is_none() && self.exclude.is_none() {
            return None;
        }
        let relative = self.base.relative(path);
        if let Some(skip) = self.excluded(&relative) {
            return Some(skip);
        }
        match &self.include {
            Some(include) if !include.is_match(&relative) => Some(Skip::NotIncluded),
            _ => None,
        }
    }

    /// The `exclude` pattern that matches a directory met in a walk (it is not walked).
    pub fn skip_dir(&self, path: &Path) -> Option<Skip> {
        self.exclude.as_ref()?;
        self.excluded(&self.base.relative(path))
    }

    fn excluded(&self, relative: &Path) -> Option<Skip> {
        let (set, sources) = self.exclude.as_ref()?;
        let first = set.matches(relative).into_iter().next()?;
        Some(Skip::Excluded(sources[first].clone()))
    }

    /// Whether the file sets `include` or `exclude`.
    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// The config file that applies in `dir`: `modelgate.toml` there or in the nearest
/// directory above.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The largest config file read: a real one is a few hundred bytes.
const MAX_FILE: u64 = 1 << 20;

/// Reads a config file (at most 1 MiB of it) and checks it.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = modelgate_io::read::read_file_capped(path, MAX_FILE).map_err(|source| {
        ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }
    })?;
    parse(path, &text)
}

/// Checks the text of a config file that lives at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let at = |span: Option<Range<usize>>, message: String| {
        let (line, column) = line_column(text, span.map_or(0, |s| s.start));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let file: File = toml::from_str(text).map_err(|e| at(e.span(), one_line(e.message())))?;
    let mut policy = Policy::default();
    for (key, value) in &file.lints {
        let level = parse_level(value.get_ref())
            .map_err(|e| at(Some(value.span()), format!("lints.{}: {e}", key.get_ref())))?;
        policy
            .apply(key.get_ref(), level)
            .map_err(|e| at(Some(key.span()), format!("lints.{}: {e}", key.get_ref())))?;
    }
    for (table, level, exceptions) in [
        ("allow", Level::Allow, &file.allow),
        ("warn", Level::Warn, &file.warn),
        ("deny", Level::Deny, &file.deny),
    ] {
        for (i, e) in exceptions.iter().enumerate() {
            exception(&mut policy, e, level)
                .map_err(|(span, message)| at(Some(span), format!("{table}[{i}].{message}")))?;
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let base = PatternBase {
        base: normalise(&cwd.join(path.parent().unwrap_or(Path::new("")))),
        cwd,
    };
    let glob = |pattern: &Spanned<String>, key: &str| {
        GlobBuilder::new(pattern.get_ref())
            .literal_separator(true)
            .build()
            .map_err(|e| {
                at(
                    Some(pattern.span()),
                    format!(
                        "{key}: bad pattern `{}`: {} (globs: `*` within a directory, `**` across them, `?`, `[abc]`, `{{a,b}}`)",
                        pattern.get_ref(),
                        e.kind()
                    ),
                )
            })
    };
    let set = |patterns: &[Spanned<String>], key: &str| -> Result<Option<GlobSet>, ConfigError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in patterns.iter().enumerate() {
            builder.add(glob(pattern, &format!("{key}[{i}]"))?);
        }
        // Each glob compiled alone above; a set of valid globs always builds.
        builder
            .build()
            .map(Some)
            .map_err(|e| at(Some(patterns[0].span()), format!("{key}: {e}")))
    };
    let files = FilePatterns {
        base: base.clone(),
        include: set(&file.include, "include")?,
        exclude: set(&file.exclude, "exclude")?.map(|set| {
            let sources = file.exclude.iter().map(|p| p.get_ref().clone()).collect();
            (set, sources)
        }),
    };
    let mut patterns = Vec::new();
    for (pattern, endpoint) in &file.endpoints {
        let glob = glob(pattern, &format!("endpoints.\"{}\"", pattern.get_ref()))?;
        let chosen = crate::parse_endpoint(endpoint.get_ref()).map_err(|e| {
            at(
                Some(endpoint.span()),
                format!("endpoints.\"{}\": {e}", pattern.get_ref()),
            )
        })?;
        patterns.push((pattern.get_ref().clone(), glob.compile_matcher(), chosen));
    }
    // Declarations name their place as the user sees the file: relative to the working
    // directory when it is below it.
    let shown = path.strip_prefix(&base.cwd).unwrap_or(path);
    let declared = declarations(shown, text, &file.models)
        .map_err(|(span, message)| at(Some(span), message))?;
    Ok(Config {
        policy,
        endpoints: EndpointPatterns { base, patterns },
        files,
        declared,
    })
}

/// The `[[models]]` tables, resolved; an error gives the span and `key: message`.
fn declarations(
    path: &Path,
    text: &str,
    tables: &[ModelTable],
) -> Result<Declarations, (Range<usize>, String)> {
    let mut list = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let mut parameters = std::collections::BTreeMap::new();
        for (key, value) in &t.parameters {
            let constraint = Constraint::deserialize(value.get_ref().clone()).map_err(|e| {
                (
                    value.span(),
                    format!(
                        "models[{i}].parameters.\"{}\": {} (keys: minimum, maximum, enum, exhaustive, default, max_length, fixed, required, description, note)",
                        key.get_ref(),
                        one_line(&e.to_string())
                    ),
                )
            })?;
            parameters.insert(key.get_ref().clone(), constraint);
        }
        let (line, _) = line_column(text, t.id.span().start);
        list.push(ModelDeclaration {
            id: t.id.get_ref().clone(),
            gateway: t.gateway.get_ref().clone(),
            like: t.like.as_ref().map(|l| l.get_ref().clone()),
            parameters,
            source: t.source.as_ref().map(|s| s.get_ref().clone()),
            origin: Some(format!("{}:{line}", path.display())),
        });
    }
    Declarations::resolve(list).map_err(|errors| {
        // The first problem, at the key it is about.
        let e = &errors[0];
        let t = &tables[e.index];
        let span = match e.field.as_str() {
            "gateway" => t.gateway.span(),
            "like" => t.like.as_ref().map_or(t.id.span(), |l| l.span()),
            field => field
                .strip_prefix("parameters.")
                .and_then(|p| t.parameters.keys().find(|k| k.get_ref() == p))
                .map_or(t.id.span(), |k| k.span()),
        };
        (
            span,
            format!("models[{}].{}: {}", e.index, e.field, e.message),
        )
    })
}

/// Adds one `[[allow]]` / `[[warn]]` / `[[deny]]` table to the policy; an error gives the
/// span and `key: message`.
fn exception(
    policy: &mut Policy,
    e: &Exception,
    level: Level,
) -> Result<(), (Range<usize>, String)> {
    let models: Vec<(&str, Option<Range<usize>>)> = if e.models.is_empty() {
        vec![("", None)]
    } else {
        e.models
            .iter()
            .map(|m| (m.get_ref().as_str(), Some(m.span())))
            .collect()
    };
    let parameters: Vec<(&str, Option<Range<usize>>)> = if e.parameters.is_empty() {
        vec![("", None)]
    } else {
        e.parameters
            .iter()
            .map(|p| (p.get_ref().as_str(), Some(p.span())))
            .collect()
    };
    for name in e.code.get_ref().names() {
        let code = parse_code(name).map_err(|err| (e.code.span(), format!("code: {err}")))?;
        for (model, model_span) in &models {
            for (parameter, parameter_span) in &parameters {
                let scope = Scope::parse(model, parameter).map_err(|err| {
                    let (key, span) = match &err {
                        PolicyError::Pattern { what: "model", .. } => ("models", model_span),
                        _ => ("parameters", parameter_span),
                    };
                    (
                        span.clone().unwrap_or(e.code.span()),
                        format!("{key}: {err}"),
                    )
                })?;
                policy.scoped(code, scope, level);
            }
        }
    }
    Ok(())
}

/// Line and column (from 1, in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelgate::Code;

    fn parse_text(text: &str) -> Result<Config, String> {
        parse(Path::new("dir/modelgate.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn lints_exceptions_and_endpoints_are_read() {
        let c = parse_text(
            "[lints]\nundocumented_parameter = \"deny\"\n\n\
             [[allow]]\ncode = \"undocumented_parameter\"\nmodels = [\"vtrix-claude-sonnet-4.5\"]\n\
             parameters = [\"tools\", \"tool_choice\"]\nreason = \"checked\"\n\n\
             [endpoints]\n\"anthropic/**\" = \"vertexkey.messages\"\n\"**\" = \"vtrix.chat_completions\"\n",
        )
        .unwrap();
        let p = &c.policy;
        let up = Code::UndocumentedParameter;
        assert_eq!(
            p.level(up, Some("vtrix-claude-sonnet-4.5"), "/tools"),
            Level::Allow
        );
        assert_eq!(
            p.level(up, Some("vtrix-claude-sonnet-4.5"), "/seed"),
            Level::Deny
        );
        assert_eq!(p.level(up, Some("vtrix-grok-4"), "/tools"), Level::Deny);
        let base = std::env::current_dir().unwrap().join("dir");
        assert_eq!(
            c.endpoints.endpoint_for(&base.join("anthropic/a/b.json")),
            Some(Endpoint::VertexKeyMessages)
        );
        assert_eq!(
            c.endpoints.endpoint_for(&base.join("x.json")),
            Some(Endpoint::VtrixChatCompletions)
        );
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let e = parse_text("[lints]\nundocumented_paramter = \"allow\"\n").unwrap_err();
        assert!(
            e.starts_with("dir/modelgate.toml:2:1: lints.undocumented_paramter: unknown code `undocumented_paramter`; did you mean `undocumented_parameter`?"),
            "{e}"
        );
        let e = parse_text("[lints]\nout_of_range = \"error\"\n").unwrap_err();
        assert_eq!(
            e,
            "dir/modelgate.toml:2:16: lints.out_of_range: unknown level `error` (levels: allow, warn, deny)"
        );
        let e =
            parse_text("\n[[allow]]\ncode = \"undocumented_parameter\"\nmodels = [\"aws/[\"]\n")
                .unwrap_err();
        assert!(
            e.starts_with("dir/modelgate.toml:4:11: allow[0].models: bad model pattern `aws/[`"),
            "{e}"
        );
        let e = parse_text("[endpoints]\n\"a/**\" = \"vertexkey.mesages\"\n").unwrap_err();
        assert!(
            e.starts_with(
                "dir/modelgate.toml:2:10: endpoints.\"a/**\": unknown endpoint `vertexkey.mesages`"
            ),
            "{e}"
        );
        let e = parse_text("[lint]\n").unwrap_err();
        assert!(
            e.starts_with("dir/modelgate.toml:1:2: unknown field `lint`"),
            "{e}"
        );
        let e = parse_text("[[deny]]\nmodels = [\"x\"]\n").unwrap_err();
        assert!(
            e.starts_with("dir/modelgate.toml:1:1: missing field `code`"),
            "{e}"
        );
    }

    #[test]
    fn an_oversized_file_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        let mut text = "# padding\n".repeat((MAX_FILE / 10 + 1) as usize);
        text.push_str("[lints]\n");
        std::fs::write(&file, text).unwrap();
        let e = load(&file).unwrap_err().to_string();
        assert!(
            e.contains("modelgate.toml: the file is larger than 1 MiB, the most modelgate reads"),
            "{e}"
        );
        std::fs::write(&file, "[lints]\nwarnings = \"deny\"\n").unwrap();
        assert!(load(&file).unwrap().policy.denies_warnings());
    }

    #[test]
    fn the_nearest_file_upward_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find(&deep), None);
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join(FILE_NAME)));
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join("a").join(FILE_NAME)));
    }
}
