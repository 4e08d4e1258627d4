//! What a handler of a protocol's messages is given, and how the runtime
//! reaches it.
//!
//! `#[protocol]` generates a handler trait per side (`ServerHandler`, what
//! the server does with each message the client sends; `ClientHandler`,
//! the other way), with one method per method that side receives, and
//! implements [`Dispatch`] for the side: the decoded message enum to the
//! right trait method, and its answer into the response enum. A runtime
//! (`runtime`, feature `runtime`) drives any side that implements it.
//!
//! Everything here is plain `std`: the generated traits name these types
//! in every build, with or without the runtime.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::connection::Peer;
use crate::jsonrpc::{ErrorCode, JSONRPCErrorError, RequestId};
use crate::link::PeerHandle;
use crate::method::RequestSet;

/// A side whose messages can cross threads: what a runtime serves. Every
/// side whose message types are `Send` is one.
pub trait Endpoint:
    Peer<
    Requests: Send + RequestSet<Response: Send>,
    Notifications: Send,
    PeerRequests: Send + RequestSet<Response: Send>,
    PeerNotifications: Send,
>
{
}

impl<P> Endpoint for P where
    P: Peer<
        Requests: Send + RequestSet<Response: Send>,
        Notifications: Send,
        PeerRequests: Send + RequestSet<Response: Send>,
        PeerNotifications: Send,
    >
{
}

/// A boxed future, as the dispatch hands it to the runtime.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// What a handler answers a request with: the response, in the side's
/// response enum, or the JSON-RPC error object.
pub type Answer<P> =
    BoxFuture<Result<<<P as Peer>::PeerRequests as RequestSet>::Response, JSONRPCErrorError>>;

/// From a decoded message to the handler's method for it. `#[protocol]`
/// implements it for each side, for every implementation of the side's
/// handler trait (`impl<H: ServerHandler> Dispatch<H> for ServerSide`).
pub trait Dispatch<H>: Endpoint + Sized {
    /// Runs `handler`'s method for `request`.
    fn request(
        handler: &Arc<H>,
        cx: RequestContext<Self>,
        request: Self::PeerRequests,
    ) -> Answer<Self>;

    /// Runs `handler`'s method for `notification`.
    fn notification(
        handler: &Arc<H>,
        cx: NotificationContext<Self>,
        notification: Self::PeerNotifications,
    ) -> BoxFuture<()>;
}

/// What a request handler is given besides the params: the request's id,
/// the signal that the request was cancelled, and the peer, to send it
/// requests and notifications on the same connection.
pub struct RequestContext<P: Endpoint> {
    id: RequestId,
    method: &'static str,
    cancellation: Cancellation,
    peer: PeerHandle<P>,
    after: Arc<Mutex<Vec<BoxFuture<()>>>>,
}

impl<P: Endpoint> Clone for RequestContext<P> {
    fn clone(&self) -> Self {
        RequestContext {
            id: self.id.clone(),
            method: self.method,
            cancellation: self.cancellation.clone(),
            peer: self.peer.clone(),
            after: Arc::clone(&self.after),
        }
    }
}

impl<P: Endpoint> fmt::Debug for RequestContext<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("id", &self.id)
            .field("method", &self.method)
            .field("cancelled", &self.cancellation.is_cancelled())
            .finish()
    }
}

impl<P: Endpoint> RequestContext<P> {
    pub(crate) fn new(
        id: RequestId,
        method: &'static str,
        cancellation: Cancellation,
        peer: PeerHandle<P>,
    ) -> Self {
        RequestContext {
            id,
            method,
            cancellation,
            peer,
            after: Arc::default(),
        }
    }

    /// What was asked to run once the answer is written, in order.
    pub(crate) fn take_after(&self) -> Vec<BoxFuture<()>> {
        std::mem::take(&mut *lock(&self.after))
    }

    /// The id of the request being answered.
    pub fn id(&self) -> &RequestId {
        &self.id
    }

