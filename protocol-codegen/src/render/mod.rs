//! The renderers. Each reads the model and nothing else: no renderer reads
//! another renderer's output.

pub mod client;
pub mod json_schema;
pub mod meta;
pub mod openrpc;
pub mod typescript;
