//! RFC 6901 JSON pointers: the one place where modelgate escapes a key into a pointer
//! token (`~` as `~0`, `/` as `~1`) and reads it back. (`modelgate-codegen`, which this
//! crate builds with, has its own copy: it cannot depend on this crate.)

use std::borrow::Cow;

/// Appends `/` and `token`, escaped, to `pointer`.
///
/// ```
/// let mut p = String::from("/metadata");
/// modelgate::pointer::push(&mut p, "a/b~c");
/// assert_eq!(p, "/metadata/a~1b~0c");
/// ```
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// The pointer made of `tokens`, each escaped.
///
/// ```
/// assert_eq!(modelgate::pointer::from_tokens(["messages", "0", "a/b"]), "/messages/0/a~1b");
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
/// assert_eq!(modelgate::pointer::unescape("a~1b~0c"), "a/b~c");
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
/// assert_eq!(modelgate::pointer::last_key("/metadata/a~1b"), "a/b");
/// assert_eq!(modelgate::pointer::last_key(""), "");
/// ```
pub fn last_key(pointer: &str) -> Cow<'_, str> {
    unescape(pointer.rsplit('/').next().unwrap_or_default())
}
