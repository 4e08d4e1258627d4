//! The example server (`src/bin/mcp-example-server.rs`) driven line by line
//! over stdio, for what the official client's checks (`peers.rs`) do not
//! reach: a client without `sampling`, the resource that changes, the
//! template, an unknown resource, progress without a token, requests before
//! `initialize`, the log on stderr and the exit when stdin closes. Each
//! session's transcript is validated as well.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use protocol_codegen::validate::{validate, Decoders};
use protocol_macros::Peer;
use serde_json::{json, Value};

const SERVER: &str = env!("CARGO_BIN_EXE_mcp-example-server");
const TIMEOUT: Duration = Duration::from_secs(10);

/// The server as a child process, and every message of the session as a
/// transcript line.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    transcript: Vec<Value>,
    next_id: i64,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(SERVER)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example server starts");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Session {
            stdin: child.stdin.take(),
            child,
            lines,
            transcript: Vec::new(),
            next_id: 0,
        }
    }

    /// A session after `initialize` (declaring `capabilities`) and
    /// `notifications/initialized`, with the server's ping answered.
    fn initialized(capabilities: Value) -> Session {
        let mut session = Session::start();
        let result = session.request(
            "initialize",
            json!({
                "protocolVersion": "2025-11-25",
                "capabilities": capabilities,
                "clientInfo": {"name": "rust-test", "version": "1"},
            }),
        );
        assert_eq!(result["result"]["protocolVersion"], "2025-11-25");
        session.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        let ping = session.receive();
        assert_eq!(ping["method"], "ping", "{ping}");
        session.send(json!({"jsonrpc": "2.0", "id": ping["id"], "result": {}}));
        session
    }

    fn send(&mut self, message: Value) {
        self.send_text(&message.to_string());
        self.transcript
            .push(json!({"from": "client", "message": message}));
    }

    fn send_text(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{text}").unwrap();
        stdin.flush().unwrap();
    }

    /// The next message from the server.
    fn receive(&mut self) -> Value {
        let line = self
            .lines
            .recv_timeout(TIMEOUT)
            .expect("the server says something");
        let message: Value = serde_json::from_str(&line).unwrap();
        self.transcript
            .push(json!({"from": "server", "message": message.clone()}));
        message
    }

    /// Nothing from the server for `wait`.
    fn quiet_for(&mut self, wait: Duration) {
        if let Ok(line) = self.lines.recv_timeout(wait) {
            panic!("unexpected: {line}");
        }
    }

    /// Sends request `method` and returns its response; what the server
    /// sends before it is in `before`.
    fn request_seeing(&mut self, method: &str, params: Value, before: &mut Vec<Value>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut request = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            request["params"] = params;
        }
        self.send(request);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(Instant::now() < deadline, "no response to {method}");
            let message = self.receive();
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
            before.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.request_seeing(method, params, &mut Vec::new())
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": tool, "arguments": arguments}))
    }

    /// Closes stdin; the server's exit status and stderr.
    fn close(mut self) -> (ExitStatus, String, Vec<Value>) {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit when its stdin closed");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let output = self.child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        (status, stderr, self.transcript)
    }

    /// Closes the session, which must end with success, and validates its
    /// transcript; its stderr.
    fn finish(self) -> String {
        let (status, stderr, transcript) = self.close();
        assert!(status.success(), "{status}\n{stderr}");
        let text: String = transcript.iter().map(|line| format!("{line}\n")).collect();
        let mut out = Vec::new();
        let summary = validate(
            mcp_defs::ServerSide::registry(),
            &Decoders::of::<mcp_defs::ServerSide>(),
            None,
            &mut text.as_bytes(),
            "session",
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(summary.failed, 0, "{out}\n{text}");
        stderr
    }
}

