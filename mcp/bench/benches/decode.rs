//! Decoding a recorded MCP session as each peer reads it, with our
//! generated decoders and with the Rust SDK's (rmcp 3.11) model types, side
//! by side with:
//!
//! - **limit**: a decoder that knows each message's method (and, for a
//!   response, the response type) in advance and reads the whole message as
//!   one plain struct, `{jsonrpc, id, method, params: P}`, `{jsonrpc, method,
//!   params: P}` or `{jsonrpc, id, result: T}` with our definitions' types,
//!   from text (method borrowed, id read without buffering). No decoder that
//!   has to find the method first can beat it.
//! - **value**: `serde_json::from_slice::<serde_json::Value>`, the message
//!   as an untyped tree.
//!
//! Ours: what `Connection::receive` of the receiving side does, from bytes:
//! `decode_incoming_text`, and a response's `result`, kept as text, decoded
//! straight into the response type of the request it answers
//! (`decode_response_text`, with the method the transcript pairs it with,
//! as the connection's pending table would). "ours-value" is
//! `Peer::decode` (`decode_incoming`), which hands a response's `result`
//! over as a `Value`, then `decode_response_for`: the route before
//! responses were decoded from text, kept to show the difference. rmcp:
//! `serde_json::from_slice::<ClientJsonRpcMessage>` for what the server
//! reads, `ServerJsonRpcMessage` for what the client reads.
//!
//! Before timing, every message must decode with ours and the limit; the
//! messages rmcp refuses are listed and left out of rmcp's figures.
//!
//! After criterion's report (one benchmark per receiver and kind, decoding
//! all its messages), `cargo bench` measures every message once more,
//! interleaved (every variant in turn, many rounds, medians), and prints
//! the medians and the geometric means of the ratios, one per line as
//! `ratio <name>=<value>`.

use std::collections::BTreeMap;
use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use mcp_bench::{corpus, decode_as, Kind, Message, Receiver};
use mcp_defs::methods;
use mcp_defs::{ClientSide, JSONRPCErrorError, ServerSide};
use protocol_macros::{
    decode_incoming_text, Incoming, IncomingText, Notification, Peer, Request, RequestId,
    RequestSet,
};
use rmcp::model::{ClientJsonRpcMessage, JsonRpcMessage, ServerJsonRpcMessage};
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

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

/// The limit for a request. A method with optional params has an `Option`
/// params type, which reads an absent `params` as `None`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct KnownRequest<'a, P> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    id: PlainId,
    #[serde(borrow)]
    method: &'a str,
    params: P,
}

/// The limit for a notification.
#[derive(Deserialize)]
#[allow(dead_code)]
struct KnownNotification<'a, P> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    #[serde(borrow)]
    method: &'a str,
    params: P,
}

/// The limit for a response: its result as the method's response type.
#[derive(Deserialize)]
#[allow(dead_code)]
struct KnownResponse<'a, T> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    id: PlainId,
    result: T,
}

/// The limit for an error response.
#[derive(Deserialize)]
#[allow(dead_code)]
struct KnownError<'a> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    id: PlainId,
    error: JSONRPCErrorError,
}

/// A limit decoder: panics if the message is not of its type.
type Limit = fn(&str);

