//! Node.js from the tests of this package: `tests/ts-client`'s npm
//! packages, through [`node_harness`].

use std::fs;
use std::path::{Path, PathBuf};

pub use node_harness::{all_passed, check, npm_program, run, run_with_env};

/// `tests/ts-client`: the TypeScript client tests' npm package.
pub fn ts_client() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ts-client")
}

/// Node, npm and `tests/ts-client`'s packages, installed if needed.
pub fn ready() {
    node_harness::ready(&ts_client());
}

/// `tsc` from `tests/ts-client`'s node_modules, with `args`, in `dir`.
pub fn tsc(dir: &Path, args: &[&str]) -> Result<String, String> {
    node_harness::tsc(&ts_client(), dir, args)
}

/// A tsconfig in `dir` that compiles `file` (and what it imports) under
/// `tests/ts-client`'s strict settings with nodenext resolution, unused
/// locals allowed; returns its name, for `tsc -p`.
pub fn nodenext_tsconfig(dir: &Path, file: &str) -> String {
    let base = ts_client().join("tsconfig.nodenext.json");
    let tsconfig = serde_json::json!({
        "extends": base.to_str().expect("a UTF-8 path"),
        "compilerOptions": { "noUnusedLocals": false },
        "include": [file],
    });
    let name = format!("tsconfig.{}.json", file.trim_end_matches(".ts"));
    fs::write(dir.join(&name), tsconfig.to_string()).expect("the tsconfig is written");
    name
}
