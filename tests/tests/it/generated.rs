//! `generated/` in lockstep with the protocol: the drift test (which pins
//! every file byte for byte), a snapshot of the registry, and JSON Schema
//! validity.

use std::fs;
use std::path::{Path, PathBuf};

use protocol_codegen::{render, Draft, Generated, Protocol, BUNDLE_FILE};
use protocol_defs::v1::*;
use protocol_defs::*;
use protocol_macros::{MethodInfo, TypeInfo};
use serde_json::{json, Value};

/// What `codegen-cli` names in every file of `generated/`.
const COMMAND: &str = "cargo run -p codegen-cli -- write-schema";

/// protocol-defs' conformance examples, which `codegen-cli` shows in the
/// reference.
fn conformance_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../protocol-defs/conformance"
    ))
}

/// The protocol as `codegen-cli` renders it.
fn protocol() -> Protocol<'static> {
    Protocol::new(&protocol_defs::methods::REGISTRY, COMMAND)
        .with_info(protocol_defs::TITLE, protocol_defs::VERSION)
        .with_examples(conformance_dir())
}

fn rendered() -> Generated {
    render(protocol(), Draft::default()).unwrap_or_else(|err| panic!("{err}"))
}

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated")
}

/// rust-analyzer's `ensure_file_contents`: a stale `generated/` fails the
/// test, listing the files and the command that fixes them. Outside CI the
/// test also rewrites the files, so re-running it passes; under CI it never
/// writes. (The helper every protocol's own tests can call.)
#[test]
fn generated_folder_is_up_to_date() {
    protocol_codegen::assert_generated_in_sync(protocol(), generated_dir());
}

fn type_column(ty: Option<TypeInfo>) -> &'static str {
    ty.map_or("-", |ty| ty.rust_name)
}

/// One line per method: name, direction, kind, params, response, capability.
fn registry_summary() -> String {
    let header = [
        "method",
        "direction",
        "kind",
        "params",
        "response",
        "capability",
        "stability",
    ];
    let stability: Vec<String> = methods::REGISTRY
        .methods()
        .map(|m: &MethodInfo| {
            let marks = m.stability;
            let mut words = Vec::new();
            if marks.experimental.is_some() {
                words.push("experimental".to_owned());
            }
            if marks.deprecated.is_some() {
                words.push("deprecated".to_owned());
            }
            if let Some(since) = marks.since {
                words.push(format!("since {since}"));
            }
            if words.is_empty() {
                "-".to_owned()
            } else {
                words.join(", ")
            }
        })
        .collect();
    let capabilities: Vec<String> = methods::REGISTRY
        .methods()
        .map(|m| m.capability.map_or("-".to_owned(), |c| c.to_string()))
        .collect();
    let rows: Vec<[&str; 7]> = methods::REGISTRY
        .methods()
        .zip(&stability)
        .zip(&capabilities)
        .map(
            |((m, stability), capability): ((&MethodInfo, &String), &String)| {
                [
                    m.name,
                    m.direction.as_str(),
                    m.kind.as_str(),
                    type_column(m.params),
                    type_column(m.response),
                    capability,
                    stability,
                ]
            },
        )
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap()
        })
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}\n", padded.join(" | ").trim_end())
    };
    let mut out = line(&header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&format!("{}\n", rule.join("-|-")));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

#[test]
fn registry_summary_snapshot() {
    insta::assert_snapshot!("registry_summary", registry_summary());
}

fn json_dir() -> PathBuf {
    generated_dir().join("json")
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &Value, label: &str) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|err| panic!("{label}: {err}"))
}

/// A validator for one file of `generated/json`.
fn file_validator(name: &str) -> jsonschema::Validator {
    file_validator_in(&json_dir(), name)
}

/// A validator for one file of a surface's `json/`.
fn file_validator_in(dir: &Path, name: &str) -> jsonschema::Validator {
    let path = dir.join(format!("{name}.json"));
    validator(&read_json(&path), &path.display().to_string())
}

