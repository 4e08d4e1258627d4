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
        #[method("ping", response = Pong, timeout = 5)]
        SendPing(Ping),
    }
}

fn main() {}
