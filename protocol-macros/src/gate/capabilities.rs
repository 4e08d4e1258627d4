//! `Capabilities`: what one connection's negotiation declared, and the
//! questions the gates ask of it.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::expand_support::encode_message;
use crate::jsonrpc::JSONRPCError;
use crate::method::{MethodSet, NotificationSet, RequestSet};
use crate::registry::{CapabilityPath, Carrier, MethodInfo, ProtocolSettings, Side};
use crate::stability::{Contract, TypeSchema};

use super::{
    error::{CapabilityError, EncodeError, ExperimentalRefusal},
    sending::InOrder,
};

/// What one connection's negotiation declared: each side's capabilities
/// object, as it was on the wire, and the protocol's settings that say
/// which capability opts into experimental parts and which lists the
/// notifications a side opted out of.
///
/// A capability is declared when the value at its path exists and is
/// neither `false` nor `null`. Before negotiation nothing is declared.
///
/// Capabilities are for reading: only a [`Connection`](crate::Connection),
/// whose capabilities come from its own negotiation, hands out the proof
/// that lets a gated message be sent.
#[derive(Clone, PartialEq)]
pub struct Capabilities {
    pub(super) protocol: &'static ProtocolSettings,
    pub(super) client: Option<Value>,
    pub(super) server: Option<Value>,
}

impl fmt::Debug for Capabilities {
    // The declared objects are the peers' text: their shape, not their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape = |side: &Option<Value>| match side {
            None => "not declared".to_owned(),
            Some(Value::Object(members)) => format!("{} members", members.len()),
            Some(_) => "not an object".to_owned(),
        };
        f.debug_struct("Capabilities")
            .field("client", &shape(&self.client))
            .field("server", &shape(&self.server))
            .finish()
    }
}

impl Capabilities {
    /// Nothing declared: a connection before its negotiation.
    pub const fn before_negotiation(protocol: &'static ProtocolSettings) -> Self {
        Capabilities {
            protocol,
            client: None,
            server: None,
        }
    }

    /// The capabilities of a negotiation exchange: the negotiation
    /// request's `params` and, once answered, its `result`, as JSON. Each
    /// side's capabilities are read at the location the protocol declares.
    /// For reading (as `validate` does); a connection records its own
    /// negotiation as it sends and receives it.
    pub fn negotiated(
        protocol: &'static ProtocolSettings,
        params: Option<&Value>,
        result: Option<&Value>,
    ) -> Self {
        let mut capabilities = Capabilities::before_negotiation(protocol);
        capabilities.record(Carrier::Params, params);
        capabilities.record(Carrier::Result, result);
        capabilities
    }

    /// Records what `member` (`params` or `result` of the negotiation)
    /// declares, for each side whose capabilities it carries.
    pub(crate) fn record(&mut self, member: Carrier, value: Option<&Value>) {
        let Some(negotiation) = self.protocol.negotiation else {
            return;
        };
        let Some(value) = value else { return };
        for side in [Side::Client, Side::Server] {
            let Some(location) = negotiation.location(side) else {
                continue;
            };
            if location.member != member {
                continue;
            }
            let declared = member_at(value, location.path).cloned();
            match side {
                Side::Client => self.client = declared,
                Side::Server => self.server = declared,
            }
        }
    }

    /// Sets what `side` declared, as if its negotiation had.
    pub(crate) fn set(&mut self, side: Side, declared: Option<Value>) {
        match side {
            Side::Client => self.client = declared,
            Side::Server => self.server = declared,
        }
    }

