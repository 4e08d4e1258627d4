//! Example values of every wire type of the app-server protocol, built with
//! the real Rust types: every enum variant and every `Option` both `Some`
//! and `None`. Each value keeps its type's serde round trip, so JSON derived
//! from it (a field left out, a `null`) can be checked against serde too.

// The deprecated `on-failure` approval policy is still on the wire.
#![allow(deprecated)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use protocol_defs::common::*;
use protocol_defs::methods::*;
use protocol_defs::v1::*;
use protocol_macros::{
    Connection, Dialect, JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification,
    JSONRPCRequest, JSONRPCResponse, Notification, Peer, Request, RequestId, Secret,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// How serde reads a type back: `Err` with serde's message if it cannot.
pub type Reader = Box<dyn Fn(&Value) -> Result<(), String>>;

/// The serialised values of one type, and how serde reads that type back.
pub struct TypeValues {
    pub values: Vec<Value>,
    /// Deserialises JSON as the type: `Err` with serde's message if it
    /// cannot.
    pub deserialize: Reader,
}

fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(value.clone())
        .map(drop)
        .map_err(|err| err.to_string())
}

/// Values by the name of their type's schema (which is the type's name in
/// the protocol model and in `generated/`).
#[derive(Default)]
pub struct Values {
    pub by_type: BTreeMap<String, TypeValues>,
}

impl Values {
    /// Serialises each of `values` with serde_json under `T`'s schema name.
    pub fn add<T: Serialize + DeserializeOwned + JsonSchema + 'static>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) {
        let name = T::schema_name().into_owned();
        let entry = self.by_type.entry(name).or_insert_with(|| TypeValues {
            values: Vec::new(),
            deserialize: Box::new(deserialize::<T>),
        });
        for value in values {
            let json = serde_json::to_value(&value)
                .unwrap_or_else(|err| panic!("serde_json cannot serialise a value: {err}"));
            if !entry.values.contains(&json) {
                entry.values.push(json);
            }
        }
    }

    /// Adds values of `T` already serialised (as a connection encodes them).
    pub fn add_json<T: DeserializeOwned + JsonSchema + 'static>(
        &mut self,
        values: impl IntoIterator<Item = Value>,
    ) {
        let name = T::schema_name().into_owned();
        let entry = self.by_type.entry(name).or_insert_with(|| TypeValues {
            values: Vec::new(),
            deserialize: Box::new(deserialize::<T>),
        });
        for json in values {
            if !entry.values.contains(&json) {
                entry.values.push(json);
            }
        }
    }
}

/// Every wire type of the protocol, message unions included, with values.
pub fn all() -> Values {
    let mut v = Values::default();
    // common
    v.add([thread_id()]);
    v.add([GitSha::new("0123abcd0123abcd0123abcd0123abcd0123abcd")]);
    v.add([abs("/home/user/.codex")]);
    v.add(network_accesses());
    v.add(workspace_read_accesses());
    v.add(sandbox_policies());
    v.add(ask_for_approvals());
    v.add(file_changes());
    v.add(exec_policy_amendments());
    v.add(network_policy_rule_actions());
    v.add(network_policy_amendments());
    v.add(review_decisions());
    v.add(parsed_commands());
    v.add(sub_agent_sources());
    v.add(session_sources());
    v.add(turn_abort_reasons());
    v.add(auth_modes());
    v.add(forced_login_methods());
    v.add(reasoning_summaries());
    v.add(sandbox_modes());
    v.add(verbosities());
    v.add(reasoning_efforts());
    // v1
    v.add(initialize_params());
    v.add(client_infos());
    v.add(initialize_capabilities());
    v.add(initialize_responses());
    v.add(get_conversation_summary_params());
    v.add(get_conversation_summary_responses());
    v.add(conversation_summaries());
    v.add(conversation_git_infos());
    v.add(login_api_key_params());
    v.add([LoginApiKeyResponse {}]);
    v.add(git_diff_to_remote_params());
    v.add(git_diff_to_remote_responses());
    v.add(apply_patch_approval_params());
    v.add(apply_patch_approval_responses());
    v.add(exec_command_approval_params());
    v.add(exec_command_approval_responses());
    v.add(get_auth_status_params());
    v.add(get_auth_status_responses());
    v.add(exec_one_off_command_params());
    v.add(exec_one_off_command_responses());
    v.add(get_user_saved_config_responses());
    v.add(user_saved_configs());
    v.add(profiles());
    v.add(tools());
    v.add(sandbox_settings());
    v.add(interrupt_conversation_params());
    v.add(interrupt_conversation_responses());
    v.add([AttestationGenerateParams {}]);
    v.add(attestation_generate_responses());
    v.add(auth_status_change_notifications());
    v.add(thread_archive_params());
    v.add([ThreadArchiveResponse {}]);
    v.add(rate_limits_updated_notifications());
    // the JSON-RPC envelope
    v.add(request_ids());
    v.add(jsonrpc_requests());
    v.add(jsonrpc_notifications());
    v.add(jsonrpc_responses());
    v.add(jsonrpc_errors());
    v.add(jsonrpc_error_errors());
    v.add(jsonrpc_messages());
    // the message unions
    v.add_json::<ClientRequest>(client_requests());
    v.add_json::<ServerRequest>(server_requests());
    v.add([ClientNotification::Initialized]);
    v.add_json::<ServerNotification>(server_notifications());
    // every method's conformance examples, so that a method added by the
    // README's steps has values without this file being touched
    v.add_conformance_examples();
    v
}

