//! An oracle for the decoder: what a message *should* decode to, worked out
//! without the decoder.
//!
//! The input is read as plain JSON (`serde_json::Value`, with duplicate
//! members noted), the envelope is checked by the rules the decoder
//! documents (`protocol-macros/src/decode/`), and params are validated
//! against the method's JSON Schema in the receiver's (deserialize)
//! contract with `jsonschema`, never with serde. [`Oracle::check`] then
//! runs one reader and asserts it agrees: the same JSON-RPC code, the same
//! id, and for an accepted message the same value.
//!
//! Where JSON Schema and serde cannot agree, the oracle says so explicitly
//! and narrowly, and counts each such input ([`Counts`]):
//! - a duplicate member inside `params`: invisible to a `Value` (the last one
//!   wins), while serde's derived structs reject a duplicate field and its
//!   maps keep the last; such an input may be accepted or be -32602.
//! - an integral float (`1.0`) inside `params`: JSON Schema's `"integer"`
//!   accepts it, serde's integers do not; such an input may be -32602 where
//!   the schema accepts it.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use protocol_macros::{
    decode_incoming, DecodeError, Dialect, Direction, Incoming, Kind, MethodInfo, Peer, RequestId,
};
use schemars::generate::SchemaSettings;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Map, Number, Value};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;

/// One way of reading a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    ClientRequest,
    ServerRequest,
    ClientNotification,
    ServerNotification,
    /// `decode_incoming::<ClientRequest, ClientNotification>`: what a server receives.
    IncomingAtServer,
    /// `decode_incoming::<ServerRequest, ServerNotification>`: what a client receives.
    IncomingAtClient,
}

impl Reader {
    pub const ALL: [Reader; 6] = [
        Reader::ClientRequest,
        Reader::ServerRequest,
        Reader::ClientNotification,
        Reader::ServerNotification,
        Reader::IncomingAtServer,
        Reader::IncomingAtClient,
    ];

    fn requests(self) -> Option<Direction> {
        match self {
            Reader::ClientRequest | Reader::IncomingAtServer => Some(Direction::ClientToServer),
            Reader::ServerRequest | Reader::IncomingAtClient => Some(Direction::ServerToClient),
            _ => None,
        }
    }

    fn notifications(self) -> Option<Direction> {
        match self {
            Reader::ClientNotification | Reader::IncomingAtServer => {
                Some(Direction::ClientToServer)
            }
            Reader::ServerNotification | Reader::IncomingAtClient => {
                Some(Direction::ServerToClient)
            }
            _ => None,
        }
    }

    fn responses(self) -> bool {
        matches!(self, Reader::IncomingAtServer | Reader::IncomingAtClient)
    }
}

/// What a reader made of a message, in a form the oracle can compare.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A request or notification, re-encoded, and the decoded Rust value
    /// as `Debug` shows it (to tell a member the type ignored from one it
    /// read and then failed to write).
    Message {
        value: Value,
        debug: String,
    },
    /// A gated request, accepted, which cannot be re-encoded: the proof
    /// of a received message is not one to send.
    Received,
    Response {
        id: RequestId,
        result: Value,
    },
    Error {
        id: RequestId,
        error: Value,
    },
    /// An error with `"id": null`.
    UnattributedError(Value),
    Failed {
        code: i64,
        id: Option<RequestId>,
    },
}

impl Decoded {
    fn failed(err: DecodeError) -> Decoded {
        Decoded::Failed {
            code: err.code.code(),
            id: err.id,
        }
    }

    fn of<T: serde::Serialize + fmt::Debug>(result: Result<T, DecodeError>) -> Decoded {
        match result {
            Ok(message) => Decoded::sendable(&message),
            Err(err) => Decoded::failed(err),
        }
    }

    /// A decoded message re-encoded; a gated request that was received
    /// (not granted) refuses to be encoded, and says so.
    fn sendable<T: serde::Serialize + fmt::Debug>(message: &T) -> Decoded {
        match serde_json::to_value(message) {
            Ok(value) => Decoded::Message {
                value,
                debug: format!("{message:?}"),
            },
            Err(err) => {
                assert!(
                    err.to_string().contains("was received, not granted"),
                    "{err}"
                );
                Decoded::Received
            }
        }
    }

