//! The drift test of a protocol's own `cargo test`, as rust-analyzer's
//! `ensure_file_contents`: a stale output folder fails the test with the
//! report `check` prints, and outside CI the folder is rewritten first, so
//! that the next run passes.

use std::path::Path;

use crate::{check_generated, recorded_draft, render, write_generated, Protocol};

/// Fails (panics) when `out_dir` is not what `protocol` renders, with the
/// report `check` prints: every stale, missing, extra or foreign file, the
/// diffs, and the command that fixes it. Outside CI (the `CI` environment
/// variable unset) it first rewrites the folder as `write-schema` does, so
/// that running the tests again passes; with `CI` set it never writes.
/// The folder is compared in the JSON Schema draft it was written in.
///
/// ```no_run
/// #[test]
/// fn generated_is_up_to_date() {
///     # let registry: &protocol_codegen::Registry = todo!();
///     let protocol = protocol_codegen::Protocol::new(registry, "cargo run -p notes-codegen -- write-schema");
///     protocol_codegen::assert_generated_in_sync(protocol, concat!(env!("CARGO_MANIFEST_DIR"), "/../generated"));
/// }
/// ```
#[track_caller]
pub fn assert_generated_in_sync(protocol: Protocol<'_>, out_dir: impl AsRef<Path>) {
    let rewrite = std::env::var_os("CI").is_none();
    if let Err(report) = ensure_generated(protocol, out_dir.as_ref(), rewrite) {
        panic!("{report}");
    }
}

/// [`assert_generated_in_sync`] without the environment: `Err` with the
/// report when `out_dir` is not what `protocol` renders (or cannot be read
/// or rendered), after rewriting the folder if `rewrite`.
pub fn ensure_generated(
    protocol: Protocol<'_>,
    out_dir: &Path,
    rewrite: bool,
) -> Result<(), String> {
    let draft = recorded_draft(out_dir, protocol.command)
        .map_err(|err| err.to_string())?
        .unwrap_or_default();
    let generated = render(protocol, draft).map_err(|err| err.to_string())?;
    let drift = check_generated(&generated, out_dir).map_err(|err| err.to_string())?;
    if drift.is_empty() {
        return Ok(());
    }
    // Named as the folder it is (`…/notes/generated`, not
    // `…/notes-codegen/../generated`), when it exists.
    let shown = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let report = drift.report(&shown, protocol.command);
    if !rewrite {
        return Err(report);
    }
    match write_generated(&generated, out_dir) {
        Ok(_) => Err(format!(
            "{report}\n(CI is not set, so the files were updated: run the tests again.)"
        )),
        Err(err) => Err(format!("{report}\nThey could not be updated: {err}")),
    }
}
