//! The conformance examples of `mcp/mcp-defs/conformance/` against our
//! decoders and against the official schema (`mcp/fixtures/official-schema/`):
//! every valid example is valid for its official definition and decodes and
//! encodes again to itself with ours; every invalid one is rejected by ours
//! (params as -32602) and by the official schema, or is listed in the
//! examples' README with the reason the official schema accepts it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mcp_defs::methods::REGISTRY;
use mcp_defs::{ClientNotification, ClientRequest, ServerNotification, ServerRequest};
use protocol_macros::{Direction, ErrorCode, Kind, MethodInfo, RequestSet};
use serde_json::{json, Value};

use crate::official::Official;

pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The examples' README: each method's official params and result
/// definitions, and the invalid examples the official schema accepts.
pub struct Table {
    /// Method → (params definition, result definition), `None` for `-`.
    pub rows: BTreeMap<String, (Option<String>, Option<String>)>,
    /// Invalid examples the official schema accepts (paths relative to
    /// `conformance/`), each listed with its reason.
    pub officially_accepted: BTreeSet<String>,
}

impl Table {
    pub fn read() -> Table {
        let readme = std::fs::read_to_string(conformance_dir().join("README.md")).unwrap();
        let mut rows = BTreeMap::new();
        for line in readme.lines() {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() != 5 || cells[1] == "method" || cells[1].starts_with("---") {
                continue;
            }
            let definition = |cell: &str| (cell != "-").then(|| cell.to_owned());
            let previous = rows.insert(
                cells[1].to_owned(),
                (definition(cells[2]), definition(cells[3])),
            );
            assert!(
                previous.is_none(),
                "README: `{}` twice in the table",
                cells[1]
            );
        }
        let section = readme
            .split("## Invalid examples the official schema accepts")
            .nth(1)
            .expect("README: a section of the invalid examples the official schema accepts");
        let officially_accepted = section
            .lines()
            .filter_map(|line| line.strip_prefix("- `"))
            .filter_map(|line| line.split('`').next())
            .map(str::to_owned)
            .collect();
        Table {
            rows,
            officially_accepted,
        }
    }
}

/// A valid example: a method's params or result, and the official
/// definition it must satisfy.
pub struct Example {
    pub method: &'static MethodInfo,
    pub path: PathBuf,
    pub definition: String,
    pub is_result: bool,
}

impl Example {
    pub fn shown(&self) -> String {
        format!(
            "{} ({})",
            self.path.strip_prefix(conformance_dir()).unwrap().display(),
            self.method.direction.as_str()
        )
    }
}

/// The methods of the registry by name: a method of both peers twice.
fn methods_by_name() -> BTreeMap<&'static str, Vec<&'static MethodInfo>> {
    let mut methods: BTreeMap<&str, Vec<&MethodInfo>> = BTreeMap::new();
    for method in REGISTRY.methods() {
        methods.entry(method.name).or_default().push(method);
    }
    methods
}

/// Every valid example of every method, in each direction it is sent.
pub fn valid_examples(table: &Table) -> Vec<Example> {
    let mut examples = Vec::new();
    for (name, methods) in methods_by_name() {
        let (params, result) = table.rows.get(name).cloned().unwrap_or_default();
        let dir = conformance_dir().join(name);
        let task = dir.join("params-task.json").exists();
        for method in methods {
            let mut add = |file: &str, definition: &Option<String>, is_result| {
                examples.push(Example {
                    method,
                    path: dir.join(file),
                    definition: definition
                        .clone()
                        .unwrap_or_else(|| panic!("`{name}`: no official definition for {file}")),
                    is_result,
                });
            };
            add("params.json", &params, false);
            if method.kind == Kind::Request {
                add("response.json", &result, true);
            }
            if task {
                add("params-task.json", &params, false);
                add(
                    "response-task.json",
                    &Some("CreateTaskResult".to_owned()),
                    true,
                );
            }
        }
    }
    examples
}

