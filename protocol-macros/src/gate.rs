//! The capability gate: what a connection negotiated, and the proof a
//! gated message carries.
//!
//! A method declared with `capability = "client.name"` or
//! `capability = "server.path.to.it"` may only be sent on a connection
//! whose negotiation declared that capability (whichever peer sends it).
//! [`Capabilities`] are what a connection's negotiation declared, read at
//! the locations the protocol names once in `#[protocol(...)]`; a
//! [`Granted`] proof is handed out only by the
//! [`Connection`](crate::Connection) whose capabilities allow the method,
//! and only that connection encodes the message (see [`Granted`]).
//!
//! The same [`Capabilities`] also gate what is experimental (methods marked
//! `experimental = "reason"`, fields and enum values marked
//! `#[experimental("reason")]`) for a connection that did not declare the
//! protocol's experimental opt-in (`#[protocol(experimental = "...")]`):
//!
//! - [`Capabilities::admit_request`] refuses, after decoding, a request for
//!   an experimental method or one that sets an experimental field or value
//!   at any depth (JSON-RPC -32600, `<reason> requires <capability>
//!   capability`, the request's id);
//! - the connection does not deliver experimental notifications nor those
//!   the receiver opted out of, leaves experimental fields out of what it
//!   sends, and refuses a request the peer may not receive;
//! - [`Capabilities::allow`] refuses an experimental method.
//!
//! Which parts of a type are experimental is read from its schema
//! ([`TypeSchema`]), once per type: a protocol with nothing experimental
//! pays a lookup per message and never reads a message twice.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::expand_support::encode_message;
use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, RequestId};
use crate::method::{MethodSet, NotificationSet, RequestSet};
use crate::peer_text::JsonError;
use crate::registry::{CapabilityPath, Carrier, Kind, MethodInfo, ProtocolSettings, Side};
use crate::stability::{Contract, TypeSchema};

/// What one connection's negotiation declared: each side's capabilities
/// object, as it was on the wire, and the protocol's settings that say
/// which capability opts into experimental parts and which lists the
/// notifications a side opted out of.
///
/// A capability is declared when the value at its path exists and is
/// neither `false` nor `null`. Before negotiation nothing is declared.
///
/// Capabilities are for reading: only a [`Connection`](crate::Connection),
/// whose capabilities come from its own negotiation, hands out the proof
/// that lets a gated message be sent.
#[derive(Clone, PartialEq)]
pub struct Capabilities {
    protocol: &'static ProtocolSettings,
    client: Option<Value>,
    server: Option<Value>,
}

impl fmt::Debug for Capabilities {
    // The declared objects are the peers' text: their shape, not their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape = |side: &Option<Value>| match side {
            None => "not declared".to_owned(),
            Some(Value::Object(members)) => format!("{} members", members.len()),
            Some(_) => "not an object".to_owned(),
        };
        f.debug_struct("Capabilities")
            .field("client", &shape(&self.client))
            .field("server", &shape(&self.server))
            .finish()
    }
}

impl Capabilities {
    /// Nothing declared: a connection before its negotiation.
    pub const fn before_negotiation(protocol: &'static ProtocolSettings) -> Self {
        Capabilities {
            protocol,
            client: None,
            server: None,
        }
    }

    /// The capabilities of a negotiation exchange: the negotiation
    /// request's `params` and, once answered, its `result`, as JSON. Each
    /// side's capabilities are read at the location the protocol declares.
    /// For reading (as `validate` does); a connection records its own
    /// negotiation as it sends and receives it.
    pub fn negotiated(
        protocol: &'static ProtocolSettings,
        params: Option<&Value>,
        result: Option<&Value>,
    ) -> Self {
        let mut capabilities = Capabilities::before_negotiation(protocol);
        capabilities.record(Carrier::Params, params);
        capabilities.record(Carrier::Result, result);
        capabilities
    }

