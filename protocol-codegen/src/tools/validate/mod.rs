//! `validate`: a transcript of JSON-RPC messages checked against a protocol,
//! one message a line (JSONL).
//!
//! Each line is a bare message, whose sender `--from` gives, or
//! `{"from": "client" | "server", "message": …}`. A line is that wrapper
//! exactly when it has a `from` member and none of `method`, `id`, `result`
//! and `error`; any other line is a bare message, whatever other members
//! it has (`message` among them). A UTF-8 byte-order mark before the first
//! line is skipped.
//!
//! A message is checked the way its receiver reads it: the envelope, a
//! method known for that direction and kind, params decoded into the
//! method's type; a response answers a pending request of the other side
//! by id and its `result` decodes as that request's response type (an
//! invalid response, with both `result` and `error` or neither, or a bad
//! `error` object, answers nothing: the request stays pending). The verdict
//! is always the protocol's own decoder's; the method's JSON Schema
//! (serde's deserialize contract) only says where in the message the bad
//! value is.
//!
//! The session follows the negotiation the protocol declares: it comes
//! first, so any other request or notification of either side before a
//! successful response answers it fails; what it declares holds from that
//! response on; a second negotiation, while one is pending or once one
//! succeeded, fails and changes nothing (one answered with an error may be
//! sent again). A gated method is sent only once the capabilities
//! negotiated allow it, and a notification the receiver opted out of
//! (the protocol's opt-out capability) is never sent.
//!
//! A line is never read into a `serde_json::Value`: its members are found
//! as text, and a request or notification is decoded from the text by the
//! protocol's decoder, and a response's `result` is decoded from its text
//! as the request's response type, so a line costs what its decoding
//! costs. One part is read into a `Value`, because the experimental gate
//! reads it that way: the params of a method with experimental parts sent
//! without the experimental opt-in. The schema locates a bad value only in params or a
//! result of at most [`MAX_LOCATED_VALUES`] values; beyond, the report
//! points at `/params` or `/result`.
//!
//! A report quotes what the peer sent only as names, escaped and bounded
//! (a method, an id, a pointer token, an unknown field): the decoder's
//! messages are passed through [`without_peer_values`], which leaves out
//! the numbers and quoted text they take from the message.
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
use protocol_macros::peer_text::{bounded, name, without_unexpected, UNEXPECTED_NUMBERS};
use protocol_macros::{
    Capabilities, Carrier, DecodeError, Direction, ErrorCode, JSONRPCErrorError, Kind, MethodInfo,
    Peer, Registry, RequestId, ResponseError, TypeInfo,
};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::value::RawValue;
use serde_json::Value;

/// The longest line read; the rest of a longer line is skipped, and the
/// line reported. A request or notification costs a few times its line's
/// length (the line's buffer, and what the decoder builds), and so does a
/// `result`; the params the experimental gate reads are read into a
/// `Value`, about 60 times their length: a line at the limit costs at most
/// about 4 GiB,
/// which a 2-core machine with 24 GiB shared with other work can give
/// (BENCHMARKS.md, "validate").
pub const MAX_LINE: usize = 64 << 20;
/// The most characters of a peer's name (method, id, pointer token) a
/// report quotes.
const MAX_NAME: usize = 64;
/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

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
type DecodeResult = fn(&'static str, &str) -> Result<(), ResponseError>;

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
            let mut line = trim_line(&buffer);
            if number == 1 {
                line = line.strip_prefix(BOM).unwrap_or(line);
            }
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
    /// For the negotiation request: what its params declare, which holds
    /// once a successful response answers it (`None` inside when its params
    /// did not decode: it declares nothing).
    negotiates: Option<Option<Value>>,
}

/// Where the transcript is in the protocol's negotiation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// No negotiation answered with success yet; the line of the one
    /// pending, if any.
    Before { pending: Option<usize> },
    /// The negotiation of this line was answered with success, or the
    /// protocol declares none (line 0).
    Open { line: usize },
}

