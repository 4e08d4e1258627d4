//! A protocol author's repository, made from the README alone: every file
//! of "A generator for your own protocol" and "CI for a project using this
//! tool" is a fenced block whose info string names it (```` ```rust
//! author:notes-protocol/src/lib.rs ````). They are written, as they are,
//! into a project outside this workspace (its own `[workspace]`, path
//! dependencies on this workspace's crates, this workspace's `Cargo.lock`
//! so that versions stay pinned), built once, and used as the README says:
//! the generator writes `generated/` beside its package from any directory,
//! `check` passes and then fails after a definition changes, `openrpc.json`
//! names the protocol's package, `validate` reads a transcript, the CI
//! commands pass, and the author's drift test fails on a stale folder and
//! (outside CI) rewrites it.
//!
//! It builds into `readme-author/` of this workspace's target directory, so
//! the dependencies compile once per checkout, not once per run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The README's path to this repository's checkout, beside the author's.
const CHECKOUT: &str = "../protocol-codegen/";

/// The files the README gives, by path in the author's repository.
const FILES: [&str; 8] = [
    "Cargo.toml",
    "notes-protocol/Cargo.toml",
    "notes-protocol/src/lib.rs",
    "notes-codegen/Cargo.toml",
    "notes-codegen/src/lib.rs",
    "notes-codegen/src/main.rs",
    "notes-codegen/tests/generated.rs",
    ".github/workflows/protocol.yml",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The fenced blocks of `markdown` whose info string has an
/// `author:<path>` word, by path.
fn author_files(markdown: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let path = info
            .split_whitespace()
            .find_map(|word| word.strip_prefix("author:"));
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        if let Some(path) = path {
            let previous = files.insert(path.to_owned(), body);
            assert!(previous.is_none(), "README gives {path} twice");
        }
    }
    files
}

/// This workspace's target directory: the test binary is in its
/// `debug/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .expect("the test binary is in <target>/<profile>/deps/")
        .to_path_buf()
}

struct Project {
    root: PathBuf,
    target: PathBuf,
}

impl Project {
    /// `cargo <args>` in the project, offline (everything is in this
    /// workspace's lock file and cargo's cache), with `CI` as given.
    fn cargo(&self, args: &[&str], ci: bool) -> Output {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .arg("--offline")
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CI");
        if ci {
            command.env("CI", "true");
        }
        command.output().unwrap()
    }

    /// The generator binary, run in `cwd`.
    fn generator(&self, args: &[&str], cwd: &Path) -> Output {
        let binary = format!("notes-codegen{}", std::env::consts::EXE_SUFFIX);
        Command::new(self.target.join("debug").join(binary))
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_code(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}\n--- stdout\n{}\n--- stderr\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The `version` of a `[package]` manifest.
fn package_version(manifest: &str) -> &str {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .expect("a version")
        .trim_matches('"')
}

#[test]
fn an_author_follows_the_readme() {
    let started = std::time::Instant::now();
    let root = workspace_root();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let files = author_files(&readme);
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut expected = FILES.to_vec();
            expected.sort();
            expected
        },
        "the README's author files"
    );