    /// The wire name of the request's method.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// Fires when the request is cancelled ([`PeerHandle::cancel_incoming`])
    /// or the connection closes; a cancelled request's answer is not sent.
    pub fn cancellation(&self) -> &Cancellation {
        &self.cancellation
    }

    /// The peer that sent the request.
    pub fn peer(&self) -> &PeerHandle<P> {
        &self.peer
    }

    /// Runs `then` once the answer to this request is written (not at all
    /// when the request is cancelled): for what must follow the response
    /// on the wire, such as a notification of the change the request made.
    pub fn after_answer(&self, then: impl Future<Output = ()> + Send + 'static) {
        lock(&self.after).push(Box::pin(then));
    }

    /// The opt-in default of a handler method this side does not offer:
    /// -32601 Method not found, naming the method. A handler trait has no
    /// default bodies, so every method the protocol adds must be written
    /// in each implementation; one it does not offer says so in one line:
    ///
    /// ```ignore
    /// async fn list_tasks(&self, cx: RequestContext<ServerSide>, _: ListTasksParams)
    ///     -> Result<ListTasksResult, JSONRPCErrorError> {
    ///     cx.method_not_found()
    /// }
    /// ```
    pub fn method_not_found<T>(&self) -> Result<T, JSONRPCErrorError> {
        Err(JSONRPCErrorError::new(
            ErrorCode::MethodNotFound.code(),
            format!("`{}` is not offered by this peer", self.method),
        ))
    }
}

/// What a notification handler is given besides the params: the peer, to
/// send it requests and notifications on the same connection.
pub struct NotificationContext<P: Endpoint> {
    method: &'static str,
    peer: PeerHandle<P>,
}

impl<P: Endpoint> Clone for NotificationContext<P> {
    fn clone(&self) -> Self {
        NotificationContext {
            method: self.method,
            peer: self.peer.clone(),
        }
    }
}

impl<P: Endpoint> fmt::Debug for NotificationContext<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotificationContext")
            .field("method", &self.method)
            .finish()
    }
}

impl<P: Endpoint> NotificationContext<P> {
    pub(crate) fn new(method: &'static str, peer: PeerHandle<P>) -> Self {
        NotificationContext { method, peer }
    }

    /// The wire name of the notification's method.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The peer that sent the notification.
    pub fn peer(&self) -> &PeerHandle<P> {
        &self.peer
    }
}

/// The signal that an incoming request was cancelled: checked with
/// [`Cancellation::is_cancelled`], awaited with [`Cancellation::cancelled`].
#[derive(Clone, Default)]
pub struct Cancellation {
    inner: Arc<CancellationState>,
}

#[derive(Default)]
struct CancellationState {
    cancelled: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

impl fmt::Debug for Cancellation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancellation")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Cancellation {
    /// A signal that has not fired.
    pub fn new() -> Self {
        Cancellation::default()
    }

    /// Whether the signal fired.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Acquire)
    }

    /// Fires the signal: every [`Cancellation::cancelled`] completes.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Release);
        let wakers = std::mem::take(&mut *lock(&self.inner.wakers));
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Whether `other` is this same signal.
    pub(crate) fn same(&self, other: &Cancellation) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Completes once the signal fired.
    pub fn cancelled(&self) -> Cancelled<'_> {
        Cancelled { signal: self }
    }
}

/// The future of [`Cancellation::cancelled`].
#[derive(Debug)]
pub struct Cancelled<'a> {
    signal: &'a Cancellation,
}

impl Future for Cancelled<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.signal.is_cancelled() {
            return Poll::Ready(());
        }
        {
            let mut wakers = lock(&self.signal.inner.wakers);
            if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                wakers.push(cx.waker().clone());
            }
        }
        // Fired between the first look and the waker's registration.
        if self.signal.is_cancelled() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// A lock whose holder cannot leave its data half-changed: a panic while
/// holding it is recovered from.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
