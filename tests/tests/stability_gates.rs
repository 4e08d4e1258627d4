//! The runtime stability gates: what a connection that did not negotiate
//! the experimental capability may send and is sent, and the notifications
//! a connection opted out of. On a small protocol of its own, with an
//! experimental method in each direction, experimental fields and an
//! experimental enum value nested two levels deep, and a gated server
//! request.

use protocol_macros::{
    Capabilities, CapabilityError, EncodeError, ErrorCode, JSONRPCError, Outgoing, OutgoingRequest,
    RequestId,
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

    #[protocol_macros::protocol]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum LabRequest {
            /// Probes a target; not settled yet.
            #[method("lab/probe", response = Ack, experimental = "lab/probe")]
            Probe(ProbeParams),
            #[method("lab/configure", response = Ack)]
            Configure(ConfigureParams),
        }

        #[server_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum LabServerRequest {
            #[method("lab/attest", response = Ack, capability = "attest")]
            Attest(AttestParams),
            #[method("lab/peek", response = Ack, capability = "attest", experimental = "lab/peek")]
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

fn stable() -> Capabilities {
    Capabilities::from_wire(&json!({ "experimentalApi": false, "attest": true })).unwrap()
}

fn experimental() -> Capabilities {
    Capabilities::from_wire(&json!({ "experimentalApi": true, "attest": true })).unwrap()
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
    let err = refused(&stable(), &probe).unwrap();
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
    assert_eq!(refused(&Capabilities::none(), &probe), Some(err));
    assert_eq!(refused(&experimental(), &probe), None);
}

#[test]
fn an_experimental_field_two_levels_deep_needs_the_capability() {
    let absent = configure(json!({ "engine": { "plain": "x" } }));
    assert_eq!(refused(&stable(), &absent), None);
    assert_eq!(refused(&experimental(), &absent), None);

    for turbo in [json!(true), json!(false)] {
        // `false` decodes to a value a re-serialisation could not tell from
        // a default: the gate reads what was sent.
        let present = configure(json!({ "engine": { "plain": "x", "turbo": turbo } }));
        assert_eq!(
            refused(&stable(), &present),
            Some(refusal(
                RequestId::Integer(7),
                "settings.engine.turbo requires experimentalApi capability"
            )),
            "{present}"
        );
        assert_eq!(refused(&experimental(), &present), None);
    }

    let raw = serde_json::to_vec(&configure(
        json!({ "engine": { "plain": "x", "turbo": true } }),
    ))
    .unwrap();
    let refusal = stable()
        .admit(<Configure as protocol_macros::Request>::INFO, &raw)
        .unwrap_err();
    assert_eq!(refusal.pointer.as_deref(), Some("/settings/engine/turbo"));
    assert_eq!(refusal.method, "lab/configure");
}

#[test]
fn an_experimental_enum_value_needs_the_capability() {
    let slow = configure(json!({ "engine": { "plain": "x" }, "mode": "slow" }));
    let warp = configure(json!({ "engine": { "plain": "x" }, "mode": "warp" }));
    assert_eq!(refused(&stable(), &slow), None);
    assert_eq!(
        refused(&stable(), &warp),
        Some(refusal(
            RequestId::Integer(7),
            "settings.mode.warp requires experimentalApi capability"
        ))
    );
    assert_eq!(refused(&experimental(), &warp), None);
}

