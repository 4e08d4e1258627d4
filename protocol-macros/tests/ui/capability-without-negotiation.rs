use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol]
mod methods {
    use super::*;

    #[server_requests]
    pub enum ServerRequest {
        // Where would the client have declared `sampling`?
        #[method("sample", response = Ping, capability = "client.sampling")]
        Sample(Ping),
    }
}

fn main() {}
