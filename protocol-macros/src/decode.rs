//! Decoding incoming messages, with failures classified as JSON-RPC errors.
//!
//! The envelope is read first, leaving `params` as raw JSON; the method name
//! then picks the params type and `params` is decoded straight into it.

use std::fmt;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, JSONRPCResponse, RequestId};
use crate::method::{NotificationSet, RequestSet};

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
}

impl DecodeError {
    pub fn parse_error(err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::ParseError,
            message: format!("parse error: {err}"),
            id: None,
            method: None,
        }
    }

    pub fn invalid_request(id: Option<RequestId>, message: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidRequest,
            message: format!("invalid request: {message}"),
            id,
            method: None,
        }
    }

    pub fn method_not_found(id: Option<RequestId>, method: &str) -> Self {
        DecodeError {
            code: ErrorCode::MethodNotFound,
            message: format!("method not found: `{method}`"),
            id,
            method: Some(method.to_owned()),
        }
    }

    pub fn invalid_params(id: Option<RequestId>, method: &str, err: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::InvalidParams,
            message: format!("invalid params for `{method}`: {err}"),
            id,
            method: Some(method.to_owned()),
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

    /// The error response to send back; `None` when the message had no
    /// readable id (this wire has no `"id": null`), so there is no one to answer.
    pub fn to_response(&self) -> Option<JSONRPCError> {
        Some(JSONRPCError {
            error: self.to_error_object(),
            id: self.id.clone()?,
        })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.code())
    }
}

impl std::error::Error for DecodeError {}

/// Where a method's params come from: raw JSON text, or an already parsed value.
pub trait ParamsSource {
    /// Decodes the params; absent params decode as `null`.
    fn decode<T: DeserializeOwned>(self) -> Result<T, serde_json::Error>;
}

impl ParamsSource for Option<&RawValue> {
    fn decode<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.map_or("null", RawValue::get))
    }
}

impl ParamsSource for Option<Value> {
    fn decode<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        T::deserialize(self.unwrap_or(Value::Null))
    }
}

/// The params of a method declared without params: absent or `null`.
pub struct NoParams;

impl<'de> Deserialize<'de> for NoParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoParamsVisitor;
        impl<'de> Visitor<'de> for NoParamsVisitor {
            type Value = NoParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("no params (absent or null)")
            }
            fn visit_unit<E>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_none<E>(self) -> Result<NoParams, E> {
                Ok(NoParams)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoParams, A::Error> {
                match map.next_key::<IgnoredAny>()? {
                    None => Err(serde::de::Error::custom(
                        "this method takes no params; omit `params` or send null",
                    )),
                    Some(_) => Err(serde::de::Error::custom("this method takes no params")),
                }
            }
        }
        deserializer.deserialize_any(NoParamsVisitor)
    }
}

/// The members of a message, read without decoding `params`, `result` or `error`.
/// A member that is present is `Some`, even when it is `null`.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    error: Option<&'a RawValue>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

struct Envelope<'a> {
    id: Option<RequestId>,
    method: Option<String>,
    params: Option<&'a RawValue>,
    result: Option<&'a RawValue>,
    error: Option<&'a RawValue>,
}

fn read_envelope(json: &[u8]) -> Result<Envelope<'_>, DecodeError> {
    let raw: RawEnvelope<'_> = serde_json::from_slice(json).map_err(|err| {
        if err.is_syntax() || err.is_eof() || err.is_io() {
            DecodeError::parse_error(err)
        } else {
            DecodeError::invalid_request(None, "a message must be a JSON object")
        }
    })?;
    // serde reads a struct from an array too; a message is an object.
    if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(DecodeError::invalid_request(
            None,
            "a message must be a JSON object",
        ));
    }
    let id = match raw.id {
        None => None,
        Some(id) => Some(serde_json::from_str::<RequestId>(id.get()).map_err(|_| {
            DecodeError::invalid_request(None, "`id` must be a string or an integer")
        })?),
    };
    let method =
        match raw.method {
            None => None,
            Some(method) => Some(serde_json::from_str::<String>(method.get()).map_err(|_| {
                DecodeError::invalid_request(id.clone(), "`method` must be a string")
            })?),
        };
    Ok(Envelope {
        id,
        method,
        params: raw.params,
        result: raw.result,
        error: raw.error,
    })
}

/// Decodes one request of the set `R`.
pub fn decode_request<R: RequestSet>(json: &[u8]) -> Result<R, DecodeError> {
    let envelope = read_envelope(json)?;
    let Some(method) = envelope.method else {
        return Err(DecodeError::invalid_request(
            envelope.id,
            "missing `method`",
        ));
    };
    let Some(id) = envelope.id else {
        return Err(DecodeError::invalid_request(
            None,
            format!("request `{method}` has no `id`"),
        ));
    };
    R::from_parts(id, &method, envelope.params)
}

/// Decodes one notification of the set `N`.
pub fn decode_notification<N: NotificationSet>(json: &[u8]) -> Result<N, DecodeError> {
    let envelope = read_envelope(json)?;
    let Some(method) = envelope.method else {
        return Err(DecodeError::invalid_request(
            envelope.id,
            "missing `method`",
        ));
    };
    if let Some(id) = envelope.id {
        return Err(DecodeError::invalid_request(
            Some(id),
            format!("notification `{method}` must not have an `id`"),
        ));
    }
    N::from_parts(&method, envelope.params)
}

/// Any message one peer can receive: a request or notification from the
/// other side, or a response or error answering one of its own requests.
#[derive(Debug, Clone)]
pub enum Incoming<R, N> {
    Request(R),
    Notification(N),
    Response(JSONRPCResponse),
    Error(JSONRPCError),
}

/// Decodes whatever arrives: a request of `R`, a notification of `N`, or a
/// response or error to one of our own requests.
pub fn decode_incoming<R: RequestSet, N: NotificationSet>(
    json: &[u8],
) -> Result<Incoming<R, N>, DecodeError> {
    let envelope = read_envelope(json)?;
    match (envelope.method, envelope.id) {
        (Some(method), Some(id)) => {
            R::from_parts(id, &method, envelope.params).map(Incoming::Request)
        }
        (Some(method), None) => N::from_parts(&method, envelope.params).map(Incoming::Notification),
        (None, Some(id)) => match (envelope.result, envelope.error) {
            (Some(result), None) => {
                let result = serde_json::from_str(result.get())
                    .map_err(|err| DecodeError::invalid_request(Some(id.clone()), err))?;
                Ok(Incoming::Response(JSONRPCResponse { id, result }))
            }
            (None, Some(error)) => {
                let error = serde_json::from_str(error.get()).map_err(|err| {
                    DecodeError::invalid_request(
                        Some(id.clone()),
                        format!("bad `error` object: {err}"),
                    )
                })?;
                Ok(Incoming::Error(JSONRPCError { error, id }))
            }
            (Some(_), Some(_)) => Err(DecodeError::invalid_request(
                Some(id),
                "a response has either `result` or `error`, not both",
            )),
            (None, None) => Err(DecodeError::invalid_request(
                Some(id),
                "missing `method` (request), or `result` / `error` (response)",
            )),
        },
        (None, None) => Err(DecodeError::invalid_request(None, "missing `method`")),
    }
}
