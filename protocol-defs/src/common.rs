//! Types the v1 protocol borrows from the rest of codex.
//!
//! codex defines these in other crates (`codex_protocol`,
//! `codex_utils_absolute_path`, the app-server protocol's `common` module).
//! Here they are written once more with `#[wire]`, in the shape codex's
//! published JSON Schemas give them on the wire. Note that several of them
//! are *not* camelCase: the tags are kebab-case or snake_case and the fields
//! of tagged variants stay snake_case, exactly as codex serialises them.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use protocol_macros::wire;

/// Identifier of a codex thread (conversation). A UUID, sent as a string.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct ThreadId(pub String);

impl ThreadId {
    pub fn new(id: impl Into<String>) -> Self {
        ThreadId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for ThreadId {
    fn from(id: String) -> Self {
        ThreadId(id)
    }
}

impl From<&str> for ThreadId {
    fn from(id: &str) -> Self {
        ThreadId(id.to_owned())
    }
}

/// A git commit hash, as a hex string.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct GitSha(pub String);

impl GitSha {
    pub fn new(sha: impl Into<String>) -> Self {
        GitSha(sha.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GitSha {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A path that is guaranteed to be absolute and normalized (though it is not
/// guaranteed to be canonicalized or exist on the filesystem).
///
/// On the wire it is a plain string. Deserializing a relative path fails:
/// there is no base path to resolve it against, so it must already be
/// absolute. `.` and `..` components are removed lexically.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(try_from = "PathBuf")]
pub struct AbsolutePathBuf(PathBuf);

/// The error for a path that is not absolute where an [`AbsolutePathBuf`] is
/// required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativePathError(PathBuf);

impl RelativePathError {
    /// The rejected path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

// The path is the peer's text when it was decoded: the message describes
// it and does not quote it (`path()` gives it to who needs it).
impl fmt::Display for RelativePathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected an absolute path, got a relative path of {} bytes",
            self.0.as_os_str().len()
        )
    }
}

impl std::error::Error for RelativePathError {}

impl AbsolutePathBuf {
    /// Accepts `path` if it is absolute, removing `.` and `..` components.
    pub fn new(path: impl Into<PathBuf>) -> Result<Self, RelativePathError> {
        let path = path.into();
        if !path.is_absolute() {
            return Err(RelativePathError(path));
        }
        Ok(AbsolutePathBuf(normalize(&path)))
    }

    pub fn as_path(&self) -> &Path {
        &self.0
    }

    pub fn into_path_buf(self) -> PathBuf {
        self.0
    }
}

/// Lexical normalization of an absolute path: drops `.`, resolves `..`
/// against the preceding component (never above the root).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl TryFrom<PathBuf> for AbsolutePathBuf {
    type Error = RelativePathError;

    fn try_from(path: PathBuf) -> Result<Self, Self::Error> {
        AbsolutePathBuf::new(path)
    }
}

impl TryFrom<&str> for AbsolutePathBuf {
    type Error = RelativePathError;

    fn try_from(path: &str) -> Result<Self, Self::Error> {
        AbsolutePathBuf::new(path)
    }
}

impl AsRef<Path> for AbsolutePathBuf {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl From<AbsolutePathBuf> for PathBuf {
    fn from(path: AbsolutePathBuf) -> Self {
        path.0
    }
}

/// Represents whether outbound network access is available to the agent.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkAccess {
    #[default]
    Restricted,
    Enabled,
}

/// Controls read access semantics for `workspace-write` sandbox policies.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
// Codex writes the fields of the struct variants snake_case.
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "snake_case"
)]
pub enum WorkspaceReadAccess {
    /// Preserve current behavior where all file-system paths are readable.
    FullReadAccess,
    /// Restrict reads to an explicit allowlist plus implicitly readable paths.
    RestrictedReadAccess {
        /// Additional folders that should be readable from inside the sandbox.
        #[serde(default)]
        readable_roots: Vec<AbsolutePathBuf>,
    },
}

/// Determines execution restrictions for model shell commands.
///
/// Tagged by `type` (kebab-case); the fields of the variants are snake_case.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
// Codex writes the fields of the struct variants snake_case.
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "snake_case"
)]
pub enum SandboxPolicy {
    /// No restrictions whatsoever. Use with caution.
    DangerFullAccess,
    /// Read-only access to the entire file-system.
    ReadOnly,
    /// Indicates the process is already in an external sandbox. Allows full
    /// disk access while honoring the provided network setting.
    ExternalSandbox {
        /// Whether the external sandbox permits outbound network traffic.
        #[serde(default)]
        network_access: NetworkAccess,
    },
    /// Same as `ReadOnly` but additionally grants write access to the current
    /// working directory ("workspace").
    WorkspaceWrite {
        /// Additional folders (beyond cwd and possibly TMPDIR) that should be
        /// writable from within the sandbox.
        #[serde(default)]
        writable_roots: Vec<AbsolutePathBuf>,
        /// Controls whether the workspace-write policy has full read access
        /// or an explicit read allowlist. Absent means full read access.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        read_access: Option<WorkspaceReadAccess>,
        /// When set to `true`, outbound network access is allowed. `false` by
        /// default.
        #[serde(default)]
        network_access: bool,
        /// When set to `true`, will NOT include the per-user `TMPDIR`
        /// environment variable among the default writable roots. Defaults to
        /// `false`.
        #[serde(default)]
        exclude_tmpdir_env_var: bool,
        /// When set to `true`, will NOT include the `/tmp` among the default
        /// writable roots on UNIX. Defaults to `false`.
        #[serde(default)]
        exclude_slash_tmp: bool,
    },
}

