//! `breaking`: a corpus of old/new protocol pairs with the findings each
//! must give (every rule, breaking and not), the command line with its
//! allowlist, and a git repository with two commits.

use std::fs;
use std::path::Path;
use std::process::Command;

use clap::Parser;
use protocol_codegen::breaking::{compare, parse_model, BaseError, Finding};
use protocol_codegen::cli::{run, Cli, Exit};
use protocol_codegen::model::surface::stable as stable_surface;
use protocol_codegen::model::*;
use protocol_codegen::{build_model, render, Draft, Protocol, META_FILE, META_FORMAT_VERSION};
use serde_json::json;
use tests::calc;

fn base_type(name: BaseType) -> TypeRef {
    TypeRef::Base {
        name,
        format: None,
        minimum: None,
        maximum: None,
    }
}

fn string() -> TypeRef {
    base_type(BaseType::String)
}

fn reference(name: &str) -> TypeRef {
    TypeRef::Reference { name: name.into() }
}

fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        name: name.into(),
        ty,
        optional: false,
        nullable: false,
        default: None,
        marks: Default::default(),
    }
}

fn optional(mut field: Field) -> Field {
    field.optional = true;
    field.nullable = true;
    field
}

fn structure(fields: Vec<Field>) -> TypeRef {
    TypeRef::Structure(Structure {
        fields,
        additional_properties: AdditionalProperties::Ignored,
    })
}

fn enumeration(values: &[&str]) -> TypeRef {
    TypeRef::Enumeration(Enumeration {
        values: values
            .iter()
            .map(|v| EnumerationValue {
                value: (*v).into(),
                marks: Default::default(),
            })
            .collect(),
    })
}

fn union(types: Vec<TypeRef>) -> TypeRef {
    let variants: Vec<Variant> = types
        .into_iter()
        .map(|ty| Variant {
            title: None,
            marks: Default::default(),
            ty,
        })
        .collect();
    let discriminator = matches!(variants[0].ty, TypeRef::Structure(_)).then(|| "type".to_owned());
    TypeRef::Union(Union {
        exclusive: true,
        discriminator,
        variants,
    })
}

/// `{"type": "<tag>"}`: a variant of a union tagged by `type`.
fn tagged(tag: &str) -> TypeRef {
    structure(vec![field(
        "type",
        TypeRef::StringLiteral { value: tag.into() },
    )])
}

fn union_of<'m>(model: &'m mut Model, name: &str) -> &'m mut Union {
    let ty = model.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.definition {
        TypeRef::Union(union) => union,
        other => panic!("{name} is {other:?}"),
    }
}

fn named(name: &str, sent_by: &[Side], definition: TypeRef) -> TypeDefinition {
    TypeDefinition {
        name: name.into(),
        marks: Default::default(),
        sent_by: sent_by.to_vec(),
        definition,
    }
}

fn method(
    name: &str,
    kind: MethodKind,
    direction: Direction,
    params: &str,
    result: Option<&str>,
) -> Method {
    Method {
        method: name.into(),
        kind,
        message_direction: direction,
        params: Some(reference(params)),
        result: result.map(reference),
        required_capability: None,
        marks: Default::default(),
    }
}

/// A small protocol with data in both directions: a client request, a
/// server request and a server notification, and a type both sides send.
fn baseline() -> Model {
    use Direction::*;
    use MethodKind::*;
    use Side::*;
    let mut model = Model {
        protocol: ProtocolSettings {
            jsonrpc: JsonRpcDialect::V2,
            negotiation: None,
            experimental: None,
            opt_out: None,
        },
        methods: vec![
            method(
                "getAuthStatus",
                Request,
                ClientToServer,
                "GetAuthStatusParams",
                Some("GetAuthStatusResponse"),
            ),
            method(
                "approve",
                Request,
                ServerToClient,
                "ApproveParams",
                Some("ApproveResponse"),
            ),
            method(
                "authStatusChange",
                Notification,
                ServerToClient,
                "AuthStatusChange",
                None,
            ),
        ],
        message_sets: Vec::new(),
        types: vec![
            named(
                "GetAuthStatusParams",
                &[Client],
                structure(vec![
                    optional(field("includeToken", base_type(BaseType::Boolean))),
                    field("mode", reference("AuthMode")),
                ]),
            ),
            named(
                "GetAuthStatusResponse",
                &[Server],
                structure(vec![
                    field("authMethod", reference("AuthMode")),
                    field(
                        "expiresIn",
                        TypeRef::Base {
                            name: BaseType::Integer,
                            format: Some("uint32".into()),
                            minimum: Some(0.into()),
                            maximum: None,
                        },
                    ),
                    field(
                        "scopes",
                        TypeRef::Array {
                            element: Box::new(string()),
                        },
                    ),
                ]),
            ),
            named(
                "AuthMode",
                &[Client, Server],
                enumeration(&["apikey", "chatgpt"]),
            ),
            named(
                "ApproveParams",
                &[Server],
                structure(vec![
                    field("command", string()),
                    field("source", reference("Source")),
                ]),
            ),
            named(
                "Source",
                &[Server],
                union(vec![tagged("cli"), tagged("ide")]),
            ),
            named(
                "Origin",
                &[Server],
                union(vec![
                    TypeRef::StringLiteral {
                        value: "cli".into(),
                    },
                    string(),
                ]),
            ),
            named(
                "ApproveResponse",
                &[Client],
                structure(vec![field("decision", reference("Decision"))]),
            ),
            named("Decision", &[Client], enumeration(&["approved", "denied"])),
            named(
                "AuthStatusChange",
                &[Server],
                structure(vec![
                    optional(field("authMethod", reference("AuthMode"))),
                    field("origin", reference("Origin")),
                ]),
            ),
        ],
    };
    model.types.sort_by(|a, b| a.name.cmp(&b.name));
    model
}

