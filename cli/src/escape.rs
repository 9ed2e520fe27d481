//! Text from payloads, servers and models shown on a terminal: control characters (an
//! ESC that starts a colour or cursor sequence, a carriage return that hides what came
//! before, bidirectional overrides that reorder what is seen) are written as `\u{..}`
//! escapes, so that what a file holds cannot rewrite what the user sees.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls and DEL (tab and,
/// when `keep_newlines`, line feed excepted), and the bidirectional embedding, override
/// and isolate characters.
fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newlines,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// `c` as shown: itself, or its escape.
pub fn escape_char(c: char, keep_newlines: bool) -> String {
    if is_unsafe(c, keep_newlines) {
        format!("\\u{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

/// `text` with every unsafe character escaped; borrowed when there is none. Newlines are
/// kept when `keep_newlines` (model output), escaped otherwise (one-line messages).
///
/// ```
/// use modelgate_cli::escape::escape;
/// assert_eq!(escape("red \u{1b}[31m!", false), "red \\u{1b}[31m!");
/// assert_eq!(escape("two\nlines\ttab", true), "two\nlines\ttab");
/// assert_eq!(escape("two\nlines", false), "two\\u{a}lines");
/// ```
pub fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        out.push_str(&escape_char(c, keep_newlines));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_del_are_escaped_and_text_is_kept() {
        assert_eq!(escape("plain, 日本語 ok", false), "plain, 日本語 ok");
        assert!(matches!(escape("plain", false), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\rb\u{7f}c\u{9b}d", false),
            "a\\u{d}b\\u{7f}c\\u{9b}d"
        );
        assert_eq!(escape("x\u{202e}y\u{2066}z", true), "x\\u{202e}y\\u{2066}z");
        assert_eq!(escape_char('\u{1b}', true), "\\u{1b}");
        assert_eq!(escape_char('é', true), "é");
    }
}
