//! Architecture rules held by tests, as rust-analyzer's `tidy` does, each
//! checked by a function that a test also shows failing on a broken input:
//!
//! - the generic crates know no protocol: no name of the codex protocol or
//!   of MCP in the code of `protocol-macros` or `protocol-codegen` (its
//!   sources, the proc-macro crate and the TypeScript client it ships)
//!   outside comments, and no dependency on a protocol's crate;
//! - the macros do no I/O and read no environment (the registry they
//!   expand names its package with `env!`, which the compiler reads in the
//!   protocol's crate);
//! - renderers do no I/O: each returns text made from the model, and none
//!   reads a file (another renderer's output included); the one text a
//!   renderer embeds is `ts/client.ts`, a source file;
//! - no renderer reads another renderer's output: each is handed the model
//!   and what it rendered itself, and returns its files (the `Output`
//!   trait), and no renderer module names another (what they share lives
//!   in modules that render nothing, `schema.rs` and `ts_syntax.rs`);
//! - the model holds marks as plain data: JSDoc tags are written by the
//!   TypeScript output alone (and `@deprecated` read and written back where
//!   the `#[wire]` macro puts a note in a schema's description);
//! - ARCHITECTURE.md's code map names every source file, and no file that
//!   is gone.

use std::fs;
use std::path::{Path, PathBuf};

/// Names only one of the protocols gives meaning to (codex's, then MCP's),
/// matched case-insensitively.
const PROTOCOL_NAMES: [&str; 12] = [
    "experimentalApi",
    "requestAttestation",
    "attestation",
    "codex",
    "initialize",
    "mcp",
    "modelcontextprotocol",
    "elicitation",
    "sampling/createMessage",
    "tools/call",
    "listChanged",
    "progressToken",
];

/// The folders of the generic crates, relative to the repository root.
const GENERIC: [&str; 4] = [
    "protocol-macros/src",
    "protocol-macros/impl/src",
    "protocol-codegen/src",
    "protocol-codegen/ts",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("rs" | "ts")) {
            out.push(path);
        }
    }
}

/// `text` with its comments blanked out (line comments, block comments,
/// nested in Rust), string and character literals kept: what remains is
/// code. Newlines are kept, so line numbers still hold.
fn code_of(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            ('r', Some('#' | '"')) if raw_string_at(&chars, i) => {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let start = i;
                i += 2 + hashes;
                let closing: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                while i < chars.len()
                    && !chars[i..].iter().collect::<String>().starts_with(&closing)
                {
                    i += 1;
                }
                i = (i + closing.chars().count()).min(chars.len());
                out.extend(&chars[start..i]);
            }
            ('"' | '`', _) => {
                let quote = c;
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(chars.len());
                out.extend(&chars[start..i]);
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether a raw string literal (`r"…"`, `r#"…"#`) starts at `i`, rather
/// than an identifier ending in `r`.
fn raw_string_at(chars: &[char], i: usize) -> bool {
    let preceded_by_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    !preceded_by_word && chars.get(i + 1 + hashes) == Some(&'"')
}

/// Every place a protocol name appears in the code of `text`: `(line, name)`.
fn protocol_names_in(text: &str) -> Vec<(usize, &'static str)> {
    let code = code_of(text).to_lowercase();
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        for name in PROTOCOL_NAMES {
            if line.contains(&name.to_lowercase()) {
                found.push((number + 1, name));
            }
        }
    }
    found
}

#[test]
fn the_generic_crates_name_no_protocol() {
    let root = root();
    let mut files = Vec::new();
    for dir in GENERIC {
        sources(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "only {} source files found", files.len());
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (line, name) in protocol_names_in(&text) {
            let shown = file.strip_prefix(&root).unwrap_or(file).display();
            offences.push(format!("{shown}:{line}: `{name}`"));
        }
    }
    assert!(
        offences.is_empty(),
        "protocol names in the generic crates' code (move them to the protocol's own definitions):\n{}",
        offences.join("\n")
    );
}

/// Every `.rs` file of the crates' sources and the tests' library, but
/// `lib.rs`, `main.rs` and `mod.rs`, which their folder or crate names.
fn named_sources(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "protocol-macros/src",
        "protocol-macros/impl/src",
        "protocol-codegen/src",
        "protocol-defs/src",
        "codegen-cli/src",
        "tests/src",
        "tests/node-harness/src",
        "mcp/mcp-defs/src",
        "mcp/mcp-codegen/src",
        "mcp/bench/src",
    ] {
        sources(&root.join(dir), &mut files);
    }
    files.retain(|f| {
        f.extension().is_some_and(|e| e == "rs")
            && !matches!(
                f.file_name().and_then(|n| n.to_str()),
                Some("lib.rs" | "main.rs" | "mod.rs")
            )
    });
    files
}

