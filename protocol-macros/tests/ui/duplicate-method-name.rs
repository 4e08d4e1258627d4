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
        #[method("ping", response = Pong)]
        PingAgain(Ping),
    }

    #[client_notifications]
    pub enum ClientNotification {
        // The same name as a notification, in the same direction.
        #[method("ping")]
        Pinged(Ping),
    }
}

fn main() {}
