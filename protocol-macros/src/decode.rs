//! Decoding incoming messages, with failures classified as JSON-RPC errors.
//!
//! One reader for every message kind and every deserializer: a visitor over
//! the top-level object that borrows `method`, reads `id` without buffering
//! and, when `method` came first, decodes `params` straight into the
//! method's type, and into the message's place (with its id, when `id`
//! came first too). Only `params` written before `method` is buffered.
//!
//! Failures are classified in the order a receiver needs them: not JSON
//! (-32700), not a request or notification object (-32600), unknown method
//! (-32601), params of the wrong shape (-32602). When the params fail while
//! being decoded in place, the envelope is read a second time with `params`
//! skipped, so a broken envelope still wins and the id is kept; that second
//! pass runs only on the error path.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, JSONRPCResponse, RequestId};
use crate::method::{NotificationSet, RequestSet};
use crate::registry::Dialect;
use crate::struct_only::StructOnly;

/// Why an incoming message could not be decoded, as a JSON-RPC error.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub code: ErrorCode,
    pub message: String,
    /// The request id, whenever the message had a readable one, so the
    /// receiver can reply with an error response.
    pub id: Option<RequestId>,
    /// The method name, when the message had one.
    pub method: Option<String>,
    /// The dialect of the protocol whose decoder failed: how
    /// [`DecodeError::to_response`] writes the error response.
    pub jsonrpc: Dialect,
}

impl DecodeError {
    pub fn parse_error(err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::ParseError,
            message: format!("parse error: {}", crate::peer_text::serde_error(&err)),
            id: None,
            method: None,
            jsonrpc: Dialect::V2,
        }
    }

    pub fn invalid_request(id: Option<RequestId>, message: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidRequest,
            message: format!(
                "invalid request: {}",
                crate::peer_text::bounded(&message.to_string())
            ),
            id,
            method: None,
            jsonrpc: Dialect::V2,
        }
    }

    pub fn method_not_found(id: Option<RequestId>, method: &str) -> Self {
        DecodeError {
            code: ErrorCode::MethodNotFound,
            message: format!("method not found: `{}`", crate::peer_text::name(method)),
            id,
            method: Some(crate::peer_text::name(method)),
            jsonrpc: Dialect::V2,
        }
    }

    pub fn invalid_params(id: Option<RequestId>, method: &str, err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidParams,
            message: format!(
                "invalid params for `{}`: {}",
                crate::peer_text::name(method),
                crate::peer_text::serde_error(&err)
            ),
            id,
            method: Some(method.to_owned()),
            jsonrpc: Dialect::V2,
        }
    }

    /// The error object to put in a JSON-RPC error response.
    pub fn to_error_object(&self) -> JSONRPCErrorError {
        JSONRPCErrorError {
            code: self.code.code(),
            message: self.message.clone(),
            data: None,
        }
    }

    /// The reply to send, as JSON text in the decoder's dialect: the error
    /// response with the message's id, or, for a message that could not be
    /// read as JSON or as a message (-32700, -32600) and had no readable
    /// id, the error with `"id": null` (JSON-RPC 2.0, section 5). `None`
    /// for what no one answers: a notification (-32601 or -32602 without
    /// an id).
    pub fn reply(&self) -> Option<Vec<u8>> {
        if let Some(response) = self.to_response() {
            return crate::expand_support::encode_message(&response).ok();
        }
        if !matches!(self.code, ErrorCode::ParseError | ErrorCode::InvalidRequest) {
            return None;
        }
        #[derive(serde::Serialize)]
        struct Unattributed {
            #[serde(skip_serializing_if = "Option::is_none")]
            jsonrpc: Option<&'static str>,
            error: JSONRPCErrorError,
            id: Option<RequestId>,
        }
        crate::expand_support::encode_message(&Unattributed {
            jsonrpc: self.jsonrpc.writes_version().then_some("2.0"),
            error: self.to_error_object(),
            id: None,
        })
        .ok()
    }

    /// The error response to send back; `None` when the message had no
    /// readable id (see [`DecodeError::reply`] for the `"id": null` one).
    pub fn to_response(&self) -> Option<JSONRPCError> {
        Some(JSONRPCError {
            jsonrpc: self.jsonrpc,
            error: self.to_error_object(),
            id: self.id.clone()?,
        })
    }
}

