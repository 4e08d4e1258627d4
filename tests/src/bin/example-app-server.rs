//! A small app server over stdio, built only on the registry's runtime:
//! newline-delimited JSON on stdin and stdout, a log on stderr.
//!
//! It answers `initialize`, `getAuthStatus` and `loginApiKey` with canned
//! data (a successful `loginApiKey` is followed by an `authStatusChange`
//! notification), answers every other request with a JSON-RPC error, and
//! once the client sends `initialized` asks it for an attestation through
//! the capability gate: only a client that set
//! `capabilities.requestAttestation` is asked. Every request passes the
//! experimental gate after decoding, and every message it sends is encoded
//! for the connection (experimental parts and opted-out notifications left
//! out). It exits when stdin closes.
//!
//! ```sh
//! cargo run -p tests --bin example-app-server
//! {"method":"initialize","id":0,"params":{"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use protocol_defs::common::{AbsolutePathBuf, AuthMode};
use protocol_defs::connection::server_requests;
use protocol_defs::v1::{
    AttestationGenerateParams, AuthStatusChangeNotification, GetAuthStatusResponse,
    InitializeResponse, LoginApiKeyResponse,
};
use protocol_defs::{
    AttestationGenerate, ClientNotification, ClientRequest, ClientResponse, JSONRPCError,
    ServerNotification, ServerRequest, ServerResponse,
};
use protocol_macros::{
    decode_incoming, Capabilities, EncodeError, ErrorCode, Incoming, JSONRPCErrorError, MethodSet,
    Outgoing, RequestId, RequestSet,
};
use serde::Serialize;

/// What the server writes: one JSON message per line.
struct Output<W: Write> {
    out: W,
}

impl<W: Write> Output<W> {
    fn send(&mut self, message: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, message)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    /// Sends `message` as encoded for the connection: nothing when it is a
    /// notification the client must not get.
    fn send_to(&mut self, capabilities: &Capabilities, message: &impl MethodSet) -> io::Result<()> {
        let text = match capabilities.encode_outgoing(message) {
            Ok(Some(text)) => text,
            Ok(None) => {
                log(format_args!(
                    "`{}` not delivered to this client",
                    message.method()
                ));
                return Ok(());
            }
            Err(EncodeError::Json(err)) => return Err(io::Error::other(err)),
            Err(EncodeError::Refused(refused)) => {
                log(format_args!("not sent: {refused}"));
                return Ok(());
            }
        };
        self.out.write_all(&text)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> io::Result<()> {
        self.send(&JSONRPCError {
            error: JSONRPCErrorError {
                code: code.code(),
                message,
                data: None,
            },
            id,
        })
    }
}

/// The state of the one connection: the sending half once `initialize` is done.
#[derive(Default)]
struct Connection {
    outgoing: Option<Outgoing<ServerRequest>>,
    signed_in: Option<AuthMode>,
}

fn log(line: std::fmt::Arguments<'_>) {
    eprintln!("example-app-server: {line}");
}

impl Connection {
    fn handle<W: Write>(&mut self, line: &[u8], out: &mut Output<W>) -> io::Result<()> {
        match decode_incoming::<ClientRequest, ClientNotification>(line) {
            Ok(Incoming::Request(request)) => self.request(request, line, out),
            Ok(Incoming::Notification(notification)) => self.notification(notification, out),
            Ok(Incoming::Response(response)) => {
                let Some(outgoing) = &mut self.outgoing else {
                    log(format_args!("a response before `initialize`: dropped"));
                    return Ok(());
                };
                match outgoing.complete(response) {
                    Ok((id, ServerResponse::AttestationGenerate(attestation))) => {
                        let header = attestation.token.expose();
                        log(format_args!(
                            "attestation {id}: {attestation:?} ({} bytes, forwarded as x-oai-attestation)",
                            header.len()
                        ));
                    }
                    Ok((id, response)) => log(format_args!("response {id}: {response:?}")),
                    Err(err) => log(format_args!("response dropped: {err}")),
                }
                Ok(())
            }
            Ok(Incoming::Error(error)) => {
                let method = self
                    .outgoing
                    .as_mut()
                    .and_then(|outgoing| outgoing.fail(&error).ok());
                log(format_args!(
                    "error {} ({}) for {}: {}",
                    error.error.code,
                    error.id,
                    method.map_or("no pending request", |m| m.name),
                    error.error.message
                ));
                Ok(())
            }
            Err(err) => {
                log(format_args!("{err}"));
                match err.to_response() {
                    Some(reply) => out.send(&reply),
                    // No readable id: there is no one to answer.
                    None => Ok(()),
                }
            }
        }
    }

