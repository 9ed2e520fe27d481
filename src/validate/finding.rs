//! What a validator reports: findings, each with its JSON pointer, a stable code, the
//! level the policy gives it, and a message that names the model and says what is
//! allowed.

use serde::Serialize;

/// How much a finding matters, as clippy and ruff levels: the policy maps every code to
/// one (see [`Code::default_level`] and [`crate::validate::Policy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning; the payload stays valid.
    Warn,
    /// Reported as an error; the payload is invalid.
    Deny,
}

impl Level {
    /// The level as written in flags and config files: `allow`, `warn`, `deny`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The word used in reports: `error` for deny, `warning` for warn.
    pub const fn severity(self) -> &'static str {
        match self {
            Level::Deny => "error",
            Level::Warn | Level::Allow => "warning",
        }
    }

    /// The level named `name` (`allow`, `warn`, `deny`).
    pub fn from_name(name: &str) -> Option<Level> {
        [Level::Allow, Level::Warn, Level::Deny]
            .into_iter()
            .find(|l| l.as_str() == name)
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares [`Code`] with each code's name, default level and meaning in one place.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $level:ident; )*) => {
        /// The stable code of a finding, for programs and policies that act on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of this list.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in reports and policies: `out_of_range`, ...
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The level a code has unless a policy says otherwise: `deny` for what
            /// breaks a documented limit or the format's own rules, `warn` for what the
            /// gateway's docs are silent on, `allow` for remarks that are off by default.
            pub const fn default_level(self) -> Level {
                match self { $( Code::$variant => Level::$level, )* }
            }

            /// What the code means, in one sentence (for `--help`-like listings).
            pub const fn description(self) -> &'static str {
                match self { $( Code::$variant => concat!($($doc),*), )* }
            }
        }
    };
}

codes! {
    /// A number outside the allowed range (documented, or the format's).
    OutOfRange = "out_of_range", Deny;
    /// A string not among the allowed values.
    NotInEnum = "not_in_enum", Deny;
    /// A required field is absent.
    MissingRequired = "missing_required", Deny;
    /// A value of the wrong JSON type.
    WrongType = "wrong_type", Deny;
    /// A string longer than allowed.
    TooLong = "too_long", Deny;
    /// An array with fewer or more items than allowed.
    ArrayLength = "array_length", Deny;
    /// A parameter neither the gateway nor the endpoint's format has (a typo, or one of another endpoint).
    UnknownParameter = "unknown_parameter", Deny;
    /// A model ID that is not in the catalog (which is incomplete: a new model, or a typo); the body is checked against the format of the endpoint its ID family, its shape or the caller tells, and against no model's limits.
    UnknownModel = "unknown_model", Warn;
    /// A model ID in a family whose every ID a source gives (VertexKey's `aws/` chat models), which that source lacks: the gateway will refuse it (a typo, or a model newer than the catalog, to declare in `modelgate.toml`).
    UnlistedModel = "unlisted_model", Deny;
    /// A value other than the one the model is fixed to (e.g. an image size).
    FixedValueMismatch = "fixed_value_mismatch", Deny;
    /// A media model's parameters written outside the `input[0].params` envelope.
    MisplacedParameter = "misplaced_parameter", Deny;
    /// The payload is not JSON (or not one JSON value).
    InvalidJson = "invalid_json", Deny;
    /// A parameter of the endpoint's format that the gateway does not document for the model: it may be ignored or refused.
    UndocumentedParameter = "undocumented_parameter", Warn;
    /// A value the format allows but the gateway's list of values for the model does not name.
    UndocumentedValue = "undocumented_value", Warn;
    /// A null on an optional field that is not declared nullable (sent as "not set").
    UnexpectedNull = "unexpected_null", Warn;
    /// A model the catalog only lists: only the endpoint's envelope was checked.
    ListedModel = "listed_model", Warn;
    /// A model the gateway's model list (`GET /v1/models`) no longer gave on the day the catalog last read it: it may have been withdrawn.
    NotListed = "not_listed", Warn;
    /// A parameter the format marks deprecated and the gateway does not document.
    DeprecatedParameter = "deprecated_parameter", Allow;
    /// A key given twice in one object: the payload is checked with the last value, as serde_json, Python and JavaScript read it, but a gateway may read another.
    DuplicateKey = "duplicate_key", Warn;
    /// A batch line's `custom_id` that an earlier line of the file already gave (outputs are matched to requests by it).
    DuplicateCustomId = "duplicate_custom_id", Deny;
    /// A batch line's `method` other than `POST`, the only one the batch format accepts.
    BatchMethod = "batch_method", Deny;
    /// A batch line's `url` that names no endpoint of the catalog (nor an OpenAI path modelgate maps to one).
    UnknownUrl = "unknown_url", Deny;
    /// A batch line whose body is for a model that the endpoint its `url` names does not serve.
    UrlModelMismatch = "url_model_mismatch", Deny;
}

impl Code {
    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// Whether a policy may change the code's level. `invalid_json` may not: a payload
    /// that is not JSON is never valid.
    pub const fn is_configurable(self) -> bool {
        !matches!(self, Code::InvalidJson)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a validator found in a payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// RFC 6901 JSON pointer to the offending value (or, for a missing field, to the
    /// field's place). Empty for the whole payload.
    pub pointer: String,
    /// What kind of finding it is.
    pub code: Code,
    /// Its level under the policy used: `Deny` (an error) or `Warn` (a warning).
    #[serde(rename = "severity", serialize_with = "severity")]
    pub level: Level,
    /// What is wrong, for which model, and what is allowed.
    pub message: String,
    /// The bytes of the payload text the finding is about, from the pass that found it:
    /// the value (its first byte, for an array or object), the key of a member that
    /// should not be there, the object a required member is missing from, the place
    /// where the text stops being JSON. `None` for a payload that was not given as text
    /// ([`crate::Validator::validate_value`], `validate_request`).
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
}

fn severity<S: serde::Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.severity())
}

impl Finding {
    /// Whether the finding makes the payload invalid.
    pub fn is_error(&self) -> bool {
        self.level == Level::Deny
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}: {pointer}: {} [{}]",
            self.level.severity(),
            self.message,
            self.code
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_their_names_and_describe_themselves() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            assert!(!code.description().is_empty(), "{code}");
        }
        assert_eq!(Code::from_name("unsupported_parameter"), None);
    }

    #[test]
    fn silence_warns_and_documented_limits_deny_by_default() {
        assert_eq!(Code::OutOfRange.default_level(), Level::Deny);
        assert_eq!(Code::UnknownParameter.default_level(), Level::Deny);
        assert_eq!(Code::UndocumentedParameter.default_level(), Level::Warn);
        assert_eq!(Code::UnexpectedNull.default_level(), Level::Warn);
        assert_eq!(Code::DeprecatedParameter.default_level(), Level::Allow);
    }
}
