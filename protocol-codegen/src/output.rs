//! Writing the rendered files to an output directory, and comparing them
//! with it.
//!
//! The generator owns the files it renders plus any `.json`/`.ts` file in
//! `json/` or `typescript/` that carries its header; it removes owned files
//! it no longer renders and never touches anything else. It never follows a
//! symbolic link below the output directory: one where it would write or
//! scan is an error, and one anywhere else is not its own.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::error::OutputError;
use crate::header::is_owned;
use crate::{Draft, Generated, BUNDLE_FILE};

/// The folders of the output directory the generator writes into.
pub const OUTPUT_FOLDERS: [&str; 2] = ["json", "typescript"];

/// The folders scanned for files the generator wrote earlier: the output
/// folders and the experimental surface (written only when the protocol has
/// experimental parts).
const SCANNED_FOLDERS: [&str; 3] = ["json", "typescript", EXPERIMENTAL_FOLDER];

/// Where the experimental surface goes, with the same layout inside.
pub const EXPERIMENTAL_FOLDER: &str = "experimental";

/// The empty file in the output directory that `write_generated` locks
/// (exclusively) and `check_generated` locks (shared, if it is there), so
/// that runs on one folder take turns. It is kept, not removed: removing a
/// lock file others may have opened would let two runs hold "the" lock.
pub const LOCK_FILE: &str = ".codegen.lock";

/// How the temporary files a run writes before renaming them are named:
/// `.codegen-<random>.tmp`, next to the file they replace.
const TEMP_PREFIX: &str = ".codegen-";
const TEMP_SUFFIX: &str = ".tmp";

