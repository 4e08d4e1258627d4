//! `codegen-cli validate`: transcripts of the app-server protocol checked
//! line by line, run in-process as the binary runs it.

use std::path::{Path, PathBuf};

use clap::Parser;
use protocol_codegen::cli::{run_with_stdin, Cli, Exit};
use protocol_codegen::Protocol;
use serde_json::json;

const COMMAND: &str = "cargo run -p codegen-cli -- write-schema";

struct Outcome {
    exit: Exit,
    stdout: String,
    stderr: String,
}

/// Runs `codegen-cli <args>` with `stdin` as its standard input.
fn cli(args: &[&str], stdin: &[u8]) -> Outcome {
    let cli = Cli::try_parse_from(std::iter::once("codegen-cli").chain(args.iter().copied()))
        .expect("valid arguments");
    let protocol = Protocol::of::<protocol_defs::ServerSide>(COMMAND)
        .with_info(protocol_defs::TITLE, protocol_defs::VERSION);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut input = stdin;
    let exit = run_with_stdin(
        &cli,
        protocol,
        Path::new("/nonexistent/default"),
        &mut input,
        &mut stdout,
        &mut stderr,
    );
    Outcome {
        exit,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// `validate -` of `transcript`, with `args` after it.
fn validate(transcript: &str, args: &[&str]) -> Outcome {
    let mut all = vec!["validate", "-"];
    all.extend_from_slice(args);
    cli(&all, transcript.as_bytes())
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/transcripts")
        .join(name)
}

/// A transcript of wrapped lines, each `(from, message)`.
fn transcript(lines: &[(&str, serde_json::Value)]) -> String {
    lines
        .iter()
        .map(|(from, message)| json!({"from": from, "message": message}).to_string() + "\n")
        .collect()
}

fn initialize(id: i64, capabilities: serde_json::Value) -> serde_json::Value {
    json!({
        "method": "initialize",
        "id": id,
        "params": {"clientInfo": {"name": "t", "version": "1"}, "capabilities": capabilities},
    })
}

fn initialize_response(id: i64) -> serde_json::Value {
    json!({"id": id, "result": {
        "userAgent": "codex_app_server/0.1.0",
        "codexHome": "/home/dev/.codex",
        "platformFamily": "unix",
        "platformOs": "linux",
    }})
}

/// `lines` after an `initialize` that declares nothing, answered: the
/// negotiation comes first.
fn negotiated(lines: &[(&str, serde_json::Value)]) -> String {
    let mut all = vec![
        ("client", initialize(0, json!({}))),
        ("server", initialize_response(0)),
    ];
    all.extend(lines.iter().cloned());
    transcript(&all)
}

fn attestation(id: i64) -> serde_json::Value {
    json!({"method": "attestation/generate", "id": id, "params": {}})
}

#[test]
fn a_good_transcript_passes() {
    let path = fixture("good.jsonl");
    let outcome = cli(&["validate", path.to_str().unwrap()], b"");
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert_eq!(
        outcome.stdout,
        format!("{}: 10 messages, all valid.\n", path.display())
    );
    assert_eq!(outcome.stderr, "");
}

#[test]
fn a_bad_transcript_lists_every_failing_line() {
    let path = fixture("bad.jsonl");
    let outcome = cli(&["validate", path.to_str().unwrap()], b"");
    assert_eq!(outcome.exit, Exit::Drift, "{}", outcome.stderr);
    let report = outcome
        .stdout
        .replace(&path.display().to_string(), "bad.jsonl");
    insta::assert_snapshot!("bad_transcript", report);
}

#[test]
fn standard_input_is_read_for_a_dash() {
    let text = std::fs::read_to_string(fixture("good.jsonl")).unwrap();
    let outcome = validate(&text, &[]);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert_eq!(outcome.stdout, "<stdin>: 10 messages, all valid.\n");

    let text = std::fs::read_to_string(fixture("bad.jsonl")).unwrap();
    let from_stdin = validate(&text, &[]);
    let path = fixture("bad.jsonl");
    let from_file = cli(&["validate", path.to_str().unwrap()], b"");
    assert_eq!(from_stdin.exit, Exit::Drift);
    assert_eq!(
        from_stdin
            .stdout
            .replace("<stdin>", &path.display().to_string()),
        from_file.stdout
    );
}

#[test]
fn from_names_the_sender_of_bare_messages() {
    let client = [
        initialize(1, json!({})),
        json!({"method": "initialized"}),
        json!({"method": "getAuthStatus", "id": 2, "params": {}}),
    ]
    .map(|message| message.to_string() + "\n")
    .concat();
    // The server's answer to `initialize`, wrapped, between the bare lines.
    let answer = transcript(&[("server", initialize_response(1))]);
    let (first, rest) = client.split_at(client.find('\n').unwrap() + 1);
    let outcome = validate(&format!("{first}{answer}{rest}"), &["--from", "client"]);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert_eq!(
        outcome.stdout,
        "<stdin>: 4 messages, all valid; 1 request unanswered at the end.\n"
    );

    // The same lines from the server: none of them is a server message.
    let outcome = validate(&client, &["--from", "server"]);
    assert_eq!(outcome.exit, Exit::Drift);
    assert_eq!(
        outcome.stdout,
        "line 1: initialize at \"/method\": method not found: `initialize`; \
         `initialize` is a client→server request: the server does not send it\n\
         line 2: initialized at \"/method\": method not found: `initialized`; \
         `initialized` is a client→server notification: the server does not send it\n\
         line 3: getAuthStatus at \"/method\": method not found: `getAuthStatus`; \
         `getAuthStatus` is a client→server request: the server does not send it\n\
         <stdin>: 3 of 3 messages failed; 2 requests unanswered at the end.\n"
    );

    // A wrapped line says who sent it, whatever --from says.
    let wrapped = negotiated(&[(
        "server",
        json!({"method": "authStatusChange", "params": {"authMethod": null}}),
    )]);
    let outcome = validate(&wrapped, &["--from", "client"]);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let missing = cli(&["validate", "/nonexistent/transcript.jsonl"], b"");
    assert_eq!(missing.exit, Exit::Error);
    assert_eq!(missing.exit.code(), 2);
    assert!(
        missing
            .stderr
            .starts_with("error: cannot read `/nonexistent/transcript.jsonl`: "),
        "{}",
        missing.stderr
    );
    assert_eq!(missing.stdout, "");

    let dir = tempfile::tempdir().unwrap();
    let directory = cli(&["validate", dir.path().to_str().unwrap()], b"");
    assert_eq!(directory.exit, Exit::Error, "{}", directory.stdout);
    assert!(
        directory.stderr.starts_with("error: cannot read `"),
        "{}",
        directory.stderr
    );

    for args in [
        &["codegen-cli", "validate"][..],
        &["codegen-cli", "validate", "-", "--from", "browser"],
        &["codegen-cli", "validate", "a.jsonl", "b.jsonl"],
        &["codegen-cli", "validate", "-", "--from"],
    ] {
        let err = Cli::try_parse_from(args).expect_err("a usage error");
        assert_eq!(err.exit_code(), 2, "{args:?}: {err}");
    }
}

/// Standard input that fails after its first line.
struct Broken(&'static [u8]);

impl std::io::Read for Broken {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        unreachable!("read through BufRead")
    }
}

impl std::io::BufRead for Broken {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.0.is_empty() {
            Err(std::io::Error::other("the pipe broke"))
        } else {
            Ok(self.0)
        }
    }

    fn consume(&mut self, amount: usize) {
        self.0 = &self.0[amount..];
    }
}

#[test]
fn a_read_error_exits_2_after_the_lines_read() {
    let cli = Cli::try_parse_from(["codegen-cli", "validate", "-"]).unwrap();
    let protocol = Protocol::of::<protocol_defs::ServerSide>(COMMAND);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut stdin = Broken(b"{\"from\": \"client\", \"message\": {\"method\": \"nope\"}}\n");
    let exit = run_with_stdin(
        &cli,
        protocol,
        Path::new("/nonexistent/default"),
        &mut stdin,
        &mut stdout,
        &mut stderr,
    );
    assert_eq!(exit, Exit::Error);
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        "line 1: nope at \"/method\": method not found: `nope`\n"
    );
    assert_eq!(
        String::from_utf8(stderr).unwrap(),
        "error: cannot read `<stdin>`: the pipe broke\n"
    );
}

