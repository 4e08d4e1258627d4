//! Writing the rendered files to an output directory, and comparing them
//! with it.
//!
//! The generator owns the files it renders plus any file in its outputs'
//! folders (and the experimental surface's) that one of its outputs' marks
//! recognises as naming its own command ([`Generated::owns`]); it removes
//! owned files it no longer renders and never touches anything else. This
//! module knows no output: the folders and the marks come with the
//! [`Generated`] files. Every
//! folder below the output directory is opened once, without following a
//! symbolic link, and every file is created, read, renamed and removed
//! relative to that handle (`folder.rs`): a link where it would write or
//! scan is an error, one anywhere else is not its own, and a folder swapped
//! for a link while it runs cannot redirect it. It reads only regular
//! files, none larger than any file it writes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use similar::TextDiff;

use crate::error::OutputError;
use crate::output::folder::{read_at_most, Folder, Found, Kind, Lock, Sub};
use crate::output::header::notice;
use crate::Generated;

/// The lock file earlier versions kept in the output directory (the
/// directory itself is locked now): `write_generated` removes it when it
/// is an empty regular file.
const LEGACY_LOCK_FILE: &str = ".codegen.lock";

/// How the temporary files a run makes next to the files it replaces are
/// named: `.~codegen-<process id>-<counter>.tmp`, a name nobody picks by
/// hand. The new contents of a file wait in one until every file is
/// ready, and the old contents of a replaced or removed file stay in one
/// until every file is in place.
const TEMP_PREFIX: &str = ".~codegen-";
const TEMP_SUFFIX: &str = ".tmp";

/// What `write_generated` did, by path relative to the output directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Files in the output folders, of a kind its outputs mark, larger than
    /// any file the generator writes, with their sizes: not read, so not
    /// its own, and left alone.
    pub unread: Vec<(String, u64)>,
}

/// A rendered file that is not on disk as rendered.
struct Change<'a> {
    path: &'a str,
    contents: &'a str,
    /// The permission bits of the file it replaces; `None` for a new file.
    replaces: Option<u32>,
}

