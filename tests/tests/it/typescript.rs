//! The TypeScript bindings in real use, with the real tools (tests/ts-client):
//!
//! - a desktop client and type-level tests (`@ts-expect-error` lines) compile
//!   under `tsc --strict` with bundler and with nodenext module resolution;
//! - `generated/typescript/client.ts`, compiled to JavaScript, passes its
//!   `node --test` suite against a fake transport, and the desktop client
//!   talks to a fake server;
//! - every conformance example passes Ajv (strict, 2020-12) against the
//!   generated JSON Schema and compiles as its TypeScript type;
//! - `client.ts` rendered for a small protocol of another shape compiles, and
//!   `protocol-codegen/ts/client.ts` compiles where it lives;
//! - TypeScript and JSON Schema agree on every type (`agreement.mjs`).
//!
//! Node.js 20+ and npm are required: without them these tests fail, they
//! never skip. `npm ci` runs first whenever `node_modules` is missing or
//! older than `package-lock.json`.

use std::fs;
use std::path::Path;

#[allow(dead_code)]
use tests::node::{check, nodenext_tsconfig, ready, run, ts_client, tsc};

use protocol_codegen::{render, write_generated, Draft, Protocol};
use protocol_defs::methods::REGISTRY;
use serde_json::{json, Value};

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

/// `protocol-codegen/ts/client.ts` compiles where it lives, against the
/// protocol-independent `client-protocol.ts` beside it, under that folder's
/// tsconfig.json (the strict base settings, nodenext resolution).
#[test]
fn client_ts_compiles_where_it_lives() {
    ready();
    let dir = ts_client().join("../../protocol-codegen/ts");
    check(tsc(&dir, &["-p", "tsconfig.json"]));
}

#[test]
fn client_ts_passes_its_node_tests() {
    ready();
    let _build = crate::common::ts_client_build();
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
    if let Err(why) = tests::node::all_passed(&report) {
        panic!("{why}:\n{report}");
    }
}

