use protocol_macros::{protocol, wire, Granted};

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
    // The proof that a capability gate was passed cannot be forged.
    let _forged: Granted<methods::Attest> = Granted {
        method: std::marker::PhantomData,
    };
}

/// The client's capabilities: the params of `hello`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct HelloParams {
    pub attest: Option<bool>,
}
