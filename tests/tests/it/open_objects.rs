//! Open objects: named fields beside arbitrary additional members (a
//! flattened map), as MCP's `Result` (`{ _meta?: …; [key: string]: unknown }`)
//! and its `_meta` are. Each stage is held to the wire: the model, the JSON
//! Schema (equal to schemars's, and validating what serde writes), the
//! TypeScript (compiled under `strict`, values of every type written as
//! literals), decoding and re-encoding through the protocol's decoders, and
//! `breaking`'s judgement of opening, closing and growing such objects.

use std::collections::BTreeMap;
use std::fs;

use protocol_codegen::breaking::compare;
use protocol_codegen::model::*;
use protocol_codegen::{
    build_model, render, source_schemas, type_schema, write_generated, Draft, Protocol,
};
use protocol_macros::{ErrorCode, RequestId, RequestSet};
use serde_json::{json, Value};
use tests::node::{check, ready, ts_client, tsc};

use open::methods::*;
use open::*;

const COMMAND: &str = "cargo run -p open-gen -- write-schema";

pub mod open {
    use std::collections::BTreeMap;

    use protocol_macros::wire;
    use serde_json::Value;

    /// Metadata: any members at all (MCP's `_meta`).
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Meta {
        #[serde(flatten)]
        pub members: BTreeMap<String, Value>,
    }

    /// A query, with metadata and any other members the client adds.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct SearchParams {
        #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Meta>,
        pub query: String,
        /// Anything else the client sends.
        #[serde(flatten)]
        pub extra: BTreeMap<String, Value>,
    }

    /// A total and a count per category, each category a member of its own.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Totals {
        #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Meta>,
        pub total: u32,
        #[serde(flatten)]
        pub counts: BTreeMap<String, u32>,
    }

    /// A name and a score per judge: the named fields are not numbers.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Scores {
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
        #[serde(flatten)]
        pub scores: BTreeMap<String, u32>,
    }

    /// Nothing but metadata and whatever else (MCP's `EmptyResult`).
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct EmptyResult {
        #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Meta>,
        #[serde(flatten)]
        pub extra: BTreeMap<String, Value>,
    }

    /// An open object as a variant of a tagged union.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    #[serde(tag = "type", rename_all = "camelCase")]
    pub enum Item {
        Text {
            text: String,
            #[serde(flatten)]
            extra: BTreeMap<String, Value>,
        },
        Count {
            count: u32,
        },
    }

    /// Open objects inside other types.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Batch {
        pub items: Vec<Item>,
        pub scores: BTreeMap<String, Scores>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub totals: Option<Totals>,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum OpenRequest {
            #[method("search", response = Totals)]
            Search(SearchParams),
            #[method("score", response = EmptyResult)]
            Score(Scores),
        }

        #[server_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum OpenServerRequest {
            #[method("review", response = EmptyResult)]
            Review(Batch),
        }

        #[server_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum OpenNotification {
            #[method("scored")]
            Scored(Scores),
        }
    }
}

fn protocol() -> Protocol<'static> {
    Protocol::new(&open::methods::REGISTRY, COMMAND)
}

fn model() -> Model {
    build_model(protocol()).unwrap_or_else(|err| panic!("{err}"))
}

fn definition<'m>(model: &'m Model, name: &str) -> &'m TypeDefinition {
    model
        .type_named(name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn structure<'m>(model: &'m Model, name: &str) -> &'m Structure {
    match &definition(model, name).definition {
        TypeRef::Structure(structure) => structure,
        other => panic!("{name} is {other:?}"),
    }
}

fn field_names(structure: &Structure) -> Vec<&str> {
    structure.fields.iter().map(|f| f.name.as_str()).collect()
}

fn uint32() -> TypeRef {
    TypeRef::Base {
        name: BaseType::Integer,
        format: Some("uint32".into()),
        minimum: Some(0.into()),
        maximum: None,
    }
}

