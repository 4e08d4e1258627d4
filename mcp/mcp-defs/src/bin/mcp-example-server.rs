//! An MCP server over stdio, built only on the registry's runtime:
//! newline-delimited JSON-RPC 2.0 on stdin and stdout, a log on stderr.
//!
//! One `Connection<ServerSide>` decodes every line, records what
//! `initialize` declares on both sides, pairs the responses to the server's
//! own requests and encodes everything the server sends, through the
//! capability gates (a `sampling/createMessage` to a client that did not
//! declare `sampling` is never sent).
//!
//! It offers:
//! - tools `echo {message}`, `add {a, b}` (the sum as text and as
//!   `structuredContent: {sum}`), `sample {prompt}` (asks the client to
//!   sample an LLM, and answers with what it said) and `slow {steps}` (one
//!   step every 20 ms, with `notifications/progress` when the call carries a
//!   `progressToken`; `notifications/cancelled` naming the call stops it);
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
//! An unknown tool is -32602 (the specification's protocol error for it);
//! arguments a tool cannot use are a tool error (`isError: true`), which
//! the model can read and correct; an unknown resource is -32002.
//!
//! ```sh
//! cargo run -q -p mcp-defs --bin mcp-example-server
//! {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"me","version":"1"}}}
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use mcp_defs::base::{EmptyResult, Implementation, ObjectType, ProgressToken, RequestMeta, Role};
use mcp_defs::completion::{CompleteReference, CompleteRequestParams, CompleteResult, Completion};
use mcp_defs::content::{
    ContentBlock, ResourceContents, SamplingMessageContentBlock, TextContent, TextResourceContents,
    TextType,
};
use mcp_defs::lifecycle::{
    InitializeRequestParams, InitializeResult, ServerCapabilities, ServerPromptsCapability,
    ServerResourcesCapability, ServerToolsCapability,
};
use mcp_defs::logging::{LoggingLevel, LoggingMessageNotificationParams};
use mcp_defs::notifications::{CancelledNotificationParams, ProgressNotificationParams};
use mcp_defs::prompts::{
    GetPromptRequestParams, GetPromptResult, ListPromptsResult, Prompt, PromptArgument,
    PromptMessage,
};
use mcp_defs::resources::{
    ListResourceTemplatesResult, ListResourcesResult, ReadResourceResult, Resource,
    ResourceTemplate, ResourceUpdatedNotificationParams,
};
use mcp_defs::sampling::{
    CreateMessageRequestParams, CreateMessageResponse, SamplingContent, SamplingMessage,
};
use mcp_defs::tools::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ListToolsResult, Tool,
    ToolSchemaObject,
};
use mcp_defs::{
    CallTool, ClientNotification, ClientRequest, ClientResponse, CreateMessage, LoggingMessage,
    ResourceUpdated, ServerPing, ServerProgress, ServerResponse, ServerSide,
};
use protocol_macros::{
    Connection, Dialect, EncodeError, ErrorCode, JSONRPCError, JSONRPCErrorError, ReceiveError,
    Received, RequestId,
};
use serde_json::{json, Value};

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

/// A `slow` call in progress.
struct Slow {
    id: RequestId,
    token: Option<ProgressToken>,
    done: u64,
    steps: u64,
}

/// The one connection: the protocol's side of it, and the server's state.
struct Server<W: Write> {
    connection: Connection<ServerSide>,
    out: W,
    initialized: bool,
    /// The level `logging/setLevel` asked for; nothing is logged before.
    level: Option<LoggingLevel>,
    subscribed: BTreeSet<String>,
    calls: u64,
    slow: Vec<Slow>,
    next_step: Instant,
    /// This server's `sampling/createMessage` requests, by id, and the
    /// `tools/call` each answers.
    sampling: BTreeMap<RequestId, RequestId>,
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

fn error(code: ErrorCode, message: impl Into<String>, id: RequestId) -> JSONRPCError {
    error_with_code(code.code(), message, id)
}

fn error_with_code(code: i64, message: impl Into<String>, id: RequestId) -> JSONRPCError {
    JSONRPCError {
        jsonrpc: Dialect::V2,
        error: JSONRPCErrorError {
            code,
            message: message.into(),
            data: None,
        },
        id,
    }
}

impl<W: Write> Server<W> {
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

    fn reply_error(&mut self, error: JSONRPCError) -> io::Result<()> {
        let reply = self.connection.error(&error);
        self.write(&reply)
    }

    fn answer_call(&mut self, id: RequestId, result: CallToolResult) -> io::Result<()> {
        let reply = self
            .connection
            .respond_to::<CallTool>(id, &CallToolResponse::Result(result))
            .map_err(io::Error::other)?;
        self.write(&reply)
    }

