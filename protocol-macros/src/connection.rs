//! One side of one connection: what it decodes, what it may send, its
//! pending requests and the capabilities its negotiation declared.
//!
//! `#[protocol]` generates the two sides of a protocol, `ClientSide` and
//! `ServerSide`, each a [`Peer`]: which message enums it sends and which it
//! receives. A [`Connection<P>`] is the rest, for any protocol:
//!
//! - [`Connection::receive`] is the one entry point for whatever arrives:
//!   a request or notification of the other side, or a response or error
//!   paired with one of this side's pending requests and decoded as that
//!   request's response type;
//! - the protocol's negotiation (`#[protocol(negotiation = ...)]`) is
//!   recorded as it passes through, and what it declares holds once it is
//!   answered with success (a failed or refused one changes nothing), so a
//!   connection's capabilities come from its own negotiation and nowhere
//!   else;
//! - [`Connection::request`], [`Connection::notify`] and
//!   [`Connection::respond`] write what this side sends, gated by those
//!   capabilities: a gated message's proof is bound to this connection,
//!   and no other encoder writes it.
//!
//! It does no I/O: the caller moves the bytes.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use crate::decode::{decode_incoming, decode_incoming_text, DecodeError, Incoming, IncomingText};
use crate::expand_support::encode_message;
use crate::gate::{
    bound, encoding_as, params_of, Capabilities, CapabilityError, EncodeError, Granted,
};
use crate::jsonrpc::{JSONRPCError, JSONRPCErrorError, JSONRPCResponse, RequestId};
use crate::method::{
    MethodSet, Notification, NotificationSet, Request, RequestSet, ResponseError, ResponseSet,
};
use crate::registry::{Carrier, Dialect, MethodInfo, ProtocolSettings, Registry, Side};

/// One side of a protocol: the message enums it sends and receives.
/// `#[protocol]` implements it for the `ClientSide` and `ServerSide` it
/// generates (a protocol without, say, server requests gets an empty enum
/// in their place).
pub trait Peer: 'static {
    /// Which side this is.
    const SIDE: Side;
    /// The requests this side sends.
    type Requests: RequestSet;
    /// The notifications this side sends.
    type Notifications: NotificationSet;
    /// The requests this side receives.
    type PeerRequests: RequestSet;
    /// The notifications this side receives.
    type PeerNotifications: NotificationSet;
    /// The other side.
    type Other: Peer<
        Requests = Self::PeerRequests,
        Notifications = Self::PeerNotifications,
        PeerRequests = Self::Requests,
        PeerNotifications = Self::Notifications,
    >;

    /// The protocol's registry.
    fn registry() -> &'static Registry;

    /// The protocol's settings.
    fn settings() -> &'static ProtocolSettings {
        Self::registry().settings
    }

    /// Decodes any message this side receives, without a connection: a
    /// request or notification of the other side, or a response or error
    /// (unpaired).
    #[inline]
    fn decode(
        json: &[u8],
    ) -> Result<Incoming<Self::PeerRequests, Self::PeerNotifications>, DecodeError> {
        decode_incoming::<Self::PeerRequests, Self::PeerNotifications>(json)
    }
}

/// The ids of connections; 0 is no connection.
static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// One side `P` of one connection. See the [module](self) documentation.
pub struct Connection<P: Peer> {
    id: u64,
    capabilities: Capabilities,
    next_id: i64,
    pending: BTreeMap<RequestId, &'static MethodInfo>,
    /// The negotiation in flight, sent or received: its id and its params.
    /// What it declares holds only once it is answered with success.
    negotiating: Option<(RequestId, Option<Value>)>,
    peer: PhantomData<fn() -> P>,
}

impl<P: Peer> fmt::Debug for Connection<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("side", &P::SIDE)
            .field("capabilities", &self.capabilities)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl<P: Peer> Default for Connection<P> {
    fn default() -> Self {
        Connection::new()
    }
}

