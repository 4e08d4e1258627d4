//! The v1 app-server types.
//!
//! The types, fields and serde settings follow codex's
//! `app-server-protocol/src/protocol/v1.rs`; `HashMap`s are `BTreeMap`s here
//! so that output is deterministic. A few types codex defines elsewhere (or
//! only one side of which the seed has) are defined here too; each says so.

use std::collections::BTreeMap;
use std::path::PathBuf;

use protocol_macros::wire;

use crate::common::{
    AbsolutePathBuf, AskForApproval, AuthMode, FileChange, ForcedLoginMethod, ParsedCommand,
    ReasoningEffort, ReasoningSummary, ReviewDecision, SandboxMode, SandboxPolicy, SessionSource,
    ThreadId, TurnAbortReason, Verbosity,
};

pub use crate::common::GitSha;

/// Params of `initialize`: who the client is and what it can do.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InitializeParams {
    pub client_info: ClientInfo,
    /// Capabilities the client declares; absent means none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<InitializeCapabilities>,
}

/// The client's name, display title and version.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientInfo {
    pub name: String,
    pub title: Option<String>,
    pub version: String,
}

/// Client-declared capabilities negotiated during initialize.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitializeCapabilities {
    /// Opt into receiving experimental API methods and fields.
    #[serde(default)]
    pub experimental_api: bool,
    /// Opt into `attestation/generate` requests for upstream `x-oai-attestation`.
    #[serde(default)]
    pub request_attestation: bool,
    /// Exact notification method names that should be suppressed for this
    /// connection (for example `thread/started`).
    pub opt_out_notification_methods: Option<Vec<String>>,
}

/// Result of `initialize`: facts about the server.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct InitializeResponse {
    pub user_agent: String,
    /// Absolute path to the server's $CODEX_HOME directory.
    pub codex_home: AbsolutePathBuf,
    /// Platform family for the running app-server target, for example
    /// `"unix"` or `"windows"`.
    pub platform_family: String,
    /// Operating system for the running app-server target, for example
    /// `"macos"`, `"linux"`, or `"windows"`.
    pub platform_os: String,
}

/// Params of `getConversationSummary`: the conversation, either by its rollout
/// file or by its id.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum GetConversationSummaryParams {
    /// `{"rolloutPath": ...}`: the conversation's rollout file.
    RolloutPath {
        #[serde(rename = "rolloutPath")]
        rollout_path: PathBuf,
    },
    /// `{"conversationId": ...}`: the conversation's id.
    ThreadId {
        #[serde(rename = "conversationId")]
        conversation_id: ThreadId,
    },
}

/// Result of `getConversationSummary`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetConversationSummaryResponse {
    pub summary: ConversationSummary,
}

/// What is known about one stored conversation.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationSummary {
    pub conversation_id: ThreadId,
    /// The conversation's rollout file.
    pub path: PathBuf,
    /// The start of the first user message.
    pub preview: String,
    /// When the conversation started (RFC 3339), if known.
    pub timestamp: Option<String>,
    /// When the conversation was last updated (RFC 3339), if known.
    pub updated_at: Option<String>,
    pub model_provider: String,
    pub cwd: PathBuf,
    /// Version of the codex CLI that recorded the conversation.
    pub cli_version: String,
    pub source: SessionSource,
    pub git_info: Option<ConversationGitInfo>,
}

/// The git state of a conversation's working directory. Its fields are
/// snake_case on the wire.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "snake_case")]
pub struct ConversationGitInfo {
    pub sha: Option<String>,
    pub branch: Option<String>,
    pub origin_url: Option<String>,
}

/// Params of `loginApiKey`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct LoginApiKeyParams {
    /// The OpenAI API key. A credential (`Secret`: never in `Debug` output).
    pub api_key: protocol_macros::Secret<String>,
}

/// Result of `loginApiKey`: an empty object.
///
/// Defined here: the seed has only the params side of this method.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginApiKeyResponse {}

/// Result of `gitDiffToRemote`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GitDiffToRemoteResponse {
    /// The remote commit the diff is taken against.
    pub sha: GitSha,
    pub diff: String,
}

/// Params of the server request `applyPatchApproval`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyPatchApprovalParams {
    pub conversation_id: ThreadId,
    /// Use to correlate this with [codex_protocol::protocol::PatchApplyBeginEvent]
    /// and [codex_protocol::protocol::PatchApplyEndEvent].
    pub call_id: String,
    /// The proposed change to each file, by path.
    pub file_changes: BTreeMap<PathBuf, FileChange>,
    /// Optional explanatory reason (e.g. request for extra write access).
    pub reason: Option<String>,
    /// When set, the agent is asking the user to allow writes under this root
    /// for the remainder of the session (unclear if this is honored today).
    pub grant_root: Option<PathBuf>,
}

/// Result of `applyPatchApproval`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyPatchApprovalResponse {
    pub decision: ReviewDecision,
}

/// Params of the server request `execCommandApproval`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ExecCommandApprovalParams {
    pub conversation_id: ThreadId,
    /// Use to correlate this with [codex_protocol::protocol::ExecCommandBeginEvent]
    /// and [codex_protocol::protocol::ExecCommandEndEvent].
    pub call_id: String,
    /// Identifier for this specific approval callback.
    pub approval_id: Option<String>,
    pub command: Vec<String>,
    pub cwd: PathBuf,
    pub reason: Option<String>,
    pub parsed_cmd: Vec<ParsedCommand>,
}

