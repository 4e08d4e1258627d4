//! The codex app-server protocol on the wire: exact JSON, every method's
//! examples, error classification, the attestation capability gate and the
//! redaction of the attestation credential.
//!
//! codex writes JSON-RPC 2.0 objects without the `"jsonrpc"` member; every
//! pinned string here has none.

use std::path::{Path, PathBuf};

use crate::common::codex_peer::{accept, assert_serde_refuses};
use protocol_defs::v1::*;
use protocol_defs::*;
use protocol_macros::{
    decode_incoming, CapabilityPath, Connection, Dialect, Direction, ErrorCode, Incoming,
    JSONRPCResponse, Kind, MethodInfo, MethodSet, ReceiveError, Received, Request, RequestSet,
    ResponseError, Side,
};
use serde_json::{json, Value};

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol-defs/conformance")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `client.requestAttestation`, the capability `attestation/generate` needs.
const REQUEST_ATTESTATION: CapabilityPath = CapabilityPath {
    side: Side::Client,
    path: &["requestAttestation"],
};

/// An `initialize` request as a client sends it, with `capabilities` as
/// given (no member when `None`).
fn initialize_text(capabilities: Option<Value>) -> Vec<u8> {
    let mut params = json!({ "clientInfo": { "name": "app", "title": null, "version": "1" } });
    if let Some(capabilities) = capabilities {
        params["capabilities"] = capabilities;
    }
    serde_json::to_vec(&json!({ "method": "initialize", "id": 0, "params": params })).unwrap()
}

/// The server's side of a connection that received the `initialize` of
/// `initialize_text(capabilities)`.
fn initialized(capabilities: Option<Value>) -> Connection<ServerSide> {
    let mut connection = Connection::new();
    let request = match connection.receive(&initialize_text(capabilities)) {
        Ok(Received::Request(request @ ClientRequest::Initialize { .. })) => request,
        other => panic!("{other:?}"),
    };
    // What the client declared holds once the server accepts it.
    accept(&mut connection, &request);
    connection
}

