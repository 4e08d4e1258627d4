//! Real MCP peers (`mcp/peers/`, an npm package): the official TypeScript
//! SDK's client against the example server (`src/bin/mcp-example-server.rs`),
//! and our generated TypeScript client against the reference server
//! `server-everything`. Each session is recorded as a transcript, which
//! `validate` checks: as recorded, and with one line broken.
//!
//! These need Node.js 20+ and npm; `npm ci` runs first when
//! `mcp/peers/node_modules` is missing or older than the lockfile.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use node_harness::{check, npm_program, ready, run, run_with_env};
use protocol_codegen::validate::{validate, Decoders, Summary};
use protocol_macros::Peer;
use serde_json::{json, Value};

const SERVER: &str = env!("CARGO_BIN_EXE_mcp-example-server");
/// `slow`'s arguments for `official-client.mjs`: 500 steps of 20 ms.
const SLOW_ARGUMENTS: &str = r#"slowArguments={"steps":500}"#;

fn peers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../peers")
}

/// A fresh path for a transcript, under cargo's temporary directory for
/// integration tests.
fn temp_transcript(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mcp-peers");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

// ---------------------------------------------------------------------------
// Validation, in process: what `cargo run -p mcp-codegen -- validate FILE`
// runs.

/// What `validate` reported: the failing line numbers, the summary, and
/// its whole output.
#[derive(Debug)]
struct Report {
    failed: Vec<usize>,
    summary: Summary,
    output: String,
}

fn validated(transcript: &str, source: &str) -> Report {
    let registry = mcp_defs::ServerSide::registry();
    let decoders = Decoders::of::<mcp_defs::ServerSide>();
    let mut output = Vec::new();
    let summary = validate(
        registry,
        &decoders,
        None,
        &mut transcript.as_bytes(),
        source,
        &mut output,
    )
    .unwrap();
    let output = String::from_utf8(output).unwrap();
    let failed = output
        .lines()
        .filter_map(|line| line.strip_prefix("line ")?.split(':').next()?.parse().ok())
        .collect();
    Report {
        failed,
        summary,
        output,
    }
}

// ---------------------------------------------------------------------------
// Transcripts: one `{"from", "message"}` object a line.

fn parse(transcript: &str) -> Vec<Value> {
    transcript
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
        .collect()
}

fn unparse(lines: &[Value]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// The 1-based number of the first line that `matches` (sender, message).
fn line_of(lines: &[Value], what: &str, matches: impl Fn(&str, &Value) -> bool) -> usize {
    lines
        .iter()
        .position(|line| matches(line["from"].as_str().unwrap(), &line["message"]))
        .unwrap_or_else(|| panic!("no line with {what}"))
        + 1
}

fn is_request(message: &Value, method: &str) -> bool {
    message["method"] == method && message.get("id").is_some()
}

/// One line of `transcript` broken in the three ways `validate` must catch,
/// each with the line (1-based) it must name:
/// - `name` removed from the first `tools/call`'s params (a missing
///   required field);
/// - a server response to an id no request has, inserted after
///   `initialize`'s result;
/// - `sampling` removed from the client's `initialize` capabilities, which
///   makes the server's `sampling/createMessage` one the client did not
///   allow.
///
/// `expected` are the lines that fail as recorded; they move down one in
/// the transcript with the inserted line.
fn broken(transcript: &str, expected: &[usize]) -> Vec<(&'static str, String, Vec<usize>)> {
    let lines = parse(transcript);
    let with = |line: usize, shift: usize| {
        let mut all: Vec<usize> = expected
            .iter()
            .map(|&n| if n >= shift { n + 1 } else { n })
            .chain([line])
            .collect();
        all.sort_unstable();
        all
    };

    let call = line_of(&lines, "a tools/call", |from, m| {
        from == "client" && is_request(m, "tools/call")
    });
    let mut missing = lines.clone();
    let params = missing[call - 1]["message"]["params"]
        .as_object_mut()
        .unwrap();
    assert!(params.remove("name").is_some());

    let initialized = line_of(&lines, "initialize's result", |from, m| {
        from == "server" && m["id"] == 0 && m.get("result").is_some()
    });
    let mut stray = lines.clone();
    stray.insert(
        initialized,
        json!({"from": "server", "message": {"jsonrpc": "2.0", "id": 4242, "result": {}}}),
    );

    let mut unsampled = lines.clone();
    let capabilities = unsampled[0]["message"]["params"]["capabilities"]
        .as_object_mut()
        .unwrap();
    assert!(capabilities.remove("sampling").is_some());
    let sampling = line_of(&lines, "a sampling/createMessage", |from, m| {
        from == "server" && is_request(m, "sampling/createMessage")
    });

    vec![
        (
            "a tools/call without `name`",
            unparse(&missing),
            with(call, usize::MAX),
        ),
        (
            "a response to an unknown id",
            unparse(&stray),
            with(initialized + 1, initialized + 1),
        ),
        (
            "sampling/createMessage to a client without `sampling`",
            unparse(&unsampled),
            with(sampling, usize::MAX),
        ),
    ]
}

/// Every broken copy of `transcript` fails at exactly the lines it must.
fn assert_broken_copies_fail(transcript: &str, expected: &[usize]) {
    for (what, text, lines) in broken(transcript, expected) {
        let report = validated(&text, what);
        assert_eq!(report.failed, lines, "{what}:\n{}", report.output);
        assert_eq!(report.summary.failed, lines.len(), "{what}");
    }
}

// ---------------------------------------------------------------------------
// The official SDK's client against the example server.

/// The one deliberately malformed message of `official-client.mjs`'s
/// session: its `malformed-call` check sends `tools/call` with `arguments`
/// a string, which the server must answer with -32602. `validate` is right
/// to reject that line (CallToolRequestParams' `arguments` is an object);
/// the server's -32602 answering it is valid.
fn malformed_call(lines: &[Value]) -> usize {
    line_of(lines, "the malformed tools/call", |from, m| {
        from == "client" && is_request(m, "tools/call") && m["params"]["arguments"].is_string()
    })
}

/// What `validate` reports of a transcript of `official-client.mjs`
/// against the example server: only the malformed call, and one request
/// unanswered, the `slow` call the client cancelled (a cancelled request
/// gets no response).
fn assert_official_transcript(transcript: &str, source: &str) -> Vec<usize> {
    let lines = parse(transcript);
    let malformed = malformed_call(&lines);
    let report = validated(transcript, source);
    assert_eq!(report.failed, vec![malformed], "{}", report.output);
    assert!(
        report.output.contains(&format!(
            "line {malformed}: tools/call at \"/params/arguments\""
        )),
        "{}",
        report.output
    );
    assert_eq!(report.summary.unanswered, 1, "{}", report.output);
    let cancelled = line_of(&lines, "notifications/cancelled", |from, m| {
        from == "client" && m["method"] == "notifications/cancelled"
    });
    let slow = lines[cancelled - 1]["message"]["params"]["requestId"].clone();
    assert!(
        !lines
            .iter()
            .any(|line| line["from"] == "server" && line["message"]["id"] == slow),
        "the cancelled call was answered"
    );
    // Ids count from 0 on each side: the client's `initialize` and the
    // server's first request (its `ping`) are both id 0, and each response
    // pairs with the request of the other side.
    let ping = line_of(&lines, "the server's ping", |from, m| {
        from == "server" && is_request(m, "ping")
    });
    assert_eq!(lines[ping - 1]["message"]["id"], 0);
    assert_eq!(lines[0]["message"]["id"], 0);
    vec![malformed]
}

/// The checks `official-client.mjs` declares, as its usage lists them.
fn official_checks(dir: &Path) -> Vec<String> {
    let usage = run(dir, "node", ["official-client.mjs"])
        .expect_err("official-client.mjs without a server command is a usage error");
    let list = usage
        .lines()
        .find_map(|line| line.strip_prefix("checks (--skip): "))
        .unwrap_or_else(|| panic!("no list of checks in the usage:\n{usage}"));
    list.split(", ").map(str::to_owned).collect()
}

/// The names of the lines a peer script prints as `ok   <name>`, and
/// panics on a `skip` line.
fn passed(report: &str) -> Vec<String> {
    assert!(
        !report.lines().any(|line| line.starts_with("skip ")),
        "{report}"
    );
    report
        .lines()
        .filter_map(|line| line.strip_prefix("ok   "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_official_sdk_client_passes_every_check_against_the_example_server() {
    let dir = peers();
    ready(&dir);
    let checks = official_checks(&dir);
    assert!(checks.len() >= 17, "{checks:?}");
    let transcript = temp_transcript("example-server-official-sdk");
    let report = check(run(
        &dir,
        "node",
        [
            OsStr::new("official-client.mjs"),
            OsStr::new("--transcript"),
            transcript.as_os_str(),
            // Long enough that the cancellation, after two progress
            // notifications, comes before the end on a loaded machine too.
            OsStr::new("--set"),
            OsStr::new(SLOW_ARGUMENTS),
            OsStr::new("--"),
            OsStr::new(SERVER),
        ],
    ));
    // Every declared check ran and passed, in order, none skipped.
    assert_eq!(passed(&report), checks, "{report}");
    assert!(!report.contains("the client reported"), "{report}");

    let text = std::fs::read_to_string(&transcript).unwrap();
    let expected = assert_official_transcript(&text, &transcript.display().to_string());
    assert_broken_copies_fail(&text, &expected);
}

// ---------------------------------------------------------------------------
// Our generated client against server-everything.

/// `npm run build` (the generated TypeScript compiled to `build/`), once
/// per test binary.
fn build_generated_client(dir: &Path) {
    static BUILT: Mutex<bool> = Mutex::new(false);
    let mut built = BUILT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !*built {
        check(run(dir, npm_program(), ["run", "build"]));
        *built = true;
    }
}

/// The steps `generated-client.mjs` declares (its `steps` list, one
/// `["name", …]` a line), and the tools it calls (the entries of its
/// `TOOLS` that are not `null`).
fn generated_client_declares(dir: &Path) -> (Vec<String>, Vec<String>) {
    let script = std::fs::read_to_string(dir.join("generated-client.mjs")).unwrap();
    let block = |start: &str, end: &str| -> Vec<String> {
        let from = script.find(start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
        let to = from + script[from..].find(end).unwrap();
        script[from..to].lines().map(str::to_owned).collect()
    };
    let steps = block("const steps = [\n", "\n];\n")
        .iter()
        .filter_map(|line| {
            let name = line.strip_prefix("  [\"")?;
            Some(name[..name.find('"')?].to_owned())
        })
        .collect();
    let tools = block("const TOOLS = {\n", "\n};\n")
        .iter()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter(|line| !line.trim_start().starts_with("//") && !line.ends_with("null,"))
        .filter_map(|line| {
            let (key, _) = line.trim_start().split_once(": ")?;
            let key = key.trim_matches('"');
            let is_name = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            is_name.then(|| key.to_owned())
        })
        .collect();
    (steps, tools)
}

#[test]
fn the_generated_client_passes_against_server_everything() {
    let dir = peers();
    ready(&dir);
    build_generated_client(&dir);
    let (steps, tools) = generated_client_declares(&dir);
    assert_eq!(steps.len(), 11, "{steps:?}");
    assert_eq!(tools.len(), 17, "{tools:?}");
    let transcript = temp_transcript("everything-generated-client");
    let report = check(run_with_env(
        &dir,
        "node",
        [
            OsStr::new("generated-client.mjs"),
            OsStr::new("--transcript"),
            transcript.as_os_str(),
        ],
        &[],
    ));
    // Every declared step passed, in order; every tool it knows was called.
    assert_eq!(passed(&report), steps, "{report}");
    let mut called: Vec<String> = report
        .lines()
        .filter_map(|line| line.strip_prefix("       "))
        .map(str::to_owned)
        .collect();
    called.sort();
    let mut declared = tools;
    declared.sort();
    assert_eq!(called, declared, "{report}");

    let text = std::fs::read_to_string(&transcript).unwrap();
    let report = validated(&text, &transcript.display().to_string());
    assert_eq!(report.failed, Vec::<usize>::new(), "{}", report.output);
    // The long-running operation the client cancelled.
    assert_eq!(report.summary.unanswered, 1, "{}", report.output);
    assert_broken_copies_fail(&text, &[]);
}

// ---------------------------------------------------------------------------
// The committed transcripts (`mcp/peers/transcripts/`).

fn committed(name: &str) -> String {
    std::fs::read_to_string(peers().join("transcripts").join(name)).unwrap()
}

#[test]
fn the_committed_transcripts_validate() {
    let official = committed("example-server-official-sdk.jsonl");
    assert_eq!(
        assert_official_transcript(&official, "example-server-official-sdk.jsonl"),
        vec![37]
    );
    for name in [
        "everything-generated-client.jsonl",
        "everything-official-sdk.jsonl",
    ] {
        let report = validated(&committed(name), name);
        assert_eq!(report.failed, Vec::<usize>::new(), "{}", report.output);
        assert_eq!(report.summary.unanswered, 1, "{}", report.output);
    }
}

/// The committed transcripts broken one line at a time fail at exactly
/// these lines.
#[test]
fn the_committed_transcripts_broken_fail_at_the_broken_line() {
    let official = committed("example-server-official-sdk.jsonl");
    let broken_official: Vec<_> = broken(&official, &[37])
        .into_iter()
        .map(|(what, text, _)| (what, validated(&text, what).failed))
        .collect();
    assert_eq!(
        broken_official,
        [
            ("a tools/call without `name`", vec![13, 37]),
            ("a response to an unknown id", vec![3, 38]),
            (
                "sampling/createMessage to a client without `sampling`",
                vec![21, 37]
            ),
        ]
    );

    let everything = committed("everything-generated-client.jsonl");
    let broken_everything: Vec<_> = broken(&everything, &[])
        .into_iter()
        .map(|(what, text, _)| (what, validated(&text, what).failed))
        .collect();
    assert_eq!(
        broken_everything,
        [
            ("a tools/call without `name`", vec![18]),
            ("a response to an unknown id", vec![3]),
            (
                "sampling/createMessage to a client without `sampling`",
                vec![78]
            ),
        ]
    );
}
