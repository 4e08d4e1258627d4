//! The corpus of the MCP decode bench (`benches/decode.rs`): every message
//! of a recorded session, as the peer that receives it reads it.
//!
//! The session is `mcp/peers/transcripts/everything-official-sdk.jsonl`:
//! the official TypeScript SDK's client talking to the official
//! server-everything, one `{"from": "client"|"server", "message": …}` per
//! line. Each message is kept as the exact text recorded for it (the
//! transcript writes each message on one line), with the method it is of;
//! a response or error is paired with the request it answers, which the
//! other side sent with the same id.

use std::collections::HashMap;
use std::fmt;

use protocol_macros::{
    decode_incoming_text, DecodeError, IncomingText, JSONRPCError, JSONRPCErrorError, Peer,
    RequestId, RequestSet, ResponseError,
};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The recorded session, relative to this package.
pub const TRANSCRIPT: &str = "../peers/transcripts/everything-official-sdk.jsonl";

/// The peer that reads a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Receiver {
    /// The server reads what the client sends.
    Server,
    /// The client reads what the server sends.
    Client,
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Request,
    Notification,
    /// A `result`, answering a request of the receiver.
    Response,
    /// An `error`, answering a request of the receiver.
    Error,
}

impl fmt::Display for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Receiver::Server => "server",
            Receiver::Client => "client",
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Request => "requests",
            Kind::Notification => "notifications",
            Kind::Response => "responses",
            Kind::Error => "errors",
        })
    }
}

/// One message of the session.
#[derive(Debug, Clone)]
pub struct Message {
    /// Its line in the transcript, from 1.
    pub line: usize,
    pub receiver: Receiver,
    pub kind: Kind,
    /// Its method; for a response or error, the method of the request it
    /// answers.
    pub method: String,
    /// The message's text, as recorded.
    pub json: String,
}

impl Message {
    /// A short name: line, receiver, kind and method.
    pub fn name(&self) -> String {
        format!(
            "{:03}-{}-{}-{}",
            self.line, self.receiver, self.kind, self.method
        )
    }
}

#[derive(Deserialize)]
struct Line<'a> {
    from: &'a str,
    #[serde(borrow)]
    message: &'a RawValue,
}

/// The envelope members that say what a message is.
#[derive(Deserialize)]
struct Envelope {
    method: Option<String>,
    id: Option<serde_json::Value>,
    result: Option<serde::de::IgnoredAny>,
    error: Option<serde::de::IgnoredAny>,
}

/// Every message of the recorded session, in order.
pub fn corpus() -> Vec<Message> {
    let path = format!("{}/{TRANSCRIPT}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    parse(&text)
}

/// The messages of a transcript.
pub fn parse(transcript: &str) -> Vec<Message> {
    // The method of each request by its sender and id.
    let mut requests: HashMap<(Receiver, String), String> = HashMap::new();
    let mut messages = Vec::new();
    for (index, line) in transcript.lines().enumerate() {
        let line_no = index + 1;
        let line: Line<'_> = serde_json::from_str(line).unwrap_or_else(|err| {
            panic!("line {line_no}: {err}");
        });
        let receiver = match line.from {
            "client" => Receiver::Server,
            "server" => Receiver::Client,
            other => panic!("line {line_no}: from `{other}`"),
        };
        let json = line.message.get().to_owned();
        let envelope: Envelope = serde_json::from_str(&json).unwrap();
        let id = envelope.id.map(|id| id.to_string());
        let (kind, method) = match (envelope.method, id) {
            (Some(method), Some(id)) => {
                // Requests of the receiver's peer, keyed by who reads them.
                requests.insert((receiver, id), method.clone());
                (Kind::Request, method)
            }
            (Some(method), None) => (Kind::Notification, method),
            (None, Some(id)) => {
                let kind = match (envelope.result.is_some(), envelope.error.is_some()) {
                    (true, false) => Kind::Response,
                    (false, true) => Kind::Error,
                    _ => panic!("line {line_no}: neither a response nor an error"),
                };
                // It answers a request the receiver sent, which the other
                // side read.
                let sender_of_request = match receiver {
                    Receiver::Server => Receiver::Client,
                    Receiver::Client => Receiver::Server,
                };
                let method = requests
                    .get(&(sender_of_request, id.clone()))
                    .unwrap_or_else(|| panic!("line {line_no}: id {id} answers no request"))
                    .clone();
                (kind, method)
            }
            (None, None) => panic!("line {line_no}: not a message"),
        };
        messages.push(Message {
            line: line_no,
            receiver,
            kind,
            method,
            json,
        });
    }
    messages
}

/// What our decoders make of a message: `Incoming`, with a response's
/// `result` decoded as its method's response type.
#[derive(Debug)]
pub enum Decoded<R, N, T> {
    Request(R),
    Notification(N),
    Response { id: RequestId, result: T },
    Error(JSONRPCError),
    UnattributedError(JSONRPCErrorError),
}

/// Why our decoders refused a message.
#[derive(Debug)]
pub enum Refused {
    Message(DecodeError),
    Result(ResponseError),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Message(err) => err.fmt(f),
            Refused::Result(err) => err.fmt(f),
        }
    }
}

/// What peer `P` reads.
pub type Reads<P> = Decoded<
    <P as Peer>::PeerRequests,
    <P as Peer>::PeerNotifications,
    <<P as Peer>::Requests as RequestSet>::Response,
>;

/// Decodes `json` as peer `P`'s connection does: any message with
/// `decode_incoming_text`, and a response's `result`, as text, as the
/// response type of `method`, the request it answers (what a connection
/// finds in its pending table), with `decode_response_text`, as
/// `Connection::receive` does.
#[inline]
pub fn decode_as<P: Peer>(method: &str, json: &[u8]) -> Result<Reads<P>, Refused> {
    Ok(
        match decode_incoming_text::<P::PeerRequests, P::PeerNotifications>(json)
            .map_err(Refused::Message)?
        {
            IncomingText::Request(request) => Decoded::Request(request),
            IncomingText::Notification(notification) => Decoded::Notification(notification),
            IncomingText::Response { id, result, .. } => Decoded::Response {
                id,
                result: P::Requests::decode_response_text(method, result.get())
                    .map_err(Refused::Result)?,
            },
            IncomingText::Error(error) => Decoded::Error(error),
            IncomingText::UnattributedError(error) => Decoded::UnattributedError(error),
        },
    )
}

#[cfg(test)]
mod tests {
    use mcp_defs::{ClientSide, ServerSide};

    use super::*;

    fn kind<R, N, T>(decoded: &Decoded<R, N, T>) -> Kind {
        match decoded {
            Decoded::Request(_) => Kind::Request,
            Decoded::Notification(_) => Kind::Notification,
            Decoded::Response { .. } => Kind::Response,
            Decoded::Error(_) | Decoded::UnattributedError(_) => Kind::Error,
        }
    }

    #[test]
    fn every_message_of_the_session_decodes() {
        let corpus = corpus();
        assert_eq!(corpus.len(), 154);
        for message in &corpus {
            let json = message.json.as_bytes();
            let decoded = match message.receiver {
                Receiver::Server => {
                    decode_as::<ServerSide>(&message.method, json).map(|d| kind(&d))
                }
                Receiver::Client => {
                    decode_as::<ClientSide>(&message.method, json).map(|d| kind(&d))
                }
            };
            let decoded = decoded.unwrap_or_else(|err| panic!("{}: {err}", message.name()));
            assert_eq!(decoded, message.kind, "{}", message.name());
        }
    }
}
