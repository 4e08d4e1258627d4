//! What serde writes and reads, checked by both renderers.
//!
//! Values of every named type of the protocol model, built with the real
//! Rust types (`common::values`), are serialised with serde_json. From each,
//! the model derives the other JSON serde must read: every optional field
//! left out, every nullable field set to `null` (and serde must read each
//! back as the type). Then every value is checked
//!
//! - against the type's generated JSON Schema file, by Ajv (strict, 2020-12);
//! - against the type's generated TypeScript, by tsc, as a typed literal
//!   (`export const v0: InitializeParams = {…};`) under the strict settings.
//!
//! The model itself says what the values must cover: every type has values,
//! every union variant and enumeration value is taken by some value, every
//! optional field is seen present and absent, every nullable field `null`
//! and not. A gap fails the test, naming the type and the path.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common::values::{all, TypeValues};
use tests::files::copy_dir;
use tests::node::{check, ready, run, ts_client, tsc};

use protocol_codegen::model::{AdditionalProperties, BaseType, Model, TypeRef};
use protocol_codegen::{build_model, Protocol};
use protocol_defs::methods::REGISTRY;
use serde_json::{json, Value};

fn model() -> Model {
    build_model(Protocol::new(
        &REGISTRY,
        "cargo run -p codegen-cli -- write-schema",
    ))
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The experimental surface: the whole protocol (the model the values
/// cover is the whole protocol too).
fn generated() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/experimental"
    ))
}

// ---------------------------------------------------------------------------
// Reading values with the model.

/// Whether `value` is a value of `ty`, as the model describes it.
fn matches(model: &Model, value: &Value, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Reference { name } => model
            .type_named(name)
            .is_some_and(|def| matches(model, value, &def.definition)),
        TypeRef::Base { name, .. } => match name {
            BaseType::String => value.is_string(),
            BaseType::Boolean => value.is_boolean(),
            BaseType::Integer => value.is_i64() || value.is_u64(),
            BaseType::Number => value.is_number(),
        },
        TypeRef::StringLiteral { value: literal } => value.as_str() == Some(literal),
        TypeRef::Null => value.is_null(),
        TypeRef::Any => true,
        TypeRef::Array { element } => value
            .as_array()
            .is_some_and(|items| items.iter().all(|item| matches(model, item, element))),
        TypeRef::Tuple { items } => value.as_array().is_some_and(|values| {
            values.len() == items.len()
                && values
                    .iter()
                    .zip(items)
                    .all(|(value, item)| matches(model, value, item))
        }),
        TypeRef::Map { value: inner } => value
            .as_object()
            .is_some_and(|object| object.values().all(|v| matches(model, v, inner))),
        TypeRef::Nullable { inner } => value.is_null() || matches(model, value, inner),
        TypeRef::Enumeration(enumeration) => value
            .as_str()
            .is_some_and(|s| enumeration.values.iter().any(|v| v.value == s)),
        TypeRef::Union(union) => union
            .variants
            .iter()
            .any(|variant| matches(model, value, &variant.ty)),
        TypeRef::Structure(structure) => {
            let Some(object) = value.as_object() else {
                return false;
            };
            let fields_match = structure
                .fields
                .iter()
                .all(|field| match object.get(&field.name) {
                    None => field.optional,
                    Some(Value::Null) if field.nullable => true,
                    Some(v) => matches(model, v, &field.ty),
                });
            let extras = object
                .iter()
                .filter(|(key, _)| !structure.fields.iter().any(|f| &f.name == *key));
            fields_match
                && extras
                    .into_iter()
                    .all(|(_, v)| match &structure.additional_properties {
                        AdditionalProperties::Ignored => true,
                        AdditionalProperties::Forbidden => false,
                        AdditionalProperties::Typed { value } => matches(model, v, value),
                    })
        }
    }
}