/// What `write_generated` did, by path relative to the output directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Writes every rendered file whose contents differ from the disk, then
/// removes the owned files that were not rendered. Every changed file is
/// first written to a temporary file in its folder; only when all of them
/// are ready is each renamed into place, so a folder that cannot be written
/// fails the run before any file is replaced.
pub fn write_generated(generated: &Generated, out_dir: &Path) -> Result<WriteSummary, OutputError> {
    // Nothing is followed: a symbolic link where a folder or file goes is
    // refused before anything is written.
    check_folders(generated, out_dir, Mode::Write)?;
    let _lock = lock(out_dir, Mode::Write)?;
    let found = scan(out_dir)?;
    let mut summary = WriteSummary::default();
    let mut changed = Vec::new();
    // A file cannot be in a folder that is not there (looked at once per
    // folder, with the lock held): those files are new, without asking the
    // disk about each.
    let mut absent: BTreeMap<&str, bool> = BTreeMap::new();
    for (path, contents) in generated.files() {
        let target = out_dir.join(path);
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let folder_absent = *absent.entry(folder).or_insert_with(|| {
            matches!(
                fs::symlink_metadata(out_dir.join(folder)),
                Err(err) if err.kind() == io::ErrorKind::NotFound
            )
        });
        let existing = if folder_absent {
            None
        } else {
            read_target(&target, Mode::Write)?
        };
        match existing {
            Some(existing) if existing == *contents => summary.unchanged += 1,
            // A file at a rendered path that is not ours was written by
            // someone else: refuse before anything is replaced, rather
            // than lose it.
            Some(existing) if !is_owned(path, &existing) => {
                return Err(OutputError::new(
                    "overwrite",
                    &target,
                    io::Error::other(
                        "it was not written by this generator (it has no generated-file header); \
                         move it away or delete it, then run the command again",
                    ),
                ));
            }
            existing => changed.push((path, target, contents, existing.is_some())),
        }
    }
    // Left by a run killed between writing and renaming them: no run is
    // writing now (we hold the lock), so they are debris
    // (removed before ours are made).
    for path in &found.temporaries {
        let target = out_dir.join(path);
        match fs::remove_file(&target) {
            Ok(()) => summary.removed.push(path.clone()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(OutputError::new("remove", &target, err)),
        }
    }
    // Each folder is made once, not once per file.
    let mut folders = BTreeSet::new();
    for folder in OUTPUT_FOLDERS {
        let dir = out_dir.join(folder);
        fs::create_dir_all(&dir).map_err(|err| OutputError::new("create directory", &dir, err))?;
        folders.insert(dir);
    }
    for (_, target, _, _) in &changed {
        let dir = target.parent().unwrap_or(Path::new("."));
        if !folders.contains(dir) {
            fs::create_dir_all(dir)
                .map_err(|err| OutputError::new("create directory", dir, err))?;
            folders.insert(dir.to_path_buf());
        }
    }
    // The JSON files on one thread, the others on a second: folders apart,
    // so that neither waits for the other's directory.
    let written: Vec<String> = changed.iter().map(|(path, ..)| (*path).clone()).collect();
    let (json, others): (Vec<_>, Vec<_>) = changed.into_iter().partition(|(path, ..)| {
        let path = path.as_str();
        let path = path
            .strip_prefix(EXPERIMENTAL_FOLDER)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(path);
        path.starts_with("json/")
    });
    // Every temporary file first (one that fails removes those made so far,
    // on both threads)…
    let write = |files: Vec<(&String, PathBuf, &String, bool)>| {
        files
            .into_iter()
            .map(|(_, target, contents, existed)| {
                let temp = write_temporary(&target, contents, existed)?;
                Ok((target, temp))
            })
            .collect::<Result<Vec<_>, OutputError>>()
    };
    let (json, others) = crate::on_two_threads(|| write(json), || write(others));
    let (json, others) = (json?, others?);
    // …then only renames are left; after one fails, no other is made.
    let failed = std::sync::atomic::AtomicBool::new(false);
    let rename = |files: Vec<(PathBuf, tempfile::TempPath)>| {
        for (target, temp) in files {
            if failed.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            if let Err(err) = temp.persist(&target) {
                failed.store(true, std::sync::atomic::Ordering::SeqCst);
                return Err(OutputError::new("replace", &target, err.error));
            }
        }
        Ok(())
    };
    let (json, others) = crate::on_two_threads(|| rename(json), || rename(others));
    json.and(others)?;
    summary.written = written;
    for path in &found.owned {
        if generated.files().contains_key(path) {
            continue;
        }
        let target = out_dir.join(path);
        match fs::remove_file(&target) {
            Ok(()) => summary.removed.push(path.clone()),
            // Already gone (removed by hand meanwhile): what we wanted.
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(OutputError::new("remove", &target, err)),
        }
        remove_empty_parents(out_dir, &target);
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
    /// Temporary files left by a run that was killed before renaming them.
    pub partial: Vec<String>,
    /// Files at rendered paths that this generator did not write (they lack
    /// its header): `write_generated` refuses to replace them, so the user
    /// must move or delete them.
    pub foreign: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.partial.is_empty()
            && self.foreign.is_empty()
    }

    /// Every differing file, the diffs, and the command that fixes it.
    pub fn report(&self, out_dir: &Path, fix_command: &str) -> String {
        let count = self.stale.len()
            + self.missing.len()
            + self.extra.len()
            + self.partial.len()
            + self.foreign.len();
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
        for path in &self.partial {
            out.push_str(&format!(
                "  partial: {path} (temporary file of an interrupted run; write-schema removes it)\n"
            ));
        }
        for path in &self.foreign {
            out.push_str(&format!(
                "  foreign: {path} (not written by this generator)\n"
            ));
        }
        for file in &self.stale {
            out.push('\n');
            out.push_str(&file.diff);
        }
        match self.foreign.len() {
            0 => out.push_str(&format!("\nTo update it, run:\n    {fix_command}\n")),
            n => {
                let (it, is) = if n == 1 {
                    ("it", "is")
                } else {
                    ("them", "are")
                };
                out.push_str(&format!(
                    "\nThe file{} marked foreign {is} where generated files go, and \
                     write-schema never replaces a file it did not write: move {it} away or \
                     delete {it}, then run:\n    {fix_command}\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        out
    }
}

/// The draft the output directory's `json/` files were written in, as its
/// bundle (`json/protocol.schema.json`, if it carries the generated-file
/// header) states in `$schema`; `None` if there is no such bundle. It is how
/// `check` and `write-schema` without `--draft` follow the draft chosen
/// earlier.
pub fn recorded_draft(out_dir: &Path) -> Result<Option<Draft>, OutputError> {
    let folder = out_dir.join("json");
    if fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(symlink_error(&folder, Mode::Check));
    }
    let relative = format!("json/{BUNDLE_FILE}");
    let Some(text) = read_target(&out_dir.join(&relative), Mode::Check)? else {
        return Ok(None);
    };
    if !is_owned(&relative, &text) {
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

/// Compares the rendering with the output directory, writing nothing.
/// Line endings on disk are normalised first, so a CRLF checkout is not stale.
pub fn check_generated(generated: &Generated, out_dir: &Path) -> Result<Drift, OutputError> {
    // A missing output directory is all missing files; anything else that
    // is not a directory is an error, as it is to write-schema.
    match fs::metadata(out_dir) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(OutputError::new(
                "read directory",
                out_dir,
                io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "it is a file, not a directory",
                ),
            ))
        }
        Ok(_) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(OutputError::new("read directory", out_dir, err)),
    }
    check_folders(generated, out_dir, Mode::Check)?;
    let _lock = lock(out_dir, Mode::Check)?;
    let mut drift = Drift::default();
    for (path, contents) in generated.files() {
        match read_target(&out_dir.join(path), Mode::Check)? {
            None => drift.missing.push(path.clone()),
            Some(existing) => {
                let existing = existing.replace("\r\n", "\n");
                if existing != *contents && !is_owned(path, &existing) {
                    drift.foreign.push(path.clone());
                } else if existing != *contents {
                    drift.stale.push(StaleFile {
                        path: path.clone(),
                        diff: unified_diff(path, &existing, contents),
                    });
                }
            }
        }
    }
    let found = scan(out_dir)?;
    drift.extra = found
        .owned
        .into_iter()
        .filter(|path| !generated.files().contains_key(path))
        .collect();
    drift.partial = found.temporaries;
    Ok(drift)
}

fn unified_diff(path: &str, on_disk: &str, rendered: &str) -> String {
    TextDiff::from_lines(on_disk, rendered)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string()
}

/// Whether the output directory is being written or only compared: it
/// decides the verb of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
}

impl Mode {
    fn verb(self) -> &'static str {
        match self {
            Mode::Write => "write",
            Mode::Check => "read",
        }
    }
}

fn symlink_error(path: &Path, mode: Mode) -> OutputError {
    OutputError::new(
        mode.verb(),
        path,
        io::Error::other(
            "it is a symbolic link, and the generator never follows one; \
             replace it with a real folder or file (or delete it), then run the command again",
        ),
    )
}

/// Locks the output directory until the returned file is dropped: to
/// write, exclusively, creating the directory and the lock file if needed;
/// to check, shared, and only if the lock file is there (checking writes
/// nothing).
fn lock(out_dir: &Path, mode: Mode) -> Result<Option<fs::File>, OutputError> {
    let path = out_dir.join(LOCK_FILE);
    let file = match mode {
        Mode::Write => {
            if fs::metadata(out_dir).is_ok_and(|metadata| !metadata.is_dir()) {
                return Err(OutputError::new(
                    "create directory",
                    out_dir,
                    io::Error::new(io::ErrorKind::NotADirectory, "a file is in the way"),
                ));
            }
            fs::create_dir_all(out_dir)
                .map_err(|err| OutputError::new("create directory", out_dir, err))?;
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(symlink_error(&path, mode));
            }
            fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
        }
        Mode::Check => match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(symlink_error(&path, mode))
            }
            Ok(_) => fs::File::open(&path),
            Err(_) => return Ok(None),
        },
    }
    .map_err(|err| OutputError::new("open the lock file", &path, err))?;
    let locked = match mode {
        Mode::Write => fs4::FileExt::lock(&file),
        Mode::Check => fs4::FileExt::lock_shared(&file),
    };
    locked.map_err(|err| OutputError::new("lock", &path, err))?;
    Ok(Some(file))
}