#[test]
fn a_protocol_without_decoders_cannot_validate() {
    let cli = Cli::try_parse_from(["codegen-cli", "validate", "-"]).unwrap();
    let protocol = Protocol::new(&protocol_defs::methods::REGISTRY, COMMAND);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run_with_stdin(
        &cli,
        protocol,
        Path::new("/nonexistent/default"),
        &mut &b""[..],
        &mut stdout,
        &mut stderr,
    );
    assert_eq!(exit, Exit::Error);
    assert!(String::from_utf8(stderr)
        .unwrap()
        .starts_with("error: this generator cannot validate transcripts"));
}

#[test]
fn a_bare_message_without_from_fails_its_line() {
    let outcome = validate("{\"method\": \"initialized\"}\n", &[]);
    assert_eq!(outcome.exit, Exit::Drift);
    assert_eq!(
        outcome.stdout,
        "line 1: initialized at \"\": a bare message needs --from client|server; \
         or write the line as {\"from\": \"client\"|\"server\", \"message\": …}\n\
         <stdin>: 1 of 1 message failed.\n"
    );
}

#[test]
fn blank_lines_are_skipped_and_counted() {
    let text = format!(
        "\n{}\r\n   \n{}",
        json!({"from": "client", "message": {"method": "initialized"}}),
        json!({"from": "client", "message": {"method": "nope"}}),
    );
    let outcome = validate(&format!("{}{text}", negotiated(&[])), &[]);
    assert_eq!(
        outcome.stdout,
        "line 6: nope at \"/method\": method not found: `nope`\n<stdin>: 1 of 4 messages failed.\n"
    );
}

