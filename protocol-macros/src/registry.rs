//! The registry: what every method of a protocol is, as data.
//!
//! The `#[protocol]` macro writes one `Registry` per protocol. Everything
//! downstream (schema and TypeScript output, decoding, capability gates)
//! reads it, so there is one description of the protocol and no second one
//! to drift from it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use ts_rs::TS;

/// Who sends a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

impl Direction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::ClientToServer => "client→server",
            Direction::ServerToClient => "server→client",
        }
    }
}

/// Whether a message expects an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Request,
    Notification,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Notification => "notification",
        }
    }
}

/// A Rust type that appears on the wire, with what the generators need of it.
#[derive(Clone, Copy)]
pub struct TypeInfo {
    /// The type as written in the method declaration, e.g. `InitializeParams`.
    pub rust_name: &'static str,
    /// The name of the type's JSON Schema definition.
    pub schema_name: fn() -> Cow<'static, str>,
    /// A schema for the type, usually a `$ref` into the generator's definitions.
    pub subschema: fn(&mut SchemaGenerator) -> Schema,
    /// The type's own schema (not a `$ref`), for a root schema of the type.
    pub json_schema: fn(&mut SchemaGenerator) -> Schema,
    /// The name of the type in ts-rs's TypeScript (feature `ts-export`).
    #[cfg(feature = "ts-export")]
    pub ts_name: fn(&ts_rs::Config) -> String,
    /// Adds ts-rs's TypeScript file of the type and of everything it refers
    /// to (feature `ts-export`: it compiles ts-rs's exporter once per wire
    /// type, which a protocol crate otherwise does not pay for).
    #[cfg(feature = "ts-export")]
    pub ts_collect: fn(&ts_rs::Config, &mut TsFiles) -> Result<(), ts_rs::ExportError>,
}

impl TypeInfo {
    pub const fn of<T: JsonSchema + TS + 'static>(rust_name: &'static str) -> TypeInfo {
        TypeInfo {
            rust_name,
            schema_name: <T as JsonSchema>::schema_name,
            subschema: subschema_for::<T>,
            json_schema: <T as JsonSchema>::json_schema,
            #[cfg(feature = "ts-export")]
            ts_name: <T as TS>::name,
            #[cfg(feature = "ts-export")]
            ts_collect: crate::ts::collect::<T>,
        }
    }
}

fn subschema_for<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

impl fmt::Debug for TypeInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypeInfo").field(&self.rust_name).finish()
    }
}

/// TypeScript files by their path relative to the output directory.
pub type TsFiles = BTreeMap<PathBuf, String>;

/// One method: its wire name and everything the generators and runtime checks need.
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo {
    /// The wire name, e.g. `"attestation/generate"`.
    pub name: &'static str,
    pub direction: Direction,
    pub kind: Kind,
    /// The variant of the message enum that carries this method.
    pub variant: &'static str,
    /// The params type; `None` for a method that carries no params.
    pub params: Option<TypeInfo>,
    /// The response type; `Some` exactly for requests.
    pub response: Option<TypeInfo>,
    /// The doc comment of the variant, lines joined with `\n`.
    pub docs: &'static str,
    /// A client capability (a boolean field of the negotiated capabilities,
    /// by its wire name) without which this method must not be sent.
    pub capability: Option<&'static str>,
    /// Whether the method is experimental, deprecated, and since when.
    pub stability: Stability,
}

/// How settled a method is: `#[method(..., experimental = "reason",
/// deprecated = "message", since = "1.4")]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stability {
    /// Why it is experimental: only connections that negotiated the
    /// experimental API may use it.
    pub experimental: Option<&'static str>,
    /// Why it is deprecated and what to use instead.
    pub deprecated: Option<&'static str>,
    /// The protocol version that introduced it.
    pub since: Option<&'static str>,
}

impl Stability {
    pub const STABLE: Stability = Stability {
        experimental: None,
        deprecated: None,
        since: None,
    };
}

/// One message enum: all methods of one direction and kind.
#[derive(Debug, Clone, Copy)]
pub struct MethodSetInfo {
    /// The enum's name, e.g. `ClientRequest`.
    pub name: &'static str,
    /// The enum pairing each request with its typed response (requests only).
    pub response_name: Option<&'static str>,
    pub direction: Direction,
    pub kind: Kind,
    pub docs: &'static str,
    pub methods: &'static [MethodInfo],
    /// The JSON Schema of the message union.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

/// Every method set of one protocol.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    pub sets: &'static [&'static MethodSetInfo],
}

impl Registry {
    /// Every method, in declaration order.
    pub fn methods(&self) -> impl Iterator<Item = &'static MethodInfo> {
        self.sets.iter().flat_map(|set| set.methods.iter())
    }

    pub fn method(&self, name: &str) -> Option<&'static MethodInfo> {
        self.methods().find(|m| m.name == name)
    }

    pub fn set(&self, direction: Direction, kind: Kind) -> Option<&'static MethodSetInfo> {
        self.sets
            .iter()
            .copied()
            .find(|s| s.direction == direction && s.kind == kind)
    }
}
