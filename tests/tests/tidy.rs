//! Architecture rules held by tests, as rust-analyzer's `tidy` does: the
//! generic crates know no protocol. No name of the codex protocol may appear
//! in the code of `protocol-macros` or `protocol-codegen` (its sources, the
//! proc-macro crate and the TypeScript client it ships) outside comments:
//! every protocol reaches them through its own definitions.

use std::fs;
use std::path::{Path, PathBuf};

/// Names only the codex protocol gives meaning to, matched case-insensitively.
const PROTOCOL_NAMES: [&str; 5] = [
    "experimentalApi",
    "requestAttestation",
    "attestation",
    "codex",
    "initialize",
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
