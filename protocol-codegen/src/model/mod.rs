//! The protocol model: every method and every named type of a protocol, as
//! plain data. Every output is rendered from it, and `protocol.meta.json` is
//! it, serialised.
//!
//! It is built ([`build`]) from the registry and from the schemas schemars
//! writes for each type in its direction's view (see `direction.rs`): the
//! schema is the one faithful description of what serde reads and writes,
//! so the model starts from it. Whatever a schema says that the model cannot
//! hold is an error, never dropped, and rendering the model back as JSON
//! Schema gives schemars's schema again (a test holds the two together).

mod build;
pub mod surface;

pub use build::build;
pub(crate) use build::split_deprecation;
pub use protocol_macros::{Direction, Side};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A whole protocol: how it speaks JSON-RPC, its methods, its message
/// unions and its named types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// What the protocol declares once: its JSON-RPC dialect and how its
    /// peers negotiate capabilities.
    pub protocol: ProtocolSettings,
    /// Every method, in declaration order: one entry per direction, so a
    /// method both peers send is listed twice, once with each
    /// `messageDirection`.
    pub methods: Vec<Method>,
    /// The message unions (`ClientRequest`, …): one per direction and kind
    /// that the protocol has, in declaration order.
    pub message_sets: Vec<MessageSet>,
    /// Every named type, by name.
    pub types: Vec<TypeDefinition>,
}

/// What a protocol declares once, for all its methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProtocolSettings {
    /// Whether messages carry `"jsonrpc": "2.0"`.
    pub jsonrpc: JsonRpcDialect,
    /// How the peers declare their capabilities; absent when they do not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negotiation: Option<Negotiation>,
    /// The capability that opts a connection into the experimental
    /// methods, fields and values, if the protocol names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experimental: Option<Capability>,
    /// The capability holding the notification methods its side never
    /// wants to receive, if the protocol names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_out: Option<Capability>,
}

/// The JSON-RPC dialect of a protocol.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum JsonRpcDialect {
    /// Standard JSON-RPC 2.0: `"jsonrpc": "2.0"` on every message.
    #[serde(rename = "2.0")]
    V2,
    /// JSON-RPC 2.0 objects without the `"jsonrpc"` member.
    #[serde(rename = "omitted")]
    Omitted,
}

impl JsonRpcDialect {
    /// Whether messages carry `"jsonrpc": "2.0"`.
    pub fn writes_version(self) -> bool {
        self == JsonRpcDialect::V2
    }
}

/// One client request whose params and result carry each side's
/// capabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Negotiation {
    /// The wire name of the client request that negotiates.
    pub method: String,
    /// Where the client's capabilities object is; absent when it declares
    /// none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<CapabilityLocation>,
    /// Where the server's capabilities object is; absent when it declares
    /// none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<CapabilityLocation>,
}

/// Where a capabilities object is in the negotiation exchange:
/// `params.capabilities` is `{ "member": "params", "path": ["capabilities"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityLocation {
    /// The request's `params` or the response's `result`.
    pub member: Carrier,
    /// Member names from there down; empty when the whole of it is the
    /// capabilities object.
    pub path: Vec<String>,
}

/// `params.capabilities`, as the settings write it.
impl std::fmt::Display for CapabilityLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.member {
            Carrier::Params => "params",
            Carrier::Result => "result",
        })?;
        for member in &self.path {
            write!(f, ".{member}")?;
        }
        Ok(())
    }
}

/// The member of the negotiation exchange that carries capabilities.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Carrier {
    Params,
    Result,
}

/// A capability: the side that declares it and the member names down to
/// it inside that side's capabilities object. It is declared when the
/// value there exists and is neither `false` nor `null`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Capability {
    pub side: Side,
    /// Never empty, e.g. `["resources", "subscribe"]`.
    pub path: Vec<String>,
}

impl std::fmt::Display for Capability {
    /// `server.resources.subscribe`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.side.as_str())?;
        for member in &self.path {
            write!(f, ".{member}")?;
        }
        Ok(())
    }
}

/// Whether a message expects an answer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum MethodKind {
    Request,
    Notification,
}