fn structure_of<'m>(model: &'m mut Model, name: &str) -> &'m mut Structure {
    let ty = model.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.definition {
        TypeRef::Structure(structure) => structure,
        other => panic!("{name} is {other:?}"),
    }
}

fn field_of<'m>(model: &'m mut Model, ty: &str, field: &str) -> &'m mut Field {
    structure_of(model, ty)
        .fields
        .iter_mut()
        .find(|f| f.name == field)
        .unwrap()
}

fn enumeration_of<'m>(model: &'m mut Model, name: &str) -> &'m mut Enumeration {
    let ty = model.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.definition {
        TypeRef::Enumeration(enumeration) => enumeration,
        other => panic!("{name} is {other:?}"),
    }
}

type Edit = fn(&mut Model);

/// Each case: a name, the edit from the baseline to the new protocol, and
/// the findings it must give (`BREAKING`/`ok` lines).
fn corpus() -> Vec<(&'static str, Edit, Vec<&'static str>)> {
    vec![
        ("method removed", |m| m.methods.retain(|x| x.method != "approve"), vec![
            "BREAKING server→client approve: method removed",
        ]),
        ("method renamed", |m| m.methods[0].method = "getAuthState".into(), vec![
            "BREAKING client→server getAuthStatus: method removed",
            "ok       client→server getAuthState: method added",
        ]),
        ("method added", |m| {
            let mut added = m.methods[0].clone();
            added.method = "logout".into();
            m.methods.push(added);
        }, vec!["ok       client→server logout: method added"]),
        ("direction changed", |m| m.methods[2].message_direction = Direction::ClientToServer, vec![
            "BREAKING server→client authStatusChange: direction changed to client→server",
        ]),
        ("kind changed", |m| m.methods[2].kind = MethodKind::Request, vec![
            "BREAKING server→client authStatusChange: kind changed (request ⇄ notification)",
        ]),
        ("capability added", |m| m.methods[0].required_capability = Some(Capability {
            side: Side::Server,
            path: vec!["auth".into(), "status".into()],
        }), vec![
            "BREAKING client→server getAuthStatus: now requires capability `server.auth.status`",
        ]),
        ("capability moved to the other side", |m| {
            m.methods[1].required_capability = Some(Capability { side: Side::Client, path: vec!["approvals".into()] })
        }, vec![
            "BREAKING server→client approve: now requires capability `client.approvals`",
        ]),
        ("second direction added", |m| {
            let mut other = m.methods[0].clone();
            other.message_direction = Direction::ServerToClient;
            m.methods.push(other);
        }, vec!["ok       server→client getAuthStatus: method added"]),
        ("dialect changed", |m| m.protocol.jsonrpc = JsonRpcDialect::Omitted, vec![
            "BREAKING protocol jsonrpc: dialect changed from JSON-RPC 2.0 with `\"jsonrpc\": \"2.0\"` to JSON-RPC 2.0 without the `jsonrpc` member",
        ]),
        ("negotiation added", |m| m.protocol.negotiation = Some(Negotiation {
            method: "getAuthStatus".into(),
            client: Some(CapabilityLocation { member: Carrier::Params, path: vec!["capabilities".into()] }),
            server: None,
        }), vec!["BREAKING protocol negotiation: capabilities are now negotiated by `getAuthStatus`"]),
        ("experimental opt-in named", |m| {
            m.protocol.experimental = Some(Capability { side: Side::Client, path: vec!["experimental".into()] })
        }, vec!["BREAKING protocol experimental: capability changed from none to `client.experimental`"]),
        ("documentation only", |m| {
            m.methods[0].marks.documentation = Some("Now documented.".into());
            field_of(m, "GetAuthStatusResponse", "scopes").marks.documentation = Some("Scopes.".into());
        }, vec![]),
        // Data the server receives.
        ("server receives: new required field", |m| {
            structure_of(m, "GetAuthStatusParams").fields.push(field("clientId", string()))
        }, vec!["BREAKING client→server getAuthStatus params.clientId: new required field"]),
        ("server receives: new optional field", |m| {
            structure_of(m, "GetAuthStatusParams").fields.push(optional(field("clientId", string())))
        }, vec!["ok       client→server getAuthStatus params.clientId: optional field added"]),
        ("server receives: field became required", |m| {
            let f = field_of(m, "GetAuthStatusParams", "includeToken");
            f.optional = false;
        }, vec!["BREAKING client→server getAuthStatus params.includeToken: became required"]),
        ("server receives: field became non-nullable", |m| {
            field_of(m, "GetAuthStatusParams", "includeToken").nullable = false;
        }, vec!["BREAKING client→server getAuthStatus params.includeToken: became non-nullable"]),
        ("server receives: field became nullable", |m| {
            field_of(m, "ApproveResponse", "decision").nullable = true;
        }, vec!["ok       server→client approve result.decision: became nullable"]),
        ("server receives: type narrowed (an enumeration loses a value)", |m| {
            field_of(m, "ApproveResponse", "decision").ty = enumeration(&["approved"]);
        }, vec!["BREAKING server→client approve result.decision: value `denied` removed"]),
        ("server receives: type widened", |m| {
            field_of(m, "ApproveResponse", "decision").ty = string();
        }, vec!["ok       server→client approve result.decision: type widened (enumeration → string)"]),
        ("server receives: enum value removed", |m| {
            enumeration_of(m, "Decision").values.pop();
        }, vec!["BREAKING server→client approve result.decision: value `denied` removed"]),
        ("server receives: enum value added", |m| {
            enumeration_of(m, "Decision").values.push(EnumerationValue {
                value: "abstain".into(),
                marks: Default::default(),
            });
        }, vec!["ok       server→client approve result.decision: value `abstain` added"]),
        ("server receives: additionalProperties narrowed", |m| {
            structure_of(m, "GetAuthStatusParams").additional_properties = AdditionalProperties::Forbidden;
        }, vec!["BREAKING client→server getAuthStatus params: additionalProperties narrowed: unknown fields are now rejected"]),
        ("server receives: field removed", |m| {
            structure_of(m, "GetAuthStatusParams").fields.retain(|f| f.name != "includeToken");
        }, vec!["ok       client→server getAuthStatus params.includeToken: field removed (ignored if sent)"]),
        // Data the client receives.
        ("client receives: field removed", |m| {
            structure_of(m, "GetAuthStatusResponse").fields.retain(|f| f.name != "scopes");
        }, vec!["BREAKING client→server getAuthStatus result.scopes: field removed"]),
        ("client receives: field added", |m| {
            structure_of(m, "ApproveParams").fields.push(field("cwd", string()));
        }, vec!["ok       server→client approve params.cwd: field added"]),
        ("client receives: field became optional", |m| {
            field_of(m, "ApproveParams", "command").optional = true;
        }, vec!["BREAKING server→client approve params.command: became optional"]),
        ("client receives: field became nullable", |m| {
            field_of(m, "GetAuthStatusResponse", "scopes").nullable = true;
        }, vec!["BREAKING client→server getAuthStatus result.scopes: became nullable"]),
        ("client receives: field became non-nullable", |m| {
            field_of(m, "AuthStatusChange", "authMethod").nullable = false;
        }, vec!["ok       server→client authStatusChange params.authMethod: became non-nullable"]),
        ("client receives: type widened", |m| {
            if let TypeRef::Base { format, .. } = &mut field_of(m, "GetAuthStatusResponse", "expiresIn").ty {
                *format = Some("uint64".into());
            }
        }, vec!["BREAKING client→server getAuthStatus result.expiresIn: type widened (integer (uint32) → integer (uint64))"]),
        ("client receives: type narrowed", |m| {
            if let TypeRef::Base { format, .. } = &mut field_of(m, "GetAuthStatusResponse", "expiresIn").ty {
                *format = Some("uint16".into());
            }
        }, vec!["ok       client→server getAuthStatus result.expiresIn: type narrowed (integer (uint32) → integer (uint16))"]),
        ("client receives: type changed", |m| {
            field_of(m, "GetAuthStatusResponse", "scopes").ty = string();
        }, vec!["BREAKING client→server getAuthStatus result.scopes: type changed from array of string to string"]),
        ("client receives: array element changed", |m| {
            field_of(m, "GetAuthStatusResponse", "scopes").ty = TypeRef::Array {
                element: Box::new(base_type(BaseType::Boolean)),
            };
        }, vec!["BREAKING client→server getAuthStatus result.scopes[]: type changed from string to boolean"]),
        ("client receives: response type changed", |m| {
            m.methods[0].result = Some(reference("ApproveParams"));
        }, vec![
            "BREAKING client→server getAuthStatus result.authMethod: field removed",
            "BREAKING client→server getAuthStatus result.expiresIn: field removed",
            "BREAKING client→server getAuthStatus result.scopes: field removed",
            "ok       client→server getAuthStatus result.command: field added",
            "ok       client→server getAuthStatus result.source: field added",
        ]),
        ("client receives: union variant added to a closed union", |m| {
            let variant = union_of(m, "Source").variants[0].clone();
            let mut added = variant;
            added.ty = tagged("web");
            union_of(m, "Source").variants.push(added);
        }, vec!["BREAKING server→client approve params.source: variant `web` added to a closed type"]),
        ("client receives: union variant added to an open union", |m| {
            let mut added = union_of(m, "Origin").variants[0].clone();
            added.ty = TypeRef::StringLiteral { value: "ide".into() };
            union_of(m, "Origin").variants.insert(1, added);
        }, vec!["ok       server→client authStatusChange params.origin: variant `ide` added"]),
        ("client receives: union variant removed", |m| {
            union_of(m, "Source").variants.pop();
        }, vec!["ok       server→client approve params.source: variant `ide` removed"]),
        ("client receives: a variant gains a field", |m| {
            let variant = &mut union_of(m, "Source").variants[1];
            variant.ty = structure(vec![
                field("type", TypeRef::StringLiteral { value: "ide".into() }),
                field("name", string()),
            ]);
        }, vec!["ok       server→client approve params.source<ide>.name: field added"]),
        ("client receives: a structure became a union", |m| {
            let ty = m.types.iter_mut().find(|t| t.name == "ApproveParams").unwrap();
            let old = std::mem::replace(&mut ty.definition, TypeRef::Any);
            ty.definition = union(vec![old, string()]);
        }, vec!["BREAKING server→client approve params: type changed from object to union"]),
        // A type both sides send gets both rule sets, by the path that reaches it.
        ("both directions: enum value added", |m| {
            enumeration_of(m, "AuthMode").values.push(EnumerationValue {
                value: "sso".into(),
                marks: Default::default(),
            });
        }, vec![
            "ok       client→server getAuthStatus params.mode: value `sso` added",
            "BREAKING client→server getAuthStatus result.authMethod: value `sso` added to a closed type",
            "BREAKING server→client authStatusChange params.authMethod: value `sso` added to a closed type",
        ]),
        ("both directions: enum value removed", |m| {
            enumeration_of(m, "AuthMode").values.remove(0);
        }, vec![
            "BREAKING client→server getAuthStatus params.mode: value `apikey` removed",
            "ok       client→server getAuthStatus result.authMethod: value `apikey` removed",
            "ok       server→client authStatusChange params.authMethod: value `apikey` removed",
        ]),
    ]
}

