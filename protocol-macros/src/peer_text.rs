//! Text a peer sent, made safe to put in an error message: bounded in
//! length, control characters escaped, and the contents of string values
//! left out (a malformed credential must not come back in an error).

use std::fmt;

use serde_json::error::Category;

/// A JSON error about a value that may hold what a peer sent, made safe to
/// show: its message passed through [`serde_error`] (string contents left
/// out, length bounded), with serde_json's category and position. Its
/// `Display` and `Debug` never show a string value from the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    category: Category,
    line: usize,
    column: usize,
    message: String,
}

impl JsonError {
    /// What kind of failure: the data did not match the type, the text is
    /// not JSON, it ended early, or an I/O error.
    pub fn category(&self) -> Category {
        self.category
    }

    /// The line of the failure in JSON text, from 1; 0 for a `Value`.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the failure in JSON text, from 1; 0 for a `Value`.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The message, without the contents of any string value it quoted.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<serde_json::Error> for JsonError {
    fn from(error: serde_json::Error) -> Self {
        JsonError {
            category: error.classify(),
            line: error.line(),
            column: error.column(),
            message: serde_error(&error),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

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
/// string value, number and character it quotes left out and its length
/// bounded: serde writes `invalid type: string "<the value>", expected …`,
/// ``unknown variant `<the value>`, expected …``, ``invalid value: integer
/// `<the value>`, expected …`` (a credential may be a number, too).
pub fn serde_error(error: &dyn std::fmt::Display) -> String {
    let text = without_unexpected(
        &without_unknown_variant(&error.to_string()),
        &UNEXPECTED_NUMBERS,
    );
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

/// How serde quotes an unexpected number or character (the kind and the
/// opening backtick), and how [`serde_error`] describes it instead.
pub const UNEXPECTED_NUMBERS: [(&str, &str); 3] = [
    ("integer `", "an integer"),
    ("floating point `", "a floating point number"),
    ("character `", "a character"),
];

/// `text` with every `` <kind> `<value>` `` serde wrote for an unexpected
/// value of one of `kinds` (its opening, its description) replaced by the
/// description. Only a character may be a backtick itself.
pub fn without_unexpected(text: &str, kinds: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (opening, what) in kinds {
            if let Some(after) = rest.strip_prefix(opening) {
                let skip = if *opening == "character `" {
                    after.chars().next().map_or(0, char::len_utf8)
                } else {
                    0
                };
                if let Some(end) = after[skip..].find('`') {
                    out.push_str(what);
                    rest = &after[skip + end + 1..];
                    continue 'scan;
                }
            }
        }
        let next = rest.chars().next().map_or(0, char::len_utf8);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    out
}

/// `text` without the value serde quotes, unescaped, in
/// ``unknown variant `<the value>`, expected …``. The value may hold
/// anything, backticks too; what follows it is serde's, so the value ends
/// at the last `` `, expected`` (or `` `, there are no variants``).
fn without_unknown_variant(text: &str) -> String {
    const OPEN: &str = "unknown variant `";
    let Some(start) = text.find(OPEN) else {
        return text.to_owned();
    };
    let after = &text[start + OPEN.len()..];
    let end = ["`, expected", "`, there are no variants"]
        .iter()
        .filter_map(|marker| after.rfind(marker))
        .max()
        .map_or(after.len(), |end| end + 1);
    format!("{}unknown variant{}", &text[..start], &after[end..])
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
        assert_eq!(name("math/pow"), "math/pow");
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

    #[test]
    fn numbers_and_characters_are_left_out_of_serde_errors() {
        let err = serde_json::from_str::<u32>("424242424242").unwrap_err();
        let text = serde_error(&err);
        assert!(!text.contains("424242424242"), "{text}");
        assert!(
            text.starts_with("invalid value: an integer, expected u32"),
            "{text}"
        );
        let err = serde_json::from_str::<String>("-4242424242").unwrap_err();
        let text = serde_error(&err);
        assert!(!text.contains("4242424242"), "{text}");
        assert!(text.starts_with("invalid type: an integer"), "{text}");
        let err = serde_json::from_str::<bool>("4242.4242").unwrap_err();
        let text = serde_error(&err);
        assert!(!text.contains("4242"), "{text}");
        assert!(
            text.starts_with("invalid type: a floating point number, expected a boolean"),
            "{text}"
        );
        let err = serde_json::from_str::<char>("\"sk\"").unwrap_err();
        assert!(!serde_error(&err).contains("sk"));
        assert_eq!(
            without_unexpected("a `x` integer `1` and integer `22`", &UNEXPECTED_NUMBERS),
            "a `x` an integer and an integer"
        );
    }

    #[test]
    fn unknown_variants_are_left_out_of_serde_errors() {
        #[derive(Debug, serde::Deserialize)]
        enum Mode {
            #[serde(rename = "a")]
            _A,
            #[serde(rename = "b")]
            _B,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Never {}
        for value in ["sk-secret", "sk-secret`, expected `a`", "sk-secret\"x"] {
            let json = serde_json::to_string(value).unwrap();
            let err = serde_json::from_str::<Mode>(&json).unwrap_err();
            let text = serde_error(&err);
            assert!(!text.contains("sk-secret"), "{text}");
            assert_eq!(
                text,
                "unknown variant, expected `a` or `b` at line 1 column ".to_owned()
                    + &json.len().to_string()
            );
            let err = serde_json::from_str::<Never>(&json).unwrap_err();
            let text = serde_error(&err);
            assert!(!text.contains("sk-secret"), "{text}");
            assert!(
                text.starts_with("unknown variant, there are no variants"),
                "{text}"
            );
        }
        let json = r#"{"sk-secret": null}"#;
        let err = serde_json::from_str::<Mode>(json).unwrap_err();
        assert!(!serde_error(&err).contains("sk-secret"));
    }
}
