//! The Model Context Protocol, version 2025-11-25, described once with
//! `protocol-macros`: every type its methods reach, named as the official
//! schema's `$defs`, and the methods of both peers.
//!
//! The official definitions that have no Rust type of that name are in
//! [`NOT_TYPES`], each with the reason.

pub mod base;
pub mod completion;
pub mod content;
pub mod elicitation;
pub mod lifecycle;
pub mod logging;
pub mod notifications;
pub mod prompts;
mod protocol;
pub mod resources;
pub mod roots;
pub mod sampling;
pub mod tasks;
pub mod tools;

pub use base::*;
pub use completion::*;
pub use content::*;
pub use elicitation::*;
pub use lifecycle::*;
pub use logging::*;
pub use notifications::*;
pub use prompts::*;
pub use protocol::methods;
pub use protocol::methods::*;
pub use protocol_macros::{
    JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest,
    JSONRPCResponse,
};
pub use resources::*;
pub use roots::*;
pub use sampling::*;
pub use tasks::*;
pub use tools::*;

/// The protocol's name, as its generated documents give it.
pub const TITLE: &str = "Model Context Protocol";
/// The protocol's version, as its generated documents give it.
pub const VERSION: &str = "2025-11-25";

/// Every `$defs` name of the official schema with no Rust type of that
/// name, and why.
pub const NOT_TYPES: &[(&str, &str)] = &[];