/// The server's side of a connection whose client opted into attestation.
fn opted_in() -> Connection<ServerSide> {
    initialized(Some(json!({ "requestAttestation": true })))
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

#[test]
fn attestation_generate_request_has_the_pinned_wire_form() {
    // The request is made, and encoded, by the connection whose client
    // opted in: the id is the one it allocates.
    let wire = r#"{"method":"attestation/generate","id":0,"params":{}}"#;
    let mut server = opted_in();
    let request = server
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_eq!(text(server.encode(&request).unwrap()), wire);
    assert_eq!(request.method(), "attestation/generate");
    assert_eq!(request.id(), &RequestId::Integer(0));
    assert_eq!(request.message().id(), request.id());

    // Decoded, it is the same message (proofs compare equal whatever their
    // origin), by every decoder.
    assert_eq!(request, ServerRequest::decode(wire.as_bytes()).unwrap());
    assert_eq!(
        request,
        serde_json::from_str::<ServerRequest>(wire).unwrap()
    );
    let mut client = Connection::<ClientSide>::new();
    let Received::Request(received) = client.receive(wire.as_bytes()).unwrap() else {
        panic!("a server request");
    };
    assert_eq!(request, received);
    let with_id = r#"{"method":"attestation/generate","id":9,"params":{}}"#;
    assert_eq!(
        ServerRequest::decode(with_id.as_bytes()).unwrap().id(),
        &RequestId::Integer(9)
    );

    // The client's answer, typed, and its wire form.
    let response = received
        .decode_response(json!({"token": "v1.abc"}))
        .unwrap();
    let ServerResponse::AttestationGenerate(typed) = &response else {
        panic!("wrong response variant: {response:?}");
    };
    assert_eq!(typed.token.expose(), "v1.abc");
    let reply = r#"{"id":0,"result":{"token":"v1.abc"}}"#;
    assert_eq!(
        serde_json::to_string(&received.respond(&response).unwrap()).unwrap(),
        reply
    );
    assert_eq!(text(client.respond(&received, &response).unwrap()), reply);

    // The server pairs it with its request.
    let Received::Response { id, response } = server.receive(reply.as_bytes()).unwrap() else {
        panic!("a response");
    };
    assert_eq!(id, RequestId::Integer(0));
    let token = AttestationGenerate::unwrap_response(response).unwrap();
    assert_eq!(token.token.expose(), "v1.abc");
}

#[test]
fn other_messages_have_the_pinned_wire_form() {
    // Ungated messages serialise anywhere, as the connection writes them.
    let initialize = InitializeParams {
        client_info: ClientInfo {
            name: "tui".into(),
            title: None,
            version: "1.0".into(),
        },
        capabilities: None,
    };
    let cases: Vec<(String, &str)> = vec![
        (
            serde_json::to_string(&ClientNotification::Initialized).unwrap(),
            r#"{"method":"initialized"}"#,
        ),
        (
            serde_json::to_string(&ServerNotification::AuthStatusChange(
                AuthStatusChangeNotification { auth_method: None },
            ))
            .unwrap(),
            r#"{"method":"authStatusChange","params":{"authMethod":null}}"#,
        ),
        (
            serde_json::to_string(&ClientRequest::GetUserSavedConfig {
                id: RequestId::from("cfg"),
            })
            .unwrap(),
            r#"{"method":"getUserSavedConfig","id":"cfg"}"#,
        ),
        (
            serde_json::to_string(&ClientRequest::Initialize {
                id: RequestId::Integer(0),
                params: initialize.clone(),
            })
            .unwrap(),
            r#"{"method":"initialize","id":0,"params":{"clientInfo":{"name":"tui","title":null,"version":"1.0"}}}"#,
        ),
    ];
    for (value, wire) in cases {
        assert_eq!(value, wire);
    }

    // The same through the connections.
    let mut client = Connection::<ClientSide>::new();
    let request = client.request::<Initialize>(initialize).unwrap();
    assert_eq!(
        text(client.encode(&request).unwrap()),
        r#"{"method":"initialize","id":0,"params":{"clientInfo":{"name":"tui","title":null,"version":"1.0"}}}"#
    );
    assert_eq!(
        text(client.notify::<Initialized>(()).unwrap().unwrap()),
        r#"{"method":"initialized"}"#
    );
    let server = Connection::<ServerSide>::new();
    assert_eq!(
        text(
            server
                .notify::<AuthStatusChange>(AuthStatusChangeNotification { auth_method: None })
                .unwrap()
                .unwrap()
        ),
        r#"{"method":"authStatusChange","params":{"authMethod":null}}"#
    );
}

/// The message enum of `method`'s direction and kind decodes `message` and
/// re-encodes it; returns the re-encoded JSON.
fn round_trip_message(method: &MethodInfo, message: &Value) -> Value {
    let bytes = serde_json::to_vec(message).unwrap();
    match (method.direction, method.kind) {
        (Direction::ClientToServer, Kind::Request) => encode(method, ClientRequest::decode(&bytes)),
        (Direction::ServerToClient, Kind::Request) => {
            let request =
                ServerRequest::decode(&bytes).unwrap_or_else(|e| panic!("`{}`: {e}", method.name));
            if request.info().capability.is_none() {
                encode(method, Ok(request))
            } else {
                forwarded(request)
            }
        }
        (Direction::ClientToServer, Kind::Notification) => {
            encode(method, ClientNotification::decode(&bytes))
        }
        (Direction::ServerToClient, Kind::Notification) => {
            encode(method, ServerNotification::decode(&bytes))
        }
    }
}

/// A decoded gated server request as a proxy forwards it. It cannot be
/// sent as is (its proof is the decoder's), and no API encodes a bare
/// request message (the former route, a proof from
/// `Capabilities::with_granted` put into it, no longer exists): the
/// connection it goes to makes it again, with an id of its own. Returned
/// with the id it had, to compare with what was decoded.
fn forwarded(request: ServerRequest) -> Value {
    let err = serde_json::to_value(&request).unwrap_err();
    assert!(
        err.to_string().contains("was received, not granted"),
        "{err}"
    );
    let original = serde_json::to_value(request.id()).unwrap();
    let mut connection = opted_in();
    let outgoing = match request {
        ServerRequest::AttestationGenerate { params, .. } => {
            connection.request::<AttestationGenerate>(params).unwrap()
        }
        other => panic!("`{}` is gated: forward it here", other.method()),
    };
    let mut sent: Value = serde_json::from_slice(&connection.encode(&outgoing).unwrap()).unwrap();
    assert_eq!(sent["id"], serde_json::to_value(outgoing.id()).unwrap());
    sent["id"] = original;
    sent
}

fn encode<T: serde::Serialize>(
    method: &MethodInfo,
    decoded: Result<T, protocol_macros::DecodeError>,
) -> Value {
    let decoded = decoded.unwrap_or_else(|e| panic!("`{}`: {e}", method.name));
    serde_json::to_value(decoded).unwrap()
}

fn round_trip_response(method: &MethodInfo, result: Value) -> Value {
    let decoded = match method.direction {
        Direction::ClientToServer => {
            ClientRequest::decode_response_for(method.name, result).map(serde_json::to_value)
        }
        Direction::ServerToClient => {
            ServerRequest::decode_response_for(method.name, result).map(serde_json::to_value)
        }
    };
    let decoded = decoded.unwrap_or_else(|e| panic!("`{}` response: {e}", method.name));
    decoded.unwrap_or_else(|e| panic!("`{}` response: {e}", method.name))
}

#[test]
fn every_method_round_trips_its_params_and_response_examples() {
    // Every method is checked: an example it lacks fails to be read.
    for method in REGISTRY.methods() {
        let dir = conformance_dir().join(method.name);
        let mut message = json!({ "method": method.name });
        if method.kind == Kind::Request {
            message["id"] = json!(42);
        }
        if method.params.is_some() {
            message["params"] = read_json(&dir.join("params.json"));
        } else {
            assert!(
                !dir.join("params.json").exists(),
                "`{}` takes no params",
                method.name
            );
        }
        assert_eq!(
            round_trip_message(method, &message),
            message,
            "`{}` params",
            method.name
        );

        if method.response.is_some() {
            let response = read_json(&dir.join("response.json"));
            assert_eq!(
                round_trip_response(method, response.clone()),
                response,
                "`{}` response",
                method.name
            );
        }
    }
}

/// The folders of `protocol-defs/conformance/` are exactly the methods of
/// the registry: an example left behind by a renamed or removed method fails.
#[test]
fn conformance_folders_are_the_methods_of_the_registry() {
    fn method_folders(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if !path.is_dir() || path.file_name().unwrap() == "invalid" {
                continue;
            }
            if ["params.json", "response.json"]
                .iter()
                .any(|file| path.join(file).exists())
            {
                let name = path.strip_prefix(root).unwrap().to_str().unwrap();
                out.push(name.replace(std::path::MAIN_SEPARATOR, "/"));
            }
            method_folders(root, &path, out);
        }
    }
    let root = conformance_dir();
    let mut folders = Vec::new();
    method_folders(&root, &root, &mut folders);
    folders.sort();
    let mut methods: Vec<String> = REGISTRY
        .methods()
        .filter(|m| m.params.is_some() || m.response.is_some())
        .map(|m| m.name.to_owned())
        .collect();
    methods.sort();
    assert_eq!(folders, methods);
}

