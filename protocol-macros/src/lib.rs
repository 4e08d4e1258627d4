//! Define a JSON-RPC protocol once, in annotated Rust.
//!
//! - [`wire`] makes a struct or enum a wire type (serde, JSON Schema and
//!   TypeScript from one set of `#[serde]` attributes).
//! - [`protocol`] turns the method enums of a module into wire message enums,
//!   one marker type per method, typed response pairing and a [`Registry`].
//!
//! This crate holds what the expanded code needs at run time: the JSON-RPC
//! envelope, the registry types, decoding with JSON-RPC error codes and the
//! capability gate.

extern crate self as protocol_macros;

pub use protocol_macros_impl::{protocol, wire};

mod connection;
mod decode;
mod expand_support;
mod gate;
pub mod jsonrpc;
mod lenient;
mod method;
mod optional_field;
pub mod peer_text;
mod registry;
mod secret;
pub mod stability;
mod struct_only;
#[cfg(feature = "ts-export")]
mod ts;

pub use connection::{Connection, OutgoingRequest, Peer, ReceiveError, Received};
pub use decode::{
    decode_incoming, decode_incoming_str, decode_incoming_text, decode_notification,
    decode_request, DecodeError, Incoming, IncomingText,
};
pub use gate::{Capabilities, CapabilityError, EncodeError, ExperimentalRefusal, Granted};
pub use jsonrpc::{
    ErrorCode, JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification,
    JSONRPCRequest, JSONRPCResponse, RequestId,
};
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

#[doc(hidden)]
pub mod __private {
    pub use crate::connection::{receive_info, result_of};
    pub use crate::expand_support::*;
    pub use crate::gate::{received, sendable};
    pub use crate::method::{decode_result, decode_result_text, not_a_method};
    /// How a field marked `#[optional]` is read.
    pub mod optional {
        pub use crate::optional_field::{deserialize, required, Nullable};
    }
    pub use schemars;
    pub use serde;
    pub use serde_json;
    pub use ts_rs;
}
