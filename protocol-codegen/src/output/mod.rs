//! The output stage: the rendered files written to, or compared with, a
//! folder that only this generator's files are taken from.

pub(crate) mod folder;
pub(crate) mod header;
pub(crate) mod in_sync;
pub(crate) mod sync;