fn decode_message(
    method: &MethodInfo,
    message: &Value,
) -> Result<(), protocol_macros::DecodeError> {
    let bytes = serde_json::to_vec(message).unwrap();
    match (method.direction, method.kind) {
        (Direction::ClientToServer, Kind::Request) => ClientRequest::decode(&bytes).map(drop),
        (Direction::ServerToClient, Kind::Request) => ServerRequest::decode(&bytes).map(drop),
        (Direction::ClientToServer, Kind::Notification) => {
            ClientNotification::decode(&bytes).map(drop)
        }
        (Direction::ServerToClient, Kind::Notification) => {
            ServerNotification::decode(&bytes).map(drop)
        }
    }
}

#[test]
fn every_invalid_example_is_rejected_by_serde() {
    let mut rejected = 0;
    for method in REGISTRY.methods() {
        let dir = conformance_dir().join(method.name).join("invalid");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        let count = |prefix: &str| {
            files
                .iter()
                .filter(|f| f.file_name().unwrap().to_str().unwrap().starts_with(prefix))
                .count()
        };
        if method.params.is_some() {
            assert!(
                count("params-") > 0,
                "`{}` has no invalid params example in {}",
                method.name,
                dir.display()
            );
        }
        if method.response.is_some() {
            assert!(
                count("response-") > 0,
                "`{}` has no invalid response example in {}",
                method.name,
                dir.display()
            );
        }
        for file in &files {
            let name = file.file_name().unwrap().to_str().unwrap();
            let value = read_json(file);
            if name.starts_with("params-") {
                let mut message = json!({ "method": method.name, "params": value });
                if method.kind == Kind::Request {
                    message["id"] = json!(1);
                }
                let err = decode_message(method, &message).expect_err(name);
                assert_eq!(
                    err.code,
                    ErrorCode::InvalidParams,
                    "{}/{name}: {err}",
                    method.name
                );
            } else if name.starts_with("response-") {
                let result = match method.direction {
                    Direction::ClientToServer => {
                        ClientRequest::decode_response_for(method.name, value).map(drop)
                    }
                    Direction::ServerToClient => {
                        ServerRequest::decode_response_for(method.name, value).map(drop)
                    }
                };
                assert!(result.is_err(), "{}/{name} was accepted", method.name);
            } else {
                panic!(
                    "{}: invalid examples are named params-*.json or response-*.json",
                    file.display()
                );
            }
            rejected += 1;
        }
    }
    // Every invalid example on disk was judged, none left in a folder no
    // method reads.
    let on_disk = walk(&conformance_dir())
        .into_iter()
        .filter(|path| path.components().any(|c| c.as_os_str() == "invalid"))
        .count();
    assert_eq!(
        rejected, on_disk,
        "invalid examples judged, of those on disk"
    );
}

