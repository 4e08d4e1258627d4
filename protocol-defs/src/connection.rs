//! What a server knows about a connection once `initialize` is done.

use protocol_macros::{Capabilities, Outgoing};

use crate::v1::InitializeParams;
use crate::ServerRequest;

/// The wire name of the capability that opts into experimental methods and
/// fields (`InitializeCapabilities::experimental_api`).
pub const EXPERIMENTAL_CAPABILITY: &str = "experimentalApi";

/// The capabilities the client declared in `initialize`; none when it sent
/// no `capabilities` object. `experimentalApi: true` opts into experimental
/// methods and fields, and `optOutNotificationMethods` names notifications
/// the connection never gets (see
/// [`Capabilities::encode_outgoing`](protocol_macros::Capabilities::encode_outgoing)).
pub fn negotiated_capabilities(params: &InitializeParams) -> Capabilities {
    match &params.capabilities {
        Some(capabilities) => Capabilities::from_wire(capabilities)
            .expect("InitializeCapabilities serialises to a JSON object")
            .with_experimental_capability(EXPERIMENTAL_CAPABILITY)
            .with_opted_out(
                capabilities
                    .opt_out_notification_methods
                    .iter()
                    .flatten()
                    .cloned(),
            ),
        None => before_initialize(),
    }
}

/// The capabilities of a connection before `initialize`: none.
pub fn before_initialize() -> Capabilities {
    Capabilities::none().with_experimental_capability(EXPERIMENTAL_CAPABILITY)
}

/// The server's sending half for a client that sent `params` in `initialize`.
/// Every server request goes through it, so a gated method such as
/// `attestation/generate` can only reach clients that opted in; each request
/// comes back as an [`OutgoingRequest`](protocol_macros::OutgoingRequest)
/// whose id stays the one the pending table pairs its response by.
pub fn server_requests(params: &InitializeParams) -> Outgoing<ServerRequest> {
    Outgoing::new(negotiated_capabilities(params))
}
