//! The codex app-server protocol on the wire: exact JSON, every method's
//! examples, error classification, the attestation capability gate and the
//! redaction of the attestation credential.

use std::path::{Path, PathBuf};

use protocol_defs::connection::{negotiated_capabilities, server_requests};
use protocol_defs::v1::*;
use protocol_defs::*;
use protocol_macros::{
    decode_incoming, Capabilities, Direction, EncodeError, ErrorCode, Incoming, JSONRPCResponse,
    Kind, MethodInfo, MethodSet, Request, RequestSet, ResponseError,
};
use serde_json::{json, Value};

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol-defs/conformance")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn attestation_generate_request_has_the_pinned_wire_form() {
    let wire = r#"{"method":"attestation/generate","id":9,"params":{}}"#;
    // Building the message needs the proof that the client opted in.
    let caps = Capabilities::from_wire(&json!({ "requestAttestation": true })).unwrap();
    let granted = caps.grant_request::<AttestationGenerate>().unwrap();
    let request = <AttestationGenerate as Request>::message(
        RequestId::Integer(9),
        AttestationGenerateParams {},
        granted,
    );
    assert_eq!(serde_json::to_string(&request).unwrap(), wire);
    assert_eq!(ServerRequest::decode(wire.as_bytes()).unwrap(), request);
    assert_eq!(
        serde_json::from_str::<ServerRequest>(wire).unwrap(),
        request
    );
    assert_eq!(request.method(), "attestation/generate");
    assert_eq!(request.id(), &RequestId::Integer(9));

    let response = request.decode_response(json!({"token": "v1.abc"})).unwrap();
    let ServerResponse::AttestationGenerate(typed) = &response else {
        panic!("wrong response variant: {response:?}");
    };
    assert_eq!(typed.token.expose(), "v1.abc");
    assert_eq!(
        serde_json::to_string(&request.respond(&response).unwrap()).unwrap(),
        r#"{"id":9,"result":{"token":"v1.abc"}}"#
    );
}

#[test]
fn other_messages_have_the_pinned_wire_form() {
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
                params: InitializeParams {
                    client_info: ClientInfo {
                        name: "tui".into(),
                        title: None,
                        version: "1.0".into(),
                    },
                    capabilities: None,
                },
            })
            .unwrap(),
            r#"{"method":"initialize","id":0,"params":{"clientInfo":{"name":"tui","title":null,"version":"1.0"}}}"#,
        ),
    ];
    for (value, wire) in cases {
        assert_eq!(value, wire);
    }
}

/// The message enum of `method`'s direction and kind decodes `message` and
/// re-encodes it; returns the re-encoded JSON.
fn round_trip_message(method: &MethodInfo, message: &Value) -> Value {
    let bytes = serde_json::to_vec(message).unwrap();
    match (method.direction, method.kind) {
        (Direction::ClientToServer, Kind::Request) => encode(method, ClientRequest::decode(&bytes)),
        (Direction::ServerToClient, Kind::Request) => {
            encode(method, ServerRequest::decode(&bytes).map(forwarded))
        }
        (Direction::ClientToServer, Kind::Notification) => {
            encode(method, ClientNotification::decode(&bytes))
        }
        (Direction::ServerToClient, Kind::Notification) => {
            encode(method, ServerNotification::decode(&bytes))
        }
    }
}

/// A decoded server request as a proxy would forward it: a received gated
/// request cannot be sent as is, so it gets a proof from the capability
/// check of the connection it goes to.
fn forwarded(mut request: ServerRequest) -> ServerRequest {
    if request.info().capability.is_none() {
        return request;
    }
    let err = serde_json::to_value(&request).unwrap_err();
    assert!(
        err.to_string().contains("was received, not granted"),
        "{err}"
    );
    let caps = Capabilities::none().with_granted("requestAttestation");
    match &mut request {
        ServerRequest::AttestationGenerate { granted, .. } => {
            *granted = caps.grant_request::<AttestationGenerate>().unwrap();
        }
        other => panic!("`{}` is gated: forward it here", other.method()),
    }
    request
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
    let mut checked = 0;
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
        checked += 1;

        if method.response.is_some() {
            let response = read_json(&dir.join("response.json"));
            assert_eq!(
                round_trip_response(method, response.clone()),
                response,
                "`{}` response",
                method.name
            );
            checked += 1;
        }
    }
    let requests = REGISTRY
        .methods()
        .filter(|m| m.kind == Kind::Request)
        .count();
    assert_eq!(checked, REGISTRY.methods().count() + requests);
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
    assert!(rejected >= 23, "only {rejected} invalid examples");
}

