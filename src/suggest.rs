//! Did-you-mean: the closest candidate to a misspelt model ID, parameter or enum value.

/// The candidate closest to `input` by edit distance (optimal string alignment, so a
/// swap of two neighbours is one edit; ignoring case), if it is close enough to be a
/// likely typo: at most a third of the input's length, and at least 1.
///
/// ```
/// let ids = ["vtrix-claude-3-haiku", "vtrix-grok-4"];
/// assert_eq!(modelgate::suggest::closest("vtrix-claude-3-haiku2", ids), Some("vtrix-claude-3-haiku"));
/// assert_eq!(modelgate::suggest::closest("gpt-4o", ids), None);
/// ```
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let length = input.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // Each edit changes the length by at most one: most candidates end here.
        .filter(|c| {
            c.len().abs_diff(input.len()) <= limit * 4
                && c.chars().count().abs_diff(length) <= limit
        })
        .map(|c| (strsim::osa_distance(&input, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let params = ["max_tokens", "temperature", "top_p"];
        assert_eq!(closest("max_token", params), Some("max_tokens"));
        assert_eq!(closest("Temperature", params), Some("temperature"));
        assert_eq!(closest("max_tokesn", params), Some("max_tokens"));
        assert_eq!(closest("seed", params), None);
    }
}