impl Values {
    /// `params.json` and `response.json` of every method, read back through
    /// the method's message union (params) or its typed response.
    fn add_conformance_examples(&mut self) {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol-defs/conformance");
        for set in REGISTRY.sets {
            for method in set.methods {
                self.add_message_example(set, method, &dir);
                for (part, ty) in [("params", method.params), ("response", method.response)] {
                    let Some(ty) = ty else { continue };
                    let path = dir.join(method.name).join(format!("{part}.json"));
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    let example: Value = serde_json::from_str(&text)
                        .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
                    let name = (ty.schema_name)().into_owned();
                    let (set_name, method_name) = (set.name, method.name);
                    let reader: Reader = if part == "params" {
                        Box::new(move |value| read_params(set_name, method_name, value))
                    } else {
                        Box::new(move |value| read_response(set_name, method_name, value))
                    };
                    let entry = self.by_type.entry(name).or_insert_with(|| TypeValues {
                        values: Vec::new(),
                        deserialize: reader,
                    });
                    if !entry.values.contains(&example) {
                        entry.values.push(example);
                    }
                }
            }
        }
    }
}

impl Values {
    /// The message of `method` with its conformance params (none for a
    /// method without), as a value of its message union.
    fn add_message_example(
        &mut self,
        set: &'static protocol_macros::MethodSetInfo,
        method: &'static protocol_macros::MethodInfo,
        dir: &std::path::Path,
    ) {
        let mut message = json!({ "method": method.name });
        if set.kind == protocol_macros::Kind::Request {
            message["id"] = json!(1);
        }
        if method.params.is_some() {
            let path = dir.join(method.name).join("params.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                return;
            };
            message["params"] = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        }
        let set_name = set.name;
        let entry = self
            .by_type
            .entry(set_name.to_owned())
            .or_insert_with(|| TypeValues {
                values: Vec::new(),
                deserialize: Box::new(move |value| read_message(set_name, value)),
            });
        if !entry.values.contains(&message) {
            entry.values.push(message);
        }
    }
}

/// Reads `message` as a message of the union `set`.
fn read_message(set: &str, message: &Value) -> Result<(), String> {
    use protocol_macros::{NotificationSet, RequestSet};
    let text = serde_json::to_vec(message).unwrap();
    let result = match set {
        "ClientRequest" => <ClientRequest as RequestSet>::decode(&text).map(drop),
        "ServerRequest" => <ServerRequest as RequestSet>::decode(&text).map(drop),
        "ClientNotification" => <ClientNotification as NotificationSet>::decode(&text).map(drop),
        _ => <ServerNotification as NotificationSet>::decode(&text).map(drop),
    };
    result.map_err(|err| err.message)
}

/// Reads `params` as the params of `method`, through its message union.
fn read_params(set: &str, method: &str, params: &Value) -> Result<(), String> {
    use protocol_macros::{NotificationSet, RequestSet};
    let mut message = json!({ "method": method, "params": params });
    let text = |message: &Value| serde_json::to_vec(message).unwrap();
    let result = match set {
        "ClientRequest" | "ServerRequest" => {
            message["id"] = json!(1);
            if set == "ClientRequest" {
                <ClientRequest as RequestSet>::decode(&text(&message)).map(drop)
            } else {
                <ServerRequest as RequestSet>::decode(&text(&message)).map(drop)
            }
        }
        "ClientNotification" => {
            <ClientNotification as NotificationSet>::decode(&text(&message)).map(drop)
        }
        _ => <ServerNotification as NotificationSet>::decode(&text(&message)).map(drop),
    };
    result.map_err(|err| err.message)
}

/// Reads `result` as the response of request `method`.
fn read_response(set: &str, method: &str, result: &Value) -> Result<(), String> {
    use protocol_macros::RequestSet;
    let read = if set == "ClientRequest" {
        <ClientRequest as RequestSet>::decode_response_for(method, result.clone()).map(drop)
    } else {
        <ServerRequest as RequestSet>::decode_response_for(method, result.clone()).map(drop)
    };
    read.map_err(|err| err.to_string())
}