/// What arrived on a connection.
pub enum Received<P: Peer> {
    /// A request of the other side, admitted by the experimental gate.
    Request(P::PeerRequests),
    /// A notification of the other side, admitted by the experimental gate.
    Notification(P::PeerNotifications),
    /// The response to one of this side's requests, decoded as its type.
    Response {
        id: RequestId,
        response: <P::Requests as RequestSet>::Response,
    },
    /// An error answering one of this side's requests, of `method`.
    Error {
        error: JSONRPCError,
        method: &'static MethodInfo,
    },
    /// An error the peer could not attribute to a request (`"id": null`):
    /// its answer to a message it could not read. No request is retired.
    UnattributedError(JSONRPCErrorError),
}

impl<P: Peer> fmt::Debug for Received<P>
where
    P::PeerRequests: fmt::Debug,
    P::PeerNotifications: fmt::Debug,
    <P::Requests as RequestSet>::Response: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Received::Request(request) => f.debug_tuple("Request").field(request).finish(),
            Received::Notification(notification) => {
                f.debug_tuple("Notification").field(notification).finish()
            }
            Received::Response { id, response } => f
                .debug_struct("Response")
                .field("id", id)
                .field("response", response)
                .finish(),
            Received::Error { error, method } => f
                .debug_struct("Error")
                .field("error", error)
                .field("method", &method.name)
                .finish(),
            Received::UnattributedError(error) => {
                f.debug_tuple("UnattributedError").field(error).finish()
            }
        }
    }
}