fn lines(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(ToString::to_string).collect()
}

#[test]
fn every_rule_of_the_corpus_gives_its_findings() {
    let base = baseline();
    for (name, edit, expected) in corpus() {
        let mut new = base.clone();
        edit(&mut new);
        let found = lines(&compare(&base, &new));
        assert_eq!(found, expected, "case `{name}`");
    }
    assert!(
        compare(&base, &base).is_empty(),
        "a protocol against itself"
    );
}

/// A method both peers send is two methods, each judged by the rules of
/// its own receiver: the same new required field in its params breaks the
/// server that receives the client's, and not the client that receives
/// the server's; in its result, the other way round.
#[test]
fn a_method_of_both_peers_is_judged_by_each_receiver() {
    let mut base = baseline();
    for direction in [Direction::ClientToServer, Direction::ServerToClient] {
        base.methods.push(method(
            "echo",
            MethodKind::Request,
            direction,
            "Echo",
            Some("Echo"),
        ));
    }
    base.types.push(named(
        "Echo",
        &[Side::Client, Side::Server],
        structure(vec![field("text", string())]),
    ));
    base.types.sort_by(|a, b| a.name.cmp(&b.name));
    let mut new = base.clone();
    structure_of(&mut new, "Echo")
        .fields
        .push(field("lang", string()));
    assert_eq!(
        lines(&compare(&base, &new)),
        [
            "BREAKING client→server echo params.lang: new required field",
            "ok       client→server echo result.lang: field added",
            "ok       server→client echo params.lang: field added",
            "BREAKING server→client echo result.lang: new required field",
        ]
    );
    // Dropping one direction removes that method only.
    let mut one_way = base.clone();
    one_way
        .methods
        .retain(|m| m.method != "echo" || m.message_direction == Direction::ClientToServer);
    assert_eq!(
        lines(&compare(&base, &one_way)),
        ["BREAKING server→client echo: method removed"]
    );
}

