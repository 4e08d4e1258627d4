//! One reading pass over a message's text and, when it fails, its
//! failure classified as the JSON-RPC error a receiver needs first.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::Deserializer;
use serde_json::value::RawValue;

use crate::jsonrpc::RequestId;

use super::{
    buffer::unreadable_member,
    error::DecodeError,
    set::DecodeSet,
    visitor::{Accept, MessageVisitor, Outcome, Read, Slots},
};

/// Reads one message from JSON text. The outer error is serde_json's; the
/// inner one a broken JSON-RPC rule.
#[inline(always)]
pub(super) fn read_message<'de, R: DecodeSet, N: DecodeSet>(
    json: &'de str,
    visitor: MessageVisitor<'_, R, N, &'de RawValue>,
) -> Result<Read<Outcome<&'de RawValue>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let message = deserializer.deserialize_map(visitor)?;
    deserializer.end()?;
    Ok(message)
}

#[inline]
pub(super) fn decode_text<'de, R: DecodeSet, N: DecodeSet>(
    json: &'de str,
    accept: Accept,
    slots: &mut Slots<R, N>,
) -> Read<Outcome<&'de RawValue>> {
    let failed_in_params = Cell::new(false);
    let visitor = MessageVisitor::new(accept, None, &failed_in_params, slots);
    match read_message(json, visitor) {
        Ok(message) => message,
        Err(err) => Err(classify::<R, N>(json, accept, err, failed_in_params.get())),
    }
}

/// The text of a byte message. One UTF-8 check up front is cheaper than
/// serde_json checking each string of a byte slice, and the whole message
/// is then read as `str`, by one deserializer type.
#[inline]
pub(super) fn text(json: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(json).map_err(not_utf8)
}

#[cold]
pub(super) fn not_utf8(err: std::str::Utf8Error) -> DecodeError {
    DecodeError::parse_error(err)
}

/// The JSON-RPC error for a message serde_json could not read: syntax
/// first, then a broken envelope, then the params.
#[cold]
#[inline(never)]
pub(super) fn classify<R: DecodeSet, N: DecodeSet>(
    json: &str,
    accept: Accept,
    err: serde_json::Error,
    in_params: bool,
) -> Box<DecodeError> {
    // The text decides, not the error's category: a value of the wrong type
    // stops serde_json before the rest of the text is read, and serde_json
    // calls some wrong types (an array where an enum is expected) syntax errors.
    if let Err(syntax) = serde_json::from_str::<IgnoredAny>(json) {
        return Box::new(DecodeError::parse_error(
            if err.is_syntax() || err.is_eof() {
                err
            } else {
                syntax
            },
        ));
    }
    if !in_params {
        return Box::new(not_read(json, &err));
    }
    // The params failed in place: read the envelope again, params skipped,
    // so that a broken envelope or the rest of the text decides first.
    let params_err = err.to_string();
    let failed_in_params = Cell::new(false);
    let mut slots = Slots::<R, N>::new();
    let visitor = MessageVisitor::new(accept, Some(&params_err), &failed_in_params, &mut slots);
    match read_message(json, visitor) {
        Ok(Ok(_)) => Box::new(DecodeError::invalid_request(None, params_err)),
        Ok(Err(err)) => err,
        Err(err) => Box::new(DecodeError::parse_error(err)),
    }
}

/// The error for JSON text the reader could not read outside params: a
/// value that is not an object, or an object with a value serde_json
/// cannot hold (a lone surrogate escape, a number out of range, nesting
/// deeper than its limit). The id is kept whenever it is readable.
#[cold]
pub(super) fn not_read(json: &str, err: &serde_json::Error) -> DecodeError {
    if !json.trim_start().starts_with('{') {
        return DecodeError::invalid_request(None, "a message must be a JSON object");
    }
    unreadable_member(readable_id(json), err)
}

/// The first top-level `id` of an object, when it is a string or an
/// integer serde_json can read; every other member is skipped without
/// being read (a skipped value is not held, whatever its depth or escapes).
pub(super) fn readable_id(json: &str) -> Option<RequestId> {
    /// Fills its slot with the first `id` as soon as it is read, so that a
    /// member after it that cannot be read does not lose it.
    struct FirstId<'s>(&'s mut Option<Option<RequestId>>);

    impl<'de> Visitor<'de> for FirstId<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                let value = map.next_value::<&'de RawValue>()?;
                if key == "id" && self.0.is_none() {
                    *self.0 = Some(serde_json::from_str::<RequestId>(value.get()).ok());
                }
            }
            Ok(())
        }
    }

    let mut id = None;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let _ = deserializer.deserialize_map(FirstId(&mut id));
    id.flatten()
}

#[cold]
pub(super) fn not_a(kind: &str) -> DecodeError {
    DecodeError::invalid_request(None, format!("not a {kind}"))
}
