//! A small app server over stdio, built only on the registry's runtime:
//! newline-delimited JSON on stdin and stdout, a log on stderr.
//!
//! It answers `initialize`, `getAuthStatus` and `loginApiKey` with canned
//! data (a successful `loginApiKey` is followed by an `authStatusChange`
//! notification), answers every other request with a JSON-RPC error, and
//! once the client sends `initialized` asks it for an attestation through
//! the capability gate: only a client that set
//! `capabilities.requestAttestation` is asked. Everything goes through the
//! protocol's `Connection<ServerSide>`: it decodes every line, records the
//! capabilities `initialize` declares, admits requests by the experimental
//! gate, pairs responses, and encodes every message it sends for this
//! client (experimental parts and opted-out notifications left out). It
//! exits when stdin closes.
//!
//! ```sh
//! cargo run -p tests --bin example-app-server
//! {"method":"initialize","id":0,"params":{"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use protocol_defs::common::{AbsolutePathBuf, AuthMode};
use protocol_defs::v1::{
    AttestationGenerateParams, AuthStatusChangeNotification, GetAuthStatusResponse,
    InitializeResponse, LoginApiKeyResponse,
};
use protocol_defs::{
    AttestationGenerate, AuthStatusChange, ClientNotification, ClientRequest, ClientResponse,
    JSONRPCError, ServerResponse, ServerSide,
};
use protocol_macros::{
    Connection, Dialect, EncodeError, ErrorCode, JSONRPCErrorError, ReceiveError, Received,
    RequestId,
};

/// What the server writes: one JSON message per line.
struct Output<W: Write> {
    out: W,
}

impl<W: Write> Output<W> {
    fn write(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.write_all(text)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    /// Writes what the connection encoded: nothing when it is a message
    /// the client must not get.
    fn send(
        &mut self,
        method: &str,
        encoded: Result<Option<Vec<u8>>, EncodeError>,
    ) -> io::Result<()> {
        match encoded {
            Ok(Some(text)) => self.write(&text),
            Ok(None) => {
                log(format_args!("`{method}` not delivered to this client"));
                Ok(())
            }
            Err(EncodeError::Json(err)) => Err(io::Error::other(err)),
            Err(refused) => {
                log(format_args!("not sent: {refused}"));
                Ok(())
            }
        }
    }
}

/// The one connection: the protocol's side of it, and the app's state.
struct App {
    connection: Connection<ServerSide>,
    initialized: bool,
    signed_in: Option<AuthMode>,
}

fn log(line: std::fmt::Arguments<'_>) {
    eprintln!("example-app-server: {line}");
}

impl App {
    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> Vec<u8> {
        self.connection.error(&JSONRPCError {
            jsonrpc: Dialect::Omitted,
            error: JSONRPCErrorError {
                code: code.code(),
                message,
                data: None,
            },
            id,
        })
    }

    fn handle<W: Write>(&mut self, line: &[u8], out: &mut Output<W>) -> io::Result<()> {
        match self.connection.receive(line) {
            Ok(Received::Request(request)) => self.request(request, out),
            Ok(Received::Notification(notification)) => self.notification(notification, out),
            Ok(Received::Response {
                id,
                response: ServerResponse::AttestationGenerate(attestation),
            }) => {
                let header = attestation.token.expose();
                log(format_args!(
                    "attestation {id}: {attestation:?} ({} bytes, forwarded as x-oai-attestation)",
                    header.len()
                ));
                Ok(())
            }
            Ok(Received::Response { id, response }) => {
                log(format_args!("response {id}: {response:?}"));
                Ok(())
            }
            Ok(Received::Error { error, method }) => {
                log(format_args!(
                    "error {} ({}) for {}: {}",
                    error.error.code,
                    error.id,
                    method.name,
                    protocol_macros::peer_text::bounded(&error.error.message)
                ));
                Ok(())
            }
            Ok(Received::UnattributedError(error)) => {
                log(format_args!(
                    "error {} for a message the client could not read: {}",
                    error.code,
                    protocol_macros::peer_text::bounded(&error.message)
                ));
                Ok(())
            }
            Err(err) => {
                log(format_args!("{err}"));
                match self.connection.error_reply(&err) {
                    Some(reply) => out.write(&reply),
                    // No readable id, a dropped notification or a stray
                    // response: there is no one to answer.
                    None => {
                        if let ReceiveError::Response(_) = err {
                            log(format_args!("response dropped"));
                        }
                        Ok(())
                    }
                }
            }
        }
    }

