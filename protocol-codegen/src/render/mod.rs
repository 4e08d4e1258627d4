//! The renderers, one [`Output`] each. Each reads the model and nothing
//! else: it is handed the model and returns its files, and no renderer
//! reads another renderer's output. A renderer may reuse what it rendered
//! itself for an earlier surface of the same run ([`Earlier`]), for a type
//! that surface has unchanged. What several outputs put in one shared file
//! (the TypeScript `index.ts`) they give as data ([`IndexEntry`]), and the
//! output that owns the file renders it once from all of them.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Model, TypeDefinition};
use crate::output::header::Mark;
use crate::{Draft, Examples, Info, RenderError};

pub mod client;
pub mod json_schema;
pub mod markdown;
pub mod meta;
pub mod openrpc;
pub mod schema;
pub mod ts_syntax;
pub mod typescript;

/// Every output this crate ships, in the order their files are rendered
/// and their index entries listed: what a protocol writes unless it
/// chooses ([`crate::Protocol::with_outputs`]).
pub const ALL_OUTPUTS: &[&dyn Output] = &[
    &json_schema::JsonSchemaOutput,
    &typescript::TypeScriptOutput,
    &client::ClientOutput,
    &meta::MetaOutput,
    &openrpc::OpenRpcOutput,
    &markdown::MarkdownOutput,
];

/// One output of the generator: a language or document rendered from the
/// model into its own files under the output directory.
///
/// Adding a language is one module implementing this trait, and its
/// registration in the list a generator writes ([`ALL_OUTPUTS`], or the
/// list given to [`crate::Protocol::with_outputs`]). The rest (the
/// experimental surface under its folder, ownership of files found on
/// disk, writing and checking) follows from what the trait says.
pub trait Output: Sync {
    /// What the output is, for messages: `JSON Schema`.
    fn name(&self) -> &'static str;

    /// The folders, relative to a surface's root, its files go in
    /// (besides any file it writes at the root): made when missing, and
    /// scanned for files it wrote earlier that it no longer renders.
    fn folders(&self) -> &'static [&'static str];

    /// How its files carry the "generated" notice, one mark per extension
    /// it writes: what makes a file found on disk its own.
    fn marks(&self) -> &'static [Mark];

    /// Its files of one surface, from the model alone (and what it
    /// rendered itself for an earlier surface, [`Context::earlier`]).
    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError>;

    /// A shared index it owns, rendered from the entries every output of
    /// the surface gave (its own included): the index's path and text.
    fn index(&self, _entries: &[IndexEntry], _cx: &Context<'_>) -> Option<(String, String)> {
        None
    }
}

impl fmt::Debug for dyn Output + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an output renders one surface with, besides the model.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The notice every file carries ([`crate::notice`]).
    pub notice: &'a str,
    /// The JSON Schema draft of the run.
    pub draft: Draft,
    /// The protocol's name and version.
    pub info: Info<'a>,
    /// The conformance examples of its methods.
    pub examples: &'a Examples,
    /// What this output rendered for the stable surface, when this is the
    /// experimental one.
    pub earlier: Option<Earlier<'a>>,
}

/// What an output rendered of one surface.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Its files, by `/`-separated path relative to the surface's root.
    pub files: BTreeMap<String, String>,
    /// What it adds to shared indexes.
    pub index_entries: Vec<IndexEntry>,
    /// Texts it keeps, by a key of its own, for the next surface of the
    /// run ([`Earlier::kept`]).
    pub kept: BTreeMap<String, String>,
}

/// One entry of a shared index: `names` exported from `module`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The index's path, relative to the surface's root.
    pub index: &'static str,
    /// The module the names come from, relative to the index's folder,
    /// without extension: `AddParams`, `client`.
    pub module: String,
    pub names: Vec<String>,
    /// Whether the names are types only (no value at run time).
    pub type_only: bool,
}

/// The stable surface, rendered earlier in the same run with the same
/// draft and notice, as one output saw it: its model, and that output's
/// own files (by path relative to the surface's root) and kept texts.
#[derive(Clone, Copy)]
pub struct Earlier<'a> {
    pub model: &'a Model,
    pub files: &'a BTreeMap<String, String>,
    pub kept: &'a BTreeMap<String, String>,
}

impl Earlier<'_> {
    /// Whether the earlier surface has `ty`, unchanged.
    pub fn has(&self, ty: &TypeDefinition) -> bool {
        self.model.type_named(&ty.name) == Some(ty)
    }
}

/// Every output's rendering of one surface, in the order of the outputs.
pub(crate) struct Surface {
    pub(crate) rendered: Vec<Rendered>,
}

/// Renders one surface with every output of `outputs`, each on a thread of
/// its own (they are independent); `earlier` is what each rendered for the
/// stable surface, when this is the experimental one.
pub(crate) fn render_surface(
    model: &Model,
    outputs: &[&dyn Output],
    cx: Context<'_>,
    earlier: Option<(&Model, &Surface)>,
) -> Result<Surface, RenderError> {
    let context = |index: usize| Context {
        earlier: earlier.map(|(model, surface)| Earlier {
            model,
            files: &surface.rendered[index].files,
            kept: &surface.rendered[index].kept,
        }),
        ..cx
    };
    let results: Vec<Result<Rendered, RenderError>> = std::thread::scope(|scope| {
        let spawned: Vec<_> = outputs
            .iter()
            .enumerate()
            .skip(1)
            .map(|(index, output)| scope.spawn(move || output.render(model, &context(index))))
            .collect();
        let mut results = Vec::with_capacity(outputs.len());
        if let Some(first) = outputs.first() {
            results.push(first.render(model, &context(0)));
        }
        for handle in spawned {
            results.push(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    });
    let mut rendered = Vec::with_capacity(results.len());
    for (output, result) in outputs.iter().zip(results) {
        let result = result?;
        for path in result.files.keys() {
            assert!(
                output.marks().iter().any(|mark| mark.applies_to(path)),
                "the {} output renders `{path}`, which none of its marks applies to",
                output.name()
            );
        }
        rendered.push(result);
    }
    Ok(Surface { rendered })
}

impl Surface {
    /// Every file of the surface, shared indexes included, by path
    /// relative to its root. A path two outputs render is a conflict.
    pub(crate) fn into_files(
        self,
        outputs: &[&dyn Output],
        cx: Context<'_>,
    ) -> Result<BTreeMap<String, String>, RenderError> {
        let mut entries: Vec<IndexEntry> = Vec::new();
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        let mut owners: BTreeMap<String, &'static str> = BTreeMap::new();
        let mut add = |output: &dyn Output, path: String, text: String| {
            if let Some(first) = owners.get(&path) {
                return Err(RenderError::NameConflict {
                    name: path,
                    first: format!("the {first} output"),
                    second: format!("the {} output", output.name()),
                });
            }
            owners.insert(path.clone(), output.name());
            files.insert(path, text);
            Ok(())
        };
        for (output, rendered) in outputs.iter().zip(self.rendered) {
            entries.extend(rendered.index_entries);
            for (path, text) in rendered.files {
                add(*output, path, text)?;
            }
        }
        for output in outputs {
            if let Some((path, text)) = output.index(&entries, &cx) {
                add(*output, path, text)?;
            }
        }
        Ok(files)
    }
}
