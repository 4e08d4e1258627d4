//! Define a JSON-RPC protocol once, in annotated Rust.
//!
//! - [`wire`] makes a struct or enum a wire type (serde, JSON Schema and
//!   TypeScript from one set of `#[serde]` attributes).
//! - [`protocol`] turns the method enums of a module into wire message enums,
//!   one marker type per method, typed response pairing and a [`Registry`].
//!
//! This crate holds what the expanded code needs at run time: the JSON-RPC
//! envelope, the registry types, decoding with JSON-RPC error codes, the
//! capability gate, and what the generated handler traits are given
//! ([`RequestContext`], [`PeerHandle`]). With the feature `runtime`,
//! [`runtime::Runtime`] serves a connection on tokio.

extern crate self as protocol_macros;

pub use protocol_macros_impl::{protocol, wire};

mod connection;
mod decode;
mod expand_support;
mod gate;
// What builds a context, a handle and the link under them is the runtime's.
#[cfg_attr(not(feature = "runtime"), allow(dead_code))]
mod handler;
pub mod jsonrpc;
mod lenient;
#[cfg_attr(not(feature = "runtime"), allow(dead_code))]
mod link;
mod members;
mod method;
mod optional_field;
pub mod peer_text;
mod registry;
#[cfg(feature = "runtime")]
pub mod runtime;
mod secret;
pub mod stability;
mod struct_only;
#[cfg(feature = "ts-export")]
mod ts;
mod wire_type;

pub use connection::{Connection, OutgoingRequest, Peer, ReceiveError, Received};
pub use decode::{
    decode_incoming, decode_incoming_str, decode_incoming_text, decode_notification,
    decode_request, DecodeError, Incoming, IncomingText,
};
pub use gate::{Capabilities, CapabilityError, EncodeError, ExperimentalRefusal, Granted};
pub use handler::{
    Answer, BoxFuture, Cancellation, Cancelled, Dispatch, Endpoint, NotificationContext,
    RequestContext,
};
pub use jsonrpc::{
    ErrorCode, JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification,
    JSONRPCRequest, JSONRPCResponse, RequestId,
};
pub use link::{AbandonHook, PeerHandle, RequestError, ResponseFuture};
pub use method::{
    MethodSet, Notification, NotificationSet, Request, RequestSet, ResponseError, ResponseSet,
};
pub use peer_text::JsonError;
pub use registry::{
    CapabilityLocation, CapabilityPath, Carrier, Dialect, Direction, Kind, MethodInfo,
    MethodSetInfo, Negotiation, Package, ProtocolSettings, Registry, Side, Stability, TsFiles,
    TypeInfo,
};
pub use secret::Secret;
pub use wire_type::{WireParams, WireType};

#[doc(hidden)]
pub mod __private {
    pub use crate::connection::{receive_info, result_of};
    pub use crate::expand_support::*;
    pub use crate::gate::{received, sendable};
    pub use crate::members::{
        check_member, has_member, CapabilityObject, Open, Walk, WireMember, WireMembers,
    };
    pub use crate::method::{decode_result, decode_result_text, not_a_method};
    pub use crate::wire_type::{WireParams, WireType};
    /// How a field marked `#[optional]` is read.
    pub mod optional {
        pub use crate::optional_field::{deserialize, required, Nullable};
    }
    pub use schemars;
    pub use serde;
    pub use serde_json;
    pub use ts_rs;
}