/// Where the negotiation carries each side's capabilities is part of the
/// protocol: moving it breaks the peers that look where it was.
#[test]
fn the_negotiation_is_compared() {
    let location = |member, name: &str| {
        Some(CapabilityLocation {
            member,
            path: vec![name.into()],
        })
    };
    let mut base = baseline();
    base.protocol.negotiation = Some(Negotiation {
        method: "getAuthStatus".into(),
        client: location(Carrier::Params, "capabilities"),
        server: None,
    });
    let mut new = base.clone();
    new.protocol.negotiation = Some(Negotiation {
        method: "open".into(),
        client: location(Carrier::Params, "caps"),
        server: location(Carrier::Result, "capabilities"),
    });
    assert_eq!(
        lines(&compare(&base, &new)),
        [
            "BREAKING protocol negotiation: method changed from `getAuthStatus` to `open`",
            "BREAKING protocol negotiation: the client's capabilities moved from params.capabilities to params.caps",
            "BREAKING protocol negotiation: the server's capabilities moved from nowhere to result.capabilities",
        ]
    );
    assert!(compare(&new, &new).is_empty());
}

/// A `protocol.meta.json` written before the model had the protocol's
/// settings still reads as a base: codex's wire without the `jsonrpc`
/// member, and a capability as a client capability's dotted path.
#[test]
fn a_model_without_settings_reads_as_the_wire_it_was_written_for() {
    let text = r#"{
        "$comment": "Generated by `x`.",
        "methods": [{
            "method": "approve", "kind": "request", "messageDirection": "serverToClient",
            "requiredCapability": "approvals.exec"
        }],
        "messageSets": [],
        "types": []
    }"#;
    let model = protocol_codegen::breaking::parse_model(text).unwrap();
    assert_eq!(model.protocol.jsonrpc, JsonRpcDialect::Omitted);
    assert_eq!(model.protocol.negotiation, None);
    assert_eq!(
        model.methods[0].required_capability,
        Some(Capability {
            side: Side::Client,
            path: vec!["approvals".into(), "exec".into()],
        })
    );
    // Format 1 said so or not: the same reading.
    let mut versioned: serde_json::Value = serde_json::from_str(text).unwrap();
    versioned["formatVersion"] = json!(1);
    assert_eq!(parse_model(&versioned.to_string()).unwrap(), model);
    // The format of today is read strictly.
    let mut current: serde_json::Value = serde_json::from_str(text).unwrap();
    current["protocol"] = json!({ "jsonrpc": "2.0" });
    assert!(protocol_codegen::breaking::parse_model(&current.to_string()).is_err());
    // Formats 2 and 3 have the settings: a file of either without them is
    // no model.
    for version in [2, 3] {
        let mut file: serde_json::Value = serde_json::from_str(text).unwrap();
        file["formatVersion"] = json!(version);
        let err = parse_model(&file.to_string()).unwrap_err();
        assert!(matches!(err, BaseError::NotAModel(_)), "{err}");
    }
}

