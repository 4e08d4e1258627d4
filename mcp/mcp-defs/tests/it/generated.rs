//! `mcp/generated/` in lockstep with the protocol.

use std::path::{Path, PathBuf};

use protocol_codegen::Protocol;

/// What `mcp-codegen` names in every file of `mcp/generated/`.
const COMMAND: &str = "cargo run -p mcp-codegen -- write-schema";

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated")
}

/// A stale `mcp/generated/` fails the test, listing the files and the
/// command that fixes them. Outside CI the test also rewrites the files,
/// so re-running it passes; under CI it never writes.
#[test]
fn generated_folder_is_up_to_date() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let protocol = Protocol::of::<mcp_defs::ServerSide>(COMMAND)
        .with_info(mcp_defs::TITLE, mcp_defs::VERSION)
        .with_examples(&examples);
    protocol_codegen::assert_generated_in_sync(protocol, generated_dir());
}