impl DecodeError {
    /// The same error, answered in `dialect`.
    #[inline]
    fn in_dialect(self, dialect: Dialect) -> Self {
        DecodeError {
            jsonrpc: dialect,
            ..self
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.code())
    }
}

impl std::error::Error for DecodeError {}

/// The decoding half of a message enum, generated by `#[protocol]`.
#[doc(hidden)]
pub trait DecodeSet: Sized {
    /// The position of `method` in this set, if the set has it.
    fn method_index(method: &str) -> Option<usize>;

    /// Decodes the message of the method at `index` into `slot`, its params
    /// read from `params`. `id` may be a placeholder (the params came before
    /// the id), replaced through `id_mut` once the id is read; notifications
    /// ignore it.
    fn decode_params<'de, D: Deserializer<'de>>(
        index: usize,
        id: RequestId,
        params: D,
        slot: &mut Option<Self>,
    ) -> Result<(), D::Error>;

    /// The id of a request; `None` for a notification.
    fn id_mut(&mut self) -> Option<&mut RequestId>;

    /// Puts the message of the method at `index` into `slot` when that
    /// method has no params; the id back for a method with params.
    fn without_params(
        index: usize,
        id: RequestId,
        slot: &mut Option<Self>,
    ) -> Result<(), RequestId>;
}

/// The set with no methods: what a reader that takes only requests (or only
/// notifications) has on the other side.
enum NoMethods {}

impl DecodeSet for NoMethods {
    fn method_index(_: &str) -> Option<usize> {
        None
    }

    fn decode_params<'de, D: Deserializer<'de>>(
        _: usize,
        _: RequestId,
        _: D,
        _: &mut Option<Self>,
    ) -> Result<(), D::Error> {
        Err(D::Error::custom("no method has this index"))
    }

    fn id_mut(&mut self) -> Option<&mut RequestId> {
        match *self {}
    }

    fn without_params(_: usize, id: RequestId, _: &mut Option<Self>) -> Result<(), RequestId> {
        Err(id)
    }
}

/// The params of a method declared without params: absent or `null`.
#[doc(hidden)]
pub struct NoParams;

impl<'de> Deserialize<'de> for NoParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoParamsVisitor;
        impl<'de> Visitor<'de> for NoParamsVisitor {
            type Value = NoParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("no params (absent or null)")
            }
            fn visit_unit<E>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_none<E>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoParams, A::Error> {
                match map.next_key::<IgnoredAny>()? {
                    None => Err(serde::de::Error::custom(
                        "this method takes no params; omit `params` or send null",
                    )),
                    Some(_) => Err(serde::de::Error::custom("this method takes no params")),
                }
            }
        }
        deserializer.deserialize_any(NoParamsVisitor)
    }
}

/// The id a request is decoded with when its `id` member comes after `params`.
fn placeholder_id() -> RequestId {
    RequestId::Integer(0)
}

/// The message kinds a reader takes.
#[derive(Clone, Copy)]
struct Accept {
    requests: bool,
    notifications: bool,
    responses: bool,
    /// Whether `"jsonrpc": "2.0"` is required.
    version: bool,
}

impl Accept {
    const REQUESTS: Accept = Accept {
        requests: true,
        notifications: false,
        responses: false,
        version: false,
    };
    const NOTIFICATIONS: Accept = Accept {
        requests: false,
        notifications: true,
        responses: false,
        version: false,
    };
    const ANY: Accept = Accept {
        requests: true,
        notifications: true,
        responses: true,
        version: false,
    };

    /// The same, in `dialect`.
    #[inline]
    const fn in_dialect(self, dialect: Dialect) -> Accept {
        Accept {
            version: dialect.writes_version(),
            ..self
        }
    }
}

/// One envelope member as read: absent, present but of the wrong type, or present.
enum Member<T> {
    Absent,
    Invalid,
    Present(T),
}

impl<T> Member<T> {
    fn is_absent(&self) -> bool {
        matches!(self, Member::Absent)
    }
}

