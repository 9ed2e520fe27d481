//! `modelgate validate`: checks payload files against the catalog and reports every
//! finding at the level the policy gives it (config file, then flags). Exit status: 0 no
//! error (warnings allowed), 1 any error, 2 usage errors, a bad config file,
//! unreadable paths, or no payload found (unless `--allow-empty`).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use modelgate::{Code, Endpoint, Finding, Level, Report, Validator};

use crate::inputs::{self, Payload};
use crate::lint::LintArgs;
use crate::report::{self, Checked, Format, Summary};

/// What to validate and how to report it.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check every payload as a request to this endpoint (e.g. `vertexkey.messages`)
    /// instead of its model's default endpoint (or the config file's path patterns).
    #[arg(long, value_parser = crate::parse_endpoint)]
    pub endpoint: Option<Endpoint>,
    /// Lint levels.
    #[command(flatten)]
    pub lint: LintArgs,
    /// Succeed when the paths hold no payload at all (by default that is a usage error,
    /// exit status 2: a CI job pointed at the wrong directory should not pass).
    #[arg(long)]
    pub allow_empty: bool,
    /// Files or directories: `.json` (one payload), `.jsonl`/`.ndjson` (one per line),
    /// `.yaml`/`.yml` (one per document); `-` reads JSON Lines from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Runs the command; output goes to `out`, errors about paths and settings to `err`.
pub fn run(args: &ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let settings = match args.lint.settings(&cwd) {
        Ok(s) => s,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let found = inputs::discover(&args.paths);
    for note in &found.notes {
        writeln!(err, "note: {note}")?;
    }
    if !found.errors.is_empty() {
        for e in &found.errors {
            writeln!(err, "error: {e}")?;
        }
        return Ok(ExitCode::from(2));
    }
    let inputs = found.inputs;
    let checker = Validator::new().policy(settings.policy);
    let mut reporter = report::reporter(args.format);
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
        let result = inputs::for_each_payload(input, |payload| {
            let report = check(&validator, &payload);
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
            if e.source.kind() == io::ErrorKind::BrokenPipe {
                return Err(e.source);
            }
            writeln!(err, "error: {e}")?;
            unreadable = true;
        }
    }
    reporter.finish(out, &summary)?;
    let empty = summary.payloads == 0 && !args.allow_empty;
    if empty && !unreadable {
        writeln!(
            err,
            "error: no payload found in {} (looked for .json, .jsonl, .ndjson, .yaml and .yml files); pass --allow-empty if that is expected",
            if summary.files == 0 {
                "the paths given".to_string()
            } else {
                format!("{} files", summary.files)
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

fn check(validator: &Validator, payload: &Payload) -> Report {
    match payload {
        Payload::Json {
            text, first_line, ..
        } => {
            let mut report = validator.validate_json(text);
            if *first_line > 1 {
                in_file_coordinates(&mut report, *first_line);
            }
            report
        }
        Payload::Yaml { json, doc, .. } => {
            let mut report = validator.validate_json(json);
            for d in &doc.duplicates {
                let at = Some((d.position.line, d.position.column));
                validator.duplicate_key(&mut report, &d.pointer, at);
            }
            report
        }
        Payload::BadYaml {
            message,
            line,
            column,
            ..
        } => Report {
            model: None,
            model_info: None,
            endpoint: None,
            errors: vec![Finding {
                pointer: String::new(),
                code: Code::InvalidJson,
                level: Level::Deny,
                message: format!("invalid YAML: {message} at line {line} column {column}"),
                position: Some((*line, *column)),
            }],
            warnings: Vec::new(),
        },
    }
}

/// Rewrites "at line 1 column 76" in a JSON Lines payload's parse error to the line of the
/// file, so that the message and the reported location agree.
fn in_file_coordinates(report: &mut Report, first_line: usize) {
    for v in &mut report.errors {
        if let Some((line, column)) = v.position {
            let relative = format!(" at line {line} column {column}");
            if let Some(stripped) = v.message.strip_suffix(&relative) {
                v.message = format!(
                    "{stripped} at line {} column {column}",
                    first_line + line - 1
                );
            }
        }
    }
}
