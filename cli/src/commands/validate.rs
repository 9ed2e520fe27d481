//! `modelgate validate`: checks payload files against the catalog and reports every
//! finding at the level the policy gives it (config file, then flags). Exit status: 0 no
//! error (warnings allowed), 1 any error, 2 usage errors, a bad config file,
//! unreadable paths, or no payload found (unless `--allow-empty`).
//!
//! In JSON Lines, a line that is an object with `custom_id` and `body` and no `model` is
//! a batch line (OpenAI's Batch API input format): the file's one
//! [`BatchChecker`] checks it, its `url` choosing the endpoint, so that a repeated
//! `custom_id` is found anywhere in the file. Other lines stay plain payloads.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use modelgate::batch::BatchChecker;
use modelgate::{Code, Endpoint, Finding, Level, ParsedJson, Report, Validator};

use crate::inputs::{self, Payload};
use crate::lint::LintArgs;
use crate::report::{self, Checked, Format, Summary};

/// What to validate and how to report it.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print only the findings: no summary line, and nothing at all when every payload
    /// is clean (notes about skipped files too go).
    #[arg(long, short)]
    pub quiet: bool,
    /// Check every payload as a request to this endpoint (e.g. `vertexkey.messages`)
    /// instead of its model's default endpoint (or the config file's path patterns). A
    /// batch line's `url` names its own endpoint.
    #[arg(long, value_parser = crate::parse_endpoint)]
    pub endpoint: Option<Endpoint>,
    /// Lint levels.
    #[command(flatten)]
    pub lint: LintArgs,
    /// Walk what `.gitignore`, `.ignore` and git's exclude files would skip (as
    /// ripgrep's `--no-ignore`). Files named on the command line are always read.
    #[arg(long)]
    pub no_ignore: bool,
    /// Walk hidden files and directories too (names starting with `.`).
    #[arg(long)]
    pub hidden: bool,
    /// Follow symbolic links in directory walks (each file is still read once; a link
    /// that loops is noted). Without it, links are not followed, and each is noted.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Succeed when the paths hold no payload at all (by default that is a usage error,
    /// exit status 2: a CI job pointed at the wrong directory should not pass).
    #[arg(long)]
    pub allow_empty: bool,
    /// How to read standard input (`-`): `json` (one document), `jsonl` (one payload
    /// per line), `yaml` (one per document), or `auto`: a first non-blank line that is a
    /// whole JSON value means JSON Lines, one that starts a JSON value without ending it
    /// means one JSON document, anything else YAML.
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = inputs::Layout::from_stdin_format)]
    pub stdin_format: inputs::Layout,
    /// Files or directories: `.json` (one payload), `.jsonl`/`.ndjson` (one per line),
    /// `.yaml`/`.yml` (one per document); `-` reads standard input (see
    /// `--stdin-format`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// A writer that, once its reader has gone away (a broken pipe), takes every further
/// write without writing it.
struct UntilClosed<'a> {
    inner: &'a mut dyn Write,
    closed: bool,
}

impl<'a> UntilClosed<'a> {
    fn new(inner: &'a mut dyn Write) -> Self {
        UntilClosed {
            inner,
            closed: false,
        }
    }

    fn quietly<T>(&mut self, taken: T, result: io::Result<T>) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(taken)
            }
            other => other,
        }
    }
}

impl Write for UntilClosed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.quietly(buf.len(), result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.quietly((), result)
    }
}

