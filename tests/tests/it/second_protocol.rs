//! A second, unrelated protocol built with the same macros: the macros know
//! nothing of codex, and this pins the generic behaviour on a small surface.
//! `calc` speaks standard JSON-RPC 2.0 (`"jsonrpc":"2.0"` on every message),
//! negotiates with `session/open` (the client's capabilities in its params,
//! the server's in its result), gates a client request on a nested server
//! capability, and has a request both peers send.

use std::any::{type_name, TypeId};
use std::collections::BTreeMap;

use protocol_codegen::{render, Draft, Protocol};
use protocol_macros::{
    CapabilityPath, Carrier, Connection, Dialect, Direction, ErrorCode, Incoming, JSONRPCError,
    JSONRPCErrorError, JSONRPCResponse, Kind, MethodInfo, MethodSet, Notification, NotificationSet,
    Peer, ReceiveError, Received, Request, RequestId, RequestSet, ResponseError, ResponseSet, Side,
    TypeInfo,
};
use serde_json::{json, Value};

use calc::methods::*;
use calc::*;
use tests::calc;

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

const BIG_NUMBERS: CapabilityPath = CapabilityPath {
    side: Side::Client,
    path: &["bigNumbers"],
};

const MATH_POW: CapabilityPath = CapabilityPath {
    side: Side::Server,
    path: &["math", "pow"],
};

fn add_params(left: i64, right: i64) -> AddParams {
    AddParams {
        left_operand: left,
        right_operand: right,
        meta: None,
    }
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
                m.variant,
                m.params.map(|p| p.rust_name),
                m.response.map(|r| r.rust_name),
                m.capability.map(|c| c.to_string()),
                m.docs,
            )
        })
        .collect();
    let c2s = Direction::ClientToServer;
    let s2c = Direction::ServerToClient;
    let client = |capability: &str| Some(capability.to_owned());
    assert_eq!(
        methods,
        vec![
            (
                "session/open",
                c2s,
                Kind::Request,
                "Open",
                Some("OpenParams"),
                Some("OpenResult"),
                None,
                "Opens the session: each side declares its capabilities."
            ),
            (
                "math/add",
                c2s,
                Kind::Request,
                "Add",
                Some("AddParams"),
                Some("AddResult"),
                None,
                "Adds two numbers."
            ),
            (
                "math/mul",
                c2s,
                Kind::Request,
                "Mul",
                Some("AddParams"),
                Some("AddResult"),
                client("client.bigNumbers"),
                "Multiplies, for clients that can read big numbers."
            ),
            (
                "math/pow",
                c2s,
                Kind::Request,
                "Pow",
                Some("AddParams"),
                Some("AddResult"),
                client("server.math.pow"),
                "Raises to a power, on servers whose math declares `pow`."
            ),
            (
                "echo",
                c2s,
                Kind::Request,
                "Echo",
                Some("EchoParams"),
                Some("EchoParams"),
                None,
                "Says the text back."
            ),
            (
                "shutdown",
                c2s,
                Kind::Request,
                "Shutdown",
                None,
                Some("Empty"),
                None,
                ""
            ),
            (
                "echo",
                s2c,
                Kind::Request,
                "ServerEcho",
                Some("EchoParams"),
                Some("EchoParams"),
                None,
                "Says the text back."
            ),
            (
                "progress",
                s2c,
                Kind::Notification,
                "Progress",
                Some("ProgressParams"),
                None,
                None,
                ""
            ),
            (
                "$/ping",
                s2c,
                Kind::Notification,
                "Ping",
                None,
                None,
                None,
                ""
            ),
            (
                "math/bigProgress",
                s2c,
                Kind::Notification,
                "BigProgress",
                Some("ProgressParams"),
                None,
                client("client.bigNumbers"),
                "Only for clients that read big numbers."
            ),
        ]
    );
    let sets: Vec<_> = REGISTRY
        .sets
        .iter()
        .map(|s| (s.name, s.response_name, s.direction, s.kind))
        .collect();
    assert_eq!(
        sets,
        [
            ("CalcRequest", Some("CalcResponse"), c2s, Kind::Request),
            (
                "CalcServerRequest",
                Some("CalcServerResponse"),
                s2c,
                Kind::Request
            ),
            ("CalcNotification", None, s2c, Kind::Notification),
        ]
    );
    assert_eq!(REGISTRY.sets[0].docs, "What the calculator is asked.");
    assert_eq!(
        REGISTRY.sets[1].docs,
        "What the calculator asks its client."
    );
    // No client notifications: the registry has no such set.
    assert!(REGISTRY
        .set(Direction::ClientToServer, Kind::Notification)
        .is_none());
    assert_eq!(<Add as Request>::METHOD, "math/add");
    assert_eq!(<Mul as Request>::INFO.capability, Some(BIG_NUMBERS));
    assert_eq!(<Pow as Request>::INFO.capability, Some(MATH_POW));
    assert_eq!(
        <BigProgress as Notification>::INFO.capability,
        Some(BIG_NUMBERS)
    );
    assert_eq!(<Ping as Notification>::INFO.name, "$/ping");
}

