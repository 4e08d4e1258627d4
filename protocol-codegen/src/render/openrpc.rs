//! `openrpc.json`: an OpenRPC 1.3 document of the protocol, from the model.
//!
//! Every method is listed with its params by name (one content descriptor
//! per field of its params structure), its result, documentation,
//! deprecation and the error codes the generated decoder answers with.
//! OpenRPC has no direction, so a server→client method carries
//! `x-direction: "serverToClient"`; notifications have no `result`.
//! `components/schemas` holds every named type.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::json_format::to_canonical_json;
use crate::model::*;
use crate::render::json_schema::{self, nullable, schema, type_schema};

/// The document's path, relative to the output directory.
pub const OPENRPC_FILE: &str = "openrpc.json";

/// Where references point inside the document.
const COMPONENTS: &str = "components/schemas";

/// The codes the generated decoder answers a bad message with.
const DECODER_ERRORS: [(i64, &str); 4] = [
    (-32700, "Parse error: the message is not valid JSON"),
    (
        -32600,
        "Invalid Request: not a request or notification object",
    ),
    (-32601, "Method not found in this direction"),
    (
        -32602,
        "Invalid params: the params do not match the method's params type",
    ),
];

/// Who the document describes.
#[derive(Debug, Clone, Copy)]
pub struct Info<'a> {
    pub title: &'a str,
    pub version: &'a str,
}

pub fn add_openrpc(
    model: &Model,
    info: Info<'_>,
    notice: &str,
    files: &mut BTreeMap<String, String>,
) {
    let methods: Vec<Value> = model.methods.iter().map(|m| method(model, m)).collect();
    let schemas: Map<String, Value> = model
        .types
        .iter()
        .map(|ty| (ty.name.clone(), type_schema(ty, COMPONENTS)))
        .collect();
    let mut document = json!({
        "openrpc": "1.3.2",
        "x-generated": notice,
        "info": {
            "title": info.title,
            "version": info.version,
            "description": "Messages are JSON-RPC 2.0 objects without the \"jsonrpc\" member. \
                            Methods marked x-direction: serverToClient are sent by the server.",
        },
    });
    // Moved in: `json!` would serialise them into a copy.
    let object = document.as_object_mut().expect("an object");
    object.insert("methods".into(), Value::Array(methods));
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas));
    object.insert("components".into(), Value::Object(components));
    files.insert(OPENRPC_FILE.to_owned(), to_canonical_json(&document));
}

fn method(model: &Model, method: &Method) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(method.method));
    if let Some(documentation) = &method.documentation {
        object.insert("description".into(), json!(documentation));
    }
    object.insert("paramStructure".into(), json!("by-name"));
    object.insert(
        "params".into(),
        Value::Array(params(model, method.params.as_ref())),
    );
    if let Some(result) = &method.result {
        object.insert(
            "result".into(),
            json_schema::object([
                ("name", "result".into()),
                ("schema", schema(result, COMPONENTS)),
            ]),
        );
    }
    if method.deprecated.is_some() {
        object.insert("deprecated".into(), json!(true));
    }
    let errors: Vec<Value> = DECODER_ERRORS
        .iter()
        .filter(|(code, _)| *code != -32602 || method.params.is_some())
        .map(|(code, message)| json!({ "code": code, "message": message }))
        .collect();
    object.insert("errors".into(), Value::Array(errors));
    if method.message_direction == MessageDirection::ServerToClient {
        object.insert("x-direction".into(), json!("serverToClient"));
    }
    if method.kind == MethodKind::Notification {
        object.insert("x-notification".into(), json!(true));
    }
    if let Some(capability) = &method.required_capability {
        object.insert("x-required-capability".into(), json!(capability));
    }
    Value::Object(object)
}

/// One content descriptor per field of the params structure; a params type
/// that is not a structure is one descriptor named `params`.
fn params(model: &Model, params: Option<&TypeRef>) -> Vec<Value> {
    let Some(params) = params else {
        return Vec::new();
    };
    let resolved = match params {
        TypeRef::Reference { name } => model.type_named(name).map(|d| &d.definition),
        other => Some(other),
    };
    let Some(TypeRef::Structure(structure)) = resolved else {
        return vec![json_schema::object([
            ("name", "params".into()),
            ("schema", schema(params, COMPONENTS)),
            ("required", true.into()),
        ])];
    };
    structure
        .fields
        .iter()
        .map(|field| {
            let mut ty = schema(&field.ty, COMPONENTS);
            if field.nullable {
                ty = nullable(ty);
            }
            let mut descriptor = Map::new();
            descriptor.insert("name".into(), json!(field.name));
            if let Some(documentation) = &field.documentation {
                descriptor.insert("description".into(), json!(documentation));
            }
            descriptor.insert("schema".into(), ty);
            descriptor.insert("required".into(), json!(!field.optional));
            if field.deprecated {
                descriptor.insert("deprecated".into(), json!(true));
            }
            Value::Object(descriptor)
        })
        .collect()
}