/// `json/` of the surface a method belongs to: the experimental surface
/// for an experimental method, the stable one otherwise.
fn json_dir_of(method: &protocol_macros::MethodInfo) -> PathBuf {
    match method.stability.experimental {
        Some(_) => generated_dir().join("experimental/json"),
        None => json_dir(),
    }
}

/// A validator for `$defs/<name>` of the bundle.
fn bundle_validator(name: &str) -> jsonschema::Validator {
    bundle_validator_in(&json_dir(), name)
}

fn bundle_validator_in(dir: &Path, name: &str) -> jsonschema::Validator {
    let mut bundle = read_json(&dir.join(BUNDLE_FILE));
    assert!(bundle["$defs"].get(name).is_some(), "bundle lacks {name}");
    bundle["$ref"] = json!(format!("#/$defs/{name}"));
    validator(&bundle, &format!("{BUNDLE_FILE}#/$defs/{name}"))
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, label: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{label}: {instance} is rejected: {errors:#?}"
    );
}

fn assert_invalid(validator: &jsonschema::Validator, instance: &Value, label: &str) {
    assert!(
        !validator.is_valid(instance),
        "{label}: {instance} should be rejected"
    );
}

#[test]
fn every_json_file_is_a_valid_draft_2020_12_schema() {
    for entry in fs::read_dir(json_dir()).expect("generated/json exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let schema = read_json(&path);
        assert_eq!(
            schema["$schema"],
            json!("https://json-schema.org/draft/2020-12/schema"),
            "{}",
            path.display()
        );
        if let Err(err) = jsonschema::meta::validate(&schema) {
            panic!("{} is not a valid schema: {err}", path.display());
        }
        validator(&schema, &path.display().to_string());
    }
    // Among them the message unions, the bundle and the envelope.
    for name in [
        "ClientRequest",
        "ServerRequest",
        "ClientNotification",
        "ServerNotification",
        "protocol.schema",
        "JSONRPCMessage",
        "JSONRPCRequest",
        "JSONRPCNotification",
        "JSONRPCResponse",
        "JSONRPCError",
        "JSONRPCErrorError",
        "RequestId",
    ] {
        assert!(
            json_dir().join(format!("{name}.json")).is_file(),
            "{name}.json is missing"
        );
    }
}

/// Validates `message` against both the standalone file and the bundle.
fn check_message(union: &str, message: &Value, valid: bool) {
    check_message_in(&json_dir(), union, message, valid)
}