#[test]
fn calc_declares_standard_jsonrpc_and_its_negotiation() {
    let settings = REGISTRY.settings;
    assert_eq!(settings.jsonrpc, Dialect::V2);
    let negotiation = settings.negotiation.unwrap();
    assert_eq!(negotiation.method, "session/open");
    let client = negotiation.location(Side::Client).unwrap();
    let server = negotiation.location(Side::Server).unwrap();
    assert_eq!(
        (client.member, client.path, client.to_string()),
        (
            Carrier::Params,
            &["capabilities"][..],
            "params.capabilities".to_owned()
        )
    );
    assert_eq!(
        (server.member, server.path, server.to_string()),
        (
            Carrier::Result,
            &["capabilities"][..],
            "result.capabilities".to_owned()
        )
    );
    assert_eq!(settings.experimental, None);
    assert_eq!(settings.opt_out, None);
    for set in REGISTRY.sets {
        assert_eq!(set.protocol, settings, "{}", set.name);
    }
}

/// `echo` is a method of both peers: one entry per direction, with the
/// same types.
#[test]
fn the_registry_lists_echo_once_per_direction() {
    let named: Vec<_> = REGISTRY
        .methods_named("echo")
        .map(|m| (m.direction, m.variant))
        .collect();
    assert_eq!(
        named,
        [
            (Direction::ClientToServer, "Echo"),
            (Direction::ServerToClient, "ServerEcho"),
        ]
    );
    let from_client = REGISTRY.method("echo", Direction::ClientToServer).unwrap();
    let from_server = REGISTRY.method("echo", Direction::ServerToClient).unwrap();
    let entry = |m: &MethodInfo| (m.name, m.direction, m.variant);
    assert_eq!(entry(from_client), entry(<Echo as Request>::INFO));
    assert_eq!(entry(from_server), entry(<ServerEcho as Request>::INFO));
    assert_eq!(from_client.variant, "Echo");
    assert_eq!(from_server.variant, "ServerEcho");
    for m in [from_client, from_server] {
        assert_eq!(m.name, "echo");
        assert_eq!(m.kind, Kind::Request);
        assert_eq!(m.params.map(|p| p.rust_name), Some("EchoParams"));
        assert_eq!(m.response.map(|p| p.rust_name), Some("EchoParams"));
    }
    assert_eq!(REGISTRY.methods_named("math/add").count(), 1);
    assert!(REGISTRY
        .method("math/add", Direction::ServerToClient)
        .is_none());
    assert_eq!(REGISTRY.methods_named("math/div").count(), 0);
}

fn same<A: 'static, B: 'static>() {
    assert!(
        TypeId::of::<A>() == TypeId::of::<B>(),
        "{} is not {}",
        type_name::<A>(),
        type_name::<B>()
    );
}

