//! Types the generated clients share with the runtime: the open enums. A gateway may send a
//! finish reason, status or event type this catalog does not know; it is kept as
//! `Unknown(value)` rather than failing the decode (public-facts section 6).
//!
//! ```
//! use modelgate_api::types::FinishReason;
//!
//! let r: FinishReason = serde_json::from_str(r#""stop""#).unwrap();
//! assert_eq!(r, FinishReason::Stop);
//! let r: FinishReason = serde_json::from_str(r#""eos_token""#).unwrap();
//! assert_eq!(r, FinishReason::Unknown("eos_token".into()));
//! assert_eq!(serde_json::to_string(&r).unwrap(), r#""eos_token""#);
//! ```

/// Defines an open enum: a variant per documented value, `Unknown(String)` for any other,
/// (de)serialized as the plain string. Invoked by the generated `open_enums.rs`.
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $value, "`")]
                $variant,
            )*
            /// A value the catalog does not document, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The documented values.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

crate::generated!("open_enums.rs");
