//! The input side: schemars's schema of every type and message union, each
//! in its direction's view (see `direction.rs`), by name. The model is built
//! from these.

use std::collections::BTreeMap;

use protocol_macros::{MethodSetInfo, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::direction::{View, Views};
use crate::{Draft, RenderError};

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
                    name: format!("the definition `{name}`"),
                })
            }
        }
    }
    Ok((definitions, generators))
}
