//! Content blocks: what prompts, tools and sampling carry.
//!
//! Each arm type carries its own `type` member, a one-value type
//! (`TextContent` is `{"type": "text", …}` alone too, as the official
//! definition requires), and the unions list the arm types: an arm
//! accepts only an object with its own `type` value, so exactly one arm
//! can decode a block, whatever its other members.

use std::collections::BTreeMap;

use protocol_macros::wire;
use serde_json::Value;

use crate::base::{literal, Annotations, Icon, Meta};

literal!(
    /// `"text"`.
    TextType = "text"
);
literal!(
    /// `"image"`.
    ImageType = "image"
);
literal!(
    /// `"audio"`.
    AudioType = "audio"
);
literal!(
    /// `"resource_link"`.
    ResourceLinkType = "resource_link"
);
literal!(
    /// `"resource"`.
    EmbeddedResourceType = "resource"
);
literal!(
    /// `"tool_use"`.
    ToolUseType = "tool_use"
);
literal!(
    /// `"tool_result"`.
    ToolResultType = "tool_result"
);

/// Text provided to or from an LLM.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TextContent {
    #[serde(rename = "type")]
    pub kind: TextType,
    /// The text content of the message.
    pub text: String,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// An image provided to or from an LLM.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ImageContent {
    #[serde(rename = "type")]
    pub kind: ImageType,
    /// The base64-encoded image data.
    pub data: String,
    /// The MIME type of the image.
    pub mime_type: String,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Audio provided to or from an LLM.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AudioContent {
    #[serde(rename = "type")]
    pub kind: AudioType,
    /// The base64-encoded audio data.
    pub data: String,
    /// The MIME type of the audio.
    pub mime_type: String,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// A resource that the server is capable of reading, included in a prompt
/// or tool call result. Resource links returned by tools are not
/// guaranteed to appear in `resources/list`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceLink {
    #[serde(rename = "type")]
    pub kind: ResourceLinkType,
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    /// The URI of this resource.
    pub uri: String,
    /// A description of what this resource represents.
    #[optional]
    pub description: Option<String>,
    /// The MIME type of this resource, if known.
    #[optional]
    pub mime_type: Option<String>,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// The size of the raw resource content, in bytes, if known.
    #[optional]
    pub size: Option<u64>,
    /// Optional set of sized icons that the client can display.
    #[optional]
    pub icons: Option<Vec<Icon>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The contents of a specific resource or sub-resource: text.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TextResourceContents {
    /// The URI of this resource.
    pub uri: String,
    /// The MIME type of this resource, if known.
    #[optional]
    pub mime_type: Option<String>,
    /// The text of the item. Only set when it can be represented as text.
    pub text: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The contents of a specific resource or sub-resource: binary data.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct BlobResourceContents {
    /// The URI of this resource.
    pub uri: String,
    /// The MIME type of this resource, if known.
    #[optional]
    pub mime_type: Option<String>,
    /// A base64-encoded string representing the binary data of the item.
    pub blob: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Resource contents, text or binary: `TextResourceContents |
/// BlobResourceContents`, told apart by their required member: an object
/// with `text` is text, otherwise one with `blob` is binary (serde's
/// untagged arms, tried in that fixed order).
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum ResourceContents {
    Text(TextResourceContents),
    Blob(BlobResourceContents),
}

/// The contents of a resource, embedded into a prompt or tool call result.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedResource {
    #[serde(rename = "type")]
    pub kind: EmbeddedResourceType,
    pub resource: ResourceContents,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// A block of content, by its `type`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum ContentBlock {
    Text(TextContent),
    Image(ImageContent),
    Audio(AudioContent),
    ResourceLink(ResourceLink),
    Resource(EmbeddedResource),
}

/// A request from the assistant to call a tool.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ToolUseContent {
    #[serde(rename = "type")]
    pub kind: ToolUseType,
    /// A unique identifier for this tool use, to match tool results to
    /// tool uses.
    pub id: String,
    /// The name of the tool to call.
    pub name: String,
    /// The arguments to pass to the tool, conforming to the tool's input
    /// schema.
    pub input: BTreeMap<String, Value>,
    /// Optional metadata about the tool use.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The result of a tool use, provided by the user back to the assistant.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ToolResultContent {
    #[serde(rename = "type")]
    pub kind: ToolResultType,
    /// The ID of the tool use this result corresponds to.
    pub tool_use_id: String,
    /// The unstructured result content of the tool use.
    pub content: Vec<ContentBlock>,
    /// An optional structured result object, conforming to the tool's
    /// output schema if it defined one.
    #[optional]
    pub structured_content: Option<BTreeMap<String, Value>>,
    /// Whether the tool use resulted in an error.
    #[optional]
    pub is_error: Option<bool>,
    /// Optional metadata about the tool result.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// A block of sampling content, by its `type`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum SamplingMessageContentBlock {
    Text(TextContent),
    Image(ImageContent),
    Audio(AudioContent),
    ToolUse(ToolUseContent),
    ToolResult(ToolResultContent),
}