    fn request<W: Write>(&mut self, request: ClientRequest, out: &mut Output<W>) -> io::Result<()> {
        log(format_args!(
            "request {} `{}`",
            request.id(),
            request.method()
        ));
        let response = match &request {
            ClientRequest::Initialize { params, .. } => {
                if self.initialized {
                    let reply = self.error(
                        request.id().clone(),
                        ErrorCode::InvalidRequest,
                        "`initialize` was already sent on this connection".to_owned(),
                    );
                    return out.write(&reply);
                }
                self.initialized = true;
                // The peer's text, escaped and bounded: no terminal escape
                // reaches the log.
                log(format_args!(
                    "client {} {}",
                    protocol_macros::peer_text::name(&params.client_info.name),
                    protocol_macros::peer_text::name(&params.client_info.version)
                ));
                ClientResponse::Initialize(InitializeResponse {
                    user_agent: "example-app-server/0.1.0".to_owned(),
                    codex_home: AbsolutePathBuf::new("/home/example/.codex")
                        .expect("an absolute path"),
                    platform_family: "unix".to_owned(),
                    platform_os: "linux".to_owned(),
                })
            }
            _ if !self.initialized => {
                let reply = self.error(
                    request.id().clone(),
                    ErrorCode::InvalidRequest,
                    "send `initialize` first".to_owned(),
                );
                return out.write(&reply);
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
                    let reply = self.error(
                        request.id().clone(),
                        ErrorCode::InvalidParams,
                        "an API key starts with `sk-`".to_owned(),
                    );
                    return out.write(&reply);
                }
                self.signed_in = Some(AuthMode::ApiKey);
                let reply = self
                    .connection
                    .respond(
                        &request,
                        &ClientResponse::LoginApiKey(LoginApiKeyResponse {}),
                    )
                    .expect("the response of this request");
                out.write(&reply)?;
                let notification =
                    self.connection
                        .notify::<AuthStatusChange>(AuthStatusChangeNotification {
                            auth_method: self.signed_in,
                        });
                return out.send("authStatusChange", notification);
            }
            // The example implements a few methods; the protocol has more.
            _ => {
                let reply = self.error(
                    request.id().clone(),
                    ErrorCode::MethodNotFound,
                    format!("`{}` is not implemented by this server", request.method()),
                );
                return out.write(&reply);
            }
        };
        let reply = self
            .connection
            .respond(&request, &response)
            .expect("the response of this request");
        out.write(&reply)
    }

    fn notification<W: Write>(
        &mut self,
        notification: ClientNotification,
        out: &mut Output<W>,
    ) -> io::Result<()> {
        match notification {
            ClientNotification::Initialized => {
                if !self.initialized {
                    log(format_args!("`initialized` before `initialize`: ignored"));
                    return Ok(());
                }
                // The gate decides: only a client that opted in is asked.
                match self
                    .connection
                    .request::<AttestationGenerate>(AttestationGenerateParams {})
                {
                    Ok(request) => {
                        log(format_args!("asking for an attestation ({})", request.id()));
                        let encoded = self.connection.encode(&request).map(Some);
                        out.send(request.method(), encoded)
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
    let mut app = App {
        connection: Connection::new(),
        initialized: false,
        signed_in: None,
    };
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
        if let Err(err) = app.handle(&line, &mut out) {
            log(format_args!("cannot write stdout: {err}"));
            return ExitCode::FAILURE;
        }
    }
    log(format_args!("stdin closed; shutting down"));
    ExitCode::SUCCESS
}
