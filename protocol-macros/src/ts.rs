//! Collecting TypeScript declarations in memory, with their dependencies.

use std::any::TypeId;
use std::collections::HashSet;

use ts_rs::{ExportError, TypeVisitor, TS};

use crate::registry::TsFiles;

/// Adds `T`'s file and, recursively, the files of the types it refers to.
pub fn collect<T: TS + ?Sized + 'static>(
    cfg: &ts_rs::Config,
    files: &mut TsFiles,
) -> Result<(), ExportError> {
    let mut visit = Visit {
        cfg,
        files,
        seen: HashSet::new(),
        error: None,
    };
    visit.visit::<T>();
    match visit.error {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

struct Visit<'a> {
    cfg: &'a ts_rs::Config,
    files: &'a mut TsFiles,
    seen: HashSet<TypeId>,
    error: Option<ExportError>,
}

impl TypeVisitor for Visit<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if self.error.is_some() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        // Primitives and std containers have no file of their own.
        let Some(path) = T::output_path() else {
            return;
        };
        match T::export_to_string(self.cfg) {
            Ok(contents) => {
                self.files.insert(path, contents);
                T::visit_dependencies(self);
            }
            Err(err) => self.error = Some(err),
        }
    }
}
