// A request without `response` is the only error, though a connection
// elsewhere sends it, pairs its response and decodes incoming messages.

use protocol_macros::{
    decode_incoming, Capabilities, Incoming, JSONRPCResponse, Outgoing, RequestSet,
};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

use protocol_macros::wire;

#[protocol_macros::protocol]
pub mod methods {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("ping", response = Pong)]
        SendPing(Ping),
    }

    #[client_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientNotification {
        #[method("initialized")]
        Initialized,
    }

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("attest")]
        Attest(Ping),
    }
}

use methods::*;

pub fn server_requests() -> Outgoing<ServerRequest> {
    Outgoing::new(Capabilities::none())
}

pub fn serve(line: &[u8], response: JSONRPCResponse) -> Option<String> {
    let mut outgoing = server_requests();
    let request = outgoing.request::<Attest>(Ping {}).ok()?;
    let _ = request.id();
    let _ = outgoing.complete_as::<Attest>(response);
    match decode_incoming::<ClientRequest, ClientNotification>(line) {
        Ok(Incoming::Request(ClientRequest::SendPing { id, params })) => {
            let _: Ping = params;
            Some(id.to_string())
        }
        Ok(Incoming::Notification(ClientNotification::Initialized)) => None,
        Ok(_) => None,
        Err(err) => Some(err.message),
    }
}

fn needs<S: RequestSet>() {}

fn main() {
    needs::<ServerRequest>();
    needs::<ClientRequest>();
}
