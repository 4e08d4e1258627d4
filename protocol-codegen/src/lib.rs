//! Renders a protocol built with `protocol-macros` as JSON Schema,
//! TypeScript and a machine-readable model, and keeps an output directory in
//! sync with it.
//!
//! The pipeline is registry → [`model`] → renderers:
//!
//! - [`model::build`] turns a [`Protocol`] (a registry plus extra types; the
//!   JSON-RPC envelope is always added) into a [`Model`]: every method and
//!   every named type as plain data, from the types' schemas.
//! - the outputs (`render/`, each an [`Output`]) read only the model: JSON
//!   Schema, TypeScript, the TypeScript client, `protocol.meta.json`,
//!   OpenRPC, the Markdown reference. A generator chooses which it writes
//!   ([`Protocol::with_outputs`]; all of [`ALL_OUTPUTS`] unless it does).
//! - [`write_generated`] writes the [`Generated`] files (atomically,
//!   removing files it wrote earlier that are no longer rendered);
//!   [`check_generated`] compares them with the directory and reports the
//!   [`Drift`]; [`assert_generated_in_sync`] is that check as a test of a
//!   protocol's own `cargo test`, which outside CI rewrites the folder.
//! - [`cli`] is the command line any protocol's generator binary can run.
//! - [`validate`] checks a transcript of messages against the protocol,
//!   with the decoders ([`validate::Decoders`]) the protocol's `#[protocol]`
//!   module generated, which [`Protocol::of`] takes.
//!
//! This library knows no protocol: the registry, the output folder and the
//! command that regenerates the output are its inputs. Rendering does no
//! I/O, so a failing render never touches the directory, and the output
//! depends on nothing but the protocol: same bytes on every machine.

pub mod cli;
mod error;
mod input;
mod json_format;
pub mod model;
mod output;
mod render;
mod tools;

pub use tools::{breaking, validate};

use std::collections::BTreeMap;

pub use protocol_macros::{Registry, TypeInfo};

pub use error::{OutputError, RenderError};
pub use input::collect::{envelope_types, envelope_types_of};
pub use input::examples::{Example, Examples};
pub use json_format::to_canonical_json;
pub use model::Model;
pub use output::header::{is_owned, notice, Carrier, Mark};
pub use output::in_sync::{assert_generated_in_sync, ensure_generated};
pub use output::sync::{check_generated, write_generated, Drift, StaleFile, WriteSummary};
pub use render::client::{ClientOutput, CLIENT_FILE, CLIENT_PROTOCOL_FILE, PACKAGE_FILE};
pub use render::json_schema::{JsonSchemaOutput, BUNDLE_FILE};
pub use render::markdown::{MarkdownOutput, REFERENCE_FILE};
pub use render::meta::{meta_schema, MetaOutput, META_FILE, META_FORMAT_VERSION, META_SCHEMA_FILE};
pub use render::openrpc::{Info, OpenRpcOutput, OPENRPC_FILE};
pub use render::schema::{schema as type_ref_schema, type_schema};
pub use render::ts_syntax::typescript_header;
pub use render::typescript::TypeScriptOutput;
pub use render::{Context, Earlier, IndexEntry, Output, Rendered, ALL_OUTPUTS};

/// Where the experimental surface goes, with the same layout inside.
pub const EXPERIMENTAL_FOLDER: &str = "experimental";

/// What to render: every method set of `registry`, every params and
/// response type, the JSON-RPC envelope types and `extra_types`; and the
/// command that renders it again, named in every file.
#[derive(Debug, Clone, Copy)]
pub struct Protocol<'a> {
    pub registry: &'a Registry,
    /// Types to render besides those the methods and the envelope use.
    pub extra_types: &'a [TypeInfo],
    /// The command that regenerates the output, e.g.
    /// `cargo run -p codegen-cli -- write-schema`.
    pub command: &'a str,
    /// The protocol's name and version, for `openrpc.json`: those of the
    /// package that defines it unless [`Protocol::with_info`] says otherwise.
    pub info: Info<'a>,
    /// The decoders of the protocol's messages, for `validate`.
    pub decoders: Option<validate::Decoders>,
    /// The outputs it writes, in order ([`ALL_OUTPUTS`] unless chosen).
    pub outputs: &'a [&'a dyn Output],
    /// The folder of its conformance examples, one folder per method
    /// ([`Examples`]), which the reference shows; none unless given.
    pub examples: Option<&'a std::path::Path>,
}

impl<'a> Protocol<'a> {
    pub const fn new(registry: &'a Registry, command: &'a str) -> Self {
        Protocol {
            registry,
            extra_types: &[],
            command,
            info: Info {
                title: registry.package.name,
                version: registry.package.version,
            },
            decoders: None,
            outputs: ALL_OUTPUTS,
            examples: None,
        }
    }

