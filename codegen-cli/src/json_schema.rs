//! JSON Schema output: one standalone file per type and message union, and
//! one bundle with every definition.

use std::collections::BTreeMap;

use protocol_macros::{MethodSetInfo, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::header::GENERATED_NOTICE;
use crate::json_format::to_canonical_json;
use crate::{Draft, RenderError};

/// The bundle's file name inside `json/`.
pub const BUNDLE_FILE: &str = "protocol.schema.json";

/// Something that gets a schema file of its own.
#[derive(Clone, Copy)]
enum Root {
    Type(TypeInfo),
    Set(&'static MethodSetInfo),
}

impl Root {
    fn owner(&self) -> String {
        match self {
            Root::Type(ty) => format!("type {}", ty.rust_name),
            Root::Set(set) => format!("message union {}", set.name),
        }
    }

    fn schema(&self, generator: &mut SchemaGenerator) -> Schema {
        match self {
            Root::Type(ty) => (ty.json_schema)(generator),
            Root::Set(set) => (set.schema)(generator),
        }
    }
}

/// Renders every file of `json/`, by its path relative to the output directory.
pub fn render_json_schema(
    registry: &Registry,
    types: &[TypeInfo],
    draft: Draft,
) -> Result<BTreeMap<String, String>, RenderError> {
    let roots = roots_by_name(registry, types, draft)?;
    let mut files = BTreeMap::new();
    for (name, root) in &roots {
        let mut generator = settings(draft).into_generator();
        let schema = root.schema(&mut generator);
        let definitions = generator.take_definitions(false);
        let value = finish(&mut generator, schema, name, definitions);
        let path = format!("json/{name}.json");
        check_refs(&path, &value)?;
        files.insert(path, to_canonical_json(&value));
    }
    let bundle = render_bundle(&roots, draft)?;
    let path = format!("json/{BUNDLE_FILE}");
    check_refs(&path, &bundle)?;
    files.insert(path, to_canonical_json(&bundle));
    Ok(files)
}

fn settings(draft: Draft) -> SchemaSettings {
    match draft {
        Draft::Draft2020_12 => SchemaSettings::draft2020_12(),
        Draft::Draft07 => SchemaSettings::draft07(),
    }
}

/// Every type and union by its schema name. The same name twice is fine for
/// the same type (a params type used by two methods), an error otherwise.
fn roots_by_name(
    registry: &Registry,
    types: &[TypeInfo],
    draft: Draft,
) -> Result<BTreeMap<String, Root>, RenderError> {
    let mut roots: BTreeMap<String, Root> = BTreeMap::new();
    let candidates = registry
        .sets
        .iter()
        .map(|set| (set.name.to_owned(), Root::Set(set)))
        .chain(
            types
                .iter()
                .map(|ty| ((ty.schema_name)().into_owned(), Root::Type(*ty))),
        );
    for (name, root) in candidates {
        check_file_name(&name, &root.owner())?;
        match roots.get(&name) {
            None => {
                roots.insert(name, root);
            }
            Some(existing) => {
                if standalone(existing, draft) != standalone(&root, draft) {
                    return Err(RenderError::NameConflict {
                        name: format!("json/{name}.json"),
                        first: existing.owner(),
                        second: root.owner(),
                    });
                }
            }
        }
    }
    Ok(roots)
}

fn standalone(root: &Root, draft: Draft) -> Value {
    let mut generator = settings(draft).into_generator();
    let schema = root.schema(&mut generator).to_value();
    Value::Array(vec![
        schema,
        Value::Object(generator.take_definitions(false)),
    ])
}

fn check_file_name(name: &str, owner: &str) -> Result<(), RenderError> {
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
            owner: owner.to_owned(),
        })
    }
}

/// Makes `schema` a root: `$comment`, `$schema`, `title`, its definitions,
/// then the draft's transforms over all of it.
fn finish(
    generator: &mut SchemaGenerator,
    mut schema: Schema,
    title: &str,
    definitions: Map<String, Value>,
) -> Value {
    let key = definitions_key_of(generator);
    let object = schema.ensure_object();
    object
        .entry("title")
        .or_insert_with(|| Value::String(title.to_owned()));
    if let Some(meta_schema) = generator.settings().meta_schema.clone() {
        object.insert("$schema".into(), Value::String(meta_schema.into_owned()));
    }
    if !definitions.is_empty() {
        object.insert(key, Value::Object(definitions));
    }
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    let mut value = schema.to_value();
    if let Value::Object(object) = &mut value {
        object.insert("$comment".into(), Value::String(GENERATED_NOTICE.into()));
    }
    value
}

fn definitions_key_of(generator: &SchemaGenerator) -> String {
    let path = &generator.settings().definitions_path;
    path.trim_start_matches('#')
        .trim_start_matches('/')
        .trim_end_matches('/')
        .to_owned()
}

/// Every root under the definitions by its name, and whatever they refer to.
fn render_bundle(roots: &BTreeMap<String, Root>, draft: Draft) -> Result<Value, RenderError> {
    let mut generator = settings(draft).into_generator();
    let mut definitions = Map::new();
    for (name, root) in roots {
        definitions.insert(name.clone(), root.schema(&mut generator).to_value());
    }
    for (name, schema) in generator.take_definitions(false) {
        match definitions.get(&name) {
            None => {
                definitions.insert(name, schema);
            }
            Some(existing) if *existing == schema => {}
            Some(_) => {
                return Err(RenderError::NameConflict {
                    first: roots[&name].owner(),
                    second: "a type it does not refer to by that name".into(),
                    name: format!(
                        "json/{BUNDLE_FILE} {}/{name}",
                        definitions_key_of(&generator)
                    ),
                })
            }
        }
    }
    let mut schema = Schema::default();
    schema.ensure_object().insert(
        "description".into(),
        Value::String("Every type of the protocol, under its name.".into()),
    );
    Ok(finish(&mut generator, schema, "protocol", definitions))
}

/// Every `$ref` must resolve inside its own file: any file validates alone.
fn check_refs(file: &str, root: &Value) -> Result<(), RenderError> {
    let mut pending = vec![root];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let resolves = reference
                        .strip_prefix('#')
                        .is_some_and(|pointer| root.pointer(pointer).is_some());
                    if !resolves {
                        return Err(RenderError::DanglingRef {
                            file: file.to_owned(),
                            reference: reference.clone(),
                        });
                    }
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_refs_are_found() {
        let ok = json!({"$ref": "#/$defs/A", "$defs": {"A": {"items": {"$ref": "#"}}}});
        assert!(check_refs("x.json", &ok).is_ok());
        let dangling = json!({"oneOf": [{"$ref": "#/$defs/B"}], "$defs": {"A": {}}});
        let err = check_refs("x.json", &dangling).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`x.json` refers to `#/$defs/B`, which it does not define"
        );
        let remote = json!({"$ref": "other.json#/A"});
        assert!(check_refs("x.json", &remote).is_err());
    }

    #[test]
    fn unsafe_names_are_refused() {
        assert!(check_file_name("Array_of_Foo", "t").is_ok());
        assert!(check_file_name("../x", "t").is_err());
        assert!(check_file_name("a/b", "t").is_err());
        assert!(check_file_name("", "t").is_err());
    }
}
