//! The `junit` format: JUnit XML, which GitLab, Jenkins, Azure Pipelines and most CI
//! servers show as a test report. One test suite per file, one test case per payload
//! (named by file, and by line for JSON Lines or document for YAML), failed with one
//! `<failure>` listing its errors when the payload is invalid; warnings go to the test
//! case's `<system-out>`. The document is written at the end, when the counts its
//! attributes carry are known.

use std::fmt::Write as _;
use std::io::{self, Write};

use modelgate::Finding;

use super::{Checked, Reporter, Summary, pointer_label};
use crate::escape;
use crate::inputs::Payload;
use crate::source::Spot;

/// The JUnit printer.
#[derive(Default)]
pub struct Junit {
    suites: Vec<Suite>,
}

struct Suite {
    path: String,
    cases: usize,
    failures: usize,
    body: String,
}

/// `text` for XML 1.0 text or an attribute: markup characters as entities, control
/// characters (which XML 1.0 cannot carry) escaped as `\xNN`.
fn xml(text: &str) -> String {
    let text = escape::text(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// One finding as a line of the failure or output text.
fn line(f: &Finding, path: &str, spot: Option<Spot>) -> String {
    let at = match spot {
        Some(s) => format!("{path}:{}:{}", s.line, s.column),
        None => path.to_string(),
    };
    format!(
        "{at}: {}[{}] {} ({})",
        f.level.severity(),
        f.code,
        f.message,
        pointer_label(&f.pointer)
    )
}

impl Reporter for Junit {
    fn payload(&mut self, _: &mut dyn Write, c: &Checked) -> io::Result<()> {
        if self.suites.last().is_none_or(|s| s.path != c.path) {
            self.suites.push(Suite {
                path: c.path.to_string(),
                cases: 0,
                failures: 0,
                body: String::new(),
            });
        }
        let Some(suite) = self.suites.last_mut() else {
            return Ok(());
        };
        suite.cases += 1;
        let name = match c.payload {
            Payload::Json {
                jsonl_line: Some(n),
                ..
            } => format!("{} line {n}", c.path),
            Payload::Yaml { .. } => format!("{} document {}", c.path, suite.cases),
            _ => c.path.to_string(),
        };
        let placed = c.placed();
        let errors: Vec<String> = placed
            .iter()
            .filter(|(f, _)| f.is_error())
            .map(|(f, s)| line(f, c.path, *s))
            .collect();
        let warnings: Vec<String> = placed
            .iter()
            .filter(|(f, _)| !f.is_error())
            .map(|(f, s)| line(f, c.path, *s))
            .collect();
        let model = c.report.model.as_deref().unwrap_or("no model");
        let _ = writeln!(
            suite.body,
            "    <testcase name=\"{}\" classname=\"modelgate.validate.{}\" file=\"{}\">",
            xml(&name),
            xml(model),
            xml(c.path)
        );
        if !errors.is_empty() {
            suite.failures += 1;
            let first = placed
                .iter()
                .find(|(f, _)| f.is_error())
                .map(|(f, _)| f.code.as_str())
                .unwrap_or("invalid");
            let _ = writeln!(
                suite.body,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml(&format!(
                    "{} error{} in {name}",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                )),
                xml(first),
                xml(&errors.join("\n"))
            );
        }
        if !warnings.is_empty() {
            let _ = writeln!(
                suite.body,
                "      <system-out>{}</system-out>",
                xml(&warnings.join("\n"))
            );
        }
        suite.body.push_str("    </testcase>\n");
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"modelgate validate\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            s.payloads, s.invalid
        )?;
        for suite in &self.suites {
            writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
                xml(&suite.path),
                suite.cases,
                suite.failures
            )?;
            out.write_all(suite.body.as_bytes())?;
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1b}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\\x1b&#10;"
        );
    }
}
