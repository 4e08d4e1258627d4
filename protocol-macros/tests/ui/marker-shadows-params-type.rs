use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol]
mod methods {
    use super::*;

    #[client_notifications]
    pub enum ClientNotification {
        #[method("ping")]
        Ping(Ping),
    }
}

fn main() {}
