//! Request files with an endpoint per line: JSON Lines whose lines are
//! `{"custom_id", "method", "url", "body"}`, the per-line object of OpenAI's Batch API
//! input file (`BatchRequestInput` in OpenAI's OpenAPI document; catalog note
//! `batch-files`). Neither gateway's documentation mentions batch files; modelgate checks
//! such a file line by line so that one file can hold requests to several endpoints.
//!
//! Per line, a [`BatchChecker`] checks that:
//! - the line is a JSON object (else `invalid_json` or `wrong_type`, as the
//!   [`Validator`] says for a payload);
//! - `custom_id` is a string, not used on an earlier line of the file
//!   ([`Code::DuplicateCustomId`], at the repeat, naming the first line);
//! - `method` is `"POST"`, the only method the format accepts ([`Code::BatchMethod`]);
//! - `url` names an endpoint ([`Code::UnknownUrl`] with a did-you-mean otherwise): an
//!   OpenAI path (`/v1/chat/completions`, `/v1/messages`, `/v1/images/generations`,
//!   `/v1/images/edits`, `/v1/videos`), or a gateway's own path (`/llm/chat/completions`
//!   and `/model/v1/generation` on Vtrix, `/api/v1/...` on VertexKey's alias base URL),
//!   each also with the gateway's base URL in front. The URL names an endpoint *kind*
//!   (chat completions, messages, ...); the body's `model` then picks its gateway's
//!   endpoint of that kind. A gateway's own path or full URL names the gateway too;
//! - the body's model is served by that endpoint ([`Code::UrlModelMismatch`], naming the
//!   endpoints that do serve it; the body is then checked on the model's default
//!   endpoint, as a plain payload is);
//! - `body` is an object, checked by the validator as a request to that endpoint. Its
//!   findings' pointers start with `/body` and their spans are moved by the body's
//!   place in the line, so that every span indexes the line's text; their levels are
//!   decided on the body's own pointers (a policy scoped to `seed` covers `/body/seed`);
//! - the line has no other member (`unknown_parameter`, with a did-you-mean).
//!
//! ```
//! use modelgate::batch::BatchChecker;
//! use modelgate::{Code, Validator};
//!
//! let mut batch = BatchChecker::new(Validator::new());
//! let line = br#"{"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions",
//!     "body": {"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 5000}}"#;
//! let report = batch.check_line(line, 1);
//! assert_eq!(report.errors[0].code, Code::OutOfRange);
//! assert_eq!(report.errors[0].pointer, "/body/max_tokens");
//! let span = report.errors[0].span.clone().unwrap();
//! assert_eq!(&line[span], b"5000");
//!
//! // The same custom_id again, on line 2.
//! let report = batch.check_line(line, 2);
//! assert!(report.errors.iter().any(|f| f.code == Code::DuplicateCustomId));
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::catalog::{Endpoint, ModelInfo, Provider};
use crate::validate::tape::Kind;
use crate::validate::{Code, Finding, Level, ParsedJson, Report, Validator};

/// The members of a batch line, in the format's order.
pub const MEMBERS: [&str; 4] = ["custom_id", "method", "url", "body"];

/// The OpenAI API paths a batch line's `url` may give, with the endpoint name (within a
/// gateway) each one names.
pub const OPENAI_PATHS: [(&str, &str); 5] = [
    ("/v1/chat/completions", "chat_completions"),
    ("/v1/messages", "messages"),
    ("/v1/images/generations", "images_generations"),
    ("/v1/images/edits", "images_edits"),
    ("/v1/videos", "videos"),
];

/// What a batch line's `url` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The endpoint's name within its gateway: `chat_completions`, `messages`,
    /// `images_generations`, `images_edits`, `videos`, `media_generation`.
    pub name: &'static str,
    /// The gateway the URL names, when it names one (a gateway's own path, or a full URL
    /// with its base URL); `None` for an OpenAI path, which the body's model decides.
    pub provider: Option<Provider>,
}

/// An accepted `url` and what it names.
struct Route {
    url: String,
    target: Target,
}

/// Every accepted `url`: the OpenAI paths, then each endpoint's path below each of its
/// gateway's base URLs (the part after the host, then the whole URL).
fn routes() -> &'static [Route] {
    static ROUTES: OnceLock<Vec<Route>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut routes: Vec<Route> = OPENAI_PATHS
            .iter()
            .map(|&(url, name)| Route {
                url: url.to_string(),
                target: Target {
                    name,
                    provider: None,
                },
            })
            .collect();
        for &e in Endpoint::ALL {
            let info = e.info();
            let provider = info.provider.info();
            let bases =
                std::iter::once(provider.base_url).chain(provider.base_url_aliases.iter().copied());
            for base in bases {
                let target = Target {
                    name: info.name,
                    provider: Some(info.provider),
                };
                for url in [
                    format!("{}{}", base_path(base), info.path),
                    format!("{base}{}", info.path),
                ] {
                    if !routes.iter().any(|r| r.url == url) {
                        routes.push(Route { url, target });
                    }
                }
            }
        }
        routes
    })
}

