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
    let _build = crate::common::ts_client_build();
    let dir = ts_client();
    check(tsc(&dir, &["-p", "tsconfig.build.json"]));
    let env = [("EXAMPLE_APP_SERVER", OsStr::new(SERVER))];
    let report = check(run_with_env(
        &dir,
        "node",
        ["--test", "test/server.test.mjs"],
        &env,
    ));
    // Every test of the file ran and passed: as many as it declares.
    let declared = std::fs::read_to_string(dir.join("test/server.test.mjs"))
        .unwrap()
        .lines()
        .filter(|line| {
            line.trim_start().starts_with("test(") || line.trim_start().starts_with("it(")
        })
        .count();
    match tests::node::all_passed(&report) {
        Ok(ran) => assert_eq!(ran, declared, "{report}"),
        Err(why) => panic!("{why}:\n{report}"),
    }
}

/// The example server logs what a client calls itself escaped: a terminal
/// escape in `clientInfo.name` does not reach its stderr.
#[test]
fn the_example_server_logs_peer_strings_escaped() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let mut child = Command::new(SERVER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example server starts");
    let initialize = serde_json::json!({
        "method": "initialize",
        "id": 0,
        "params": { "clientInfo": { "name": "evil\u{1b}[31m\u{7}", "version": "1\u{1b}]0;t\u{7}" } },
    });
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{initialize}").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8(output.stderr).unwrap();
    assert!(log.contains("client evil"), "{log}");
    assert!(!log.contains('\u{1b}') && !log.contains('\u{7}'), "{log:?}");
    assert!(log.contains("evil\\u{1b}[31m"), "{log}");
}
