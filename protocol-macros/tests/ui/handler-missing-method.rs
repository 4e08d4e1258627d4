// A method added to the protocol is a compile error for a handler that
// does not handle it: the handler traits have no default bodies.
use protocol_macros::{protocol, wire, JSONRPCErrorError, RequestContext};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[protocol]
mod methods {
    use super::*;

    #[client_requests]
    pub enum ClientRequest {
        #[method("ping", response = Pong)]
        SendPing(Ping),
        /// The method added since the handler was written.
        #[method("status", response = Pong)]
        Status,
    }
}

use methods::{ServerHandler, ServerSide};

struct Server;

impl ServerHandler for Server {
    async fn send_ping(&self, _: RequestContext<ServerSide>, _: Ping) -> Result<Pong, JSONRPCErrorError> {
        Ok(Pong {})
    }
}

fn main() {}