/// Why [`Connection::receive`] has no message to hand over.
#[derive(Debug, Clone, PartialEq)]
pub enum ReceiveError {
    /// Not a message this side can read; answer with
    /// [`Connection::error_reply`] when it had an id.
    Decode(DecodeError),
    /// A request refused before its handler ran: send this error response.
    /// The experimental gate refuses a request it does not admit; the
    /// runtime refuses one whose id is that of a request it is still
    /// answering (-32600).
    Refused(JSONRPCError),
    /// A notification the experimental gate refused: dropped.
    Dropped(crate::ExperimentalRefusal),
    /// A response or error that answers no pending request, or whose
    /// result is not the request's response type.
    Response(ResponseError),
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Decode(error) => error.fmt(f),
            ReceiveError::Refused(error) => f.write_str(&error.error.message),
            ReceiveError::Dropped(refused) => refused.fmt(f),
            ReceiveError::Response(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ReceiveError {}

impl<P: Peer> Connection<P> {
    /// A connection before its negotiation: nothing declared.
    pub fn new() -> Self {
        Connection::with_capabilities(Capabilities::before_negotiation(P::settings()))
    }

    /// A connection whose negotiation is taken as having declared `client`
    /// and `server` (each side's capabilities object, as on the wire)
    /// without any message passing: for tests of what a negotiated
    /// connection sends. Real connections learn their capabilities from
    /// [`Connection::receive`] and the negotiation they send.
    pub fn negotiated_for_tests(client: Option<Value>, server: Option<Value>) -> Self {
        let mut capabilities = Capabilities::before_negotiation(P::settings());
        capabilities.set(Side::Client, client);
        capabilities.set(Side::Server, server);
        Connection::with_capabilities(capabilities)
    }

    fn with_capabilities(capabilities: Capabilities) -> Self {
        Connection {
            id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            capabilities,
            next_id: 0,
            pending: BTreeMap::new(),
            negotiating: None,
            peer: PhantomData,
        }
    }

    /// What this connection's negotiation declared so far.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn dialect(&self) -> Dialect {
        P::settings().jsonrpc
    }

    /// The proof that request `R` may be sent on this connection, or why
    /// not. The message it builds is encoded only by this connection, and
    /// only as an [`OutgoingRequest`] ([`Connection::request`]).
    pub fn grant_request<R: Request<Set = P::Requests>>(
        &self,
    ) -> Result<Granted<R>, CapabilityError> {
        self.capabilities.allow(R::INFO).map(|()| bound(self.id))
    }

    /// The proof that notification `N` may be sent on this connection, or
    /// why not; encode the message with [`Connection::encode_notification`].
    pub fn grant_notification<N: Notification<Set = P::Notifications>>(
        &self,
    ) -> Result<Granted<N>, CapabilityError> {
        self.capabilities.allow(N::INFO).map(|()| bound(self.id))
    }

    /// The message for request `R` with a fresh id, or an error when this
    /// connection's negotiation did not declare the capability `R`
    /// requires. The id is in this connection's pending table: the message
    /// can be read and encoded ([`Connection::encode`]), not changed. For
    /// the negotiation request, what its params declare holds once the
    /// response to it arrives and is a valid result.
    pub fn request<R: Request<Set = P::Requests>>(
        &mut self,
        params: R::Params,
    ) -> Result<OutgoingRequest<P::Requests>, CapabilityError> {
        let granted = self.grant_request::<R>()?;
        let id = RequestId::Integer(self.next_id);
        self.next_id += 1;
        let message = R::message(id.clone(), params, granted);
        if self.negotiates(R::INFO) {
            let params = encoding_as(self.id, || serde_json::to_value(&message))
                .ok()
                .and_then(|mut value| value.get_mut("params").map(Value::take));
            self.negotiating = Some((id.clone(), params));
        }
        self.pending.insert(id, R::INFO);
        Ok(OutgoingRequest {
            message,
            connection: self.id,
        })
    }

    /// Whether this side holds what it receives to the experimental gate:
    /// it does when the opt-in is the other side's to declare (the side
    /// that opts in is the one held back; what it receives is the other
    /// side's to send as the opt-in allows).
    fn admits(&self) -> bool {
        P::settings()
            .experimental
            .is_some_and(|opt_in| opt_in.side != P::SIDE)
    }

    /// Whether `method` is the protocol's negotiation request.
    fn negotiates(&self, method: &MethodInfo) -> bool {
        P::settings().negotiates(method)
    }

    /// `request` as JSON text for this connection's peer, experimental
    /// fields left out for a peer without the experimental opt-in. A
    /// request another connection made is refused: its id is in that
    /// connection's pending table.
    pub fn encode(&self, request: &OutgoingRequest<P::Requests>) -> Result<Vec<u8>, EncodeError> {
        if request.connection != self.id {
            return Err(EncodeError::OtherConnection {
                method: request.method(),
            });
        }
        encoding_as(self.id, || {
            self.capabilities.encode_allowed(&request.message)
        })
    }

    /// Notification `N` as JSON text for this connection's peer, or `None`
    /// when the peer must not get it: it opted out of it, or it is
    /// experimental and the opt-in is not declared, or the capability it
    /// requires is not.
    pub fn notify<N: Notification<Set = P::Notifications>>(
        &self,
        params: N::Params,
    ) -> Result<Option<Vec<u8>>, EncodeError> {
        let Ok(granted) = self.grant_notification::<N>() else {
            return Ok(None);
        };
        self.encode_notification(&N::message(params, granted))
    }

    /// A notification message as JSON text for this connection's peer, or
    /// `None` as for [`Connection::notify`]. A gated one must hold this
    /// connection's proof.
    pub fn encode_notification(
        &self,
        notification: &P::Notifications,
    ) -> Result<Option<Vec<u8>>, EncodeError> {
        let info = notification.info();
        if self.capabilities.opted_out(P::SIDE.other(), info.name)
            || self.capabilities.allow(info).is_err()
        {
            return Ok(None);
        }
        encoding_as(self.id, || self.capabilities.encode_allowed(notification)).map(Some)
    }

    /// Decodes whatever arrives. A request or notification of the side
    /// that declares the experimental opt-in is admitted by the
    /// experimental gate (a refused request comes back as the error
    /// response to send); a response or error is paired
    /// with the pending request it answers and a response decoded as that
    /// request's response type. The negotiation is recorded as it passes.
    // The error holds the response to send when a request is refused, ready
    // as is; the message itself is larger.
    #[allow(clippy::result_large_err)]
    pub fn receive(&mut self, json: &[u8]) -> Result<Received<P>, ReceiveError> {
        let incoming = decode_incoming_text::<P::PeerRequests, P::PeerNotifications>(json)
            .map_err(ReceiveError::Decode)?;
        match incoming {
            IncomingText::Request(request) => {
                if self.admits() {
                    self.capabilities
                        .admit_request(&request, json)
                        .map_err(ReceiveError::Refused)?;
                }
                if self.negotiates(request.info()) {
                    let params = params_of(json).ok().flatten();
                    self.negotiating = Some((request.id().clone(), params));
                }
                Ok(Received::Request(request))
            }
            IncomingText::Notification(notification) => {
                if self.admits() {
                    self.capabilities
                        .admit_notification(&notification, json)
                        .map_err(ReceiveError::Dropped)?;
                }
                Ok(Received::Notification(notification))
            }
            IncomingText::Response { id, result, .. } => {
                let negotiation = self.answered_negotiation(&id);
                let method = self.take_pending(&id).map_err(ReceiveError::Response)?;
                // The result is decoded from its text, straight into the
                // response type of the request it answers.
                let response =
                    <P::Requests as RequestSet>::decode_response_text(method.name, result.get())
                        .map_err(ReceiveError::Response)?;
                // What a negotiation declares holds only once its result is
                // a valid result.
                if let Some(params) = negotiation {
                    let result = serde_json::from_str(result.get()).map_err(|error| {
                        ReceiveError::Response(ResponseError::Decode {
                            method: method.name,
                            error: error.into(),
                        })
                    })?;
                    self.settle(params, result);
                }
                Ok(Received::Response { id, response })
            }
            IncomingText::Error(error) => {
                // A negotiation answered with an error declares nothing.
                self.answered_negotiation(&error.id);
                let method = self
                    .take_pending(&error.id)
                    .map_err(ReceiveError::Response)?;
                Ok(Received::Error { error, method })
            }
            IncomingText::UnattributedError(error) => Ok(Received::UnattributedError(error)),
        }
    }

    /// The response to `request` as JSON text; an error if `response`
    /// belongs to another method. Answering the negotiation request puts
    /// what it and this response declare in force.
    pub fn respond(
        &mut self,
        request: &P::PeerRequests,
        response: &<P::PeerRequests as RequestSet>::Response,
    ) -> Result<Vec<u8>, ResponseError> {
        if response.method() != request.method() {
            return Err(ResponseError::WrongMethod {
                request: request.method(),
                response: response.method(),
            });
        }
        let result =
            serde_json::to_value(response).map_err(|error| ResponseError::Encode(error.into()))?;
        self.reply(request.info(), request.id().clone(), result)
    }

    /// The response of method `R` to request `id` as JSON text; see
    /// [`Connection::respond`].
    pub fn respond_to<R: Request<Set = P::PeerRequests>>(
        &mut self,
        id: RequestId,
        response: &R::Response,
    ) -> Result<Vec<u8>, ResponseError> {
        let result =
            serde_json::to_value(response).map_err(|error| ResponseError::Encode(error.into()))?;
        self.reply(R::INFO, id, result)
    }

    /// The response answering request `id`, whichever method `response`
    /// is of, as JSON text; see [`Connection::respond`]. For a caller that
    /// no longer holds the request message (a runtime that handed its
    /// params to a handler).
    pub fn respond_to_id(
        &mut self,
        id: RequestId,
        response: &<P::PeerRequests as RequestSet>::Response,
    ) -> Result<Vec<u8>, ResponseError> {
        let method = <P::PeerRequests as MethodSet>::SET
            .methods
            .iter()
            .find(|info| info.name == response.method())
            .ok_or_else(|| {
                crate::method::not_a_method(<P::PeerRequests as MethodSet>::SET, response.method())
            })?;
        let result =
            serde_json::to_value(response).map_err(|error| ResponseError::Encode(error.into()))?;
        self.reply(method, id, result)
    }

    fn reply(
        &mut self,
        method: &'static MethodInfo,
        id: RequestId,
        result: Value,
    ) -> Result<Vec<u8>, ResponseError> {
        if self.negotiates(method) {
            if let Some(params) = self.answered_negotiation(&id) {
                self.settle(params, result.clone());
            }
        }
        let response = JSONRPCResponse {
            jsonrpc: self.dialect(),
            id,
            result,
        };
        encode_message(&response).map_err(|error| ResponseError::Encode(error.into()))
    }

    /// The params of the negotiation in flight, if `id` is its id; it is
    /// then answered and no longer in flight.
    fn answered_negotiation(&mut self, id: &RequestId) -> Option<Option<Value>> {
        match &self.negotiating {
            Some((negotiation, _)) if negotiation == id => {
                self.negotiating.take().map(|(_, params)| params)
            }
            _ => None,
        }
    }

    /// A negotiation answered with success: what its params and its result
    /// declare is now this connection's.
    fn settle(&mut self, params: Option<Value>, result: Value) {
        let mut capabilities = Capabilities::before_negotiation(P::settings());
        capabilities.record(Carrier::Params, params.as_ref());
        capabilities.record(Carrier::Result, Some(&result));
        self.capabilities = capabilities;
    }

    /// An error response as JSON text, in this protocol's dialect; answering
    /// the negotiation in flight with an error leaves the capabilities as
    /// they were.
    pub fn error(&mut self, error: &JSONRPCError) -> Vec<u8> {
        self.answered_negotiation(&error.id);
        let error = JSONRPCError {
            jsonrpc: self.dialect(),
            ..error.clone()
        };
        encode_message(&error).expect("an error object serialises")
    }

    /// The error response for a message [`Connection::receive`] could not
    /// use, as JSON text: with its id, or `"id": null` for one that could
    /// not be read as JSON or as a message and had no readable id (see
    /// [`DecodeError::reply`]); `None` when there is no one to answer (a
    /// notification, a dropped one, a stray response).
    pub fn error_reply(&mut self, error: &ReceiveError) -> Option<Vec<u8>> {
        match error {
            ReceiveError::Decode(error) => match error.to_response() {
                Some(response) => Some(self.error(&response)),
                None => error.reply(),
            },
            ReceiveError::Refused(error) => Some(self.error(error)),
            ReceiveError::Dropped(_) | ReceiveError::Response(_) => None,
        }
    }

    /// The requests still waiting for an answer, by id.
    pub fn pending(&self) -> impl Iterator<Item = (&RequestId, &'static str)> {
        self.pending.iter().map(|(id, m)| (id, m.name))
    }

    /// Forgets pending request `id`: a response to it, if one comes,
    /// answers nothing ([`ResponseError::UnknownId`]). False when no
    /// request of that id was pending.
    pub fn forget(&mut self, id: &RequestId) -> bool {
        if self
            .negotiating
            .as_ref()
            .is_some_and(|(negotiation, _)| negotiation == id)
        {
            self.negotiating = None;
        }
        self.pending.remove(id).is_some()
    }

    fn take_pending(&mut self, id: &RequestId) -> Result<&'static MethodInfo, ResponseError> {
        self.pending
            .remove(id)
            .ok_or_else(|| ResponseError::UnknownId(id.clone()))
    }
}

