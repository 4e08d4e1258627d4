//! Encoding and decoding client requests (`ClientRequest::decode` from
//! bytes, `decode_str` from text, `encode`), side by side with:
//!
//! - **limit**: a decoder that knows the method in advance and reads
//!   `{"method","id","params"}` as one plain struct (id read without
//!   buffering); for encoding, serialising that struct, borrowing the id and
//!   params of the very message ours encodes. No decoder that has to find
//!   the method first can beat it.
//! - **bare**: the params alone, as a plain struct.
//! - **tagged**: the usual `#[serde(tag = "method")]` enum with an untagged
//!   `RequestId`, defined here.
//!
//! Inputs: every client request's conformance example, with an integer and
//! with a string id, and one `execOneOffCommand` with 2000 arguments.
//!
//! After criterion's report, `cargo bench` measures the ratios once more,
//! interleaved (every variant in turn, many rounds, medians), and prints
//! them one per line as `ratio <name>=<value>`.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use protocol_defs::v1::*;
use protocol_defs::{ClientRequest, RequestId};
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

/// The codex way: a tag enum, with an untagged (buffering) `RequestId`.
#[allow(dead_code)]
#[derive(Serialize, Deserialize)]
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

/// A request id read without buffering, as the limit reads it.
#[allow(dead_code)]
struct PlainId(RequestId);

impl<'de> Deserialize<'de> for PlainId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = PlainId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_str<E>(self, id: &str) -> Result<PlainId, E> {
                Ok(PlainId(RequestId::String(id.to_owned())))
            }
            fn visit_i64<E>(self, id: i64) -> Result<PlainId, E> {
                Ok(PlainId(RequestId::Integer(id)))
            }
            fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<PlainId, E> {
                i64::try_from(id)
                    .map(|id| PlainId(RequestId::Integer(id)))
                    .map_err(E::custom)
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// The limit for a method that has params.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Known<'a, P> {
    #[serde(borrow)]
    method: &'a str,
    id: PlainId,
    params: P,
}

/// The limit for a method without params.
#[derive(Deserialize)]
#[allow(dead_code)]
struct KnownNoParams<'a> {
    #[serde(borrow)]
    method: &'a str,
    id: PlainId,
}

#[derive(Serialize)]
struct KnownOut<'a, P> {
    method: &'static str,
    id: &'a RequestId,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<&'a P>,
}

type Encode = Box<dyn Fn() -> Vec<u8>>;

/// The limit's encoder, reading the same message value as ours.
type EncodeKnown = fn(&ClientRequest) -> Vec<u8>;

/// One message in every form the variants read or write.
struct Case {
    name: String,
    /// Counted in the geometric means (not the large message).
    small: bool,
    json: String,
    params_json: Option<String>,
    message: ClientRequest,
    tagged: TaggedClientRequest,
    decode_limit: fn(&str),
    decode_bare: fn(&str),
    encode_limit: EncodeKnown,
    encode_bare: Encode,
}

