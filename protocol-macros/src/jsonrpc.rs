//! The JSON-RPC envelope: JSON-RPC 2.0 objects, with the `"jsonrpc": "2.0"`
//! member or, for a protocol declared `#[protocol(jsonrpc = "omit")]`,
//! without it. Each envelope says which in its `jsonrpc` field; the
//! JSON Schema and TypeScript of a protocol show the member as its dialect
//! has it.

use std::fmt;

use serde_json::Value;

use crate::registry::Dialect;
use crate::wire;

/// The `jsonrpc` member of an envelope: written `"2.0"` for
/// [`Dialect::V2`], left out for [`Dialect::Omitted`]; read as
/// [`Dialect::V2`] when it is `"2.0"` and [`Dialect::Omitted`] when absent.
/// (The message decoder, not this, enforces a protocol's dialect.)
mod version {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::registry::Dialect;

    pub fn serialize<S: Serializer>(_: &Dialect, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("2.0")
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Dialect, D::Error> {
        let version = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        if version == "2.0" {
            Ok(Dialect::V2)
        } else {
            Err(serde::de::Error::custom("`jsonrpc` must be \"2.0\""))
        }
    }

    pub fn absent() -> Dialect {
        Dialect::Omitted
    }

    pub fn omitted(dialect: &Dialect) -> bool {
        !dialect.writes_version()
    }
}

/// A request id: a string or an integer, echoed back in the response.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(untagged)]
pub enum RequestId {
    String(String),
    #[schemars(extend("format" = "int64"))]
    Integer(i64),
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The peer's text: escaped and bounded.
            RequestId::String(s) => write!(f, "\"{}\"", crate::peer_text::name(s)),
            RequestId::Integer(i) => write!(f, "{i}"),
        }
    }
}

impl From<i64> for RequestId {
    fn from(id: i64) -> Self {
        RequestId::Integer(id)
    }
}

impl From<String> for RequestId {
    fn from(id: String) -> Self {
        RequestId::String(id)
    }
}

impl From<&str> for RequestId {
    fn from(id: &str) -> Self {
        RequestId::String(id.to_owned())
    }
}

// `Debug` (below) shows the size of `params`, not their contents: untyped
// JSON may hold a credential, and `Debug` output ends up in logs.
/// A request that expects a response.
#[wire]
#[derive(Clone, PartialEq)]
pub struct JSONRPCRequest {
    /// `"jsonrpc": "2.0"`, or no member (see [`Dialect`]).
    #[serde(
        default = "version::absent",
        skip_serializing_if = "version::omitted",
        serialize_with = "version::serialize",
        deserialize_with = "version::deserialize"
    )]
    #[schemars(skip)]
    #[ts(skip)]
    pub jsonrpc: Dialect,
    pub id: RequestId,
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub params: Option<Value>,
}

// `Debug` (below) shows the size of `params`, not their contents.
/// A notification which does not expect a response.
#[wire]
#[derive(Clone, PartialEq)]
pub struct JSONRPCNotification {
    /// `"jsonrpc": "2.0"`, or no member (see [`Dialect`]).
    #[serde(
        default = "version::absent",
        skip_serializing_if = "version::omitted",
        serialize_with = "version::serialize",
        deserialize_with = "version::deserialize"
    )]
    #[schemars(skip)]
    #[ts(skip)]
    pub jsonrpc: Dialect,
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub params: Option<Value>,
}

// `Debug` (below) shows the size of `result`, not its contents: a response
// may carry a credential, as `attestation/generate`'s token.
/// A successful (non-error) response to a request.
#[wire]
#[derive(Clone, PartialEq)]
pub struct JSONRPCResponse {
    /// `"jsonrpc": "2.0"`, or no member (see [`Dialect`]).
    #[serde(
        default = "version::absent",
        skip_serializing_if = "version::omitted",
        serialize_with = "version::serialize",
        deserialize_with = "version::deserialize"
    )]
    #[schemars(skip)]
    #[ts(skip)]
    pub jsonrpc: Dialect,
    pub id: RequestId,
    pub result: Value,
}

/// Untyped JSON in `Debug` output: its kind and size only.
struct Opaque<'a>(&'a Value);

