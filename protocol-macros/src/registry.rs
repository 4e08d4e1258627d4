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

/// Who sends a message, in LSP's words.
// The direction a message travels; `Side` is a peer. Serialised as LSP names
// it (`clientToServer`), as `protocol.meta.json` writes it; the doc comment is
// its description there.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "MessageDirection")]
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

    /// `clientToServer` or `serverToClient`, as LSP and the serialised
    /// form name it.
    pub const fn lsp_name(self) -> &'static str {
        match self {
            Direction::ClientToServer => "clientToServer",
            Direction::ServerToClient => "serverToClient",
        }
    }
}

impl Direction {
    /// The side that sends a message of this direction.
    pub const fn sender(self) -> Side {
        match self {
            Direction::ClientToServer => Side::Client,
            Direction::ServerToClient => Side::Server,
        }
    }
}

/// A peer of the protocol.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    /// `client` or `server`, as capability paths and transcripts spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    pub const fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    /// The direction of what this side sends.
    pub const fn sends(self) -> Direction {
        match self {
            Side::Client => Direction::ClientToServer,
            Side::Server => Direction::ServerToClient,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A capability: the side that declares it and the path of member names,
/// as on the wire, inside that side's capabilities object
/// (`server.resources.subscribe`). It is declared when the value at the
/// path exists and is neither `false` nor `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CapabilityPath {
    pub side: Side,
    /// Member names from the side's capabilities object down; never empty.
    pub path: &'static [&'static str],
}

impl fmt::Display for CapabilityPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.side.as_str())?;
        for member in self.path {
            write!(f, ".{member}")?;
        }
        Ok(())
    }
}

/// Which JSON-RPC dialect a protocol speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// Standard JSON-RPC 2.0: `"jsonrpc": "2.0"` on every message, and a
    /// message without it (or with another value) is -32600.
    #[default]
    V2,
    /// JSON-RPC 2.0 objects without the `"jsonrpc"` member, which is
    /// neither written nor required (`#[protocol(jsonrpc = "omit")]`).
    Omitted,
}

impl Dialect {
    /// Whether messages carry `"jsonrpc": "2.0"`.
    pub const fn writes_version(self) -> bool {
        matches!(self, Dialect::V2)
    }
}

/// The member of the negotiation exchange that carries a side's
/// capabilities: the request's `params` or the response's `result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Carrier {
    Params,
    Result,
}

impl Carrier {
    pub const fn as_str(self) -> &'static str {
        match self {
            Carrier::Params => "params",
            Carrier::Result => "result",
        }
    }
}

/// Where one side's capabilities object is, in the negotiation exchange:
/// `params.capabilities` is `{ member: Params, path: ["capabilities"] }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CapabilityLocation {
    pub member: Carrier,
    /// Member names from `params` or `result` down; may be empty (the
    /// whole params or result is the capabilities object).
    pub path: &'static [&'static str],
}

impl fmt::Display for CapabilityLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.member.as_str())?;
        for member in self.path {
            write!(f, ".{member}")?;
        }
        Ok(())
    }
}

/// How a protocol negotiates capabilities: one client request, whose
/// params and result carry each side's capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Negotiation {
    /// The wire name of the client request that negotiates.
    pub method: &'static str,
    /// Where the client's capabilities are; `None` when it declares none.
    pub client: Option<CapabilityLocation>,
    /// Where the server's capabilities are; `None` when it declares none.
    pub server: Option<CapabilityLocation>,
}

impl Negotiation {
    /// Where `side`'s capabilities are.
    pub const fn location(&self, side: Side) -> Option<CapabilityLocation> {
        match side {
            Side::Client => self.client,
            Side::Server => self.server,
        }
    }
}

/// What a protocol declares once, on its `#[protocol(...)]` module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtocolSettings {
    pub jsonrpc: Dialect,
    /// How capabilities are negotiated; `None` when they are not.
    pub negotiation: Option<Negotiation>,
    /// The capability that opts a connection into experimental methods,
    /// fields and values; `None` when the protocol names none (nothing
    /// experimental is then held back at run time).
    pub experimental: Option<CapabilityPath>,
    /// A capability holding the list of notification methods (wire names)
    /// the declaring side never wants to receive.
    pub opt_out: Option<CapabilityPath>,
}

impl ProtocolSettings {
    /// Standard JSON-RPC 2.0, no negotiation.
    pub const DEFAULT: ProtocolSettings = ProtocolSettings {
        jsonrpc: Dialect::V2,
        negotiation: None,
        experimental: None,
        opt_out: None,
    };

    /// Whether `method` is the protocol's negotiation request.
    pub fn negotiates(&self, method: &MethodInfo) -> bool {
        self.negotiation.is_some_and(|negotiation| {
            negotiation.method == method.name && method.direction == Side::Client.sends()
        })
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

    /// This type as written `rust_name`.
    #[doc(hidden)]
    pub const fn named(self, rust_name: &'static str) -> TypeInfo {
        TypeInfo { rust_name, ..self }
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
    /// Whether the sender may leave `params` out (the variant's params
    /// are written `Option<T>`; `params` is then `T`): absent or `null`
    /// params decode as `None`, and `None` is sent without `params`.
    pub params_optional: bool,
    /// The response type; `Some` exactly for requests.
    pub response: Option<TypeInfo>,
    /// The doc comment of the variant, lines joined with `\n`.
    pub docs: &'static str,
    /// The capability, of either side, without which this method must not
    /// be sent (`#[method(..., capability = "server.tools")]`).
    pub capability: Option<CapabilityPath>,
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
    /// The settings of the protocol the set belongs to.
    pub protocol: &'static ProtocolSettings,
    /// The JSON Schema of the message union.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

/// Every method set of one protocol.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    pub sets: &'static [&'static MethodSetInfo],
    pub settings: &'static ProtocolSettings,
    /// The Cargo package the `#[protocol]` module is in.
    pub package: Package,
}

/// A Cargo package's name and version, as its `Cargo.toml` gives them:
/// what a protocol is called unless its generator names it otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
}

impl Registry {
    /// Every method, in declaration order.
    pub fn methods(&self) -> impl Iterator<Item = &'static MethodInfo> {
        self.sets.iter().flat_map(|set| set.methods.iter())
    }

    /// The methods named `name`: one, or two for a method both peers send.
    pub fn methods_named<'a>(
        &self,
        name: &'a str,
    ) -> impl Iterator<Item = &'static MethodInfo> + 'a {
        self.methods().filter(move |m| m.name == name)
    }

    /// The method `name` of `direction`, if the protocol has it.
    pub fn method(&self, name: &str, direction: Direction) -> Option<&'static MethodInfo> {
        self.methods()
            .find(|m| m.name == name && m.direction == direction)
    }

    pub fn set(&self, direction: Direction, kind: Kind) -> Option<&'static MethodSetInfo> {
        self.sets
            .iter()
            .copied()
            .find(|s| s.direction == direction && s.kind == kind)
    }
}
