//! `validate`: a transcript of JSON-RPC messages checked against a protocol,
//! one message a line (JSONL).
//!
//! Each line is a bare message, whose sender `--from` gives, or
//! `{"from": "client" | "server", "message": …}`. A message is checked the
//! way its receiver reads it: the envelope, a method known for that
//! direction and kind, params decoded into the method's type; a response
//! answers a pending request of the other side by id and its `result`
//! decodes as that request's response type; a gated method is sent only
//! once the capabilities negotiated allow it. The verdict is always the
//! protocol's own decoder's; the method's JSON Schema (serde's deserialize
//! contract) only says where in the message the bad value is.
//!
//! This module knows no protocol: [`Decoders`] hands it the decoders the
//! protocol's `#[protocol]` module generated, instantiated by the
//! protocol's binary; the registry's settings say how the protocol
//! negotiates capabilities.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, Read, Write};

use protocol_macros::__private::{receive_info, result_of};
use protocol_macros::peer_text::{bounded, name};
use protocol_macros::{
    Capabilities, DecodeError, Direction, ErrorCode, JSONRPCErrorError, Kind, MethodInfo, Peer,
    Registry, RequestId, ResponseError, TypeInfo,
};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// The longest line read; the rest of a longer line is skipped, and the
/// line reported.
pub const MAX_LINE: usize = 256 << 20;
/// The most characters of a peer's name (method, id, pointer token) a
/// report quotes.
const MAX_NAME: usize = 64;

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Side {
    /// The client: its requests and notifications go to the server.
    Client,
    /// The server: its requests and notifications go to the client.
    Server,
}

impl Side {
    pub const fn of(direction: Direction) -> Side {
        match direction {
            Direction::ClientToServer => Side::Client,
            Direction::ServerToClient => Side::Server,
        }
    }

    pub const fn direction(self) -> Direction {
        match self {
            Side::Client => Direction::ClientToServer,
            Side::Server => Direction::ServerToClient,
        }
    }

    pub const fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    /// `client` or `server`, as a transcript spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    /// The same side, as the protocol's runtime names it.
    pub const fn peer(self) -> protocol_macros::Side {
        match self {
            Side::Client => protocol_macros::Side::Client,
            Side::Server => protocol_macros::Side::Server,
        }
    }

    const fn index(self) -> usize {
        match self {
            Side::Client => 0,
            Side::Server => 1,
        }
    }
}

type Receive = fn(&[u8]) -> Result<Option<(&'static MethodInfo, Option<RequestId>)>, DecodeError>;
type DecodeResult = fn(&'static str, Value) -> Result<(), ResponseError>;

/// What `validate` needs of a protocol beyond its registry: the decoders
/// of what each side receives, as the protocol's `#[protocol]` module
/// generated them (`Decoders::of::<ServerSide>()`; either side names both).
/// How capabilities are negotiated comes from the registry's settings.
#[derive(Clone, Copy)]
pub struct Decoders {
    /// By the side that receives: decodes a request or notification of
    /// the other side.
    receive: [Receive; 2],
    /// By the side that sent the request: decodes the result of one of its
    /// requests.
    result: [DecodeResult; 2],
}

impl fmt::Debug for Decoders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoders").finish_non_exhaustive()
    }
}

impl Decoders {
    /// The decoders of both sides of `P`'s protocol.
    pub fn of<P: Peer>() -> Self {
        let (client, server) = match P::SIDE {
            protocol_macros::Side::Client => (
                (receive_info::<P> as Receive, result_of::<P> as DecodeResult),
                (
                    receive_info::<P::Other> as Receive,
                    result_of::<P::Other> as DecodeResult,
                ),
            ),
            protocol_macros::Side::Server => (
                (
                    receive_info::<P::Other> as Receive,
                    result_of::<P::Other> as DecodeResult,
                ),
                (receive_info::<P> as Receive, result_of::<P> as DecodeResult),
            ),
        };
        Decoders {
            receive: [client.0, server.0],
            result: [client.1, server.1],
        }
    }
}