/// The registry's shape: each set holds the methods of its own direction
/// and kind, requests name a response and notifications none, names are
/// unique (codex has no method both peers send). The list itself is pinned
/// by the `registry_summary` snapshot (tests/tests/it/generated.rs), which is
/// where a new method shows up in review.
#[test]
fn registry_holds_the_protocol() {
    let mut names: Vec<&str> = Vec::new();
    for set in REGISTRY.sets {
        assert!(!set.methods.is_empty(), "{} is empty", set.name);
        assert_eq!(
            set.response_name.is_some(),
            set.kind == Kind::Request,
            "{}",
            set.name
        );
        assert_eq!(set.protocol, REGISTRY.settings, "{}", set.name);
        for method in set.methods {
            assert_eq!((method.direction, method.kind), (set.direction, set.kind));
            assert_eq!(
                method.response.is_some(),
                method.kind == Kind::Request,
                "`{}`",
                method.name
            );
            assert_eq!(
                REGISTRY
                    .method(method.name, method.direction)
                    .map(|m| m.name),
                Some(method.name)
            );
            assert_eq!(REGISTRY.methods_named(method.name).count(), 1);
            names.push(method.name);
        }
    }
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "method names are unique");
    let attestation = REGISTRY
        .method("attestation/generate", Direction::ServerToClient)
        .unwrap();
    assert!(REGISTRY
        .method("attestation/generate", Direction::ClientToServer)
        .is_none());
    assert_eq!(attestation.capability, Some(REQUEST_ATTESTATION));
    assert_eq!(
        attestation.capability.unwrap().to_string(),
        "client.requestAttestation"
    );
    assert_eq!(
        attestation.params.unwrap().rust_name,
        "AttestationGenerateParams"
    );
    assert_eq!(
        attestation.response.unwrap().rust_name,
        "AttestationGenerateResponse"
    );
    assert!(attestation.docs.contains("x-oai-attestation"));
    assert_eq!(
        <AttestationGenerate as Request>::INFO.name,
        "attestation/generate"
    );
}

/// codex's settings: no `jsonrpc` member, `initialize` carries the
/// client's capabilities (the server declares none), and the experimental
/// opt-in and the opt-out list are the client's.
#[test]
fn codex_declares_its_dialect_and_negotiation() {
    let settings = REGISTRY.settings;
    assert_eq!(settings.jsonrpc, Dialect::Omitted);
    let negotiation = settings.negotiation.unwrap();
    assert_eq!(negotiation.method, "initialize");
    assert_eq!(
        negotiation.client.map(|location| location.to_string()),
        Some("params.capabilities".to_owned())
    );
    assert_eq!(negotiation.server, None);
    assert_eq!(
        settings.experimental.map(|c| c.to_string()),
        Some("client.experimentalApi".to_owned())
    );
    assert_eq!(
        settings.opt_out.map(|c| c.to_string()),
        Some("client.optOutNotificationMethods".to_owned())
    );
}

#[test]
fn every_declared_capability_is_a_boolean_of_initialize_capabilities() {
    let schema = schemars::schema_for!(InitializeCapabilities).to_value();
    let mut gated = 0;
    for method in REGISTRY.methods() {
        let Some(capability) = method.capability else {
            continue;
        };
        // The server declares no capabilities in codex: every one is the
        // client's, one member of `initialize`'s `params.capabilities`.
        assert_eq!(capability.side, Side::Client, "`{}`", method.name);
        let [member] = capability.path else {
            panic!("`{}` requires `{capability}`, not a member", method.name);
        };
        assert_eq!(
            schema["properties"][member]["type"],
            json!("boolean"),
            "`{}` requires `{capability}`, which InitializeCapabilities must declare as a boolean",
            method.name
        );
        gated += 1;
    }
    assert_eq!(gated, 1, "attestation/generate");
}

fn apply_patch_params() -> ApplyPatchApprovalParams {
    serde_json::from_value(read_json(
        &conformance_dir().join("applyPatchApproval/params.json"),
    ))
    .unwrap()
}

#[test]
fn attestation_is_refused_to_clients_that_did_not_opt_in() {
    for capabilities in [
        None,
        Some(Value::Null),
        Some(json!({})),
        Some(json!({ "requestAttestation": false })),
        Some(json!({ "experimentalApi": true })),
    ] {
        let mut connection = initialized(capabilities.clone());
        let err = connection
            .request::<AttestationGenerate>(AttestationGenerateParams {})
            .unwrap_err();
        assert_eq!(
            (err.method, err.capability, err.experimental),
            ("attestation/generate", REQUEST_ATTESTATION, None),
            "{capabilities:?}"
        );
        assert_eq!(
            err.to_string(),
            "`attestation/generate` requires the client capability `requestAttestation`, \
             which this connection did not negotiate"
        );
        assert_eq!(connection.pending().count(), 0, "{capabilities:?}");
        // Ungated server requests still go through.
        let ok = connection.request::<ApplyPatchApproval>(apply_patch_params());
        assert!(ok.is_ok(), "{capabilities:?}");
        assert_eq!(connection.pending().count(), 1);
    }
}

