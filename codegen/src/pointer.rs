//! RFC 6901 JSON pointers: the one place where the generator escapes a key into a pointer
//! token (`~` as `~0`, `/` as `~1`). The `modelgate` crate has the same for the runtime
//! (`modelgate::pointer`); this crate cannot depend on it, being its build dependency.

/// `token` escaped for a pointer.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `/` and `token`, escaped, to `pointer`.
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

/// `pointer` with `token` appended, escaped.
pub fn join(pointer: &str, token: &str) -> String {
    let mut out = pointer.to_string();
    push(&mut out, token);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_escaped() {
        assert_eq!(super::join("/paths", "/v1/x~y"), "/paths/~1v1~1x~0y");
    }
}
