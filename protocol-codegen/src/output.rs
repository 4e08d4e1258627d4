//! Writing the rendered files to an output directory, and comparing them
//! with it.
//!
//! The generator owns the files it renders plus any `.json`/`.ts` file in
//! `json/` or `typescript/` that carries its header; it removes owned files
//! it no longer renders and never touches anything else.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::error::OutputError;
use crate::header::is_owned;
use crate::Generated;

/// The folders of the output directory the generator writes into.
pub const OUTPUT_FOLDERS: [&str; 2] = ["json", "typescript"];

/// What `write_generated` did, by path relative to the output directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Writes every rendered file whose contents differ from the disk (each
/// through a temporary file in the same folder, renamed into place), then
/// removes the owned files that were not rendered.
pub fn write_generated(generated: &Generated, out_dir: &Path) -> Result<WriteSummary, OutputError> {
    let owned = owned_files(out_dir)?;
    // A file at a rendered path that is not ours was written by someone
    // else: refuse before anything is replaced, rather than lose it.
    for (path, contents) in generated.files() {
        let target = out_dir.join(path);
        if let Some(existing) = read_text(&target)? {
            if existing != *contents && !is_owned(path, &existing) {
                return Err(OutputError::new(
                    "overwrite",
                    &target,
                    io::Error::other(
                        "it was not written by this generator (it has no generated-file header); \
                         move it away or delete it, then run the command again",
                    ),
                ));
            }
        }
    }
    // Fail on an unwritable directory before the first file is replaced.
    for folder in OUTPUT_FOLDERS {
        let dir = out_dir.join(folder);
        fs::create_dir_all(&dir).map_err(|err| OutputError::new("create directory", &dir, err))?;
    }
    let mut summary = WriteSummary::default();
    for (path, contents) in generated.files() {
        let target = out_dir.join(path);
        match read_text(&target)? {
            Some(existing) if existing == *contents => summary.unchanged += 1,
            _ => {
                write_atomically(&target, contents)?;
                summary.written.push(path.clone());
            }
        }
    }
    for path in owned.keys() {
        if generated.files().contains_key(path) {
            continue;
        }
        let target = out_dir.join(path);
        fs::remove_file(&target).map_err(|err| OutputError::new("remove", &target, err))?;
        remove_empty_parents(out_dir, &target);
        summary.removed.push(path.clone());
    }
    Ok(summary)
}

/// A rendered file that differs from the one on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    pub path: String,
    /// A unified diff from the file on disk to the rendered one.
    pub diff: String,
}

/// How the output directory differs from the rendering, by paths relative
/// to the output directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    pub stale: Vec<StaleFile>,
    /// Rendered, but not on disk.
    pub missing: Vec<String>,
    /// Owned files on disk that are no longer rendered.
    pub extra: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// Every differing file, the diffs, and the command that fixes it.
    pub fn report(&self, out_dir: &Path, fix_command: &str) -> String {
        let count = self.stale.len() + self.missing.len() + self.extra.len();
        let mut out = format!(
            "`{}` is out of date with the protocol ({count} file{}):\n",
            out_dir.display(),
            if count == 1 { "" } else { "s" }
        );
        for file in &self.stale {
            out.push_str(&format!("  stale:   {}\n", file.path));
        }
        for path in &self.missing {
            out.push_str(&format!("  missing: {path}\n"));
        }
        for path in &self.extra {
            out.push_str(&format!(
                "  extra:   {path} (generated earlier, no longer rendered)\n"
            ));
        }
        for file in &self.stale {
            out.push('\n');
            out.push_str(&file.diff);
        }
        out.push_str(&format!("\nTo update it, run:\n    {fix_command}\n"));
        out
    }
}