/// Determines the conditions under which the user is consulted to approve
/// running the command proposed by Codex.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum AskForApproval {
    /// Under this policy, only "known safe" commands—as determined by
    /// `is_safe_command()`—that **only read files** are auto‑approved.
    /// Everything else will ask the user to approve.
    #[serde(rename = "untrusted")]
    UnlessTrusted,
    /// DEPRECATED: *All* commands are auto‑approved, but they are expected to
    /// run inside a sandbox where network access is disabled and writes are
    /// confined to a specific set of paths. If the command fails, it will be
    /// escalated to the user to approve execution without a sandbox. Prefer
    /// `OnRequest` for interactive runs or `Never` for non-interactive runs.
    #[deprecated(
        note = "prefer `on-request` for interactive runs or `never` for non-interactive runs"
    )]
    OnFailure,
    /// The model decides when to ask the user for approval.
    OnRequest,
    /// Never ask the user to approve commands. Failures are immediately
    /// returned to the model, and never escalated to the user for approval.
    Never,
}

/// A change to one file, as proposed by an `apply_patch` call.
///
/// Tagged by `type` (snake_case); the fields are snake_case.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
// Codex writes the fields of the struct variants snake_case.
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "snake_case"
)]
pub enum FileChange {
    /// A new file with this content.
    Add { content: String },
    /// The file is deleted; `content` is what it held.
    Delete { content: String },
    /// The file is edited (and possibly moved).
    Update {
        unified_diff: String,
        /// Where the file moves to, if it is renamed.
        move_path: Option<PathBuf>,
    },
}

/// Proposed execpolicy change to allow commands starting with this prefix.
///
/// The `command` tokens form the prefix that would be added as an execpolicy
/// `prefix_rule(..., decision="allow")`, letting the agent bypass approval for
/// commands that start with this token sequence. On the wire it is the bare
/// array of tokens.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
#[serde(transparent)]
pub struct ExecPolicyAmendment {
    pub command: Vec<String>,
}

impl From<Vec<String>> for ExecPolicyAmendment {
    fn from(command: Vec<String>) -> Self {
        ExecPolicyAmendment { command }
    }
}

/// Whether a network policy rule allows or denies the host.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum NetworkPolicyRuleAction {
    Allow,
    Deny,
}

/// A network policy rule (allow/deny) for requests to one host.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPolicyAmendment {
    pub host: String,
    pub action: NetworkPolicyRuleAction,
}

/// User's decision in response to an ExecApprovalRequest.
///
/// Unit variants are bare snake_case strings; the variants with data are
/// externally tagged objects (`{"approved_execpolicy_amendment": {...}}`).
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
// Codex writes the fields of the struct variants snake_case.
#[serde(rename_all = "snake_case", rename_all_fields = "snake_case")]
pub enum ReviewDecision {
    /// User has approved this command and the agent should execute it.
    Approved,
    /// User has approved this command and wants to apply the proposed
    /// execpolicy amendment so future matching commands are permitted.
    ApprovedExecpolicyAmendment {
        proposed_execpolicy_amendment: ExecPolicyAmendment,
    },
    /// User has approved this request and wants future prompts in the same
    /// session-scoped approval cache to be automatically approved for the
    /// remainder of the session.
    ApprovedForSession,
    /// User chose to persist a network policy rule (allow/deny) for future
    /// requests to the same host.
    NetworkPolicyAmendment {
        network_policy_amendment: NetworkPolicyAmendment,
    },
    /// User has denied this command and the agent should not execute it, but
    /// it should continue the session and try something else.
    Denied,
    /// Automatic approval review timed out before reaching a decision.
    TimedOut,
    /// Automatic approval review failed before reaching a decision.
    Failed,
    /// User has denied this command and the agent should not do anything
    /// until the user's next command.
    Abort,
}

