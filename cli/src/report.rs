//! The three output formats of `modelgate validate`, each carrying every finding's
//! severity:
//! - `human`: each finding shown at its spot in the file, like a compiler (`error[...]`
//!   then `warning[...]`), and a summary with both counts;
//! - `json`: one JSON array, an object per payload (streamed, one object at a time), with
//!   `errors` and `warnings`, each entry with its `severity`; `valid` means no error;
//! - `github`: GitHub Actions workflow annotations (`::error` and `::warning`).

use std::io::{self, Write};

use modelgate::{Code, Finding, Report};
use serde::Serialize;

use crate::escape;
use crate::inputs::Payload;
use crate::locate::{line_column, locate};
use modelgate_io::yaml;

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Violations shown in their file's text, then a summary.
    Human,
    /// A JSON array with one object per payload.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// One checked payload.
pub struct Checked<'a> {
    /// The file, as shown.
    pub path: &'a str,
    /// The payload as read.
    pub payload: &'a Payload<'a>,
    /// What the validator found.
    pub report: &'a Report,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Payloads checked.
    pub payloads: usize,
    /// Payloads with at least one error.
    pub invalid: usize,
    /// Errors in all.
    pub errors: usize,
    /// Warnings in all.
    pub warnings: usize,
}

impl Summary {
    /// Counts one payload's report.
    pub fn add(&mut self, report: &Report) {
        self.payloads += 1;
        self.invalid += usize::from(!report.is_valid());
        self.errors += report.errors.len();
        self.warnings += report.warnings.len();
    }
}

/// Writes reports in one format.
pub trait Reporter {
    /// Reports one payload.
    fn payload(&mut self, out: &mut dyn Write, checked: &Checked) -> io::Result<()>;
    /// Ends the output.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The reporter for `format`.
pub fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(Human),
        Format::Json => Box::new(JsonArray { first: true }),
        Format::Github => Box::new(Github),
    }
}

/// Where a violation is in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// How many characters to underline.
    pub width: usize,
    /// The text of that line.
    pub line_text: String,
}

/// Whether a finding is about a member's presence, so that its key is marked rather than
/// its value.
fn marks_key(code: Code) -> bool {
    matches!(
        code,
        Code::UnknownParameter
            | Code::UndocumentedParameter
            | Code::DeprecatedParameter
            | Code::DuplicateKey
    )
}

/// Finds where `v` is in the payload's file. The key of an unknown or undocumented
/// parameter is marked rather than its value; a missing field marks the object that
/// lacks it.
pub fn place(payload: &Payload, v: &Finding) -> Option<Place> {
    match payload {
        Payload::Json {
            text, first_line, ..
        } => {
            if let Some((line, column)) = v.position {
                let line = line.max(1);
                return Some(Place {
                    line: first_line + line - 1,
                    column: column.max(1),
                    width: 1,
                    line_text: nth_line(text, line - 1),
                });
            }
            let (pointer, span) = locate(text, &v.pointer)
                .map(|s| (v.pointer.as_str(), s))
                .or_else(|| {
                    let parent = &v.pointer[..v.pointer.rfind('/')?];
                    Some((parent, locate(text, parent)?))
                })?;
            let (start, end) = match span.key {
                Some(key) if marks_key(v.code) && pointer == v.pointer => key,
                _ if pointer != v.pointer => (span.value.0, span.value.0 + 1),
                _ => span.value,
            };
            let (line, column) = line_column(text, start);
            let line_text = nth_line(text, line - 1);
            let rest = line_text.chars().count().saturating_sub(column - 1);
            let width = String::from_utf8_lossy(&text[start..end])
                .chars()
                .count()
                .clamp(1, rest.max(1));
            Some(Place {
                line: first_line + line - 1,
                column,
                width,
                line_text,
            })
        }
        Payload::Yaml { doc, text, .. } => {
            let pos = if let Some((line, column)) = v.position {
                yaml::Position { line, column }
            } else if marks_key(v.code) {
                doc.key_position(&v.pointer)
            } else {
                doc.position(&v.pointer)
            };
            let line_text = yaml_line(text, pos.line);
            let width = line_text
                .chars()
                .skip(pos.column - 1)
                .take_while(|c| !c.is_whitespace() && !",]}".contains(*c))
                .count()
                .max(1);
            Some(Place {
                line: pos.line,
                column: pos.column,
                width,
                line_text,
            })
        }
        Payload::BadYaml {
            line, column, text, ..
        } => Some(Place {
            line: (*line).max(1),
            column: (*column).max(1),
            width: 1,
            line_text: yaml_line(text, *line),
        }),
    }
}

/// Line `line` (from 1) of a YAML text, where a line break is `\r\n`, `\n` or a lone
/// `\r`, as the YAML reader counts them.
fn yaml_line(text: &str, line: usize) -> String {
    text.split('\n')
        .flat_map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.split('\r')
        })
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .to_string()
}

fn nth_line(text: &[u8], n: usize) -> String {
    let line = text.split(|b| *b == b'\n').nth(n).unwrap_or_default();
    String::from_utf8_lossy(line)
        .trim_end_matches('\r')
        .to_string()
}

/// The payload's line in the file, for `--format json` (JSON Lines only).
fn jsonl_line(payload: &Payload) -> Option<usize> {
    match payload {
        Payload::Json { jsonl_line, .. } => *jsonl_line,
        _ => None,
    }
}

struct Human;

/// Shows at most this many characters of a long line (JSON Lines often are).
const WINDOW: usize = 100;

