//! The capability gate and the sending half of a connection.
//!
//! A method declared with `capability = "name"` may only be sent to a peer
//! that negotiated that capability. [`Outgoing`] is the only way this crate
//! offers to issue requests, and it checks the gate for every one of them.
//!
//! The same [`Capabilities`] also gate what is experimental (methods marked
//! `experimental = "reason"`, fields and enum values marked
//! `#[experimental("reason")]`) for a connection that did not negotiate the
//! experimental capability (codex's `experimentalApi`):
//!
//! - [`Capabilities::admit_request`] refuses, after decoding, a client
//!   request for an experimental method or one that sets an experimental
//!   field or value at any depth (JSON-RPC -32600, `<reason> requires
//!   experimentalApi capability`, the request's id);
//! - [`Capabilities::encode_outgoing`] does not deliver experimental
//!   notifications nor those the peer opted out of, leaves experimental
//!   fields out of what it sends, and refuses a request the peer may not
//!   receive;
//! - [`Capabilities::allow`] (hence [`Capabilities::grant_request`] and
//!   [`Outgoing::request`]) refuses an experimental method.
//!
//! Which parts of a type are experimental is read from its schema
//! ([`TypeSchema`]), once per type: a protocol with nothing experimental
//! pays a lookup per message and never reads a message twice.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::expand_support::encode_message;
use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, JSONRPCResponse, RequestId};
use crate::method::{MethodSet, Notification, NotificationSet, Request, RequestSet, ResponseError};
use crate::peer_text::JsonError;
use crate::registry::{Kind, MethodInfo, MethodSetInfo};
use crate::stability::{Contract, TypeSchema};

/// The wire name of the experimental capability unless
/// [`Capabilities::with_experimental_capability`] names another: codex's.
pub const EXPERIMENTAL_API: &str = "experimentalApi";

/// The capabilities a peer negotiated: the names (wire names) of the
/// boolean capability fields it set to `true`, which of them opts into
/// experimental methods and fields, and the notifications it opted out of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    granted: BTreeSet<String>,
    experimental: &'static str,
    opted_out: BTreeSet<String>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            granted: BTreeSet::new(),
            experimental: EXPERIMENTAL_API,
            opted_out: BTreeSet::new(),
        }
    }
}

impl Capabilities {
    /// No capability granted: what a peer that sent none gets.
    pub fn none() -> Self {
        Capabilities::default()
    }