    /// Records what `member` (`params` or `result` of the negotiation)
    /// declares, for each side whose capabilities it carries.
    pub(crate) fn record(&mut self, member: Carrier, value: Option<&Value>) {
        let Some(negotiation) = self.protocol.negotiation else {
            return;
        };
        let Some(value) = value else { return };
        for side in [Side::Client, Side::Server] {
            let Some(location) = negotiation.location(side) else {
                continue;
            };
            if location.member != member {
                continue;
            }
            let declared = member_at(value, location.path).cloned();
            match side {
                Side::Client => self.client = declared,
                Side::Server => self.server = declared,
            }
        }
    }

    /// Sets what `side` declared, as if its negotiation had.
    pub(crate) fn set(&mut self, side: Side, declared: Option<Value>) {
        match side {
            Side::Client => self.client = declared,
            Side::Server => self.server = declared,
        }
    }

    /// The protocol these capabilities belong to.
    pub fn protocol(&self) -> &'static ProtocolSettings {
        self.protocol
    }

    /// The capabilities object `side` declared, if it declared one.
    pub fn declared_by(&self, side: Side) -> Option<&Value> {
        match side {
            Side::Client => self.client.as_ref(),
            Side::Server => self.server.as_ref(),
        }
    }

    /// Whether `capability` is declared: the value at its path exists and
    /// is neither `false` nor `null`.
    pub fn declares(&self, capability: CapabilityPath) -> bool {
        self.value_at(capability)
            .is_some_and(|value| !matches!(value, Value::Null | Value::Bool(false)))
    }

    fn value_at(&self, capability: CapabilityPath) -> Option<&Value> {
        member_at(self.declared_by(capability.side)?, capability.path)
    }

    /// The capability that opts into experimental parts, if the protocol
    /// names one.
    pub fn experimental_capability(&self) -> Option<CapabilityPath> {
        self.protocol.experimental
    }

    /// Whether experimental methods, fields and values may be used: the
    /// opt-in is declared, or the protocol names none.
    pub fn allows_experimental(&self) -> bool {
        self.protocol
            .experimental
            .is_none_or(|opt_in| self.declares(opt_in))
    }

    /// Whether `receiver` opted out of notification `method`: the protocol's
    /// opt-out list is `receiver`'s and names it.
    pub fn opted_out(&self, receiver: Side, method: &str) -> bool {
        let Some(list) = self.protocol.opt_out.filter(|list| list.side == receiver) else {
            return false;
        };
        self.value_at(list)
            .and_then(Value::as_array)
            .is_some_and(|methods| methods.iter().any(|m| m.as_str() == Some(method)))
    }

    /// `Ok` when `method` may be sent on this connection: the capability the
    /// method requires, if any, is declared, and the experimental opt-in is
    /// if the method is experimental (checked in that order).
    pub fn allow(&self, method: &'static MethodInfo) -> Result<(), CapabilityError> {
        if let Some(capability) = method.capability {
            if !self.declares(capability) {
                return Err(CapabilityError {
                    method: method.name,
                    capability,
                    experimental: None,
                });
            }
        }
        match (method.stability.experimental, self.protocol.experimental) {
            (Some(reason), Some(opt_in)) if !self.declares(opt_in) => Err(CapabilityError {
                method: method.name,
                capability: opt_in,
                experimental: Some(reason),
            }),
            _ => Ok(()),
        }
    }

    /// The experimental gate for a received message of `method`, decoded
    /// from `raw`: `Ok` when the opt-in is declared, or when neither the
    /// method nor anything `raw`'s params set is experimental. `raw` is read
    /// again only when the method's params type has experimental parts and
    /// the opt-in is not declared.
    pub fn admit(&self, method: &MethodInfo, raw: &[u8]) -> Result<(), ExperimentalRefusal> {
        let Some(opt_in) = self.protocol.experimental else {
            return Ok(());
        };
        if self.declares(opt_in) {
            return Ok(());
        }
        let refuse = |reason: &str, pointer: Option<String>| ExperimentalRefusal {
            method: method.name,
            reason: reason.to_owned(),
            pointer,
            capability: opt_in,
        };
        if let Some(reason) = method.stability.experimental {
            return Err(refuse(reason, None));
        }
        let Some(schema) = method
            .params
            .and_then(|params| TypeSchema::experimental_parts(&params, Contract::Read))
        else {
            return Ok(());
        };
        let params = match params_of(raw) {
            Ok(params) => params,
            // What the decoder skipped may be more than a `Value` holds (a
            // lone surrogate, a huge number, deep nesting in an unknown
            // member): read it as the decoder did.
            Err(_) => match std::str::from_utf8(raw)
                .ok()
                .and_then(crate::lenient::value)
            {
                Some(Value::Object(mut message)) => message.remove("params"),
                // Not the text the message was decoded from: refuse rather
                // than let unread params through.
                _ => return Err(refuse(&format!("`{}` params", method.name), None)),
            },
        };
        match params {
            None => Ok(()),
            Some(params) => match schema.find_experimental(&params) {
                Some(found) => Err(refuse(&found.reason, Some(found.pointer))),
                None => Ok(()),
            },
        }
    }

    /// [`Capabilities::admit`] for a decoded request, with the refusal as
    /// the error response to send: code -32600, message `<reason> requires
    /// <capability> capability`, and the request's id. Call it after
    /// decoding `raw` into `request`, before handling it (a
    /// [`Connection`](crate::Connection) does it as it receives).
    // The error is the response to send, ready as is; it is only built on
    // the refusal path.
    #[allow(clippy::result_large_err)]
    pub fn admit_request<S: RequestSet>(
        &self,
        request: &S,
        raw: &[u8],
    ) -> Result<(), JSONRPCError> {
        self.admit(request.info(), raw)
            .map_err(|refused| refused.to_response(S::SET.protocol.jsonrpc, request.id().clone()))
    }

    /// [`Capabilities::admit`] for a decoded notification (which has no one
    /// to answer: drop it when refused).
    pub fn admit_notification<N: NotificationSet>(
        &self,
        notification: &N,
        raw: &[u8],
    ) -> Result<(), ExperimentalRefusal> {
        self.admit(notification.info(), raw)
    }

    /// `message` as JSON text for this connection's peer, or why the peer
    /// may not get it. Without the experimental opt-in, experimental fields
    /// are left out of the params, at any depth (an experimental value of a
    /// stable field is sent as is: leaving it out could break a required
    /// field). The message's own `Serialize` checks its proof.
    pub(crate) fn encode_allowed<M: MethodSet>(&self, message: &M) -> Result<Vec<u8>, EncodeError> {
        let info = message.info();
        self.allow(info).map_err(EncodeError::Refused)?;
        let strip = if self.allows_experimental() {
            None
        } else {
            info.params
                .and_then(|params| TypeSchema::experimental_parts(&params, Contract::Write))
        };
        let Some(schema) = strip else {
            return Ok(encode_message(message)?);
        };
        let mut value = serde_json::to_value(message)?;
        let Value::Object(members) = &mut value else {
            return Ok(encode_message(message)?);
        };
        if let Some(params) = members.get_mut("params") {
            schema.strip_experimental(params);
        }
        Ok(encode_message(&InOrder(members))?)
    }
}

