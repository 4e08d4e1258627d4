use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol(
    negotiation = "hello",
    client_capabilities = "params.capabilities",
    server_capabilities = "result..capabilities"
)]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("hello", response = Ping)]
        Hello(Ping),
        #[method("a", response = Ping, capability = "server.resources..subscribe")]
        A(Ping),
        #[method("b", response = Ping, capability = "client.")]
        B(Ping),
        #[method("c", response = Ping, capability = "client.list changed")]
        C(Ping),
    }
}

fn main() {}
