// One annotation mistake (a duplicate method name) is the only error, even
// though the rest of the crate uses everything the module would generate:
// the fallback expansion keeps the enums, the markers, the response enum,
// the traits and the registry in place.

use protocol_macros::{
    wire, Capabilities, MethodSet, Outgoing, Request, RequestId, RequestSet, ResponseSet,
};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {}

#[protocol_macros::protocol]
mod methods {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("ping", response = Pong)]
        SendPing(Ping),
        #[method("shutdown", response = Pong)]
        Shutdown,
    }

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("ping", response = Pong)]
        ServerPing(Pong),
        #[method("attest", response = Pong, capability = "attest")]
        Attest(Ping),
    }

    #[server_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerNotification {
        #[method("changed")]
        Changed(super::Changed),
    }
}

use methods::*;

fn needs_a_request_set<S: RequestSet>(outgoing: &Outgoing<S>) -> usize {
    outgoing.pending().count()
}

fn answer(request: &ServerRequest) -> &RequestId {
    match request {
        ServerRequest::ServerPing { id, params } => {
            let _: &Pong = params;
            id
        }
        ServerRequest::Attest { id, granted, .. } => {
            let _ = granted;
            id
        }
    }
}

fn main() {
    let mut outgoing: Outgoing<ServerRequest> = Outgoing::new(Capabilities::none());
    let request = outgoing.request::<Attest>(Ping {});
    let _ = request.map(|request| answer(request.message()).clone());
    let _ = needs_a_request_set(&outgoing);
    let _ = ServerRequest::decode(br#"{"method":"ping","id":1,"params":{}}"#);
    let _ = ClientRequest::decode(b"{}").map(|r| r.id().clone());
    let _ = ServerNotification::decode(b"{}").map(|n| n.method());
    let _ = <SendPing as Request>::METHOD;
    let _: Option<Pong> = <SendPing as Request>::unwrap_response(ClientResponse::SendPing(Pong {}));
    let _ = ClientResponse::Shutdown(Pong {}).method();
    let _ = <ServerRequest as MethodSet>::SET.name;
    let _ = ClientRequest::Shutdown { id: RequestId::Integer(1) };
    let _ = ServerNotification::Changed(Changed {});
    for method in REGISTRY.methods() {
        let _ = method.name;
    }
    let _ = <ServerResponse as ResponseSet>::method;
}