/// The file names of `files` that `map` does not name (as `` `name.rs` ``).
fn unnamed<'a>(map: &str, files: &'a [PathBuf]) -> Vec<&'a Path> {
    files
        .iter()
        .filter(|file| {
            let name = file.file_name().unwrap().to_string_lossy();
            !map.contains(&format!("`{name}`")) && !map.contains(&format!("/{name}`"))
        })
        .map(PathBuf::as_path)
        .collect()
}

/// The `` `name.rs` `` that `map` names and no file in `files` has.
fn gone<'a>(map: &'a str, files: &[PathBuf]) -> Vec<&'a str> {
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    map.split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| {
            quoted.ends_with(".rs")
                && !quoted.contains(['/', ' ', '*', '<'])
                && !matches!(*quoted, "lib.rs" | "main.rs" | "mod.rs")
        })
        .filter(|quoted| !names.iter().any(|n| n == quoted))
        .collect()
}

#[test]
fn the_code_map_names_every_source_file_and_no_file_that_is_gone() {
    let root = root();
    let map = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut files = named_sources(&root);
    assert!(files.len() > 30, "only {} source files found", files.len());
    assert_eq!(
        unnamed(&map, &files),
        Vec::<&Path>::new(),
        "ARCHITECTURE.md's code map"
    );
    // Test files and benches are named too, when the map names them.
    sources(&root.join("tests/tests"), &mut files);
    sources(&root.join("protocol-defs/benches"), &mut files);
    sources(&root.join("mcp/mcp-defs/tests"), &mut files);
    sources(&root.join("mcp/bench/benches"), &mut files);
    assert_eq!(
        gone(&map, &files),
        Vec::<&str>::new(),
        "ARCHITECTURE.md names files that are gone"
    );

    // Each check fails when its rule is broken.
    let files = vec![PathBuf::from("a/decode.rs"), PathBuf::from("b/gate.rs")];
    assert_eq!(
        unnamed("`decode.rs` reads", &files),
        [Path::new("b/gate.rs")]
    );
    assert_eq!(
        gone("`decode.rs`, `old.rs` and `a/b.rs`", &files),
        ["old.rs"]
    );
}

/// The `[dependencies]` of a `Cargo.toml` (not the dev-dependencies).
fn dependencies(manifest: &str) -> Vec<&str> {
    let mut section = "";
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section == "[dependencies]" {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim().trim_end_matches(".workspace").trim();
                if !name.is_empty() && !name.starts_with('#') {
                    names.push(name);
                }
            }
        }
    }
    names
}

