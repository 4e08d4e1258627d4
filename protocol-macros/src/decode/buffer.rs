//! Params written before `method`, kept until the method is known: as a
//! `Value` or as borrowed text.

use serde::de::Visitor;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::jsonrpc::RequestId;
use crate::struct_only::StructOnly;

use super::{error::DecodeError, set::DecodeSet, visitor::placeholder_id};

/// How a reader keeps params it cannot decode yet (written before `method`),
/// and decodes them, or absent params, once the method is known, into the
/// slot, with a placeholder id.
pub(super) trait Buffer<'de>: Deserialize<'de> {
    /// The value read as `T` (an error object), duplicate members read as
    /// a `Value` reads them. `Err(None)` when the text holds a value a
    /// `Value` cannot (nesting deeper than serde_json's limit, a number out
    /// of range), `Err(Some(_))` when it is not a `T`.
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, ReadError>;

    fn decode<S: DecodeSet>(
        self,
        index: usize,
        slot: &mut Option<S>,
    ) -> Result<(), serde_json::Error>;

    /// Absent params, decoded as `null`.
    fn absent<S: DecodeSet>(index: usize, slot: &mut Option<S>) -> Result<(), serde_json::Error>;
}

/// Why a buffered member could not be read as a type.
pub(super) enum ReadError {
    /// Its text holds what a `Value` cannot.
    NotHeld(serde_json::Error),
    /// It is not a value of the type.
    NotA(serde_json::Error),
}

impl ReadError {
    /// The JSON-RPC error: a member that cannot be read at all is said so
    /// as for any other member; one of the wrong shape is a bad `error`.
    pub(super) fn to_decode_error(&self, id: Option<RequestId>) -> DecodeError {
        match self {
            ReadError::NotHeld(err) => unreadable_member(id, err),
            ReadError::NotA(err) => DecodeError::invalid_request(
                id,
                format!("bad `error` object: {}", crate::peer_text::serde_error(err)),
            ),
        }
    }
}

/// A member whose text holds what a `Value` cannot, with the id kept.
#[cold]
pub(super) fn unreadable_member(id: Option<RequestId>, err: &serde_json::Error) -> DecodeError {
    DecodeError::invalid_request(
        id,
        format!(
            "a member cannot be read: {}",
            crate::peer_text::serde_error(err)
        ),
    )
}

/// Any deserializer: the params as a `Value`.
impl<'de> Buffer<'de> for Value {
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, ReadError> {
        T::deserialize(self).map_err(ReadError::NotA)
    }

    fn decode<S: DecodeSet>(
        self,
        index: usize,
        slot: &mut Option<S>,
    ) -> Result<(), serde_json::Error> {
        S::decode_params(index, placeholder_id(), StructOnly(self), slot)
    }

    fn absent<S: DecodeSet>(index: usize, slot: &mut Option<S>) -> Result<(), serde_json::Error> {
        Value::Null.decode(index, slot)
    }
}

/// JSON text: the params' own text, read later by the same deserializer
/// type as the rest, so the params types are compiled for one deserializer.
impl<'de> Buffer<'de> for &'de RawValue {
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, ReadError> {
        // Through a `Value`, as any other reader reads it: a member written
        // twice is the last one, not an error. (Only error objects are read
        // so, on a path that is never hot.)
        let value = serde_json::from_str::<Value>(self.get()).map_err(ReadError::NotHeld)?;
        T::deserialize(value).map_err(ReadError::NotA)
    }

    fn decode<S: DecodeSet>(
        self,
        index: usize,
        slot: &mut Option<S>,
    ) -> Result<(), serde_json::Error> {
        decode_params_text(self.get(), index, slot)
    }

    fn absent<S: DecodeSet>(index: usize, slot: &mut Option<S>) -> Result<(), serde_json::Error> {
        S::decode_params(index, placeholder_id(), StructOnly(AbsentParams), slot)
    }
}

/// Params that are not there, read as `null`: `None` for params the
/// sender may leave out, serde_json's "invalid type: null" for others.
/// (Cheaper than a deserializer over the text `null`, which every message
/// without params would otherwise start.)
pub(super) struct AbsentParams;

impl<'de> Deserializer<'de> for AbsentParams {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

pub(super) fn decode_params_text<S: DecodeSet>(
    text: &str,
    index: usize,
    slot: &mut Option<S>,
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    S::decode_params(index, placeholder_id(), StructOnly(&mut deserializer), slot)?;
    deserializer.end()
}