/// The generated peers name the sets each side sends and receives.
#[test]
fn the_generated_peers_name_their_sets() {
    assert_eq!(<ClientSide as Peer>::SIDE, Side::Client);
    assert_eq!(<ServerSide as Peer>::SIDE, Side::Server);
    same::<<ClientSide as Peer>::Other, ServerSide>();
    same::<<ServerSide as Peer>::Other, ClientSide>();

    same::<<ClientSide as Peer>::Requests, CalcRequest>();
    same::<<ClientSide as Peer>::PeerRequests, CalcServerRequest>();
    same::<<ClientSide as Peer>::PeerNotifications, CalcNotification>();
    same::<<ServerSide as Peer>::Requests, CalcServerRequest>();
    same::<<ServerSide as Peer>::Notifications, CalcNotification>();
    same::<<ServerSide as Peer>::PeerRequests, CalcRequest>();
    same::<<<ClientSide as Peer>::Requests as RequestSet>::Response, CalcResponse>();
    same::<<<ServerSide as Peer>::Requests as RequestSet>::Response, CalcServerResponse>();

    // The client sends no notifications: an empty set of the right kind.
    same::<<ClientSide as Peer>::Notifications, <ServerSide as Peer>::PeerNotifications>();
    let none = <<ClientSide as Peer>::Notifications as MethodSet>::SET;
    assert!(none.methods.is_empty());
    assert_eq!(
        (none.direction, none.kind),
        (Direction::ClientToServer, Kind::Notification)
    );
    let err =
        <ServerSide as Peer>::decode(br#"{"jsonrpc":"2.0","method":"progress"}"#).unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);

    assert!(std::ptr::eq(<ClientSide as Peer>::registry(), &REGISTRY));
    assert!(std::ptr::eq(<ServerSide as Peer>::registry(), &REGISTRY));
}

#[test]
fn requests_have_the_2_0_wire_and_round_trip() {
    let add = CalcRequest::Add {
        id: RequestId::Integer(1),
        params: add_params(2, 3),
    };
    let wire = r#"{"jsonrpc":"2.0","method":"math/add","id":1,"params":{"leftOperand":2,"rightOperand":3}}"#;
    assert_eq!(to_json(&add), wire);
    assert_eq!(text(add.encode().unwrap()), wire);
    assert_eq!(CalcRequest::decode(wire.as_bytes()).unwrap(), add);
    assert_eq!(serde_json::from_str::<CalcRequest>(wire).unwrap(), add);
    assert_eq!(add.method(), "math/add");
    assert_eq!(add.id(), &RequestId::Integer(1));

    let shutdown = CalcRequest::Shutdown {
        id: RequestId::from("s-1"),
    };
    let wire = r#"{"jsonrpc":"2.0","method":"shutdown","id":"s-1"}"#;
    assert_eq!(to_json(&shutdown), wire);
    assert_eq!(CalcRequest::decode(wire.as_bytes()).unwrap(), shutdown);
    // `null` params mean no params too; member order does not matter.
    assert_eq!(
        CalcRequest::decode(br#"{"id":"s-1","params":null,"method":"shutdown","jsonrpc":"2.0"}"#)
            .unwrap(),
        shutdown
    );

    // Through a connection: the same text, the id it allocates.
    let mut client = Connection::<ClientSide>::new();
    let request = client.request::<Add>(add_params(2, 3)).unwrap();
    assert_eq!(
        text(client.encode(&request).unwrap()),
        r#"{"jsonrpc":"2.0","method":"math/add","id":0,"params":{"leftOperand":2,"rightOperand":3}}"#
    );
    let request = client.request::<Shutdown>(()).unwrap();
    assert_eq!(
        text(client.encode(&request).unwrap()),
        r#"{"jsonrpc":"2.0","method":"shutdown","id":1}"#
    );
}

#[test]
fn notifications_have_no_id_and_round_trip() {
    let progress = CalcNotification::Progress(ProgressParams { percent: 50 });
    let wire = r#"{"jsonrpc":"2.0","method":"progress","params":{"percent":50}}"#;
    assert_eq!(to_json(&progress), wire);
    assert_eq!(CalcNotification::decode(wire.as_bytes()).unwrap(), progress);
    assert_eq!(
        to_json(&CalcNotification::Ping),
        r#"{"jsonrpc":"2.0","method":"$/ping"}"#
    );
    assert_eq!(
        serde_json::from_value::<CalcNotification>(json!({"jsonrpc": "2.0", "method": "$/ping"}))
            .unwrap(),
        CalcNotification::Ping
    );
    let server = Connection::<ServerSide>::new();
    let granted = server.grant_notification::<Ping>().unwrap();
    assert_eq!(
        <Ping as Notification>::message((), granted),
        CalcNotification::Ping
    );
    assert_eq!(
        text(
            server
                .notify::<Progress>(ProgressParams { percent: 50 })
                .unwrap()
                .unwrap()
        ),
        wire
    );
    assert_eq!(
        text(server.notify::<Ping>(()).unwrap().unwrap()),
        r#"{"jsonrpc":"2.0","method":"$/ping"}"#
    );
}

#[test]
fn responses_and_errors_have_the_2_0_wire() {
    let mut client = Connection::<ClientSide>::new();
    let add = <Add as Request>::message(
        RequestId::Integer(7),
        add_params(1, 1),
        client.grant_request::<Add>().unwrap(),
    );
    let response = add.decode_response(json!({"sum": 2})).unwrap();
    assert_eq!(response, CalcResponse::Add(AddResult { sum: 2 }));
    assert_eq!(response.method(), "math/add");
    let reply = add.respond(&response).unwrap();
    assert_eq!(
        reply,
        JSONRPCResponse {
            jsonrpc: Dialect::V2,
            id: RequestId::Integer(7),
            result: json!({"sum": 2})
        }
    );
    let wire = r#"{"jsonrpc":"2.0","id":7,"result":{"sum":2}}"#;
    assert_eq!(to_json(&reply), wire);
    let mut server = Connection::<ServerSide>::new();
    assert_eq!(text(server.respond(&add, &response).unwrap()), wire);
    assert_eq!(
        text(
            server
                .respond_to::<Add>(RequestId::Integer(7), &AddResult { sum: 2 })
                .unwrap()
        ),
        wire
    );
    // A response for another method cannot answer this request.
    let err = add.respond(&CalcResponse::Shutdown(Empty {})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a `shutdown` response cannot answer a `math/add` request"
    );
    assert_eq!(
        server
            .respond(&add, &CalcResponse::Shutdown(Empty {}))
            .unwrap_err(),
        err
    );
    // A result of the wrong shape is rejected.
    assert!(add.decode_response(json!({"total": 2})).is_err());
    assert_eq!(
        <Add as Request>::unwrap_response(response),
        Some(AddResult { sum: 2 })
    );

    // Errors are written in the protocol's dialect, whatever they say.
    let error = JSONRPCError {
        jsonrpc: Dialect::Omitted,
        error: JSONRPCErrorError {
            code: -32601,
            message: "no".into(),
            data: None,
        },
        id: RequestId::Integer(3),
    };
    let wire = r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"no"},"id":3}"#;
    assert_eq!(text(server.error(&error)), wire);
    assert_eq!(text(client.error(&error)), wire);
}