/// What the transcript has established so far.
struct Session<'a> {
    registry: &'a Registry,
    decoders: &'a Decoders,
    from: Option<Side>,
    capabilities: Capabilities,
    stage: Stage,
    /// Pending requests by the side that sent them.
    pending: [HashMap<RequestId, Pending>; 2],
    /// Answered requests by the side that sent them: their method and the
    /// response's line.
    answered: [HashMap<RequestId, (Option<&'static MethodInfo>, usize)>; 2],
    locator: Locator,
}

impl<'a> Session<'a> {
    fn new(registry: &'a Registry, decoders: &'a Decoders, from: Option<Side>) -> Self {
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
        }
    }

    fn line(&mut self, number: usize, line: &[u8]) -> Result<(), Fail> {
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

    fn message(&mut self, number: usize, side: Side, message: Members<'_>) -> Result<(), Fail> {
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

    fn request(&mut self, number: usize, side: Side, message: &Members<'_>) -> Result<(), Fail> {
        let receiver = side.other();
        let decoded = match (self.decoders.receive[receiver.index()])(message.text.as_bytes()) {
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
                    side.name()
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
        self.gate(side, info, message.text)
    }

    fn notification(&mut self, side: Side, message: &Members<'_>) -> Result<(), Fail> {
        let receiver = side.other();
        match (self.decoders.receive[receiver.index()])(message.text.as_bytes()) {
            Ok(Some((info, None))) if info.kind == Kind::Notification => {
                self.in_session(info)?;
                if self.capabilities.opted_out(receiver.peer(), info.name) {
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
                            receiver.name(),
                            info.name,
                            side.name()
                        ),
                    ));
                }
                self.gate(side, info, message.text)
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
    fn negotiates(&self, method: &MethodInfo) -> bool {
        self.registry.settings.negotiates(method)
    }

    /// The rule of a protocol that negotiates: no request or notification
    /// but the negotiation before the negotiation is answered with success.
    fn in_session(&self, info: &'static MethodInfo) -> Result<(), Fail> {
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
    fn carrier_value(&self, member: Carrier, text: &RawValue) -> Option<Value> {
        let negotiation = self.registry.settings.negotiation?;
        let mut skeleton = None;
        for side in [protocol_macros::Side::Client, protocol_macros::Side::Server] {
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
    fn register(
        &mut self,
        side: Side,
        id: RequestId,
        method: Option<&'static MethodInfo>,
        line: usize,
        negotiates: Option<Option<Value>>,
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

    /// An error with `"id": null`: the sender's answer to a message it could
    /// not read (JSON-RPC 2.0, section 5). It answers no request.
    fn unattributed(&self, side: Side, message: &Members<'_>) -> Result<(), Fail> {
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
                side.name()
            ),
        ))
    }

    fn response(&mut self, number: usize, side: Side, message: &Members<'_>) -> Result<(), Fail> {
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
        let Some(pending) = self.pending[asker.index()].get(&id) else {
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
        let pending = self.pending[asker.index()]
            .remove(&id)
            .expect("found above");
        self.answered[asker.index()].insert(id, (pending.method, number));
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
                    asker.name(),
                    pending.line
                ),
            ));
        };
        match (self.decoders.result[asker.index()])(method.name, result.get()) {
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

/// The top-level members of a JSON object that `validate` reads, each as
/// its text (the first, when one comes twice); the text of the object
/// itself. Nothing else of the object is kept.
#[derive(Default)]
struct Members<'a> {
    text: &'a str,
    from: Option<&'a RawValue>,
    message: Option<&'a RawValue>,
    method: Option<&'a RawValue>,
    id: Option<&'a RawValue>,
    result: Option<&'a RawValue>,
    error: Option<&'a RawValue>,
    params: Option<&'a RawValue>,
    jsonrpc: Option<&'a RawValue>,
    /// The name of the first other member.
    other: Option<Cow<'a, str>>,
    /// The first of the members above that came twice.
    duplicate: Option<&'static str>,
}

impl<'a> Members<'a> {
    /// A transcript line's wrapper: `from`, and nothing that makes a
    /// message.
    fn is_wrapper(&self) -> bool {
        self.from.is_some() && self.method.is_none() && !self.has_id_result_or_error()
    }

    /// Whether a member only a message has is present (`method` aside).
    fn has_id_result_or_error(&self) -> bool {
        self.id.is_some() || self.result.is_some() || self.error.is_some()
    }

    /// `method`, when it is a string.
    fn method_name(&self) -> Option<Cow<'a, str>> {
        let text = self.method?.get();
        serde_json::from_str::<&str>(text)
            .map(Cow::Borrowed)
            .or_else(|_| serde_json::from_str::<String>(text).map(Cow::Owned))
            .ok()
    }

    /// Where a broken envelope is broken: its `id` or `method` when one of
    /// them has the wrong type, else the whole message.
    fn envelope_pointer(&self) -> String {
        match (self.id, self.method) {
            (Some(id), _) if request_id(id).is_none() => "/id".to_owned(),
            (_, Some(method)) if !method.get().starts_with('"') => "/method".to_owned(),
            _ => String::new(),
        }
    }
}

/// `text`'s members, when it is a JSON object; why it is not a line or a
/// message otherwise. Each member is skipped as text (as the decoder skips
/// what it does not read): no value is built, at any depth.
fn object(text: &str) -> Result<Members<'_>, Fail> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let shape = deserializer
        .deserialize_any(ShapeVisitor)
        .and_then(|shape| deserializer.end().map(|()| shape))
        .map_err(|err| Fail::whole(format!("not JSON: {}", serde_error(err))))?;
    match shape {
        Shape::Object(members) => Ok(Members { text, ..members }),
        Shape::Array => Err(Fail::whole(
            "a message must be a JSON object (batches are not allowed)",
        )),
        Shape::Other => Err(Fail::whole("a message must be a JSON object")),
    }
}

enum Shape<'a> {
    Object(Members<'a>),
    Array,
    Other,
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Members::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let (slot, name) = match key.as_ref() {
                "from" => (&mut members.from, "from"),
                "message" => (&mut members.message, "message"),
                "method" => (&mut members.method, "method"),
                "id" => (&mut members.id, "id"),
                "result" => (&mut members.result, "result"),
                "error" => (&mut members.error, "error"),
                "params" => (&mut members.params, "params"),
                "jsonrpc" => (&mut members.jsonrpc, "jsonrpc"),
                _ => {
                    members.other.get_or_insert(key);
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let value = map.next_value::<&'de RawValue>()?;
            if slot.is_some() {
                members.duplicate.get_or_insert(name);
            } else {
                *slot = Some(value);
            }
        }
        Ok(Shape::Object(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Shape::Array)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Shape::Other)
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}

/// `{"from": …, "message": …}`: who sent the message, and its text.
fn unwrap_line<'a>(members: &Members<'a>) -> Result<(Side, &'a str), Fail> {
    if let Some(other) = &members.other {
        return Err(Fail::new(
            None,
            format!("/{}", pointer_token(other)),
            format!(
                "a transcript line has only `from` and `message`, not `{}`",
                name(other)
            ),
        ));
    }
    if let Some(member) = members.duplicate {
        return Err(Fail::new(
            None,
            format!("/{member}"),
            format!("duplicate `{member}` member"),
        ));
    }
    let side = match members.from.map(RawValue::get) {
        Some(r#""client""#) => Side::Client,
        Some(r#""server""#) => Side::Server,
        _ => {
            return Err(Fail::new(
                None,
                "/from",
                "`from` must be \"client\" or \"server\"",
            ))
        }
    };
    Ok((side, members.message.map_or("null", RawValue::get)))
}

/// The value at `path` in `text` (member names from the top down), as
/// text; `None` when a member on the way is missing or not an object.
fn member_at<'a>(text: &'a RawValue, path: &[&str]) -> Option<&'a RawValue> {
    let mut value = text;
    for name in path {
        let mut deserializer = serde_json::Deserializer::from_str(value.get());
        value = deserializer
            .deserialize_any(MemberVisitor { name })
            .ok()
            .flatten()?;
    }
    Some(value)
}

/// Finds one member of an object (the last, when it comes twice, as a
/// `Value` would keep it), skipping the rest as text.
struct MemberVisitor<'n> {
    name: &'n str,
}

