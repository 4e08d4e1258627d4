//! Helpers the `#[protocol]` expansion calls through `__private`, so the
//! generated code stays small and the logic lives here, tested once.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};

use crate::decode::{DecodeError, NoParams, ParamsSource};
use crate::jsonrpc::RequestId;
use crate::method::{NotificationSet, RequestSet};
use crate::registry::{Kind, MethodSetInfo};
use schemars::{Schema, SchemaGenerator};

/// Writes `{"method": …, "id": …, "params": …}`, members in that order;
/// `id` only for requests, `params` only when the method has params.
pub fn serialize_message<S: Serializer, P: Serialize + ?Sized>(
    serializer: S,
    method: &str,
    id: Option<&RequestId>,
    params: Option<&P>,
) -> Result<S::Ok, S::Error> {
    let len = 1 + usize::from(id.is_some()) + usize::from(params.is_some());
    let mut map = serializer.serialize_map(Some(len))?;
    map.serialize_entry("method", method)?;
    if let Some(id) = id {
        map.serialize_entry("id", id)?;
    }
    if let Some(params) = params {
        map.serialize_entry("params", params)?;
    }
    map.end()
}

/// Decodes the params of `method` into `T`, as an invalid-params error on failure.
pub fn params<T: serde::de::DeserializeOwned, P: ParamsSource>(
    source: P,
    id: Option<&RequestId>,
    method: &str,
) -> Result<T, DecodeError> {
    source
        .decode()
        .map_err(|err| DecodeError::invalid_params(id.cloned(), method, err))
}

/// Checks that a method declared without params got none.
pub fn no_params<P: ParamsSource>(
    source: P,
    id: Option<&RequestId>,
    method: &str,
) -> Result<(), DecodeError> {
    params::<NoParams, P>(source, id, method).map(|_| ())
}

#[derive(Deserialize)]
struct OwnedEnvelope {
    #[serde(default)]
    id: Option<RequestId>,
    method: String,
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `Deserialize` for a request enum, for use with any serde deserializer.
pub fn deserialize_request<'de, D: Deserializer<'de>, R: RequestSet>(
    deserializer: D,
) -> Result<R, D::Error> {
    let envelope = OwnedEnvelope::deserialize(deserializer)?;
    let id = envelope
        .id
        .ok_or_else(|| D::Error::custom(format!("request `{}` has no `id`", envelope.method)))?;
    R::from_parts(id, &envelope.method, envelope.params)
        .map_err(|err| D::Error::custom(err.message))
}

/// `Deserialize` for a notification enum, for use with any serde deserializer.
pub fn deserialize_notification<'de, D: Deserializer<'de>, N: NotificationSet>(
    deserializer: D,
) -> Result<N, D::Error> {
    let envelope = OwnedEnvelope::deserialize(deserializer)?;
    if envelope.id.is_some() {
        return Err(D::Error::custom(format!(
            "notification `{}` must not have an `id`",
            envelope.method
        )));
    }
    N::from_parts(&envelope.method, envelope.params).map_err(|err| D::Error::custom(err.message))
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
            let mut required = vec![json!("method")];
            properties.insert(
                "method".into(),
                json!({ "type": "string", "const": method.name }),
            );
            if let Some(id) = &request_id {
                properties.insert("id".into(), id.clone().to_value());
                required.push(json!("id"));
            }
            match &method.params {
                Some(params) => {
                    properties.insert("params".into(), (params.subschema)(generator).to_value());
                    required.push(json!("params"));
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