fn limit_request<M: Request>(json: &str)
where
    M::Params: DeserializeOwned,
{
    black_box(serde_json::from_str::<KnownRequest<'_, M::Params>>(json).unwrap());
}

fn limit_notification<M: Notification>(json: &str)
where
    M::Params: DeserializeOwned,
{
    black_box(serde_json::from_str::<KnownNotification<'_, M::Params>>(json).unwrap());
}

fn limit_response<M: Request>(json: &str) {
    black_box(serde_json::from_str::<KnownResponse<'_, M::Response>>(json).unwrap());
}

fn limit_error(json: &str) {
    black_box(serde_json::from_str::<KnownError<'_>>(json).unwrap());
}

/// `(method, the limit of its requests, the limit of its responses)` for
/// every request marker listed.
macro_rules! requests {
    ($($marker:ident),* $(,)?) => {
        vec![$((
            <methods::$marker as Request>::METHOD,
            limit_request::<methods::$marker> as Limit,
            limit_response::<methods::$marker> as Limit,
        )),*]
    };
}

macro_rules! notifications {
    ($($marker:ident),* $(,)?) => {
        vec![$((
            <methods::$marker as Notification>::METHOD,
            limit_notification::<methods::$marker> as Limit,
        )),*]
    };
}

/// The limit of a message, from its method's types.
fn limit_of(message: &Message) -> Limit {
    let client_requests = requests![
        Initialize,
        Ping,
        ListResources,
        ListResourceTemplates,
        ReadResource,
        Subscribe,
        Unsubscribe,
        ListPrompts,
        GetPrompt,
        ListTools,
        CallTool,
        GetTask,
        GetTaskPayload,
        CancelTask,
        ListTasks,
        SetLevel,
        Complete,
    ];
    let server_requests = requests![
        ServerPing,
        ServerGetTask,
        ServerGetTaskPayload,
        ServerCancelTask,
        ServerListTasks,
        CreateMessage,
        ListRoots,
        Elicit,
    ];
    let client_notifications = notifications![
        Cancelled,
        Progress,
        Initialized,
        RootsListChanged,
        TaskStatusUpdate,
    ];
    let server_notifications = notifications![
        ServerCancelled,
        ServerProgress,
        ResourceListChanged,
        ResourceUpdated,
        PromptListChanged,
        ToolListChanged,
        ServerTaskStatusUpdate,
        LoggingMessage,
        ElicitationComplete,
    ];
    // The requests the receiver reads, and those it sends (whose responses
    // it reads).
    let (reads, sends, notifications) = match message.receiver {
        Receiver::Server => (&client_requests, &server_requests, &client_notifications),
        Receiver::Client => (&server_requests, &client_requests, &server_notifications),
    };
    let method = message.method.as_str();
    let found = match message.kind {
        Kind::Request => reads.iter().find(|m| m.0 == method).map(|m| m.1),
        Kind::Response => sends.iter().find(|m| m.0 == method).map(|m| m.2),
        Kind::Notification => notifications.iter().find(|m| m.0 == method).map(|m| m.1),
        Kind::Error => Some(limit_error as Limit),
    };
    found.unwrap_or_else(|| panic!("{}: no limit", message.name()))
}

/// rmcp's decoder for what `receiver` reads.
fn rmcp_decode(receiver: Receiver, json: &[u8]) -> Result<String, serde_json::Error> {
    fn variant(debug: String) -> String {
        let end = debug.find(['(', ' ', '{']).unwrap_or(debug.len());
        debug[..end].to_owned()
    }
    // What rmcp made of the message: the variant of its request,
    // notification or result enum.
    fn what<Req: fmt::Debug, Resp: fmt::Debug, Not: fmt::Debug>(
        message: JsonRpcMessage<Req, Resp, Not>,
    ) -> String {
        match message {
            JsonRpcMessage::Request(r) => variant(format!("{:?}", r.request)),
            JsonRpcMessage::Response(r) => variant(format!("{:?}", r.result)),
            JsonRpcMessage::Notification(n) => variant(format!("{:?}", n.notification)),
            JsonRpcMessage::Error(_) => "Error".to_owned(),
        }
    }
    match receiver {
        Receiver::Server => serde_json::from_slice::<ClientJsonRpcMessage>(json).map(what),
        Receiver::Client => serde_json::from_slice::<ServerJsonRpcMessage>(json).map(what),
    }
}

/// One message and how each variant decodes it.
struct Case {
    message: Message,
    limit: Limit,
    /// Whether rmcp decodes it.
    rmcp: bool,
}

fn cases() -> Vec<Case> {
    let corpus = corpus();
    let mut cases = Vec::new();
    let mut refused = Vec::new();
    // What rmcp reads each method and kind as.
    let mut rmcp_reads: BTreeMap<(Receiver, Kind, String), BTreeMap<String, Vec<usize>>> =
        BTreeMap::new();
    for message in corpus {
        let json = message.json.as_bytes();
        let ours = match message.receiver {
            Receiver::Server => decode_as::<ServerSide>(&message.method, json).map(drop),
            Receiver::Client => decode_as::<ClientSide>(&message.method, json).map(drop),
        };
        if let Err(err) = ours {
            panic!("ours refuses {}: {err}", message.name());
        }
        let limit = limit_of(&message);
        limit(&message.json);
        let rmcp = match rmcp_decode(message.receiver, json) {
            Ok(variant) => {
                rmcp_reads
                    .entry((message.receiver, message.kind, message.method.clone()))
                    .or_default()
                    .entry(variant)
                    .or_default()
                    .push(message.line);
                true
            }
            Err(err) => {
                refused.push(format!("{}: {err}", message.name()));
                false
            }
        };
        cases.push(Case {
            message,
            limit,
            rmcp,
        });
    }
    println!("rmcp reads (receiver, kind, method: rmcp's variant × messages, or lines):");
    for ((receiver, kind, method), variants) in &rmcp_reads {
        let variants: Vec<String> = variants
            .iter()
            .map(
                |(v, lines)| match v.starts_with("Custom") || variants.len() > 1 {
                    true => format!("{v} (lines {lines:?})"),
                    false => format!("{v} ×{}", lines.len()),
                },
            )
            .collect();
        println!("  {receiver} {kind} {method}: {}", variants.join(", "));
    }
    println!(
        "rmcp refuses {} of {} messages:",
        refused.len(),
        cases.len()
    );
    for refused in &refused {
        println!("  {refused}");
    }
    cases
}

/// One variant of a case: its name and one decode.
type Variant<'a> = (&'static str, Box<dyn Fn() + 'a>);

const OURS: &str = "ours";
const OURS_STR: &str = "ours-value";
const LIMIT: &str = "limit";
const RMCP: &str = "rmcp";
const VALUE: &str = "value";
const RESULT_TEXT: &str = "result-text";

/// Ours, as peer `P`'s connection reads: the message as
/// `decode_incoming_text` hands it over, and a response's result decoded
/// from its text.
#[inline]
fn ours<P: Peer>(method: &str, json: &[u8]) {
    match decode_incoming_text::<P::PeerRequests, P::PeerNotifications>(json).unwrap() {
        IncomingText::Response { result, .. } => {
            black_box(P::Requests::decode_response_text(method, result.get()).unwrap());
        }
        other => {
            black_box(other);
        }
    }
}

/// Ours through `Peer::decode`: a response's result is a `Value` first.
#[inline]
fn ours_value<P: Peer>(method: &str, json: &[u8]) {
    match P::decode(json).unwrap() {
        Incoming::Response(response) => {
            black_box(P::Requests::decode_response_for(method, response.result).unwrap());
        }
        other => {
            black_box(other);
        }
    }
}

/// A response's envelope with its result kept as text.
#[derive(Deserialize)]
#[allow(dead_code)]
struct ResultText<'a> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    id: PlainId,
    #[serde(borrow)]
    result: &'a RawValue,
}

/// Not a decoder of ours: what one would cost that read a response's
/// `result` as text and decoded it with `decode_response_text` once the id
/// (after it, as the SDK writes it) names the request, instead of building
/// a `Value` first. The envelope here is the limit's.
#[inline]
fn result_from_text<P: Peer>(method: &str, json: &str) {
    let envelope: ResultText<'_> = serde_json::from_str(json).unwrap();
    black_box(envelope.id);
    black_box(P::Requests::decode_response_text(method, envelope.result.get()).unwrap());
}

fn variants(case: &Case) -> Vec<Variant<'_>> {
    let json = case.message.json.as_bytes();
    let text = case.message.json.as_str();
    let method = case.message.method.as_str();
    let response = case.message.kind == Kind::Response;
    let mut variants: Vec<Variant<'_>> = match case.message.receiver {
        Receiver::Server => vec![
            (
                OURS,
                Box::new(move || ours::<ServerSide>(method, black_box(json))),
            ),
            (
                OURS_STR,
                Box::new(move || ours_value::<ServerSide>(method, black_box(json))),
            ),
        ],
        Receiver::Client => vec![
            (
                OURS,
                Box::new(move || ours::<ClientSide>(method, black_box(json))),
            ),
            (
                OURS_STR,
                Box::new(move || ours_value::<ClientSide>(method, black_box(json))),
            ),
        ],
    };
    if response {
        variants.push(match case.message.receiver {
            Receiver::Server => (
                RESULT_TEXT,
                Box::new(move || result_from_text::<ServerSide>(method, black_box(text))),
            ),
            Receiver::Client => (
                RESULT_TEXT,
                Box::new(move || result_from_text::<ClientSide>(method, black_box(text))),
            ),
        });
    }
    variants.push((LIMIT, Box::new(move || (case.limit)(black_box(text)))));
    variants.push((
        VALUE,
        Box::new(move || {
            black_box(serde_json::from_slice::<Value>(black_box(json)).unwrap());
        }),
    ));
    if case.rmcp {
        variants.push(match case.message.receiver {
            Receiver::Server => (
                RMCP,
                Box::new(move || {
                    black_box(
                        serde_json::from_slice::<ClientJsonRpcMessage>(black_box(json)).unwrap(),
                    );
                }),
            ),
            Receiver::Client => (
                RMCP,
                Box::new(move || {
                    black_box(
                        serde_json::from_slice::<ServerJsonRpcMessage>(black_box(json)).unwrap(),
                    );
                }),
            ),
        });
    }
    variants
}

/// The messages of one receiver and kind.
type Group<'a> = ((Receiver, Kind), Vec<&'a Case>);

