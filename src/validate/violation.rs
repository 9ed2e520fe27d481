//! What a validator reports: each violation with its JSON pointer, a stable code and a
//! message that names the model and says what is allowed.

use serde::Serialize;

/// The stable code of a violation, for programs that act on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A number outside the model's range.
    OutOfRange,
    /// A string not among the values the model takes.
    NotInEnum,
    /// A required field is absent.
    MissingRequired,
    /// A value of the wrong JSON type.
    WrongType,
    /// A string longer than allowed.
    TooLong,
    /// A parameter the model (or the object it sits in) does not accept.
    UnsupportedParameter,
    /// A model ID that is not in the catalog.
    UnknownModel,
    /// A value other than the one the model is fixed to (e.g. an image size).
    FixedValueMismatch,
    /// The payload is not JSON (or not one JSON value).
    InvalidJson,
}

impl Code {
    /// The code as written in reports: `out_of_range`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::OutOfRange => "out_of_range",
            Code::NotInEnum => "not_in_enum",
            Code::MissingRequired => "missing_required",
            Code::WrongType => "wrong_type",
            Code::TooLong => "too_long",
            Code::UnsupportedParameter => "unsupported_parameter",
            Code::UnknownModel => "unknown_model",
            Code::FixedValueMismatch => "fixed_value_mismatch",
            Code::InvalidJson => "invalid_json",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One way a payload breaks its model's constraints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// RFC 6901 JSON pointer to the offending value (or, for a missing field, to the
    /// object that lacks it). Empty for the whole payload.
    pub pointer: String,
    /// What kind of violation it is.
    pub code: Code,
    /// What is wrong, for which model, and what is allowed.
    pub message: String,
    /// For `invalid_json`: line and column (from 1) where parsing failed.
    #[serde(skip)]
    pub position: Option<(usize, usize)>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {} [{}]", self.message, self.code)
    }
}
