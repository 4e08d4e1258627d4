//! The JSON Schema of the model's types, written the way schemars writes
//! them: what the JSON Schema output puts in its files and the OpenRPC
//! output under its components, each from the model. It renders no file.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::*;

/// Every type `ty` refers to, at any depth, by name (`ty` itself only if it
/// refers to itself).
pub fn referenced_types<'m>(model: &'m Model, ty: &'m TypeDefinition) -> BTreeSet<&'m str> {
    let mut seen = BTreeSet::new();
    let mut pending = vec![&ty.definition];
    while let Some(next) = pending.pop() {
        next.for_each_reference(&mut |name| {
            if seen.insert(name) {
                if let Some(definition) = model.type_named(name) {
                    pending.push(&definition.definition);
                }
            }
        });
    }
    seen
}

/// The schema of a named type, as under the definitions.
pub fn type_schema(ty: &TypeDefinition, key: &str) -> Value {
    with_marks(schema(&ty.definition, key), &ty.marks, None)
}

/// The `description` of an item with `marks`: its documentation and, as
/// JSON Schema's `deprecated` is a boolean with no room for a message, the
/// deprecation's note after it, in the words schemars writes for a
/// `#[wire]` item (`@deprecated <note>` after a blank line), so that the
/// schema equals schemars's own.
pub fn description(marks: &Marks) -> Option<String> {
    let note = marks.deprecated.as_ref().and_then(|d| d.message.as_deref());
    match (marks.documentation.as_deref(), note) {
        (documentation, None) => documentation.map(str::to_owned),
        (None, Some(note)) => Some(format!("@deprecated {note}")),
        (Some(documentation), Some(note)) => Some(format!("{documentation}\n\n@deprecated {note}")),
    }
}

