// A capability path that steps into a member that is not an object (a
// `bool`) is one error at the capability.

use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct NotesCapabilities {
    pub confirm_deletes: Option<bool>,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct OpenParams {
    pub capabilities: NotesCapabilities,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Empty {}

#[protocol(negotiation = "open", client_capabilities = "params.capabilities")]
mod notes {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("open", response = Empty)]
        Open(OpenParams),
    }

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("notes/delete", response = Empty, capability = "client.confirmDeletes.always")]
        Delete(Empty),
    }
}

fn main() {}
