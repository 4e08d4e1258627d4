//! The runtime (`protocol_macros::runtime`, feature `runtime`) serving a
//! small protocol of its own over `tokio::io::duplex`: a client runtime
//! against a server runtime, or one runtime against raw lines the test
//! writes and reads. Nothing waits on time: each step waits for the
//! message or the signal that proves it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use protocol_macros::runtime::Runtime;
use protocol_macros::{
    wire, ErrorCode, JSONRPCErrorError, NotificationContext, ReceiveError, RequestContext,
    RequestError, RequestId, ResponseError,
};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};
use tokio::sync::{mpsc, oneshot};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct OpenParams {
    #[optional]
    pub capabilities: Option<Value>,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct OpenResult {
    pub capabilities: Value,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub key: String,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Cancel {
    pub id: RequestId,
}

#[protocol_macros::protocol(
    negotiation = "open",
    client_capabilities = "params.capabilities",
    server_capabilities = "result.capabilities",
    experimental = "client.experimental"
)]
pub mod rt {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Call {
        #[method("open", response = OpenResult)]
        Open(OpenParams),
        /// Answers `key` once the test releases it.
        #[method("wait", response = Key)]
        Wait(Key),
        /// Answers `key` at once.
        #[method("quick", response = Key)]
        Quick(Key),
        /// Asks the client to confirm `key` first, and answers with its reply.
        #[method("ask", response = Key)]
        Ask(Key),
        /// Only on servers that declare `gated`.
        #[method("gated", response = Key, capability = "server.gated")]
        Gated(Key),
        /// Only for clients that opt into what is experimental.
        #[method("preview", response = Key, experimental = "a preview")]
        Preview(Key),
    }

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Question {
        #[method("confirm", response = Key)]
        Confirm(Key),
    }

    #[client_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Told {
        /// Cancels the request `id`.
        #[method("cancel")]
        CancelRequest(Cancel),
    }
}

use rt::{Ask, ClientHandler, ClientSide, Gated, Open, Quick, ServerHandler, ServerSide, Wait};

type Answer<T> = Result<T, JSONRPCErrorError>;

/// The server: `wait` answers when the test sends on the key's channel,
/// and reports its cancellation when it sees it.
#[derive(Default)]
struct Server {
    release: Mutex<BTreeMap<String, oneshot::Receiver<()>>>,
    saw_cancel: Mutex<Option<oneshot::Sender<RequestId>>>,
}

impl Server {
    /// A server whose `wait` for `key` returns once the sender is used.
    fn releasing(keys: &[&str]) -> (Server, BTreeMap<String, oneshot::Sender<()>>) {
        let server = Server::default();
        let mut senders = BTreeMap::new();
        for key in keys {
            let (send, receive) = oneshot::channel();
            server
                .release
                .lock()
                .unwrap()
                .insert((*key).to_owned(), receive);
            senders.insert((*key).to_owned(), send);
        }
        (server, senders)
    }
}

impl ServerHandler for Server {
    async fn open(&self, _: RequestContext<ServerSide>, _: OpenParams) -> Answer<OpenResult> {
        Ok(OpenResult {
            capabilities: json!({}),
        })
    }

    async fn wait(&self, cx: RequestContext<ServerSide>, params: Key) -> Answer<Key> {
        let release = self.release.lock().unwrap().remove(&params.key);
        let release = release.expect("the test set up this key");
        tokio::select! {
            _ = release => Ok(params),
            () = cx.cancellation().cancelled() => {
                if let Some(saw) = self.saw_cancel.lock().unwrap().take() {
                    let _ = saw.send(cx.id().clone());
                }
                Ok(Key { key: "answered after the cancel".to_owned() })
            }
        }
    }

    async fn quick(&self, _: RequestContext<ServerSide>, params: Key) -> Answer<Key> {
        assert_ne!(params.key, "panic", "the handler fails");
        Ok(params)
    }

    async fn ask(&self, cx: RequestContext<ServerSide>, params: Key) -> Answer<Key> {
        match cx.peer().request::<rt::Confirm>(params).await {
            Ok(confirmed) => Ok(Key {
                key: format!("confirmed {}", confirmed.key),
            }),
            Err(error) => Err(JSONRPCErrorError::new(-1, error.to_string())),
        }
    }

    async fn gated(&self, cx: RequestContext<ServerSide>, _: Key) -> Answer<Key> {
        cx.method_not_found()
    }