fn text_of(result: &Value) -> String {
    result["result"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|block| block["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sample_is_a_tool_error_for_a_client_without_sampling() {
    let mut session = Session::initialized(json!({}));
    let mut before = Vec::new();
    let response = session.request_seeing(
        "tools/call",
        json!({"name": "sample", "arguments": {"prompt": "Hi?"}}),
        &mut before,
    );
    assert_eq!(response["result"]["isError"], true, "{response}");
    assert!(text_of(&response).contains("sampling"), "{response}");
    // The gate kept the request from the client.
    assert!(before.is_empty(), "{before:?}");
    session.finish();
}

#[test]
fn sample_asks_the_client_and_answers_with_its_reply() {
    let mut session = Session::initialized(json!({"sampling": {}}));
    session.send(json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "sample", "arguments": {"prompt": "Hi?"}}}));
    let asked = session.receive();
    assert_eq!(asked["method"], "sampling/createMessage", "{asked}");
    assert_eq!(asked["params"]["messages"][0]["content"]["text"], "Hi?");
    session.send(json!({"jsonrpc": "2.0", "id": asked["id"], "result": {
        "role": "assistant", "content": {"type": "text", "text": "Hello."}, "model": "m"}}));
    let response = session.receive();
    assert_eq!(response["id"], 7);
    assert_eq!(text_of(&response), "Hello.");
    assert_eq!(response["result"].get("isError"), None);
    // The client refusing is a tool error.
    session.send(json!({"jsonrpc": "2.0", "id": 8, "method": "tools/call",
        "params": {"name": "sample", "arguments": {"prompt": "Again?"}}}));
    let asked = session.receive();
    session.send(json!({"jsonrpc": "2.0", "id": asked["id"],
        "error": {"code": -1, "message": "User rejected sampling request"}}));
    let response = session.receive();
    assert_eq!(response["id"], 8);
    assert_eq!(response["result"]["isError"], true, "{response}");
    session.finish();
}

