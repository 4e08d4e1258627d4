//! Inputs on which the decoder once disagreed with the mutation oracle
//! (`oracle/mod.rs`), each pinned with the code and id it must give.

use protocol_defs::*;
use protocol_macros::{decode_incoming, ErrorCode};

/// A message whose first value is not an object but whose text is not JSON
/// either (a bare string followed by more text) is a parse error: the whole
/// text is read before the type of its value decides -32600.
#[test]
fn text_that_starts_with_a_non_object_but_is_not_json_is_a_parse_error() {
    for text in [
        r#""method":"initialized"}"#,
        r#""method":"getAuthStatus","id":5,"params":{}}"#,
        "1 2",
        "[1,",
        "true false",
    ] {
        let bytes = text.as_bytes();
        let codes = [
            ClientRequest::decode(bytes).unwrap_err().code,
            ServerRequest::decode(bytes).unwrap_err().code,
            ClientNotification::decode(bytes).unwrap_err().code,
            ServerNotification::decode(bytes).unwrap_err().code,
            decode_incoming::<ClientRequest, ClientNotification>(bytes)
                .unwrap_err()
                .code,
            decode_incoming::<ServerRequest, ServerNotification>(bytes)
                .unwrap_err()
                .code,
        ];
        assert_eq!(codes, [ErrorCode::ParseError; 6], "{text}");
    }
    // A complete JSON value that is not an object stays -32600.
    for text in [r#""initialized""#, "[1, 2]", "3", "null"] {
        let err = ClientRequest::decode(text.as_bytes()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest, "{text}");
        assert_eq!(err.id, None);
    }
}

/// An array where the params have an enum is invalid params, not a parse
/// error: serde_json calls that wrong type a syntax error, yet the text is JSON.
#[test]
fn an_array_where_an_enum_is_expected_is_invalid_params() {
    let text = br#"{"method":"authStatusChange","params":{"authMethod":["apikey"]}}"#;
    let err = ServerNotification::decode(text).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{err}");
    let err = decode_incoming::<ServerRequest, ServerNotification>(text).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{err}");
    let text = br#"{"method":"getAuthStatus","id":4,"params":{"includeToken":[true]}}"#;
    let err = ClientRequest::decode(text).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidParams, "{err}");
    assert_eq!(err.id, Some(RequestId::Integer(4)));
}