/// Writes every rendered file whose contents differ from the disk, and
/// removes the owned files that were not rendered, all or nothing: every
/// changed file is first written to a temporary file in its folder, and
/// the old contents of each file replaced or removed are kept under a
/// temporary name (a second hard link to it); only then is each renamed
/// into place. If one rename fails, every file replaced is put back and
/// every new one removed, so a failed run replaces nothing.
pub fn write_generated(generated: &Generated, out_dir: &Path) -> Result<WriteSummary, OutputError> {
    let root = create_root(out_dir)?;
    // A link where a folder goes is refused before anything is made.
    let mut tree = open_tree(root, generated, Mode::Write)?;
    let _lock = lock(tree.get("").expect("the tree has its root"), Mode::Write)?;
    let limit = size_limit(generated);
    let found = scan(&mut tree, limit, generated)?;
    let mut summary = WriteSummary {
        unread: found.unread.clone(),
        ..WriteSummary::default()
    };
    let mut changes = Vec::new();
    for (path, contents) in generated.files() {
        let (folder, name) = split(path);
        let existing = match tree.get(folder) {
            Some(folder) => read_target(folder, name, limit, Mode::Write)?,
            // A file cannot be in a folder that is not there.
            None => Target::Missing,
        };
        match existing {
            Target::Missing => changes.push(Change {
                path,
                contents,
                replaces: None,
            }),
            Target::Text { text, .. } if text == *contents => summary.unchanged += 1,
            // A file at a rendered path that is not ours was written by
            // someone else: refuse before anything is replaced, rather
            // than lose it.
            Target::TooLarge(size) => {
                return Err(not_ours(&tree.path_of(path), &too_large(size)));
            }
            Target::Text { text, .. } if !generated.owns(path, &text) => {
                return Err(not_ours(
                    &tree.path_of(path),
                    "it was not written by this generator (it has no header naming this \
                     generator's command)",
                ));
            }
            Target::Text { mode, .. } => changes.push(Change {
                path,
                contents,
                replaces: Some(mode),
            }),
        }
    }
    // Left by a run killed midway: no run is writing now (we hold the
    // lock), so they are debris (removed before ours are made).
    for path in &found.temporaries {
        let (folder, name) = split(path);
        let folder = tree.get(folder).expect("scanned folders are open");
        match folder.remove_file(name) {
            Ok(()) => summary.removed.push(path.clone()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(OutputError::new("remove", folder.join(name), err)),
        }
    }
    let removed: Vec<&String> = found
        .owned
        .iter()
        .filter(|path| !generated.files().contains_key(*path))
        .collect();
    let mut created = Vec::new();
    let made = make_folders(&mut tree, generated, &changes, &mut created)
        .and_then(|()| write_temporaries(&tree, &changes))
        .and_then(|temporaries| replace(&tree, &changes, temporaries, &removed));
    if let Err(err) = made {
        // Folders it made are removed (empty, deepest first).
        for folder in created.iter().rev() {
            let (parent, name) = split(folder);
            if let Some(parent) = tree.get(parent) {
                let _ = parent.remove_folder(name);
            }
        }
        return Err(err);
    }
    summary.written = changes
        .iter()
        .map(|change| change.path.to_owned())
        .collect();
    for path in removed {
        summary.removed.push(path.clone());
        remove_empty_parents(&tree, generated, path);
    }
    if remove_legacy_lock(tree.get("").expect("the tree has its root")) {
        summary.removed.push(LEGACY_LOCK_FILE.to_owned());
    }
    Ok(summary)
}

/// Makes the output folders and every folder a changed file goes in that
/// is not there, recording each it made in `created`.
fn make_folders(
    tree: &mut Tree,
    generated: &Generated,
    changes: &[Change<'_>],
    created: &mut Vec<String>,
) -> Result<(), OutputError> {
    let mut folders: BTreeSet<&str> = generated
        .layout()
        .folders
        .iter()
        .map(String::as_str)
        .collect();
    for change in changes {
        let mut path = change.path;
        while let Some((folder, _)) = path.rsplit_once('/') {
            folders.insert(folder);
            path = folder;
        }
    }
    // Shallow before deep: a folder's parent is made first.
    let mut folders: Vec<&str> = folders.into_iter().collect();
    folders.sort_by_key(|folder| (folder.matches('/').count(), *folder));
    for folder in folders {
        if tree.get(folder).is_some() {
            continue;
        }
        let (parent, name) = split(folder);
        let parent = tree.get(parent).expect("made shallow first");
        let path = parent.join(name);
        let existed = parent.kind(name).unwrap_or(Kind::Missing) != Kind::Missing;
        let opened = parent
            .create_folder(name)
            .map_err(|err| OutputError::new("create directory", &path, err))?;
        match opened {
            Sub::Folder(opened) => {
                if !existed {
                    created.push(folder.to_owned());
                }
                tree.folders.insert(folder.to_owned(), opened);
            }
            Sub::Not(kind) => return Err(not_a_folder(&path, kind, Mode::Write)),
        }
    }
    Ok(())
}

/// Writes each changed file to a temporary file in its folder, on two
/// threads, folders apart so that neither waits for the other's directory
/// (each folder goes to the thread with fewer files so far, largest
/// first). One that fails removes those made so far, on both threads. The
/// names come back in the order of `changes`.
fn write_temporaries(tree: &Tree, changes: &[Change<'_>]) -> Result<Vec<String>, OutputError> {
    let mut by_folder: BTreeMap<&str, Vec<(usize, &Change<'_>)>> = BTreeMap::new();
    for (index, change) in changes.iter().enumerate() {
        by_folder
            .entry(split(change.path).0)
            .or_default()
            .push((index, change));
    }
    let mut folders: Vec<Vec<(usize, &Change<'_>)>> = by_folder.into_values().collect();
    folders.sort_by_key(|files| std::cmp::Reverse(files.len()));
    let (mut json, mut others) = (Vec::new(), Vec::new());
    for files in folders {
        if json.len() <= others.len() {
            json.extend(files);
        } else {
            others.extend(files);
        }
    }
    let write = |files: Vec<(usize, &Change<'_>)>| {
        let mut made = Vec::new();
        for (index, change) in files {
            let folder = tree.get(split(change.path).0).expect("folders are made");
            match write_temporary(folder, change.contents, change.replaces) {
                Ok(name) => made.push((index, name)),
                Err(err) => return (made, Some(err)),
            }
        }
        (made, None)
    };
    let ((mut made, json_err), (others, others_err)) =
        crate::on_two_threads(|| write(json), || write(others));
    made.extend(others);
    if let Some(err) = json_err.or(others_err) {
        for (index, name) in made {
            let folder = tree
                .get(split(changes[index].path).0)
                .expect("folders are made");
            let _ = folder.remove_file(&name);
        }
        return Err(err);
    }
    made.sort();
    Ok(made.into_iter().map(|(_, name)| name).collect())
}

/// How the old contents of a file that is replaced or removed are kept
/// until every file is in place.
enum Kept {
    /// A new file: nothing to keep.
    Nothing,
    /// A second hard link, under a temporary name.
    Linked(String),
    /// The file itself, to be renamed to this temporary name just before
    /// it is replaced (a filesystem without hard links).
    Aside(String),
}

/// A file's path, the temporary file of its new contents (none for a file
/// removed) and how its old contents are kept.
type Step<'a> = (&'a str, Option<String>, Kept);

/// Renames every temporary file onto its target and removes `removed`,
/// keeping what each replaces or removes until all are done; after a
/// failure, puts back everything done so far.
fn replace(
    tree: &Tree,
    changes: &[Change<'_>],
    temporaries: Vec<String>,
    removed: &[&String],
) -> Result<(), OutputError> {
    let folder_of = |path: &str| tree.get(split(path).0).expect("folders are open");
    // Every step: the file's path, its new contents' temporary name (none
    // for a file removed) and how its old contents are kept.
    let mut steps: Vec<Step<'_>> = changes
        .iter()
        .zip(temporaries)
        .map(|(change, temporary)| (change.path, Some(temporary), Kept::Nothing))
        .collect();
    let mut failed = None;
    for (change, step) in changes.iter().zip(steps.iter_mut()) {
        if change.replaces.is_none() {
            continue;
        }
        match keep(folder_of(change.path), split(change.path).1) {
            Ok(kept) => step.2 = kept,
            Err(err) => {
                failed = Some(OutputError::new(
                    "keep the old contents of",
                    tree.path_of(change.path),
                    err,
                ));
                break;
            }
        }
    }
    // A file removed is kept as one replaced is, under a temporary name.
    for path in removed {
        if failed.is_some() {
            break;
        }
        let folder = folder_of(path);
        let kept = temporary_name();
        match folder.rename(split(path).1, &kept) {
            Ok(()) => steps.push((path, None, Kept::Linked(kept))),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => failed = Some(OutputError::new("remove", tree.path_of(path), err)),
        }
    }
    if let Some(err) = failed {
        // Nothing was replaced yet: only removals are undone.
        let undone = undo(tree, &steps, 0);
        return Err(with_undo(err, undone));
    }
    for index in 0..steps.len() {
        let (path, Some(temporary), kept) = &steps[index] else {
            continue;
        };
        let folder = folder_of(path);
        let name = split(path).1;
        injected_rename_failure(tree, path);
        let result = match kept {
            Kept::Aside(aside) => folder.rename(name, aside).and_then(|()| {
                folder.rename(temporary, name).inspect_err(|_| {
                    // Back where it was, so that this step is undone.
                    let _ = folder.rename(aside, name);
                })
            }),
            _ => folder.rename(temporary, name),
        };
        if let Err(err) = result {
            let err = OutputError::new("replace", tree.path_of(path), err);
            let undone = undo(tree, &steps, index);
            return Err(with_undo(err, undone));
        }
    }
    // All in place: what was kept goes.
    for (path, _, kept) in &steps {
        if let Kept::Linked(kept) | Kept::Aside(kept) = kept {
            let _ = folder_of(path).remove_file(kept);
        }
    }
    Ok(())
}

/// Keeps the old contents of `name` under a temporary name: a second hard
/// link where the filesystem has them, else the file itself is renamed
/// aside when it is replaced.
fn keep(folder: &Folder, name: &str) -> io::Result<Kept> {
    loop {
        let kept = temporary_name();
        match folder.hard_link(name, &kept) {
            Ok(()) => return Ok(Kept::Linked(kept)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            // No hard links on this filesystem (or not for this file, not
            // ours to link: protected_hardlinks).
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::PermissionDenied | io::ErrorKind::Unsupported
                ) || is_no_links(&err) =>
            {
                return Ok(Kept::Aside(kept))
            }
            Err(err) => return Err(err),
        }
    }
}

#[cfg(unix)]
fn is_no_links(err: &io::Error) -> bool {
    use rustix::io::Errno;
    err.raw_os_error().is_some_and(|code| {
        [Errno::PERM, Errno::OPNOTSUPP, Errno::MLINK, Errno::NOSYS]
            .iter()
            .any(|errno| errno.raw_os_error() == code)
    })
}

#[cfg(not(unix))]
fn is_no_links(_err: &io::Error) -> bool {
    true
}

/// Undoes `steps[..done]`, last first, and clears every temporary file of
/// `steps`: a replaced or removed file is put back, a new file removed.
/// Returns what could not be put back, with where its old contents are.
fn undo(tree: &Tree, steps: &[Step<'_>], done: usize) -> Vec<String> {
    let mut not_undone = Vec::new();
    for (index, (path, temporary, kept)) in steps.iter().enumerate().rev() {
        let folder = tree.get(split(path).0).expect("folders are open");
        let name = split(path).1;
        let (renamed, removed) = (index < done && temporary.is_some(), temporary.is_none());
        if renamed || removed {
            let result = match kept {
                Kept::Nothing => folder.remove_file(name),
                Kept::Linked(kept) | Kept::Aside(kept) => folder.rename(kept, name),
            };
            if let Err(err) = result {
                not_undone.push(match kept {
                    Kept::Nothing => {
                        format!("cannot remove `{}`: {err}", folder.join(name).display())
                    }
                    Kept::Linked(kept) | Kept::Aside(kept) => format!(
                        "cannot put back `{}` (its old contents are in `{}`): {err}",
                        folder.join(name).display(),
                        folder.join(kept).display()
                    ),
                });
            }
        } else {
            if let Some(temporary) = temporary {
                let _ = folder.remove_file(temporary);
            }
            if let Kept::Linked(kept) = kept {
                let _ = folder.remove_file(kept);
            }
        }
    }
    not_undone
}

/// The error of a failed run, saying that nothing was replaced, or what
/// could not be put back.
fn with_undo(err: OutputError, not_undone: Vec<String>) -> OutputError {
    let message = if not_undone.is_empty() {
        format!(
            "{}; nothing was replaced or removed (files replaced before it were put back)",
            err.source
        )
    } else {
        format!(
            "{}; and putting back what was done before it failed: {}",
            err.source,
            not_undone.join("; ")
        )
    };
    OutputError::new(
        err.action,
        err.path,
        io::Error::new(err.source.kind(), message),
    )
}

/// A temporary file's name, unique in this process; another process has
/// another id.
fn temporary_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{TEMP_PREFIX}{}-{}{TEMP_SUFFIX}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Whether `name` is a temporary file's: `.~codegen-<digits>-<digits>.tmp`.
fn is_temporary_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(process, counter)| {
            [process, counter].iter().all(|number| {
                (1..=20).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
            })
        })
}

/// Writes `contents` to a new temporary file in `folder`, closed, with the
/// permissions of the file it replaces (0644, less the umask, for a new
/// file); returns its name. A failure leaves no temporary file.
fn write_temporary(
    folder: &Folder,
    contents: &str,
    replaces: Option<u32>,
) -> Result<String, OutputError> {
    injected_failure(folder.path())
        .map_err(|err| OutputError::new("create a temporary file in", folder.path(), err))?;
    let (name, mut file) = loop {
        let name = temporary_name();
        match folder.create_new(&name, 0o644) {
            Ok(file) => break (name, file),
            // Left by a killed run of a process with our id.
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => {
                return Err(OutputError::new(
                    "create a temporary file in",
                    folder.path(),
                    err,
                ))
            }
        }
    };
    let written = file
        .write_all(contents.as_bytes())
        .and_then(|()| keep_permissions(&file, replaces));
    // Closed, so that a large protocol does not hold a file open per type.
    drop(file);
    if let Err(err) = written {
        let _ = folder.remove_file(&name);
        return Err(OutputError::new("write", folder.join(&name), err));
    }
    Ok(name)
}

/// A generated file that replaces one keeps that file's mode.
#[cfg(unix)]
fn keep_permissions(file: &std::fs::File, replaces: Option<u32>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match replaces {
        Some(mode) => file.set_permissions(std::fs::Permissions::from_mode(mode)),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn keep_permissions(_file: &std::fs::File, _replaces: Option<u32>) -> io::Result<()> {
    Ok(())
}

/// After removing a file, removes the folders it leaves empty, up to (not
/// including) the output folder it sits in.
fn remove_empty_parents(tree: &Tree, generated: &Generated, removed: &str) {
    let folders = &generated.layout().folders;
    let mut folder = split(removed).0;
    while !folder.is_empty() && !folders.iter().any(|kept| kept == folder) {
        let (parent, name) = split(folder);
        let Some(parent_folder) = tree.get(parent) else {
            break;
        };
        if parent_folder.remove_folder(name).is_err() {
            break;
        }
        folder = parent;
    }
}

/// No file this generator writes is larger than this: twice the largest
/// file it renders (a CRLF checkout), and 1 MiB more for a file an earlier
/// version of the protocol rendered larger. A file above it is not read.
fn size_limit(generated: &Generated) -> u64 {
    let largest = generated
        .files()
        .values()
        .map(|contents| contents.len() as u64)
        .max()
        .unwrap_or(0);
    largest.saturating_mul(2).saturating_add(1 << 20)
}

fn too_large(size: u64) -> String {
    format!("it is {size} bytes, larger than any file this generator writes, so it was not read")
}

/// The line naming a file that was not read.
pub(crate) fn unread_line(path: &str, size: u64) -> String {
    format!("  not read: {path} ({size} bytes, larger than any file this generator writes: not its own)\n")
}

fn not_ours(path: &Path, why: &str) -> OutputError {
    OutputError::new(
        "overwrite",
        path,
        io::Error::other(format!(
            "{why}; move it away or delete it, then run the command again"
        )),
    )
}

/// `/`-separated `path` as its folder ("" for the output directory) and
/// name.
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// The output directory ("") and the folders below it a run uses, each
/// opened once, by `/`-separated path.
struct Tree {
    folders: BTreeMap<String, Folder>,
}

impl Tree {
    fn get(&self, folder: &str) -> Option<&Folder> {
        self.folders.get(folder)
    }

    /// The path of a file, for messages.
    fn path_of(&self, path: &str) -> std::path::PathBuf {
        self.folders[""].path().join(path)
    }
}

/// Makes the output directory if it is not there and opens it (a link to
/// it is followed: it is taken as given).
fn create_root(out_dir: &Path) -> Result<Folder, OutputError> {
    let in_the_way = || {
        OutputError::new(
            "create directory",
            out_dir,
            io::Error::new(io::ErrorKind::NotADirectory, "a file is in the way"),
        )
    };
    if std::fs::metadata(out_dir).is_ok_and(|metadata| !metadata.is_dir()) {
        return Err(in_the_way());
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|err| OutputError::new("create directory", out_dir, err))?;
    match Folder::open_root(out_dir) {
        Ok(Some(root)) => Ok(root),
        Ok(None) => Err(OutputError::new(
            "create directory",
            out_dir,
            io::Error::new(io::ErrorKind::NotFound, "it was removed meanwhile"),
        )),
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => Err(in_the_way()),
        Err(err) => Err(OutputError::new("create directory", out_dir, err)),
    }
}

/// Opens, below `root`, every folder rendered files go into that is
/// there. Each must be a real folder or absent: never a symbolic link
/// (that would write, read and remove files outside the output) nor a file.
fn open_tree(root: Folder, generated: &Generated, mode: Mode) -> Result<Tree, OutputError> {
    let mut folders: Vec<&str> = generated
        .layout()
        .folders
        .iter()
        .map(String::as_str)
        .collect();
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
    let mut tree = Tree {
        folders: BTreeMap::from([(String::new(), root)]),
    };
    for folder in folders {
        let (parent, name) = split(folder);
        // Its parent is not there: neither is it.
        let Some(parent) = tree.get(parent) else {
            continue;
        };
        let path = parent.join(name);
        match parent.open_folder(name) {
            Ok(Sub::Folder(opened)) => {
                tree.folders.insert(folder.to_owned(), opened);
            }
            Ok(Sub::Not(Kind::Missing)) => {}
            Ok(Sub::Not(kind)) => return Err(not_a_folder(&path, kind, mode)),
            Err(err) => return Err(OutputError::new("read the type of", &path, err)),
        }
    }
    Ok(tree)
}

fn not_a_folder(path: &Path, kind: Kind, mode: Mode) -> OutputError {
    if kind == Kind::Symlink {
        return symlink_error(path, mode);
    }
    OutputError::new(
        if mode == Mode::Write {
            "create directory"
        } else {
            "read directory"
        },
        path,
        io::Error::other(
            "a file is in the way of this folder of the output; \
             move it away or delete it, then run the command again",
        ),
    )
}

/// A file read, at most as large as any file the generator writes.
enum Target {
    Missing,
    Text { text: String, mode: u32 },
    TooLarge(u64),
}

/// Reads `name` in `folder` if it is a regular file no larger than
/// `limit`; anything else is returned as what it is, never opened.
fn read_bounded(folder: &Folder, name: &str, limit: u64) -> io::Result<Result<Target, Kind>> {
    let (file, size, mode) = match folder.open_read(name)? {
        Found::File { file, size, mode } => (file, size, mode),
        Found::Not(Kind::Missing) => return Ok(Ok(Target::Missing)),
        Found::Not(kind) => return Ok(Err(kind)),
    };
    if size > limit {
        return Ok(Ok(Target::TooLarge(size)));
    }
    let bytes = read_at_most(&file, limit + 1)?;
    if bytes.len() as u64 > limit {
        // It grew while it was read.
        return Ok(Ok(Target::TooLarge(bytes.len() as u64)));
    }
    // A file that is not UTF-8 reads as text that matches nothing we render.
    Ok(Ok(Target::Text {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        mode,
    }))
}

/// The file at a rendered path. A symbolic link, a folder or any other
/// file that is not regular there is an error: it is never followed, read,
/// replaced or removed.
fn read_target(folder: &Folder, name: &str, limit: u64, mode: Mode) -> Result<Target, OutputError> {
    let path = folder.join(name);
    match read_bounded(folder, name, limit) {
        Ok(Ok(target)) => Ok(target),
        Ok(Err(Kind::Symlink)) => Err(symlink_error(&path, mode)),
        Ok(Err(_)) => Err(OutputError::new(
            mode.verb(),
            path,
            io::Error::other(
                "it is not a regular file; move it away or delete it, then run the command again",
            ),
        )),
        Err(err) => Err(OutputError::new("read", path, err)),
    }
}

/// Whether the text of a file names this generator's command in its
/// header: as a temporary file holds it, the start of a file it renders
/// (or all of it).
fn carries_notice(text: &str, command: &str) -> bool {
    let notice = notice(command);
    let escaped = serde_json::to_string(&notice).unwrap_or_default();
    text.contains(&notice) || text.contains(escaped.trim_matches('"'))
}

/// What a scan of the output directory found, by relative `/`-separated
/// path.
#[derive(Debug, Default)]
struct Scan {
    /// Files under the output folders whose header names this generator's
    /// command.
    owned: BTreeSet<String>,
    /// Temporary files a run left behind when it was killed midway, in the
    /// output directory or its folders: named as the generator names them,
    /// regular, and empty or carrying its header.
    temporaries: Vec<String>,
    /// Files of a kind its outputs mark, larger than any file the
    /// generator writes, with their sizes: not read.
    unread: Vec<(String, u64)>,
}

struct Scanning<'a> {
    limit: u64,
    generated: &'a Generated,
    found: Scan,
    /// Folders opened by the scan that hold something it found (or a
    /// folder that does), kept for the writes.
    kept: BTreeMap<String, Folder>,
}

/// Scans the output directory's own entries and the scanned folders, all
/// the way down, through the tree's handles. Symbolic links are never
/// followed: they are not ours.
fn scan(tree: &mut Tree, limit: u64, generated: &Generated) -> Result<Scan, OutputError> {
    let mut scanning = Scanning {
        limit,
        generated,
        found: Scan::default(),
        kept: BTreeMap::new(),
    };
    let root = tree.get("").expect("the tree has its root");
    for (name, kind) in entries(root)? {
        match kind {
            Kind::Folder if generated.layout().scanned.contains(&name) => {
                scan_folder(tree, &mut scanning, root, &name, name.clone())?;
            }
            Kind::File => scan_file(&mut scanning, root, &name, name.clone())?,
            _ => {}
        }
    }
    tree.folders.append(&mut scanning.kept);
    let mut found = scanning.found;
    found.temporaries.sort();
    found.unread.sort();
    Ok(found)
}

fn entries(folder: &Folder) -> Result<Vec<(String, Kind)>, OutputError> {
    let mut entries = folder
        .entries()
        .map_err(|err| OutputError::new("list directory", folder.path(), err))?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Scans the folder `name` of `parent`, at `relative`; returns whether it
/// holds something the run may act on.
fn scan_folder(
    tree: &Tree,
    scanning: &mut Scanning<'_>,
    parent: &Folder,
    name: &str,
    relative: String,
) -> Result<bool, OutputError> {
    if let Some(folder) = tree.get(&relative) {
        scan_entries(tree, scanning, folder, &relative)?;
        return Ok(true);
    }
    let folder = match parent.open_folder(name) {
        Ok(Sub::Folder(folder)) => folder,
        // Replaced meanwhile: not ours.
        Ok(Sub::Not(_)) => return Ok(false),
        Err(err) => return Err(OutputError::new("list directory", parent.join(name), err)),
    };
    let keep = scan_entries(tree, scanning, &folder, &relative)?;
    if keep {
        scanning.kept.insert(relative, folder);
    }
    Ok(keep)
}

fn scan_entries(
    tree: &Tree,
    scanning: &mut Scanning<'_>,
    folder: &Folder,
    relative: &str,
) -> Result<bool, OutputError> {
    let mut keep = false;
    for (name, kind) in entries(folder)? {
        let path = format!("{relative}/{name}");
        match kind {
            Kind::Folder => keep |= scan_folder(tree, scanning, folder, &name, path)?,
            Kind::File => {
                let before = scanning.found.owned.len() + scanning.found.temporaries.len();
                scan_file(scanning, folder, &name, path)?;
                keep |= scanning.found.owned.len() + scanning.found.temporaries.len() > before;
            }
            _ => {}
        }
    }
    Ok(keep)
}

/// Looks at a file the scan listed: a temporary file of ours, an owned
/// file below the output directory, or one of a kind its outputs mark too
/// large to read.
fn scan_file(
    scanning: &mut Scanning<'_>,
    folder: &Folder,
    name: &str,
    path: String,
) -> Result<(), OutputError> {
    let temporary = is_temporary_name(name);
    let candidate = path.contains('/') && scanning.generated.could_own(name);
    if !temporary && !candidate {
        return Ok(());
    }
    let read = read_bounded(folder, name, scanning.limit)
        .map_err(|err| OutputError::new("read", folder.join(name), err))?;
    match read {
        // Gone, or replaced by something else meanwhile: not ours.
        Ok(Target::Missing) | Err(_) => {}
        Ok(Target::TooLarge(size)) => {
            if candidate {
                scanning.found.unread.push((path, size));
            }
        }
        Ok(Target::Text { text, .. }) if temporary => {
            if text.is_empty() || carries_notice(&text, scanning.generated.command()) {
                scanning.found.temporaries.push(path);
            }
        }
        Ok(Target::Text { text, .. }) => {
            if scanning.generated.owns(&path, &text) {
                scanning.found.owned.insert(path);
            }
        }
    }
    Ok(())
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
    /// a header naming its command, or are larger than any file it writes):
    /// `write_generated` refuses to replace them, so the user must move or
    /// delete them.
    pub foreign: Vec<String>,
    /// Files of a kind its outputs mark, larger than any file the generator
    /// writes, with their sizes: not read. Only those at rendered paths
    /// (also in `foreign`) are a difference.
    pub unread: Vec<(String, u64)>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.partial.is_empty()
            && self.foreign.is_empty()
    }

    /// The files that were not read, a line each: worth saying even when
    /// nothing differs.
    pub fn notes(&self) -> String {
        self.unread
            .iter()
            .map(|(path, size)| unread_line(path, *size))
            .collect()
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
        out.push_str(&self.notes());
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

/// The text of the file at `path` (`/`-separated, relative to
/// `out_dir`), if it is there: a regular file no larger than `limit`,
/// reached through real folders (never a symbolic link).
pub(crate) fn read_file(
    out_dir: &Path,
    path: &str,
    limit: u64,
) -> Result<Option<String>, OutputError> {
    let mut folder = match Folder::open_root(out_dir) {
        Ok(Some(root)) => root,
        // Nothing there, or a file: the run that follows says which.
        Ok(None) => return Ok(None),
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => return Ok(None),
        Err(err) => return Err(OutputError::new("read directory", out_dir, err)),
    };
    let (folders, name) = split(path);
    for part in folders.split('/').filter(|part| !part.is_empty()) {
        folder = match folder.open_folder(part) {
            Ok(Sub::Folder(sub)) => sub,
            Ok(Sub::Not(Kind::Symlink)) => {
                return Err(symlink_error(&folder.join(part), Mode::Check))
            }
            Ok(Sub::Not(_)) => return Ok(None),
            Err(err) => return Err(OutputError::new("read directory", folder.join(part), err)),
        };
    }
    match read_target(&folder, name, limit, Mode::Check)? {
        Target::Text { text, .. } => Ok(Some(text)),
        Target::Missing | Target::TooLarge(_) => Ok(None),
    }
}

/// Compares the rendering with the output directory, writing nothing.
/// Line endings on disk are normalised first, so a CRLF checkout is not stale.
pub fn check_generated(generated: &Generated, out_dir: &Path) -> Result<Drift, OutputError> {
    // A missing output directory is all missing files; anything else that
    // is not a directory is an error, as it is to write-schema.
    let root = match Folder::open_root(out_dir) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Ok(Drift {
                missing: generated.files().keys().cloned().collect(),
                ..Drift::default()
            })
        }
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => {
            return Err(OutputError::new(
                "read directory",
                out_dir,
                io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "it is a file, not a directory",
                ),
            ))
        }
        Err(err) => return Err(OutputError::new("read directory", out_dir, err)),
    };
    let mut tree = open_tree(root, generated, Mode::Check)?;
    let _lock = lock(tree.get("").expect("the tree has its root"), Mode::Check)?;
    let limit = size_limit(generated);
    let found = scan(&mut tree, limit, generated)?;
    let mut drift = Drift::default();
    for (path, contents) in generated.files() {
        let (folder, name) = split(path);
        let existing = match tree.get(folder) {
            Some(folder) => read_target(folder, name, limit, Mode::Check)?,
            None => Target::Missing,
        };
        match existing {
            Target::Missing => drift.missing.push(path.clone()),
            Target::TooLarge(size) => {
                drift.foreign.push(path.clone());
                drift.unread.push((path.clone(), size));
            }
            Target::Text { text, .. } => {
                let existing = text.replace("\r\n", "\n");
                if existing != *contents && !generated.owns(path, &existing) {
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
    drift.extra = found
        .owned
        .into_iter()
        .filter(|path| !generated.files().contains_key(path))
        .collect();
    drift.partial = found.temporaries;
    drift.unread.extend(found.unread);
    drift.unread.sort();
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

/// Locks the output directory until the returned guard is dropped: to
/// write, exclusively; to check, shared. Runs on one folder take turns,
/// and the lock leaves nothing in it (`Folder::lock`).
fn lock(root: &Folder, mode: Mode) -> Result<Lock, OutputError> {
    root.lock(mode == Mode::Write)
        .map_err(|err| OutputError::new("lock", root.path(), err))
}

/// Removes the empty lock file an earlier version left in the output
/// directory, once a write succeeded; `true` if it did. Best effort: a
/// lock file it cannot remove is left as it was.
fn remove_legacy_lock(root: &Folder) -> bool {
    matches!(
        root.open_read(LEGACY_LOCK_FILE),
        Ok(Found::File { size: 0, .. })
    ) && root.remove_file(LEGACY_LOCK_FILE).is_ok()
}

// Tests make the temporary file of one folder fail, as a read-only folder
// or a full disk would (permission bits do not stop root).
// (Process-wide, as files are written on two threads; each test fails its
// own folder.)
#[cfg(test)]
static FAIL_IN: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);

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

// Tests put a folder where a generated file is, just before it is replaced,
// so that its rename fails after others were made.
#[cfg(test)]
static FOLDER_IN_PLACE_OF: std::sync::Mutex<Option<std::path::PathBuf>> =
    std::sync::Mutex::new(None);

fn injected_rename_failure(_tree: &Tree, _path: &str) {
    #[cfg(test)]
    {
        let target = _tree.path_of(_path);
        let mut armed = FOLDER_IN_PLACE_OF.lock().unwrap_or_else(|e| e.into_inner());
        if armed.as_deref() == Some(target.as_path()) {
            *armed = None;
            std::fs::remove_file(&target).unwrap();
            std::fs::create_dir(&target).unwrap();
            std::fs::write(target.join("inside"), "").unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    const COMMAND: &str = "cargo run -p calc-gen -- write-schema";

    fn generated(version: &str) -> Generated {
        let notice = crate::output::header::notice(COMMAND);
        let header = crate::typescript_header(COMMAND);
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
            command: COMMAND.to_owned(),
            layout: crate::Layout::of(crate::ALL_OUTPUTS),
        }
    }

    fn temporaries(folder: &Path) -> Vec<std::ffi::OsString> {
        fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .filter(|name| name.to_string_lossy().starts_with(TEMP_PREFIX))
            .collect()
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
        let leftovers = temporaries(&out.join("json"));
        assert!(leftovers.is_empty(), "{leftovers:?}");
        write_generated(&generated("new"), out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("typescript/B.ts")).unwrap(),
            generated("new").files["typescript/B.ts"]
        );
    }

    /// The rename of `typescript/B.ts` fails (a folder is there now) after
    /// `json/A.json` was replaced and `json/N.json` made: the very file
    /// `json/A.json` was is put back, `json/N.json` removed, an owned file
    /// no longer rendered is still there, and no temporary file is left.
    #[cfg(unix)]
    #[test]
    fn a_failed_write_schema_replaces_no_file() {
        use std::os::unix::fs::MetadataExt;

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut old = generated("old");
        let gone = format!("{}\n", crate::typescript_header(COMMAND));
        old.files
            .insert("typescript/Gone.ts".to_owned(), gone.clone());
        write_generated(&old, out).unwrap();
        let a = out.join("json/A.json");
        let inode = fs::metadata(&a).unwrap().ino();
        let mut new = generated("new");
        let n = "{\"$comment\": \"new\"}\n".to_owned();
        new.files.insert("json/N.json".to_owned(), n);
        let b = out.join("typescript/B.ts");
        *FOLDER_IN_PLACE_OF.lock().unwrap() = Some(b.clone());

        let err = write_generated(&new, out).unwrap_err();
        assert_eq!(err.path, b, "{err}");
        assert!(err.to_string().contains("nothing was replaced"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), old.files["json/A.json"]);
        assert_eq!(fs::metadata(&a).unwrap().ino(), inode, "the same file");
        assert!(!out.join("json/N.json").exists());
        assert_eq!(
            fs::read_to_string(out.join("typescript/Gone.ts")).unwrap(),
            gone
        );
        for folder in ["json", "typescript"] {
            let leftovers = temporaries(&out.join(folder));
            assert!(leftovers.is_empty(), "{folder}: {leftovers:?}");
        }
    }

    #[test]
    fn temporary_names_are_ours_alone() {
        assert!(is_temporary_name(&temporary_name()));
        for name in [
            ".codegen-notes.tmp",
            ".~codegen-notes.tmp",
            ".~codegen-1-.tmp",
            ".~codegen--1.tmp",
            ".~codegen-1-2-3.tmp",
            ".~codegen-1-2.tmp.bak",
        ] {
            assert!(!is_temporary_name(name), "{name}");
        }
    }
}
