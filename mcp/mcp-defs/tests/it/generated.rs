//! `mcp/generated/` in lockstep with the protocol.

use std::path::{Path, PathBuf};

use protocol_codegen::{check_generated, render, write_generated, Draft, Protocol};

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
    let generated = render(protocol, Draft::default()).unwrap_or_else(|err| panic!("{err}"));
    let out = generated_dir();
    let drift = check_generated(&generated, &out).unwrap_or_else(|err| panic!("{err}"));
    if drift.is_empty() {
        return;
    }
    let report = drift.report(&out, COMMAND);
    if std::env::var_os("CI").is_some() {
        panic!("{report}");
    }
    write_generated(&generated, &out).unwrap_or_else(|err| panic!("{report}\n{err}"));
    panic!("{report}\n(CI is not set, so the files were updated: re-run the tests.)");
}
