//! The one envelope reader: member order, absent params, duplicate and
//! unknown members, array params, and error precedence, for `decode`,
//! `decode_incoming` and the `Deserialize` impls alike.

use protocol_macros::{
    decode_incoming, decode_incoming_str, DecodeError, ErrorCode, Incoming, RequestId,
};

mod echo {
    use protocol_macros::wire;

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct SayParams {
        pub text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub times: Option<u32>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Said {
        pub text: String,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Empty {}

    /// Without the `jsonrpc` member, so that these tests read the envelope
    /// alone; the standard dialect is tested below.
    #[protocol_macros::protocol(jsonrpc = "omit")]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum EchoRequest {
            #[method("say", response = Said)]
            Say(SayParams),
            #[method("stop", response = Empty)]
            Stop,
        }

        #[client_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum EchoNotification {
            #[method("heard")]
            Heard(SayParams),
            #[method("ping")]
            Ping,
        }
    }
}

use echo::methods::{EchoNotification, EchoRequest};
use echo::SayParams;

fn say(id: i64, text: &str) -> EchoRequest {
    EchoRequest::Say {
        id: RequestId::Integer(id),
        params: SayParams {
            text: text.to_owned(),
            times: None,
        },
    }
}

/// `decode`, `decode_str`, `decode_incoming`, and `serde_json::from_slice`
/// through the `Deserialize` impl, agree on a message that decodes.
fn request(json: &str) -> EchoRequest {
    let decoded = EchoRequest::decode(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e}"));
    let from_str = EchoRequest::decode_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(decoded, from_str, "{json}");
    let deserialized: EchoRequest =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(decoded, deserialized, "{json}");
    match decode_incoming_str::<EchoRequest, EchoNotification>(json) {
        Ok(Incoming::Request(incoming)) => assert_eq!(decoded, incoming, "{json}"),
        other => panic!("{json}: {other:?}"),
    }
    decoded
}

/// `decode` and `decode_str` reject alike, and so does the `Deserialize` impl.
fn request_error(json: &str) -> DecodeError {
    let err = EchoRequest::decode(json.as_bytes()).expect_err(json);
    assert_eq!(
        EchoRequest::decode_str(json).expect_err(json),
        err,
        "{json}"
    );
    assert!(
        serde_json::from_str::<EchoRequest>(json).is_err(),
        "the Deserialize impl accepts what decode rejects: {json}"
    );
    err
}

fn code_and_id(err: &DecodeError) -> (ErrorCode, Option<RequestId>) {
    (err.code, err.id.clone())
}

