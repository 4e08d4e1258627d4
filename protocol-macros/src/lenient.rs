//! JSON text that a decoder accepted, read as a `Value` even where
//! serde_json's `Value` cannot hold it.
//!
//! The decoder skips the members it does not know without reading them, so
//! a message it accepts may hold, in such a member, a lone surrogate escape
//! (`"\ud800"`), a number out of `f64`'s range (`1e400`) or nesting deeper
//! than serde_json's limit. The experimental gate reads the params again as
//! a `Value`; for such text it reads them here instead: a lone surrogate
//! becomes U+FFFD, an unrepresentable number `null`, and a value nested
//! deeper than [`MAX_DEPTH`] `null`. None of these can be in a member the
//! params type knows (its decoder would have refused them), and only known
//! members can be experimental, so the gate's verdict is the same.

use serde_json::{Map, Number, Value};

/// Values nested deeper than this are read as `null`.
const MAX_DEPTH: usize = 100;

/// `text`, valid JSON, as a `Value`; `None` if it is not valid JSON after all.
pub(crate) fn value(text: &str) -> Option<Value> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.whitespace();
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.whitespace();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.whitespace();
        match self.peek()? {
            b'{' | b'[' if depth >= MAX_DEPTH => self.skip_nested().map(|()| Value::Null),
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut members = Map::new();
        self.whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Value::Object(members));
        }
        loop {
            self.whitespace();
            let key = self.string()?;
            self.eat(b':')?;
            let value = self.value(depth + 1)?;
            // The first of duplicate members, as the decoder reads them.
            members.entry(key).or_insert(value);
            self.whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Value::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        self.whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// Skips an object or array, however deep, without recursion.
    fn skip_nested(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth -= 1;
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                b'"' => {
                    self.string()?;
                }
                _ => self.at += 1,
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            value
        })
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
        if text.is_empty() {
            return None;
        }
        Some(match serde_json::from_str::<Number>(text) {
            Ok(number) => Value::Number(number),
            // Out of range: what it was does not matter to the gate.
            Err(_) => Value::Null,
        })
    }

    /// A string, its escapes decoded; a lone surrogate as U+FFFD.
    fn string(&mut self) -> Option<String> {
        self.whitespace();
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\') {
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).ok()?);
            if self.peek()? == b'"' {
                self.at += 1;
                return Some(out);
            }
            self.at += 1;
            let escape = self.peek()?;
            self.at += 1;
            match escape {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let unit = self.hex4()?;
                    let c = if (0xD800..0xDC00).contains(&unit) && self.low_surrogate_next() {
                        self.at += 2;
                        let low = self.hex4()?;
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        char::from_u32(unit)
                    };
                    out.push(c.unwrap_or('\u{FFFD}'));
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
        let unit = u32::from_str_radix(digits, 16).ok()?;
        self.at += 4;
        Some(unit)
    }

    /// Whether `\uDC00`–`\uDFFF` follows.
    fn low_surrogate_next(&self) -> bool {
        let Some(next) = self.bytes.get(self.at..self.at + 6) else {
            return false;
        };
        next.starts_with(b"\\u")
            && std::str::from_utf8(&next[2..])
                .ok()
                .and_then(|digits| u32::from_str_radix(digits, 16).ok())
                .is_some_and(|unit| (0xDC00..0xE000).contains(&unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a":[1,-2.5e3,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"],"b":{}}"#,
            "[]",
            " { \"k\" : [ { } , [ ] ] } ",
            "12345678901234567890",
        ] {
            assert_eq!(
                value(text),
                Some(serde_json::from_str::<Value>(text).unwrap()),
                "{text}"
            );
        }
    }

    #[test]
    fn reads_what_serde_json_cannot_hold() {
        let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let text = format!(
            r#"{{"lone":"a\ud800b","low":"\udc00","big":1e400,"deep":{deep},"kept":1,"kept":2}}"#
        );
        assert!(serde_json::from_str::<Value>(&text).is_err());
        let read = value(&text).unwrap();
        assert_eq!(read["lone"], json!("a\u{FFFD}b"));
        assert_eq!(read["low"], json!("\u{FFFD}"));
        assert_eq!(read["big"], Value::Null);
        assert_eq!(read["kept"], json!(1));
        let mut nested = &read["deep"];
        let mut depth = 1;
        while let Value::Array(items) = nested {
            nested = &items[0];
            depth += 1;
        }
        assert_eq!((depth, nested), (MAX_DEPTH, &Value::Null));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in ["", "{", r#"{"a" 1}"#, "[1,]x", r#""\x""#, "1 2"] {
            assert_eq!(value(text), None, "{text}");
        }
    }
}
