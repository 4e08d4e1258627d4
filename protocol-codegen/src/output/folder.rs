//! A folder of the output, held open: every file in it is created, read,
//! renamed and removed relative to the handle, never through a path, so a
//! folder swapped for a symbolic link after it was opened cannot redirect
//! anything. Folders below the output directory are opened without
//! following a link; the output directory itself may be reached through
//! one.
//!
//! On platforms other than Unix the folder is a path, looked at before each
//! use as the generator did before it held handles.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// What is at a name in a folder, never following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Missing,
    File,
    Folder,
    Symlink,
    /// A FIFO, a socket, a device.
    Other,
}

/// A name opened to be read.
#[derive(Debug)]
pub(crate) enum Found {
    /// A regular file, opened: its size and permission bits when opened.
    File { file: File, size: u64, mode: u32 },
    /// Nothing there, or not a regular file (never opened).
    Not(Kind),
}

/// A folder opened below another.
pub(crate) enum Sub {
    Folder(Folder),
    Not(Kind),
}

/// A lock on a folder, held until dropped ([`Folder::lock`]).
#[derive(Debug)]
pub(crate) struct Lock {
    _held: Held,
}

/// What holds a lock: kept open, never read.
#[derive(Debug)]
#[allow(dead_code)]
enum Held {
    /// The folder itself.
    #[cfg(unix)]
    Folder(std::os::fd::OwnedFd),
    /// A file of the system's temporary folder named after the folder.
    File(File),
}

/// Locks `folder` through a file of the system's temporary folder named
/// after its canonical path, so that the output holds nothing of it.
fn lock_in_temp(folder: &Path, exclusive: bool) -> io::Result<Lock> {
    let canonical = std::fs::canonicalize(folder)?;
    let name = format!(
        "protocol-codegen-{:016x}.lock",
        fnv1a(canonical.as_os_str().as_encoded_bytes())
    );
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(std::env::temp_dir().join(name))?;
    if exclusive {
        fs4::FileExt::lock(&file)?;
    } else {
        fs4::FileExt::lock_shared(&file)?;
    }
    Ok(Lock {
        _held: Held::File(file),
    })
}

/// FNV-1a: the same name for the same path in every build.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Debug)]
pub(crate) struct Folder {
    /// For messages only (and, off Unix, for every operation).
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl Folder {
    /// The path the folder was opened at, for messages.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` in the folder, for messages.
    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

#[cfg(unix)]
mod imp {
    use std::fs::File;
    use std::io;
    use std::os::fd::OwnedFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};
    use rustix::io::Errno;

    use super::{Folder, Found, Held, Kind, Lock, Sub};

    fn kind_of(file_type: FileType) -> Kind {
        match file_type {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Folder,
            FileType::Symlink => Kind::Symlink,
            _ => Kind::Other,
        }
    }

    fn open_folder(dir: impl std::os::fd::AsFd, name: &Path, follow: bool) -> io::Result<OwnedFd> {
        let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        Ok(rustix::fs::openat(dir, name, flags, Mode::empty())?)
    }

    impl Folder {
        /// The output directory, following a link to it; `None` if there is
        /// nothing at `path`.
        pub(crate) fn open_root(path: &Path) -> io::Result<Option<Folder>> {
            match open_folder(CWD, path, true) {
                Ok(fd) => Ok(Some(Folder {
                    path: path.to_path_buf(),
                    fd,
                })),
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(err) => Err(err),
            }
        }

        /// What is at `name`, without following a link.
        pub(crate) fn kind(&self, name: &str) -> io::Result<Kind> {
            match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => Ok(kind_of(FileType::from_raw_mode(stat.st_mode))),
                Err(Errno::NOENT | Errno::NOTDIR) => Ok(Kind::Missing),
                Err(err) => Err(err.into()),
            }
        }

        /// The folder at `name`, never through a link.
        pub(crate) fn open_folder(&self, name: &str) -> io::Result<Sub> {
            match open_folder(&self.fd, Path::new(name), false) {
                Ok(fd) => Ok(Sub::Folder(Folder {
                    path: self.join(name),
                    fd,
                })),
                // A link, a file or nothing: say which.
                Err(err) => match self.kind(name)? {
                    Kind::Folder => Err(err),
                    other => Ok(Sub::Not(other)),
                },
            }
        }

        /// Makes the folder `name` (if it is not there) and opens it, never
        /// through a link.
        pub(crate) fn create_folder(&self, name: &str) -> io::Result<Sub> {
            match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(err) => return Err(err.into()),
            }
            self.open_folder(name)
        }