/// One failing line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based.
    pub line: usize,
    /// The method of the message, or of the request a response answers;
    /// escaped and bounded.
    pub method: Option<String>,
    /// A JSON pointer into the message to the bad value (into the line for
    /// a fault of the line itself, such as its `from`); `""` for the whole.
    pub pointer: String,
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = self.method.as_deref().unwrap_or("(no method)");
        let pointer = serde_json::to_string(&self.pointer).map_err(|_| fmt::Error)?;
        write!(
            f,
            "line {}: {method} at {pointer}: {}",
            self.line, self.reason
        )
    }
}

/// How a transcript fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Messages read (lines that are not blank).
    pub messages: usize,
    pub failed: usize,
    /// Requests no response answered by the end.
    pub unanswered: usize,
}

/// Checks every line of `input` and writes a line to `out` for each one
/// that fails, as it goes, then the summary naming `source`. Blank lines
/// are skipped. An error is an I/O error reading `input`.
pub fn validate(
    registry: &Registry,
    decoders: &Decoders,
    from: Option<Side>,
    input: &mut dyn BufRead,
    source: &str,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let mut session = Session::new(registry, decoders, from);
    let mut summary = Summary::default();
    let mut buffer = Vec::new();
    let mut number = 0;
    while let Some(too_long) = read_line(input, &mut buffer, MAX_LINE)? {
        number += 1;
        let outcome = if too_long {
            summary.messages += 1;
            Err(Fail::whole(format!(
                "the line is longer than {MAX_LINE} bytes"
            )))
        } else {
            let line = trim_line(&buffer);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            summary.messages += 1;
            session.line(number, line)
        };
        if let Err(fail) = outcome {
            summary.failed += 1;
            let failure = fail.at(number);
            // The report is best effort: a closed pipe must not stop the check.
            let _ = writeln!(out, "{failure}");
        }
    }
    summary.unanswered = session.pending.iter().map(HashMap::len).sum();
    let _ = writeln!(out, "{}", summary.report(source));
    Ok(summary)
}

impl Summary {
    /// `<source>: 12 messages, all valid.` or `<source>: 3 of 12 messages failed.`
    pub fn report(&self, source: &str) -> String {
        let messages = plural(self.messages, "message");
        let mut report = if self.failed == 0 {
            format!("{source}: {messages}, all valid")
        } else {
            format!("{source}: {} of {messages} failed", self.failed)
        };
        if self.unanswered > 0 {
            report.push_str(&format!(
                "; {} unanswered at the end",
                plural(self.unanswered, "request")
            ));
        }
        report.push('.');
        report
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Reads one line into `buffer`: `None` at the end, `Some(true)` for a line
/// longer than `limit` bytes (skipped to its end).
fn read_line(
    input: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    buffer.clear();
    let read = Read::take(&mut *input, limit as u64 + 1).read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.len() <= limit || buffer.last() == Some(&b'\n') {
        return Ok(Some(false));
    }
    buffer.clear();
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                break;
            }
            None => {
                let all = available.len();
                input.consume(all);
            }
        }
    }
    Ok(Some(true))
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A failure before its line number is known.
struct Fail {
    method: Option<String>,
    pointer: String,
    reason: String,
}

impl Fail {
    fn new(method: Option<&str>, pointer: impl Into<String>, reason: impl fmt::Display) -> Self {
        Fail {
            method: method.map(name),
            pointer: pointer.into(),
            reason: bounded(&reason.to_string()),
        }
    }

    fn whole(reason: impl fmt::Display) -> Self {
        Fail::new(None, "", reason)
    }

    fn at(self, line: usize) -> Failure {
        Failure {
            line,
            method: self.method,
            pointer: self.pointer,
            reason: self.reason,
        }
    }
}

