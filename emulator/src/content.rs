//! Deterministic content: answers derived from a hash of the request (the same request
//! gets the same answer), plausible token counts, JSON that satisfies a given JSON Schema,
//! and a real PNG image.

use serde_json::{Map, Value, json};

/// FNV-1a of the request body: the seed of everything the emulator makes up.
pub fn seed(bytes: &[u8]) -> u64 {
    let mut h = Seed::default();
    h.feed(bytes);
    h.0
}

/// [`seed`] computed as the bytes are written, so that a value can be hashed as it is
/// serialized, without a copy.
pub struct Seed(pub u64);

impl Default for Seed {
    fn default() -> Self {
        Seed(0xcbf2_9ce4_8422_2325)
    }
}

impl Seed {
    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl std::io::Write for Seed {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.feed(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The next number of a small deterministic generator (xorshift64*).
pub fn next(state: &mut u64) -> u64 {
    let mut x = *state | 1;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

const WORDS: &[&str] = &[
    "the", "gateway", "answers", "each", "request", "with", "care", "and", "a", "model", "reads",
    "tokens", "before", "writing", "its", "reply", "so", "limits", "matter", "when", "you", "send",
    "long", "prompts", "to", "it",
];

/// A sentence of `words` words (at least 1), chosen by `seed`, ending with a full stop.
pub fn sentence(seed: u64, words: usize) -> String {
    let mut state = seed;
    let mut out = String::new();
    for i in 0..words.max(1) {
        let w = WORDS[(next(&mut state) % WORDS.len() as u64) as usize];
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                out.extend(first.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
    out
}

/// Roughly four characters a token, as tokenizers average on English; none for no text.
pub fn tokens(text: &str) -> i64 {
    (text.chars().count() as i64 + 3) / 4
}

/// The most values (objects, arrays, strings, numbers, ...) one generated answer holds.
pub const MAX_VALUES: usize = 10_000;

/// The most characters of strings one generated answer holds, `minLength`s included.
pub const MAX_TEXT: usize = 256 * 1024;

/// A schema that asks for more than [`MAX_VALUES`] values or [`MAX_TEXT`] characters of
/// text (`minItems: 1000000000`, `minLength: 1000000000`, nested arrays that multiply):
/// answered 400 rather than generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} asks for more than the emulator generates in one answer \
     (at most {MAX_VALUES} values and {MAX_TEXT} characters of text)"
)]
pub struct TooLarge(pub String);

/// What is left to generate.
struct Budget {
    values: usize,
    text: usize,
}

impl Budget {
    fn take_value(&mut self) -> Result<(), TooLarge> {
        self.values = self.values.checked_sub(1).ok_or_else(|| {
            TooLarge("the schema (its arrays and properties multiplied)".to_string())
        })?;
        Ok(())
    }

    fn take_text(&mut self, n: u64) -> Result<(), TooLarge> {
        match usize::try_from(n) {
            Ok(n) if n <= self.text => {
                self.text -= n;
                Ok(())
            }
            _ => Err(TooLarge(format!("a string of {n} characters (minLength)"))),
        }
    }
}

/// A value that satisfies `schema` (the common JSON Schema keywords: type, properties,
/// required, items, minItems, maxItems, enum, const, minimum, minLength, maxLength,
/// oneOf/anyOf), of at most [`MAX_VALUES`] values and [`MAX_TEXT`] characters of text.
pub fn from_schema(schema: &Value, seed: u64) -> Result<Value, TooLarge> {
    let mut budget = Budget {
        values: MAX_VALUES,
        text: MAX_TEXT,
    };
    from_schema_at(schema, seed, 0, &mut budget)
}

/// Tool-call arguments for a tool's parameter schema: always a JSON object, as both
/// OpenAI (`arguments`) and Anthropic (`input`) require, even when the schema is missing
/// or describes something else.
pub fn tool_arguments(schema: &Value, seed: u64) -> Result<Value, TooLarge> {
    Ok(match from_schema(schema, seed)? {
        object @ Value::Object(_) => object,
        _ => Value::Object(Map::new()),
    })
}

fn from_schema_at(
    schema: &Value,
    seed: u64,
    depth: usize,
    budget: &mut Budget,
) -> Result<Value, TooLarge> {
    if depth > 8 {
        return Ok(Value::Null);
    }
    budget.take_value()?;
    if let Some(c) = schema.get("const") {
        return Ok(c.clone());
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Ok(first.clone());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return from_schema_at(first, seed, depth + 1, budget);
        }
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    };
    Ok(match ty {
        "object" => {
            let mut out = Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (i, (name, sub)) in props.iter().enumerate() {
                    let value =
                        from_schema_at(sub, seed.wrapping_add(i as u64), depth + 1, budget)?;
                    out.insert(name.clone(), value);
                }
            }
            Value::Object(out)
        }
        "array" => {
            static ANY: Value = Value::Null;
            let items = schema.get("items").unwrap_or(&ANY);
            let least = schema.get("minItems").and_then(Value::as_u64);
            let most = schema.get("maxItems").and_then(Value::as_u64);
            let n = least
                .unwrap_or(1)
                .max(1)
                .min(most.unwrap_or(u64::MAX).max(least.unwrap_or(0)));
            // Refused before anything is made: every item costs at least one value.
            if usize::try_from(n).map_or(true, |n| n > budget.values) {
                return Err(TooLarge(format!("an array of {n} items (minItems)")));
            }
            let mut out = Vec::with_capacity(n as usize);
            for i in 0..n {
                out.push(from_schema_at(
                    items,
                    seed.wrapping_add(i),
                    depth + 1,
                    budget,
                )?);
            }
            Value::Array(out)
        }
        "integer" => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(1)),
        "number" => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0)),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => {
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
            let max = schema.get("maxLength").and_then(Value::as_u64);
            let mut text = sentence(seed, 3).trim_end_matches('.').to_string();
            // The words are ASCII: a character is a byte.
            let want = (text.len() as u64).max(min);
            let want = max.map_or(want, |max| want.min(max.max(min)));
            budget.take_text(want)?;
            let want = want as usize;
            if text.len() < want {
                text.extend(std::iter::repeat_n('x', want - text.len()));
            }
            text.truncate(want);
            json!(text)
        }
    })
}

