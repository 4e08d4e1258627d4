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

    #[server_notifications]
    pub enum ServerNotification {
        #[method("ping")]
        Pinged(Ping),
    }
}

fn main() {}
