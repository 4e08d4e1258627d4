//! The methods of the protocol, by direction and kind.
//!
//! A method whose params the official schema makes optional takes
//! `Option<Params>`: the official TypeScript SDK sends it without
//! `params`, which decodes as `None`, and `None` is sent without `params`.
//! A capability is the one the receiving peer declares in `initialize`, as
//! the specification ties each method to it.

#[protocol_macros::protocol(
    jsonrpc = "2.0",
    negotiation = "initialize",
    client_capabilities = "params.capabilities",
    server_capabilities = "result.capabilities"
)]
pub mod methods {
    use crate::base::*;
    use crate::completion::*;
    use crate::elicitation::*;
    use crate::lifecycle::*;
    use crate::logging::*;
    use crate::notifications::*;
    use crate::prompts::*;
    use crate::resources::*;
    use crate::roots::*;
    use crate::sampling::*;
    use crate::tasks::*;
    use crate::tools::*;

    /// Requests the client sends to the server.
    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        /// Sent from the client to the server when it first connects, asking
        /// it to begin initialization.
        #[method("initialize", response = InitializeResult)]
        Initialize(InitializeRequestParams),

        /// Checks that the other party is still alive; the receiver must
        /// promptly respond, or else may be disconnected.
        #[method("ping", response = EmptyResult)]
        Ping(Option<RequestParams>),

