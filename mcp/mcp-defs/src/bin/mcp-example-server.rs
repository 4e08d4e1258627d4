//! An MCP server over stdio, built only on the registry's runtime:
//! newline-delimited JSON-RPC 2.0 on stdin and stdout, a log on stderr.
//!
//! It is a `ServerHandler`, served by `protocol_macros::runtime::Runtime`:
//! the `Connection<ServerSide>` under it decodes every line (and answers
//! what it cannot read, logged to stderr), records what `initialize` declares on both sides,
//! pairs the responses to the server's own requests and encodes everything
//! the server sends, through the capability gates (a
//! `sampling/createMessage` to a client that did not declare `sampling` is
//! never sent). Requests run concurrently: a `slow` call does not hold up
//! the rest.
//!
//! It offers:
//! - tools `echo {message}`, `add {a, b}` (the sum as text and as
//!   `structuredContent: {sum}`), `sample {prompt}` (asks the client to
//!   sample an LLM, and answers with what it said) and `slow {steps}` (one
//!   step every 20 ms, with `notifications/progress` when the call carries a
//!   `progressToken`; `notifications/cancelled` naming the call stops it,
//!   and it is not answered);
//! - resources `example://greeting` (static text) and `example://calls`
//!   (how many tools were called: it changes, and subscribers are told with
//!   `notifications/resources/updated`), and a template
//!   `example://greeting/{name}`;
//! - the prompt `greet {name}`, whose argument `completion/complete`
//!   completes;
//! - `logging/setLevel`, then `notifications/message` for each tool call at
//!   or above the level;
//! - `ping` both ways: it answers the client's, and pings the client once
//!   the session is open (`notifications/initialized`).
//!
//! Tasks are not offered: their methods answer -32601 with the handler
//! trait's opt-in default (`cx.method_not_found()`). An unknown tool is
//! -32602 (the specification's protocol error for it); arguments a tool
//! cannot use are a tool error (`isError: true`), which the model can read
//! and correct; an unknown resource is -32002. A request of the server's
//! whose caller gave up (a `sample` call cancelled while the client
//! samples) is cancelled with `notifications/cancelled`.
//!
//! ```sh
//! cargo run -q -p mcp-defs --bin mcp-example-server
//! {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use mcp_defs::base::{
    EmptyResult, Implementation, NotificationParams, ObjectType, RequestParams, Role,
};
use mcp_defs::completion::{CompleteReference, CompleteRequestParams, CompleteResult, Completion};
use mcp_defs::content::{
    ContentBlock, ResourceContents, SamplingMessageContentBlock, TextContent, TextResourceContents,
    TextType,
};
use mcp_defs::lifecycle::{
    InitializeRequestParams, InitializeResult, ServerCapabilities, ServerPromptsCapability,
    ServerResourcesCapability, ServerToolsCapability,
};
use mcp_defs::logging::{LoggingLevel, LoggingMessageNotificationParams, SetLevelRequestParams};
use mcp_defs::notifications::{CancelledNotificationParams, ProgressNotificationParams};
use mcp_defs::prompts::{
    GetPromptRequestParams, GetPromptResult, ListPromptsResult, Prompt, PromptArgument,
    PromptMessage,
};
use mcp_defs::resources::{
    ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResult, Resource, ResourceTemplate,
    ResourceUpdatedNotificationParams, SubscribeRequestParams, UnsubscribeRequestParams,
};
use mcp_defs::sampling::{
    CreateMessageRequestParams, CreateMessageResponse, SamplingContent, SamplingMessage,
};
use mcp_defs::tasks::{
    CancelTaskRequestParams, CancelTaskResult, GetTaskPayloadRequestParams, GetTaskPayloadResult,
    GetTaskRequestParams, GetTaskResult, ListTasksResult, TaskStatusNotificationParams,
};
use mcp_defs::tools::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ListToolsResult, Tool,
    ToolSchemaObject,
};
use mcp_defs::{
    CreateMessage, LoggingMessage, ResourceUpdated, ServerCancelled, ServerHandler, ServerPing,
    ServerProgress, ServerSide,
};
use protocol_macros::runtime::Runtime;
use protocol_macros::ReceiveError;
use protocol_macros::{
    ErrorCode, JSONRPCErrorError, NotificationContext, PeerHandle, RequestContext, RequestError,
};
use serde_json::{json, Value};