fn typed(value: TypeRef) -> AdditionalProperties {
    AdditionalProperties::Typed {
        value: Box::new(value),
    }
}

// ---------------------------------------------------------------------------
// The model.

/// Named fields beside a flattened map are a structure whose additional
/// properties have the map's value type (any value for `Value`), in the
/// view of the side that writes it: `Totals` only the server writes
/// (serialize view), `SearchParams` only the client (deserialize view),
/// `Scores` both.
#[test]
fn named_fields_and_additional_members_are_one_structure() {
    let model = model();
    let sent_by = |name: &str| definition(&model, name).sent_by.clone();
    assert_eq!(sent_by("Totals"), [Side::Server]);
    assert_eq!(sent_by("SearchParams"), [Side::Client]);
    assert_eq!(sent_by("Scores"), [Side::Client, Side::Server]);

    let search = structure(&model, "SearchParams");
    assert_eq!(field_names(search), ["_meta", "query"]);
    let meta = &search.fields[0];
    assert!(meta.optional && meta.nullable);
    assert_eq!(
        meta.ty,
        TypeRef::Reference {
            name: "Meta".into()
        }
    );
    assert_eq!(search.additional_properties, typed(TypeRef::Any));

    // Serialize view: `_meta` is skipped when `None`, so optional there too.
    let totals = structure(&model, "Totals");
    assert_eq!(field_names(totals), ["_meta", "total"]);
    assert!(totals.fields[0].optional && !totals.fields[1].optional);
    assert_eq!(totals.additional_properties, typed(uint32()));

    let scores = structure(&model, "Scores");
    assert_eq!(field_names(scores), ["name", "note"]);
    assert_eq!(scores.additional_properties, typed(uint32()));

    let empty = structure(&model, "EmptyResult");
    assert_eq!(field_names(empty), ["_meta"]);
    assert_eq!(empty.additional_properties, typed(TypeRef::Any));
}

/// A struct that is only a flattened map (MCP's `_meta`) is a map of any
/// value; open objects nested in a union, an array, a map or an optional
/// field keep their additional members there.
#[test]
fn a_map_alone_and_open_objects_inside_other_types() {
    let model = model();
    assert_eq!(
        definition(&model, "Meta").definition,
        TypeRef::Map {
            value: Box::new(TypeRef::Any)
        }
    );
    let TypeRef::Union(item) = &definition(&model, "Item").definition else {
        panic!("Item is not a union");
    };
    assert_eq!(item.discriminator.as_deref(), Some("type"));
    let variants: Vec<(&Structure, &str)> = item
        .variants
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Structure(s) => (s, s.fields[0].name.as_str()),
            other => panic!("a variant is {other:?}"),
        })
        .collect();
    assert_eq!(field_names(variants[0].0), ["type", "text"]);
    assert_eq!(variants[0].0.additional_properties, typed(TypeRef::Any));
    assert_eq!(
        variants[1].0.additional_properties,
        AdditionalProperties::Ignored
    );
    let batch = structure(&model, "Batch");
    assert_eq!(
        batch.fields[1].ty,
        TypeRef::Map {
            value: Box::new(TypeRef::Reference {
                name: "Scores".into()
            })
        }
    );
    assert_eq!(batch.additional_properties, AdditionalProperties::Ignored);
}

// ---------------------------------------------------------------------------
// JSON Schema.

