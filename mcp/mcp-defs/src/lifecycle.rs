//! `initialize` and the capabilities each side declares in it.
//!
//! A capability is declared when its member is present (an object, of any
//! members, which are kept); `experimental` keeps every member as sent.

use std::collections::BTreeMap;

use protocol_macros::wire;

use crate::base::{Implementation, Meta, RequestMeta};

/// Present if the client supports listing roots.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientRootsCapability {
    /// Whether the client supports notifications for changes to the roots list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// Present if the client supports sampling from an LLM.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientSamplingCapability {
    /// Whether the client supports context inclusion via `includeContext`.
    /// If not declared, servers SHOULD only use `includeContext: "none"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Meta>,
    /// Whether the client supports tool use via `tools` and `toolChoice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Meta>,
}

/// Present if the client supports elicitation from the server.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientElicitationCapability {
    /// Form mode elicitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Meta>,
    /// URL mode elicitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Meta>,
}

/// Task support for sampling-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksSamplingRequests {
    /// Whether the client supports task-augmented `sampling/createMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_message: Option<Meta>,
}

/// Task support for elicitation-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksElicitationRequests {
    /// Whether the client supports task-augmented `elicitation/create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<Meta>,
}

/// Which request types the client accepts augmented with tasks.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksRequests {
    /// Task support for sampling-related requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<ClientTasksSamplingRequests>,
    /// Task support for elicitation-related requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicitation: Option<ClientTasksElicitationRequests>,
}

/// Present if the client supports task-augmented requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksCapability {
    /// Whether this client supports `tasks/list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Meta>,
    /// Whether this client supports `tasks/cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel: Option<Meta>,
    /// Specifies which request types can be augmented with tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ClientTasksRequests>,
}

/// Capabilities a client may support. Known capabilities are defined here;
/// this is not a closed set.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientCapabilities {
    /// Experimental, non-standard capabilities that the client supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<BTreeMap<String, Meta>>,
    /// Present if the client supports listing roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roots: Option<ClientRootsCapability>,
    /// Present if the client supports sampling from an LLM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<ClientSamplingCapability>,
    /// Present if the client supports elicitation from the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicitation: Option<ClientElicitationCapability>,
    /// Present if the client supports task-augmented requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<ClientTasksCapability>,
}

/// Present if the server offers any prompt templates.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerPromptsCapability {
    /// Whether this server supports notifications for changes to the prompt list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// Present if the server offers any resources to read.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerResourcesCapability {
    /// Whether this server supports subscribing to resource updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<bool>,
    /// Whether this server supports notifications for changes to the resource list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// Present if the server offers any tools to call.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerToolsCapability {
    /// Whether this server supports notifications for changes to the tool list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// Task support for tool-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksToolsRequests {
    /// Whether the server supports task-augmented `tools/call` requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Meta>,
}

/// Which request types the server accepts augmented with tasks.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksRequests {
    /// Task support for tool-related requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<ServerTasksToolsRequests>,
}

/// Present if the server supports task-augmented requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksCapability {
    /// Whether this server supports `tasks/list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Meta>,
    /// Whether this server supports `tasks/cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel: Option<Meta>,
    /// Specifies which request types can be augmented with tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ServerTasksRequests>,
}

/// Capabilities that a server may support. Known capabilities are defined
/// here; this is not a closed set.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerCapabilities {
    /// Experimental, non-standard capabilities that the server supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<BTreeMap<String, Meta>>,
    /// Present if the server supports sending log messages to the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<Meta>,
    /// Present if the server supports argument autocompletion suggestions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<Meta>,
    /// Present if the server offers any prompt templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<ServerPromptsCapability>,
    /// Present if the server offers any resources to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ServerResourcesCapability>,
    /// Present if the server offers any tools to call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<ServerToolsCapability>,
    /// Present if the server supports task-augmented requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<ServerTasksCapability>,
}

/// Parameters for an `initialize` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct InitializeRequestParams {
    /// The latest version of the Model Context Protocol that the client
    /// supports. The client MAY decide to support older versions as well.
    pub protocol_version: String,
    pub capabilities: ClientCapabilities,
    pub client_info: Implementation,
    /// See the specification's General fields: `_meta`.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<RequestMeta>,
}

/// After receiving an initialize request from the client, the server sends
/// this response.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct InitializeResult {
    /// The version of the Model Context Protocol that the server wants to
    /// use. If the client cannot support this version, it MUST disconnect.
    pub protocol_version: String,
    pub capabilities: ServerCapabilities,
    pub server_info: Implementation,
    /// Instructions describing how to use the server and its features, a
    /// hint to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}
