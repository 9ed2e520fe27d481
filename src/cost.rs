//! An estimated cost from a response's usage and the catalog's prices: per-1M-token input
//! and output prices with the provider's cache read and write multipliers, or a fixed
//! price per request for images and video.
//!
//! ```
//! use modelgate::cost::{TokenUsage, estimate};
//! use modelgate::ModelId;
//!
//! let opus = ModelId::from_id("aws/claude-opus-4-7").unwrap().info();
//! let usage = TokenUsage { input: 1_000_000, output: 100_000, cache_read: 0, cache_write: 0 };
//! let cost = estimate(opus, &usage).unwrap();
//! assert_eq!((cost.currency, cost.amount), ("Cr$", 5.0 + 2.5));
//! ```

use crate::catalog::{ModelInfo, Pricing};

/// Tokens of one call, split the way prices are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    /// Input tokens billed at the input price (cache reads and writes not included).
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Input tokens read from the prompt cache.
    pub cache_read: u64,
    /// Input tokens written to the prompt cache.
    pub cache_write: u64,
}

/// An amount of money, in the currency the catalog's prices are in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// As the source writes it (`Cr$` for VertexKey credits).
    pub currency: &'static str,
    /// The amount.
    pub amount: f64,
}

#[cfg(feature = "client")]
fn count(v: Option<i64>) -> u64 {
    v.map_or(0, |n| n.max(0) as u64)
}

#[cfg(feature = "client")]
impl From<&crate::chat::Usage> for TokenUsage {
    /// OpenAI format: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`.
    fn from(u: &crate::chat::Usage) -> Self {
        let cached = u
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.get("cached_tokens"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        let prompt = count(u.prompt_tokens);
        TokenUsage {
            input: prompt.saturating_sub(cached),
            output: count(u.completion_tokens),
            cache_read: cached,
            cache_write: 0,
        }
    }
}

#[cfg(feature = "client")]
impl From<&crate::messages::AnthropicUsage> for TokenUsage {
    /// Anthropic format: `input_tokens` excludes the cache's tokens.
    fn from(u: &crate::messages::AnthropicUsage) -> Self {
        TokenUsage {
            input: count(u.input_tokens),
            output: count(u.output_tokens),
            cache_read: count(u.cache_read_input_tokens),
            cache_write: count(u.cache_creation_input_tokens),
        }
    }
}

/// The estimated cost of a token-priced call; `None` when the catalog has no token price
/// for the model.
pub fn estimate(model: &ModelInfo, usage: &TokenUsage) -> Option<Cost> {
    let Some(Pricing::PerToken {
        currency,
        input_per_million,
        output_per_million,
    }) = model.pricing
    else {
        return None;
    };
    let (read, write) = model
        .cache_prices_per_million()
        .unwrap_or((input_per_million, input_per_million));
    let per = |tokens: u64, price: f64| tokens as f64 * price / 1_000_000.0;
    let amount = per(usage.input, input_per_million)
        + per(usage.output, output_per_million)
        + per(usage.cache_read, read)
        + per(usage.cache_write, write);
    Some(Cost { currency, amount })
}

/// The cost of `requests` fixed-price requests (images, video); `None` when the model has
/// no per-request price.
pub fn request_cost(model: &ModelInfo, requests: u64) -> Option<Cost> {
    match model.pricing {
        Some(Pricing::PerRequest { currency, price }) => Some(Cost {
            currency,
            amount: price * requests as f64,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelId;

    fn info(id: &str) -> &'static ModelInfo {
        ModelId::from_id(id).unwrap().info()
    }

    #[test]
    fn token_prices_with_cache_multipliers() {
        // aws/claude-sonnet-4-6: 3.00 in / 15.00 out per 1M; cache read 0.53x, write 1.25x.
        let usage = TokenUsage {
            input: 200_000,
            output: 10_000,
            cache_read: 1_000_000,
            cache_write: 100_000,
        };
        let cost = estimate(info("aws/claude-sonnet-4-6"), &usage).unwrap();
        let expected = 0.6 + 0.15 + 1.59 + 0.375;
        assert!((cost.amount - expected).abs() < 1e-9, "{}", cost.amount);
        assert_eq!(cost.currency, "Cr$");
    }

    #[test]
    fn per_request_prices_and_models_without_prices() {
        let cost = request_cost(info("enterprise/gemini-3-pro-image-preview-4k"), 3).unwrap();
        assert!((cost.amount - 1.2).abs() < 1e-9);
        assert_eq!(
            request_cost(info("enterprise/seedance-1-5-pro"), 1)
                .unwrap()
                .amount,
            0.6
        );
        assert!(estimate(info("vtrix-claude-3-haiku"), &TokenUsage::default()).is_none());
        assert!(request_cost(info("aws/glm-5"), 1).is_none());
    }

    #[test]
    #[cfg(feature = "client")]
    fn usage_shapes() {
        let openai: crate::chat::Usage = serde_json::from_str(
            r#"{"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050, "prompt_tokens_details": {"cached_tokens": 800}}"#,
        )
        .unwrap();
        assert_eq!(
            TokenUsage::from(&openai),
            TokenUsage {
                input: 200,
                output: 50,
                cache_read: 800,
                cache_write: 0
            }
        );
        let anthropic: crate::messages::AnthropicUsage = serde_json::from_str(
            r#"{"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 700, "cache_creation_input_tokens": null}"#,
        )
        .unwrap();
        assert_eq!(
            TokenUsage::from(&anthropic),
            TokenUsage {
                input: 10,
                output: 5,
                cache_read: 700,
                cache_write: 0
            }
        );
    }
}
