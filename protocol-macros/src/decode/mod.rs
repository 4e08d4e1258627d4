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

mod buffer;
mod classify;
mod error;
mod seeds;
mod set;
mod visitor;

use std::cell::Cell;

use serde::de::Error as _;
use serde::Deserializer;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::jsonrpc::{JSONRPCError, JSONRPCErrorError, JSONRPCResponse, RequestId};
use crate::method::{NotificationSet, RequestSet};
use crate::registry::Dialect;

use self::buffer::unreadable_member;
use self::classify::{decode_text, not_a, text};
pub use self::error::DecodeError;
use self::set::NoMethods;
pub use self::set::{DecodeSet, NoParams};
use self::visitor::{Accept, MessageVisitor, Outcome, Slots};

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

/// The one reader of whatever arrives, with a response's `result` as text;
/// [`decode_incoming`] builds its `Value`.
#[inline(always)]
fn read_incoming<R: RequestSet, N: NotificationSet>(
    json: &str,
) -> Result<Incoming<R, N>, DecodeError> {
    Ok(match read_incoming_text(json)? {
        IncomingText::Request(request) => Incoming::Request(request),
        IncomingText::Notification(notification) => Incoming::Notification(notification),
        IncomingText::Response {
            jsonrpc,
            id,
            result,
        } => {
            let result = match serde_json::from_str(result.get()) {
                Ok(result) => result,
                Err(err) => {
                    return Err(unreadable_member(Some(id), &err).in_dialect(jsonrpc_of::<R>()))
                }
            };
            Incoming::Response(JSONRPCResponse {
                jsonrpc,
                id,
                result,
            })
        }
        IncomingText::Error(error) => Incoming::Error(error),
        IncomingText::UnattributedError(error) => Incoming::UnattributedError(error),
    })
}

/// The dialect of the protocol whose requests are `R`.
fn jsonrpc_of<R: RequestSet>() -> Dialect {
    R::SET.protocol.jsonrpc
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
    read_incoming_text(text(json)?)
}

#[inline(always)]
fn read_incoming_text<R: RequestSet, N: NotificationSet>(
    json: &str,
) -> Result<IncomingText<'_, R, N>, DecodeError> {
    let dialect = jsonrpc_of::<R>();
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
