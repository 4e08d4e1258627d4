//! `mcp-defs`' integration tests, one binary.

mod conformance;
mod example_server;
mod generated;
mod official;
mod peers;
mod wire;
