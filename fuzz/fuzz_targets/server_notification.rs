//! `ServerNotification::decode`: a message or a JSON-RPC error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol_defs::ServerNotification;

fuzz_target!(|data: &[u8]| {
    match ServerNotification::decode(data) {
        Ok(message) => {
            // An accepted message re-encodes to a message that decodes to
            // itself (a received gated request refuses to be encoded).
            if let Ok(text) = serde_json::to_vec(&message) {
                assert_eq!(ServerNotification::decode(&text).unwrap(), message);
            }
        }
        Err(err) => protocol_fuzz::check_error(data, &err),
    }
});
