//! The capability gate and the sending half of a connection.
//!
//! A method declared with `capability = "name"` may only be sent to a peer
//! that negotiated that capability. [`Outgoing`] is the only way this crate
//! offers to issue requests, and it checks the gate for every one of them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;

use crate::jsonrpc::{JSONRPCError, JSONRPCResponse, RequestId};
use crate::method::{Notification, Request, RequestSet, ResponseError};
use crate::registry::MethodInfo;

/// The capabilities a peer negotiated: the names (wire names) of the
/// boolean capability fields it set to `true`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    granted: BTreeSet<String>,
}

impl Capabilities {
    /// No capability granted: what a peer that sent none gets.
    pub fn none() -> Self {
        Capabilities::default()
    }

    /// Reads the capabilities from their wire form: every top-level member
    /// whose value is `true`. Reading the serialised form keeps the names
    /// exactly as serde writes them.
    pub fn from_wire<T: Serialize + ?Sized>(capabilities: &T) -> Result<Self, serde_json::Error> {
        let value = serde_json::to_value(capabilities)?;
        let granted = match value {
            serde_json::Value::Object(members) => members
                .into_iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k)
                .collect(),
            _ => BTreeSet::new(),
        };
        Ok(Capabilities { granted })
    }

    pub fn grants(&self, capability: &str) -> bool {
        self.granted.contains(capability)
    }

    /// The proof that request `R` may be sent to this peer, or why not.
    pub fn grant_request<R: Request>(&self) -> Result<Granted<R>, CapabilityError> {
        self.allow(R::INFO).map(|()| Granted::new())
    }

    /// The proof that notification `N` may be sent to this peer, or why not.
    pub fn grant_notification<N: Notification>(&self) -> Result<Granted<N>, CapabilityError> {
        self.allow(N::INFO).map(|()| Granted::new())
    }

    /// `Ok` when `method` may be sent to this peer.
    pub fn allow(&self, method: &'static MethodInfo) -> Result<(), CapabilityError> {
        match method.capability {
            Some(capability) if !self.grants(capability) => Err(CapabilityError {
                method: method.name,
                capability,
            }),
            _ => Ok(()),
        }
    }
}

/// Proof that method `M` passed its capability gate. The message variant of
/// a method declared with `capability = "…"` carries one, and only
/// [`Capabilities::grant_request`] / [`Capabilities::grant_notification`]
/// hand them out (decoding a *received* message makes one too: the gate is
/// for what we send). So a gated message cannot be built, by the marker's
/// `message` or by the enum variant, without asking the connection.
pub struct Granted<M: ?Sized> {
    method: PhantomData<fn() -> M>,
}

impl<M: ?Sized> Granted<M> {
    fn new() -> Self {
        Granted {
            method: PhantomData,
        }
    }
}

/// For the decoder of received messages, which no gate applies to.
#[doc(hidden)]
pub fn received<M: ?Sized>() -> Granted<M> {
    Granted::new()
}

impl<M: ?Sized> Clone for Granted<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: ?Sized> Copy for Granted<M> {}

impl<M: ?Sized> PartialEq for Granted<M> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<M: ?Sized> Eq for Granted<M> {}

impl<M: ?Sized> std::hash::Hash for Granted<M> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl<M: ?Sized> fmt::Debug for Granted<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Granted")
    }
}

/// A method was about to be sent to a peer that did not negotiate the
/// capability the method requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityError {
    pub method: &'static str,
    pub capability: &'static str,
}

impl fmt::Display for CapabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` requires the client capability `{}`, which this connection did not negotiate",
            self.method, self.capability
        )
    }
}

impl std::error::Error for CapabilityError {}

/// The sending half of a connection for the requests of set `S`: allocates
/// ids, enforces capability gates and pairs responses with their requests.
/// It does no I/O: the caller serialises and sends the returned messages.
#[derive(Debug)]
pub struct Outgoing<S: RequestSet> {
    capabilities: Capabilities,
    next_id: i64,
    pending: BTreeMap<RequestId, &'static MethodInfo>,
    set: PhantomData<fn() -> S>,
}

impl<S: RequestSet> Outgoing<S> {
    /// Requests to a peer that negotiated `capabilities`.
    pub fn new(capabilities: Capabilities) -> Self {
        Outgoing {
            capabilities,
            next_id: 0,
            pending: BTreeMap::new(),
            set: PhantomData,
        }
    }

    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// The message for request `R` with a fresh id, or an error when the peer
    /// did not negotiate the capability `R` requires.
    pub fn request<R: Request<Set = S>>(
        &mut self,
        params: R::Params,
    ) -> Result<S, CapabilityError> {
        let granted = self.capabilities.grant_request::<R>()?;
        let id = RequestId::Integer(self.next_id);
        self.next_id += 1;
        self.pending.insert(id.clone(), R::INFO);
        Ok(R::message(id, params, granted))
    }

    /// Pairs a response with its pending request and decodes its result.
    pub fn complete(
        &mut self,
        response: JSONRPCResponse,
    ) -> Result<(RequestId, S::Response), ResponseError> {
        let method = self.take_pending(&response.id)?;
        let result = S::decode_response_for(method.name, response.result).map_err(|error| {
            ResponseError::Decode {
                method: method.name,
                error,
            }
        })?;
        Ok((response.id, result))
    }

    /// Like [`Outgoing::complete`], for a caller that knows which request it awaits.
    pub fn complete_as<R: Request<Set = S>>(
        &mut self,
        response: JSONRPCResponse,
    ) -> Result<R::Response, ResponseError> {
        match self.pending.get(&response.id) {
            Some(method) if method.name != R::METHOD => {
                return Err(ResponseError::WrongMethod {
                    request: method.name,
                    response: R::METHOD,
                })
            }
            _ => {}
        }
        let (_, response) = self.complete(response)?;
        Ok(R::unwrap_response(response).expect("method checked above"))
    }

    /// Retires the pending request an error response answers; returns its method.
    pub fn fail(&mut self, error: &JSONRPCError) -> Result<&'static MethodInfo, ResponseError> {
        self.take_pending(&error.id)
    }

    /// The requests still waiting for an answer, by id.
    pub fn pending(&self) -> impl Iterator<Item = (&RequestId, &'static str)> {
        self.pending.iter().map(|(id, m)| (id, m.name))
    }

    fn take_pending(&mut self, id: &RequestId) -> Result<&'static MethodInfo, ResponseError> {
        self.pending
            .remove(id)
            .ok_or_else(|| ResponseError::UnknownId(id.clone()))
    }
}