        /// Opens `name` to read it if it is a regular file: a FIFO is never
        /// opened (nor waited for), nor is a link followed.
        pub(crate) fn open_read(&self, name: &str) -> io::Result<Found> {
            match self.kind(name)? {
                Kind::File => {}
                other => return Ok(Found::Not(other)),
            }
            let flags = OFlags::RDONLY
                | OFlags::NOFOLLOW
                | OFlags::NONBLOCK
                | OFlags::NOCTTY
                | OFlags::CLOEXEC;
            match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => found(fd),
                // Changed since it was looked at.
                Err(Errno::NOENT) => Ok(Found::Not(Kind::Missing)),
                Err(Errno::LOOP) => Ok(Found::Not(Kind::Symlink)),
                Err(err) => Err(err.into()),
            }
        }

        /// Locks the folder itself (an advisory `flock` on its handle),
        /// exclusively or shared, waiting for a conflicting lock to go;
        /// held until the returned guard and the folder are closed, and
        /// nothing is made for it. Where the file system cannot lock a
        /// folder (NFS emulates `flock` with locks a folder opened to read
        /// cannot take), a file in the system's temporary folder stands
        /// for it.
        pub(crate) fn lock(&self, exclusive: bool) -> io::Result<Lock> {
            use rustix::fs::FlockOperation;
            let operation = if exclusive {
                FlockOperation::LockExclusive
            } else {
                FlockOperation::LockShared
            };
            match rustix::fs::flock(&self.fd, operation) {
                // The lock belongs to the open folder, which the guard
                // keeps open whichever is closed first.
                Ok(()) => Ok(Lock {
                    _held: Held::Folder(rustix::io::fcntl_dupfd_cloexec(&self.fd, 0)?),
                }),
                Err(Errno::BADF | Errno::NOLCK | Errno::OPNOTSUPP) => {
                    super::lock_in_temp(&self.path, exclusive)
                }
                Err(err) => Err(err.into()),
            }
        }

        /// Creates the file `name`, which must not exist, to write it, with
        /// the permission bits `mode` (less the umask).
        pub(crate) fn create_new(&self, name: &str, mode: u32) -> io::Result<File> {
            let flags = OFlags::WRONLY
                | OFlags::CREATE
                | OFlags::EXCL
                | OFlags::NOFOLLOW
                | OFlags::NOCTTY
                | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(mode as _))?;
            Ok(File::from(fd))
        }

        /// Renames `from` to `to`, both in this folder, replacing `to`.
        pub(crate) fn rename(&self, from: &str, to: &str) -> io::Result<()> {
            Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?)
        }

        /// A second name, `to`, for the file `from` (never a link's target).
        pub(crate) fn hard_link(&self, from: &str, to: &str) -> io::Result<()> {
            Ok(rustix::fs::linkat(
                &self.fd,
                from,
                &self.fd,
                to,
                AtFlags::empty(),
            )?)
        }

        pub(crate) fn remove_file(&self, name: &str) -> io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::empty())?)
        }

        /// Removes the folder `name` if it is empty.
        pub(crate) fn remove_folder(&self, name: &str) -> io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
        }

        /// The folder's entries with what each is; names that are not UTF-8
        /// are left out (no rendered file has one).
        pub(crate) fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
            let mut entries = Vec::new();
            for entry in rustix::fs::Dir::read_from(&self.fd)? {
                let entry = entry?;
                let Ok(name) = entry.file_name().to_str() else {
                    continue;
                };
                if name == "." || name == ".." {
                    continue;
                }
                let kind = match entry.file_type() {
                    FileType::Unknown => self.kind(name)?,
                    file_type => kind_of(file_type),
                };
                entries.push((name.to_owned(), kind));
            }
            Ok(entries)
        }
    }

    /// What `fd` opened: a regular file, or (should the name have changed
    /// meanwhile) something that is not read.
    fn found(fd: OwnedFd) -> io::Result<Found> {
        let stat = rustix::fs::fstat(&fd)?;
        let kind = kind_of(FileType::from_raw_mode(stat.st_mode));
        if kind != Kind::File {
            return Ok(Found::Not(kind));
        }
        Ok(Found::File {
            file: File::from(fd),
            size: u64::try_from(stat.st_size).unwrap_or(0),
            #[allow(clippy::unnecessary_cast)]
            mode: stat.st_mode as u32 & 0o7777,
        })
    }
}

