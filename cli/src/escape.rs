//! Text from a server (model output, error messages, job statuses, URLs) made safe to
//! write to a terminal: control characters are shown as escapes instead of being
//! written raw, so a server cannot move the cursor, recolour or clear the screen, set
//! the window title or hide text with an ESC sequence.
//!
//! [`text`] keeps newlines and tabs (model text is laid out with them) and escapes every
//! other C0 control (`U+0000`–`U+001F`: ESC, `\r`, backspace, ...), DEL (`U+007F`) and
//! the C1 controls (`U+0080`–`U+009F`, of which `U+009B` opens a sequence like ESC `[`):
//! C0 and DEL as `\xNN`, C1 as `\u{NN}`; so are the bidirectional embeddings, overrides
//! and isolates (`U+202A`–`U+202E`, `U+2066`–`U+2069`), which reorder what is seen
//! ("Trojan source"). [`line()`] escapes newlines and tabs too (`\n`,
//! `\t`), for an excerpt that must stay on one line. Text without controls is returned
//! borrowed, unchanged. `--json` output needs neither: JSON escapes controls itself.
//!
//! ```
//! use modelgate_cli::escape;
//!
//! assert_eq!(escape::text("\u{1b}[31mred\u{1b}[0m\n\tok"), "\\x1b[31mred\\x1b[0m\n\tok");
//! assert_eq!(escape::line("a\nb\u{9b}2J"), "a\\nb\\u{9b}2J");
//! assert!(matches!(escape::text("plain"), std::borrow::Cow::Borrowed(_)));
//! ```

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with its control characters escaped, newlines and tabs kept.
pub fn text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// `text` with all its control characters escaped, newlines and tabs included.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

fn is_control(c: char, keep_layout: bool) -> bool {
    (c.is_control() && !(keep_layout && matches!(c, '\n' | '\t')))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if !keep_layout => out.push_str("\\n"),
            '\t' if !keep_layout => out.push_str("\\t"),
            c if is_control(c, keep_layout) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_control(c, keep_layout) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_but_newline_and_tab_is_escaped() {
        for code in (0u32..0x20).chain([0x7f]).chain(0x80..0xa0) {
            let c = char::from_u32(code).unwrap();
            let escaped = text(&c.to_string()).into_owned();
            if c == '\n' || c == '\t' {
                assert_eq!(escaped, c.to_string());
                assert!(line(&c.to_string()).starts_with('\\'));
            } else {
                assert!(escaped.starts_with('\\'), "{code:#x}: {escaped:?}");
                assert!(!escaped.chars().any(char::is_control), "{code:#x}");
                assert_eq!(line(&c.to_string()), escaped);
            }
        }
        assert_eq!(text("\r\u{7f}\u{0}"), "\\x0d\\x7f\\x00");
        assert_eq!(text("é ü 中 🦊 \\x1b"), "é ü 中 🦊 \\x1b");
        assert_eq!(text("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
    }
}
