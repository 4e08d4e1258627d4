//! Pretty-printing JSON the same way on every machine.
//!
//! serde_json's map order depends on a cargo feature (`preserve_order`) that
//! any crate in a build can switch on, so the printer sorts keys itself
//! rather than trusting the map: output never depends on which crates were
//! built alongside.

use serde_json::Value;

/// Keys that lead a root schema, in this order, before the rest.
const ROOT_FIRST: &[&str] = &["$comment", "$schema", "title", "description"];
/// Keys that close a root schema, after the rest: the definitions.
const ROOT_LAST: &[&str] = &["$defs", "definitions"];

/// Two-space indented JSON with a trailing newline. Object keys are sorted
/// by code point; at the root, `$comment`, `$schema`, `title` and
/// `description` come first and the definitions last.
pub fn to_canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0, true);
    out.push('\n');
    out
}

/// `root` as [`to_canonical_json`] writes it with `definitions` (name and
/// text, sorted by name) under `key`, each text as [`write_nested`] writes
/// a value at [`DEFINITION_INDENT`]. Texts rendered once can so be shared
/// by every file that needs them, instead of building and printing a tree
/// per file. `root` must not have `key` itself.
pub(crate) fn to_canonical_json_with_definitions(
    root: &Value,
    key: &str,
    definitions: &[(&str, &str)],
) -> String {
    let Value::Object(map) = root else {
        return to_canonical_json(root);
    };
    debug_assert!(ROOT_LAST.contains(&key) && !map.contains_key(key));
    debug_assert!(definitions.windows(2).all(|pair| pair[0].0 < pair[1].0));
    if definitions.is_empty() {
        return to_canonical_json(root);
    }
    let size: usize = definitions
        .iter()
        .map(|(name, text)| name.len() + text.len() + 12)
        .sum();
    let mut out = String::with_capacity(size + 1024);
    out.push_str("{\n");
    // The definitions rank last among a root's keys, so they follow the rest.
    for key in sorted_keys(map, true) {
        push_indent(&mut out, 1);
        push_string_literal(&mut out, key);
        out.push_str(": ");
        write_value(&mut out, &map[key.as_str()], 1, false);
        out.push_str(",\n");
    }
    push_indent(&mut out, 1);
    push_string_literal(&mut out, key);
    out.push_str(": {\n");
    for (i, (name, text)) in definitions.iter().enumerate() {
        push_indent(&mut out, DEFINITION_INDENT);
        push_string_literal(&mut out, name);
        out.push_str(": ");
        out.push_str(text);
        if i + 1 < definitions.len() {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(&mut out, 1);
    out.push_str("}\n}\n");
    out
}

/// The indentation level of a definition's value in a root schema.
pub(crate) const DEFINITION_INDENT: usize = 2;

/// `value` as it is written nested `indent` levels deep in a canonical
/// file (its first line not indented, its last closing at `indent`).
pub(crate) fn write_nested(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_value(&mut out, value, indent, false);
    out
}

fn sorted_keys(map: &serde_json::Map<String, Value>, is_root: bool) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|key| (rank(key, is_root), key.as_str()));
    keys
}

fn write_value(out: &mut String, value: &Value, indent: usize, is_root: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let keys = sorted_keys(map, is_root);
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                push_indent(out, indent + 1);
                push_string_literal(out, key);
                out.push_str(": ");
                write_value(out, &map[key.as_str()], indent + 1, false);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                push_indent(out, indent + 1);
                write_value(out, item, indent + 1, false);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push(']');
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(s) => push_string_literal(out, s),
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn rank(key: &str, is_root: bool) -> usize {
    if !is_root {
        return 1;
    }
    if let Some(i) = ROOT_FIRST.iter().position(|k| *k == key) {
        return i;
    }
    if ROOT_LAST.contains(&key) {
        return ROOT_FIRST.len() + 1;
    }
    ROOT_FIRST.len()
}

/// A JSON string literal, escaped as serde_json escapes it.
fn push_string_literal(out: &mut String, s: &str) {
    // serde_json escapes only `"`, `\\` and control characters.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&Value::String(s.to_owned()).to_string());
    }
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_and_leads_with_the_header() {
        let value = json!({
            "$defs": {"B": {"type": "string"}, "A": {}},
            "oneOf": [],
            "title": "T",
            "$schema": "s",
            "$comment": "c",
            "z": [1, "two\n", null, true],
        });
        assert_eq!(
            to_canonical_json(&value),
            r#"{
  "$comment": "c",
  "$schema": "s",
  "title": "T",
  "oneOf": [],
  "z": [
    1,
    "two\n",
    null,
    true
  ],
  "$defs": {
    "A": {},
    "B": {
      "type": "string"
    }
  }
}
"#
        );
    }

    #[test]
    fn round_trips() {
        let value = json!({"a": {"b": [1.5, -2, "ü\"\\"]}, "title": {"title": 1}});
        let text = to_canonical_json(&value);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
