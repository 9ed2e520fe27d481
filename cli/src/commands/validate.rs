//! `modelgate validate`: checks payload files against the catalog and reports every
//! violation. Exit status: 0 all valid, 1 any invalid, 2 usage errors or unreadable paths.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use modelgate::{Code, Endpoint, Report, Validator, Violation};

use crate::inputs::{self, Payload};
use crate::report::{self, Checked, Format, Summary};

/// What to validate and how to report it.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check every payload as a request to this endpoint (e.g. `vertexkey.messages`)
    /// instead of its model's default endpoint.
    #[arg(long, value_parser = crate::parse_endpoint)]
    pub endpoint: Option<Endpoint>,
    /// Files or directories: `.json` (one payload), `.jsonl`/`.ndjson` (one per line),
    /// `.yaml`/`.yml` (one per document); `-` reads JSON Lines from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Runs the command; output goes to `out`, errors about paths to `err`.
pub fn run(args: &ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<ExitCode> {
    let (inputs, missing) = inputs::discover(&args.paths);
    if !missing.is_empty() {
        for e in &missing {
            writeln!(err, "error: {e}")?;
        }
        return Ok(ExitCode::from(2));
    }
    let validator = match args.endpoint {
        Some(e) => Validator::new().endpoint(e),
        None => Validator::new(),
    };
    let mut reporter = report::reporter(args.format);
    let mut summary = Summary::default();
    let mut unreadable = false;
    for input in &inputs {
        let path = input.display();
        let result = inputs::for_each_payload(input, |payload| {
            let report = check(&validator, &payload);
            summary.payloads += 1;
            if !report.is_valid() {
                summary.invalid += 1;
                summary.violations += report.violations.len();
            }
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
    Ok(if unreadable {
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
        Payload::Yaml { json, .. } => validator.validate_json(json),
        Payload::BadYaml {
            message,
            line,
            column,
            ..
        } => Report {
            model: None,
            model_info: None,
            endpoint: None,
            violations: vec![Violation {
                pointer: String::new(),
                code: Code::InvalidJson,
                message: format!("invalid YAML: {message} at line {line} column {column}"),
                position: Some((*line, *column)),
            }],
            notes: Vec::new(),
        },
    }
}

/// Rewrites "at line 1 column 76" in a JSON Lines payload's parse error to the line of the
/// file, so that the message and the reported location agree.
fn in_file_coordinates(report: &mut Report, first_line: usize) {
    for v in &mut report.violations {
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