/// `meta` (format 3) in the shape of format 2: each item's marks on the
/// item itself, a method's deprecation its message, any other's `true`
/// with its note at the end of its documentation.
fn format_2_of(meta: &mut serde_json::Value) {
    fn unmark(item: &mut serde_json::Value, method: bool) {
        let Some(object) = item.as_object_mut() else {
            return;
        };
        let Some(marks) = object.remove("marks") else {
            return;
        };
        let mut documentation = marks
            .get("documentation")
            .and_then(|d| d.as_str())
            .map(str::to_owned);
        if let Some(deprecated) = marks.get("deprecated") {
            let message = deprecated.get("message").and_then(|m| m.as_str());
            if method {
                object.insert("deprecated".into(), json!(message.unwrap_or("")));
            } else {
                object.insert("deprecated".into(), json!(true));
                if let Some(note) = message {
                    documentation = Some(match documentation {
                        Some(doc) => format!("{doc}\n\n@deprecated {note}"),
                        None => format!("@deprecated {note}"),
                    });
                }
            }
        }
        if let Some(documentation) = documentation {
            object.insert("documentation".into(), json!(documentation));
        }
        for key in ["experimental", "since"] {
            if let Some(value) = marks.get(key) {
                object.insert(key.into(), value.clone());
            }
        }
    }
    fn within(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(object) => {
                for (key, child) in object.iter_mut() {
                    if matches!(key.as_str(), "fields" | "values" | "variants") {
                        for item in child.as_array_mut().into_iter().flatten() {
                            unmark(item, false);
                        }
                    }
                    if key != "default" {
                        within(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(within),
            _ => {}
        }
    }
    for (list, method) in [("methods", true), ("types", false)] {
        for item in meta[list].as_array_mut().unwrap() {
            unmark(item, method);
            within(item);
        }
    }
    meta["formatVersion"] = json!(2);
}

/// A base of format 2, the one before today's, reads as the model it
/// stands for: this repository's protocol as format 2 wrote it (its
/// deprecation notes at the end of the documentation, a method's as its
/// message, a variant deprecated without a note, experimental and
/// versioned items) is the model today's file holds, and nothing changed
/// against it.
#[test]
fn a_base_of_format_2_reads_as_todays_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| fs::read_to_string(root.join(path)).unwrap();
    let two = read("tests/fixtures/meta-format-2/protocol.meta.json");
    // The same protocol written in today's format when the fixture was
    // made (frozen too: the protocol may change, the pair may not).
    let three = read("tests/fixtures/meta-format-2/protocol.meta.format-3.json");
    assert!(two.contains("\"formatVersion\": 2,"));
    assert!(three.contains(&format!("\"formatVersion\": {META_FORMAT_VERSION},")));
    assert!(two.contains("\\n\\n@deprecated prefer `on-request`"));
    let base = parse_model(&two).unwrap();
    let today = parse_model(&three).unwrap();
    assert_eq!(base, today);
    let on_failure = match &base.type_named("AskForApproval").unwrap().definition {
        TypeRef::Enumeration(enumeration) => enumeration.values[1].clone(),
        other => panic!("AskForApproval is {other:?}"),
    };
    assert_eq!(on_failure.value, "on-failure");
    let deprecated = on_failure.marks.deprecated.unwrap();
    assert_eq!(
        deprecated.message.as_deref(),
        Some("prefer `on-request` for interactive runs or `never` for non-interactive runs")
    );
    let documentation = on_failure.marks.documentation.unwrap();
    assert!(!documentation.contains("@deprecated"), "{documentation}");
    assert!(compare(&base, &today).is_empty());

    // And the format-2 shape of any model reads as that model.
    let mut calc: serde_json::Value = serde_json::from_str(&calc_meta(|_| {})).unwrap();
    let expected = parse_model(&calc.to_string()).unwrap();
    format_2_of(&mut calc);
    assert_eq!(parse_model(&calc.to_string()).unwrap(), expected);
}

/// A base is read in its own format: without `formatVersion` or with 1 (as
/// every generator before the member wrote it), with 2 and with 3, today's,
/// it is compared; a later version, or one that is not an integer from 1,
/// is a usage error that names the versions and what to do.
#[test]
fn a_base_is_read_in_its_format_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let base = out.to_str().unwrap();
    let with_version = |version: Option<serde_json::Value>| {
        let text = calc_meta(|meta| {
            // Formats 1 and 2 have the marks on the items themselves.
            if version
                .as_ref()
                .is_none_or(|v| v == &json!(1) || v == &json!(2))
            {
                format_2_of(meta);
            }
            match version {
                Some(version) => meta["formatVersion"] = version,
                None => {
                    meta.as_object_mut().unwrap().remove("formatVersion");
                }
            }
        });
        fs::write(out.join(META_FILE), text).unwrap();
        cli(calc(), &["breaking", "--base", base], out)
    };

    // Written today: format 3.
    let today: serde_json::Value = serde_json::from_str(&calc_meta(|_| {})).unwrap();
    assert_eq!(today["formatVersion"], json!(META_FORMAT_VERSION));
    assert_eq!(META_FORMAT_VERSION, 3);
    for version in [None, Some(json!(1)), Some(json!(2)), Some(json!(3))] {
        let (exit, stdout, stderr) = with_version(version.clone());
        assert_eq!(exit, Exit::Success, "{version:?}: {stdout}{stderr}");
        assert!(stdout.starts_with("0 changes against"), "{stdout}");
    }

    let (exit, stdout, stderr) = with_version(Some(json!(4)));
    assert_eq!(exit, Exit::Error, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "its `formatVersion` is 4, newer than format 3, the newest this generator reads"
        ) && stderr.contains(
            "run `breaking` with a newer generator, or regenerate the base with this one"
        ),
        "{stderr}"
    );

    for (version, shown) in [
        (json!("3"), "\"3\""),
        (json!(2.5), "2.5"),
        (json!(-1), "-1"),
        (json!(0), "0"),
        (json!(null), "null"),
    ] {
        let (exit, stdout, stderr) = with_version(Some(version));
        assert_eq!(exit, Exit::Error, "{shown}: {stdout}");
        let message = format!(
            "its `formatVersion` is {shown}, which is not a format version (an integer from 1 to 3"
        );
        assert!(stderr.contains(&message), "{stderr}");
    }
}