/// One method of the protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Method {
    /// The wire name, e.g. `resources/subscribe`.
    pub method: String,
    pub kind: MethodKind,
    pub message_direction: Direction,
    /// The params type; absent for a method that carries no params.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<TypeRef>,
    /// The result type of a request; absent for a notification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<TypeRef>,
    /// The capability, of either side, without which the method is never
    /// sent: `{ "side": "server", "path": ["resources", "subscribe"] }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_capability: Option<Capability>,
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
}

/// What is said of a method, type, field, enumeration value or union
/// variant besides its type: the same on each, in no language's syntax
/// (each output writes it its own way: a JSDoc `@deprecated` tag, the JSON
/// Schema `deprecated` keyword, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Marks {
    /// Its documentation, as written (without the deprecation note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// Whether it is deprecated, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Why it is experimental, if it is: not part of the stable surface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<String>,
    /// The protocol version that introduced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

impl Marks {
    /// Nothing is said.
    pub fn is_empty(&self) -> bool {
        *self == Marks::default()
    }
}

/// A deprecation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deprecation {
    /// Why it is deprecated and what to use instead, as plain text; absent
    /// when the source gives no note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A message union: every method of one direction and kind, discriminated
/// on `method`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageSet {
    /// The union's name, e.g. `ClientRequest`; also the name of its type
    /// definition in [`Model::types`].
    pub name: String,
    /// The name of the map from method name to its types, e.g. `ClientRequestMap`.
    pub map_name: String,
    pub kind: MethodKind,
    pub message_direction: Direction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// The wire names of its methods, in declaration order.
    pub methods: Vec<String>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TypeDefinition {
    pub name: String,
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
    /// Which peers write this type on the wire. A type only the server
    /// writes is shown as serde writes it (an `Option` field is always
    /// present, maybe `null`); any other as serde reads it (a field serde
    /// tolerates missing is optional).
    pub sent_by: Vec<Side>,
    /// What the type is. In the JSON, `kind` is `structure`,
    /// `enumeration` or `union` with their members beside it, or `alias`
    /// with the aliased `type` (a newtype, a primitive, an array, …).
    #[serde(flatten, with = "definition")]
    #[schemars(with = "definition::Definition")]
    pub definition: TypeRef,
}

/// How a named type's definition is written: a structure, enumeration or
/// union inline, anything else as an alias of a type.
mod definition {
    use super::*;
    use serde::{Deserializer, Serializer};

    #[derive(Serialize, Deserialize, JsonSchema)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    pub enum Definition {
        Structure(Structure),
        Enumeration(Enumeration),
        Union(Union),
        Alias {
            #[serde(rename = "type")]
            ty: TypeRef,
        },
    }

    /// [`Definition`] borrowed, so that writing a type needs no copy of it.
    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    enum DefinitionRef<'a> {
        Structure(&'a Structure),
        Enumeration(&'a Enumeration),
        Union(&'a Union),
        Alias {
            #[serde(rename = "type")]
            ty: &'a TypeRef,
        },
    }

    pub fn serialize<S: Serializer>(ty: &TypeRef, serializer: S) -> Result<S::Ok, S::Error> {
        let definition = match ty {
            TypeRef::Structure(structure) => DefinitionRef::Structure(structure),
            TypeRef::Enumeration(enumeration) => DefinitionRef::Enumeration(enumeration),
            TypeRef::Union(union) => DefinitionRef::Union(union),
            ty => DefinitionRef::Alias { ty },
        };
        definition.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TypeRef, D::Error> {
        Ok(match Definition::deserialize(deserializer)? {
            Definition::Structure(structure) => TypeRef::Structure(structure),
            Definition::Enumeration(enumeration) => TypeRef::Enumeration(enumeration),
            Definition::Union(union) => TypeRef::Union(union),
            Definition::Alias { ty } => ty,
        })
    }
}

/// A type, as a field, an array element, a params type, … refers to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TypeRef {
    /// A named type of [`Model::types`].
    Reference { name: String },
    /// A primitive.
    Base {
        name: BaseType,
        /// The schema's `format`, e.g. `int64`, `uint32`, `double`.
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<String>,
        /// The smallest value (`0` for an unsigned integer).
        #[serde(skip_serializing_if = "Option::is_none")]
        minimum: Option<serde_json::Number>,
        /// The largest value (`255` for a `u8`).
        #[serde(skip_serializing_if = "Option::is_none")]
        maximum: Option<serde_json::Number>,
    },
    /// Exactly this string.
    StringLiteral { value: String },
    /// `null`.
    Null,
    /// Any JSON value.
    Any,
    /// A JSON array of `element`s.
    Array { element: Box<TypeRef> },
    /// A JSON array of exactly these items, in order.
    Tuple { items: Vec<TypeRef> },
    /// A JSON object from any string key to `value`.
    Map { value: Box<TypeRef> },
    /// The type or `null`.
    Nullable {
        #[serde(rename = "type")]
        inner: Box<TypeRef>,
    },
    /// A JSON object with these fields (flattened fields included).
    Structure(Structure),
    /// One of these strings.
    Enumeration(Enumeration),
    /// One of these types.
    Union(Union),
}

/// The primitive JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum BaseType {
    String,
    Boolean,
    Integer,
    Number,
}

