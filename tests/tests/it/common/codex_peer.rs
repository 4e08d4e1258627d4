//! What tests of codex's connection share: the server's answer to
//! `initialize`, and what serde says of a gated message that may not be
//! written here.

use protocol_defs::common::AbsolutePathBuf;
use protocol_defs::v1::InitializeResponse;
use protocol_defs::{ClientRequest, ClientResponse, ServerRequest, ServerSide};
use protocol_macros::Connection;

/// The server answers `initialize` with success: what the client declared
/// holds from then on.
pub fn accept(connection: &mut Connection<ServerSide>, request: &ClientRequest) {
    let response = ClientResponse::Initialize(InitializeResponse {
        user_agent: "test/1".to_owned(),
        codex_home: AbsolutePathBuf::new("/home/test/.codex").expect("an absolute path"),
        platform_family: "unix".to_owned(),
        platform_os: "linux".to_owned(),
    });
    connection
        .respond(request, &response)
        .expect("the answer to initialize");
}

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
