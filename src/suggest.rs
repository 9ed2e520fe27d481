//! Did-you-mean: the closest candidate to a misspelt model ID, parameter or enum value.

/// The candidate closest to `input` by edit distance (ignoring case), if it is close
/// enough to be a likely typo: at most a third of the input's length, and at least 1.
///
/// ```
/// let ids = ["vtrix-claude-3-haiku", "vtrix-grok-4"];
/// assert_eq!(modelgate::suggest::closest("vtrix-claude-3-haiku2", ids), Some("vtrix-claude-3-haiku"));
/// assert_eq!(modelgate::suggest::closest("gpt-4o", ids), None);
/// ```
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&input, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("max_tokens", "max_tokens"), 0);
    }

    #[test]
    fn suggests_close_names_only() {
        let params = ["max_tokens", "temperature", "top_p"];
        assert_eq!(closest("max_token", params), Some("max_tokens"));
        assert_eq!(closest("Temperature", params), Some("temperature"));
        assert_eq!(closest("seed", params), None);
    }
}