/// Every folder below the output directory that rendered files go into
/// must be a real folder or absent: never a symbolic link (that would
/// write, read and remove files outside the output) nor a file. The output
/// directory itself is taken as given.
fn check_folders(generated: &Generated, out_dir: &Path, mode: Mode) -> Result<(), OutputError> {
    let mut folders: Vec<&str> = OUTPUT_FOLDERS.to_vec();
    for path in generated.files().keys() {
        let mut parent = path.as_str();
        while let Some((folder, _)) = parent.rsplit_once('/') {
            folders.push(folder);
            parent = folder;
        }
    }
    // Shallow before deep, so the first folder in the way is the one named.
    folders.sort_by_key(|folder| (folder.matches('/').count(), *folder));
    folders.dedup();
    for folder in folders {
        let dir = out_dir.join(folder);
        match fs::symlink_metadata(&dir) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(symlink_error(&dir, mode))
            }
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => {
                return Err(OutputError::new(
                    if mode == Mode::Write {
                        "create directory"
                    } else {
                        "read directory"
                    },
                    &dir,
                    io::Error::other(
                        "a file is in the way of this folder of the output; \
                         move it away or delete it, then run the command again",
                    ),
                ))
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) => {}
            Err(err) => return Err(OutputError::new("read the type of", &dir, err)),
        }
    }
    Ok(())
}

