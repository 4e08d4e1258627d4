//! Prompts: listing and getting prompt templates.

use std::collections::BTreeMap;

use protocol_macros::wire;

use crate::base::{Cursor, Icon, Meta, RequestMeta, Role};
use crate::content::ContentBlock;

/// Describes an argument that a prompt can accept.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct PromptArgument {
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    /// A human-readable description of the argument.
    #[optional]
    pub description: Option<String>,
    /// Whether this argument must be provided.
    #[optional]
    pub required: Option<bool>,
}

/// A prompt or prompt template that the server offers.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    /// An optional description of what this prompt provides.
    #[optional]
    pub description: Option<String>,
    /// A list of arguments to use for templating the prompt.
    #[optional]
    pub arguments: Option<Vec<PromptArgument>>,
    /// Optional set of sized icons that the client can display.
    #[optional]
    pub icons: Option<Vec<Icon>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The server's response to a `prompts/list` request from the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListPromptsResult {
    pub prompts: Vec<Prompt>,
    /// An opaque token representing the pagination position after the last
    /// returned result. If present, there may be more results available.
    #[optional]
    pub next_cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `prompts/get` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetPromptRequestParams {
    /// The name of the prompt or prompt template.
    pub name: String,
    /// Arguments to use for templating the prompt.
    #[optional]
    pub arguments: Option<BTreeMap<String, String>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// Describes a message returned as part of a prompt. Like
/// `SamplingMessage`, but also supports embedded resources.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct PromptMessage {
    pub role: Role,
    pub content: ContentBlock,
}

/// The server's response to a `prompts/get` request from the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetPromptResult {
    /// An optional description for the prompt.
    #[optional]
    pub description: Option<String>,
    pub messages: Vec<PromptMessage>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
