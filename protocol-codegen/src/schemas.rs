//! The input side: schemars's schema of every type and message union, each
//! in its direction's view (see `direction.rs`), by name. The model is built
//! from these.

use std::collections::BTreeMap;

use protocol_macros::{MethodSetInfo, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::direction::{View, Views};
use crate::RenderError;

/// Something that gets a schema of its own.
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

/// Every type and union by its name, each in its view, as draft 2020-12
/// schemas: what the TypeScript output is aligned with.
pub fn definitions_by_name(
    registry: &Registry,
    types: &[TypeInfo],
    views: &Views,
) -> Result<Map<String, Value>, RenderError> {
    let roots = roots_by_name(registry, types)?;
    bundle_definitions(&roots, views)
}

/// A schema generator per view. Both see every root, so each definition
/// can be taken from the generator of its own view.
struct Generators {
    written: SchemaGenerator,
    tolerant: SchemaGenerator,
}

impl Generators {
    fn new() -> Self {
        Generators {
            written: View::Written.apply(settings()).into_generator(),
            tolerant: View::Tolerant.apply(settings()).into_generator(),
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

/// The schemas the model is built from are draft 2020-12 (`$defs`); the
/// JSON Schema renderer writes other drafts.
fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
}

/// Every type and union by its schema name. The same name twice is fine for
/// the same type (a params type used by two methods), an error otherwise.
fn roots_by_name(
    registry: &Registry,
    types: &[TypeInfo],
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
        match roots.get(&name) {
            None => {
                roots.insert(name, root);
            }
            Some(existing) => {
                if standalone(existing) != standalone(&root) {
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

fn standalone(root: &Root) -> Value {
    let mut generator = settings().into_generator();
    let schema = root.schema(&mut generator).to_value();
    Value::Array(vec![
        schema,
        Value::Object(generator.take_definitions(false)),
    ])
}

fn bundle_definitions(
    roots: &BTreeMap<String, Root>,
    views: &Views,
) -> Result<Map<String, Value>, RenderError> {
    let mut generators = Generators::new();
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
                    name: format!("the definition `{name}`"),
                })
            }
        }
    }
    Ok(definitions)
}