/// How a union variant is named in a path: its title, else its string
/// literal fields (`method="initialize"`), else what it is.
fn variant_label(index: usize, variant: &protocol_codegen::model::Variant) -> String {
    if let Some(title) = &variant.title {
        return title.clone();
    }
    let what = match &variant.ty {
        TypeRef::Reference { name } => name.clone(),
        TypeRef::Base { name, .. } => name.as_str().to_owned(),
        TypeRef::StringLiteral { value } => format!("{value:?}"),
        TypeRef::Structure(structure) => {
            let literals: Vec<String> = structure
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::StringLiteral { value } => Some(format!("{}={value:?}", f.name)),
                    _ => None,
                })
                .collect();
            if literals.is_empty() {
                let names: Vec<&str> = structure.fields.iter().map(|f| f.name.as_str()).collect();
                format!("{{{}}}", names.join(","))
            } else {
                literals.join(",")
            }
        }
        other => format!("{other:?}").chars().take(40).collect(),
    };
    format!("#{index} {what}")
}

/// The facts the values must show, per type: `Type<path>: <fact>`.
fn required_facts(model: &Model) -> BTreeSet<String> {
    fn walk(ty: &TypeRef, at: &str, out: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Reference { .. }
            | TypeRef::Base { .. }
            | TypeRef::StringLiteral { .. }
            | TypeRef::Null
            | TypeRef::Any => {}
            TypeRef::Array { element } => walk(element, &format!("{at}[]"), out),
            TypeRef::Map { value } => walk(value, &format!("{at}[key]"), out),
            TypeRef::Tuple { items } => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}[{i}]"), out);
                }
            }
            TypeRef::Nullable { inner } => {
                out.insert(format!("{at}: null"));
                out.insert(format!("{at}: not null"));
                walk(inner, at, out);
            }
            TypeRef::Enumeration(enumeration) => {
                for value in &enumeration.values {
                    out.insert(format!("{at}: the value {:?}", value.value));
                }
            }
            TypeRef::Union(union) => {
                for (i, variant) in union.variants.iter().enumerate() {
                    let label = variant_label(i, variant);
                    out.insert(format!("{at}: the variant {label}"));
                    walk(&variant.ty, &format!("{at}[{label}]"), out);
                }
            }
            TypeRef::Structure(structure) => {
                for field in &structure.fields {
                    let path = format!("{at}.{}", field.name);
                    if field.optional {
                        out.insert(format!("{path}: present"));
                        out.insert(format!("{path}: absent"));
                    }
                    if field.nullable {
                        out.insert(format!("{path}: null"));
                        out.insert(format!("{path}: not null"));
                    }
                    walk(&field.ty, &path, out);
                }
                if let AdditionalProperties::Typed { value } = &structure.additional_properties {
                    walk(value, &format!("{at}[key]"), out);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for def in &model.types {
        walk(&def.definition, &def.name, &mut out);
    }
    out
}

/// Records the facts `value` shows, crediting each named type it reaches
/// (through references) with its own. In a union, the first variant that
/// matches is the one taken, as serde takes it.
fn observe(model: &Model, value: &Value, ty: &TypeRef, at: &str, seen: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Reference { name } => {
            if let Some(def) = model.type_named(name) {
                observe(model, value, &def.definition, name, seen);
            }
        }
        TypeRef::Base { .. } | TypeRef::StringLiteral { .. } | TypeRef::Null | TypeRef::Any => {}
        TypeRef::Array { element } => {
            for item in value.as_array().into_iter().flatten() {
                observe(model, item, element, &format!("{at}[]"), seen);
            }
        }
        TypeRef::Map { value: inner } => {
            for v in value.as_object().into_iter().flat_map(|o| o.values()) {
                observe(model, v, inner, &format!("{at}[key]"), seen);
            }
        }
        TypeRef::Tuple { items } => {
            for (i, (v, item)) in value
                .as_array()
                .into_iter()
                .flatten()
                .zip(items)
                .enumerate()
            {
                observe(model, v, item, &format!("{at}[{i}]"), seen);
            }
        }
        TypeRef::Nullable { inner } => {
            if value.is_null() {
                seen.insert(format!("{at}: null"));
            } else {
                seen.insert(format!("{at}: not null"));
                observe(model, value, inner, at, seen);
            }
        }
        TypeRef::Enumeration(_) => {
            if let Some(s) = value.as_str() {
                seen.insert(format!("{at}: the value {s:?}"));
            }
        }
        TypeRef::Union(union) => {
            // The first variant that matches is the one serde takes.
            let taken = union
                .variants
                .iter()
                .enumerate()
                .find(|(_, variant)| matches(model, value, &variant.ty));
            if let Some((i, variant)) = taken {
                let label = variant_label(i, variant);
                seen.insert(format!("{at}: the variant {label}"));
                observe(model, value, &variant.ty, &format!("{at}[{label}]"), seen);
            }
        }
        TypeRef::Structure(structure) => {
            let Some(object) = value.as_object() else {
                return;
            };
            for field in &structure.fields {
                let path = format!("{at}.{}", field.name);
                match object.get(&field.name) {
                    None => {
                        seen.insert(format!("{path}: absent"));
                    }
                    Some(v) => {
                        seen.insert(format!("{path}: present"));
                        if v.is_null() && field.nullable {
                            seen.insert(format!("{path}: null"));
                        } else {
                            seen.insert(format!("{path}: not null"));
                            observe(model, v, &field.ty, &path, seen);
                        }
                    }
                }
            }
            if let AdditionalProperties::Typed { value: extra } = &structure.additional_properties {
                for (key, v) in object {
                    if !structure.fields.iter().any(|f| &f.name == key) {
                        observe(model, v, extra, &format!("{at}[key]"), seen);
                    }
                }
            }
        }
    }
}