/// `id` as read.
enum Id {
    Absent,
    Invalid,
    /// `null`: only an error that could not be attributed has it.
    Null,
    Present(RequestId),
    /// Moved into the request, which was decoded after it.
    InRequest,
}

/// Where a decoded message lands: filled in place and moved out once, at
/// the end (messages are large; every move on the way out costs).
struct Slots<R, N> {
    request: Option<R>,
    notification: Option<N>,
}

impl<R, N> Slots<R, N> {
    fn new() -> Self {
        Slots {
            request: None,
            notification: None,
        }
    }
}

/// What a message turned out to be; a request or notification is in the
/// slots. A response's `result` is held as the reader holds values (`B`:
/// text for a text reader), to be decoded as the type of the request it
/// answers once that is known.
enum Outcome<B> {
    Request,
    Notification,
    // Boxed: a response is rarer than a request, and a small outcome is
    // cheaper to hand back through every layer.
    Response(Box<(Dialect, RequestId, B)>),
    Error(Box<JSONRPCError>),
    Unattributed(Box<JSONRPCErrorError>),
}

/// What the reader hands back: the message, or the first broken JSON-RPC
/// rule (boxed, to keep the common case small).
type Read<T> = Result<T, Box<DecodeError>>;

/// Where `params` went.
enum Params<B> {
    Absent,
    /// Into the request or notification slot.
    Decoded,
    /// Written before `method`, or readable as either set's method.
    Buffered(B),
    /// Not decoded: no set has the method, the envelope is broken, or this
    /// is the second pass after the params failed.
    Skipped,
}

/// The top-level members, as far as they have been read.
struct Members<'de, B> {
    /// `jsonrpc` as read: present and `"2.0"`, or present and not.
    jsonrpc: Member<bool>,
    id: Id,
    method: Member<Cow<'de, str>>,
    params: Params<B>,
    params_seen: bool,
    result: Option<B>,
    error: Option<B>,
    duplicate: Option<&'static str>,
}

/// The reader of one message: the top-level object, member by member.
/// `B` is how it keeps params it cannot decode yet.
struct MessageVisitor<'s, R, N, B> {
    accept: Accept,
    /// Set on the second pass: why the params failed on the first.
    params_failed: Option<&'s str>,
    /// Set when decoding `params` in place failed.
    failed_in_params: &'s Cell<bool>,
    slots: &'s mut Slots<R, N>,
    buffer: PhantomData<fn() -> B>,
}

impl<'s, R: DecodeSet, N: DecodeSet, B> MessageVisitor<'s, R, N, B> {
    fn new(
        accept: Accept,
        params_failed: Option<&'s str>,
        failed_in_params: &'s Cell<bool>,
        slots: &'s mut Slots<R, N>,
    ) -> Self {
        MessageVisitor {
            accept,
            params_failed,
            failed_in_params,
            slots,
            buffer: PhantomData,
        }
    }

