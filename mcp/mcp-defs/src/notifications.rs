//! The params of the notifications either side sends: cancellation and
//! progress (the others' params are in their topic's module).

use protocol_macros::wire;

use crate::base::{Meta, ProgressToken, RequestId};

/// Parameters for a `notifications/cancelled` notification.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CancelledNotificationParams {
    /// The ID of the request to cancel, previously issued in the same
    /// direction. Required for non-task requests; not for tasks (use
    /// `tasks/cancel`).
    #[optional]
    pub request_id: Option<RequestId>,
    /// An optional string describing the reason for the cancellation.
    #[optional]
    pub reason: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `notifications/progress` notification.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressNotificationParams {
    /// The progress token given in the initial request.
    pub progress_token: ProgressToken,
    /// The progress thus far. Increases every time progress is made, even
    /// if the total is unknown.
    pub progress: serde_json::Number,
    /// Total number of items to process, if known.
    #[optional]
    pub total: Option<serde_json::Number>,
    /// An optional message describing the current progress.
    #[optional]
    pub message: Option<String>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
