//! `mcp-codegen`: the Model Context Protocol's generator. It renders
//! `mcp-defs` into `mcp/generated/` at the root of the workspace it runs
//! in, or checks that folder (`--out` writes elsewhere), and validates
//! transcripts of its messages.

use std::path::Path;
use std::process::ExitCode;

use protocol_codegen::Protocol;

/// Rendering builds and drops many small values (schemas, strings):
/// mimalloc serves them with about a quarter fewer instructions than the
/// system allocator (BENCHMARKS.md, write-schema).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The command that regenerates `mcp/generated/`, named in every file.
const COMMAND: &str = "cargo run -p mcp-codegen -- write-schema";

fn main() -> ExitCode {
    // The conformance examples, beside the protocol's definition.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mcp-defs/conformance");
    let protocol = Protocol::of::<mcp_defs::ServerSide>(COMMAND)
        .with_info(mcp_defs::TITLE, mcp_defs::VERSION)
        .with_examples(&examples);
    // `mcp/generated/` at the root of the workspace it runs in.
    protocol_codegen::cli::main_in_workspace(protocol, "mcp/generated")
}
