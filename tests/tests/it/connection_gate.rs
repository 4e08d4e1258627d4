//! A gated message reaches only a peer that declared the capability: codex's
//! `attestation/generate` never reaches a client that did not set
//! `requestAttestation`, by any route a sender could take. A request granted
//! on connection A (whose client opted in) is tried on connection B (whose
//! client did not), through every encoder there is; the routes that no
//! longer compile are named where they were.

use crate::common::codex_peer::{accept, assert_serde_refuses};
use protocol_defs::v1::{AttestationGenerateParams, InitializeCapabilities};
use protocol_defs::{AttestationGenerate, ClientRequest, ServerRequest, ServerSide, REGISTRY};
use protocol_macros::{
    Capabilities, CapabilityPath, Connection, EncodeError, ErrorCode, ReceiveError, Received,
    Request, RequestId, Side,
};
use serde_json::{json, Value};

const REQUEST_ATTESTATION: CapabilityPath = CapabilityPath {
    side: Side::Client,
    path: &["requestAttestation"],
};

const GATED: &str = "`attestation/generate` is gated: only the connection that granted it \
                     encodes it (Connection::encode or Connection::request)";

/// The `initialize` a client sends, with `capabilities` as given (no
/// member when `None`).
fn initialize(capabilities: Option<Value>) -> Vec<u8> {
    let mut params = json!({ "clientInfo": { "name": "app", "version": "1" } });
    if let Some(capabilities) = capabilities {
        params["capabilities"] = capabilities;
    }
    serde_json::to_vec(&json!({ "method": "initialize", "id": 0, "params": params })).unwrap()
}

/// The server's side of a connection whose client sent `initialize` with
/// these capabilities.
fn server(capabilities: Option<Value>) -> Connection<ServerSide> {
    let mut connection = Connection::new();
    let request = match connection.receive(&initialize(capabilities)) {
        Ok(Received::Request(request @ ClientRequest::Initialize { .. })) => request,
        other => panic!("{other:?}"),
    };
    accept(&mut connection, &request);
    connection
}

/// A: the client opted in.
fn opted_in() -> Connection<ServerSide> {
    server(Some(json!({ "requestAttestation": true })))
}

/// B: the client did not.
fn declined() -> Connection<ServerSide> {
    server(Some(json!({ "requestAttestation": false })))
}

#[test]
fn a_request_granted_on_one_connection_is_not_encoded_by_another() {
    let mut a = opted_in();
    let mut b = declined();
    let request = a
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let err = b.encode(&request).unwrap_err();
    assert_eq!(
        err,
        EncodeError::OtherConnection {
            method: "attestation/generate"
        }
    );
    assert_eq!(
        err.to_string(),
        "this `attestation/generate` request was made by another connection, which pairs its response"
    );
    // Whatever the other connection's capabilities: its pending table does
    // not hold this id.
    let other = opted_in();
    assert_eq!(
        other.encode(&request).unwrap_err(),
        EncodeError::OtherConnection {
            method: "attestation/generate"
        }
    );
    // B made nothing and sent nothing; A still pairs the answer.
    assert_eq!(b.pending().count(), 0);
    assert!(b
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .is_err());
    assert_eq!(
        String::from_utf8(a.encode(&request).unwrap()).unwrap(),
        r#"{"method":"attestation/generate","id":0,"params":{}}"#
    );
    let reply = br#"{"id":0,"result":{"token":"t"}}"#;
    assert_eq!(
        b.receive(reply).unwrap_err(),
        ReceiveError::Response(protocol_macros::ResponseError::UnknownId(
            RequestId::Integer(0)
        ))
    );
    assert!(matches!(
        a.receive(reply),
        Ok(Received::Response {
            id: RequestId::Integer(0),
            ..
        })
    ));
}

#[test]
fn the_message_of_a_granted_request_does_not_serialise_on_its_own() {
    let mut a = opted_in();
    let request = a
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_serde_refuses(request.message(), GATED);
    // The proof inside is A's, checked: the refusal is not for want of one.
    let ServerRequest::AttestationGenerate { granted, .. } = request.message() else {
        panic!("{:?}", request.message());
    };
    assert!(granted.is_checked());
    // And A itself encodes it.
    assert!(a.encode(&request).is_ok());
}

