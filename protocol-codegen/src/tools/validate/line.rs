//! Reading a transcript's lines, and the members of each as text, never
//! built into a `Value`.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, Read};

use protocol_macros::peer_text::name;
use protocol_macros::{RequestId, Side};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::value::RawValue;

use super::{locate::pointer_token, report::serde_error, session::Fail};

/// Reads one line into `buffer`: `None` at the end, `Some(true)` for a line
/// longer than `limit` bytes (skipped to its end).
pub(super) fn read_line(
    input: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    buffer.clear();
    let read = Read::take(&mut *input, limit as u64 + 1).read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.len() <= limit || buffer.last() == Some(&b'\n') {
        return Ok(Some(false));
    }
    buffer.clear();
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                break;
            }
            None => {
                let all = available.len();
                input.consume(all);
            }
        }
    }
    Ok(Some(true))
}

pub(super) fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The top-level members of a JSON object that `validate` reads, each as
/// its text (the first, when one comes twice); the text of the object
/// itself. Nothing else of the object is kept.
#[derive(Default)]
pub(super) struct Members<'a> {
    pub(super) text: &'a str,
    pub(super) from: Option<&'a RawValue>,
    pub(super) message: Option<&'a RawValue>,
    pub(super) method: Option<&'a RawValue>,
    pub(super) id: Option<&'a RawValue>,
    pub(super) result: Option<&'a RawValue>,
    pub(super) error: Option<&'a RawValue>,
    pub(super) params: Option<&'a RawValue>,
    pub(super) jsonrpc: Option<&'a RawValue>,
    /// The name of the first other member.
    pub(super) other: Option<Cow<'a, str>>,
    /// The first of the members above that came twice.
    pub(super) duplicate: Option<&'static str>,
}

impl<'a> Members<'a> {
    /// A transcript line's wrapper: `from`, and nothing that makes a
    /// message.
    pub(super) fn is_wrapper(&self) -> bool {
        self.from.is_some() && self.method.is_none() && !self.has_id_result_or_error()
    }

    /// Whether a member only a message has is present (`method` aside).
    pub(super) fn has_id_result_or_error(&self) -> bool {
        self.id.is_some() || self.result.is_some() || self.error.is_some()
    }

    /// `method`, when it is a string.
    pub(super) fn method_name(&self) -> Option<Cow<'a, str>> {
        let text = self.method?.get();
        serde_json::from_str::<&str>(text)
            .map(Cow::Borrowed)
            .or_else(|_| serde_json::from_str::<String>(text).map(Cow::Owned))
            .ok()
    }

    /// Where a broken envelope is broken: its `id` or `method` when one of
    /// them has the wrong type, else the whole message.
    pub(super) fn envelope_pointer(&self) -> String {
        match (self.id, self.method) {
            (Some(id), _) if request_id(id).is_none() => "/id".to_owned(),
            (_, Some(method)) if !method.get().starts_with('"') => "/method".to_owned(),
            _ => String::new(),
        }
    }
}

/// `text`'s members, when it is a JSON object; why it is not a line or a
/// message otherwise. Each member is skipped as text (as the decoder skips
/// what it does not read): no value is built, at any depth.
pub(super) fn object(text: &str) -> Result<Members<'_>, Fail> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let shape = deserializer
        .deserialize_any(ShapeVisitor)
        .and_then(|shape| deserializer.end().map(|()| shape))
        .map_err(|err| Fail::whole(format!("not JSON: {}", serde_error(err))))?;
    match shape {
        Shape::Object(members) => Ok(Members { text, ..members }),
        Shape::Array => Err(Fail::whole(
            "a message must be a JSON object (batches are not allowed)",
        )),
        Shape::Other => Err(Fail::whole("a message must be a JSON object")),
    }
}

pub(super) enum Shape<'a> {
    Object(Members<'a>),
    Array,
    Other,
}

pub(super) struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Members::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let (slot, name) = match key.as_ref() {
                "from" => (&mut members.from, "from"),
                "message" => (&mut members.message, "message"),
                "method" => (&mut members.method, "method"),
                "id" => (&mut members.id, "id"),
                "result" => (&mut members.result, "result"),
                "error" => (&mut members.error, "error"),
                "params" => (&mut members.params, "params"),
                "jsonrpc" => (&mut members.jsonrpc, "jsonrpc"),
                _ => {
                    members.other.get_or_insert(key);
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let value = map.next_value::<&'de RawValue>()?;
            if slot.is_some() {
                members.duplicate.get_or_insert(name);
            } else {
                *slot = Some(value);
            }
        }
        Ok(Shape::Object(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Shape::Array)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }
}

/// A member name, borrowed from the text when it has no escapes.
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}

/// `{"from": …, "message": …}`: who sent the message, and its text.
pub(super) fn unwrap_line<'a>(members: &Members<'a>) -> Result<(Side, &'a str), Fail> {
    if let Some(other) = &members.other {
        return Err(Fail::new(
            None,
            format!("/{}", pointer_token(other)),
            format!(
                "a transcript line has only `from` and `message`, not `{}`",
                name(other)
            ),
        ));
    }
    if let Some(member) = members.duplicate {
        return Err(Fail::new(
            None,
            format!("/{member}"),
            format!("duplicate `{member}` member"),
        ));
    }
    let side = match members.from.map(RawValue::get) {
        Some(r#""client""#) => Side::Client,
        Some(r#""server""#) => Side::Server,
        _ => {
            return Err(Fail::new(
                None,
                "/from",
                "`from` must be \"client\" or \"server\"",
            ))
        }
    };
    Ok((side, members.message.map_or("null", RawValue::get)))
}

/// The value at `path` in `text` (member names from the top down), as
/// text; `None` when a member on the way is missing or not an object.
pub(super) fn member_at<'a>(text: &'a RawValue, path: &[&str]) -> Option<&'a RawValue> {
    let mut value = text;
    for name in path {
        let mut deserializer = serde_json::Deserializer::from_str(value.get());
        value = deserializer
            .deserialize_any(MemberVisitor { name })
            .ok()
            .flatten()?;
    }
    Some(value)
}

/// Finds one member of an object (the last, when it comes twice, as a
/// `Value` would keep it), skipping the rest as text.
pub(super) struct MemberVisitor<'n> {
    pub(super) name: &'n str,
}

impl<'de> Visitor<'de> for MemberVisitor<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == self.name {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A request id as the decoder reads one: a string or an integer.
pub(super) fn request_id(id: &RawValue) -> Option<RequestId> {
    struct IdVisitor;
    impl Visitor<'_> for IdVisitor {
        type Value = Option<RequestId>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a request id")
        }
        fn visit_str<E>(self, id: &str) -> Result<Self::Value, E> {
            Ok(Some(RequestId::String(id.to_owned())))
        }
        fn visit_i64<E>(self, id: i64) -> Result<Self::Value, E> {
            Ok(Some(RequestId::Integer(id)))
        }
        fn visit_u64<E>(self, id: u64) -> Result<Self::Value, E> {
            Ok(i64::try_from(id).ok().map(RequestId::Integer))
        }
    }
    serde_json::Deserializer::from_str(id.get())
        .deserialize_any(IdVisitor)
        .ok()
        .flatten()
}
