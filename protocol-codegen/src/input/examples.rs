//! The conformance examples a protocol keeps beside its definition, read
//! once before rendering (renderers do no I/O): one folder per method,
//! named by its wire name (`math/add` is `math/add/`), holding valid params
//! (`params.json`, `params-<case>.json`) and results (`response.json`,
//! `response-<case>.json`), and the invalid ones under `invalid/`, which
//! are not read here.
//!
//! A method's example is its first valid params and first valid result,
//! by file name without the extension (`params` before `params-task`). A
//! method without a folder has no example; a file that is not JSON is an
//! error naming it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::model::Model;
use crate::RenderError;

/// The examples of a protocol's methods, by wire name (a method both
/// peers send has one folder, so one example).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Examples {
    by_method: BTreeMap<String, Example>,
}

/// One method's example: its params and its result, each when the folder
/// has one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Example {
    pub params: Option<Value>,
    pub result: Option<Value>,
}

impl Examples {
    /// The example of the method named `method`, if it has one.
    pub fn of(&self, method: &str) -> Option<&Example> {
        self.by_method.get(method)
    }

    /// Examples given directly, by method name.
    pub fn from_map(by_method: BTreeMap<String, Example>) -> Self {
        Examples { by_method }
    }

    /// The examples of every method of `model` found under `dir`.
    pub fn read(dir: &Path, model: &Model) -> Result<Self, RenderError> {
        match fs::metadata(dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Err(error(dir, "is not a folder".to_owned())),
            Err(err) => return Err(error(dir, format!("cannot be read: {err}"))),
        }
        let mut by_method = BTreeMap::new();
        for method in &model.methods {
            if by_method.contains_key(&method.method) {
                continue;
            }
            let Some(folder) = method_folder(dir, &method.method) else {
                continue;
            };
            let example = read_folder(&folder)?;
            if example.params.is_some() || example.result.is_some() {
                by_method.insert(method.method.clone(), example);
            }
        }
        Ok(Examples { by_method })
    }
}

/// The folder of the method `name` under `dir`: one folder per `/`-separated
/// segment. A name that would leave `dir` (an empty, `.` or `..` segment,
/// a separator of the platform) has none.
fn method_folder(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut folder = dir.to_path_buf();
    for segment in name.split('/') {
        let safe = !matches!(segment, "" | "." | "..")
            && !segment.contains(['\\', ':'])
            && Path::new(segment).components().count() == 1;
        if !safe {
            return None;
        }
        folder.push(segment);
    }
    Some(folder)
}

/// The first valid params and result of one method's folder; none when
/// the folder does not exist.
fn read_folder(folder: &Path) -> Result<Example, RenderError> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Example::default()),
        Err(err) => return Err(error(folder, format!("cannot be read: {err}"))),
    };
    // By stem: `params` sorts before `params-task`.
    let mut params: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut results: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|err| error(folder, format!("cannot be read: {err}")))?;
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|name| name.strip_suffix(".json")) else {
            continue;
        };
        let is = |kind: &str| stem == kind || stem.starts_with(&format!("{kind}-"));
        let list = if is("params") {
            &mut params
        } else if is("response") {
            &mut results
        } else {
            continue;
        };
        list.insert(stem.to_owned(), entry.path());
    }
    let first = |list: BTreeMap<String, PathBuf>| -> Result<Option<Value>, RenderError> {
        list.into_values()
            .next()
            .map(|path| read_json(&path))
            .transpose()
    };
    Ok(Example {
        params: first(params)?,
        result: first(results)?,
    })
}

fn read_json(path: &Path) -> Result<Value, RenderError> {
    let text =
        fs::read_to_string(path).map_err(|err| error(path, format!("cannot be read: {err}")))?;
    serde_json::from_str(&text).map_err(|err| error(path, format!("is not valid JSON: {err}")))
}

fn error(path: &Path, why: String) -> RenderError {
    RenderError::Example {
        path: path.to_path_buf(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_name_never_leaves_the_folder() {
        let dir = Path::new("conformance");
        assert_eq!(
            method_folder(dir, "math/add"),
            Some(dir.join("math").join("add"))
        );
        assert_eq!(
            method_folder(dir, "$/ping"),
            Some(dir.join("$").join("ping"))
        );
        for name in ["", "../x", "a//b", "a/./b", "/abs", "a\\..\\b", "c:x"] {
            assert_eq!(method_folder(dir, name), None, "{name}");
        }
    }

    #[test]
    fn the_first_example_by_name_is_taken_and_a_bad_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("tools").join("call");
        fs::create_dir_all(folder.join("invalid")).unwrap();
        fs::write(folder.join("params-task.json"), r#"{"task": {}}"#).unwrap();
        fs::write(folder.join("params.json"), r#"{"name": "a"}"#).unwrap();
        fs::write(folder.join("response.json"), r#"{"content": []}"#).unwrap();
        fs::write(folder.join("invalid").join("params-x.json"), "not json").unwrap();
        fs::write(folder.join("notes.txt"), "not json").unwrap();
        let example = read_folder(&folder).unwrap();
        assert_eq!(example.params, Some(serde_json::json!({"name": "a"})));
        assert_eq!(example.result, Some(serde_json::json!({"content": []})));
        assert_eq!(
            read_folder(&dir.path().join("missing")).unwrap(),
            Example::default()
        );

        fs::write(folder.join("response.json"), "{ not json").unwrap();
        let err = read_folder(&folder).unwrap_err().to_string();
        assert!(err.contains("response.json"), "{err}");
        assert!(err.contains("is not valid JSON"), "{err}");
    }
}
