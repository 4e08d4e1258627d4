//! A small app server over stdio, built only on the registry's runtime:
//! newline-delimited JSON on stdin and stdout, a log on stderr.
//!
//! It answers `initialize`, `getAuthStatus` and `loginApiKey` with canned
//! data (a successful `loginApiKey` is followed by an `authStatusChange`
//! notification), answers every other request with a JSON-RPC error, and
//! once the client sends `initialized` asks it for an attestation through
//! the capability gate: only a client that set
//! `capabilities.requestAttestation` is asked. It is a `ServerHandler`,
//! served by `protocol_macros::runtime::Runtime`: the protocol's
//! `Connection<ServerSide>` under it decodes every line (and answers what
//! it cannot read, logged to stderr), records the capabilities `initialize` declares, admits
//! requests by the experimental gate, pairs responses, and encodes every
//! message sent for this client (experimental parts and opted-out
//! notifications left out). It exits when stdin closes.
//!
//! ```sh
//! cargo run -p tests --bin example-app-server
//! {"method":"initialize","id":0,"params":{"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use protocol_defs::common::{AbsolutePathBuf, AuthMode};
use protocol_defs::v1::*;
use protocol_defs::{AttestationGenerate, AuthStatusChange, ServerHandler, ServerSide};
use protocol_macros::runtime::Runtime;
use protocol_macros::ReceiveError;
use protocol_macros::{ErrorCode, JSONRPCErrorError, NotificationContext, RequestContext};

type Cx = RequestContext<ServerSide>;
type Answer<T> = Result<T, JSONRPCErrorError>;

fn log(line: std::fmt::Arguments<'_>) {
    eprintln!("example-app-server: {line}");
}

/// The app's state for its one connection.
#[derive(Default)]
struct App {
    initialized: AtomicBool,
    signed_in: Mutex<Option<AuthMode>>,
}

impl App {
    /// Every request but `initialize` waits for it.
    fn ready(&self, cx: &Cx) -> Answer<()> {
        log(format_args!("request {} `{}`", cx.id(), cx.method()));
        if self.initialized.load(Ordering::Acquire) {
            Ok(())
        } else {
            Err(JSONRPCErrorError::new(
                ErrorCode::InvalidRequest.code(),
                "send `initialize` first",
            ))
        }
    }

    fn signed_in(&self) -> Option<AuthMode> {
        *self.signed_in.lock().unwrap()
    }

    /// The example implements a few methods; the protocol has more.
    fn not_implemented<T>(&self, cx: &Cx) -> Answer<T> {
        self.ready(cx)?;
        cx.method_not_found()
    }
}

impl ServerHandler for App {
    async fn initialize(&self, cx: Cx, params: InitializeParams) -> Answer<InitializeResponse> {
        log(format_args!("request {} `{}`", cx.id(), cx.method()));
        if self.initialized.swap(true, Ordering::AcqRel) {
            return Err(JSONRPCErrorError::new(
                ErrorCode::InvalidRequest.code(),
                "`initialize` was already sent on this connection",
            ));
        }
        // The peer's text, escaped and bounded: no terminal escape reaches
        // the log.
        log(format_args!(
            "client {} {}",
            protocol_macros::peer_text::name(&params.client_info.name),
            protocol_macros::peer_text::name(&params.client_info.version)
        ));
        Ok(InitializeResponse {
            user_agent: "example-app-server/0.1.0".to_owned(),
            codex_home: AbsolutePathBuf::new("/home/example/.codex").expect("an absolute path"),
            platform_family: "unix".to_owned(),
            platform_os: "linux".to_owned(),
        })
    }

    async fn get_auth_status(
        &self,
        cx: Cx,
        _: GetAuthStatusParams,
    ) -> Answer<GetAuthStatusResponse> {
        self.ready(&cx)?;
        Ok(GetAuthStatusResponse {
            auth_method: self.signed_in(),
            auth_token: None,
            requires_openai_auth: Some(true),
        })
    }

