// A request without `response` is the only error, though a connection
// elsewhere sends it, pairs its response and decodes incoming messages.

use protocol_macros::{Connection, Received, RequestSet};

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

pub fn serve(line: &[u8]) -> Option<String> {
    let mut connection = Connection::<ServerSide>::new();
    let request = connection.request::<Attest>(Ping {}).ok()?;
    let _ = request.id();
    let _ = connection.encode(&request);
    match connection.receive(line) {
        Ok(Received::Request(ClientRequest::SendPing { id, params })) => {
            let _: Ping = params;
            Some(id.to_string())
        }
        Ok(Received::Notification(ClientNotification::Initialized)) => None,
        Ok(_) => None,
        Err(err) => Some(err.to_string()),
    }
}

fn needs<S: RequestSet>() {}

fn main() {
    needs::<ServerRequest>();
    needs::<ClientRequest>();
}
