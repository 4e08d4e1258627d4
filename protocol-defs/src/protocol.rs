//! The methods of the protocol, by direction and kind.
//!
//! Each variant is one method: its wire name, its params (the variant's
//! field; none for a method without params), its response type (requests)
//! and the client capability it needs, if any. The `#[protocol]` macro turns
//! this module into the wire message enums, one marker type per method
//! (`Initialize`, `AttestationGenerate`, …), the typed response enums
//! `ClientResponse` / `ServerResponse` and [`REGISTRY`](methods::REGISTRY).

#[protocol_macros::protocol(
    // Codex's wire: JSON-RPC 2.0 objects without the `jsonrpc` member.
    jsonrpc = "omit",
    // The client declares its capabilities in `initialize`'s params; the
    // server declares none.
    negotiation = "initialize",
    client_capabilities = "params.capabilities",
    experimental = "client.experimentalApi",
    opt_out = "client.optOutNotificationMethods"
)]
pub mod methods {
    use crate::v1::*;

    /// Requests the client sends to the server.
    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        /// Opens the session: the client introduces itself and declares its
        /// capabilities. Must be the first request on a connection.
        #[method("initialize", response = InitializeResponse)]
        Initialize(InitializeParams),

        /// Reads the summary of a stored conversation, by rollout path or by id.
        #[method("getConversationSummary", response = GetConversationSummaryResponse)]
        GetConversationSummary(GetConversationSummaryParams),

        /// Diffs the working tree at `cwd` against its remote.
        #[method("gitDiffToRemote", response = GitDiffToRemoteResponse)]
        GitDiffToRemote(GitDiffToRemoteParams),

        /// Signs in with an OpenAI API key.
        #[method("loginApiKey", response = LoginApiKeyResponse)]
        LoginApiKey(LoginApiKeyParams),

        /// Reports how the server is authenticated, optionally with the token.
        #[method("getAuthStatus", response = GetAuthStatusResponse)]
        GetAuthStatus(GetAuthStatusParams),

        /// Runs one command outside any conversation, under a sandbox policy.
        #[method("execOneOffCommand", response = ExecOneOffCommandResponse)]
        ExecOneOffCommand(ExecOneOffCommandParams),

        /// Reads the configuration the user saved in `config.toml`.
        #[method("getUserSavedConfig", response = GetUserSavedConfigResponse)]
        GetUserSavedConfig,

        /// Interrupts the running turn of a conversation.
        #[method(
            "interruptConversation",
            response = InterruptConversationResponse,
            deprecated = "interrupt the turn itself with the v2 `turn/interrupt` request"
        )]
        InterruptConversation(InterruptConversationParams),

        /// Archives a thread: it leaves the thread list but its rollout is
        /// kept.
        #[method(
            "thread/archive",
            response = ThreadArchiveResponse,
            experimental = "thread archiving is new; what an archived thread still allows may change",
            since = "0.2"
        )]
        ThreadArchive(ThreadArchiveParams),
    }

    /// Requests the server sends to the client.
    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        /// Asks the user to approve applying a patch.
        #[method("applyPatchApproval", response = ApplyPatchApprovalResponse)]
        ApplyPatchApproval(ApplyPatchApprovalParams),

        /// Asks the user to approve running a command.
        #[method("execCommandApproval", response = ExecCommandApprovalResponse)]
        ExecCommandApproval(ExecCommandApprovalParams),

        /// Asks the desktop app for a fresh attestation token, which the
        /// server forwards as `x-oai-attestation` on its upstream requests.
        /// Only sent to clients that set `capabilities.requestAttestation`.
        #[method(
            "attestation/generate",
            response = AttestationGenerateResponse,
            capability = "client.requestAttestation"
        )]
        AttestationGenerate(AttestationGenerateParams),
    }

    /// Notifications the client sends to the server.
    #[client_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientNotification {
        /// The client has processed the `initialize` response; the session is open.
        #[method("initialized")]
        Initialized,
    }

    /// Notifications the server sends to the client.
    #[server_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerNotification {
        /// The server's authentication changed (sign-in or sign-out).
        #[method("authStatusChange")]
        AuthStatusChange(AuthStatusChangeNotification),

        /// The account's rate-limit usage changed.
        #[method(
            "account/rateLimitsUpdated",
            experimental = "rate-limit reporting is new; its windows and units may change",
            since = "0.2"
        )]
        RateLimitsUpdated(RateLimitsUpdatedNotification),
    }
}