fn decode_known<P: DeserializeOwned>(json: &str) {
    black_box(serde_json::from_str::<Known<'_, P>>(json).unwrap());
}

fn decode_known_no_params(json: &str) {
    black_box(serde_json::from_str::<KnownNoParams<'_>>(json).unwrap());
}

fn decode_bare<P: DeserializeOwned>(json: &str) {
    black_box(serde_json::from_str::<P>(json).unwrap());
}

fn params_example(method: &str) -> Option<Value> {
    let path = format!(
        "{}/conformance/{method}/params.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

fn case(
    name: String,
    small: bool,
    method: &'static str,
    id: RequestId,
    params: Option<Value>,
) -> Case {
    macro_rules! typed {
        ($($method:literal => $variant:ident($ty:ty),)*) => {
            match method {
                $($method => {
                    let params: Option<$ty> =
                        params.as_ref().map(|p| serde_json::from_str(&p.to_string()).unwrap());
                    (
                        decode_known::<$ty> as fn(&str),
                        decode_bare::<$ty> as fn(&str),
                        (|message: &ClientRequest| match message {
                            ClientRequest::$variant { id, params, .. } => {
                                let known = KnownOut { method: $method, id, params: Some(params) };
                                serde_json::to_vec(&known).unwrap()
                            }
                            _ => unreachable!("a {} case", $method),
                        }) as EncodeKnown,
                        Box::new(move || serde_json::to_vec(&params).unwrap()) as Encode,
                    )
                })*
                "getUserSavedConfig" => (
                    decode_known_no_params as fn(&str),
                    (|_: &str| {}) as fn(&str),
                    (|message: &ClientRequest| {
                        let known = KnownOut::<()> {
                            method: "getUserSavedConfig",
                            id: message.id(),
                            params: None,
                        };
                        serde_json::to_vec(&known).unwrap()
                    }) as EncodeKnown,
                    Box::new(Vec::new) as Encode,
                ),
                other => panic!("no bench types for `{other}`"),
            }
        };
    }
    let (decode_limit, decode_bare, encode_limit, encode_bare) = typed! {
        "initialize" => Initialize(InitializeParams),
        "getConversationSummary" => GetConversationSummary(GetConversationSummaryParams),
        "gitDiffToRemote" => GitDiffToRemote(GitDiffToRemoteParams),
        "loginApiKey" => LoginApiKey(LoginApiKeyParams),
        "getAuthStatus" => GetAuthStatus(GetAuthStatusParams),
        "execOneOffCommand" => ExecOneOffCommand(ExecOneOffCommandParams),
        "interruptConversation" => InterruptConversation(InterruptConversationParams),
    };
    let mut envelope = json!({ "method": method, "id": id });
    if let Some(params) = &params {
        envelope["params"] = params.clone();
    }
    let message = ClientRequest::decode(envelope.to_string().as_bytes()).unwrap();
    // The wire order (`method`, `id`, `params`; params as their type writes
    // them): every variant reads and writes this same text.
    let json = String::from_utf8(message.encode().unwrap()).unwrap();
    assert_eq!(encode_limit(&message), json.as_bytes());
    let from_str = ClientRequest::decode_str(&json).unwrap();
    assert_eq!(from_str.encode().unwrap(), json.as_bytes());
    let tagged: TaggedClientRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_vec(&tagged).unwrap(), json.as_bytes());
    decode_limit(&json);
    Case {
        name,
        small,
        params_json: params.map(|_| String::from_utf8(encode_bare()).unwrap()),
        json,
        message,
        tagged,
        decode_limit,
        decode_bare,
        encode_limit,
        encode_bare,
    }
}

fn cases() -> Vec<Case> {
    let methods = [
        "initialize",
        "getConversationSummary",
        "gitDiffToRemote",
        "loginApiKey",
        "getAuthStatus",
        "execOneOffCommand",
        "getUserSavedConfig",
        "interruptConversation",
    ];
    let mut cases = Vec::new();
    for method in methods {
        let params = params_example(method);
        for (suffix, id) in [
            ("int-id", RequestId::Integer(7)),
            ("str-id", RequestId::from("req-7f3a")),
        ] {
            cases.push(case(
                format!("{method}/{suffix}"),
                true,
                method,
                id,
                params.clone(),
            ));
        }
    }
    // A long command line makes params dominate the message.
    let mut big = params_example("execOneOffCommand").unwrap();
    big["command"] = (0..2000).map(|i| format!("arg-{i}")).collect();
    cases.push(case(
        "execOneOffCommand-2000-args".into(),
        false,
        "execOneOffCommand",
        RequestId::Integer(7),
        Some(big),
    ));
    cases
}

/// One variant of a case: its name and one decode or encode.
type Variant<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// The variants of one case.
fn variants(case: &Case) -> Vec<Variant<'_>> {
    let json = case.json.as_str();
    let mut variants: Vec<Variant<'_>> = vec![
        (
            "decode/ours",
            Box::new(move || {
                black_box(ClientRequest::decode(black_box(json.as_bytes())).unwrap());
            }),
        ),
        (
            "decode/ours-str",
            Box::new(move || {
                black_box(ClientRequest::decode_str(black_box(json)).unwrap());
            }),
        ),
        (
            "decode/limit",
            Box::new(move || (case.decode_limit)(black_box(json))),
        ),
        (
            "decode/tagged",
            Box::new(move || {
                black_box(serde_json::from_str::<TaggedClientRequest>(black_box(json)).unwrap());
            }),
        ),
        (
            "encode/ours",
            Box::new(move || {
                black_box(black_box(&case.message).encode().unwrap());
            }),
        ),
        (
            "encode/limit",
            Box::new(move || {
                black_box((case.encode_limit)(black_box(&case.message)));
            }),
        ),
        (
            "encode/tagged",
            Box::new(move || {
                black_box(serde_json::to_vec(black_box(&case.tagged)).unwrap());
            }),
        ),
    ];
    if let Some(params) = case.params_json.as_deref() {
        variants.push((
            "decode/bare",
            Box::new(move || (case.decode_bare)(black_box(params))),
        ));
        variants.push((
            "encode/bare",
            Box::new(move || {
                black_box((case.encode_bare)());
            }),
        ));
    }
    variants
}

fn criterion_benches(c: &mut Criterion, cases: &[Case]) {
    for case in cases {
        let mut group = c.benchmark_group(format!("codec/{}", case.name));
        group.throughput(Throughput::Bytes(case.json.len() as u64));
        for (name, run) in variants(case) {
            group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(&run));
        }
        group.finish();
    }
}