    /// The folder of the protocol's conformance examples (one folder per
    /// method, named by its wire name), read before rendering.
    pub const fn with_examples(self, examples: &'a std::path::Path) -> Self {
        Protocol {
            examples: Some(examples),
            ..self
        }
    }

    /// The outputs to write instead of [`ALL_OUTPUTS`], in order.
    pub const fn with_outputs(self, outputs: &'a [&'a dyn Output]) -> Self {
        Protocol { outputs, ..self }
    }

    /// The protocol's name and version, instead of its package's.
    pub const fn with_info(self, title: &'a str, version: &'a str) -> Self {
        Protocol {
            info: Info { title, version },
            ..self
        }
    }

    /// The protocol of `P` (either of its generated sides, `ClientSide` or
    /// `ServerSide`): its registry, and the decoders `validate` needs.
    pub fn of<P: protocol_macros::Peer>(command: &'a str) -> Self {
        Protocol {
            decoders: Some(validate::Decoders::of::<P>()),
            ..Protocol::new(P::registry(), command)
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

impl Draft {
    /// The draft's `$schema` URI, as every `json/` file written in it
    /// states.
    pub fn meta_schema(self) -> String {
        let settings = match self {
            Draft::Draft2020_12 => schemars::generate::SchemaSettings::draft2020_12(),
            Draft::Draft07 => schemars::generate::SchemaSettings::draft07(),
        };
        settings.meta_schema.map(String::from).unwrap_or_default()
    }

    /// The draft whose `$schema` URI is `uri`.
    pub fn from_meta_schema(uri: &str) -> Option<Draft> {
        [Draft::Draft2020_12, Draft::Draft07]
            .into_iter()
            .find(|draft| draft.meta_schema() == uri)
    }

    /// The draft as `--draft` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Draft::Draft2020_12 => "2020-12",
            Draft::Draft07 => "07",
        }
    }
}

/// The rendered output: file contents by `/`-separated path relative to the
/// output directory (`protocol.meta.json`, `json/…`, `typescript/…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    files: BTreeMap<String, String>,
    /// The command named in every file's header: what makes a file ours.
    command: String,
    layout: Layout,
}

/// Where the outputs that rendered a [`Generated`] write, and how their
/// files are recognised: all the output directory's writer needs to know
/// of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The folders of the top surface the outputs write into, made even
    /// when empty.
    pub(crate) folders: Vec<String>,
    /// The folders scanned for files written earlier: those, and the
    /// experimental surface's.
    pub(crate) scanned: Vec<String>,
    /// Every output's marks.
    pub(crate) marks: Vec<Mark>,
}

impl Layout {
    pub(crate) fn of(outputs: &[&dyn Output]) -> Layout {
        let mut folders: Vec<String> = outputs
            .iter()
            .flat_map(|output| output.folders().iter().map(|f| (*f).to_owned()))
            .collect();
        folders.sort();
        folders.dedup();
        let mut scanned = folders.clone();
        scanned.push(EXPERIMENTAL_FOLDER.to_owned());
        scanned.sort();
        scanned.dedup();
        let mut marks: Vec<Mark> = Vec::new();
        for mark in outputs.iter().flat_map(|output| output.marks()) {
            if !marks.contains(mark) {
                marks.push(*mark);
            }
        }
        Layout {
            folders,
            scanned,
            marks,
        }
    }
}

impl Generated {
    /// Whether `contents`, found at `path`, carry the mark of one of the
    /// outputs that rendered this, naming its command.
    pub fn owns(&self, path: &str, contents: &str) -> bool {
        output::header::is_marked(&self.layout.marks, path, contents, &self.command)
    }

