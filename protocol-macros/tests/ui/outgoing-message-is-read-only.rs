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
    let request = outgoing.request::<Attest>(Ping {}).unwrap();
    // The sending half owns the id it put in its pending table: the message
    // inside the request it hands out is lent to read only.
    let ServerRequest::Attest { id, .. } = request.message();
    *id = RequestId::Integer(999);
}