#[test]
fn a_gated_message_cannot_be_built_without_the_grant() {
    // Without the capability there is no `Granted<AttestationGenerate>` to
    // put in the variant, and `Granted` has no public constructor (pinned by
    // the `gated-variant-without-grant` UI test).
    let none = Connection::<ServerSide>::new();
    assert!(none.grant_request::<AttestationGenerate>().is_err());
    let declined = initialized(Some(json!({ "requestAttestation": false })));
    assert!(declined.grant_request::<AttestationGenerate>().is_err());
    // Ungated methods are granted to everyone.
    assert!(none.grant_request::<ApplyPatchApproval>().is_ok());
    // A received request carries a proof made by the decoder: it reads like
    // any other, and cannot be sent (below).
    let received =
        ServerRequest::decode(br#"{"method":"attestation/generate","id":1,"params":{}}"#).unwrap();
    let ServerRequest::AttestationGenerate { granted, .. } = &received else {
        panic!("{received:?}");
    };
    assert!(!granted.is_checked());
    assert!(opted_in()
        .grant_request::<AttestationGenerate>()
        .unwrap()
        .is_checked());
}

const ATTESTATION: &[u8] = br#"{"method":"attestation/generate","id":0,"params":{}}"#;

/// What serde says of a gated message whose proof did not come from a
/// connection's capability check: every way of making text of it fails.
/// (The former route of handing it to a peer's encoder,
/// `Capabilities::encode_outgoing`, is gone: a connection encodes only the
/// `OutgoingRequest`s it made itself.)
fn assert_unsendable(message: &ServerRequest) {
    assert_serde_refuses(
        message,
        "`attestation/generate` was received, not granted: \
         send it with Connection::request on the connection it goes to",
    );
}

#[test]
fn the_decoders_proof_cannot_be_sent() {
    // The proof the decoder makes, minted by hand.
    let minted = <AttestationGenerate as Request>::message(
        RequestId::Integer(0),
        AttestationGenerateParams {},
        protocol_macros::__private::received::<AttestationGenerate>(),
    );
    assert_unsendable(&minted);

    // The proof of a decoded request, moved into a new message.
    let ServerRequest::AttestationGenerate { granted, .. } =
        ServerRequest::decode(ATTESTATION).unwrap()
    else {
        panic!("an attestation request");
    };
    let rebuilt = <AttestationGenerate as Request>::message(
        RequestId::Integer(5),
        AttestationGenerateParams {},
        granted.clone(),
    );
    assert_unsendable(&rebuilt);
    let variant = ServerRequest::AttestationGenerate {
        id: RequestId::Integer(6),
        params: AttestationGenerateParams {},
        granted,
    };
    assert_unsendable(&variant);

    // Decoded through the untyped entry point, and by a connection.
    let Incoming::Request(request) =
        decode_incoming::<ServerRequest, ServerNotification>(ATTESTATION).unwrap()
    else {
        panic!("a request");
    };
    assert_unsendable(&request);
    let Received::Request(request) = Connection::<ClientSide>::new()
        .receive(ATTESTATION)
        .unwrap()
    else {
        panic!("a request");
    };
    assert_unsendable(&request);
}

/// `serde_json::from_value::<ServerRequest>` (and every other `Deserialize`
/// route) is a decoder: what it makes reads fine and cannot be re-sent.
#[test]
fn a_deserialised_gated_request_reads_but_cannot_be_re_sent() {
    let value: Value = serde_json::from_slice(ATTESTATION).unwrap();
    let request: ServerRequest = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(request.method(), "attestation/generate");
    assert_eq!(request.id(), &RequestId::Integer(0));
    assert_unsendable(&request);
    let from_slice: ServerRequest = serde_json::from_slice(ATTESTATION).unwrap();
    assert_unsendable(&from_slice);
    // An ungated request round-trips as before.
    let approval: Value = json!({
        "method": "applyPatchApproval",
        "id": 3,
        "params": read_json(&conformance_dir().join("applyPatchApproval/params.json")),
    });
    let decoded: ServerRequest = serde_json::from_value(approval.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), approval);

    // A proof of the connection it goes to, put into the message, makes it
    // no more serialisable: only that connection encodes it, and it
    // encodes only the requests it made (`Capabilities::with_granted`,
    // the former route, is gone).
    let mut forwarded = request;
    let ServerRequest::AttestationGenerate { granted, .. } = &mut forwarded else {
        panic!("an attestation request");
    };
    assert!(Connection::<ServerSide>::new()
        .grant_request::<AttestationGenerate>()
        .is_err());
    let mut connection = opted_in();
    *granted = connection.grant_request::<AttestationGenerate>().unwrap();
    assert_serde_refuses(
        &forwarded,
        "`attestation/generate` is gated: only the connection that granted it encodes it \
         (Connection::encode or Connection::request)",
    );
    // Forwarding is a request of that connection.
    let ServerRequest::AttestationGenerate { params, .. } = forwarded else {
        panic!("an attestation request");
    };
    let outgoing = connection.request::<AttestationGenerate>(params).unwrap();
    let sent: Value = serde_json::from_slice(&connection.encode(&outgoing).unwrap()).unwrap();
    assert_eq!(sent, value);
}

