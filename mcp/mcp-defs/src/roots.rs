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
    #[optional]
    pub name: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The client's response to a `roots/list` request from the server.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListRootsResult {
    pub roots: Vec<Root>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
