//! `protocol.meta.json`: the model, serialised, in the spirit of LSP's
//! metaModel; and `json/protocol.meta.schema.json`, the JSON Schema of that
//! format, derived from the model's own Rust types so the two cannot drift.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::json_format::{to_canonical_json, to_canonical_json_of};
use crate::model::Model;

/// The model's path, relative to the output directory.
pub const META_FILE: &str = "protocol.meta.json";
/// Its schema's path, relative to the output directory.
pub const META_SCHEMA_FILE: &str = "json/protocol.meta.schema.json";

/// Adds `protocol.meta.json` and its schema (`schema_text`, from
/// [`meta_schema_text`]) to `files`.
pub fn add_meta(
    model: &Model,
    notice: &str,
    schema_text: &str,
    files: &mut BTreeMap<String, String>,
) {
    // Printed while the model is serialised, without a `Value` tree.
    let meta = to_canonical_json_of(model, &[("$comment", notice)]).expect("the model serialises");
    files.insert(META_FILE.to_owned(), meta);
    files.insert(META_SCHEMA_FILE.to_owned(), schema_text.to_owned());
}

/// The text of `json/protocol.meta.schema.json`: the same for every
/// protocol and surface, so rendered once per run.
pub fn meta_schema_text(notice: &str) -> String {
    to_canonical_json(&meta_schema(notice))
}

/// The JSON Schema of `protocol.meta.json`.
pub fn meta_schema(notice: &str) -> Value {
    // The file is written by serde, so its schema is serde's serialize
    // contract: a field skipped when empty is optional.
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Model>().to_value();
    if let Value::Object(object) = &mut schema {
        object.insert("title".into(), json!("protocol.meta.json"));
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            properties.insert(
                "$comment".into(),
                json!({ "description": "Who wrote the file.", "type": "string" }),
            );
        }
        object.insert("$comment".into(), Value::String(notice.to_owned()));
    }
    schema
}