// ---------------------------------------------------------------------------
// Types the reference examples do not build.

pub fn exec_policy_amendments() -> Vec<ExecPolicyAmendment> {
    vec![
        vec!["cargo".to_owned(), "test".to_owned()].into(),
        ExecPolicyAmendment { command: vec![] },
    ]
}

pub fn get_conversation_summary_params() -> Vec<GetConversationSummaryParams> {
    vec![
        GetConversationSummaryParams::RolloutPath {
            rollout_path: PathBuf::from("/home/user/.codex/sessions/rollout.jsonl"),
        },
        GetConversationSummaryParams::ThreadId {
            conversation_id: thread_id(),
        },
    ]
}

pub fn get_conversation_summary_responses() -> Vec<GetConversationSummaryResponse> {
    conversation_summaries()
        .into_iter()
        .map(|summary| GetConversationSummaryResponse { summary })
        .collect()
}

pub fn login_api_key_params() -> Vec<LoginApiKeyParams> {
    vec![LoginApiKeyParams {
        api_key: "sk-test-123".to_owned().into(),
    }]
}

pub fn git_diff_to_remote_params() -> Vec<GitDiffToRemoteParams> {
    vec![GitDiffToRemoteParams {
        cwd: PathBuf::from("/repo"),
    }]
}

pub fn git_diff_to_remote_responses() -> Vec<GitDiffToRemoteResponse> {
    vec![GitDiffToRemoteResponse {
        sha: GitSha::new("0123abcd"),
        diff: "diff --git a/x b/x\n".into(),
    }]
}

pub fn apply_patch_approval_responses() -> Vec<ApplyPatchApprovalResponse> {
    review_decisions()
        .into_iter()
        .map(|decision| ApplyPatchApprovalResponse { decision })
        .collect()
}

pub fn exec_command_approval_responses() -> Vec<ExecCommandApprovalResponse> {
    review_decisions()
        .into_iter()
        .map(|decision| ExecCommandApprovalResponse { decision })
        .collect()
}

pub fn get_auth_status_params() -> Vec<GetAuthStatusParams> {
    vec![
        GetAuthStatusParams {
            include_token: Some(true),
            refresh_token: Some(false),
        },
        GetAuthStatusParams {
            include_token: None,
            refresh_token: None,
        },
    ]
}

pub fn get_auth_status_responses() -> Vec<GetAuthStatusResponse> {
    let mut out = vec![GetAuthStatusResponse {
        auth_method: None,
        auth_token: None,
        requires_openai_auth: None,
    }];
    for auth_method in auth_modes() {
        out.push(GetAuthStatusResponse {
            auth_method: Some(auth_method),
            auth_token: Some("token".to_owned().into()),
            requires_openai_auth: Some(true),
        });
    }
    out
}

pub fn exec_one_off_command_responses() -> Vec<ExecOneOffCommandResponse> {
    vec![
        ExecOneOffCommandResponse {
            exit_code: 0,
            stdout: "ok\n".into(),
            stderr: String::new(),
        },
        ExecOneOffCommandResponse {
            exit_code: -1,
            stdout: String::new(),
            stderr: "killed\n".into(),
        },
    ]
}

pub fn get_user_saved_config_responses() -> Vec<GetUserSavedConfigResponse> {
    user_saved_configs()
        .into_iter()
        .map(|config| GetUserSavedConfigResponse { config })
        .collect()
}

pub fn interrupt_conversation_params() -> Vec<InterruptConversationParams> {
    vec![InterruptConversationParams {
        conversation_id: thread_id(),
    }]
}

pub fn interrupt_conversation_responses() -> Vec<InterruptConversationResponse> {
    turn_abort_reasons()
        .into_iter()
        .map(|abort_reason| InterruptConversationResponse { abort_reason })
        .collect()
}

pub fn attestation_generate_responses() -> Vec<AttestationGenerateResponse> {
    vec![AttestationGenerateResponse {
        token: Secret::new("v1.abc".to_owned()),
    }]
}

pub fn auth_status_change_notifications() -> Vec<AuthStatusChangeNotification> {
    let mut out = vec![AuthStatusChangeNotification { auth_method: None }];
    out.extend(
        auth_modes()
            .into_iter()
            .map(|auth_method| AuthStatusChangeNotification {
                auth_method: Some(auth_method),
            }),
    );
    out
}

// ---------------------------------------------------------------------------
// The JSON-RPC envelope.

