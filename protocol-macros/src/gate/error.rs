//! Why a message was refused or could not be encoded.

use std::fmt;

use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, RequestId};
use crate::peer_text::JsonError;
use crate::registry::CapabilityPath;

/// A received message used an experimental method, field or value, and the
/// peer did not negotiate the experimental capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentalRefusal {
    /// The method of the message.
    pub method: &'static str,
    /// The reason its `experimental` mark gives.
    pub reason: String,
    /// Where in the params, as a JSON pointer; `None` when the method
    /// itself is experimental.
    pub pointer: Option<String>,
    /// The experimental opt-in.
    pub capability: CapabilityPath,
}

impl ExperimentalRefusal {
    /// The JSON-RPC error response to request `id`: -32600 with this
    /// refusal's message.
    pub fn to_response(&self, jsonrpc: crate::Dialect, id: RequestId) -> JSONRPCError {
        JSONRPCError {
            jsonrpc,
            error: JSONRPCErrorError {
                code: ErrorCode::InvalidRequest.code(),
                message: self.to_string(),
                data: None,
            },
            id,
        }
    }
}

impl fmt::Display for ExperimentalRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} requires {} capability",
            self.reason,
            Path(self.capability.path)
        )
    }
}

impl std::error::Error for ExperimentalRefusal {}

/// Why [`Capabilities::encode_outgoing`] produced no text. Neither
/// `Display` nor `Debug` shows a string value of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A request the peer may not receive.
    Refused(CapabilityError),
    /// A request another connection made, whose id is in that
    /// connection's pending table.
    OtherConnection {
        method: &'static str,
    },
    Json(JsonError),
}

impl From<serde_json::Error> for EncodeError {
    fn from(error: serde_json::Error) -> Self {
        EncodeError::Json(error.into())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Refused(refused) => refused.fmt(f),
            EncodeError::OtherConnection { method } => write!(
                f,
                "this `{method}` request was made by another connection, which pairs its response"
            ),
            EncodeError::Json(error) => write!(f, "cannot encode the message: {error}"),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::Refused(refused) => Some(refused),
            EncodeError::OtherConnection { .. } => None,
            EncodeError::Json(error) => Some(error),
        }
    }
}

/// Member names of a capability path, joined by dots.
pub(super) struct Path(pub &'static [&'static str]);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(member)?;
        }
        Ok(())
    }
}

/// A method was about to be sent on a connection whose negotiation did not
/// declare the capability the method requires, or the experimental opt-in
/// an experimental method requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityError {
    pub method: &'static str,
    /// The capability not declared (the experimental opt-in when
    /// `experimental` is set).
    pub capability: CapabilityPath,
    /// The reason the method is experimental, when that is why it was
    /// refused.
    pub experimental: Option<&'static str>,
}

impl fmt::Display for CapabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = self.capability.side;
        let path = Path(self.capability.path);
        match self.experimental {
            None => write!(
                f,
                "`{}` requires the {side} capability `{path}`, which this connection did not negotiate",
                self.method
            ),
            Some(reason) => write!(
                f,
                "`{}` is experimental ({reason}) and requires the {side} capability `{path}`, \
                 which this connection did not negotiate",
                self.method
            ),
        }
    }
}

impl std::error::Error for CapabilityError {}