/// Runs the command; output goes to `out` (`color`: with ANSI colours), errors about
/// paths and settings to `err`.
pub fn run(
    args: &ValidateArgs,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let settings = match args.lint.settings(&cwd) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let walk = inputs::WalkOptions {
        no_ignore: args.no_ignore,
        hidden: args.hidden,
        follow: args.follow,
        files: settings.files.clone(),
    };
    let found = inputs::discover(&args.paths, &walk);
    if !args.quiet {
        for note in &found.notes {
            writeln!(err, "note: {note}")?;
        }
    }
    if !found.errors.is_empty() {
        for e in &found.errors {
            writeln!(err, "error: {e}")?;
        }
        return Ok(ExitCode::from(2));
    }
    let mut inputs = found.inputs;
    for input in inputs.iter_mut().filter(|i| i.is_stdin()) {
        input.layout = args.stdin_format;
    }
    let checker = Validator::new()
        .policy(settings.policy)
        .declare(&settings.declared);
    let style = report::Style {
        color,
        quiet: args.quiet,
    };
    let mut reporter = report::reporter(args.format, style);
    // A reader that goes away (`modelgate validate ... | head`) ends the output, not the
    // check: every payload is still checked, so that the exit status tells the truth.
    let mut out = UntilClosed::new(out);
    let out: &mut dyn Write = &mut out;
    let mut summary = Summary::default();
    let mut unreadable = false;
    for input in &inputs {
        let path = input.display();
        // The --endpoint, or a config pattern's, or none: each model's default.
        let validator = match args
            .endpoint
            .or_else(|| settings.endpoints.endpoint_for(&input.path))
        {
            Some(e) => checker.clone().endpoint(e),
            None => checker.clone(),
        };
        // One per file: custom_ids must be unique in their file.
        let mut batch = BatchChecker::new(validator.clone());
        let result = inputs::for_each_payload(input, |payload| {
            let report = check(&validator, &mut batch, &payload);
            summary.add(&report);
            reporter.payload(
                out,
                &Checked {
                    path: &path,
                    payload: &payload,
                    report: &report,
                },
            )
        });
        summary.files += 1;
        if let Err(e) = result {
            writeln!(err, "error: {e}")?;
            unreadable = true;
        }
    }
    reporter.finish(out, &summary)?;
    let empty = summary.payloads == 0 && !args.allow_empty;
    if empty && !unreadable {
        writeln!(
            err,
            "error: no payload found in {} (looked for .json, .jsonl, .ndjson, .yaml and .yml files{}, not ignored by .gitignore or .ignore and not hidden: --no-ignore and --hidden widen the walk); pass --allow-empty if that is expected",
            if summary.files == 0 {
                "the paths given".to_string()
            } else {
                format!("{} files", summary.files)
            },
            if settings.files.is_empty() {
                ""
            } else {
                " that the config's include and exclude patterns let through"
            }
        )?;
    }
    Ok(if unreadable || empty {
        ExitCode::from(2)
    } else if summary.invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks one payload (a batch line with the file's `batch` checker). Every finding's
/// span indexes [`Payload::source`]: the validator's own for JSON (the batch checker's,
/// which moves the body's findings to their place in the line); for YAML, the bytes of
/// the node in the file, which the YAML reader gave and the validator's tape kept.
fn check(validator: &Validator, batch: &mut BatchChecker, payload: &Payload) -> Report {
    match payload {
        // A JSON Lines line is read once: that reading says whether it is a batch line,
        // and the batch checker or the validator follows it.
        Payload::Json {
            text,
            jsonl_line: Some(line),
            ..
        } => match ParsedJson::parse(text) {
            Ok(parsed) if parsed.is_batch_line() => batch.check_parsed(&parsed, *line),
            Ok(parsed) => validator.validate_parsed(&parsed),
            // Not JSON: the validator says where, as for any payload.
            Err(_) => validator.validate_json(text),
        },
        Payload::Json { text, .. } => validator.validate_json(text),
        // The document's nodes, checked as they are: each finding at its node's bytes.
        Payload::Yaml { doc, text, .. } => validator.validate_yaml(doc, text),
        Payload::BadYaml {
            message,
            line,
            column,
            text,
            lines,
        } => {
            let at = lines.offset(text, *line, *column);
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            Report {
                model: None,
                model_info: None,
                endpoint: None,
                errors: vec![Finding {
                    pointer: String::new(),
                    code: Code::InvalidJson,
                    level: Level::Deny,
                    message: format!("invalid YAML: {message}"),
                    span: Some(at..end),
                }],
                warnings: Vec::new(),
            }
        }
    }
}
