//! The two surfaces of `generated/`: the stable one at the top holds no
//! experimental method, notification, field, variant or value anywhere (a
//! walk over every file and over its model), the experimental one under
//! `experimental/` holds all of them, and the marks show in schema, JSDoc
//! and `protocol.meta.json`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use protocol_codegen::breaking::parse_model;
use protocol_codegen::model::{Direction, Model, TypeRef};
use protocol_codegen::{build_model, Protocol};
use serde_json::Value;
use tests::files::generated_dir;

/// Every file below `dir`, by path relative to it, except under `skip`.
fn files(dir: &Path, skip: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if skip.is_some_and(|skip| relative == skip) {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if relative.ends_with(".json") || relative.ends_with(".ts") {
                out.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// What is experimental in a model: methods, `Type.field`s, and
/// `Type<value>`s (variants and enumeration values), each with its reason.
fn experimental_items(model: &Model) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    for method in &model.methods {
        if method.marks.experimental.is_some() {
            items.insert(format!("method {}", method.method));
        }
    }
    fn walk(owner: &str, ty: &TypeRef, items: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Structure(structure) => {
                for field in &structure.fields {
                    if field.marks.experimental.is_some() {
                        items.insert(format!("field {owner}.{}", field.name));
                    }
                    walk(owner, &field.ty, items);
                }
            }
            TypeRef::Enumeration(enumeration) => {
                for value in &enumeration.values {
                    if value.marks.experimental.is_some() {
                        items.insert(format!("value {owner}<{}>", value.value));
                    }
                }
            }
            TypeRef::Union(union) => {
                for variant in &union.variants {
                    if variant.marks.experimental.is_some() {
                        let key = match &variant.ty {
                            TypeRef::StringLiteral { value } => value.clone(),
                            _ => variant.title.clone().unwrap_or_default(),
                        };
                        items.insert(format!("variant {owner}<{key}>"));
                    }
                    walk(owner, &variant.ty, items);
                }
            }
            TypeRef::Array { element } => walk(owner, element, items),
            TypeRef::Map { value } => walk(owner, value, items),
            TypeRef::Nullable { inner } => walk(owner, inner, items),
            _ => {}
        }
    }
    for ty in &model.types {
        walk(&ty.name, &ty.definition, &mut items);
    }
    items
}

fn full_model() -> Model {
    build_model(Protocol::new(
        &protocol_defs::methods::REGISTRY,
        "cargo run -p codegen-cli -- write-schema",
    ))
    .unwrap()
}

fn read_model(path: &Path) -> Model {
    parse_model(&fs::read_to_string(path).unwrap()).unwrap()
}

/// Keys named `x-experimental` anywhere in a JSON value.
fn experimental_keywords(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                if key == "x-experimental" {
                    found.push(at.to_owned());
                }
                experimental_keywords(member, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                experimental_keywords(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn the_stable_surface_has_nothing_experimental() {
    let full = full_model();
    let items = experimental_items(&full);
    // protocol-defs marks a client request, a server notification, a field
    // of a stable type and a variant of a stable enumeration.
    for expected in [
        "method thread/archive",
        "method account/rateLimitsUpdated",
        "field ExecOneOffCommandParams.outputBytesCap",
        "value AuthMode<chatgptAuthTokens>",
    ] {
        assert!(items.contains(expected), "{expected} in {items:#?}");
    }

    let stable = read_model(&generated_dir().join("protocol.meta.json"));
    assert_eq!(experimental_items(&stable), BTreeSet::new());
    let dropped: BTreeSet<&str> = full
        .types
        .iter()
        .map(|t| t.name.as_str())
        .filter(|name| stable.type_named(name).is_none())
        .collect();
    assert_eq!(
        dropped,
        BTreeSet::from([
            "RateLimitsUpdatedNotification",
            "ThreadArchiveParams",
            "ThreadArchiveResponse"
        ]),
        "the types only experimental methods reach leave the stable surface"
    );

    let experimental_methods: Vec<&str> = full
        .methods
        .iter()
        .filter(|m| m.marks.experimental.is_some())
        .map(|m| m.method.as_str())
        .collect();
    let stable_files = files(&generated_dir(), Some("experimental"));
    assert!(stable_files.len() > 100, "{}", stable_files.len());
    let mut traces = Vec::new();
    for (path, text) in &stable_files {
        if path.ends_with(".json") {
            let value: Value = serde_json::from_str(text).unwrap();
            let mut found = Vec::new();
            experimental_keywords(&value, "", &mut found);
            traces.extend(found.into_iter().map(|at| format!("{path}#{at}")));
        } else if text.contains("@experimental") {
            traces.push(format!("{path}: @experimental"));
        }
        for method in &experimental_methods {
            if text.contains(&format!("\"{method}\"")) {
                traces.push(format!("{path}: method {method}"));
            }
        }
        for name in &dropped {
            if text.contains(&format!("/{name}")) || text.contains(&format!("\"./{name}.js\"")) {
                traces.push(format!("{path}: type {name}"));
            }
        }
        let file_type = path
            .rsplit('/')
            .next()
            .and_then(|f| f.split('.').next())
            .unwrap_or("");
        assert!(!dropped.contains(file_type), "{path} should not exist");
    }
    for (owner, field) in [("ExecOneOffCommandParams", "outputBytesCap")] {
        for path in [
            format!("json/{owner}.json"),
            format!("typescript/{owner}.ts"),
        ] {
            let text = fs::read_to_string(generated_dir().join(&path)).unwrap();
            if text.contains(field) {
                traces.push(format!("{path}: field {field}"));
            }
        }
    }
    let auth_mode = fs::read_to_string(generated_dir().join("typescript/AuthMode.ts")).unwrap();
    if auth_mode.contains("chatgptAuthTokens") {
        traces.push("typescript/AuthMode.ts: chatgptAuthTokens".into());
    }
    assert_eq!(traces, Vec::<String>::new());
}

#[test]
fn the_experimental_surface_has_everything_with_its_marks() {
    let full = full_model();
    let dir = generated_dir().join("experimental");
    assert_eq!(read_model(&dir.join("protocol.meta.json")), full);
    let stable_paths: BTreeSet<String> = files(&generated_dir(), Some("experimental"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let experimental_paths: BTreeSet<String> = files(&dir, None)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert!(
        stable_paths.is_subset(&experimental_paths),
        "same layout: {:?}",
        stable_paths
            .difference(&experimental_paths)
            .collect::<Vec<_>>()
    );

    let read = |path: &str| fs::read_to_string(dir.join(path)).unwrap();
    // A field: x-experimental and x-since in the schema, @experimental and
    // @since in JSDoc, both in the model.
    let schema: Value = serde_json::from_str(&read("json/ExecOneOffCommandParams.json")).unwrap();
    let cap = &schema["properties"]["outputBytesCap"];
    assert!(cap["x-experimental"]
        .as_str()
        .unwrap()
        .starts_with("output capping is new"));
    assert_eq!(cap["x-since"], "0.2");
    let ts = read("typescript/ExecOneOffCommandParams.ts");
    assert!(
        ts.contains("   * @experimental output capping is new"),
        "{ts}"
    );
    assert!(
        ts.contains("   * @since 0.2\n   */\n  outputBytesCap?: number | null;"),
        "{ts}"
    );
    // A method: in the union and the map, with its marks.
    let union = read("typescript/ClientRequest.ts");
    assert!(
        union.contains("@experimental thread archiving is new"),
        "{union}"
    );
    assert!(union.contains("method: \"thread/archive\";"), "{union}");
    let schema: Value = serde_json::from_str(&read("json/ServerNotification.json")).unwrap();
    let notification = schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["properties"]["method"]["const"] == "account/rateLimitsUpdated")
        .expect("the experimental notification is in the union");
    assert!(notification["x-experimental"].is_string());
    // A variant.
    assert!(read("typescript/AuthMode.ts").contains("@experimental external-host auth tokens"));
}

/// Deprecation shows in both surfaces: `deprecated: true` in the schema,
/// `@deprecated <message>` in JSDoc, the message in the model.
#[test]
fn deprecation_shows_in_schema_jsdoc_and_meta() {
    let stable = read_model(&generated_dir().join("protocol.meta.json"));
    let interrupt = stable
        .method("interruptConversation", Direction::ClientToServer)
        .unwrap();
    let message = interrupt
        .marks
        .deprecated
        .as_ref()
        .unwrap()
        .message
        .as_deref();
    assert!(message.is_some_and(|m| m.contains("turn/interrupt")));
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(generated_dir().join("json/ClientRequest.json")).unwrap(),
    )
    .unwrap();
    let member = schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["properties"]["method"]["const"] == "interruptConversation")
        .unwrap();
    assert_eq!(member["deprecated"], true);
    let map = fs::read_to_string(generated_dir().join("typescript/ClientRequestMap.ts")).unwrap();
    assert!(
        map.contains("   * @deprecated interrupt the turn itself with the v2 `turn/interrupt` request\n   */\n  \"interruptConversation\": {"),
        "{map}"
    );
}