impl<'de> Visitor<'de> for MemberVisitor<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == self.name {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A request id as the decoder reads one: a string or an integer.
fn request_id(id: &RawValue) -> Option<RequestId> {
    struct IdVisitor;
    impl Visitor<'_> for IdVisitor {
        type Value = Option<RequestId>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a request id")
        }
        fn visit_str<E>(self, id: &str) -> Result<Self::Value, E> {
            Ok(Some(RequestId::String(id.to_owned())))
        }
        fn visit_i64<E>(self, id: i64) -> Result<Self::Value, E> {
            Ok(Some(RequestId::Integer(id)))
        }
        fn visit_u64<E>(self, id: u64) -> Result<Self::Value, E> {
            Ok(i64::try_from(id).ok().map(RequestId::Integer))
        }
    }
    serde_json::Deserializer::from_str(id.get())
        .deserialize_any(IdVisitor)
        .ok()
        .flatten()
}

/// An id as a report quotes it: escaped and bounded.
fn quote_id(id: &RequestId) -> String {
    match id {
        RequestId::Integer(id) => id.to_string(),
        RequestId::String(id) => format!("\"{}\"", name(id)),
    }
}

/// The decoder's message for a message it refused, without serde's
/// position and without the values it quotes from the message.
fn decoder_reason(err: &DecodeError) -> String {
    let message = without_position(&err.message);
    if err.code == ErrorCode::InvalidParams {
        // `invalid params for `<method>`: <serde's message about the params>`
        if let Some(end) = message.find("`: ") {
            let (prefix, detail) = message.split_at(end + "`: ".len());
            return format!("{prefix}{}", without_peer_values(detail));
        }
    }
    without_values_of_unexpected(&message)
}

