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

mod capabilities;
mod error;
mod granted;
mod sending;

pub(crate) use self::capabilities::params_of;
pub use self::capabilities::Capabilities;
pub use self::error::{CapabilityError, EncodeError, ExperimentalRefusal};
pub(crate) use self::granted::bound;
pub use self::granted::{received, Granted};
pub(crate) use self::sending::encoding_as;
pub use self::sending::sendable;