fn groups(cases: &[Case]) -> Vec<Group<'_>> {
    let mut groups: BTreeMap<(Receiver, Kind), Vec<&Case>> = BTreeMap::new();
    for case in cases {
        groups
            .entry((case.message.receiver, case.message.kind))
            .or_default()
            .push(case);
    }
    groups.into_iter().collect()
}

/// Criterion: per receiver and kind, one decode of each of its messages
/// (rmcp: those it decodes).
fn criterion_benches(c: &mut Criterion, cases: &[Case]) {
    for ((receiver, kind), group_cases) in groups(cases) {
        let mut group = c.benchmark_group(format!("decode/{receiver}-{kind}"));
        let bytes: usize = group_cases.iter().map(|c| c.message.json.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        let all: Vec<Vec<Variant<'_>>> = group_cases.iter().map(|c| variants(c)).collect();
        for name in [OURS, OURS_STR, RESULT_TEXT, LIMIT, RMCP, VALUE] {
            let runs: Vec<&(dyn Fn() + '_)> = all
                .iter()
                .flat_map(|v| v.iter().filter(|(n, _)| *n == name).map(|(_, run)| &**run))
                .collect();
            if runs.is_empty() {
                continue;
            }
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.iter(|| runs.iter().for_each(|run| run()))
            });
        }
        group.finish();
    }
}

