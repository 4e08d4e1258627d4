//! JSON Schema from the model: one standalone file per named type (every
//! type it refers to under its definitions, so each file validates alone)
//! and one bundle with every type under its name.
//!
//! The schema of a type is written the way schemars writes it, so that the
//! model's schema of every type equals schemars's own (a test checks it).

use std::collections::{BTreeMap, BTreeSet};

use schemars::generate::SchemaSettings;
use schemars::Schema;
use serde_json::{json, Map, Value};

use crate::json_format::{to_canonical_json_with_definitions, write_nested, DEFINITION_INDENT};
use crate::model::*;
use crate::render::Earlier;
use crate::{Draft, RenderError};

/// The bundle's file name inside `json/`.
pub const BUNDLE_FILE: &str = "protocol.schema.json";

/// How one draft writes references and definitions.
struct Dialect {
    settings: SchemaSettings,
    /// `$defs` or `definitions`.
    key: &'static str,
}

impl Dialect {
    fn of(draft: Draft) -> Self {
        match draft {
            Draft::Draft2020_12 => Dialect {
                settings: SchemaSettings::draft2020_12(),
                key: "$defs",
            },
            Draft::Draft07 => Dialect {
                settings: SchemaSettings::draft07(),
                key: "definitions",
            },
        }
    }
}

/// The files of `json/`, by path relative to the output directory, and
/// the text of each type's definition, by name.
pub struct JsonSchemaFiles {
    pub files: BTreeMap<String, String>,
    pub definitions: BTreeMap<String, String>,
}

/// Renders every file of `json/`, with `notice` as each file's `$comment`.
/// A type `earlier` has unchanged keeps its definition's text from there,
/// and its file when every type it refers to is unchanged too.
pub fn render_json_schema(
    model: &Model,
    draft: Draft,
    notice: &str,
    earlier: Option<Earlier<'_>>,
) -> Result<JsonSchemaFiles, RenderError> {
    let mut dialect = Dialect::of(draft);
    let unchanged: Vec<bool> = model
        .types
        .iter()
        .map(|ty| earlier.is_some_and(|earlier| earlier.has(ty)))
        .collect();
    let is_unchanged = |name: &str| {
        model
            .types
            .binary_search_by(|ty| ty.name.as_str().cmp(name))
            .is_ok_and(|index| unchanged[index])
    };
    // Each type's schema once, and once as the text of a definition
    // (transformed for the draft on its own: the draft's transforms treat
    // each definition as a schema of its own), spliced into every file
    // that needs it.
    let mut schemas: Vec<Option<Value>> = Vec::with_capacity(model.types.len());
    let mut definitions: BTreeMap<String, String> = BTreeMap::new();
    for (ty, unchanged) in model.types.iter().zip(&unchanged) {
        let kept = earlier
            .filter(|_| *unchanged)
            .and_then(|earlier| earlier.definitions.get(&ty.name));
        let text = match kept {
            Some(text) => {
                schemas.push(None);
                text.clone()
            }
            None => {
                let schema = type_schema(ty, dialect.key);
                // Printed as it is when the draft transforms nothing.
                let text = if dialect.settings.transforms.is_empty() {
                    write_nested(&schema, DEFINITION_INDENT)
                } else {
                    write_nested(
                        &transformed(&mut dialect, schema.clone()),
                        DEFINITION_INDENT,
                    )
                };
                schemas.push(Some(schema));
                text
            }
        };
        definitions.insert(ty.name.clone(), text);
    }
    let mut files = BTreeMap::new();
    for ((ty, unchanged), schema) in model.types.iter().zip(&unchanged).zip(schemas) {
        check_file_name(&ty.name)?;
        let path = format!("json/{}.json", ty.name);
        let referenced = referenced_types(model, ty);
        let kept = earlier
            .filter(|_| *unchanged && referenced.iter().all(|name| is_unchanged(name)))
            .and_then(|earlier| earlier.files.get(&path));
        if let Some(text) = kept {
            files.insert(path, text.clone());
            continue;
        }
        let mut root = schema.unwrap_or_else(|| type_schema(ty, dialect.key));
        if let Value::Object(object) = &mut root {
            object.insert("title".into(), Value::String(ty.name.clone()));
        }
        let referenced: Vec<(&str, &str)> = referenced
            .into_iter()
            .map(|name| (name, definitions[name].as_str()))
            .collect();
        let text = finish(&mut dialect, root, &referenced, notice);
        files.insert(path, text);
    }
    let all: Vec<(&str, &str)> = definitions
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let bundle = json!({
        "title": "protocol",
        "description": "Every type of the protocol, under its name.",
    });
    files.insert(
        format!("json/{BUNDLE_FILE}"),
        finish(&mut dialect, bundle, &all, notice),
    );
    Ok(JsonSchemaFiles { files, definitions })
}

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

