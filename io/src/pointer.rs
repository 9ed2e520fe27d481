//! RFC 6901 JSON pointers: the one place where modelgate escapes a key into a pointer
//! token (`~` as `~0`, `/` as `~1`) and reads it back. The generator, the validator, the
//! YAML reader and the CLI all use it (`modelgate::pointer` re-exports it).

use std::borrow::Cow;

/// `token` escaped for a pointer.
///
/// ```
/// assert_eq!(modelgate_io::pointer::escape("a/b~c"), "a~1b~0c");
/// ```
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        let mut out = String::with_capacity(token.len() + 2);
        escape_into(&mut out, token);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(token)
    }
}

fn escape_into(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Appends `/` and `token`, escaped, to `pointer`.
///
/// ```
/// let mut p = String::from("/metadata");
/// modelgate_io::pointer::push(&mut p, "a/b~c");
/// assert_eq!(p, "/metadata/a~1b~0c");
/// ```
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    escape_into(pointer, token);
}

/// `pointer` with `token` appended, escaped.
///
/// ```
/// assert_eq!(modelgate_io::pointer::join("/paths", "/v1/x~y"), "/paths/~1v1~1x~0y");
/// ```
pub fn join(pointer: &str, token: &str) -> String {
    let mut out = pointer.to_string();
    push(&mut out, token);
    out
}

/// The pointer made of `tokens`, each escaped.
///
/// ```
/// assert_eq!(modelgate_io::pointer::from_tokens(["messages", "0", "a/b"]), "/messages/0/a~1b");
/// ```
pub fn from_tokens<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut pointer = String::new();
    for token in tokens {
        push(&mut pointer, token);
    }
    pointer
}

/// A token as the key it names (`a~1b` is `a/b`).
///
/// ```
/// assert_eq!(modelgate_io::pointer::unescape("a~1b~0c"), "a/b~c");
/// ```
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The key the last token of `pointer` names (empty for the whole document).
///
/// ```
/// assert_eq!(modelgate_io::pointer::last_key("/metadata/a~1b"), "a/b");
/// assert_eq!(modelgate_io::pointer::last_key(""), "");
/// ```
pub fn last_key(pointer: &str) -> Cow<'_, str> {
    unescape(pointer.rsplit('/').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for key in ["", "plain", "a/b", "~", "~1", "/~/", "日本/語"] {
            assert_eq!(unescape(&escape(key)), key, "{key:?}");
            assert_eq!(last_key(&join("/x", key)), key, "{key:?}");
        }
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }
}
