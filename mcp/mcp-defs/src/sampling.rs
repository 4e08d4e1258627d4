//! Sampling: the server asks the client's LLM for a message.

use protocol_macros::wire;

use crate::base::{Meta, RequestMeta, Role};
use crate::content::SamplingMessageContentBlock;
use crate::tasks::{CreateTaskResult, TaskMetadata};
use crate::tools::Tool;

/// A content block, or a list of them: told apart by the JSON type (an
/// object or an array).
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum SamplingContent {
    One(SamplingMessageContentBlock),
    Many(Vec<SamplingMessageContentBlock>),
}

/// Describes a message issued to or received from an LLM API.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingMessage {
    pub role: Role,
    pub content: SamplingContent,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Hints to use for model selection.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelHint {
    /// A hint for a model name: the client SHOULD treat it as a substring
    /// of a model name.
    #[optional]
    pub name: Option<String>,
}

/// The server's preferences for model selection, requested of the client
/// during sampling. All of them are advisory.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelPreferences {
    /// Optional hints to use for model selection, in order of preference.
    #[optional]
    pub hints: Option<Vec<ModelHint>>,
    /// How much to prioritize cost, from 0 to 1.
    #[optional]
    pub cost_priority: Option<serde_json::Number>,
    /// How much to prioritize sampling speed (latency), from 0 to 1.
    #[optional]
    pub speed_priority: Option<serde_json::Number>,
    /// How much to prioritize intelligence and capabilities, from 0 to 1.
    #[optional]
    pub intelligence_priority: Option<serde_json::Number>,
}

/// Which MCP servers' context to include in the prompt.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum IncludeContext {
    None,
    ThisServer,
    AllServers,
}

/// How the model may use tools.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoiceMode {
    /// The model decides (the default).
    Auto,
    /// The model MUST use at least one tool.
    Required,
    /// The model MUST NOT use any tools.
    None,
}

/// Controls tool selection behavior for sampling requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolChoice {
    /// Controls the tool use ability of the model.
    #[optional]
    pub mode: Option<ToolChoiceMode>,
}

/// Parameters for a `sampling/createMessage` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateMessageRequestParams {
    pub messages: Vec<SamplingMessage>,
    /// The server's preferences for which model to select.
    #[optional]
    pub model_preferences: Option<ModelPreferences>,
    /// An optional system prompt the server wants to use for sampling.
    #[optional]
    pub system_prompt: Option<String>,
    /// A request to include context from one or more MCP servers.
    #[optional]
    pub include_context: Option<IncludeContext>,
    #[optional]
    pub temperature: Option<serde_json::Number>,
    /// The requested maximum number of tokens to sample.
    pub max_tokens: u64,
    #[optional]
    pub stop_sequences: Option<Vec<String>>,
    /// Optional metadata to pass through to the LLM provider.
    #[optional]
    pub metadata: Option<Meta>,
    /// Tools that the model may use during generation (client capability
    /// `sampling.tools`).
    #[optional]
    pub tools: Option<Vec<Tool>>,
    /// Controls how the model uses tools (client capability `sampling.tools`).
    #[optional]
    pub tool_choice: Option<ToolChoice>,
    /// If specified, the caller requests task-augmented execution.
    #[optional]
    pub task: Option<TaskMetadata>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The client's response to a `sampling/createMessage` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateMessageResult {
    pub role: Role,
    pub content: SamplingContent,
    /// The name of the model that generated the message.
    pub model: String,
    /// The reason why sampling stopped, if known (`endTurn`,
    /// `stopSequence`, `maxTokens`, `toolUse`, or another string).
    #[optional]
    pub stop_reason: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// What `sampling/createMessage` answers: the message, or, when the
/// request carried `task`, the task created for it. Decoded in that fixed
/// order: a message has `role`, `content` and `model`, which a
/// `CreateTaskResult` never has.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum CreateMessageResponse {
    Result(CreateMessageResult),
    Task(CreateTaskResult),
}
