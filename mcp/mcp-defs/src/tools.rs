//! Tools: listing and calling them.

use std::collections::BTreeMap;

use protocol_macros::wire;
use serde_json::Value;

use crate::base::{Cursor, Icon, Meta, ObjectType, RequestMeta};
use crate::content::ContentBlock;
use crate::tasks::{CreateTaskResult, TaskMetadata};

/// A JSON Schema object describing a tool's input or output: `type` is
/// `"object"`; every other member (keywords this type does not name
/// included) is kept as sent.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolSchemaObject {
    /// The JSON Schema dialect; 2020-12 when absent.
    #[optional]
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    #[serde(rename = "type")]
    pub kind: ObjectType,
    #[optional]
    pub properties: Option<BTreeMap<String, Value>>,
    #[optional]
    pub required: Option<Vec<String>>,
    /// Any other keyword.
    #[serde(flatten)]
    pub members: BTreeMap<String, Value>,
}

/// Additional properties describing a tool to clients. All of them are
/// hints, not guaranteed to describe the tool faithfully.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolAnnotations {
    /// A human-readable title for the tool.
    #[optional]
    pub title: Option<String>,
    /// If true, the tool does not modify its environment. Default: false.
    #[optional]
    pub read_only_hint: Option<bool>,
    /// If true, the tool may perform destructive updates. Default: true.
    #[optional]
    pub destructive_hint: Option<bool>,
    /// If true, calling it repeatedly with the same arguments has no
    /// additional effect. Default: false.
    #[optional]
    pub idempotent_hint: Option<bool>,
    /// If true, the tool may interact with an "open world" of external
    /// entities. Default: true.
    #[optional]
    pub open_world_hint: Option<bool>,
}

/// Whether a tool supports task-augmented execution.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum TaskSupport {
    /// It does not (the default).
    Forbidden,
    /// It may.
    Optional,
    /// It must be called with a task.
    Required,
}

/// Execution-related properties for a tool.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolExecution {
    /// Whether this tool supports task-augmented execution. Default:
    /// `"forbidden"`.
    #[optional]
    pub task_support: Option<TaskSupport>,
}

/// Definition for a tool the client can call.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    /// A human-readable description of the tool, a hint to the model.
    #[optional]
    pub description: Option<String>,
    /// A JSON Schema object defining the expected parameters for the tool.
    pub input_schema: ToolSchemaObject,
    /// Execution-related properties for this tool.
    #[optional]
    pub execution: Option<ToolExecution>,
    /// An optional JSON Schema object defining the structure of the tool's
    /// output in the `structuredContent` field of a `CallToolResult`.
    #[optional]
    pub output_schema: Option<ToolSchemaObject>,
    /// Optional additional tool information. Display name precedence order
    /// is: title, annotations.title, then name.
    #[optional]
    pub annotations: Option<ToolAnnotations>,
    /// Optional set of sized icons that the client can display.
    #[optional]
    pub icons: Option<Vec<Icon>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The server's response to a `tools/list` request from the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListToolsResult {
    pub tools: Vec<Tool>,
    /// An opaque token representing the pagination position after the last
    /// returned result. If present, there may be more results available.
    #[optional]
    pub next_cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `tools/call` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CallToolRequestParams {
    /// The name of the tool.
    pub name: String,
    /// Arguments to use for the tool call.
    #[optional]
    pub arguments: Option<BTreeMap<String, Value>>,
    /// If specified, the caller requests task-augmented execution: the
    /// answer is a `CreateTaskResult`, the tool's result comes from
    /// `tasks/result`.
    #[optional]
    pub task: Option<TaskMetadata>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The server's response to a tool call.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CallToolResult {
    /// A list of content objects that represent the unstructured result of
    /// the tool call.
    pub content: Vec<ContentBlock>,
    /// An optional JSON object that represents the structured result of
    /// the tool call.
    #[optional]
    pub structured_content: Option<BTreeMap<String, Value>>,
    /// Whether the tool call ended in an error. Errors of the tool are
    /// reported here, not as protocol-level errors, so the model sees them.
    #[optional]
    pub is_error: Option<bool>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// What `tools/call` answers: the tool's result, or, when the request
/// carried `task`, the task created for it. Decoded in that fixed order: a
/// result has `content`, which a `CreateTaskResult` never has.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum CallToolResponse {
    Result(CallToolResult),
    Task(CreateTaskResult),
}
