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
        #[method("ping")]
        SendPing(Ping),
    }

    #[client_notifications]
    pub enum MoreClientNotifications {
        #[method("pong")]
        SendPong(Pong),
    }
}

fn main() {}