    async fn preview(&self, _: RequestContext<ServerSide>, params: Key) -> Answer<Key> {
        Ok(params)
    }

    async fn cancel_request(&self, cx: NotificationContext<ServerSide>, params: Cancel) {
        assert!(
            cx.peer().cancel_incoming(&params.id),
            "{:?} in flight",
            params.id
        );
    }
}

/// The client: confirms what it is asked.
struct Client;

impl ClientHandler for Client {
    async fn confirm(&self, _: RequestContext<ClientSide>, params: Key) -> Answer<Key> {
        Ok(Key {
            key: format!("{}!", params.key),
        })
    }
}

/// A client runtime and a server runtime on one duplex pipe; the client's
/// handle, and the two `serve` tasks.
fn connected(
    server: Server,
) -> (
    protocol_macros::PeerHandle<ClientSide>,
    tokio::task::JoinHandle<std::io::Result<()>>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_io);
    let served = tokio::spawn(
        Runtime::<ServerSide>::new(server).serve(BufReader::new(server_read), server_write),
    );
    let (client_read, client_write) = tokio::io::split(client_io);
    let mut client = Runtime::<ClientSide>::new(Client);
    let peer = client.peer();
    let serving = tokio::spawn(client.serve(BufReader::new(client_read), client_write));
    (peer, serving, served)
}

fn key(key: &str) -> Key {
    Key {
        key: key.to_owned(),
    }
}

/// One side of a pipe the test speaks on, line by line.
struct Raw {
    lines: Lines<BufReader<tokio::io::ReadHalf<DuplexStream>>>,
    write: tokio::io::WriteHalf<DuplexStream>,
}

impl Raw {
    async fn send(&mut self, line: &str) {
        self.write.write_all(line.as_bytes()).await.unwrap();
        self.write.write_all(b"\n").await.unwrap();
    }

    async fn receive(&mut self) -> Value {
        let line = self.lines.next_line().await.unwrap().expect("a line");
        serde_json::from_str(&line).unwrap()
    }

    /// Closes the pipe's writing end and reads what is left until the
    /// other side closes its own.
    async fn rest(mut self) -> Vec<Value> {
        self.write.shutdown().await.unwrap();
        let mut rest = Vec::new();
        while let Some(line) = self.lines.next_line().await.unwrap() {
            rest.push(serde_json::from_str(&line).unwrap());
        }
        rest
    }
}

/// A server runtime the test speaks to with raw lines.
fn raw_server(server: Server) -> (Raw, tokio::task::JoinHandle<std::io::Result<()>>) {
    raw_runtime(Runtime::<ServerSide>::new(server))
}

/// A server runtime the test speaks to with raw lines, hearing every line
/// it refuses.
fn raw_server_heard(
    server: Server,
) -> (
    Raw,
    tokio::task::JoinHandle<std::io::Result<()>>,
    mpsc::UnboundedReceiver<ReceiveError>,
) {
    let (refused, heard) = mpsc::unbounded_channel();
    let runtime = Runtime::<ServerSide>::new(server).on_receive_error(move |error| {
        refused.send(error.clone()).unwrap();
    });
    let (raw, served) = raw_runtime(runtime);
    (raw, served, heard)
}

fn raw_runtime(
    runtime: Runtime<ServerSide>,
) -> (Raw, tokio::task::JoinHandle<std::io::Result<()>>) {
    let (test_io, server_io) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_io);
    let served = tokio::spawn(runtime.serve(BufReader::new(server_read), server_write));
    let (read, write) = tokio::io::split(test_io);
    let raw = Raw {
        lines: BufReader::new(read).lines(),
        write,
    };
    (raw, served)
}

#[tokio::test]
async fn a_slow_request_does_not_hold_up_another_and_each_gets_its_own_answer() {
    let (server, mut release) = Server::releasing(&["slow"]);
    let (peer, _client, _server) = connected(server);
    peer.request::<Open>(OpenParams { capabilities: None })
        .await
        .unwrap();
    let slow = peer.send::<Wait>(key("slow")).unwrap();
    // Answered while `slow` is still waiting for the test.
    assert_eq!(peer.request::<Quick>(key("quick")).await, Ok(key("quick")));
    release.remove("slow").unwrap().send(()).unwrap();
    assert_eq!(slow.await, Ok(key("slow")));
}