/// What serde must also read, by the model: `value` with one optional field
/// left out, or one nullable (or absent `null`-typed) field set to `null`, at
/// any depth inside the
/// type's own definition (named types it refers to have values of their
/// own). Each is `(what changed, JSON)`.
fn derived(model: &Model, value: &Value, ty: &TypeRef) -> Vec<(String, Value)> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    fn walk(
        model: &Model,
        value: &Value,
        ty: &TypeRef,
        pointer: &str,
        out: &mut Vec<(String, String, bool)>,
    ) {
        match ty {
            TypeRef::Array { element } => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    walk(model, item, element, &format!("{pointer}/{i}"), out);
                }
            }
            TypeRef::Map { value: inner } => {
                for (key, v) in value.as_object().into_iter().flatten() {
                    walk(model, v, inner, &format!("{pointer}/{}", escape(key)), out);
                }
            }
            TypeRef::Tuple { items } => {
                for (i, (v, item)) in value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .zip(items)
                    .enumerate()
                {
                    walk(model, v, item, &format!("{pointer}/{i}"), out);
                }
            }
            TypeRef::Nullable { inner } if !value.is_null() => {
                walk(model, value, inner, pointer, out)
            }
            TypeRef::Union(union) => {
                if let Some(variant) = union.variants.iter().find(|v| matches(model, value, &v.ty))
                {
                    walk(model, value, &variant.ty, pointer, out);
                }
            }
            TypeRef::Structure(structure) => {
                let Some(object) = value.as_object() else {
                    return;
                };
                for field in &structure.fields {
                    let Some(v) = object.get(&field.name) else {
                        // An absent field that may be `null`: also sent as `null`.
                        if field.nullable || matches!(field.ty, TypeRef::Null) {
                            out.push((pointer.to_owned(), field.name.clone(), false));
                        }
                        continue;
                    };
                    let field_pointer = format!("{pointer}/{}", escape(&field.name));
                    if field.optional {
                        out.push((pointer.to_owned(), field.name.clone(), true));
                    }
                    if field.nullable && !v.is_null() {
                        out.push((pointer.to_owned(), field.name.clone(), false));
                    }
                    if !v.is_null() {
                        walk(model, v, &field.ty, &field_pointer, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut edits = Vec::new();
    walk(model, value, ty, "", &mut edits);
    edits
        .into_iter()
        .map(|(pointer, field, remove)| {
            let mut copy = value.clone();
            let object = copy
                .pointer_mut(&pointer)
                .and_then(Value::as_object_mut)
                .expect("the pointer was read from this value");
            let what = if remove {
                object.remove(&field);
                format!("without {pointer}/{field}")
            } else {
                object.insert(field.clone(), Value::Null);
                format!("with {pointer}/{field} = null")
            };
            (what, copy)
        })
        .collect()
}

/// A value to check, with where it came from.
struct Case {
    ty: String,
    label: String,
    value: Value,
}

/// Every value of every model type, serialised and derived; panics naming
/// every type without values, every value serde does not read back and
/// every fact no value shows.
fn cases(model: &Model) -> Vec<Case> {
    let values = all();
    let mut problems = Vec::new();
    for name in values.by_type.keys() {
        if model.type_named(name).is_none() {
            problems.push(format!("{name}: has values but is not a type of the model"));
        }
    }
    let mut cases = Vec::new();
    let mut seen = BTreeSet::new();
    for def in &model.types {
        let Some(TypeValues {
            values,
            deserialize,
        }) = values.by_type.get(&def.name)
        else {
            problems.push(format!("{}: no values", def.name));
            continue;
        };
        let mut all: Vec<(String, Value)> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let label = format!("{} #{i}", def.name);
            if let Err(err) = deserialize(value) {
                problems.push(format!(
                    "{label}: serde does not read back what it wrote: {err}\n{value}"
                ));
            }
            all.push((label.clone(), value.clone()));
            for (what, copy) in derived(model, value, &def.definition) {
                let derived_label = format!("{label} {what}");
                if let Err(err) = deserialize(&copy) {
                    problems.push(format!(
                        "{derived_label}: the model says serde reads it, serde says: {err}"
                    ));
                }
                if !values.contains(&copy) && !all.iter().any(|(_, v)| v == &copy) {
                    all.push((derived_label, copy));
                }
            }
        }
        for (label, value) in all {
            if !matches(model, &value, &def.definition) {
                problems.push(format!(
                    "{label}: not a value of the model's {}: {value}",
                    def.name
                ));
            }
            observe(model, &value, &def.definition, &def.name, &mut seen);
            cases.push(Case {
                ty: def.name.clone(),
                label,
                value,
            });
        }
    }
    for fact in required_facts(model).difference(&seen) {
        problems.push(format!("not covered by any value: {fact}"));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    cases
}

#[test]
fn values_cover_every_type_variant_and_optional_field_of_the_model() {
    let model = model();
    let cases = cases(&model);
    let types: BTreeSet<&str> = cases.iter().map(|c| c.ty.as_str()).collect();
    assert_eq!(types.len(), model.types.len());
}

/// The coverage check itself: a model fact no value shows is reported.
#[test]
fn coverage_reports_what_no_value_shows() {
    let model = model();
    let facts = required_facts(&model);
    for fact in [
        "SandboxPolicy: the variant #3 type=\"workspace-write\"",
        "SandboxPolicy[#3 type=\"workspace-write\"].read_access: absent",
        "InitializeParams.capabilities: absent",
        "InitializeParams.capabilities: null",
        "ClientInfo.title: null",
        "AskForApproval: the value \"on-failure\"",
        "RequestId: the variant #1 integer",
        "ClientRequest: the variant InitializeClientRequest",
    ] {
        assert!(
            facts.contains(fact),
            "`{fact}` is not a fact of the model: {facts:#?}"
        );
    }
    let mut seen = BTreeSet::new();
    let value = json!({ "clientInfo": { "name": "n", "version": "1" } });
    observe(
        &model,
        &value,
        &TypeRef::Reference {
            name: "InitializeParams".into(),
        },
        "",
        &mut seen,
    );
    assert!(
        seen.contains("InitializeParams.capabilities: absent"),
        "{seen:#?}"
    );
    assert!(seen.contains("ClientInfo.title: absent"), "{seen:#?}");
    assert!(
        !seen.contains("InitializeParams.capabilities: present"),
        "{seen:#?}"
    );
}

#[test]
fn serde_values_pass_ajv_and_tsc() {
    ready();
    let model = model();
    let cases = cases(&model);
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();

    // Ajv: every value against its type's file; the controls must fail.
    let mut entries: Vec<Value> = cases
        .iter()
        .map(|c| json!({ "type": c.ty, "label": c.label, "value": c.value, "valid": true }))
        .collect();
    entries.push(
        json!({ "type": "InitializeParams", "label": "control: clientInfo is a number",
                         "value": { "clientInfo": 1 }, "valid": false }),
    );
    entries.push(
        json!({ "type": "SandboxPolicy", "label": "control: an unknown tag",
                         "value": { "type": "no-such-policy" }, "valid": false }),
    );
    let values_file = dir.join("values.json");
    fs::write(&values_file, serde_json::to_string(&entries).unwrap()).unwrap();
    let report = check(run(
        &ts_client(),
        "node",
        [
            "serde-values.mjs".as_ref(),
            generated().join("json").as_os_str(),
            values_file.as_os_str(),
        ],
    ));
    let expected = format!(
        "serde values: {} values of {} types accepted by Ajv (strict, 2020-12), 2 controls rejected",
        cases.len(),
        model.types.len()
    );
    assert_eq!(report.trim(), expected);

    // tsc: every value as a typed literal.
    copy_dir(&generated().join("typescript"), &dir.join("generated"));
    fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.ty.as_str()).collect();
    let mut ts = String::from("// Every serde value, typed by the generated TypeScript.\n");
    ts.push_str(&format!(
        "import type {{ {} }} from \"./generated/index.js\";\n\n",
        names.into_iter().collect::<Vec<_>>().join(", ")
    ));
    let mut labels = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        labels.insert(ts.lines().count() + 1, case.label.clone());
        let literal = serde_json::to_string_pretty(&case.value).unwrap();
        ts.push_str(&format!("export const v{i}: {} = {literal};\n", case.ty));
    }
    ts.push_str(
        "\n// Controls: the harness rejects a wrong value.\n\
         // @ts-expect-error: clientInfo is an object\n\
         export const control0: InitializeParams = { clientInfo: 1 };\n\
         // @ts-expect-error: an unknown tag\n\
         export const control1: SandboxPolicy = { type: \"no-such-policy\" };\n",
    );
    fs::write(dir.join("values.ts"), &ts).unwrap();
    let tsconfig = json!({
        "extends": ts_client().join("tsconfig.nodenext.json").to_str().expect("a UTF-8 path"),
        "include": ["values.ts"],
    });
    fs::write(dir.join("tsconfig.json"), tsconfig.to_string()).unwrap();
    if let Err(err) = tsc(dir, &["-p", "tsconfig.json"]) {
        // Name the value of each error line (`values.ts(LINE,COL): …`).
        let mut named = String::new();
        for line in err.lines() {
            named.push_str(line);
            let at = line
                .strip_prefix("values.ts(")
                .and_then(|rest| rest.split(',').next())
                .and_then(|n| n.parse::<usize>().ok());
            if let Some((_, label)) = at.and_then(|n| labels.range(..=n).next_back()) {
                named.push_str(&format!("  [{label}]"));
            }
            named.push('\n');
        }
        panic!("tsc rejects serde values:\n{named}");
    }
}