    fn incoming<R: serde::Serialize + fmt::Debug, N: serde::Serialize + fmt::Debug>(
        result: Result<Incoming<R, N>, DecodeError>,
    ) -> Decoded {
        match result {
            Ok(Incoming::Request(r)) => Decoded::sendable(&r),
            Ok(Incoming::Notification(n)) => Decoded::sendable(&n),
            Ok(Incoming::Response(r)) => Decoded::Response {
                id: r.id,
                result: r.result,
            },
            Ok(Incoming::Error(e)) => Decoded::Error {
                id: e.id,
                error: serde_json::to_value(&e.error).unwrap(),
            },
            Ok(Incoming::UnattributedError(e)) => {
                Decoded::UnattributedError(serde_json::to_value(&e).unwrap())
            }
            Err(err) => Decoded::failed(err),
        }
    }

    /// The code, 0 for an accepted message.
    pub fn code(&self) -> i64 {
        match self {
            Decoded::Failed { code, .. } => *code,
            _ => 0,
        }
    }
}

/// Runs `reader` of the protocol whose server side is `S` on `bytes`.
pub fn decode<S: Peer>(reader: Reader, bytes: &[u8]) -> Decoded
where
    S::Requests: fmt::Debug,
    S::Notifications: fmt::Debug,
    S::PeerRequests: fmt::Debug,
    S::PeerNotifications: fmt::Debug,
{
    use protocol_macros::{NotificationSet, RequestSet};
    match reader {
        Reader::ClientRequest => Decoded::of(<S::PeerRequests as RequestSet>::decode(bytes)),
        Reader::ServerRequest => Decoded::of(<S::Requests as RequestSet>::decode(bytes)),
        Reader::ClientNotification => {
            Decoded::of(<S::PeerNotifications as NotificationSet>::decode(bytes))
        }
        Reader::ServerNotification => {
            Decoded::of(<S::Notifications as NotificationSet>::decode(bytes))
        }
        Reader::IncomingAtServer => Decoded::incoming(decode_incoming::<
            S::PeerRequests,
            S::PeerNotifications,
        >(bytes)),
        Reader::IncomingAtClient => {
            Decoded::incoming(decode_incoming::<S::Requests, S::Notifications>(bytes))
        }
    }
}

/// A JSON value as written, duplicate members included.
#[derive(Debug, Clone)]
enum Node {
    Leaf(Value),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The value a `serde_json::Value` parse gives: the last of duplicate members wins.
    fn value(&self) -> Value {
        match self {
            Node::Leaf(v) => v.clone(),
            Node::Array(items) => Value::Array(items.iter().map(Node::value).collect()),
            Node::Object(members) => {
                let mut map = Map::new();
                for (k, v) in members {
                    map.insert(k.clone(), v.value());
                }
                Value::Object(map)
            }
        }
    }