    /// Reads `params` into the method's type when the method is known, else
    /// buffers or skips it. A request takes the id when it was read first.
    // Each of these has one caller: inlined, the members are not copied.
    #[inline(always)]
    fn read_params<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        read: &mut Members<'de, B>,
    ) -> Result<Params<B>, A::Error>
    where
        B: Buffer<'de>,
    {
        let skip = |map: &mut A| map.next_value::<IgnoredAny>().map(|_| Params::Skipped);
        if self.params_failed.is_some() || matches!(read.id, Id::Invalid | Id::Null) {
            return skip(map);
        }
        let method = match &read.method {
            Member::Present(method) => method,
            Member::Invalid => return skip(map),
            Member::Absent => return map.next_value::<B>().map(Params::Buffered),
        };
        let id_absent = matches!(read.id, Id::Absent);
        let request = (self.accept.requests)
            .then(|| R::method_index(method))
            .flatten();
        let notification = (self.accept.notifications && id_absent)
            .then(|| N::method_index(method))
            .flatten();
        let decoded = match (request, notification) {
            (Some(index), None) => {
                let id = match std::mem::replace(&mut read.id, Id::InRequest) {
                    Id::Present(id) => id,
                    other => {
                        read.id = other;
                        placeholder_id()
                    }
                };
                map.next_value_seed(ParamsSeed::new(index, id, &mut self.slots.request))
            }
            (None, Some(index)) => map.next_value_seed(ParamsSeed::new(
                index,
                placeholder_id(),
                &mut self.slots.notification,
            )),
            (Some(_), Some(_)) => return map.next_value::<B>().map(Params::Buffered),
            (None, None) => return skip(map),
        };
        if decoded.is_err() {
            self.failed_in_params.set(true);
        }
        decoded.map(|()| Params::Decoded)
    }

    /// What the message is, or the first broken rule, once every member is
    /// read. (The members are taken from where they were read: moving them
    /// here would copy them.)
    #[inline(always)]
    fn finish<'de>(mut self, read: &mut Members<'de, B>) -> Result<Outcome<B>, DecodeError>
    where
        B: Buffer<'de>,
    {
        if self.accept.version && !matches!(read.jsonrpc, Member::Present(true)) {
            return Err(self.wrong_version(read));
        }
        let id = match std::mem::replace(&mut read.id, Id::Absent) {
            // The request was decoded, with its id: it is complete unless a
            // member came twice.
            Id::InRequest if read.duplicate.is_none() => return Ok(Outcome::Request),
            Id::InRequest => self
                .slots
                .request
                .as_mut()
                .and_then(R::id_mut)
                .map(|id| id.clone()),
            Id::Absent => None,
            Id::Null if self.accept.responses => return unattributed(read),
            Id::Invalid | Id::Null => {
                return Err(DecodeError::invalid_request(
                    None,
                    "`id` must be a string or an integer",
                ))
            }
            Id::Present(id) => Some(id),
        };
        if let Some(member) = read.duplicate {
            return Err(DecodeError::invalid_request(
                id,
                format!("duplicate `{member}` member"),
            ));
        }
        let method = match std::mem::replace(&mut read.method, Member::Absent) {
            Member::Absent => None,
            Member::Invalid => {
                return Err(DecodeError::invalid_request(
                    id,
                    "`method` must be a string",
                ))
            }
            Member::Present(method) => Some(method),
        };
        let accept = self.accept;
        let params = std::mem::replace(&mut read.params, Params::Absent);
        match (method, id) {
            (Some(method), Some(id)) if accept.requests => self
                .finish_request(&method, id, params)
                .map(|()| Outcome::Request),
            (Some(method), None) if accept.notifications => self
                .finish_notification(&method, params)
                .map(|()| Outcome::Notification),
            (Some(method), None) => Err(DecodeError::invalid_request(
                None,
                format!("request `{}` has no `id`", crate::peer_text::name(&method)),
            )),
            (Some(method), Some(id)) => Err(DecodeError::invalid_request(
                Some(id),
                format!(
                    "notification `{}` must not have an `id`",
                    crate::peer_text::name(&method)
                ),
            )),
            (None, Some(id)) if accept.responses => {
                let jsonrpc = if matches!(read.jsonrpc, Member::Present(true)) {
                    Dialect::V2
                } else {
                    Dialect::Omitted
                };
                finish_response(jsonrpc, id, read.result.take(), read.error.take())
            }
            (None, id) => Err(DecodeError::invalid_request(id, "missing `method`")),
        }
    }

    /// A message of a JSON-RPC 2.0 protocol without `"jsonrpc": "2.0"`:
    /// -32600, with the id when it is readable.
    #[cold]
    fn wrong_version<'de>(&mut self, read: &mut Members<'de, B>) -> DecodeError {
        let id = match &read.id {
            Id::Present(id) => Some(id.clone()),
            Id::InRequest => self
                .slots
                .request
                .as_mut()
                .and_then(R::id_mut)
                .map(|id| id.clone()),
            Id::Absent | Id::Invalid | Id::Null => None,
        };
        let message = if read.jsonrpc.is_absent() {
            "missing `\"jsonrpc\": \"2.0\"`"
        } else {
            "`jsonrpc` must be \"2.0\""
        };
        DecodeError::invalid_request(id, message)
    }

    /// A request whose id was not moved into it while its params were read.
    #[inline]
    fn finish_request<'de>(
        self,
        method: &str,
        mut id: RequestId,
        params: Params<B>,
    ) -> Result<(), DecodeError>
    where
        B: Buffer<'de>,
    {
        let Some(index) = R::method_index(method) else {
            return Err(DecodeError::method_not_found(Some(id), method));
        };
        if let Some(err) = self.params_failed {
            return Err(DecodeError::invalid_params(Some(id), method, err));
        }
        let slot = &mut self.slots.request;
        // Decoded or buffered params were (or are) read with a placeholder id.
        let decoded = match params {
            Params::Decoded => Ok(()),
            Params::Absent => match R::without_params(index, id, slot) {
                Ok(()) => return Ok(()),
                Err(back) => {
                    id = back;
                    B::absent(index, slot)
                }
            },
            Params::Buffered(params) => params.decode(index, slot),
            Params::Skipped => Err(serde_json::Error::custom("params could not be read")),
        };
        match (decoded, slot.as_mut().and_then(R::id_mut)) {
            (Ok(()), Some(placeholder)) => {
                *placeholder = id;
                Ok(())
            }
            (Ok(()), None) => Err(DecodeError::invalid_params(
                Some(id),
                method,
                "params could not be read",
            )),
            (Err(err), _) => Err(DecodeError::invalid_params(Some(id), method, err)),
        }
    }

    #[inline]
    fn finish_notification<'de>(self, method: &str, params: Params<B>) -> Result<(), DecodeError>
    where
        B: Buffer<'de>,
    {
        let Some(index) = N::method_index(method) else {
            return Err(DecodeError::method_not_found(None, method));
        };
        if let Some(err) = self.params_failed {
            return Err(DecodeError::invalid_params(None, method, err));
        }
        let slot = &mut self.slots.notification;
        let decoded = match params {
            Params::Decoded if slot.is_some() => Ok(()),
            Params::Absent => match N::without_params(index, placeholder_id(), slot) {
                Ok(()) => Ok(()),
                Err(_) => B::absent(index, slot),
            },
            Params::Buffered(params) => params.decode(index, slot),
            Params::Decoded | Params::Skipped => {
                Err(serde_json::Error::custom("params could not be read"))
            }
        };
        decoded.map_err(|err| DecodeError::invalid_params(None, method, err))
    }
}