    /// Reads the capabilities from their wire form: every top-level member
    /// whose value is `true`. Reading the serialised form keeps the names
    /// exactly as serde writes them.
    pub fn from_wire<T: Serialize + ?Sized>(capabilities: &T) -> Result<Self, serde_json::Error> {
        let value = serde_json::to_value(capabilities)?;
        let granted = match value {
            serde_json::Value::Object(members) => members
                .into_iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k)
                .collect(),
            _ => BTreeSet::new(),
        };
        Ok(Capabilities {
            granted,
            ..Capabilities::default()
        })
    }

    /// The same capabilities, with `name` (a wire name) as the capability
    /// that opts into experimental methods and fields; [`EXPERIMENTAL_API`]
    /// (`experimentalApi`) unless set.
    pub fn with_experimental_capability(mut self, name: &'static str) -> Self {
        self.experimental = name;
        self
    }

    /// The same capabilities, with these notification methods (wire names)
    /// never delivered ([`Capabilities::encode_outgoing`] returns `None`).
    pub fn with_opted_out<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.opted_out.extend(methods.into_iter().map(Into::into));
        self
    }

    /// Grants `capability` (a wire name), as if the peer had set it to `true`.
    pub fn with_granted(mut self, capability: impl Into<String>) -> Self {
        self.granted.insert(capability.into());
        self
    }

    pub fn grants(&self, capability: &str) -> bool {
        self.granted.contains(capability)
    }

    /// The wire name of the capability that opts into experimental parts.
    pub fn experimental_capability(&self) -> &'static str {
        self.experimental
    }

    /// Whether the peer negotiated the experimental capability.
    pub fn allows_experimental(&self) -> bool {
        self.grants(self.experimental)
    }

    /// Whether the peer opted out of notification `method`.
    pub fn opted_out(&self, method: &str) -> bool {
        self.opted_out.contains(method)
    }

    /// The proof that request `R` may be sent to this peer, or why not.
    pub fn grant_request<R: Request>(&self) -> Result<Granted<R>, CapabilityError> {
        self.allow(R::INFO).map(|()| checked())
    }

    /// The proof that notification `N` may be sent to this peer, or why not.
    pub fn grant_notification<N: Notification>(&self) -> Result<Granted<N>, CapabilityError> {
        self.allow(N::INFO).map(|()| checked())
    }

    /// `Ok` when `method` may be sent to this peer: the peer negotiated the
    /// capability the method requires, if any, and the experimental
    /// capability if the method is experimental (checked in that order).
    pub fn allow(&self, method: &'static MethodInfo) -> Result<(), CapabilityError> {
        match method.capability {
            Some(capability) if !self.grants(capability) => {
                return Err(CapabilityError {
                    method: method.name,
                    capability,
                    experimental: None,
                })
            }
            _ => {}
        }
        match method.stability.experimental {
            Some(reason) if !self.allows_experimental() => Err(CapabilityError {
                method: method.name,
                capability: self.experimental,
                experimental: Some(reason),
            }),
            _ => Ok(()),
        }
    }

    /// The experimental gate for a received message of `method`, decoded
    /// from `raw`: `Ok` when the peer negotiated the experimental capability,
    /// or when neither the method nor anything `raw`'s params set is
    /// experimental. `raw` is read again only when the method's params type
    /// has experimental parts and the peer did not negotiate them.
    pub fn admit(&self, method: &MethodInfo, raw: &[u8]) -> Result<(), ExperimentalRefusal> {
        if self.allows_experimental() {
            return Ok(());
        }
        let refuse = |reason: &str, pointer: Option<String>| ExperimentalRefusal {
            method: method.name,
            reason: reason.to_owned(),
            pointer,
            capability: self.experimental,
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
        #[derive(Deserialize)]
        struct ParamsOnly {
            #[serde(default)]
            params: Option<Value>,
        }
        match serde_json::from_slice::<ParamsOnly>(raw) {
            Ok(ParamsOnly { params: None }) => Ok(()),
            Ok(ParamsOnly {
                params: Some(params),
            }) => match schema.find_experimental(&params) {
                Some(found) => Err(refuse(&found.reason, Some(found.pointer))),
                None => Ok(()),
            },
            // Not the text the message was decoded from: refuse rather than
            // let unread params through.
            Err(_) => Err(refuse(&format!("`{}` params", method.name), None)),
        }
    }

    /// [`Capabilities::admit`] for a decoded request, with the refusal as
    /// the error response to send: code -32600, message `<reason> requires
    /// <capability> capability`, and the request's id. Call it after
    /// decoding `raw` into `request`, before handling it:
    ///
    /// ```ignore
    /// let request = ClientRequest::decode(raw)?;
    /// if let Err(refused) = capabilities.admit_request(&request, raw) {
    ///     return send(&refused);
    /// }
    /// ```
    // The error is the response to send, ready as is; it is only built on
    // the refusal path.
    #[allow(clippy::result_large_err)]
    pub fn admit_request<S: RequestSet>(
        &self,
        request: &S,
        raw: &[u8],
    ) -> Result<(), JSONRPCError> {
        self.admit(request.info(), raw)
            .map_err(|refused| refused.to_response(request.id().clone()))
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

    /// `message` as JSON text for this peer, or `None` when it is a
    /// notification the peer must not get: one it opted out of, an
    /// experimental one (without the experimental capability), or one whose
    /// capability it lacks. A request the peer may not get is an error.
    /// Without the experimental capability, experimental fields are left
    /// out of the params, at any depth (an experimental value of a stable
    /// field is sent as is: leaving it out could break a required field).
    pub fn encode_outgoing<M: MethodSet>(
        &self,
        message: &M,
    ) -> Result<Option<Vec<u8>>, EncodeError> {
        let info = message.info();
        if M::SET.kind == Kind::Notification
            && (self.opted_out(info.name) || self.allow(info).is_err())
        {
            return Ok(None);
        }
        self.encode_allowed(message).map(Some)
    }

    /// `message` as JSON text for this peer, or why the peer may not get it.
    fn encode_allowed<M: MethodSet>(&self, message: &M) -> Result<Vec<u8>, EncodeError> {
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

/// A message's members in the order the encoder writes them.
struct InOrder<'a>(&'a Map<String, Value>);

impl Serialize for InOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const ORDER: [&str; 3] = ["method", "id", "params"];
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
    /// The experimental capability's wire name.
    pub capability: &'static str,
}

impl ExperimentalRefusal {
    /// The JSON-RPC error response to request `id`: -32600 with this
    /// refusal's message.
    pub fn to_response(&self, id: RequestId) -> JSONRPCError {
        JSONRPCError {
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
        write!(f, "{} requires {} capability", self.reason, self.capability)
    }
}

impl std::error::Error for ExperimentalRefusal {}

/// Why [`Capabilities::encode_outgoing`] produced no text. Neither
/// `Display` nor `Debug` shows a string value of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A request the peer may not receive.
    Refused(CapabilityError),
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
            EncodeError::Json(error) => write!(f, "cannot encode the message: {error}"),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::Refused(refused) => Some(refused),
            EncodeError::Json(error) => Some(error),
        }
    }
}

