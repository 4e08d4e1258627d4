//! The TypeScript bindings in real use, with the real tools (tests/ts-client):
//!
//! - a desktop client and type-level tests (`@ts-expect-error` lines) compile
//!   under `tsc --strict` with bundler and with nodenext module resolution;
//! - `generated/typescript/client.ts`, compiled to JavaScript, passes its
//!   `node --test` suite against a fake transport, and the desktop client
//!   talks to a fake server;
//! - every conformance example passes Ajv (strict, 2020-12) against the
//!   generated JSON Schema and compiles as its TypeScript type;
//! - `client.ts` rendered for a small protocol of another shape compiles.
//!
//! Node.js 20+ and npm are required: without them these tests fail, they
//! never skip. `npm ci` runs first whenever `node_modules` is missing or
//! older than `package-lock.json`.

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use protocol_codegen::{render, write_generated, Draft, Protocol};
use protocol_defs::methods::REGISTRY;
use serde_json::{json, Value};

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

/// Runs `program args…` in `dir` and returns its stdout, or a message with
/// everything it printed.
fn run<I, S>(dir: &Path, program: &str, args: I) -> Result<String, String>
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
        .output()
        .map_err(|err| {
            if err.kind() == ErrorKind::NotFound {
                format!(
                    "`{program}` was not found on PATH. The TypeScript tests (tests/ts-client) \
                     need Node.js 20 or later and npm: install them and run the tests again. \
                     ({err})"
                )
            } else {
                format!("cannot run `{shown}`: {err}")
            }
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "`{shown}` in {} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Checks node and npm, and runs `npm ci` if `node_modules` is missing or
/// older than the lockfile. Once per test binary.
fn ready() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(err) = READY.get_or_init(prepare) {
        panic!("{err}");
    }
}

fn prepare() -> Result<(), String> {
    let dir = ts_client();
    let version = run(&dir, "node", ["--version"])?;
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .ok_or_else(|| format!("cannot read the version `node --version` printed: {version}"))?;
    if major < 20 {
        return Err(format!(
            "the TypeScript tests need Node.js 20 or later; `node --version` is {}",
            version.trim()
        ));
    }
    run(&dir, npm_program(), ["--version"])?;

    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    let lockfile = modified(&dir.join("package-lock.json"))
        .ok_or("tests/ts-client/package-lock.json is missing")?;
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_none_or(|installed| installed < lockfile) {
        run(&dir, npm_program(), ["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

/// `tsc` from tests/ts-client's node_modules, with `args`, in `dir`.
fn tsc(dir: &Path, args: &[&str]) -> Result<String, String> {
    let tsc = ts_client().join("node_modules/typescript/bin/tsc");
    let mut all = vec![tsc.into_os_string()];
    all.extend(["--pretty", "false"].iter().chain(args).map(Into::into));
    run(dir, "node", all)
}

fn check(result: Result<String, String>) -> String {
    result.unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn client_compiles_with_bundler_resolution() {
    ready();
    check(tsc(&ts_client(), &["-p", "tsconfig.bundler.json"]));
}

#[test]
fn client_compiles_with_nodenext_resolution() {
    ready();
    check(tsc(&ts_client(), &["-p", "tsconfig.nodenext.json"]));
}

#[test]
fn client_ts_passes_its_node_tests() {
    ready();
    let dir = ts_client();
    let out = dir.join("build/client");
    if out.exists() {
        fs::remove_dir_all(&out).unwrap_or_else(|err| panic!("{}: {err}", out.display()));
    }
    check(tsc(&dir, &["-p", "tsconfig.build.json"]));
    let report = check(run(
        &dir,
        "node",
        ["--test", "test/client.test.mjs", "test/app.test.mjs"],
    ));
    assert!(
        report.contains("# fail 0") && !report.contains("# pass 0"),
        "{report}"
    );
}

/// The TypeScript and the JSON Schema of every type agree field by field
/// (see `agreement.mjs`, which reads the TypeScript with tsc's checker).
#[test]
fn typescript_and_json_schema_agree_on_every_type() {
    ready();
    let dir = ts_client();
    let report = check(run(&dir, "node", ["agreement.mjs", "../../generated"]));
    let count: usize = report
        .trim()
        .strip_prefix("TypeScript and JSON Schema agree on all ")
        .and_then(|rest| rest.strip_suffix(" types."))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected report: {report}"));
    let bundle: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.join("../../generated/json/protocol.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        count,
        bundle["$defs"].as_object().unwrap().len(),
        "every type of the bundle is compared"
    );
}

#[test]
fn conformance_examples_pass_ajv_and_tsc() {
    ready();
    let dir = ts_client();
    let report = check(run(&dir, "node", ["conformance.mjs"]));
    assert!(report.starts_with("conformance: "), "{report}");

    // What the script read from generated/ is what the registry says.
    let path = dir.join("build/conformance/methods.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let mut read: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut expected: Vec<Value> = REGISTRY
        .sets
        .iter()
        .flat_map(|set| {
            set.methods.iter().map(|method| {
                json!({
                    "name": method.name,
                    "union": set.name,
                    "kind": method.kind.as_str(),
                    "params": method.params.map(|ty| (ty.schema_name)()),
                    "response": method.response.map(|ty| (ty.schema_name)()),
                })
            })
        })
        .collect();
    let by_name = |v: &Value| v["name"].as_str().unwrap_or_default().to_owned();
    read.sort_by_key(by_name);
    expected.sort_by_key(by_name);
    assert_eq!(read, expected);
}

/// `calc` has client requests and server notifications only: the roles it
/// lacks are empty maps, and client.ts still compiles.
use tests::calc;

const CALC_USAGE: &str = r#"import { Client, JsonRpcError, type Transport } from "./typescript/index.js";

declare const transport: Transport;
const client = new Client(transport);

export async function use(): Promise<number> {
  const { sum } = await client.request("math/add", { leftOperand: 1, rightOperand: 2 });
  await client.request("shutdown");
  client.onNotification("progress", (params) => void params.percent);
  client.onNotification("$/ping", (params) => void params);
  client.onNotification("math/bigProgress", (params) => void params.percent);
  // @ts-expect-error: the protocol has no server requests.
  client.onRequest("math/add", () => ({ sum: 1 }));
  // @ts-expect-error: nor client notifications.
  client.notify("progress", { percent: 1 });
  // @ts-expect-error: a missing field.
  await client.request("math/add", { leftOperand: 1 });
  // @ts-expect-error: params for a method without.
  await client.request("shutdown", { now: true });
  return sum + new JsonRpcError({ code: -32000, message: "m" }).code;
}
"#;

#[test]
fn client_ts_of_another_protocol_compiles() {
    ready();
    let dir = ts_client().join("build/calc");
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    }
    let generated = render(
        Protocol::new(&calc::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    write_generated(&generated, &dir).unwrap_or_else(|err| panic!("{err}"));
    let roles = generated
        .get("typescript/client-protocol.ts")
        .expect("client-protocol.ts");
    assert!(
        roles.contains("export type ServerRequests = Record<never, never>;"),
        "{roles}"
    );
    fs::write(dir.join("usage.ts"), CALC_USAGE).unwrap();
    for config in ["bundler", "nodenext"] {
        let tsconfig = json!({
            "extends": format!("../../tsconfig.{config}.json"),
            "include": ["usage.ts", "typescript/**/*.ts"],
        });
        let name = format!("tsconfig.{config}.json");
        fs::write(dir.join(&name), tsconfig.to_string()).unwrap();
        check(tsc(&dir, &["-p", &name]));
    }
}
