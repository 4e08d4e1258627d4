//! The runtime stability gates: what a connection that did not negotiate
//! the experimental capability may send and is sent, and the notifications
//! a connection opted out of. On a small protocol of its own, with an
//! experimental method in each direction, experimental fields and an
//! experimental enum value nested two levels deep, and a gated server
//! request.

use protocol_macros::{
    Capabilities, CapabilityError, Connection, Dialect, ErrorCode, JSONRPCError, OutgoingRequest,
    RequestId, Side,
};
use serde_json::{json, Value};

use lab::methods::*;
use lab::*;

mod lab {
    use protocol_macros::wire;

    /// How fast to run.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Mode {
        Slow,
        #[experimental("settings.mode.warp")]
        Warp,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Engine {
        pub plain: String,
        #[experimental("settings.engine.turbo")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub turbo: Option<bool>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Settings {
        pub engine: Engine,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mode: Option<Mode>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct ConfigureParams {
        pub name: String,
        pub settings: Settings,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct ProbeParams {
        pub target: String,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ack {}

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct StatusParams {
        pub text: String,
        pub engine: Engine,
        #[experimental("status.load")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub load: Option<u32>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct AttestParams {
        pub audience: String,
        #[experimental("attest.nonce")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub nonce: Option<String>,
    }

    /// What a client declares when it says hello.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct HelloParams {
        pub capabilities: serde_json::Map<String, serde_json::Value>,
    }

    #[protocol_macros::protocol(
        jsonrpc = "omit",
        negotiation = "lab/hello",
        client_capabilities = "params.capabilities",
        experimental = "client.experimentalApi",
        opt_out = "client.optOut"
    )]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum LabRequest {
            #[method("lab/hello", response = Ack)]
            Hello(HelloParams),
            /// Probes a target; not settled yet.
            #[method("lab/probe", response = Ack, experimental = "lab/probe")]
            Probe(ProbeParams),
            #[method("lab/configure", response = Ack)]
            Configure(ConfigureParams),
        }

        #[server_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum LabServerRequest {
            #[method("lab/attest", response = Ack, capability = "client.attest")]
            Attest(AttestParams),
            #[method("lab/peek", response = Ack, capability = "client.attest", experimental = "lab/peek")]
            Peek,
        }

        #[server_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum LabNotification {
            #[method("lab/flash", experimental = "lab/flash")]
            Flash(ProbeParams),
            #[method("lab/status")]
            Status(StatusParams),
            #[method("lab/tick")]
            Tick,
        }
    }
}

/// The server's side of a connection whose client declared `client`.
fn server(client: Value) -> Connection<ServerSide> {
    Connection::negotiated_for_tests(Some(client), None)
}

fn stable() -> Connection<ServerSide> {
    server(json!({ "experimentalApi": false, "attest": true }))
}

fn experimental() -> Connection<ServerSide> {
    server(json!({ "experimentalApi": true, "attest": true }))
}

fn none() -> Capabilities {
    Capabilities::before_negotiation(REGISTRY.settings)
}

/// Decodes `message` as a client request and passes it through the gate:
/// the error response when it is refused.
fn refused(capabilities: &Capabilities, message: &Value) -> Option<JSONRPCError> {
    let raw = serde_json::to_vec(message).unwrap();
    let request = LabRequest::decode(&raw).expect("a valid request");
    capabilities.admit_request(&request, &raw).err()
}

fn refusal(id: RequestId, message: &str) -> JSONRPCError {
    JSONRPCError {
        jsonrpc: Dialect::Omitted,
        error: protocol_macros::JSONRPCErrorError {
            code: -32600,
            message: message.to_owned(),
            data: None,
        },
        id,
    }
}

fn configure(settings: Value) -> Value {
    json!({ "method": "lab/configure", "id": 7, "params": { "name": "n", "settings": settings } })
}

fn text(bytes: Option<Vec<u8>>) -> Option<Value> {
    bytes.map(|b| serde_json::from_slice(&b).unwrap())
}

#[test]
fn an_experimental_request_needs_the_experimental_capability() {
    let probe = json!({ "method": "lab/probe", "id": "p-1", "params": { "target": "t" } });
    let err = refused(stable().capabilities(), &probe).unwrap();
    assert_eq!(
        err,
        refusal(
            RequestId::from("p-1"),
            "lab/probe requires experimentalApi capability"
        )
    );
    assert_eq!(
        ErrorCode::from_code(err.error.code),
        Some(ErrorCode::InvalidRequest)
    );
    assert_eq!(refused(&none(), &probe), Some(err));
    assert_eq!(refused(experimental().capabilities(), &probe), None);
}

