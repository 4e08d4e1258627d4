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
    #[optional]
    pub list_changed: Option<bool>,
}

/// Present if the client supports sampling from an LLM.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientSamplingCapability {
    /// Whether the client supports context inclusion via `includeContext`.
    /// If not declared, servers SHOULD only use `includeContext: "none"`.
    #[optional]
    pub context: Option<Meta>,
    /// Whether the client supports tool use via `tools` and `toolChoice`.
    #[optional]
    pub tools: Option<Meta>,
}

/// Present if the client supports elicitation from the server.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientElicitationCapability {
    /// Form mode elicitation.
    #[optional]
    pub form: Option<Meta>,
    /// URL mode elicitation.
    #[optional]
    pub url: Option<Meta>,
}

/// Task support for sampling-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksSamplingRequests {
    /// Whether the client supports task-augmented `sampling/createMessage`.
    #[optional]
    pub create_message: Option<Meta>,
}

/// Task support for elicitation-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksElicitationRequests {
    /// Whether the client supports task-augmented `elicitation/create`.
    #[optional]
    pub create: Option<Meta>,
}

/// Which request types the client accepts augmented with tasks.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksRequests {
    /// Task support for sampling-related requests.
    #[optional]
    pub sampling: Option<ClientTasksSamplingRequests>,
    /// Task support for elicitation-related requests.
    #[optional]
    pub elicitation: Option<ClientTasksElicitationRequests>,
}

/// Present if the client supports task-augmented requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientTasksCapability {
    /// Whether this client supports `tasks/list`.
    #[optional]
    pub list: Option<Meta>,
    /// Whether this client supports `tasks/cancel`.
    #[optional]
    pub cancel: Option<Meta>,
    /// Specifies which request types can be augmented with tasks.
    #[optional]
    pub requests: Option<ClientTasksRequests>,
}

/// Capabilities a client may support. Known capabilities are defined here;
/// this is not a closed set.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientCapabilities {
    /// Experimental, non-standard capabilities that the client supports.
    #[optional]
    pub experimental: Option<BTreeMap<String, Meta>>,
    /// Present if the client supports listing roots.
    #[optional]
    pub roots: Option<ClientRootsCapability>,
    /// Present if the client supports sampling from an LLM.
    #[optional]
    pub sampling: Option<ClientSamplingCapability>,
    /// Present if the client supports elicitation from the server.
    #[optional]
    pub elicitation: Option<ClientElicitationCapability>,
    /// Present if the client supports task-augmented requests.
    #[optional]
    pub tasks: Option<ClientTasksCapability>,
}

/// Present if the server offers any prompt templates.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerPromptsCapability {
    /// Whether this server supports notifications for changes to the prompt list.
    #[optional]
    pub list_changed: Option<bool>,
}

/// Present if the server offers any resources to read.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerResourcesCapability {
    /// Whether this server supports subscribing to resource updates.
    #[optional]
    pub subscribe: Option<bool>,
    /// Whether this server supports notifications for changes to the resource list.
    #[optional]
    pub list_changed: Option<bool>,
}

/// Present if the server offers any tools to call.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerToolsCapability {
    /// Whether this server supports notifications for changes to the tool list.
    #[optional]
    pub list_changed: Option<bool>,
}

/// Task support for tool-related requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksToolsRequests {
    /// Whether the server supports task-augmented `tools/call` requests.
    #[optional]
    pub call: Option<Meta>,
}

/// Which request types the server accepts augmented with tasks.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksRequests {
    /// Task support for tool-related requests.
    #[optional]
    pub tools: Option<ServerTasksToolsRequests>,
}

/// Present if the server supports task-augmented requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerTasksCapability {
    /// Whether this server supports `tasks/list`.
    #[optional]
    pub list: Option<Meta>,
    /// Whether this server supports `tasks/cancel`.
    #[optional]
    pub cancel: Option<Meta>,
    /// Specifies which request types can be augmented with tasks.
    #[optional]
    pub requests: Option<ServerTasksRequests>,
}

/// Capabilities that a server may support. Known capabilities are defined
/// here; this is not a closed set.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerCapabilities {
    /// Experimental, non-standard capabilities that the server supports.
    #[optional]
    pub experimental: Option<BTreeMap<String, Meta>>,
    /// Present if the server supports sending log messages to the client.
    #[optional]
    pub logging: Option<Meta>,
    /// Present if the server supports argument autocompletion suggestions.
    #[optional]
    pub completions: Option<Meta>,
    /// Present if the server offers any prompt templates.
    #[optional]
    pub prompts: Option<ServerPromptsCapability>,
    /// Present if the server offers any resources to read.
    #[optional]
    pub resources: Option<ServerResourcesCapability>,
    /// Present if the server offers any tools to call.
    #[optional]
    pub tools: Option<ServerToolsCapability>,
    /// Present if the server supports task-augmented requests.
    #[optional]
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
    #[optional]
    #[serde(rename = "_meta")]
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
    #[optional]
    pub instructions: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
