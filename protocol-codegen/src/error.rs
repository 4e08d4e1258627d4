//! What can go wrong, with what the user needs to act on it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// The protocol could not be rendered; nothing was written.
#[derive(Debug)]
pub enum RenderError {
    /// A type's schema says something the model cannot hold.
    Unrepresentable {
        type_name: String,
        /// Where in the type's schema, as a JSON pointer.
        pointer: String,
        keyword: String,
        why: String,
    },
    /// A type an output needs is not part of the protocol.
    MissingType { name: String, needed_by: String },
    /// Two different types (or a type and a message union) would be written
    /// to the same file or under the same name.
    NameConflict {
        name: String,
        first: String,
        second: String,
    },
    /// A name that cannot be a file name in the output folder.
    UnsafeName { name: String, owner: String },
    /// A reference to a type the protocol does not have.
    DanglingRef { file: String, reference: String },
    /// A capability (of a method, or the experimental opt-in or opt-out)
    /// that its side's capabilities object does not have: no peer can
    /// declare it, so whatever it gates is never allowed.
    UnknownCapability {
        capability: String,
        /// Where that side's capabilities object is, e.g.
        /// ``params.capabilities of `initialize` ``.
        location: String,
        /// The type (or what) that has no such member.
        ty: String,
        member: String,
        /// The members it has.
        members: Vec<String>,
    },
    /// A conformance example (or its folder) that cannot be read or is not
    /// JSON.
    Example { path: PathBuf, why: String },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Unrepresentable {
                type_name,
                pointer,
                keyword,
                why,
            } => write!(
                f,
                "the schema of `{type_name}` cannot be represented: keyword `{keyword}` at `#{pointer}`: {why}"
            ),
            RenderError::MissingType { name, needed_by } => {
                write!(f, "`{needed_by}` needs the type `{name}`, which the protocol does not have")
            }
            RenderError::NameConflict {
                name,
                first,
                second,
            } => write!(
                f,
                "`{first}` and `{second}` would both be written as `{name}`; rename one of them (`#[serde(rename)]`/`#[schemars(rename)]`/`#[ts(rename)]`)"
            ),
            RenderError::UnsafeName { name, owner } => write!(
                f,
                "`{owner}` is named `{name}`, which cannot be a file name in the output folder"
            ),
            RenderError::DanglingRef { file, reference } => {
                write!(f, "{file} refers to `{reference}`, which is not a type of the protocol")
            }
            RenderError::UnknownCapability {
                capability,
                location,
                ty,
                member,
                members,
            } => {
                write!(
                    f,
                    "the capability `{capability}` cannot be declared: in {location}, `{ty}` has no member `{member}`"
                )?;
                if members.is_empty() {
                    f.write_str(" (it has none)")
                } else {
                    let members: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                    write!(f, " (it has {}); capability paths use the wire names", members.join(", "))
                }
            }
            RenderError::Example { path, why } => {
                write!(f, "the example `{}` {why}", path.display())
            }
        }
    }
}

impl std::error::Error for RenderError {}

/// Reading or writing the output directory failed.
#[derive(Debug)]
pub struct OutputError {
    /// What was being done, e.g. "create directory".
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl OutputError {
    pub(crate) fn new(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        OutputError {
            action,
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} `{}`: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