/// `attestation/generate` needs `requestAttestation`, negotiated by the
/// client's `initialize` once the server answered it.
#[test]
fn a_gated_method_passes_only_after_its_capability_was_negotiated() {
    const REFUSED: &str = "attestation/generate at \"/method\": `attestation/generate` requires \
        the client capability `requestAttestation`, which this connection did not negotiate";
    const BEFORE: &str = "attestation/generate at \"/method\": sent before the negotiation: \
        `initialize` must be answered with success before any other request or notification";

    let before = negotiated(&[("server", attestation(0))]);
    let outcome = validate(&before, &[]);
    assert_eq!(outcome.exit, Exit::Drift);
    assert_eq!(
        outcome.stdout,
        format!(
            "line 3: {REFUSED}\n<stdin>: 1 of 3 messages failed; 1 request unanswered at the end.\n"
        )
    );

    let without = transcript(&[
        ("client", initialize(0, json!({"experimentalApi": true}))),
        ("server", initialize_response(0)),
        ("server", attestation(0)),
    ]);
    let outcome = validate(&without, &[]);
    assert_eq!(outcome.exit, Exit::Drift);
    assert!(
        outcome.stdout.starts_with(&format!("line 3: {REFUSED}\n")),
        "{}",
        outcome.stdout
    );

    // Declared, but the server has not answered `initialize` yet: nothing
    // but the negotiation comes before its answer.
    let pending = transcript(&[
        ("client", initialize(0, json!({"requestAttestation": true}))),
        ("server", attestation(0)),
    ]);
    let outcome = validate(&pending, &[]);
    assert!(
        outcome.stdout.starts_with(&format!("line 2: {BEFORE}\n")),
        "{}",
        outcome.stdout
    );

    // Declared, and `initialize` answered with an error: not negotiated,
    // so still before the negotiation.
    let refused = transcript(&[
        ("client", initialize(0, json!({"requestAttestation": true}))),
        (
            "server",
            json!({"id": 0, "error": {"code": -32600, "message": "no"}}),
        ),
        ("server", attestation(0)),
    ]);
    let outcome = validate(&refused, &[]);
    assert!(
        outcome.stdout.starts_with(&format!("line 3: {BEFORE}\n")),
        "{}",
        outcome.stdout
    );

    let after = transcript(&[
        ("client", initialize(0, json!({"requestAttestation": true}))),
        ("server", initialize_response(0)),
        ("server", attestation(0)),
        ("client", json!({"id": 0, "result": {"token": "v1.abc"}})),
    ]);
    let outcome = validate(&after, &[]);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert_eq!(outcome.stdout, "<stdin>: 4 messages, all valid.\n");
}

#[test]
fn an_experimental_method_or_field_needs_the_experimental_capability() {
    let lines = |capabilities| {
        transcript(&[
            ("client", initialize(0, capabilities)),
            ("server", initialize_response(0)),
            (
                "client",
                json!({"method": "thread/archive", "id": 1, "params": {"threadId": "thr_1"}}),
            ),
            (
                "client",
                json!({"method": "execOneOffCommand", "id": 2, "params": {"command": ["ls"], "outputBytesCap": 4096}}),
            ),
            (
                "server",
                json!({"method": "account/rateLimitsUpdated", "params": {"usedPercent": 12.5}}),
            ),
        ])
    };
    let outcome = validate(&lines(json!({})), &[]);
    assert_eq!(outcome.exit, Exit::Drift);
    insta::assert_snapshot!("experimental_without_capability", outcome.stdout);
    let outcome = validate(&lines(json!({"experimentalApi": true})), &[]);
    assert_eq!(
        outcome.stdout,
        "<stdin>: 5 messages, all valid; 2 requests unanswered at the end.\n",
    );
}

#[test]
fn responses_are_paired_with_earlier_requests_by_id() {
    let get_auth =
        |id: serde_json::Value| json!({"method": "getAuthStatus", "id": id, "params": {}});
    let auth = |id: serde_json::Value| json!({"id": id, "result": {"authMethod": null}});
    let text = negotiated(&[
        // An answer before any request.
        ("server", auth(json!(1))),
        ("client", get_auth(json!(1))),
        // The client cannot answer its own request.
        ("client", auth(json!(1))),
        // Ids are per sender: server request 1 is another request.
        (
            "server",
            json!({"method": "execCommandApproval", "id": 1, "params": {
                "conversationId": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "callId": "c", "command": ["ls"], "cwd": "/", "parsedCmd": [],
            }}),
        ),
        (
            "client",
            json!({"id": 1, "result": {"decision": "approved"}}),
        ),
        // Reused while pending.
        ("client", get_auth(json!(1))),
        ("server", auth(json!(1))),
        // Answered twice.
        ("server", auth(json!(1))),
        // Reused once answered: a new request.
        ("client", get_auth(json!(1))),
        (
            "server",
            json!({"id": 1, "error": {"code": -32603, "message": "down"}}),
        ),
        // A string id is not the integer id.
        ("client", get_auth(json!("1"))),
        ("server", auth(json!(1))),
        ("server", auth(json!("1"))),
        // A result of the wrong method's type.
        ("client", get_auth(json!(2))),
        (
            "server",
            json!({"id": 2, "result": {"authMethod": "approved"}}),
        ),
        // Both, neither: an invalid response answers nothing, and the
        // request is still pending.
        ("client", get_auth(json!(3))),
        (
            "server",
            json!({"id": 3, "result": {}, "error": {"code": 1, "message": "m"}}),
        ),
        ("client", get_auth(json!(4))),
        ("server", json!({"id": 4})),
        ("server", json!({"id": 4, "result": {}})),
    ]);
    let outcome = validate(&text, &[]);
    assert_eq!(outcome.exit, Exit::Drift);
    insta::assert_snapshot!("response_pairing", outcome.stdout);
}

