//! The renderers. Each reads the model and nothing else: no renderer reads
//! another renderer's output. A renderer may reuse what it rendered itself
//! for an earlier surface of the same run ([`Earlier`]), for a type that
//! surface has unchanged.

use std::collections::BTreeMap;

use crate::model::{Model, TypeDefinition};

pub mod client;
pub mod json_schema;
pub mod meta;
pub mod openrpc;
pub mod typescript;

/// A surface rendered earlier in the same run, with the same draft and
/// headers: its model, its files (by path relative to its folder) and the
/// JSON Schema texts of its types' definitions.
#[derive(Clone, Copy)]
pub struct Earlier<'a> {
    pub model: &'a Model,
    pub files: &'a BTreeMap<String, String>,
    pub definitions: &'a BTreeMap<String, String>,
}

impl Earlier<'_> {
    /// Whether the earlier surface has `ty`, unchanged.
    pub fn has(&self, ty: &TypeDefinition) -> bool {
        self.model.type_named(&ty.name) == Some(ty)
    }
}