/// The registry's shape: each set holds the methods of its own direction
/// and kind, requests name a response and notifications none, names are
/// unique. The list itself is pinned by the `registry_summary` snapshot
/// (tests/tests/generated.rs), which is where a new method shows up in review.
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
        for method in set.methods {
            assert_eq!((method.direction, method.kind), (set.direction, set.kind));
            assert_eq!(
                method.response.is_some(),
                method.kind == Kind::Request,
                "`{}`",
                method.name
            );
            assert_eq!(
                REGISTRY.method(method.name).map(|m| m.name),
                Some(method.name)
            );
            names.push(method.name);
        }
    }
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "method names are unique");
    let attestation = REGISTRY.method("attestation/generate").unwrap();
    assert_eq!(attestation.capability, Some("requestAttestation"));
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

#[test]
fn every_declared_capability_is_a_boolean_of_initialize_capabilities() {
    let schema = schemars::schema_for!(InitializeCapabilities).to_value();
    for method in REGISTRY.methods() {
        let Some(capability) = method.capability else {
            continue;
        };
        assert_eq!(
            schema["properties"][capability]["type"],
            json!("boolean"),
            "`{}` requires `{capability}`, which InitializeCapabilities must declare as a boolean",
            method.name
        );
    }
}

fn initialize(capabilities: Value) -> InitializeParams {
    let mut params = json!({ "clientInfo": { "name": "app", "title": null, "version": "1" } });
    if !capabilities.is_null() {
        params["capabilities"] = capabilities;
    }
    serde_json::from_value(params).unwrap()
}

#[test]
fn attestation_is_refused_to_clients_that_did_not_opt_in() {
    for capabilities in [
        Value::Null,
        json!({}),
        json!({ "requestAttestation": false }),
        json!({ "experimentalApi": true }),
    ] {
        let params = initialize(capabilities.clone());
        let mut outgoing = server_requests(&params);
        let err = outgoing
            .request::<AttestationGenerate>(AttestationGenerateParams {})
            .unwrap_err();
        assert_eq!(
            (err.method, err.capability),
            ("attestation/generate", "requestAttestation")
        );
        assert_eq!(outgoing.pending().count(), 0);
        // Ungated server requests still go through.
        let ok = outgoing.request::<ApplyPatchApproval>(
            serde_json::from_value(read_json(
                &conformance_dir().join("applyPatchApproval/params.json"),
            ))
            .unwrap(),
        );
        assert!(ok.is_ok(), "{capabilities}");
    }
}

#[test]
fn a_gated_message_cannot_be_built_without_the_grant() {
    // Without the capability there is no `Granted<AttestationGenerate>` to
    // put in the variant, and `Granted` has no public constructor (pinned by
    // the `gated-variant-without-grant` UI test).
    let none = Capabilities::none();
    assert!(none.grant_request::<AttestationGenerate>().is_err());
    let declined = Capabilities::from_wire(&json!({ "requestAttestation": false })).unwrap();
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
    assert!(none
        .with_granted("requestAttestation")
        .grant_request::<AttestationGenerate>()
        .unwrap()
        .is_checked());
}

const ATTESTATION: &[u8] = br#"{"method":"attestation/generate","id":0,"params":{}}"#;

