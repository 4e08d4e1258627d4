//! `mcp-defs`' integration tests, one binary.

mod conformance;
mod generated;
mod official;
mod wire;
