//! The reader: the one pass over a JSON text that fills a [`Tape`], accepting exactly
//! what serde_json accepts (see the parent module).

use super::*;

/// The one pass over a JSON text, into a tape.
pub(super) struct Reader<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    pub(super) tape: &'a mut Tape,
}

impl<'a> Reader<'a> {
    /// One value and nothing but whitespace after it: a loop over the bytes with a stack
    /// of the arrays and objects open (no recursion), each container's token closed
    /// with its end and the index after it.
    pub(super) fn document(&mut self) -> Result<(), NotJson> {
        let mut open = std::mem::take(&mut self.tape.open);
        open.clear();
        let result = self.values(&mut open);
        self.tape.open = open;
        result?;
        self.whitespace();
        if self.pos != self.bytes.len() {
            return self.fail();
        }
        Ok(())
    }

    /// The values of the text, as tokens.
    fn values(&mut self, open: &mut Vec<Open>) -> Result<(), NotJson> {
        'value: loop {
            // A value is expected.
            let start_byte = self.next_byte();
            let start = self.pos;
            match start_byte {
                Some(b'{') => {
                    let token = self.enter(open, Kind::Object, start)?;
                    self.pos += 1;
                    if self.next_byte() == Some(b'}') {
                        self.pos += 1;
                        self.close(open, token);
                    } else {
                        self.key(open)?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    let token = self.enter(open, Kind::Array, start)?;
                    self.pos += 1;
                    if self.next_byte() == Some(b']') {
                        self.pos += 1;
                        self.close(open, token);
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => self.string()?,
                Some(b'-' | b'0'..=b'9') => {
                    let n = self.number()?;
                    self.tape.numbers.push(n);
                    let index = (self.tape.numbers.len() - 1) as u32;
                    self.push(Kind::Number, start, index);
                }
                Some(b't') => self.literal(b"true", Kind::Boolean, true)?,
                Some(b'f') => self.literal(b"false", Kind::Boolean, false)?,
                Some(b'n') => self.literal(b"null", Kind::Null, false)?,
                _ => return self.fail(),
            }
            // A value was read: what follows it in the containers open.
            loop {
                let Some(&Open { token, object, .. }) = open.last() else {
                    return Ok(());
                };
                match (self.next_byte(), object) {
                    (Some(b','), _) => {
                        self.pos += 1;
                        if object {
                            self.next_byte();
                            self.key(open)?;
                        }
                        continue 'value;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.pos += 1;
                        self.close(open, token as usize);
                    }
                    _ => return self.fail(),
                }
            }
        }
    }

    /// A member's key and its colon (`pos` at the key's opening quote), recorded as a
    /// key of the innermost open object.
    #[inline(always)]
    fn key(&mut self, open: &mut [Open]) -> Result<(), NotJson> {
        if self.peek() != Some(b'"') {
            return self.fail();
        }
        self.string()?;
        if let Some(Open {
            token: object,
            keys,
            ..
        }) = open.last_mut()
        {
            let t = self.tape.tokens[self.tape.tokens.len() - 1];
            let bytes: &'a [u8] = self.bytes;
            if t.aux == 0 {
                let content = &bytes[t.start as usize + 1..t.end as usize - 1];
                self.tape.add_key(bytes, *object as usize, keys, content);
            } else {
                // An escaped key: its content is on the tape (taken out while compared).
                let n = t.aux as usize - 1;
                let content = std::mem::take(&mut self.tape.strings[n]);
                self.tape
                    .add_key(bytes, *object as usize, keys, content.as_bytes());
                self.tape.strings[n] = content;
            }
        }
        self.colon()
    }

    #[inline(always)]
    fn colon(&mut self) -> Result<(), NotJson> {
        if self.next_byte() != Some(b':') {
            return self.fail();
        }
        self.pos += 1;
        Ok(())
    }

    /// After a failed reading: the last `model` string among the root object's members
    /// read whole.
    pub(super) fn model_so_far(&self) -> Option<String> {
        let tokens = &self.tape.tokens;
        if tokens.first()?.kind != Kind::Object {
            return None;
        }
        let mut model = None;
        let mut at = 1;
        while at + 1 < tokens.len() {
            let (key, value) = (at, at + 1);
            let next = match tokens[value].kind {
                // Not closed (the reading stopped inside): nothing after it was read.
                Kind::Array | Kind::Object if tokens[value].aux == 0 => break,
                _ => self.tape.next(value),
            };
            if self.tape.str(self.text, key) == "model" && tokens[value].kind == Kind::String {
                model = Some(self.tape.str(self.text, value).to_string());
            }
            at = next;
        }
        model
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if b > b' ' || !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return;
            }
            self.pos += 1;
        }
    }

