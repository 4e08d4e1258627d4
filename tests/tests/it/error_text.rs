//! What a peer sent comes back in an error message bounded, escaped, and
//! without the contents of its string values: a malformed credential is
//! not echoed, and a huge method name does not make a huge message.

use protocol_defs::v1::AttestationGenerateParams;
use protocol_defs::{AttestationGenerate, ClientRequest, ServerSide};
use protocol_macros::{Connection, ErrorCode, ReceiveError};
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
    let mut connection = Connection::<ServerSide>::negotiated_for_tests(
        Some(json!({ "requestAttestation": true })),
        None,
    );
    let request = connection
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    // The token where the object was expected, as a careless client might send.
    let reply = json!({ "id": request.id(), "result": CANARY }).to_string();
    let Err(ReceiveError::Response(err)) = connection.receive(reply.as_bytes()) else {
        panic!("a response that is not the method's");
    };
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

/// The canary is in none of `texts`; `label` says which path made them.
fn assert_hidden(label: &str, texts: &[String]) {
    for text in texts {
        assert!(!text.contains(CANARY), "{label} shows the canary: {text}");
    }
}

/// `Display` and `Debug` (plain and pretty) of an error.
fn error_texts<E: std::fmt::Display + std::fmt::Debug>(err: &E) -> Vec<String> {
    vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")]
}

fn debug_texts<T: std::fmt::Debug>(value: &T) -> Vec<String> {
    vec![format!("{value:?}"), format!("{value:#?}")]
}