/// Proof that method `M` passed its capability gate. The message variant of
/// a method declared with `capability = "…"` carries one.
///
/// A proof is *checked* when [`Capabilities::grant_request`] /
/// [`Capabilities::grant_notification`] handed it out, and *received* when the decoder made it for a message a
/// peer sent (the gate is for what we send, not for what we read). Only a
/// message with a checked proof can be sent: the message enum's `Serialize`
/// (hence `encode`, [`Capabilities::encode_outgoing`], `serde_json::to_*`)
/// refuses a gated message that holds a received one. So a gated message
/// that can be sent exists only through the capability check, whether it
/// was built with the marker's `message`, with the enum variant, or from a
/// decoded message's proof. The proof is neither `Copy` nor can it be built
/// outside this crate; `Clone` keeps its origin.
///
/// To forward a received gated message, replace its proof with one from
/// the capability check of the connection it goes to:
///
/// ```ignore
/// if let ServerRequest::AttestationGenerate { granted, .. } = &mut request {
///     *granted = capabilities.grant_request::<AttestationGenerate>()?;
/// }
/// ```
pub struct Granted<M: ?Sized> {
    origin: Origin,
    method: PhantomData<fn() -> M>,
}

/// Where a [`Granted`] came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// From the capability check: the message may be sent.
    Checked,
    /// From the decoder of a received message: it may be read, not sent.
    Received,
}

/// The proof the capability check hands out. A free function, not an
/// associated one, so that the compiler does not suggest it to code that
/// tries to build a `Granted` by hand.
fn checked<M: ?Sized>() -> Granted<M> {
    Granted {
        origin: Origin::Checked,
        method: PhantomData,
    }
}

impl<M: ?Sized> Granted<M> {
    /// Whether the capability check handed out this proof (rather than the
    /// decoder of a received message): only then can its message be sent.
    pub fn is_checked(&self) -> bool {
        self.origin == Origin::Checked
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

/// For the message enums' `Serialize`: `Ok` when the gated message of
/// `method` holds a checked proof, the serde error to fail with otherwise.
#[doc(hidden)]
pub fn sendable<E: serde::ser::Error, M: ?Sized>(
    granted: &Granted<M>,
    method: &str,
    kind: Kind,
) -> Result<(), E> {
    if granted.is_checked() {
        return Ok(());
    }
    let grant = match kind {
        Kind::Request => "grant_request",
        Kind::Notification => "grant_notification",
    };
    Err(E::custom(format_args!(
        "`{method}` was received, not granted: ask Capabilities::{grant} before sending it"
    )))
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
            Origin::Checked => f.write_str("Granted(checked)"),
            Origin::Received => f.write_str("Granted(received)"),
        }
    }
}

/// A method was about to be sent to a peer that did not negotiate the
/// capability the method requires, or the experimental capability an
/// experimental method requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityError {
    pub method: &'static str,
    /// The capability the peer lacks (the experimental capability when
    /// `experimental` is set).
    pub capability: &'static str,
    /// The reason the method is experimental, when that is why it was
    /// refused.
    pub experimental: Option<&'static str>,
}

impl fmt::Display for CapabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.experimental {
            None => write!(
                f,
                "`{}` requires the client capability `{}`, which this connection did not negotiate",
                self.method, self.capability
            ),
            Some(reason) => write!(
                f,
                "`{}` is experimental ({reason}) and requires the client capability `{}`, \
                 which this connection did not negotiate",
                self.method, self.capability
            ),
        }
    }
}

impl std::error::Error for CapabilityError {}

/// The sending half of a connection for the requests of set `S`: allocates
/// ids, enforces capability gates and pairs responses with their requests.
/// It does no I/O: the caller serialises and sends the returned messages.
#[derive(Debug)]
pub struct Outgoing<S: RequestSet> {
    capabilities: Capabilities,
    next_id: i64,
    pending: BTreeMap<RequestId, &'static MethodInfo>,
    set: PhantomData<fn() -> S>,
}

