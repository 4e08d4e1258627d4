//! `protocol.meta.json`: the model, serialised, in the spirit of LSP's
//! metaModel; and `json/protocol.meta.schema.json`, the JSON Schema of that
//! format, derived from the model's own Rust types so the two cannot drift.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::json_format::{to_canonical_json, to_canonical_json_of};
use crate::model::Model;
use crate::output::header::Mark;
use crate::render::{Context, Output, Rendered};
use crate::RenderError;

/// The model's path, relative to the output directory.
pub const META_FILE: &str = "protocol.meta.json";
/// The version of the format this generator writes, `formatVersion`: 3.
/// Format 3 says what is said of a method, type, field, enumeration value
/// or union variant in one `marks` object (documentation, deprecation with
/// its message, experimental reason, version); format 2 had those members
/// on the item itself, a method's deprecation a message and any other's a
/// boolean, its note in the documentation. Format 1 had the protocol's
/// settings and `{side, path}` capabilities but no version member; the
/// shape before it had neither.
pub const META_FORMAT_VERSION: u64 = 3;
/// Its schema's path, relative to the output directory.
pub const META_SCHEMA_FILE: &str = "json/protocol.meta.schema.json";

/// The key its schema's text is kept under for the next surface: the same
/// for every protocol and surface, so rendered once per run.
const SCHEMA_KEPT: &str = "schema";

/// The model output: `protocol.meta.json` at the root and its schema in
/// `json/`.
#[derive(Debug, Clone, Copy)]
pub struct MetaOutput;

impl Output for MetaOutput {
    fn name(&self) -> &'static str {
        "protocol.meta.json"
    }

    fn folders(&self) -> &'static [&'static str] {
        &["json"]
    }

    fn marks(&self) -> &'static [Mark] {
        const MARKS: [Mark; 1] = [Mark::json_member(".json", "$comment")];
        &MARKS
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        let schema_text = match cx.earlier.and_then(|e| e.kept.get(SCHEMA_KEPT)) {
            Some(text) => text.clone(),
            None => meta_schema_text(cx.notice),
        };
        // Printed while the model is serialised, without a `Value` tree. The
        // printer sorts members: `formatVersion` comes first after `$comment`.
        let file = MetaFile {
            format_version: META_FORMAT_VERSION,
            model,
        };
        let meta =
            to_canonical_json_of(&file, &[("$comment", cx.notice)]).expect("the model serialises");
        let mut files = BTreeMap::new();
        files.insert(META_FILE.to_owned(), meta);
        files.insert(META_SCHEMA_FILE.to_owned(), schema_text.clone());
        Ok(Rendered {
            files,
            index_entries: Vec::new(),
            kept: BTreeMap::from([(SCHEMA_KEPT.to_owned(), schema_text)]),
        })
    }
}

/// What `protocol.meta.json` holds: the model with the version of its
/// format.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetaFile<'a> {
    format_version: u64,
    #[serde(flatten)]
    model: &'a Model,
}

/// The text of `json/protocol.meta.schema.json`.
fn meta_schema_text(notice: &str) -> String {
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
            properties.insert(
                "formatVersion".into(),
                json!({
                    "description": "The version of this file's format.",
                    "type": "integer",
                    "const": META_FORMAT_VERSION,
                }),
            );
        }
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.insert(0, json!("formatVersion"));
        }
        object.insert("$comment".into(), Value::String(notice.to_owned()));
    }
    schema
}