/// Hostile lines: each fails with a short report, none panics, and the
/// lines after them are still checked.
#[test]
fn hostile_lines_fail_with_bounded_reports() {
    const MB50: usize = 50 << 20;
    let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_params = format!(
        r#"{{"from":"client","message":{{"method":"getAuthStatus","id":1,"params":{{"x":{}{}}}}}}}"#,
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    // 50 MB where a peer's text is quoted (the method) and where a value
    // is (a credential in the wrong place); 1 MB elsewhere, which is as
    // long as a report line can bear and quicker to build.
    let huge = "m".repeat(MB50);
    let long = "m".repeat(1 << 20);
    let huge_method = format!(r#"{{"from":"client","message":{{"method":"{huge}","id":2}}}}"#);
    let huge_value = format!(
        r#"{{"from":"client","message":{{"method":"getAuthStatus","id":3,"params":{{"includeToken":"{huge}"}}}}}}"#
    );
    // A key in the pointer: a path of the patch, with a change that is not one.
    let huge_key = format!(
        r#"{{"from":"server","message":{{"method":"applyPatchApproval","id":4,"params":{{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8","callId":"c","fileChanges":{{"{long}":1}}}}}}}}"#
    );
    let huge_id = format!(r#"{{"from":"server","message":{{"id":"{long}","result":{{}}}}}}"#);
    let huge_from = format!(r#"{{"from":"{long}","message":{{}}}}"#);
    let mut lines: Vec<Vec<u8>> = negotiated(&[])
        .lines()
        .map(|line| line.as_bytes().to_vec())
        .collect();
    lines.extend([
        deep_array.into_bytes(),
        deep_params.into_bytes(),
        huge_method.into_bytes(),
        huge_value.into_bytes(),
        huge_key.into_bytes(),
        huge_id.into_bytes(),
        huge_from.into_bytes(),
    ]);
    // Invalid UTF-8: in a string, in a key, and outside any string.
    lines.push(
        b"{\"from\":\"client\",\"message\":{\"method\":\"initialized\",\"x\":\"\xff\xfe\"}}"
            .to_vec(),
    );
    lines.push(
        b"{\"from\":\"client\",\"message\":{\"method\":\"initialized\",\"\xc3\x28\":1}}".to_vec(),
    );
    lines.push(b"\xff{}".to_vec());
    // Not JSON, and a control character in a method name.
    lines.push(b"this is not json".to_vec());
    lines.push(br#"{"from":"client","message":{"method":"a\u0000\nb"}}"#.to_vec());
    lines.push(br#"{"from":"server","message":{"method":"applyPatchApproval","id":5,"params":{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8","callId":"c","fileChanges":{"a/\n~b":1}}}}"#.to_vec());
    // Still read after all of them.
    lines.push(br#"{"from":"client","message":{"method":"initialized"}}"#.to_vec());
    let mut input = lines.join(&b'\n');
    input.push(b'\n');

    let outcome = cli(&["validate", "-"], &input);
    assert_eq!(outcome.exit, Exit::Drift, "{}", outcome.stderr);
    let report: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(report.len(), 14, "{}", outcome.stdout);
    for line in &report {
        assert!(
            line.len() < 700,
            "an unbounded report line of {} bytes",
            line.len()
        );
        assert!(!line.contains(&"m".repeat(100)), "{line}");
    }
    insta::assert_snapshot!("hostile_lines", outcome.stdout);
}

/// The README's example is this fixture, and its output is what the
/// command prints.
#[test]
fn the_readme_example_is_real() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    let section = readme
        .split("## Validating a transcript\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a `Validating a transcript` section");
    let example = section
        .split("```jsonl\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the example transcript");
    let path = fixture("readme.jsonl");
    assert_eq!(example, std::fs::read_to_string(&path).unwrap());

    const COMMAND: &str =
        "$ cargo run -p codegen-cli -- validate tests/fixtures/transcripts/readme.jsonl\n";
    let output = section
        .split(COMMAND)
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the command and its output");
    let outcome = cli(&["validate", path.to_str().unwrap()], b"");
    assert_eq!(outcome.exit, Exit::Drift);
    assert_eq!(
        outcome.stdout.replace(
            &path.display().to_string(),
            "tests/fixtures/transcripts/readme.jsonl"
        ),
        output
    );
}

/// A line with `from` and none of `method`, `id`, `result` and `error` is
/// `from` and `message` and nothing else.
#[test]
fn a_transcript_line_has_from_and_message_only() {
    let text = [
        r#"{"from": "client", "message": {"method": "initialized"}, "at": 12}"#,
        r#"{"from": "client", "from": "server", "message": {"method": "initialized"}}"#,
        r#"{"message": {"method": "initialized"}}"#,
        r#"{"from": "client", "message": "initialized"}"#,
        r#"{"from": "client", "message": {"method": "initialized"}}"#,
    ]
    .join("\n");
    let outcome = validate(&format!("{}{text}", negotiated(&[])), &["--from", "server"]);
    assert_eq!(
        outcome.stdout,
        "line 3: (no method) at \"/at\": a transcript line has only `from` and `message`, not `at`\n\
         line 4: (no method) at \"/from\": duplicate `from` member\n\
         line 5: (no method) at \"\": a transcript line needs `from`: \"client\" or \"server\"\n\
         line 6: (no method) at \"\": a message must be a JSON object\n\
         <stdin>: 4 of 7 messages failed.\n"
    );
}

/// Every line of the good transcript, cut short and with each byte
/// replaced: every mutation is read without a panic, a failure is one
/// bounded report line, and the transcript is still read to its end.
#[test]
fn mutated_lines_never_panic() {
    let good = std::fs::read_to_string(fixture("good.jsonl")).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let decoders = protocol_codegen::validate::Decoders::of::<protocol_defs::ServerSide>();
    let mut runs = 0;
    for (index, line) in lines.iter().enumerate() {
        let bytes = line.as_bytes();
        for at in 0..bytes.len() {
            for replacement in [None, Some(b'"'), Some(b'{'), Some(b'1'), Some(0xff)] {
                let mut mutated = bytes.to_vec();
                match replacement {
                    None => mutated.truncate(at),
                    Some(byte) => mutated[at] = byte,
                }
                let mut transcript = Vec::new();
                for (other, original) in lines.iter().enumerate() {
                    let line = if other == index {
                        &mutated[..]
                    } else {
                        original.as_bytes()
                    };
                    transcript.extend_from_slice(line);
                    transcript.push(b'\n');
                }
                let mut out = Vec::new();
                let summary = protocol_codegen::validate::validate(
                    &protocol_defs::methods::REGISTRY,
                    &decoders,
                    None,
                    &mut &transcript[..],
                    "t",
                    &mut out,
                )
                .unwrap();
                let out = String::from_utf8(out).unwrap();
                let report: Vec<&str> = out.lines().collect();
                assert_eq!(report.len(), summary.failed + 1, "{out}");
                // Only a line cut to nothing is skipped.
                assert!(summary.messages >= lines.len() - 1, "{out}");
                assert!(report.iter().all(|line| line.len() < 1024), "{out}");
                runs += 1;
            }
        }
    }
    assert!(runs > 5_000, "{runs} runs");
}

/// The failing lines and the summary of `calc` transcript `lines`, each
/// `(from, message)`.
fn calc_report(lines: &[(&str, &str)]) -> Vec<String> {
    use tests::calc::methods::ServerSide;
    let transcript: String = lines
        .iter()
        .map(|(from, message)| format!("{{\"from\": \"{from}\", \"message\": {message}}}\n"))
        .collect();
    let protocol = Protocol::of::<ServerSide>(tests::calc::COMMAND);
    let mut out = Vec::new();
    protocol_codegen::validate::validate(
        protocol.registry,
        protocol.decoders.as_ref().unwrap(),
        None,
        &mut transcript.as_bytes(),
        "calc.jsonl",
        &mut out,
    )
    .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The library knows no protocol: `calc`, in standard JSON-RPC 2.0, with
/// a request both peers send, and capabilities of both sides declared by
/// its `session/open`, which comes first.
#[test]
fn any_protocol_validates_with_its_own_decoders() {
    let report = calc_report;
    const ADD: &str = r#""params": {"leftOperand": 1, "rightOperand": 2}"#;

    // A session that declares nothing.
    let failed = report(&[
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/add", "id": 0, {ADD}}}"#),
        ),
        (
            "client",
            r#"{"jsonrpc": "2.0", "method": "session/open", "id": 10, "params": {"capabilities": {}}}"#,
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "id": 10, "result": {"capabilities": {}, "vendor": "x"}}"#,
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/add", "id": 1, {ADD}}}"#),
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "id": 1, "result": {"sum": 3}}"#,
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/mul", "id": 2, {ADD}}}"#),
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/pow", "id": 3, {ADD}}}"#),
        ),
        (
            "client",
            &format!(r#"{{"method": "math/add", "id": 4, {ADD}}}"#),
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "1.0", "method": "math/add", "id": 5, {ADD}}}"#),
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "method": "math/bigProgress", "params": {"percent": 30}}"#,
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "method": "progress", "params": {"percent": 300}}"#,
        ),
        (
            "server",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/add", "id": 2, {ADD}}}"#),
        ),
        (
            "client",
            r#"{"jsonrpc": "2.0", "method": "progress", "params": {"percent": 3}}"#,
        ),
    ]);
    assert_eq!(
        failed,
        [
            "line 1: math/add at \"/method\": sent before the negotiation: `session/open` must be answered with success before any other request or notification",
            "line 6: math/mul at \"/method\": `math/mul` requires the client capability `bigNumbers`, which this connection did not negotiate",
            "line 7: math/pow at \"/method\": `math/pow` requires the server capability `math.pow`, which this connection did not negotiate",
            "line 8: math/add at \"\": invalid request: missing `\"jsonrpc\": \"2.0\"`",
            "line 9: math/add at \"\": invalid request: `jsonrpc` must be \"2.0\"",
            "line 10: math/bigProgress at \"/method\": `math/bigProgress` requires the client capability `bigNumbers`, which this connection did not negotiate",
            "line 11: progress at \"/params/percent\": invalid params for `progress`: invalid value: an integer, expected u8",
            "line 12: math/add at \"/method\": method not found: `math/add`; `math/add` is a client→server request: the server does not send it",
            "line 13: progress at \"/method\": method not found: `progress`; `progress` is a server→client notification: the client does not send it",
            "calc.jsonl: 9 of 13 messages failed; 6 requests unanswered at the end.",
        ],
    );

    // Both sides' capabilities declared: the gated methods pass.
    let passed = report(&[
        (
            "client",
            r#"{"jsonrpc": "2.0", "method": "session/open", "id": 10, "params": {"capabilities": {"bigNumbers": true}}}"#,
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "id": 10, "result": {"capabilities": {"math": {"pow": {}}}, "vendor": "x"}}"#,
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/mul", "id": 11, {ADD}}}"#),
        ),
        (
            "client",
            &format!(r#"{{"jsonrpc": "2.0", "method": "math/pow", "id": 12, {ADD}}}"#),
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "method": "math/bigProgress", "params": {"percent": 30}}"#,
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "method": "echo", "id": 1, "params": {"text": "hi"}}"#,
        ),
        (
            "client",
            r#"{"jsonrpc": "2.0", "id": 1, "result": {"text": "hi"}}"#,
        ),
        (
            "client",
            r#"{"jsonrpc": "2.0", "method": "echo", "id": 13, "params": {"text": "hi"}}"#,
        ),
    ]);
    assert_eq!(
        passed,
        ["calc.jsonl: 8 messages, all valid; 3 requests unanswered at the end."]
    );
}