impl Reporter for Human {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        let path = escape::line(c.path);
        for v in c.report.findings() {
            let message = escape::line(&v.message);
            writeln!(out, "{}[{}]: {message}", v.level.severity(), v.code)?;
            let pointer = escape::line(pointer_label(&v.pointer));
            match place(c.payload, v) {
                Some(p) => excerpt(out, &path, &p, &pointer)?,
                None => writeln!(out, "  --> {path} ({pointer})")?,
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(
            out,
            "checked {} in {}: {} valid, {} invalid ({}, {})",
            count(s.payloads, "payload"),
            count(s.files, "file"),
            s.payloads - s.invalid,
            s.invalid,
            count(s.errors, "error"),
            count(s.warnings, "warning"),
        )
    }
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn pointer_label(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

/// The compiler-style excerpt: location, the line (control characters escaped), and a
/// caret under the spot. `path` and `pointer` come escaped.
fn excerpt(out: &mut dyn Write, path: &str, p: &Place, pointer: &str) -> io::Result<()> {
    let number = p.line.to_string();
    let pad = " ".repeat(number.len() + 1);
    let chars: Vec<char> = p.line_text.chars().collect();
    let spot = p.column.saturating_sub(1).min(chars.len());
    // Keep long lines readable: a window that starts a little before the spot.
    let start = if chars.len() > WINDOW {
        spot.saturating_sub(WINDOW / 4)
    } else {
        0
    };
    let end = (start + WINDOW).min(chars.len());
    let shown_chars: Vec<String> = chars[start..end]
        .iter()
        .map(|c| escape::line(&c.to_string()).into_owned())
        .collect();
    let mut shown: String = shown_chars.concat();
    let mut caret_at: usize = shown_chars[..spot - start]
        .iter()
        .map(|s| s.chars().count())
        .sum();
    if start > 0 {
        shown.insert_str(0, "...");
        caret_at += 3;
    }
    if end < chars.len() {
        shown.push_str("...");
    }
    let marked = p.width.min(end.saturating_sub(spot)).max(1);
    let width = shown_chars
        .get(spot - start..(spot - start + marked).min(shown_chars.len()))
        .map_or(1, |cs| cs.iter().map(|s| s.chars().count()).sum::<usize>())
        .max(1);
    writeln!(out, "  --> {path}:{}:{}", p.line, p.column)?;
    writeln!(out, "{pad}|")?;
    writeln!(out, " {number} | {shown}")?;
    writeln!(
        out,
        "{pad}| {}{} {}",
        " ".repeat(caret_at),
        "^".repeat(width),
        pointer_label(pointer)
    )
}

struct JsonArray {
    first: bool,
}

#[derive(Serialize)]
struct JsonPayload<'a> {
    path: &'a str,
    line: Option<usize>,
    model: Option<&'a str>,
    endpoint: Option<&'a str>,
    valid: bool,
    errors: &'a [Finding],
    warnings: &'a [Finding],
}

impl Reporter for JsonArray {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        out.write_all(if self.first { b"[\n" } else { b",\n" })?;
        self.first = false;
        let item = JsonPayload {
            path: c.path,
            line: jsonl_line(c.payload),
            model: c.report.model.as_deref(),
            endpoint: c.report.endpoint.map(|e| e.key()),
            valid: c.report.is_valid(),
            errors: &c.report.errors,
            warnings: &c.report.warnings,
        };
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::other)
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.write_all(if self.first { b"[]\n" } else { b"\n]\n" })
    }
}

struct Github;

impl Reporter for Github {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        for v in c.report.findings() {
            let mut props = format!("file={}", escape_property(&escape::line(c.path)));
            if let Some(p) = place(c.payload, v) {
                props.push_str(&format!(",line={},col={}", p.line, p.column));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("modelgate {}", v.code))
            ));
            writeln!(
                out,
                "::{} {props}::{}",
                v.level.severity(),
                escape_data(&escape::text(&format!(
                    "{} ({})",
                    v.message,
                    pointer_label(&v.pointer)
                )))
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(
            out,
            "modelgate: checked {} payloads in {} files, {} invalid ({} errors, {} warnings)",
            s.payloads, s.files, s.invalid, s.errors, s.warnings
        )
    }
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_lines_break_at_a_lone_carriage_return_too() {
        let text = "a: 1\rb: 2\r\nc: 3\nd: 4";
        let lines: Vec<String> = (1..=5).map(|n| yaml_line(text, n)).collect();
        assert_eq!(lines, ["a: 1", "b: 2", "c: 3", "d: 4", ""]);
    }

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn places_mark_keys_of_unsupported_parameters_and_parents_of_missing_fields() {
        let text = b"{\n  \"model\": \"m\",\n  \"stop\": [\"x\"]\n}";
        let payload = Payload::Json {
            text,
            first_line: 1,
            jsonl_line: None,
        };
        let unsupported = Finding {
            pointer: "/stop".into(),
            code: Code::UnknownParameter,
            level: modelgate::Level::Deny,
            message: String::new(),
            position: None,
        };
        let p = place(&payload, &unsupported).unwrap();
        assert_eq!((p.line, p.column, p.width), (3, 3, 6));
        let missing = Finding {
            pointer: "/messages".into(),
            code: Code::MissingRequired,
            ..unsupported
        };
        let p = place(&payload, &missing).unwrap();
        assert_eq!((p.line, p.column, p.width), (1, 1, 1));
    }
}