pub fn request_ids() -> Vec<RequestId> {
    vec![RequestId::Integer(7), RequestId::from("req-7")]
}

pub fn jsonrpc_requests() -> Vec<JSONRPCRequest> {
    vec![
        JSONRPCRequest {
            jsonrpc: Dialect::Omitted,
            id: RequestId::Integer(1),
            method: "initialize".into(),
            params: Some(json!({ "clientInfo": { "name": "x", "version": "1" } })),
        },
        JSONRPCRequest {
            jsonrpc: Dialect::Omitted,
            id: RequestId::from("a"),
            method: "getUserSavedConfig".into(),
            params: None,
        },
    ]
}

pub fn jsonrpc_notifications() -> Vec<JSONRPCNotification> {
    vec![
        JSONRPCNotification {
            jsonrpc: Dialect::Omitted,
            method: "authStatusChange".into(),
            params: Some(json!({ "authMethod": null })),
        },
        JSONRPCNotification {
            jsonrpc: Dialect::Omitted,
            method: "initialized".into(),
            params: None,
        },
    ]
}

pub fn jsonrpc_responses() -> Vec<JSONRPCResponse> {
    vec![
        JSONRPCResponse {
            jsonrpc: Dialect::Omitted,
            id: RequestId::Integer(1),
            result: json!({ "config": {} }),
        },
        JSONRPCResponse {
            jsonrpc: Dialect::Omitted,
            id: RequestId::from("b"),
            result: Value::Null,
        },
    ]
}

pub fn jsonrpc_error_errors() -> Vec<JSONRPCErrorError> {
    vec![
        JSONRPCErrorError {
            code: -32601,
            message: "method not found".into(),
            data: None,
        },
        JSONRPCErrorError {
            code: -32602,
            message: "invalid params".into(),
            data: Some(json!(["params", 1, true, null])),
        },
    ]
}

pub fn jsonrpc_errors() -> Vec<JSONRPCError> {
    jsonrpc_error_errors()
        .into_iter()
        .zip(request_ids().into_iter().cycle())
        .map(|(error, id)| JSONRPCError {
            jsonrpc: Dialect::Omitted,
            error,
            id,
        })
        .collect()
}

pub fn jsonrpc_messages() -> Vec<JSONRPCMessage> {
    let mut out = Vec::new();
    out.extend(jsonrpc_requests().into_iter().map(JSONRPCMessage::Request));
    out.extend(
        jsonrpc_notifications()
            .into_iter()
            .map(JSONRPCMessage::Notification),
    );
    out.extend(
        jsonrpc_responses()
            .into_iter()
            .map(JSONRPCMessage::Response),
    );
    out.extend(jsonrpc_errors().into_iter().map(JSONRPCMessage::Error));
    out
}

// ---------------------------------------------------------------------------
// The message unions, built the way a sender builds them.

/// A connection whose client declared every capability: every method may
/// be sent on it.
fn connection<P: Peer>() -> Connection<P> {
    Connection::negotiated_for_tests(
        Some(json!({ "requestAttestation": true, "experimentalApi": true })),
        None,
    )
}

/// One message of method `M` per params value, as `P`'s connection encodes
/// it, ids alternating between an integer and a string.
fn requests<P: Peer, M: Request<Set = P::Requests>>(params: Vec<M::Params>) -> Vec<Value> {
    let mut connection = connection::<P>();
    params
        .into_iter()
        .zip(request_ids().into_iter().cycle())
        .map(|(params, id)| {
            let request = connection.request::<M>(params).expect("granted");
            let mut json: Value =
                serde_json::from_slice(&connection.encode(&request).expect("encoded"))
                    .expect("JSON");
            json["id"] = serde_json::to_value(id).expect("an id");
            json
        })
        .collect()
}

fn notifications<P: Peer, M: Notification<Set = P::Notifications>>(
    params: Vec<M::Params>,
) -> Vec<Value> {
    let connection = connection::<P>();
    params
        .into_iter()
        .map(|params| {
            let text = connection
                .notify::<M>(params)
                .expect("encoded")
                .expect("delivered");
            serde_json::from_slice(&text).expect("JSON")
        })
        .collect()
}

pub fn client_requests() -> Vec<Value> {
    let mut out = Vec::new();
    out.extend(requests::<ClientSide, Initialize>(initialize_params()));
    out.extend(requests::<ClientSide, GetConversationSummary>(
        get_conversation_summary_params(),
    ));
    out.extend(requests::<ClientSide, GitDiffToRemote>(
        git_diff_to_remote_params(),
    ));
    out.extend(requests::<ClientSide, LoginApiKey>(login_api_key_params()));
    out.extend(requests::<ClientSide, GetAuthStatus>(
        get_auth_status_params(),
    ));
    out.extend(requests::<ClientSide, ExecOneOffCommand>(
        exec_one_off_command_params(),
    ));
    out.extend(requests::<ClientSide, GetUserSavedConfig>(vec![(), ()]));
    out.extend(requests::<ClientSide, InterruptConversation>(
        interrupt_conversation_params(),
    ));
    out.extend(requests::<ClientSide, ThreadArchive>(
        thread_archive_params(),
    ));
    out
}

