//! `openrpc.json`: an OpenRPC 1.3 document of the protocol, from the model.
//!
//! Every method is listed with its params by name (one content descriptor
//! per field of its params structure), its result, documentation,
//! deprecation and the error codes the generated decoder answers with.
//! OpenRPC has no direction, so a server→client method carries
//! `x-direction: "serverToClient"`; notifications have no `result`.
//! `components/schemas` holds every named type.
//!
//! Method names are unique in OpenRPC, so a method both peers send (the
//! model's two entries of one name, with the same params and result) is
//! one method with `x-direction: "both"`, described by the documentation
//! of each direction (once when the same), deprecated when both are.
//! A method gated on a capability lists each direction's gate in
//! `x-required-capabilities`: `[{ "messageDirection": "clientToServer",
//! "side": "server", "path": ["math", "pow"] }]`.
//!
//! The document's root carries the protocol's settings as the model has
//! them (`x-protocol`: dialect, negotiation, opt-in and opt-out
//! capabilities), and `info.description` says the same in words.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::json_format::to_canonical_json;
use crate::model::*;
use crate::output::header::Mark;
use crate::render::schema::{self, nullable, schema, type_schema};
use crate::render::{Context, Output, Rendered};
use crate::RenderError;

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

/// The OpenRPC output: `openrpc.json` at the root.
#[derive(Debug, Clone, Copy)]
pub struct OpenRpcOutput;

impl Output for OpenRpcOutput {
    fn name(&self) -> &'static str {
        "OpenRPC"
    }

    fn folders(&self) -> &'static [&'static str] {
        &[]
    }

    /// OpenRPC allows no `$comment`: the notice is `x-generated`.
    fn marks(&self) -> &'static [Mark] {
        const MARKS: [Mark; 1] = [Mark::json_member(".json", "x-generated")];
        &MARKS
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        Ok(Rendered {
            files: BTreeMap::from([(OPENRPC_FILE.to_owned(), openrpc(model, cx.info, cx.notice))]),
            ..Rendered::default()
        })
    }
}

/// The text of `openrpc.json`.
fn openrpc(model: &Model, info: Info<'_>, notice: &str) -> String {
    // Each name once, where it is first declared, with its other
    // direction if both peers send it.
    let mut methods: Vec<Value> = Vec::with_capacity(model.methods.len());
    for (index, first) in model.methods.iter().enumerate() {
        if model.methods[..index]
            .iter()
            .any(|m| m.method == first.method)
        {
            continue;
        }
        let senders: Vec<&Method> = model.methods_named(&first.method).collect();
        methods.push(method(model, &senders));
    }
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
            "description": description(&model.protocol),
        },
        "x-protocol": model.protocol,
    });
    // Moved in: `json!` would serialise them into a copy.
    let object = document.as_object_mut().expect("an object");
    object.insert("methods".into(), Value::Array(methods));
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas));
    object.insert("components".into(), Value::Object(components));
    to_canonical_json(&document)
}

/// What `info.description` says about the wire.
fn description(settings: &ProtocolSettings) -> String {
    let mut text = String::from(match settings.jsonrpc {
        JsonRpcDialect::V2 => "Messages are JSON-RPC 2.0 objects with \"jsonrpc\": \"2.0\".",
        JsonRpcDialect::Omitted => {
            "Messages are JSON-RPC 2.0 objects without the \"jsonrpc\" member."
        }
    });
    text.push_str(
        " Methods marked x-direction: serverToClient are sent by the server, \
         those marked x-direction: both by either peer.",
    );
    if let Some(negotiation) = &settings.negotiation {
        let location = CapabilityLocation::to_string;
        text.push_str(&format!(
            " Capabilities are negotiated by the request {}",
            negotiation.method
        ));
        let sides: Vec<String> = [
            ("client", &negotiation.client),
            ("server", &negotiation.server),
        ]
        .into_iter()
        .filter_map(|(side, at)| Some(format!("the {side}'s at {}", location(at.as_ref()?))))
        .collect();
        if !sides.is_empty() {
            text.push_str(&format!(": {}", sides.join(", ")));
        }
        text.push('.');
    }
    text
}

/// One method: the model's entry for each direction its name is sent in
/// (the same params and result).
fn method(model: &Model, senders: &[&Method]) -> Value {
    let method = senders[0];
    let mut object = Map::new();
    object.insert("name".into(), json!(method.method));
    let mut documentation: Vec<&str> = Vec::new();
    for doc in senders
        .iter()
        .filter_map(|m| m.marks.documentation.as_deref())
    {
        if !documentation.contains(&doc) {
            documentation.push(doc);
        }
    }
    if !documentation.is_empty() {
        object.insert("description".into(), json!(documentation.join("\n\n")));
    }
    object.insert("paramStructure".into(), json!("by-name"));
    object.insert(
        "params".into(),
        Value::Array(params(model, method.params.as_ref())),
    );
    if let Some(result) = &method.result {
        object.insert(
            "result".into(),
            schema::object([
                ("name", "result".into()),
                ("schema", schema(result, COMPONENTS)),
            ]),
        );
    }
    if senders.iter().all(|m| m.marks.deprecated.is_some()) {
        object.insert("deprecated".into(), json!(true));
    }
    let errors: Vec<Value> = DECODER_ERRORS
        .iter()
        .filter(|(code, _)| *code != -32602 || method.params.is_some())
        .map(|(code, message)| json!({ "code": code, "message": message }))
        .collect();
    object.insert("errors".into(), Value::Array(errors));
    match senders {
        [_, _, ..] => {
            object.insert("x-direction".into(), json!("both"));
        }
        [only] if only.message_direction == Direction::ServerToClient => {
            object.insert("x-direction".into(), json!("serverToClient"));
        }
        _ => {}
    }
    if method.kind == MethodKind::Notification {
        object.insert("x-notification".into(), json!(true));
    }
    let gates: Vec<Value> = senders
        .iter()
        .filter_map(|m| {
            let capability = m.required_capability.as_ref()?;
            Some(json!({
                "messageDirection": m.message_direction,
                "side": capability.side,
                "path": capability.path,
            }))
        })
        .collect();
    if !gates.is_empty() {
        object.insert("x-required-capabilities".into(), Value::Array(gates));
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
        return vec![schema::object([
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
            if let Some(description) = schema::description(&field.marks) {
                descriptor.insert("description".into(), json!(description));
            }
            descriptor.insert("schema".into(), ty);
            descriptor.insert("required".into(), json!(!field.optional));
            if field.marks.deprecated.is_some() {
                descriptor.insert("deprecated".into(), json!(true));
            }
            Value::Object(descriptor)
        })
        .collect()
}
