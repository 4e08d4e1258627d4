// One mistake (an unknown key in one `#[method]`) is the only error, though
// the rest of the crate uses the whole surface the module generates, the
// broken method's included: the message enums and their inherent methods,
// the markers, the response enums, every trait and its methods, the
// registry, and the peers with a connection.

use protocol_macros::{
    Connection, Direction, Granted, Incoming, Kind, MethodSet, Notification, NotificationSet, Peer,
    Received, Request, RequestId, RequestSet, ResponseSet,
};

#[protocol_macros::wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Ping {}

#[protocol_macros::wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Pong {}

#[protocol_macros::wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {}

#[protocol_macros::protocol(negotiation = "hello", client_capabilities = "params")]
mod methods {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("hello", response = Pong)]
        Hello(Ping),
        #[method("ping", response = Pong, timeout = 5)]
        SendPing(Ping),
        #[method("shutdown", response = Pong)]
        Shutdown,
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
        #[method("attest", response = Pong, capability = "client.attest")]
        Attest(Ping),
    }

    #[server_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerNotification {
        #[method("changed", capability = "client.watch")]
        Updated(Changed),
    }
}

use methods::*;

fn messages() {
    let ping = ClientRequest::SendPing {
        id: RequestId::Integer(1),
        params: Ping {},
    };
    let _: &RequestId = ping.id();
    let _: &'static str = ping.method();
    let _: Vec<u8> = ping.encode().unwrap();
    let _: Result<ClientRequest, _> = ClientRequest::decode(b"{}");
    let _: Result<ClientRequest, _> = ClientRequest::decode_str("{}");
    let _ = ClientRequest::Shutdown {
        id: RequestId::Integer(2),
    };
    if let Ok(ClientRequest::SendPing { id, params }) = ClientRequest::decode(b"{}") {
        let _: (RequestId, Ping) = (id, params);
    }

    let initialized = ClientNotification::Initialized;
    let _: &'static str = initialized.method();
    let _: Vec<u8> = initialized.encode().unwrap();
    let _: Result<ClientNotification, _> = ClientNotification::decode(b"{}");
    let _: Result<ClientNotification, _> = ClientNotification::decode_str("{}");

    if let Ok(ServerRequest::Attest {
        id,
        params,
        granted,
    }) = ServerRequest::decode(b"{}")
    {
        let _: (RequestId, Ping, Granted<Attest>) = (id, params, granted);
    }
    if let Ok(ServerNotification::Updated(changed, granted)) = ServerNotification::decode_str("{}")
    {
        let _: (Changed, Granted<Updated>) = (changed, granted);
    }
}

fn traits() {
    let _: &'static str = <ClientRequest as MethodSet>::SET.name;
    let _: Option<&'static str> = <ClientRequest as MethodSet>::SET.response_name;
    let ping = ClientRequest::SendPing {
        id: RequestId::Integer(1),
        params: Ping {},
    };
    let _: &'static str = MethodSet::info(&ping).name;
    let _: &RequestId = RequestSet::id(&ping);
    let response: Result<ClientResponse, _> =
        ClientRequest::decode_response_for("ping", Default::default());
    let _: Result<ClientResponse, _> = ClientRequest::decode_response_text("ping", "{}");
    let _: Result<ClientResponse, _> = ping.decode_response(Default::default());
    let _ = response.map(|response| ping.respond(&response));
    let _: Result<ClientRequest, _> = <ClientRequest as RequestSet>::decode(b"{}");
    let _: Result<ServerNotification, _> = <ServerNotification as NotificationSet>::decode(b"{}");
}

fn markers() {
    let _: &'static str = <SendPing as Request>::METHOD;
    let _: &'static str = <SendPing as Request>::INFO.name;
    let _: fn(RequestId, Ping, Granted<SendPing>) -> ClientRequest = <SendPing as Request>::message;
    let wrapped: ClientResponse = <SendPing as Request>::wrap_response(Pong {});
    let _: Option<Pong> = <SendPing as Request>::unwrap_response(wrapped);
    let _ = <SendPing as Request>::respond(RequestId::Integer(1), &Pong {});
    let _: fn(RequestId, (), Granted<Shutdown>) -> ClientRequest = <Shutdown as Request>::message;
    let _: fn(RequestId, Ping, Granted<Attest>) -> ServerRequest = <Attest as Request>::message;
    let _: fn((), Granted<Initialized>) -> ClientNotification =
        <Initialized as Notification>::message;
    let _: fn(Changed, Granted<Updated>) -> ServerNotification = <Updated as Notification>::message;
    let _: &'static str = <Updated as Notification>::INFO.name;
}

fn responses() {
    let response = ClientResponse::SendPing(Pong {});
    let _: &'static str = response.method();
    let _: &'static str = ResponseSet::method(&response);
    match response {
        ClientResponse::Hello(pong)
        | ClientResponse::SendPing(pong)
        | ClientResponse::Shutdown(pong) => {
            let _: Pong = pong;
        }
    }
    let ServerResponse::Attest(pong) = ServerResponse::Attest(Pong {});
    let _: Pong = pong;
}

fn peers() {
    let mut server = Connection::<ServerSide>::new();
    if let Ok(request) = server.request::<Attest>(Ping {}) {
        let _: &RequestId = request.id();
        let _: Result<Vec<u8>, _> = server.encode(&request);
    }
    let _ = server.notify::<Updated>(Changed {});
    let _ = server.grant_notification::<Updated>();
    match server.receive(b"{}") {
        Ok(Received::Request(request)) => {
            let response = ClientResponse::SendPing(Pong {});
            let _ = server.respond(&request, &response);
            let _ = server.respond_to::<SendPing>(request.id().clone(), &Pong {});
        }
        Ok(Received::Notification(ClientNotification::Initialized)) => {}
        Ok(Received::Response {
            id,
            response: ServerResponse::Attest(pong),
        }) => {
            let _: (RequestId, Pong) = (id, pong);
        }
        _ => {}
    }
    let mut client = Connection::<ClientSide>::new();
    let _ = client.request::<SendPing>(Ping {});
    let _ = client.notify::<Initialized>(());
    if let Ok(Received::Response {
        response: ClientResponse::SendPing(pong),
        ..
    }) = client.receive(b"{}")
    {
        let _: Pong = pong;
    }
    let _: Result<Incoming<ServerRequest, ServerNotification>, _> =
        <ClientSide as Peer>::decode(b"{}");
    let _ = <ServerSide as Peer>::SIDE;
    let _ = <ClientSide as Peer>::registry().methods().count();
}

fn registry() {
    for method in REGISTRY.methods() {
        let _: &'static str = method.name;
    }
    let _ = REGISTRY.method("ping", Direction::ClientToServer);
    let _ = REGISTRY.set(Direction::ServerToClient, Kind::Notification);
    let _ = REGISTRY.settings.negotiation;
}

fn main() {
    messages();
    traits();
    markers();
    responses();
    peers();
    registry();
}
