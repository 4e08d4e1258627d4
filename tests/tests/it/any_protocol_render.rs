//! The generator renders any JSON-RPC protocol as it is: `calc`, standard
//! JSON-RPC 2.0 with a negotiation of both sides' capabilities and a
//! request both peers send, against codex's wire without the `jsonrpc`
//! member. The dialect reaches the envelope's JSON Schema and TypeScript
//! and `openrpc.json`; a method of both peers is one OpenRPC method; and
//! the generator's code names no protocol.

use std::fs;
use std::path::Path;

use protocol_codegen::{render, Draft, Generated, Protocol};
use serde_json::{json, Value};
use tests::calc;
use tests::node::{ready, run, ts_client};

const ENVELOPE: [&str; 4] = [
    "JSONRPCRequest",
    "JSONRPCNotification",
    "JSONRPCResponse",
    "JSONRPCError",
];

fn calc() -> Generated {
    render(
        Protocol::new(&calc::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"))
}

fn codex() -> Generated {
    render(
        Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap_or_else(|err| panic!("{err}"))
}

fn json(generated: &Generated, path: &str) -> Value {
    let text = generated
        .get(path)
        .unwrap_or_else(|| panic!("{path} is rendered"));
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// For standard JSON-RPC 2.0, every envelope message type has a required
/// `"jsonrpc": "2.0"` in its JSON Schema and, first, in its TypeScript; the
/// message unions have it too. Codex's envelope has no such member.
#[test]
fn the_dialect_reaches_the_envelope() {
    let calc = calc();
    for name in ENVELOPE {
        let schema = json(&calc, &format!("json/{name}.json"));
        let properties = schema["properties"].as_object().unwrap();
        assert_eq!(
            properties["jsonrpc"],
            json!({ "type": "string", "const": "2.0" })
        );
        assert_eq!(schema["required"][0], "jsonrpc", "{name}");
        // First among the fields (the JSON files sort their keys).
        let ts = calc.get(&format!("typescript/{name}.ts")).unwrap();
        assert!(ts.contains("= {\n  jsonrpc: \"2.0\";\n"), "{name}:\n{ts}");
        // The bundle defines each once, under its own name.
        let bundle = json(&calc, "json/protocol.schema.json");
        assert_eq!(bundle["$defs"][name], {
            let mut definition = schema.clone();
            for key in ["$schema", "$comment", "title", "$defs"] {
                definition.as_object_mut().unwrap().remove(key);
            }
            definition
        });
        assert!(bundle["$defs"].get(format!("{name}2")).is_none());
    }
    // The message union refers to the versioned types.
    let message = json(&calc, "json/JSONRPCMessage.json");
    assert_eq!(message["$defs"]["JSONRPCRequest"]["required"][0], "jsonrpc");
    let union = calc.get("typescript/CalcRequest.ts").unwrap();
    assert!(union.contains("jsonrpc: \"2.0\";"), "{union}");

    let codex = codex();
    for name in ENVELOPE {
        let schema = json(&codex, &format!("json/{name}.json"));
        assert!(schema["properties"].get("jsonrpc").is_none(), "{name}");
        let ts = codex.get(&format!("typescript/{name}.ts")).unwrap();
        assert!(!ts.contains("jsonrpc"), "{name}:\n{ts}");
    }
    let meta = json(&codex, "protocol.meta.json");
    assert_eq!(meta["protocol"]["jsonrpc"], "omitted");
}

/// In `openrpc.json`, `echo` is one method sent both ways, gates name
/// their side and path, and the wire is described as the settings say.
#[test]
fn openrpc_describes_methods_of_both_peers_and_the_wire() {
    let calc = calc();
    let document = json(&calc, "openrpc.json");
    let methods = document["methods"].as_array().unwrap();
    let named =
        |name: &str| -> Vec<&Value> { methods.iter().filter(|m| m["name"] == name).collect() };
    let echo = named("echo");
    assert_eq!(echo.len(), 1, "method names are unique");
    assert_eq!(echo[0]["x-direction"], "both");
    assert_eq!(echo[0]["description"], "Says the text back.");
    assert_eq!(echo[0]["params"][0]["name"], "text");
    assert_eq!(
        echo[0]["result"]["schema"],
        json!({ "$ref": "#/components/schemas/EchoParams" })
    );
    assert_eq!(
        named("math/pow")[0]["x-required-capabilities"],
        json!([{ "messageDirection": "clientToServer", "side": "server", "path": ["math", "pow"] }])
    );
    assert_eq!(
        named("math/bigProgress")[0]["x-required-capabilities"],
        json!([{ "messageDirection": "serverToClient", "side": "client", "path": ["bigNumbers"] }])
    );
    assert_eq!(
        named("math/bigProgress")[0]["x-direction"],
        "serverToClient"
    );
    assert!(named("math/add")[0].get("x-direction").is_none());
    assert_eq!(
        methods.len(),
        calc::methods::REGISTRY.methods().count() - 1,
        "every method once"
    );
    let description = document["info"]["description"].as_str().unwrap();
    assert!(
        description.starts_with("Messages are JSON-RPC 2.0 objects with \"jsonrpc\": \"2.0\"."),
        "{description}"
    );
    assert!(
        description.contains(
            "negotiated by the request session/open: the client's at params.capabilities, \
             the server's at result.capabilities."
        ),
        "{description}"
    );
    let meta = json(&calc, "protocol.meta.json");
    assert_eq!(document["x-protocol"], meta["protocol"]);

    let codex = json(&codex(), "openrpc.json");
    let description = codex["info"]["description"].as_str().unwrap();
    assert!(
        description
            .starts_with("Messages are JSON-RPC 2.0 objects without the \"jsonrpc\" member."),
        "{description}"
    );
}

/// Calc's `openrpc.json` is valid against the OpenRPC meta-schema.
#[test]
fn calc_openrpc_is_valid_against_the_meta_schema() {
    ready();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openrpc.json");
    fs::write(&path, calc().get("openrpc.json").unwrap()).unwrap();
    let report = run(
        &ts_client(),
        "node",
        ["openrpc.mjs".as_ref(), path.as_os_str()],
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert!(report.contains("valid against the meta-schema"), "{report}");
}

/// In the TypeScript method maps, `echo` is in the client's requests and
/// in the server's, each documented by its own direction's entry.
#[test]
fn a_method_of_both_peers_is_in_both_maps() {
    let calc = calc();
    for map in ["CalcRequestMap", "CalcServerRequestMap"] {
        let text = calc.get(&format!("typescript/{map}.ts")).unwrap();
        assert!(
            text.contains("  /**\n   * Says the text back.\n   */\n  \"echo\": {\n    params: EchoParams;\n    response: EchoParams;\n  };"),
            "{map}:\n{text}"
        );
    }
    let requests = calc.get("typescript/CalcRequestMap.ts").unwrap();
    assert!(
        requests.contains("   * Raises to a power, on servers whose math declares `pow`.\n   *\n   * Requires the server capability `math.pow`.\n"),
        "{requests}"
    );
}

/// The generator library knows no protocol: no name of codex's in its
/// code (comments aside), Rust or TypeScript.
#[test]
fn the_generator_names_no_protocol() {
    const NAMES: [&str; 5] = [
        "experimentalapi",
        "requestattestation",
        "attestation",
        "codex",
        "initialize",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol-codegen");
    let mut pending = vec![root.join("src"), root.join("ts")];
    let mut hits = Vec::new();
    let mut files = 0;
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("rs" | "ts")) {
            continue;
        }
        files += 1;
        let text = fs::read_to_string(&path).unwrap();
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") || trimmed.starts_with('*') || trimmed.starts_with("/*") {
                continue;
            }
            let code = line.split("//").next().unwrap_or_default().to_lowercase();
            for name in NAMES {
                if code.contains(name) {
                    hits.push(format!("{}:{}: {line}", path.display(), index + 1));
                }
            }
        }
    }
    assert!(files > 20, "the sources were found ({files} files)");
    assert!(hits.is_empty(), "{hits:#?}");
}

/// A capability is named by its wire path. The macro refuses one written
/// with the Rust field name where it can follow the path (its UI tests);
/// behind a flattened member, which takes any name there, it compiles, and
/// the generator refuses the protocol with one error that names the member
/// and the members there are.
#[test]
fn a_capability_the_capabilities_object_does_not_have_is_refused() {
    let protocol = Protocol::new(
        &tests::misnamed_capability::methods::REGISTRY,
        "cargo run --bin gen -- write-schema",
    );
    let err = render(protocol, Draft::default()).expect_err("a misnamed capability");
    assert_eq!(
        err.to_string(),
        "the capability `client.confirm_deletes` cannot be declared: in params.capabilities of \
         `open`, `NotesCapabilities` has no member `confirm_deletes` (it has `confirmDeletes`); \
         capability paths use the wire names"
    );
    // calc's capabilities, at any depth, are all there.
    render(
        Protocol::new(&calc::methods::REGISTRY, calc::COMMAND),
        Draft::default(),
    )
    .unwrap();
}
