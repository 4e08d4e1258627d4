//! This workspace's wiring: the protocol of `protocol_defs` and the
//! `generated/` folder at the workspace root.

use std::path::{Path, PathBuf};

use crate::Protocol;

/// The protocol `cargo run -p codegen-cli` renders.
pub fn protocol() -> Protocol<'static> {
    Protocol::new(&protocol_defs::methods::REGISTRY)
}

/// `generated/` at the workspace root, whatever the current directory.
pub fn default_out_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen-cli sits inside the workspace")
        .join("generated")
}
