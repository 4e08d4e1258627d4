//! The protocol model: it holds everything the schemas say (rendering it
//! back gives schemars's schema of every type), refuses what it cannot hold,
//! and `protocol.meta.json` is it, valid against its published schema.

use std::fs;
use std::path::{Path, PathBuf};

use protocol_codegen::model::{MethodKind, TypeRef};
use protocol_codegen::{
    build_model, meta_schema, render, source_schemas, type_schema, Draft, Model, Protocol,
    RenderError, TypeInfo, META_FILE, META_FORMAT_VERSION, META_SCHEMA_FILE,
};
use protocol_macros::{Direction, Kind, Registry};
use serde_json::{json, Value};
use tests::calc;

const CODEX_COMMAND: &str = "cargo run -p codegen-cli -- write-schema";

fn codex() -> Protocol<'static> {
    Protocol::new(&protocol_defs::methods::REGISTRY, CODEX_COMMAND)
}

const CALC_EXTRA: &[TypeInfo] = &[
    TypeInfo::of::<calc::CalcCapabilities>("CalcCapabilities"),
    TypeInfo::of::<calc::Receipt>("Receipt"),
];

fn calc_protocol() -> Protocol<'static> {
    Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_extra_types(CALC_EXTRA)
}

fn model(protocol: Protocol<'_>) -> Model {
    build_model(protocol).unwrap_or_else(|err| panic!("{err}"))
}

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated")
}

/// The model loses nothing: for every type, the schema rendered from the
/// model equals the schema schemars wrote, keyword for keyword.
#[test]
fn the_model_renders_back_to_schemars_schemas() {
    for protocol in [codex(), calc_protocol()] {
        let model = model(protocol);
        let sources = source_schemas(protocol).unwrap();
        assert_eq!(model.types.len(), sources.len());
        for ty in &model.types {
            let source = &sources[&ty.name];
            let rendered = type_schema(ty, "$defs");
            assert_eq!(
                &rendered,
                source,
                "{}: the model renders\n{}\nbut schemars wrote\n{}",
                ty.name,
                serde_json::to_string_pretty(&rendered).unwrap(),
                serde_json::to_string_pretty(source).unwrap()
            );
        }
    }
}

/// Structure the TypeScript renderer relies on is there: fields in
/// declaration order, optional and nullable per the view, tagged unions
/// with their discriminator, formats kept.
#[test]
fn the_model_holds_fields_variants_and_formats() {
    let model = model(codex());
    let structure = |name: &str| match &model.type_named(name).unwrap().definition {
        TypeRef::Structure(structure) => structure.clone(),
        other => panic!("{name} is {other:?}"),
    };
    // Client-written: an Option is optional and nullable.
    let initialize = structure("InitializeParams");
    let names: Vec<&str> = initialize.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["clientInfo", "capabilities"]);
    let capabilities = &initialize.fields[1];
    assert!(capabilities.optional && capabilities.nullable);
    // Server-written: an Option is always sent, maybe null.
    let summary = structure("ConversationSummary");
    let timestamp = summary
        .fields
        .iter()
        .find(|f| f.name == "timestamp")
        .unwrap();
    assert!(!timestamp.optional && timestamp.nullable);
    // Formats of 64-bit integers survive.
    let params = structure("ExecOneOffCommandParams");
    let timeout = params
        .fields
        .iter()
        .find(|f| f.name == "timeoutMs")
        .unwrap();
    assert_eq!(
        serde_json::to_value(&timeout.ty).unwrap(),
        json!({"kind": "base", "name": "integer", "format": "uint64", "minimum": 0})
    );
    match &model.type_named("SandboxPolicy").unwrap().definition {
        TypeRef::Union(union) => {
            assert!(union.exclusive);
            assert_eq!(union.discriminator.as_deref(), Some("type"));
            assert_eq!(union.variants.len(), 4);
            assert!(union
                .variants
                .iter()
                .all(|v| v.marks.documentation.is_some()));
        }
        other => panic!("SandboxPolicy is {other:?}"),
    }
    match &model.type_named("ClientRequest").unwrap().definition {
        TypeRef::Union(union) => assert_eq!(union.discriminator.as_deref(), Some("method")),
        other => panic!("ClientRequest is {other:?}"),
    }
    match &model.type_named("AskForApproval").unwrap().definition {
        TypeRef::Enumeration(enumeration) => {
            let deprecated: Vec<&str> = enumeration
                .values
                .iter()
                .filter(|v| v.marks.deprecated.is_some())
                .map(|v| v.value.as_str())
                .collect();
            assert_eq!(deprecated, ["on-failure"]);
        }
        other => panic!("AskForApproval is {other:?}"),
    }
}

