//! `WireType` and `WireParams`: what a method's response and params types
//! are. `#[wire]` implements them; a response or params type without them
//! is one compile error that says to add `#[wire]`, not a `Deserialize`,
//! `Serialize`, `JsonSchema` and `TS` error each (with rustc's advice to
//! derive `Deserialize`, which would leave the schema and TypeScript out).
//!
//! The `#[protocol]` expansion reaches a params type only through
//! `WireParams`'s items, and a response type only through the method's
//! `Request` impl (whose `Response` is a `WireType`), so a type that is
//! not one fails one obligation, the same one at every use, which rustc
//! reports once.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;
use ts_rs::TS;

use crate::jsonrpc::RequestId;
use crate::method::ResponseError;
use crate::registry::{Dialect, TypeInfo};

/// A type of the protocol's wire: serde, JSON Schema and TypeScript from one
/// definition. `#[wire]` implements it; so do `()` (no value), `bool`,
/// numbers, `String`, `serde_json::Value` and `Map`, and `Option`, `Vec`,
/// string-keyed maps and [`Secret`](crate::Secret) of wire types, which a
/// result may be. A type whose four impls are written by hand implements it
/// with `impl WireType for MyType {}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wire type",
    label = "add `#[wire]` to the definition of `{Self}`",
    note = "params and results are `#[wire]` types: `#[wire]` derives `Serialize`, `Deserialize`, `JsonSchema` and `TS` from one set of `#[serde]` attributes"
)]
pub trait WireType: Serialize + DeserializeOwned + JsonSchema + TS + 'static {
    /// The type's schema and TypeScript, for the registry.
    #[doc(hidden)]
    const __TYPE_INFO: TypeInfo = TypeInfo::of::<Self>("");

    #[doc(hidden)]
    fn __serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        <Self as Serialize>::serialize(self, serializer)
    }

    #[doc(hidden)]
    fn __decode_result(method: &'static str, result: Value) -> Result<Self, ResponseError> {
        crate::method::decode_result(method, result)
    }

    #[doc(hidden)]
    fn __decode_result_text(method: &'static str, result: &str) -> Result<Self, ResponseError> {
        crate::method::decode_result_text(method, result)
    }
}

/// A wire type whose every value is a JSON object: what JSON-RPC params
/// are on this wire (an object of named members). `#[wire]` implements it
/// for a struct with named fields and for an enum whose every variant is
/// written as an object (internally or adjacently tagged; externally tagged
/// without unit variants; untagged with struct variants and newtype
/// variants of such types); so do `serde_json::Map` and string-keyed maps.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[wire]` params type",
    label = "JSON-RPC params are an object of named members",
    note = "add `#[wire]` to the definition of `{Self}`: params are a `#[wire]` struct with named fields, or a `#[wire]` enum whose every variant is written as an object"
)]
pub trait WireParams: WireType {
    #[doc(hidden)]
    const __PARAMS_INFO: TypeInfo = TypeInfo::of::<Self>("");

    #[doc(hidden)]
    fn __deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Self as serde::Deserialize>::deserialize(deserializer)
    }

    /// Params written `Option<Self>`, which the sender may leave out.
    #[doc(hidden)]
    fn __deserialize_optional<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Self>, D::Error> {
        <Option<Self> as serde::Deserialize>::deserialize(deserializer)
    }

    /// A message whose params, if any, are of this type.
    #[doc(hidden)]
    fn __serialize_message<S: Serializer>(
        serializer: S,
        dialect: Dialect,
        method: &str,
        id: Option<&RequestId>,
        params: Option<&Self>,
    ) -> Result<S::Ok, S::Error> {
        crate::expand_support::serialize_message(serializer, dialect, method, id, params)
    }
}

// No impl is offered as a candidate in the error, whose list would be every
// `#[wire]` type of the crate (a `Vec<T>` whose `T` is not a wire type is
// then reported as `Vec<T>`).
#[diagnostic::do_not_recommend]
impl WireType for () {}
#[diagnostic::do_not_recommend]
impl WireType for bool {}
#[diagnostic::do_not_recommend]
impl WireType for String {}
#[diagnostic::do_not_recommend]
impl WireType for Value {}
#[diagnostic::do_not_recommend]
impl WireType for serde_json::Map<String, Value> {}
#[diagnostic::do_not_recommend]
impl WireParams for serde_json::Map<String, Value> {}

macro_rules! numbers {
    ($($ty:ty)*) => { $(#[diagnostic::do_not_recommend] impl WireType for $ty {})* };
}
numbers!(u8 u16 u32 u64 usize i8 i16 i32 i64 isize f32 f64);

#[diagnostic::do_not_recommend]
impl<T: WireType> WireType for Option<T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireType for Vec<T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireType for std::collections::BTreeMap<String, T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireParams for std::collections::BTreeMap<String, T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireType for std::collections::HashMap<String, T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireParams for std::collections::HashMap<String, T> {}
#[diagnostic::do_not_recommend]
impl<T: WireType> WireType for crate::Secret<T> {}
