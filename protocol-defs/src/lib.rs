//! The codex app-server protocol: the v1 methods and the desktop attestation
//! request, described once with `protocol-macros`.
//!
//! This crate is the only place the protocol is described; the schema, the
//! TypeScript bindings and every runtime check are derived from it.

// Doc comments are the wire descriptions codex publishes, kept verbatim;
// their `[codex_protocol::…]` references name codex's own crates.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod common;
mod protocol;
pub mod v1;

pub use protocol::methods;
pub use protocol::methods::*;
pub use protocol_macros::{
    JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest,
    JSONRPCResponse, RequestId,
};

/// The protocol's name, as its generated documents give it.
pub const TITLE: &str = "codex app-server protocol";
/// The protocol's version, as its generated documents give it: this crate's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