fn check_message_in(dir: &Path, union: &str, message: &Value, valid: bool) {
    for (validator, label) in [
        (file_validator_in(dir, union), format!("{union}.json")),
        (
            bundle_validator_in(dir, union),
            format!("{BUNDLE_FILE}#/$defs/{union}"),
        ),
    ] {
        if valid {
            assert_valid(&validator, message, &label);
        } else {
            assert_invalid(&validator, message, &label);
        }
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn serde_output_validates_against_the_schemas() {
    let initialize = ClientRequest::Initialize {
        id: RequestId::Integer(1),
        params: InitializeParams {
            client_info: ClientInfo {
                name: "codex-desktop".into(),
                title: Some("Codex".into()),
                version: "1.2.3".into(),
            },
            capabilities: Some(InitializeCapabilities {
                experimental_api: false,
                request_attestation: true,
                opt_out_notification_methods: Some(vec!["thread/started".into()]),
            }),
        },
    };
    check_message("ClientRequest", &to_value(&initialize), true);
    let saved_config = ClientRequest::GetUserSavedConfig {
        id: RequestId::from("req-7"),
    };
    check_message("ClientRequest", &to_value(&saved_config), true);
    // Params-less methods accept `null` params too, as the decoder does.
    check_message(
        "ClientRequest",
        &json!({"method": "getUserSavedConfig", "id": 2, "params": null}),
        true,
    );
    // A gated request is written only by the connection whose gate it passed.
    let mut connection =
        protocol_macros::Connection::<protocol_defs::ServerSide>::negotiated_for_tests(
            Some(json!({ "requestAttestation": true })),
            None,
        );
    let attestation = connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let attestation: Value =
        serde_json::from_slice(&connection.encode(&attestation).unwrap()).unwrap();
    check_message("ServerRequest", &attestation, true);
    check_message(
        "ClientNotification",
        &to_value(&ClientNotification::Initialized),
        true,
    );
    let auth =
        ServerNotification::AuthStatusChange(AuthStatusChangeNotification { auth_method: None });
    check_message("ServerNotification", &to_value(&auth), true);

    // What the schemas must reject.
    let rejected = [
        ("ClientRequest", json!({"method": "initialize", "id": 1})),
        (
            "ClientRequest",
            json!({"method": "nope", "id": 1, "params": {}}),
        ),
        (
            "ClientRequest",
            json!({"method": "getUserSavedConfig", "params": null}),
        ),
        (
            "ClientRequest",
            json!({"method": "initialize", "id": true, "params": {"clientInfo": {"name": "a", "version": "1"}}}),
        ),
        (
            "ClientNotification",
            json!({"method": "initialized", "params": {}}),
        ),
        (
            "ServerNotification",
            json!({"method": "authStatusChange", "params": {"authMethod": "sso"}}),
        ),
    ];
    for (union, message) in &rejected {
        check_message(union, message, false);
    }

    // Envelope and response types.
    let response = JSONRPCMessage::Response(JSONRPCResponse {
        jsonrpc: protocol_macros::Dialect::Omitted,
        id: RequestId::Integer(1),
        result: json!({"anything": [1, 2]}),
    });
    let error = JSONRPCMessage::Error(JSONRPCError {
        jsonrpc: protocol_macros::Dialect::Omitted,
        id: RequestId::from("x"),
        error: JSONRPCErrorError {
            code: -32601,
            message: "method not found".into(),
            data: None,
        },
    });
    for message in [response, error] {
        assert_valid(
            &file_validator("JSONRPCMessage"),
            &to_value(&message),
            "JSONRPCMessage.json",
        );
        assert_valid(
            &bundle_validator("JSONRPCMessage"),
            &to_value(&message),
            "bundle JSONRPCMessage",
        );
    }
    let home = protocol_defs::common::AbsolutePathBuf::new("/home/me/.codex").unwrap();
    let init_response = InitializeResponse {
        user_agent: "codex/1.0".into(),
        codex_home: home,
        platform_family: "unix".into(),
        platform_os: "linux".into(),
    };
    assert_valid(
        &file_validator("InitializeResponse"),
        &to_value(&init_response),
        "InitializeResponse.json",
    );
}

fn json_files_under(dir: &Path) -> usize {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            if path.is_dir() {
                json_files_under(&path)
            } else {
                usize::from(path.extension().is_some_and(|e| e == "json"))
            }
        })
        .sum()
}

/// protocol-defs' conformance examples: valid ones are accepted by the
/// method's params/response schema and, wrapped in a message, by the union;
/// invalid ones are rejected.
#[test]
fn conformance_examples_agree_with_the_schemas() {
    let conformance = conformance_dir();
    let mut checked = 0;
    for set in methods::REGISTRY.sets {
        for method in set.methods {
            let dir = conformance.join(method.name);
            let surface = json_dir_of(method);
            for (part, ty) in [("params", method.params), ("response", method.response)] {
                let Some(ty) = ty else { continue };
                let schema = (ty.schema_name)();
                let validator = file_validator_in(&surface, &schema);
                let label = format!("{} {part} ({schema}.json)", method.name);
                let valid = dir.join(format!("{part}.json"));
                if valid.exists() {
                    let example = read_json(&valid);
                    assert_valid(&validator, &example, &label);
                    if part == "params" {
                        let mut message = json!({"method": method.name, "params": example});
                        if set.kind == protocol_macros::Kind::Request {
                            message["id"] = json!(1);
                        }
                        check_message_in(&surface, set.name, &message, true);
                    }
                    checked += 1;
                }
                let Ok(entries) = fs::read_dir(dir.join("invalid")) else {
                    continue;
                };
                for entry in entries {
                    let path = entry.unwrap().path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    if name.starts_with(&format!("{part}-")) {
                        assert_invalid(&validator, &read_json(&path), &format!("{label}: {name}"));
                        checked += 1;
                    }
                }
            }
        }
    }
    let examples = json_files_under(conformance);
    assert!(examples > 0, "no conformance examples found");
    assert_eq!(
        checked, examples,
        "every conformance example is checked against a schema"
    );
}

