//! The `json` format: one JSON array, streamed one payload object at a time, each with
//! its file, JSON Lines line, model, endpoint, verdict, and its errors and warnings, each
//! finding with its `severity` and its place: `line`, `column` (characters, from 1),
//! `end_line` and `end_column` (just after its last character), when it has one.

use std::io::{self, Write};

use modelgate::{Code, Finding};
use serde::Serialize;

use super::{Checked, Reporter, Summary};
use crate::inputs::Payload;
use crate::source::Spot;

/// The JSON printer.
#[derive(Default)]
pub struct JsonArray {
    started: bool,
}

#[derive(Serialize)]
struct JsonPayload<'a> {
    path: &'a str,
    line: Option<usize>,
    model: Option<&'a str>,
    endpoint: Option<&'a str>,
    valid: bool,
    errors: Vec<JsonFinding<'a>>,
    warnings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    pointer: &'a str,
    code: Code,
    severity: &'static str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding, spot: Option<Spot>) -> Self {
        JsonFinding {
            pointer: &f.pointer,
            code: f.code,
            severity: f.level.severity(),
            message: &f.message,
            line: spot.map(|s| s.line),
            column: spot.map(|s| s.column),
            end_line: spot.map(|s| s.end_line),
            end_column: spot.map(|s| s.end_column),
        }
    }
}

impl Reporter for JsonArray {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        out.write_all(if self.started { b",\n" } else { b"[\n" })?;
        self.started = true;
        let (errors, warnings): (Vec<_>, Vec<_>) =
            c.placed().into_iter().partition(|(f, _)| f.is_error());
        let item = JsonPayload {
            path: c.path,
            line: match c.payload {
                Payload::Json { jsonl_line, .. } => *jsonl_line,
                _ => None,
            },
            model: c.report.model.as_deref(),
            endpoint: c.report.endpoint.map(|e| e.key()),
            valid: c.report.is_valid(),
            errors: errors
                .into_iter()
                .map(|(f, s)| JsonFinding::new(f, s))
                .collect(),
            warnings: warnings
                .into_iter()
                .map(|(f, s)| JsonFinding::new(f, s))
                .collect(),
        };
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::other)
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}
