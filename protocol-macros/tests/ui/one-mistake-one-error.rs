// One annotation mistake (a method name declared twice by the client) is
// the only error, even though the rest of the crate uses everything the
// module would generate: the fallback expansion keeps the enums, the
// markers, the response enum, the traits, the registry and the peers in
// place.

use protocol_macros::{
    wire, Connection, MethodSet, Peer, Received, Request, RequestId, ResponseSet,
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

#[protocol_macros::protocol(negotiation = "hello", client_capabilities = "params")]
mod methods {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("ping", response = Pong)]
        SendPing(Ping),
        #[method("shutdown", response = Pong)]
        Shutdown,
        #[method("hello", response = Pong)]
        Hello(Ping),
        #[method("ping", response = Pong)]
        PingAgain(Ping),
    }

    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        #[method("ping", response = Pong)]
        ServerPing(Ping),
        #[method("attest", response = Pong, capability = "client.attest")]
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

fn needs_a_peer<P: Peer>(connection: &Connection<P>) -> usize {
    connection.pending().count()
}

fn answer(request: &ServerRequest) -> &RequestId {
    match request {
        ServerRequest::ServerPing { id, params } => {
            let _: &Ping = params;
            id
        }
        ServerRequest::Attest { id, granted, .. } => {
            let _ = granted;
            id
        }
    }
}

fn main() {
    let mut connection: Connection<ServerSide> = Connection::new();
    let request = connection.request::<Attest>(Ping {});
    let _ = request.map(|request| answer(request.message()).clone());
    let _ = needs_a_peer(&connection);
    if let Ok(Received::Request(ClientRequest::SendPing { id, .. })) = connection.receive(b"{}") {
        let _ = id;
    }
    let _ = <ClientSide as Peer>::SIDE;
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