/// The path part of a base URL: `/v1` for `https://vertex-key.com/v1`, empty for
/// `https://cloud.vtrix.ai`.
fn base_path(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    rest.find('/')
        .map_or("", |i| rest[i..].trim_end_matches('/'))
}

/// The path a batch line gives for `endpoint`: its gateway's base URL's path, then its own
/// (`/v1/messages`, `/llm/chat/completions`).
pub fn endpoint_url(endpoint: Endpoint) -> String {
    let info = endpoint.info();
    format!("{}{}", base_path(info.provider.info().base_url), info.path)
}

/// What a batch line's `url` names, or `None` for a URL modelgate does not know.
///
/// ```
/// use modelgate::batch::target;
/// use modelgate::Provider;
///
/// assert_eq!(target("/v1/messages").unwrap().provider, None);
/// let vtrix = target("https://cloud.vtrix.ai/llm/chat/completions").unwrap();
/// assert_eq!((vtrix.name, vtrix.provider), ("chat_completions", Some(Provider::Vtrix)));
/// assert!(target("/v1/embeddings").is_none());
/// ```
pub fn target(url: &str) -> Option<Target> {
    routes().iter().find(|r| r.url == url).map(|r| r.target)
}

/// Every `url` a batch line may give: the paths, then the full URLs.
pub fn accepted_urls() -> impl Iterator<Item = &'static str> {
    let routes = routes();
    let paths = routes.iter().filter(|r| r.url.starts_with('/'));
    let full = routes.iter().filter(|r| !r.url.starts_with('/'));
    paths.chain(full).map(|r| r.url.as_str())
}

/// One member of a line: its key, the bytes of the key, its value's token and kind.
struct LineMember<'a> {
    key: &'a str,
    key_span: Range<usize>,
    value: usize,
    kind: Kind,
}

/// Checks the lines of one batch file, remembering each `custom_id` (and the line it was
/// first given on) so that a repeat anywhere in the file is found.
#[derive(Clone, Debug, Default)]
pub struct BatchChecker {
    validator: Validator,
    seen: HashMap<String, usize>,
}

/// What a line's `url` and body's model come to.
enum Resolved {
    /// The endpoint the body goes to.
    Endpoint(Endpoint),
    /// No endpoint (no URL, an unknown one, or a model the catalog does not know on a
    /// path that several gateways have): checked as a plain payload.
    Unknown,
    /// The URL's endpoint does not serve the model.
    Mismatch(&'static ModelInfo, Target),
}

impl BatchChecker {
    /// A checker for one file, whose findings get `validator`'s levels (its endpoint, if it
    /// has one, is used only for a line whose `url` names none).
    pub fn new(validator: Validator) -> Self {
        BatchChecker {
            validator,
            seen: HashMap::new(),
        }
    }

    /// The line `custom_id` was first given on, if it was.
    pub fn first_line_of(&self, custom_id: &str) -> Option<usize> {
        self.seen.get(custom_id).copied()
    }

    /// How many distinct `custom_id`s the lines checked so far gave.
    pub fn custom_ids(&self) -> usize {
        self.seen.len()
    }

    /// Checks one line of the file, given as its text (without the line break) and its
    /// line number (used to name the first line of a repeated `custom_id`). Every
    /// finding's span indexes `text`. See the [module docs](self).
    pub fn check_line(&mut self, text: &[u8], line: usize) -> Report {
        match ParsedJson::parse(text) {
            Ok(parsed) => self.check_parsed(&parsed, line),
            // Not JSON: the validator says so as for any payload.
            Err(_) => self.validator.validate_json(text),
        }
    }

