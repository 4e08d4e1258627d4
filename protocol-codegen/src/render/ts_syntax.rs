//! What the TypeScript outputs share: their folder and index, the header
//! line that marks a file as generated, JSDoc blocks and string literals.
//! It renders no file.

use crate::output::header::{notice, Mark};

/// The folder of the TypeScript outputs, relative to a surface's root.
pub const FOLDER: &str = "typescript";
/// The index every TypeScript output adds its exports to
/// ([`crate::render::IndexEntry`]), rendered once from them.
pub const INDEX_FILE: &str = "typescript/index.ts";

/// How the TypeScript outputs mark a `.ts` file: its first line is a line
/// comment holding the notice.
pub const MARK: Mark = Mark::first_line(".ts", "// ");

/// The first line of every generated TypeScript file (without its newline).
pub fn typescript_header(command: &str) -> String {
    header_of(&notice(command))
}

/// The header line carrying `notice`.
pub fn header_of(notice: &str) -> String {
    format!("// {notice}")
}

/// A JSDoc block, or nothing for no lines.
pub fn jsdoc<S: AsRef<str>>(lines: &[S], indent: &str) -> String {
    if lines.iter().all(|line| line.as_ref().trim().is_empty()) {
        return String::new();
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        let line = line.as_ref().trim_end().replace("*/", "*\\/");
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// A TypeScript string literal (JSON's escaping is valid TypeScript).
pub fn string_literal(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsdoc_escapes_and_indents() {
        assert_eq!(jsdoc::<&str>(&[], ""), "");
        assert_eq!(
            jsdoc(&["a */ b", "", "c"], "  "),
            "  /**\n   * a *\\/ b\n   *\n   * c\n   */\n"
        );
    }

    #[test]
    fn the_header_is_what_the_mark_recognises() {
        let command = "regenerate";
        let text = format!("{}\nexport type A = string;\n", typescript_header(command));
        assert!(MARK.is_ours(&text, command));
    }
}
