//! Completion: argument autocompletion for prompts and resource templates.

use std::collections::BTreeMap;

use protocol_macros::wire;

use crate::base::{literal, Meta, RequestMeta};

literal!(
    /// `"ref/prompt"`.
    PromptReferenceType = "ref/prompt"
);
literal!(
    /// `"ref/resource"`.
    ResourceTemplateReferenceType = "ref/resource"
);

/// Identifies a prompt.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct PromptReference {
    #[serde(rename = "type")]
    pub kind: PromptReferenceType,
    /// Intended for programmatic or logical use.
    pub name: String,
    /// Intended for UI and end-user contexts.
    #[optional]
    pub title: Option<String>,
}

/// A reference to a resource or resource template definition.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceTemplateReference {
    #[serde(rename = "type")]
    pub kind: ResourceTemplateReferenceType,
    /// The URI or URI template of the resource.
    pub uri: String,
}

/// What is completed: a prompt or a resource template, by its `type`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum CompleteReference {
    Prompt(PromptReference),
    ResourceTemplate(ResourceTemplateReference),
}

/// The argument's information.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CompleteArgument {
    /// The name of the argument.
    pub name: String,
    /// The value of the argument to use for completion matching.
    pub value: String,
}

/// Additional, optional context for completions.
#[wire]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompleteContext {
    /// Previously-resolved variables in a URI template or prompt.
    #[optional]
    pub arguments: Option<BTreeMap<String, String>>,
}

/// Parameters for a `completion/complete` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CompleteRequestParams {
    #[serde(rename = "ref")]
    pub reference: CompleteReference,
    /// The argument's information.
    pub argument: CompleteArgument,
    /// Additional, optional context for completions.
    #[optional]
    pub context: Option<CompleteContext>,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<RequestMeta>,
}

/// The completion options.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// An array of completion values. Must not exceed 100 items.
    pub values: Vec<String>,
    /// The total number of completion options available.
    #[optional]
    pub total: Option<u64>,
    /// Whether there are additional completion options beyond those provided.
    #[optional]
    pub has_more: Option<bool>,
}

/// The server's response to a `completion/complete` request.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct CompleteResult {
    pub completion: Completion,
    /// See the specification's General fields: `_meta`.
    #[optional]
    #[serde(rename = "_meta")]
    pub meta: Option<Meta>,
}