#[test]
fn a_copy_with_a_new_id_cannot_be_encoded_by_anyone() {
    let mut a = opted_in();
    let b = declined();
    let request = a
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let mut copy = request.message().clone();
    let ServerRequest::AttestationGenerate { id, .. } = &mut copy else {
        panic!("{copy:?}");
    };
    *id = RequestId::Integer(77);
    assert_eq!(copy.id(), &RequestId::Integer(77));
    // A connection encodes only the `OutgoingRequest`s it made:
    // `a.encode(&copy)` and `b.encode(&copy)` do not compile, no API
    // encodes a bare request message, and `OutgoingRequest` has neither a
    // constructor nor a `&mut` to its message. What is left is serde.
    assert_serde_refuses(&copy, GATED);
    // The copy is not pending anywhere.
    assert_eq!(
        a.pending().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
        [RequestId::Integer(0)]
    );
    assert_eq!(b.pending().count(), 0);
}

#[test]
fn swapped_proofs_leave_neither_message_sendable() {
    // Two connections whose clients opted in (B, whose client did not,
    // grants nothing to swap: its `grant_request` is the refusal).
    let a = opted_in();
    let other = opted_in();
    assert!(declined().grant_request::<AttestationGenerate>().is_err());
    let message = |granted| {
        <AttestationGenerate as Request>::message(
            RequestId::Integer(0),
            AttestationGenerateParams {},
            granted,
        )
    };
    let mut on_a = message(a.grant_request::<AttestationGenerate>().unwrap());
    let mut on_other = message(other.grant_request::<AttestationGenerate>().unwrap());
    let (
        ServerRequest::AttestationGenerate { granted: first, .. },
        ServerRequest::AttestationGenerate {
            granted: second, ..
        },
    ) = (&mut on_a, &mut on_other)
    else {
        panic!("attestation requests");
    };
    std::mem::swap(first, second);
    // Bare request messages: no connection encodes them (see above), and
    // serde refuses either proof.
    assert_serde_refuses(&on_a, GATED);
    assert_serde_refuses(&on_other, GATED);

    // A decoded request given A's proof: the same.
    let mut received =
        ServerRequest::decode(br#"{"method":"attestation/generate","id":3,"params":{}}"#).unwrap();
    let ServerRequest::AttestationGenerate { granted, .. } = &mut received else {
        panic!("{received:?}");
    };
    let ServerRequest::AttestationGenerate {
        granted: a_proof, ..
    } = &mut on_other
    else {
        panic!("{on_other:?}");
    };
    std::mem::swap(granted, a_proof);
    assert_serde_refuses(&received, GATED);
    assert_serde_refuses(
        &on_other,
        "`attestation/generate` was received, not granted: \
         send it with Connection::request on the connection it goes to",
    );
}

/// Gated notifications are the messages a connection encodes bare
/// (`encode_notification`): there, a swapped proof meets the encoder.
/// codex has none, so on `calc`'s `math/bigProgress` (gated on
/// `client.bigNumbers`).
#[test]
fn swapped_notification_proofs_are_refused_by_the_encoder() {
    use tests::calc::methods::{BigProgress, CalcNotification, ClientSide, ServerSide};
    use tests::calc::ProgressParams;

    let with = || {
        Connection::<ServerSide>::negotiated_for_tests(Some(json!({ "bigNumbers": true })), None)
    };
    let a = with();
    let b = with();
    let without = Connection::<ServerSide>::negotiated_for_tests(Some(json!({})), None);
    let notification = |granted| {
        <BigProgress as protocol_macros::Notification>::message(
            ProgressParams { percent: 5 },
            granted,
        )
    };
    let mut on_a = notification(a.grant_notification::<BigProgress>().unwrap());
    let mut on_b = notification(b.grant_notification::<BigProgress>().unwrap());
    let wire = br#"{"jsonrpc":"2.0","method":"math/bigProgress","params":{"percent":5}}"#;
    assert_eq!(a.encode_notification(&on_a).unwrap().unwrap(), wire);
    let (CalcNotification::BigProgress(_, first), CalcNotification::BigProgress(_, second)) =
        (&mut on_a, &mut on_b)
    else {
        panic!("bigProgress notifications");
    };
    std::mem::swap(first, second);

    let elsewhere = "`math/bigProgress` was granted on another connection, \
                     whose capabilities are not this one's";
    for (connection, message) in [(&a, &on_a), (&b, &on_b)] {
        match connection.encode_notification(message) {
            Err(EncodeError::Json(err)) => assert_eq!(err.to_string(), elsewhere),
            other => panic!("{other:?}"),
        }
    }
    // Each still goes where its proof is from.
    assert_eq!(a.encode_notification(&on_b).unwrap().unwrap(), wire);
    assert_eq!(b.encode_notification(&on_a).unwrap().unwrap(), wire);
    // A connection whose client did not declare the capability sends
    // neither: its peer must not get it.
    assert_eq!(without.encode_notification(&on_a).unwrap(), None);
    assert_eq!(without.encode_notification(&on_b).unwrap(), None);
    assert!(without.grant_notification::<BigProgress>().is_err());

    // A received one carries the decoder's proof: no connection sends it
    // until it holds that connection's.
    let mut client = Connection::<ClientSide>::new();
    let Ok(Received::Notification(mut received)) = client.receive(wire) else {
        panic!("a notification");
    };
    match a.encode_notification(&received) {
        Err(EncodeError::Json(err)) => assert_eq!(
            err.to_string(),
            "`math/bigProgress` was received, not granted: \
             send it with Connection::notify on the connection it goes to"
        ),
        other => panic!("{other:?}"),
    }
    if let CalcNotification::BigProgress(_, granted) = &mut received {
        *granted = a.grant_notification::<BigProgress>().unwrap();
    }
    assert_eq!(a.encode_notification(&received).unwrap().unwrap(), wire);
}

/// `Capabilities` are for reading: one built from a forged negotiation
/// declares what the forgery says, and nothing takes it to send. No method
/// of `Capabilities` returns a `Granted` (`allow` returns `()`), no
/// constructor of `Connection` takes `Capabilities`, and `Granted` has no
/// public constructor (the `gated-variant-without-grant` UI test).
#[test]
fn forged_capabilities_grant_nothing() {
    let forged = Capabilities::negotiated(
        REGISTRY.settings,
        Some(&json!({ "capabilities": { "requestAttestation": true } })),
        None,
    );
    assert!(forged.declares(REQUEST_ATTESTATION));
    // `allow` says yes, and hands out nothing.
    assert_eq!(forged.allow(<AttestationGenerate as Request>::INFO), Ok(()));
    // The server's connection has still received no negotiation.
    let mut connection = Connection::<ServerSide>::new();
    assert!(!connection.capabilities().declares(REQUEST_ATTESTATION));
    assert!(connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .is_err());
    assert!(connection.grant_request::<AttestationGenerate>().is_err());
    // Reading them as the negotiation they are: a forged `result` declares
    // nothing for the client in codex (its capabilities are in `params`).
    let in_result = Capabilities::negotiated(
        REGISTRY.settings,
        None,
        Some(&json!({ "capabilities": { "requestAttestation": true } })),
    );
    assert!(!in_result.declares(REQUEST_ATTESTATION));
}

#[test]
fn a_new_server_connection_refuses_attestation_until_the_client_opts_in() {
    let refused = |connection: &mut Connection<ServerSide>, label: &str| {
        let err = connection
            .request::<AttestationGenerate>(AttestationGenerateParams {})
            .unwrap_err();
        assert_eq!(err.capability, REQUEST_ATTESTATION, "{label}");
        assert!(connection.grant_request::<AttestationGenerate>().is_err());
        assert!(!connection.capabilities().declares(REQUEST_ATTESTATION));
        assert_eq!(connection.pending().count(), 0, "{label}");
    };
    let mut connection = Connection::<ServerSide>::new();
    refused(&mut connection, "before any message");

    // What is not an `initialize` request negotiates nothing, whether it
    // is received (the first two) or not.
    let not_initialize: [(&[u8], bool); 5] = [
        (br#"{"method":"initialized"}"#, true),
        (
            br#"{"method":"getAuthStatus","id":1,"params":{"capabilities":{"requestAttestation":true}}}"#,
            true,
        ),
        (
            br#"{"id":0,"result":{"capabilities":{"requestAttestation":true}}}"#,
            false,
        ),
        (
            br#"{"method":"initialize","params":{"capabilities":{"requestAttestation":true}}}"#,
            false,
        ),
        (
            br#"{"method":"getUserSavedConfig","id":1,"params":{"capabilities":{"requestAttestation":true}}}"#,
            false,
        ),
    ];
    for (message, received) in not_initialize {
        let label = std::str::from_utf8(message).unwrap();
        assert_eq!(connection.receive(message).is_ok(), received, "{label}");
        refused(&mut connection, label);
    }

    // An `initialize` that declares anything but `requestAttestation: true`.
    for capabilities in [
        None,
        Some(Value::Null),
        Some(json!({})),
        Some(json!({ "requestAttestation": false })),
        Some(json!({ "experimentalApi": true })),
        Some(json!({ "experimentalApi": true, "optOutNotificationMethods": [] })),
    ] {
        let mut connection = server(capabilities.clone());
        refused(&mut connection, &format!("{capabilities:?}"));
    }
    // One whose capabilities do not decode is refused as a message, and
    // negotiates nothing either.
    for capabilities in [
        json!({ "requestAttestation": null }),
        json!({ "requestAttestation": "true" }),
        json!({ "requestAttestation": 1 }),
        json!({ "requestAttestation": {} }),
    ] {
        let mut connection = Connection::<ServerSide>::new();
        match connection.receive(&initialize(Some(capabilities.clone()))) {
            Err(ReceiveError::Decode(err)) => {
                assert_eq!(err.code, ErrorCode::InvalidParams, "{capabilities}")
            }
            other => panic!("{capabilities}: {other:?}"),
        }
        refused(&mut connection, &capabilities.to_string());
    }

    // `requestAttestation: true`, as the typed params write it too.
    let typed = serde_json::to_value(InitializeCapabilities {
        request_attestation: true,
        ..InitializeCapabilities::default()
    })
    .unwrap();
    for capabilities in [json!({ "requestAttestation": true }), typed] {
        let mut connection = Connection::<ServerSide>::new();
        refused(&mut connection, "before initialize");
        let Received::Request(request) = connection
            .receive(&initialize(Some(capabilities.clone())))
            .unwrap()
        else {
            panic!("a request");
        };
        // Declared, and in force only once the server accepts it.
        refused(&mut connection, "initialize not answered yet");
        accept(&mut connection, &request);
        assert!(connection.capabilities().declares(REQUEST_ATTESTATION));
        let request = connection
            .request::<AttestationGenerate>(AttestationGenerateParams {})
            .unwrap();
        assert_eq!(
            String::from_utf8(connection.encode(&request).unwrap()).unwrap(),
            r#"{"method":"attestation/generate","id":0,"params":{}}"#,
            "{capabilities}"
        );
        // The opt-in is this connection's alone.
        refused(&mut Connection::<ServerSide>::new(), "another connection");
    }
}

/// An `initialize` the server refuses declares nothing: neither a first
/// one answered with an error, nor a second one that would opt in after
/// the client opted out.
#[test]
fn a_refused_negotiation_declares_nothing() {
    let refuse = |connection: &mut Connection<ServerSide>, id: RequestId| {
        let reply = connection.error(&protocol_macros::JSONRPCError {
            jsonrpc: protocol_macros::Dialect::Omitted,
            error: protocol_macros::JSONRPCErrorError {
                code: ErrorCode::InvalidRequest.code(),
                message: "no".to_owned(),
                data: None,
            },
            id,
        });
        assert_eq!(
            String::from_utf8(reply).unwrap(),
            r#"{"error":{"code":-32600,"message":"no"},"id":0}"#
        );
    };
    let mut connection = Connection::<ServerSide>::new();
    connection
        .receive(&initialize(Some(json!({ "requestAttestation": true }))))
        .unwrap();
    refuse(&mut connection, RequestId::Integer(0));
    assert!(!connection.capabilities().declares(REQUEST_ATTESTATION));
    assert!(connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .is_err());

    // Declined, then a second `initialize` that the server refuses.
    let mut connection = declined();
    connection
        .receive(&initialize(Some(json!({ "requestAttestation": true }))))
        .unwrap();
    refuse(&mut connection, RequestId::Integer(0));
    assert!(!connection.capabilities().declares(REQUEST_ATTESTATION));
}
