//! `DecodeError`: why an incoming message could not be decoded, as a
//! JSON-RPC error.

use std::fmt;

use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, RequestId};
use crate::registry::Dialect;

/// Why an incoming message could not be decoded, as a JSON-RPC error.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub code: ErrorCode,
    pub message: String,
    /// The request id, whenever the message had a readable one, so the
    /// receiver can reply with an error response.
    pub id: Option<RequestId>,
    /// The method name, when the message had one.
    pub method: Option<String>,
    /// The dialect of the protocol whose decoder failed: how
    /// [`DecodeError::to_response`] writes the error response.
    pub jsonrpc: Dialect,
}

impl DecodeError {
    pub fn parse_error(err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::ParseError,
            message: format!("parse error: {}", crate::peer_text::serde_error(&err)),
            id: None,
            method: None,
            jsonrpc: Dialect::V2,
        }
    }

    pub fn invalid_request(id: Option<RequestId>, message: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidRequest,
            message: format!(
                "invalid request: {}",
                crate::peer_text::bounded(&message.to_string())
            ),
            id,
            method: None,
            jsonrpc: Dialect::V2,
        }
    }

    pub fn method_not_found(id: Option<RequestId>, method: &str) -> Self {
        DecodeError {
            code: ErrorCode::MethodNotFound,
            message: format!("method not found: `{}`", crate::peer_text::name(method)),
            id,
            method: Some(crate::peer_text::name(method)),
            jsonrpc: Dialect::V2,
        }
    }

    pub fn invalid_params(id: Option<RequestId>, method: &str, err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidParams,
            message: format!(
                "invalid params for `{}`: {}",
                crate::peer_text::name(method),
                crate::peer_text::serde_error(&err)
            ),
            id,
            method: Some(method.to_owned()),
            jsonrpc: Dialect::V2,
        }
    }

    /// The error object to put in a JSON-RPC error response.
    pub fn to_error_object(&self) -> JSONRPCErrorError {
        JSONRPCErrorError {
            code: self.code.code(),
            message: self.message.clone(),
            data: None,
        }
    }

    /// The reply to send, as JSON text in the decoder's dialect: the error
    /// response with the message's id, or, for a message that could not be
    /// read as JSON or as a message (-32700, -32600) and had no readable
    /// id, the error with `"id": null` (JSON-RPC 2.0, section 5). `None`
    /// for what no one answers: a notification (-32601 or -32602 without
    /// an id).
    pub fn reply(&self) -> Option<Vec<u8>> {
        if let Some(response) = self.to_response() {
            return crate::expand_support::encode_message(&response).ok();
        }
        if !matches!(self.code, ErrorCode::ParseError | ErrorCode::InvalidRequest) {
            return None;
        }
        #[derive(serde::Serialize)]
        struct Unattributed {
            #[serde(skip_serializing_if = "Option::is_none")]
            jsonrpc: Option<&'static str>,
            error: JSONRPCErrorError,
            id: Option<RequestId>,
        }
        crate::expand_support::encode_message(&Unattributed {
            jsonrpc: self.jsonrpc.writes_version().then_some("2.0"),
            error: self.to_error_object(),
            id: None,
        })
        .ok()
    }

    /// The error response to send back; `None` when the message had no
    /// readable id (see [`DecodeError::reply`] for the `"id": null` one).
    pub fn to_response(&self) -> Option<JSONRPCError> {
        Some(JSONRPCError {
            jsonrpc: self.jsonrpc,
            error: self.to_error_object(),
            id: self.id.clone()?,
        })
    }
}

impl DecodeError {
    /// The same error, answered in `dialect`.
    #[inline]
    pub(super) fn in_dialect(self, dialect: Dialect) -> Self {
        DecodeError {
            jsonrpc: dialect,
            ..self
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.code())
    }
}

impl std::error::Error for DecodeError {}