/// A real PNG: `size` x `size` pixels of one colour chosen by `seed` (stored, uncompressed
/// deflate blocks; every decoder reads them).
pub fn png(size: u32, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let rgb = [
        (next(&mut state) & 0xff) as u8,
        (next(&mut state) & 0xff) as u8,
        (next(&mut state) & 0xff) as u8,
    ];
    let mut raw = Vec::with_capacity(((size * 3 + 1) * size) as usize);
    for _ in 0..size {
        raw.push(0); // filter: none
        raw.extend(std::iter::repeat_n(rgb, size as usize).flatten());
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A few bytes labelled as a video: enough for clients to download and check.
pub fn video(seed: u64) -> Vec<u8> {
    let mut out = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    out.extend_from_slice(format!("modelgate emulator video {seed:016x}").as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_text() {
        assert_eq!(sentence(7, 5), sentence(7, 5));
        assert_ne!(sentence(7, 5), sentence(8, 5));
        assert!(sentence(1, 4).ends_with('.'));
    }

    #[test]
    fn generated_json_satisfies_its_schema() {
        let schema = json!({"type": "object", "required": ["city", "days"], "properties": {
            "city": {"type": "string", "minLength": 12}, "days": {"type": "integer", "minimum": 3},
            "unit": {"enum": ["c", "f"]}, "tags": {"type": "array", "items": {"type": "string"}}}});
        let v = from_schema(&schema, 42).unwrap();
        assert!(v["city"].as_str().unwrap().len() >= 12);
        assert_eq!(v["days"], 3);
        assert_eq!(v["unit"], "c");
        assert!(v["tags"].is_array());
    }

    #[test]
    fn the_png_is_well_formed() {
        let image = png(4, 1);
        assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&image[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(image[16..20].try_into().unwrap()), 4);
        // The IHDR checksum of a 4x4 8-bit RGB image, as any PNG encoder writes it.
        assert_eq!(&image[29..33], &crc32(&image[12..29]).to_be_bytes());
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert!(image.ends_with(&[0xae, 0x42, 0x60, 0x82]));
    }

    #[test]
    fn tool_arguments_are_always_objects() {
        assert_eq!(tool_arguments(&json!({}), 7), Ok(json!({})));
        assert_eq!(tool_arguments(&json!({"type": "string"}), 7), Ok(json!({})));
        let args = tool_arguments(
            &json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}),
            7,
        )
        .unwrap();
        assert!(args["n"].is_i64(), "{args}");
    }

    #[test]
    fn huge_lengths_and_counts_are_refused_at_once_not_generated() {
        let started = std::time::Instant::now();
        let e = from_schema(&json!({"type": "string", "minLength": 1_000_000_000u64}), 1);
        assert_eq!(
            e.unwrap_err().to_string(),
            "a string of 1000000000 characters (minLength) asks for more than the emulator \
             generates in one answer (at most 10000 values and 262144 characters of text)"
        );
        let e = from_schema(&json!({"type": "array", "minItems": 1_000_000_000u64}), 1);
        assert!(e.unwrap_err().0.contains("(minItems)"));
        // Arrays of arrays multiply: 100^4 values from a few bytes of schema.
        let mut nested = json!({"type": "string"});
        for _ in 0..4 {
            nested = json!({"type": "array", "minItems": 100, "items": nested});
        }
        assert!(from_schema(&nested, 1).is_err());
        // Many strings of a long minLength add up.
        let long = json!({"type": "array", "minItems": 1000,
            "items": {"type": "string", "minLength": 100_000}});
        assert!(from_schema(&long, 1).unwrap_err().0.contains("(minLength)"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn lengths_and_counts_within_the_limits_are_honoured() {
        let v = from_schema(&json!({"type": "string", "minLength": 10_000}), 3).unwrap();
        assert_eq!(v.as_str().unwrap().len(), 10_000);
        let v = from_schema(&json!({"type": "string", "maxLength": 2}), 3).unwrap();
        assert_eq!(v.as_str().unwrap().len(), 2);
        let v = from_schema(
            &json!({"type": "array", "minItems": 50, "items": {"type": "integer"}}),
            3,
        )
        .unwrap();
        assert_eq!(v.as_array().unwrap().len(), 50);
        let v = from_schema(&json!({"type": "array", "maxItems": 0}), 3).unwrap();
        assert_eq!(v, json!([]));
    }
}