    /// The byte after any whitespace at `pos` (which is left on it).
    #[inline(always)]
    fn next_byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        if b > b' ' {
            return Some(b);
        }
        self.whitespace();
        self.peek()
    }

    #[inline]
    fn fail<T>(&self) -> Result<T, NotJson> {
        Err(NotJson(self.pos))
    }

    #[inline]
    fn push(&mut self, kind: Kind, start: usize, aux: u32) -> usize {
        self.tape.tokens.push(Token {
            kind,
            flag: false,
            hash: 0,
            start: start as u32,
            end: self.pos as u32,
            aux,
        });
        self.tape.tokens.len() - 1
    }

    fn literal(&mut self, word: &[u8], kind: Kind, flag: bool) -> Result<(), NotJson> {
        if !self.bytes[self.pos..].starts_with(word) {
            return self.fail();
        }
        let start = self.pos;
        self.pos += word.len();
        let i = self.push(kind, start, 0);
        self.tape.tokens[i].flag = flag;
        Ok(())
    }

    /// Opens the array or object at `pos`: its token, closed later by [`Reader::close`].
    #[inline]
    fn enter(&mut self, open: &mut Vec<Open>, kind: Kind, start: usize) -> Result<usize, NotJson> {
        if open.len() >= MAX_DEPTH {
            return self.fail();
        }
        let token = self.push(kind, start, 0);
        open.push(Open {
            token: token as u32,
            object: kind == Kind::Object,
            keys: Keys::default(),
        });
        Ok(token)
    }

    /// Closes the array or object token `token` (the innermost open): its end and the
    /// index after it.
    #[inline]
    fn close(&mut self, open: &mut Vec<Open>, token: usize) {
        open.pop();
        let after = self.tape.tokens.len() as u32;
        let t = &mut self.tape.tokens[token];
        t.end = self.pos as u32;
        t.aux = after;
    }

    /// A string at `pos` (its opening quote).
    #[inline(always)]
    fn string(&mut self) -> Result<(), NotJson> {
        let start = self.pos;
        let content = start + 1;
        let Some(end) = next_special(self.bytes, content) else {
            self.pos = self.bytes.len();
            return self.fail();
        };
        match self.bytes[end] {
            b'"' => {
                self.pos = end + 1;
                self.push(Kind::String, start, 0);
                Ok(())
            }
            b'\\' => {
                self.pos = end;
                let owned = self.escaped_string(content)?;
                self.tape.strings.push(owned);
                let index = self.tape.strings.len() as u32;
                self.push(Kind::String, start, index);
                Ok(())
            }
            _ => {
                self.pos = end;
                self.fail()
            }
        }
    }

    /// The rest of a string that has escapes, from the start of its content; `pos` is at
    /// the first `\\`. Ends after the closing quote.
    #[cold]
    #[inline(never)]
    fn escaped_string(&mut self, content: usize) -> Result<String, NotJson> {
        let mut owned = String::from(&self.text[content..self.pos]);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(owned);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut owned)?;
                }
                Some(_) => {
                    let run = self.pos;
                    let Some(end) = next_special(self.bytes, run) else {
                        self.pos = self.bytes.len();
                        return self.fail();
                    };
                    self.pos = end;
                    if !matches!(self.bytes[end], b'"' | b'\\') {
                        return self.fail();
                    }
                    owned.push_str(&self.text[run..end]);
                }
                None => return self.fail(),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), NotJson> {
        let Some(c) = self.peek() else {
            return self.fail();
        };
        self.pos += 1;
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return self.fail();
                        }
                        self.pos += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return self.fail();
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return self.fail(),
                    c => c,
                };
                match char::from_u32(code) {
                    Some(c) => c,
                    None => return self.fail(),
                }
            }
            _ => return self.fail(),
        });
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            return self.fail();
        };
        let mut v = 0;
        for d in digits {
            match (*d as char).to_digit(16) {
                Some(x) => v = v * 16 + x,
                None => return self.fail(),
            }
        }
        self.pos += 4;
        Ok(v)
    }

    /// The digits at `pos`, added to `acc` (the mantissa so far, `None` once past 19
    /// digits); how many there were.
    #[inline]
    fn digits(&mut self, acc: &mut Option<u64>, count: &mut usize) -> usize {
        let start = self.pos;
        while let Some(&d @ b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
            *count += 1;
            *acc = acc
                .and_then(|m| m.checked_mul(10))
                .and_then(|m| m.checked_add(u64::from(d - b'0')));
        }
        self.pos - start
    }

    /// A number at `pos`, read in one pass: its grammar checked while its digits are
    /// added up, so that an integer, or a decimal that Clinger's fast path gives exactly,
    /// needs no second look; only other floats are read again (by serde_json's
    /// algorithm, so that a value at a bound reads the same here and in a JSON Schema
    /// validator, and out-of-range numbers fail alike).
    fn number(&mut self) -> Result<Num, NotJson> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut mantissa = Some(0u64);
        let mut count = 0;
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                count = 1;
            }
            Some(b'1'..=b'9') => {
                self.digits(&mut mantissa, &mut count);
            }
            _ => return self.fail(),
        }
        let mut float = false;
        let mut fraction = 0;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            fraction = self.digits(&mut mantissa, &mut count);
            if fraction == 0 {
                return self.fail();
            }
            float = true;
        }
        let mut exponent = Some(0i32);
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            let minus = self.peek() == Some(b'-');
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let mut e = Some(0u64);
            let mut n = 0;
            if self.digits(&mut e, &mut n) == 0 {
                return self.fail();
            }
            exponent = e
                .and_then(|e| i32::try_from(e).ok())
                .map(|e| if minus { -e } else { e });
            float = true;
        }
        // "01" is not a number, "0" then "1" is not one either.
        if let Some(b'0'..=b'9') = self.peek() {
            return self.fail();
        }
        if !float && let Some(v) = mantissa {
            if !negative {
                return Ok(Num::Unsigned(v));
            }
            if let Some(v) = 0i64.checked_sub_unsigned(v) {
                return Ok(Num::Signed(v));
            }
        }
        if count <= 19
            && let (Some(m), Some(e)) = (mantissa, exponent)
            && let Some(power) = e.checked_sub(fraction as i32)
            && let Some(f) = exact_float(negative, m, power)
        {
            return Ok(Num::Float(f));
        }
        match serde_json::from_str::<f64>(&self.text[start..self.pos]) {
            Ok(f) => Ok(Num::Float(f)),
            Err(_) => Err(NotJson(start)),
        }
    }
}