/// What codex's clients may send (JSON its reference schemas accept, with
/// optional fields left out) is accepted by our schemas of the types the
/// client writes; the types the server writes are shown as the server
/// writes them, with every nullable field present, and our Rust types
/// still decode the sparser forms.
#[test]
fn reference_instances_against_the_direction_aware_schemas() {
    let client_written = [
        (
            "InitializeParams",
            json!({ "clientInfo": { "name": "x", "version": "1" } }),
        ),
        (
            "InitializeParams",
            json!({ "clientInfo": { "name": "x", "version": "1" }, "capabilities": { "requestAttestation": true } }),
        ),
        ("ExecOneOffCommandParams", json!({ "command": ["ls"] })),
        (
            "ExecOneOffCommandParams",
            json!({ "command": ["ls"], "sandboxPolicy": { "type": "workspace-write" } }),
        ),
        ("GetAuthStatusParams", json!({})),
        (
            "ApplyPatchApprovalResponse",
            json!({ "decision": "denied" }),
        ),
        ("AttestationGenerateResponse", json!({ "token": "v1.x" })),
    ];
    for (name, instance) in &client_written {
        assert_valid(&file_validator(name), instance, name);
    }

    let sparse_summary = json!({ "summary": {
        "conversationId": "c", "path": "/r.jsonl", "preview": "", "modelProvider": "openai",
        "cwd": "/p", "cliVersion": "1", "source": "cli"
    }});
    let summary = file_validator("GetConversationSummaryResponse");
    assert_invalid(
        &summary,
        &sparse_summary,
        "a server-written type lists every field it writes",
    );
    let mut full = sparse_summary.clone();
    for field in ["timestamp", "updatedAt", "gitInfo"] {
        full["summary"][field] = Value::Null;
    }
    assert_valid(&summary, &full, "as the server writes it");
    let decoded: GetConversationSummaryResponse = serde_json::from_value(sparse_summary).unwrap();
    assert_eq!(serde_json::to_value(decoded).unwrap(), full);
}

/// `#[deprecated]` on the `on-failure` policy reaches both outputs: the
/// schema alternative says `"deprecated": true`, and the TypeScript union
/// member carries the variant's doc with an `@deprecated` tag.
#[test]
fn deprecation_and_variant_docs_reach_schema_and_typescript() {
    let generated = rendered();
    let ts = generated.get("typescript/AskForApproval.ts").unwrap();
    let member = ts.find("| \"on-failure\"").expect("the member");
    let doc = &ts[..member];
    let doc = &doc[doc.rfind("/**").unwrap()..];
    assert!(doc.contains("@deprecated prefer `on-request`"), "{doc}");
    assert!(
        ts.contains("The model decides when to ask the user for approval."),
        "{ts}"
    );

    for file in [
        "json/GetUserSavedConfigResponse.json",
        &format!("json/{BUNDLE_FILE}"),
    ] {
        let root: Value = serde_json::from_str(generated.get(file).unwrap()).unwrap();
        let on_failure = root["$defs"]["AskForApproval"]["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: AskForApproval alternatives"))
            .iter()
            .find(|alt| alt["enum"] == json!(["on-failure"]) || alt["const"] == json!("on-failure"))
            .unwrap_or_else(|| panic!("{file}: the on-failure alternative"));
        assert_eq!(on_failure["deprecated"], json!(true), "{file}");
    }
}