/// The text of the file at a rendered path; `None` if there is none. A
/// symbolic link or a folder there is an error: it is never followed,
/// read, replaced or removed.
fn read_target(path: &Path, mode: Mode) -> Result<Option<String>, OutputError> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(symlink_error(path, mode)),
        Ok(metadata) if !metadata.is_file() => Err(OutputError::new(
            mode.verb(),
            path,
            io::Error::other(
                "it is not a regular file; move it away or delete it, then run the command again",
            ),
        )),
        Ok(_) => match read_file(path)? {
            Some(text) => Ok(Some(text)),
            None => Err(OutputError::new(
                "read",
                path,
                io::Error::other("it changed while it was read; run the command again"),
            )),
        },
        Err(err)
            if matches!(
                err.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(err) => Err(OutputError::new("read", path, err)),
    }
}

/// The text of a regular file, read without following a symbolic link;
/// `None` if the path is (or has become) anything else. A file that is not
/// UTF-8 reads as text that matches nothing we render.
fn read_file(path: &Path) -> Result<Option<String>, OutputError> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(OutputError::new("read", path, err)),
    };
    // Opened, then looked at: if the path is a link now, the file opened is
    // not the one at the path, whatever the link points to.
    let opened = file
        .metadata()
        .map_err(|err| OutputError::new("read", path, err))?;
    match fs::symlink_metadata(path) {
        Ok(at_path) if at_path.is_file() && same_file(&opened, &at_path) => {}
        _ => return Ok(None),
    }
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut file, &mut bytes)
        .map_err(|err| OutputError::new("read", path, err))?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &fs::Metadata, _b: &fs::Metadata) -> bool {
    true
}

/// What a scan of the output directory found, by relative `/`-separated
/// path.
#[derive(Debug, Default)]
struct Scan {
    /// Files under the output folders that carry the generated-file header.
    owned: BTreeSet<String>,
    /// Temporary files (`.codegen-*.tmp`) a run left behind when it was
    /// killed before renaming them, in the output directory or its folders.
    temporaries: Vec<String>,
}

fn is_temporary(name: &str) -> bool {
    name.len() > TEMP_PREFIX.len() + TEMP_SUFFIX.len()
        && name.starts_with(TEMP_PREFIX)
        && name.ends_with(TEMP_SUFFIX)
}

/// Scans the output directory's own entries and the output folders, all
/// the way down. Symbolic links are never followed: they are not ours.
fn scan(out_dir: &Path) -> Result<Scan, OutputError> {
    let mut found = Scan::default();
    let mut pending = vec![(out_dir.to_path_buf(), None::<String>)];
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
            let file_type = entry
                .file_type()
                .map_err(|err| OutputError::new("read the type of", &path, err))?;
            let Some(relative) = (match &relative {
                Some(parent) => Some(format!("{parent}/{name}")),
                // At the top, only the output folders are walked into.
                None if file_type.is_dir() => SCANNED_FOLDERS
                    .contains(&name.as_str())
                    .then(|| name.clone()),
                None => Some(name.clone()),
            }) else {
                continue;
            };
            if file_type.is_dir() {
                pending.push((path, Some(relative)));
            } else if !file_type.is_file() {
                continue;
            } else if is_temporary(&name) {
                found.temporaries.push(relative);
            } else if relative.contains('/') && (name.ends_with(".json") || name.ends_with(".ts")) {
                if let Some(contents) = read_file(&path)? {
                    if is_owned(&relative, &contents) {
                        found.owned.insert(relative);
                    }
                }
            }
        }
    }
    found.temporaries.sort();
    Ok(found)
}

