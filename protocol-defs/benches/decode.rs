//! Decoding incoming client requests: the registry's method-first decoder
//! (envelope first, `params` kept raw, then decoded straight into the
//! method's type) against serde's generic path through `Deserialize` and
//! against a `#[serde(tag = "method")]` enum, which buffers the whole
//! message before it can pick a variant.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use protocol_defs::v1::*;
use protocol_defs::{ClientRequest, RequestId};
use serde::Deserialize;
use std::hint::black_box;

/// The same requests as a `#[serde(tag = "method")]` enum.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(tag = "method")]
enum TaggedClientRequest {
    #[serde(rename = "initialize")]
    Initialize {
        id: RequestId,
        params: InitializeParams,
    },
    #[serde(rename = "getConversationSummary")]
    GetConversationSummary {
        id: RequestId,
        params: GetConversationSummaryParams,
    },
    #[serde(rename = "gitDiffToRemote")]
    GitDiffToRemote {
        id: RequestId,
        params: GitDiffToRemoteParams,
    },
    #[serde(rename = "loginApiKey")]
    LoginApiKey {
        id: RequestId,
        params: LoginApiKeyParams,
    },
    #[serde(rename = "getAuthStatus")]
    GetAuthStatus {
        id: RequestId,
        params: GetAuthStatusParams,
    },
    #[serde(rename = "execOneOffCommand")]
    ExecOneOffCommand {
        id: RequestId,
        params: ExecOneOffCommandParams,
    },
    #[serde(rename = "getUserSavedConfig")]
    GetUserSavedConfig { id: RequestId },
    #[serde(rename = "interruptConversation")]
    InterruptConversation {
        id: RequestId,
        params: InterruptConversationParams,
    },
}

fn messages() -> Vec<(&'static str, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance");
    let params =
        |method: &str| std::fs::read_to_string(format!("{dir}/{method}/params.json")).unwrap();
    let request = |method: &str| {
        let params: serde_json::Value = serde_json::from_str(&params(method)).unwrap();
        serde_json::json!({ "method": method, "id": 7, "params": params }).to_string()
    };
    // A long command line makes params dominate the message.
    let mut big: serde_json::Value = serde_json::from_str(&params("execOneOffCommand")).unwrap();
    big["command"] = (0..2000).map(|i| format!("arg-{i}")).collect();
    vec![
        ("initialize", request("initialize")),
        ("execOneOffCommand", request("execOneOffCommand")),
        (
            "execOneOffCommand-2000-args",
            serde_json::json!({ "method": "execOneOffCommand", "id": 7, "params": big })
                .to_string(),
        ),
    ]
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode-client-request");
    for (name, message) in messages() {
        // All three accept the message.
        ClientRequest::decode(message.as_bytes()).unwrap();
        serde_json::from_str::<ClientRequest>(&message).unwrap();
        serde_json::from_str::<TaggedClientRequest>(&message).unwrap();

        group.throughput(Throughput::Bytes(message.len() as u64));
        group.bench_with_input(BenchmarkId::new("method-first", name), &message, |b, m| {
            b.iter(|| ClientRequest::decode(black_box(m.as_bytes())).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("serde-deserialize", name),
            &message,
            |b, m| b.iter(|| serde_json::from_str::<ClientRequest>(black_box(m)).unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("serde-tag-enum", name),
            &message,
            |b, m| b.iter(|| serde_json::from_str::<TaggedClientRequest>(black_box(m)).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
