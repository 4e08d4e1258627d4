//! `mcp-defs`' integration tests, one binary.

mod example_server;
mod generated;
mod peers;
mod wire;