/// `mantissa` x 10^`power` as f64, when one exact multiplication or division by a power
/// of ten gives the correctly rounded value (a mantissa of at most 2^53, a power within
/// 10^22): Clinger's fast path, which every correct parser (serde_json's included) takes
/// for such numbers. `None` otherwise.
fn exact_float(negative: bool, mantissa: u64, power: i32) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    if mantissa > 1 << 53 {
        return None;
    }
    let scale = *POW10.get(power.unsigned_abs() as usize)?;
    let magnitude = if power >= 0 {
        mantissa as f64 * scale
    } else {
        mantissa as f64 / scale
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The offset, from `from`, of the first `"`, `\\` or control character (below 0x20).
#[inline(always)]
pub(super) fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    special(bytes.get(from..)?).map(|p| from + p)
}

/// [`next_special`] from the start of `bytes`: sixteen bytes at a time with SSE2 (on
/// every x86-64), else eight at a time with [`swar_special`].
#[inline]
fn special(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2_special(bytes)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        swar_special(bytes)
    }
}

/// [`special`] with SSE2, which every x86-64 processor has: per 16 bytes, a mask of the
/// quotes, backslashes and bytes below 0x20; the lowest set bit is the first special byte.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn sse2_special(bytes: &[u8]) -> Option<usize> {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let mut offset = 0;
    while offset + 16 <= bytes.len() {
        // SAFETY: SSE2 is part of the x86-64 baseline; the load reads the 16 bytes at
        // `offset`, which are in `bytes` (checked above), unaligned.
        let mask = unsafe {
            let chunk = _mm_loadu_si128(bytes.as_ptr().add(offset).cast::<__m128i>());
            let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
            // byte < 0x20 (unsigned) <=> max(byte, 0x1f) == 0x1f
            let limit = _mm_set1_epi8(0x1f);
            let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, limit), limit);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
        };
        if mask != 0 {
            return Some(offset + mask.trailing_zeros() as usize);
        }
        offset += 16;
    }
    swar_special(&bytes[offset..]).map(|p| offset + p)
}

/// [`special`] eight bytes at a time, with the classic "has a zero byte" bit tricks.
#[inline]
pub(super) fn swar_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // A byte is flagged when it is zero (for the XORs) or below 0x20 (for `w`). The
        // lowest flagged byte is always a true match: borrows only spill upwards.
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| offset + p)
}