/// A request [`Connection::request`] made: its id is in that connection's
/// pending table, so the message is handed out to read, never to change
/// (there is no `&mut` to it and no way to take it out), and only that
/// connection encodes it ([`Connection::encode`]).
#[derive(Debug)]
pub struct OutgoingRequest<S: RequestSet> {
    message: S,
    connection: u64,
}

impl<S: RequestSet> OutgoingRequest<S> {
    /// The id the connection allocated: its response is paired by it.
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
}

impl<S: RequestSet> PartialEq<S> for OutgoingRequest<S>
where
    S: PartialEq,
{
    fn eq(&self, other: &S) -> bool {
        &self.message == other
    }
}

/// For `validate`: decodes a message `receiver` reads, to the method it is
/// of and the request's id (none for a notification).
#[doc(hidden)]
pub fn receive_info<P: Peer>(
    json: &[u8],
) -> Result<Option<(&'static MethodInfo, Option<RequestId>)>, DecodeError> {
    Ok(match P::decode(json)? {
        Incoming::Request(request) => Some((request.info(), Some(request.id().clone()))),
        Incoming::Notification(notification) => Some((notification.info(), None)),
        Incoming::Response(_) | Incoming::Error(_) | Incoming::UnattributedError(_) => None,
    })
}

/// For `validate`: decodes `result`, JSON text, as the response of `P`'s
/// request `method`, without building a `Value` of it.
#[doc(hidden)]
pub fn result_of<P: Peer>(method: &'static str, result: &str) -> Result<(), ResponseError> {
    <P::Requests as RequestSet>::decode_response_text(method, result).map(drop)
}
