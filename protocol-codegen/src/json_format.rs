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

fn write_value(out: &mut String, value: &Value, indent: usize, is_root: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|key| (rank(key, is_root), key.as_str()));
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                push_indent(out, indent + 1);
                out.push_str(&string_literal(key));
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
        Value::String(s) => out.push_str(&string_literal(s)),
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

fn string_literal(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
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