    /// A `notifications/message` at `level`, if the client asked for it.
    fn log_to_client(&mut self, level: LoggingLevel, data: Value) -> io::Result<()> {
        match self.level {
            Some(wanted) if rank(level) >= rank(wanted) => {}
            _ => return Ok(()),
        }
        let encoded = self
            .connection
            .notify::<LoggingMessage>(LoggingMessageNotificationParams {
                level,
                logger: Some("mcp-example-server".to_owned()),
                data,
                meta: None,
            });
        self.send("notifications/message", encoded)
    }

    fn handle(&mut self, line: &[u8]) -> io::Result<()> {
        match self.connection.receive(line) {
            Ok(Received::Request(request)) => self.request(request),
            Ok(Received::Notification(notification)) => self.notification(notification),
            Ok(Received::Response { id, response }) => self.response(id, response),
            Ok(Received::Error { error, method }) => {
                log(format_args!(
                    "error {} ({}) for {}: {}",
                    error.error.code,
                    error.id,
                    method.name,
                    protocol_macros::peer_text::bounded(&error.error.message)
                ));
                if let Some(call) = self.sampling.remove(&error.id) {
                    let mut result = tool_result(vec![text("the client could not sample its LLM")]);
                    result.is_error = Some(true);
                    return self.answer_call(call, result);
                }
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
                    Some(reply) => self.write(&reply),
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

    fn request(&mut self, request: ClientRequest) -> io::Result<()> {
        let id = request.id().clone();
        log(format_args!("request {id} `{}`", request.method()));
        let response = match &request {
            ClientRequest::Initialize { params, .. } => {
                if self.initialized {
                    return self.reply_error(error(
                        ErrorCode::InvalidRequest,
                        "`initialize` was already sent on this connection",
                        id,
                    ));
                }
                self.initialized = true;
                self.initialize(params)
            }
            // The one request a client may send before `initialize`.
            ClientRequest::Ping { .. } => ClientResponse::Ping(EmptyResult::default()),
            _ if !self.initialized => {
                return self.reply_error(error(
                    ErrorCode::InvalidRequest,
                    "send `initialize` first",
                    id,
                ));
            }
            ClientRequest::ListTools { .. } => ClientResponse::ListTools(ListToolsResult {
                tools: tools(),
                next_cursor: None,
                meta: None,
            }),
            ClientRequest::CallTool { params, .. } => return self.call_tool(id, params),
            ClientRequest::ListResources { .. } => {
                ClientResponse::ListResources(ListResourcesResult {
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
            ClientRequest::ListResourceTemplates { .. } => {
                ClientResponse::ListResourceTemplates(ListResourceTemplatesResult {
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
            ClientRequest::ReadResource { params, .. } => match self.read(&params.uri) {
                Some(contents) => ClientResponse::ReadResource(ReadResourceResult {
                    contents: vec![ResourceContents::Text(TextResourceContents {
                        uri: params.uri.clone(),
                        mime_type: Some("text/plain".to_owned()),
                        text: contents,
                        meta: None,
                    })],
                    meta: None,
                }),
                None => {
                    return self.reply_error(error_with_code(
                        RESOURCE_NOT_FOUND,
                        "Resource not found",
                        id,
                    ))
                }
            },
            ClientRequest::Subscribe { params, .. } => {
                if self.read(&params.uri).is_none() {
                    return self.reply_error(error_with_code(
                        RESOURCE_NOT_FOUND,
                        "Resource not found",
                        id,
                    ));
                }
                self.subscribed.insert(params.uri.clone());
                ClientResponse::Subscribe(EmptyResult::default())
            }
            ClientRequest::Unsubscribe { params, .. } => {
                self.subscribed.remove(&params.uri);
                ClientResponse::Unsubscribe(EmptyResult::default())
            }
            ClientRequest::ListPrompts { .. } => ClientResponse::ListPrompts(ListPromptsResult {
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
            }),
            ClientRequest::GetPrompt { params, .. } => match self.prompt(params) {
                Ok(result) => ClientResponse::GetPrompt(result),
                Err(message) => {
                    return self.reply_error(error(ErrorCode::InvalidParams, message, id))
                }
            },
            ClientRequest::Complete { params, .. } => match complete(params) {
                Ok(result) => ClientResponse::Complete(result),
                Err(message) => {
                    return self.reply_error(error(ErrorCode::InvalidParams, message, id))
                }
            },
            ClientRequest::SetLevel { params, .. } => {
                self.level = Some(params.level);
                let reply = self
                    .connection
                    .respond(&request, &ClientResponse::SetLevel(EmptyResult::default()))
                    .map_err(io::Error::other)?;
                self.write(&reply)?;
                return self.log_to_client(
                    params.level,
                    json!({"event": "log level set", "level": params.level}),
                );
            }
            // Tasks are not offered: the server declares no `tasks`.
            _ => {
                return self.reply_error(error(
                    ErrorCode::MethodNotFound,
                    format!("`{}` is not offered by this server", request.method()),
                    id,
                ));
            }
        };
        let reply = self
            .connection
            .respond(&request, &response)
            .map_err(io::Error::other)?;
        self.write(&reply)
    }

    fn initialize(&self, params: &InitializeRequestParams) -> ClientResponse {
        log(format_args!(
            "client {} {} (protocol {})",
            protocol_macros::peer_text::name(&params.client_info.name),
            protocol_macros::peer_text::name(&params.client_info.version),
            protocol_macros::peer_text::name(&params.protocol_version),
        ));
        ClientResponse::Initialize(InitializeResult {
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

    fn read(&self, uri: &str) -> Option<String> {
        match uri {
            "example://greeting" => Some("Hello from the MCP example server.".to_owned()),
            "example://calls" => Some(self.calls.to_string()),
            _ => uri
                .strip_prefix("example://greeting/")
                .filter(|name| !name.is_empty())
                .map(|name| format!("Hello, {name}.")),
        }
    }

    fn prompt(&self, params: &GetPromptRequestParams) -> Result<GetPromptResult, String> {
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

    fn call_tool(&mut self, id: RequestId, params: &CallToolRequestParams) -> io::Result<()> {
        self.calls += 1;
        self.log_to_client(
            LoggingLevel::Info,
            json!({"event": "tool called", "tool": params.name}),
        )?;
        let calls: Vec<String> = self
            .subscribed
            .iter()
            .filter(|uri| *uri == "example://calls")
            .cloned()
            .collect();
        for uri in calls {
            let encoded = self
                .connection
                .notify::<ResourceUpdated>(ResourceUpdatedNotificationParams { uri, meta: None });
            self.send("notifications/resources/updated", encoded)?;
        }
        match self.tool(id.clone(), params) {
            Ok(Some(result)) => self.answer_call(id, result),
            // Answered later: `sample` and `slow`.
            Ok(None) => Ok(()),
            Err(ToolFailure::Protocol(code, message)) => self.reply_error(error(code, message, id)),
            Err(ToolFailure::Tool(message)) => {
                let mut result = tool_result(vec![text(message)]);
                result.is_error = Some(true);
                self.answer_call(id, result)
            }
        }
    }

    /// Runs a tool: its result now, `None` when it answers later.
    fn tool(
        &mut self,
        id: RequestId,
        params: &CallToolRequestParams,
    ) -> Result<Option<CallToolResult>, ToolFailure> {
        match params.name.as_str() {
            "echo" => Ok(Some(tool_result(vec![text(string_arg(
                params, "message",
            )?)]))),
            "add" => {
                let sum = number_arg(params, "a")? + number_arg(params, "b")?;
                let mut result = tool_result(vec![text(show_number(sum))]);
                let mut structured = BTreeMap::new();
                structured.insert("sum".to_owned(), json!(sum));
                result.structured_content = Some(structured);
                Ok(Some(result))
            }
            "sample" => {
                let prompt = string_arg(params, "prompt")?;
                let request = self
                    .connection
                    .request::<CreateMessage>(CreateMessageRequestParams {
                        messages: vec![SamplingMessage {
                            role: Role::User,
                            content: SamplingContent::One(SamplingMessageContentBlock::Text(
                                TextContent {
                                    kind: TextType::Value,
                                    text: prompt,
                                    annotations: None,
                                    meta: None,
                                },
                            )),
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
                    .map_err(|refused| ToolFailure::Tool(format!("cannot sample: {refused}")))?;
                let encoded = self.connection.encode(&request).map_err(|err| {
                    ToolFailure::Protocol(ErrorCode::InternalError, err.to_string())
                })?;
                self.sampling.insert(request.id().clone(), id);
                self.write(&encoded).map_err(|err| {
                    ToolFailure::Protocol(ErrorCode::InternalError, err.to_string())
                })?;
                Ok(None)
            }
            "slow" => {
                let steps = number_arg(params, "steps")?;
                if steps.fract() != 0.0 || !(1.0..=MAX_STEPS as f64).contains(&steps) {
                    return Err(ToolFailure::Tool(format!(
                        "`steps` must be an integer from 1 to {MAX_STEPS}"
                    )));
                }
                let token = params
                    .meta
                    .as_ref()
                    .and_then(|meta: &RequestMeta| meta.progress_token.clone());
                if self.slow.is_empty() {
                    self.next_step = Instant::now() + STEP;
                }
                self.slow.push(Slow {
                    id,
                    token,
                    done: 0,
                    steps: steps as u64,
                });
                Ok(None)
            }
            other => Err(ToolFailure::Protocol(
                ErrorCode::InvalidParams,
                format!("Unknown tool: {}", protocol_macros::peer_text::name(other)),
            )),
        }
    }

    /// One step of every `slow` call; the finished ones are answered.
    fn step(&mut self) -> io::Result<()> {
        let mut finished = Vec::new();
        let mut progress = Vec::new();
        for slow in &mut self.slow {
            slow.done += 1;
            if let Some(token) = &slow.token {
                progress.push(ProgressNotificationParams {
                    progress_token: token.clone(),
                    progress: slow.done.into(),
                    total: Some(slow.steps.into()),
                    message: Some(format!("step {} of {}", slow.done, slow.steps)),
                    meta: None,
                });
            }
            if slow.done == slow.steps {
                finished.push((slow.id.clone(), slow.steps));
            }
        }
        self.slow.retain(|slow| slow.done < slow.steps);
        for params in progress {
            let encoded = self.connection.notify::<ServerProgress>(params);
            self.send("notifications/progress", encoded)?;
        }
        for (id, steps) in finished {
            self.answer_call(
                id,
                tool_result(vec![text(format!("done after {steps} steps"))]),
            )?;
        }
        self.next_step += STEP;
        Ok(())
    }

    fn notification(&mut self, notification: ClientNotification) -> io::Result<()> {
        match notification {
            ClientNotification::Initialized(_) => {
                log(format_args!("session open"));
                match self.connection.request::<ServerPing>(None) {
                    Ok(request) => {
                        let encoded = self.connection.encode(&request).map(Some);
                        self.send("ping", encoded)
                    }
                    Err(refused) => {
                        log(format_args!("not pinging: {refused}"));
                        Ok(())
                    }
                }
            }
            ClientNotification::Cancelled(params) => {
                self.cancel(&params);
                Ok(())
            }
            ClientNotification::Progress(..)
            | ClientNotification::RootsListChanged(..)
            | ClientNotification::TaskStatusUpdate(..) => Ok(()),
        }
    }

    /// Stops the `slow` call `notifications/cancelled` names; it is not
    /// answered (the specification says a cancelled request gets no
    /// response).
    fn cancel(&mut self, params: &CancelledNotificationParams) {
        let Some(id) = &params.request_id else {
            return;
        };
        let before = self.slow.len();
        self.slow.retain(|slow| &slow.id != id);
        if self.slow.len() < before {
            log(format_args!("call {id} cancelled"));
        }
    }

    fn response(&mut self, id: RequestId, response: ServerResponse) -> io::Result<()> {
        match response {
            ServerResponse::CreateMessage(sampled) => {
                let Some(call) = self.sampling.remove(&id) else {
                    return Ok(());
                };
                let result = match sampled {
                    CreateMessageResponse::Result(message) => {
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
                    CreateMessageResponse::Task(_) => {
                        let mut result = tool_result(vec![text("the client answered with a task")]);
                        result.is_error = Some(true);
                        result
                    }
                };
                self.answer_call(call, result)
            }
            ServerResponse::ServerPing(_) => {
                log(format_args!("the client answered ping {id}"));
                Ok(())
            }
            other => {
                log(format_args!("response {id}: {other:?}"));
                Ok(())
            }
        }
    }
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

fn main() -> ExitCode {
    // stdin is read on a thread of its own, so that `slow` keeps stepping
    // while the client says nothing.
    let (lines, input) = mpsc::channel();
    std::thread::spawn(move || {
        for line in io::stdin().lock().split(b'\n') {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut server = Server {
        connection: Connection::new(),
        out: io::stdout().lock(),
        initialized: false,
        level: None,
        subscribed: BTreeSet::new(),
        calls: 0,
        slow: Vec::new(),
        next_step: Instant::now(),
        sampling: BTreeMap::new(),
    };
    loop {
        let next = if server.slow.is_empty() {
            input.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            input.recv_timeout(server.next_step.saturating_duration_since(Instant::now()))
        };
        let result = match next {
            Ok(Ok(line)) if line.iter().all(u8::is_ascii_whitespace) => Ok(()),
            Ok(Ok(line)) => server.handle(&line),
            Ok(Err(err)) => {
                log(format_args!("cannot read stdin: {err}"));
                return ExitCode::FAILURE;
            }
            Err(RecvTimeoutError::Timeout) => Ok(()),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let stepped = if !server.slow.is_empty() && Instant::now() >= server.next_step {
            server.step()
        } else {
            Ok(())
        };
        if let Err(err) = result.and(stepped) {
            log(format_args!("cannot write stdout: {err}"));
            return ExitCode::FAILURE;
        }
    }
    log(format_args!("stdin closed; shutting down"));
    ExitCode::SUCCESS
}
