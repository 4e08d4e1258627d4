//! `decode_incoming` on both sides: a message or a JSON-RPC error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol_defs::*;
use protocol_macros::decode_incoming;

fuzz_target!(|data: &[u8]| {
    if let Err(err) = decode_incoming::<ClientRequest, ClientNotification>(data) {
        protocol_fuzz::check_error(data, &err);
    }
    if let Err(err) = decode_incoming::<ServerRequest, ServerNotification>(data) {
        protocol_fuzz::check_error(data, &err);
    }
});
