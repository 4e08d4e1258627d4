//! Text a peer sent, made safe to put in an error message: bounded in
//! length, control characters escaped, and the contents of string values
//! left out (a malformed credential must not come back in an error).

/// The most characters of a peer's name (a method, a field) an error quotes.
const MAX_NAME: usize = 64;
/// The most characters of an error message built from a decoder's error.
const MAX_MESSAGE: usize = 512;

/// A name the peer sent (a method name, a field name), escaped and bounded.
pub fn name(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == MAX_NAME {
            out.push_str(&format!("… ({} bytes)", text.len()));
            return out;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// A serde error about data the peer sent, with the contents of every
/// string value it quotes left out and its length bounded: serde writes
/// `invalid type: string "<the value>", expected …`.
pub fn serde_error(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE));
    let mut rest = text.as_str();
    while let Some(start) = rest.find("string \"") {
        out.push_str(&rest[..start]);
        out.push_str("a string");
        let after = &rest[start + "string \"".len()..];
        // The value is Debug-escaped: find the closing quote not preceded
        // by an escaping backslash.
        let mut escaped = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            })
            .map_or(after.len(), |(i, _)| i + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    bounded(&out)
}

/// At most [`MAX_MESSAGE`] characters, control characters escaped.
pub fn bounded(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == MAX_MESSAGE {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_bounded() {
        assert_eq!(name("initialize"), "initialize");
        assert_eq!(name("a\nb"), "a\\nb");
        let long = name(&"m".repeat(100_000));
        assert!(long.starts_with(&"m".repeat(64)) && long.ends_with("… (100000 bytes)"));
    }

    #[test]
    fn string_values_are_left_out_of_serde_errors() {
        let err = serde_json::from_str::<u64>(r#""sk-secret \" quoted""#).unwrap_err();
        let text = serde_error(&err);
        assert!(!text.contains("sk-secret"), "{text}");
        assert!(
            text.starts_with("invalid type: a string, expected u64"),
            "{text}"
        );
        let err = serde_json::from_str::<bool>(&format!("\"{}\"", "x".repeat(10_000))).unwrap_err();
        assert!(serde_error(&err).len() < 600);
    }
}