#[test]
fn an_experimental_field_two_levels_deep_needs_the_capability() {
    let absent = configure(json!({ "engine": { "plain": "x" } }));
    assert_eq!(refused(stable().capabilities(), &absent), None);
    assert_eq!(refused(experimental().capabilities(), &absent), None);

    for turbo in [json!(true), json!(false)] {
        // `false` decodes to a value a re-serialisation could not tell from
        // a default: the gate reads what was sent.
        let present = configure(json!({ "engine": { "plain": "x", "turbo": turbo } }));
        assert_eq!(
            refused(stable().capabilities(), &present),
            Some(refusal(
                RequestId::Integer(7),
                "settings.engine.turbo requires experimentalApi capability"
            )),
            "{present}"
        );
        assert_eq!(refused(experimental().capabilities(), &present), None);
    }

    let raw = serde_json::to_vec(&configure(
        json!({ "engine": { "plain": "x", "turbo": true } }),
    ))
    .unwrap();
    let refusal = stable()
        .capabilities()
        .admit(<Configure as protocol_macros::Request>::INFO, &raw)
        .unwrap_err();
    assert_eq!(refusal.pointer.as_deref(), Some("/settings/engine/turbo"));
    assert_eq!(refusal.method, "lab/configure");
}

#[test]
fn an_experimental_enum_value_needs_the_capability() {
    let slow = configure(json!({ "engine": { "plain": "x" }, "mode": "slow" }));
    let warp = configure(json!({ "engine": { "plain": "x" }, "mode": "warp" }));
    assert_eq!(refused(stable().capabilities(), &slow), None);
    assert_eq!(
        refused(stable().capabilities(), &warp),
        Some(refusal(
            RequestId::Integer(7),
            "settings.mode.warp requires experimentalApi capability"
        ))
    );
    assert_eq!(refused(experimental().capabilities(), &warp), None);
}

/// The experimental opt-in is the protocol's to name, at any path; a
/// protocol that names none holds nothing experimental back.
#[test]
fn the_experimental_opt_in_is_the_protocols_own() {
    mod labs {
        use super::lab::{Ack, HelloParams, ProbeParams};

        #[protocol_macros::protocol(
            negotiation = "labs/hello",
            client_capabilities = "params.capabilities",
            experimental = "client.features.labs"
        )]
        pub mod methods {
            use super::*;

            #[client_requests]
            #[derive(Debug, Clone, PartialEq)]
            pub enum LabsRequest {
                #[method("labs/hello", response = Ack)]
                Hello(HelloParams),
                #[method("labs/probe", response = Ack, experimental = "labs/probe")]
                Probe(ProbeParams),
            }
        }

        #[protocol_macros::protocol]
        pub mod open {
            use super::*;

            #[client_requests]
            #[derive(Debug, Clone, PartialEq)]
            pub enum OpenRequest {
                #[method("open/probe", response = Ack, experimental = "open/probe")]
                Probe(ProbeParams),
            }
        }
    }
    use labs::methods::{LabsRequest, ServerSide};

    let probe = br#"{"jsonrpc":"2.0","method":"labs/probe","id":1,"params":{"target":"t"}}"#;
    let request = LabsRequest::decode(probe).unwrap();
    let admitted = |client: Value| {
        Connection::<ServerSide>::negotiated_for_tests(Some(client), None)
            .capabilities()
            .admit_request(&request, probe)
            .map_err(|refused| refused.error.message)
    };
    // `experimentalApi` is only a name here; `features.labs` opts in.
    assert_eq!(
        admitted(json!({ "experimentalApi": true })),
        Err("labs/probe requires features.labs capability".to_owned())
    );
    assert_eq!(
        admitted(json!({ "features": { "labs": false } })),
        Err("labs/probe requires features.labs capability".to_owned())
    );
    assert_eq!(admitted(json!({ "features": { "labs": {} } })), Ok(()));

    // Nothing to opt in with: nothing held back.
    let open = br#"{"jsonrpc":"2.0","method":"open/probe","id":1,"params":{"target":"t"}}"#;
    let request = labs::open::OpenRequest::decode(open).unwrap();
    let connection = Connection::<labs::open::ServerSide>::new();
    assert!(connection.capabilities().allows_experimental());
    assert_eq!(
        connection.capabilities().admit_request(&request, open),
        Ok(())
    );
}

/// Nothing experimental in a method's params: the raw text is not read
/// again (here it could not be), so stable traffic pays nothing.
#[test]
fn stable_params_are_not_read_twice() {
    let request = LabRequest::Probe {
        id: RequestId::Integer(1),
        params: ProbeParams { target: "t".into() },
    };
    // The method is experimental: refused before any params are read.
    assert!(stable()
        .capabilities()
        .admit_request(&request, b"not json")
        .is_err());
    assert_eq!(
        experimental()
            .capabilities()
            .admit_request(&request, b"not json"),
        Ok(())
    );

    use tests::calc::methods::CalcRequest;
    use tests::calc::AddParams;
    let add = CalcRequest::Add {
        id: RequestId::Integer(1),
        params: AddParams {
            left_operand: 1,
            right_operand: 2,
            meta: None,
        },
    };
    let calc = Capabilities::before_negotiation(tests::calc::methods::REGISTRY.settings);
    assert_eq!(calc.admit_request(&add, b"not json"), Ok(()));
}

