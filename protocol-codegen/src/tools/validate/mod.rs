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
//! messages are passed through [`without_peer_values`](report::without_peer_values), which leaves out
//! the numbers and quoted text they take from the message.
//!
//! This module knows no protocol: [`Decoders`] hands it the decoders the
//! protocol's `#[protocol]` module generated, instantiated by the
//! protocol's binary; the registry's settings say how the protocol
//! negotiates capabilities.

mod line;
mod locate;
mod report;
mod session;

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, Write};

use protocol_macros::__private::{receive_info, result_of};
use protocol_macros::{DecodeError, MethodInfo, Peer, Registry, RequestId, ResponseError, Side};

use self::line::{read_line, trim_line};
pub use self::locate::MAX_LOCATED_VALUES;
use self::session::{Fail, Session};

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
            Side::Client => (
                (receive_info::<P> as Receive, result_of::<P> as DecodeResult),
                (
                    receive_info::<P::Other> as Receive,
                    result_of::<P::Other> as DecodeResult,
                ),
            ),
            Side::Server => (
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
    /// Valid messages reported with a warning (the first use of each
    /// deprecated method by each side); they do not fail the transcript.
    pub warnings: usize,
}

/// Checks every line of `input` and writes a line to `out` for each one
/// that fails, and a warning for the first use of each deprecated method
/// by each side (`line 4: interruptConversation: warning: …`; it does not
/// fail), as it goes, then the summary naming `source`. Blank lines
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
        for warning in session.warnings.drain(..) {
            summary.warnings += 1;
            let _ = writeln!(
                out,
                "line {number}: {}: warning: {}",
                warning.method, warning.reason
            );
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
        if self.warnings > 0 {
            report.push_str(&format!("; {}", plural(self.warnings, "warning")));
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

#[cfg(test)]
mod tests {
    use protocol_macros::{JSONRPCErrorError, TypeInfo};

    use super::locate::{bounded_pointer, located_value, pointer_token, Locator, MAX_LOCATED};
    use super::report::{without_peer_values, without_position};
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