impl<S: RequestSet> Outgoing<S> {
    /// Requests to a peer that negotiated `capabilities`.
    pub fn new(capabilities: Capabilities) -> Self {
        Outgoing {
            capabilities,
            next_id: 0,
            pending: BTreeMap::new(),
            set: PhantomData,
        }
    }

    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// The message for request `R` with a fresh id, or an error when the peer
    /// did not negotiate the capability `R` requires. The id is this sending
    /// half's: the message can be read, encoded and sent, not changed.
    pub fn request<R: Request<Set = S>>(
        &mut self,
        params: R::Params,
    ) -> Result<OutgoingRequest<S>, CapabilityError> {
        let granted = self.capabilities.grant_request::<R>()?;
        let id = RequestId::Integer(self.next_id);
        self.next_id += 1;
        self.pending.insert(id.clone(), R::INFO);
        Ok(OutgoingRequest {
            message: R::message(id, params, granted),
        })
    }

    /// `request` as JSON text for this connection's peer, experimental
    /// fields left out as [`Capabilities::encode_outgoing`] does.
    pub fn encode(&self, request: &OutgoingRequest<S>) -> Result<Vec<u8>, EncodeError> {
        self.capabilities.encode_allowed(request)
    }

    /// Pairs a response with its pending request and decodes its result.
    pub fn complete(
        &mut self,
        response: JSONRPCResponse,
    ) -> Result<(RequestId, S::Response), ResponseError> {
        let method = self.take_pending(&response.id)?;
        let result = S::decode_response_for(method.name, response.result)?;
        Ok((response.id, result))
    }

    /// Like [`Outgoing::complete`], for a caller that knows which request it awaits.
    pub fn complete_as<R: Request<Set = S>>(
        &mut self,
        response: JSONRPCResponse,
    ) -> Result<R::Response, ResponseError> {
        match self.pending.get(&response.id) {
            Some(method) if method.name != R::METHOD => {
                return Err(ResponseError::WrongMethod {
                    request: method.name,
                    response: R::METHOD,
                })
            }
            _ => {}
        }
        let (_, response) = self.complete(response)?;
        Ok(R::unwrap_response(response).expect("method checked above"))
    }

    /// Retires the pending request an error response answers; returns its method.
    pub fn fail(&mut self, error: &JSONRPCError) -> Result<&'static MethodInfo, ResponseError> {
        self.take_pending(&error.id)
    }

    /// The requests still waiting for an answer, by id.
    pub fn pending(&self) -> impl Iterator<Item = (&RequestId, &'static str)> {
        self.pending.iter().map(|(id, m)| (id, m.name))
    }

    fn take_pending(&mut self, id: &RequestId) -> Result<&'static MethodInfo, ResponseError> {
        self.pending
            .remove(id)
            .ok_or_else(|| ResponseError::UnknownId(id.clone()))
    }
}

/// A request [`Outgoing::request`] made: its id is in the pending table, so
/// the message is handed out to read and to send, never to change (there is
/// no `&mut` to it and no way to take it out). Send it with
/// [`Outgoing::encode`] or [`Capabilities::encode_outgoing`] (which leave
/// experimental fields out for a peer without the experimental capability),
/// or with `encode` / serde (which write it as is).
#[derive(Debug)]
pub struct OutgoingRequest<S: RequestSet> {
    message: S,
}

impl<S: RequestSet> OutgoingRequest<S> {
    /// The id the sending half allocated: its response is paired by it.
    pub fn id(&self) -> &RequestId {
        self.message.id()
    }

    /// The wire method name.
    pub fn method(&self) -> &'static str {
        self.message.method()
    }

    /// The request message.
    pub fn message(&self) -> &S {
        &self.message
    }

    /// The message as JSON text, as is (see [`Outgoing::encode`] for the
    /// text for the connection's peer).
    pub fn encode(&self) -> Result<Vec<u8>, serde_json::Error> {
        encode_message(&self.message)
    }
}

impl<S: RequestSet> Serialize for OutgoingRequest<S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        self.message.serialize(serializer)
    }
}

impl<S: RequestSet> MethodSet for OutgoingRequest<S> {
    const SET: &'static MethodSetInfo = S::SET;

    fn info(&self) -> &'static MethodInfo {
        self.message.info()
    }
}

impl<S: RequestSet> PartialEq<S> for OutgoingRequest<S>
where
    S: PartialEq,
{
    fn eq(&self, other: &S) -> bool {
        &self.message == other
    }
}