/// How a reader keeps params it cannot decode yet (written before `method`),
/// and decodes them, or absent params, once the method is known, into the
/// slot, with a placeholder id.
trait Buffer<'de>: Deserialize<'de> {
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
enum ReadError {
    /// Its text holds what a `Value` cannot.
    NotHeld(serde_json::Error),
    /// It is not a value of the type.
    NotA(serde_json::Error),
}

impl ReadError {
    /// The JSON-RPC error: a member that cannot be read at all is said so
    /// as for any other member; one of the wrong shape is a bad `error`.
    fn to_decode_error(&self, id: Option<RequestId>) -> DecodeError {
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
fn unreadable_member(id: Option<RequestId>, err: &serde_json::Error) -> DecodeError {
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
struct AbsentParams;

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

fn decode_params_text<S: DecodeSet>(
    text: &str,
    index: usize,
    slot: &mut Option<S>,
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    S::decode_params(index, placeholder_id(), StructOnly(&mut deserializer), slot)?;
    deserializer.end()
}

/// A message whose `id` is `null`: an error response its sender could not
/// attribute to a request (JSON-RPC 2.0, section 5), and nothing else.
#[cold]
fn unattributed<'de, B: Buffer<'de>>(
    read: &mut Members<'de, B>,
) -> Result<Outcome<B>, DecodeError> {
    let id_rule = || DecodeError::invalid_request(None, "`id` must be a string or an integer");
    if read.duplicate.is_some() || !read.method.is_absent() || read.result.is_some() {
        return Err(id_rule());
    }
    let Some(error) = read.error.take() else {
        return Err(id_rule());
    };
    match error.read::<JSONRPCErrorError>() {
        Ok(error) => Ok(Outcome::Unattributed(Box::new(error))),
        Err(err) => Err(err.to_decode_error(None)),
    }
}

fn finish_response<'de, B: Buffer<'de>>(
    jsonrpc: Dialect,
    id: RequestId,
    result: Option<B>,
    error: Option<B>,
) -> Result<Outcome<B>, DecodeError> {
    match (result, error) {
        (Some(result), None) => Ok(Outcome::Response(Box::new((jsonrpc, id, result)))),
        (None, Some(error)) => match error.read::<JSONRPCErrorError>() {
            Ok(error) => Ok(Outcome::Error(Box::new(JSONRPCError {
                jsonrpc,
                error,
                id,
            }))),
            Err(err) => Err(err.to_decode_error(Some(id))),
        },
        (Some(_), Some(_)) => Err(DecodeError::invalid_request(
            Some(id),
            "a response has either `result` or `error`, not both",
        )),
        (None, None) => Err(DecodeError::invalid_request(
            Some(id),
            "missing `method` (request), or `result` / `error` (response)",
        )),
    }
}

impl<'de, R: DecodeSet, N: DecodeSet, B: Buffer<'de>> Visitor<'de> for MessageVisitor<'_, R, N, B> {
    /// The outer error is the deserializer's (syntax, or params that failed
    /// in place); the inner one a broken JSON-RPC rule, found after the whole
    /// object was read.
    type Value = Read<Outcome<B>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC message object")
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut read = Members {
            jsonrpc: Member::Absent,
            id: Id::Absent,
            method: Member::Absent,
            params: Params::Absent,
            params_seen: false,
            result: None,
            error: None,
            duplicate: None,
        };
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let seen = match key {
                // Without the standard dialect, `jsonrpc` is any other member.
                Key::Jsonrpc if self.accept.version => !read.jsonrpc.is_absent(),
                Key::Id => !matches!(read.id, Id::Absent),
                Key::Method => !read.method.is_absent(),
                Key::Params => read.params_seen,
                Key::Result if self.accept.responses => read.result.is_some(),
                Key::Error if self.accept.responses => read.error.is_some(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if seen {
                read.duplicate.get_or_insert(key.name());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match key {
                Key::Jsonrpc => read.jsonrpc = map.next_value_seed(VersionSeed)?,
                Key::Id => read.id = map.next_value_seed(IdSeed)?,
                Key::Method => read.method = map.next_value_seed(MethodSeed)?,
                Key::Params => {
                    read.params_seen = true;
                    read.params = self.read_params(&mut map, &mut read)?;
                }
                Key::Result => read.result = Some(map.next_value::<B>()?),
                Key::Error => read.error = Some(map.next_value::<B>()?),
                Key::Other => {}
            }
        }
        Ok(self.finish(&mut read).map_err(Box::new))
    }
}

/// A top-level member name.
#[derive(Clone, Copy)]
enum Key {
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
    fn from_name(name: &str) -> Key {
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

    fn name(self) -> &'static str {
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

struct KeySeed;

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
struct IdSeed;

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
struct MethodSeed;

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
struct VersionSeed;

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
struct ParamsSeed<'s, S> {
    index: usize,
    id: RequestId,
    slot: &'s mut Option<S>,
}

impl<'s, S> ParamsSeed<'s, S> {
    fn new(index: usize, id: RequestId, slot: &'s mut Option<S>) -> Self {
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

/// Reads one message from JSON text. The outer error is serde_json's; the
/// inner one a broken JSON-RPC rule.
#[inline(always)]
fn read_message<'de, R: DecodeSet, N: DecodeSet>(
    json: &'de str,
    visitor: MessageVisitor<'_, R, N, &'de RawValue>,
) -> Result<Read<Outcome<&'de RawValue>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let message = deserializer.deserialize_map(visitor)?;
    deserializer.end()?;
    Ok(message)
}

#[inline]
fn decode_text<'de, R: DecodeSet, N: DecodeSet>(
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
fn text(json: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(json).map_err(not_utf8)
}

#[cold]
fn not_utf8(err: std::str::Utf8Error) -> DecodeError {
    DecodeError::parse_error(err)
}

/// The JSON-RPC error for a message serde_json could not read: syntax
/// first, then a broken envelope, then the params.
#[cold]
#[inline(never)]
fn classify<R: DecodeSet, N: DecodeSet>(
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
fn not_read(json: &str, err: &serde_json::Error) -> DecodeError {
    if !json.trim_start().starts_with('{') {
        return DecodeError::invalid_request(None, "a message must be a JSON object");
    }
    unreadable_member(readable_id(json), err)
}

/// The first top-level `id` of an object, when it is a string or an
/// integer serde_json can read; every other member is skipped without
/// being read (a skipped value is not held, whatever its depth or escapes).
fn readable_id(json: &str) -> Option<RequestId> {
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
fn not_a(kind: &str) -> DecodeError {
    DecodeError::invalid_request(None, format!("not a {kind}"))
}

/// Decodes one request of the set `R`. (The entry points are always
/// inlined: the reader is compiled into the caller, once, and the message
/// returned in place.)
#[inline(always)]
pub fn decode_request<R: RequestSet>(json: &[u8]) -> Result<R, DecodeError> {
    read_request(text(json)?)
}

/// Decodes one request of the set `R` from text.
#[inline]
pub fn decode_request_str<R: RequestSet>(json: &str) -> Result<R, DecodeError> {
    read_request(json)
}

// Always inlined into both entry points: the request is moved out once.
#[inline(always)]
fn read_request<R: RequestSet>(json: &str) -> Result<R, DecodeError> {
    let dialect = R::SET.protocol.jsonrpc;
    let mut slots = Slots::<R, NoMethods>::new();
    match decode_text(json, Accept::REQUESTS.in_dialect(dialect), &mut slots) {
        Ok(Outcome::Request) => slots.request.ok_or_else(|| not_a("request")),
        Ok(_) => Err(not_a("request")),
        Err(err) => Err(*err),
    }
    .map_err(|err| err.in_dialect(dialect))
}

/// Decodes one notification of the set `N`.
#[inline(always)]
pub fn decode_notification<N: NotificationSet>(json: &[u8]) -> Result<N, DecodeError> {
    read_notification(text(json)?)
}

/// Decodes one notification of the set `N` from text.
#[inline]
pub fn decode_notification_str<N: NotificationSet>(json: &str) -> Result<N, DecodeError> {
    read_notification(json)
}

#[inline(always)]
fn read_notification<N: NotificationSet>(json: &str) -> Result<N, DecodeError> {
    let dialect = N::SET.protocol.jsonrpc;
    let mut slots = Slots::<NoMethods, N>::new();
    match decode_text(json, Accept::NOTIFICATIONS.in_dialect(dialect), &mut slots) {
        Ok(Outcome::Notification) => slots.notification.ok_or_else(|| not_a("notification")),
        Ok(_) => Err(not_a("notification")),
        Err(err) => Err(*err),
    }
    .map_err(|err| err.in_dialect(dialect))
}

/// Any message one peer can receive: a request or notification from the
/// other side, or a response or error answering one of its own requests.
#[derive(Debug, Clone)]
pub enum Incoming<R, N> {
    Request(R),
    Notification(N),
    Response(JSONRPCResponse),
    Error(JSONRPCError),
    /// An error the peer could not attribute to a request (`"id": null`):
    /// the answer to a message it could not read.
    UnattributedError(JSONRPCErrorError),
}

/// Decodes whatever arrives: a request of `R`, a notification of `N`, or a
/// response or error to one of our own requests.
#[inline(always)]
pub fn decode_incoming<R: RequestSet, N: NotificationSet>(
    json: &[u8],
) -> Result<Incoming<R, N>, DecodeError> {
    read_incoming(text(json)?)
}

/// [`decode_incoming`] for a message already held as text.
#[inline]
pub fn decode_incoming_str<R: RequestSet, N: NotificationSet>(
    json: &str,
) -> Result<Incoming<R, N>, DecodeError> {
    read_incoming(json)
}

#[inline(always)]
fn read_incoming<R: RequestSet, N: NotificationSet>(
    json: &str,
) -> Result<Incoming<R, N>, DecodeError> {
    let dialect = R::SET.protocol.jsonrpc;
    let mut slots = Slots::new();
    match decode_text(json, Accept::ANY.in_dialect(dialect), &mut slots)
        .map_err(|err| (*err).in_dialect(dialect))?
    {
        Outcome::Request => slots
            .request
            .map(Incoming::Request)
            .ok_or_else(|| not_a("request")),
        Outcome::Notification => slots
            .notification
            .map(Incoming::Notification)
            .ok_or_else(|| not_a("notification")),
        Outcome::Response(response) => {
            let (jsonrpc, id, result) = *response;
            let result = match serde_json::from_str(result.get()) {
                Ok(result) => result,
                Err(err) => return Err(unreadable_member(Some(id), &err).in_dialect(dialect)),
            };
            Ok(Incoming::Response(JSONRPCResponse {
                jsonrpc,
                id,
                result,
            }))
        }
        Outcome::Error(error) => Ok(Incoming::Error(*error)),
        Outcome::Unattributed(error) => Ok(Incoming::UnattributedError(*error)),
    }
}

/// What [`decode_incoming_text`] read: as [`Incoming`], but a response's
/// `result` is still its JSON text, borrowed from the message, to be
/// decoded straight into the response type of the request it answers
/// ([`RequestSet::decode_response_text`]): no `Value` of it is built.
#[derive(Debug, Clone)]
pub enum IncomingText<'a, R, N> {
    Request(R),
    Notification(N),
    Response {
        jsonrpc: Dialect,
        id: RequestId,
        result: &'a RawValue,
    },
    Error(JSONRPCError),
    UnattributedError(JSONRPCErrorError),
}

/// [`decode_incoming`] for a receiver that pairs responses itself (a
/// connection): a response's `result` is handed back as text.
#[inline(always)]
pub fn decode_incoming_text<R: RequestSet, N: NotificationSet>(
    json: &[u8],
) -> Result<IncomingText<'_, R, N>, DecodeError> {
    let json = text(json)?;
    let dialect = R::SET.protocol.jsonrpc;
    let mut slots = Slots::new();
    match decode_text(json, Accept::ANY.in_dialect(dialect), &mut slots)
        .map_err(|err| (*err).in_dialect(dialect))?
    {
        Outcome::Request => slots
            .request
            .map(IncomingText::Request)
            .ok_or_else(|| not_a("request")),
        Outcome::Notification => slots
            .notification
            .map(IncomingText::Notification)
            .ok_or_else(|| not_a("notification")),
        Outcome::Response(response) => {
            let (jsonrpc, id, result) = *response;
            Ok(IncomingText::Response {
                jsonrpc,
                id,
                result,
            })
        }
        Outcome::Error(error) => Ok(IncomingText::Error(*error)),
        Outcome::Unattributed(error) => Ok(IncomingText::UnattributedError(*error)),
    }
}

/// `Deserialize` for a request enum, through the same reader, for any
/// self-describing deserializer.
pub fn deserialize_request<'de, D: Deserializer<'de>, R: RequestSet>(
    deserializer: D,
) -> Result<R, D::Error> {
    let failed_in_params = Cell::new(false);
    let mut slots = Slots::<R, NoMethods>::new();
    let accept = Accept::REQUESTS.in_dialect(R::SET.protocol.jsonrpc);
    let visitor = MessageVisitor::<_, _, Value>::new(accept, None, &failed_in_params, &mut slots);
    deserializer
        .deserialize_map(visitor)?
        .map_err(|err| D::Error::custom(err.message))?;
    slots
        .request
        .ok_or_else(|| D::Error::custom(not_a("request").message))
}

/// `Deserialize` for a notification enum, through the same reader.
pub fn deserialize_notification<'de, D: Deserializer<'de>, N: NotificationSet>(
    deserializer: D,
) -> Result<N, D::Error> {
    let failed_in_params = Cell::new(false);
    let mut slots = Slots::<NoMethods, N>::new();
    let visitor = MessageVisitor::<_, _, Value>::new(
        Accept::NOTIFICATIONS.in_dialect(N::SET.protocol.jsonrpc),
        None,
        &failed_in_params,
        &mut slots,
    );
    deserializer
        .deserialize_map(visitor)?
        .map_err(|err| D::Error::custom(err.message))?;
    slots
        .notification
        .ok_or_else(|| D::Error::custom(not_a("notification").message))
}