/// The experimental capability's wire name is the protocol's to choose.
#[test]
fn the_experimental_capability_has_a_name_of_its_own() {
    let labs = Capabilities::from_wire(&json!({ "labs": true })).unwrap();
    let probe = json!({ "method": "lab/probe", "id": 1, "params": { "target": "t" } });
    // Under codex's default name, `labs` is just another capability.
    assert!(refused(&labs, &probe).is_some());
    let labs = labs.with_experimental_capability("labs");
    assert_eq!(refused(&labs, &probe), None);
    let none = Capabilities::none().with_experimental_capability("labs");
    assert_eq!(
        refused(&none, &probe).unwrap().error.message,
        "lab/probe requires labs capability"
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
    assert!(stable().admit_request(&request, b"not json").is_err());
    assert_eq!(experimental().admit_request(&request, b"not json"), Ok(()));

    use tests::calc::methods::CalcRequest;
    use tests::calc::AddParams;
    let add = CalcRequest::Add {
        id: RequestId::Integer(1),
        params: AddParams {
            left_operand: 1,
            right_operand: 2,
        },
    };
    assert_eq!(
        Capabilities::none().admit_request(&add, b"not json"),
        Ok(())
    );
}

#[test]
fn experimental_and_opted_out_notifications_are_not_delivered() {
    let flash = LabNotification::Flash(ProbeParams { target: "t".into() });
    let tick = LabNotification::Tick;
    assert_eq!(stable().encode_outgoing(&flash).unwrap(), None);
    assert_eq!(
        text(experimental().encode_outgoing(&flash).unwrap()),
        Some(json!({ "method": "lab/flash", "params": { "target": "t" } }))
    );
    assert_eq!(
        text(stable().encode_outgoing(&tick).unwrap()),
        Some(json!({ "method": "lab/tick" }))
    );

    for capabilities in [stable(), experimental()] {
        let opted_out = capabilities.with_opted_out(["lab/tick", "lab/flash"]);
        assert!(opted_out.opted_out("lab/tick"));
        assert_eq!(opted_out.encode_outgoing(&tick).unwrap(), None);
        assert_eq!(opted_out.encode_outgoing(&flash).unwrap(), None);
        // The others still arrive.
        let status = LabNotification::Status(StatusParams {
            text: "s".into(),
            engine: Engine {
                plain: "x".into(),
                turbo: None,
            },
            load: None,
        });
        assert!(opted_out.encode_outgoing(&status).unwrap().is_some());
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
    let stripped = stable().encode_outgoing(&status).unwrap().unwrap();
    let stripped = String::from_utf8(stripped).unwrap();
    assert!(
        stripped.starts_with(r#"{"method":"lab/status","params":{"#),
        "{stripped}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&stripped).unwrap(),
        json!({ "method": "lab/status", "params": { "text": "s", "engine": { "plain": "x" } } })
    );
    let full = experimental().encode_outgoing(&status).unwrap().unwrap();
    assert_eq!(full, serde_json::to_vec(&status).unwrap());
    assert_eq!(
        serde_json::from_slice::<Value>(&full).unwrap()["params"],
        json!({ "text": "s", "engine": { "plain": "x", "turbo": true }, "load": 3 })
    );

    // Server requests too, members still in the encoder's order.
    for (capabilities, expected) in [
        (
            stable(),
            r#"{"method":"lab/attest","id":0,"params":{"audience":"a"}}"#,
        ),
        (
            experimental(),
            r#"{"method":"lab/attest","id":0,"params":{"audience":"a","nonce":"n"}}"#,
        ),
    ] {
        let mut outgoing = Outgoing::<LabServerRequest>::new(capabilities);
        let request = outgoing
            .request::<Attest>(AttestParams {
                audience: "a".into(),
                nonce: Some("n".into()),
            })
            .unwrap();
        let sent = outgoing.capabilities().encode_outgoing(&request).unwrap();
        assert_eq!(String::from_utf8(sent.unwrap()).unwrap(), expected);
    }
}

/// A gated server request passes both gates: its capability, and the
/// experimental capability when it is experimental.
#[test]
fn the_capability_gate_and_the_experimental_gate_together() {
    let grant = |wire: Value| Capabilities::from_wire(&wire).unwrap();
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
    ];
    for (wire, attest, peek) in cases {
        let mut outgoing = Outgoing::<LabServerRequest>::new(grant(wire.clone()));
        let summary = |r: Result<OutgoingRequest<LabServerRequest>, CapabilityError>, method| {
            r.map(|_| ()).map_err(|e| {
                assert_eq!(e.method, method);
                (e.capability, e.experimental)
            })
        };
        let params = AttestParams {
            audience: "a".into(),
            nonce: None,
        };
        assert_eq!(
            summary(outgoing.request::<Attest>(params), "lab/attest"),
            attest,
            "{wire}"
        );
        assert_eq!(
            summary(outgoing.request::<Peek>(()), "lab/peek"),
            peek,
            "{wire}"
        );
        assert_eq!(
            grant(wire.clone()).grant_request::<Peek>().is_ok(),
            peek.is_ok()
        );
    }

    let err = Capabilities::from_wire(&json!({ "attest": true }))
        .unwrap()
        .grant_request::<Peek>()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`lab/peek` is experimental (lab/peek) and requires the client capability \
         `experimentalApi`, which this connection did not negotiate"
    );

    // A request that passed the gate of one connection cannot be sent to
    // another that lacks the capability.
    let peek = Outgoing::<LabServerRequest>::new(experimental())
        .request::<Peek>(())
        .unwrap();
    match stable().encode_outgoing(&peek) {
        Err(EncodeError::Refused(refused)) => {
            assert_eq!(refused.experimental, Some("lab/peek"))
        }
        other => panic!("{other:?}"),
    }
    assert!(experimental().encode_outgoing(&peek).unwrap().is_some());
}

/// codex's connection fills the experimental flag and the opt-out list
/// from `initialize`.
#[test]
fn codex_connections_read_experimental_api_and_opt_outs() {
    use protocol_defs::connection::negotiated_capabilities;
    use protocol_defs::v1::{AuthStatusChangeNotification, InitializeParams};
    use protocol_defs::ServerNotification;

    let initialize = |capabilities: Value| -> InitializeParams {
        serde_json::from_value(json!({
            "clientInfo": { "name": "app", "version": "1" },
            "capabilities": capabilities,
        }))
        .unwrap()
    };
    let notification =
        ServerNotification::AuthStatusChange(AuthStatusChangeNotification { auth_method: None });

    let plain = negotiated_capabilities(&initialize(json!({})));
    assert!(!plain.allows_experimental());
    assert_eq!(plain.experimental_capability(), "experimentalApi");
    assert!(plain.encode_outgoing(&notification).unwrap().is_some());

    let opted = negotiated_capabilities(&initialize(json!({
        "experimentalApi": true,
        "optOutNotificationMethods": ["authStatusChange"],
    })));
    assert!(opted.allows_experimental());
    assert!(opted.opted_out("authStatusChange"));
    assert_eq!(opted.encode_outgoing(&notification).unwrap(), None);
}
