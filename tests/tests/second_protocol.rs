//! A second, unrelated protocol built with the same macros: the macros know
//! nothing of codex, and this pins the generic behaviour on a small surface.

use protocol_codegen::{render, Draft, Protocol};
use protocol_macros::{
    decode_incoming, Capabilities, Direction, ErrorCode, Incoming, JSONRPCResponse, Kind,
    MethodSet, Notification, NotificationSet, Outgoing, Request, RequestId, RequestSet,
    ResponseSet, TypeInfo,
};
use serde_json::json;

use calc::methods::*;
use calc::*;
use tests::calc;

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn registry_lists_every_method_with_its_metadata() {
    let methods: Vec<_> = REGISTRY
        .methods()
        .map(|m| {
            (
                m.name,
                m.direction,
                m.kind,
                m.params.map(|p| p.rust_name),
                m.response.map(|r| r.rust_name),
                m.capability,
                m.docs,
            )
        })
        .collect();
    assert_eq!(
        methods,
        vec![
            (
                "math/add",
                Direction::ClientToServer,
                Kind::Request,
                Some("AddParams"),
                Some("AddResult"),
                None,
                "Adds two numbers."
            ),
            (
                "math/mul",
                Direction::ClientToServer,
                Kind::Request,
                Some("AddParams"),
                Some("AddResult"),
                Some("bigNumbers"),
                "Multiplies, for clients that can read big numbers."
            ),
            (
                "shutdown",
                Direction::ClientToServer,
                Kind::Request,
                None,
                Some("Empty"),
                None,
                ""
            ),
            (
                "progress",
                Direction::ServerToClient,
                Kind::Notification,
                Some("ProgressParams"),
                None,
                None,
                ""
            ),
            (
                "$/ping",
                Direction::ServerToClient,
                Kind::Notification,
                None,
                None,
                None,
                ""
            ),
            (
                "math/bigProgress",
                Direction::ServerToClient,
                Kind::Notification,
                Some("ProgressParams"),
                None,
                Some("bigNumbers"),
                "Only for clients that read big numbers."
            ),
        ]
    );
    assert_eq!(REGISTRY.sets.len(), 2);
    assert_eq!(REGISTRY.sets[0].name, "CalcRequest");
    assert_eq!(REGISTRY.sets[0].response_name, Some("CalcResponse"));
    assert_eq!(REGISTRY.sets[0].docs, "What the calculator is asked.");
    assert_eq!(REGISTRY.sets[1].response_name, None);
    assert_eq!(<Add as Request>::METHOD, "math/add");
    assert_eq!(<Mul as Request>::INFO.capability, Some("bigNumbers"));
    assert_eq!(<Ping as Notification>::INFO.name, "$/ping");
}