/// The file of `root`: `$schema`, the draft's transforms, `$comment`, and
/// the `definitions` (name and text, see `render_json_schema`) under the
/// draft's key. The transforms never look from a root into its
/// definitions, so transforming the root without them and each definition
/// on its own is transforming the whole.
fn finish(
    dialect: &mut Dialect,
    root: Value,
    definitions: &[(&str, &str)],
    notice: &str,
) -> String {
    let mut root = root;
    if let (Value::Object(object), Some(meta_schema)) = (&mut root, &dialect.settings.meta_schema) {
        object.insert("$schema".into(), Value::String(meta_schema.to_string()));
    }
    let mut value = transformed(dialect, root);
    if let Value::Object(object) = &mut value {
        object.insert("$comment".into(), Value::String(notice.to_owned()));
    }
    to_canonical_json_with_definitions(&value, dialect.key, definitions)
}

/// `schema` after the draft's transforms.
fn transformed(dialect: &mut Dialect, schema: Value) -> Value {
    if dialect.settings.transforms.is_empty() {
        return schema;
    }
    let mut schema = Schema::try_from(schema).expect("a rendered schema is an object");
    for transform in &mut dialect.settings.transforms {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

/// The schema of a named type, as under the definitions.
pub fn type_schema(ty: &TypeDefinition, key: &str) -> Value {
    with_metadata(
        schema(&ty.definition, key),
        ty.documentation.as_deref(),
        ty.deprecated,
        None,
    )
}

/// The stability marks of a field, variant or value, as schema keywords.
#[derive(Default, Clone, Copy)]
struct Marks<'a> {
    experimental: Option<&'a str>,
    since: Option<&'a str>,
}

impl<'a> Marks<'a> {
    fn of(experimental: &'a Option<String>, since: &'a Option<String>) -> Self {
        Marks {
            experimental: experimental.as_deref(),
            since: since.as_deref(),
        }
    }
}

fn with_marks(schema: Value, marks: Marks<'_>) -> Value {
    if marks.experimental.is_none() && marks.since.is_none() {
        return schema;
    }
    let mut object = match schema {
        Value::Object(object) => object,
        _ => Map::new(),
    };
    if let Some(reason) = marks.experimental {
        object.insert("x-experimental".into(), Value::String(reason.to_owned()));
    }
    if let Some(version) = marks.since {
        object.insert("x-since".into(), Value::String(version.to_owned()));
    }
    Value::Object(object)
}

fn with_metadata(
    schema: Value,
    documentation: Option<&str>,
    deprecated: bool,
    default: Option<&Value>,
) -> Value {
    if documentation.is_none() && !deprecated && default.is_none() {
        return schema;
    }
    let mut object = match schema {
        Value::Object(object) => object,
        _ => Map::new(), // `true`: any value
    };
    if let Some(documentation) = documentation {
        object.insert(
            "description".into(),
            Value::String(documentation.to_owned()),
        );
    }
    if deprecated {
        object.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(default) = default {
        object.insert("default".into(), default.clone());
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
                    let mut value = with_metadata(
                        schema(&variant.ty, key),
                        variant.documentation.as_deref(),
                        variant.deprecated,
                        None,
                    );
                    value = with_marks(value, Marks::of(&variant.experimental, &variant.since));
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
                let value = with_metadata(
                    ty,
                    field.documentation.as_deref(),
                    field.deprecated,
                    field.default.as_ref(),
                );
                let value = with_marks(value, Marks::of(&field.experimental, &field.since));
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
    let plain = enumeration.values.iter().all(|value| {
        value.documentation.is_none()
            && !value.deprecated
            && value.experimental.is_none()
            && value.since.is_none()
    });
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
            let schema = with_metadata(
                json!({ "type": "string", "const": value.value }),
                value.documentation.as_deref(),
                value.deprecated,
                None,
            );
            with_marks(schema, Marks::of(&value.experimental, &value.since))
        })
        .collect();
    object([("oneOf", Value::Array(variants))])
}

fn check_file_name(name: &str) -> Result<(), RenderError> {
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if safe {
        Ok(())
    } else {
        Err(RenderError::UnsafeName {
            name: name.to_owned(),
            owner: format!("type {name}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_refused() {
        assert!(check_file_name("Array_of_Foo").is_ok());
        assert!(check_file_name("../x").is_err());
        assert!(check_file_name("a/b").is_err());
        assert!(check_file_name("").is_err());
    }
}
