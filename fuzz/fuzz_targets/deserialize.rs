//! The `Deserialize` path (`serde_json::from_slice`) of every message kind:
//! an error, never a panic, and a message only when `decode` gives the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol_defs::*;

fuzz_target!(|data: &[u8]| {
    protocol_fuzz::check_same(
        data,
        &ClientRequest::decode(data),
        &serde_json::from_slice::<ClientRequest>(data),
    );
    protocol_fuzz::check_same(
        data,
        &ServerRequest::decode(data),
        &serde_json::from_slice::<ServerRequest>(data),
    );
    protocol_fuzz::check_same(
        data,
        &ClientNotification::decode(data),
        &serde_json::from_slice::<ClientNotification>(data),
    );
    protocol_fuzz::check_same(
        data,
        &ServerNotification::decode(data),
        &serde_json::from_slice::<ServerNotification>(data),
    );
});
