//! Elicitation: the server asks the user, through the client, for
//! information (a form) or to visit a URL.
//!
//! Two unions here have no tag member, and are decoded deterministically:
//! `ElicitRequestParams` by its `mode` (the URL arm requires `mode: "url"`,
//! the form arm takes `"form"` or no `mode`), and
//! `PrimitiveSchemaDefinition` by its `type` and which of `oneOf`, `enum`,
//! `enumNames`, `items.anyOf` it has (serde's untagged arms, tried in a
//! fixed order in which no earlier arm accepts what a later one is for).

use std::collections::BTreeMap;

use protocol_macros::wire;

use crate::base::{literal, Meta, RequestMeta};
use crate::tasks::{CreateTaskResult, TaskMetadata};

literal!(
    /// `"url"`.
    UrlMode = "url"
);

literal!(
    /// `"form"`.
    FormMode = "form"
);

literal!(
    /// `"string"`.
    StringType = "string"
);

literal!(
    /// `"boolean"`.
    BooleanType = "boolean"
);

literal!(
    /// `"array"`.
    ArrayType = "array"
);

/// `"integer"` or `"number"`.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum NumberType {
    Integer,
    Number,
}

/// The format of a string field.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum StringFormat {
    Email,
    Uri,
    Date,
    DateTime,
}

/// A string field of an elicitation form.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct StringSchema {
    #[serde(rename = "type")]
    pub kind: StringType,
    #[optional]
    pub title: Option<String>,
    #[optional]
    pub description: Option<String>,
    #[optional]
    pub min_length: Option<u64>,
    #[optional]
    pub max_length: Option<u64>,
    #[optional]
    pub format: Option<StringFormat>,
    #[optional]
    pub default: Option<String>,
}

/// A number field of an elicitation form.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSchema {
    #[serde(rename = "type")]
    pub kind: NumberType,
    #[optional]
    pub title: Option<String>,
    #[optional]
    pub description: Option<String>,
    #[optional]
    pub minimum: Option<serde_json::Number>,
    #[optional]
    pub maximum: Option<serde_json::Number>,
    #[optional]
    pub default: Option<serde_json::Number>,
}

/// A boolean field of an elicitation form.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct BooleanSchema {
    #[serde(rename = "type")]
    pub kind: BooleanType,
    #[optional]
    pub title: Option<String>,
    #[optional]
    pub description: Option<String>,
    #[optional]
    pub default: Option<bool>,
}

/// Single-selection enumeration without display titles for options.
/// Nothing but these members: one with `enumNames` is a
/// `LegacyTitledEnumSchema`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UntitledSingleSelectEnumSchema {
    #[serde(rename = "type")]
    pub kind: StringType,
    /// Optional title for the enum field.
    #[optional]
    pub title: Option<String>,
    /// Optional description for the enum field.
    #[optional]
    pub description: Option<String>,
    /// Array of enum values to choose from.
    #[serde(rename = "enum")]
    pub values: Vec<String>,
    /// Optional default value.
    #[optional]
    pub default: Option<String>,
}

/// One option of a titled enumeration: its value and display label.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct EnumOption {
    /// The enum value.
    #[serde(rename = "const")]
    pub value: String,
    /// Display label for this option.
    pub title: String,
}

/// Single-selection enumeration with display titles for each option.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TitledSingleSelectEnumSchema {
    #[serde(rename = "type")]
    pub kind: StringType,
    /// Optional title for the enum field.
    #[optional]
    pub title: Option<String>,
    /// Optional description for the enum field.
    #[optional]
    pub description: Option<String>,
    /// Array of enum options with values and display labels.
    pub one_of: Vec<EnumOption>,
    /// Optional default value.
    #[optional]
    pub default: Option<String>,
}

/// The items of an untitled multi-select: strings from `enum`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct UntitledEnumItems {
    #[serde(rename = "type")]
    pub kind: StringType,
    /// Array of enum values to choose from.
    #[serde(rename = "enum")]
    pub values: Vec<String>,
}

/// The items of a titled multi-select: options with labels.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TitledEnumItems {
    /// Array of enum options with values and display labels.
    pub any_of: Vec<EnumOption>,
}

/// Multiple-selection enumeration without display titles for options.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct UntitledMultiSelectEnumSchema {
    #[serde(rename = "type")]
    pub kind: ArrayType,
    /// Optional title for the enum field.
    #[optional]
    pub title: Option<String>,
    /// Optional description for the enum field.
    #[optional]
    pub description: Option<String>,
    /// Minimum number of items to select.
    #[optional]
    pub min_items: Option<u64>,
    /// Maximum number of items to select.
    #[optional]
    pub max_items: Option<u64>,
    /// Schema for the array items.
    pub items: UntitledEnumItems,
    /// Optional default value.
    #[optional]
    pub default: Option<Vec<String>>,
}

