//! Roots: the directories and files the client exposes to the server.

use protocol_macros::wire;

use crate::base::Meta;

/// A root directory or file that the server can operate on.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Root {
    /// The URI identifying the root. This *must* start with `file://` for now.
    pub uri: String,
    /// An optional name for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The client's response to a `roots/list` request from the server.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListRootsResult {
    pub roots: Vec<Root>,
    /// See the specification's General fields: `_meta`.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}