/// A message of `method` with `params`, as its sender writes it.
fn message(method: &MethodInfo, params: Value) -> Value {
    let mut message = json!({ "jsonrpc": "2.0", "method": method.name, "params": params });
    if method.kind == Kind::Request {
        message["id"] = json!(7);
    }
    message
}

/// The params of a decoded message, encoded again. (A decoded request of a
/// gated method is not sent again as it is: only a connection that
/// negotiated its capability encodes it; its params are what it carries.)
macro_rules! params_of {
    ($message:expr, $set:ident: $($variant:ident),* $(,)?) => {
        match $message {
            $($set::$variant { params, .. } => serde_json::to_value(params),)*
        }
    };
    ($message:expr, $set:ident($($variant:ident),* $(,)?)) => {
        match $message {
            $($set::$variant(params, ..) => serde_json::to_value(params),)*
        }
    };
}

/// `method`'s message with `params` decoded by its receiver; its params
/// encoded again, or the decoder's error code.
fn decode_params(method: &MethodInfo, params: Value) -> Result<Value, ErrorCode> {
    let bytes = serde_json::to_vec(&message(method, params)).unwrap();
    let encoded = match (method.direction, method.kind) {
        (Direction::ClientToServer, Kind::Request) => params_of!(
            ClientRequest::decode(&bytes).map_err(|e| e.code)?,
            ClientRequest: Initialize, Ping, ListResources, ListResourceTemplates, ReadResource,
            Subscribe, Unsubscribe, ListPrompts, GetPrompt, ListTools, CallTool, GetTask,
            GetTaskPayload, CancelTask, ListTasks, SetLevel, Complete,
        ),
        (Direction::ServerToClient, Kind::Request) => params_of!(
            ServerRequest::decode(&bytes).map_err(|e| e.code)?,
            ServerRequest: ServerPing, ServerGetTask, ServerGetTaskPayload, ServerCancelTask,
            ServerListTasks, CreateMessage, ListRoots, Elicit,
        ),
        (Direction::ClientToServer, Kind::Notification) => params_of!(
            ClientNotification::decode(&bytes).map_err(|e| e.code)?,
            ClientNotification(
                Cancelled,
                Progress,
                Initialized,
                RootsListChanged,
                TaskStatusUpdate,
            )
        ),
        (Direction::ServerToClient, Kind::Notification) => params_of!(
            ServerNotification::decode(&bytes).map_err(|e| e.code)?,
            ServerNotification(
                ServerCancelled,
                ServerProgress,
                ResourceListChanged,
                ResourceUpdated,
                PromptListChanged,
                ToolListChanged,
                ServerTaskStatusUpdate,
                LoggingMessage,
                ElicitationComplete,
            )
        ),
    };
    Ok(encoded.expect("decoded params encode"))
}

/// `result` decoded as `method`'s response type, and encoded again.
fn decode_result(method: &MethodInfo, result: Value) -> Result<Value, String> {
    let encoded = match method.direction {
        Direction::ClientToServer => {
            ClientRequest::decode_response_for(method.name, result).map(serde_json::to_value)
        }
        Direction::ServerToClient => {
            ServerRequest::decode_response_for(method.name, result).map(serde_json::to_value)
        }
    };
    Ok(encoded
        .map_err(|err| err.to_string())?
        .expect("a decoded result encodes"))
}

/// What our types write for an example: its params or its result, decoded
/// and encoded again.
pub fn decode_example(example: &Example) -> Result<Value, String> {
    let value = read_json(&example.path);
    if example.is_result {
        decode_result(example.method, value)
    } else {
        decode_params(example.method, value).map_err(|code| format!("error {}", code.code()))
    }
}

#[test]
fn the_table_and_the_folders_are_the_methods_of_the_registry() {
    let table = Table::read();
    let names: Vec<&str> = methods_by_name().into_keys().collect();
    let rows: Vec<&str> = table.rows.keys().map(String::as_str).collect();
    assert_eq!(rows, names, "the README's table, against the registry");
    for path in &table.officially_accepted {
        assert!(
            conformance_dir().join(path).is_file(),
            "the README lists `{path}`, which is gone"
        );
    }
}

