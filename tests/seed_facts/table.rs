//! An independent, hand transcription of the limits the seed documents give, used as a
//! test oracle for the catalog (see tests/seed_limits.rs). Each row cites its seed.
//!
//! Seeds: 000 = Vtrix GitBook export (15 chat models + minimax_hailuo_23_i2v),
//! 001 and 003 = Vtrix vtrix-gpt-5.3-codex (two pages, identical parameters),
//! 002 = Vtrix vtrix-deepseek-v3.2, 004 = VertexKey API documentation.
//! Transcribed from the seeds only (plus public-facts.md section 1 for the Vtrix media
//! body shape used in pointers); nothing under spec/ or generated/ was read.

/// An inclusive numeric range a parameter must lie in.
pub struct RangeFact {
    pub model: &'static str,
    pub endpoint: &'static str,
    pub pointer: &'static str,
    pub min: f64,
    pub max: f64,
    pub integer: bool,
    pub source: &'static str,
}
/// The closed set of string values a parameter takes.
pub struct EnumFact {
    pub model: &'static str,
    pub endpoint: &'static str,
    pub pointer: &'static str,
    pub allowed: &'static [&'static str],
    pub source: &'static str,
}
/// The complete set of top-level parameters a model documents (anything else is unsupported).
pub struct ParamsFact {
    pub model: &'static str,
    pub endpoint: &'static str,
    pub params: &'static [&'static str],
    pub source: &'static str,
}
/// A value fixed by the model (sending anything else is rejected).
pub struct FixedFact {
    pub model: &'static str,
    pub endpoint: &'static str,
    pub pointer: &'static str,
    pub value: &'static str,
    pub source: &'static str,
}
/// A maximum string length in characters.
pub struct MaxLengthFact {
    pub model: &'static str,
    pub endpoint: &'static str,
    pub pointer: &'static str,
    pub max_chars: u64,
    pub source: &'static str,
}
/// Prices. `input`/`output` per 1M tokens, or `per_request` for image/video models. Currency as written.
pub struct PriceFact {
    pub model: &'static str,
    pub currency: &'static str,
    pub input_per_million: Option<f64>,
    pub output_per_million: Option<f64>,
    pub per_request: Option<f64>,
    pub source: &'static str,
}
/// Context window in tokens where a description or table states one ("200K" = 200_000, "1M" = 1_000_000).
pub struct ContextFact {
    pub model: &'static str,
    pub tokens: u64,
    pub source: &'static str,
}

