//! The session a transcript records: the negotiation, each side's
//! capabilities and the requests each side still awaits an answer to,
//! and the verdict on each message.

use std::collections::{HashMap, HashSet};
use std::fmt;

use protocol_macros::peer_text::{bounded, name};
use protocol_macros::{
    Capabilities, Carrier, DecodeError, ErrorCode, JSONRPCErrorError, Kind, MethodInfo, Registry,
    RequestId, Side, TypeInfo,
};
use serde_json::value::RawValue;
use serde_json::Value;

use super::{
    line::{member_at, object, request_id, unwrap_line, Members},
    locate::{bounded_pointer, Locator},
    report::{decoder_reason, quote_id, response_reason},
};
use super::{Decoders, Failure};

/// A failure before its line number is known.
pub(super) struct Fail {
    pub(super) method: Option<String>,
    pub(super) pointer: String,
    pub(super) reason: String,
}

impl Fail {
    pub(super) fn new(
        method: Option<&str>,
        pointer: impl Into<String>,
        reason: impl fmt::Display,
    ) -> Self {
        Fail {
            method: method.map(name),
            pointer: pointer.into(),
            reason: bounded(&reason.to_string()),
        }
    }

    pub(super) fn whole(reason: impl fmt::Display) -> Self {
        Fail::new(None, "", reason)
    }

    pub(super) fn at(self, line: usize) -> Failure {
        Failure {
            line,
            method: self.method,
            pointer: self.pointer,
            reason: self.reason,
        }
    }
}

/// A request waiting for its response.
pub(super) struct Pending {
    /// `None` when the request's method is unknown.
    pub(super) method: Option<&'static MethodInfo>,
    pub(super) line: usize,
    /// For the negotiation request: what its params declare, which holds
    /// once a successful response answers it (`None` inside when its params
    /// did not decode: it declares nothing).
    pub(super) negotiates: Option<Option<Value>>,
}

/// Where the transcript is in the protocol's negotiation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// No negotiation answered with success yet; the line of the one
    /// pending, if any.
    Before { pending: Option<usize> },
    /// The negotiation of this line was answered with success, or the
    /// protocol declares none (line 0).
    Open { line: usize },
}

