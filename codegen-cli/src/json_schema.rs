//! JSON Schema output: one standalone file per type and message union, and
//! one bundle with every definition.

use std::collections::BTreeMap;

use protocol_macros::{MethodSetInfo, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::direction::{View, Views};
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
    views: &Views,
) -> Result<BTreeMap<String, String>, RenderError> {
    let roots = roots_by_name(registry, types, draft)?;
    let mut files = BTreeMap::new();
    for (name, root) in &roots {
        let mut generators = Generators::new(draft);
        let schema = generators.schema(root, views.of_name(name));
        let definitions = generators.take_definitions(views);
        let value = finish(&mut generators.tolerant, schema, name, definitions);
        let path = format!("json/{name}.json");
        check_refs(&path, &value)?;
        files.insert(path, to_canonical_json(&value));
    }
    let bundle = render_bundle(&roots, draft, views)?;
    let path = format!("json/{BUNDLE_FILE}");
    check_refs(&path, &bundle)?;
    files.insert(path, to_canonical_json(&bundle));
    Ok(files)
}

/// Every type and union by its name, each in its view, as draft 2020-12
/// schemas: what the TypeScript output is aligned with.
pub fn definitions_by_name(
    registry: &Registry,
    types: &[TypeInfo],
    views: &Views,
) -> Result<Map<String, Value>, RenderError> {
    let draft = Draft::Draft2020_12;
    let roots = roots_by_name(registry, types, draft)?;
    Ok(bundle_definitions(&roots, draft, views)?.0)
}

/// A schema generator per view. Both see every root, so each definition
/// can be taken from the generator of its own view.
struct Generators {
    written: SchemaGenerator,
    tolerant: SchemaGenerator,
}

impl Generators {
    fn new(draft: Draft) -> Self {
        Generators {
            written: View::Written.apply(settings(draft)).into_generator(),
            tolerant: View::Tolerant.apply(settings(draft)).into_generator(),
        }
    }

    fn schema(&mut self, root: &Root, view: View) -> Schema {
        let written = root.schema(&mut self.written);
        let tolerant = root.schema(&mut self.tolerant);
        match view {
            View::Written => written,
            View::Tolerant => tolerant,
        }
    }

    fn take_definitions(&mut self, views: &Views) -> Map<String, Value> {
        let mut written = self.written.take_definitions(false);
        let mut tolerant = self.tolerant.take_definitions(false);
        let names: std::collections::BTreeSet<String> =
            written.keys().chain(tolerant.keys()).cloned().collect();
        let mut definitions = Map::new();
        for name in names {
            let (first, second) = match views.of_name(&name) {
                View::Written => (&mut written, &mut tolerant),
                View::Tolerant => (&mut tolerant, &mut written),
            };
            if let Some(schema) = first.remove(&name).or_else(|| second.remove(&name)) {
                definitions.insert(name, schema);
            }
        }
        definitions
    }
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
fn render_bundle(
    roots: &BTreeMap<String, Root>,
    draft: Draft,
    views: &Views,
) -> Result<Value, RenderError> {
    let (definitions, mut generators) = bundle_definitions(roots, draft, views)?;
    let mut schema = Schema::default();
    schema.ensure_object().insert(
        "description".into(),
        Value::String("Every type of the protocol, under its name.".into()),
    );
    Ok(finish(
        &mut generators.tolerant,
        schema,
        "protocol",
        definitions,
    ))
}

fn bundle_definitions(
    roots: &BTreeMap<String, Root>,
    draft: Draft,
    views: &Views,
) -> Result<(Map<String, Value>, Generators), RenderError> {
    let mut generators = Generators::new(draft);
    let mut definitions = Map::new();
    for (name, root) in roots {
        let schema = generators.schema(root, views.of_name(name));
        definitions.insert(name.clone(), schema.to_value());
    }
    for (name, schema) in generators.take_definitions(views) {
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
                        definitions_key_of(&generators.tolerant)
                    ),
                })
            }
        }
    }
    Ok((definitions, generators))
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