/// The connection owns the ids it hands out: the message it returns
/// cannot be changed (pinned by the `outgoing-id-is-owned` UI test), so a
/// response always pairs with its request.
#[test]
fn the_pending_table_pairs_the_response_with_its_request() {
    let mut connection = opted_in();
    let first = connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let second = connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_eq!(
        (first.id(), second.id()),
        (&RequestId::Integer(0), &RequestId::Integer(1))
    );
    assert_eq!(first.method(), "attestation/generate");
    assert_eq!(first.message().id(), first.id());
    let pending: Vec<_> = connection
        .pending()
        .map(|(id, m)| (id.clone(), m))
        .collect();
    assert_eq!(
        pending,
        [
            (RequestId::Integer(0), "attestation/generate"),
            (RequestId::Integer(1), "attestation/generate"),
        ]
    );
    // The text sent carries the pending id. The connection is the one
    // encoder: `OutgoingRequest::encode` and `impl Serialize for
    // OutgoingRequest` are gone (a compile error now), and the message
    // inside does not serialise on its own.
    assert_eq!(
        text(connection.encode(&second).unwrap()),
        r#"{"method":"attestation/generate","id":1,"params":{}}"#
    );
    assert_serde_refuses(
        second.message(),
        "`attestation/generate` is gated: only the connection that granted it encodes it \
         (Connection::encode or Connection::request)",
    );
    // Encoding twice is the same text, and leaves the table as it was.
    assert_eq!(
        connection.encode(&second).unwrap(),
        connection.encode(&second).unwrap()
    );
    assert_eq!(connection.pending().count(), 2);

    // An answer to an id never handed out pairs with nothing, and leaves
    // the table as it was.
    let stray = br#"{"id":999,"result":{"token":"t"}}"#;
    assert_eq!(
        connection.receive(stray).unwrap_err(),
        ReceiveError::Response(ResponseError::UnknownId(RequestId::Integer(999)))
    );
    assert_eq!(
        connection.error_reply(&ReceiveError::Response(ResponseError::UnknownId(
            RequestId::Integer(999)
        ))),
        None
    );
    assert_eq!(connection.pending().count(), 2);
    for request in [&second, &first] {
        let reply = json!({ "id": request.id(), "result": { "token": "t" } }).to_string();
        let Received::Response { id, response } = connection.receive(reply.as_bytes()).unwrap()
        else {
            panic!("a response");
        };
        assert_eq!(&id, request.id());
        assert_eq!(response.method(), "attestation/generate");
        // A request is answered once.
        assert_eq!(
            connection.receive(reply.as_bytes()).unwrap_err(),
            ReceiveError::Response(ResponseError::UnknownId(request.id().clone()))
        );
    }
    assert_eq!(connection.pending().count(), 0);

    // An error answer pairs too, and names the method it answers.
    let third = connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let error = br#"{"error":{"code":-32603,"message":"no key"},"id":2}"#;
    let Received::Error { error, method } = connection.receive(error).unwrap() else {
        panic!("an error");
    };
    assert_eq!(
        (&error.id, method.name),
        (third.id(), "attestation/generate")
    );
    assert_eq!(error.error.message, "no key");
    assert_eq!(connection.pending().count(), 0);
}