#[test]
fn the_generic_crates_depend_on_no_protocol() {
    let root = root();
    for manifest in [
        "protocol-macros/Cargo.toml",
        "protocol-macros/impl/Cargo.toml",
        "protocol-codegen/Cargo.toml",
    ] {
        let text = fs::read_to_string(root.join(manifest)).unwrap();
        let deps = dependencies(&text);
        assert!(!deps.is_empty(), "{manifest}: no dependency read");
        for protocol in [
            "protocol-defs",
            "tests",
            "codegen-cli",
            "mcp-defs",
            "mcp-codegen",
        ] {
            assert!(
                !deps.contains(&protocol),
                "{manifest} depends on {protocol}"
            );
        }
    }
    let broken = "[package]\nname = \"x\"\n[dependencies]\nserde.workspace = true\nprotocol-defs = { path = \"../protocol-defs\" }\n[dev-dependencies]\ntests = \"1\"\n";
    assert_eq!(dependencies(broken), ["serde", "protocol-defs"]);
}

/// The places in `text`'s code (comments left out) that reach outside the
/// program: files, I/O, the environment, processes, the network, and files
/// embedded at compile time (`include_str!` and its kin), but those of
/// `allowed`.
fn io_in(text: &str, allowed: &[&str]) -> Vec<(usize, &'static str)> {
    const IO: [&str; 10] = [
        "std::fs",
        "std::io",
        "std::env",
        "std::process",
        "std::net",
        "env!(",
        "include_str!(",
        "include_bytes!(",
        "include!(",
        "File::",
    ];
    let code = code_of(text);
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        if allowed.iter().any(|a| line.contains(a)) {
            continue;
        }
        for io in IO {
            if line.contains(io) {
                found.push((number + 1, io));
            }
        }
    }
    found
}