/// The model loses nothing of an open object: its schema renders back to
/// schemars's, keyword for keyword.
#[test]
fn open_objects_render_back_to_schemars_schemas() {
    let model = model();
    let sources = source_schemas(protocol()).unwrap();
    assert_eq!(model.types.len(), sources.len());
    for ty in &model.types {
        let rendered = type_schema(ty, "$defs");
        assert_eq!(
            &rendered,
            &sources[&ty.name],
            "{}: the model renders\n{}",
            ty.name,
            serde_json::to_string_pretty(&rendered).unwrap()
        );
    }
    let schema = |name: &str| type_schema(definition(&model, name), "$defs");
    assert_eq!(schema("SearchParams")["additionalProperties"], json!(true));
    assert_eq!(
        schema("Totals")["additionalProperties"],
        json!({"type": "integer", "format": "uint32", "minimum": 0})
    );
    assert_eq!(
        schema("Meta"),
        json!({
            "type": "object",
            "additionalProperties": true,
            "description": "Metadata: any members at all (MCP's `_meta`)."
        })
    );
    assert_eq!(
        schema("Item")["oneOf"][0]["additionalProperties"],
        json!(true)
    );
    let count = schema("Item")["oneOf"][1].clone();
    assert!(count.get("additionalProperties").is_none(), "{count}");
}

