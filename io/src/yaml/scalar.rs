//! Scalars: the YAML 1.2 core schema (`null`, `true`, `42`, `1.5`, ...) and its tags.

use serde_json::{Number, Value};
use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::TScalarStyle;

/// The core schema name (`str`, `int`, `seq`, ...) of a tag, or `None` for another tag.
/// The non-specific tag `!` counts as `str` (YAML 1.2, 10.3.2: a quoted scalar).
pub(super) fn core_tag(tag: &Tag) -> Option<&str> {
    match (tag.handle.as_str(), tag.suffix.as_str()) {
        ("tag:yaml.org,2002:", suffix) => Some(suffix),
        // Verbatim: `!<tag:yaml.org,2002:str>`.
        ("" | "!", verbatim) if verbatim.starts_with("tag:yaml.org,2002:") => {
            verbatim.strip_prefix("tag:yaml.org,2002:")
        }
        ("", "!") | ("!", "") => Some("str"),
        _ => None,
    }
    .filter(|s| {
        matches!(
            *s,
            "str" | "int" | "float" | "bool" | "null" | "seq" | "map"
        )
    })
}

pub(super) fn unsupported_tag(tag: &Tag) -> String {
    let shown = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    };
    format!(
        "the YAML tag `{shown}` is not supported here (modelgate reads the core schema: \
         !!str, !!int, !!float, !!bool and !!null on scalars, !!seq and !!map on collections)"
    )
}

/// Resolves a scalar with the YAML 1.2 core schema, or as its core-schema tag says.
pub(super) fn resolve_scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(if style == TScalarStyle::Plain {
            resolve_plain(&text)?
        } else {
            Value::String(text)
        });
    };
    let wanted = core_tag(tag).ok_or_else(|| unsupported_tag(tag))?;
    if wanted == "str" {
        return Ok(Value::String(text));
    }
    let value = resolve_plain(&text)?;
    let fits = match (wanted, &value) {
        ("null", Value::Null) | ("bool", Value::Bool(_)) => true,
        ("int", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("float", Value::Number(_)) => true,
        _ => false,
    };
    if fits {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a valid !!{wanted}"))
    }
}

/// Resolves an untagged plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Result<Value, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(n) = parse_integer(text) {
                Value::Number(n)
            } else if looks_like_float(text) {
                let f: f64 = text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a valid number"))?;
                Value::Number(
                    Number::from_f64(f)
                        .ok_or_else(|| format!("`{text}` cannot be represented in JSON"))?,
                )
            } else if matches!(
                text.to_ascii_lowercase().as_str(),
                ".inf" | "+.inf" | "-.inf" | ".nan"
            ) {
                return Err(format!(
                    "`{text}` (infinity or NaN) cannot be represented in JSON"
                ));
            } else {
                Value::String(text.to_string())
            }
        }
    })
}

fn parse_integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        let signed = i64::try_from(magnitude).ok()?.checked_neg()?;
        Some(Number::from(signed))
    } else {
        Some(Number::from(magnitude))
    }
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn looks_like_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && !frac.is_empty() || !int.is_empty())
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}
