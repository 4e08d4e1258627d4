//! Tasks: durable state machines for long-running, task-augmented requests.

use std::collections::BTreeMap;

use protocol_macros::wire;
use serde_json::Value;

use crate::base::{Cursor, Meta};

/// Metadata for augmenting a request with task execution, sent as the
/// request's `task`.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskMetadata {
    /// Requested duration in milliseconds to retain the task from creation.
    #[optional]
    pub ttl: Option<u64>,
}

/// The status of a task.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Working,
    InputRequired,
    Completed,
    Failed,
    Cancelled,
}

/// Data associated with a task.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The task identifier.
    pub task_id: String,
    /// Current task state.
    pub status: TaskStatus,
    /// Optional human-readable message describing the current task state.
    #[optional]
    pub status_message: Option<String>,
    /// ISO 8601 timestamp when the task was created.
    pub created_at: String,
    /// ISO 8601 timestamp when the task was last updated.
    pub last_updated_at: String,
    /// Actual retention duration from creation in milliseconds, null for
    /// unlimited.
    #[required]
    pub ttl: Option<u64>,
    /// Suggested polling interval in milliseconds.
    #[optional]
    pub poll_interval: Option<u64>,
}

/// A response to a task-augmented request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTaskResult {
    pub task: Task,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters of a `tasks/get` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetTaskRequestParams {
    /// The task identifier to query.
    pub task_id: String,
}

/// Parameters of a `tasks/result` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetTaskPayloadRequestParams {
    /// The task identifier to retrieve results for.
    pub task_id: String,
}

/// Parameters of a `tasks/cancel` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CancelTaskRequestParams {
    /// The task identifier to cancel.
    pub task_id: String,
}

/// The response to a `tasks/get` request: the task (`Result & Task`).
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetTaskResult {
    /// The task identifier.
    pub task_id: String,
    /// Current task state.
    pub status: TaskStatus,
    /// Optional human-readable message describing the current task state.
    #[optional]
    pub status_message: Option<String>,
    /// ISO 8601 timestamp when the task was created.
    pub created_at: String,
    /// ISO 8601 timestamp when the task was last updated.
    pub last_updated_at: String,
    /// Actual retention duration from creation in milliseconds, null for
    /// unlimited.
    #[required]
    pub ttl: Option<u64>,
    /// Suggested polling interval in milliseconds.
    #[optional]
    pub poll_interval: Option<u64>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The response to a `tasks/cancel` request: the task (`Result & Task`).
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CancelTaskResult {
    /// The task identifier.
    pub task_id: String,
    /// Current task state.
    pub status: TaskStatus,
    /// Optional human-readable message describing the current task state.
    #[optional]
    pub status_message: Option<String>,
    /// ISO 8601 timestamp when the task was created.
    pub created_at: String,
    /// ISO 8601 timestamp when the task was last updated.
    pub last_updated_at: String,
    /// Actual retention duration from creation in milliseconds, null for
    /// unlimited.
    #[required]
    pub ttl: Option<u64>,
    /// Suggested polling interval in milliseconds.
    #[optional]
    pub poll_interval: Option<u64>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The response to a `tasks/result` request: the result of the original
/// request (its type depends on that request, so every member is kept).
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetTaskPayloadResult {
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
    /// The members of the original request's result.
    #[serde(flatten)]
    pub members: BTreeMap<String, Value>,
}

/// The response to a `tasks/list` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListTasksResult {
    pub tasks: Vec<Task>,
    /// An opaque token representing the pagination position after the last
    /// returned result. If present, there may be more results available.
    #[optional]
    pub next_cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `notifications/tasks/status` notification: the task
/// (`NotificationParams & Task`).
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStatusNotificationParams {
    /// The task identifier.
    pub task_id: String,
    /// Current task state.
    pub status: TaskStatus,
    /// Optional human-readable message describing the current task state.
    #[optional]
    pub status_message: Option<String>,
    /// ISO 8601 timestamp when the task was created.
    pub created_at: String,
    /// ISO 8601 timestamp when the task was last updated.
    pub last_updated_at: String,
    /// Actual retention duration from creation in milliseconds, null for
    /// unlimited.
    #[required]
    pub ttl: Option<u64>,
    /// Suggested polling interval in milliseconds.
    #[optional]
    pub poll_interval: Option<u64>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