pub fn server_requests() -> Vec<Value> {
    let mut out = Vec::new();
    out.extend(requests::<ServerSide, ApplyPatchApproval>(
        apply_patch_approval_params(),
    ));
    out.extend(requests::<ServerSide, ExecCommandApproval>(
        exec_command_approval_params(),
    ));
    out.extend(requests::<ServerSide, AttestationGenerate>(vec![
        AttestationGenerateParams {},
    ]));
    out
}

pub fn server_notifications() -> Vec<Value> {
    let mut out = notifications::<ServerSide, AuthStatusChange>(auth_status_change_notifications());
    out.extend(notifications::<ServerSide, RateLimitsUpdated>(
        rate_limits_updated_notifications(),
    ));
    out
}

pub fn thread_archive_params() -> Vec<ThreadArchiveParams> {
    vec![ThreadArchiveParams {
        thread_id: thread_id(),
    }]
}

pub fn rate_limits_updated_notifications() -> Vec<RateLimitsUpdatedNotification> {
    vec![
        RateLimitsUpdatedNotification {
            used_percent: 42.5,
            resets_in_minutes: Some(17),
        },
        RateLimitsUpdatedNotification {
            used_percent: 100.0,
            resets_in_minutes: None,
        },
    ]
}

// ---------------------------------------------------------------------------
// The reference conformance examples (tests/tests/it/reference_conformance.rs).

pub fn abs(path: &str) -> AbsolutePathBuf {
    AbsolutePathBuf::new(path).expect("absolute path")
}

pub fn thread_id() -> ThreadId {
    ThreadId::new("67e55044-10b1-426f-9247-bb680e5fe0c8")
}

pub fn network_accesses() -> Vec<NetworkAccess> {
    vec![NetworkAccess::Restricted, NetworkAccess::Enabled]
}

pub fn workspace_read_accesses() -> Vec<WorkspaceReadAccess> {
    vec![
        WorkspaceReadAccess::FullReadAccess,
        WorkspaceReadAccess::RestrictedReadAccess {
            readable_roots: vec![],
        },
        WorkspaceReadAccess::RestrictedReadAccess {
            readable_roots: vec![abs("/srv/data"), abs("/opt/tools")],
        },
    ]
}

pub fn sandbox_policies() -> Vec<SandboxPolicy> {
    let mut out = vec![SandboxPolicy::DangerFullAccess, SandboxPolicy::ReadOnly];
    out.extend(
        network_accesses()
            .into_iter()
            .map(|network_access| SandboxPolicy::ExternalSandbox { network_access }),
    );
    out.push(SandboxPolicy::WorkspaceWrite {
        writable_roots: vec![],
        read_access: None,
        network_access: false,
        exclude_tmpdir_env_var: false,
        exclude_slash_tmp: false,
    });
    for read_access in workspace_read_accesses() {
        out.push(SandboxPolicy::WorkspaceWrite {
            writable_roots: vec![abs("/work/extra")],
            read_access: Some(read_access),
            network_access: true,
            exclude_tmpdir_env_var: true,
            exclude_slash_tmp: true,
        });
    }
    out
}

pub fn ask_for_approvals() -> Vec<AskForApproval> {
    vec![
        AskForApproval::UnlessTrusted,
        AskForApproval::OnFailure,
        AskForApproval::OnRequest,
        AskForApproval::Never,
    ]
}

pub fn file_changes() -> Vec<FileChange> {
    vec![
        FileChange::Add {
            content: "fn main() {}\n".into(),
        },
        FileChange::Delete {
            content: "old\n".into(),
        },
        FileChange::Update {
            unified_diff: "@@ -1 +1 @@\n-a\n+b\n".into(),
            move_path: None,
        },
        FileChange::Update {
            unified_diff: String::new(),
            move_path: Some(PathBuf::from("/repo/src/new_name.rs")),
        },
    ]
}

pub fn network_policy_rule_actions() -> Vec<NetworkPolicyRuleAction> {
    vec![
        NetworkPolicyRuleAction::Allow,
        NetworkPolicyRuleAction::Deny,
    ]
}

pub fn network_policy_amendments() -> Vec<NetworkPolicyAmendment> {
    network_policy_rule_actions()
        .into_iter()
        .map(|action| NetworkPolicyAmendment {
            host: "api.example.com".into(),
            action,
        })
        .collect()
}

