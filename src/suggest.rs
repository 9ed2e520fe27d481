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
    let length = input.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // Each edit changes the length by at most one: most candidates end here.
        .filter(|c| {
            c.len().abs_diff(input.len()) <= limit * 4
                && c.chars().count().abs_diff(length) <= limit
        })
        .map(|c| (edit_distance(&input, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (optimal
/// string alignment): `hihg` is one edit from `high`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j], kept as three rolling rows.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("max_tokens", "max_tokens"), 0);
        assert_eq!(edit_distance("hihg", "high"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn suggests_close_names_only() {
        let params = ["max_tokens", "temperature", "top_p"];
        assert_eq!(closest("max_token", params), Some("max_tokens"));
        assert_eq!(closest("Temperature", params), Some("temperature"));
        assert_eq!(closest("seed", params), None);
    }
}