#[test]
fn every_valid_example_is_officially_valid_and_round_trips_through_our_types() {
    let official = Official::get();
    let table = Table::read();
    let examples = valid_examples(&table);
    for example in &examples {
        let shown = example.shown();
        let value = read_json(&example.path);
        if let Err(errors) = official.check(&example.definition, &value) {
            panic!(
                "{shown} is not a valid official `{}`:\n{errors}",
                example.definition
            );
        }
        let written = decode_example(example).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert_eq!(written, value, "{shown}, decoded and encoded again");
    }
    // Every valid example on disk was checked.
    let checked: BTreeSet<&Path> = examples.iter().map(|e| e.path.as_path()).collect();
    let on_disk: Vec<PathBuf> = walk(&conformance_dir())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.components().any(|c| c.as_os_str() == "invalid"))
        .collect();
    let unchecked: Vec<&PathBuf> = on_disk
        .iter()
        .filter(|p| !checked.contains(p.as_path()))
        .collect();
    assert!(
        unchecked.is_empty(),
        "examples no method reads: {unchecked:?}"
    );
}

#[test]
fn every_invalid_example_is_rejected_by_our_types_and_by_the_official_schema() {
    let official = Official::get();
    let table = Table::read();
    let mut judged = 0;
    let mut failures = Vec::new();
    for (name, methods) in methods_by_name() {
        let (params, result) = table.rows[name].clone();
        let dir = conformance_dir().join(name).join("invalid");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        assert!(
            files.iter().any(|f| file_name(f).starts_with("params-")),
            "`{name}` has no invalid params example"
        );
        for file in &files {
            let shown = file
                .strip_prefix(conformance_dir())
                .unwrap()
                .display()
                .to_string();
            let value = read_json(file);
            let is_params = file_name(file).starts_with("params-");
            assert!(
                is_params || file_name(file).starts_with("response-"),
                "{shown}: invalid examples are named params-*.json or response-*.json"
            );
            for method in &methods {
                let direction = method.direction.as_str();
                if is_params {
                    match decode_params(method, value.clone()) {
                        Err(ErrorCode::InvalidParams) => {}
                        Err(code) => failures.push(format!(
                            "{shown} ({direction}): {} where -32602 was expected",
                            code.code()
                        )),
                        Ok(_) => failures.push(format!("{shown} ({direction}) was accepted")),
                    }
                } else {
                    assert_eq!(
                        method.kind,
                        Kind::Request,
                        "{shown}: a notification has no result"
                    );
                    if decode_result(method, value.clone()).is_ok() {
                        failures.push(format!("{shown} ({direction}) was accepted"));
                    }
                }
            }
            // Against the official definitions the value could be: a
            // task-augmented request's result may also be a task.
            let mut definitions: Vec<String> = Vec::new();
            if is_params {
                definitions.extend(params.clone());
            } else {
                definitions.extend(result.clone());
                if conformance_dir()
                    .join(name)
                    .join("response-task.json")
                    .exists()
                {
                    definitions.push("CreateTaskResult".to_owned());
                }
            }
            let officially_valid = definitions
                .iter()
                .any(|definition| official.check(definition, &value).is_ok());
            let listed = table.officially_accepted.contains(&shown);
            assert_eq!(
                officially_valid,
                listed,
                "{shown}: the official schema {} it, and the README {} it",
                if officially_valid {
                    "accepts"
                } else {
                    "rejects"
                },
                if listed { "lists" } else { "does not list" },
            );
            judged += 1;
        }
    }
    let on_disk = walk(&conformance_dir())
        .into_iter()
        .filter(|path| path.components().any(|c| c.as_os_str() == "invalid"))
        .count();
    assert_eq!(judged, on_disk, "invalid examples judged, of those on disk");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn file_name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