fn validator(files: &protocol_codegen::Generated, name: &str) -> jsonschema::Validator {
    let text = files
        .get(&format!("json/{name}.json"))
        .unwrap_or_else(|| panic!("no json/{name}.json"));
    let schema: Value = serde_json::from_str(text).unwrap();
    jsonschema::draft202012::new(&schema).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The rendered files accept what serde writes and reads, and refuse an
/// additional member of the wrong type, as serde does.
#[test]
fn the_rendered_schema_files_judge_additional_members_as_serde_does() {
    let files = render(protocol(), Draft::default()).unwrap();
    let cases: &[(&str, Value)] = &[
        (
            "SearchParams",
            json!({"query": "q", "cursor": "c", "_meta": {"progressToken": 1}}),
        ),
        ("Totals", json!({"total": 3, "red": 1, "blue": 2})),
        ("Scores", json!({"name": "n", "note": "late", "alice": 3})),
        (
            "EmptyResult",
            json!({"_meta": {"a": [1]}, "anything": {"at": "all"}}),
        ),
        ("Meta", json!({"progressToken": "p", "nested": {"x": null}})),
        (
            "Batch",
            json!({"items": [{"type": "text", "text": "t", "lang": "en"}], "scores": {}}),
        ),
    ];
    for (name, value) in cases {
        let validator = validator(&files, name);
        assert!(validator.is_valid(value), "{name}: {value}");
        assert_eq!(
            serde_roundtrip(name, value),
            *value,
            "{name}: serde reads and writes it back"
        );
    }
    let refused: &[(&str, Value)] = &[
        ("Totals", json!({"total": 3, "red": "1"})),
        ("Scores", json!({"name": "n", "alice": -1})),
        ("SearchParams", json!({"cursor": "c"})),
    ];
    for (name, value) in refused {
        assert!(!validator(&files, name).is_valid(value), "{name}: {value}");
        assert!(
            serde_reads(name, value).is_err(),
            "{name}: serde refuses {value} too"
        );
    }
}

fn serde_reads(name: &str, value: &Value) -> Result<Value, serde_json::Error> {
    fn through<T: serde::Serialize + serde::de::DeserializeOwned>(
        value: &Value,
    ) -> Result<Value, serde_json::Error> {
        serde_json::to_value(serde_json::from_value::<T>(value.clone())?)
    }
    match name {
        "SearchParams" => through::<SearchParams>(value),
        "Totals" => through::<Totals>(value),
        "Scores" => through::<Scores>(value),
        "EmptyResult" => through::<EmptyResult>(value),
        "Meta" => through::<Meta>(value),
        "Batch" => through::<Batch>(value),
        other => panic!("no type {other}"),
    }
}

fn serde_roundtrip(name: &str, value: &Value) -> Value {
    serde_reads(name, value).unwrap_or_else(|err| panic!("{name}: {err}"))
}

// ---------------------------------------------------------------------------
// Decode → encode.

/// Unknown members survive a value read and written again, at the top and
/// nested, and land in the flattened map.
#[test]
fn additional_members_survive_decode_and_encode() {
    let wire = json!({
        "_meta": {"progressToken": 7, "trace": {"id": "t"}},
        "query": "rust",
        "cursor": "c-1",
        "filters": [1, "two", null]
    });
    let params: SearchParams = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(params.query, "rust");
    assert_eq!(
        params.meta.as_ref().unwrap().members["progressToken"],
        json!(7)
    );
    assert_eq!(
        params.extra,
        BTreeMap::from([
            ("cursor".to_owned(), json!("c-1")),
            ("filters".to_owned(), json!([1, "two", null])),
        ])
    );
    assert_eq!(serde_json::to_value(&params).unwrap(), wire);

    let batch = json!({
        "items": [
            {"type": "text", "text": "t", "lang": "en", "score": 0.5},
            {"type": "count", "count": 2}
        ],
        "scores": {"a": {"name": "n", "alice": 1, "bob": 2}},
        "totals": {"total": 3, "red": 3}
    });
    let value: Batch = serde_json::from_value(batch.clone()).unwrap();
    assert_eq!(
        value.items[0],
        Item::Text {
            text: "t".into(),
            extra: BTreeMap::from([
                ("lang".to_owned(), json!("en")),
                ("score".to_owned(), json!(0.5)),
            ]),
        }
    );
    assert_eq!(value.scores["a"].scores["bob"], 2);
    assert_eq!(value.totals.as_ref().unwrap().counts["red"], 3);
    assert_eq!(serde_json::to_value(&value).unwrap(), batch);
}

/// The protocol's decoders keep a method's unknown params members, and
/// encoding the message gives the same wire value back; a typed additional
/// member of the wrong type is invalid params.
#[test]
fn the_protocols_decoders_keep_additional_members() {
    let wire = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "search",
        "params": {"query": "q", "_meta": {"progressToken": "p"}, "cursor": {"page": 2}}
    });
    let request = OpenRequest::decode(wire.to_string().as_bytes()).unwrap();
    let OpenRequest::Search { id, params } = &request else {
        panic!("{request:?}");
    };
    assert_eq!(id, &RequestId::Integer(1));
    assert_eq!(params.extra["cursor"], json!({"page": 2}));
    assert_eq!(serde_json::to_value(&request).unwrap(), wire);

    // The typed response keeps its additional members too.
    let result = json!({"total": 3, "red": 1, "blue": 2, "_meta": {"k": true}});
    let response = request.decode_response(result.clone()).unwrap();
    assert_eq!(request.respond(&response).unwrap().result, result);

    let wire = json!({"jsonrpc": "2.0", "id": "s", "method": "score", "params": {"name": "n", "alice": 4}});
    let request = OpenRequest::decode(wire.to_string().as_bytes()).unwrap();
    let OpenRequest::Score { params, .. } = &request else {
        panic!("{request:?}");
    };
    assert_eq!(params.scores, BTreeMap::from([("alice".to_owned(), 4)]));
    assert_eq!(serde_json::to_value(&request).unwrap(), wire);

    let wire = json!({"jsonrpc": "2.0", "method": "scored", "params": {"name": "n", "note": "late", "bob": 1}});
    let notification = OpenNotification::decode(wire.to_string().as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&notification).unwrap(), wire);

    let wire = json!({
        "jsonrpc": "2.0",
        "id": 9,
        "method": "review",
        "params": {
            "items": [{"type": "text", "text": "t", "lang": "en"}],
            "scores": {"x": {"name": "n", "carol": 5}}
        }
    });
    let request = OpenServerRequest::decode(wire.to_string().as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), wire);

    let bad = json!({"jsonrpc": "2.0", "id": 2, "method": "score", "params": {"name": "n", "alice": "four"}});
    let err = OpenRequest::decode(bad.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        (err.code, err.id),
        (ErrorCode::InvalidParams, Some(RequestId::Integer(2)))
    );
}

// ---------------------------------------------------------------------------
// TypeScript.

/// Values of every open type, written as literals, and reads of their
/// members: these must compile. Each `@ts-expect-error` line must not.
const USAGE: &str = r#"import type { Batch, EmptyResult, Item, Meta, Scores, SearchParams, Totals } from "./typescript/index.js";