/// A line of 32 MB of small values is decoded, not built into a tree of
/// values: it gets its one-line report (at `/params`, the locator does not
/// read params that large) and the run goes on to the next line.
#[test]
fn a_long_line_of_small_values_is_decoded_in_bounded_memory() {
    let values = vec![r#"{"x":1}"#; 4 << 20].join(",");
    let line = |extra: &str| {
        format!(
            r#"{{"from":"client","message":{{"method":"getAuthStatus","id":1,"params":{{"a":[{values}]{extra}}}}}}}"#
        )
    };
    let good = line("");
    let bad = line(r#","includeToken":"yes""#);
    assert!(bad.len() > 32 << 20);
    let text = format!(
        "{}{good}\n{}{bad}\n{}",
        negotiated(&[]),
        transcript(&[("server", json!({"id": 1, "result": {"authMethod": null}}))]),
        transcript(&[("client", json!({"method": "nope"}))]),
    );
    let outcome = validate(&text, &[]);
    assert_eq!(
        outcome.stdout,
        "line 5: getAuthStatus at \"/params\": invalid params for `getAuthStatus`: \
         invalid type: a string, expected a boolean\n\
         line 6: nope at \"/method\": method not found: `nope`\n\
         <stdin>: 2 of 6 messages failed; 1 request unanswered at the end.\n"
    );
}

/// Only one negotiation: a second `initialize` fails, whether the first is
/// pending or answered, and what it declares never holds (neither an
/// upgrade nor a downgrade).
#[test]
fn a_second_negotiation_fails_and_changes_nothing() {
    const SECOND: &str =
        "initialize at \"/method\": a second `initialize`: a transcript negotiates once";
    let upgrade = transcript(&[
        ("client", initialize(0, json!({}))),
        ("server", initialize_response(0)),
        ("client", initialize(1, json!({"requestAttestation": true}))),
        ("server", initialize_response(1)),
        ("server", attestation(0)),
    ]);
    let outcome = validate(&upgrade, &[]);
    let report: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(report.len(), 3, "{}", outcome.stdout);
    assert_eq!(
        report[0],
        format!("line 3: {SECOND}, and the one of line 1 was answered with success; this one changes nothing")
    );
    assert!(
        report[1].starts_with(
            "line 5: attestation/generate at \"/method\": `attestation/generate` requires"
        ),
        "{}",
        outcome.stdout
    );

    let downgrade = transcript(&[
        ("client", initialize(0, json!({"experimentalApi": true}))),
        ("client", initialize(1, json!({}))),
        ("server", initialize_response(0)),
        ("server", initialize_response(1)),
        (
            "client",
            json!({"method": "thread/archive", "id": 2, "params": {"threadId": "thr_1"}}),
        ),
    ]);
    let outcome = validate(&downgrade, &[]);
    assert_eq!(
        outcome.stdout,
        format!(
            "line 2: {SECOND}, and the one of line 1 is still pending; this one changes nothing\n\
             <stdin>: 1 of 5 messages failed; 1 request unanswered at the end.\n"
        )
    );

    // One answered with an error negotiated nothing: it may be sent again.
    let again = transcript(&[
        ("client", initialize(0, json!({}))),
        (
            "server",
            json!({"id": 0, "error": {"code": -32600, "message": "no"}}),
        ),
        ("client", initialize(1, json!({"requestAttestation": true}))),
        ("server", initialize_response(1)),
        ("server", attestation(0)),
    ]);
    let outcome = validate(&again, &[]);
    assert_eq!(
        outcome.stdout,
        "<stdin>: 5 messages, all valid; 1 request unanswered at the end.\n"
    );
}

/// A protocol that negotiates requires the negotiation first: a request or
/// notification of either side before its successful answer fails, a
/// response (or error response) does not.
#[test]
fn requests_before_the_negotiation_fail() {
    const RULE: &str = "at \"/method\": sent before the negotiation: `initialize` must be \
        answered with success before any other request or notification";
    let text = transcript(&[
        (
            "client",
            json!({"method": "getAuthStatus", "id": 1, "params": {}}),
        ),
        (
            "server",
            json!({"method": "authStatusChange", "params": {"authMethod": null}}),
        ),
        ("server", json!({"id": 1, "result": {"authMethod": null}})),
        ("client", initialize(0, json!({}))),
        ("client", json!({"method": "initialized"})),
        ("server", initialize_response(0)),
        ("client", json!({"method": "initialized"})),
        (
            "client",
            json!({"method": "getAuthStatus", "id": 2, "params": {}}),
        ),
        (
            "server",
            json!({"id": 2, "error": {"code": -32603, "message": "down"}}),
        ),
    ]);
    let outcome = validate(&text, &[]);
    assert_eq!(
        outcome.stdout,
        format!(
            "line 1: getAuthStatus {RULE}\n\
             line 2: authStatusChange {RULE}\n\
             line 5: initialized {RULE}\n\
             <stdin>: 3 of 9 messages failed.\n"
        )
    );
}

/// A response that is not one (neither `result` nor `error`, both, a bad
/// `error`) answers nothing: the valid answer after it pairs.
#[test]
fn an_invalid_response_leaves_the_request_pending() {
    let get_auth = |id: i64| {
        (
            "client",
            json!({"method": "getAuthStatus", "id": id, "params": {}}),
        )
    };
    let auth = |id: i64| ("server", json!({"id": id, "result": {"authMethod": null}}));
    let text = negotiated(&[
        get_auth(1),
        ("server", json!({"id": 1})),
        auth(1),
        get_auth(2),
        (
            "server",
            json!({"id": 2, "result": {}, "error": {"code": 1, "message": "m"}}),
        ),
        auth(2),
        get_auth(3),
        ("server", json!({"id": 3, "error": {"code": "bad"}})),
        auth(3),
    ]);
    let outcome = validate(&text, &[]);
    assert_eq!(
        outcome.stdout,
        "line 4: getAuthStatus at \"\": invalid response: it needs `result` or `error`\n\
         line 7: getAuthStatus at \"\": invalid response: it has both `result` and `error`\n\
         line 10: getAuthStatus at \"/error/code\": invalid response: `error` must be \
         {\"code\": <integer>, \"message\": <string>, \"data\"?: …}\n\
         <stdin>: 3 of 11 messages failed.\n"
    );
}

/// A line is the transcript's wrapper only with `from` and none of
/// `method`, `id`, `result` and `error`: a message with a member named
/// `message` (which the protocol ignores) is a message.
#[test]
fn a_bare_message_with_a_message_member_is_a_message() {
    let text = [
        initialize(0, json!({})).to_string(),
        transcript(&[("server", initialize_response(0))])
            .trim_end()
            .to_owned(),
        r#"{"method": "initialized", "message": "hello"}"#.to_owned(),
        r#"{"method": "getAuthStatus", "id": 1, "params": {}, "message": {"from": "server"}}"#
            .to_owned(),
        r#"{"from": "server", "message": {"id": 1, "result": {"authMethod": null}}, "id": 1}"#
            .to_owned(),
    ]
    .join("\n");
    let outcome = validate(&text, &["--from", "client"]);
    // The last line has `id`: a bare message, from the client, answering
    // no request of the server.
    assert_eq!(
        outcome.stdout,
        "line 5: (no method) at \"/id\": no pending server request has id 1\n\
         <stdin>: 1 of 5 messages failed; 1 request unanswered at the end.\n"
    );
}

/// `optOutNotificationMethods` lists notifications the client never wants:
/// the server sending one fails.
#[test]
fn a_notification_the_client_opted_out_of_fails() {
    let change = json!({"method": "authStatusChange", "params": {"authMethod": null}});
    let text = transcript(&[
        (
            "client",
            initialize(
                0,
                json!({"experimentalApi": true, "optOutNotificationMethods": ["authStatusChange"]}),
            ),
        ),
        ("server", initialize_response(0)),
        ("server", change.clone()),
        (
            "server",
            json!({"method": "account/rateLimitsUpdated", "params": {"usedPercent": 12.5}}),
        ),
    ]);
    let outcome = validate(&text, &[]);
    assert_eq!(
        outcome.stdout,
        "line 3: authStatusChange at \"/method\": the client opted out of `authStatusChange` \
         (`client.optOutNotificationMethods`): the server must not send it\n\
         <stdin>: 1 of 4 messages failed.\n"
    );
    let outcome = validate(&negotiated(&[("server", change)]), &[]);
    assert_eq!(outcome.stdout, "<stdin>: 3 messages, all valid.\n");
}

/// A UTF-8 byte-order mark before the first line is not part of it.
#[test]
fn a_byte_order_mark_before_the_first_line_is_skipped() {
    let text = format!("\u{feff}{}", negotiated(&[]));
    let outcome = validate(&text, &[]);
    assert_eq!(outcome.stdout, "<stdin>: 2 messages, all valid.\n");
    // Anywhere else it is a character that is not JSON.
    let text = format!("{}\u{feff}{{}}\n", negotiated(&[]));
    let outcome = validate(&text, &[]);
    assert!(
        outcome
            .stdout
            .starts_with("line 3: (no method) at \"\": not JSON"),
        "{}",
        outcome.stdout
    );
}

/// A report names what the peer sent (a method, an id, a member name) but
/// never quotes a value of its message: neither a number serde quotes
/// (`invalid value: integer …`) nor a string a type's own error quotes
/// (a relative path where an absolute one is required).
#[test]
fn reports_quote_no_value_of_the_message() {
    const STRING: &str = "canary-4f1d/relative";
    const NUMBER: &str = "4242424242";
    let exec = |id: i64, params: serde_json::Value| {
        (
            "client",
            json!({"method": "execOneOffCommand", "id": id, "params": params}),
        )
    };
    let text = negotiated(&[
        exec(1, json!({"command": ["ls"], "timeoutMs": -4242424242i64})),
        exec(
            2,
            json!({"command": ["ls"], "sandboxPolicy": {"type": "workspace-write", "writable_roots": [STRING]}}),
        ),
        exec(3, json!({"command": ["ls"], "timeoutMs": 4242424242.5})),
        exec(4, json!({"command": [4242424242u64]})),
        (
            "server",
            json!({"id": 1, "result": {"exitCode": 4242424242u64, "stdout": STRING, "stderr": ""}}),
        ),
    ]);
    let outcome = validate(&text, &[]);
    let report: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(report.len(), 6, "{}", outcome.stdout);
    for line in &report {
        assert!(!line.contains(STRING), "{line}");
        assert!(!line.contains(NUMBER), "{line}");
        assert!(!line.contains("canary"), "{line}");
    }
    insta::assert_snapshot!("no_values_quoted", outcome.stdout);
}

/// serde_json's `Value` refuses a lone surrogate escape that the decoder,
/// which skips what it does not read, accepts: the decoder decides.
#[test]
fn a_lone_surrogate_the_decoder_accepts_is_json() {
    let text = format!(
        "{}{}\n",
        negotiated(&[]),
        r#"{"from": "client", "message": {"method": "getAuthStatus", "id": 1, "params": {"x": "\ud800"}}}"#
    );
    let outcome = validate(&text, &[]);
    assert_eq!(
        outcome.stdout,
        "<stdin>: 3 messages, all valid; 1 request unanswered at the end.\n"
    );
}

/// In the standard dialect a response carries `"jsonrpc": "2.0"` too; an
/// error with `"id": null` is a peer's answer to what it could not read,
/// which pairs with no request, and nothing else may have a null id.
#[test]
fn responses_follow_the_dialect_and_a_null_id_answers_nothing() {
    let open =
        r#"{"jsonrpc": "2.0", "method": "session/open", "id": 0, "params": {"capabilities": {}}}"#;
    let opened = r#"{"jsonrpc": "2.0", "id": 0, "result": {"capabilities": {}}}"#;
    let echo = r#"{"jsonrpc": "2.0", "method": "echo", "id": 1, "params": {"text": "x"}}"#;
    let lines = [
        ("client", open),
        ("server", opened),
        ("client", echo),
        ("server", r#"{"id": 1, "result": {"text": "x"}}"#),
        (
            "server",
            r#"{"jsonrpc": "1.0", "id": 1, "result": {"text": "x"}}"#,
        ),
        (
            "server",
            r#"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "m"}, "id": null}"#,
        ),
        ("server", r#"{"jsonrpc": "2.0", "result": {}, "id": null}"#),
        (
            "server",
            r#"{"jsonrpc": "2.0", "id": 1, "result": {"text": "x"}}"#,
        ),
    ];
    assert_eq!(
        calc_report(&lines),
        [
            "line 4: (no method) at \"\": invalid response: this protocol's messages carry `\"jsonrpc\": \"2.0\"`",
            "line 5: (no method) at \"/jsonrpc\": invalid response: this protocol's messages carry `\"jsonrpc\": \"2.0\"`",
            "line 7: (no method) at \"/id\": invalid response: only an error the server could not attribute has `\"id\": null`",
            "calc.jsonl: 3 of 8 messages failed.",
        ]
    );
    // codex's dialect has no member to check; the null id reads the same.
    let text = format!(
        "{}{}",
        negotiated(&[]),
        transcript(&[(
            "server",
            json!({"error": {"code": -32600, "message": "m"}, "id": null})
        )])
    );
    assert_eq!(
        validate(&text, &[]).stdout,
        "<stdin>: 3 messages, all valid.\n"
    );
}

/// A deprecated method is valid, and reported with its deprecation the
/// first time each side sends it: a warning, which does not fail the
/// transcript.
#[test]
fn a_deprecated_method_is_a_warning_once_and_passes() {
    let interrupt = |id: i64| {
        json!({"method": "interruptConversation", "id": id,
               "params": {"conversationId": "thr_1"}})
    };
    let answer = |id: i64| json!({"id": id, "result": {"abortReason": "interrupted"}});
    let text = negotiated(&[
        ("client", interrupt(1)),
        ("server", answer(1)),
        ("client", interrupt(2)),
        ("server", answer(2)),
    ]);
    let outcome = validate(&text, &[]);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert_eq!(
        outcome.stdout,
        "line 3: interruptConversation: warning: `interruptConversation` is deprecated: \
         interrupt the turn itself with the v2 `turn/interrupt` request \
         (its later uses by the client are not reported)\n\
         <stdin>: 6 messages, all valid; 1 warning.\n"
    );
    assert_eq!(outcome.stderr, "");

    // A deprecated request that fails is a failure, not a warning.
    let bad = negotiated(&[(
        "client",
        json!({"method": "interruptConversation", "id": 1, "params": {}}),
    )]);
    let outcome = validate(&bad, &[]);
    assert_eq!(outcome.exit, Exit::Drift, "{}", outcome.stdout);
    assert!(!outcome.stdout.contains("warning"), "{}", outcome.stdout);
}
