//! The traits the `#[protocol]` macro implements: one per method (marker
//! types) and one per message enum.

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::decode::{DecodeError, DecodeSet};
use crate::gate::Granted;
use crate::jsonrpc::{JSONRPCResponse, RequestId};
use crate::peer_text::JsonError;
use crate::registry::{MethodInfo, MethodSetInfo, TypeInfo};
use crate::wire_type::WireType;

/// A request method, as a type: `send::<AttestationGenerate>(params)` is
/// checked by the compiler against the params and response types.
pub trait Request: 'static {
    /// The wire method name.
    const METHOD: &'static str;
    /// The method's entry in the registry.
    const INFO: &'static MethodInfo;
    /// The params type; `()` for a method without params.
    type Params;
    /// The response type, a [`WireType`]: the method's `Request` impl is
    /// where a response type that is not one is reported, once, and the
    /// expansion reaches the type through the helpers below only.
    type Response: WireType;
    /// The message enum this method belongs to.
    type Set: RequestSet;

    #[doc(hidden)]
    const __RESPONSE_INFO: TypeInfo = <Self::Response as WireType>::__TYPE_INFO;

    #[doc(hidden)]
    fn __serialize_response<S: Serializer>(
        response: &Self::Response,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        response.serialize(serializer)
    }

    #[doc(hidden)]
    fn __decode_result(result: Value) -> Result<Self::Response, ResponseError> {
        decode_result(Self::METHOD, result)
    }

    #[doc(hidden)]
    fn __decode_result_text(result: &str) -> Result<Self::Response, ResponseError> {
        decode_result_text(Self::METHOD, result)
    }

    /// The request message with this id and these params; `granted` comes
    /// from [`Capabilities::grant_request`](crate::Capabilities::grant_request)
    /// ([`Outgoing::request`](crate::Outgoing::request) does all of it). With
    /// the proof a decoded message holds, the message reads but cannot be
    /// sent (see [`Granted`]).
    fn message(id: RequestId, params: Self::Params, granted: Granted<Self>) -> Self::Set;

    /// Wraps a typed response in the set's response enum.
    fn wrap_response(response: Self::Response) -> <Self::Set as RequestSet>::Response;

    /// The typed response inside the set's response enum, if it is this method's.
    fn unwrap_response(response: <Self::Set as RequestSet>::Response) -> Option<Self::Response>;

    /// The JSON-RPC response answering request `id` with `response`.
    fn respond(id: RequestId, response: &Self::Response) -> Result<JSONRPCResponse, ResponseError> {
        Ok(JSONRPCResponse {
            jsonrpc: <Self::Set as MethodSet>::SET.protocol.jsonrpc,
            id,
            result: serde_json::to_value(response)
                .map_err(|error| ResponseError::Encode(error.into()))?,
        })
    }
}

/// A notification method, as a type.
pub trait Notification: 'static {
    const METHOD: &'static str;
    const INFO: &'static MethodInfo;
    /// The params type; `()` for a method without params.
    type Params;
    type Set: NotificationSet;

    /// The notification message with these params; `granted` comes from
    /// [`Capabilities::grant_notification`](crate::Capabilities::grant_notification).
    fn message(params: Self::Params, granted: Granted<Self>) -> Self::Set;
}

/// A message enum: every method of one direction and kind.
pub trait MethodSet: Sized + Serialize {
    const SET: &'static MethodSetInfo;

    /// The wire method name of this message.
    fn method(&self) -> &'static str {
        self.info().name
    }

    /// The registry entry of this message's method.
    fn info(&self) -> &'static MethodInfo;
}

/// The request enum of one direction.
pub trait RequestSet: MethodSet + DecodeSet {
    /// The enum of typed responses, one variant per method.
    type Response: ResponseSet;

    fn id(&self) -> &RequestId;

    /// Decodes a JSON `result` as the response type of `method`. The error
    /// never shows a string value of `result` (which may be a credential).
    fn decode_response_for(method: &str, result: Value) -> Result<Self::Response, ResponseError>;

