//! Which types a protocol puts on the wire.

use std::borrow::Cow;
use std::marker::PhantomData;

use protocol_macros::{
    Dialect, JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest,
    JSONRPCResponse, Registry, RequestId, TypeInfo,
};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

/// The JSON-RPC envelope, which every protocol shares, as its Rust types'
/// schemas have it: without the `jsonrpc` member.
pub fn envelope_types() -> [TypeInfo; 7] {
    [
        TypeInfo::of::<RequestId>("RequestId"),
        TypeInfo::of::<JSONRPCRequest>("JSONRPCRequest"),
        TypeInfo::of::<JSONRPCNotification>("JSONRPCNotification"),
        TypeInfo::of::<JSONRPCResponse>("JSONRPCResponse"),
        TypeInfo::of::<JSONRPCError>("JSONRPCError"),
        TypeInfo::of::<JSONRPCErrorError>("JSONRPCErrorError"),
        TypeInfo::of::<JSONRPCMessage>("JSONRPCMessage"),
    ]
}

/// The envelope as a protocol of `dialect` has it on the wire: for
/// standard JSON-RPC 2.0, each message type with its required
/// `"jsonrpc": "2.0"` member (which the Rust types leave to the
/// serializer, out of their schemas), under the same names.
pub fn envelope_types_of(dialect: Dialect) -> [TypeInfo; 7] {
    let mut types = envelope_types();
    if dialect.writes_version() {
        for ty in &mut types {
            *ty = match ty.rust_name {
                "JSONRPCRequest" => versioned::<JSONRPCRequest>(*ty),
                "JSONRPCNotification" => versioned::<JSONRPCNotification>(*ty),
                "JSONRPCResponse" => versioned::<JSONRPCResponse>(*ty),
                "JSONRPCError" => versioned::<JSONRPCError>(*ty),
                "JSONRPCMessage" => TypeInfo {
                    schema_name: <VersionedMessage as JsonSchema>::schema_name,
                    subschema: subschema_for::<VersionedMessage>,
                    json_schema: <VersionedMessage as JsonSchema>::json_schema,
                    ..*ty
                },
                _ => continue,
            };
        }
    }
    types
}

/// Every params and response type of the registry in declaration order,
/// then the envelope types of its dialect, then `extra_types`. A type may
/// appear more than once; the renderers key them by name.
pub fn wire_types(registry: &Registry, extra_types: &[TypeInfo]) -> Vec<TypeInfo> {
    let mut types: Vec<TypeInfo> = registry
        .methods()
        .flat_map(|method| method.params.into_iter().chain(method.response))
        .collect();
    types.extend(envelope_types_of(registry.settings.jsonrpc));
    types.extend_from_slice(extra_types);
    types
}

fn versioned<T: JsonSchema>(ty: TypeInfo) -> TypeInfo {
    TypeInfo {
        schema_name: <Versioned<T> as JsonSchema>::schema_name,
        subschema: subschema_for::<Versioned<T>>,
        json_schema: <Versioned<T> as JsonSchema>::json_schema,
        ..ty
    }
}

fn subschema_for<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// An envelope message type `T` with `"jsonrpc": "2.0"`: `T`'s schema with
/// the member first among its properties, and required.
struct Versioned<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for Versioned<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        format!("jsonrpc 2.0 {}", T::schema_id()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = T::json_schema(generator);
        let version = json_schema!({ "type": "string", "const": "2.0" }).to_value();
        let mut properties = serde_json::Map::new();
        properties.insert("jsonrpc".into(), version);
        if let Some(Value::Object(own)) = schema.remove("properties") {
            properties.extend(own);
        }
        schema.insert("properties".into(), Value::Object(properties));
        let mut required = vec![Value::from("jsonrpc")];
        if let Some(Value::Array(own)) = schema.remove("required") {
            required.extend(own);
        }
        schema.insert("required".into(), Value::Array(required));
        schema
    }
}

/// [`JSONRPCMessage`] of versioned messages: its schema, whose references
/// to the four message types are references to their versioned schemas.
struct VersionedMessage;

impl JsonSchema for VersionedMessage {
    fn schema_name() -> Cow<'static, str> {
        JSONRPCMessage::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        format!("jsonrpc 2.0 {}", JSONRPCMessage::schema_id()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Made apart, so that the plain message types' definitions never
        // reach `generator`.
        let mut apart = generator.settings().clone().into_generator();
        let mut schema = JSONRPCMessage::json_schema(&mut apart);
        let prefix = format!(
            "#{}/",
            apart.settings().definitions_path.trim_end_matches('/')
        );
        for variants in ["anyOf", "oneOf"] {
            let Some(Value::Array(items)) = schema.get_mut(variants) else {
                continue;
            };
            for item in items {
                let name = item
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix(&prefix));
                let versioned = match name {
                    Some("JSONRPCRequest") => {
                        generator.subschema_for::<Versioned<JSONRPCRequest>>()
                    }
                    Some("JSONRPCNotification") => {
                        generator.subschema_for::<Versioned<JSONRPCNotification>>()
                    }
                    Some("JSONRPCResponse") => {
                        generator.subschema_for::<Versioned<JSONRPCResponse>>()
                    }
                    Some("JSONRPCError") => generator.subschema_for::<Versioned<JSONRPCError>>(),
                    _ => panic!("JSONRPCMessage has a variant that is not a message type: {item}"),
                };
                *item = versioned.to_value();
            }
        }
        schema
    }
}