pub fn review_decisions() -> Vec<ReviewDecision> {
    let mut out = vec![
        ReviewDecision::Approved,
        ReviewDecision::ApprovedExecpolicyAmendment {
            proposed_execpolicy_amendment: vec!["cargo".to_owned(), "test".to_owned()].into(),
        },
        ReviewDecision::ApprovedExecpolicyAmendment {
            proposed_execpolicy_amendment: ExecPolicyAmendment { command: vec![] },
        },
        ReviewDecision::ApprovedForSession,
        ReviewDecision::Denied,
        ReviewDecision::TimedOut,
        ReviewDecision::Failed,
        ReviewDecision::Abort,
    ];
    out.extend(
        network_policy_amendments()
            .into_iter()
            .map(
                |network_policy_amendment| ReviewDecision::NetworkPolicyAmendment {
                    network_policy_amendment,
                },
            ),
    );
    out
}

pub fn parsed_commands() -> Vec<ParsedCommand> {
    vec![
        ParsedCommand::Read {
            cmd: "cat README.md".into(),
            name: "README.md".into(),
            path: PathBuf::from("README.md"),
        },
        ParsedCommand::ListFiles {
            cmd: "ls".into(),
            path: None,
        },
        ParsedCommand::ListFiles {
            cmd: "ls src".into(),
            path: Some("src".into()),
        },
        ParsedCommand::Search {
            cmd: "rg".into(),
            query: None,
            path: None,
        },
        ParsedCommand::Search {
            cmd: "rg foo src".into(),
            query: Some("foo".into()),
            path: Some("src".into()),
        },
        ParsedCommand::Unknown {
            cmd: "make -j8".into(),
        },
    ]
}

pub fn sub_agent_sources() -> Vec<SubAgentSource> {
    vec![
        SubAgentSource::Review,
        SubAgentSource::Compact,
        SubAgentSource::ThreadSpawn {
            parent_thread_id: thread_id(),
            depth: 2,
        },
        SubAgentSource::MemoryConsolidation,
        SubAgentSource::Other("custom-agent".into()),
    ]
}

pub fn session_sources() -> Vec<SessionSource> {
    let mut out = vec![
        SessionSource::Cli,
        SessionSource::VSCode,
        SessionSource::Exec,
        SessionSource::DesktopApp,
        SessionSource::Mcp,
        SessionSource::Unknown,
    ];
    out.extend(sub_agent_sources().into_iter().map(SessionSource::SubAgent));
    out
}

pub fn forced_login_methods() -> Vec<ForcedLoginMethod> {
    vec![ForcedLoginMethod::Chatgpt, ForcedLoginMethod::Api]
}

pub fn reasoning_summaries() -> Vec<ReasoningSummary> {
    vec![
        ReasoningSummary::Auto,
        ReasoningSummary::Concise,
        ReasoningSummary::Detailed,
        ReasoningSummary::None,
    ]
}

pub fn sandbox_modes() -> Vec<SandboxMode> {
    vec![
        SandboxMode::ReadOnly,
        SandboxMode::WorkspaceWrite,
        SandboxMode::DangerFullAccess,
    ]
}

pub fn verbosities() -> Vec<Verbosity> {
    vec![Verbosity::Low, Verbosity::Medium, Verbosity::High]
}

pub fn reasoning_efforts() -> Vec<ReasoningEffort> {
    vec![
        ReasoningEffort::None,
        ReasoningEffort::Minimal,
        ReasoningEffort::Low,
        ReasoningEffort::Medium,
        ReasoningEffort::High,
        ReasoningEffort::XHigh,
    ]
}

pub fn turn_abort_reasons() -> Vec<TurnAbortReason> {
    vec![
        TurnAbortReason::Interrupted,
        TurnAbortReason::Replaced,
        TurnAbortReason::ReviewEnded,
    ]
}

pub fn auth_modes() -> Vec<AuthMode> {
    vec![
        AuthMode::ApiKey,
        AuthMode::Chatgpt,
        AuthMode::ChatgptAuthTokens,
    ]
}

pub fn client_infos() -> Vec<ClientInfo> {
    vec![
        ClientInfo {
            name: "codex-desktop".into(),
            title: Some("Codex Desktop".into()),
            version: "1.2.3".into(),
        },
        ClientInfo {
            name: "cli".into(),
            title: None,
            version: "0.1.0".into(),
        },
    ]
}