/// One canary through every path a credential travels, well-formed or
/// not: the value is on the wire, and in no `Debug`, `Display` or error
/// text a user gets from the decoders, the sending half or the responders.
#[test]
fn the_canary_reaches_no_text_on_any_path() {
    use protocol_defs::v1::{
        AttestationGenerateResponse, GetAuthStatusParams, GetAuthStatusResponse, LoginApiKeyParams,
    };
    use protocol_defs::{ClientNotification, ClientResponse, GetAuthStatus, ServerResponse};
    use protocol_macros::{
        decode_incoming, EncodeError, Incoming, JSONRPCMessage, JsonError, Request, RequestId,
        RequestSet, ResponseError,
    };

    // A well-formed `loginApiKey`: the key is in the params, not in `Debug`.
    let login = format!(r#"{{"method":"loginApiKey","id":1,"params":{{"apiKey":"{CANARY}"}}}}"#);
    let request = ClientRequest::decode(login.as_bytes()).unwrap();
    let ClientRequest::LoginApiKey { params, .. } = &request else {
        panic!("{request:?}");
    };
    assert_eq!(params.api_key.expose(), CANARY);
    assert_hidden("a decoded loginApiKey", &debug_texts(&request));
    assert_hidden("LoginApiKeyParams", &debug_texts(params));
    let Incoming::Request(incoming) =
        decode_incoming::<ClientRequest, ClientNotification>(login.as_bytes()).unwrap()
    else {
        panic!("a request");
    };
    assert_hidden("decode_incoming's loginApiKey", &debug_texts(&incoming));
    let deserialised: LoginApiKeyParams =
        serde_json::from_value(json!({ "apiKey": CANARY })).unwrap();
    assert_hidden(
        "deserialised LoginApiKeyParams",
        &debug_texts(&deserialised),
    );
    let untyped: JSONRPCMessage = serde_json::from_str(&login).unwrap();
    assert_hidden("the untyped envelope", &debug_texts(&untyped));

    // A malformed one: the key where a string is not expected, and as an
    // enum value. The error (code, message, Debug, error object) keeps it out.
    for params in [
        json!({ "apiKey": [CANARY] }),
        json!({ "apiKey": { CANARY: 1 } }),
    ] {
        let text = json!({ "method": "loginApiKey", "id": 1, "params": params }).to_string();
        let err = ClientRequest::decode(text.as_bytes()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidParams, "{text}");
        let object = serde_json::to_string(&err.to_error_object()).unwrap();
        let mut texts = error_texts(&err);
        texts.push(object);
        assert_hidden("ClientRequest::decode", &texts);
        let err =
            decode_incoming::<ClientRequest, ClientNotification>(text.as_bytes()).unwrap_err();
        assert_hidden("decode_incoming", &error_texts(&err));
        let err = serde_json::from_str::<ClientRequest>(&text).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
    let text = json!({
        "method": "getAuthStatus",
        "id": 2,
        "params": { "includeToken": true, "refreshToken": CANARY },
    })
    .to_string();
    let err = ClientRequest::decode(text.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{text}");
    assert_hidden("a string for a boolean", &error_texts(&err));
    // As an enum value (serde quotes an unknown variant unescaped).
    let text = json!({
        "method": "execOneOffCommand",
        "id": 3,
        "params": { "command": ["ls"], "sandboxPolicy": { "type": CANARY } },
    })
    .to_string();
    let err = ClientRequest::decode(text.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{text}");
    assert!(err.message.contains("unknown variant"), "{}", err.message);
    assert_hidden("an unknown variant", &error_texts(&err));

    // The server's answer to `getAuthStatus` holds the token.
    let get_status = ClientRequest::GetAuthStatus {
        id: RequestId::Integer(2),
        params: GetAuthStatusParams {
            include_token: Some(true),
            refresh_token: None,
        },
    };
    let status = GetAuthStatusResponse {
        auth_method: None,
        auth_token: Some(CANARY.to_owned().into()),
        requires_openai_auth: None,
    };
    let reply = get_status
        .respond(&ClientResponse::GetAuthStatus(status.clone()))
        .unwrap();
    assert_eq!(
        reply.result["authToken"], CANARY,
        "the wire keeps the token"
    );
    assert_hidden("getAuthStatus respond()", &debug_texts(&reply));
    let reply = GetAuthStatus::respond(RequestId::Integer(2), &status).unwrap();
    assert_hidden("GetAuthStatus::respond", &debug_texts(&reply));
    let decoded = get_status.decode_response(reply.result.clone()).unwrap();
    assert_hidden("a decoded GetAuthStatusResponse", &debug_texts(&decoded));
    assert_hidden("GetAuthStatusResponse", &debug_texts(&status));
    // Malformed: the token as a number's place, as an enum value, as a key.
    let malformed = [
        json!({ "authToken": CANARY, "requiresOpenaiAuth": CANARY }),
        json!({ "authToken": [CANARY, 1] }),
        json!({ "authMethod": CANARY }),
        json!({ "authMethod": { CANARY: null } }),
        json!(CANARY),
    ];
    for result in malformed {
        let err = get_status.decode_response(result.clone()).unwrap_err();
        assert!(matches!(err, ResponseError::Decode { .. }), "{err:?}");
        assert_hidden("decode_response", &error_texts(&err));
        let err = ClientRequest::decode_response_for("getAuthStatus", result).unwrap_err();
        assert_hidden("decode_response_for", &error_texts(&err));
        if let ResponseError::Decode { error, .. } = &err {
            assert_hidden("JsonError", &error_texts(error));
            assert_hidden("JsonError::message", &[error.message().to_owned()]);
        }
    }

    // The client's answer to `attestation/generate`, through the sending half.
    let mut outgoing = Connection::<ServerSide>::negotiated_for_tests(
        Some(json!({ "requestAttestation": true })),
        None,
    );
    let first = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let second = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    let third = outgoing
        .request::<AttestationGenerate>(AttestationGenerateParams {})
        .unwrap();
    assert_hidden("an outgoing request", &debug_texts(&first));
    let text = json!({ "id": first.id(), "result": { "token": CANARY } }).to_string();
    let Incoming::Response(response) =
        decode_incoming::<ClientRequest, ClientNotification>(text.as_bytes()).unwrap()
    else {
        panic!("a response");
    };
    assert_hidden("decode_incoming's response", &debug_texts(&response));
    let protocol_macros::Received::Response {
        response: typed, ..
    } = outgoing.receive(text.as_bytes()).unwrap()
    else {
        panic!("a response");
    };
    let ServerResponse::AttestationGenerate(token) = &typed else {
        panic!("{typed:?}");
    };
    assert_eq!(token.token.expose(), CANARY);
    assert_hidden("the paired response", &debug_texts(&typed));
    let reply = AttestationGenerate::respond(first.id().clone(), token).unwrap();
    assert_hidden("AttestationGenerate::respond", &debug_texts(&reply));
    let typed: AttestationGenerateResponse =
        serde_json::from_value(json!({ "token": CANARY })).unwrap();
    assert_hidden("AttestationGenerateResponse", &debug_texts(&typed));
    // Malformed replies, paired by the connection.
    for (request, result) in [
        (&second, json!({ "token": [CANARY] })),
        (&third, json!({ "token": { "nested": CANARY } })),
    ] {
        let reply = json!({ "id": request.id(), "result": result }).to_string();
        let err = outgoing.receive(reply.as_bytes()).unwrap_err();
        assert!(
            matches!(err, ReceiveError::Response(ResponseError::Decode { .. })),
            "{err:?}"
        );
        assert_hidden("Connection::receive", &error_texts(&err));
    }

    // Errors made from a serde_json error keep its category and position,
    // not its values.
    let raw = serde_json::from_str::<u8>(&format!("\n \"{CANARY}\"")).unwrap_err();
    assert!(
        raw.to_string().contains(CANARY),
        "serde_json itself echoes it"
    );
    let redacted = JsonError::from(raw);
    assert_eq!(
        (redacted.category(), redacted.line(), redacted.column()),
        (serde_json::error::Category::Data, 2, 19)
    );
    assert_eq!(
        redacted.to_string(),
        "invalid type: a string, expected u8 at line 2 column 19"
    );
    assert_hidden("JsonError", &error_texts(&redacted));
    let raw = serde_json::from_str::<u8>(&format!("\"{CANARY}\"")).unwrap_err();
    assert_hidden("EncodeError", &error_texts(&EncodeError::from(raw)));
}

/// A relative path where an absolute one is required is described, not
/// quoted, by the decoder's error and by a response's.
#[test]
fn a_relative_path_is_described_not_quoted() {
    use protocol_macros::RequestSet;
    let path = "sk-CANARY-relative/dir";
    let request = json!({
        "method": "execOneOffCommand",
        "id": 1,
        "params": {
            "command": ["ls"],
            "sandboxPolicy": { "type": "workspace-write", "writable_roots": [path] },
        },
    });
    let err = ClientRequest::decode(request.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{err}");
    assert!(!err.message.contains("CANARY"), "{}", err.message);
    assert!(!format!("{err:?}").contains("CANARY"));
    assert!(err.message.contains("relative path"), "{}", err.message);

    let result = json!({
        "userAgent": "u",
        "codexHome": path,
        "platformFamily": "unix",
        "platformOs": "linux",
    });
    let err = ClientRequest::decode_response_for("initialize", result).unwrap_err();
    assert!(!err.to_string().contains("CANARY"), "{err}");
    assert!(!format!("{err:?}").contains("CANARY"));
}

/// A number the peer sent (a credential may be one) is described, not
/// quoted.
#[test]
fn a_number_is_described_not_quoted() {
    let message = r#"{"method":"getAuthStatus","id":3,"params":{"includeToken":4242424242}}"#;
    let err = ClientRequest::decode(message.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams);
    assert!(!err.message.contains("4242424242"), "{}", err.message);
    assert!(
        err.message
            .contains("invalid type: an integer, expected a boolean"),
        "{}",
        err.message
    );
}

/// The untyped envelope's `Debug` shows the peer's error message bounded
/// and escaped, the kind and size of its data, and a method or string id
/// bounded and escaped.
#[test]
fn the_envelopes_debug_bounds_and_escapes_what_the_peer_sent() {
    use protocol_macros::{
        JSONRPCError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, RequestId,
    };
    let error: JSONRPCMessage = serde_json::from_value(json!({
        "id": "x",
        "error": { "code": -1, "message": format!("{CANARY}{}\u{1b}[2J", "m".repeat(10_000)), "data": { "token": CANARY } },
    }))
    .unwrap();
    let JSONRPCMessage::Error(error) = &error else {
        panic!("{error:?}");
    };
    let shown = format!("{error:?}");
    assert!(shown.len() < 1_000, "{} bytes", shown.len());
    assert!(!shown.contains('\u{1b}'), "{shown}");
    assert!(shown.contains("data: Some(<object, "), "{shown}");
    assert_eq!(
        shown.matches(CANARY).count(),
        1,
        "the message's start only: {shown}"
    );
    let _: &JSONRPCError = error;

    let method = format!("{}\u{1b}[31m", "x".repeat(100_000));
    let request = JSONRPCRequest {
        jsonrpc: protocol_macros::Dialect::Omitted,
        id: RequestId::String(format!("{}\u{7}", "i".repeat(100_000))),
        method: method.clone(),
        params: None,
    };
    let shown = format!("{request:?}");
    assert!(shown.len() < 400, "{} bytes", shown.len());
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
    let notification = JSONRPCNotification {
        jsonrpc: protocol_macros::Dialect::Omitted,
        method,
        params: None,
    };
    assert!(format!("{notification:?}").len() < 300);
}
