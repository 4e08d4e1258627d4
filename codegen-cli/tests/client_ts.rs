//! `typescript/client.ts`, `typescript/package.json` and the client's
//! exports from `index.ts`, rendered for small protocols of their own. That
//! the output compiles under tsc is checked by `tests/tests/typescript.rs`.

use codegen_cli::{is_owned, render, typescript_header, workspace, Draft, Generated, Protocol};

mod calc {
    use protocol_macros::wire;

    #[wire]
    pub struct AddParams {
        pub left_operand: i64,
        pub right_operand: i64,
    }

    #[wire]
    pub struct AddResult {
        pub sum: i64,
    }

    #[wire]
    pub struct ProgressParams {
        pub percent: u8,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        use super::*;

        #[client_requests]
        pub enum CalcRequest {
            #[method("math/add", response = AddResult)]
            Add(AddParams),
            #[method("shutdown", response = AddResult)]
            Shutdown,
        }

        #[server_notifications]
        pub enum CalcNotification {
            #[method("progress")]
            Progress(ProgressParams),
        }
    }
}

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
    render(Protocol::new(&calc::methods::REGISTRY), Draft::default())
        .unwrap_or_else(|err| panic!("{err}"))
}

fn client(generated: &Generated) -> &str {
    generated
        .get("typescript/client.ts")
        .expect("typescript/client.ts is rendered")
}

/// The text after the last import: the part that is the same for every
/// protocol, role aliases aside.
fn body(client: &str) -> &str {
    let start = client
        .find("\n/**\n * Carries messages")
        .expect("the Transport doc");
    &client[start..]
}

#[test]
fn client_ts_is_owned_and_knows_no_method() {
    let generated = calc();
    let client = client(&generated);
    assert!(client.starts_with(&format!("{}\n", typescript_header())));
    assert!(is_owned("typescript/client.ts", client));
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
    // No dependency: every import is a type from this folder.
    for line in client.lines().filter(|line| line.starts_with("import")) {
        assert!(
            line.starts_with("import type {") && line.contains(" from \"./"),
            "{line}"
        );
    }
}

#[test]
fn roles_are_bound_to_the_registry_sets_or_to_empty_maps() {
    let generated = calc();
    let client = client(&generated);
    for line in [
        "import type { CalcRequestMap as ClientRequests } from \"./CalcRequestMap.js\";",
        "import type { CalcNotificationMap as ServerNotifications } from \"./CalcNotificationMap.js\";",
        "import type { JSONRPCErrorError } from \"./JSONRPCErrorError.js\";",
        "import type { RequestId } from \"./RequestId.js\";",
        "type ClientNotifications = Record<never, never>;",
        "type ServerRequests = Record<never, never>;",
    ] {
        assert!(client.lines().any(|l| l == line), "missing `{line}`:\n{client}");
    }
    assert!(!client.contains("type ClientRequests ="), "{client}");
}

#[test]
fn the_client_code_is_the_same_for_every_protocol() {
    let workspace = render(workspace::protocol(), Draft::default()).unwrap();
    let codex = client(&workspace);
    assert_eq!(body(client(&calc())), body(codex));
    assert!(codex.contains(
        "import type { ServerRequestMap as ServerRequests } from \"./ServerRequestMap.js\";"
    ));
    assert!(!codex.contains("Record<never, never>"), "{codex}");
}

#[test]
fn wire_format_and_error_codes_are_those_of_the_codex_wire() {
    let generated = calc();
    let client = client(&generated);
    assert!(!client.contains("jsonrpc: "), "no jsonrpc member is sent");
    assert!(client.contains("const METHOD_NOT_FOUND = -32601;"));
    assert!(client.contains("const INTERNAL_ERROR = -32603;"));
    assert!(client.contains("params === undefined ? { method, id } : { method, id, params }"));
}

#[test]
fn index_exports_the_client_and_package_json_makes_es_modules() {
    let generated = calc();
    let index = generated.get("typescript/index.ts").unwrap();
    assert!(
        index.ends_with(
            "export { Client, JsonRpcError } from \"./client.js\";\n\
             export type { Transport } from \"./client.js\";\n"
        ),
        "{index}"
    );
    let package = generated.get("typescript/package.json").unwrap();
    assert!(is_owned("typescript/package.json", package), "{package}");
    let package: serde_json::Value = serde_json::from_str(package).unwrap();
    assert_eq!(package["type"], "module");
}

#[test]
fn a_type_named_like_a_client_export_is_a_conflict() {
    let err = render(Protocol::new(&clash::methods::REGISTRY), Draft::default())
        .expect_err("`Transport` is taken");
    let message = err.to_string();
    assert!(
        message.contains("`typescript/Transport.ts` and `typescript/client.ts` would both be written as `the TypeScript type `Transport``"),
        "{message}"
    );
}