export const search: SearchParams = { query: "q", _meta: { progressToken: 1 }, cursor: "c", filters: [1, "two"] };
export const scores: Scores = { name: "n", note: null, alice: 3, bob: 4 };
export const noteless: Scores = { name: "n", carol: 5 };
export const totals: Totals = { total: 3, _meta: { trace: "t" }, red: 1, blue: 2 };
export const empty: EmptyResult = {};
export const result: EmptyResult = { _meta: {}, anything: { at: "all" } };
export const meta: Meta = { anything: [1, "two"] };
export const item: Item = { type: "text", text: "t", lang: "en" };
export const batch: Batch = { items: [item, { type: "count", count: 1 }], scores: { a: scores } };

export const query: string = search.query;
export const name: string = scores.name;
export const total: number = totals.total;
export const cursor: unknown = search["cursor"];

// @ts-expect-error an additional member of Scores is a number
export const wrongScore: Scores = { name: "n", alice: true };
// @ts-expect-error a named field keeps its own type
export const wrongName: Scores = { name: 1 };
// @ts-expect-error an additional member of Totals is a number
export const wrongTotal: Totals = { total: 1, red: "1" };
// @ts-expect-error a named field is still required
export const noQuery: SearchParams = { cursor: "c" };
// @ts-expect-error the count variant is closed
export const countItem: Item = { type: "count", count: 1, extra: 2 };
"#;

/// An open object is one object type: its fields, then an index signature
/// of its additional type (`unknown` for any value). Where a field's type
/// does not fit that type, the index signature also lists the fields'
/// types, as TypeScript requires, and says so.
#[test]
fn open_objects_have_an_index_signature_beside_their_fields() {
    let files = render(protocol(), Draft::default()).unwrap();
    let body = |name: &str| {
        let text = files.get(&format!("typescript/{name}.ts")).unwrap();
        text[text.find("export type").unwrap()..].to_owned()
    };
    assert_eq!(
        body("SearchParams"),
        "export type SearchParams = {\n  _meta?: Meta | null;\n  query: string;\n  [key: string]: unknown;\n};\n"
    );
    assert_eq!(
        body("EmptyResult"),
        "export type EmptyResult = {\n  _meta?: Meta | null;\n  [key: string]: unknown;\n};\n"
    );
    assert_eq!(
        body("Meta"),
        "export type Meta = { [key: string]: unknown };\n"
    );
    assert_eq!(
        body("Scores"),
        "export type Scores = {\n  name: string;\n  note?: string | null;\n  /**\n   * Any other member is `number`; the fields' own types are listed too because TypeScript requires every field to fit the index signature.\n   */\n  [key: string]: number | string | null | undefined;\n};\n"
    );
    assert!(
        body("Totals").contains("  [key: string]: number | Meta | null | undefined;\n"),
        "{}",
        body("Totals")
    );
    assert_eq!(
        body("Item"),
        "export type Item =\n  | {\n      type: \"text\";\n      text: string;\n      [key: string]: unknown;\n    }\n  | {\n      type: \"count\";\n      count: number;\n    };\n"
    );
}

/// The rendered TypeScript compiles under the repository's strictest
/// settings and under plain `strict` (where an optional field is also
/// `undefined` and must fit the index signature), with the usage above.
#[test]
fn open_objects_compile_under_strict_typescript() {
    ready();
    let dir = ts_client().join("build/open-objects");
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    }
    let generated = render(protocol(), Draft::default()).unwrap();
    write_generated(&generated, &dir).unwrap_or_else(|err| panic!("{err}"));
    fs::write(dir.join("usage.ts"), USAGE).unwrap();
    let include = json!(["usage.ts", "typescript/**/*.ts"]);
    let configs = [
        (
            "tsconfig.bundler.json",
            json!({"extends": "../../tsconfig.bundler.json", "include": include}),
        ),
        (
            "tsconfig.strict.json",
            json!({
                "compilerOptions": {
                    "strict": true,
                    "noEmit": true,
                    "target": "es2022",
                    "lib": ["es2022"],
                    "types": [],
                    "module": "esnext",
                    "moduleResolution": "bundler",
                },
                "include": include,
            }),
        ),
    ];
    for (name, config) in configs {
        fs::write(dir.join(name), config.to_string()).unwrap();
        check(tsc(&dir, &["-p", name]));
    }
}