/// What the transcript has established so far.
pub(super) struct Session<'a> {
    pub(super) registry: &'a Registry,
    pub(super) decoders: &'a Decoders,
    pub(super) from: Option<Side>,
    pub(super) capabilities: Capabilities,
    pub(super) stage: Stage,
    /// Pending requests by the side that sent them.
    pub(super) pending: [HashMap<RequestId, Pending>; 2],
    /// Answered requests by the side that sent them: their method and the
    /// response's line.
    pub(super) answered: [HashMap<RequestId, (Option<&'static MethodInfo>, usize)>; 2],
    pub(super) locator: Locator,
    /// The deprecated methods already warned about, by sender.
    pub(super) deprecated_seen: HashSet<(&'static str, Side)>,
    /// Warnings about the line being checked, taken by the caller.
    pub(super) warnings: Vec<Warning>,
}

/// A message that is valid but should not be sent: a deprecated method.
pub(super) struct Warning {
    pub(super) method: &'static str,
    pub(super) reason: String,
}

impl<'a> Session<'a> {
    pub(super) fn new(registry: &'a Registry, decoders: &'a Decoders, from: Option<Side>) -> Self {
        let stage = match registry.settings.negotiation {
            Some(_) => Stage::Before { pending: None },
            None => Stage::Open { line: 0 },
        };
        Session {
            registry,
            decoders,
            from,
            capabilities: Capabilities::before_negotiation(registry.settings),
            stage,
            pending: [HashMap::new(), HashMap::new()],
            answered: [HashMap::new(), HashMap::new()],
            locator: Locator::default(),
            deprecated_seen: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    /// Warns about the first use of a deprecated method by `side`: the
    /// message is valid, the method's deprecation says what to use instead.
    fn warn_deprecated(&mut self, side: Side, info: &'static MethodInfo) {
        let Some(message) = info.stability.deprecated else {
            return;
        };
        if self.deprecated_seen.insert((info.name, side)) {
            self.warnings.push(Warning {
                method: info.name,
                reason: format!(
                    "`{}` is deprecated: {message} (its later uses by the {} are not reported)",
                    info.name,
                    side.as_str()
                ),
            });
        }
    }

    pub(super) fn line(&mut self, number: usize, line: &[u8]) -> Result<(), Fail> {
        let text = std::str::from_utf8(line).map_err(|err| {
            Fail::whole(format!(
                "not UTF-8: invalid byte at offset {}",
                err.valid_up_to()
            ))
        })?;
        let members = object(text)?;
        if members.is_wrapper() {
            let (side, message) = unwrap_line(&members)?;
            let message = object(message)?;
            return self.message(number, side, message);
        }
        let Some(side) = self.from else {
            let reason = if members.message.is_some()
                && members.method.is_none()
                && !members.has_id_result_or_error()
            {
                "a transcript line needs `from`: \"client\" or \"server\""
            } else {
                "a bare message needs --from client|server; \
                 or write the line as {\"from\": \"client\"|\"server\", \"message\": …}"
            };
            return Err(Fail::new(members.method_name().as_deref(), "", reason));
        };
        if members.message.is_some()
            && members.method.is_none()
            && !members.has_id_result_or_error()
        {
            return Err(Fail::whole(
                "a transcript line needs `from`: \"client\" or \"server\"",
            ));
        }
        self.message(number, side, members)
    }

    pub(super) fn message(
        &mut self,
        number: usize,
        side: Side,
        message: Members<'_>,
    ) -> Result<(), Fail> {
        if message.method.is_some() {
            if message.id.is_some() {
                self.request(number, side, &message)
            } else {
                self.notification(side, &message)
            }
        } else if message.has_id_result_or_error() {
            self.response(number, side, &message)
        } else {
            Err(Fail::whole("invalid request: missing `method`"))
        }
    }

    pub(super) fn request(
        &mut self,
        number: usize,
        side: Side,
        message: &Members<'_>,
    ) -> Result<(), Fail> {
        let receiver = side.other();
        let decoded = match (self.decoders.receive[index(receiver)])(message.text.as_bytes()) {
            Ok(Some((info, Some(id)))) if info.kind == Kind::Request => Ok((info, id)),
            Ok(_) => Err(DecodeError::invalid_request(None, "not a request")),
            Err(err) => Err(err),
        };
        let (info, id) = match decoded {
            Ok(decoded) => decoded,
            Err(err) => {
                if let Some(id) = err.id.clone() {
                    let method = message
                        .method_name()
                        .and_then(|name| self.lookup(&name, side, Kind::Request));
                    // A negotiation its receiver cannot read still opens
                    // the session when it is answered with success; it
                    // declares nothing.
                    let first = method.is_some_and(|m| self.negotiates(m))
                        && self.stage == Stage::Before { pending: None };
                    if self
                        .register(side, id, method, number, first.then_some(None))
                        .is_none()
                        && first
                    {
                        self.stage = Stage::Before {
                            pending: Some(number),
                        };
                    }
                }
                return Err(self.decode_failure(side, Kind::Request, message, err));
            }
        };
        let negotiates = self.negotiates(info);
        let first = negotiates && self.stage == Stage::Before { pending: None };
        let declared = first.then(|| {
            Some(
                message
                    .params
                    .and_then(|params| self.carrier_value(Carrier::Params, params))
                    .unwrap_or(Value::Null),
            )
        });
        if let Some(earlier) = self.register(side, id.clone(), Some(info), number, declared) {
            return Err(Fail::new(
                Some(info.name),
                "/id",
                format!(
                    "id {} is already used by the {} request of line {earlier}, which is still pending",
                    quote_id(&id),
                    side.as_str()
                ),
            ));
        }
        if first {
            self.stage = Stage::Before {
                pending: Some(number),
            };
        } else if negotiates {
            let earlier = match self.stage {
                Stage::Before {
                    pending: Some(line),
                } => format!("the one of line {line} is still pending"),
                Stage::Open { line } => format!("the one of line {line} was answered with success"),
                Stage::Before { pending: None } => unreachable!("a first negotiation"),
            };
            return Err(Fail::new(
                Some(info.name),
                "/method",
                format!(
                    "a second `{}`: a transcript negotiates once, and {earlier}; this one changes nothing",
                    info.name
                ),
            ));
        } else {
            self.in_session(info)?;
        }
        self.gate(side, info, message.text)?;
        self.warn_deprecated(side, info);
        Ok(())
    }

    pub(super) fn notification(&mut self, side: Side, message: &Members<'_>) -> Result<(), Fail> {
        let receiver = side.other();
        match (self.decoders.receive[index(receiver)])(message.text.as_bytes()) {
            Ok(Some((info, None))) if info.kind == Kind::Notification => {
                self.in_session(info)?;
                if self.capabilities.opted_out(receiver, info.name) {
                    let list = self
                        .registry
                        .settings
                        .opt_out
                        .map_or_else(String::new, |list| format!(" (`{list}`)"));
                    return Err(Fail::new(
                        Some(info.name),
                        "/method",
                        format!(
                            "the {} opted out of `{}`{list}: the {} must not send it",
                            receiver.as_str(),
                            info.name,
                            side.as_str()
                        ),
                    ));
                }
                self.gate(side, info, message.text)?;
                self.warn_deprecated(side, info);
                Ok(())
            }
            Ok(_) => Err(self.decode_failure(
                side,
                Kind::Notification,
                message,
                DecodeError::invalid_request(None, "not a notification"),
            )),
            Err(err) => Err(self.decode_failure(side, Kind::Notification, message, err)),
        }
    }

    /// Whether `method` is the protocol's negotiation request.
    pub(super) fn negotiates(&self, method: &MethodInfo) -> bool {
        self.registry.settings.negotiates(method)
    }

    /// The rule of a protocol that negotiates: no request or notification
    /// but the negotiation before the negotiation is answered with success.
    pub(super) fn in_session(&self, info: &'static MethodInfo) -> Result<(), Fail> {
        let (Stage::Before { .. }, Some(negotiation)) =
            (self.stage, self.registry.settings.negotiation)
        else {
            return Ok(());
        };
        Err(Fail::new(
            Some(info.name),
            "/method",
            format!(
                "sent before the negotiation: `{}` must be answered with success \
                 before any other request or notification",
                negotiation.method
            ),
        ))
    }

    /// What `member` (the negotiation's params or result, as text) carries
    /// of each side's capabilities: a value with only the members on the
    /// way to them, read at the locations the protocol declares.
    pub(super) fn carrier_value(&self, member: Carrier, text: &RawValue) -> Option<Value> {
        let negotiation = self.registry.settings.negotiation?;
        let mut skeleton = None;
        for side in [Side::Client, Side::Server] {
            let Some(location) = negotiation.location(side).filter(|l| l.member == member) else {
                continue;
            };
            let Some(found) = member_at(text, location.path) else {
                continue;
            };
            let found = serde_json::from_str::<Value>(found.get()).unwrap_or(Value::Null);
            let mut slot = skeleton.get_or_insert(Value::Null);
            for name in location.path {
                if !slot.is_object() {
                    *slot = Value::Object(serde_json::Map::new());
                }
                slot = match slot {
                    Value::Object(members) => members.entry(*name).or_insert(Value::Null),
                    _ => unreachable!("made an object above"),
                };
            }
            *slot = found;
        }
        skeleton
    }

    /// Records a pending request; the line of the pending request with the
    /// same id, if there is one (which stays the one pending).
    pub(super) fn register(
        &mut self,
        side: Side,
        id: RequestId,
        method: Option<&'static MethodInfo>,
        line: usize,
        negotiates: Option<Option<Value>>,
    ) -> Option<usize> {
        if let Some(earlier) = self.pending[index(side)].get(&id) {
            return Some(earlier.line);
        }
        self.answered[index(side)].remove(&id);
        self.pending[index(side)].insert(
            id,
            Pending {
                method,
                line,
                negotiates,
            },
        );
        None
    }

    /// The capability gates, for what either side sends: a gated method
    /// needs its capability declared by the side the protocol says, an
    /// experimental method needs the experimental opt-in, and so do the
    /// experimental fields and values the opting side sends (the other
    /// side leaves experimental fields out and may send experimental values
    /// of stable fields).
    pub(super) fn gate(
        &self,
        side: Side,
        info: &'static MethodInfo,
        raw: &str,
    ) -> Result<(), Fail> {
        if let Err(refused) = self.capabilities.allow(info) {
            return Err(Fail::new(Some(info.name), "/method", refused));
        }
        let opting = self
            .registry
            .settings
            .experimental
            .is_some_and(|opt_in| opt_in.side == side);
        if !opting {
            return Ok(());
        }
        if let Err(refused) = self.capabilities.admit(info, raw.as_bytes()) {
            let pointer = match &refused.pointer {
                Some(pointer) => format!("/params{}", bounded_pointer(pointer)),
                None => "/method".to_owned(),
            };
            return Err(Fail::new(Some(info.name), pointer, refused));
        }
        Ok(())
    }

    /// An error with `"id": null`: the sender's answer to a message it could
    /// not read (JSON-RPC 2.0, section 5). It answers no request.
    pub(super) fn unattributed(&self, side: Side, message: &Members<'_>) -> Result<(), Fail> {
        let valid = message.result.is_none()
            && message.error.is_some_and(|error| {
                serde_json::from_str::<JSONRPCErrorError>(error.get()).is_ok()
            });
        if valid {
            return Ok(());
        }
        Err(Fail::new(
            None,
            "/id",
            format!(
                "invalid response: only an error the {} could not attribute has `\"id\": null`",
                side.as_str()
            ),
        ))
    }

    pub(super) fn response(
        &mut self,
        number: usize,
        side: Side,
        message: &Members<'_>,
    ) -> Result<(), Fail> {
        if let Some(member) = message
            .duplicate
            .filter(|m| ["id", "result", "error"].contains(m))
        {
            return Err(Fail::new(
                None,
                format!("/{member}"),
                format!("invalid response: duplicate `{member}` member"),
            ));
        }
        if self.registry.settings.jsonrpc.writes_version()
            && message.jsonrpc.map(RawValue::get) != Some("\"2.0\"")
        {
            let pointer = if message.jsonrpc.is_some() {
                "/jsonrpc"
            } else {
                ""
            };
            return Err(Fail::new(
                None,
                pointer,
                "invalid response: this protocol's messages carry `\"jsonrpc\": \"2.0\"`",
            ));
        }
        let Some(id) = message.id else {
            return Err(Fail::whole(
                "invalid response: a response needs the `id` of the request it answers",
            ));
        };
        if id.get() == "null" {
            return self.unattributed(side, message);
        }
        let Some(id) = request_id(id) else {
            return Err(Fail::new(
                None,
                "/id",
                "invalid response: `id` must be a string or an integer",
            ));
        };
        let asker = side.other();
        let Some(pending) = self.pending[index(asker)].get(&id) else {
            return Err(match self.answered[index(asker)].get(&id) {
                Some(&(method, line)) => Fail::new(
                    method.map(|m| m.name),
                    "/id",
                    format!(
                        "the {} request with id {} was already answered on line {line}",
                        asker.as_str(),
                        quote_id(&id)
                    ),
                ),
                None => Fail::new(
                    None,
                    "/id",
                    format!(
                        "no pending {} request has id {}",
                        asker.as_str(),
                        quote_id(&id)
                    ),
                ),
            });
        };
        let method = pending.method;
        let name = method.map(|m| m.name);
        // An invalid response answers nothing: the request stays pending.
        let result = match (message.result, message.error) {
            (Some(_), Some(_)) => {
                return Err(Fail::new(
                    name,
                    "",
                    "invalid response: it has both `result` and `error`",
                ))
            }
            (None, None) => {
                return Err(Fail::new(
                    name,
                    "",
                    "invalid response: it needs `result` or `error`",
                ))
            }
            (None, Some(error)) => {
                if serde_json::from_str::<JSONRPCErrorError>(error.get()).is_err() {
                    let info = TypeInfo::of::<JSONRPCErrorError>("JSONRPCErrorError");
                    let pointer = format!("/error{}", self.locator.locate(&info, error.get()));
                    return Err(Fail::new(
                        name,
                        pointer,
                        "invalid response: `error` must be {\"code\": <integer>, \"message\": <string>, \"data\"?: …}",
                    ));
                }
                None
            }
            (Some(result), None) => Some(result),
        };
        let pending = self.pending[index(asker)].remove(&id).expect("found above");
        self.answered[index(asker)].insert(id, (pending.method, number));
        if pending.negotiates.is_some() {
            // No longer in flight: a successful answer opens the session
            // below, anything else leaves it to be negotiated again.
            self.stage = Stage::Before { pending: None };
        }
        let Some(result) = result else {
            return Ok(());
        };
        let Some(method) = method else {
            return Err(Fail::new(
                None,
                "/result",
                format!(
                    "the {} request of line {} has an unknown method: only an error can answer it",
                    asker.as_str(),
                    pending.line
                ),
            ));
        };
        match (self.decoders.result[index(asker)])(method.name, result.get()) {
            Ok(()) => {
                if let Some(params) = pending.negotiates {
                    let result = self.carrier_value(Carrier::Result, result);
                    self.capabilities = Capabilities::negotiated(
                        self.registry.settings,
                        params.as_ref(),
                        result.as_ref(),
                    );
                    self.stage = Stage::Open { line: pending.line };
                }
                Ok(())
            }
            Err(reason) => {
                let pointer = match &method.response {
                    Some(info) => format!("/result{}", self.locator.locate(info, result.get())),
                    None => "/result".to_owned(),
                };
                Err(Fail::new(
                    Some(method.name),
                    pointer,
                    response_reason(&reason),
                ))
            }
        }
    }

    /// The registry's method `name`, sent by `side` as a `kind`.
    pub(super) fn lookup(&self, name: &str, side: Side, kind: Kind) -> Option<&'static MethodInfo> {
        self.registry
            .methods()
            .find(|m| m.name == name && m.direction == side.sends() && m.kind == kind)
    }

    /// The failure for a message its decoder refused: the decoder's
    /// message, and where the bad value is.
    pub(super) fn decode_failure(
        &mut self,
        side: Side,
        kind: Kind,
        message: &Members<'_>,
        err: DecodeError,
    ) -> Fail {
        let method = message.method_name();
        let method = method.as_deref();
        let mut reason = decoder_reason(&err);
        let pointer = match err.code {
            ErrorCode::InvalidParams => {
                let info = method
                    .and_then(|name| self.lookup(name, side, kind))
                    .and_then(|m| m.params);
                let params = message.params.map_or("null", RawValue::get);
                match info {
                    Some(info) => format!("/params{}", self.locator.locate(&info, params)),
                    None => "/params".to_owned(),
                }
            }
            ErrorCode::MethodNotFound => {
                if let Some(hint) = method.and_then(|name| self.hint(name, side, kind)) {
                    reason.push_str("; ");
                    reason.push_str(&hint);
                }
                "/method".to_owned()
            }
            _ => message.envelope_pointer(),
        };
        Fail::new(method, pointer, reason)
    }

    /// Why a method this side cannot send as this kind is not found: it
    /// exists in the other direction, or as the other kind.
    pub(super) fn hint(&self, name: &str, side: Side, kind: Kind) -> Option<String> {
        let other = self.registry.methods().find(|m| m.name == name)?;
        let what = format!(
            "`{}` is a {} {}",
            other.name,
            other.direction.as_str(),
            other.kind.as_str()
        );
        Some(if other.direction != side.sends() {
            format!("{what}: the {} does not send it", side.as_str())
        } else if other.kind != kind {
            match other.kind {
                Kind::Request => format!("{what}: it needs an `id`"),
                Kind::Notification => format!("{what}: it has no `id`"),
            }
        } else {
            what
        })
    }
}

/// The index of `side` in the per-side arrays (decoders, pending requests).
pub(super) const fn index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}