#[test]
fn subscribers_hear_of_the_resource_that_changes() {
    let mut session = Session::initialized(json!({}));
    let read = |session: &mut Session| {
        let read = session.request("resources/read", json!({"uri": "example://calls"}));
        read["result"]["contents"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(read(&mut session), "0");
    assert_eq!(
        session.request("resources/subscribe", json!({"uri": "example://calls"}))["result"],
        json!({})
    );
    let mut before = Vec::new();
    let response = session.request_seeing(
        "tools/call",
        json!({"name": "echo", "arguments": {"message": "x"}}),
        &mut before,
    );
    assert_eq!(text_of(&response), "x");
    assert_eq!(
        before,
        [
            json!({"jsonrpc": "2.0", "method": "notifications/resources/updated",
            "params": {"uri": "example://calls"}})
        ]
    );
    assert_eq!(read(&mut session), "1");
    // After unsubscribing, no more.
    session.request("resources/unsubscribe", json!({"uri": "example://calls"}));
    let mut before = Vec::new();
    session.request_seeing(
        "tools/call",
        json!({"name": "add", "arguments": {"a": 1, "b": 2.5}}),
        &mut before,
    );
    assert!(before.is_empty(), "{before:?}");
    session.finish();
}

#[test]
fn resources_templates_and_unknown_resources() {
    let mut session = Session::initialized(json!({}));
    let listed = session.request("resources/list", Value::Null);
    let uris: Vec<&str> = listed["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["example://greeting", "example://calls"]);
    let templates = session.request("resources/templates/list", Value::Null);
    assert_eq!(
        templates["result"]["resourceTemplates"][0]["uriTemplate"],
        "example://greeting/{name}"
    );
    let read = session.request("resources/read", json!({"uri": "example://greeting/Ada"}));
    assert_eq!(read["result"]["contents"][0]["text"], "Hello, Ada.");
    // -32002, the specification's "resource not found".
    let missing = session.request("resources/read", json!({"uri": "example://nothing"}));
    assert_eq!(missing["error"]["code"], -32002, "{missing}");
    let missing = session.request("resources/subscribe", json!({"uri": "example://nothing"}));
    assert_eq!(missing["error"]["code"], -32002, "{missing}");
    session.finish();
}

#[test]
fn tool_errors_and_protocol_errors() {
    let mut session = Session::initialized(json!({}));
    assert_eq!(
        session.call("no-such-tool", json!({}))["error"]["code"],
        -32602
    );
    for (tool, arguments) in [
        ("echo", json!({})),
        ("echo", json!({"message": 1})),
        ("add", json!({"a": 1})),
        ("slow", json!({"steps": 0})),
        ("slow", json!({"steps": 1.5})),
    ] {
        let response = session.call(tool, arguments.clone());
        assert_eq!(
            response["result"]["isError"], true,
            "{tool} {arguments}: {response}"
        );
    }
    let add = session.call("add", json!({"a": 0.5, "b": 2}));
    assert_eq!(text_of(&add), "2.5");
    assert_eq!(add["result"]["structuredContent"], json!({"sum": 2.5}));
    // Not JSON, and a request of no method: -32700 and -32601.
    session.send_text("{not json");
    assert_eq!(session.receive()["error"]["code"], -32700);
    let unknown = session.request("no/such/method", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let (status, stderr, _) = session.close();
    assert!(status.success(), "{stderr}");
}

#[test]
fn slow_without_a_progress_token_sends_no_progress() {
    let mut session = Session::initialized(json!({}));
    let mut before = Vec::new();
    let started = Instant::now();
    let response = session.request_seeing(
        "tools/call",
        json!({"name": "slow", "arguments": {"steps": 3}}),
        &mut before,
    );
    assert!(started.elapsed() >= Duration::from_millis(60));
    assert_eq!(text_of(&response), "done after 3 steps");
    assert!(before.is_empty(), "{before:?}");
    // With a token: one notification a step, the last before the result.
    let response = session.request_seeing(
        "tools/call",
        json!({"name": "slow", "arguments": {"steps": 3}, "_meta": {"progressToken": "p"}}),
        &mut before,
    );
    assert_eq!(text_of(&response), "done after 3 steps");
    let progress: Vec<&Value> = before.iter().map(|n| &n["params"]["progress"]).collect();
    assert_eq!(progress, [&json!(1), &json!(2), &json!(3)]);
    session.finish();
}

#[test]
fn logging_follows_the_level_set() {
    let mut session = Session::initialized(json!({}));
    // Nothing is logged to the client before logging/setLevel.
    let mut before = Vec::new();
    session.request_seeing(
        "tools/call",
        json!({"name": "echo", "arguments": {"message": "x"}}),
        &mut before,
    );
    assert!(before.is_empty(), "{before:?}");
    session.request("logging/setLevel", json!({"level": "info"}));
    let logged = session.receive();
    assert_eq!(logged["method"], "notifications/message", "{logged}");
    assert_eq!(logged["params"]["level"], "info");
    session.request_seeing(
        "tools/call",
        json!({"name": "echo", "arguments": {"message": "x"}}),
        &mut before,
    );
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0]["params"]["data"]["tool"], "echo");
    // Above the level of a tool call's message: silence again.
    session.request("logging/setLevel", json!({"level": "error"}));
    let logged = session.receive();
    assert_eq!(logged["params"]["level"], "error", "{logged}");
    let mut before = Vec::new();
    session.request_seeing(
        "tools/call",
        json!({"name": "echo", "arguments": {"message": "x"}}),
        &mut before,
    );
    assert!(before.is_empty(), "{before:?}");
    session.finish();
}

#[test]
fn before_initialize_only_ping_is_answered() {
    let mut session = Session::start();
    assert_eq!(session.request("ping", Value::Null)["result"], json!({}));
    let early = session.request("tools/list", Value::Null);
    assert_eq!(early["error"]["code"], -32600, "{early}");
    // Nothing is sent to a client that has not initialized.
    session.quiet_for(Duration::from_millis(100));
    let (status, stderr, _) = session.close();
    assert!(status.success(), "{stderr}");
}

#[test]
fn the_server_exits_when_stdin_closes_even_mid_call() {
    let mut session = Session::initialized(json!({}));
    session.send(json!({"jsonrpc": "2.0", "id": 50, "method": "tools/call",
        "params": {"name": "slow", "arguments": {"steps": 1000}}}));
    let started = Instant::now();
    let (status, stderr, _) = session.close();
    assert!(status.success(), "{status}\n{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stderr.contains("stdin closed"), "{stderr}");
}

#[test]
fn the_server_logs_peer_strings_escaped() {
    let mut session = Session::start();
    session.request(
        "initialize",
        json!({
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "evil\u{1b}[31m\u{7}", "version": "1\u{1b}]0;t\u{7}"},
        }),
    );
    session.send(
        json!({"jsonrpc": "2.0", "id": "\u{1b}[2J", "method": "tools/call",
        "params": {"name": "slow", "arguments": {"steps": 1000}}}),
    );
    session.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": "\u{1b}[2J"}}),
    );
    session.request(
        "prompts/get",
        json!({"name": "\u{1b}[31mx", "arguments": {}}),
    );
    let (status, stderr, _) = session.close();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("client evil"), "{stderr}");
    assert!(stderr.contains("evil\\u{1b}[31m"), "{stderr}");
    assert!(stderr.contains("cancelled"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}
