//! What serde says of a gated codex message that may not be written here:
//! every way of making text of it fails, with the same message.

use protocol_defs::ServerRequest;

/// Every way serde makes text of `message` fails with `expected`.
pub fn assert_serde_refuses(message: &ServerRequest, expected: &str) {
    let errors = [
        message.encode().unwrap_err(),
        serde_json::to_vec(message).unwrap_err(),
        serde_json::to_value(message).unwrap_err(),
        serde_json::to_string(message).unwrap_err(),
        serde_json::to_string_pretty(message).unwrap_err(),
        serde_json::to_writer(std::io::sink(), message).unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.to_string(), expected);
    }
}