pub fn initialize_capabilities() -> Vec<InitializeCapabilities> {
    vec![
        InitializeCapabilities::default(),
        InitializeCapabilities {
            experimental_api: true,
            request_attestation: true,
            opt_out_notification_methods: Some(vec!["thread/started".into()]),
        },
        InitializeCapabilities {
            experimental_api: false,
            request_attestation: true,
            opt_out_notification_methods: Some(vec![]),
        },
    ]
}

pub fn initialize_params() -> Vec<InitializeParams> {
    let mut out = Vec::new();
    for client_info in client_infos() {
        out.push(InitializeParams {
            client_info: client_info.clone(),
            capabilities: None,
        });
        for capabilities in initialize_capabilities() {
            out.push(InitializeParams {
                client_info: client_info.clone(),
                capabilities: Some(capabilities),
            });
        }
    }
    out
}

pub fn initialize_responses() -> Vec<InitializeResponse> {
    vec![InitializeResponse {
        user_agent: "codex_app_server/0.1.0".into(),
        codex_home: abs("/home/user/.codex"),
        platform_family: "unix".into(),
        platform_os: "linux".into(),
    }]
}

pub fn conversation_git_infos() -> Vec<ConversationGitInfo> {
    vec![
        ConversationGitInfo {
            sha: Some("0123abcd".into()),
            branch: Some("main".into()),
            origin_url: Some("https://github.com/openai/codex.git".into()),
        },
        ConversationGitInfo {
            sha: None,
            branch: None,
            origin_url: None,
        },
    ]
}

pub fn conversation_summaries() -> Vec<ConversationSummary> {
    let base = ConversationSummary {
        conversation_id: thread_id(),
        path: PathBuf::from("/home/user/.codex/sessions/rollout.jsonl"),
        preview: "fix the tests".into(),
        timestamp: Some("2025-01-01T00:00:00Z".into()),
        updated_at: Some("2025-01-02T00:00:00Z".into()),
        model_provider: "openai".into(),
        cwd: PathBuf::from("/repo"),
        cli_version: "0.50.0".into(),
        source: SessionSource::Cli,
        git_info: None,
    };
    let mut out = vec![ConversationSummary {
        timestamp: None,
        updated_at: None,
        ..base.clone()
    }];
    for git_info in conversation_git_infos() {
        out.push(ConversationSummary {
            git_info: Some(git_info),
            ..base.clone()
        });
    }
    for source in session_sources() {
        out.push(ConversationSummary {
            source,
            ..base.clone()
        });
    }
    out
}

pub fn exec_one_off_command_params() -> Vec<ExecOneOffCommandParams> {
    let mut out = vec![
        ExecOneOffCommandParams {
            command: vec!["ls".into(), "-la".into()],
            timeout_ms: None,
            cwd: None,
            sandbox_policy: None,
            output_bytes_cap: None,
        },
        ExecOneOffCommandParams {
            command: vec![],
            timeout_ms: Some(u64::MAX),
            cwd: Some(PathBuf::from("/tmp")),
            sandbox_policy: None,
            output_bytes_cap: Some(65_536),
        },
    ];
    for policy in sandbox_policies() {
        out.push(ExecOneOffCommandParams {
            command: vec!["true".into()],
            timeout_ms: Some(10_000),
            cwd: Some(PathBuf::from("relative/dir")),
            sandbox_policy: Some(policy),
            output_bytes_cap: None,
        });
    }
    out
}

pub fn tools() -> Vec<Tools> {
    vec![
        Tools {
            web_search: Some(true),
            view_image: Some(false),
        },
        Tools {
            web_search: None,
            view_image: None,
        },
    ]
}

pub fn sandbox_settings() -> Vec<SandboxSettings> {
    vec![
        SandboxSettings {
            writable_roots: vec![abs("/work"), abs("/var/cache")],
            network_access: Some(true),
            exclude_tmpdir_env_var: Some(false),
            exclude_slash_tmp: Some(true),
        },
        SandboxSettings {
            writable_roots: vec![],
            network_access: None,
            exclude_tmpdir_env_var: None,
            exclude_slash_tmp: None,
        },
    ]
}

pub fn profiles() -> Vec<Profile> {
    let empty = Profile {
        model: None,
        model_provider: None,
        approval_policy: None,
        model_reasoning_effort: None,
        model_reasoning_summary: None,
        model_verbosity: None,
        chatgpt_base_url: None,
    };
    let full = Profile {
        model: Some("gpt-5".into()),
        model_provider: Some("openai".into()),
        approval_policy: Some(AskForApproval::OnRequest),
        model_reasoning_effort: Some(ReasoningEffort::High),
        model_reasoning_summary: Some(ReasoningSummary::Detailed),
        model_verbosity: Some(Verbosity::Low),
        chatgpt_base_url: Some("https://chatgpt.com/backend-api/".into()),
    };
    let mut out = vec![empty.clone(), full];
    out.extend(ask_for_approvals().into_iter().map(|a| Profile {
        approval_policy: Some(a),
        ..empty.clone()
    }));
    out.extend(reasoning_efforts().into_iter().map(|e| Profile {
        model_reasoning_effort: Some(e),
        ..empty.clone()
    }));
    out.extend(reasoning_summaries().into_iter().map(|s| Profile {
        model_reasoning_summary: Some(s),
        ..empty.clone()
    }));
    out.extend(verbosities().into_iter().map(|v| Profile {
        model_verbosity: Some(v),
        ..empty.clone()
    }));
    out
}

