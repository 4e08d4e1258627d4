use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol(
    jsonrpc = "1.0",
    negotiation = "greet",
    client_capabilities = "body.capabilities",
    experimental = "experimentalApi",
    retries = "3"
)]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("hello", response = Ping)]
        Hello(Ping),
    }
}

fn main() {}
