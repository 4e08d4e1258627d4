use protocol_macros::{protocol, wire};

#[wire]
pub struct Beat {}

#[protocol]
pub mod methods {
    use super::*;

    #[client_notifications]
    pub enum ClientNotification {
        #[method("ping", experimental = "")]
        Ping(Beat),
        #[method("pong", since = "soon")]
        Pong(Beat),
        #[method("peng", deprecated = "old", deprecated = "older")]
        Peng(Beat),
    }
}

fn main() {}