    /// [`BatchChecker::check_line`] on a line already read: its members, the body and
    /// its findings all come from the one reading of its bytes.
    pub fn check_parsed(&mut self, parsed: &ParsedJson, line: usize) -> Report {
        let (text, tape) = (parsed.text, &parsed.tape);
        if tape.tokens[0].kind != Kind::Object {
            // Not an object: the validator says so as for any payload.
            return self.validator.validate_tape(text, tape, 0);
        }
        let members: Vec<LineMember> = tape
            .members(0)
            .map(|(k, v)| LineMember {
                key: tape.str(text, k),
                key_span: tape.span(k),
                value: v,
                kind: tape.tokens[v].kind,
            })
            .collect();
        let object = tape.value_span(0);
        // A repeated member: the last one counts, as serde_json reads it.
        let mut duplicates: Vec<(String, Range<usize>)> = Vec::new();
        let mut unknown = Vec::new();
        let mut by_name: [Option<&LineMember>; 4] = [None; 4];
        for m in &members {
            match MEMBERS.iter().position(|&k| k == m.key) {
                Some(i) => {
                    if by_name[i].is_some() {
                        duplicates.push((format!("/{}", MEMBERS[i]), m.key_span.clone()));
                    }
                    by_name[i] = Some(m);
                }
                None => unknown.push(m),
            }
        }
        let [custom_id, method, url, body] = by_name;
        let string = |m: &LineMember| -> Option<String> {
            (m.kind == Kind::String).then(|| tape.str(text, m.value).to_string())
        };
        let span = |m: &LineMember| tape.value_span(m.value);
        let body_object = body.filter(|b| b.kind == Kind::Object).map(|b| b.value);
        // The body's model: its last `model` member, as serde_json reads it.
        let (model, model_span) = body_object
            .and_then(|b| tape.last_member(text, b, "model"))
            .filter(|(v, _)| tape.tokens[*v].kind == Kind::String)
            .map(|(v, _)| (tape.str(text, v).to_string(), tape.span(v)))
            .unzip();
        let url_text = url.and_then(string);
        let target = url_text.as_deref().and_then(target);
        let resolved = resolve(target, model.as_deref(), &self.validator);
        let model_span = model_span.unwrap_or_else(|| object.clone());

        // The body, checked on the URL's endpoint (or as a plain payload), where it is in
        // the line's tape: its spans index the line.
        let mut report = match body_object {
            Some(b) => {
                let validator = match resolved {
                    Resolved::Endpoint(e) => self.validator.clone().endpoint(e),
                    _ => self.validator.clone(),
                };
                let mut report = validator.validate_tape(text, tape, b);
                for f in report.errors.iter_mut().chain(&mut report.warnings) {
                    f.pointer.insert_str(0, "/body");
                }
                report
            }
            None => Report {
                model: None,
                model_info: None,
                endpoint: None,
                errors: Vec::new(),
                warnings: Vec::new(),
            },
        };
        if let Resolved::Endpoint(e) = resolved {
            report.endpoint = Some(e);
        }
        let mut out = Vec::new();

        match custom_id {
            None => out.push((
                Code::MissingRequired,
                "/custom_id",
                object.clone(),
                "`custom_id` is required on a batch line: the id, unique in the file, that \
                 matches each output to its request"
                    .to_string(),
            )),
            Some(m) => match string(m) {
                None => out.push((
                    Code::WrongType,
                    "/custom_id",
                    span(m),
                    "`custom_id` must be a string".to_string(),
                )),
                Some(id) => match self.seen.get(&id) {
                    Some(&first) => out.push((
                        Code::DuplicateCustomId,
                        "/custom_id",
                        span(m),
                        format!(
                            "custom_id {} was already given on line {first}; each request of a \
                             batch file needs its own, as outputs are matched to requests by it",
                            json_string(&id)
                        ),
                    )),
                    None => {
                        self.seen.insert(id, line);
                    }
                },
            },
        }

        match method {
            None => out.push((
                Code::MissingRequired,
                "/method",
                object.clone(),
                "`method` is required on a batch line: \"POST\", the only method the batch \
                 format accepts"
                    .to_string(),
            )),
            Some(m) => match string(m) {
                None => out.push((
                    Code::WrongType,
                    "/method",
                    span(m),
                    "`method` must be the string \"POST\"".to_string(),
                )),
                Some(s) if s == "POST" => {}
                Some(s) => out.push((
                    Code::BatchMethod,
                    "/method",
                    span(m),
                    format!(
                        "method {} is not accepted: the batch format accepts only \"POST\"",
                        json_string(&s)
                    ),
                )),
            },
        }

        match (url, &url_text) {
            (None, _) => out.push((
                Code::MissingRequired,
                "/url",
                object.clone(),
                format!(
                    "`url` is required on a batch line: the endpoint's path, one of {}",
                    paths_list()
                ),
            )),
            (Some(m), None) => out.push((
                Code::WrongType,
                "/url",
                span(m),
                "`url` must be a string: the endpoint's path, such as \"/v1/chat/completions\""
                    .to_string(),
            )),
            (Some(m), Some(u)) if target.is_none() => {
                let hint = crate::suggest::closest(u, accepted_urls())
                    .map(|s| format!("did you mean {}? ", json_string(s)))
                    .unwrap_or_default();
                out.push((
                    Code::UnknownUrl,
                    "/url",
                    span(m),
                    format!(
                        "url {} names no endpoint modelgate knows; {hint}accepted: {}, each \
                         also after its gateway's base URL",
                        json_string(u),
                        paths_list()
                    ),
                ));
            }
            _ => {}
        }

        match body {
            None => out.push((
                Code::MissingRequired,
                "/body",
                object.clone(),
                "`body` is required on a batch line: the request, as a JSON object".to_string(),
            )),
            Some(b) if b.kind != Kind::Object => out.push((
                Code::WrongType,
                "/body",
                span(b),
                "`body` must be an object: the request, as it would be sent to the url".to_string(),
            )),
            Some(_) => {}
        }

        if let Resolved::Mismatch(info, target) = resolved {
            // A listed model of unknown kind has no endpoints: any of its gateway's.
            let served: Vec<String> = (if info.endpoints.is_empty() {
                Endpoint::ALL
            } else {
                info.endpoints
            })
            .iter()
            .filter(|&&e| info.is_served_on(e))
            .map(|&e| format!("{} (url \"{}\")", e.key(), endpoint_url(e)))
            .collect();
            let span = model_span.clone();
            let named = match target.provider {
                Some(p) => format!("{} {}", p.info().name, target.name.replace('_', " ")),
                None => target.name.replace('_', " "),
            };
            out.push((
                Code::UrlModelMismatch,
                "/body/model",
                span,
                format!(
                    "a body for a model the URL does not serve: url {} names {named}, which \
                     does not serve {}; it is served on {}",
                    json_string(url_text.as_deref().unwrap_or_default()),
                    json_string(info.id.unwrap_or(info.name)),
                    served.join(", ")
                ),
            ));
        }

        for m in unknown {
            let hint = crate::suggest::closest(m.key, MEMBERS)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            let pointer = format!("/{}", crate::pointer::escape(m.key));
            let message = format!(
                "`{}` is not a member of a batch line (it has custom_id, method, url and body; \
                 the request's own parameters go in `body`){hint}",
                m.key
            );
            self.push(
                &mut report,
                Code::UnknownParameter,
                &pointer,
                m.key_span.clone(),
                message,
            );
        }
        for (code, pointer, span, message) in out {
            self.push(&mut report, code, pointer, span, message);
        }
        for (pointer, at) in duplicates {
            self.validator
                .duplicate_key(&mut report, &pointer, Some(at));
        }
        let at = |f: &Finding| f.span.as_ref().map_or(usize::MAX, |s| s.start);
        report.errors.sort_by_key(at);
        report.warnings.sort_by_key(at);
        report
    }

