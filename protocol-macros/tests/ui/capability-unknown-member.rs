// A capability its side's capabilities object does not have, by wire name
// (`confirm_deletes` for the member `confirmDeletes`): one error at the
// capability, naming the members there are. The walk steps into
// `Option<T>` members (`client.sync.interval` is fine).

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
        #[method("notes/delete", response = Empty, capability = "client.confirm_deletes")]
        Delete(Empty),
        #[method("notes/sync", response = Empty, capability = "client.sync.interval")]
        Sync(Empty),
    }
}

fn main() {}
