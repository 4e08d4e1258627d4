//! The input side: schemars's schema of every type and message union, each
//! in its direction's view (see `direction.rs`), by name. The model is built
//! from these.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use protocol_macros::{MethodSetInfo, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::input::direction::{references, View, Views};
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

    /// The names of every definition the root's schema makes, from a
    /// generator of its own.
    fn alone(&self) -> Vec<String> {
        let mut generator = settings().into_generator();
        self.schema(&mut generator);
        generator.definitions().keys().cloned().collect()
    }
}

/// Every type and union by its name, each in its view, as draft 2020-12
/// schemas (what the TypeScript output is aligned with), and the views.
///
/// One schemars pass, with a generator per view. Each root is generated
/// in the view its own methods predict (written when only the server
/// writes it, as a params or response type or a message union), and its
/// reach read from that generator (the `$ref`s of its schema, followed
/// through the definitions). The views follow from the reaches; only a
/// root whose view the types it is part of changed (one the server writes
/// that a client-written type also uses) is generated again, in its view.
pub fn definitions_by_name(
    registry: &Registry,
    types: &[TypeInfo],
) -> Result<(Map<String, Value>, Views), RenderError> {
    let roots = roots_by_name(registry, types)?;
    // Predicted from the roots' own names alone.
    let predicted = Views::of(registry, |ty| {
        roots
            .get_key_value((ty.schema_name)().as_ref())
            .map_or(&[], |(name, _)| std::slice::from_ref(name))
    });
    let mut generators = Generators::new();
    // The two generators share nothing: each makes its roots on a thread
    // of its own.
    let (written_roots, tolerant_roots): (Vec<_>, Vec<_>) = roots
        .iter()
        .partition(|(name, _)| predicted.of_name(name) == View::Written);
    let Generators { written, tolerant } = &mut generators;
    let (written_made, tolerant_made) = crate::on_two_threads(
        move || make(written, written_roots),
        move || make(tolerant, tolerant_roots),
    );
    let mut schemas: BTreeMap<&str, (Value, View)> = BTreeMap::new();
    let mut reaches: HashMap<&str, Vec<String>> = HashMap::new();
    for (made, view) in [
        (written_made, View::Written),
        (tolerant_made, View::Tolerant),
    ] {
        for (name, schema, reach) in made {
            reaches.insert(name, reach);
            schemas.insert(name, (schema, view));
        }
    }
    let views = Views::of(registry, |ty| {
        reaches
            .get((ty.schema_name)().as_ref())
            .map_or(&[], Vec::as_slice)
    });
    for (name, root) in &roots {
        let view = views.of_name(name);
        if let Some((schema, generated_in)) = schemas.get_mut(name.as_str()) {
            if *generated_in != view {
                *schema = root.schema(generators.of(view).0).to_value();
            }
        }
    }
    let mut definitions: Map<String, Value> = schemas
        .into_iter()
        .map(|(name, (schema, _))| (name.to_owned(), schema))
        .collect();
    for (name, schema) in generators.take_definitions(&views) {
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
    Ok((definitions, views))
}

/// The schema of each of `roots` from `generator`, and the schema names it
/// reaches (its own included). `known` holds the names of the definitions
/// the generator had made for the roots before.
fn make<'r>(
    (generator, known): &mut (SchemaGenerator, HashSet<String>),
    roots: Vec<(&'r String, &Root)>,
) -> Vec<(&'r str, Value, Vec<String>)> {
    let mut made = Vec::with_capacity(roots.len());
    for (name, root) in roots {
        let before = generator.definitions().len();
        let schema = root.schema(generator).to_value();
        let mut reach = match reach(&schema, generator.definitions(), known, before) {
            Some(reach) => {
                known.extend(reach.iter().cloned());
                reach
            }
            None => {
                *known = generator.definitions().keys().cloned().collect();
                root.alone()
            }
        };
        reach.push(name.clone());
        made.push((name.as_str(), schema, reach));
    }
    made
}

/// A schema generator per view, each with the names of the definitions
/// whose reach is known.
struct Generators {
    written: (SchemaGenerator, HashSet<String>),
    tolerant: (SchemaGenerator, HashSet<String>),
}

impl Generators {
    fn new() -> Self {
        Generators {
            written: (
                View::Written.apply(settings()).into_generator(),
                HashSet::new(),
            ),
            tolerant: (
                View::Tolerant.apply(settings()).into_generator(),
                HashSet::new(),
            ),
        }
    }

    fn of(&mut self, view: View) -> (&mut SchemaGenerator, &mut HashSet<String>) {
        let (generator, known) = match view {
            View::Written => &mut self.written,
            View::Tolerant => &mut self.tolerant,
        };
        (generator, known)
    }

    /// Every definition of the two generators, each from the generator of
    /// its own view when that one has it.
    fn take_definitions(&mut self, views: &Views) -> Map<String, Value> {
        let mut written = self.written.0.take_definitions(false);
        let mut tolerant = self.tolerant.0.take_definitions(false);
        let names: BTreeSet<String> = written.keys().chain(tolerant.keys()).cloned().collect();
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

/// The names of the definitions `schema` refers to, at any depth, when they
/// are exactly those the generator made for it: the names among them not
/// `known` are the definitions made since there were `before`. `None` when
/// a reference names no definition or a definition was made that no
/// reference reaches (the root's reach is then found on its own).
fn reach(
    schema: &Value,
    definitions: &Map<String, Value>,
    known: &HashSet<String>,
    before: usize,
) -> Option<Vec<String>> {
    let mut names = BTreeSet::new();
    let mut pending = Vec::new();
    references(schema, &mut pending);
    while let Some(reference) = pending.pop() {
        let (name, definition) = reference
            .strip_prefix("#/$defs/")
            .and_then(|name| definitions.get_key_value(name))?;
        if names.insert(name.as_str()) {
            references(definition, &mut pending);
        }
    }
    let new = names.iter().filter(|name| !known.contains(**name)).count();
    (new == definitions.len() - before).then(|| names.into_iter().map(str::to_owned).collect())
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