#[test]
fn members_decode_in_any_order() {
    let orders = [
        r#"{"method":"say","id":1,"params":{"text":"hi"}}"#,
        r#"{"id":1,"method":"say","params":{"text":"hi"}}"#,
        r#"{"method":"say","params":{"text":"hi"},"id":1}"#,
        r#"{"params":{"text":"hi"},"method":"say","id":1}"#,
        r#"{"params":{"text":"hi"},"id":1,"method":"say"}"#,
        r#"{"id":1,"params":{"text":"hi"},"method":"say"}"#,
    ];
    for json in orders {
        assert_eq!(request(json), say(1, "hi"), "{json}");
    }
    assert_eq!(
        request(r#"{"method":"say","id":"a-1","params":{"text":"hi","times":2}}"#),
        EchoRequest::Say {
            id: RequestId::from("a-1"),
            params: SayParams {
                text: "hi".into(),
                times: Some(2)
            },
        }
    );
    // An escaped method name is read too (it cannot be borrowed).
    assert_eq!(
        request(r#"{"method":"s\u0061y","id":1,"params":{"text":"hi"}}"#),
        say(1, "hi")
    );
}

#[test]
fn params_may_be_absent_only_where_the_method_allows_it() {
    let stop = EchoRequest::Stop {
        id: RequestId::Integer(4),
    };
    assert_eq!(request(r#"{"method":"stop","id":4}"#), stop);
    assert_eq!(request(r#"{"method":"stop","id":4,"params":null}"#), stop);
    assert_eq!(request(r#"{"params":null,"method":"stop","id":4}"#), stop);
    let missing = request_error(r#"{"method":"say","id":4}"#);
    assert_eq!(
        code_and_id(&missing),
        (ErrorCode::InvalidParams, Some(RequestId::Integer(4)))
    );
    let unexpected = request_error(r#"{"method":"stop","id":4,"params":{"x":1}}"#);
    assert_eq!(unexpected.code, ErrorCode::InvalidParams);
    assert_eq!(
        EchoNotification::decode(br#"{"method":"ping"}"#).unwrap(),
        EchoNotification::Ping
    );
}

#[test]
fn duplicate_members_are_invalid_requests_that_keep_the_first_id() {
    let cases = [
        r#"{"id":1,"id":2,"method":"say","params":{"text":"hi"}}"#,
        r#"{"id":1,"method":"say","method":"stop","params":{"text":"hi"}}"#,
        r#"{"id":1,"method":"say","params":{"text":"hi"},"params":{"text":"ho"}}"#,
        r#"{"method":"say","params":{"text":"hi"},"id":1,"params":{"text":"ho"}}"#,
    ];
    for json in cases {
        let err = request_error(json);
        assert_eq!(
            code_and_id(&err),
            (ErrorCode::InvalidRequest, Some(RequestId::Integer(1))),
            "{json}: {err}"
        );
        assert!(err.message.contains("duplicate"), "{json}: {err}");
    }
    // Members the wire does not define may repeat; they are not read.
    assert_eq!(
        request(r#"{"x":1,"x":2,"method":"say","id":1,"params":{"text":"hi"}}"#),
        say(1, "hi")
    );
}

#[test]
fn unknown_members_are_skipped_wherever_they_are() {
    let cases = [
        r#"{"jsonrpc":"2.0","method":"say","id":1,"params":{"text":"hi"}}"#,
        r#"{"method":"say","extra":{"nested":[1,{"id":2}]},"id":1,"params":{"text":"hi"}}"#,
        r#"{"method":"say","id":1,"params":{"text":"hi"},"result":7,"error":null}"#,
    ];
    for json in cases {
        assert_eq!(request(json), say(1, "hi"), "{json}");
    }
}

#[test]
fn params_of_a_struct_type_must_be_an_object() {
    for json in [
        r#"{"method":"say","id":3,"params":["hi"]}"#,
        r#"{"params":["hi"],"method":"say","id":3}"#,
        r#"{"method":"say","id":3,"params":"hi"}"#,
    ] {
        let err = request_error(json);
        assert_eq!(
            code_and_id(&err),
            (ErrorCode::InvalidParams, Some(RequestId::Integer(3))),
            "{json}: {err}"
        );
    }
}

#[test]
fn errors_are_classified_envelope_first_and_keep_a_later_id() {
    let cases: &[(&str, ErrorCode, Option<RequestId>)] = &[
        // The params fail in place; the id after them is still read.
        (
            r#"{"method":"say","params":{"text":1},"id":9}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(9)),
        ),
        // A broken envelope after failing params wins over the params.
        (
            r#"{"method":"say","params":{"text":1},"id":9,"id":10}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(9)),
        ),
        (
            r#"{"method":"say","params":{"text":1},"id":[9]}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        // So does broken JSON after them.
        (
            r#"{"method":"say","params":{"text":1},"id":9} x"#,
            ErrorCode::ParseError,
            None,
        ),
        (
            r#"{"method":"say","params":{"text":1},"id":9"#,
            ErrorCode::ParseError,
            None,
        ),
        // An unknown method does not read its params at all.
        (
            r#"{"method":"shout","params":[1,2,{"a":null}],"id":"x"}"#,
            ErrorCode::MethodNotFound,
            Some(RequestId::from("x")),
        ),
        (
            r#"{"method":"say","params":{"text":"hi"}}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (r#"[1,2]"#, ErrorCode::InvalidRequest, None),
        (
            r#"{"id":1.5,"method":"say"}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (
            r#"{"id":9223372036854775808,"method":"say"}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
    ];
    for (json, code, id) in cases {
        let err = request_error(json);
        assert_eq!(code_and_id(&err), (*code, id.clone()), "{json}: {err}");
    }
    // Text that is not UTF-8 is not JSON.
    let err = EchoRequest::decode(b"{\"id\":1,\"method\":\"say\xff\"}").unwrap_err();
    assert_eq!(code_and_id(&err), (ErrorCode::ParseError, None));
}

#[test]
fn notifications_reject_an_id_wherever_it_is() {
    for json in [
        r#"{"id":2,"method":"heard","params":{"text":"hi"}}"#,
        r#"{"method":"heard","params":{"text":"hi"},"id":2}"#,
    ] {
        let err = EchoNotification::decode(json.as_bytes()).unwrap_err();
        assert_eq!(
            code_and_id(&err),
            (ErrorCode::InvalidRequest, Some(RequestId::Integer(2))),
            "{json}"
        );
        assert!(serde_json::from_str::<EchoNotification>(json).is_err());
    }
    let heard: EchoNotification =
        serde_json::from_str(r#"{"params":{"text":"hi"},"method":"heard"}"#).unwrap();
    assert!(matches!(heard, EchoNotification::Heard(p) if p.text == "hi"));
}

#[test]
fn incoming_tells_requests_from_notifications_whatever_the_order() {
    type In = Incoming<EchoRequest, EchoNotification>;
    let decode = |json: &str| decode_incoming::<EchoRequest, EchoNotification>(json.as_bytes());
    assert!(matches!(
        decode(r#"{"method":"say","params":{"text":"hi"},"id":1}"#).unwrap(),
        In::Request(r) if r == say(1, "hi")
    ));
    assert!(matches!(
        decode(r#"{"params":{"text":"hi"},"method":"heard"}"#).unwrap(),
        In::Notification(EchoNotification::Heard(_))
    ));
    // A request method without an id is looked up among the notifications.
    let err = decode(r#"{"method":"say","params":{"text":"hi"}}"#).unwrap_err();
    assert_eq!(code_and_id(&err), (ErrorCode::MethodNotFound, None));
    let err = decode(r#"{"method":"heard","params":{"text":"hi"},"id":5}"#).unwrap_err();
    assert_eq!(
        code_and_id(&err),
        (ErrorCode::MethodNotFound, Some(RequestId::Integer(5)))
    );
    assert!(matches!(
        decode(r#"{"result":{"text":"x"},"id":1}"#).unwrap(),
        In::Response(r) if r.result["text"] == "x"
    ));
    let err = decode(r#"{"id":1,"error":{"code":"x"}}"#).unwrap_err();
    assert_eq!(
        code_and_id(&err),
        (ErrorCode::InvalidRequest, Some(RequestId::Integer(1)))
    );
    let err = decode(r#"{"id":1,"result":1,"result":2}"#).unwrap_err();
    assert_eq!(
        code_and_id(&err),
        (ErrorCode::InvalidRequest, Some(RequestId::Integer(1)))
    );
}

#[test]
fn encode_writes_what_decode_reads() {
    let message = say(1, "hi");
    let json = message.encode().unwrap();
    assert_eq!(
        std::str::from_utf8(&json).unwrap(),
        r#"{"method":"say","id":1,"params":{"text":"hi"}}"#
    );
    assert_eq!(EchoRequest::decode(&json).unwrap(), message);
    assert_eq!(json, serde_json::to_vec(&message).unwrap());
}

#[test]
fn a_request_keeps_its_id_wherever_it_is_and_whatever_follows() {
    let said = |id: RequestId| EchoRequest::Say {
        id,
        params: SayParams {
            text: "hi".into(),
            times: None,
        },
    };
    // A string id before the params goes into the request as it is read; after
    // them, or with the params written before `method`, it is put in at the end.
    for json in [
        r#"{"method":"say","id":"r-1","params":{"text":"hi"}}"#,
        r#"{"id":"r-1","method":"say","params":{"text":"hi"}}"#,
        r#"{"method":"say","params":{"text":"hi"},"id":"r-1"}"#,
        r#"{"params":{"text":"hi"},"id":"r-1","method":"say"}"#,
        r#"{"id":"r-1","params":{"text":"hi"},"method":"say","x":[1]}"#,
    ] {
        assert_eq!(request(json), said(RequestId::from("r-1")), "{json}");
    }
    for json in [
        r#"{"method":"stop","id":"r-2"}"#,
        r#"{"id":"r-2","method":"stop","params":null}"#,
        r#"{"method":"stop","params":null,"id":"r-2"}"#,
    ] {
        assert_eq!(
            request(json),
            EchoRequest::Stop {
                id: RequestId::from("r-2")
            },
            "{json}"
        );
    }
    // A member repeated after the request was decoded with its id: the
    // error still carries that id.
    for json in [
        r#"{"method":"say","id":"r-3","params":{"text":"hi"},"id":"r-4"}"#,
        r#"{"method":"say","id":"r-3","params":{"text":"hi"},"method":"stop"}"#,
        r#"{"method":"say","id":"r-3","params":{"text":"hi"},"params":{"text":"ho"}}"#,
    ] {
        let err = request_error(json);
        assert_eq!(
            code_and_id(&err),
            (ErrorCode::InvalidRequest, Some(RequestId::from("r-3"))),
            "{json}: {err}"
        );
        assert!(err.message.contains("duplicate"), "{json}: {err}");
    }
    // Params that fail after the id went into the request: the id is kept.
    for json in [
        r#"{"method":"say","id":"r-5","params":{"text":1}}"#,
        r#"{"id":"r-5","method":"say","params":[]}"#,
        r#"{"id":"r-5","method":"stop","params":{"x":1}}"#,
    ] {
        let err = request_error(json);
        assert_eq!(
            code_and_id(&err),
            (ErrorCode::InvalidParams, Some(RequestId::from("r-5"))),
            "{json}: {err}"
        );
    }
    // And broken JSON after such params is still a parse error.
    let err = request_error(r#"{"method":"say","id":"r-6","params":{"text":"hi"},}"#);
    assert_eq!(code_and_id(&err), (ErrorCode::ParseError, None));
}

#[test]
fn text_decoders_read_what_byte_decoders_read() {
    assert_eq!(
        EchoNotification::decode_str(r#"{"method":"heard","params":{"text":"hi"}}"#).unwrap(),
        EchoNotification::decode(br#"{"method":"heard","params":{"text":"hi"}}"#).unwrap()
    );
    assert_eq!(
        EchoNotification::decode_str(r#"{"params":null,"method":"ping"}"#).unwrap(),
        EchoNotification::Ping
    );
    let err = EchoNotification::decode_str(r#"{"method":"ping","id":1}"#).unwrap_err();
    assert_eq!(
        code_and_id(&err),
        (ErrorCode::InvalidRequest, Some(RequestId::Integer(1)))
    );
    let err = EchoNotification::decode_str(r#"{"method":"hear"}"#).unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);
    assert!(matches!(
        decode_incoming_str::<EchoRequest, EchoNotification>(r#"{"id":1,"result":null}"#),
        Ok(Incoming::Response(response)) if response.result.is_null()
    ));
    let err = decode_incoming_str::<EchoRequest, EchoNotification>("{").unwrap_err();
    assert_eq!(code_and_id(&err), (ErrorCode::ParseError, None));
}

/// The same protocol in standard JSON-RPC 2.0.
mod standard {
    pub use super::echo::{Empty, Said, SayParams};

    #[protocol_macros::protocol]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum StdRequest {
            #[method("say", response = Said)]
            Say(SayParams),
            #[method("stop", response = Empty)]
            Stop,
        }

        #[client_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum StdNotification {
            #[method("ping")]
            Ping,
        }
    }
}

#[test]
fn the_standard_dialect_writes_jsonrpc_first_and_reads_it_back() {
    use standard::methods::{StdNotification, StdRequest};
    let request = StdRequest::Say {
        id: RequestId::Integer(1),
        params: SayParams {
            text: "hi".into(),
            times: None,
        },
    };
    let wire = r#"{"jsonrpc":"2.0","method":"say","id":1,"params":{"text":"hi"}}"#;
    assert_eq!(String::from_utf8(request.encode().unwrap()).unwrap(), wire);
    assert_eq!(serde_json::to_string(&request).unwrap(), wire);
    assert_eq!(StdRequest::decode(wire.as_bytes()).unwrap(), request);
    assert_eq!(serde_json::from_str::<StdRequest>(wire).unwrap(), request);
    // Anywhere in the object.
    let last = r#"{"method":"say","id":1,"params":{"text":"hi"},"jsonrpc":"2.0"}"#;
    assert_eq!(StdRequest::decode(last.as_bytes()).unwrap(), request);
    assert_eq!(
        serde_json::to_string(&StdNotification::Ping).unwrap(),
        r#"{"jsonrpc":"2.0","method":"ping"}"#
    );
    assert_eq!(
        StdNotification::decode(br#"{"method":"ping","jsonrpc":"2.0"}"#).unwrap(),
        StdNotification::Ping
    );
}

#[test]
fn the_standard_dialect_refuses_a_message_without_jsonrpc_2_0_and_keeps_its_id() {
    use standard::methods::{StdNotification, StdRequest};
    let missing = "invalid request: missing `\"jsonrpc\": \"2.0\"`";
    let wrong = "invalid request: `jsonrpc` must be \"2.0\"";
    let cases = [
        (
            r#"{"method":"say","id":1,"params":{"text":"hi"}}"#,
            Some(1),
            missing,
        ),
        (
            r#"{"params":{"text":"hi"},"method":"say","id":"a"}"#,
            None,
            missing,
        ),
        (
            r#"{"jsonrpc":"1.0","method":"say","id":2,"params":{"text":"hi"}}"#,
            Some(2),
            wrong,
        ),
        (r#"{"jsonrpc":2,"method":"stop","id":3}"#, Some(3), wrong),
        (r#"{"jsonrpc":null,"method":"stop","id":4}"#, Some(4), wrong),
        (
            r#"{"jsonrpc":["2.0"],"method":"stop","id":5}"#,
            Some(5),
            wrong,
        ),
        // Broken params do not hide the envelope's fault.
        (
            r#"{"method":"say","id":6,"params":{"text":7}}"#,
            Some(6),
            missing,
        ),
        // Nor an unknown method.
        (r#"{"method":"nope","id":7}"#, Some(7), missing),
    ];
    for (json, id, message) in cases {
        let err = StdRequest::decode(json.as_bytes()).expect_err(json);
        let id = match id {
            Some(id) => Some(RequestId::Integer(id)),
            None if json.contains(r#""id":"a""#) => Some(RequestId::from("a")),
            None => None,
        };
        assert_eq!(
            (err.code, err.id.clone(), err.message.as_str()),
            (ErrorCode::InvalidRequest, id.clone(), message),
            "{json}"
        );
        assert!(serde_json::from_str::<StdRequest>(json).is_err(), "{json}");
        // The reply is written in the protocol's dialect.
        let reply = serde_json::to_value(err.to_response().unwrap()).unwrap();
        assert_eq!(reply["jsonrpc"], "2.0", "{json}");
        assert_eq!(reply["error"]["code"], -32600, "{json}");
    }
    let err = StdNotification::decode(br#"{"method":"ping"}"#).unwrap_err();
    assert_eq!(
        (err.code, err.id, err.message.as_str()),
        (ErrorCode::InvalidRequest, None, missing)
    );
    // Responses too, through the entry point that reads them.
    let err =
        decode_incoming::<StdRequest, StdNotification>(br#"{"id":9,"result":{}}"#).unwrap_err();
    assert_eq!(
        (err.code, err.id),
        (ErrorCode::InvalidRequest, Some(RequestId::Integer(9)))
    );
    match decode_incoming::<StdRequest, StdNotification>(br#"{"jsonrpc":"2.0","id":9,"result":{}}"#)
    {
        Ok(Incoming::Response(response)) => {
            assert_eq!(response.jsonrpc, protocol_macros::Dialect::V2);
            assert_eq!(
                serde_json::to_string(&response).unwrap(),
                r#"{"jsonrpc":"2.0","id":9,"result":{}}"#
            );
        }
        other => panic!("{other:?}"),
    }
    // A duplicate `jsonrpc` is a duplicate member, as any other.
    let err = StdRequest::decode(br#"{"jsonrpc":"2.0","jsonrpc":"2.0","method":"stop","id":1}"#)
        .unwrap_err();
    assert_eq!(err.message, "invalid request: duplicate `jsonrpc` member");
}

#[test]
fn the_omitted_dialect_ignores_a_jsonrpc_member() {
    // Codex's wire neither writes nor requires it; a peer that sends it
    // anyway is read as before.
    let json = r#"{"jsonrpc":"2.0","method":"stop","id":1}"#;
    assert_eq!(
        EchoRequest::decode(json.as_bytes()).unwrap(),
        EchoRequest::Stop {
            id: RequestId::Integer(1)
        }
    );
    assert_eq!(
        serde_json::to_string(&EchoRequest::Stop {
            id: RequestId::Integer(1)
        })
        .unwrap(),
        r#"{"method":"stop","id":1}"#
    );
}
