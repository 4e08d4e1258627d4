//! Resources: listing, reading and subscribing.

use protocol_macros::wire;

use crate::base::{Annotations, Cursor, Icon, Meta, RequestMeta};
use crate::content::ResourceContents;

/// A known resource that the server is capable of reading.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
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

/// A template description for resources available on the server.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceTemplate {
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
    /// A URI template (RFC 6570) that can be used to construct resource URIs.
    pub uri_template: String,
    /// A description of what this template is for.
    #[optional]
    pub description: Option<String>,
    /// The MIME type of all resources matching this template, if they share one.
    #[optional]
    pub mime_type: Option<String>,
    /// Optional annotations for the client.
    #[optional]
    pub annotations: Option<Annotations>,
    /// Optional set of sized icons that the client can display.
    #[optional]
    pub icons: Option<Vec<Icon>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Common params for paginated requests.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaginatedRequestParams {
    /// An opaque token representing the current pagination position. If
    /// provided, the server should return results starting after this cursor.
    #[optional]
    pub cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The server's response to a `resources/list` request from the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListResourcesResult {
    pub resources: Vec<Resource>,
    /// An opaque token representing the pagination position after the last
    /// returned result. If present, there may be more results available.
    #[optional]
    pub next_cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// The server's response to a `resources/templates/list` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListResourceTemplatesResult {
    pub resource_templates: Vec<ResourceTemplate>,
    /// An opaque token representing the pagination position after the last
    /// returned result. If present, there may be more results available.
    #[optional]
    pub next_cursor: Option<Cursor>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `resources/read` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResourceRequestParams {
    /// The URI of the resource. The URI can use any protocol; it is up to
    /// the server how to interpret it.
    pub uri: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The server's response to a `resources/read` request from the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResourceResult {
    pub contents: Vec<ResourceContents>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// Parameters for a `resources/subscribe` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct SubscribeRequestParams {
    /// The URI of the resource.
    pub uri: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// Parameters for a `resources/unsubscribe` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct UnsubscribeRequestParams {
    /// The URI of the resource.
    pub uri: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// Parameters for a `notifications/resources/updated` notification.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceUpdatedNotificationParams {
    /// The URI of the resource that has been updated. This might be a
    /// sub-resource of the one that the client actually subscribed to.
    pub uri: String,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