/// Writes `contents` to a closed temporary file next to `target` (in a
/// folder that exists), with the permissions `target` will have (its own,
/// if it `existed`); it is removed when dropped, unless it is persisted
/// (renamed onto `target`).
fn write_temporary(
    target: &Path,
    contents: &str,
    existed: bool,
) -> Result<tempfile::TempPath, OutputError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    injected_failure(dir)
        .map_err(|err| OutputError::new("create a temporary file in", dir, err))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // A new file is made readable as it is created (subject to the umask,
    // as any file a tool creates); one that replaces a file gets that
    // file's mode once written.
    if !existed {
        new_file_permissions(&mut builder);
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|err| OutputError::new("create a temporary file in", dir, err))?;
    temp.write_all(contents.as_bytes())
        .and_then(|()| temp.flush())
        .map_err(|err| OutputError::new("write", temp.path().to_path_buf(), err))?;
    if existed {
        keep_permissions(temp.as_file(), target).map_err(|err| {
            OutputError::new("set permissions of", temp.path().to_path_buf(), err)
        })?;
    }
    // Closed, so that a large protocol does not hold a file open per type.
    Ok(temp.into_temp_path())
}

/// Temporary files are private (0600) unless made otherwise: a new
/// generated file is created 0644 (less the umask).
#[cfg(unix)]
fn new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(fs::Permissions::from_mode(0o644));
}

#[cfg(not(unix))]
fn new_file_permissions(_builder: &mut tempfile::Builder<'_, '_>) {}

/// A generated file that replaces one keeps that file's mode (0644 should
/// it have gone meanwhile).
#[cfg(unix)]
fn keep_permissions(file: &fs::File, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match fs::metadata(target) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
    };
    file.set_permissions(permissions)
}

#[cfg(not(unix))]
fn keep_permissions(_file: &fs::File, _target: &Path) -> io::Result<()> {
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

// Tests make the temporary file of one folder fail, as a read-only folder
// or a full disk would (permission bits do not stop root).
// (Process-wide, as files are written on two threads; each test fails its
// own folder.)
#[cfg(test)]
static FAIL_IN: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn injected_failure(_dir: &Path) -> io::Result<()> {
    #[cfg(test)]
    if FAIL_IN.lock().unwrap_or_else(|e| e.into_inner()).as_deref() == Some(_dir) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "Permission denied (injected)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMAND: &str = "cargo run -p calc-gen -- write-schema";

    fn generated(version: &str) -> Generated {
        let notice = crate::header::notice(COMMAND);
        let header = crate::header::typescript_header(COMMAND);
        let files = [
            (
                "json/A.json".to_owned(),
                format!("{{\"$comment\": {notice:?}, \"version\": {version:?}}}\n"),
            ),
            (
                "typescript/B.ts".to_owned(),
                format!("{header}\nexport type B = {version:?};\n"),
            ),
        ];
        Generated {
            files: files.into_iter().collect(),
        }
    }

    #[test]
    fn a_folder_that_cannot_be_written_fails_the_run_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write_generated(&generated("old"), out).unwrap();
        let typescript = out.join("typescript");
        *FAIL_IN.lock().unwrap() = Some(typescript.clone());
        let err = write_generated(&generated("new"), out).unwrap_err();
        *FAIL_IN.lock().unwrap() = None;
        assert_eq!(err.path, typescript, "{err}");
        assert_eq!(
            fs::read_to_string(out.join("json/A.json")).unwrap(),
            generated("old").files["json/A.json"],
            "json/ was not replaced"
        );
        let leftovers: Vec<_> = fs::read_dir(out.join("json"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .filter(|name| name.to_string_lossy().starts_with(".codegen-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        write_generated(&generated("new"), out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("typescript/B.ts")).unwrap(),
            generated("new").files["typescript/B.ts"]
        );
    }
}