/// `schema` with the keywords of `marks` (`description`, `deprecated`,
/// `x-experimental`, `x-since`) and the `default` value.
fn with_marks(schema: Value, marks: &Marks, default: Option<&Value>) -> Value {
    if marks.is_empty() && default.is_none() {
        return schema;
    }
    let mut object = match schema {
        Value::Object(object) => object,
        _ => Map::new(), // `true`: any value
    };
    if let Some(description) = description(marks) {
        object.insert("description".into(), Value::String(description));
    }
    if marks.deprecated.is_some() {
        object.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(default) = default {
        object.insert("default".into(), default.clone());
    }
    if let Some(reason) = &marks.experimental {
        object.insert("x-experimental".into(), Value::String(reason.clone()));
    }
    if let Some(version) = &marks.since {
        object.insert("x-since".into(), Value::String(version.clone()));
    }
    Value::Object(object)
}

/// The schema of a type expression; references point under `key`.
pub fn schema(ty: &TypeRef, key: &str) -> Value {
    match ty {
        TypeRef::Reference { name } => json!({ "$ref": format!("#/{key}/{name}") }),
        TypeRef::Base {
            name,
            format,
            minimum,
            maximum,
        } => {
            let mut object = Map::new();
            object.insert("type".into(), Value::String(name.as_str().into()));
            if let Some(format) = format {
                object.insert("format".into(), Value::String(format.clone()));
            }
            if let Some(minimum) = minimum {
                object.insert("minimum".into(), Value::Number(minimum.clone()));
            }
            if let Some(maximum) = maximum {
                object.insert("maximum".into(), Value::Number(maximum.clone()));
            }
            Value::Object(object)
        }
        TypeRef::StringLiteral { value } => json!({ "type": "string", "const": value }),
        TypeRef::Null => json!({ "type": "null" }),
        TypeRef::Any => Value::Bool(true),
        TypeRef::Array { element } => {
            object([("type", "array".into()), ("items", schema(element, key))])
        }
        TypeRef::Tuple { items } => object([
            ("type", "array".into()),
            (
                "prefixItems",
                Value::Array(items.iter().map(|item| schema(item, key)).collect()),
            ),
            ("minItems", items.len().into()),
            ("maxItems", items.len().into()),
        ]),
        TypeRef::Map { value } => object([
            ("type", "object".into()),
            ("additionalProperties", schema(value, key)),
        ]),
        TypeRef::Nullable { inner } => nullable(schema(inner, key)),
        TypeRef::Structure(structure) => structure_schema(structure, key),
        TypeRef::Enumeration(enumeration) => enumeration_schema(enumeration),
        TypeRef::Union(union) => {
            let variants: Vec<Value> = union
                .variants
                .iter()
                .map(|variant| {
                    let mut value = with_marks(schema(&variant.ty, key), &variant.marks, None);
                    if let (Some(title), Value::Object(object)) = (&variant.title, &mut value) {
                        object.insert("title".into(), Value::String(title.clone()));
                    }
                    value
                })
                .collect();
            let keyword = if union.exclusive { "oneOf" } else { "anyOf" };
            object([(keyword, Value::Array(variants))])
        }
    }
}

/// `T | null` as schemars writes it: `"type": [T, "null"]` for a plain
/// typed schema, `anyOf: [T, null]` otherwise.
pub(crate) fn nullable(inner: Value) -> Value {
    let plain_type = match &inner {
        Value::Object(object)
            if ["$ref", "const", "enum", "oneOf", "anyOf"]
                .iter()
                .all(|keyword| !object.contains_key(*keyword)) =>
        {
            match object.get("type") {
                Some(Value::String(ty)) => Some(ty.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    match (plain_type, inner) {
        (Some(ty), Value::Object(mut object)) => {
            object.insert("type".into(), json!([ty, "null"]));
            Value::Object(object)
        }
        (_, inner) => object([(
            "anyOf",
            Value::Array(vec![inner, object([("type", "null".into())])]),
        )]),
    }
}

/// An object of `members`, moved in (`json!` would copy a `Value` it is
/// given by serialising it).
pub(crate) fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut object = Map::new();
    for (key, value) in members {
        object.insert(key.to_owned(), value);
    }
    Value::Object(object)
}

fn structure_schema(structure: &Structure, key: &str) -> Value {
    let mut object = Map::new();
    object.insert("type".into(), json!("object"));
    if !structure.fields.is_empty() {
        let properties: Map<String, Value> = structure
            .fields
            .iter()
            .map(|field| {
                let ty = schema(&field.ty, key);
                let ty = if field.nullable { nullable(ty) } else { ty };
                let value = with_marks(ty, &field.marks, field.default.as_ref());
                (field.name.clone(), value)
            })
            .collect();
        object.insert("properties".into(), Value::Object(properties));
    }
    let required: Vec<Value> = structure
        .fields
        .iter()
        .filter(|field| !field.optional)
        .map(|field| Value::String(field.name.clone()))
        .collect();
    if !required.is_empty() {
        object.insert("required".into(), Value::Array(required));
    }
    match &structure.additional_properties {
        AdditionalProperties::Ignored => {}
        AdditionalProperties::Forbidden => {
            object.insert("additionalProperties".into(), Value::Bool(false));
        }
        AdditionalProperties::Typed { value } => {
            object.insert("additionalProperties".into(), schema(value, key));
        }
    }
    Value::Object(object)
}

/// `enum` when no value says more than itself, `oneOf` of constants
/// otherwise (as schemars does).
fn enumeration_schema(enumeration: &Enumeration) -> Value {
    let plain = enumeration
        .values
        .iter()
        .all(|value| value.marks.is_empty());
    if plain {
        let values: Vec<&str> = enumeration
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect();
        return json!({ "type": "string", "enum": values });
    }
    let variants: Vec<Value> = enumeration
        .values
        .iter()
        .map(|value| {
            with_marks(
                json!({ "type": "string", "const": value.value }),
                &value.marks,
                None,
            )
        })
        .collect();
    object([("oneOf", Value::Array(variants))])
}