/// A request waiting for its response.
struct Pending {
    /// `None` when the request's method is unknown.
    method: Option<&'static MethodInfo>,
    line: usize,
    /// The params of the negotiation request, whose successful response
    /// puts the capabilities in force.
    negotiates: Option<Value>,
}

/// What the transcript has established so far.
struct Session<'a> {
    registry: &'a Registry,
    decoders: &'a Decoders,
    from: Option<Side>,
    capabilities: Capabilities,
    /// Pending requests by the side that sent them.
    pending: [HashMap<RequestId, Pending>; 2],
    /// Answered requests by the side that sent them: their method and the
    /// response's line.
    answered: [HashMap<RequestId, (Option<&'static MethodInfo>, usize)>; 2],
    locator: Locator,
}

impl<'a> Session<'a> {
    fn new(registry: &'a Registry, decoders: &'a Decoders, from: Option<Side>) -> Self {
        Session {
            registry,
            decoders,
            from,
            capabilities: Capabilities::before_negotiation(registry.settings),
            pending: [HashMap::new(), HashMap::new()],
            answered: [HashMap::new(), HashMap::new()],
            locator: Locator::default(),
        }
    }

    fn line(&mut self, number: usize, line: &[u8]) -> Result<(), Fail> {
        let text = std::str::from_utf8(line).map_err(|err| {
            Fail::whole(format!(
                "not UTF-8: invalid byte at offset {}",
                err.valid_up_to()
            ))
        })?;
        let value: Value = serde_json::from_str(text)
            .map_err(|err| Fail::whole(format!("not JSON: {}", serde_error(err))))?;
        let (side, raw, message) = match &value {
            Value::Object(members) if members.contains_key("message") => {
                let (side, raw) = unwrap_line(text)?;
                let message = match value {
                    Value::Object(mut members) => members.remove("message").unwrap_or_default(),
                    _ => Value::Null,
                };
                (side, raw, message)
            }
            _ => {
                let Some(side) = self.from else {
                    return Err(Fail::new(
                        method_of(&value),
                        "",
                        "a bare message needs --from client|server; \
                         or write the line as {\"from\": \"client\"|\"server\", \"message\": …}",
                    ));
                };
                (side, text, value)
            }
        };
        self.message(number, side, raw, &message)
    }

    fn message(
        &mut self,
        number: usize,
        side: Side,
        raw: &str,
        message: &Value,
    ) -> Result<(), Fail> {
        let Value::Object(members) = message else {
            let reason = match message {
                Value::Array(_) => "a message must be a JSON object (batches are not allowed)",
                _ => "a message must be a JSON object",
            };
            return Err(Fail::whole(reason));
        };
        if members.contains_key("method") {
            if members.contains_key("id") {
                self.request(number, side, raw, message)
            } else {
                self.notification(side, raw, message)
            }
        } else if ["id", "result", "error"]
            .iter()
            .any(|k| members.contains_key(*k))
        {
            self.response(number, side, raw)
        } else {
            Err(Fail::whole("invalid request: missing `method`"))
        }
    }

    fn request(
        &mut self,
        number: usize,
        side: Side,
        raw: &str,
        message: &Value,
    ) -> Result<(), Fail> {
        let receiver = side.other();
        let decoded = match (self.decoders.receive[receiver.index()])(raw.as_bytes()) {
            Ok(Some((info, Some(id)))) if info.kind == Kind::Request => Ok((info, id)),
            Ok(_) => Err(DecodeError::invalid_request(None, "not a request")),
            Err(err) => Err(err),
        };
        let (info, id) = match decoded {
            Ok(decoded) => decoded,
            Err(err) => {
                if let Some(id) = err.id.clone() {
                    let method =
                        method_of(message).and_then(|name| self.lookup(name, side, Kind::Request));
                    self.register(side, id, method, number, None);
                }
                return Err(self.decode_failure(side, Kind::Request, message, err));
            }
        };
        let negotiates = self
            .registry
            .settings
            .negotiation
            .filter(|n| n.method == info.name && info.direction == Direction::ClientToServer)
            .map(|_| message.get("params").cloned().unwrap_or(Value::Null));
        if let Some(earlier) = self.register(side, id.clone(), Some(info), number, negotiates) {
            return Err(Fail::new(
                Some(info.name),
                "/id",
                format!(
                    "id {} is already used by the {} request of line {earlier}, which is still pending",
                    quote_id(&id),
                    side.name()
                ),
            ));
        }
        self.gate(side, info, raw)
    }

    fn notification(&mut self, side: Side, raw: &str, message: &Value) -> Result<(), Fail> {
        let receiver = side.other();
        match (self.decoders.receive[receiver.index()])(raw.as_bytes()) {
            Ok(Some((info, None))) if info.kind == Kind::Notification => self.gate(side, info, raw),
            Ok(_) => Err(self.decode_failure(
                side,
                Kind::Notification,
                message,
                DecodeError::invalid_request(None, "not a notification"),
            )),
            Err(err) => Err(self.decode_failure(side, Kind::Notification, message, err)),
        }
    }

    /// Records a pending request; the line of the pending request with the
    /// same id, if there is one (which stays the one pending).
    fn register(
        &mut self,
        side: Side,
        id: RequestId,
        method: Option<&'static MethodInfo>,
        line: usize,
        negotiates: Option<Value>,
    ) -> Option<usize> {
        if let Some(earlier) = self.pending[side.index()].get(&id) {
            return Some(earlier.line);
        }
        self.answered[side.index()].remove(&id);
        self.pending[side.index()].insert(
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
    fn gate(&self, side: Side, info: &'static MethodInfo, raw: &str) -> Result<(), Fail> {
        if let Err(refused) = self.capabilities.allow(info) {
            return Err(Fail::new(Some(info.name), "/method", refused));
        }
        let opting = self
            .registry
            .settings
            .experimental
            .is_some_and(|opt_in| opt_in.side == side.peer());
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

    fn response(&mut self, number: usize, side: Side, raw: &str) -> Result<(), Fail> {
        let members: ResponseMembers = serde_json::from_str(raw)
            .map_err(|err| Fail::whole(format!("invalid response: {}", serde_error(err))))?;
        let Some(id) = members.id else {
            return Err(Fail::whole(
                "invalid response: a response needs the `id` of the request it answers",
            ));
        };
        let Some(id) = request_id(&id) else {
            return Err(Fail::new(
                None,
                "/id",
                "invalid response: `id` must be a string or an integer",
            ));
        };
        let asker = side.other();
        let Some(pending) = self.pending[asker.index()].remove(&id) else {
            return Err(match self.answered[asker.index()].get(&id) {
                Some(&(method, line)) => Fail::new(
                    method.map(|m| m.name),
                    "/id",
                    format!(
                        "the {} request with id {} was already answered on line {line}",
                        asker.name(),
                        quote_id(&id)
                    ),
                ),
                None => Fail::new(
                    None,
                    "/id",
                    format!(
                        "no pending {} request has id {}",
                        asker.name(),
                        quote_id(&id)
                    ),
                ),
            });
        };
        self.answered[asker.index()].insert(id.clone(), (pending.method, number));
        let method = pending.method;
        let name = method.map(|m| m.name);
        match (members.result, members.error) {
            (Some(_), Some(_)) => Err(Fail::new(
                name,
                "",
                "invalid response: it has both `result` and `error`",
            )),
            (None, None) => Err(Fail::new(
                name,
                "",
                "invalid response: it needs `result` or `error`",
            )),
            (None, Some(error)) => {
                if serde_json::from_value::<JSONRPCErrorError>(error.clone()).is_ok() {
                    return Ok(());
                }
                let info = TypeInfo::of::<JSONRPCErrorError>("JSONRPCErrorError");
                let pointer = format!("/error{}", self.locator.locate(&info, &error));
                Err(Fail::new(
                    name,
                    pointer,
                    "invalid response: `error` must be {\"code\": <integer>, \"message\": <string>, \"data\"?: …}",
                ))
            }
            (Some(result), None) => {
                let Some(method) = method else {
                    return Err(Fail::new(
                        None,
                        "/result",
                        format!(
                            "the {} request of line {} has an unknown method: only an error can answer it",
                            asker.name(),
                            pending.line
                        ),
                    ));
                };
                match (self.decoders.result[asker.index()])(method.name, result.clone()) {
                    Ok(()) => {
                        if let Some(params) = pending.negotiates {
                            self.capabilities = Capabilities::negotiated(
                                self.registry.settings,
                                Some(&params),
                                Some(&result),
                            );
                        }
                        Ok(())
                    }
                    Err(reason) => {
                        let pointer = match &method.response {
                            Some(info) => format!("/result{}", self.locator.locate(info, &result)),
                            None => "/result".to_owned(),
                        };
                        Err(Fail::new(
                            Some(method.name),
                            pointer,
                            without_position(&reason.to_string()),
                        ))
                    }
                }
            }
        }
    }

    /// The registry's method `name`, sent by `side` as a `kind`.
    fn lookup(&self, name: &str, side: Side, kind: Kind) -> Option<&'static MethodInfo> {
        self.registry
            .methods()
            .find(|m| m.name == name && m.direction == side.direction() && m.kind == kind)
    }

    /// The failure for a message its decoder refused: the decoder's
    /// message, and where the bad value is.
    fn decode_failure(
        &mut self,
        side: Side,
        kind: Kind,
        message: &Value,
        err: DecodeError,
    ) -> Fail {
        let method = method_of(message);
        let mut reason = without_position(&err.message);
        let pointer = match err.code {
            ErrorCode::InvalidParams => {
                let params = message.get("params").unwrap_or(&Value::Null);
                let info = method
                    .and_then(|name| self.lookup(name, side, kind))
                    .and_then(|m| m.params);
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
            _ => envelope_pointer(message),
        };
        Fail::new(method, pointer, reason)
    }

    /// Why a method this side cannot send as this kind is not found: it
    /// exists in the other direction, or as the other kind.
    fn hint(&self, name: &str, side: Side, kind: Kind) -> Option<String> {
        let other = self.registry.methods().find(|m| m.name == name)?;
        let what = format!(
            "`{}` is a {} {}",
            other.name,
            other.direction.as_str(),
            other.kind.as_str()
        );
        Some(if other.direction != side.direction() {
            format!("{what}: the {} does not send it", side.name())
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

/// Where a broken envelope is broken: its `id` or `method` when one of
/// them has the wrong type, else the whole message.
fn envelope_pointer(message: &Value) -> String {
    match (message.get("id"), message.get("method")) {
        (Some(id), _) if request_id(id).is_none() => "/id".to_owned(),
        (_, Some(method)) if !method.is_string() => "/method".to_owned(),
        _ => String::new(),
    }
}

fn method_of(message: &Value) -> Option<&str> {
    message.get("method").and_then(Value::as_str)
}

fn request_id(id: &Value) -> Option<RequestId> {
    match id {
        Value::String(id) => Some(RequestId::String(id.clone())),
        Value::Number(id) => id.as_i64().map(RequestId::Integer),
        _ => None,
    }
}

/// An id as a report quotes it: escaped and bounded.
fn quote_id(id: &RequestId) -> String {
    match id {
        RequestId::Integer(id) => id.to_string(),
        RequestId::String(id) => format!("\"{}\"", name(id)),
    }
}

/// The members of a response, each present or not (`null` is present).
#[derive(Deserialize)]
struct ResponseMembers {
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    error: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `{"from": …, "message": …}`: who sent the message, and its text.
fn unwrap_line(text: &str) -> Result<(Side, &str), Fail> {
    let members = serde_json::from_str::<LineMembers<'_>>(text)
        .map_err(|err| Fail::whole(format!("not a transcript line: {}", serde_error(err))))?;
    let mut from = None;
    let mut message = None;
    for (key, value) in members.0 {
        let slot = match key.as_ref() {
            "from" => &mut from,
            "message" => &mut message,
            other => {
                return Err(Fail::new(
                    None,
                    format!("/{}", pointer_token(other)),
                    format!(
                        "a transcript line has only `from` and `message`, not `{}`",
                        name(other)
                    ),
                ))
            }
        };
        if slot.replace(value).is_some() {
            return Err(Fail::new(
                None,
                format!("/{key}"),
                format!("duplicate `{key}` member"),
            ));
        }
    }
    let side = match from.map(RawValue::get) {
        Some(r#""client""#) => Side::Client,
        Some(r#""server""#) => Side::Server,
        Some(_) => {
            return Err(Fail::new(
                None,
                "/from",
                "`from` must be \"client\" or \"server\"",
            ))
        }
        None => {
            return Err(Fail::whole(
                "a transcript line needs `from`: \"client\" or \"server\"",
            ))
        }
    };
    Ok((side, message.map_or("null", RawValue::get)))
}

/// The members of an object, in order, duplicates kept.
struct LineMembers<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for LineMembers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = LineMembers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(LineMembers(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Finds where a value breaks its type's schema, with validators built
/// once per type (and only on the failure path).
#[derive(Default)]
struct Locator {
    validators: HashMap<usize, Option<jsonschema::Validator>>,
}

impl Locator {
    /// A JSON pointer into `value` to the deepest place its type's schema
    /// (serde's deserialize contract: what the receiver reads) rejects;
    /// `""` when the schema accepts it.
    fn locate(&mut self, info: &TypeInfo, value: &Value) -> String {
        let validator = self
            .validators
            .entry(info.subschema as usize)
            .or_insert_with(|| validator(info));
        let Some(validator) = validator else {
            return String::new();
        };
        let evaluation = validator.evaluate(&shortened(value));
        let mut deepest = None;
        deepest_failure(evaluation.root(), &mut deepest);
        deepest
            .map(|location| {
                location
                    .into_iter()
                    .map(|segment| format!("/{}", pointer_token(&segment.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The most characters of a string value the schema locator sees.
const MAX_LOCATED: usize = 1024;

/// `value` with every string value cut to [`MAX_LOCATED`] characters, so
/// that a huge string is neither copied nor quoted by the validator. Where
/// the value breaks its schema does not change: a cut string still differs
/// from every `const` and `enum` value shorter than that (and the schemas
/// a registry's types have set no lengths or patterns).
fn shortened(value: &Value) -> Value {
    match value {
        Value::String(text) if text.len() > MAX_LOCATED => {
            Value::String(text.chars().take(MAX_LOCATED).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(shortened).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), shortened(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The deepest instance location where the schema failed, following only
/// failing units (a branch of a union that failed does not count when
/// another branch held).
fn deepest_failure<'a>(
    unit: jsonschema::OutputUnit<'a>,
    deepest: &mut Option<&'a jsonschema::paths::Location>,
) {
    if unit.valid() {
        return;
    }
    let location = unit.instance_location();
    let depth = |location: &jsonschema::paths::Location| location.into_iter().count();
    if !unit.errors().is_empty() && deepest.is_none_or(|best| depth(location) > depth(best)) {
        *deepest = Some(location);
    }
    for child in unit.children() {
        deepest_failure(child, deepest);
    }
}

fn validator(info: &TypeInfo) -> Option<jsonschema::Validator> {
    let settings = schemars::generate::SchemaSettings::draft2020_12().for_deserialize();
    let mut generator = settings.into_generator();
    let Value::Object(mut schema) = (info.subschema)(&mut generator).to_value() else {
        return None;
    };
    schema.insert(
        "$defs".to_owned(),
        Value::Object(generator.take_definitions(true)),
    );
    jsonschema::draft202012::new(&Value::Object(schema)).ok()
}

/// A JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`), bounded.
/// Not escaped: a report quotes the whole pointer as a JSON string.
fn pointer_token(token: &str) -> String {
    bounded_token(&token.replace('~', "~0").replace('/', "~1"))
}

/// A pointer someone else built, its tokens bounded.
fn bounded_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|token| format!("/{}", bounded_token(token)))
        .collect()
}

/// At most [`MAX_NAME`] characters of `token`, then its length in bytes.
fn bounded_token(token: &str) -> String {
    match token.char_indices().nth(MAX_NAME) {
        Some((end, _)) => format!("{}… ({} bytes)", &token[..end], token.len()),
        None => token.to_owned(),
    }
}

/// A serde error about peer data, as protocol-macros' decode errors write
/// it: the string values and unknown variants it quotes left out, bounded.
fn serde_error(error: serde_json::Error) -> String {
    bounded(protocol_macros::JsonError::from(error).message())
}

/// `text` without serde_json's trailing ` at line L column C`: the pointer
/// says where, and a wrapped message's columns are not the line's.
fn without_position(text: &str) -> String {
    if let Some(start) = text.rfind(" at line ") {
        let position = &text[start + " at line ".len()..];
        let mut parts = position.splitn(2, " column ");
        let numeric = |part: Option<&str>| {
            part.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        if numeric(parts.next()) && numeric(parts.next()) {
            return text[..start].to_owned();
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locator_sees_long_strings_cut() {
        let long = "é".repeat(MAX_LOCATED * 2);
        let value = serde_json::json!({"a": [long, 1, "short"], "b": {"c": null}});
        let cut = shortened(&value);
        assert_eq!(cut["a"][0].as_str().unwrap().chars().count(), MAX_LOCATED);
        assert_eq!(cut["a"][1], 1);
        assert_eq!(cut["a"][2], "short");
        assert_eq!(cut["b"], value["b"]);
    }

    #[test]
    fn positions_are_cut_from_decoder_messages() {
        assert_eq!(
            without_position("invalid type: a string, expected u64 at line 1 column 30"),
            "invalid type: a string, expected u64"
        );
        assert_eq!(without_position("at line 1 column x"), "at line 1 column x");
        assert_eq!(without_position("no position"), "no position");
    }

    #[test]
    fn pointer_tokens_are_escaped_and_bounded() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_token("a\nb"), "a\nb");
        let failure = Failure {
            line: 1,
            method: None,
            pointer: "/a\nb/\"".to_owned(),
            reason: "r".to_owned(),
        };
        assert_eq!(
            failure.to_string(),
            r#"line 1: (no method) at "/a\nb/\"": r"#
        );
        let long = pointer_token(&"k".repeat(1000));
        assert!(long.ends_with("… (1000 bytes)"), "{long}");
        assert_eq!(bounded_pointer("/settings/turbo"), "/settings/turbo");
    }

    #[test]
    fn lines_longer_than_the_limit_are_skipped_to_their_end() {
        let text: &[u8] = b"one\nlong line\ntwo\nlonger";
        // A small buffer, so that skipping crosses refills.
        let mut input = io::BufReader::with_capacity(2, text);
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        while let Some(too_long) = read_line(&mut input, &mut buffer, 4).unwrap() {
            lines.push((too_long, String::from_utf8(buffer.clone()).unwrap()));
        }
        let expected = [(false, "one\n"), (true, ""), (false, "two\n"), (true, "")];
        let expected: Vec<_> = expected.iter().map(|&(t, l)| (t, l.to_owned())).collect();
        assert_eq!(lines, expected);
    }
}