    /// [`RequestSet::decode_response_for`] of a `result` held as JSON text,
    /// read straight into the response type: no `Value` of it is built.
    fn decode_response_text(method: &str, result: &str) -> Result<Self::Response, ResponseError> {
        let Some(info) = Self::SET.methods.iter().find(|m| m.name == method) else {
            return Err(not_a_method(Self::SET, method));
        };
        let result = serde_json::from_str(result).map_err(|error| ResponseError::Decode {
            method: info.name,
            error: JsonError::from(error),
        })?;
        Self::decode_response_for(method, result)
    }

    /// Decodes one request from JSON text.
    fn decode(json: &[u8]) -> Result<Self, DecodeError> {
        crate::decode::decode_request(json)
    }

    /// Decodes the `result` of the response to this request; errors as
    /// [`RequestSet::decode_response_for`].
    fn decode_response(&self, result: Value) -> Result<Self::Response, ResponseError> {
        Self::decode_response_for(self.method(), result)
    }

    /// The JSON-RPC response to this request; an error if `response`
    /// belongs to another method.
    fn respond(&self, response: &Self::Response) -> Result<JSONRPCResponse, ResponseError> {
        if response.method() != self.method() {
            return Err(ResponseError::WrongMethod {
                request: self.method(),
                response: response.method(),
            });
        }
        Ok(JSONRPCResponse {
            jsonrpc: Self::SET.protocol.jsonrpc,
            id: self.id().clone(),
            result: serde_json::to_value(response)
                .map_err(|error| ResponseError::Encode(error.into()))?,
        })
    }
}

/// The notification enum of one direction.
pub trait NotificationSet: MethodSet + DecodeSet {
    /// Decodes one notification from JSON text.
    fn decode(json: &[u8]) -> Result<Self, DecodeError> {
        crate::decode::decode_notification(json)
    }
}

/// The typed responses of one request enum.
pub trait ResponseSet: Sized + Serialize {
    /// The method this response answers.
    fn method(&self) -> &'static str;
}

/// Why a response could not be built or read. Neither `Display` nor
/// `Debug` shows a string value of the result (which may be a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// The response belongs to another method than the request.
    WrongMethod {
        request: &'static str,
        response: &'static str,
    },
    /// No request with this id is waiting for a response.
    UnknownId(RequestId),
    /// `method` (escaped and bounded) is not a method of request set `set`.
    NotAMethod {
        set: &'static str,
        method: String,
    },
    /// The result does not match the method's response type.
    Decode {
        method: &'static str,
        error: JsonError,
    },
    Encode(JsonError),
}

impl std::fmt::Display for ResponseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseError::WrongMethod { request, response } => write!(
                f,
                "a `{response}` response cannot answer a `{request}` request"
            ),
            ResponseError::UnknownId(id) => write!(f, "no pending request has id {id}"),
            ResponseError::NotAMethod { set, method } => {
                write!(f, "`{method}` is not a method of {set}")
            }
            ResponseError::Decode { method, error } => {
                write!(f, "the result is not a valid `{method}` response: {error}")
            }
            ResponseError::Encode(error) => write!(f, "cannot encode the response: {error}"),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Decode { error, .. } | ResponseError::Encode(error) => Some(error),
            _ => None,
        }
    }
}

/// For `decode_response_for`: `result` as the response of `method`.
#[doc(hidden)]
pub fn decode_result<T: DeserializeOwned>(
    method: &'static str,
    result: Value,
) -> Result<T, ResponseError> {
    serde_json::from_value(result).map_err(|error| ResponseError::Decode {
        method,
        error: error.into(),
    })
}

/// For `decode_response_text`: `result`, JSON text, as the response of `method`.
#[doc(hidden)]
pub fn decode_result_text<T: DeserializeOwned>(
    method: &'static str,
    result: &str,
) -> Result<T, ResponseError> {
    serde_json::from_str(result).map_err(|error| ResponseError::Decode {
        method,
        error: error.into(),
    })
}

/// For `decode_response_for`: `method` is none of `set`'s.
#[doc(hidden)]
pub fn not_a_method(set: &'static MethodSetInfo, method: &str) -> ResponseError {
    ResponseError::NotAMethod {
        set: set.name,
        method: crate::peer_text::name(method),
    }
}