/// What a shell command does, as far as codex's command parser can tell.
///
/// Tagged by `type` (snake_case).
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParsedCommand {
    /// The command reads one file.
    Read {
        cmd: String,
        name: String,
        /// (Best effort) Path to the file being read by the command. When
        /// possible, this is an absolute path, though when relative, it
        /// should be resolved against the `cwd` that will be used to run the
        /// command to derive the absolute path.
        path: PathBuf,
    },
    /// The command lists files.
    ListFiles { cmd: String, path: Option<String> },
    /// The command searches files.
    Search {
        cmd: String,
        query: Option<String>,
        path: Option<String>,
    },
    /// Anything the parser does not recognise.
    Unknown { cmd: String },
}

/// The kind of sub-agent a session was spawned as.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
// Codex writes the fields of the struct variants snake_case.
#[serde(rename_all = "snake_case", rename_all_fields = "snake_case")]
pub enum SubAgentSource {
    /// A review sub-agent.
    Review,
    /// A context-compaction sub-agent.
    Compact,
    /// A sub-agent spawned by another thread.
    ThreadSpawn {
        parent_thread_id: ThreadId,
        /// Nesting depth below the root thread.
        depth: i32,
    },
    /// A memory-consolidation sub-agent.
    MemoryConsolidation,
    /// Any other kind of sub-agent, by name.
    Other(String),
}

/// Where a session was started from.
///
/// Unit variants are bare strings; a sub-agent session is
/// `{"subagent": <SubAgentSource>}`.
#[wire]
#[derive(Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SessionSource {
    Cli,
    #[serde(rename = "vscode")]
    VSCode,
    Exec,
    DesktopApp,
    Mcp,
    #[serde(rename = "subagent")]
    SubAgent(SubAgentSource),
    Unknown,
}

/// Why a turn was aborted.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum TurnAbortReason {
    /// The user interrupted the turn.
    Interrupted,
    /// A new turn replaced this one.
    Replaced,
    /// The review that ran in this turn ended.
    ReviewEnded,
}

/// Authentication mode for OpenAI-backed providers.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// OpenAI API key provided by the caller and stored by Codex.
    ApiKey,
    /// ChatGPT OAuth managed by Codex (tokens persisted and refreshed by
    /// Codex).
    Chatgpt,
    /// [UNSTABLE] FOR OPENAI INTERNAL USE ONLY - DO NOT USE.
    ///
    /// ChatGPT auth tokens are supplied by an external host app and are only
    /// stored in memory. Token refresh must be handled by the external host
    /// app.
    #[serde(rename = "chatgptAuthTokens")]
    #[experimental(
        "external-host auth tokens are for OpenAI's own hosts and may change without notice"
    )]
    ChatgptAuthTokens,
}

/// The login method a configuration forces.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ForcedLoginMethod {
    Chatgpt,
    Api,
}

/// A summary of the reasoning performed by the model. This can be useful for
/// debugging and understanding the model's reasoning process. See
/// <https://platform.openai.com/docs/guides/reasoning?api-mode=responses#reasoning-summaries>
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum ReasoningSummary {
    #[default]
    Auto,
    Concise,
    Detailed,
    /// Option to disable reasoning summaries.
    None,
}

/// The sandbox mode a configuration selects.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxMode {
    #[default]
    ReadOnly,
    WorkspaceWrite,
    DangerFullAccess,
}

/// Controls output length/detail on GPT-5 models via the Responses API.
/// Serialized with lowercase values to match the OpenAI API.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Verbosity {
    Low,
    #[default]
    Medium,
    High,
}

/// See <https://platform.openai.com/docs/guides/reasoning?api-mode=responses#get-started-with-reasoning>
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum ReasoningEffort {
    None,
    Minimal,
    Low,
    #[default]
    Medium,
    High,
    #[serde(rename = "xhigh")]
    XHigh,
}
