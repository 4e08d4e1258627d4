use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("ping", response = Ping)]
        SendPing(Ping),
    }

    // The name of the trait the server's handlers implement.
    pub struct ServerHandler;
}

fn main() {}