fn cli(protocol: Protocol<'_>, args: &[&str], out: &Path) -> (Exit, String, String) {
    let cli = Cli::try_parse_from(std::iter::once("codegen-cli").chain(args.iter().copied()))
        .unwrap_or_else(|err| panic!("{err}"));
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(&cli, protocol, out, &mut stdout, &mut stderr);
    (
        exit,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn calc() -> Protocol<'static> {
    Protocol::new(&calc::methods::REGISTRY, calc::COMMAND)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// `calc`'s meta.json, edited as `edit` says, as text.
fn calc_meta(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let generated = render(calc(), Draft::default()).unwrap();
    let mut meta: serde_json::Value =
        serde_json::from_str(generated.get(META_FILE).unwrap()).unwrap();
    edit(&mut meta);
    serde_json::to_string_pretty(&meta).unwrap()
}

fn type_index(meta: &serde_json::Value, name: &str) -> usize {
    meta["types"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["name"] == name)
        .unwrap()
}

/// Two commits of a repository: a documentation change is no finding; a
/// field that the base's response had and the current one lacks is.
#[test]
fn git_revisions_as_base() {
    let repo = tempfile::tempdir().unwrap();
    let out = repo.path().join("generated");
    fs::create_dir_all(&out).unwrap();
    git(repo.path(), &["init", "-q"]);
    // The first commit: calc with a field its current AddResult lacks.
    let with_extra_field = calc_meta(|meta| {
        let i = type_index(meta, "AddResult");
        meta["types"][i]["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "name": "overflowed", "type": {"kind": "base", "name": "boolean"},
                "optional": false, "nullable": false,
            }));
    });
    fs::write(out.join(META_FILE), with_extra_field).unwrap();
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "with overflowed"]);
    // The second commit: calc with other documentation.
    let doc_only = calc_meta(|meta| {
        meta["methods"][0]["marks"]["documentation"] = json!("Adds two numbers, carefully.");
    });
    fs::write(out.join(META_FILE), doc_only).unwrap();
    git(repo.path(), &["commit", "-qam", "docs"]);

    let (exit, stdout, stderr) = cli(calc(), &["breaking", "--base", "HEAD"], &out);
    assert_eq!(exit, Exit::Success, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "0 changes against HEAD:protocol.meta.json: 0 breaking (0 not in the allowlist).\n"
    );

    let (exit, stdout, _) = cli(calc(), &["breaking", "--base", "HEAD~1"], &out);
    assert_eq!(exit, Exit::Drift, "{stdout}");
    for method in ["math/add", "math/mul", "math/pow"] {
        let line = format!("BREAKING client→server {method} result.overflowed: field removed\n");
        assert!(stdout.contains(&line), "{stdout}");
    }

    // An allowlist accepts them, with a reason each; JSON for machines.
    let allowlist = repo.path().join("breaking-allowlist.jsonl");
    let entries = ["math/add", "math/mul", "math/pow"]
        .map(|m| json!({"change": format!("client→server {m} result.overflowed: field removed"), "reason": "never set"}).to_string())
        .join("\n");
    fs::write(&allowlist, format!("{entries}\n")).unwrap();
    let allow = allowlist.to_str().unwrap();
    let (exit, stdout, _) = cli(
        calc(),
        &[
            "breaking",
            "--base",
            "HEAD~1",
            "--allowlist",
            allow,
            "--format",
            "json",
        ],
        &out,
    );
    assert_eq!(exit, Exit::Success, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["unallowed"], json!([]));
    assert_eq!(report["findings"][0]["breaking"], true);

    // Append-only: once committed, an entry cannot be dropped.
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "allowlist"]);
    fs::write(&allowlist, "").unwrap();
    let (exit, _, stderr) = cli(
        calc(),
        &["breaking", "--base", "HEAD", "--allowlist", allow],
        &out,
    );
    assert_eq!(exit, Exit::Error);
    assert!(stderr.contains("append-only"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let (exit, _, stderr) = cli(calc(), &["breaking", "--base", "no-such-revision"], out);
    assert_eq!(exit, Exit::Error);
    assert!(
        stderr.contains("`no-such-revision` is neither a directory nor a git revision"),
        "{stderr}"
    );

    fs::write(out.join(META_FILE), "{\"methods\": 1}").unwrap();
    let base = out.to_str().unwrap();
    let (exit, _, stderr) = cli(calc(), &["breaking", "--base", base], out);
    assert_eq!(exit, Exit::Error);
    assert!(stderr.contains("is not a protocol model"), "{stderr}");

    fs::write(out.join(META_FILE), calc_meta(|_| {})).unwrap();
    let allowlist = out.join("allow.jsonl");
    fs::write(&allowlist, "{\"change\": \"x\", \"reason\": \"\"}\n").unwrap();
    let (exit, _, stderr) = cli(
        calc(),
        &[
            "breaking",
            "--base",
            base,
            "--allowlist",
            allowlist.to_str().unwrap(),
        ],
        out,
    );
    assert_eq!(exit, Exit::Error);
    assert!(
        stderr.contains("line 1: the entry gives no reason"),
        "{stderr}"
    );

    let (exit, stdout, _) = cli(calc(), &["breaking", "--base", base], out);
    assert_eq!(exit, Exit::Success, "{stdout}");
}

/// The committed meta.json reads back as the model it was written from.
#[test]
fn meta_json_reads_back_as_the_model() {
    for protocol in [
        calc(),
        Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND),
    ] {
        let model = build_model(protocol).unwrap();
        let generated = render(protocol, Draft::default()).unwrap();
        let stable = generated.get(META_FILE).unwrap();
        assert_eq!(parse_model(stable).unwrap(), stable_surface(&model));
        if let Some(full) = generated.get(&format!("experimental/{META_FILE}")) {
            assert_eq!(parse_model(full).unwrap(), model);
        }
    }
}

