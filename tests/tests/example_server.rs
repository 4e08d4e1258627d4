//! The generated TypeScript client against a real peer: node's test runner
//! runs `tests/ts-client/test/server.test.mjs`, which spawns the example app
//! server (`src/bin/example-app-server.rs`) and drives it over stdin and
//! stdout with `generated/typescript/client.ts`.
//!
//! Like the other TypeScript tests, this needs Node.js 20+ and npm, and runs
//! `npm ci` first when `node_modules` is missing or older than the lockfile.

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

const SERVER: &str = env!("CARGO_BIN_EXE_example-app-server");

fn ts_client() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ts-client")
}

fn npm_program() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

/// Runs `program args…` in `dir` and returns its stdout; panics with
/// everything it printed if it fails.
fn run<I, S>(dir: &Path, program: &str, args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let shown = format!("{program} {}", shown.join(" "));
    let output = Command::new(program)
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("EXAMPLE_APP_SERVER", SERVER)
        .output()
        .unwrap_or_else(|err| {
            if err.kind() == ErrorKind::NotFound {
                panic!(
                    "`{program}` was not found on PATH. The TypeScript tests (tests/ts-client) \
                     need Node.js 20 or later and npm: install them and run the tests again. \
                     ({err})"
                )
            }
            panic!("cannot run `{shown}`: {err}")
        });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`{shown}` in {} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// `npm ci` when `node_modules` is missing or older than the lockfile.
fn install(dir: &Path) {
    let version = run(dir, "node", ["--version"]);
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the version `node --version` printed: {version}"));
    assert!(
        major >= 20,
        "the TypeScript tests need Node.js 20 or later; `node --version` is {}",
        version.trim()
    );
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    let lockfile = modified(&dir.join("package-lock.json"))
        .expect("tests/ts-client/package-lock.json is missing");
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_none_or(|installed| installed < lockfile) {
        run(dir, npm_program(), ["ci", "--no-audit", "--no-fund"]);
    }
}

#[test]
fn generated_client_talks_to_the_example_server() {
    let dir = ts_client();
    install(&dir);
    let tsc = dir.join("node_modules/typescript/bin/tsc");
    run(
        &dir,
        "node",
        [
            tsc.as_os_str(),
            OsStr::new("--pretty"),
            OsStr::new("false"),
            OsStr::new("-p"),
            OsStr::new("tsconfig.build.json"),
        ],
    );
    let report = run(&dir, "node", ["--test", "test/server.test.mjs"]);
    assert!(
        report.contains("# pass 6") && report.contains("# fail 0"),
        "{report}"
    );
}