/// Compares the rendering with the output directory, writing nothing.
/// Line endings on disk are normalised first, so a CRLF checkout is not stale.
pub fn check_generated(generated: &Generated, out_dir: &Path) -> Result<Drift, OutputError> {
    let mut drift = Drift::default();
    for (path, contents) in generated.files() {
        match read_text(&out_dir.join(path))? {
            None => drift.missing.push(path.clone()),
            Some(existing) => {
                let existing = existing.replace("\r\n", "\n");
                if existing != *contents {
                    drift.stale.push(StaleFile {
                        path: path.clone(),
                        diff: unified_diff(path, &existing, contents),
                    });
                }
            }
        }
    }
    drift.extra = owned_files(out_dir)?
        .into_keys()
        .filter(|path| !generated.files().contains_key(path))
        .collect();
    Ok(drift)
}

fn unified_diff(path: &str, on_disk: &str, rendered: &str) -> String {
    TextDiff::from_lines(on_disk, rendered)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string()
}

/// The file's text; `None` if it does not exist. A file that is not UTF-8
/// reads as text that matches nothing we render.
fn read_text(path: &Path) -> Result<Option<String>, OutputError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(err) => Err(OutputError::new("read", path, err)),
    }
}

/// Owned files under the output folders, by relative `/`-separated path.
fn owned_files(out_dir: &Path) -> Result<BTreeMap<String, ()>, OutputError> {
    let mut owned = BTreeMap::new();
    for folder in OUTPUT_FOLDERS {
        let mut pending = vec![(out_dir.join(folder), folder.to_owned())];
        while let Some((dir, relative)) = pending.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(err)
                    if matches!(
                        err.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    continue
                }
                Err(err) => return Err(OutputError::new("list directory", &dir, err)),
            };
            for entry in entries {
                let entry = entry.map_err(|err| OutputError::new("list directory", &dir, err))?;
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                let relative = format!("{relative}/{name}");
                // Symlinks are never followed: they are not ours.
                let file_type = entry
                    .file_type()
                    .map_err(|err| OutputError::new("read the type of", &path, err))?;
                if file_type.is_dir() {
                    pending.push((path, relative));
                } else if file_type.is_file() && (name.ends_with(".json") || name.ends_with(".ts"))
                {
                    if let Some(contents) = read_text(&path)? {
                        if is_owned(&relative, &contents) {
                            owned.insert(relative, ());
                        }
                    }
                }
            }
        }
    }
    Ok(owned)
}

/// Writes `contents` to a temporary file next to `target` and renames it
/// into place, so `target` is never seen half-written.
fn write_atomically(target: &Path, contents: &str) -> Result<(), OutputError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|err| OutputError::new("create directory", dir, err))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".codegen-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|err| OutputError::new("create a temporary file in", dir, err))?;
    temp.write_all(contents.as_bytes())
        .and_then(|()| temp.flush())
        .map_err(|err| OutputError::new("write", temp.path().to_path_buf(), err))?;
    set_readable_permissions(temp.as_file(), target)
        .map_err(|err| OutputError::new("set permissions of", temp.path().to_path_buf(), err))?;
    temp.persist(target)
        .map_err(|err| OutputError::new("replace", target, err.error))?;
    Ok(())
}

/// Temporary files are private (0600); the generated file gets the mode of
/// the file it replaces, or 0644.
#[cfg(unix)]
fn set_readable_permissions(file: &fs::File, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match fs::metadata(target) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
    };
    file.set_permissions(permissions)
}

#[cfg(not(unix))]
fn set_readable_permissions(_file: &fs::File, _target: &Path) -> io::Result<()> {
    Ok(())
}

/// After removing a file, removes the folders it leaves empty, up to (not
/// including) the output folder it sits in.
fn remove_empty_parents(out_dir: &Path, removed: &Path) {
    let roots: Vec<PathBuf> = OUTPUT_FOLDERS.iter().map(|f| out_dir.join(f)).collect();
    let mut dir = removed.parent();
    while let Some(current) = dir {
        if roots.iter().any(|root| root == current) || !current.starts_with(out_dir) {
            break;
        }
        if fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