/// A value serde_json cannot hold outside params (a lone surrogate escape,
/// a number out of range, nesting deeper than its limit) is an invalid
/// request that keeps the id whenever the id itself is readable, so the
/// peer gets an answer; an id that is such a value is unreadable.
#[test]
fn a_value_serde_json_cannot_hold_keeps_a_readable_id() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let cases = [
        (
            r#"{"method":"initia\ud800lize","id":5}"#.to_owned(),
            Some(5),
        ),
        (
            r#"{"id":6,"method":"get\udc00UserSavedConfig"}"#.to_owned(),
            Some(6),
        ),
        (
            r#"{"method":"getUserSavedConfig","id":"a\ud800"}"#.to_owned(),
            None,
        ),
        (
            r#"{"method":"getUserSavedConfig","id":1e400}"#.to_owned(),
            None,
        ),
        (
            r#"{"method":"getUserSavedConfig","id":1e400,"id":2}"#.to_owned(),
            None,
        ),
        (format!(r#"{{"id":3,"result":{deep}}}"#), Some(3)),
        (format!(r#"{{"error":{deep},"id":4}}"#), Some(4)),
    ];
    for (text, id) in cases {
        let err =
            decode_incoming::<ClientRequest, ClientNotification>(text.as_bytes()).expect_err(&text);
        assert_eq!(
            (err.code, err.id.clone()),
            (
                ErrorCode::InvalidRequest,
                id.map(protocol_macros::RequestId::Integer)
            ),
            "{text}"
        );
        assert!(
            err.message
                .starts_with("invalid request: a member cannot be read"),
            "{}",
            err.message
        );
        if id.is_some() {
            assert!(err.to_response().is_some(), "{text}");
        }
    }
    // What is valid JSON but not an object is still said so.
    let err = ClientRequest::decode(b"[1, 2]").unwrap_err();
    assert_eq!(
        err.message,
        "invalid request: a message must be a JSON object"
    );
}

/// The experimental gate judges what the decoder judged: a stable request
/// that the decoder accepted, with an unknown member holding what
/// serde_json's `Value` cannot hold, is admitted; an experimental field
/// beside such a member is still seen.
#[test]
fn the_experimental_gate_judges_what_the_decoder_accepted() {
    use protocol_macros::Capabilities;
    let stable = Capabilities::before_negotiation(REGISTRY.settings);
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    for odd in [r#""\ud800""#.to_owned(), "1e400".to_owned(), deep] {
        let text = format!(
            r#"{{"method":"execOneOffCommand","id":1,"params":{{"command":["ls"],"unknown":{odd}}}}}"#
        );
        let request = ClientRequest::decode(text.as_bytes()).expect("the decoder accepts it");
        assert_eq!(
            stable.admit_request(&request, text.as_bytes()),
            Ok(()),
            "{text}"
        );

        let text = format!(
            r#"{{"method":"execOneOffCommand","id":1,"params":{{"command":["ls"],"unknown":{odd},"outputBytesCap":5}}}}"#
        );
        let request = ClientRequest::decode(text.as_bytes()).expect("the decoder accepts it");
        let refused = stable
            .admit_request(&request, text.as_bytes())
            .expect_err(&text);
        assert!(
            refused
                .error
                .message
                .ends_with("requires experimentalApi capability"),
            "{}",
            refused.error.message
        );
    }
}

/// JSON-RPC 2.0 answers what it cannot attribute with `"id": null`: text
/// that is not JSON or not a message, without a readable id, gets a reply
/// in both dialects; a notification gets none; and such a reply is read
/// back as an unattributed error, which retires no request.
#[test]
fn what_cannot_be_attributed_is_answered_with_id_null() {
    use protocol_macros::{Connection, Incoming, ReceiveError, Received};
    use serde_json::{json, Value};
    use tests::calc::methods::{CalcNotification, CalcRequest};

    let reply = |err: protocol_macros::DecodeError| -> Option<Value> {
        err.reply()
            .map(|bytes| serde_json::from_slice(&bytes).unwrap())
    };
    // codex's dialect: no `jsonrpc` member.
    let parse = reply(ClientRequest::decode(b"{not json").unwrap_err()).unwrap();
    assert_eq!(parse["id"], Value::Null);
    assert_eq!(parse["error"]["code"], json!(-32700));
    assert_eq!(parse.get("jsonrpc"), None);
    let not_object = reply(ClientRequest::decode(b"[1, 2]").unwrap_err()).unwrap();
    assert_eq!(
        (
            not_object["id"].clone(),
            not_object["error"]["code"].clone()
        ),
        (Value::Null, json!(-32600))
    );
    // An id that was readable is kept.
    let kept = reply(ClientRequest::decode(br#"{"method":"nope","id":4}"#).unwrap_err()).unwrap();
    assert_eq!(kept["id"], json!(4));
    // A notification is never answered.
    let notification = br#"{"method":"authStatusChange","params":{"authMethod":7}}"#;
    assert_eq!(
        reply(ServerNotification::decode(notification).unwrap_err()),
        None
    );

    // The standard dialect: `jsonrpc` first.
    let err = CalcRequest::decode(b"{not json").unwrap_err();
    assert_eq!(
        String::from_utf8(err.reply().unwrap()).unwrap(),
        format!(
            r#"{{"jsonrpc":"2.0","error":{{"code":-32700,"message":{}}},"id":null}}"#,
            serde_json::to_string(&err.message).unwrap()
        )
    );
    assert!(
        CalcNotification::decode(br#"{"jsonrpc":"2.0","method":"progress"}"#)
            .unwrap_err()
            .reply()
            .is_none()
    );

    // Read back: an error with `"id": null` is the peer's answer to what it
    // could not read; nothing else may have a null id.
    let text = br#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"parse error"},"id":null}"#;
    match decode_incoming::<CalcRequest, CalcNotification>(text) {
        Ok(Incoming::UnattributedError(error)) => assert_eq!(error.code, -32700),
        other => panic!("{other:?}"),
    }
    for text in [
        r#"{"jsonrpc":"2.0","result":{},"id":null}"#,
        r#"{"jsonrpc":"2.0","method":"echo","id":null,"params":{"text":"x"}}"#,
        r#"{"jsonrpc":"2.0","error":{"code":"x","message":"m"},"id":null}"#,
    ] {
        let err =
            decode_incoming::<CalcRequest, CalcNotification>(text.as_bytes()).expect_err(text);
        assert_eq!(
            (err.code, err.id),
            (ErrorCode::InvalidRequest, None),
            "{text}"
        );
    }
    // A request or notification reader reads no response at all.
    assert!(CalcRequest::decode(text).is_err());

    // Through a connection: the reply is written, and read back without
    // retiring the pending request.
    let mut server = Connection::<tests::calc::methods::ServerSide>::new();
    let err = server.receive(b"[1, 2]").unwrap_err();
    assert!(matches!(err, ReceiveError::Decode(_)));
    let reply = server.error_reply(&err).unwrap();
    let mut client = Connection::<tests::calc::methods::ClientSide>::new();
    let _pending = client
        .request::<tests::calc::methods::Echo>(tests::calc::EchoParams { text: "x".into() })
        .unwrap();
    match client.receive(&reply) {
        Ok(Received::UnattributedError(error)) => assert_eq!(error.code, -32600),
        other => panic!("{other:?}"),
    }
    assert_eq!(client.pending().count(), 1);
}
