//! The typed handle to the peer on a served connection: requests whose
//! responses come back paired by id, notifications, and the incoming
//! requests in flight that can be cancelled.
//!
//! Everything goes through the side's own [`Connection`]: its dialect, its
//! capability gates and its experimental gate apply to what the handle
//! sends. The bytes leave through a writer the runtime gives (a queue to
//! one writer task): this module is plain `std`.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::connection::{Connection, Peer};
use crate::gate::{CapabilityError, EncodeError};
use crate::handler::{lock, Cancellation, Endpoint};
use crate::jsonrpc::{JSONRPCErrorError, RequestId};
use crate::method::{Notification, Request, RequestSet, ResponseError};

/// Why [`PeerHandle::request`] or [`PeerHandle::notify`] has no response.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestError {
    /// The peer answered with this JSON-RPC error.
    Peer(JSONRPCErrorError),
    /// The connection's gate refused the request before it was written:
    /// its capability was not negotiated, or it is experimental and the
    /// opt-in was not.
    Refused(CapabilityError),
    /// The message could not be encoded.
    Encode(EncodeError),
    /// The response did not decode as the method's response type.
    Response(ResponseError),
    /// The connection closed before the response came.
    Closed,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Peer(error) => write!(
                f,
                "the peer answered with error {}: {}",
                error.code,
                crate::peer_text::bounded(&error.message)
            ),
            RequestError::Refused(error) => error.fmt(f),
            RequestError::Encode(error) => error.fmt(f),
            RequestError::Response(error) => error.fmt(f),
            RequestError::Closed => f.write_str("the connection closed"),
        }
    }
}

impl std::error::Error for RequestError {}

/// What a request's waiter is handed.
type Outcome<P> = Result<<<P as Peer>::Requests as RequestSet>::Response, RequestError>;

/// Called with the id and method of an outgoing request whose future was
/// dropped before its response came: to tell the peer, if the protocol
/// has a way to.
pub type AbandonHook<P> = Box<dyn Fn(&PeerHandle<P>, &RequestId, &'static str) + Send + Sync>;

/// One served connection, shared by the runtime and every handle.
pub(crate) struct Link<P: Endpoint> {
    connection: Mutex<Connection<P>>,
    /// This side's requests awaiting their response.
    waiting: Mutex<Waiting<P>>,
    /// The other side's requests being answered, by id.
    in_flight: Mutex<BTreeMap<RequestId, Cancellation>>,
    /// Takes one message, a line without its newline; false once the
    /// writer is gone.
    write: Box<dyn Fn(Vec<u8>) -> bool + Send + Sync>,
    abandoned: Option<AbandonHook<P>>,
}

struct Waiting<P: Endpoint> {
    /// No response can arrive any more.
    closed: bool,
    slots: BTreeMap<RequestId, Arc<Slot<Outcome<P>>>>,
}

impl<P: Endpoint> Link<P> {
    pub(crate) fn new(
        connection: Connection<P>,
        write: Box<dyn Fn(Vec<u8>) -> bool + Send + Sync>,
        abandoned: Option<AbandonHook<P>>,
    ) -> Self {
        Link {
            connection: Mutex::new(connection),
            waiting: Mutex::new(Waiting {
                closed: false,
                slots: BTreeMap::new(),
            }),
            in_flight: Mutex::new(BTreeMap::new()),
            write,
            abandoned,
        }
    }

    /// The connection, locked; what is written while it is held keeps the
    /// order in which the connection encoded it.
    pub(crate) fn connection(&self) -> std::sync::MutexGuard<'_, Connection<P>> {
        lock(&self.connection)
    }

    /// Queues one message for the writer.
    pub(crate) fn write(&self, line: Vec<u8>) -> bool {
        (self.write)(line)
    }

    /// Hands the outcome to the request `id` awaits, if one does.
    pub(crate) fn settle(&self, id: &RequestId, outcome: Outcome<P>) {
        if let Some(slot) = lock(&self.waiting).slots.remove(id) {
            slot.fill(outcome);
        }
    }

    /// Fails every waiter whose request the connection no longer has
    /// pending: its answer arrived and could not be used.
    pub(crate) fn fail_answered(&self, connection: &Connection<P>, error: &ResponseError) {
        let mut waiting = lock(&self.waiting);
        let answered: Vec<RequestId> = waiting
            .slots
            .keys()
            .filter(|id| !connection.pending().any(|(pending, _)| pending == *id))
            .cloned()
            .collect();
        for id in answered {
            if let Some(slot) = waiting.slots.remove(&id) {
                slot.fill(Err(RequestError::Response(error.clone())));
            }
        }
    }

    /// The reader is done: every waiter fails with `Closed`, and no new
    /// request waits.
    pub(crate) fn close(&self) {
        let slots = {
            let mut waiting = lock(&self.waiting);
            waiting.closed = true;
            std::mem::take(&mut waiting.slots)
        };
        for slot in slots.into_values() {
            slot.fill(Err(RequestError::Closed));
        }
    }

    /// Records an incoming request being answered; false, and nothing
    /// recorded, when a request of that id is being answered already.
    pub(crate) fn start(&self, id: RequestId, cancellation: Cancellation) -> bool {
        match lock(&self.in_flight).entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(cancellation);
                true
            }
        }
    }

    /// The request `id` is answered: whether its answer is to be sent (it
    /// was not cancelled by id).
    pub(crate) fn finish(&self, id: &RequestId, cancellation: &Cancellation) -> bool {
        let mut in_flight = lock(&self.in_flight);
        match in_flight.get(id) {
            Some(current) if current.same(cancellation) => {
                in_flight.remove(id);
                true
            }
            _ => false,
        }
    }

    /// Fires the signal of every request in flight (the connection is
    /// closing); their answers are still sent if they come.
    pub(crate) fn cancel_all(&self) {
        for cancellation in lock(&self.in_flight).values() {
            cancellation.cancel();
        }
    }
}