/// The TypeScript and the JSON Schema of every type agree field by field
/// (see `agreement.mjs`, which reads the TypeScript with tsc's checker).
/// The TypeScript and the JSON Schema of every type agree field by field,
/// in both surfaces (see `agreement.mjs`, which reads the TypeScript with
/// tsc's checker).
#[test]
fn typescript_and_json_schema_agree_on_every_type() {
    ready();
    let dir = ts_client();
    for surface in ["../../generated", "../../generated/experimental"] {
        let report = check(run(&dir, "node", ["agreement.mjs", surface]));
        let count: usize = report
            .trim()
            .strip_prefix("TypeScript and JSON Schema agree on all ")
            .and_then(|rest| rest.strip_suffix(" types."))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected report: {report}"));
        let bundle: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(dir.join(surface).join("json/protocol.schema.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            count,
            bundle["$defs"].as_object().unwrap().len(),
            "every type of the bundle of {surface} is compared"
        );
    }
}

/// The experimental surface compiles on its own under the strict settings,
/// with `moduleResolution: bundler` and with `module: nodenext`.
#[test]
fn the_experimental_surface_compiles_with_bundler_and_nodenext() {
    ready();
    let dir = ts_client().join("build/experimental-surface");
    fs::create_dir_all(&dir).unwrap();
    for config in ["bundler", "nodenext"] {
        let tsconfig = json!({
            "extends": format!("../../tsconfig.{config}.json"),
            "include": ["../../../../generated/experimental/typescript/**/*.ts"],
        });
        let name = format!("tsconfig.{config}.json");
        fs::write(dir.join(&name), tsconfig.to_string()).unwrap();
        check(tsc(&dir, &["-p", &name]));
    }
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

/// `calc` has no client notifications: the role it lacks is an empty map,
/// and client.ts still compiles.
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
  // `echo` is a request of both peers: the client sends it and answers it.
  const { text } = await client.request("echo", { text: "hi" });
  client.onRequest("echo", (params) => ({ text: params.text + text }));
  // @ts-expect-error: `math/add` is not a server request.
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

/// `calc`'s output, written afresh into `dir`.
fn render_calc_into(dir: &Path) -> protocol_codegen::Generated {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    }
    let generated = render(
        Protocol::new(&calc::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    write_generated(&generated, dir).unwrap_or_else(|err| panic!("{err}"));
    generated
}

#[test]
fn client_ts_of_another_protocol_compiles() {
    ready();
    let dir = ts_client().join("build/calc");
    let generated = render_calc_into(&dir);
    let roles = generated
        .get("typescript/client-protocol.ts")
        .expect("client-protocol.ts");
    assert!(
        roles.contains("export type ClientNotifications = Record<never, never>;"),
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

/// `client.ts` rendered for `calc`, standard JSON-RPC 2.0 with a
/// negotiation and capabilities of both sides, compiled to JavaScript,
/// passes `test/calc-client.test.mjs` against a fake transport: the
/// `jsonrpc` member on every message, methods gated on capabilities the
/// negotiation did not declare refused, `echo` both ways.
#[test]
fn calc_client_ts_passes_its_node_tests() {
    ready();
    let dir = ts_client().join("build/calc-client");
    render_calc_into(&dir);
    let tsconfig = json!({
        "extends": "../../tsconfig.nodenext.json",
        "compilerOptions": {
            "noEmit": false,
            "rootDir": ".",
            "outDir": "out",
            "declaration": false,
            "sourceMap": false,
        },
        "include": ["typescript/**/*.ts"],
    });
    fs::write(dir.join("tsconfig.json"), tsconfig.to_string()).unwrap();
    check(tsc(&dir, &["-p", "tsconfig.json"]));
    let report = check(run(
        &ts_client(),
        "node",
        ["--test", "test/calc-client.test.mjs"],
    ));
    if let Err(why) = tests::node::all_passed(&report) {
        panic!("{why}:\n{report}");
    }
}

/// A file compiled under the strict nodenext settings against a copy of
/// `generated/typescript/`; tsc's output, success or not.
fn compile_against_generated(source: &str) -> Result<String, String> {
    ready();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    tests::files::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/typescript"),
        &dir.join("generated"),
    );
    fs::write(dir.join("use.ts"), source).unwrap();
    tsc(dir, &["-p", &nodenext_tsconfig(dir, "use.ts")])
}

/// The `error TS…` lines of tsc's output.
fn errors(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|line| line.contains("error TS"))
        .collect()
}

#[test]
fn a_misspelled_method_is_one_error_naming_the_method_type() {
    let output = compile_against_generated(
        "import { Client } from \"./generated/index.js\";\n\
         declare const client: Client;\n\
         export async function use() {\n\
           const status = await client.request(\"getAuthStatu\", { includeToken: true, refreshToken: false });\n\
           client.notify(\"initialise\");\n\
           client.onRequest(\"applyPatchApprova\", (params) => ({ decision: params.callId }));\n\
           client.onNotification(\"authStatusChanged\", (params) => { void params.authMethod; });\n\
           return status.authMethod;\n\
         }\n",
    )
    .expect_err("tsc accepts misspelled methods");
    let errors = errors(&output);
    // A map of one method is that method's name: TypeScript shows the
    // literal rather than the alias (codex's stable surface has one
    // notification each way).
    let expected = [
        ("getAuthStatu", "ClientRequestMethod"),
        ("initialise", "\"initialized\""),
        ("applyPatchApprova", "ServerRequestMethod"),
        ("authStatusChanged", "\"authStatusChange\""),
    ];
    assert_eq!(errors.len(), expected.len(), "{output}");
    for (line, (method, ty)) in errors.iter().zip(expected) {
        assert!(
            line.contains(&format!(
                "error TS2345: Argument of type '\"{method}\"' is not assignable to parameter of type '{ty}'."
            )),
            "{line}"
        );
    }

    // Spelled right, the same calls are typed by the method.
    check(compile_against_generated(
        "import { Client } from \"./generated/index.js\";\n\
         declare const client: Client;\n\
         export async function use(): Promise<string | null> {\n\
           const status = await client.request(\"getAuthStatus\", { includeToken: true, refreshToken: false });\n\
           client.notify(\"initialized\");\n\
           client.onRequest(\"applyPatchApproval\", (params) => { void params.callId; return { decision: \"approved\" as const }; });\n\
           client.onNotification(\"authStatusChange\", (params) => { void params.authMethod; });\n\
           return status.authMethod;\n\
         }\n",
    ));
}

#[test]
fn map_values_are_never_undefined() {
    // `Object.values` of a map is its value type, as JSON has it.
    let source = "import type { ApplyPatchApprovalParams, FileChange } from \"./generated/index.js\";\n\
                  export const changes = (params: ApplyPatchApprovalParams): FileChange[] => Object.values(params.fileChanges);\n";
    check(compile_against_generated(source));
    // The same use of an optional-valued map is refused: the check can fail.
    let optional = "type Map = { [key in string]?: number };\n\
                    export const values = (map: Map): number[] => Object.values(map);\n";
    let output = compile_against_generated(optional).expect_err("tsc accepts undefined values");
    assert_eq!(errors(&output).len(), 1, "{output}");
}
