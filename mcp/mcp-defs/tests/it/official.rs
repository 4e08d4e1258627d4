//! `mcp-defs` held equal to the official schema of MCP 2025-11-25 (pinned in
//! `mcp/fixtures/official-schema/schema.json`): every official definition
//! has its Rust type of the same name or a stated reason in `NOT_TYPES`, and
//! the values serde writes (the conformance examples, decoded and encoded
//! again, as whole messages) are valid official messages that reach every
//! official definition that has a Rust type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use mcp_defs::NOT_TYPES;
use protocol_codegen::{source_schemas, Protocol};
use serde_json::{json, Value};

/// The official schema, with a validator per definition compiled on demand.
pub struct Official {
    schema: Value,
    validators: Mutex<BTreeMap<String, &'static jsonschema::Validator>>,
}

impl Official {
    pub fn get() -> &'static Official {
        static OFFICIAL: OnceLock<Official> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fixtures/official-schema/schema.json");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Official {
                schema: serde_json::from_str(&text).unwrap(),
                validators: Mutex::new(BTreeMap::new()),
            }
        })
    }

    /// The names under `$defs`.
    pub fn definitions(&self) -> BTreeSet<String> {
        self.schema["$defs"]
            .as_object()
            .expect("$defs")
            .keys()
            .cloned()
            .collect()
    }

    /// A schema whose root is `definition` (`X`, or `X.params` for the
    /// params `X` declares inline), with every definition beside it.
    fn root(&self, definition: &str) -> Value {
        let pointer = match definition.split_once('.') {
            Some((name, "params")) => format!("#/$defs/{name}/properties/params"),
            Some(_) => panic!("`{definition}`: only `X` or `X.params`"),
            None => format!("#/$defs/{definition}"),
        };
        assert!(
            self.schema
                .pointer(pointer.trim_start_matches('#'))
                .is_some(),
            "the official schema has no `{definition}`"
        );
        json!({
            "$schema": self.schema["$schema"],
            "$defs": self.schema["$defs"],
            "$ref": pointer,
        })
    }

    pub fn validator(&self, definition: &str) -> &'static jsonschema::Validator {
        let mut validators = self.validators.lock().unwrap();
        validators.entry(definition.to_owned()).or_insert_with(|| {
            let validator = jsonschema::draft202012::new(&self.root(definition))
                .unwrap_or_else(|err| panic!("`{definition}`: {err}"));
            Box::leak(Box::new(validator))
        })
    }

    /// Whether `value` is a valid official `definition`; the errors if not.
    pub fn check(&self, definition: &str, value: &Value) -> Result<(), String> {
        let validator = self.validator(definition);
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|err| format!("  at {}: {err}", err.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The definitions that `value` passed through when validated as
    /// `definition`: every `$defs/<name>` the evaluation reached along a path
    /// of units that all held (a branch of an `anyOf` that failed counts
    /// for nothing).
    pub fn reached(&self, definition: &str, value: &Value, out: &mut BTreeSet<String>) {
        fn walk(unit: jsonschema::OutputUnit<'_>, out: &mut BTreeSet<String>) {
            if !unit.valid() {
                return;
            }
            let location = unit.schema_location();
            if let Some(rest) = location.split("/$defs/").last() {
                if location.contains("/$defs/") {
                    if let Some(name) = rest.split('/').next() {
                        out.insert(name.to_owned());
                    }
                }
            }
            for child in unit.children() {
                walk(child, out);
            }
        }
        let evaluation = self.validator(definition).evaluate(value);
        assert!(evaluation.flag().valid, "`{definition}`: {value}");
        walk(evaluation.root(), out);
    }
}

/// What `mcp-codegen` names in every generated file.
const COMMAND: &str = "cargo run -p mcp-codegen -- write-schema";

/// The names of our types (and message unions), as the generator sees them.
pub fn rust_types() -> BTreeSet<String> {
    let protocol = Protocol::of::<mcp_defs::ServerSide>(COMMAND);
    source_schemas(protocol)
        .unwrap_or_else(|err| panic!("{err}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_official_definition_has_its_rust_type_or_a_reason() {
    let official = Official::get().definitions();
    assert_eq!(official.len(), 145, "the pinned schema's definitions");
    let ours = rust_types();
    let not_types: BTreeMap<&str, &str> = NOT_TYPES.iter().copied().collect();
    assert_eq!(
        not_types.len(),
        NOT_TYPES.len(),
        "NOT_TYPES names a definition twice"
    );

    let missing: Vec<&String> = official
        .iter()
        .filter(|name| !ours.contains(*name) && !not_types.contains_key(name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "official definitions with no Rust type of that name and no reason in NOT_TYPES: {missing:?}"
    );
    for (name, reason) in &not_types {
        assert!(
            official.contains(*name),
            "NOT_TYPES names `{name}`, which the official schema has not"
        );
        assert!(
            !ours.contains(*name),
            "NOT_TYPES names `{name}`, which is a Rust type"
        );
        assert!(reason.len() > 20, "`{name}`: say why");
    }
}

/// The official request or notification definition of `method`: the one
/// whose `method` member is that constant.
fn message_definition(official: &Official, method: &str) -> String {
    let defs = official.schema["$defs"].as_object().unwrap();
    let found: Vec<&String> = defs
        .iter()
        .filter(|(_, def)| def.pointer("/properties/method/const") == Some(&json!(method)))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(found.len(), 1, "`{method}`: official definitions {found:?}");
    found[0].clone()
}

/// Official definitions of a Rust type's name that no value can reach, and
/// why; they are checked otherwise.
const UNREACHABLE: &[(&str, &str)] = &[(
    "ResourceContents",
    "the official one is the base interface of TextResourceContents and BlobResourceContents, which no definition refers to (they repeat its members); ours of that name is their union, reached through EmbeddedResource and ReadResourceResult",
)];

/// Values serde writes for types no conformance example uses, each with
/// the official definition it must satisfy.
fn more_values() -> Vec<(&'static str, Value)> {
    use mcp_defs::{
        CompleteArgument, CompleteReference, CompleteRequestParams, ResourceTemplateReference,
        ResourceTemplateReferenceType,
    };
    let complete_a_template = CompleteRequestParams {
        reference: CompleteReference::ResourceTemplate(ResourceTemplateReference {
            kind: ResourceTemplateReferenceType::default(),
            uri: "file:///{path}".to_owned(),
        }),
        argument: CompleteArgument {
            name: "path".to_owned(),
            value: "src/".to_owned(),
        },
        context: None,
        meta: None,
    };
    vec![(
        "CompleteRequestParams",
        serde_json::to_value(complete_a_template).unwrap(),
    )]
}

/// The official union of the messages `method`'s sender sends of its kind.
fn union_of(method: &protocol_macros::MethodInfo) -> &'static str {
    use protocol_macros::{Direction, Kind};
    match (method.direction, method.kind) {
        (Direction::ClientToServer, Kind::Request) => "ClientRequest",
        (Direction::ServerToClient, Kind::Request) => "ServerRequest",
        (Direction::ClientToServer, Kind::Notification) => "ClientNotification",
        (Direction::ServerToClient, Kind::Notification) => "ServerNotification",
    }
}

#[test]
fn what_serde_writes_is_officially_valid_and_reaches_every_definition() {
    use crate::conformance::{decode_example, valid_examples, Table};

    let official = Official::get();
    let table = Table::read();
    let mut reached = BTreeSet::new();
    let mut check = |definition: &str, written: &Value, shown: &str| {
        if let Err(errors) = official.check(definition, written) {
            panic!("{shown}: what serde writes is not a valid official `{definition}`:\n{errors}");
        }
        official.reached(definition, written, &mut reached);
    };
    for example in valid_examples(&table) {
        let shown = example.shown();
        let written = decode_example(&example).unwrap_or_else(|e| panic!("{shown}: {e}"));
        if example.is_result {
            check(&example.definition, &written, &shown);
            let response = json!({ "jsonrpc": "2.0", "id": 7, "result": written });
            check("JSONRPCResponse", &response, &shown);
        } else {
            // The params inside their whole message: the method's own
            // definition, its direction's union, and any JSON-RPC message.
            let mut message =
                json!({ "jsonrpc": "2.0", "method": example.method.name, "params": written });
            if example.method.kind == protocol_macros::Kind::Request {
                message["id"] = json!(7);
            }
            check(
                &message_definition(official, example.method.name),
                &message,
                &shown,
            );
            check(union_of(example.method), &message, &shown);
            check("JSONRPCMessage", &message, &shown);
        }
    }
    for (definition, written) in more_values() {
        check(definition, &written, definition);
    }
    let ours = rust_types();
    let unreachable: BTreeMap<&str, &str> = UNREACHABLE.iter().copied().collect();
    let unreached: Vec<String> = official
        .definitions()
        .into_iter()
        .filter(|name| ours.contains(name) && !reached.contains(name))
        .filter(|name| !unreachable.contains_key(name.as_str()))
        .collect();
    assert!(
        unreached.is_empty(),
        "official definitions of a Rust type that no value serde wrote reached (add an example that uses them): {unreached:?}"
    );
    for name in unreachable.keys() {
        assert!(
            !reached.contains(*name),
            "`{name}` is reached: take it out of UNREACHABLE"
        );
    }
}
