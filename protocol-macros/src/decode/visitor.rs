//! The envelope reader: one visitor over the top-level object, the slots
//! it decodes into and what it makes of the members it read.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};

use crate::jsonrpc::{JSONRPCError, JSONRPCErrorError, RequestId};
use crate::registry::Dialect;

use super::{
    buffer::Buffer,
    error::DecodeError,
    seeds::{IdSeed, Key, KeySeed, MethodSeed, ParamsSeed, VersionSeed},
    set::DecodeSet,
};

/// The id a request is decoded with when its `id` member comes after `params`.
pub(super) fn placeholder_id() -> RequestId {
    RequestId::Integer(0)
}

/// The message kinds a reader takes.
#[derive(Clone, Copy)]
pub(super) struct Accept {
    pub(super) requests: bool,
    pub(super) notifications: bool,
    pub(super) responses: bool,
    /// Whether `"jsonrpc": "2.0"` is required.
    pub(super) version: bool,
}

impl Accept {
    pub(super) const REQUESTS: Accept = Accept {
        requests: true,
        notifications: false,
        responses: false,
        version: false,
    };
    pub(super) const NOTIFICATIONS: Accept = Accept {
        requests: false,
        notifications: true,
        responses: false,
        version: false,
    };
    pub(super) const ANY: Accept = Accept {
        requests: true,
        notifications: true,
        responses: true,
        version: false,
    };

    /// The same, in `dialect`.
    #[inline]
    pub(super) const fn in_dialect(self, dialect: Dialect) -> Accept {
        Accept {
            version: dialect.writes_version(),
            ..self
        }
    }
}

/// One envelope member as read: absent, present but of the wrong type, or present.
pub(super) enum Member<T> {
    Absent,
    Invalid,
    Present(T),
}

impl<T> Member<T> {
    pub(super) fn is_absent(&self) -> bool {
        matches!(self, Member::Absent)
    }
}

/// `id` as read.
pub(super) enum Id {
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
pub(super) struct Slots<R, N> {
    pub(super) request: Option<R>,
    pub(super) notification: Option<N>,
}

impl<R, N> Slots<R, N> {
    pub(super) fn new() -> Self {
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
pub(super) enum Outcome<B> {
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
pub(super) type Read<T> = Result<T, Box<DecodeError>>;

/// Where `params` went.
pub(super) enum Params<B> {
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
pub(super) struct Members<'de, B> {
    /// `jsonrpc` as read: present and `"2.0"`, or present and not.
    pub(super) jsonrpc: Member<bool>,
    pub(super) id: Id,
    pub(super) method: Member<Cow<'de, str>>,
    pub(super) params: Params<B>,
    pub(super) params_seen: bool,
    pub(super) result: Option<B>,
    pub(super) error: Option<B>,
    pub(super) duplicate: Option<&'static str>,
}

/// The reader of one message: the top-level object, member by member.
/// `B` is how it keeps params it cannot decode yet.
pub(super) struct MessageVisitor<'s, R, N, B> {
    pub(super) accept: Accept,
    /// Set on the second pass: why the params failed on the first.
    pub(super) params_failed: Option<&'s str>,
    /// Set when decoding `params` in place failed.
    pub(super) failed_in_params: &'s Cell<bool>,
    pub(super) slots: &'s mut Slots<R, N>,
    pub(super) buffer: PhantomData<fn() -> B>,
}

impl<'s, R: DecodeSet, N: DecodeSet, B> MessageVisitor<'s, R, N, B> {
    pub(super) fn new(
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
    pub(super) fn read_params<'de, A: MapAccess<'de>>(
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
    pub(super) fn finish<'de>(
        mut self,
        read: &mut Members<'de, B>,
    ) -> Result<Outcome<B>, DecodeError>
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
    pub(super) fn wrong_version<'de>(&mut self, read: &mut Members<'de, B>) -> DecodeError {
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
    pub(super) fn finish_request<'de>(
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
    pub(super) fn finish_notification<'de>(
        self,
        method: &str,
        params: Params<B>,
    ) -> Result<(), DecodeError>
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

/// A message whose `id` is `null`: an error response its sender could not
/// attribute to a request (JSON-RPC 2.0, section 5), and nothing else.
#[cold]
pub(super) fn unattributed<'de, B: Buffer<'de>>(
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

pub(super) fn finish_response<'de, B: Buffer<'de>>(
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