mod unrepresentable {
    use protocol_macros::wire;

    /// A type whose schema says more than the model can hold.
    #[wire]
    pub struct Named {
        #[schemars(length(min = 1))]
        pub name: String,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        #[client_notifications]
        pub enum Notes {
            #[method("named")]
            Named(super::Named),
        }
    }
}

/// What the model cannot hold is an error naming the type, the place and
/// the keyword, and nothing is rendered.
#[test]
fn a_schema_keyword_the_model_cannot_hold_is_an_error() {
    let protocol = Protocol::new(&unrepresentable::methods::REGISTRY, calc::COMMAND);
    let err = build_model(protocol).expect_err("minLength has no place in the model");
    assert!(
        matches!(&err, RenderError::Unrepresentable { type_name, keyword, .. }
            if type_name == "Named" && keyword == "minLength"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the schema of `Named` cannot be represented: keyword `minLength` at \
         `#/properties/name`: the model has no place for this keyword here"
    );
    assert!(render(protocol, Draft::default()).is_err());
}

/// Who writes each type is who sends a message that reaches it: every type
/// a params or response type refers to, at any depth, found here for each
/// type with a schema generator of its own (the generator shares one pass
/// between all types and both views).
#[test]
fn each_type_is_sent_by_the_sides_whose_messages_reach_it() {
    use std::collections::{BTreeMap, BTreeSet};

    use protocol_codegen::model::Side;

    fn reach(ty: TypeInfo) -> Vec<String> {
        let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        (ty.subschema)(&mut generator);
        let mut names: Vec<String> = generator.definitions().keys().cloned().collect();
        names.push((ty.schema_name)().into_owned());
        names
    }

    for protocol in [codex(), calc_protocol()] {
        let mut sides: BTreeMap<String, BTreeSet<Side>> = BTreeMap::new();
        for method in protocol.registry.methods() {
            let (params_by, response_by) = match method.direction {
                Direction::ClientToServer => (Side::Client, Side::Server),
                Direction::ServerToClient => (Side::Server, Side::Client),
            };
            for (ty, side) in [(method.params, params_by), (method.response, response_by)] {
                for name in ty.into_iter().flat_map(reach) {
                    sides.entry(name).or_default().insert(side);
                }
            }
        }
        for set in protocol.registry.sets {
            let side = match set.direction {
                Direction::ClientToServer => Side::Client,
                Direction::ServerToClient => Side::Server,
            };
            sides.entry(set.name.to_owned()).or_default().insert(side);
        }
        let model = model(protocol);
        let mut seen = BTreeSet::new();
        for ty in &model.types {
            let expected: Vec<Side> = match sides.get(&ty.name) {
                Some(sides) if sides.len() == 1 => sides.iter().copied().collect(),
                _ => vec![Side::Client, Side::Server],
            };
            assert_eq!(ty.sent_by, expected, "{}", ty.name);
            seen.insert(expected);
        }
        assert_eq!(seen.len(), 3, "client-only, server-only and shared types");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Stable,
    Experimental,
}

fn kind(kind: Kind) -> MethodKind {
    match kind {
        Kind::Request => MethodKind::Request,
        Kind::Notification => MethodKind::Notification,
    }
}

/// The model's methods are the registry's, one for one: all of them in the
/// experimental surface, the stable ones in the stable surface.
fn assert_methods_follow(registry: &Registry, meta: &Value, surface: Surface) {
    let listed = |info: &&protocol_macros::MethodInfo| {
        surface == Surface::Experimental || info.stability.experimental.is_none()
    };
    let methods = meta["methods"].as_array().unwrap();
    assert_eq!(methods.len(), registry.methods().filter(listed).count());
    for (info, method) in registry.methods().filter(listed).zip(methods) {
        let name = |ty: Option<TypeInfo>| {
            ty.map(|ty| json!({"kind": "reference", "name": (ty.schema_name)()}))
        };
        let mut expected = json!({
            "method": info.name,
            "kind": kind(info.kind),
            "messageDirection": info.direction,
        });
        if let Some(params) = name(info.params) {
            expected["params"] = params;
        }
        if let Some(result) = name(info.response) {
            expected["result"] = result;
        }
        if let Some(capability) = info.capability {
            expected["requiredCapability"] =
                json!({ "side": capability.side.as_str(), "path": capability.path });
        }
        let mut marks = serde_json::Map::new();
        if !info.docs.trim().is_empty() {
            marks.insert("documentation".into(), json!(info.docs.trim()));
        }
        let stability = info.stability;
        if let Some(message) = stability.deprecated {
            marks.insert("deprecated".into(), json!({ "message": message }));
        }
        for (key, mark) in [
            ("experimental", stability.experimental),
            ("since", stability.since),
        ] {
            if let Some(mark) = mark {
                marks.insert(key.into(), json!(mark));
            }
        }
        if !marks.is_empty() {
            expected["marks"] = Value::Object(marks);
        }
        assert_eq!(method, &expected, "{}", info.name);
    }
    let sets = meta["messageSets"].as_array().unwrap();
    assert_eq!(sets.len(), registry.sets.len());
    for (set, meta_set) in registry.sets.iter().zip(sets) {
        let names: Vec<&str> = set.methods.iter().filter(listed).map(|m| m.name).collect();
        assert_eq!(meta_set["name"], set.name);
        assert_eq!(meta_set["methods"], json!(names));
    }
}

/// `generated/protocol.meta.json` is valid against its published schema,
/// and its methods are the registry's.
#[test]
fn meta_json_is_valid_and_lists_the_registry() {
    let read = |path: &str| -> Value {
        let path = generated_dir().join(path);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap()
    };
    let meta = read(META_FILE);
    let schema = read(META_SCHEMA_FILE);
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&meta)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_methods_follow(&protocol_defs::methods::REGISTRY, &meta, Surface::Stable);
    let full = read(&format!("experimental/{META_FILE}"));
    assert!(validator.is_valid(&full));
    assert_methods_follow(
        &protocol_defs::methods::REGISTRY,
        &full,
        Surface::Experimental,
    );
    assert_eq!(
        meta["types"].as_array().unwrap().len(),
        read("json/protocol.schema.json")["$defs"]
            .as_object()
            .unwrap()
            .len(),
        "every type of the bundle is in the model"
    );

    // The file says its format's version, first after who wrote it.
    assert_eq!(meta["formatVersion"], json!(META_FORMAT_VERSION));
    let text = fs::read_to_string(generated_dir().join(META_FILE)).unwrap();
    let second_line = text.lines().nth(2).unwrap();
    assert_eq!(
        second_line,
        format!("  \"formatVersion\": {META_FORMAT_VERSION},")
    );

    // The schema is strict enough to catch a malformed model.
    let mut broken = meta.clone();
    broken.as_object_mut().unwrap().remove("formatVersion");
    assert!(!validator.is_valid(&broken));
    let mut broken = meta.clone();
    broken["formatVersion"] = json!(META_FORMAT_VERSION + 1);
    assert!(!validator.is_valid(&broken));
    let mut broken = meta.clone();
    broken["methods"][0]["messageDirection"] = json!("sideways");
    assert!(!validator.is_valid(&broken));
    let mut broken = meta.clone();
    broken["methods"][0]["extra"] = json!(1);
    assert!(!validator.is_valid(&broken));
    let mut broken = meta;
    broken["types"][0]["kind"] = json!("mystery");
    assert!(!validator.is_valid(&broken));
}

/// Another protocol's meta.json, rendered in memory, is valid too.
#[test]
fn calc_meta_json_is_valid_and_names_its_own_command() {
    let generated = render(calc_protocol(), Draft::default()).unwrap();
    let meta: Value = serde_json::from_str(generated.get(META_FILE).unwrap()).unwrap();
    assert_eq!(meta["$comment"], protocol_codegen::notice(calc::COMMAND));
    let schema = meta_schema(calc::COMMAND);
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    assert!(validator.is_valid(&meta));
    assert_methods_follow(&calc::methods::REGISTRY, &meta, Surface::Stable);
    let gate = |name: &str| {
        let method = meta["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["method"] == name)
            .unwrap_or_else(|| panic!("{name}"));
        method["requiredCapability"].clone()
    };
    assert_eq!(
        gate("math/mul"),
        json!({ "side": "client", "path": ["bigNumbers"] })
    );
    assert_eq!(
        gate("math/pow"),
        json!({ "side": "server", "path": ["math", "pow"] })
    );
    assert_eq!(
        meta["protocol"],
        json!({
            "jsonrpc": "2.0",
            "negotiation": {
                "method": "session/open",
                "client": { "member": "params", "path": ["capabilities"] },
                "server": { "member": "result", "path": ["capabilities"] },
            },
        })
    );
    // `echo`, sent by both peers, is one entry per direction.
    let echo: Vec<&Value> = meta["methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["method"] == "echo")
        .collect();
    let directions: Vec<&Value> = echo.iter().map(|m| &m["messageDirection"]).collect();
    assert_eq!(
        directions,
        [&json!("clientToServer"), &json!("serverToClient")]
    );
    let capabilities = meta["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "CalcCapabilities")
        .expect("extra types are in the model");
    // Listed as an extra type, and reached by `session/open`'s params.
    assert_eq!(capabilities["sentBy"], json!(["client"]));
    let receipt = meta["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Receipt")
        .expect("extra types are in the model");
    // Listed, and reached by no method: either peer may write it.
    assert_eq!(receipt["sentBy"], json!(["client", "server"]));
}

mod marked {
    use protocol_macros::wire;

    /// How a run ends.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Outcome {
        Done,
        /// Stopped by the user.
        #[experimental("cancellation semantics are still being settled")]
        #[since("1.3")]
        Cancelled,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Run {
        pub outcome: Outcome,
        /// Tokens used.
        #[experimental("token accounting may change")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tokens: Option<u32>,
        #[since("1.2")]
        pub id: String,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        #[server_notifications]
        pub enum Events {
            #[method("run/finished")]
            Finished(super::Run),
        }
    }
}

/// `#[experimental]` and `#[since]` reach the schema and the model on the
/// field or variant they mark.
#[test]
fn stability_marks_reach_schema_and_model() {
    let protocol = Protocol::new(&marked::methods::REGISTRY, calc::COMMAND);
    let model = model(protocol);
    let run = match &model.type_named("Run").unwrap().definition {
        TypeRef::Structure(structure) => structure.clone(),
        other => panic!("{other:?}"),
    };
    let tokens = run.fields.iter().find(|f| f.name == "tokens").unwrap();
    assert_eq!(
        tokens.marks.experimental.as_deref(),
        Some("token accounting may change")
    );
    let id = run.fields.iter().find(|f| f.name == "id").unwrap();
    assert_eq!(id.marks.since.as_deref(), Some("1.2"));
    assert_eq!(id.marks.experimental, None);
    // schemars keeps plain unit variants in one `enum` and a marked one
    // apart: a union of the two, with the marks on the variant.
    match &model.type_named("Outcome").unwrap().definition {
        TypeRef::Union(union) => {
            let cancelled = &union.variants[1];
            assert_eq!(
                cancelled.ty,
                TypeRef::StringLiteral {
                    value: "cancelled".into()
                }
            );
            assert_eq!(
                cancelled.marks.experimental.as_deref(),
                Some("cancellation semantics are still being settled")
            );
            assert_eq!(cancelled.marks.since.as_deref(), Some("1.3"));
        }
        other => panic!("{other:?}"),
    }
    let sources = source_schemas(protocol).unwrap();
    assert_eq!(
        sources["Run"]["properties"]["tokens"]["x-experimental"],
        "token accounting may change"
    );
    for ty in &model.types {
        assert_eq!(&type_schema(ty, "$defs"), &sources[&ty.name], "{}", ty.name);
    }
    let generated = render(protocol, Draft::default()).unwrap();
    let ts = generated.get("experimental/typescript/Run.ts").unwrap();
    assert!(
        ts.contains("   * Tokens used.\n   * @experimental token accounting may change\n   */\n  tokens?: number | null;"),
        "{ts}"
    );
    assert!(ts.contains("   * @since 1.2\n   */\n  id: string;"), "{ts}");
    let outcome = generated.get("experimental/typescript/Outcome.ts").unwrap();
    assert!(
        outcome.contains("@experimental cancellation semantics"),
        "{outcome}"
    );
}

/// The stable surface drops experimental fields and variants wherever
/// their types are used, and keeps everything else as it was.
#[test]
fn the_stable_surface_leaves_experimental_items_out() {
    use protocol_codegen::model::surface::{has_experimental, stable};
    let full = model(Protocol::new(&marked::methods::REGISTRY, calc::COMMAND));
    assert!(has_experimental(&full));
    let stable = stable(&full);
    assert!(!has_experimental(&stable));
    assert_eq!(stable_of(&stable), stable, "stable of stable is itself");
    let text = serde_json::to_string(&stable).unwrap();
    assert!(!text.contains("experimental"), "{text}");
    let run = match &stable.type_named("Run").unwrap().definition {
        TypeRef::Structure(structure) => structure.clone(),
        other => panic!("{other:?}"),
    };
    let names: Vec<&str> = run.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["outcome", "id"]);
    match &stable.type_named("Outcome").unwrap().definition {
        TypeRef::Union(union) => assert_eq!(union.variants.len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(stable.methods, full.methods);
    // codex marks a method, a notification, a field and a variant.
    let codex = model(codex());
    assert!(has_experimental(&codex));
    assert_ne!(stable_of(&codex), codex);
    // Without a mark, the stable surface is the whole model.
    let calc = model(calc_protocol());
    assert!(!has_experimental(&calc));
    assert_eq!(stable_of(&calc), calc);
}

fn stable_of(model: &Model) -> Model {
    protocol_codegen::model::surface::stable(model)
}

/// Walks every file of a surface and lists where an experimental item
/// shows: a JSON `x-experimental` keyword or an `@experimental` JSDoc tag,
/// and the marked names.
fn experimental_traces(files: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    let mut traces = Vec::new();
    for (path, text) in files {
        if path.starts_with("experimental/") {
            continue;
        }
        for needle in ["x-experimental", "@experimental", "tokens", "cancelled"] {
            if text.contains(needle) {
                traces.push(format!("{path}: {needle}"));
            }
        }
    }
    traces
}

/// `write-schema` writes the stable surface at the top and the whole
/// protocol under `experimental/`, and `check` covers both.
#[test]
fn both_surfaces_are_written_and_checked() {
    let protocol = Protocol::new(&marked::methods::REGISTRY, calc::COMMAND);
    let generated = render(protocol, Draft::default()).unwrap();
    let files = generated.files();
    assert_eq!(experimental_traces(files), Vec::<String>::new());
    let full_run = &files["experimental/typescript/Run.ts"];
    assert!(
        full_run.contains("@experimental token accounting may change"),
        "{full_run}"
    );
    assert!(files["experimental/json/Run.json"].contains("\"x-experimental\""));
    for path in files.keys().filter(|p| !p.starts_with("experimental/")) {
        assert!(
            files.contains_key(&format!("experimental/{path}")),
            "the experimental surface has the same layout: {path}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    protocol_codegen::write_generated(&generated, dir.path()).unwrap();
    let drift = protocol_codegen::check_generated(&generated, dir.path()).unwrap();
    assert!(drift.is_empty());
    // Owned (its header names this generator's command), and stale.
    std::fs::write(
        dir.path().join("experimental/typescript/Run.ts"),
        format!("{}\n", protocol_codegen::typescript_header(calc::COMMAND)),
    )
    .unwrap();
    let drift = protocol_codegen::check_generated(&generated, dir.path()).unwrap();
    assert_eq!(drift.stale.len(), 1, "{drift:?}");

    // A protocol without experimental parts has no experimental/ surface,
    // and rewriting with it removes the old one.
    let plain = render(calc_protocol(), Draft::default()).unwrap();
    assert!(plain
        .files()
        .keys()
        .all(|p| !p.starts_with("experimental/")));
    let summary = protocol_codegen::write_generated(&plain, dir.path()).unwrap();
    assert!(summary
        .removed
        .iter()
        .any(|p| p == "experimental/typescript/Run.ts"));
    assert!(protocol_codegen::check_generated(&plain, dir.path())
        .unwrap()
        .is_empty());
}