    fn request<W: Write>(
        &mut self,
        request: ClientRequest,
        raw: &[u8],
        out: &mut Output<W>,
    ) -> io::Result<()> {
        log(format_args!(
            "request {} `{}`",
            request.id(),
            request.method()
        ));
        let none = Capabilities::none();
        let capabilities = self.outgoing.as_ref().map_or(&none, Outgoing::capabilities);
        if let Err(refused) = capabilities.admit_request(&request, raw) {
            log(format_args!("refused: {}", refused.error.message));
            return out.send(&refused);
        }
        let response = match &request {
            ClientRequest::Initialize { params, .. } => {
                if self.outgoing.is_some() {
                    return out.error(
                        request.id().clone(),
                        ErrorCode::InvalidRequest,
                        "`initialize` was already sent on this connection".to_owned(),
                    );
                }
                self.outgoing = Some(server_requests(params));
                log(format_args!(
                    "client {} {}",
                    params.client_info.name, params.client_info.version
                ));
                ClientResponse::Initialize(InitializeResponse {
                    user_agent: "example-app-server/0.1.0".to_owned(),
                    codex_home: AbsolutePathBuf::new("/home/example/.codex")
                        .expect("an absolute path"),
                    platform_family: "unix".to_owned(),
                    platform_os: "linux".to_owned(),
                })
            }
            _ if self.outgoing.is_none() => {
                return out.error(
                    request.id().clone(),
                    ErrorCode::InvalidRequest,
                    "send `initialize` first".to_owned(),
                );
            }
            ClientRequest::GetAuthStatus { .. } => {
                ClientResponse::GetAuthStatus(GetAuthStatusResponse {
                    auth_method: self.signed_in,
                    auth_token: None,
                    requires_openai_auth: Some(true),
                })
            }
            ClientRequest::LoginApiKey { params, .. } => {
                if !params.api_key.expose().starts_with("sk-") {
                    return out.error(
                        request.id().clone(),
                        ErrorCode::InvalidParams,
                        "an API key starts with `sk-`".to_owned(),
                    );
                }
                self.signed_in = Some(AuthMode::ApiKey);
                let reply = request
                    .respond(&ClientResponse::LoginApiKey(LoginApiKeyResponse {}))
                    .expect("the response of this request");
                out.send(&reply)?;
                let notification =
                    ServerNotification::AuthStatusChange(AuthStatusChangeNotification {
                        auth_method: self.signed_in,
                    });
                return out.send_to(capabilities, &notification);
            }
            // The example implements a few methods; the protocol has more.
            _ => {
                return out.error(
                    request.id().clone(),
                    ErrorCode::MethodNotFound,
                    format!("`{}` is not implemented by this server", request.method()),
                );
            }
        };
        let reply = request
            .respond(&response)
            .expect("the response of this request");
        out.send(&reply)
    }

    fn notification<W: Write>(
        &mut self,
        notification: ClientNotification,
        out: &mut Output<W>,
    ) -> io::Result<()> {
        match notification {
            ClientNotification::Initialized => {
                let Some(outgoing) = &mut self.outgoing else {
                    log(format_args!("`initialized` before `initialize`: ignored"));
                    return Ok(());
                };
                // The gate decides: only a client that opted in is asked.
                match outgoing.request::<AttestationGenerate>(AttestationGenerateParams {}) {
                    Ok(request) => {
                        log(format_args!("asking for an attestation ({})", request.id()));
                        out.send_to(outgoing.capabilities(), &request)
                    }
                    Err(refused) => {
                        log(format_args!("not asking for an attestation: {refused}"));
                        Ok(())
                    }
                }
            }
        }
    }
}

fn main() -> ExitCode {
    let mut connection = Connection::default();
    let mut out = Output {
        out: io::stdout().lock(),
    };
    for line in io::stdin().lock().split(b'\n') {
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                log(format_args!("cannot read stdin: {err}"));
                return ExitCode::FAILURE;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Err(err) = connection.handle(&line, &mut out) {
            log(format_args!("cannot write stdout: {err}"));
            return ExitCode::FAILURE;
        }
    }
    log(format_args!("stdin closed; shutting down"));
    ExitCode::SUCCESS
}
