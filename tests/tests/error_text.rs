//! What a peer sent comes back in an error message bounded, escaped, and
//! without the contents of its string values: a malformed credential is
//! not echoed, and a huge method name does not make a huge message.

use protocol_defs::v1::AttestationGenerateParams;
use protocol_defs::{AttestationGenerate, ClientRequest, ServerRequest};
use protocol_macros::{Capabilities, ErrorCode, JSONRPCResponse, Outgoing};
use serde_json::json;

const CANARY: &str = "sk-CANARY-7f3a9c";

#[test]
fn a_string_in_the_wrong_place_is_not_echoed() {
    let message =
        format!(r#"{{"method":"getAuthStatus","id":3,"params":{{"includeToken":"{CANARY}"}}}}"#);
    let err = ClientRequest::decode(message.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    assert!(!err.message.contains(CANARY), "{}", err.message);
    assert!(!format!("{err:?}").contains(CANARY));
    assert!(
        err.message
            .contains("invalid type: a string, expected a boolean"),
        "{}",
        err.message
    );
    let object = serde_json::to_string(&err.to_error_object()).unwrap();
    assert!(!object.contains(CANARY), "{object}");
}

/// The sending half pairs a reply with its request; a malformed reply's
/// error does not show what it held.
#[test]
fn a_malformed_response_does_not_echo_its_contents() {
    let caps = Capabilities::none().with_granted("requestAttestation");
    let mut outgoing = Outgoing::<ServerRequest>::new(caps);
    let request = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    // The token where the object was expected, as a careless client might send.
    let reply = JSONRPCResponse {
        id: request.id().clone(),
        result: json!(CANARY),
    };
    let err = outgoing.complete(reply).unwrap_err();
    assert!(!err.to_string().contains(CANARY), "{err}");
    assert!(err.to_string().contains("invalid type: a string"), "{err}");
}

#[test]
fn a_huge_method_name_makes_a_small_message() {
    let method = "x".repeat(1_000_000);
    let message = format!(r#"{{"method":"{method}","id":1}}"#);
    let err = ClientRequest::decode(message.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);
    assert_eq!(err.id, Some(protocol_macros::RequestId::Integer(1)));
    assert!(err.message.len() < 200, "{} bytes", err.message.len());
    assert!(err.message.contains("(1000000 bytes)"), "{}", err.message);
    assert!(err.method.as_ref().is_some_and(|m| m.len() < 200));
    // Control characters are escaped, not passed through.
    let err = ClientRequest::decode(br#"{"method":"a\u001b[31mred","id":1}"#).unwrap_err();
    assert!(!err.message.contains('\u{1b}'), "{:?}", err.message);
}

/// `Debug` of what the normal paths hand out never shows a credential: the
/// reply built with `respond`, the reply decoded by `decode_incoming`, and
/// the typed response.
#[test]
fn debug_output_never_shows_the_token() {
    use protocol_defs::v1::AttestationGenerateResponse;
    use protocol_defs::ClientNotification;
    use protocol_macros::{decode_incoming, Incoming, Request};

    let typed = AttestationGenerateResponse {
        token: CANARY.to_owned().into(),
    };
    let reply =
        AttestationGenerate::respond(protocol_macros::RequestId::Integer(0), &typed).unwrap();
    assert_eq!(reply.result["token"], CANARY, "the wire keeps the token");
    for debug in [format!("{reply:?}"), format!("{typed:?}")] {
        assert!(!debug.contains(CANARY), "{debug}");
    }
    let text = serde_json::to_vec(&json!({"id": 0, "result": {"token": CANARY}})).unwrap();
    let incoming = decode_incoming::<ClientRequest, ClientNotification>(&text).unwrap();
    assert!(matches!(incoming, Incoming::Response(_)));
    let debug = format!("{incoming:?}");
    assert!(!debug.contains(CANARY), "{debug}");
    assert!(debug.contains("<object, "), "{debug}");
}
