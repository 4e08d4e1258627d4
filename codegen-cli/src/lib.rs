//! Renders a protocol built with `protocol-macros` as JSON Schema and
//! TypeScript, and keeps an output directory in sync with it.
//!
//! - [`render`] turns a [`Protocol`] (a registry plus extra types; the
//!   JSON-RPC envelope is always added) into [`Generated`] files, in memory.
//! - [`write_generated`] writes them (atomically, removing files it wrote
//!   earlier that are no longer rendered); [`check_generated`] compares them
//!   with the directory and reports the [`Drift`].
//! - [`cli`] is the command line; [`workspace`] wires it to this workspace's
//!   protocol (`protocol_defs`) and `generated/` folder.
//!
//! Rendering does no I/O, so a failing render never touches the directory,
//! and the output depends on nothing but the protocol: same bytes on every
//! machine.

pub mod cli;
mod client_ts;
mod collect;
mod direction;
mod error;
mod header;
mod json_format;
mod json_schema;
mod optionality;
mod output;
mod typescript;
mod variant_docs;
pub mod workspace;

use std::collections::BTreeMap;

pub use protocol_macros::{Registry, TypeInfo};

pub use collect::envelope_types;
pub use error::{OutputError, RenderError};
pub use header::{is_owned, typescript_header, GENERATED_NOTICE, REGENERATE_COMMAND};
pub use json_format::to_canonical_json;
pub use json_schema::BUNDLE_FILE;
pub use output::{
    check_generated, write_generated, Drift, StaleFile, WriteSummary, OUTPUT_FOLDERS,
};
pub use typescript::ts_config;

/// What to render: every method set of `registry`, every params and
/// response type, the JSON-RPC envelope types and `extra_types`.
#[derive(Debug, Clone, Copy)]
pub struct Protocol<'a> {
    pub registry: &'a Registry,
    /// Types to render besides those the methods and the envelope use.
    pub extra_types: &'a [TypeInfo],
}

impl<'a> Protocol<'a> {
    pub const fn new(registry: &'a Registry) -> Self {
        Protocol {
            registry,
            extra_types: &[],
        }
    }

    pub const fn with_extra_types(self, extra_types: &'a [TypeInfo]) -> Self {
        Protocol {
            extra_types,
            ..self
        }
    }
}

/// The JSON Schema draft of the `json/` files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Draft {
    /// JSON Schema 2020-12 (definitions under `$defs`).
    #[default]
    #[value(name = "2020-12")]
    Draft2020_12,
    /// JSON Schema draft 7 (definitions under `definitions`).
    #[value(name = "07")]
    Draft07,
}

/// The rendered output: file contents by `/`-separated path relative to the
/// output directory (`json/…`, `typescript/…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    files: BTreeMap<String, String>,
}

impl Generated {
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// Renders every file in memory.
pub fn render(protocol: Protocol<'_>, draft: Draft) -> Result<Generated, RenderError> {
    let types = collect::wire_types(protocol.registry, protocol.extra_types);
    let views = direction::Views::of(protocol.registry);
    let mut files = json_schema::render_json_schema(protocol.registry, &types, draft, &views)?;
    let definitions = json_schema::definitions_by_name(protocol.registry, &types, &views)?;
    files.extend(typescript::render_typescript(
        protocol.registry,
        &types,
        &definitions,
    )?);
    client_ts::add_client(protocol.registry, &mut files)?;
    Ok(Generated { files })
}
