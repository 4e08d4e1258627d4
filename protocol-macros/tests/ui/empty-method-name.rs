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

    #[client_notifications]
    pub enum ClientNotification {
        #[method("")]
        SendPing(Ping),
    }
}

fn main() {}
