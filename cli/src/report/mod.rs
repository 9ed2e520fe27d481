//! The output formats of `modelgate validate`, one printer each (as ripgrep has), all
//! carrying every finding's severity and place:
//! - `human` ([`human`]): each finding shown at its spot in the file, like a compiler
//!   (rendered by annotate-snippets), and a summary with both counts;
//! - `json` ([`json`]): one JSON array, an object per payload, each finding with its
//!   `severity`, `line` and `column`; `valid` means no error;
//! - `github` ([`github`]): GitHub Actions workflow annotations;
//! - `sarif` ([`sarif`]): a SARIF 2.1.0 log for code scanning;
//! - `junit` ([`junit`]): JUnit XML, a test case per payload, for CI test reports.
//!
//! A finding's place is its span (from the pass that found it) mapped to lines and
//! columns by [`crate::source`]; no printer reads the payload again.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::io::{self, Write};

use modelgate::{Finding, Report};

use crate::inputs::Payload;
use crate::source::{Source, Spot};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings shown in their file's text, then a summary.
    Human,
    /// A JSON array with one object per payload.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// A SARIF 2.1.0 log (GitHub code scanning and other viewers).
    Sarif,
    /// JUnit XML: a test case per payload (GitLab, Jenkins, Azure test reports).
    Junit,
}

/// How the human format looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Findings only: no summary line.
    pub quiet: bool,
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

impl Checked<'_> {
    /// Each finding, errors first, with its place in the file when it has a span. The
    /// payload's line index is built once, and only when there is a finding.
    pub fn placed(&self) -> Vec<(&Finding, Option<Spot>)> {
        let mut source: Option<Source> = None;
        self.report
            .findings()
            .map(|f| {
                let spot = f.span.as_ref().map(|span| {
                    source
                        .get_or_insert_with(|| self.payload.source())
                        .spot(span)
                });
                (f, spot)
            })
            .collect()
    }
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
    /// `checked 9 payloads in 5 files: 1 valid, 8 invalid (12 errors, 4 warnings)`.
    pub fn line(&self) -> String {
        format!(
            "checked {} in {}: {} valid, {} invalid ({}, {})",
            count(self.payloads, "payload"),
            count(self.files, "file"),
            self.payloads - self.invalid,
            self.invalid,
            count(self.errors, "error"),
            count(self.warnings, "warning"),
        )
    }

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
pub fn reporter(format: Format, style: Style) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human::new(style)),
        Format::Json => Box::new(json::JsonArray::default()),
        Format::Github => Box::new(github::Github { quiet: style.quiet }),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Junit => Box::new(junit::Junit::default()),
    }
}

/// `(root)` for the empty pointer.
pub fn pointer_label(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
