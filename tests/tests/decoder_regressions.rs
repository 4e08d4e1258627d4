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
