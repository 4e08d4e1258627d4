//! The seeds of the envelope's members: its keys, `id`, `method`,
//! `jsonrpc` and `params`, each read without buffering.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::jsonrpc::RequestId;
use crate::struct_only::StructOnly;

use super::{
    set::DecodeSet,
    visitor::{Id, Member},
};

/// A top-level member name.
#[derive(Clone, Copy)]
pub(super) enum Key {
    Jsonrpc,
    Id,
    Method,
    Params,
    Result,
    Error,
    Other,
}

impl Key {
    #[inline]
    pub(super) fn from_name(name: &str) -> Key {
        match name {
            "jsonrpc" => Key::Jsonrpc,
            "id" => Key::Id,
            "method" => Key::Method,
            "params" => Key::Params,
            "result" => Key::Result,
            "error" => Key::Error,
            _ => Key::Other,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Key::Jsonrpc => "jsonrpc",
            Key::Id => "id",
            Key::Method => "method",
            Key::Params => "params",
            Key::Result => "result",
            Key::Error => "error",
            Key::Other => "?",
        }
    }
}

pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    #[inline]
    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(Key::from_name(key))
    }

    fn visit_bytes<E>(self, key: &[u8]) -> Result<Key, E> {
        Ok(std::str::from_utf8(key).map_or(Key::Other, Key::from_name))
    }
}

/// A visitor that takes any JSON value: `Invalid` unless it is the one shape wanted.
macro_rules! invalid_unless_wanted {
    ($invalid:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($invalid)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($invalid)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($invalid)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($invalid)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            IgnoredAny::deserialize(d).map(|_| $invalid)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| $invalid)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_map(map).map(|_| $invalid)
        }
    };
}

/// Reads `id` without buffering: a string or an integer, anything else `Invalid`.
pub(super) struct IdSeed;

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = Id;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IdSeed {
    type Value = Id;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request id")
    }

    fn visit_str<E>(self, id: &str) -> Result<Self::Value, E> {
        Ok(Id::Present(RequestId::String(id.to_owned())))
    }

    fn visit_string<E>(self, id: String) -> Result<Self::Value, E> {
        Ok(Id::Present(RequestId::String(id)))
    }

    #[inline]
    fn visit_i64<E>(self, id: i64) -> Result<Self::Value, E> {
        Ok(Id::Present(RequestId::Integer(id)))
    }

    #[inline]
    fn visit_u64<E>(self, id: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(id).map_or(Id::Invalid, |id| Id::Present(RequestId::Integer(id))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Id::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Id::Null)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Id::Invalid)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Id::Invalid)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Id::Invalid)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Id::Invalid)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Id::Invalid)
    }
}

/// Reads `method`, borrowed from the input when it has no escapes.
pub(super) struct MethodSeed;

impl<'de> DeserializeSeed<'de> for MethodSeed {
    type Value = Member<Cow<'de, str>>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MethodSeed {
    type Value = Member<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a method name")
    }

    #[inline]
    fn visit_borrowed_str<E>(self, method: &'de str) -> Result<Self::Value, E> {
        Ok(Member::Present(Cow::Borrowed(method)))
    }

    fn visit_str<E>(self, method: &str) -> Result<Self::Value, E> {
        Ok(Member::Present(Cow::Owned(method.to_owned())))
    }

    fn visit_string<E>(self, method: String) -> Result<Self::Value, E> {
        Ok(Member::Present(Cow::Owned(method)))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Member::Invalid)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Member::Invalid)
    }

    invalid_unless_wanted!(Member::Invalid);
}

/// Reads `jsonrpc`: whether it is the string `"2.0"`.
pub(super) struct VersionSeed;

impl<'de> DeserializeSeed<'de> for VersionSeed {
    type Value = Member<bool>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for VersionSeed {
    type Value = Member<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"2.0\"")
    }

    #[inline]
    fn visit_str<E>(self, version: &str) -> Result<Self::Value, E> {
        Ok(Member::Present(version == "2.0"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Member::Present(false))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Member::Present(false))
    }

    invalid_unless_wanted!(Member::Present(false));
}

/// Decodes `params` in place into the method at `index` of the set `S`.
pub(super) struct ParamsSeed<'s, S> {
    pub(super) index: usize,
    pub(super) id: RequestId,
    pub(super) slot: &'s mut Option<S>,
}

impl<'s, S> ParamsSeed<'s, S> {
    pub(super) fn new(index: usize, id: RequestId, slot: &'s mut Option<S>) -> Self {
        ParamsSeed { index, id, slot }
    }
}

impl<'de, S: DecodeSet> DeserializeSeed<'de> for ParamsSeed<'_, S> {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        S::decode_params(self.index, self.id, StructOnly(deserializer), self.slot)
    }
}