// NOTE (general, no rows affected): seed 002 (DeepSeek V3.2, a chat model) has a
// "Response Format" section describing a media task object ("output array ... type
// Value: image|video", "jobId", "usage ... cost string Total cost in USD"), unlike the
// chat.completion shape of seeds 001/003: apparently copied from a media page.
// Seed 004 names two base URLs: "https://vertex-key.com/api/v1" (Connection) and
// "https://vertex-key.com/v1" (every example).
// NOTE: seed 000's Parameters tables have six headers ("Parameter Type Required Default
// Range Description") but every row has only five cells; the cells read as Parameter,
// Type, Default, Range, Description (temperature: "number / 1.0 / 0.0-2.0"), i.e. the
// Required column was lost in the export. Ranges below come from the Range cell.
// NOTE: seed 000 gives max_tokens "1-65535" for Gemini 2.5 Flash but "1-65536" for
// Gemini 2.5 Pro and Gemini 3 Pro Preview; transcribed as written (possible typo upstream).
// NOTE: seed 000 gives temperature "0.0-2.0" for every model, including the Claude models
// (Anthropic's native API caps temperature at 1.0); transcribed as written.
// NOTE: seed 003's description says "128K max output tokens" while its table says
// max_tokens "Range: 1 - 128000"; the table's 128000 is used (128K = 128_000 by the
// brief's convention; 131_072 would be the binary reading).
// NOTE: "stream" has Range "true, false" in seed 000: a boolean, not a numeric range or
// a string enum, so it is not recorded here.
pub const RANGES: &[RangeFact] = &[
    // seed 000, Claude Sonnet 4.5
    RangeFact {
        model: "vtrix-claude-sonnet-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 64000.0,
        integer: true,
        source: "seed 000, Claude Sonnet 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-sonnet-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude Sonnet 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-sonnet-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude Sonnet 4.5 parameters",
    },
    // seed 000, Claude Opus 4.5
    RangeFact {
        model: "vtrix-claude-opus-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 64000.0,
        integer: true,
        source: "seed 000, Claude Opus 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-opus-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude Opus 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-opus-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude Opus 4.5 parameters",
    },
    // seed 000, Claude 3.5 Haiku
    RangeFact {
        model: "vtrix-claude-3.5-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 8192.0,
        integer: true,
        source: "seed 000, Claude 3.5 Haiku parameters",
    },
    RangeFact {
        model: "vtrix-claude-3.5-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude 3.5 Haiku parameters",
    },
    RangeFact {
        model: "vtrix-claude-3.5-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude 3.5 Haiku parameters",
    },
    // seed 000, Claude Haiku 4.5
    RangeFact {
        model: "vtrix-claude-haiku-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 64000.0,
        integer: true,
        source: "seed 000, Claude Haiku 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-haiku-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude Haiku 4.5 parameters",
    },
    RangeFact {
        model: "vtrix-claude-haiku-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude Haiku 4.5 parameters",
    },
    // seed 000, Claude Sonnet 4
    RangeFact {
        model: "vtrix-claude-sonnet-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 64000.0,
        integer: true,
        source: "seed 000, Claude Sonnet 4 parameters",
    },
    RangeFact {
        model: "vtrix-claude-sonnet-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude Sonnet 4 parameters",
    },
    RangeFact {
        model: "vtrix-claude-sonnet-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude Sonnet 4 parameters",
    },
    // seed 000, Claude 3 Haiku
    RangeFact {
        model: "vtrix-claude-3-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 4096.0,
        integer: true,
        source: "seed 000, Claude 3 Haiku parameters",
    },
    RangeFact {
        model: "vtrix-claude-3-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Claude 3 Haiku parameters",
    },
    RangeFact {
        model: "vtrix-claude-3-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Claude 3 Haiku parameters",
    },
    // seed 000, DeepSeek V3
    RangeFact {
        model: "vtrix-deepseek-v3-0324",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 16384.0,
        integer: true,
        source: "seed 000, DeepSeek V3 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3-0324",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, DeepSeek V3 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3-0324",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, DeepSeek V3 parameters",
    },
    // seed 000, DeepSeek V3.1
    RangeFact {
        model: "vtrix-deepseek-v3.1",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 16384.0,
        integer: true,
        source: "seed 000, DeepSeek V3.1 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.1",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, DeepSeek V3.1 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.1",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, DeepSeek V3.1 parameters",
    },
    // seed 000, DeepSeek R1
    RangeFact {
        model: "vtrix-deepseek-r1",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 32768.0,
        integer: true,
        source: "seed 000, DeepSeek R1 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-r1",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, DeepSeek R1 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-r1",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, DeepSeek R1 parameters",
    },
    // seed 000, Gemini 2.5 Flash
    RangeFact {
        model: "vtrix-gemini-2.5-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 65535.0,
        integer: true,
        source: "seed 000, Gemini 2.5 Flash parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.5-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Gemini 2.5 Flash parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.5-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Gemini 2.5 Flash parameters",
    },
    // seed 000, Gemini 2.5 Pro
    RangeFact {
        model: "vtrix-gemini-2.5-pro",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 65536.0,
        integer: true,
        source: "seed 000, Gemini 2.5 Pro parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.5-pro",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Gemini 2.5 Pro parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.5-pro",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Gemini 2.5 Pro parameters",
    },
    // seed 000, Gemini 3 Pro Preview
    RangeFact {
        model: "vtrix-gemini-3-pro-preview",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 65536.0,
        integer: true,
        source: "seed 000, Gemini 3 Pro Preview parameters",
    },
    RangeFact {
        model: "vtrix-gemini-3-pro-preview",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Gemini 3 Pro Preview parameters",
    },
    RangeFact {
        model: "vtrix-gemini-3-pro-preview",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Gemini 3 Pro Preview parameters",
    },
    // seed 000, Gemini 2.0 Flash
    RangeFact {
        model: "vtrix-gemini-2.0-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 8192.0,
        integer: true,
        source: "seed 000, Gemini 2.0 Flash parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.0-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Gemini 2.0 Flash parameters",
    },
    RangeFact {
        model: "vtrix-gemini-2.0-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Gemini 2.0 Flash parameters",
    },
    // seed 000, WizardLM-2 8x22B
    RangeFact {
        model: "vtrix-wizardlm-2-8x22b",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 8192.0,
        integer: true,
        source: "seed 000, WizardLM-2 8x22B parameters",
    },
    RangeFact {
        model: "vtrix-wizardlm-2-8x22b",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, WizardLM-2 8x22B parameters",
    },
    RangeFact {
        model: "vtrix-wizardlm-2-8x22b",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, WizardLM-2 8x22B parameters",
    },
    // seed 000, Grok 4
    RangeFact {
        model: "vtrix-grok-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 32768.0,
        integer: true,
        source: "seed 000, Grok 4 parameters",
    },
    RangeFact {
        model: "vtrix-grok-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 000, Grok 4 parameters",
    },
    RangeFact {
        model: "vtrix-grok-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 000, Grok 4 parameters",
    },
    // seeds 001 and 003, GPT-5.3-Codex
    RangeFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 128000.0,
        integer: true,
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters",
    },
    RangeFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters",
    },
    RangeFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters",
    },
    // seed 002, DeepSeek V3.2
    RangeFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/max_tokens",
        min: 1.0,
        max: 8192.0,
        integer: true,
        source: "seed 002, DeepSeek V3.2 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/temperature",
        min: 0.0,
        max: 2.0,
        integer: false,
        source: "seed 002, DeepSeek V3.2 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/top_p",
        min: 0.0,
        max: 1.0,
        integer: false,
        source: "seed 002, DeepSeek V3.2 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/frequency_penalty",
        min: -2.0,
        max: 2.0,
        integer: false,
        source: "seed 002, DeepSeek V3.2 parameters",
    },
    RangeFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/presence_penalty",
        min: -2.0,
        max: 2.0,
        integer: false,
        source: "seed 002, DeepSeek V3.2 parameters",
    },
];