pub fn user_saved_configs() -> Vec<UserSavedConfig> {
    let empty = UserSavedConfig {
        approval_policy: None,
        sandbox_mode: None,
        sandbox_settings: None,
        forced_chatgpt_workspace_id: None,
        forced_login_method: None,
        model: None,
        model_reasoning_effort: None,
        model_reasoning_summary: None,
        model_verbosity: None,
        tools: None,
        profile: None,
        profiles: BTreeMap::new(),
    };
    let full = UserSavedConfig {
        approval_policy: Some(AskForApproval::Never),
        sandbox_mode: Some(SandboxMode::WorkspaceWrite),
        sandbox_settings: Some(sandbox_settings()[0].clone()),
        forced_chatgpt_workspace_id: Some("ws-123".into()),
        forced_login_method: Some(ForcedLoginMethod::Chatgpt),
        model: Some("gpt-5-codex".into()),
        model_reasoning_effort: Some(ReasoningEffort::Minimal),
        model_reasoning_summary: Some(ReasoningSummary::Concise),
        model_verbosity: Some(Verbosity::High),
        tools: Some(tools()[0].clone()),
        profile: Some("work".into()),
        profiles: profiles()
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("profile-{i}"), p))
            .collect(),
    };
    let mut out = vec![empty.clone(), full];
    out.extend(ask_for_approvals().into_iter().map(|a| UserSavedConfig {
        approval_policy: Some(a),
        ..empty.clone()
    }));
    out.extend(sandbox_modes().into_iter().map(|m| UserSavedConfig {
        sandbox_mode: Some(m),
        ..empty.clone()
    }));
    out.extend(sandbox_settings().into_iter().map(|s| UserSavedConfig {
        sandbox_settings: Some(s),
        ..empty.clone()
    }));
    out.extend(forced_login_methods().into_iter().map(|f| UserSavedConfig {
        forced_login_method: Some(f),
        ..empty.clone()
    }));
    out.extend(reasoning_efforts().into_iter().map(|e| UserSavedConfig {
        model_reasoning_effort: Some(e),
        ..empty.clone()
    }));
    out.extend(reasoning_summaries().into_iter().map(|s| UserSavedConfig {
        model_reasoning_summary: Some(s),
        ..empty.clone()
    }));
    out.extend(verbosities().into_iter().map(|v| UserSavedConfig {
        model_verbosity: Some(v),
        ..empty.clone()
    }));
    out.extend(tools().into_iter().map(|t| UserSavedConfig {
        tools: Some(t),
        ..empty.clone()
    }));
    out
}

pub fn apply_patch_approval_params() -> Vec<ApplyPatchApprovalParams> {
    let changes: BTreeMap<PathBuf, FileChange> = file_changes()
        .into_iter()
        .enumerate()
        .map(|(i, c)| (PathBuf::from(format!("/repo/src/file_{i}.rs")), c))
        .collect();
    vec![
        ApplyPatchApprovalParams {
            conversation_id: thread_id(),
            call_id: "call_1".into(),
            file_changes: changes,
            reason: Some("needs write access to /etc".into()),
            grant_root: Some(PathBuf::from("/etc")),
        },
        ApplyPatchApprovalParams {
            conversation_id: thread_id(),
            call_id: "call_2".into(),
            file_changes: BTreeMap::new(),
            reason: None,
            grant_root: None,
        },
    ]
}

pub fn exec_command_approval_params() -> Vec<ExecCommandApprovalParams> {
    vec![
        ExecCommandApprovalParams {
            conversation_id: thread_id(),
            call_id: "call_1".into(),
            approval_id: Some("approval_1".into()),
            command: vec!["rg".into(), "foo".into()],
            cwd: PathBuf::from("/repo"),
            reason: Some("searching".into()),
            parsed_cmd: parsed_commands(),
        },
        ExecCommandApprovalParams {
            conversation_id: thread_id(),
            call_id: "call_2".into(),
            approval_id: None,
            command: vec![],
            cwd: PathBuf::from("/"),
            reason: None,
            parsed_cmd: vec![],
        },
    ]
}