/// Median time of one run of each variant, measured interleaved: every
/// round times a batch of each variant in turn, so load on the machine
/// falls on all of them alike.
fn interleaved_medians(case: &Case, rounds: usize) -> Vec<(&'static str, f64)> {
    let variants = variants(case);
    // Batches of roughly 100 µs, sized on the slowest variant.
    let mut slowest = Duration::ZERO;
    for (_, run) in &variants {
        let start = Instant::now();
        for _ in 0..10 {
            run();
        }
        slowest = slowest.max(start.elapsed() / 10);
    }
    let batch = (Duration::from_micros(100).as_nanos() / slowest.as_nanos().max(1)).max(1) as u32;
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 0..rounds {
        // Each round starts at another variant, so none is always first.
        for k in 0..variants.len() {
            let i = (round + k) % variants.len();
            let run = &variants[i].1;
            // A large decode leaves thousands of small freed blocks; the
            // allocator merges them on the next large request, which would
            // bill the next variant. Have it merge them here, untimed.
            black_box(Vec::<u8>::with_capacity(64 * 1024));
            let start = Instant::now();
            for _ in 0..batch {
                run();
            }
            samples[i].push(start.elapsed().as_nanos() as f64 / f64::from(batch));
        }
    }
    variants
        .iter()
        .zip(samples)
        .map(|((name, _), mut times)| {
            times.sort_by(f64::total_cmp);
            (*name, times[times.len() / 2])
        })
        .collect()
}

fn geomean(values: &[f64]) -> f64 {
    (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp()
}

fn print_ratios(cases: &[Case]) {
    let mut decode_vs_limit = Vec::new();
    let mut decode_str_vs_limit = Vec::new();
    let mut tagged_vs_ours = Vec::new();
    let mut tagged_vs_ours_str = Vec::new();
    let mut encode_vs_limit = Vec::new();
    let mut large = Vec::new();
    println!("\ninterleaved medians (ns per message):");
    println!(
        "{:<32} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "message",
        "dec ours",
        "dec str",
        "dec limit",
        "dec tagged",
        "enc ours",
        "enc limit",
        "enc tagged"
    );
    for case in cases {
        let medians = interleaved_medians(case, 61);
        let t = |name: &str| medians.iter().find(|(n, _)| *n == name).unwrap().1;
        println!(
            "{:<32} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0}",
            case.name,
            t("decode/ours"),
            t("decode/ours-str"),
            t("decode/limit"),
            t("decode/tagged"),
            t("encode/ours"),
            t("encode/limit"),
            t("encode/tagged"),
        );
        let ratios = (
            t("decode/ours") / t("decode/limit"),
            t("decode/tagged") / t("decode/ours"),
            t("encode/ours") / t("encode/limit"),
        );
        if case.small {
            decode_vs_limit.push(ratios.0);
            tagged_vs_ours.push(ratios.1);
            encode_vs_limit.push(ratios.2);
            decode_str_vs_limit.push(t("decode/ours-str") / t("decode/limit"));
            tagged_vs_ours_str.push(t("decode/tagged") / t("decode/ours-str"));
        } else {
            large.push((case.name.clone(), ratios));
        }
    }
    println!();
    println!("ratio decode_vs_limit={:.3}", geomean(&decode_vs_limit));
    println!(
        "ratio tagged_vs_ours_decode={:.3}",
        geomean(&tagged_vs_ours)
    );
    println!("ratio encode_vs_limit={:.3}", geomean(&encode_vs_limit));
    println!(
        "ratio decode_str_vs_limit={:.3}",
        geomean(&decode_str_vs_limit)
    );
    println!(
        "ratio tagged_vs_ours_decode_str={:.3}",
        geomean(&tagged_vs_ours_str)
    );
    for (name, (decode, tagged, encode)) in large {
        println!("ratio large_decode_vs_limit={decode:.3} ({name})");
        println!("ratio large_tagged_vs_ours_decode={tagged:.3} ({name})");
        println!("ratio large_encode_vs_limit={encode:.3} ({name})");
    }
}

fn main() {
    let cases = cases();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(700))
        .sample_size(20)
        .configure_from_args();
    criterion_benches(&mut criterion, &cases);
    criterion.final_summary();
    // `cargo test --benches` runs each benchmark once, without `--bench`.
    if std::env::args().any(|arg| arg == "--bench") {
        print_ratios(&cases);
    }
}
