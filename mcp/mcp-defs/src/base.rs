//! What every part of the protocol shares: `_meta`, ids, cursors, progress
//! tokens, annotations, icons, the implementation's description, roles and
//! the open result objects.

use std::collections::BTreeMap;

use protocol_macros::wire;
use serde_json::Value;

/// `_meta`: members reserved by MCP for protocol-level metadata, of any
/// name and value. Kept as is, in key order.
pub type Meta = BTreeMap<String, Value>;

/// A uniquely identifying ID for a request in JSON-RPC: a string or an
/// integer.
pub use protocol_macros::RequestId;

/// A progress token, used to associate progress notifications with the
/// original request: a string or an integer.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[serde(untagged)]
pub enum ProgressToken {
    String(String),
    Integer(i64),
}

/// An opaque token used to represent a cursor for pagination.
pub type Cursor = String;

/// The `_meta` of a request's params: a typed `progressToken`, and any
/// other member.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestMeta {
    /// If specified, the caller is requesting out-of-band progress
    /// notifications for this request (`notifications/progress`), tagged
    /// with this token. The receiver is not obligated to send them.
    #[optional]
    pub progress_token: Option<ProgressToken>,
    /// Any other member.
    #[serde(flatten)]
    pub members: BTreeMap<String, Value>,
}

/// Common params for any request.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestParams {
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// Common params for any notification.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NotificationParams {
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// A result: `_meta` and any other member, kept.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Result {
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
    /// Any other member.
    #[serde(flatten)]
    pub members: BTreeMap<String, Value>,
}

/// A response that indicates success but carries no data (any member a
/// peer adds is kept).
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EmptyResult {
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
    /// Any other member.
    #[serde(flatten)]
    pub members: BTreeMap<String, Value>,
}

/// The sender or recipient of messages and data in a conversation.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// Optional annotations for the client: how objects are used or displayed.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotations {
    /// Who the intended audience of this object or data is.
    #[optional]
    pub audience: Option<Vec<Role>>,
    /// How important this data is for operating the server, from 0 (least)
    /// to 1 (most).
    #[optional]
    pub priority: Option<serde_json::Number>,
    /// The moment the resource was last modified, as an ISO 8601 string.
    #[optional]
    pub last_modified: Option<String>,
}

/// The theme an icon is designed for.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum IconTheme {
    Light,
    Dark,
}

/// An optionally-sized icon that can be displayed in a user interface.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Icon {
    /// A standard URI pointing to an icon resource: an HTTP/HTTPS URL or a
    /// `data:` URI with Base64-encoded image data.
    pub src: String,
    /// Optional MIME type override if the source MIME type is missing or
    /// generic.
    #[optional]
    pub mime_type: Option<String>,
    /// Optional sizes, each `WxH` (e.g. `"48x48"`) or `"any"`.
    #[optional]
    pub sizes: Option<Vec<String>>,
    /// Optional theme this icon is designed for.
    #[optional]
    pub theme: Option<IconTheme>,
}

/// Describes the MCP implementation (a client's or a server's).
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Implementation {
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    pub version: String,
    /// An optional human-readable description of what this implementation does.
    #[optional]
    pub description: Option<String>,
    /// Optional set of sized icons that the client can display.
    #[optional]
    pub icons: Option<Vec<Icon>>,
    /// An optional URL of the website for this implementation.
    #[optional]
    pub website_url: Option<String>,
}

/// A type with one value, a string constant on the wire: the `type` (or
/// `mode`) member that names what an object is.
macro_rules! literal {
    ($(#[$doc:meta])* $name:ident = $value:literal) => {
        $(#[$doc])*
        #[protocol_macros::wire]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            #[serde(rename = $value)]
            Value,
        }
    };
}
pub(crate) use literal;

literal!(
    /// `"object"`, the `type` of a JSON Schema object.
    ObjectType = "object"
);
