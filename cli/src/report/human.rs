//! The `human` format: each finding as a compiler shows it, by annotate-snippets (the
//! renderer rustc and cargo use): the message with its code, `--> file:line:column`,
//! the lines the finding touches, and a mark under its span labelled with its JSON
//! pointer. Tabs and wide characters (CJK, emoji) are laid out by the renderer, so the
//! mark sits under its text; control and bidirectional characters in the file are shown
//! as symbols, never written raw. Then a summary line with both counts.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use modelgate::Finding;

use super::{Checked, Reporter, Style, Summary, pointer_label};
use crate::escape;
use crate::source::Source;

/// The human printer.
pub struct Human {
    renderer: Renderer,
    quiet: bool,
}

impl Human {
    /// A printer in `style`.
    pub fn new(style: Style) -> Self {
        let renderer = if style.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human {
            renderer,
            quiet: style.quiet,
        }
    }

    /// One finding, rendered (without a final line break).
    pub fn render(&self, path: &str, source: Option<&Source>, finding: &Finding) -> String {
        let level = if finding.is_error() {
            Level::ERROR
        } else {
            Level::WARNING
        };
        let message = escape::line(&finding.message);
        let pointer = escape::line(pointer_label(&finding.pointer));
        let path = escape::line(path);
        let title = level.primary_title(message).id(finding.code.as_str());
        let group: Group = match (source, &finding.span) {
            (Some(source), Some(span)) => {
                let (lines, first_line, span) = source.excerpt(span);
                let (lines, span) = without_c1_controls(lines, span);
                title.element(
                    Snippet::source(lines)
                        .line_start(first_line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span).label(pointer)),
                )
            }
            _ => title.element(Origin::path(format!("{path} ({pointer})"))),
        };
        self.renderer.render(&[group])
    }
}

impl Reporter for Human {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        let mut source = None;
        for finding in c.report.findings() {
            if finding.span.is_some() && source.is_none() {
                source = Some(c.payload.source());
            }
            writeln!(out, "{}\n", self.render(c.path, source.as_ref(), finding))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        writeln!(out, "{}", s.line())
    }
}

/// `text` with the C1 controls (`U+0080`–`U+009F`, which the renderer writes as they
/// are, and of which `U+009B` opens a terminal sequence) replaced by `U+FFFD`, and `span`
/// moved with the text. The renderer itself replaces C0 controls, DEL and the
/// bidirectional overrides.
fn without_c1_controls(text: &str, span: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    if !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return (Cow::Borrowed(text), span);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let (mut start, mut end) = (span.start, span.end);
    for (i, c) in text.char_indices() {
        if i == span.start {
            start = out.len();
        }
        if i == span.end {
            end = out.len();
        }
        if ('\u{80}'..='\u{9f}').contains(&c) {
            out.push('\u{fffd}');
        } else {
            out.push(c);
        }
    }
    if span.start >= text.len() {
        start = out.len();
    }
    if span.end >= text.len() {
        end = out.len();
    }
    (Cow::Owned(out), start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_are_replaced_and_the_span_follows() {
        let text = "a\u{9b}2J \"x\"";
        let at = text.find('"').unwrap();
        let (shown, span) = without_c1_controls(text, at..at + 3);
        assert_eq!(shown, "a\u{fffd}2J \"x\"");
        assert_eq!(&shown[span], "\"x\"");
    }
}