#[test]
fn experimental_and_opted_out_notifications_are_not_delivered() {
    let flash = LabNotification::Flash(ProbeParams { target: "t".into() });
    let tick = LabNotification::Tick;
    assert_eq!(stable().encode_notification(&flash).unwrap(), None);
    assert_eq!(
        text(experimental().encode_notification(&flash).unwrap()),
        Some(json!({ "method": "lab/flash", "params": { "target": "t" } }))
    );
    assert_eq!(
        text(stable().encode_notification(&tick).unwrap()),
        Some(json!({ "method": "lab/tick" }))
    );

    for opt_in in [false, true] {
        let opted_out = server(json!({
            "experimentalApi": opt_in,
            "optOut": ["lab/tick", "lab/flash"],
        }));
        assert!(opted_out.capabilities().opted_out(Side::Client, "lab/tick"));
        // The list is the client's: what the client sends is not held back.
        assert!(!opted_out.capabilities().opted_out(Side::Server, "lab/tick"));
        assert_eq!(opted_out.encode_notification(&tick).unwrap(), None);
        assert_eq!(opted_out.notify::<Tick>(()).unwrap(), None);
        assert_eq!(opted_out.encode_notification(&flash).unwrap(), None);
        // The others still arrive.
        let status = LabNotification::Status(StatusParams {
            text: "s".into(),
            engine: Engine {
                plain: "x".into(),
                turbo: None,
            },
            load: None,
        });
        assert!(opted_out.encode_notification(&status).unwrap().is_some());
    }
}

#[test]
fn experimental_fields_are_left_out_only_for_connections_without_the_capability() {
    let status = LabNotification::Status(StatusParams {
        text: "s".into(),
        engine: Engine {
            plain: "x".into(),
            turbo: Some(true),
        },
        load: Some(3),
    });
    let stripped = stable().encode_notification(&status).unwrap().unwrap();
    let stripped = String::from_utf8(stripped).unwrap();
    assert!(
        stripped.starts_with(r#"{"method":"lab/status","params":{"#),
        "{stripped}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&stripped).unwrap(),
        json!({ "method": "lab/status", "params": { "text": "s", "engine": { "plain": "x" } } })
    );
    let full = experimental()
        .encode_notification(&status)
        .unwrap()
        .unwrap();
    assert_eq!(full, serde_json::to_vec(&status).unwrap());
    assert_eq!(
        serde_json::from_slice::<Value>(&full).unwrap()["params"],
        json!({ "text": "s", "engine": { "plain": "x", "turbo": true }, "load": 3 })
    );

    // Server requests too, members still in the encoder's order.
    for (mut connection, expected) in [
        (
            stable(),
            r#"{"method":"lab/attest","id":0,"params":{"audience":"a"}}"#,
        ),
        (
            experimental(),
            r#"{"method":"lab/attest","id":0,"params":{"audience":"a","nonce":"n"}}"#,
        ),
    ] {
        let request = connection
            .request::<Attest>(AttestParams {
                audience: "a".into(),
                nonce: Some("n".into()),
            })
            .unwrap();
        let sent = connection.encode(&request).unwrap();
        assert_eq!(String::from_utf8(sent).unwrap(), expected);
    }
}

/// A gated server request passes both gates: its capability, and the
/// experimental capability when it is experimental.
#[test]
fn the_capability_gate_and_the_experimental_gate_together() {
    let cases = [
        (json!({}), Err(("attest", None)), Err(("attest", None))),
        (
            json!({ "experimentalApi": true }),
            Err(("attest", None)),
            Err(("attest", None)),
        ),
        (
            json!({ "attest": true }),
            Ok(()),
            Err(("experimentalApi", Some("lab/peek"))),
        ),
        (
            json!({ "attest": true, "experimentalApi": true }),
            Ok(()),
            Ok(()),
        ),
        // Present and neither `false` nor `null`: declared.
        (
            json!({ "attest": {}, "experimentalApi": 1 }),
            Ok(()),
            Ok(()),
        ),
        (
            json!({ "attest": null, "experimentalApi": true }),
            Err(("attest", None)),
            Err(("attest", None)),
        ),
    ];
    for (wire, attest, peek) in cases {
        let mut connection = server(wire.clone());
        let summary = |r: Result<OutgoingRequest<LabServerRequest>, CapabilityError>, method| {
            r.map(|_| ()).map_err(|e| {
                assert_eq!(e.method, method);
                assert_eq!(e.capability.side, Side::Client);
                (e.capability.path.join("."), e.experimental)
            })
        };
        let summary = |r, method| {
            summary(r, method).map_err(|(path, experimental)| {
                (
                    if path == "attest" {
                        "attest"
                    } else {
                        "experimentalApi"
                    },
                    experimental,
                )
            })
        };
        let params = AttestParams {
            audience: "a".into(),
            nonce: None,
        };
        assert_eq!(
            summary(connection.request::<Attest>(params), "lab/attest"),
            attest,
            "{wire}"
        );
        assert_eq!(
            summary(connection.request::<Peek>(()), "lab/peek"),
            peek,
            "{wire}"
        );
        assert_eq!(connection.grant_request::<Peek>().is_ok(), peek.is_ok());
    }

    let err = server(json!({ "attest": true }))
        .grant_request::<Peek>()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`lab/peek` is experimental (lab/peek) and requires the client capability \
         `experimentalApi`, which this connection did not negotiate"
    );

    // A request that passed the gate of one connection cannot be sent on
    // another, whatever that one's capabilities.
    let mut granting = experimental();
    let peek = granting.request::<Peek>(()).unwrap();
    for other in [stable(), experimental()] {
        let err = other.encode(&peek).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this `lab/peek` request was made by another connection, which pairs its response"
        );
    }
    assert!(granting.encode(&peek).is_ok());
}