type Cx = RequestContext<ServerSide>;
type Nx = NotificationContext<ServerSide>;
type Answer<T> = Result<T, JSONRPCErrorError>;

/// The protocol version this server speaks.
const PROTOCOL_VERSION: &str = "2025-11-25";
/// How long one step of `slow` takes.
const STEP: Duration = Duration::from_millis(20);
/// The most steps `slow` takes.
const MAX_STEPS: u64 = 1_000;
/// The JSON-RPC error the specification gives an unknown resource.
const RESOURCE_NOT_FOUND: i64 = -32002;
/// The names `completion/complete` offers for `greet`'s `name`.
const NAMES: [&str; 5] = ["Ada", "Alan", "Barbara", "Grace", "Linus"];

fn log(line: std::fmt::Arguments<'_>) {
    eprintln!("mcp-example-server: {line}");
}

/// The server's state for its one connection.
#[derive(Default)]
struct Server {
    initialized: AtomicBool,
    /// The level `logging/setLevel` asked for; nothing is logged before.
    level: Mutex<Option<LoggingLevel>>,
    subscribed: Mutex<BTreeSet<String>>,
    calls: AtomicU64,
}

/// Why a tool call has no result: a protocol error (the JSON-RPC error to
/// answer with) or a tool error (a result with `isError`).
enum ToolFailure {
    Protocol(ErrorCode, String),
    Tool(String),
}

fn text(text: impl Into<String>) -> ContentBlock {
    ContentBlock::Text(TextContent {
        kind: TextType::Value,
        text: text.into(),
        annotations: None,
        meta: None,
    })
}

fn tool_result(content: Vec<ContentBlock>) -> CallToolResult {
    CallToolResult {
        content,
        structured_content: None,
        is_error: None,
        meta: None,
    }
}

fn object_schema(properties: Value, required: &[&str]) -> ToolSchemaObject {
    let Value::Object(properties) = properties else {
        unreachable!("the properties are an object")
    };
    ToolSchemaObject {
        schema: None,
        kind: ObjectType::Value,
        properties: Some(properties.into_iter().collect()),
        required: Some(required.iter().map(|name| (*name).to_owned()).collect()),
        members: BTreeMap::new(),
    }
}

fn tool(name: &str, description: &str, input: ToolSchemaObject) -> Tool {
    Tool {
        name: name.to_owned(),
        title: None,
        description: Some(description.to_owned()),
        input_schema: input,
        execution: None,
        output_schema: None,
        annotations: None,
        icons: None,
        meta: None,
    }
}

fn tools() -> Vec<Tool> {
    let mut add = tool(
        "add",
        "Adds two numbers.",
        object_schema(
            json!({"a": {"type": "number"}, "b": {"type": "number"}}),
            &["a", "b"],
        ),
    );
    add.output_schema = Some(object_schema(json!({"sum": {"type": "number"}}), &["sum"]));
    vec![
        tool(
            "echo",
            "Returns the message as text.",
            object_schema(json!({"message": {"type": "string"}}), &["message"]),
        ),
        add,
        tool(
            "sample",
            "Asks the client's LLM to answer the prompt, and returns its answer.",
            object_schema(json!({"prompt": {"type": "string"}}), &["prompt"]),
        ),
        tool(
            "slow",
            "Takes `steps` steps of 20 ms, reporting progress after each when asked to.",
            object_schema(
                json!({"steps": {"type": "integer", "minimum": 1, "maximum": MAX_STEPS}}),
                &["steps"],
            ),
        ),
    ]
}