/// A response decoder's message, as [`decoder_reason`] makes one.
fn response_reason(err: &ResponseError) -> String {
    match err {
        ResponseError::Decode { method, error } => format!(
            "the result is not a valid `{method}` response: {}",
            without_peer_values(&without_position(error.message()))
        ),
        other => without_values_of_unexpected(&without_position(&other.to_string())),
    }
}

/// serde's description of an unexpected value, with the value: what it
/// quotes of the message (`invalid type: integer `7`, expected …`): the
/// decoder's own list, and booleans.
const UNEXPECTED: [(&str, &str); 4] = [
    UNEXPECTED_NUMBERS[0],
    UNEXPECTED_NUMBERS[1],
    UNEXPECTED_NUMBERS[2],
    ("boolean `", "a boolean"),
];

/// `text` with serde's unexpected values left out: ``integer `7` ``
/// becomes `an integer`, and so on (serde's strings are left out already,
/// by the decoder).
fn without_values_of_unexpected(text: &str) -> String {
    without_unexpected(text, &UNEXPECTED)
}

/// Where serde's own messages quote names of the type (its fields and
/// variants): the text right before the opening backtick.
const TYPE_NAMES: [&str; 4] = [
    "missing field ",
    "duplicate field ",
    "expected one of ",
    "expected ",
];

/// A decoder's message about a value (serde's, or one a type's own
/// `Deserialize` wrote), with nothing of the value quoted: serde's
/// unexpected values left out ([`without_values_of_unexpected`]), a text
/// in double quotes left out, and a text in backticks left out unless
/// serde quotes a name of the type there (``missing field `x` ``,
/// ``expected one of `a`, `b` ``) or the peer's member name
/// (``unknown field `x` ``, escaped and bounded as a name is).
pub(crate) fn without_peer_values(text: &str) -> String {
    let text = without_values_of_unexpected(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    // Whether the last quoted text was a name of the type, so that the
    // rest of serde's list (`` `a`, `b` or `c` ``) is too.
    let mut in_list = false;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open] as char;
        let before = &rest[..open];
        out.push_str(before);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            // Unclosed: the rest may be the value.
            out.push(quote);
            out.push('…');
            return out;
        };
        let quoted = &after[..close];
        let type_name = quote == '`'
            && ((in_list && matches!(before, ", " | " or " | ", or "))
                || TYPE_NAMES.iter().any(|name| out.ends_with(name)));
        let kept = if type_name {
            quoted.to_owned()
        } else if quote == '`' && out.ends_with("unknown field ") {
            name(quoted)
        } else {
            "…".to_owned()
        };
        in_list = type_name;
        out.push(quote);
        out.push_str(&kept);
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Finds where a value breaks its type's schema, with validators built
/// once per type (and only on the failure path).
#[derive(Default)]
struct Locator {
    validators: HashMap<usize, Option<jsonschema::Validator>>,
    /// How many values it evaluated against a schema.
    evaluated: usize,
}

/// The most values (each array, object, string, number…) of params or a
/// result the locator reads: the bad value of a larger one is reported at
/// `/params` or `/result`, so that locating it costs a bounded time and
/// memory whatever the line's length.
pub const MAX_LOCATED_VALUES: usize = 20_000;
/// The most bytes of member names the locator keeps.
const MAX_LOCATED_NAMES: usize = 4 << 20;
/// The most characters of a string value the locator keeps: a cut string
/// still differs from every `const` and `enum` value shorter than that (and
/// the schemas a registry's types have set no lengths or patterns).
const MAX_LOCATED: usize = 1024;

