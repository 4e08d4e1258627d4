//! `typescript/client.ts`, `typescript/package.json` and the client's
//! exports from `index.ts`, rendered for small protocols of their own.
//! `client.ts` is `protocol-codegen/ts/client.ts` as it is; what it is typed
//! by comes from `client-protocol.ts`. That
//! the output compiles under tsc is checked by `tests/tests/it/typescript.rs`.

use protocol_codegen::{is_owned, render, typescript_header, Draft, Generated, Protocol};

use tests::calc;

/// A protocol whose own type is called `Transport`, like the client's.
mod clash {
    #[protocol_macros::wire]
    pub struct Transport {
        pub kind: String,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        #[server_notifications]
        pub enum Events {
            #[method("transport")]
            Changed(super::Transport),
        }
    }
}

fn calc() -> Generated {
    render(
        Protocol::new(&calc::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"))
}

fn client(generated: &Generated) -> &str {
    generated
        .get("typescript/client.ts")
        .expect("typescript/client.ts is rendered")
}

const SOURCE: &str = include_str!("../../../protocol-codegen/ts/client.ts");

#[test]
fn client_ts_is_its_source_file_and_knows_no_method() {
    let generated = calc();
    let client = client(&generated);
    let header = typescript_header(calc::COMMAND);
    assert_eq!(client, format!("{header}\n{SOURCE}"));
    assert!(is_owned("typescript/client.ts", client, calc::COMMAND));
    assert!(client.ends_with('\n') && !client.ends_with("\n\n") && !client.contains('\r'));
    for name in [
        "codex",
        "Codex",
        "initialize",
        "attestation",
        "ClientRequestMap",
        "ServerRequestMap",
        "math/add",
        "progress\"",
    ] {
        assert!(
            !client.contains(name),
            "client.ts mentions `{name}`:\n{client}"
        );
    }
    for export in [
        "export interface Transport {",
        "export class JsonRpcError extends Error {",
        "export class Client {",
    ] {
        assert!(client.contains(export), "{export}\n{client}");
    }
    // No dependency: the one import is of types from this folder.
    assert!(client.contains("} from \"./client-protocol.js\";\n"));
    assert_eq!(client.matches(" from \"").count(), 1, "{client}");
}

#[test]
fn roles_are_bound_to_the_registry_sets_or_to_empty_maps() {
    let generated = calc();
    let roles = generated.get("typescript/client-protocol.ts").unwrap();
    assert!(is_owned(
        "typescript/client-protocol.ts",
        roles,
        calc::COMMAND
    ));
    for line in [
        "export type { CalcRequestMap as ClientRequests } from \"./CalcRequestMap.js\";",
        "export type { CalcNotificationMap as ServerNotifications } from \"./CalcNotificationMap.js\";",
        "export type { JSONRPCErrorError } from \"./JSONRPCErrorError.js\";",
        "export type { RequestId } from \"./RequestId.js\";",
        "export type { CalcServerRequestMap as ServerRequests } from \"./CalcServerRequestMap.js\";",
        "export type ClientNotifications = Record<never, never>;",
    ] {
        assert!(roles.lines().any(|l| l == line), "missing `{line}`:\n{roles}");
    }
    assert!(!roles.contains("ClientRequests ="), "{roles}");
}

/// The constant `protocolSettings` of `client-protocol.ts`, as JSON.
fn protocol_settings(roles: &str) -> serde_json::Value {
    let (_, value) = roles
        .split_once("export const protocolSettings = ")
        .unwrap_or_else(|| panic!("no protocolSettings:\n{roles}"));
    let value = value
        .strip_suffix(" as const;\n")
        .unwrap_or_else(|| panic!("protocolSettings ends the file:\n{roles}"));
    serde_json::from_str(value).unwrap_or_else(|err| panic!("{err}:\n{value}"))
}

/// What `client.ts` needs at run time is rendered from the model: calc's
/// dialect, its negotiation and the gate of each method the client sends.
#[test]
fn the_runtime_settings_are_those_of_the_protocol() {
    let generated = calc();
    let roles = generated.get("typescript/client-protocol.ts").unwrap();
    assert_eq!(
        protocol_settings(roles),
        serde_json::json!({
            "jsonrpc": "2.0",
            "negotiation": {
                "method": "session/open",
                "client": { "member": "params", "path": ["capabilities"] },
                "server": { "member": "result", "path": ["capabilities"] },
            },
            "gates": {
                "requests": {
                    "math/mul": { "side": "client", "path": ["bigNumbers"] },
                    "math/pow": { "side": "server", "path": ["math", "pow"] },
                },
                // `math/bigProgress` is the server's to send.
                "notifications": {},
            },
        })
    );
}

#[test]
fn the_client_code_is_the_same_for_every_protocol() {
    const CODEX: &str = "cargo run -p codegen-cli -- write-schema";
    let codex = render(
        Protocol::new(&protocol_defs::methods::REGISTRY, CODEX),
        Draft::default(),
    )
    .unwrap();
    assert_eq!(
        client(&codex),
        format!("{}\n{SOURCE}", typescript_header(CODEX))
    );
    let roles = codex.get("typescript/client-protocol.ts").unwrap();
    assert!(roles.contains(
        "export type { ServerRequestMap as ServerRequests } from \"./ServerRequestMap.js\";"
    ));
    assert!(!roles.contains("Record<never, never>"), "{roles}");
}

/// The `jsonrpc` member is the settings' to decide: codex's client writes
/// none, and the JSON-RPC error codes are the standard ones.
#[test]
fn wire_format_and_error_codes_follow_the_settings() {
    let generated = calc();
    let client = client(&generated);
    assert!(client.contains(
        "JSON.stringify(SETTINGS.jsonrpc === null ? message : { jsonrpc: SETTINGS.jsonrpc, ...message })"
    ));
    assert!(client.contains("const INVALID_REQUEST = -32600;"));
    assert!(client.contains("const METHOD_NOT_FOUND = -32601;"));
    assert!(client.contains("const INTERNAL_ERROR = -32603;"));
    assert!(client.contains("params === undefined ? { method, id } : { method, id, params }"));
    let codex = render(
        Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap();
    let settings = protocol_settings(codex.get("typescript/client-protocol.ts").unwrap());
    assert_eq!(settings["jsonrpc"], serde_json::Value::Null);
    // Codex's one gated method is the server's to send.
    assert_eq!(
        settings["gates"],
        serde_json::json!({ "requests": {}, "notifications": {} })
    );
}

#[test]
fn index_exports_the_client_and_package_json_makes_es_modules() {
    let generated = calc();
    let index = generated.get("typescript/index.ts").unwrap();
    assert!(
        index.ends_with(
            "export { Client, JsonRpcError, CapabilityError } from \"./client.js\";\n\
             export type { Transport, ClientRequestMethod, ClientNotificationMethod, ServerRequestMethod, ServerNotificationMethod } from \"./client.js\";\n"
        ),
        "{index}"
    );
    let package = generated.get("typescript/package.json").unwrap();
    assert!(
        is_owned("typescript/package.json", package, calc::COMMAND),
        "{package}"
    );
    let package: serde_json::Value = serde_json::from_str(package).unwrap();
    assert_eq!(package["type"], "module");
}

#[test]
fn a_type_named_like_a_client_export_is_a_conflict() {
    let err = render(
        Protocol::new(&clash::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .expect_err("`Transport` is taken");
    let message = err.to_string();
    assert!(
        message.contains("`typescript/Transport.ts` and `typescript/client.ts` would both be written as `the TypeScript name `Transport``"),
        "{message}"
    );
}