impl std::fmt::Debug for Opaque<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.0 {
            Value::Null => return f.write_str("null"),
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let size = serde_json::to_string(self.0).map_or(0, |text| text.len());
        write!(f, "<{kind}, {size} bytes of JSON>")
    }
}

/// A name the peer sent, in `Debug` output: escaped and bounded.
struct Name<'a>(&'a str);

impl std::fmt::Debug for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", crate::peer_text::name(self.0))
    }
}

/// A request id the peer sent, in `Debug` output: a string one escaped and
/// bounded.
struct Id<'a>(&'a RequestId);

impl std::fmt::Debug for Id<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            RequestId::String(id) => write!(f, "String({:?})", Name(id)),
            RequestId::Integer(id) => write!(f, "Integer({id})"),
        }
    }
}

impl std::fmt::Debug for JSONRPCRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JSONRPCRequest")
            .field("id", &Id(&self.id))
            .field("method", &Name(&self.method))
            .field("params", &self.params.as_ref().map(Opaque))
            .finish()
    }
}

impl std::fmt::Debug for JSONRPCNotification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JSONRPCNotification")
            .field("method", &Name(&self.method))
            .field("params", &self.params.as_ref().map(Opaque))
            .finish()
    }
}

impl std::fmt::Debug for JSONRPCResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JSONRPCResponse")
            .field("id", &Id(&self.id))
            .field("result", &Opaque(&self.result))
            .finish()
    }
}

// `Debug` (below) shows the error object's code, its message bounded and
// escaped, and the size of its `data`: all three are the peer's.
/// A response to a request that indicates an error occurred.
#[wire]
#[derive(Clone, PartialEq)]
pub struct JSONRPCError {
    /// `"jsonrpc": "2.0"`, or no member (see [`Dialect`]).
    #[serde(
        default = "version::absent",
        skip_serializing_if = "version::omitted",
        serialize_with = "version::serialize",
        deserialize_with = "version::deserialize"
    )]
    #[schemars(skip)]
    #[ts(skip)]
    pub jsonrpc: Dialect,
    pub error: JSONRPCErrorError,
    pub id: RequestId,
}

/// The error object of a [`JSONRPCError`].
#[wire]
#[derive(Clone, PartialEq)]
pub struct JSONRPCErrorError {
    pub code: i64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub data: Option<Value>,
}

impl std::fmt::Debug for JSONRPCError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JSONRPCError")
            .field("error", &self.error)
            .field("id", &Id(&self.id))
            .finish()
    }
}

impl JSONRPCErrorError {
    /// An error object without `data`.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        JSONRPCErrorError {
            code,
            message: message.into(),
            data: None,
        }
    }
}

impl std::fmt::Debug for JSONRPCErrorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JSONRPCErrorError")
            .field("code", &self.code)
            .field(
                "message",
                &format_args!("{:?}", crate::peer_text::bounded(&self.message)),
            )
            .field("data", &self.data.as_ref().map(Opaque))
            .finish()
    }
}

/// Refers to any valid JSON-RPC object that can be decoded off the wire, or encoded to be sent.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum JSONRPCMessage {
    Request(JSONRPCRequest),
    Notification(JSONRPCNotification),
    Response(JSONRPCResponse),
    Error(JSONRPCError),
}

/// The error codes JSON-RPC 2.0 reserves, as the decoder reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// -32700: the message is not valid JSON.
    ParseError,
    /// -32600: valid JSON, but not a request or notification object.
    InvalidRequest,
    /// -32601: the method does not exist in this direction.
    MethodNotFound,
    /// -32602: the params do not match the method's params type.
    InvalidParams,
    /// -32603: the receiver failed while handling a valid message.
    InternalError,
}

impl ErrorCode {
    pub const fn code(self) -> i64 {
        match self {
            ErrorCode::ParseError => -32700,
            ErrorCode::InvalidRequest => -32600,
            ErrorCode::MethodNotFound => -32601,
            ErrorCode::InvalidParams => -32602,
            ErrorCode::InternalError => -32603,
        }
    }

    pub const fn from_code(code: i64) -> Option<ErrorCode> {
        Some(match code {
            -32700 => ErrorCode::ParseError,
            -32600 => ErrorCode::InvalidRequest,
            -32601 => ErrorCode::MethodNotFound,
            -32602 => ErrorCode::InvalidParams,
            -32603 => ErrorCode::InternalError,
            _ => return None,
        })
    }
}