impl BaseType {
    pub fn as_str(self) -> &'static str {
        match self {
            BaseType::String => "string",
            BaseType::Boolean => "boolean",
            BaseType::Integer => "integer",
            BaseType::Number => "number",
        }
    }
}

/// A JSON object with named fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Structure {
    /// In the order the type declares them.
    pub fields: Vec<Field>,
    /// What the object may hold besides its fields.
    pub additional_properties: AdditionalProperties,
}

/// Members of an object besides its declared fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum AdditionalProperties {
    /// Ignored if present (serde's default).
    Ignored,
    /// Rejected (`#[serde(deny_unknown_fields)]`).
    Forbidden,
    /// Kept, each of this type (a flattened map).
    Typed {
        #[serde(rename = "type")]
        value: Box<TypeRef>,
    },
}

/// One field of a structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The field's type, without `null` (see `nullable`).
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// The field may be absent.
    pub optional: bool,
    /// The field may be `null`.
    pub nullable: bool,
    /// The value a reader assumes when the field is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
}

/// A set of strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Enumeration {
    pub values: Vec<EnumerationValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnumerationValue {
    pub value: String,
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
}

/// One of several types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Union {
    /// Exactly one variant matches any value (`oneOf`); otherwise the first
    /// that matches is taken (`anyOf`, an untagged enum).
    pub exclusive: bool,
    /// The field every variant has with a string literal of its own, if
    /// there is one: a tagged union.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variant {
    /// The variant's own name, where the schema gives it one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
    #[serde(rename = "type")]
    pub ty: TypeRef,
}

impl Model {
    /// The named type `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeDefinition> {
        self.types
            .binary_search_by(|ty| ty.name.as_str().cmp(name))
            .ok()
            .map(|index| &self.types[index])
    }

    /// The method whose wire name is `name`, sent in `direction`.
    pub fn method(&self, name: &str, direction: Direction) -> Option<&Method> {
        self.methods
            .iter()
            .find(|method| method.method == name && method.message_direction == direction)
    }

    /// The methods whose wire name is `name`: one, or two for a method both
    /// peers send.
    pub fn methods_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Method> + 'a {
        self.methods
            .iter()
            .filter(move |method| method.method == name)
    }
}

impl TypeRef {
    /// Calls `f` with the name of every named type this type refers to, at
    /// any depth (not through other named types).
    pub fn for_each_reference<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            TypeRef::Reference { name } => f(name),
            TypeRef::Base { .. } | TypeRef::StringLiteral { .. } | TypeRef::Null | TypeRef::Any => {
            }
            TypeRef::Enumeration(_) => {}
            TypeRef::Array { element } => element.for_each_reference(f),
            TypeRef::Map { value } => value.for_each_reference(f),
            TypeRef::Nullable { inner } => inner.for_each_reference(f),
            TypeRef::Tuple { items } => items.iter().for_each(|item| item.for_each_reference(f)),
            TypeRef::Structure(structure) => {
                for field in &structure.fields {
                    field.ty.for_each_reference(f);
                }
                if let AdditionalProperties::Typed { value } = &structure.additional_properties {
                    value.for_each_reference(f);
                }
            }
            TypeRef::Union(union) => {
                for variant in &union.variants {
                    variant.ty.for_each_reference(f);
                }
            }
        }
    }
}