/// The value at `path`, member names from `value` down.
fn member_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |value, member| value.as_object()?.get(*member))
}

/// The `params` of the message `raw`, as JSON; `None` when it has none.
pub(crate) fn params_of(raw: &[u8]) -> Result<Option<Value>, serde_json::Error> {
    #[derive(Deserialize)]
    struct ParamsOnly {
        #[serde(default)]
        params: Option<Value>,
    }
    serde_json::from_slice::<ParamsOnly>(raw).map(|message| message.params)
}

/// A message's members in the order the encoder writes them.
struct InOrder<'a>(&'a Map<String, Value>);

impl Serialize for InOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const ORDER: [&str; 4] = ["jsonrpc", "method", "id", "params"];
        let present = ORDER.iter().filter(|k| self.0.contains_key(**k)).count();
        let mut message = serializer.serialize_struct("Message", present)?;
        for key in ORDER {
            if let Some(value) = self.0.get(key) {
                message.serialize_field(key, value)?;
            }
        }
        message.end()
    }
}

/// A received message used an experimental method, field or value, and the
/// peer did not negotiate the experimental capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentalRefusal {
    /// The method of the message.
    pub method: &'static str,
    /// The reason its `experimental` mark gives.
    pub reason: String,
    /// Where in the params, as a JSON pointer; `None` when the method
    /// itself is experimental.
    pub pointer: Option<String>,
    /// The experimental opt-in.
    pub capability: CapabilityPath,
}