#[test]
fn the_macros_and_the_renderers_do_no_io() {
    let root = root();
    let mut checked = 0;
    for (dir, allowed) in [
        (
            "protocol-macros/impl/src",
            // Expanded into the registry, and read by the compiler in the
            // protocol's crate: its own package's name and version.
            &[r#"::core::env!("CARGO_PKG_"#][..],
        ),
        (
            "protocol-codegen/src/render",
            // The TypeScript client's source, embedded verbatim.
            &[r#"include_str!("../../ts/client.ts")"#][..],
        ),
    ] {
        let mut files = Vec::new();
        sources(&root.join(dir), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            let found = io_in(&text, allowed);
            assert!(found.is_empty(), "{}: {found:?}", file.display());
            checked += 1;
        }
    }
    assert!(checked > 15, "only {checked} files checked");
    let broken = "// std::fs in a comment\nlet a = std::fs::read(p);\nlet b = include_str!(\"x\");\nlet c = include_str!(\"ok\");\n";
    assert_eq!(
        io_in(broken, &[r#"include_str!("ok")"#]),
        [(2, "std::fs"), (3, "include_str!(")]
    );
}

/// The renderer modules of `render/`: the files that implement `Output`,
/// by module name.
fn renderer_modules(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, text)| code_of(text).contains("impl Output for"))
        .map(|(module, _)| module.clone())
        .collect()
}

/// Every place the code of `text`, the module `own`, names another module
/// of `renderers`: `(line, module)`, as a path (`render::x`, `super::x`)
/// or in a group of `render::{…}` / `super::{…}`.
fn other_renderers_named(text: &str, own: &str, renderers: &[String]) -> Vec<(usize, String)> {
    let code = code_of(text);
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        for parent in ["render::", "super::"] {
            let mut rest = line;
            while let Some(at) = rest.find(parent) {
                rest = &rest[at + parent.len()..];
                let named: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(|item| item.trim().split("::").next().unwrap_or(""))
                        .collect(),
                    None => vec![rest
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")],
                };
                for name in named {
                    if name != own && renderers.iter().any(|r| r == name) {
                        found.push((number + 1, name.to_owned()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_renderer_names_another() {
    let dir = root().join("protocol-codegen/src/render");
    let mut paths = Vec::new();
    sources(&dir, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            let module = path.file_stem().unwrap().to_string_lossy().into_owned();
            (module, fs::read_to_string(path).unwrap())
        })
        .collect();
    let renderers = renderer_modules(&files);
    assert!(
        renderers.len() >= 5,
        "only {renderers:?} implement `Output`"
    );
    let mut offences = Vec::new();
    for (module, text) in &files {
        for (line, other) in other_renderers_named(text, module, &renderers) {
            offences.push(format!("render/{module}.rs:{line}: names `{other}`"));
        }
    }
    assert!(
        offences.is_empty(),
        "a renderer reaches into another (render from the model; share syntax or schema code through a module that renders nothing):\n{}",
        offences.join("\n")
    );

    // The check fails when the rule is broken.
    let files = vec![
        ("a".to_owned(), "impl Output for A {}".to_owned()),
        ("b".to_owned(), "impl Output for B {}".to_owned()),
        ("shared".to_owned(), "pub fn jsdoc() {}".to_owned()),
    ];
    let renderers = renderer_modules(&files);
    assert_eq!(renderers, ["a", "b"]);
    let broken = "// render::b in a comment\nuse crate::render::b::INDEX;\nuse super::{shared, b};\nuse crate::render::{a::X, shared::jsdoc};\nlet x = super::b::text();\n";
    assert_eq!(
        other_renderers_named(broken, "a", &renderers),
        [
            (2, "b".to_owned()),
            (3, "b".to_owned()),
            (5, "b".to_owned())
        ]
    );
}

/// The lines of `text`'s code (comments left out) that write a JSDoc tag
/// (`@deprecated`, `@experimental`, `@since`).
fn jsdoc_tags_in(text: &str) -> Vec<usize> {
    code_of(text)
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            ["@deprecated", "@experimental", "@since"]
                .iter()
                .any(|tag| line.contains(tag))
        })
        .map(|(number, _)| number + 1)
        .collect()
}

/// The model holds marks as plain data, and JSDoc tags are made from them
/// by the TypeScript output alone. Two places name `@deprecated` besides:
/// the model's builder, which takes a `#[wire]` item's note from the end
/// of its schema's description, and the JSON Schema of a type
/// (`render/schema.rs`), which puts it back there as schemars writes it.
#[test]
fn jsdoc_tags_are_made_by_typescript_alone() {
    let root = root();
    let mut files = Vec::new();
    sources(&root.join("protocol-codegen/src"), &mut files);
    let allowed = ["render/typescript.rs", "render/schema.rs", "model/build.rs"];
    let typescript = fs::read_to_string(root.join("protocol-codegen/src/render/typescript.rs"));
    assert!(!jsdoc_tags_in(&typescript.unwrap()).is_empty());
    let mut offences = Vec::new();
    for file in &files {
        let shown = file
            .strip_prefix(root.join("protocol-codegen/src"))
            .unwrap();
        let shown = shown.to_string_lossy().replace('\\', "/");
        if allowed.contains(&shown.as_str()) || file.extension().is_some_and(|e| e == "ts") {
            continue;
        }
        for line in jsdoc_tags_in(&fs::read_to_string(file).unwrap()) {
            offences.push(format!("{shown}:{line}"));
        }
    }
    assert!(
        offences.is_empty(),
        "JSDoc tags written outside the TypeScript output:\n{}",
        offences.join("\n")
    );
    let broken = "/// `@deprecated` in a doc comment\nlet a = format!(\"@deprecated {note}\");\nlet b = 1;\n";
    assert_eq!(jsdoc_tags_in(broken), [2]);
}

#[test]
fn the_check_sees_code_and_skips_comments() {
    let text = r##"
// initialize in a line comment
/* codex in a block /* nested attestation */ still a comment */
/// experimentalApi in a doc comment
let a = "requestAttestation"; // a string is code
let b = r#"initialize"#;
let c = `codex ${x}`;
let d = "a // not a comment: Codex";
fn initialize_all() {}
let bar = 1; // `bar` ends in `r`, not a raw string
"##;
    assert_eq!(
        protocol_names_in(text),
        [
            (5, "requestAttestation"),
            (5, "attestation"),
            (6, "initialize"),
            (7, "codex"),
            (8, "codex"),
            (9, "initialize"),
        ]
    );
}