/// Standard JSON-RPC 2.0: a message without `"jsonrpc": "2.0"` is not a
/// request (-32600); the error keeps a request's id, so it is answered,
/// and a notification has none to keep.
#[test]
fn a_message_without_jsonrpc_2_0_is_an_invalid_request() {
    let requests = [
        r#"{"method":"math/add","id":1,"params":{"leftOperand":2,"rightOperand":3}}"#,
        r#"{"jsonrpc":"1.0","method":"math/add","id":1,"params":{"leftOperand":2,"rightOperand":3}}"#,
        r#"{"jsonrpc":2.0,"method":"math/add","id":1,"params":{"leftOperand":2,"rightOperand":3}}"#,
        r#"{"jsonrpc":null,"method":"shutdown","id":1}"#,
        r#"{"method":"shutdown","id":1,"jsonrpc":"2.0 "}"#,
    ];
    for wire in requests {
        let err = CalcRequest::decode(wire.as_bytes()).unwrap_err();
        assert_eq!(
            (err.code, &err.id),
            (ErrorCode::InvalidRequest, &Some(RequestId::Integer(1))),
            "{wire}: {err}"
        );
        assert!(serde_json::from_str::<CalcRequest>(wire).is_err(), "{wire}");
        let mut server = Connection::<ServerSide>::new();
        let received = server.receive(wire.as_bytes()).unwrap_err();
        assert_eq!(received, ReceiveError::Decode(err.clone()), "{wire}");
        let reply: Value = serde_json::from_slice(&server.error_reply(&received).unwrap()).unwrap();
        assert_eq!(
            reply,
            json!({
                "jsonrpc": "2.0",
                "error": { "code": -32600, "message": err.message },
                "id": 1,
            }),
            "{wire}"
        );
    }
    let err = CalcRequest::decode(requests[0].as_bytes()).unwrap_err();
    assert_eq!(
        err.message,
        "invalid request: missing `\"jsonrpc\": \"2.0\"`"
    );
    let err = CalcRequest::decode(requests[1].as_bytes()).unwrap_err();
    assert_eq!(err.message, "invalid request: `jsonrpc` must be \"2.0\"");
    assert_eq!(
        err.to_response().unwrap(),
        JSONRPCError {
            jsonrpc: Dialect::V2,
            error: err.to_error_object(),
            id: RequestId::Integer(1),
        }
    );

    for wire in [
        r#"{"method":"progress","params":{"percent":1}}"#,
        r#"{"jsonrpc":"1.0","method":"$/ping"}"#,
    ] {
        let err = CalcNotification::decode(wire.as_bytes()).unwrap_err();
        assert_eq!(
            (err.code, &err.id),
            (ErrorCode::InvalidRequest, &None),
            "{wire}"
        );
        assert!(err.to_response().is_none());
        let mut client = Connection::<ClientSide>::new();
        let received = client.receive(wire.as_bytes()).unwrap_err();
        assert!(matches!(received, ReceiveError::Decode(_)), "{wire}");
        // Not a valid notification, so not one the receiver keeps quiet
        // about: an invalid request without an id is answered `"id": null`.
        let reply: Value = serde_json::from_slice(&client.error_reply(&received).unwrap()).unwrap();
        assert_eq!(
            (&reply["jsonrpc"], &reply["id"], &reply["error"]["code"]),
            (&json!("2.0"), &Value::Null, &json!(-32600)),
            "{wire}"
        );
    }

    // A response without it pairs with nothing, and the request stays
    // pending for the answer that has it.
    let mut client = Connection::<ClientSide>::new();
    let request = client.request::<Add>(add_params(1, 2)).unwrap();
    let err = client
        .receive(br#"{"id":0,"result":{"sum":3}}"#)
        .unwrap_err();
    assert!(
        matches!(&err, ReceiveError::Decode(e) if e.code == ErrorCode::InvalidRequest),
        "{err:?}"
    );
    assert_eq!(client.pending().count(), 1);
    let Received::Response { id, response } = client
        .receive(br#"{"jsonrpc":"2.0","id":0,"result":{"sum":3}}"#)
        .unwrap()
    else {
        panic!("a response");
    };
    assert_eq!(&id, request.id());
    assert_eq!(response, CalcResponse::Add(AddResult { sum: 3 }));
}

#[test]
fn decoding_classifies_failures_as_jsonrpc_errors() {
    let cases: &[(&str, ErrorCode, Option<RequestId>)] = &[
        (
            r#"{"jsonrpc":"2.0","method":"math/add","id":1,"params":{"#,
            ErrorCode::ParseError,
            None,
        ),
        ("", ErrorCode::ParseError, None),
        ("[1,2]", ErrorCode::InvalidRequest, None),
        (
            r#"{"jsonrpc":"2.0","id":true,"method":"math/add"}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (
            r#"{"jsonrpc":"2.0","id":3,"method":7}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(3)),
        ),
        (
            r#"{"jsonrpc":"2.0","id":3}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(3)),
        ),
        (
            r#"{"jsonrpc":"2.0","method":"math/add","params":{}}"#,
            ErrorCode::InvalidRequest,
            None,
        ),
        (
            r#"{"jsonrpc":"2.0","id":"x","method":"math/div","params":{}}"#,
            ErrorCode::MethodNotFound,
            Some(RequestId::from("x")),
        ),
        (
            r#"{"jsonrpc":"2.0","id":4,"method":"math/add","params":{"leftOperand":1}}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(4)),
        ),
        (
            r#"{"jsonrpc":"2.0","id":4,"method":"math/add"}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(4)),
        ),
        (
            r#"{"jsonrpc":"2.0","id":5,"method":"shutdown","params":{"now":true}}"#,
            ErrorCode::InvalidParams,
            Some(RequestId::Integer(5)),
        ),
        (
            r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":6,"method":"shutdown"}"#,
            ErrorCode::InvalidRequest,
            Some(RequestId::Integer(6)),
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
                assert_eq!(response.jsonrpc, Dialect::V2);
            }
            None => assert!(err.to_response().is_none()),
        }
    }
    let err = CalcRequest::decode(
        br#"{"jsonrpc":"2.0","id":4,"method":"math/add","params":{"leftOperand":1}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code.code(), -32602);
    assert!(err.message.contains("rightOperand"), "{}", err.message);
}

#[test]
fn incoming_messages_are_sorted_into_requests_notifications_and_responses() {
    let request = ServerSide::decode(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).unwrap();
    assert!(matches!(
        request,
        Incoming::Request(CalcRequest::Shutdown { .. })
    ));
    let notification = ClientSide::decode(br#"{"jsonrpc":"2.0","method":"$/ping"}"#).unwrap();
    assert!(matches!(
        notification,
        Incoming::Notification(CalcNotification::Ping)
    ));
    // `echo` from the server is the server's request on the client side.
    let echo =
        ClientSide::decode(br#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"text":"hi"}}"#)
            .unwrap();
    assert!(matches!(
        echo,
        Incoming::Request(CalcServerRequest::ServerEcho { .. })
    ));
    let response = ClientSide::decode(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).unwrap();
    assert!(
        matches!(response, Incoming::Response(r) if r.result.is_null() && r.jsonrpc == Dialect::V2)
    );
    let error =
        ClientSide::decode(br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}"#)
            .unwrap();
    assert!(matches!(error, Incoming::Error(e) if e.error.code == -32601));
    let both = ClientSide::decode(
        br#"{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":""}}"#,
    );
    assert_eq!(both.unwrap_err().code, ErrorCode::InvalidRequest);
    let unknown = ClientSide::decode(br#"{"jsonrpc":"2.0","method":"nope"}"#).unwrap_err();
    assert_eq!(
        (unknown.code, unknown.id),
        (ErrorCode::MethodNotFound, None)
    );
    // A client request is not something the client receives.
    let err = ClientSide::decode(br#"{"jsonrpc":"2.0","id":1,"method":"math/add","params":{"leftOperand":1,"rightOperand":2}}"#)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::MethodNotFound);
}

/// The client's side and the server's side of one session, bytes moved by
/// hand: `session/open` declares the client's capabilities as it is sent
/// and received, and the server's as it is answered and the answer read.
fn open(
    client_capabilities: CalcCapabilities,
    server_capabilities: ServerCapabilities,
) -> (Connection<ClientSide>, Connection<ServerSide>) {
    let mut client = Connection::<ClientSide>::new();
    let mut server = Connection::<ServerSide>::new();
    let request = client
        .request::<Open>(OpenParams {
            capabilities: client_capabilities,
        })
        .unwrap();
    let Received::Request(open) = server.receive(&client.encode(&request).unwrap()).unwrap() else {
        panic!("a request");
    };
    let reply = server
        .respond(
            &open,
            &CalcResponse::Open(OpenResult {
                capabilities: server_capabilities,
                extra: BTreeMap::new(),
            }),
        )
        .unwrap();
    let Received::Response { id, .. } = client.receive(&reply).unwrap() else {
        panic!("a response");
    };
    assert_eq!(&id, request.id());
    (client, server)
}

fn raises_powers() -> ServerCapabilities {
    ServerCapabilities {
        math: Some(MathCapabilities {
            pow: Some(Empty {}),
        }),
    }
}

#[test]
fn the_negotiation_passes_through_both_connections() {
    let mut client = Connection::<ClientSide>::new();
    let mut server = Connection::<ServerSide>::new();
    for connection in [client.capabilities(), server.capabilities()] {
        assert_eq!(connection.declared_by(Side::Client), None);
        assert_eq!(connection.declared_by(Side::Server), None);
    }

    let request = client
        .request::<Open>(OpenParams {
            capabilities: CalcCapabilities { big_numbers: true },
        })
        .unwrap();
    let sent = client.encode(&request).unwrap();
    assert_eq!(
        text(sent.clone()),
        r#"{"jsonrpc":"2.0","method":"session/open","id":0,"params":{"capabilities":{"bigNumbers":true}}}"#
    );
    // What the client declared holds once the server accepts it.
    assert!(!client.capabilities().declares(BIG_NUMBERS));
    assert_eq!(
        client.pending().collect::<Vec<_>>(),
        [(&RequestId::Integer(0), "session/open")]
    );

    // `math/pow` needs the server's `math.pow`, not declared yet.
    let err = client.request::<Pow>(add_params(2, 10)).unwrap_err();
    assert_eq!(
        (err.method, err.capability, err.experimental),
        ("math/pow", MATH_POW, None)
    );
    assert_eq!(
        err.to_string(),
        "`math/pow` requires the server capability `math.pow`, which this connection did not negotiate"
    );
    assert_eq!(
        client.pending().count(),
        1,
        "a refused request is not pending"
    );

    let Received::Request(open) = server.receive(&sent).unwrap() else {
        panic!("a request");
    };
    assert!(matches!(&open, CalcRequest::Open { params, .. } if params.capabilities.big_numbers));
    // Not in force until the server answers with success.
    assert!(!server.capabilities().declares(BIG_NUMBERS));
    assert_eq!(server.capabilities().declared_by(Side::Client), None);
    assert!(!server.capabilities().declares(MATH_POW));

    let reply = server
        .respond(
            &open,
            &CalcResponse::Open(OpenResult {
                capabilities: raises_powers(),
                extra: BTreeMap::new(),
            }),
        )
        .unwrap();
    assert_eq!(
        text(reply.clone()),
        r#"{"jsonrpc":"2.0","id":0,"result":{"capabilities":{"math":{"pow":{}}}}}"#
    );
    // The server's answer puts both sides' declarations in force for it.
    assert!(server.capabilities().declares(MATH_POW));
    assert!(server.capabilities().declares(BIG_NUMBERS));
    assert_eq!(
        server.capabilities().declared_by(Side::Client),
        Some(&json!({ "bigNumbers": true }))
    );
    assert!(client.request::<Pow>(add_params(2, 10)).is_err());

    let Received::Response { id, response } = client.receive(&reply).unwrap() else {
        panic!("a response");
    };
    assert_eq!(id, RequestId::Integer(0));
    assert_eq!(
        Open::unwrap_response(response).unwrap().capabilities,
        raises_powers()
    );
    assert!(client.capabilities().declares(MATH_POW));
    assert!(client.capabilities().declares(BIG_NUMBERS));
    assert_eq!(client.pending().count(), 0);

    // Now `math/pow` is sent, and answered.
    let pow = client.request::<Pow>(add_params(2, 10)).unwrap();
    let sent = client.encode(&pow).unwrap();
    assert_eq!(
        text(sent.clone()),
        r#"{"jsonrpc":"2.0","method":"math/pow","id":1,"params":{"leftOperand":2,"rightOperand":10}}"#
    );
    let Received::Request(request) = server.receive(&sent).unwrap() else {
        panic!("a request");
    };
    let reply = server
        .respond(&request, &CalcResponse::Pow(AddResult { sum: 1024 }))
        .unwrap();
    let Received::Response { id, response } = client.receive(&reply).unwrap() else {
        panic!("a response");
    };
    assert_eq!(
        (&id, response),
        (pow.id(), CalcResponse::Pow(AddResult { sum: 1024 }))
    );
}

/// Only `math.pow` itself declares it: a server whose math has no `pow`,
/// or no math, does not get `math/pow`.
#[test]
fn math_pow_needs_the_nested_server_capability() {
    for (capabilities, declared) in [
        (ServerCapabilities::default(), false),
        (
            ServerCapabilities {
                math: Some(MathCapabilities::default()),
            },
            false,
        ),
        (raises_powers(), true),
    ] {
        let (mut client, server) = open(CalcCapabilities::default(), capabilities.clone());
        assert_eq!(
            client.request::<Pow>(add_params(1, 1)).is_ok(),
            declared,
            "{capabilities:?}"
        );
        assert_eq!(server.capabilities().declares(MATH_POW), declared);
        // Ungated requests go through either way.
        assert!(client.request::<Add>(add_params(1, 1)).is_ok());
    }
}

#[test]
fn math_mul_is_refused_to_a_client_that_did_not_declare_big_numbers() {
    // Before anything is declared, and after a `session/open` without it.
    let mut before = Connection::<ClientSide>::new();
    let (mut without, server_without) = open(CalcCapabilities::default(), raises_powers());
    for client in [&mut before, &mut without] {
        let err = client.request::<Mul>(add_params(6, 7)).unwrap_err();
        assert_eq!((err.method, err.capability), ("math/mul", BIG_NUMBERS));
        assert_eq!(
            err.to_string(),
            "`math/mul` requires the client capability `bigNumbers`, which this connection did not negotiate"
        );
        assert!(client.grant_request::<Mul>().is_err());
        assert!(client.request::<Add>(add_params(6, 7)).is_ok(), "ungated");
        assert!(client.pending().all(|(_, method)| method != "math/mul"));
    }
    // The server does not send it `math/bigProgress` either.
    assert_eq!(
        server_without
            .notify::<BigProgress>(ProgressParams { percent: 9 })
            .unwrap(),
        None
    );
    assert!(server_without.grant_notification::<BigProgress>().is_err());

    let (mut with, server_with) = open(CalcCapabilities { big_numbers: true }, raises_powers());
    let mul = with.request::<Mul>(add_params(6, 7)).unwrap();
    assert_eq!(
        text(with.encode(&mul).unwrap()),
        r#"{"jsonrpc":"2.0","method":"math/mul","id":1,"params":{"leftOperand":6,"rightOperand":7}}"#
    );
    let Received::Response { response, .. } = with
        .receive(br#"{"jsonrpc":"2.0","id":1,"result":{"sum":42}}"#)
        .unwrap()
    else {
        panic!("a response");
    };
    assert_eq!(Mul::unwrap_response(response), Some(AddResult { sum: 42 }));
    assert_eq!(
        with.receive(br#"{"jsonrpc":"2.0","id":1,"result":{"sum":42}}"#)
            .unwrap_err(),
        ReceiveError::Response(ResponseError::UnknownId(RequestId::Integer(1))),
        "a request is answered once"
    );

    // The gated notification keeps its wire form.
    let wire = r#"{"jsonrpc":"2.0","method":"math/bigProgress","params":{"percent":9}}"#;
    let sent = server_with
        .notify::<BigProgress>(ProgressParams { percent: 9 })
        .unwrap()
        .unwrap();
    assert_eq!(text(sent.clone()), wire);
    let Received::Notification(received) = with.receive(&sent).unwrap() else {
        panic!("a notification");
    };
    assert!(matches!(
        received,
        CalcNotification::BigProgress(ProgressParams { percent: 9 }, _)
    ));
    assert_eq!(CalcNotification::decode(wire.as_bytes()).unwrap(), received);
}

/// `echo` is sent both ways with the same types; each side pairs the
/// answers to its own requests, even when both have the same id in flight.
#[test]
fn echo_goes_both_ways_and_each_side_pairs_its_answers() {
    let (mut client, mut server) = open(CalcCapabilities::default(), ServerCapabilities::default());
    // The server's first request takes id 0; make the client's id 1 meet
    // a server request with id 1 too.
    let first = server
        .request::<ServerEcho>(EchoParams {
            text: "zero".into(),
        })
        .unwrap();
    assert_eq!(first.id(), &RequestId::Integer(0));
    let from_client = client
        .request::<Echo>(EchoParams { text: "up".into() })
        .unwrap();
    let from_server = server
        .request::<ServerEcho>(EchoParams {
            text: "down".into(),
        })
        .unwrap();
    assert_eq!(from_client.id(), &RequestId::Integer(1));
    assert_eq!(from_server.id(), &RequestId::Integer(1));

    let up = client.encode(&from_client).unwrap();
    let down = server.encode(&from_server).unwrap();
    assert_eq!(
        text(up.clone()),
        r#"{"jsonrpc":"2.0","method":"echo","id":1,"params":{"text":"up"}}"#
    );
    assert_eq!(
        text(down.clone()),
        r#"{"jsonrpc":"2.0","method":"echo","id":1,"params":{"text":"down"}}"#
    );

    // Each receives the other's request, as the other's set.
    let Received::Request(at_server) = server.receive(&up).unwrap() else {
        panic!("a request");
    };
    let Received::Request(at_client) = client.receive(&down).unwrap() else {
        panic!("a request");
    };
    let CalcRequest::Echo {
        params: up_params, ..
    } = &at_server
    else {
        panic!("{at_server:?}");
    };
    // The server's only request: the pattern cannot fail.
    let CalcServerRequest::ServerEcho {
        params: down_params,
        ..
    } = &at_client;
    // The requests did not pair with anything: both are still pending.
    assert_eq!(client.pending().count(), 1);
    assert_eq!(server.pending().count(), 2);

    let to_client = server
        .respond(&at_server, &CalcResponse::Echo(up_params.clone()))
        .unwrap();
    let to_server = client
        .respond(
            &at_client,
            &CalcServerResponse::ServerEcho(down_params.clone()),
        )
        .unwrap();
    assert_eq!(
        text(to_client.clone()),
        r#"{"jsonrpc":"2.0","id":1,"result":{"text":"up"}}"#
    );
    assert_eq!(
        text(to_server.clone()),
        r#"{"jsonrpc":"2.0","id":1,"result":{"text":"down"}}"#
    );
    // Each answer is decoded as the response of the side's own request.
    let Received::Response { id, response } = client.receive(&to_client).unwrap() else {
        panic!("a response");
    };
    assert_eq!(
        (id, response),
        (
            RequestId::Integer(1),
            CalcResponse::Echo(EchoParams { text: "up".into() })
        )
    );
    let Received::Response { id, response } = server.receive(&to_server).unwrap() else {
        panic!("a response");
    };
    assert_eq!(
        (id, response),
        (
            RequestId::Integer(1),
            CalcServerResponse::ServerEcho(EchoParams {
                text: "down".into()
            })
        )
    );
    assert_eq!(client.pending().count(), 0);
    assert_eq!(
        server.pending().collect::<Vec<_>>(),
        [(&RequestId::Integer(0), "echo")]
    );
    // An error answers the server's first one.
    let Received::Error { error, method } = server
        .receive(br#"{"jsonrpc":"2.0","id":0,"error":{"code":-32603,"message":"busy"}}"#)
        .unwrap()
    else {
        panic!("an error");
    };
    assert_eq!(
        (error.id, method.direction),
        (RequestId::Integer(0), Direction::ServerToClient)
    );
    assert_eq!(
        (method.name, method.variant),
        ("echo", <ServerEcho as Request>::INFO.variant)
    );
    // A result that is not the response type of the request it answers is
    // rejected, as that request's.
    let shutdown = client.request::<Shutdown>(()).unwrap();
    let err = client
        .receive(br#"{"jsonrpc":"2.0","id":2,"result":"up"}"#)
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ReceiveError::Response(ResponseError::Decode {
                method: "shutdown",
                ..
            })
        ),
        "{err:?} for {shutdown:?}"
    );
}

/// `_meta` is an open object: any members, any values, returned untouched.
#[test]
fn meta_members_round_trip() {
    let wire = r#"{"jsonrpc":"2.0","method":"math/add","id":1,"params":{"leftOperand":1,"rightOperand":2,"_meta":{"a/b":[1,null,{"deep":true}],"progressToken":"t-1","z":{}}}}"#;
    let request = CalcRequest::decode(wire.as_bytes()).unwrap();
    let CalcRequest::Add { params, .. } = &request else {
        panic!("{request:?}");
    };
    let meta = params.meta.as_ref().unwrap();
    assert_eq!(
        meta.members,
        BTreeMap::from([
            ("a/b".to_owned(), json!([1, null, { "deep": true }])),
            ("progressToken".to_owned(), json!("t-1")),
            ("z".to_owned(), json!({})),
        ])
    );
    assert_eq!(text(request.encode().unwrap()), wire);

    // Through both connections, from the client's params to the server.
    let mut client = Connection::<ClientSide>::new();
    let mut server = Connection::<ServerSide>::new();
    let sent = client.request::<Add>(params.clone()).unwrap();
    let Received::Request(CalcRequest::Add {
        params: received, ..
    }) = server.receive(&client.encode(&sent).unwrap()).unwrap()
    else {
        panic!("an add request");
    };
    assert_eq!(&received, params);
    // No `_meta`: no member.
    assert_eq!(
        to_json(&add_params(1, 2)),
        r#"{"leftOperand":1,"rightOperand":2}"#
    );
    let empty: AddParams =
        serde_json::from_str(r#"{"leftOperand":1,"rightOperand":2,"_meta":{}}"#).unwrap();
    assert_eq!(empty.meta, Some(Meta::default()));
    assert_eq!(
        to_json(&empty),
        r#"{"leftOperand":1,"rightOperand":2,"_meta":{}}"#
    );
}

/// `session/open`'s result keeps whatever else the server says, through
/// decoding and encoding.
#[test]
fn open_result_keeps_its_extra_members() {
    let result = json!({
        "capabilities": { "math": { "pow": {} } },
        "serverInfo": { "name": "calc", "version": "2" },
        "motd": "hello",
        "limits": [1, 2],
    });
    let typed: OpenResult = serde_json::from_value(result.clone()).unwrap();
    assert_eq!(typed.capabilities, raises_powers());
    assert_eq!(
        typed.extra.keys().collect::<Vec<_>>(),
        ["limits", "motd", "serverInfo"]
    );
    assert_eq!(
        typed.extra["serverInfo"],
        json!({ "name": "calc", "version": "2" })
    );
    assert_eq!(serde_json::to_value(&typed).unwrap(), result);

    // Answered by the server's connection, read by the client's.
    let mut client = Connection::<ClientSide>::new();
    let mut server = Connection::<ServerSide>::new();
    let request = client.request::<Open>(OpenParams::default()).unwrap();
    let Received::Request(open) = server.receive(&client.encode(&request).unwrap()).unwrap() else {
        panic!("a request");
    };
    let reply = server
        .respond(&open, &CalcResponse::Open(typed.clone()))
        .unwrap();
    let reply_value: Value = serde_json::from_slice(&reply).unwrap();
    assert_eq!(
        reply_value,
        json!({ "jsonrpc": "2.0", "id": 0, "result": result })
    );
    let Received::Response { response, .. } = client.receive(&reply).unwrap() else {
        panic!("a response");
    };
    assert_eq!(Open::unwrap_response(response), Some(typed));
    assert!(client.capabilities().declares(MATH_POW));
}

/// A negotiation answer the client cannot read as the negotiation's
/// result type declares nothing: the client refuses the answer, so it
/// must not act on what it says.
#[test]
fn a_negotiation_result_that_does_not_decode_declares_nothing() {
    let mut client = Connection::<ClientSide>::new();
    let request = client.request::<Open>(OpenParams::default()).unwrap();
    // `pow` is an object in `OpenResult`: `true` is not an `OpenResult`.
    let reply = json!({
        "jsonrpc": "2.0",
        "id": request.id(),
        "result": { "capabilities": { "math": { "pow": true } } },
    })
    .to_string();
    let err = client.receive(reply.as_bytes()).unwrap_err();
    assert!(
        matches!(
            &err,
            ReceiveError::Response(ResponseError::Decode {
                method: "session/open",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(
        !client.capabilities().declares(MATH_POW),
        "an unreadable `session/open` result declared `server.math.pow`"
    );
    assert!(client.request::<Pow>(add_params(2, 2)).is_err());
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
        vec![
            json!("session/open"),
            json!("math/add"),
            json!("math/mul"),
            json!("math/pow"),
            json!("echo"),
            json!("shutdown")
        ]
    );
    assert_eq!(
        members[1]["required"],
        json!(["jsonrpc", "method", "id", "params"])
    );
    assert_eq!(
        members[1]["properties"]["jsonrpc"],
        json!({ "type": "string", "const": "2.0" })
    );
    assert_eq!(members[5]["required"], json!(["jsonrpc", "method", "id"]));
    assert_eq!(members[1]["description"], json!("Adds two numbers."));
    let server = schemars::SchemaGenerator::default()
        .into_root_schema_for::<CalcServerRequest>()
        .to_value();
    assert_eq!(
        server["oneOf"][0]["properties"]["method"]["const"],
        json!("echo")
    );
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
    // The model holds the note as a plain message, apart from the
    // documentation; the JSON Schema's description ends with it, as
    // schemars writes it.
    let model = protocol_codegen::build_model(protocol).unwrap();
    let protocol_codegen::model::TypeRef::Structure(settings) =
        &model.type_named("Settings").unwrap().definition
    else {
        panic!("Settings is a structure");
    };
    let marks = &settings
        .fields
        .iter()
        .find(|f| f.name == "digits")
        .unwrap()
        .marks;
    assert_eq!(
        marks.documentation.as_deref(),
        Some("The old name of `precision`.")
    );
    let message = marks.deprecated.as_ref().and_then(|d| d.message.as_deref());
    assert_eq!(message, Some("use `precision`"));
    assert_eq!(
        schema["properties"]["digits"]["description"],
        json!("The old name of `precision`.\n\n@deprecated use `precision`")
    );
    let meta: serde_json::Value =
        serde_json::from_str(generated.get("protocol.meta.json").unwrap()).unwrap();
    let settings = meta["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ty| ty["name"] == "Settings")
        .unwrap();
    assert_eq!(
        settings["fields"][1]["marks"],
        json!({
            "documentation": "The old name of `precision`.",
            "deprecated": { "message": "use `precision`" },
        })
    );
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
