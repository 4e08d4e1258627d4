use protocol_macros::{protocol, wire, Connection, RequestId};

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
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("attest", response = Pong, capability = "client.attest")]
        Attest(Ping),
    }
}

use methods::*;

fn main() {
    let mut connection: Connection<ServerSide> =
        Connection::negotiated_for_tests(Some(serde_json::json!({ "attest": true })), None);
    let mut request = connection.request::<Attest>(Ping {}).unwrap();
    // The connection owns the id it put in its pending table: the request
    // it hands out is not the message enum, to match and change.
    if let ServerRequest::Attest { id, .. } = &mut request {
        *id = RequestId::Integer(999);
    }
}

/// The client's capabilities: the params of `hello`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct HelloParams {
    pub attest: Option<bool>,
}
