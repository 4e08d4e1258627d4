//! `typescript/client.ts`, `typescript/client-protocol.ts` and
//! `typescript/package.json`.
//!
//! `client.ts` is a TypeScript source file of this crate (`ts/client.ts`,
//! compiled by tsc where it lives), written out as it is: its code is the
//! same for every protocol. What it is typed by comes from
//! `client-protocol.ts`, rendered from the model: each of the four roles
//! (requests and notifications, each way) is the method map of the message
//! union of that direction and kind, or an empty map when the protocol has
//! none. So does what it needs at run time, the constant `protocolSettings`
//! (the JSON-RPC dialect, where the negotiation carries each side's
//! capabilities, the capability each method the client sends requires),
//! which `client.ts` checks against its `ProtocolSettings` type.
//!
//! `package.json` is needed as soon as the folder holds runtime code: under
//! `module: nodenext` a `.ts` file is an ES module only if the nearest
//! `package.json` says `"type": "module"`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::json_format::to_canonical_json;
use crate::model::{CapabilityLocation, Direction, MethodKind, Model};
use crate::output::header::Mark;
use crate::render::ts_syntax::{header_of, jsdoc, FOLDER, INDEX_FILE, MARK};
use crate::render::{Context, IndexEntry, Output, Rendered};
use crate::RenderError;

/// The client's source, as tsc checks it in this crate.
const CLIENT_SOURCE: &str = include_str!("../../ts/client.ts");

pub const CLIENT_FILE: &str = "typescript/client.ts";
pub const CLIENT_PROTOCOL_FILE: &str = "typescript/client-protocol.ts";
pub const PACKAGE_FILE: &str = "typescript/package.json";
/// The module `index.ts` exports the client's names from.
const CLIENT_MODULE: &str = "client";

/// What `client.ts` exports: values, then types.
pub const VALUE_EXPORTS: [&str; 3] = ["Client", "JsonRpcError", "CapabilityError"];
pub const TYPE_EXPORTS: [&str; 5] = [
    "Transport",
    "ClientRequestMethod",
    "ClientNotificationMethod",
    "ServerRequestMethod",
    "ServerNotificationMethod",
];

/// The envelope types `client.ts` uses, by their names in the model.
const ENVELOPE_TYPES: [&str; 2] = ["JSONRPCErrorError", "RequestId"];

/// The four roles, by the name `client.ts` gives each map.
const ROLES: [(&str, Direction, MethodKind, &str); 4] = [
    (
        "ClientRequests",
        Direction::ClientToServer,
        MethodKind::Request,
        "requests the client sends",
    ),
    (
        "ClientNotifications",
        Direction::ClientToServer,
        MethodKind::Notification,
        "notifications the client sends",
    ),
    (
        "ServerRequests",
        Direction::ServerToClient,
        MethodKind::Request,
        "requests the server sends",
    ),
    (
        "ServerNotifications",
        Direction::ServerToClient,
        MethodKind::Notification,
        "notifications the server sends",
    ),
];

/// The TypeScript client output: `client.ts`, `client-protocol.ts` and
/// `package.json` in `typescript/`, and the client's exports in `index.ts`.
#[derive(Debug, Clone, Copy)]
pub struct ClientOutput;

impl Output for ClientOutput {
    fn name(&self) -> &'static str {
        "TypeScript client"
    }

    fn folders(&self) -> &'static [&'static str] {
        &[FOLDER]
    }

    /// `.ts` files as the TypeScript types are marked; `package.json` by
    /// its `$comment`.
    fn marks(&self) -> &'static [Mark] {
        const MARKS: [Mark; 2] = [MARK, Mark::json_member(".json", "$comment")];
        &MARKS
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        render_client(model, &header_of(cx.notice), cx.notice)
    }
}

