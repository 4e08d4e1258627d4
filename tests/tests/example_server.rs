//! The generated TypeScript client against a real peer: node's test runner
//! runs `tests/ts-client/test/server.test.mjs`, which spawns the example app
//! server (`src/bin/example-app-server.rs`) and drives it over stdin and
//! stdout with `generated/typescript/client.ts`.
//!
//! Like the other TypeScript tests, this needs Node.js 20+ and npm, and runs
//! `npm ci` first when `node_modules` is missing or older than the lockfile.

use std::ffi::OsStr;

use tests::node::{check, ready, run_with_env, ts_client, tsc};

const SERVER: &str = env!("CARGO_BIN_EXE_example-app-server");

#[test]
fn generated_client_talks_to_the_example_server() {
    ready();
    let dir = ts_client();
    check(tsc(&dir, &["-p", "tsconfig.build.json"]));
    let env = [("EXAMPLE_APP_SERVER", OsStr::new(SERVER))];
    let report = check(run_with_env(
        &dir,
        "node",
        ["--test", "test/server.test.mjs"],
        &env,
    ));
    assert!(
        report.contains("# pass 6") && report.contains("# fail 0"),
        "{report}"
    );
}