#[test]
fn requests_have_jsonrpc_shape_and_round_trip() {
    let add = CalcRequest::Add {
        id: RequestId::Integer(1),
        params: AddParams {
            left_operand: 2,
            right_operand: 3,
        },
    };
    let wire = r#"{"method":"math/add","id":1,"params":{"leftOperand":2,"rightOperand":3}}"#;
    assert_eq!(to_json(&add), wire);
    assert_eq!(CalcRequest::decode(wire.as_bytes()).unwrap(), add);
    assert_eq!(serde_json::from_str::<CalcRequest>(wire).unwrap(), add);
    assert_eq!(add.method(), "math/add");
    assert_eq!(add.id(), &RequestId::Integer(1));

    let shutdown = CalcRequest::Shutdown {
        id: RequestId::from("s-1"),
    };
    let wire = r#"{"method":"shutdown","id":"s-1"}"#;
    assert_eq!(to_json(&shutdown), wire);
    assert_eq!(CalcRequest::decode(wire.as_bytes()).unwrap(), shutdown);
    // `null` params mean no params too.
    assert_eq!(
        CalcRequest::decode(br#"{"method":"shutdown","id":"s-1","params":null}"#).unwrap(),
        shutdown
    );
}

#[test]
fn notifications_have_no_id_and_round_trip() {
    let progress = CalcNotification::Progress(ProgressParams { percent: 50 });
    let wire = r#"{"method":"progress","params":{"percent":50}}"#;
    assert_eq!(to_json(&progress), wire);
    assert_eq!(CalcNotification::decode(wire.as_bytes()).unwrap(), progress);
    assert_eq!(to_json(&CalcNotification::Ping), r#"{"method":"$/ping"}"#);
    assert_eq!(
        serde_json::from_value::<CalcNotification>(json!({"method": "$/ping"})).unwrap(),
        CalcNotification::Ping
    );
    let granted = Capabilities::none().grant_notification::<Ping>().unwrap();
    assert_eq!(
        <Ping as Notification>::message((), granted),
        CalcNotification::Ping
    );
}

#[test]
fn responses_pair_with_their_requests() {
    let add = <Add as Request>::message(
        RequestId::Integer(7),
        AddParams {
            left_operand: 1,
            right_operand: 1,
        },
        Capabilities::none().grant_request::<Add>().unwrap(),
    );
    let response = add.decode_response(json!({"sum": 2})).unwrap();
    assert_eq!(response, CalcResponse::Add(AddResult { sum: 2 }));
    assert_eq!(response.method(), "math/add");
    assert_eq!(
        add.respond(&response).unwrap(),
        JSONRPCResponse {
            id: RequestId::Integer(7),
            result: json!({"sum": 2})
        }
    );
    // A response for another method cannot answer this request.
    let err = add.respond(&CalcResponse::Shutdown(Empty {})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a `shutdown` response cannot answer a `math/add` request"
    );
    // A result of the wrong shape is rejected.
    assert!(add.decode_response(json!({"total": 2})).is_err());
    assert_eq!(
        <Add as Request>::unwrap_response(response),
        Some(AddResult { sum: 2 })
    );
}

#[test]
fn decoding_classifies_failures_as_jsonrpc_errors() {
    let cases: &[(&str, ErrorCode, Option<RequestId>)] = &[
        (
            r#"{"method":"math/add","id":1,"params":{"#,
            ErrorCode::ParseError,
            None,
        ),
        ("", ErrorCode::ParseError, None),
        ("[1,2]", ErrorCode::InvalidRequest, None),
        (
            r#"{"id":true,"method":"math/add"}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (
            r#"{"id":3,"method":7}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(3)),
        ),
        (
            r#"{"id":3}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(3)),
        ),
        (
            r#"{"method":"math/add","params":{}}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (
            r#"{"id":"x","method":"math/div","params":{}}"#,
            ErrorCode::MethodNotFound,
            Some(RequestId::from("x")),
        ),
        (
            r#"{"id":4,"method":"math/add","params":{"leftOperand":1}}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(4)),
        ),
        (
            r#"{"id":4,"method":"math/add"}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(4)),
        ),
        (
            r#"{"id":5,"method":"shutdown","params":{"now":true}}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(5)),
        ),
    ];
    for (json, code, id) in cases {
        let err = CalcRequest::decode(json.as_bytes()).unwrap_err();
        assert_eq!((err.code, &err.id), (*code, id), "{json}: {err}");
        match id {
            Some(id) => {
                let response = err.to_response().expect("an id to answer");
                assert_eq!(&response.id, id);
                assert_eq!(response.error.code, code.code());
            }
            None => assert!(err.to_response().is_none()),
        }
    }
    let err = CalcRequest::decode(br#"{"id":4,"method":"math/add","params":{"leftOperand":1}}"#)
        .unwrap_err();
    assert_eq!(err.code.code(), -32602);
    assert!(err.message.contains("rightOperand"), "{}", err.message);
}

#[test]
fn incoming_messages_are_sorted_into_requests_notifications_and_responses() {
    type In = Incoming<CalcRequest, CalcNotification>;
    let request: In = decode_incoming(br#"{"id":1,"method":"shutdown"}"#).unwrap();
    assert!(matches!(
        request,
        Incoming::Request(CalcRequest::Shutdown { .. })
    ));
    let notification: In = decode_incoming(br#"{"method":"$/ping"}"#).unwrap();
    assert!(matches!(
        notification,
        Incoming::Notification(CalcNotification::Ping)
    ));
    let response: In = decode_incoming(br#"{"id":1,"result":null}"#).unwrap();
    assert!(matches!(response, Incoming::Response(r) if r.result.is_null()));
    let error: In = decode_incoming(br#"{"id":1,"error":{"code":-32601,"message":"no"}}"#).unwrap();
    assert!(matches!(error, Incoming::Error(e) if e.error.code == -32601));
    let both = decode_incoming::<CalcRequest, CalcNotification>(
        br#"{"id":1,"result":1,"error":{"code":1,"message":""}}"#,
    );
    assert_eq!(both.unwrap_err().code, ErrorCode::InvalidRequest);
    let unknown =
        decode_incoming::<CalcRequest, CalcNotification>(br#"{"method":"nope"}"#).unwrap_err();
    assert_eq!(
        (unknown.code, unknown.id),
        (ErrorCode::MethodNotFound, None)
    );
}

#[test]
fn capability_gate_uses_the_declared_capability() {
    let mut without: Outgoing<CalcRequest> =
        Outgoing::new(Capabilities::from_wire(&CalcCapabilities::default()).unwrap());
    let params = AddParams {
        left_operand: 6,
        right_operand: 7,
    };
    let err = without.request::<Mul>(params.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`math/mul` requires the client capability `bigNumbers`, which this connection did not negotiate"
    );
    assert_eq!(
        without.pending().count(),
        0,
        "a refused request is not pending"
    );
    assert!(
        without.request::<Add>(params.clone()).is_ok(),
        "ungated methods are unaffected"
    );

    let caps = Capabilities::from_wire(&CalcCapabilities { big_numbers: true }).unwrap();
    let mut with: Outgoing<CalcRequest> = Outgoing::new(caps);
    let message = with.request::<Mul>(params).unwrap();
    assert_eq!(
        to_json(&message),
        r#"{"method":"math/mul","id":0,"params":{"leftOperand":6,"rightOperand":7}}"#
    );
    let result = with
        .complete_as::<Mul>(JSONRPCResponse {
            id: message.id().clone(),
            result: json!({"sum": 42}),
        })
        .unwrap();
    assert_eq!(result, AddResult { sum: 42 });
    assert!(
        with.complete(JSONRPCResponse {
            id: message.id().clone(),
            result: json!({"sum": 42})
        })
        .is_err(),
        "a request is answered once"
    );
}

#[test]
fn gated_notifications_need_the_grant_and_keep_their_wire_form() {
    let without = Capabilities::from_wire(&CalcCapabilities::default()).unwrap();
    let err = without.grant_notification::<BigProgress>().unwrap_err();
    assert_eq!(
        (err.method, err.capability),
        ("math/bigProgress", "bigNumbers")
    );

    let with = Capabilities::from_wire(&CalcCapabilities { big_numbers: true }).unwrap();
    let granted = with.grant_notification::<BigProgress>().unwrap();
    let message = <BigProgress as Notification>::message(ProgressParams { percent: 9 }, granted);
    let wire = r#"{"method":"math/bigProgress","params":{"percent":9}}"#;
    assert_eq!(to_json(&message), wire);
    assert_eq!(CalcNotification::decode(wire.as_bytes()).unwrap(), message);
    assert!(matches!(
        message,
        CalcNotification::BigProgress(ProgressParams { percent: 9 }, _)
    ));
}

#[test]
fn message_union_schema_discriminates_on_method() {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<CalcRequest>();
    let value = schema.to_value();
    let members = value["oneOf"].as_array().unwrap();
    let methods: Vec<_> = members
        .iter()
        .map(|m| m["properties"]["method"]["const"].clone())
        .collect();
    assert_eq!(
        methods,
        vec![json!("math/add"), json!("math/mul"), json!("shutdown")]
    );
    assert_eq!(members[0]["required"], json!(["method", "id", "params"]));
    assert_eq!(members[2]["required"], json!(["method", "id"]));
    assert_eq!(members[0]["description"], json!("Adds two numbers."));
    let _ = (
        <CalcRequest as MethodSet>::SET,
        <CalcNotification as NotificationSet>::decode,
    );
    let _ = <CalcResponse as ResponseSet>::method;
}

mod legacy {
    use protocol_macros::wire;

    /// A setting kept for old clients.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    #[allow(deprecated)]
    pub struct Settings {
        /// How many digits to print.
        pub precision: u64,
        /// The old name of `precision`.
        #[deprecated(note = "use `precision`")]
        pub digits: Option<u64>,
    }

    /// A braced newtype: on the wire, just the list.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    #[serde(transparent)]
    pub struct Tokens {
        pub tokens: Vec<String>,
    }
}

#[test]
fn deprecated_fields_are_marked_in_schema_and_typescript() {
    let extra = [TypeInfo::of::<legacy::Settings>("Settings")];
    let protocol = Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_extra_types(&extra);
    let generated = render(protocol, Draft::default()).unwrap_or_else(|err| panic!("{err}"));
    let schema: serde_json::Value =
        serde_json::from_str(generated.get("json/Settings.json").expect("Settings.json")).unwrap();
    assert_eq!(schema["properties"]["digits"]["deprecated"], json!(true));
    assert!(schema["properties"]["precision"]
        .get("deprecated")
        .is_none());
    let ts = generated
        .get("typescript/Settings.ts")
        .expect("Settings.ts");
    let digits = ts
        .find("  digits?: number | null;")
        .unwrap_or_else(|| panic!("{ts}"));
    let precision = ts
        .find("  precision: number;")
        .unwrap_or_else(|| panic!("{ts}"));
    assert!(
        ts[precision..digits].contains("   * @deprecated use `precision`\n"),
        "the note is in the JSDoc of `digits`: {ts}"
    );
    assert_eq!(ts.matches("@deprecated").count(), 1, "{ts}");
}

#[test]
fn transparent_braced_structs_are_their_field_in_typescript() {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new();
    assert_eq!(legacy::Tokens::decl(&cfg), "type Tokens = Array<string>;");
    assert_eq!(
        to_json(&legacy::Tokens {
            tokens: vec!["a".into()]
        }),
        r#"["a"]"#
    );
}
