use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[protocol]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("ping", response = Pong)]
        SendPing(Ping),
    }

    #[server_requests]
    pub enum ServerRequest {
        // Both peers send `ping`: it is one method, with one params type.
        #[method("ping", response = Pong)]
        ServerPing(Pong),
    }
}

fn main() {}