#[test]
fn attestation_reaches_clients_that_opted_in_and_the_reply_is_typed() {
    // The client's connection sends `initialize`; the server's reads the
    // capabilities from it.
    let mut client = Connection::<ClientSide>::new();
    let initialize = client
        .request::<Initialize>(InitializeParams {
            client_info: ClientInfo {
                name: "desktop".into(),
                title: None,
                version: "1".into(),
            },
            capabilities: Some(InitializeCapabilities {
                request_attestation: true,
                ..InitializeCapabilities::default()
            }),
        })
        .unwrap();
    let mut server = Connection::<ServerSide>::new();
    assert!(!server.capabilities().declares(REQUEST_ATTESTATION));
    let Received::Request(request) = server
        .receive(&client.encode(&initialize).unwrap())
        .unwrap()
    else {
        panic!("a request");
    };
    // Declared, not yet in force: the server has not accepted it.
    assert!(!server.capabilities().declares(REQUEST_ATTESTATION));
    assert!(!client.capabilities().declares(REQUEST_ATTESTATION));
    let reply = server
        .respond(
            &request,
            &ClientResponse::Initialize(InitializeResponse {
                user_agent: "test/1".into(),
                codex_home: protocol_defs::common::AbsolutePathBuf::new("/home/u/.codex").unwrap(),
                platform_family: "unix".into(),
                platform_os: "linux".into(),
            }),
        )
        .unwrap();
    let Received::Response { id, response } = client.receive(&reply).unwrap() else {
        panic!("a response");
    };
    assert_eq!((&id, response.method()), (initialize.id(), "initialize"));
    // Accepted: in force on both sides.
    assert!(server.capabilities().declares(REQUEST_ATTESTATION));
    assert!(client.capabilities().declares(REQUEST_ATTESTATION));

    let request = server
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let sent = server.encode(&request).unwrap();
    assert_eq!(
        text(sent.clone()),
        r#"{"method":"attestation/generate","id":0,"params":{}}"#
    );
    // The client's reply arrives as text and is paired by id.
    let Received::Request(received) = client.receive(&sent).unwrap() else {
        panic!("a request");
    };
    let answer = <AttestationGenerate as Request>::wrap_response(AttestationGenerateResponse {
        token: "v1.secret-token".to_owned().into(),
    });
    let reply = client.respond(&received, &answer).unwrap();
    assert_eq!(
        text(reply.clone()),
        r#"{"id":0,"result":{"token":"v1.secret-token"}}"#
    );
    let received = server.receive(&reply).unwrap();
    assert!(
        !format!("{received:?}").contains("v1.secret-token"),
        "{received:?}"
    );
    let Received::Response { id, response } = received else {
        panic!("a response");
    };
    assert_eq!(&id, request.id());
    let typed: AttestationGenerateResponse =
        AttestationGenerate::unwrap_response(response).unwrap();
    assert_eq!(typed.token.expose(), "v1.secret-token");
}

