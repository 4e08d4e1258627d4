//! The printer of a `serde_json::Value` tree.

use serde_json::Value;

use super::{push_indent, push_string_literal, rank, ROOT_LAST};

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
    for (key, value) in sorted_entries(map, true) {
        push_indent(&mut out, 1);
        push_string_literal(&mut out, key);
        out.push_str(": ");
        write_value(&mut out, value, 1, false);
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

/// The entries of `map` in the order they are written. The values come with
/// their keys, so that writing them needs no lookup (a hash of the key each,
/// as serde_json's map is an `IndexMap` when `preserve_order` is on).
fn sorted_entries(map: &serde_json::Map<String, Value>, is_root: bool) -> Vec<(&str, &Value)> {
    let mut entries: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    if is_root {
        entries.sort_by_key(|(key, _)| (rank(key, is_root), *key));
    } else {
        entries.sort_unstable_by_key(|(key, _)| *key);
    }
    entries
}

pub(super) fn write_value(out: &mut String, value: &Value, indent: usize, is_root: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            // Most objects below the root are small and many already in
            // order (a `$ref`, a `type`): those are written as they are.
            let in_order = !is_root && {
                let mut keys = map.keys();
                let mut previous = keys.next();
                keys.all(|key| {
                    let sorted = previous.is_some_and(|previous| previous < key);
                    previous = Some(key);
                    sorted
                })
            };
            let mut member = |i: usize, key: &str, value: &Value| {
                if i > 0 {
                    out.push_str(",\n");
                }
                push_indent(out, indent + 1);
                push_string_literal(out, key);
                out.push_str(": ");
                write_value(out, value, indent + 1, false);
            };
            if in_order {
                for (i, (key, value)) in map.iter().enumerate() {
                    member(i, key, value);
                }
            } else {
                for (i, (key, value)) in sorted_entries(map, is_root).into_iter().enumerate() {
                    member(i, key, value);
                }
            }
            out.push('\n');
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
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // serde_json prints a number with its `Display`.
        Value::Number(number) => {
            use std::fmt::Write;
            write!(out, "{number}").expect("writing to a String cannot fail");
        }
    }
}
