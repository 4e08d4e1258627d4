//! JSON Schema from the model: one standalone file per named type (every
//! type it refers to under its definitions, so each file validates alone)
//! and one bundle with every type under its name.
//!
//! The schema of a type is written the way schemars writes it, so that the
//! model's schema of every type equals schemars's own (a test checks it).

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::Schema;
use serde_json::{json, Value};

use crate::json_format::{to_canonical_json_with_definitions, write_nested, DEFINITION_INDENT};
use crate::model::*;
use crate::output::header::Mark;
use crate::render::schema::{referenced_types, type_schema};
use crate::render::{Context, Output, Rendered};
use crate::{Draft, RenderError};

/// The folder of the JSON Schema files, relative to a surface's root.
pub const FOLDER: &str = "json";
/// The bundle's file name inside `json/`.
pub const BUNDLE_FILE: &str = "protocol.schema.json";
/// The bundle's path, relative to a surface's root: its `$schema` records
/// the draft the folder was written in.
pub const BUNDLE_PATH: &str = "json/protocol.schema.json";
/// How its files are marked: a top-level `$comment`.
pub const MARK: Mark = Mark::json_member(".json", "$comment");

/// The JSON Schema output: `json/`, a file per type and the bundle.
#[derive(Debug, Clone, Copy)]
pub struct JsonSchemaOutput;

impl Output for JsonSchemaOutput {
    fn name(&self) -> &'static str {
        "JSON Schema"
    }

    fn folders(&self) -> &'static [&'static str] {
        &[FOLDER]
    }

    fn marks(&self) -> &'static [Mark] {
        &[MARK]
    }

    /// The definitions' texts are kept for the next surface.
    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        let files = render_json_schema(model, cx.draft, cx.notice, cx.earlier)?;
        Ok(Rendered {
            files: files.files,
            index_entries: Vec::new(),
            kept: files.definitions,
        })
    }
}

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
    earlier: Option<crate::render::Earlier<'_>>,
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
            .and_then(|earlier| earlier.kept.get(&ty.name));
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
        BUNDLE_PATH.to_owned(),
        finish(&mut dialect, bundle, &all, notice),
    );
    Ok(JsonSchemaFiles { files, definitions })
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
