//! The `github` format: GitHub Actions workflow commands (`::error file=...,line=...,
//! col=...,endLine=...,endColumn=...,title=...::message`), which the Actions runner
//! shows as annotations on the pull request, then a summary line.

use std::io::{self, Write};

use super::{Checked, Reporter, Summary, pointer_label};
use crate::escape;

/// The GitHub Actions printer.
pub struct Github {
    /// No summary line.
    pub quiet: bool,
}

impl Reporter for Github {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        for (v, spot) in c.placed() {
            let mut props = format!("file={}", escape_property(&escape::line(c.path)));
            if let Some(s) = spot {
                props.push_str(&format!(",line={},col={}", s.line, s.column));
                if s.end_line == s.line {
                    props.push_str(&format!(",endColumn={}", s.end_column));
                } else {
                    props.push_str(&format!(",endLine={}", s.end_line));
                }
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
        if self.quiet {
            return Ok(());
        }
        writeln!(out, "modelgate: {}", s.line())
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
    fn github_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