fn resource(uri: &str, name: &str, description: &str) -> Resource {
    Resource {
        name: name.to_owned(),
        title: None,
        uri: uri.to_owned(),
        description: Some(description.to_owned()),
        mime_type: Some("text/plain".to_owned()),
        annotations: None,
        size: None,
        icons: None,
        meta: None,
    }
}

/// The numeric rank of a logging level, `debug` lowest.
fn rank(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

/// A string argument of a tool call.
fn string_arg(params: &CallToolRequestParams, name: &str) -> Result<String, ToolFailure> {
    match params.arguments.as_ref().and_then(|args| args.get(name)) {
        Some(Value::String(value)) => Ok(value.clone()),
        Some(_) => Err(ToolFailure::Tool(format!("`{name}` must be a string"))),
        None => Err(ToolFailure::Tool(format!("`{name}` is required"))),
    }
}

/// A number argument of a tool call.
fn number_arg(params: &CallToolRequestParams, name: &str) -> Result<f64, ToolFailure> {
    match params.arguments.as_ref().and_then(|args| args.get(name)) {
        Some(Value::Number(value)) => value
            .as_f64()
            .ok_or_else(|| ToolFailure::Tool(format!("`{name}` is out of range"))),
        Some(_) => Err(ToolFailure::Tool(format!("`{name}` must be a number"))),
        None => Err(ToolFailure::Tool(format!("`{name}` is required"))),
    }
}

/// `a + b` as the shortest text that reads back as the same number.
fn show_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn error(code: i64, message: impl Into<String>) -> JSONRPCErrorError {
    JSONRPCErrorError::new(code, message)
}

fn tool_error(message: impl Into<String>) -> CallToolResult {
    let mut result = tool_result(vec![text(message)]);
    result.is_error = Some(true);
    result
}

/// A `notifications/message` at `level`.
fn send_log(peer: &PeerHandle<ServerSide>, level: LoggingLevel, data: Value) {
    let outcome = peer
        .notify::<LoggingMessage>(LoggingMessageNotificationParams {
            level,
            logger: Some("mcp-example-server".to_owned()),
            data,
            meta: None,
        })
        .into_inner();
    sent("notifications/message", outcome);
}

/// Logs what a notification came to when it was not sent.
fn sent(method: &str, outcome: Result<bool, RequestError>) {
    match outcome {
        Ok(true) => {}
        Ok(false) => log(format_args!("`{method}` not delivered to this client")),
        Err(refused) => log(format_args!("not sent: {refused}")),
    }
}

impl Server {
    /// Every request but `initialize` and `ping` waits for `initialize`.
    fn ready(&self, cx: &Cx) -> Answer<()> {
        log(format_args!("request {} `{}`", cx.id(), cx.method()));
        if self.initialized.load(Ordering::Acquire) {
            Ok(())
        } else {
            Err(error(
                ErrorCode::InvalidRequest.code(),
                "send `initialize` first",
            ))
        }
    }

    /// A `notifications/message` at `level`, if the client asked for it.
    fn log_to_client(&self, peer: &PeerHandle<ServerSide>, level: LoggingLevel, data: Value) {
        match *self.level.lock().unwrap() {
            Some(wanted) if rank(level) >= rank(wanted) => send_log(peer, level, data),
            _ => {}
        }
    }

    fn read(&self, uri: &str) -> Option<String> {
        match uri {
            "example://greeting" => Some("Hello from the MCP example server.".to_owned()),
            "example://calls" => Some(self.calls.load(Ordering::Acquire).to_string()),
            _ => uri
                .strip_prefix("example://greeting/")
                .filter(|name| !name.is_empty())
                .map(|name| format!("Hello, {name}.")),
        }
    }

    /// Runs a tool.
    async fn tool(
        &self,
        cx: &Cx,
        params: &CallToolRequestParams,
    ) -> Result<CallToolResult, ToolFailure> {
        match params.name.as_str() {
            "echo" => Ok(tool_result(vec![text(string_arg(params, "message")?)])),
            "add" => {
                let sum = number_arg(params, "a")? + number_arg(params, "b")?;
                let mut result = tool_result(vec![text(show_number(sum))]);
                let mut structured = BTreeMap::new();
                structured.insert("sum".to_owned(), json!(sum));
                result.structured_content = Some(structured);
                Ok(result)
            }
            "sample" => sample(cx, string_arg(params, "prompt")?).await,
            "slow" => slow(cx, params).await,
            other => Err(ToolFailure::Protocol(
                ErrorCode::InvalidParams,
                format!("Unknown tool: {}", protocol_macros::peer_text::name(other)),
            )),
        }
    }
}

/// `sample`: asks the client's LLM, through the gate on `client.sampling`.
async fn sample(cx: &Cx, prompt: String) -> Result<CallToolResult, ToolFailure> {
    let sampled = cx
        .peer()
        .request::<CreateMessage>(CreateMessageRequestParams {
            messages: vec![SamplingMessage {
                role: Role::User,
                content: SamplingContent::One(SamplingMessageContentBlock::Text(TextContent {
                    kind: TextType::Value,
                    text: prompt,
                    annotations: None,
                    meta: None,
                })),
                meta: None,
            }],
            model_preferences: None,
            system_prompt: None,
            include_context: None,
            temperature: None,
            max_tokens: 100,
            stop_sequences: None,
            metadata: None,
            tools: None,
            tool_choice: None,
            task: None,
            meta: None,
        })
        .await;
    Ok(match sampled {
        Ok(CreateMessageResponse::Result(message)) => {
            let blocks = match message.content {
                SamplingContent::One(block) => vec![block],
                SamplingContent::Many(blocks) => blocks,
            };
            let said: Vec<String> = blocks
                .into_iter()
                .filter_map(|block| match block {
                    SamplingMessageContentBlock::Text(text) => Some(text.text),
                    _ => None,
                })
                .collect();
            tool_result(vec![text(said.join("\n"))])
        }
        Ok(CreateMessageResponse::Task(_)) => tool_error("the client answered with a task"),
        Err(refused @ RequestError::Refused(_)) => tool_error(format!("cannot sample: {refused}")),
        Err(RequestError::Peer(error)) => {
            log(format_args!(
                "error {} for sampling/createMessage: {}",
                error.code,
                protocol_macros::peer_text::bounded(&error.message)
            ));
            tool_error("the client could not sample its LLM")
        }
        Err(other) => {
            return Err(ToolFailure::Protocol(
                ErrorCode::InternalError,
                other.to_string(),
            ))
        }
    })
}

/// `slow`: one step every 20 ms, with progress when the call carries a
/// token. A cancelled call is dropped by the runtime at its next step.
async fn slow(cx: &Cx, params: &CallToolRequestParams) -> Result<CallToolResult, ToolFailure> {
    let steps = number_arg(params, "steps")?;
    if steps.fract() != 0.0 || !(1.0..=MAX_STEPS as f64).contains(&steps) {
        return Err(ToolFailure::Tool(format!(
            "`steps` must be an integer from 1 to {MAX_STEPS}"
        )));
    }
    let steps = steps as u64;
    let token = params
        .meta
        .as_ref()
        .and_then(|meta| meta.progress_token.clone());
    let mut next = tokio::time::Instant::now();
    for done in 1..=steps {
        next += STEP;
        tokio::time::sleep_until(next).await;
        if let Some(token) = &token {
            let outcome = cx
                .peer()
                .notify::<ServerProgress>(ProgressNotificationParams {
                    progress_token: token.clone(),
                    progress: done.into(),
                    total: Some(steps.into()),
                    message: Some(format!("step {done} of {steps}")),
                    meta: None,
                })
                .await;
            sent("notifications/progress", outcome);
        }
    }
    Ok(tool_result(vec![text(format!("done after {steps} steps"))]))
}

impl ServerHandler for Server {
    async fn initialize(
        &self,
        cx: Cx,
        params: InitializeRequestParams,
    ) -> Answer<InitializeResult> {
        log(format_args!("request {} `{}`", cx.id(), cx.method()));
        if self.initialized.swap(true, Ordering::AcqRel) {
            return Err(error(
                ErrorCode::InvalidRequest.code(),
                "`initialize` was already sent on this connection",
            ));
        }
        log(format_args!(
            "client {} {} (protocol {})",
            protocol_macros::peer_text::name(&params.client_info.name),
            protocol_macros::peer_text::name(&params.client_info.version),
            protocol_macros::peer_text::name(&params.protocol_version),
        ));
        Ok(InitializeResult {
            // The one version this server speaks, whatever the client asked
            // for: the client decides whether it can go on.
            protocol_version: PROTOCOL_VERSION.to_owned(),
            capabilities: ServerCapabilities {
                experimental: None,
                logging: Some(BTreeMap::new()),
                completions: Some(BTreeMap::new()),
                prompts: Some(ServerPromptsCapability {
                    list_changed: Some(false),
                }),
                resources: Some(ServerResourcesCapability {
                    subscribe: Some(true),
                    list_changed: Some(false),
                }),
                tools: Some(ServerToolsCapability {
                    list_changed: Some(false),
                }),
                tasks: None,
            },
            server_info: Implementation {
                name: "mcp-example-server".to_owned(),
                title: Some("MCP example server".to_owned()),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                description: None,
                icons: None,
                website_url: None,
            },
            instructions: Some(
                "Tools: echo, add, sample, slow. Resources: example://greeting, example://calls."
                    .to_owned(),
            ),
            meta: None,
        })
    }

    /// The one request a client may send before `initialize`.
    async fn ping(&self, cx: Cx, _: Option<RequestParams>) -> Answer<EmptyResult> {
        log(format_args!("request {} `{}`", cx.id(), cx.method()));
        Ok(EmptyResult::default())
    }

    async fn list_tools(
        &self,
        cx: Cx,
        _: Option<PaginatedRequestParams>,
    ) -> Answer<ListToolsResult> {
        self.ready(&cx)?;
        Ok(ListToolsResult {
            tools: tools(),
            next_cursor: None,
            meta: None,
        })
    }

    async fn call_tool(&self, cx: Cx, params: CallToolRequestParams) -> Answer<CallToolResponse> {
        self.ready(&cx)?;
        self.calls.fetch_add(1, Ordering::AcqRel);
        self.log_to_client(
            cx.peer(),
            LoggingLevel::Info,
            json!({"event": "tool called", "tool": params.name}),
        );
        let subscribed = self.subscribed.lock().unwrap().contains("example://calls");
        if subscribed {
            let outcome = cx
                .peer()
                .notify::<ResourceUpdated>(ResourceUpdatedNotificationParams {
                    uri: "example://calls".to_owned(),
                    meta: None,
                })
                .await;
            sent("notifications/resources/updated", outcome);
        }
        match self.tool(&cx, &params).await {
            Ok(result) => Ok(CallToolResponse::Result(result)),
            Err(ToolFailure::Protocol(code, message)) => Err(error(code.code(), message)),
            Err(ToolFailure::Tool(message)) => Ok(CallToolResponse::Result(tool_error(message))),
        }
    }

    async fn list_resources(
        &self,
        cx: Cx,
        _: Option<PaginatedRequestParams>,
    ) -> Answer<ListResourcesResult> {
        self.ready(&cx)?;
        Ok(ListResourcesResult {
            resources: vec![
                resource(
                    "example://greeting",
                    "greeting",
                    "A greeting, in plain text.",
                ),
                resource(
                    "example://calls",
                    "calls",
                    "How many tools were called; subscribe to hear of each call.",
                ),
            ],
            next_cursor: None,
            meta: None,
        })
    }

    async fn list_resource_templates(
        &self,
        cx: Cx,
        _: Option<PaginatedRequestParams>,
    ) -> Answer<ListResourceTemplatesResult> {
        self.ready(&cx)?;
        Ok(ListResourceTemplatesResult {
            resource_templates: vec![ResourceTemplate {
                name: "greeting for".to_owned(),
                title: None,
                uri_template: "example://greeting/{name}".to_owned(),
                description: Some("A greeting for someone.".to_owned()),
                mime_type: Some("text/plain".to_owned()),
                annotations: None,
                icons: None,
                meta: None,
            }],
            next_cursor: None,
            meta: None,
        })
    }

    async fn read_resource(
        &self,
        cx: Cx,
        params: ReadResourceRequestParams,
    ) -> Answer<ReadResourceResult> {
        self.ready(&cx)?;
        let contents = self
            .read(&params.uri)
            .ok_or_else(|| error(RESOURCE_NOT_FOUND, "Resource not found"))?;
        Ok(ReadResourceResult {
            contents: vec![ResourceContents::Text(TextResourceContents {
                uri: params.uri,
                mime_type: Some("text/plain".to_owned()),
                text: contents,
                meta: None,
            })],
            meta: None,
        })
    }

    async fn subscribe(&self, cx: Cx, params: SubscribeRequestParams) -> Answer<EmptyResult> {
        self.ready(&cx)?;
        if self.read(&params.uri).is_none() {
            return Err(error(RESOURCE_NOT_FOUND, "Resource not found"));
        }
        self.subscribed.lock().unwrap().insert(params.uri);
        Ok(EmptyResult::default())
    }

    async fn unsubscribe(&self, cx: Cx, params: UnsubscribeRequestParams) -> Answer<EmptyResult> {
        self.ready(&cx)?;
        self.subscribed.lock().unwrap().remove(&params.uri);
        Ok(EmptyResult::default())
    }

    async fn list_prompts(
        &self,
        cx: Cx,
        _: Option<PaginatedRequestParams>,
    ) -> Answer<ListPromptsResult> {
        self.ready(&cx)?;
        Ok(ListPromptsResult {
            prompts: vec![Prompt {
                name: "greet".to_owned(),
                title: Some("Greet someone".to_owned()),
                description: Some("Asks the model to greet someone by name.".to_owned()),
                arguments: Some(vec![PromptArgument {
                    name: "name".to_owned(),
                    title: None,
                    description: Some("Who to greet.".to_owned()),
                    required: Some(true),
                }]),
                icons: None,
                meta: None,
            }],
            next_cursor: None,
            meta: None,
        })
    }

    async fn get_prompt(&self, cx: Cx, params: GetPromptRequestParams) -> Answer<GetPromptResult> {
        self.ready(&cx)?;
        prompt(&params).map_err(|message| error(ErrorCode::InvalidParams.code(), message))
    }

    async fn complete(&self, cx: Cx, params: CompleteRequestParams) -> Answer<CompleteResult> {
        self.ready(&cx)?;
        complete(&params).map_err(|message| error(ErrorCode::InvalidParams.code(), message))
    }

    async fn set_level(&self, cx: Cx, params: SetLevelRequestParams) -> Answer<EmptyResult> {
        self.ready(&cx)?;
        *self.level.lock().unwrap() = Some(params.level);
        // Logged after the answer, at the level it set.
        let peer = cx.peer().clone();
        let level = params.level;
        cx.after_answer(async move {
            send_log(
                &peer,
                level,
                json!({"event": "log level set", "level": level}),
            );
        });
        Ok(EmptyResult::default())
    }

    // Tasks are not offered: the server declares no `tasks`.
    async fn get_task(&self, cx: Cx, _: GetTaskRequestParams) -> Answer<GetTaskResult> {
        self.ready(&cx)?;
        cx.method_not_found()
    }

    async fn get_task_payload(
        &self,
        cx: Cx,
        _: GetTaskPayloadRequestParams,
    ) -> Answer<GetTaskPayloadResult> {
        self.ready(&cx)?;
        cx.method_not_found()
    }

    async fn cancel_task(&self, cx: Cx, _: CancelTaskRequestParams) -> Answer<CancelTaskResult> {
        self.ready(&cx)?;
        cx.method_not_found()
    }

    async fn list_tasks(
        &self,
        cx: Cx,
        _: Option<PaginatedRequestParams>,
    ) -> Answer<ListTasksResult> {
        self.ready(&cx)?;
        cx.method_not_found()
    }

    /// Stops the call `notifications/cancelled` names; it is not answered
    /// (the specification says a cancelled request gets no response).
    async fn cancelled(&self, cx: Nx, params: CancelledNotificationParams) {
        let Some(id) = &params.request_id else {
            return;
        };
        if cx.peer().cancel_incoming(id) {
            log(format_args!("call {id} cancelled"));
        }
    }

    async fn progress(&self, _: Nx, _: ProgressNotificationParams) {}

    async fn initialized(&self, cx: Nx, _: Option<NotificationParams>) {
        log(format_args!("session open"));
        let ping = match cx.peer().send::<ServerPing>(None) {
            Ok(ping) => ping,
            Err(refused) => {
                log(format_args!("not pinging: {refused}"));
                return;
            }
        };
        let id = ping.id().clone();
        match ping.await {
            Ok(_) => log(format_args!("the client answered ping {id}")),
            Err(error) => log(format_args!("ping {id}: {error}")),
        }
    }

    async fn roots_list_changed(&self, _: Nx, _: Option<NotificationParams>) {}

    async fn task_status_update(&self, _: Nx, _: TaskStatusNotificationParams) {}
}

fn prompt(params: &GetPromptRequestParams) -> Result<GetPromptResult, String> {
    if params.name != "greet" {
        return Err(format!(
            "unknown prompt `{}`",
            protocol_macros::peer_text::name(&params.name)
        ));
    }
    let name = params
        .arguments
        .as_ref()
        .and_then(|args| args.get("name"))
        .ok_or("the argument `name` is required")?;
    Ok(GetPromptResult {
        description: Some("Greets someone by name.".to_owned()),
        messages: vec![PromptMessage {
            role: Role::User,
            content: text(format!("Say hello to {name}.")),
        }],
        meta: None,
    })
}

/// `completion/complete` for `greet`'s `name`: the names starting with
/// what was typed.
fn complete(params: &CompleteRequestParams) -> Result<CompleteResult, String> {
    match &params.reference {
        CompleteReference::Prompt(prompt) if prompt.name == "greet" => {}
        CompleteReference::Prompt(prompt) => {
            return Err(format!(
                "unknown prompt `{}`",
                protocol_macros::peer_text::name(&prompt.name)
            ))
        }
        CompleteReference::ResourceTemplate(_) => {
            return Err("this server completes only prompt arguments".to_owned())
        }
    }
    if params.argument.name != "name" {
        return Err(format!(
            "`greet` has no argument `{}`",
            protocol_macros::peer_text::name(&params.argument.name)
        ));
    }
    let typed = params.argument.value.to_lowercase();
    let values: Vec<String> = NAMES
        .iter()
        .filter(|name| name.to_lowercase().starts_with(&typed))
        .map(|name| (*name).to_owned())
        .collect();
    Ok(CompleteResult {
        completion: Completion {
            total: Some(values.len() as u64),
            values,
            has_more: Some(false),
        },
        meta: None,
    })
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
        .enable_time()
        .build()
        .expect("a tokio runtime");
    let server = Runtime::<ServerSide>::new(Server::default())
        // A request of ours whose caller gave up: the client is told.
        .on_abandoned(|peer, id, method| {
            log(format_args!("{method} {id} abandoned"));
            let outcome = peer
                .notify::<ServerCancelled>(CancelledNotificationParams {
                    request_id: Some(id.clone()),
                    reason: Some("the call that asked for it was cancelled".to_owned()),
                    meta: None,
                })
                .into_inner();
            sent("notifications/cancelled", outcome);
        })
        .on_receive_error(refused);
    match runtime.block_on(server.serve_stdio()) {
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