impl ExperimentalRefusal {
    /// The JSON-RPC error response to request `id`: -32600 with this
    /// refusal's message.
    pub fn to_response(&self, jsonrpc: crate::Dialect, id: RequestId) -> JSONRPCError {
        JSONRPCError {
            jsonrpc,
            error: JSONRPCErrorError {
                code: ErrorCode::InvalidRequest.code(),
                message: self.to_string(),
                data: None,
            },
            id,
        }
    }
}

impl fmt::Display for ExperimentalRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} requires {} capability",
            self.reason,
            Path(self.capability.path)
        )
    }
}

impl std::error::Error for ExperimentalRefusal {}

/// Why [`Capabilities::encode_outgoing`] produced no text. Neither
/// `Display` nor `Debug` shows a string value of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A request the peer may not receive.
    Refused(CapabilityError),
    /// A request another connection made, whose id is in that
    /// connection's pending table.
    OtherConnection {
        method: &'static str,
    },
    Json(JsonError),
}

impl From<serde_json::Error> for EncodeError {
    fn from(error: serde_json::Error) -> Self {
        EncodeError::Json(error.into())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Refused(refused) => refused.fmt(f),
            EncodeError::OtherConnection { method } => write!(
                f,
                "this `{method}` request was made by another connection, which pairs its response"
            ),
            EncodeError::Json(error) => write!(f, "cannot encode the message: {error}"),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::Refused(refused) => Some(refused),
            EncodeError::OtherConnection { .. } => None,
            EncodeError::Json(error) => Some(error),
        }
    }
}

/// Proof that method `M` passed its capability gate on one connection. The
/// message variant of a method declared with `capability = "…"` carries one.
///
/// A proof is handed out by [`Connection::grant_request`](crate::Connection::grant_request)
/// and [`Connection::grant_notification`](crate::Connection::grant_notification)
/// (which [`Connection::request`](crate::Connection::request) and
/// [`Connection::notify`](crate::Connection::notify) call), bound to that
/// connection, or made by the decoder for a message a peer sent (the gate
/// is for what we send, not for what we read). A gated message is written
/// only while the connection its proof is bound to encodes it: the message
/// enum's `Serialize` refuses it everywhere else (`encode`,
/// `serde_json::to_*`, another connection), and refuses a received proof
/// always. The proof is neither `Copy` nor can it be built outside this
/// crate; `Clone` keeps its binding.
///
/// To forward a received gated message, build it again on the connection
/// it goes to (`connection.request::<M>(params)`), or for a notification
/// replace its proof with that connection's:
///
/// ```ignore
/// if let ServerNotification::Progress(_, granted) = &mut notification {
///     *granted = connection.grant_notification::<Progress>()?;
/// }
/// ```
pub struct Granted<M: ?Sized> {
    origin: Origin,
    method: PhantomData<fn() -> M>,
}

/// Where a [`Granted`] came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// From the capability check of the connection with this id: the
    /// message may be sent there.
    Connection(u64),
    /// From the decoder of a received message: it may be read, not sent.
    Received,
}

/// The proof connection `id`'s capability check hands out. A free function,
/// not an associated one, so that the compiler does not suggest it to code
/// that tries to build a `Granted` by hand.
pub(crate) fn bound<M: ?Sized>(connection: u64) -> Granted<M> {
    Granted {
        origin: Origin::Connection(connection),
        method: PhantomData,
    }
}