    /// The protocol these capabilities belong to.
    pub fn protocol(&self) -> &'static ProtocolSettings {
        self.protocol
    }

    /// The capabilities object `side` declared, if it declared one.
    pub fn declared_by(&self, side: Side) -> Option<&Value> {
        match side {
            Side::Client => self.client.as_ref(),
            Side::Server => self.server.as_ref(),
        }
    }

    /// Whether `capability` is declared: the value at its path exists and
    /// is neither `false` nor `null`.
    pub fn declares(&self, capability: CapabilityPath) -> bool {
        self.value_at(capability)
            .is_some_and(|value| !matches!(value, Value::Null | Value::Bool(false)))
    }

    pub(super) fn value_at(&self, capability: CapabilityPath) -> Option<&Value> {
        member_at(self.declared_by(capability.side)?, capability.path)
    }

    /// The capability that opts into experimental parts, if the protocol
    /// names one.
    pub fn experimental_capability(&self) -> Option<CapabilityPath> {
        self.protocol.experimental
    }

    /// Whether experimental methods, fields and values may be used: the
    /// opt-in is declared, or the protocol names none.
    pub fn allows_experimental(&self) -> bool {
        self.protocol
            .experimental
            .is_none_or(|opt_in| self.declares(opt_in))
    }

    /// Whether `receiver` opted out of notification `method`: the protocol's
    /// opt-out list is `receiver`'s and names it.
    pub fn opted_out(&self, receiver: Side, method: &str) -> bool {
        let Some(list) = self.protocol.opt_out.filter(|list| list.side == receiver) else {
            return false;
        };
        self.value_at(list)
            .and_then(Value::as_array)
            .is_some_and(|methods| methods.iter().any(|m| m.as_str() == Some(method)))
    }

    /// `Ok` when `method` may be sent on this connection: the capability the
    /// method requires, if any, is declared, and the experimental opt-in is
    /// if the method is experimental (checked in that order).
    pub fn allow(&self, method: &'static MethodInfo) -> Result<(), CapabilityError> {
        if let Some(capability) = method.capability {
            if !self.declares(capability) {
                return Err(CapabilityError {
                    method: method.name,
                    capability,
                    experimental: None,
                });
            }
        }
        match (method.stability.experimental, self.protocol.experimental) {
            (Some(reason), Some(opt_in)) if !self.declares(opt_in) => Err(CapabilityError {
                method: method.name,
                capability: opt_in,
                experimental: Some(reason),
            }),
            _ => Ok(()),
        }
    }

    /// The experimental gate for a received message of `method`, decoded
    /// from `raw`: `Ok` when the opt-in is declared, or when neither the
    /// method nor anything `raw`'s params set is experimental. `raw` is read
    /// again only when the method's params type has experimental parts and
    /// the opt-in is not declared.
    pub fn admit(&self, method: &MethodInfo, raw: &[u8]) -> Result<(), ExperimentalRefusal> {
        let Some(opt_in) = self.protocol.experimental else {
            return Ok(());
        };
        if self.declares(opt_in) {
            return Ok(());
        }
        let refuse = |reason: &str, pointer: Option<String>| ExperimentalRefusal {
            method: method.name,
            reason: reason.to_owned(),
            pointer,
            capability: opt_in,
        };
        if let Some(reason) = method.stability.experimental {
            return Err(refuse(reason, None));
        }
        let Some(schema) = method
            .params
            .and_then(|params| TypeSchema::experimental_parts(&params, Contract::Read))
        else {
            return Ok(());
        };
        let params = match params_of(raw) {
            Ok(params) => params,
            // What the decoder skipped may be more than a `Value` holds (a
            // lone surrogate, a huge number, deep nesting in an unknown
            // member): read it as the decoder did.
            Err(_) => match std::str::from_utf8(raw)
                .ok()
                .and_then(crate::lenient::value)
            {
                Some(Value::Object(mut message)) => message.remove("params"),
                // Not the text the message was decoded from: refuse rather
                // than let unread params through.
                _ => return Err(refuse(&format!("`{}` params", method.name), None)),
            },
        };
        match params {
            None => Ok(()),
            Some(params) => match schema.find_experimental(&params) {
                Some(found) => Err(refuse(&found.reason, Some(found.pointer))),
                None => Ok(()),
            },
        }
    }

    /// [`Capabilities::admit`] for a decoded request, with the refusal as
    /// the error response to send: code -32600, message `<reason> requires
    /// <capability> capability`, and the request's id. Call it after
    /// decoding `raw` into `request`, before handling it (a
    /// [`Connection`](crate::Connection) does it as it receives).
    // The error is the response to send, ready as is; it is only built on
    // the refusal path.
    #[allow(clippy::result_large_err)]
    pub fn admit_request<S: RequestSet>(
        &self,
        request: &S,
        raw: &[u8],
    ) -> Result<(), JSONRPCError> {
        self.admit(request.info(), raw)
            .map_err(|refused| refused.to_response(S::SET.protocol.jsonrpc, request.id().clone()))
    }

    /// [`Capabilities::admit`] for a decoded notification (which has no one
    /// to answer: drop it when refused).
    pub fn admit_notification<N: NotificationSet>(
        &self,
        notification: &N,
        raw: &[u8],
    ) -> Result<(), ExperimentalRefusal> {
        self.admit(notification.info(), raw)
    }

    /// `message` as JSON text for this connection's peer, or why the peer
    /// may not get it. Without the experimental opt-in, experimental fields
    /// are left out of the params, at any depth (an experimental value of a
    /// stable field is sent as is: leaving it out could break a required
    /// field). The message's own `Serialize` checks its proof.
    pub(crate) fn encode_allowed<M: MethodSet>(&self, message: &M) -> Result<Vec<u8>, EncodeError> {
        let info = message.info();
        self.allow(info).map_err(EncodeError::Refused)?;
        let strip = if self.allows_experimental() {
            None
        } else {
            info.params
                .and_then(|params| TypeSchema::experimental_parts(&params, Contract::Write))
        };
        let Some(schema) = strip else {
            return Ok(encode_message(message)?);
        };
        let mut value = serde_json::to_value(message)?;
        let Value::Object(members) = &mut value else {
            return Ok(encode_message(message)?);
        };
        if let Some(params) = members.get_mut("params") {
            schema.strip_experimental(params);
        }
        Ok(encode_message(&InOrder(members))?)
    }
}

/// The value at `path`, member names from `value` down.
pub(super) fn member_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |value, member| value.as_object()?.get(*member))
}

/// The `params` of the message `raw`, as JSON; `None` when it has none.
pub(crate) fn params_of(raw: &[u8]) -> Result<Option<Value>, serde_json::Error> {
    #[derive(Deserialize)]
    struct ParamsOnly {
        #[serde(default)]
        params: Option<Value>,
    }
    serde_json::from_slice::<ParamsOnly>(raw).map(|message| message.params)
}