/// Experimental parts carry no promise: `breaking` compares stable
/// surfaces, so removing an experimental method or field is no finding,
/// where the same change to the whole model is.
#[test]
fn experimental_changes_are_not_findings() {
    let full = build_model(Protocol::new(
        &protocol_defs::methods::REGISTRY,
        calc::COMMAND,
    ))
    .unwrap();
    let mut changed = full.clone();
    changed.methods.retain(|m| m.method != "thread/archive");
    let params = changed
        .types
        .iter_mut()
        .find(|t| t.name == "ExecOneOffCommandParams")
        .unwrap();
    if let TypeRef::Structure(structure) = &mut params.definition {
        structure.fields.retain(|f| f.name != "outputBytesCap");
    }
    let whole: Vec<String> = lines(&compare(&full, &changed));
    assert!(
        whole.contains(&"BREAKING client→server thread/archive: method removed".to_owned()),
        "{whole:#?}"
    );
    assert!(
        compare(&stable_surface(&full), &stable_surface(&changed)).is_empty(),
        "the stable surfaces are the same"
    );
}

/// A base edited by hand, its types reversed and its methods shuffled, is
/// compared as the model it holds: the same findings, in the same order,
/// as the base in the builder's order, where reading the file as it is
/// (types found by binary search) gives others.
#[test]
fn an_unsorted_base_gives_the_findings_of_the_sorted_one() {
    let codex = Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND);
    let current = stable_surface(&build_model(codex).unwrap());
    let generated = render(codex, Draft::default()).unwrap();
    let mut sorted: serde_json::Value =
        serde_json::from_str(generated.get(META_FILE).unwrap()).unwrap();

    // One real breaking change: the base's response of the last client
    // request had a field the current one lacks.
    let request = current
        .methods
        .iter()
        .rev()
        .find(|m| m.message_direction == Direction::ClientToServer && m.result.is_some())
        .unwrap();
    let Some(TypeRef::Reference { name: result }) = &request.result else {
        panic!("{} returns a named type", request.method);
    };
    let i = type_index(&sorted, result);
    let fields = sorted["types"][i]["fields"].as_array_mut().unwrap();
    fields.push(json!({
        "name": "removedLater", "type": {"kind": "base", "name": "boolean"},
        "optional": false, "nullable": false,
    }));
    let expected = format!(
        "BREAKING client→server {} result.removedLater: field removed",
        request.method
    );

    let mut unsorted = sorted.clone();
    unsorted["types"].as_array_mut().unwrap().reverse();
    let methods = unsorted["methods"].as_array_mut().unwrap();
    let n = methods.len();
    assert!(n > 4, "codex has methods to shuffle");
    methods.reverse();
    methods.rotate_left(n / 3);
    methods.swap(0, n / 2);
    assert_ne!(unsorted["methods"], sorted["methods"]);

    let from_sorted = lines(&compare(
        &parse_model(&sorted.to_string()).unwrap(),
        &current,
    ));
    assert!(from_sorted.contains(&expected), "{from_sorted:#?}");
    let from_unsorted = lines(&compare(
        &parse_model(&unsorted.to_string()).unwrap(),
        &current,
    ));
    assert_eq!(from_unsorted, from_sorted);

    // What the file holds, taken as it is, is not what it means.
    let mut as_is = unsorted.clone();
    let object = as_is.as_object_mut().unwrap();
    object.remove("$comment");
    object.remove("formatVersion");
    let as_is: Model = serde_json::from_value(as_is).unwrap();
    assert_ne!(lines(&compare(&as_is, &current)), from_sorted);
}