/// The client's files and its entries in `index.ts`.
fn render_client(model: &Model, header: &str, notice: &str) -> Result<Rendered, RenderError> {
    for name in VALUE_EXPORTS.iter().chain(&TYPE_EXPORTS) {
        if model.type_named(name).is_some()
            || model.message_sets.iter().any(|set| set.map_name == *name)
        {
            return Err(RenderError::NameConflict {
                name: format!("the TypeScript name `{name}`"),
                first: format!("{FOLDER}/{name}.ts"),
                second: CLIENT_FILE.to_owned(),
            });
        }
    }
    for name in ENVELOPE_TYPES {
        if model.type_named(name).is_none() {
            return Err(RenderError::MissingType {
                name: name.to_owned(),
                needed_by: CLIENT_FILE.to_owned(),
            });
        }
    }
    let mut files = BTreeMap::new();
    files.insert(CLIENT_FILE.to_owned(), format!("{header}\n{CLIENT_SOURCE}"));
    files.insert(
        CLIENT_PROTOCOL_FILE.to_owned(),
        client_protocol(model, header),
    );
    files.insert(
        PACKAGE_FILE.to_owned(),
        to_canonical_json(&serde_json::json!({
            "$comment": notice,
            "type": "module",
            "sideEffects": false,
        })),
    );
    let entry = |names: &[&str], type_only| IndexEntry {
        index: INDEX_FILE,
        module: CLIENT_MODULE.to_owned(),
        names: names.iter().map(|name| (*name).to_owned()).collect(),
        type_only,
    };
    Ok(Rendered {
        files,
        index_entries: vec![entry(&VALUE_EXPORTS, false), entry(&TYPE_EXPORTS, true)],
        kept: BTreeMap::new(),
    })
}

/// The types `client.ts` is typed by, for this protocol.
fn client_protocol(model: &Model, header: &str) -> String {
    let mut out = format!("{header}\n\n");
    out.push_str(&jsdoc(&["The envelope types `client.ts` uses."], ""));
    for name in ENVELOPE_TYPES {
        out.push_str(&format!("export type {{ {name} }} from \"./{name}.js\";\n"));
    }
    for (role, direction, kind, what) in ROLES {
        let set = model
            .message_sets
            .iter()
            .find(|set| set.message_direction == direction && set.kind == kind);
        out.push('\n');
        match set {
            Some(set) => {
                out.push_str(&jsdoc(&[format!("The {what}: `{}`.", set.map_name)], ""));
                out.push_str(&format!(
                    "export type {{ {} as {role} }} from \"./{}.js\";\n",
                    set.map_name, set.map_name
                ));
            }
            None => {
                out.push_str(&jsdoc(&[format!("The {what}: none in this protocol.")], ""));
                out.push_str(&format!("export type {role} = Record<never, never>;\n"));
            }
        }
    }
    out.push('\n');
    out.push_str(&jsdoc(
        &[
            "What `client.ts` needs to know of the protocol at run time: its",
            "JSON-RPC dialect, where the negotiation carries each side's",
            "capabilities, and the capability each method the client sends requires.",
        ],
        "",
    ));
    let settings =
        serde_json::to_string_pretty(&runtime_settings(model)).expect("the settings serialise");
    out.push_str(&format!(
        "export const protocolSettings = {settings} as const;\n"
    ));
    out
}

/// The value of `protocolSettings`, as `client.ts`'s `ProtocolSettings`
/// type has it.
fn runtime_settings(model: &Model) -> Value {
    let location = |location: &Option<CapabilityLocation>| match location {
        None => Value::Null,
        Some(location) => json!({ "member": location.member, "path": location.path }),
    };
    let negotiation = match &model.protocol.negotiation {
        None => Value::Null,
        Some(negotiation) => json!({
            "method": negotiation.method,
            "client": location(&negotiation.client),
            "server": location(&negotiation.server),
        }),
    };
    let gates = |kind: MethodKind| -> Map<String, Value> {
        model
            .methods
            .iter()
            .filter(|m| m.message_direction == Direction::ClientToServer && m.kind == kind)
            .filter_map(|m| {
                let capability = m.required_capability.as_ref()?;
                let gate = json!({ "side": capability.side, "path": capability.path });
                Some((m.method.clone(), gate))
            })
            .collect()
    };
    json!({
        "jsonrpc": if model.protocol.jsonrpc.writes_version() { json!("2.0") } else { Value::Null },
        "negotiation": negotiation,
        "gates": {
            "requests": gates(MethodKind::Request),
            "notifications": gates(MethodKind::Notification),
        },
    })
}
