use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol(negotiation = "hello", client_capabilities = "params.capabilities")]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("hello", response = Ping)]
        Hello(Ping),
        #[method("sample", response = Ping, capability = "sampling")]
        Sample(Ping),
    }
}

fn main() {}