        /// Asks for a list of the resources the server has.
        #[method(
            "resources/list",
            response = ListResourcesResult,
            capability = "server.resources"
        )]
        ListResources(Option<PaginatedRequestParams>),

        /// Asks for a list of the resource templates the server has.
        #[method(
            "resources/templates/list",
            response = ListResourceTemplatesResult,
            capability = "server.resources"
        )]
        ListResourceTemplates(Option<PaginatedRequestParams>),

        /// Reads a specific resource URI.
        #[method(
            "resources/read",
            response = ReadResourceResult,
            capability = "server.resources"
        )]
        ReadResource(ReadResourceRequestParams),

        /// Asks for `notifications/resources/updated` whenever a resource
        /// changes; only on servers that declare `resources.subscribe`.
        #[method(
            "resources/subscribe",
            response = EmptyResult,
            capability = "server.resources.subscribe"
        )]
        Subscribe(SubscribeRequestParams),

        /// Cancels a `resources/subscribe`; only on servers that declare
        /// `resources.subscribe`.
        #[method(
            "resources/unsubscribe",
            response = EmptyResult,
            capability = "server.resources.subscribe"
        )]
        Unsubscribe(UnsubscribeRequestParams),

        /// Asks for a list of the prompts and prompt templates the server has.
        #[method("prompts/list", response = ListPromptsResult, capability = "server.prompts")]
        ListPrompts(Option<PaginatedRequestParams>),

        /// Gets a prompt provided by the server.
        #[method("prompts/get", response = GetPromptResult, capability = "server.prompts")]
        GetPrompt(GetPromptRequestParams),

        /// Asks for a list of the tools the server has.
        #[method("tools/list", response = ListToolsResult, capability = "server.tools")]
        ListTools(Option<PaginatedRequestParams>),

        /// Invokes a tool provided by the server. With `task` in its params
        /// the answer is a `CreateTaskResult`.
        #[method("tools/call", response = CallToolResponse, capability = "server.tools")]
        CallTool(CallToolRequestParams),

        /// Retrieves the state of a task (servers that declare `tasks`).
        #[method("tasks/get", response = GetTaskResult, capability = "server.tasks")]
        GetTask(GetTaskRequestParams),

        /// Retrieves the result of a completed task (servers that declare
        /// `tasks`).
        #[method(
            "tasks/result",
            response = GetTaskPayloadResult,
            capability = "server.tasks"
        )]
        GetTaskPayload(GetTaskPayloadRequestParams),

        /// Cancels a task (servers that declare `tasks.cancel`).
        #[method(
            "tasks/cancel",
            response = CancelTaskResult,
            capability = "server.tasks.cancel"
        )]
        CancelTask(CancelTaskRequestParams),

        /// Lists tasks (servers that declare `tasks.list`).
        #[method("tasks/list", response = ListTasksResult, capability = "server.tasks.list")]
        ListTasks(Option<PaginatedRequestParams>),

        /// Enables or adjusts logging (servers that declare `logging`).
        #[method("logging/setLevel", response = EmptyResult, capability = "server.logging")]
        SetLevel(SetLevelRequestParams),

        /// Asks for completion options (servers that declare `completions`).
        #[method(
            "completion/complete",
            response = CompleteResult,
            capability = "server.completions"
        )]
        Complete(CompleteRequestParams),
    }

    /// Requests the server sends to the client.
    #[server_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerRequest {
        /// Checks that the other party is still alive.
        #[method("ping", response = EmptyResult)]
        ServerPing(Option<RequestParams>),

        /// Retrieves the state of a task (clients that declare `tasks`).
        #[method("tasks/get", response = GetTaskResult, capability = "client.tasks")]
        ServerGetTask(GetTaskRequestParams),

        /// Retrieves the result of a completed task (clients that declare
        /// `tasks`).
        #[method(
            "tasks/result",
            response = GetTaskPayloadResult,
            capability = "client.tasks"
        )]
        ServerGetTaskPayload(GetTaskPayloadRequestParams),

        /// Cancels a task (clients that declare `tasks.cancel`).
        #[method(
            "tasks/cancel",
            response = CancelTaskResult,
            capability = "client.tasks.cancel"
        )]
        ServerCancelTask(CancelTaskRequestParams),

        /// Lists tasks (clients that declare `tasks.list`).
        #[method("tasks/list", response = ListTasksResult, capability = "client.tasks.list")]
        ServerListTasks(Option<PaginatedRequestParams>),

        /// Asks the client to sample an LLM (clients that declare
        /// `sampling`). With `task` in its params the answer is a
        /// `CreateTaskResult`.
        #[method(
            "sampling/createMessage",
            response = CreateMessageResponse,
            capability = "client.sampling"
        )]
        CreateMessage(CreateMessageRequestParams),

        /// Asks for the client's roots (clients that declare `roots`).
        #[method("roots/list", response = ListRootsResult, capability = "client.roots")]
        ListRoots(Option<RequestParams>),

        /// Asks the user for information through the client (clients that
        /// declare `elicitation`). With `task` in its params the answer is a
        /// `CreateTaskResult`.
        #[method(
            "elicitation/create",
            response = ElicitResponse,
            capability = "client.elicitation"
        )]
        Elicit(ElicitRequestParams),
    }

    /// Notifications the client sends to the server.
    #[client_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientNotification {
        /// Cancels a request previously issued in the same direction.
        #[method("notifications/cancelled")]
        Cancelled(CancelledNotificationParams),

        /// Reports progress of a long-running request that asked for it.
        #[method("notifications/progress")]
        Progress(ProgressNotificationParams),

        /// Sent after initialization has finished.
        #[method("notifications/initialized")]
        Initialized(Option<NotificationParams>),

        /// The list of roots changed (clients that declare `roots.listChanged`).
        #[method(
            "notifications/roots/list_changed",
            capability = "client.roots.listChanged"
        )]
        RootsListChanged(Option<NotificationParams>),

        /// A task's status changed.
        #[method("notifications/tasks/status")]
        TaskStatusUpdate(TaskStatusNotificationParams),
    }

    /// Notifications the server sends to the client.
    #[server_notifications]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ServerNotification {
        /// Cancels a request previously issued in the same direction.
        #[method("notifications/cancelled")]
        ServerCancelled(CancelledNotificationParams),

        /// Reports progress of a long-running request that asked for it.
        #[method("notifications/progress")]
        ServerProgress(ProgressNotificationParams),

        /// The list of resources changed (servers that declare
        /// `resources.listChanged`).
        #[method(
            "notifications/resources/list_changed",
            capability = "server.resources.listChanged"
        )]
        ResourceListChanged(Option<NotificationParams>),

        /// A subscribed resource changed (servers that declare
        /// `resources.subscribe`).
        #[method(
            "notifications/resources/updated",
            capability = "server.resources.subscribe"
        )]
        ResourceUpdated(ResourceUpdatedNotificationParams),

        /// The list of prompts changed (servers that declare
        /// `prompts.listChanged`).
        #[method(
            "notifications/prompts/list_changed",
            capability = "server.prompts.listChanged"
        )]
        PromptListChanged(Option<NotificationParams>),

        /// The list of tools changed (servers that declare `tools.listChanged`).
        #[method(
            "notifications/tools/list_changed",
            capability = "server.tools.listChanged"
        )]
        ToolListChanged(Option<NotificationParams>),

        /// A task's status changed.
        #[method("notifications/tasks/status")]
        ServerTaskStatusUpdate(TaskStatusNotificationParams),

        /// A log message (servers that declare `logging`).
        #[method("notifications/message", capability = "server.logging")]
        LoggingMessage(LoggingMessageNotificationParams),

        /// An out-of-band (URL mode) elicitation completed (clients that
        /// declare `elicitation.url`).
        #[method(
            "notifications/elicitation/complete",
            capability = "client.elicitation.url"
        )]
        ElicitationComplete(ElicitationCompleteNotificationParams),
    }
}