impl Locator {
    /// A JSON pointer into `text` (params or a result, as JSON text) to the
    /// deepest place its type's schema (serde's deserialize contract: what
    /// the receiver reads) rejects; `""` when the schema accepts it, or
    /// when `text` is larger than [`MAX_LOCATED_VALUES`] values.
    fn locate(&mut self, info: &TypeInfo, text: &str) -> String {
        let Some(value) = located_value(text) else {
            return String::new();
        };
        let validator = self
            .validators
            .entry(info.subschema as usize)
            .or_insert_with(|| validator(info));
        let Some(validator) = validator else {
            return String::new();
        };
        self.evaluated += 1;
        let evaluation = validator.evaluate(&value);
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

/// `text` as a `Value` with every string cut to [`MAX_LOCATED`]
/// characters; `None` when it has more than [`MAX_LOCATED_VALUES`] values
/// or [`MAX_LOCATED_NAMES`] bytes of member names (reading stops there), or
/// is nested deeper than serde_json reads.
fn located_value(text: &str) -> Option<Value> {
    let mut budget = Budget {
        values: MAX_LOCATED_VALUES,
        names: MAX_LOCATED_NAMES,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Bounded(&mut budget).deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// What is left of the locator's bounds.
struct Budget {
    values: usize,
    names: usize,
}

/// Reads one value within the budget.
struct Bounded<'b>(&'b mut Budget);

impl Bounded<'_> {
    fn take<E: serde::de::Error>(&mut self) -> Result<(), E> {
        match self.0.values.checked_sub(1) {
            Some(left) => {
                self.0.values = left;
                Ok(())
            }
            None => Err(E::custom("too many values to locate")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(mut self, value: bool) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(mut self, value: i64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_u64<E: serde::de::Error>(mut self, value: u64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_f64<E: serde::de::Error>(mut self, value: f64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_str<E: serde::de::Error>(mut self, value: &str) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(value.chars().take(MAX_LOCATED).collect()))
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Bounded(&mut *self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error as _;
        self.take()?;
        let mut members = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.names = self
                .0
                .names
                .checked_sub(key.len())
                .ok_or_else(|| A::Error::custom("member names too long to locate"))?;
            let value = map.next_value_seed(Bounded(&mut *self.0))?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
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
        let text = serde_json::json!({"a": [long, 1, "short"], "b": {"c": null}}).to_string();
        let cut = located_value(&text).unwrap();
        assert_eq!(cut["a"][0].as_str().unwrap().chars().count(), MAX_LOCATED);
        assert_eq!(cut["a"][1], 1);
        assert_eq!(cut["a"][2], "short");
        assert_eq!(cut["b"], serde_json::json!({"c": null}));
    }

    /// The schema is not asked where the bad value is in params over the
    /// bound: the failure is reported at `/params`.
    #[test]
    fn the_locator_is_not_asked_for_params_over_the_bound() {
        let info = TypeInfo::of::<JSONRPCErrorError>("JSONRPCErrorError");
        let mut locator = Locator::default();
        let small = r#"{"code": "bad", "message": "m"}"#;
        assert_eq!(locator.locate(&info, small), "/code");
        assert_eq!(locator.evaluated, 1);

        let values = vec!["1"; MAX_LOCATED_VALUES].join(",");
        let large = format!(r#"{{"code": "bad", "message": "m", "data": [{values}]}}"#);
        assert!(located_value(&large).is_none());
        assert_eq!(locator.locate(&info, &large), "");
        assert_eq!(locator.evaluated, 1);
        // Just under the bound, it is located.
        let values = vec!["1"; MAX_LOCATED_VALUES - 5].join(",");
        let under = format!(r#"{{"code": "bad", "message": "m", "data": [{values}]}}"#);
        assert_eq!(locator.locate(&info, &under), "/code");
        assert_eq!(locator.evaluated, 2);
    }

    #[test]
    fn decoder_messages_lose_the_values_they_quote() {
        for (message, expected) in [
            (
                "invalid value: integer `4242424242`, expected u32",
                "invalid value: an integer, expected u32",
            ),
            (
                "invalid type: floating point `1.5`, expected u64",
                "invalid type: a floating point number, expected u64",
            ),
            (
                "invalid type: boolean `true`, expected a string",
                "invalid type: a boolean, expected a string",
            ),
            (
                "invalid type: character ```, expected a string",
                "invalid type: a character, expected a string",
            ),
            (
                "expected an absolute path, got the relative path `sk-canary/x`",
                "expected an absolute path, got the relative path `…`",
            ),
            ("a \"sk-canary\" value", "a \"…\" value"),
            (
                "unknown variant, expected one of `apikey`, `chatgpt` or `x`",
                "unknown variant, expected one of `apikey`, `chatgpt` or `x`",
            ),
            ("missing field `token`", "missing field `token`"),
            (
                "unknown field `a\u{1}b`, expected `x` or `y`",
                "unknown field `a\\u{1}b`, expected `x` or `y`",
            ),
            ("unclosed `sk-canary", "unclosed `…"),
            ("expected `x`, got `sk-canary`", "expected `x`, got `…`"),
        ] {
            assert_eq!(without_peer_values(message), expected, "{message}");
        }
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