    async fn login_api_key(
        &self,
        cx: Cx,
        params: LoginApiKeyParams,
    ) -> Answer<LoginApiKeyResponse> {
        self.ready(&cx)?;
        if !params.api_key.expose().starts_with("sk-") {
            return Err(JSONRPCErrorError::new(
                ErrorCode::InvalidParams.code(),
                "an API key starts with `sk-`",
            ));
        }
        *self.signed_in.lock().unwrap() = Some(AuthMode::ApiKey);
        let auth_method = self.signed_in();
        let peer = cx.peer().clone();
        cx.after_answer(async move {
            match peer
                .notify::<AuthStatusChange>(AuthStatusChangeNotification { auth_method })
                .await
            {
                Ok(true) => {}
                Ok(false) => log(format_args!(
                    "`authStatusChange` not delivered to this client"
                )),
                Err(error) => log(format_args!("not sent: {error}")),
            }
        });
        Ok(LoginApiKeyResponse {})
    }

    async fn get_conversation_summary(
        &self,
        cx: Cx,
        _: GetConversationSummaryParams,
    ) -> Answer<GetConversationSummaryResponse> {
        self.not_implemented(&cx)
    }

    async fn git_diff_to_remote(
        &self,
        cx: Cx,
        _: GitDiffToRemoteParams,
    ) -> Answer<GitDiffToRemoteResponse> {
        self.not_implemented(&cx)
    }

    async fn exec_one_off_command(
        &self,
        cx: Cx,
        _: ExecOneOffCommandParams,
    ) -> Answer<ExecOneOffCommandResponse> {
        self.not_implemented(&cx)
    }

    async fn get_user_saved_config(&self, cx: Cx) -> Answer<GetUserSavedConfigResponse> {
        self.not_implemented(&cx)
    }

    async fn interrupt_conversation(
        &self,
        cx: Cx,
        _: InterruptConversationParams,
    ) -> Answer<InterruptConversationResponse> {
        self.not_implemented(&cx)
    }

    async fn thread_archive(
        &self,
        cx: Cx,
        _: ThreadArchiveParams,
    ) -> Answer<ThreadArchiveResponse> {
        self.not_implemented(&cx)
    }

    async fn initialized(&self, cx: NotificationContext<ServerSide>) {
        if !self.initialized.load(Ordering::Acquire) {
            log(format_args!("`initialized` before `initialize`: ignored"));
            return;
        }
        // The gate decides: only a client that opted in is asked.
        let asked = match cx
            .peer()
            .send::<AttestationGenerate>(AttestationGenerateParams {})
        {
            Ok(asked) => asked,
            Err(refused) => {
                log(format_args!("not asking for an attestation: {refused}"));
                return;
            }
        };
        let id = asked.id().clone();
        log(format_args!("asking for an attestation ({id})"));
        match asked.await {
            Ok(attestation) => {
                let header = attestation.token.expose();
                log(format_args!(
                    "attestation {id}: {attestation:?} ({} bytes, forwarded as x-oai-attestation)",
                    header.len()
                ));
            }
            Err(error) => log(format_args!("attestation {id}: {error}")),
        }
    }
}

/// A line the runtime refused (it answered it already, when it could).
fn refused(err: &ReceiveError) {
    match err {
        ReceiveError::Response(_) => log(format_args!("{err}: response dropped")),
        _ => log(format_args!("{err}")),
    }
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let server = Runtime::<ServerSide>::new(App::default()).on_receive_error(refused);
    let served = runtime.block_on(server.serve_stdio());
    match served {
        Ok(()) => {
            log(format_args!("stdin closed; shutting down"));
            ExitCode::SUCCESS
        }
        Err(err) => {
            log(format_args!("cannot read stdin or write stdout: {err}"));
            ExitCode::FAILURE
        }
    }
}