/// What serde and the sending half say of a gated message whose proof did
/// not come from the capability check: every way of making text of it fails.
fn assert_unsendable(message: &ServerRequest) {
    let expected = "`attestation/generate` was received, not granted: \
                    ask Capabilities::grant_request before sending it";
    let errors = [
        message.encode().unwrap_err(),
        serde_json::to_vec(message).unwrap_err(),
        serde_json::to_value(message).unwrap_err(),
        serde_json::to_string_pretty(message).unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.to_string(), expected);
    }
    // Nor for a peer that has the capability: the message itself was not granted.
    let caps = Capabilities::none().with_granted("requestAttestation");
    match caps.encode_outgoing(message) {
        Err(EncodeError::Json(err)) => assert_eq!(err.to_string(), expected),
        other => panic!("{other:?}"),
    }
    // And for a peer without it, the gate refuses first.
    assert!(matches!(
        Capabilities::none().encode_outgoing(message),
        Err(EncodeError::Refused(_))
    ));
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

    // Decoded through the untyped entry point, too.
    let Incoming::Request(request) =
        decode_incoming::<ServerRequest, ServerNotification>(ATTESTATION).unwrap()
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
    let ping: Value = json!({
        "method": "applyPatchApproval",
        "id": 3,
        "params": read_json(&conformance_dir().join("applyPatchApproval/params.json")),
    });
    let decoded: ServerRequest = serde_json::from_value(ping.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), ping);

    // Forwarding it takes a proof from the gate of the connection it goes to.
    let mut forwarded = request;
    let ServerRequest::AttestationGenerate { granted, .. } = &mut forwarded else {
        panic!("an attestation request");
    };
    assert!(Capabilities::none()
        .grant_request::<AttestationGenerate>()
        .is_err());
    *granted = Capabilities::none()
        .with_granted("requestAttestation")
        .grant_request::<AttestationGenerate>()
        .unwrap();
    assert_eq!(serde_json::to_value(&forwarded).unwrap(), value);
}

/// The sending half owns the ids it hands out: the message it returns
/// cannot be changed (pinned by the `outgoing-id-is-owned` UI test), so a
/// response always pairs with its request.
#[test]
fn the_pending_table_pairs_the_response_with_its_request() {
    let params = initialize(json!({ "requestAttestation": true }));
    let mut outgoing = server_requests(&params);
    let first = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let second = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_eq!(
        (first.id(), second.id()),
        (&RequestId::Integer(0), &RequestId::Integer(1))
    );
    assert_eq!(first.method(), "attestation/generate");
    assert_eq!(first.message().id(), first.id());
    let pending: Vec<_> = outgoing.pending().map(|(id, m)| (id.clone(), m)).collect();
    assert_eq!(
        pending,
        [
            (RequestId::Integer(0), "attestation/generate"),
            (RequestId::Integer(1), "attestation/generate"),
        ]
    );
    // The text sent carries the pending id, however it is encoded.
    let expected = r#"{"method":"attestation/generate","id":1,"params":{}}"#;
    for text in [
        outgoing.encode(&second).unwrap(),
        outgoing
            .capabilities()
            .encode_outgoing(&second)
            .unwrap()
            .unwrap(),
        second.encode().unwrap(),
        serde_json::to_vec(&second).unwrap(),
    ] {
        assert_eq!(String::from_utf8(text).unwrap(), expected);
    }
    // An answer to an id never handed out pairs with nothing.
    let stray = JSONRPCResponse {
        id: RequestId::Integer(999),
        result: json!({ "token": "t" }),
    };
    assert!(matches!(
        outgoing.complete(stray),
        Err(ResponseError::UnknownId(RequestId::Integer(999)))
    ));
    for request in [second, first] {
        let reply = JSONRPCResponse {
            id: request.id().clone(),
            result: json!({ "token": "t" }),
        };
        let (id, response) = outgoing.complete(reply).unwrap();
        assert_eq!(&id, request.id());
        assert_eq!(response.method(), "attestation/generate");
    }
    assert_eq!(outgoing.pending().count(), 0);
}

#[test]
fn attestation_reaches_clients_that_opted_in_and_the_reply_is_typed() {
    let params = initialize(json!({ "requestAttestation": true }));
    assert!(negotiated_capabilities(&params).grants("requestAttestation"));
    let mut outgoing = server_requests(&params);
    let request = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"method":"attestation/generate","id":0,"params":{}}"#
    );
    // The client's reply arrives as text and is paired by id.
    let reply = br#"{"id":0,"result":{"token":"v1.secret-token"}}"#;
    let Incoming::Response(response) =
        decode_incoming::<ClientRequest, ClientNotification>(reply).unwrap()
    else {
        panic!("a response");
    };
    let typed: AttestationGenerateResponse = outgoing
        .complete_as::<AttestationGenerate>(response)
        .unwrap();
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
        }
    }
    // A server notification is not a client notification.
    let err = ClientNotification::decode(
        br#"{"method":"authStatusChange","params":{"authMethod":null}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);
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
        id: RequestId::Integer(1),
        result: json!(null),
    };
    assert_eq!(
        serde_json::to_string(&response).unwrap(),
        r#"{"id":1,"result":null}"#
    );
}
