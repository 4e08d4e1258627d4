//! `mcp-defs`' integration tests, one binary.

mod generated;
mod peers;
mod wire;
