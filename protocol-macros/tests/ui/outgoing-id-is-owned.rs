use protocol_macros::{protocol, wire, Capabilities, Outgoing, RequestId};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[protocol]
mod methods {
    use super::*;

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("attest", response = Pong, capability = "attest")]
        Attest(Ping),
    }
}

use methods::*;

fn main() {
    let mut outgoing: Outgoing<ServerRequest> =
        Outgoing::new(Capabilities::none().with_granted("attest"));
    let mut request = outgoing.request::<Attest>(Ping {}).unwrap();
    // The sending half owns the id it put in its pending table: the request
    // it hands out is not the message enum, to match and change.
    if let ServerRequest::Attest { id, .. } = &mut request {
        *id = RequestId::Integer(999);
    }
}