#[cfg(not(unix))]
mod imp {
    use std::fs::{self, File, OpenOptions};
    use std::io;
    use std::path::Path;

    use super::{Folder, Found, Kind, Lock, Sub};

    fn missing(err: &io::Error) -> bool {
        matches!(
            err.kind(),
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
        )
    }

    fn kind_of(file_type: fs::FileType) -> Kind {
        if file_type.is_symlink() {
            Kind::Symlink
        } else if file_type.is_dir() {
            Kind::Folder
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    impl Folder {
        pub(crate) fn open_root(path: &Path) -> io::Result<Option<Folder>> {
            match fs::metadata(path) {
                Ok(metadata) if metadata.is_dir() => Ok(Some(Folder {
                    path: path.to_path_buf(),
                })),
                Ok(_) => Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "it is a file, not a directory",
                )),
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(err) => Err(err),
            }
        }

        pub(crate) fn kind(&self, name: &str) -> io::Result<Kind> {
            match fs::symlink_metadata(self.join(name)) {
                Ok(metadata) => Ok(kind_of(metadata.file_type())),
                Err(err) if missing(&err) => Ok(Kind::Missing),
                Err(err) => Err(err),
            }
        }

        pub(crate) fn open_folder(&self, name: &str) -> io::Result<Sub> {
            Ok(match self.kind(name)? {
                Kind::Folder => Sub::Folder(Folder {
                    path: self.join(name),
                }),
                other => Sub::Not(other),
            })
        }

        pub(crate) fn create_folder(&self, name: &str) -> io::Result<Sub> {
            match fs::create_dir(self.join(name)) {
                Ok(()) => {}
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err),
            }
            self.open_folder(name)
        }

        pub(crate) fn open_read(&self, name: &str) -> io::Result<Found> {
            match self.kind(name)? {
                Kind::File => {}
                other => return Ok(Found::Not(other)),
            }
            match File::open(self.join(name)) {
                Ok(file) => found(file),
                Err(err) if missing(&err) => Ok(Found::Not(Kind::Missing)),
                Err(err) => Err(err),
            }
        }

        /// Locks the folder, exclusively or shared, waiting for a
        /// conflicting lock to go: a folder handle cannot be locked here,
        /// so a file in the system's temporary folder stands for it.
        pub(crate) fn lock(&self, exclusive: bool) -> io::Result<Lock> {
            super::lock_in_temp(&self.path, exclusive)
        }

        pub(crate) fn create_new(&self, name: &str, _mode: u32) -> io::Result<File> {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.join(name))
        }

        pub(crate) fn rename(&self, from: &str, to: &str) -> io::Result<()> {
            fs::rename(self.join(from), self.join(to))
        }

        pub(crate) fn hard_link(&self, from: &str, to: &str) -> io::Result<()> {
            fs::hard_link(self.join(from), self.join(to))
        }

        pub(crate) fn remove_file(&self, name: &str) -> io::Result<()> {
            fs::remove_file(self.join(name))
        }

        pub(crate) fn remove_folder(&self, name: &str) -> io::Result<()> {
            fs::remove_dir(self.join(name))
        }

        pub(crate) fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
            let mut entries = Vec::new();
            for entry in fs::read_dir(&self.path)? {
                let entry = entry?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                entries.push((name, kind_of(entry.file_type()?)));
            }
            Ok(entries)
        }
    }

    fn found(file: File) -> io::Result<Found> {
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Ok(Found::Not(Kind::Other));
        }
        Ok(Found::File {
            size: metadata.len(),
            mode: 0o644,
            file,
        })
    }
}

/// Reads at most `limit` bytes of `file`.
pub(crate) fn read_at_most(file: &File, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(file, limit), &mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lock that stands for a folder where the folder cannot be locked:
    /// a second lock of the same folder waits for the first, and the folder
    /// holds nothing of either.
    #[test]
    fn a_lock_in_the_temporary_folder_excludes_another_and_leaves_the_folder_alone() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_in_temp(dir.path(), true).unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let _lock = lock_in_temp(&path, false).unwrap();
            send.send(()).unwrap();
        });
        let wait = |millis| receive.recv_timeout(std::time::Duration::from_millis(millis));
        assert!(wait(300).is_err(), "the second lock waits");
        drop(held);
        wait(20_000).expect("taken once the first is released");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