/// Multiple-selection enumeration with display titles for each option.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct TitledMultiSelectEnumSchema {
    #[serde(rename = "type")]
    pub kind: ArrayType,
    /// Optional title for the enum field.
    #[optional]
    pub title: Option<String>,
    /// Optional description for the enum field.
    #[optional]
    pub description: Option<String>,
    /// Minimum number of items to select.
    #[optional]
    pub min_items: Option<u64>,
    /// Maximum number of items to select.
    #[optional]
    pub max_items: Option<u64>,
    /// Schema for array items with enum options and display labels.
    pub items: TitledEnumItems,
    /// Optional default value.
    #[optional]
    pub default: Option<Vec<String>>,
}

/// Use `TitledSingleSelectEnumSchema` instead. The legacy way to give
/// enum options display names (`enumNames`, non-standard JSON Schema).
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyTitledEnumSchema {
    #[serde(rename = "type")]
    pub kind: StringType,
    #[optional]
    pub title: Option<String>,
    #[optional]
    pub description: Option<String>,
    #[serde(rename = "enum")]
    pub values: Vec<String>,
    /// (Legacy) Display names for enum values.
    #[optional]
    pub enum_names: Option<Vec<String>>,
    #[optional]
    pub default: Option<String>,
}

/// The schema of one field of an elicitation form: restricted to primitive
/// types, without nesting. Arms tried in this order: boolean, number,
/// titled multi-select (`items.anyOf`), untitled multi-select, titled
/// single-select (`oneOf`), untitled single-select (exactly its members),
/// legacy titled (`enum` with anything else, `enumNames` included), string.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum PrimitiveSchemaDefinition {
    Boolean(BooleanSchema),
    Number(NumberSchema),
    TitledMultiSelect(TitledMultiSelectEnumSchema),
    UntitledMultiSelect(UntitledMultiSelectEnumSchema),
    TitledSingleSelect(TitledSingleSelectEnumSchema),
    UntitledSingleSelect(UntitledSingleSelectEnumSchema),
    LegacyTitled(LegacyTitledEnumSchema),
    String(StringSchema),
}

/// A restricted subset of JSON Schema for a form: only top-level
/// properties, without nesting.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ElicitRequestedSchema {
    /// The JSON Schema dialect.
    #[optional]
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    #[serde(rename = "type")]
    pub kind: crate::base::ObjectType,
    pub properties: BTreeMap<String, PrimitiveSchemaDefinition>,
    #[optional]
    pub required: Option<Vec<String>>,
}

/// The parameters for a request to elicit non-sensitive information from
/// the user via a form in the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ElicitRequestFormParams {
    /// The elicitation mode (`"form"`, the default when absent).
    #[optional]
    pub mode: Option<FormMode>,
    /// The message to present to the user describing what information is
    /// being requested.
    pub message: String,
    /// A restricted subset of JSON Schema.
    pub requested_schema: ElicitRequestedSchema,
    /// If specified, the caller requests task-augmented execution.
    #[optional]
    pub task: Option<TaskMetadata>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The parameters for a request to elicit information from the user via a
/// URL in the client.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ElicitRequestURLParams {
    /// The elicitation mode.
    pub mode: UrlMode,
    /// The message to present to the user explaining why the interaction
    /// is needed.
    pub message: String,
    /// The ID of the elicitation, unique within the server's context.
    pub elicitation_id: String,
    /// The URL that the user should navigate to.
    pub url: String,
    /// If specified, the caller requests task-augmented execution.
    #[optional]
    pub task: Option<TaskMetadata>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The parameters for an `elicitation/create` request: URL mode when
/// `mode` is `"url"`, form mode otherwise (tried in that order).
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum ElicitRequestParams {
    Url(ElicitRequestURLParams),
    Form(ElicitRequestFormParams),
}

/// The user action in response to the elicitation.
#[wire]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// User submitted the form or confirmed the action.
    Accept,
    /// User explicitly declined the action.
    Decline,
    /// User dismissed without making an explicit choice.
    Cancel,
}

/// A value submitted in a form: told apart by its JSON type.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum ElicitValue {
    String(String),
    Number(serde_json::Number),
    Boolean(bool),
    Strings(Vec<String>),
}

/// The client's response to an `elicitation/create` request from the server.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ElicitResult {
    /// The user action in response to the elicitation.
    pub action: ElicitAction,
    /// The submitted form data, only present when action is `"accept"` and
    /// mode was `"form"`.
    #[optional]
    pub content: Option<BTreeMap<String, ElicitValue>>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}

/// What `elicitation/create` answers: the user's response, or, when the
/// request carried `task`, the task created for it. Decoded in that fixed
/// order: a response has `action`, which a `CreateTaskResult` never has.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum ElicitResponse {
    Result(ElicitResult),
    Task(CreateTaskResult),
}

/// Parameters of `notifications/elicitation/complete`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ElicitationCompleteNotificationParams {
    /// The ID of the elicitation that completed.
    pub elicitation_id: String,
}
