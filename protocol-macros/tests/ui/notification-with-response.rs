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

    #[server_notifications]
    pub enum ServerNotification {
        #[method("pinged", response = Pong)]
        SendPinged(Ping),
    }
}

fn main() {}