/// The capabilities of a connection come from its negotiation: the server
/// reads them from the `lab/hello` it receives.
#[test]
fn a_connection_reads_its_capabilities_from_the_negotiation() {
    let mut connection = Connection::<ServerSide>::new();
    assert!(connection
        .request::<Attest>(AttestParams {
            audience: "a".into(),
            nonce: None,
        })
        .is_err());
    let hello = br#"{"method":"lab/hello","id":1,"params":{"capabilities":{"attest":true}}}"#;
    let hello = match connection.receive(hello) {
        Ok(protocol_macros::Received::Request(hello @ LabRequest::Hello { .. })) => hello,
        other => panic!("{other:?}"),
    };
    // In force once the server accepts it.
    assert!(connection.grant_request::<Attest>().is_err());
    connection
        .respond(&hello, &LabResponse::Hello(Ack {}))
        .unwrap();
    assert!(connection.capabilities().declares(
        <Attest as protocol_macros::Request>::INFO
            .capability
            .unwrap()
    ));
    let request = connection
        .request::<Attest>(AttestParams {
            audience: "a".into(),
            nonce: None,
        })
        .unwrap();
    assert_eq!(
        String::from_utf8(connection.encode(&request).unwrap()).unwrap(),
        r#"{"method":"lab/attest","id":0,"params":{"audience":"a"}}"#
    );
}

/// codex's connection reads the experimental opt-in and the opt-out list
/// from the `initialize` it receives.
#[test]
fn codex_connections_read_experimental_api_and_opt_outs() {
    use protocol_defs::v1::AuthStatusChangeNotification;
    use protocol_defs::{AuthStatusChange, ServerSide};

    let initialized = |capabilities: Value| -> Connection<ServerSide> {
        let mut connection = Connection::new();
        let initialize = json!({
            "method": "initialize",
            "id": 0,
            "params": {
                "clientInfo": { "name": "app", "version": "1" },
                "capabilities": capabilities,
            },
        });
        let Ok(protocol_macros::Received::Request(request)) =
            connection.receive(&serde_json::to_vec(&initialize).unwrap())
        else {
            panic!("an initialize request");
        };
        let response =
            protocol_defs::ClientResponse::Initialize(protocol_defs::v1::InitializeResponse {
                user_agent: "test/1".to_owned(),
                codex_home: protocol_defs::common::AbsolutePathBuf::new("/home/test/.codex")
                    .unwrap(),
                platform_family: "unix".to_owned(),
                platform_os: "linux".to_owned(),
            });
        connection.respond(&request, &response).unwrap();
        connection
    };
    let notification = || AuthStatusChangeNotification { auth_method: None };

    let plain = initialized(json!({}));
    assert!(!plain.capabilities().allows_experimental());
    assert_eq!(
        plain
            .capabilities()
            .experimental_capability()
            .map(|c| c.to_string()),
        Some("client.experimentalApi".to_owned())
    );
    assert!(plain
        .notify::<AuthStatusChange>(notification())
        .unwrap()
        .is_some());

    let opted = initialized(json!({
        "experimentalApi": true,
        "optOutNotificationMethods": ["authStatusChange"],
    }));
    assert!(opted.capabilities().allows_experimental());
    assert!(opted
        .capabilities()
        .opted_out(Side::Client, "authStatusChange"));
    assert_eq!(
        opted.notify::<AuthStatusChange>(notification()).unwrap(),
        None
    );
}