// NOTE: "function_call" (seeds 001/003: "none, auto, or {\"name\": ...}") and "tool_choice"
// (seed 002: "none, auto, required, or specific tool object") also accept objects, so
// they are not closed string sets and are not recorded. Seed 002's tools[].type
// "Value: function" is a single fixed value, not recorded (FIXED is for image sizes).
// NOTE: the minimax_hailuo_23_i2v "resolution" and "duration" have defaults
// ("Defaultas 768 P", "Default 6 Seconds") but no list of allowed values: no enum.
// NOTE: VertexKey (seed 004) documents no role list or other enums.
pub const ENUMS: &[EnumFact] = &[
    EnumFact {
        model: "vtrix-claude-sonnet-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude Sonnet 4.5 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-claude-opus-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude Opus 4.5 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-claude-3.5-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude 3.5 Haiku parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-claude-haiku-4.5",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude Haiku 4.5 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-claude-sonnet-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude Sonnet 4 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-claude-3-haiku",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Claude 3 Haiku parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-deepseek-v3-0324",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, DeepSeek V3 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-deepseek-v3.1",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, DeepSeek V3.1 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-deepseek-r1",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, DeepSeek R1 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-gemini-2.5-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Gemini 2.5 Flash parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-gemini-2.5-pro",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Gemini 2.5 Pro parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-gemini-3-pro-preview",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Gemini 3 Pro Preview parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-gemini-2.0-flash",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Gemini 2.0 Flash parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-wizardlm-2-8x22b",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, WizardLM-2 8x22B parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-grok-4",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 000, Grok 4 parameters (messages[].role)",
    },
    EnumFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters (messages role Options)",
    },
    EnumFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/reasoning_effort",
        allowed: &["low", "medium", "high", "xhigh"],
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters (reasoning_effort Options)",
    },
    EnumFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        pointer: "/response_format/type",
        allowed: &["text", "json_object", "json_schema"],
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters (response_format type Options)",
    },
    EnumFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/messages/0/role",
        allowed: &["user", "assistant", "system", "developer"],
        source: "seed 002, DeepSeek V3.2 parameters (messages role Options)",
    },
    EnumFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        pointer: "/response_format/type",
        allowed: &["text", "json_object"],
        source: "seed 002, DeepSeek V3.2 parameters (response_format type Options)",
    },
];

