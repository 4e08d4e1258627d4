//! What a report says of a failure: the peer's names escaped and bounded,
//! the decoder's messages without the values they quote.

use protocol_macros::peer_text::{bounded, name, without_unexpected, UNEXPECTED_NUMBERS};
use protocol_macros::{DecodeError, ErrorCode, RequestId, ResponseError};

/// An id as a report quotes it: escaped and bounded.
pub(super) fn quote_id(id: &RequestId) -> String {
    match id {
        RequestId::Integer(id) => id.to_string(),
        RequestId::String(id) => format!("\"{}\"", name(id)),
    }
}

/// The decoder's message for a message it refused, without serde's
/// position and without the values it quotes from the message.
pub(super) fn decoder_reason(err: &DecodeError) -> String {
    let message = without_position(&err.message);
    if err.code == ErrorCode::InvalidParams {
        // `invalid params for `<method>`: <serde's message about the params>`
        if let Some(end) = message.find("`: ") {
            let (prefix, detail) = message.split_at(end + "`: ".len());
            return format!("{prefix}{}", without_peer_values(detail));
        }
    }
    without_values_of_unexpected(&message)
}

/// A response decoder's message, as [`decoder_reason`] makes one.
pub(super) fn response_reason(err: &ResponseError) -> String {
    match err {
        ResponseError::Decode { method, error } => format!(
            "the result is not a valid `{method}` response: {}",
            without_peer_values(&without_position(error.message()))
        ),
        other => without_values_of_unexpected(&without_position(&other.to_string())),
    }
}

/// serde's description of an unexpected value, with the value: what it
/// quotes of the message (`invalid type: integer `7`, expected …`): the
/// decoder's own list, and booleans.
pub(super) const UNEXPECTED: [(&str, &str); 4] = [
    UNEXPECTED_NUMBERS[0],
    UNEXPECTED_NUMBERS[1],
    UNEXPECTED_NUMBERS[2],
    ("boolean `", "a boolean"),
];

/// `text` with serde's unexpected values left out: ``integer `7` ``
/// becomes `an integer`, and so on (serde's strings are left out already,
/// by the decoder).
pub(super) fn without_values_of_unexpected(text: &str) -> String {
    without_unexpected(text, &UNEXPECTED)
}

/// Where serde's own messages quote names of the type (its fields and
/// variants): the text right before the opening backtick.
pub(super) const TYPE_NAMES: [&str; 4] = [
    "missing field ",
    "duplicate field ",
    "expected one of ",
    "expected ",
];

/// A decoder's message about a value (serde's, or one a type's own
/// `Deserialize` wrote), with nothing of the value quoted: serde's
/// unexpected values left out ([`without_values_of_unexpected`]), a text
/// in double quotes left out, and a text in backticks left out unless
/// serde quotes a name of the type there (``missing field `x` ``,
/// ``expected one of `a`, `b` ``) or the peer's member name
/// (``unknown field `x` ``, escaped and bounded as a name is).
pub(crate) fn without_peer_values(text: &str) -> String {
    let text = without_values_of_unexpected(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    // Whether the last quoted text was a name of the type, so that the
    // rest of serde's list (`` `a`, `b` or `c` ``) is too.
    let mut in_list = false;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open] as char;
        let before = &rest[..open];
        out.push_str(before);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            // Unclosed: the rest may be the value.
            out.push(quote);
            out.push('…');
            return out;
        };
        let quoted = &after[..close];
        let type_name = quote == '`'
            && ((in_list && matches!(before, ", " | " or " | ", or "))
                || TYPE_NAMES.iter().any(|name| out.ends_with(name)));
        let kept = if type_name {
            quoted.to_owned()
        } else if quote == '`' && out.ends_with("unknown field ") {
            name(quoted)
        } else {
            "…".to_owned()
        };
        in_list = type_name;
        out.push(quote);
        out.push_str(&kept);
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A serde error about peer data, as protocol-macros' decode errors write
/// it: the string values and unknown variants it quotes left out, bounded.
pub(super) fn serde_error(error: serde_json::Error) -> String {
    bounded(protocol_macros::JsonError::from(error).message())
}

/// `text` without serde_json's trailing ` at line L column C`: the pointer
/// says where, and a wrapped message's columns are not the line's.
pub(super) fn without_position(text: &str) -> String {
    if let Some(start) = text.rfind(" at line ") {
        let position = &text[start + " at line ".len()..];
        let mut parts = position.splitn(2, " column ");
        let numeric = |part: Option<&str>| {
            part.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        if numeric(parts.next()) && numeric(parts.next()) {
            return text[..start].to_owned();
        }
    }
    text.to_owned()
}
