//! What a server knows about a connection once `initialize` is done.

use protocol_macros::{Capabilities, Outgoing};

use crate::v1::InitializeParams;
use crate::ServerRequest;

/// The capabilities the client declared in `initialize`; none when it sent
/// no `capabilities` object.
pub fn negotiated_capabilities(params: &InitializeParams) -> Capabilities {
    match &params.capabilities {
        Some(capabilities) => Capabilities::from_wire(capabilities)
            .expect("InitializeCapabilities serialises to a JSON object"),
        None => Capabilities::none(),
    }
}

/// The server's sending half for a client that sent `params` in `initialize`.
/// Every server request goes through it, so a gated method such as
/// `attestation/generate` can only reach clients that opted in.
pub fn server_requests(params: &InitializeParams) -> Outgoing<ServerRequest> {
    Outgoing::new(negotiated_capabilities(params))
}