/// Result of `execCommandApproval`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ExecCommandApprovalResponse {
    pub decision: ReviewDecision,
}

/// Params of `gitDiffToRemote`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GitDiffToRemoteParams {
    pub cwd: PathBuf,
}

/// Params of `getAuthStatus`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetAuthStatusParams {
    /// Whether to include the auth token in the response.
    pub include_token: Option<bool>,
    /// Whether to refresh the token before answering.
    pub refresh_token: Option<bool>,
}

/// Params of `execOneOffCommand`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ExecOneOffCommandParams {
    pub command: Vec<String>,
    pub timeout_ms: Option<u64>,
    pub cwd: Option<PathBuf>,
    pub sandbox_policy: Option<SandboxPolicy>,
    /// Truncate stdout and stderr after this many bytes each.
    #[experimental("output capping is new; its unit and truncation marker may still change")]
    #[since("0.2")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bytes_cap: Option<u64>,
}

/// Result of `execOneOffCommand`.
///
/// Defined here: the seed has only the params side of this method.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOneOffCommandResponse {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Result of `getAuthStatus`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetAuthStatusResponse {
    pub auth_method: Option<AuthMode>,
    /// The auth token, when `includeToken` was requested. A credential
    /// (`Secret`: never in `Debug` output).
    pub auth_token: Option<protocol_macros::Secret<String>>,
    pub requires_openai_auth: Option<bool>,
}

/// Result of `getUserSavedConfig`.
///
/// Defined here: the seed has only [`UserSavedConfig`], not the response that
/// wraps it.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct GetUserSavedConfigResponse {
    pub config: UserSavedConfig,
}

/// The user's saved configuration (`config.toml`), as far as clients see it.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct UserSavedConfig {
    pub approval_policy: Option<AskForApproval>,
    pub sandbox_mode: Option<SandboxMode>,
    pub sandbox_settings: Option<SandboxSettings>,
    pub forced_chatgpt_workspace_id: Option<String>,
    pub forced_login_method: Option<ForcedLoginMethod>,
    pub model: Option<String>,
    pub model_reasoning_effort: Option<ReasoningEffort>,
    pub model_reasoning_summary: Option<ReasoningSummary>,
    pub model_verbosity: Option<Verbosity>,
    pub tools: Option<Tools>,
    /// The active profile, by name.
    pub profile: Option<String>,
    /// Named configuration profiles.
    pub profiles: BTreeMap<String, Profile>,
}

/// A named configuration profile.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub model: Option<String>,
    pub model_provider: Option<String>,
    pub approval_policy: Option<AskForApproval>,
    pub model_reasoning_effort: Option<ReasoningEffort>,
    pub model_reasoning_summary: Option<ReasoningSummary>,
    pub model_verbosity: Option<Verbosity>,
    pub chatgpt_base_url: Option<String>,
}

/// Which optional tools are enabled.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Tools {
    pub web_search: Option<bool>,
    pub view_image: Option<bool>,
}

/// Settings for the `workspace-write` sandbox mode.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxSettings {
    #[serde(default)]
    pub writable_roots: Vec<AbsolutePathBuf>,
    pub network_access: Option<bool>,
    pub exclude_tmpdir_env_var: Option<bool>,
    pub exclude_slash_tmp: Option<bool>,
}

/// Params of `interruptConversation`.
///
/// Defined here: the seed has only the response side of this method.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct InterruptConversationParams {
    pub conversation_id: ThreadId,
}

/// Result of `interruptConversation`: why the running turn stopped.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct InterruptConversationResponse {
    pub abort_reason: TurnAbortReason,
}

/// Params of the server request `attestation/generate`: an empty object.
///
/// Defined here: the seed has only the capability that enables this request.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttestationGenerateParams {}

/// Result of `attestation/generate`.
///
/// Defined here: the seed has only the capability that enables this request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationGenerateResponse {
    /// Opaque client attestation token, which the server forwards as the
    /// `x-oai-attestation` header on its upstream requests. A credential
    /// (`Secret`: never in `Debug` output).
    pub token: protocol_macros::Secret<String>,
}

/// Params of the server notification `authStatusChange`: the current
/// authentication method.
///
/// Defined here: the seed has only the types it refers to.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AuthStatusChangeNotification {
    /// The current authentication method; `null` when signed out.
    pub auth_method: Option<AuthMode>,
}

/// Params of `thread/archive`: the thread to archive.
///
/// Defined here, with the experimental method that uses it.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadArchiveParams {
    pub thread_id: ThreadId,
}

/// Result of `thread/archive`: an empty object once the thread is archived.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadArchiveResponse {}

/// Params of `account/rateLimitsUpdated`: how much of the account's rate
/// limit window is used.
///
/// Defined here, with the experimental notification that carries it.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitsUpdatedNotification {
    /// Percentage of the primary window used, from 0 to 100.
    pub used_percent: f64,
    /// Minutes until the window resets, if known.
    pub resets_in_minutes: Option<u32>,
}
