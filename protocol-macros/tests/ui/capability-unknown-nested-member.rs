// A capability path that steps into an `Option<T>` member and names a
// member that type does not have: one error at the capability, naming
// the type reached and its members.

use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct SyncCapabilities {
    pub interval: Option<bool>,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct NotesCapabilities {
    pub confirm_deletes: Option<bool>,
    pub sync: Option<SyncCapabilities>,
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
        #[method("notes/delete", response = Empty, capability = "client.confirmDeletes")]
        Delete(Empty),
        #[method("notes/sync", response = Empty, capability = "client.sync.intervals")]
        Sync(Empty),
    }
}

fn main() {}
