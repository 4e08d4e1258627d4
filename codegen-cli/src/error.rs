//! What can go wrong, with what the user needs to act on it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// The protocol could not be rendered; nothing was written.
#[derive(Debug)]
pub enum RenderError {
    /// ts-rs could not render a type.
    TypeScript {
        rust_name: &'static str,
        source: ts_rs::ExportError,
    },
    /// Two different types (or a type and a message union) would be written
    /// to the same file or under the same name.
    NameConflict {
        name: String,
        first: String,
        second: String,
    },
    /// A name that cannot be a file name in the output folder.
    UnsafeName { name: String, owner: String },
    /// A `$ref` that points at no definition in its own file.
    DanglingRef { file: String, reference: String },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::TypeScript { rust_name, source } => {
                write!(f, "cannot render `{rust_name}` as TypeScript: {source}")
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
                write!(f, "`{file}` refers to `{reference}`, which it does not define")
            }
        }
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RenderError::TypeScript { source, .. } => Some(source),
            _ => None,
        }
    }
}

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