/// Median time of one run of each variant, measured interleaved: every
/// round times a batch of each variant in turn, so load on the machine
/// falls on all of them alike.
fn interleaved_medians(case: &Case, rounds: usize) -> BTreeMap<&'static str, f64> {
    let variants = variants(case);
    // Batches of roughly 50 µs, sized on the slowest variant.
    let mut slowest = Duration::ZERO;
    for (_, run) in &variants {
        let start = Instant::now();
        for _ in 0..10 {
            run();
        }
        slowest = slowest.max(start.elapsed() / 10);
    }
    let batch = (Duration::from_micros(50).as_nanos() / slowest.as_nanos().max(1)).max(1) as u32;
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 0..rounds {
        // Each round starts at another variant, so none is always first.
        for k in 0..variants.len() {
            let i = (round + k) % variants.len();
            let run = &variants[i].1;
            // Have the allocator merge what the last variant freed here,
            // untimed, not in the next variant's time.
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

/// The ratios of a set of messages.
#[derive(Default)]
struct Ratios {
    messages: usize,
    bytes: usize,
    rmcp_vs_ours: Vec<f64>,
    ours_vs_limit: Vec<f64>,
    ours_str_vs_limit: Vec<f64>,
    rmcp_vs_value: Vec<f64>,
    ours_vs_value: Vec<f64>,
    /// Ours ÷ limit with each response's result read from text.
    projected_vs_limit: Vec<f64>,
    /// Responses: the result read from text, against the limit.
    result_text_vs_limit: Vec<f64>,
    /// Sums of the medians: ours, limit, rmcp (of the messages it reads),
    /// ours on those messages.
    total_ours: f64,
    total_limit: f64,
    total_rmcp: f64,
    total_ours_rmcp: f64,
}

impl Ratios {
    fn add(&mut self, case: &Case, t: &BTreeMap<&'static str, f64>) {
        self.messages += 1;
        self.bytes += case.message.json.len();
        self.ours_vs_limit.push(t[OURS] / t[LIMIT]);
        self.ours_str_vs_limit.push(t[OURS_STR] / t[LIMIT]);
        self.ours_vs_value.push(t[OURS] / t[VALUE]);
        if let Some(result_text) = t.get(RESULT_TEXT) {
            self.result_text_vs_limit.push(result_text / t[LIMIT]);
        }
        self.projected_vs_limit
            .push(t.get(RESULT_TEXT).unwrap_or(&t[OURS]) / t[LIMIT]);
        self.total_ours += t[OURS];
        self.total_limit += t[LIMIT];
        if let Some(rmcp) = t.get(RMCP) {
            self.rmcp_vs_ours.push(rmcp / t[OURS]);
            self.rmcp_vs_value.push(rmcp / t[VALUE]);
            self.total_rmcp += rmcp;
            self.total_ours_rmcp += t[OURS];
        }
    }

    fn row(&self, name: &str) -> String {
        format!(
            "{:<44} {:>4} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>9} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            name,
            self.messages,
            self.bytes,
            geomean(&self.rmcp_vs_ours),
            geomean(&self.ours_vs_limit),
            geomean(&self.ours_str_vs_limit),
            match self.result_text_vs_limit.is_empty() {
                true => "-".to_owned(),
                false => format!("{:.2}", geomean(&self.result_text_vs_limit)),
            },
            geomean(&self.rmcp_vs_value),
            geomean(&self.ours_vs_value),
            self.total_rmcp / self.total_ours_rmcp,
            self.total_ours / self.total_limit,
        )
    }
}

const RATIO_HEADER: &str = "geomeans over the messages: rmcp÷ours, ours÷limit, ours-value÷limit, a response's result read from text÷limit, rmcp÷value, ours÷value; then sums of medians: rmcp÷ours, ours÷limit";

fn print_ratios(cases: &[Case]) {
    println!("\ninterleaved medians (ns per message):");
    println!(
        "{:<56} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}",
        "message", "bytes", OURS, OURS_STR, LIMIT, RMCP, VALUE, "rmcp÷ours", "ours÷lim", "rmcp÷val"
    );
    let mut all = Ratios::default();
    let mut by_kind: BTreeMap<(Receiver, Kind), Ratios> = BTreeMap::new();
    let mut by_method: BTreeMap<(Receiver, Kind, String), Ratios> = BTreeMap::new();
    for case in cases {
        let t = interleaved_medians(case, 41);
        let rmcp = t.get(RMCP).copied();
        println!(
            "{:<56} {:>6} {:>8.0} {:>8.0} {:>11} {:>8.0} {:>8} {:>8.0} {:>9} {:>9.2} {:>9}",
            case.message.name(),
            case.message.json.len(),
            t[OURS],
            t[OURS_STR],
            t.get(RESULT_TEXT).map_or("-".into(), |r| format!("{r:.0}")),
            t[LIMIT],
            rmcp.map_or("-".into(), |r| format!("{r:.0}")),
            t[VALUE],
            rmcp.map_or("-".into(), |r| format!("{:.2}", r / t[OURS])),
            t[OURS] / t[LIMIT],
            rmcp.map_or("-".into(), |r| format!("{:.2}", r / t[VALUE])),
        );
        let m = &case.message;
        all.add(case, &t);
        by_kind
            .entry((m.receiver, m.kind))
            .or_default()
            .add(case, &t);
        by_method
            .entry((m.receiver, m.kind, m.method.clone()))
            .or_default()
            .add(case, &t);
    }
    let header = format!(
        "{:<44} {:>4} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "",
        "n",
        "bytes",
        "rmcp÷ours",
        "ours÷lim",
        "value÷lim",
        "rtext÷lim",
        "rmcp÷val",
        "ours÷val",
        "Σrmcp÷ours",
        "Σours÷lim"
    );
    println!("\nby method ({RATIO_HEADER}):");
    println!("{header}");
    for ((receiver, kind, method), ratios) in &by_method {
        println!("{}", ratios.row(&format!("{receiver} {kind} {method}")));
    }
    println!("\nby receiver and kind:");
    println!("{header}");
    for ((receiver, kind), ratios) in &by_kind {
        println!("{}", ratios.row(&format!("{receiver} {kind}")));
    }
    println!("{}", all.row("all"));
    println!();
    println!("ratio rmcp_vs_ours={:.3}", geomean(&all.rmcp_vs_ours));
    println!("ratio ours_vs_limit={:.3}", geomean(&all.ours_vs_limit));
    println!(
        "ratio ours_value_vs_limit={:.3}",
        geomean(&all.ours_str_vs_limit)
    );
    println!(
        "ratio responses_result_text_vs_limit={:.3}",
        geomean(&all.result_text_vs_limit)
    );
    println!(
        "ratio ours_vs_limit_with_result_text={:.3}",
        geomean(&all.projected_vs_limit)
    );
    println!("ratio rmcp_vs_value={:.3}", geomean(&all.rmcp_vs_value));
    println!("ratio ours_vs_value={:.3}", geomean(&all.ours_vs_value));
    for ((receiver, kind), ratios) in &by_kind {
        println!(
            "ratio {receiver}_{kind}: rmcp_vs_ours={:.3} ours_vs_limit={:.3} rmcp_vs_value={:.3}",
            geomean(&ratios.rmcp_vs_ours),
            geomean(&ratios.ours_vs_limit),
            geomean(&ratios.rmcp_vs_value),
        );
    }
}

fn main() {
    let cases = cases();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1000))
        .sample_size(20)
        .configure_from_args();
    criterion_benches(&mut criterion, &cases);
    criterion.final_summary();
    // `cargo test --benches` runs each benchmark once, without `--bench`.
    if std::env::args().any(|arg| arg == "--bench") {
        print_ratios(&cases);
    }
}
