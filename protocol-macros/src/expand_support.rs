//! Helpers the `#[protocol]` expansion calls through `__private`, so the
//! generated code stays small and the logic lives here, tested once.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

pub use crate::decode::{
    decode_notification_str, decode_request_str, deserialize_notification, deserialize_request,
    DecodeSet, NoParams,
};
use crate::jsonrpc::RequestId;
use crate::registry::{Dialect, Kind, MethodSetInfo};
use schemars::{Schema, SchemaGenerator};

/// Writes `{"jsonrpc": "2.0", "method": …, "id": …, "params": …}`, members
/// in that order; `jsonrpc` only in the standard dialect, `id` only for
/// requests, `params` only when the method has params. As a struct, so
/// each member name is a constant the serializer writes as is.
pub fn serialize_message<S: Serializer, P: Serialize + ?Sized>(
    serializer: S,
    dialect: Dialect,
    method: &str,
    id: Option<&RequestId>,
    params: Option<&P>,
) -> Result<S::Ok, S::Error> {
    let version = dialect.writes_version();
    let len = 1 + usize::from(version) + usize::from(id.is_some()) + usize::from(params.is_some());
    let mut message = serializer.serialize_struct("Message", len)?;
    if version {
        message.serialize_field("jsonrpc", "2.0")?;
    }
    message.serialize_field("method", method)?;
    if let Some(id) = id {
        message.serialize_field("id", id)?;
    }
    if let Some(params) = params {
        message.serialize_field("params", params)?;
    }
    message.end()
}

/// The JSON Schema of a message enum: one member per method, discriminated
/// by a single-valued `method`.
pub fn message_union_schema(set: &MethodSetInfo, generator: &mut SchemaGenerator) -> Schema {
    let request_id = (set.kind == Kind::Request).then(|| generator.subschema_for::<RequestId>());
    let members: Vec<Value> = set
        .methods
        .iter()
        .map(|method| {
            let mut properties = Map::new();
            let mut required = Vec::new();
            // Members in the order the encoder writes them.
            if set.protocol.jsonrpc.writes_version() {
                properties.insert(
                    "jsonrpc".into(),
                    json!({ "type": "string", "const": "2.0" }),
                );
                required.push(json!("jsonrpc"));
            }
            properties.insert(
                "method".into(),
                json!({ "type": "string", "const": method.name }),
            );
            required.push(json!("method"));
            if let Some(id) = &request_id {
                properties.insert("id".into(), id.clone().to_value());
                required.push(json!("id"));
            }
            match &method.params {
                Some(params) => {
                    properties.insert("params".into(), (params.subschema)(generator).to_value());
                    if !method.params_optional {
                        required.push(json!("params"));
                    }
                }
                None => {
                    properties.insert("params".into(), json!({ "type": "null" }));
                }
            }
            let mut member = Map::new();
            member.insert("type".into(), json!("object"));
            member.insert(
                "title".into(),
                json!(format!("{}{}", method.variant, set.name)),
            );
            if !method.docs.is_empty() {
                member.insert("description".into(), json!(method.docs));
            }
            let stability = method.stability;
            if stability.deprecated.is_some() {
                member.insert("deprecated".into(), json!(true));
            }
            if let Some(reason) = stability.experimental {
                member.insert(crate::stability::EXPERIMENTAL.into(), json!(reason));
            }
            if let Some(version) = stability.since {
                member.insert("x-since".into(), json!(version));
            }
            member.insert("properties".into(), Value::Object(properties));
            member.insert("required".into(), Value::Array(required));
            Value::Object(member)
        })
        .collect();
    let mut schema = Map::new();
    if !set.docs.is_empty() {
        schema.insert("description".into(), json!(set.docs));
    }
    schema.insert("oneOf".into(), Value::Array(members));
    Schema::from(schema)
}

/// A message as JSON text, written in one pass.
pub fn encode_message<M: Serialize>(message: &M) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    serde_json::to_writer(&mut out, message)?;
    Ok(out)
}
