//! `generated/openrpc.json`: valid against the OpenRPC meta-schema (the
//! pinned `@open-rpc/meta-schema`, with ajv), every method of the registry
//! in it with its direction, params by name and result.

use std::fs;
use std::path::Path;

use protocol_macros::{Direction, Kind};
use serde_json::Value;
use tests::node::{ready, run, ts_client};

fn openrpc() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/openrpc.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn openrpc_json_is_valid_against_the_meta_schema() {
    ready();
    let report = run(
        &ts_client(),
        "node",
        ["openrpc.mjs", "../../generated/openrpc.json"],
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert!(report.contains("valid against the meta-schema"), "{report}");
}

#[test]
fn the_meta_schema_check_rejects_a_broken_document() {
    ready();
    let mut document = openrpc();
    document["methods"][0]["params"][0]["schema"]["$ref"] = "#/components/schemas/Nope".into();
    document["methods"][1]["paramStructure"] = "by-magic".into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openrpc.json");
    fs::write(&path, document.to_string()).unwrap();
    let err = run(
        &ts_client(),
        "node",
        ["openrpc.mjs".as_ref(), path.as_os_str()],
    )
    .expect_err("a broken document is rejected");
    assert!(err.contains("resolves to nothing"), "{err}");
    assert!(err.contains("/methods/1/paramStructure"), "{err}");
}

#[test]
fn every_method_is_described_by_name_with_its_direction() {
    let document = openrpc();
    let methods = document["methods"].as_array().unwrap();
    let registry = &protocol_defs::methods::REGISTRY;
    // The stable surface: experimental methods are in experimental/openrpc.json.
    let stable = || {
        registry
            .methods()
            .filter(|m| m.stability.experimental.is_none())
    };
    assert_eq!(methods.len(), stable().count());
    for (info, method) in stable().zip(methods) {
        assert_eq!(
            method.get("deprecated").is_some(),
            info.stability.deprecated.is_some(),
            "{}",
            info.name
        );
        assert_eq!(method["name"], info.name);
        assert_eq!(method["paramStructure"], "by-name");
        let server_to_client = info.direction == Direction::ServerToClient;
        assert_eq!(
            method.get("x-direction").and_then(Value::as_str),
            server_to_client.then_some("serverToClient"),
            "{}",
            info.name
        );
        assert_eq!(
            method.get("result").is_some(),
            info.kind == Kind::Request,
            "{}",
            info.name
        );
        let codes: Vec<i64> = method["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_i64().unwrap())
            .collect();
        assert!(
            codes.contains(&-32600) && codes.contains(&-32700),
            "{codes:?}"
        );
        assert_eq!(
            codes.contains(&-32602),
            info.params.is_some(),
            "{}",
            info.name
        );
    }
    // By-name params: one descriptor per field of the params structure.
    let initialize = methods.iter().find(|m| m["name"] == "initialize").unwrap();
    let params: Vec<(&str, bool)> = initialize["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["required"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(params, [("clientInfo", true), ("capabilities", false)]);
    assert_eq!(
        initialize["result"]["schema"]["$ref"],
        "#/components/schemas/InitializeResponse"
    );
    let attestation = methods
        .iter()
        .find(|m| m["name"] == "attestation/generate")
        .unwrap();
    assert_eq!(
        attestation["x-required-capabilities"],
        serde_json::json!([{
            "messageDirection": "serverToClient",
            "side": "client",
            "path": ["requestAttestation"],
        }])
    );
}