    fn has_duplicate_member(&self) -> bool {
        match self {
            Node::Leaf(_) => false,
            Node::Array(items) => items.iter().any(Node::has_duplicate_member),
            Node::Object(members) => {
                let mut seen = BTreeSet::new();
                members
                    .iter()
                    .any(|(k, v)| !seen.insert(k.as_str()) || v.has_duplicate_member())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Leaf(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Leaf(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Leaf(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Leaf(
                    Number::from_f64(v).map_or(Value::Null, Value::Number),
                ))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Leaf(Value::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Leaf(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    members.push((k, v));
                }
                Ok(Node::Object(members))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// What the oracle expects of one reader.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A request or notification, as JSON: `method`, `id` (requests) and
    /// `params` (when present and not null).
    Message(Value),
    Response {
        id: RequestId,
        result: Value,
    },
    Error {
        id: RequestId,
        error: Value,
    },
    /// An error with `"id": null`.
    UnattributedError(Value),
    Failed {
        code: i64,
        id: Option<RequestId>,
    },
    /// One of the places where schema and serde cannot agree: accepted
    /// with this value, or -32602 with this id.
    MessageOrInvalidParams {
        message: Value,
        id: Option<RequestId>,
        why: Ambiguity,
    },
    /// Params whose schema verdict is "invalid", but serde may not see the
    /// difference (duplicate members): -32602 or accepted, the id kept.
    InvalidParamsOrAccepted {
        id: Option<RequestId>,
        why: Ambiguity,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ambiguity {
    DuplicateMemberInParams,
    IntegralFloatInParams,
}

/// How many checked inputs ended in each code, and how many fell in one of
/// the two documented gaps between schema and serde.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub by_code: BTreeMap<i64, usize>,
    pub ambiguous: BTreeMap<Ambiguity, usize>,
    /// Accepted messages with an absolute path that the decoder normalized.
    pub normalized_paths: usize,
    /// Accepted gated requests, which cannot be re-encoded to compare.
    pub received_gated: usize,
    /// The first disagreements between the oracle and a reader, shown.
    pub disagreements: Vec<String>,
    pub more_disagreements: usize,
    kinds: BTreeSet<String>,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.by_code.values().sum()
    }

    /// Fails when more than one input in twenty fell in a documented gap
    /// between schema and serde, where the oracle takes either outcome:
    /// the verdicts that can fail must stay the bulk of the run.
    pub fn assert_ambiguity_bounded(&self) {
        let ambiguous: usize = self.ambiguous.values().sum();
        assert!(
            ambiguous * 20 <= self.total(),
            "{ambiguous} of {} inputs were ambiguous (more than 5%): {:?}",
            self.total(),
            self.ambiguous
        );
    }

    /// Fails, showing the disagreements, if there were any.
    pub fn assert_agreed(&self) {
        assert!(
            self.disagreements.is_empty(),
            "{} disagreements with the oracle, the first:\n{}",
            self.disagreements.len() + self.more_disagreements,
            self.disagreements.join("\n")
        );
    }
}

/// The oracle: every method's params schema, compiled once.
pub struct Oracle {
    /// By name and direction: a method both peers send is there twice.
    methods: BTreeMap<(&'static str, Direction), Method>,
    error_object: jsonschema::Validator,
    /// Whether messages must carry `"jsonrpc": "2.0"`.
    dialect: Dialect,
    /// The readers under test, of the same protocol.
    decode: fn(Reader, &[u8]) -> Decoded,
}

struct Method {
    info: &'static MethodInfo,
    params: Option<jsonschema::Validator>,
}

/// The schema of a type as its receiver reads it (schemars' deserialize
/// contract), as one root schema with its `$defs`.
fn receiver_schema(json_schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema) -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let schema = json_schema(&mut generator);
    let mut schema = schema.to_value();
    let definitions = generator.take_definitions(true);
    if let Value::Object(root) = &mut schema {
        root.insert("$defs".to_owned(), Value::Object(definitions));
    }
    bound_integer_formats(&mut schema);
    // `AbsolutePathBuf` is a plain string in the schema, but its serde
    // rejects a relative path (its documented rule; on Unix, absolute means
    // a leading `/`): the oracle adds that rule to the schema.
    if let Some(path) = schema.pointer_mut("/$defs/AbsolutePathBuf") {
        path["pattern"] = Value::from("^/");
    }
    schema
}

/// schemars writes a Rust integer's range as `"format": "uint32"` (and only
/// `"minimum": 0`); `format` is an annotation that validators do not apply
/// to numbers, so the oracle turns it into the bounds it names.
fn bound_integer_formats(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let bounds: Option<(i128, i128)> = match map.get("format").and_then(Value::as_str) {
                Some("uint8") => Some((0, u8::MAX.into())),
                Some("uint16") => Some((0, u16::MAX.into())),
                Some("uint32") => Some((0, u32::MAX.into())),
                Some("uint64") | Some("uint") => Some((0, u64::MAX.into())),
                Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
                Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("int64") | Some("int") => Some((i64::MIN.into(), i64::MAX.into())),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                let number = |n: i128| {
                    i64::try_from(n)
                        .map(Value::from)
                        .unwrap_or_else(|_| Value::from(n as u64))
                };
                map.insert("minimum".to_owned(), number(min));
                map.insert("maximum".to_owned(), number(max));
            }
            for value in map.values_mut() {
                bound_integer_formats(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integer_formats),
        _ => {}
    }
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|err| panic!("{schema}: {err}"))
}

fn id_of(value: &Value) -> Option<RequestId> {
    match value {
        Value::String(s) => Some(RequestId::String(s.clone())),
        Value::Number(n) => n.as_i64().map(RequestId::Integer),
        _ => None,
    }
}

fn id_value(id: &RequestId) -> Value {
    match id {
        RequestId::String(s) => Value::String(s.clone()),
        RequestId::Integer(i) => Value::from(*i),
    }
}

fn has_integral_float(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(|f| f.fract() == 0.0),
        Value::Array(items) => items.iter().any(has_integral_float),
        Value::Object(map) => map.values().any(has_integral_float),
        _ => false,
    }
}

/// Whether `decoded` (a message re-encoded by serde) says what `sent` (the
/// JSON the oracle read) says. A member only one side has is a member serde
/// dropped (unknown to the type, or `null` where the type skips an empty
/// value) or filled in (an absent member read as its default).
///
/// An absolute path is normalized as it is read (`AbsolutePathBuf`: `//a/./b`
/// is `/a/b`), so a decoded string equal to the sent one once normalized
/// lexically is the same value; `normalized` counts those.
pub fn same_value(decoded: &Value, sent: &Value, normalized: &mut usize) -> bool {
    match (decoded, sent) {
        (Value::Object(d), Value::Object(s)) => d.iter().all(|(k, dv)| match s.get(k) {
            Some(sv) => same_value(dv, sv, normalized),
            None => is_default(dv),
        }),
        (Value::Array(d), Value::Array(s)) => {
            d.len() == s.len() && d.iter().zip(s).all(|(d, s)| same_value(d, s, normalized))
        }
        (Value::String(d), Value::String(s)) if d != s && s.starts_with('/') => {
            let same = *d == normalize_path(s);
            *normalized += usize::from(same);
            same
        }
        (Value::Number(d), Value::Number(s)) => match (d.as_i64(), s.as_i64()) {
            (Some(d), Some(s)) => d == s,
            _ => match (d.as_u64(), s.as_u64()) {
                (Some(d), Some(s)) => d == s,
                _ => d.as_f64() == s.as_f64(),
            },
        },
        (d, s) => d == s,
    }
}

/// A step down a JSON value: a member name or an array index.
#[derive(Debug, Clone)]
enum Step {
    Member(String),
    Index(usize),
}

/// The paths of the members `sent` has and `decoded` lacks, at any depth
/// where both have an object (arrays are compared element by element).
fn members_missing(sent: &Value, decoded: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match (sent, decoded) {
        (Value::Object(s), Value::Object(d)) => {
            for (k, sv) in s {
                at.push(Step::Member(k.clone()));
                match d.get(k) {
                    Some(dv) => members_missing(sv, dv, at, out),
                    None => out.push(at.clone()),
                }
                at.pop();
            }
        }
        (Value::Array(s), Value::Array(d)) => {
            for (i, (sv, dv)) in s.iter().zip(d).enumerate() {
                at.push(Step::Index(i));
                members_missing(sv, dv, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Removes the member at `path` (whose last step is a member name).
fn remove_at(value: &mut Value, path: &[Step]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = value;
    for step in parents {
        node = match (step, node) {
            (Step::Member(k), Value::Object(map)) => map.get_mut(k).expect("a path of this value"),
            (Step::Index(i), Value::Array(items)) => &mut items[*i],
            _ => unreachable!("a path of this value"),
        };
    }
    if let (Step::Member(k), Value::Object(map)) = (last, node) {
        map.remove(k);
    }
}

/// `AbsolutePathBuf`'s normalization, written again: `.` dropped, `..`
/// resolved against the component before it (never above the root), and
/// repeated or trailing separators dropped.
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

fn is_default(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(true) => false,
    }
}

impl Default for Oracle {
    fn default() -> Self {
        Oracle::new()
    }
}

impl Oracle {
    /// The oracle of codex's protocol.
    pub fn new() -> Oracle {
        Oracle::of::<protocol_defs::ServerSide>()
    }

    /// The oracle of the protocol whose server side is `S`.
    pub fn of<S: Peer>() -> Oracle
    where
        S::Requests: fmt::Debug,
        S::Notifications: fmt::Debug,
        S::PeerRequests: fmt::Debug,
        S::PeerNotifications: fmt::Debug,
    {
        let registry = S::registry();
        let methods = registry
            .methods()
            .map(|info| {
                let params = info
                    .params
                    .map(|ty| validator(&receiver_schema(ty.json_schema)));
                ((info.name, info.direction), Method { info, params })
            })
            .collect();
        let error_object = validator(&receiver_schema(
            <protocol_macros::JSONRPCErrorError as schemars::JsonSchema>::json_schema,
        ));
        Oracle {
            methods,
            error_object,
            dialect: registry.settings.jsonrpc,
            decode: decode::<S>,
        }
    }

    fn method(&self, name: &str, direction: Direction, kind: Kind) -> Option<&Method> {
        self.methods
            .iter()
            .find(|((n, d), _)| *n == name && *d == direction)
            .map(|(_, m)| m)
            .filter(|m| m.info.kind == kind)
    }

    /// What `reader` should make of `bytes`.
    pub fn expect(&self, reader: Reader, bytes: &[u8]) -> Expected {
        let fail = |code, id| Expected::Failed { code, id };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return fail(PARSE_ERROR, None);
        };
        let Ok(node) = serde_json::from_str::<Node>(text) else {
            return fail(PARSE_ERROR, None);
        };
        let Node::Object(members) = node else {
            return fail(INVALID_REQUEST, None);
        };
        // The envelope members, each as first written; a repeated one is a
        // broken envelope.
        let version = self.dialect.writes_version();
        let envelope: &[&str] = match (reader.responses(), version) {
            (true, true) => &["jsonrpc", "id", "method", "params", "result", "error"],
            (true, false) => &["id", "method", "params", "result", "error"],
            (false, true) => &["jsonrpc", "id", "method", "params"],
            (false, false) => &["id", "method", "params"],
        };
        let mut first: BTreeMap<&str, &Node> = BTreeMap::new();
        let mut duplicate = false;
        for (k, v) in &members {
            if let Some(&name) = envelope.iter().find(|&&name| name == k) {
                if first.contains_key(name) {
                    duplicate = true;
                } else {
                    first.insert(name, v);
                }
            }
        }
        // In the standard dialect, `"jsonrpc": "2.0"` comes before
        // everything else the envelope is judged by; the id is kept when
        // it is readable.
        if version && first.get("jsonrpc").map(|n| n.value()) != Some(json!("2.0")) {
            let id = first.get("id").and_then(|n| id_of(&n.value()));
            return fail(INVALID_REQUEST, id);
        }
        let id = match first.get("id").map(|n| n.value()) {
            None => None,
            // `null` is the id of an error its sender could not attribute.
            Some(Value::Null) if reader.responses() => {
                return match (
                    duplicate,
                    first.get("method"),
                    first.get("result"),
                    first.get("error"),
                ) {
                    (false, None, None, Some(error)) => {
                        let error = error.value();
                        let float_code = error.get("code").is_some_and(has_integral_float);
                        if self.error_object.is_valid(&error) && !float_code {
                            Expected::UnattributedError(error)
                        } else {
                            fail(INVALID_REQUEST, None)
                        }
                    }
                    _ => fail(INVALID_REQUEST, None),
                };
            }
            Some(v) => match id_of(&v) {
                Some(id) => Some(id),
                None => return fail(INVALID_REQUEST, None),
            },
        };
        if duplicate {
            return fail(INVALID_REQUEST, id);
        }
        let method = match first.get("method").map(|n| n.value()) {
            None => None,
            Some(Value::String(m)) => Some(m),
            Some(_) => return fail(INVALID_REQUEST, id),
        };
        let params = first.get("params").copied();
        match (method, id) {
            (Some(method), Some(id)) => match reader.requests() {
                Some(direction) => match self.method(&method, direction, Kind::Request) {
                    None => fail(METHOD_NOT_FOUND, Some(id)),
                    Some(m) => self.expect_params(m, &method, Some(id), params),
                },
                None => fail(INVALID_REQUEST, Some(id)),
            },
            (Some(method), None) => match reader.notifications() {
                Some(direction) => match self.method(&method, direction, Kind::Notification) {
                    None => fail(METHOD_NOT_FOUND, None),
                    Some(m) => self.expect_params(m, &method, None, params),
                },
                None => fail(INVALID_REQUEST, None),
            },
            (None, Some(id)) if reader.responses() => {
                match (first.get("result"), first.get("error")) {
                    (Some(result), None) => Expected::Response {
                        id,
                        result: result.value(),
                    },
                    (None, Some(error)) => {
                        let error = error.value();
                        // JSON Schema's "integer" takes `1.0`; the error
                        // code is an `i64`, which does not: the one place
                        // outside params where the oracle follows serde.
                        let float_code = error.get("code").is_some_and(has_integral_float);
                        if self.error_object.is_valid(&error) && !float_code {
                            Expected::Error { id, error }
                        } else {
                            fail(INVALID_REQUEST, Some(id))
                        }
                    }
                    _ => fail(INVALID_REQUEST, Some(id)),
                }
            }
            (None, id) => fail(INVALID_REQUEST, id),
        }
    }

    fn expect_params(
        &self,
        method: &Method,
        name: &str,
        id: Option<RequestId>,
        params: Option<&Node>,
    ) -> Expected {
        let mut message = json!({ "method": name });
        if self.dialect.writes_version() {
            message["jsonrpc"] = json!("2.0");
        }
        if let Some(id) = &id {
            message["id"] = id_value(id);
        }
        let value = params.map(Node::value).unwrap_or(Value::Null);
        let Some(schema) = &method.params else {
            // A method without params takes them absent or null, nothing else.
            return if value.is_null() {
                Expected::Message(message)
            } else {
                Expected::Failed {
                    code: INVALID_PARAMS,
                    id,
                }
            };
        };
        let valid = schema.is_valid(&value);
        let duplicate = params.is_some_and(Node::has_duplicate_member);
        if valid {
            message["params"] = value.clone();
        }
        match (valid, duplicate) {
            (true, true) => Expected::MessageOrInvalidParams {
                message,
                id,
                why: Ambiguity::DuplicateMemberInParams,
            },
            (false, true) => Expected::InvalidParamsOrAccepted {
                id,
                why: Ambiguity::DuplicateMemberInParams,
            },
            (true, false) if has_integral_float(&value) => Expected::MessageOrInvalidParams {
                message,
                id,
                why: Ambiguity::IntegralFloatInParams,
            },
            (true, false) => Expected::Message(message),
            (false, false) => Expected::Failed {
                code: INVALID_PARAMS,
                id,
            },
        }
    }

    /// Whether every member of `sent` that the re-encoded `decoded` lacks
    /// was ignored by the type (unknown to it, or `null` read as absent),
    /// not read and then lost on the way out. Each such member is taken out
    /// of `sent` and the rest decoded again: a member the type ignored
    /// leaves the decoded value (`debug`) as it was; a member it read and
    /// dropped (or wrote under another name) changes it.
    fn nothing_dropped(&self, reader: Reader, sent: &Value, decoded: &Value, debug: &str) -> bool {
        let mut missing = Vec::new();
        members_missing(sent, decoded, &mut Vec::new(), &mut missing);
        missing.iter().all(|path| {
            let mut without = sent.clone();
            remove_at(&mut without, path);
            let bytes = serde_json::to_vec(&without).expect("a JSON value serialises");
            matches!((self.decode)(reader, &bytes), Decoded::Message { debug: d, .. } if d == debug)
        })
    }

    /// Runs `reader` on `bytes`, asserts it agrees with the oracle, and
    /// counts the outcome. Returns the decoder's code (0: accepted).
    pub fn check(&self, reader: Reader, bytes: &[u8], counts: &mut Counts) -> i64 {
        let expected = self.expect(reader, bytes);
        let decoded = (self.decode)(reader, bytes);
        let show = || {
            format!(
                "{reader:?} on {}\n  oracle:  {expected:?}\n  decoder: {decoded:?}",
                String::from_utf8_lossy(bytes)
            )
        };
        let agrees = match (&expected, &decoded) {
            (Expected::Message(want), Decoded::Message { value, debug }) => {
                same_value(value, want, &mut counts.normalized_paths)
                    && self.nothing_dropped(reader, want, value, debug)
            }
            // A gated request's params cannot be compared; that it was
            // accepted, and for a gated method, is what can.
            (
                Expected::Message(want) | Expected::MessageOrInvalidParams { message: want, .. },
                Decoded::Received,
            ) => {
                counts.received_gated += 1;
                want["method"].as_str().is_some_and(|name| {
                    self.methods
                        .iter()
                        .any(|((n, _), m)| *n == name && m.info.capability.is_some())
                })
            }
            (Expected::Response { id, result }, Decoded::Response { id: i, result: r }) => {
                id == i && result == r
            }
            (Expected::Error { id, error }, Decoded::Error { id: i, error: e }) => {
                id == i && same_value(e, error, &mut counts.normalized_paths)
            }
            (Expected::UnattributedError(error), Decoded::UnattributedError(e)) => {
                same_value(e, error, &mut counts.normalized_paths)
            }
            (Expected::Failed { code, id }, Decoded::Failed { code: c, id: i }) => {
                code == c && id == i
            }
            (
                Expected::MessageOrInvalidParams { message, why, .. },
                Decoded::Message { value, debug },
            ) => {
                *counts.ambiguous.entry(*why).or_default() += 1;
                same_value(value, message, &mut counts.normalized_paths)
                    && self.nothing_dropped(reader, message, value, debug)
            }
            (
                Expected::MessageOrInvalidParams { id, why, .. }
                | Expected::InvalidParamsOrAccepted { id, why },
                Decoded::Failed { code, id: i },
            ) => {
                *counts.ambiguous.entry(*why).or_default() += 1;
                *code == INVALID_PARAMS && id == i
            }
            (
                Expected::InvalidParamsOrAccepted { why, .. },
                Decoded::Message { .. } | Decoded::Received,
            ) => {
                *counts.ambiguous.entry(*why).or_default() += 1;
                true
            }
            _ => false,
        };
        if !agrees {
            let kind = format!(
                "{reader:?} {:?} {}",
                std::mem::discriminant(&expected),
                decoded.code()
            );
            if counts.kinds.insert(kind) {
                counts.disagreements.push(show());
            } else {
                counts.more_disagreements += 1;
            }
        }
        let code = decoded.code();
        *counts.by_code.entry(code).or_default() += 1;
        code
    }

    /// Checks `bytes` with every reader.
    pub fn check_all(&self, bytes: &[u8], counts: &mut Counts) {
        for reader in Reader::ALL {
            self.check(reader, bytes, counts);
        }
    }
}

pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol-defs/conformance")
}

/// Every method's valid params (`null` for a method without params) and
/// its invalid ones, from the conformance examples.
pub fn conformance_params(method: &MethodInfo) -> (Value, Vec<Value>) {
    let dir = conformance_dir().join(method.name);
    let read = |path: &Path| -> Value {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let valid = if method.params.is_some() {
        read(&dir.join("params.json"))
    } else {
        Value::Null
    };
    let mut invalid = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir.join("invalid")) {
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("params-") {
                invalid.push(read(&path));
            }
        }
    }
    (valid, invalid)
}

/// Real messages: every method's conformance example in its envelope
/// (requests with an id), and its invalid params in the same envelope.
pub fn seed_messages() -> Vec<Value> {
    let mut seeds = Vec::new();
    for (n, method) in protocol_defs::REGISTRY.methods().enumerate() {
        let (valid, invalid) = conformance_params(method);
        for params in std::iter::once(valid).chain(invalid) {
            let mut message = json!({ "method": method.name });
            if method.kind == Kind::Request {
                message["id"] = if n % 2 == 0 {
                    json!(n as i64 + 1)
                } else {
                    json!(format!("req-{n}"))
                };
            }
            if !params.is_null() {
                message["params"] = params;
            }
            seeds.push(message);
        }
    }
    seeds.push(json!({ "id": 7, "result": { "ok": true } }));
    seeds.push(json!({ "id": "e", "error": { "code": -32000, "message": "boom", "data": [1] } }));
    seeds.push(json!({ "error": { "code": -32700, "message": "parse error" }, "id": null }));
    seeds
}
