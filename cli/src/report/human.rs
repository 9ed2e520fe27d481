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
            (Some(source), Some(at)) => {
                let excerpt = source.excerpt(at);
                let (mut lines, mut span) = without_c1_controls(excerpt.text, excerpt.span);
                if excerpt.cut_before || excerpt.cut_after {
                    // Part of a long line, marked as such where it was cut.
                    let (before, after) = (
                        if excerpt.cut_before { "..." } else { "" },
                        if excerpt.cut_after { "..." } else { "" },
                    );
                    lines = Cow::Owned(format!("{before}{lines}{after}"));
                    span = span.start + before.len()..span.end + before.len();
                    let shown = self.render_snippet(
                        title,
                        &lines,
                        excerpt.first_line,
                        &path,
                        span.clone(),
                        pointer,
                    );
                    // The renderer counts the column from the part's start: say the line's.
                    let spot = source.spot(at);
                    let counted = lines[..span.start].chars().count() + 1;
                    return shown.replacen(
                        &format!("{path}:{}:{counted}", spot.line),
                        &format!("{path}:{}:{}", spot.line, spot.column),
                        1,
                    );
                }
                title.element(
                    Snippet::source(lines)
                        .line_start(excerpt.first_line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span).label(pointer)),
                )
            }
            _ => title.element(Origin::path(format!("{path} ({pointer})"))),
        };
        self.renderer.render(&[group])
    }
}

impl Human {
    /// `title` with the snippet `lines` (the first being line `first_line` of `path`) and
    /// `span` in them, rendered.
    fn render_snippet(
        &self,
        title: annotate_snippets::Title<'_>,
        lines: &str,
        first_line: usize,
        path: &str,
        span: Range<usize>,
        pointer: Cow<'_, str>,
    ) -> String {
        let group = title.element(
            Snippet::source(lines)
                .line_start(first_line)
                .path(path)
                .annotation(AnnotationKind::Primary.span(span).label(pointer)),
        );
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
    fn a_finding_in_a_long_line_shows_the_part_around_it_at_its_real_column() {
        let pad = "ü".repeat(1000);
        let text = format!("{{\"a\": \"{pad}\", \"stop\": 1, \"b\": \"{pad}\"}}");
        let lines = crate::source::LineStarts::json(&text);
        let source = Source {
            text: text.as_str().into(),
            lines: Cow::Borrowed(&lines),
            first_line: 1,
        };
        let at = text.find("\"stop\"").unwrap();
        let finding = Finding {
            pointer: "/stop".into(),
            code: modelgate::Code::UndocumentedParameter,
            level: modelgate::Level::Warn,
            message: "m".into(),
            span: Some(at..at + 6),
        };
        let human = Human::new(Style {
            color: false,
            quiet: false,
        });
        let shown = human.render("p.json", Some(&source), &finding);
        let column = text[..at].chars().count() + 1;
        assert!(
            shown.contains(&format!(" --> p.json:1:{column}\n")),
            "{shown}"
        );
        assert!(
            shown.contains("...") && shown.contains("\"stop\": 1"),
            "{shown}"
        );
        assert!(shown.len() < 1200, "{}", shown.len());
    }

    #[test]
    fn c1_controls_are_replaced_and_the_span_follows() {
        let text = "a\u{9b}2J \"x\"";
        let at = text.find('"').unwrap();
        let (shown, span) = without_c1_controls(text, at..at + 3);
        assert_eq!(shown, "a\u{fffd}2J \"x\"");
        assert_eq!(&shown[span], "\"x\"");
    }
}
