//! Naming in one place: how model IDs such as `vtrix-claude-3.5-haiku` or
//! `aws/claude-opus-4-7` become Rust identifiers and file names.

/// The `ModelId` variant for a model ID: words in UpperCamelCase, with `_` between two
/// numbers so that `3.5` and `35` stay apart (`vtrix-claude-3.5-haiku` ->
/// `VtrixClaude3_5Haiku`, `aws/claude-opus-4-7` -> `AwsClaudeOpus4_7`).
pub fn variant_name(id: &str) -> String {
    let mut out = String::new();
    for word in words(id) {
        let prev_digit = out.chars().last().is_some_and(|c| c.is_ascii_digit());
        let starts_digit = word.starts_with(|c: char| c.is_ascii_digit());
        if prev_digit && starts_digit {
            out.push('_');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'M');
    }
    out
}

/// The snake_case name progenitor gives an OpenAPI operationId (`createImage` ->
/// `create_image`), which the generated clients report as their operation.
pub fn snake_name(id: &str) -> String {
    camel_words(id)
        .into_iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A SCREAMING_SNAKE_CASE name for statics: `aws/claude-opus-4-7` -> `AWS_CLAUDE_OPUS_4_7`.
pub fn const_name(id: &str) -> String {
    let name = camel_words(id)
        .into_iter()
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("M_{name}")
    } else {
        name
    }
}

/// A file name stem: the ID with `/` replaced by `__` (`aws/claude-opus-4-7` ->
/// `aws__claude-opus-4-7`), so that every schema sits in one flat directory.
pub fn file_stem(id: &str) -> String {
    modelgate_rules::schema::def_name(id)
}

fn words(id: &str) -> impl Iterator<Item = &str> {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Splits camel case too: `ChatMessage` -> `Chat`, `Message` (for names of OpenAPI schemas).
fn camel_words(id: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in words(id) {
        let mut start = 0;
        let bytes = word.as_bytes();
        for i in 1..bytes.len() {
            if bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase() {
                out.push(&word[start..i]);
                start = i;
            }
        }
        out.push(&word[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(
            variant_name("vtrix-claude-3.5-haiku"),
            "VtrixClaude3_5Haiku"
        );
        assert_eq!(variant_name("vtrix-claude-3-haiku"), "VtrixClaude3Haiku");
        assert_eq!(variant_name("aws/claude-opus-4-7"), "AwsClaudeOpus4_7");
        assert_eq!(variant_name("minimax_hailuo_23_i2v"), "MinimaxHailuo23I2v");
        assert_eq!(
            variant_name("vtrix-wizardlm-2-8x22b"),
            "VtrixWizardlm2_8x22b"
        );
        assert_eq!(
            variant_name("enterprise/gemini-3.1-flash-image-preview-1k"),
            "EnterpriseGemini3_1FlashImagePreview1k"
        );
        assert_eq!(variant_name("4o"), "M4o");
    }

    #[test]
    fn distinct_ids_that_collide_are_detectable() {
        assert_eq!(variant_name("a-b"), variant_name("a_b"));
        assert_ne!(variant_name("x-3.5"), variant_name("x-35"));
    }

    #[test]
    fn const_and_file_names() {
        assert_eq!(const_name("vtrix-gpt-5.3-codex"), "VTRIX_GPT_5_3_CODEX");
        assert_eq!(const_name("ChatMessage"), "CHAT_MESSAGE");
        assert_eq!(file_stem("aws/claude-opus-4-7"), "aws__claude-opus-4-7");
    }
}