/// The handle to the peer of a served connection: typed requests whose
/// responses are paired by id, and notifications. Cloning it is cheap;
/// every clone sends on the same connection.
pub struct PeerHandle<P: Endpoint> {
    link: Arc<Link<P>>,
}

impl<P: Endpoint> Clone for PeerHandle<P> {
    fn clone(&self) -> Self {
        PeerHandle {
            link: Arc::clone(&self.link),
        }
    }
}

impl<P: Endpoint> fmt::Debug for PeerHandle<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PeerHandle")
            .field("side", &P::SIDE)
            .finish_non_exhaustive()
    }
}

impl<P: Endpoint> PeerHandle<P> {
    pub(crate) fn new(link: Arc<Link<P>>) -> Self {
        PeerHandle { link }
    }

    /// Sends request `M` and waits for its response, decoded as `M`'s
    /// response type: [`PeerHandle::send`], awaited.
    pub async fn request<M>(&self, params: M::Params) -> Result<M::Response, RequestError>
    where
        M: Request<Set = P::Requests>,
    {
        self.send::<M>(params)?.await
    }

    /// Sends request `M`; the future of its response, which knows the
    /// request's id. The connection's gate decides first: a request whose
    /// capability the negotiation did not declare is refused
    /// (`RequestError::Refused`) and nothing is written. Dropping the
    /// future before the response forgets the request (a late response is
    /// then dropped) and calls the runtime's abandon hook, if any.
    pub fn send<M>(&self, params: M::Params) -> Result<ResponseFuture<P, M>, RequestError>
    where
        M: Request<Set = P::Requests>,
    {
        let mut connection = self.link.connection();
        let request = connection
            .request::<M>(params)
            .map_err(RequestError::Refused)?;
        let id = request.id().clone();
        let text = match connection.encode(&request) {
            Ok(text) => text,
            Err(error) => {
                connection.forget(&id);
                return Err(RequestError::Encode(error));
            }
        };
        let slot = Arc::new(Slot::new());
        {
            let mut waiting = lock(&self.link.waiting);
            if waiting.closed {
                connection.forget(&id);
                return Err(RequestError::Closed);
            }
            waiting.slots.insert(id.clone(), Arc::clone(&slot));
        }
        if !self.link.write(text) {
            connection.forget(&id);
            lock(&self.link.waiting).slots.remove(&id);
            return Err(RequestError::Closed);
        }
        Ok(ResponseFuture {
            link: Arc::clone(&self.link),
            id,
            waiting: true,
            slot,
            name: M::METHOD,
            method: PhantomData,
        })
    }