// NOTE: for seed 000 chat models, "messages[].role" and "messages[].content" are nested
// rows of the table, not top-level parameters, so they are not listed.
// NOTE: the minimax_hailuo_23_i2v table has headers "Parameter Type Required Description"
// but its rows carry no Required cell, so which of its parameters are required is not
// stated (first_frame_image presumably is, for an image-to-video model, but the seed
// does not say so). Its names other than "model" go inside input[0].params.
pub const PARAMS: &[ParamsFact] = &[
    ParamsFact {
        model: "vtrix-claude-sonnet-4.5",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude Sonnet 4.5 parameters",
    },
    ParamsFact {
        model: "vtrix-claude-opus-4.5",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude Opus 4.5 parameters",
    },
    ParamsFact {
        model: "vtrix-claude-3.5-haiku",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude 3.5 Haiku parameters",
    },
    ParamsFact {
        model: "vtrix-claude-haiku-4.5",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude Haiku 4.5 parameters",
    },
    ParamsFact {
        model: "vtrix-claude-sonnet-4",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude Sonnet 4 parameters",
    },
    ParamsFact {
        model: "vtrix-claude-3-haiku",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Claude 3 Haiku parameters",
    },
    ParamsFact {
        model: "vtrix-deepseek-v3-0324",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, DeepSeek V3 parameters",
    },
    ParamsFact {
        model: "vtrix-deepseek-v3.1",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, DeepSeek V3.1 parameters",
    },
    ParamsFact {
        model: "vtrix-deepseek-r1",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, DeepSeek R1 parameters",
    },
    ParamsFact {
        model: "vtrix-gemini-2.5-flash",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Gemini 2.5 Flash parameters",
    },
    ParamsFact {
        model: "vtrix-gemini-2.5-pro",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Gemini 2.5 Pro parameters",
    },
    ParamsFact {
        model: "vtrix-gemini-3-pro-preview",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Gemini 3 Pro Preview parameters",
    },
    ParamsFact {
        model: "vtrix-gemini-2.0-flash",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Gemini 2.0 Flash parameters",
    },
    ParamsFact {
        model: "vtrix-wizardlm-2-8x22b",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, WizardLM-2 8x22B parameters",
    },
    ParamsFact {
        model: "minimax_hailuo_23_i2v",
        endpoint: "vtrix.media_generation",
        params: &[
            "model",
            "first_frame_image",
            "prompt",
            "duration",
            "resolution",
            "prompt_optimizer",
        ],
        source: "seed 000, Hailuo 23 Image to Video parameters",
    },
    ParamsFact {
        model: "vtrix-grok-4",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
        ],
        source: "seed 000, Grok 4 parameters",
    },
    ParamsFact {
        model: "vtrix-gpt-5.3-codex",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "reasoning_effort",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
            "functions",
            "function_call",
            "response_format",
        ],
        source: "seed 003 (same in seed 001), GPT-5.3-Codex parameters",
    },
    ParamsFact {
        model: "vtrix-deepseek-v3.2",
        endpoint: "vtrix.chat_completions",
        params: &[
            "model",
            "messages",
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
            "frequency_penalty",
            "presence_penalty",
            "stop",
            "response_format",
            "tools",
            "tool_choice",
        ],
        source: "seed 002, DeepSeek V3.2 parameters",
    },
];

// Seed 004: "Resolution cố định theo model — không thể thay đổi size trong request.
// Truyền size khác sẽ bị reject." (resolution fixed per model; a different size is
// rejected). Resolutions are written with U+00D7 ("1024×1024"); transcribed with 'x'.
// NOTE: the seed's table cells are run together ("enterprise/image-21024×10240.16 Cr$");
// split as ID | resolution | price, consistent with the 1k/2k/4k suffixes.
// NOTE: seed 004 does not say whether the fixed size also applies on /v1/images/edits,
// nor which image models accept edits (its edit example uses enterprise/image-2), so
// no vertexkey.images_edits rows are given.
pub const FIXED: &[FixedFact] = &[
    FixedFact {
        model: "enterprise/image-2",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "1024x1024",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3.1-flash-image-preview-1k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "1024x1024",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3.1-flash-image-preview-2k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "2048x2048",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3.1-flash-image-preview-4k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "4096x4096",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3-pro-image-preview-1k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "1024x1024",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3-pro-image-preview-2k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "2048x2048",
        source: "seed 004, Image Generation table",
    },
    FixedFact {
        model: "enterprise/gemini-3-pro-image-preview-4k",
        endpoint: "vertexkey.images_generations",
        pointer: "/size",
        value: "4096x4096",
        source: "seed 004, Image Generation table",
    },
];