    /// Whether some output's mark applies to the file at `path`: a file
    /// that could be one of its own.
    pub(crate) fn could_own(&self, path: &str) -> bool {
        self.layout.marks.iter().any(|mark| mark.applies_to(path))
    }

    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The command that regenerates the output, named in every file.
    pub fn command(&self) -> &str {
        &self.command
    }

    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// The model of `protocol`.
pub fn build_model(protocol: Protocol<'_>) -> Result<Model, RenderError> {
    let (definitions, views) = definitions_in_views(protocol)?;
    model::build(protocol.registry, definitions, &views)
}

/// schemars's own schema of every type and message union of `protocol`, in
/// its direction's view, by name: what the model is built from, and what
/// the model's JSON Schema must equal.
pub fn source_schemas(
    protocol: Protocol<'_>,
) -> Result<serde_json::Map<String, serde_json::Value>, RenderError> {
    Ok(definitions_in_views(protocol)?.0)
}

fn definitions_in_views(
    protocol: Protocol<'_>,
) -> Result<
    (
        serde_json::Map<String, serde_json::Value>,
        input::direction::Views,
    ),
    RenderError,
> {
    let types = input::collect::wire_types(protocol.registry, protocol.extra_types);
    input::schemas::definitions_by_name(protocol.registry, &types)
}

/// Renders every file in memory (the examples, when the protocol names
/// their folder, are read first).
pub fn render(protocol: Protocol<'_>, draft: Draft) -> Result<Generated, RenderError> {
    let model = build_model(protocol)?;
    let examples = match protocol.examples {
        Some(dir) => Examples::read(dir, &model)?,
        None => Examples::default(),
    };
    render_model(
        &model,
        protocol.outputs,
        protocol.command,
        protocol.info,
        &examples,
        draft,
    )
}

/// Renders every file of `model` with `outputs`, naming `command` in each:
/// its stable surface at the top of the output, and, when the protocol has
/// experimental parts, the whole of it under `experimental/` with the same
/// layout.
pub fn render_model(
    model: &Model,
    outputs: &[&dyn Output],
    command: &str,
    info: Info<'_>,
    examples: &Examples,
    draft: Draft,
) -> Result<Generated, RenderError> {
    let notice = output::header::notice(command);
    let cx = Context {
        notice: &notice,
        draft,
        info,
        examples,
        earlier: None,
    };
    let files = if !model::surface::has_experimental(model) {
        render::render_surface(model, outputs, cx, None)?.into_files(outputs, cx)?
    } else {
        let stable = model::surface::stable(model);
        let first = render::render_surface(&stable, outputs, cx, None)?;
        // The experimental surface keeps what the stable one rendered of
        // the types it has unchanged.
        let experimental = render::render_surface(model, outputs, cx, Some((&stable, &first)))?;
        let mut files = first.into_files(outputs, cx)?;
        for (path, contents) in experimental.into_files(outputs, cx)? {
            files.insert(format!("{EXPERIMENTAL_FOLDER}/{path}"), contents);
        }
        files
    };
    Ok(Generated {
        files,
        command: command.to_owned(),
        layout: Layout::of(outputs),
    })
}

/// The largest bundle `recorded_draft` reads (no rendering is at hand to
/// bound it yet); no protocol's bundle comes near.
const BUNDLE_LIMIT: u64 = 256 << 20;

/// The draft the output directory's JSON Schema files were written in, as
/// its bundle (`json/protocol.schema.json`, if its header names `command`)
/// states in `$schema`; `None` if there is no such bundle. It is how
/// `check` and `write-schema` without `--draft` follow the draft chosen
/// earlier.
pub fn recorded_draft(
    out_dir: &std::path::Path,
    command: &str,
) -> Result<Option<Draft>, OutputError> {
    let path = render::json_schema::BUNDLE_PATH;
    let Some(text) = output::sync::read_file(out_dir, path, BUNDLE_LIMIT)? else {
        return Ok(None);
    };
    if !output::header::is_marked(&[render::json_schema::MARK], path, &text, command) {
        return Ok(None);
    }
    Ok(serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|bundle| {
            bundle
                .get("$schema")
                .and_then(|uri| uri.as_str())
                .and_then(Draft::from_meta_schema)
        }))
}

/// `first` on this thread and `second` on another, at the same time; a
/// panic in `second` goes on in this thread.
pub(crate) fn on_two_threads<A, B: Send>(
    first: impl FnOnce() -> A,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The experimental surface keeps what the stable surface rendered of
    /// the types it has unchanged, and comes out as it does rendered alone.
    /// The model is this repository's protocol, read back from its
    /// committed `protocol.meta.json`.
    #[test]
    fn the_experimental_surface_is_what_it_is_rendered_alone() {
        let model = breaking::parse_model(include_str!(
            "../../generated/experimental/protocol.meta.json"
        ))
        .unwrap();
        let stable = model::surface::stable(&model);
        assert_ne!(stable, model, "the protocol has experimental parts");
        // A type the stable surface has unchanged that refers to one it
        // has changed: its file cannot be kept.
        assert!(model.types.iter().any(|ty| {
            stable.type_named(&ty.name) == Some(ty)
                && render::schema::referenced_types(&model, ty)
                    .iter()
                    .any(|name| stable.type_named(name) != model.type_named(name))
        }));
        let info = Info {
            title: "protocol",
            version: "1.0.0",
        };
        for draft in [Draft::Draft2020_12, Draft::Draft07] {
            let notice = output::header::notice("regenerate");
            let examples = Examples::default();
            let cx = Context {
                notice: &notice,
                draft,
                info,
                examples: &examples,
                earlier: None,
            };
            let alone = render::render_surface(&model, ALL_OUTPUTS, cx, None)
                .unwrap()
                .into_files(ALL_OUTPUTS, cx)
                .unwrap();
            let rendered =
                render_model(&model, ALL_OUTPUTS, "regenerate", info, &examples, draft).unwrap();
            let prefix = format!("{EXPERIMENTAL_FOLDER}/");
            let experimental: BTreeMap<String, String> = rendered
                .files
                .iter()
                .filter_map(|(path, text)| {
                    Some((path.strip_prefix(&prefix)?.to_owned(), text.clone()))
                })
                .collect();
            assert_eq!(experimental, alone);
        }
    }
}
