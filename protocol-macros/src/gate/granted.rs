//! `Granted<M>`, the proof a gated message variant carries: bound to a
//! connection, or received.

use std::fmt;
use std::marker::PhantomData;

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
    pub(super) origin: Origin,
    pub(super) method: PhantomData<fn() -> M>,
}

/// Where a [`Granted`] came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
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