/// A base with a type defined twice, or a method of one direction listed
/// twice, cannot be compared: a usage error naming it.
#[test]
fn a_base_with_a_duplicate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let base = out.to_str().unwrap();
    let (mut type_name, mut method_name) = (String::new(), String::new());
    let duplicate_type = calc_meta(|meta| {
        let types = meta["types"].as_array_mut().unwrap();
        let copy = types[types.len() / 2].clone();
        type_name = copy["name"].as_str().unwrap().to_owned();
        types.insert(0, copy);
    });
    let duplicate_method = calc_meta(|meta| {
        let methods = meta["methods"].as_array_mut().unwrap();
        let copy = methods[0].clone();
        assert_eq!(copy["messageDirection"], "clientToServer");
        method_name = copy["method"].as_str().unwrap().to_owned();
        methods.push(copy);
    });
    let message = [
        format!("the type `{type_name}` is defined twice"),
        format!("the method `{method_name}` (client→server) is listed twice"),
    ];
    for (text, message) in [duplicate_type, duplicate_method].iter().zip(message) {
        fs::write(out.join(META_FILE), text).unwrap();
        let (exit, stdout, stderr) = cli(calc(), &["breaking", "--base", base], out);
        assert_eq!(exit, Exit::Error, "{stdout}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(&message), "{message}: {stderr}");
        assert!(
            matches!(parse_model(text), Err(BaseError::Duplicate(_))),
            "{message}"
        );
    }
}
