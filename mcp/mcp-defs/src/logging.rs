//! Logging: the client sets the level, the server sends log messages.

use protocol_macros::wire;
use serde_json::Value;

use crate::base::{Meta, RequestMeta};

/// The severity of a log message (the syslog severities, RFC 5424).
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum LoggingLevel {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
    Alert,
    Emergency,
}

/// Parameters for a `logging/setLevel` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct SetLevelRequestParams {
    /// The level of logging that the client wants to receive from the
    /// server: this level and higher.
    pub level: LoggingLevel,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// Parameters for a `notifications/message` notification.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct LoggingMessageNotificationParams {
    /// The severity of this log message.
    pub level: LoggingLevel,
    /// An optional name of the logger issuing this message.
    #[optional]
    pub logger: Option<String>,
    /// The data to be logged, such as a string message or an object. Any
    /// JSON value.
    pub data: Value,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