#[test]
fn the_attestation_token_never_reaches_debug_output() {
    let secret = "v1.do-not-log-me";
    let response: AttestationGenerateResponse =
        serde_json::from_value(json!({ "token": secret })).unwrap();
    let debug = [
        format!("{response:?}"),
        format!("{response:#?}"),
        format!(
            "{:?}",
            ServerResponse::AttestationGenerate(response.clone())
        ),
        format!(
            "{:?}",
            <AttestationGenerate as Request>::wrap_response(response.clone())
        ),
    ];
    for text in debug {
        assert!(!text.contains(secret), "leaked: {text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
    // On the wire it is the plain string.
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({ "token": secret })
    );

    // Every credential field, decoded from the wire, and the replies that
    // carry one: `Debug` shows none of them.
    let login = ClientRequest::decode(
        json!({ "method": "loginApiKey", "id": 1, "params": { "apiKey": secret } })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let status =
        ClientRequest::decode_response_for("getAuthStatus", json!({ "authToken": secret }))
            .unwrap();
    let reply =
        <AttestationGenerate as Request>::respond(RequestId::Integer(4), &response).unwrap();
    let Incoming::Response(incoming) = decode_incoming::<ClientRequest, ClientNotification>(
        json!({ "id": 4, "result": { "token": secret } })
            .to_string()
            .as_bytes(),
    )
    .unwrap() else {
        panic!("a response");
    };
    let texts = [
        format!("{login:?}"),
        format!("{login:#?}"),
        format!("{status:?}"),
        format!("{status:#?}"),
        format!("{reply:?}"),
        format!("{incoming:?}"),
    ];
    for text in texts {
        assert!(!text.contains(secret), "leaked: {text}");
    }
    let ClientResponse::GetAuthStatus(GetAuthStatusResponse {
        auth_token: Some(token),
        ..
    }) = &status
    else {
        panic!("{status:?}");
    };
    assert_eq!(token.expose(), secret);
    assert_eq!(reply.result, incoming.result);
    assert_eq!(reply.jsonrpc, Dialect::Omitted);
}

#[test]
fn malformed_client_messages_get_jsonrpc_error_codes() {
    let cases: &[(&str, i64, Option<RequestId>)] = &[
        ("{\"id\":1,", -32700, None),
        ("not json", -32700, None),
        ("42", -32600, None),
        (r#"{"id":{"x":1},"method":"initialize"}"#, -32600, None),
        (
            r#"{"id":2,"method":["initialize"]}"#,
            -32600,
            Some(RequestId::Integer(2)),
        ),
        (
            r#"{"id":3,"method":"thread/start","params":{}}"#,
            -32601,
            Some(RequestId::Integer(3)),
        ),
        (
            r#"{"id":"a","method":"attestation/generate","params":{}}"#,
            -32601,
            Some(RequestId::from("a")),
        ),
        (
            r#"{"id":4,"method":"initialize","params":{"clientInfo":{"name":"x"}}}"#,
            -32602,
            Some(RequestId::Integer(4)),
        ),
        (
            r#"{"id":5,"method":"getUserSavedConfig","params":{"x":1}}"#,
            -32602,
            Some(RequestId::Integer(5)),
        ),
        (
            r#"{"id":6,"method":"execOneOffCommand","params":{"command":["ls"],"timeoutMs":-1}}"#,
            -32602,
            Some(RequestId::Integer(6)),
        ),
    ];
    for (json, code, id) in cases {
        let err = ClientRequest::decode(json.as_bytes()).unwrap_err();
        assert_eq!((err.code.code(), &err.id), (*code, id), "{json}: {err}");
        assert_eq!(ErrorCode::from_code(*code), Some(err.code));
        if let Some(id) = id {
            let reply = serde_json::to_value(err.to_response().unwrap()).unwrap();
            assert_eq!(reply["id"], serde_json::to_value(id).unwrap());
            assert_eq!(reply["error"]["code"], json!(code));
            assert_eq!(reply.get("jsonrpc"), None, "{reply}");
        }
        // The server's connection answers the same, without `jsonrpc`.
        let mut connection = Connection::<ServerSide>::new();
        let mut receiving = Connection::<ServerSide>::new();
        let received = receiving.receive(json.as_bytes()).unwrap_err();
        let ReceiveError::Decode(decoded) = &received else {
            panic!("{json}: {received:?}");
        };
        assert_eq!(decoded, &err);
        let reply = connection.error_reply(&received);
        // What cannot be attributed is answered with `"id": null`; a
        // notification is not answered.
        let answered = id.is_some() || matches!(code, -32700 | -32600);
        assert_eq!(reply.is_some(), answered, "{json}");
        if let Some(reply) = reply {
            let reply: Value = serde_json::from_slice(&reply).unwrap();
            assert_eq!(
                reply,
                json!({ "error": { "code": code, "message": err.message }, "id": id })
            );
        }
    }
    // A server notification is not a client notification.
    let err = ClientNotification::decode(
        br#"{"method":"authStatusChange","params":{"authMethod":null}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);
    // codex neither writes nor requires `jsonrpc`; a peer that writes it
    // is understood.
    let with_version = br#"{"jsonrpc":"2.0","method":"getUserSavedConfig","id":7}"#;
    assert_eq!(
        ClientRequest::decode(with_version).unwrap(),
        ClientRequest::GetUserSavedConfig {
            id: RequestId::Integer(7)
        }
    );
}

#[test]
fn envelope_types_have_the_reference_wire_form() {
    let messages = [
        r#"{"id":1,"method":"initialize","params":{"clientInfo":{}}}"#,
        r#"{"method":"initialized"}"#,
        r#"{"id":"x","result":{}}"#,
        r#"{"error":{"code":-32601,"message":"method not found"},"id":2}"#,
    ];
    let kinds: Vec<&str> = messages
        .iter()
        .map(|text| {
            let message: JSONRPCMessage = serde_json::from_str(text).unwrap();
            assert_eq!(&serde_json::to_string(&message).unwrap(), text);
            match message {
                JSONRPCMessage::Request(_) => "request",
                JSONRPCMessage::Notification(_) => "notification",
                JSONRPCMessage::Response(_) => "response",
                JSONRPCMessage::Error(_) => "error",
            }
        })
        .collect();
    assert_eq!(kinds, ["request", "notification", "response", "error"]);
    let response = JSONRPCResponse {
        jsonrpc: Dialect::Omitted,
        id: RequestId::Integer(1),
        result: json!(null),
    };
    assert_eq!(
        serde_json::to_string(&response).unwrap(),
        r#"{"id":1,"result":null}"#
    );
    // A codex connection writes its own dialect, whatever the error says.
    let error = JSONRPCError {
        jsonrpc: Dialect::V2,
        error: JSONRPCErrorError {
            code: -32601,
            message: "method not found".into(),
            data: None,
        },
        id: RequestId::Integer(2),
    };
    assert_eq!(
        text(Connection::<ServerSide>::new().error(&error)),
        messages[3]
    );
    assert_eq!(
        text(Connection::<ClientSide>::new().error(&error)),
        messages[3]
    );
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