    /// Adds a finding at the level the policy gives it.
    fn push(
        &self,
        report: &mut Report,
        code: Code,
        pointer: &str,
        span: Range<usize>,
        message: String,
    ) {
        let level = self
            .validator
            .levels()
            .level(code, report.model.as_deref(), pointer);
        let finding = Finding {
            pointer: pointer.to_string(),
            code,
            level,
            message,
            span: Some(span),
        };
        match level {
            Level::Allow => {}
            Level::Warn => report.warnings.push(finding),
            Level::Deny => report.errors.push(finding),
        }
    }
}

/// The endpoint a URL and a model come to.
fn resolve(target: Option<Target>, model: Option<&str>, validator: &Validator) -> Resolved {
    let Some(target) = target else {
        return Resolved::Unknown;
    };
    let of = |provider: Provider| {
        Endpoint::ALL
            .iter()
            .copied()
            .find(|e| e.info().provider == provider && e.info().name == target.name)
    };
    match model.and_then(|id| validator.find_model(id)) {
        Some(info) => {
            if target.provider.is_some_and(|p| p != info.provider) {
                return Resolved::Mismatch(info, target);
            }
            match of(info.provider) {
                Some(e) if info.is_served_on(e) => Resolved::Endpoint(e),
                _ => Resolved::Mismatch(info, target),
            }
        }
        // A model the catalog does not know: the URL's gateway, or the only one with
        // such an endpoint.
        None => {
            let mut candidates = Endpoint::ALL.iter().copied().filter(|e| {
                e.info().name == target.name
                    && target.provider.is_none_or(|p| p == e.info().provider)
            });
            match (candidates.next(), candidates.next()) {
                (Some(e), None) => Resolved::Endpoint(e),
                _ => Resolved::Unknown,
            }
        }
    }
}

/// The accepted paths, quoted, for messages.
fn paths_list() -> String {
    accepted_urls()
        .filter(|u| u.starts_with('/'))
        .map(|u| format!("\"{u}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string as JSON writes it, for messages.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests;