    // Outside this workspace: cargo must not find it above the project.
    let scratch = tempfile::tempdir().unwrap();
    let project = Project {
        root: scratch.path().join("notes"),
        target: target_dir().join("readme-author"),
    };
    for (path, contents) in &files {
        let contents = if path == "Cargo.toml" {
            assert!(contents.contains(CHECKOUT), "{contents}");
            contents.replace(CHECKOUT, &format!("{}/", root.display()))
        } else {
            contents.clone()
        };
        let file = project.root.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, contents).unwrap();
    }
    fs::copy(root.join("Cargo.lock"), project.root.join("Cargo.lock")).unwrap();

    // One build: the generator, its library and its tests.
    let built = project.cargo(&["test", "--workspace", "--no-run"], false);
    assert_code(&built, 0, "the README's project builds");
    eprintln!("built in {:?}", started.elapsed());

    // write-schema from a folder deep in the protocol crate writes
    // generated/ at the root, where the generator's package puts it.
    let deep = project.root.join("notes-protocol/src");
    let written = project.generator(&["write-schema"], &deep);
    assert_code(&written, 0, "write-schema");
    let generated = project.root.join("generated");
    let summary = text(&written.stdout);
    assert!(
        summary.starts_with(&format!("`{}`: ", generated.display()))
            && summary.trim_end().ends_with("written.")
            && summary.lines().count() == 1,
        "{summary}"
    );
    assert!(!deep.join("generated").exists());
    for file in [
        "openrpc.json",
        "protocol.meta.json",
        "json/NotesRequest.json",
        "typescript/index.ts",
        "typescript/client.ts",
    ] {
        assert!(generated.join(file).is_file(), "{file}");
    }
    // Nothing but generated files: no lock file left for the author.
    assert!(!generated.join(".codegen.lock").exists());

    // The protocol is named after its package.
    let openrpc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(generated.join("openrpc.json")).unwrap()).unwrap();
    assert_eq!(openrpc["info"]["title"], "notes-protocol");
    assert_eq!(
        openrpc["info"]["version"],
        package_version(&files["notes-protocol/Cargo.toml"])
    );

    // check passes from anywhere, here from outside the project.
    assert_code(
        &project.generator(&["check"], scratch.path()),
        0,
        "check after write-schema",
    );

    // validate: the negotiation, a request, the gated server request
    // before and after the client declared its capability.
    let transcript = scratch.path().join("session.jsonl");
    let session = [
        r#"{"from": "client", "message": {"jsonrpc": "2.0", "id": 0, "method": "open", "params": {"clientName": "cli"}}}"#,
        r#"{"from": "server", "message": {"jsonrpc": "2.0", "id": 0, "result": {"serverName": "notes"}}}"#,
        r#"{"from": "client", "message": {"jsonrpc": "2.0", "id": 1, "method": "notes/add", "params": {"text": "milk"}}}"#,
        r#"{"from": "server", "message": {"jsonrpc": "2.0", "id": 1, "result": {"id": 7, "text": "milk"}}}"#,
        r#"{"from": "client", "message": {"jsonrpc": "2.0", "id": 2, "method": "notes/list"}}"#,
        r#"{"from": "server", "message": {"jsonrpc": "2.0", "id": 2, "result": {"notes": [{"id": 7, "text": "milk"}]}}}"#,
    ];
    fs::write(&transcript, session.join("\n") + "\n").unwrap();
    let valid = project.generator(&["validate", transcript.to_str().unwrap()], scratch.path());
    assert_code(&valid, 0, "a valid transcript");
    let broken = [
        session[0],
        session[1],
        r#"{"from": "client", "message": {"jsonrpc": "2.0", "id": 1, "method": "notes/add", "params": {"text": 7}}}"#,
        r#"{"from": "server", "message": {"jsonrpc": "2.0", "id": 5, "method": "notes/confirmDelete", "params": {"id": 7}}}"#,
    ];
    fs::write(&transcript, broken.join("\n") + "\n").unwrap();
    let invalid = project.generator(&["validate", transcript.to_str().unwrap()], scratch.path());
    assert_code(&invalid, 1, "an invalid transcript");
    let report = text(&invalid.stdout);
    assert!(
        report.contains("line 3: notes/add at \"/params/text\"")
            && report.contains("line 4: notes/confirmDelete")
            && report.contains("confirmDeletes"),
        "{report}"
    );

    // The CI commands of the README pass.
    let workflow = &files[".github/workflows/protocol.yml"];
    let ci_commands: Vec<&str> = workflow
        .lines()
        .filter_map(|line| line.trim().strip_prefix("run: "))
        .collect();
    assert_eq!(
        ci_commands,
        [
            "cargo run -p notes-codegen -- check",
            "cargo test --workspace"
        ]
    );
    assert_code(
        &project.cargo(&["run", "-q", "-p", "notes-codegen", "--", "check"], true),
        0,
        "CI: cargo run -p notes-codegen -- check",
    );
    assert_code(
        &project.cargo(&["test", "-q", "--workspace"], true),
        0,
        "CI: cargo test --workspace",
    );

    // A definition changes: a field added to a params type.
    let lib = project.root.join("notes-protocol/src/lib.rs");
    let definitions = fs::read_to_string(&lib).unwrap();
    let field = "pub struct AddNoteParams {\n    pub text: String,\n";
    assert!(definitions.contains(field));
    fs::write(
        &lib,
        definitions.replace(field, &format!("{field}    pub pinned: bool,\n")),
    )
    .unwrap();
    assert_code(
        &project.cargo(&["test", "--workspace", "--no-run"], false),
        0,
        "the changed definitions build",
    );
    let stale = project.generator(&["check"], &deep);
    assert_code(&stale, 1, "check after the change");
    let report = text(&stale.stdout);
    assert!(
        report.contains("stale:   json/AddNoteParams.json")
            && report.contains("+  pinned: boolean;")
            && report.contains("cargo run -p notes-codegen -- write-schema"),
        "{report}"
    );

    // The author's drift test: in CI it fails and writes nothing; outside
    // CI it fails once, rewriting the folder, and then passes.
    let before = fs::read_to_string(generated.join("json/AddNoteParams.json")).unwrap();
    let in_ci = project.cargo(&["test", "-q", "--test", "generated"], true);
    assert_code(&in_ci, 101, "the drift test in CI");
    assert!(
        text(&in_ci.stdout).contains("stale:   json/AddNoteParams.json"),
        "{}",
        text(&in_ci.stdout)
    );
    // The folder is named as it is, not through the generator's package.
    assert!(
        !text(&in_ci.stdout).contains("/../generated"),
        "{}",
        text(&in_ci.stdout)
    );
    assert_eq!(
        fs::read_to_string(generated.join("json/AddNoteParams.json")).unwrap(),
        before,
        "nothing written in CI"
    );
    let locally = project.cargo(&["test", "-q", "--test", "generated"], false);
    assert_code(&locally, 101, "the drift test outside CI, once");
    assert!(
        text(&locally.stdout).contains("the files were updated"),
        "{}",
        text(&locally.stdout)
    );
    assert_code(
        &project.cargo(&["test", "-q", "--test", "generated"], true),
        0,
        "the drift test after it rewrote generated/",
    );
    assert_code(
        &project.generator(&["check"], scratch.path()),
        0,
        "check after the drift test rewrote generated/",
    );
    eprintln!("done in {:?}", started.elapsed());
}
