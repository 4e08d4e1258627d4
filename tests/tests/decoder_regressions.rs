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