    /// Sends notification `N`. `Ok(false)` when the connection holds it
    /// back: the peer opted out of it, or it is experimental and the
    /// opt-in was not negotiated, or its capability was not. It is queued
    /// at once: the future is ready, and code that cannot wait (an abandon
    /// hook) takes its outcome with `into_inner()`.
    pub fn notify<N>(&self, params: N::Params) -> std::future::Ready<Result<bool, RequestError>>
    where
        N: Notification<Set = P::Notifications>,
    {
        std::future::ready(self.queue_notification::<N>(params))
    }

    fn queue_notification<N>(&self, params: N::Params) -> Result<bool, RequestError>
    where
        N: Notification<Set = P::Notifications>,
    {
        let connection = self.link.connection();
        match connection.notify::<N>(params) {
            Ok(Some(text)) => {
                if self.link.write(text) {
                    Ok(true)
                } else {
                    Err(RequestError::Closed)
                }
            }
            Ok(None) => Ok(false),
            Err(error) => Err(RequestError::Encode(error)),
        }
    }

    /// Cancels the incoming request `id` being answered: its context's
    /// [`Cancellation`] fires and its answer is not sent. False when no
    /// request of that id is in flight (answered already, or never seen).
    pub fn cancel_incoming(&self, id: &RequestId) -> bool {
        match lock(&self.link.in_flight).remove(id) {
            Some(cancellation) => {
                cancellation.cancel();
                true
            }
            None => false,
        }
    }

    /// What the connection's negotiation declared so far, read with `f`.
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection<P>) -> T) -> T {
        f(&self.link.connection())
    }
}

/// The response to a request [`PeerHandle::send`] wrote. Dropped before
/// the response came, it forgets the request and calls the abandon hook.
pub struct ResponseFuture<P: Endpoint, M> {
    link: Arc<Link<P>>,
    id: RequestId,
    /// False once the outcome came.
    waiting: bool,
    slot: Arc<Slot<Outcome<P>>>,
    name: &'static str,
    method: PhantomData<fn() -> M>,
}

impl<P: Endpoint, M> fmt::Debug for ResponseFuture<P, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("id", &self.id)
            .field("waiting", &self.waiting)
            .finish()
    }
}

impl<P: Endpoint, M: Request<Set = P::Requests>> ResponseFuture<P, M> {
    /// The id the request was sent with.
    pub fn id(&self) -> &RequestId {
        &self.id
    }
}

impl<P: Endpoint, M: Request<Set = P::Requests>> Future for ResponseFuture<P, M> {
    type Output = Result<M::Response, RequestError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let outcome = std::task::ready!(self.slot.poll(cx));
        self.waiting = false;
        Poll::Ready(outcome.map(|response| {
            M::unwrap_response(response)
                .expect("the connection decodes a response as its request's method")
        }))
    }
}

impl<P: Endpoint, M> Drop for ResponseFuture<P, M> {
    fn drop(&mut self) {
        if !self.waiting {
            return;
        }
        let answered = {
            let mut connection = self.link.connection();
            let forgotten = connection.forget(&self.id);
            lock(&self.link.waiting).slots.remove(&self.id);
            !forgotten
        };
        if answered {
            return;
        }
        if let Some(hook) = &self.link.abandoned {
            hook(
                &PeerHandle::new(Arc::clone(&self.link)),
                &self.id,
                self.name,
            );
        }
    }
}

/// A value handed from one task to another, once.
struct Slot<T> {
    state: Mutex<(Option<T>, Option<Waker>)>,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot {
            state: Mutex::new((None, None)),
        }
    }

    fn fill(&self, value: T) {
        let waker = {
            let mut state = lock(&self.state);
            state.0 = Some(value);
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn poll(&self, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = lock(&self.state);
        match state.0.take() {
            Some(value) => Poll::Ready(value),
            None => {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