impl<M: ?Sized> Granted<M> {
    /// Whether a connection's capability check handed out this proof
    /// (rather than the decoder of a received message).
    pub fn is_checked(&self) -> bool {
        matches!(self.origin, Origin::Connection(_))
    }
}

/// The proof the decoder puts in a received message: it reads like any
/// other, but its message cannot be sent ([`sendable`] refuses it).
#[doc(hidden)]
pub fn received<M: ?Sized>() -> Granted<M> {
    Granted {
        origin: Origin::Received,
        method: PhantomData,
    }
}

thread_local! {
    /// The connection encoding a message on this thread, 0 when none is.
    static ENCODING: Cell<u64> = const { Cell::new(0) };
}

/// Runs `encode` as connection `id`: gated messages whose proof is bound to
/// it may be written meanwhile.
pub(crate) fn encoding_as<T>(id: u64, encode: impl FnOnce() -> T) -> T {
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            ENCODING.with(|current| current.set(self.0));
        }
    }
    let _restore = Restore(ENCODING.with(|current| current.replace(id)));
    encode()
}

/// For the message enums' `Serialize`: `Ok` when the gated message of
/// `method` holds a proof bound to the connection encoding it now, the
/// serde error to fail with otherwise.
#[doc(hidden)]
pub fn sendable<E: serde::ser::Error, M: ?Sized>(
    granted: &Granted<M>,
    method: &str,
    kind: Kind,
) -> Result<(), E> {
    let grant = match kind {
        Kind::Request => "request",
        Kind::Notification => "notify",
    };
    let encoding = ENCODING.with(Cell::get);
    match granted.origin {
        Origin::Connection(id) if id == encoding => Ok(()),
        Origin::Received => Err(E::custom(format_args!(
            "`{method}` was received, not granted: send it with Connection::{grant} on the connection it goes to"
        ))),
        Origin::Connection(_) if encoding == 0 => Err(E::custom(format_args!(
            "`{method}` is gated: only the connection that granted it encodes it (Connection::encode or Connection::{grant})"
        ))),
        Origin::Connection(_) => Err(E::custom(format_args!(
            "`{method}` was granted on another connection, whose capabilities are not this one's"
        ))),
    }
}

impl<M: ?Sized> Clone for Granted<M> {
    fn clone(&self) -> Self {
        Granted {
            origin: self.origin,
            method: PhantomData,
        }
    }
}

/// Proofs are equal whatever their origin: two messages are equal when
/// they say the same thing on the wire, whether decoded or built.
impl<M: ?Sized> PartialEq for Granted<M> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<M: ?Sized> Eq for Granted<M> {}

impl<M: ?Sized> std::hash::Hash for Granted<M> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl<M: ?Sized> fmt::Debug for Granted<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.origin {
            Origin::Connection(_) => f.write_str("Granted(checked)"),
            Origin::Received => f.write_str("Granted(received)"),
        }
    }
}

/// Member names of a capability path, joined by dots.
pub(crate) struct Path(pub &'static [&'static str]);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(member)?;
        }
        Ok(())
    }
}

/// A method was about to be sent on a connection whose negotiation did not
/// declare the capability the method requires, or the experimental opt-in
/// an experimental method requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityError {
    pub method: &'static str,
    /// The capability not declared (the experimental opt-in when
    /// `experimental` is set).
    pub capability: CapabilityPath,
    /// The reason the method is experimental, when that is why it was
    /// refused.
    pub experimental: Option<&'static str>,
}

impl fmt::Display for CapabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = self.capability.side;
        let path = Path(self.capability.path);
        match self.experimental {
            None => write!(
                f,
                "`{}` requires the {side} capability `{path}`, which this connection did not negotiate",
                self.method
            ),
            Some(reason) => write!(
                f,
                "`{}` is experimental ({reason}) and requires the {side} capability `{path}`, \
                 which this connection did not negotiate",
                self.method
            ),
        }
    }
}

impl std::error::Error for CapabilityError {}