// ---------------------------------------------------------------------------
// Breaking changes.

fn structure_mut<'m>(model: &'m mut Model, name: &str) -> &'m mut Structure {
    let ty = model.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.definition {
        TypeRef::Structure(structure) => structure,
        other => panic!("{name} is {other:?}"),
    }
}

fn new_field(name: &str, ty: TypeRef, optional: bool) -> Field {
    Field {
        name: name.into(),
        ty,
        optional,
        nullable: false,
        default: None,
        marks: Default::default(),
    }
}

fn string() -> TypeRef {
    TypeRef::Base {
        name: BaseType::String,
        format: None,
        minimum: None,
        maximum: None,
    }
}

type Edit = fn(&mut Model);

/// Each case: the edit to the base, the edit to the current protocol, and
/// the findings. `SearchParams` only the server receives (`search`
/// params), `Totals` only the client (`search` result, `review` params),
/// `Scores` both (`score` params; `scored` and `review` params).
fn cases() -> Vec<(&'static str, Edit, Edit, Vec<&'static str>)> {
    vec![
        // Any value was accepted under any name: a `cursor` that is not a
        // string, sent by a client that followed the old contract, is now
        // refused.
        ("a named field added to an object open to any value", |_| {}, |m| {
            structure_mut(m, "SearchParams").fields.push(new_field("cursor", string(), true));
        }, vec!["BREAKING client→server search params.cursor: optional field added to an open object: a member of this name was any value, now string"]),
        ("a named field added to an object open to any value, itself any value", |_| {}, |m| {
            structure_mut(m, "SearchParams").fields.push(new_field("cursor", TypeRef::Any, true));
        }, vec!["ok       client→server search params.cursor: optional field added"]),
        ("a named field of the additional type added", |_| {}, |m| {
            structure_mut(m, "Totals").fields.push(new_field("grey", uint32(), false));
            structure_mut(m, "Scores").fields.push(new_field("grey", uint32(), true));
        }, vec![
            "ok       client→server search result.grey: field added",
            "ok       client→server score params.grey: optional field added",
            "ok       server→client review params.scores{}.grey: field added",
            "ok       server→client review params.totals.grey: field added",
            "ok       server→client scored params.grey: field added",
        ]),
        // A `label` sent before as an additional member had to be a number;
        // now it must be a string, and readers get a string where they
        // read numbers.
        ("a named field of another type added to a typed open object", |_| {}, |m| {
            structure_mut(m, "Scores").fields.push(new_field("label", string(), true));
        }, vec![
            "BREAKING client→server score params.label: optional field added to an open object: a member of this name was integer (uint32), now string",
            "BREAKING server→client review params.scores{}.label: field added to an open object: a member of this name was integer (uint32), now string",
            "BREAKING server→client scored params.label: field added to an open object: a member of this name was integer (uint32), now string",
        ]),
        ("a named field removed from a typed open object", |_| {}, |m| {
            structure_mut(m, "Scores").fields.retain(|f| f.name != "note");
        }, vec![
            "BREAKING client→server score params.note: field removed: sent as string or null, but additional members must be integer (uint32)",
            "BREAKING server→client review params.scores{}.note: field removed",
            "BREAKING server→client scored params.note: field removed",
        ]),
        ("a named field removed from an object open to any value", |_| {}, |m| {
            structure_mut(m, "SearchParams").fields.retain(|f| f.name != "query");
        }, vec!["ok       client→server search params.query: field removed (kept as an additional member)"]),
        ("additional type widened", |_| {}, |m| {
            let wider = typed(TypeRef::Base {
                name: BaseType::Integer,
                format: Some("uint64".into()),
                minimum: Some(0.into()),
                maximum: None,
            });
            structure_mut(m, "Scores").additional_properties = wider.clone();
            structure_mut(m, "Totals").additional_properties = wider;
        }, vec![
            "BREAKING client→server search result{}: type widened (integer (uint32) → integer (uint64))",
            "ok       client→server score params{}: type widened (integer (uint32) → integer (uint64))",
            "BREAKING server→client review params.scores{}{}: type widened (integer (uint32) → integer (uint64))",
            "BREAKING server→client review params.totals{}: type widened (integer (uint32) → integer (uint64))",
            "BREAKING server→client scored params{}: type widened (integer (uint32) → integer (uint64))",
        ]),
        ("additional type changed", |_| {}, |m| {
            structure_mut(m, "SearchParams").additional_properties = typed(string());
        }, vec!["BREAKING client→server search params{}: type narrowed (any value → string)"]),
        ("an open object closed: additional members rejected", |_| {}, |m| {
            structure_mut(m, "SearchParams").additional_properties = AdditionalProperties::Forbidden;
            structure_mut(m, "Totals").additional_properties = AdditionalProperties::Forbidden;
        }, vec![
            "BREAKING client→server search params: additionalProperties narrowed: additional members are now rejected",
            "ok       client→server search result: additionalProperties narrowed: additional members are now rejected",
            "ok       server→client review params.totals: additionalProperties narrowed: additional members are now rejected",
        ]),
        ("an open object closed: additional members ignored", |_| {}, |m| {
            structure_mut(m, "SearchParams").additional_properties = AdditionalProperties::Ignored;
        }, vec!["ok       client→server search params: additionalProperties narrowed: additional members are now ignored"]),
        // Members a server ignored must now have the additional type.
        ("an object that ignored unknown members opened with a type", |m| {
            structure_mut(m, "SearchParams").additional_properties = AdditionalProperties::Ignored;
            structure_mut(m, "Totals").additional_properties = AdditionalProperties::Ignored;
        }, |m| {
            structure_mut(m, "SearchParams").additional_properties = typed(uint32());
        }, vec![
            "BREAKING client→server search params: additionalProperties: additional members (integer (uint32)) are now kept",
            "ok       client→server search result: additionalProperties: additional members (integer (uint32)) are now kept",
            "ok       server→client review params.totals: additionalProperties: additional members (integer (uint32)) are now kept",
        ]),
        ("an object that ignored unknown members opened to any value", |m| {
            structure_mut(m, "SearchParams").additional_properties = AdditionalProperties::Ignored;
        }, |_| {}, vec![
            "ok       client→server search params: additionalProperties: additional members (any value) are now kept",
        ]),
        // A client whose schema rejected unknown members now receives some.
        ("an object that rejected unknown members opened", |m| {
            structure_mut(m, "SearchParams").additional_properties = AdditionalProperties::Forbidden;
            structure_mut(m, "Totals").additional_properties = AdditionalProperties::Forbidden;
        }, |_| {}, vec![
            "ok       client→server search params: additionalProperties widened: additional members (any value) are now accepted",
            "BREAKING client→server search result: additionalProperties widened: additional members (integer (uint32)) are now accepted",
            "BREAKING server→client review params.totals: additionalProperties widened: additional members (integer (uint32)) are now accepted",
        ]),
    ]
}

#[test]
fn breaking_judges_open_objects_for_the_peer_that_receives_them() {
    let built = model();
    assert!(compare(&built, &built).is_empty());
    for (name, edit_base, edit_current, expected) in cases() {
        let mut base = built.clone();
        edit_base(&mut base);
        let mut current = built.clone();
        edit_current(&mut current);
        let found: Vec<String> = compare(&base, &current)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, expected, "case `{name}`");
    }
}
