//! The Model Context Protocol, version 2025-11-25, described once with
//! `protocol-macros`: every type its methods reach, named as the official
//! schema's `$defs`, and the methods of both peers.
//!
//! The official definitions that have no Rust type of that name are in
//! [`NOT_TYPES`], each with the reason.

pub mod base;
pub mod completion;
pub mod content;
pub mod elicitation;
pub mod lifecycle;
pub mod logging;
pub mod notifications;
pub mod prompts;
mod protocol;
pub mod resources;
pub mod roots;
pub mod sampling;
pub mod tasks;
pub mod tools;

pub use base::*;
pub use completion::*;
pub use content::*;
pub use elicitation::*;
pub use lifecycle::*;
pub use logging::*;
pub use notifications::*;
pub use prompts::*;
pub use protocol::methods;
pub use protocol::methods::*;
pub use protocol_macros::{
    JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest,
    JSONRPCResponse,
};
pub use resources::*;
pub use roots::*;
pub use sampling::*;
pub use tasks::*;
pub use tools::*;

/// The protocol's name, as its generated documents give it.
pub const TITLE: &str = "Model Context Protocol";
/// The protocol's version, as its generated documents give it.
pub const VERSION: &str = "2025-11-25";

/// Every `$defs` name of the official schema with no Rust type of that
/// name, and what stands for it. (`ResourceContents` is named for the
/// official base interface, `uri` and `mimeType`; here it is the union of
/// its two kinds, text and blob, which is where the schema uses it.)
pub const NOT_TYPES: &[(&str, &str)] = &[
    (
        "BaseMetadata",
        "a base interface (`name`, `title`): its fields are written into each type that extends it",
    ),
    (
        "CallToolRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "CancelTaskRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "CancelledNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ClientResult",
        "the typed ServerResponse enum (what the client answers to server requests), one variant per method",
    ),
    (
        "CompleteRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "CreateMessageRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ElicitRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ElicitationCompleteNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "EnumSchema",
        "a union of the enumeration schemas, whose arms are PrimitiveSchemaDefinition's own",
    ),
    (
        "Error",
        "protocol_macros::JSONRPCErrorError (the error object every protocol shares)",
    ),
    (
        "GetPromptRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "GetTaskPayloadRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "GetTaskRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "Icons",
        "a base interface (`icons`): its field is written into each type that extends it",
    ),
    (
        "InitializeRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "InitializedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "JSONRPCErrorResponse",
        "protocol_macros::JSONRPCError (the envelope every protocol shares)",
    ),
    (
        "JSONRPCResultResponse",
        "the success arm of protocol_macros::JSONRPCResponse, and the typed ClientResponse / ServerResponse",
    ),
    (
        "ListPromptsRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ListResourceTemplatesRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ListResourcesRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ListRootsRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ListTasksRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ListToolsRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "LoggingMessageNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "MultiSelectEnumSchema",
        "a union of two arms of PrimitiveSchemaDefinition",
    ),
    (
        "Notification",
        "the generic notification: the message enums and protocol_macros::JSONRPCNotification",
    ),
    (
        "PaginatedRequest",
        "a base interface of the list requests: their variants take Option<PaginatedRequestParams>",
    ),
    (
        "PaginatedResult",
        "a base interface (`nextCursor`): its field is written into each list result",
    ),
    (
        "PingRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ProgressNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "PromptListChangedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "Cursor",
        "an alias of `String` (`mcp_defs::Cursor`): a plain string wherever it is used, with no definition of its own",
    ),
    (
        "Result",
        "the base of every result: `mcp_defs::Result` (an open object with `_meta`) is defined, but no method answers with it, so the generated protocol has no definition of it; each method's result type carries its members",
    ),
    (
        "ReadResourceRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "RelatedTaskMetadata",
        "carried in `_meta` under `io.modelcontextprotocol/related-task`, which stays an open map",
    ),
    (
        "Request",
        "the generic request: the message enums and protocol_macros::JSONRPCRequest",
    ),
    (
        "ResourceListChangedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ResourceRequestParams",
        "a base interface (`uri`): its fields are in ReadResourceRequestParams, SubscribeRequestParams and UnsubscribeRequestParams",
    ),
    (
        "ResourceUpdatedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "RootsListChangedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ServerResult",
        "the typed ClientResponse enum (what the server answers to client requests), one variant per method",
    ),
    (
        "SetLevelRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "SingleSelectEnumSchema",
        "a union of two arms of PrimitiveSchemaDefinition",
    ),
    (
        "SubscribeRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "TaskAugmentedRequestParams",
        "a base interface (`task`): its field is in the params of tools/call, sampling/createMessage and elicitation/create",
    ),
    (
        "TaskStatusNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "ToolListChangedNotification",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
    (
        "URLElicitationRequiredError",
        "an error response (code -32042) whose data lists ElicitRequestURLParams; error data is not typed per method",
    ),
    (
        "UnsubscribeRequest",
        "a message: the variant of the same method in the generated message enum (ClientRequest, ServerRequest, ClientNotification, ServerNotification), with its marker type",
    ),
];
