use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("getURL", response = Ping)]
        GetURL(Ping),
    }

    #[client_notifications]
    pub enum ClientNotification {
        // Both become `ServerHandler::get_url`.
        #[method("getUrl")]
        GetUrl(Ping),
    }
}

fn main() {}
