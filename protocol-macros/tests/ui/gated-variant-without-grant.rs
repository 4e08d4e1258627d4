use protocol_macros::{protocol, wire, RequestId};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[protocol(negotiation = "hello", client_capabilities = "params")]
mod methods {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("hello", response = Pong)]
        Hello(HelloParams),
    }

    #[server_requests]
    pub enum ServerRequest {
        #[method("attest", response = Pong, capability = "client.attest")]
        Attest(Ping),
    }
}

fn main() {
    // A gated message needs the proof that the gate was passed.
    let _ = methods::ServerRequest::Attest {
        id: RequestId::Integer(1),
        params: Ping {},
    };
}

/// The client's capabilities: the params of `hello`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct HelloParams {
    pub attest: Option<bool>,
}