// The pointer follows public-facts.md section 1 (body {"model", "input": [{"params": {...}}]});
// seed 000 itself gives no endpoint or body shape for minimax_hailuo_23_i2v.
pub const MAX_LENGTHS: &[MaxLengthFact] = &[MaxLengthFact {
    model: "minimax_hailuo_23_i2v",
    endpoint: "vtrix.media_generation",
    pointer: "/input/0/params/prompt",
    max_chars: 2000,
    source: "seed 000, Hailuo 23 Image to Video parameters (prompt: \"Max 2000 characters.\")",
}];

// Seed 004: chat "Pricing per 1M tokens (Cr$)", "Input / Output"; image/video "Price/req" in "Cr$".
// NOTE: chat table cells are run together ("Claude Opus 4.75.00 / 25.00",
// "MiniMax M2.50.50 / 2.00", "GLM-51.00 / 5.00"); split using the model IDs
// (aws/claude-opus-4-7 -> name "Claude Opus 4.7", input 5.00).
// NOTE: "Cache pricing: read 0.53× input, write 1.25× input" is not a per-model price and
// is not recorded (0.53× is unusual; Anthropic's own cache-read rate is 0.1×).
// NOTE: Vtrix seeds give no prices (seed 002's usage.cost is "Total cost in USD", per task).
pub const PRICES: &[PriceFact] = &[
    PriceFact {
        model: "aws/claude-opus-4-7",
        currency: "Cr$",
        input_per_million: Some(5.0),
        output_per_million: Some(25.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-opus-4-6",
        currency: "Cr$",
        input_per_million: Some(5.0),
        output_per_million: Some(25.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-opus-4-5",
        currency: "Cr$",
        input_per_million: Some(5.0),
        output_per_million: Some(25.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-sonnet-4-6",
        currency: "Cr$",
        input_per_million: Some(3.0),
        output_per_million: Some(15.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-sonnet-4-5",
        currency: "Cr$",
        input_per_million: Some(3.0),
        output_per_million: Some(15.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-sonnet-4-0",
        currency: "Cr$",
        input_per_million: Some(3.0),
        output_per_million: Some(15.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/claude-haiku-4-5",
        currency: "Cr$",
        input_per_million: Some(1.0),
        output_per_million: Some(5.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/minimax-m2.5",
        currency: "Cr$",
        input_per_million: Some(0.5),
        output_per_million: Some(2.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/minimax-m2.1",
        currency: "Cr$",
        input_per_million: Some(0.3),
        output_per_million: Some(1.5),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/glm-5",
        currency: "Cr$",
        input_per_million: Some(1.0),
        output_per_million: Some(5.0),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "aws/qwen3-codex",
        currency: "Cr$",
        input_per_million: Some(0.1),
        output_per_million: Some(0.5),
        per_request: None,
        source: "seed 004, Chat Models pricing table",
    },
    PriceFact {
        model: "enterprise/image-2",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.16),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3.1-flash-image-preview-1k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.16),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3.1-flash-image-preview-2k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.18),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3.1-flash-image-preview-4k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.2),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3-pro-image-preview-1k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.32),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3-pro-image-preview-2k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.36),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/gemini-3-pro-image-preview-4k",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.4),
        source: "seed 004, Image Generation table",
    },
    PriceFact {
        model: "enterprise/seedance-1-5-pro",
        currency: "Cr$",
        input_per_million: None,
        output_per_million: None,
        per_request: Some(0.6),
        source: "seed 004, Video Generation table",
    },
];

// NOTE: seed 004 says "Context: up to 1M tokens" under the chat pricing table and
// "AWS Chat: Full feature — tool calling, vision, streaming, 1M context" in Notes. "up to"
// may be a family-wide ceiling rather than each model's window (e.g. Claude Haiku 4.5 is
// natively 200K); rows are given for all 11 as the brief directs, but treat as weak.
// NOTE: no number is stated for the other Vtrix models (DeepSeek V3.1 "long-context
// training", DeepSeek V3.2 "long-context processing" give none); no rows for them.
pub const CONTEXT_WINDOWS: &[ContextFact] = &[
    ContextFact {
        model: "vtrix-claude-sonnet-4.5",
        tokens: 200_000,
        source: "seed 000, Claude Sonnet 4.5 description (\"200K context\")",
    },
    ContextFact {
        model: "vtrix-gemini-2.5-flash",
        tokens: 1_000_000,
        source: "seed 000, Gemini 2.5 Flash description (\"1M context\")",
    },
    ContextFact {
        model: "vtrix-gemini-2.5-pro",
        tokens: 1_000_000,
        source: "seed 000, Gemini 2.5 Pro description (\"1M context\")",
    },
    ContextFact {
        model: "vtrix-gemini-3-pro-preview",
        tokens: 1_000_000,
        source: "seed 000, Gemini 3 Pro Preview description (\"1M context\")",
    },
    ContextFact {
        model: "vtrix-grok-4",
        tokens: 256_000,
        source: "seed 000, Grok 4 description (\"256K context\")",
    },
    ContextFact {
        model: "vtrix-gpt-5.3-codex",
        tokens: 400_000,
        source: "seed 003, GPT-5.3-Codex description (\"400K context window\")",
    },
    ContextFact {
        model: "aws/claude-opus-4-7",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-opus-4-6",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-opus-4-5",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-sonnet-4-6",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-sonnet-4-5",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-sonnet-4-0",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/claude-haiku-4-5",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/minimax-m2.5",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/minimax-m2.1",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/glm-5",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
    ContextFact {
        model: "aws/qwen3-codex",
        tokens: 1_000_000,
        source: "seed 004, Chat Models (\"Context: up to 1M tokens\")",
    },
];

// NOTE: seed 000 also names many models only in passing, without IDs or parameters
// ("(See GPT-4o, GPT-4.1, ... Sora 2, and others ...)", Mistral, Nous Research, Qwen, Vidu
// and Vtrix sections); they are not fully documented and are not listed.
/// Every model ID the seeds give for a fully documented model (expected: 37).
pub const DOCUMENTED_IDS: &[&str] = &[
    "vtrix-claude-sonnet-4.5",                      // seed 000
    "vtrix-claude-opus-4.5",                        // seed 000
    "vtrix-claude-3.5-haiku",                       // seed 000
    "vtrix-claude-haiku-4.5",                       // seed 000
    "vtrix-claude-sonnet-4",                        // seed 000
    "vtrix-claude-3-haiku",                         // seed 000
    "vtrix-deepseek-v3-0324",                       // seed 000
    "vtrix-deepseek-v3.1",                          // seed 000
    "vtrix-deepseek-r1",                            // seed 000
    "vtrix-gemini-2.5-flash",                       // seed 000
    "vtrix-gemini-2.5-pro",                         // seed 000
    "vtrix-gemini-3-pro-preview",                   // seed 000
    "vtrix-gemini-2.0-flash",                       // seed 000
    "vtrix-wizardlm-2-8x22b",                       // seed 000
    "minimax_hailuo_23_i2v",                        // seed 000
    "vtrix-grok-4",                                 // seed 000
    "vtrix-gpt-5.3-codex",                          // seeds 001, 003
    "vtrix-deepseek-v3.2",                          // seed 002
    "aws/claude-opus-4-7",                          // seed 004, chat
    "aws/claude-opus-4-6",                          // seed 004, chat
    "aws/claude-opus-4-5",                          // seed 004, chat
    "aws/claude-sonnet-4-6",                        // seed 004, chat
    "aws/claude-sonnet-4-5",                        // seed 004, chat
    "aws/claude-sonnet-4-0",                        // seed 004, chat
    "aws/claude-haiku-4-5",                         // seed 004, chat
    "aws/minimax-m2.5",                             // seed 004, chat
    "aws/minimax-m2.1",                             // seed 004, chat
    "aws/glm-5",                                    // seed 004, chat
    "aws/qwen3-codex",                              // seed 004, chat
    "enterprise/image-2",                           // seed 004, image
    "enterprise/gemini-3.1-flash-image-preview-1k", // seed 004, image
    "enterprise/gemini-3.1-flash-image-preview-2k", // seed 004, image
    "enterprise/gemini-3.1-flash-image-preview-4k", // seed 004, image
    "enterprise/gemini-3-pro-image-preview-1k",     // seed 004, image
    "enterprise/gemini-3-pro-image-preview-2k",     // seed 004, image
    "enterprise/gemini-3-pro-image-preview-4k",     // seed 004, image
    "enterprise/seedance-1-5-pro",                  // seed 004, video
];
