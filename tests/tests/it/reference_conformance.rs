//! Conformance of protocol-defs' v1 types with codex's published JSON Schemas
//! (draft-07), kept as fixtures in `tests/fixtures/codex-schema` (see the
//! README there for their source and licence).
//!
//! Both directions are checked:
//! - Rust → reference: example values covering every enum variant and both
//!   `Some` and `None` of optional fields are serialised and validated
//!   against the reference schema of their type.
//! - reference → Rust: hand-written JSON that the reference schema accepts
//!   (asserted) decodes into our types and re-encodes to the same JSON, or to
//!   a stated normal form where our type fills in serde defaults.
//!
//! Types with no reference file get exact-JSON pins instead.

// The deprecated `on-failure` approval policy is still on the wire.
#![allow(deprecated)]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;

use protocol_defs::common::*;
use protocol_defs::v1::*;
use protocol_defs::{
    ClientNotification, ClientRequest, JSONRPCResponse, RequestId, ServerNotification,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Reference schemas
// ---------------------------------------------------------------------------

const REFERENCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/codex-schema");

/// The example values, shared with the serde-values test.
use crate::common::values::*;

fn load(file: &str) -> Value {
    let path = format!("{REFERENCE_DIR}/{file}");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read reference schema {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// A draft-07 validator for one reference schema, with a label for messages.
struct Schema {
    label: String,
    validator: jsonschema::Validator,
}

impl Schema {
    fn compile(label: String, schema: &Value) -> Schema {
        let validator = jsonschema::draft7::new(schema)
            .unwrap_or_else(|e| panic!("reference schema {label} does not compile: {e}"));
        Schema { label, validator }
    }

    /// The whole file, e.g. `v1/InitializeParams.json`.
    fn root(file: &str) -> Schema {
        Schema::compile(file.to_owned(), &load(file))
    }

    /// `#/definitions/<name>` of `file`, with the file's other definitions in
    /// scope for its `$ref`s.
    fn def(file: &str, name: &str) -> Schema {
        let doc = load(file);
        let definitions = doc
            .get("definitions")
            .unwrap_or_else(|| panic!("{file} has no definitions"));
        assert!(
            definitions.get(name).is_some(),
            "{file} has no definition {name}"
        );
        let wrapped = json!({
            "$ref": format!("#/definitions/{name}"),
            "definitions": definitions,
        });
        Schema::compile(format!("{file}#/definitions/{name}"), &wrapped)
    }

    fn errors(&self, instance: &Value) -> Vec<String> {
        self.validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn assert_accepts(&self, instance: &Value) {
        let errors = self.errors(instance);
        assert!(
            errors.is_empty(),
            "{} rejects {}:\n  {}",
            self.label,
            instance,
            errors.join("\n  ")
        );
    }

    fn assert_rejects(&self, instance: &Value) {
        assert!(
            !self.validator.is_valid(instance),
            "{} accepts {}, which it should reject (is the schema loaded right?)",
            self.label,
            instance
        );
    }

    /// Rust → reference: serialises each value and validates it.
    fn assert_conforms<T: Serialize + Debug>(&self, values: &[T]) {
        assert!(!values.is_empty(), "no examples for {}", self.label);
        for value in values {
            let json = serde_json::to_value(value)
                .unwrap_or_else(|e| panic!("cannot serialise {value:?}: {e}"));
            self.assert_accepts(&json);
        }
    }

    /// reference → Rust: `input` is valid per the reference, decodes into
    /// `T`, and re-encodes to exactly `input`.
    fn assert_round_trips<T>(&self, input: Value) -> T
    where
        T: Serialize + DeserializeOwned + Debug + PartialEq,
    {
        let expected = input.clone();
        self.assert_decodes_to(input, expected)
    }

    /// reference → Rust: `input` is valid per the reference and decodes into
    /// `T`, which re-encodes to `expected` (our normal form: serde defaults
    /// filled in, unknown reference-only fields dropped). The normal form
    /// must be valid too and must decode to the same value.
    fn assert_decodes_to<T>(&self, input: Value, expected: Value) -> T
    where
        T: Serialize + DeserializeOwned + Debug + PartialEq,
    {
        self.assert_accepts(&input);
        let value: T = serde_json::from_value(input.clone()).unwrap_or_else(|e| {
            panic!(
                "{input} is valid per {} but does not decode into {}: {e}",
                self.label,
                std::any::type_name::<T>()
            )
        });
        let output = serde_json::to_value(&value).expect("serialise");
        assert_eq!(
            output, expected,
            "{input} (per {}) re-encodes differently",
            self.label
        );
        self.assert_accepts(&output);
        let again: T = serde_json::from_value(output).expect("decode normal form");
        assert_eq!(again, value, "normal form of {input} decodes differently");
        value
    }
}

// ---------------------------------------------------------------------------
// Variant coverage: every enum's examples must include every variant. The
// matches below have no wildcard, so a new variant fails to compile here.
// ---------------------------------------------------------------------------

trait Variants {
    const ALL: &'static [&'static str];
    fn variant(&self) -> &'static str;
}

macro_rules! variants {
    ($ty:ident: $($v:ident),+ $(,)?) => {
        impl Variants for $ty {
            const ALL: &'static [&'static str] = &[$(stringify!($v)),+];
            fn variant(&self) -> &'static str {
                match self {
                    $($ty::$v { .. } => stringify!($v),)+
                }
            }
        }
    };
}

variants!(NetworkAccess: Restricted, Enabled);
variants!(WorkspaceReadAccess: FullReadAccess, RestrictedReadAccess);
variants!(SandboxPolicy: DangerFullAccess, ReadOnly, ExternalSandbox, WorkspaceWrite);
variants!(AskForApproval: UnlessTrusted, OnFailure, OnRequest, Never);
variants!(FileChange: Add, Delete, Update);
variants!(NetworkPolicyRuleAction: Allow, Deny);
variants!(
    ReviewDecision: Approved,
    ApprovedExecpolicyAmendment,
    ApprovedForSession,
    NetworkPolicyAmendment,
    Denied,
    TimedOut,
    Failed,
    Abort,
);
variants!(ParsedCommand: Read, ListFiles, Search, Unknown);
variants!(SubAgentSource: Review, Compact, ThreadSpawn, MemoryConsolidation, Other);
variants!(SessionSource: Cli, VSCode, Exec, DesktopApp, Mcp, SubAgent, Unknown);
variants!(TurnAbortReason: Interrupted, Replaced, ReviewEnded);
variants!(AuthMode: ApiKey, Chatgpt, ChatgptAuthTokens);
variants!(ForcedLoginMethod: Chatgpt, Api);
variants!(ReasoningSummary: Auto, Concise, Detailed, None);
variants!(SandboxMode: ReadOnly, WorkspaceWrite, DangerFullAccess);
variants!(Verbosity: Low, Medium, High);
variants!(ReasoningEffort: None, Minimal, Low, Medium, High, XHigh);
variants!(GetConversationSummaryParams: RolloutPath, ThreadId);

fn assert_all_variants<T: Variants>(examples: &[T]) {
    let seen: BTreeSet<&str> = examples.iter().map(Variants::variant).collect();
    let missing: Vec<&str> = T::ALL
        .iter()
        .copied()
        .filter(|v| !seen.contains(v))
        .collect();
    assert!(
        missing.is_empty(),
        "examples of {} miss variants {missing:?}",
        std::any::type_name::<T>()
    );
}

#[test]
fn examples_cover_every_variant() {
    assert_all_variants(&network_accesses());
    assert_all_variants(&workspace_read_accesses());
    assert_all_variants(&sandbox_policies());
    assert_all_variants(&ask_for_approvals());
    assert_all_variants(&file_changes());
    assert_all_variants(&network_policy_rule_actions());
    assert_all_variants(&review_decisions());
    assert_all_variants(&parsed_commands());
    assert_all_variants(&sub_agent_sources());
    assert_all_variants(&session_sources());
    assert_all_variants(&turn_abort_reasons());
    assert_all_variants(&auth_modes());
    assert_all_variants(&forced_login_methods());
    assert_all_variants(&reasoning_summaries());
    assert_all_variants(&sandbox_modes());
    assert_all_variants(&verbosities());
    assert_all_variants(&reasoning_efforts());
}

#[test]
fn initialize_conforms() {
    Schema::root("v1/InitializeParams.json").assert_conforms(&initialize_params());
    Schema::def("v1/InitializeParams.json", "ClientInfo").assert_conforms(&client_infos());
    Schema::def("v1/InitializeParams.json", "InitializeCapabilities")
        .assert_conforms(&initialize_capabilities());
    Schema::root("v1/InitializeResponse.json").assert_conforms(&initialize_responses());
}

#[test]
fn get_conversation_summary_response_conforms() {
    const FILE: &str = "v1/GetConversationSummaryResponse.json";
    let summaries = conversation_summaries();
    let responses: Vec<_> = summaries
        .iter()
        .cloned()
        .map(|summary| GetConversationSummaryResponse { summary })
        .collect();
    Schema::root(FILE).assert_conforms(&responses);
    Schema::def(FILE, "ConversationSummary").assert_conforms(&summaries);
    Schema::def(FILE, "ConversationGitInfo").assert_conforms(&conversation_git_infos());
    Schema::def(FILE, "SessionSource").assert_conforms(&session_sources());
    Schema::def(FILE, "SubAgentSource").assert_conforms(&sub_agent_sources());
    Schema::def(FILE, "ThreadId").assert_conforms(&[thread_id()]);
}

#[test]
fn exec_one_off_command_params_conform() {
    const FILE: &str = "v1/ExecOneOffCommandParams.json";
    Schema::root(FILE).assert_conforms(&exec_one_off_command_params());
    Schema::def(FILE, "SandboxPolicy").assert_conforms(&sandbox_policies());
    Schema::def(FILE, "NetworkAccess").assert_conforms(&network_accesses());
    Schema::def(FILE, "WorkspaceReadAccess").assert_conforms(&workspace_read_accesses());
    Schema::def(FILE, "AbsolutePathBuf").assert_conforms(&[abs("/"), abs("/a/b")]);
}

#[test]
fn get_user_saved_config_response_conforms() {
    const FILE: &str = "v1/GetUserSavedConfigResponse.json";
    let configs = user_saved_configs();
    let responses: Vec<_> = configs
        .iter()
        .cloned()
        .map(|config| GetUserSavedConfigResponse { config })
        .collect();
    Schema::root(FILE).assert_conforms(&responses);
    Schema::def(FILE, "UserSavedConfig").assert_conforms(&configs);
    Schema::def(FILE, "Profile").assert_conforms(&profiles());
    Schema::def(FILE, "Tools").assert_conforms(&tools());
    Schema::def(FILE, "SandboxSettings").assert_conforms(&sandbox_settings());
    Schema::def(FILE, "AskForApproval").assert_conforms(&ask_for_approvals());
    Schema::def(FILE, "ForcedLoginMethod").assert_conforms(&forced_login_methods());
    Schema::def(FILE, "ReasoningEffort").assert_conforms(&reasoning_efforts());
    Schema::def(FILE, "ReasoningSummary").assert_conforms(&reasoning_summaries());
    Schema::def(FILE, "SandboxMode").assert_conforms(&sandbox_modes());
    Schema::def(FILE, "Verbosity").assert_conforms(&verbosities());
    Schema::def(FILE, "AbsolutePathBuf").assert_conforms(&[abs("/home/user")]);
}

#[test]
fn approval_requests_conform() {
    const SERVER_REQUEST: &str = "ServerRequest.json";
    let apply = apply_patch_approval_params();
    let exec = exec_command_approval_params();
    Schema::def(SERVER_REQUEST, "ApplyPatchApprovalParams").assert_conforms(&apply);
    Schema::def(SERVER_REQUEST, "ExecCommandApprovalParams").assert_conforms(&exec);
    Schema::def(SERVER_REQUEST, "FileChange").assert_conforms(&file_changes());
    Schema::def(SERVER_REQUEST, "ParsedCommand").assert_conforms(&parsed_commands());
    Schema::def(SERVER_REQUEST, "NetworkPolicyAmendment")
        .assert_conforms(&network_policy_amendments());
    Schema::def(SERVER_REQUEST, "NetworkPolicyRuleAction")
        .assert_conforms(&network_policy_rule_actions());
    Schema::def(SERVER_REQUEST, "ThreadId").assert_conforms(&[thread_id()]);
    Schema::root("ExecCommandApprovalParams.json").assert_conforms(&exec);
    Schema::def("ExecCommandApprovalParams.json", "ParsedCommand")
        .assert_conforms(&parsed_commands());

    // The whole server request, as codex's ServerRequest union has it.
    let server_request = Schema::root(SERVER_REQUEST);
    for (id, params) in apply.iter().enumerate() {
        server_request.assert_accepts(&json!({
            "id": id,
            "method": "applyPatchApproval",
            "params": params,
        }));
    }
    for params in &exec {
        server_request.assert_accepts(&json!({
            "id": "req-1",
            "method": "execCommandApproval",
            "params": params,
        }));
    }
}

#[test]
fn approval_responses_conform() {
    let decisions = review_decisions();
    let apply: Vec<_> = decisions
        .iter()
        .cloned()
        .map(|decision| ApplyPatchApprovalResponse { decision })
        .collect();
    let exec: Vec<_> = decisions
        .iter()
        .cloned()
        .map(|decision| ExecCommandApprovalResponse { decision })
        .collect();
    Schema::root("ApplyPatchApprovalResponse.json").assert_conforms(&apply);
    Schema::root("ExecCommandApprovalResponse.json").assert_conforms(&exec);
    for file in [
        "ApplyPatchApprovalResponse.json",
        "ExecCommandApprovalResponse.json",
    ] {
        Schema::def(file, "ReviewDecision").assert_conforms(&decisions);
        Schema::def(file, "NetworkPolicyAmendment").assert_conforms(&network_policy_amendments());
        Schema::def(file, "NetworkPolicyRuleAction")
            .assert_conforms(&network_policy_rule_actions());
    }
}

/// `attestation/generate` is answered with `{"token": …}` by every codex
/// release that ships it (the fixture is codex 0.131.0's schema): ours
/// conforms, round-trips, keeps the token out of `Debug`, and the
/// pre-release `headerValue` shape is refused.
#[test]
fn attestation_generate_response_conforms() {
    let released = Schema::root("AttestationGenerateResponse.json");
    let ours = AttestationGenerateResponse {
        token: "v1.eyJ0b2tlbiI6Ii4uLiJ9".to_owned().into(),
    };
    released.assert_conforms(std::slice::from_ref(&ours));
    let value: AttestationGenerateResponse =
        released.assert_round_trips(json!({ "token": "v1.c2VjcmV0" }));
    assert_eq!(value.token.expose(), "v1.c2VjcmV0");
    assert!(
        !format!("{value:?}").contains("c2VjcmV0"),
        "Debug output leaks the attestation token: {value:?}"
    );
    released.assert_rejects(&json!({ "headerValue": "v1.c2VjcmV0" }));
    assert!(
        serde_json::from_value::<AttestationGenerateResponse>(json!({ "headerValue": "v1.x" }))
            .is_err(),
        "the pre-release field name is not accepted"
    );
}

/// The empty params object and the JSON-RPC envelope (no `"jsonrpc"`
/// member) as codex publishes them.
#[test]
fn envelope_and_attestation_params_conform() {
    Schema::root("AttestationGenerateParams.json").assert_conforms(&[AttestationGenerateParams {}]);

    let request = ClientRequest::decode(
        br#"{"method":"getAuthStatus","id":7,"params":{"includeToken":true}}"#,
    )
    .unwrap();
    let request = serde_json::to_value(&request).unwrap();
    Schema::root("JSONRPCRequest.json").assert_accepts(&request);

    let message = Schema::root("JSONRPCMessage.json");
    let error = ClientRequest::decode(br#"{"method":"nope","id":"x"}"#)
        .unwrap_err()
        .to_response()
        .expect("the request had an id");
    let messages = [
        request,
        serde_json::to_value(ClientNotification::Initialized).unwrap(),
        serde_json::to_value(ServerNotification::AuthStatusChange(
            AuthStatusChangeNotification {
                auth_method: Some(AuthMode::ApiKey),
            },
        ))
        .unwrap(),
        serde_json::to_value(JSONRPCResponse {
            jsonrpc: protocol_macros::Dialect::Omitted,
            id: RequestId::Integer(7),
            result: json!({ "authMethod": null, "authToken": null, "requiresOpenaiAuth": null }),
        })
        .unwrap(),
        serde_json::to_value(error).unwrap(),
    ];
    for instance in &messages {
        message.assert_accepts(instance);
    }
    message.assert_rejects(&json!({ "id": 1 }));
    message.assert_rejects(&json!({ "error": { "code": "x", "message": "m" }, "id": 1 }));
}

/// The validators are not vacuous: each rejects JSON of the wrong shape,
/// including the shapes a default camelCase `#[wire]` would produce.
#[test]
fn reference_schemas_reject_wrong_shapes() {
    let sandbox = Schema::def("v1/ExecOneOffCommandParams.json", "SandboxPolicy");
    sandbox.assert_rejects(&json!({ "type": "workspaceWrite" }));
    sandbox.assert_rejects(&json!({ "type": "workspace-write", "network_access": "yes" }));
    sandbox.assert_rejects(&json!("read-only"));
    let approval = Schema::def("v1/GetUserSavedConfigResponse.json", "AskForApproval");
    approval.assert_rejects(&json!("onRequest"));
    approval.assert_rejects(&json!("unless-trusted"));
    let decision = Schema::def("ApplyPatchApprovalResponse.json", "ReviewDecision");
    decision.assert_rejects(&json!("approvedForSession"));
    decision.assert_rejects(&json!({ "approved_execpolicy_amendment": ["ls"] }));
    let source = Schema::def("v1/GetConversationSummaryResponse.json", "SessionSource");
    source.assert_rejects(&json!("vs_code"));
    source.assert_rejects(&json!({ "subAgent": "review" }));
    let init = Schema::root("v1/InitializeParams.json");
    init.assert_rejects(&json!({ "client_info": { "name": "x", "version": "1" } }));
    let config = Schema::root("v1/GetUserSavedConfigResponse.json");
    config.assert_rejects(&json!({ "config": {} }));
    let attestation = Schema::root("AttestationGenerateResponse.json");
    attestation.assert_rejects(&json!({ "header_value": "x" }));
}

// ---------------------------------------------------------------------------
// reference → Rust
// ---------------------------------------------------------------------------

#[test]
fn reference_instances_decode_imported_types() {
    let sandbox = Schema::def("v1/ExecOneOffCommandParams.json", "SandboxPolicy");
    for exact in [
        json!({ "type": "danger-full-access" }),
        json!({ "type": "read-only" }),
        json!({ "type": "external-sandbox", "network_access": "enabled" }),
        json!({ "type": "external-sandbox", "network_access": "restricted" }),
        json!({
            "type": "workspace-write",
            "writable_roots": ["/a", "/b/c"],
            "network_access": true,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": true,
        }),
        json!({
            "type": "workspace-write",
            "writable_roots": [],
            "read_access": { "type": "full-read-access" },
            "network_access": false,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": false,
        }),
        json!({
            "type": "workspace-write",
            "writable_roots": [],
            "read_access": { "type": "restricted-read-access", "readable_roots": ["/data"] },
            "network_access": false,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": false,
        }),
    ] {
        sandbox.assert_round_trips::<SandboxPolicy>(exact);
    }
    // Omitted fields take the defaults the reference declares.
    sandbox.assert_decodes_to::<SandboxPolicy>(
        json!({ "type": "external-sandbox" }),
        json!({ "type": "external-sandbox", "network_access": "restricted" }),
    );
    sandbox.assert_decodes_to::<SandboxPolicy>(
        json!({ "type": "workspace-write" }),
        json!({
            "type": "workspace-write",
            "writable_roots": [],
            "network_access": false,
            "exclude_tmpdir_env_var": false,
            "exclude_slash_tmp": false,
        }),
    );
    let read_access = Schema::def("v1/ExecOneOffCommandParams.json", "WorkspaceReadAccess");
    read_access.assert_decodes_to::<WorkspaceReadAccess>(
        json!({ "type": "restricted-read-access" }),
        json!({ "type": "restricted-read-access", "readable_roots": [] }),
    );
    read_access.assert_round_trips::<WorkspaceReadAccess>(json!({ "type": "full-read-access" }));

    let config_file = "v1/GetUserSavedConfigResponse.json";
    let approval = Schema::def(config_file, "AskForApproval");
    for (wire, expected) in [
        ("untrusted", AskForApproval::UnlessTrusted),
        ("on-failure", AskForApproval::OnFailure),
        ("on-request", AskForApproval::OnRequest),
        ("never", AskForApproval::Never),
    ] {
        let got: AskForApproval = approval.assert_round_trips(json!(wire));
        assert_eq!(got, expected);
    }
    for wire in ["read-only", "workspace-write", "danger-full-access"] {
        Schema::def(config_file, "SandboxMode").assert_round_trips::<SandboxMode>(json!(wire));
    }
    for wire in ["none", "minimal", "low", "medium", "high", "xhigh"] {
        Schema::def(config_file, "ReasoningEffort")
            .assert_round_trips::<ReasoningEffort>(json!(wire));
    }
    for wire in ["auto", "concise", "detailed", "none"] {
        Schema::def(config_file, "ReasoningSummary")
            .assert_round_trips::<ReasoningSummary>(json!(wire));
    }
    for wire in ["low", "medium", "high"] {
        Schema::def(config_file, "Verbosity").assert_round_trips::<Verbosity>(json!(wire));
    }
    for wire in ["chatgpt", "api"] {
        Schema::def(config_file, "ForcedLoginMethod")
            .assert_round_trips::<ForcedLoginMethod>(json!(wire));
    }

    let decision = Schema::def("ExecCommandApprovalResponse.json", "ReviewDecision");
    for exact in [
        json!("approved"),
        json!("approved_for_session"),
        json!("denied"),
        json!("timed_out"),
        json!("failed"),
        json!("abort"),
        json!({ "approved_execpolicy_amendment": {
            "proposed_execpolicy_amendment": ["git", "status"]
        } }),
        json!({ "network_policy_amendment": {
            "network_policy_amendment": { "host": "pypi.org", "action": "allow" }
        } }),
        json!({ "network_policy_amendment": {
            "network_policy_amendment": { "host": "evil.example", "action": "deny" }
        } }),
    ] {
        decision.assert_round_trips::<ReviewDecision>(exact);
    }

    let summary_file = "v1/GetConversationSummaryResponse.json";
    let source = Schema::def(summary_file, "SessionSource");
    for exact in [
        json!("cli"),
        json!("vscode"),
        json!("exec"),
        json!("desktop_app"),
        json!("mcp"),
        json!("unknown"),
        json!({ "subagent": "review" }),
        json!({ "subagent": "compact" }),
        json!({ "subagent": "memory_consolidation" }),
        json!({ "subagent": { "thread_spawn": {
            "parent_thread_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "depth": 1
        } } }),
        json!({ "subagent": { "other": "linter" } }),
    ] {
        source.assert_round_trips::<SessionSource>(exact);
    }

    let server_request = "ServerRequest.json";
    let file_change = Schema::def(server_request, "FileChange");
    for exact in [
        json!({ "type": "add", "content": "hello\n" }),
        json!({ "type": "delete", "content": "bye\n" }),
        json!({ "type": "update", "unified_diff": "@@\n", "move_path": null }),
        json!({ "type": "update", "unified_diff": "@@\n", "move_path": "/new/path.rs" }),
    ] {
        file_change.assert_round_trips::<FileChange>(exact);
    }
    file_change.assert_decodes_to::<FileChange>(
        json!({ "type": "update", "unified_diff": "" }),
        json!({ "type": "update", "unified_diff": "", "move_path": null }),
    );

    for file in [server_request, "ExecCommandApprovalParams.json"] {
        let parsed = Schema::def(file, "ParsedCommand");
        for exact in [
            json!({ "type": "read", "cmd": "cat a.rs", "name": "a.rs", "path": "src/a.rs" }),
            json!({ "type": "list_files", "cmd": "ls", "path": null }),
            json!({ "type": "list_files", "cmd": "ls src", "path": "src" }),
            json!({ "type": "search", "cmd": "rg x", "query": "x", "path": null }),
            json!({ "type": "search", "cmd": "rg x y", "query": "x", "path": "y" }),
            json!({ "type": "unknown", "cmd": "make" }),
        ] {
            parsed.assert_round_trips::<ParsedCommand>(exact);
        }
        parsed.assert_decodes_to::<ParsedCommand>(
            json!({ "type": "search", "cmd": "rg" }),
            json!({ "type": "search", "cmd": "rg", "query": null, "path": null }),
        );
    }
}

#[test]
fn reference_instances_decode_v1_types() {
    let init = Schema::root("v1/InitializeParams.json");
    init.assert_round_trips::<InitializeParams>(json!({
        "clientInfo": { "name": "vscode", "title": "VS Code", "version": "1.0.0" },
    }));
    init.assert_round_trips::<InitializeParams>(json!({
        "clientInfo": { "name": "vscode", "title": null, "version": "1.0.0" },
        "capabilities": {
            "experimentalApi": true,
            "requestAttestation": false,
            "optOutNotificationMethods": ["thread/started", "turn/started"],
        },
    }));
    // Omitted optional fields; `capabilities: null` is dropped on re-encode;
    // the reference-only `mcpServerOpenAiFormElicitation` is ignored.
    init.assert_decodes_to::<InitializeParams>(
        json!({ "clientInfo": { "name": "x", "version": "1" }, "capabilities": null }),
        json!({ "clientInfo": { "name": "x", "title": null, "version": "1" } }),
    );
    let value: InitializeParams = init.assert_decodes_to(
        json!({
            "clientInfo": { "name": "x", "version": "1" },
            "capabilities": { "mcpServerOpenAiFormElicitation": true },
        }),
        json!({
            "clientInfo": { "name": "x", "title": null, "version": "1" },
            "capabilities": {
                "experimentalApi": false,
                "requestAttestation": false,
                "optOutNotificationMethods": null,
            },
        }),
    );
    assert_eq!(value.capabilities, Some(InitializeCapabilities::default()));

    // The reference's InitializeResponse predates `codexHome`; the seed has it
    // as required, so only instances with it decode.
    let response = Schema::root("v1/InitializeResponse.json");
    response.assert_round_trips::<InitializeResponse>(json!({
        "userAgent": "codex/1.0",
        "codexHome": "/home/u/.codex",
        "platformFamily": "unix",
        "platformOs": "macos",
    }));
    let without_home = json!({ "userAgent": "a", "platformFamily": "unix", "platformOs": "linux" });
    response.assert_accepts(&without_home);
    assert!(serde_json::from_value::<InitializeResponse>(without_home).is_err());

    Schema::root("v1/GetConversationSummaryResponse.json")
        .assert_round_trips::<GetConversationSummaryResponse>(json!({
            "summary": {
                "conversationId": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "path": "/home/u/.codex/sessions/2025/rollout.jsonl",
                "preview": "hello",
                "timestamp": "2025-05-01T10:00:00Z",
                "updatedAt": null,
                "modelProvider": "openai",
                "cwd": "/repo",
                "cliVersion": "0.50.0",
                "source": { "subagent": "review" },
                "gitInfo": { "sha": "abc", "branch": null, "origin_url": "git@github.com:o/r.git" },
            }
        }));

    let exec = Schema::root("v1/ExecOneOffCommandParams.json");
    exec.assert_round_trips::<ExecOneOffCommandParams>(json!({
        "command": ["ls"],
        "timeoutMs": 5000,
        "cwd": "/tmp",
        "sandboxPolicy": { "type": "read-only" },
    }));
    exec.assert_decodes_to::<ExecOneOffCommandParams>(
        json!({ "command": ["ls"] }),
        json!({ "command": ["ls"], "timeoutMs": null, "cwd": null, "sandboxPolicy": null }),
    );

    let config = Schema::root("v1/GetUserSavedConfigResponse.json");
    config.assert_round_trips::<GetUserSavedConfigResponse>(json!({
        "config": {
            "approvalPolicy": "on-request",
            "sandboxMode": "workspace-write",
            "sandboxSettings": {
                "writableRoots": ["/work"],
                "networkAccess": true,
                "excludeTmpdirEnvVar": null,
                "excludeSlashTmp": false,
            },
            "forcedChatgptWorkspaceId": null,
            "forcedLoginMethod": "api",
            "model": "gpt-5",
            "modelReasoningEffort": "xhigh",
            "modelReasoningSummary": "none",
            "modelVerbosity": "medium",
            "tools": { "webSearch": true, "viewImage": null },
            "profile": "fast",
            "profiles": {
                "fast": {
                    "model": "gpt-5-mini",
                    "modelProvider": null,
                    "approvalPolicy": "untrusted",
                    "modelReasoningEffort": "low",
                    "modelReasoningSummary": "auto",
                    "modelVerbosity": "low",
                    "chatgptBaseUrl": null,
                },
            },
        }
    }));
    // Minimal instance; the reference-only `modelServiceTier` is ignored.
    config.assert_decodes_to::<GetUserSavedConfigResponse>(
        json!({ "config": {
            "profiles": { "p": { "modelServiceTier": "flex" } },
            "modelServiceTier": "auto",
            "sandboxSettings": {},
        } }),
        json!({ "config": {
            "approvalPolicy": null,
            "sandboxMode": null,
            "sandboxSettings": {
                "writableRoots": [],
                "networkAccess": null,
                "excludeTmpdirEnvVar": null,
                "excludeSlashTmp": null,
            },
            "forcedChatgptWorkspaceId": null,
            "forcedLoginMethod": null,
            "model": null,
            "modelReasoningEffort": null,
            "modelReasoningSummary": null,
            "modelVerbosity": null,
            "tools": null,
            "profile": null,
            "profiles": { "p": {
                "model": null,
                "modelProvider": null,
                "approvalPolicy": null,
                "modelReasoningEffort": null,
                "modelReasoningSummary": null,
                "modelVerbosity": null,
                "chatgptBaseUrl": null,
            } },
        } }),
    );

    let apply = Schema::def("ServerRequest.json", "ApplyPatchApprovalParams");
    apply.assert_round_trips::<ApplyPatchApprovalParams>(json!({
        "conversationId": "t-1",
        "callId": "c-1",
        "fileChanges": {
            "/repo/a.rs": { "type": "add", "content": "a" },
            "/repo/b.rs": { "type": "update", "unified_diff": "@@", "move_path": "/repo/c.rs" },
        },
        "reason": null,
        "grantRoot": "/repo",
    }));
    apply.assert_decodes_to::<ApplyPatchApprovalParams>(
        json!({ "conversationId": "t-1", "callId": "c-1", "fileChanges": {} }),
        json!({
            "conversationId": "t-1",
            "callId": "c-1",
            "fileChanges": {},
            "reason": null,
            "grantRoot": null,
        }),
    );

    for schema in [
        Schema::def("ServerRequest.json", "ExecCommandApprovalParams"),
        Schema::root("ExecCommandApprovalParams.json"),
    ] {
        schema.assert_round_trips::<ExecCommandApprovalParams>(json!({
            "conversationId": "t-1",
            "callId": "c-1",
            "approvalId": "a-1",
            "command": ["rg", "x"],
            "cwd": "/repo",
            "reason": "search",
            "parsedCmd": [{ "type": "search", "cmd": "rg x", "query": "x", "path": null }],
        }));
        schema.assert_decodes_to::<ExecCommandApprovalParams>(
            json!({ "conversationId": "t", "callId": "c", "command": [], "cwd": "/", "parsedCmd": [] }),
            json!({
                "conversationId": "t",
                "callId": "c",
                "approvalId": null,
                "command": [],
                "cwd": "/",
                "reason": null,
                "parsedCmd": [],
            }),
        );
    }

    Schema::root("ApplyPatchApprovalResponse.json")
        .assert_round_trips::<ApplyPatchApprovalResponse>(json!({ "decision": "approved" }));
    Schema::root("ExecCommandApprovalResponse.json")
        .assert_round_trips::<ExecCommandApprovalResponse>(
            json!({ "decision": { "approved_execpolicy_amendment": {
            "proposed_execpolicy_amendment": ["npm", "test"]
        } } }),
        );
}

// ---------------------------------------------------------------------------
// AbsolutePathBuf
// ---------------------------------------------------------------------------

#[test]
fn relative_absolute_path_buf_is_rejected() {
    for relative in ["relative/path", "./x", "../x", "x", ""] {
        let err = serde_json::from_value::<AbsolutePathBuf>(json!(relative))
            .expect_err("a relative path must not decode as AbsolutePathBuf")
            .to_string();
        assert!(
            err.contains("absolute"),
            "unclear error for {relative:?}: {err}"
        );
    }
    // Also inside the types that carry one.
    let err = serde_json::from_value::<SandboxSettings>(json!({ "writableRoots": ["/ok", "no"] }))
        .expect_err("relative writable root");
    assert!(err.to_string().contains("absolute"), "{err}");
    assert!(serde_json::from_value::<SandboxPolicy>(
        json!({ "type": "workspace-write", "writable_roots": ["tmp"] })
    )
    .is_err());
    assert!(serde_json::from_value::<InitializeResponse>(json!({
        "userAgent": "a",
        "codexHome": ".codex",
        "platformFamily": "unix",
        "platformOs": "linux",
    }))
    .is_err());
    assert!(AbsolutePathBuf::new("rel").is_err());

    // Absolute paths decode, normalized lexically.
    let path: AbsolutePathBuf = serde_json::from_value(json!("/a/./b/../c")).unwrap();
    assert_eq!(path.as_path(), std::path::Path::new("/a/c"));
    assert_eq!(serde_json::to_value(&path).unwrap(), json!("/a/c"));
    assert_eq!(serde_json::to_value(abs("/x/y")).unwrap(), json!("/x/y"));
}

// ---------------------------------------------------------------------------
// Types without a reference file: pinned JSON
// ---------------------------------------------------------------------------

/// `value` encodes to exactly `wire`, and `wire` decodes back to `value`.
fn assert_pinned<T>(value: T, wire: &str)
where
    T: Serialize + DeserializeOwned + Debug + PartialEq,
{
    let encoded = serde_json::to_string(&value).expect("serialise");
    assert_eq!(encoded, wire, "wire form of {value:?}");
    let decoded: T =
        serde_json::from_str(wire).unwrap_or_else(|e| panic!("{wire} does not decode: {e}"));
    assert_eq!(decoded, value, "{wire} decodes differently");
}

#[test]
fn pinned_wire_forms() {
    assert_pinned(
        GitDiffToRemoteParams {
            cwd: PathBuf::from("/repo"),
        },
        r#"{"cwd":"/repo"}"#,
    );
    assert_pinned(
        GitDiffToRemoteResponse {
            sha: GitSha::new("9fceb02d0ae598e95dc970b74767f19372d61af8"),
            diff: "diff --git a/x b/x\n".into(),
        },
        r#"{"sha":"9fceb02d0ae598e95dc970b74767f19372d61af8","diff":"diff --git a/x b/x\n"}"#,
    );
    assert_pinned(
        LoginApiKeyParams {
            api_key: "sk-test".to_owned().into(),
        },
        r#"{"apiKey":"sk-test"}"#,
    );
    assert_pinned(LoginApiKeyResponse {}, "{}");
    assert_pinned(
        GetAuthStatusParams {
            include_token: Some(true),
            refresh_token: Some(false),
        },
        r#"{"includeToken":true,"refreshToken":false}"#,
    );
    assert_pinned(
        GetAuthStatusParams {
            include_token: None,
            refresh_token: None,
        },
        r#"{"includeToken":null,"refreshToken":null}"#,
    );
    assert_eq!(
        serde_json::from_str::<GetAuthStatusParams>("{}").unwrap(),
        GetAuthStatusParams {
            include_token: None,
            refresh_token: None,
        }
    );
    for (mode, wire) in auth_modes()
        .into_iter()
        .zip(["apikey", "chatgpt", "chatgptAuthTokens"])
    {
        assert_pinned(mode, &format!("\"{wire}\""));
        assert_pinned(
            GetAuthStatusResponse {
                auth_method: Some(mode),
                auth_token: Some("tok".to_owned().into()),
                requires_openai_auth: Some(true),
            },
            &format!(r#"{{"authMethod":"{wire}","authToken":"tok","requiresOpenaiAuth":true}}"#),
        );
        assert_pinned(
            AuthStatusChangeNotification {
                auth_method: Some(mode),
            },
            &format!(r#"{{"authMethod":"{wire}"}}"#),
        );
    }
    assert_pinned(
        GetAuthStatusResponse {
            auth_method: None,
            auth_token: None,
            requires_openai_auth: None,
        },
        r#"{"authMethod":null,"authToken":null,"requiresOpenaiAuth":null}"#,
    );
    assert_pinned(
        AuthStatusChangeNotification { auth_method: None },
        r#"{"authMethod":null}"#,
    );
    let summary_params = [
        GetConversationSummaryParams::RolloutPath {
            rollout_path: PathBuf::from("/home/u/.codex/sessions/rollout.jsonl"),
        },
        GetConversationSummaryParams::ThreadId {
            conversation_id: thread_id(),
        },
    ];
    assert_all_variants(&summary_params);
    let [rollout, by_id] = summary_params;
    assert_pinned(
        rollout,
        r#"{"rolloutPath":"/home/u/.codex/sessions/rollout.jsonl"}"#,
    );
    assert_pinned(
        by_id,
        r#"{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8"}"#,
    );
    assert_pinned(
        InterruptConversationParams {
            conversation_id: thread_id(),
        },
        r#"{"conversationId":"67e55044-10b1-426f-9247-bb680e5fe0c8"}"#,
    );
    for (reason, wire) in
        turn_abort_reasons()
            .into_iter()
            .zip(["interrupted", "replaced", "review_ended"])
    {
        assert_pinned(
            InterruptConversationResponse {
                abort_reason: reason,
            },
            &format!(r#"{{"abortReason":"{wire}"}}"#),
        );
    }
    assert_pinned(
        ExecOneOffCommandResponse {
            exit_code: -1,
            stdout: "out".into(),
            stderr: "err".into(),
        },
        r#"{"exitCode":-1,"stdout":"out","stderr":"err"}"#,
    );
    assert_pinned(AttestationGenerateParams {}, "{}");
    assert_pinned(
        AttestationGenerateResponse {
            token: "v1.abc".to_owned().into(),
        },
        r#"{"token":"v1.abc"}"#,
    );
    assert_pinned(thread_id(), r#""67e55044-10b1-426f-9247-bb680e5fe0c8""#);
    assert_pinned(GitSha::new("abc"), r#""abc""#);
}

/// The wrappers that are transparent on the wire are bare in TypeScript too.
/// (ts-rs does not read `serde(transparent)`; `ExecPolicyAmendment`, a braced
/// struct, needs its own `#[ts(as = ...)]`.)
#[test]
fn transparent_wrappers_are_bare_in_typescript() {
    use ts_rs::TS;
    let cfg = ts_rs::Config::default();
    assert_eq!(ExecPolicyAmendment::inline(&cfg), "Array<string>");
    assert_eq!(ThreadId::inline(&cfg), "string");
    assert_eq!(GitSha::inline(&cfg), "string");
    assert_eq!(AbsolutePathBuf::inline(&cfg), "string");
    assert_eq!(
        serde_json::to_value(ExecPolicyAmendment::from(vec!["ls".to_owned()])).unwrap(),
        json!(["ls"])
    );
}
