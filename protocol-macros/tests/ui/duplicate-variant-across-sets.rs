// Two sets with a variant of the same name (each variant names a marker
// type in the module): one error, and the first method keeps its marker.

use protocol_macros::{protocol, wire, Request};

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
        Ping(super::Ping),
    }

    #[server_requests]
    pub enum ServerRequest {
        #[method("server/ping", response = Pong)]
        Ping(super::Ping),
    }
}

fn main() {
    let _: &str = <methods::Ping as Request>::METHOD;
}