#[tokio::test]
async fn responses_are_paired_by_id_whatever_order_they_come_in() {
    let (server, mut release) = Server::releasing(&["first", "second"]);
    let (peer, _client, _server) = connected(server);
    let first = peer.send::<Wait>(key("first")).unwrap();
    let second = peer.send::<Wait>(key("second")).unwrap();
    assert_ne!(first.id(), second.id());
    release.remove("second").unwrap().send(()).unwrap();
    assert_eq!(second.await, Ok(key("second")));
    release.remove("first").unwrap().send(()).unwrap();
    assert_eq!(first.await, Ok(key("first")));
}

#[tokio::test]
async fn the_server_asks_the_client_while_answering_its_request() {
    let (peer, _client, _server) = connected(Server::default());
    assert_eq!(
        peer.request::<Ask>(key("go")).await,
        Ok(key("confirmed go!"))
    );
}

#[tokio::test]
async fn a_gated_request_is_refused_before_it_is_written() {
    // The client against raw lines: what it writes is read here.
    let (client_io, test_io) = tokio::io::duplex(1 << 16);
    let (client_read, client_write) = tokio::io::split(client_io);
    let mut client = Runtime::<ClientSide>::new(Client);
    let peer = client.peer();
    let serving = tokio::spawn(client.serve(BufReader::new(client_read), client_write));
    let (read, write) = tokio::io::split(test_io);
    let mut raw = Raw {
        lines: BufReader::new(read).lines(),
        write,
    };
    // Not negotiated: the server did not declare `gated`.
    match peer.request::<Gated>(key("no")).await {
        Err(RequestError::Refused(refused)) => {
            assert!(refused.to_string().contains("gated"), "{refused}")
        }
        other => panic!("{other:?}"),
    }
    let quick = tokio::spawn({
        let peer = peer.clone();
        async move { peer.request::<Quick>(key("yes")).await }
    });
    // The first line the client wrote is the request after the refused one.
    let written = raw.receive().await;
    assert_eq!(written["method"], "quick", "{written}");
    assert_eq!(written["jsonrpc"], "2.0");
    raw.send(&json!({"jsonrpc": "2.0", "id": written["id"], "result": {"key": "yes"}}).to_string())
        .await;
    assert_eq!(quick.await.unwrap(), Ok(key("yes")));
    assert!(raw.rest().await.is_empty());
    serving.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_request_cancelled_by_id_sees_the_signal_and_is_not_answered() {
    let (server, _release) = Server::releasing(&["cancelled"]);
    let (saw, seen) = oneshot::channel();
    *server.saw_cancel.lock().unwrap() = Some(saw);
    let (mut raw, served) = raw_server(server);
    raw.send(r#"{"jsonrpc":"2.0","id":7,"method":"wait","params":{"key":"cancelled"}}"#)
        .await;
    raw.send(r#"{"jsonrpc":"2.0","method":"cancel","params":{"id":7}}"#)
        .await;
    assert_eq!(seen.await.unwrap(), RequestId::Integer(7));
    raw.send(r#"{"jsonrpc":"2.0","id":8,"method":"quick","params":{"key":"after"}}"#)
        .await;
    assert_eq!(
        raw.receive().await,
        json!({"jsonrpc": "2.0", "id": 8, "result": {"key": "after"}})
    );
    // Everything the server writes before it stops: no answer to 7.
    assert_eq!(raw.rest().await, Vec::<Value>::new());
    served.await.unwrap().unwrap();
}

#[tokio::test]
async fn what_cannot_be_read_is_answered_with_its_error() {
    let (mut raw, served) = raw_server(Server::default());
    raw.send("{not json").await;
    let reply = raw.receive().await;
    assert_eq!(reply["error"]["code"], -32700, "{reply}");
    assert_eq!(reply["id"], Value::Null);
    raw.send(r#"{"jsonrpc":"2.0","id":3,"params":{}}"#).await;
    let reply = raw.receive().await;
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    assert_eq!(reply["id"], 3);
    raw.send(r#"{"jsonrpc":"2.0","id":4,"method":"no/such"}"#)
        .await;
    let reply = raw.receive().await;
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    assert_eq!(reply["id"], 4);
    raw.send(r#"{"jsonrpc":"2.0","id":5,"method":"quick","params":{"key":1}}"#)
        .await;
    let reply = raw.receive().await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    assert_eq!(reply["id"], 5);
    // A notification that cannot be read is not answered.
    raw.send(r#"{"jsonrpc":"2.0","method":"cancel","params":{}}"#)
        .await;
    assert_eq!(raw.rest().await, Vec::<Value>::new());
    served.await.unwrap().unwrap();
}

#[tokio::test]
async fn when_the_peer_goes_away_pending_requests_fail_closed_and_serve_returns() {
    let (client_io, test_io) = tokio::io::duplex(1 << 16);
    let (client_read, client_write) = tokio::io::split(client_io);
    let mut client = Runtime::<ClientSide>::new(Client);
    let peer = client.peer();
    let serving = tokio::spawn(client.serve(BufReader::new(client_read), client_write));
    let pending = peer.send::<Quick>(key("never answered")).unwrap();
    let (read, write) = tokio::io::split(test_io);
    let mut lines = BufReader::new(read).lines();
    let written = lines.next_line().await.unwrap().unwrap();
    assert!(written.contains("never answered"), "{written}");
    drop((lines, write));
    assert_eq!(pending.await, Err(RequestError::Closed));
    serving.await.unwrap().unwrap();
    // Nothing more is sent on a closed connection.
    assert_eq!(
        peer.request::<Quick>(key("late")).await,
        Err(RequestError::Closed)
    );
}

#[tokio::test]
async fn an_abandoned_request_is_forgotten_and_its_hook_called() {
    let (client_io, test_io) = tokio::io::duplex(1 << 16);
    let (client_read, client_write) = tokio::io::split(client_io);
    let (abandoned, mut heard) = mpsc::unbounded_channel();
    let mut client = Runtime::<ClientSide>::new(Client).on_abandoned(move |_, id, method| {
        abandoned.send((id.clone(), method)).unwrap();
    });
    let peer = client.peer();
    let serving = tokio::spawn(client.serve(BufReader::new(client_read), client_write));
    let (read, write) = tokio::io::split(test_io);
    let mut raw = Raw {
        lines: BufReader::new(read).lines(),
        write,
    };
    let given_up = peer.send::<Quick>(key("given up")).unwrap();
    let id = given_up.id().clone();
    drop(given_up);
    assert_eq!(heard.recv().await, Some((id.clone(), "quick")));
    assert_eq!(peer.with_connection(|c| c.pending().count()), 0);
    // Its late answer pairs with nothing; the next request still works.
    let written = raw.receive().await;
    raw.send(
        &json!({"jsonrpc": "2.0", "id": written["id"], "result": {"key": "late"}}).to_string(),
    )
    .await;
    let next = tokio::spawn({
        let peer = peer.clone();
        async move { peer.request::<Quick>(key("next")).await }
    });
    let written = raw.receive().await;
    assert_eq!(written["params"]["key"], "next");
    raw.send(
        &json!({"jsonrpc": "2.0", "id": written["id"], "result": {"key": "next"}}).to_string(),
    )
    .await;
    assert_eq!(next.await.unwrap(), Ok(key("next")));
    assert!(raw.rest().await.is_empty());
    serving.await.unwrap().unwrap();
}

#[tokio::test]
async fn the_experimental_gate_refusal_is_answered_and_the_opt_in_admits() {
    for (capabilities, admitted) in [(json!({}), false), (json!({"experimental": true}), true)] {
        let (mut raw, served) = raw_server(Server::default());
        let open = json!({"jsonrpc": "2.0", "id": 0, "method": "open",
            "params": {"capabilities": capabilities}});
        raw.send(&open.to_string()).await;
        assert_eq!(raw.receive().await["id"], 0);
        raw.send(r#"{"jsonrpc":"2.0","id":1,"method":"preview","params":{"key":"p"}}"#)
            .await;
        let reply = raw.receive().await;
        assert_eq!(reply["id"], 1, "{reply}");
        if admitted {
            assert_eq!(reply["result"], json!({"key": "p"}), "{reply}");
        } else {
            assert_eq!(reply["error"]["code"], -32600, "{reply}");
            assert_eq!(
                reply["error"]["message"],
                "a preview requires experimental capability"
            );
        }
        assert!(raw.rest().await.is_empty());
        served.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_handler_that_panics_is_answered_with_an_internal_error_and_the_connection_goes_on() {
    let (mut raw, served) = raw_server(Server::default());
    raw.send(r#"{"jsonrpc":"2.0","id":1,"method":"quick","params":{"key":"panic"}}"#)
        .await;
    let reply = raw.receive().await;
    assert_eq!(reply["id"], 1, "{reply}");
    assert_eq!(reply["error"]["code"], -32603, "{reply}");
    assert_eq!(reply["error"]["message"], "the handler of `quick` failed");
    raw.send(r#"{"jsonrpc":"2.0","id":2,"method":"quick","params":{"key":"fine"}}"#)
        .await;
    assert_eq!(raw.receive().await["result"]["key"], "fine");
    assert!(raw.rest().await.is_empty());
    served.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_request_whose_id_is_being_answered_is_refused_and_the_first_is_answered() {
    let (server, mut release) = Server::releasing(&["first", "string id"]);
    let (mut raw, served, mut heard) = raw_server_heard(server);
    raw.send(r#"{"jsonrpc":"2.0","id":7,"method":"wait","params":{"key":"first"}}"#)
        .await;
    // `quick` would answer at once: its handler does not run.
    raw.send(r#"{"jsonrpc":"2.0","id":7,"method":"quick","params":{"key":"second"}}"#)
        .await;
    let refusal = json!({"jsonrpc": "2.0", "id": 7, "error": {"code": -32600,
        "message": "id 7 is already used by a request being answered"}});
    assert_eq!(raw.receive().await, refusal);
    match heard.recv().await {
        Some(ReceiveError::Refused(refused)) => {
            assert_eq!(refused.id, RequestId::Integer(7));
            assert_eq!(refused.error.code, ErrorCode::InvalidRequest.code());
        }
        other => panic!("{other:?}"),
    }
    release.remove("first").unwrap().send(()).unwrap();
    assert_eq!(
        raw.receive().await,
        json!({"jsonrpc": "2.0", "id": 7, "result": {"key": "first"}})
    );
    // Answered: its id may be used again.
    raw.send(r#"{"jsonrpc":"2.0","id":7,"method":"quick","params":{"key":"again"}}"#)
        .await;
    assert_eq!(
        raw.receive().await,
        json!({"jsonrpc": "2.0", "id": 7, "result": {"key": "again"}})
    );
    // A string id is quoted escaped and bounded.
    let id = format!("a\nb{}", "x".repeat(100));
    for (method, key) in [("wait", "string id"), ("quick", "no")] {
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method,
            "params": {"key": key}});
        raw.send(&request.to_string()).await;
    }
    let reply = raw.receive().await;
    assert_eq!(reply["id"], id, "{reply}");
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    assert_eq!(
        reply["error"]["message"],
        format!(
            "id \"a\\nb{}… (103 bytes)\" is already used by a request being answered",
            "x".repeat(61)
        )
    );
    release.remove("string id").unwrap().send(()).unwrap();
    assert_eq!(raw.receive().await["result"]["key"], "string id");
    assert!(raw.rest().await.is_empty());
    served.await.unwrap().unwrap();
    assert!(matches!(heard.recv().await, Some(ReceiveError::Refused(_))));
    assert!(heard.recv().await.is_none());
}

#[tokio::test]
async fn every_refused_line_reaches_the_hook_and_the_connection_goes_on() {
    let (mut raw, served, mut heard) = raw_server_heard(Server::default());
    raw.send("{not json").await;
    assert_eq!(raw.receive().await["error"]["code"], -32700);
    match heard.recv().await {
        Some(ReceiveError::Decode(error)) => {
            assert_eq!(error.code, ErrorCode::ParseError, "{error}")
        }
        other => panic!("{other:?}"),
    }
    // A response to nothing this side asked: not answered, but heard.
    raw.send(r#"{"jsonrpc":"2.0","id":99,"result":{"key":"stray"}}"#)
        .await;
    assert_eq!(
        heard.recv().await,
        Some(ReceiveError::Response(ResponseError::UnknownId(
            RequestId::Integer(99)
        )))
    );
    // A notification that cannot be read is dropped, and heard.
    raw.send(r#"{"jsonrpc":"2.0","method":"cancel","params":{}}"#)
        .await;
    assert!(matches!(heard.recv().await, Some(ReceiveError::Decode(_))));
    raw.send(r#"{"jsonrpc":"2.0","id":1,"method":"quick","params":{"key":"on"}}"#)
        .await;
    assert_eq!(
        raw.receive().await,
        json!({"jsonrpc": "2.0", "id": 1, "result": {"key": "on"}})
    );
    assert!(raw.rest().await.is_empty());
    served.await.unwrap().unwrap();
    // Nothing else was refused.
    assert!(heard.recv().await.is_none());
}
