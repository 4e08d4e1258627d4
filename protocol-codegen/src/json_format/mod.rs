//! Pretty-printing JSON the same way on every machine.
//!
//! serde_json's map order depends on a cargo feature (`preserve_order`) that
//! any crate in a build can switch on, so the printer sorts keys itself
//! rather than trusting the map: output never depends on which crates were
//! built alongside.

mod serializer;
mod value;

use serde_json::Value;

pub(crate) use self::serializer::to_canonical_json_of;
pub use self::value::to_canonical_json;
pub(crate) use self::value::{to_canonical_json_with_definitions, write_nested, DEFINITION_INDENT};

/// Keys that lead a root schema, in this order, before the rest.
const ROOT_FIRST: &[&str] = &["$comment", "$schema", "title", "description"];
/// Keys that close a root schema, after the rest: the definitions.
const ROOT_LAST: &[&str] = &["$defs", "definitions"];

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
    // serde_json escapes only `"`, `\\` and control characters. Tested
    // without an early exit, which the compiler vectorises.
    let plain = !s.bytes().fold(false, |escape, b| {
        escape | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.reserve(s.len() + 2);
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
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

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

    #[test]
    fn prints_a_serialised_value_as_its_value_tree() {
        use serde::Serialize;
        use std::collections::BTreeMap;

        #[derive(Serialize)]
        enum Shape {
            Point,
            Circle(f64),
            Pair(u8, i64),
            Box { z: bool, a: Option<String> },
        }
        #[derive(Serialize)]
        #[serde(tag = "kind")]
        enum Tagged {
            Inner { b: u32 },
        }
        #[derive(Serialize)]
        struct Sorted {
            a: u8,
            b: Vec<Sorted>,
        }
        #[derive(Serialize)]
        struct Wrapper {
            zeta: Vec<Shape>,
            sorted: Sorted,
            // Its `text` is a field's name too: the one serialised last is kept.
            #[serde(flatten)]
            extra: BTreeMap<&'static str, u32>,
            #[serde(flatten)]
            tagged: Tagged,
            alpha: BTreeMap<u32, &'static str>,
            empty: Vec<u8>,
            nothing: (),
            bytes: &'static [u8],
            text: &'static str,
            letter: char,
            nan: f64,
        }
        let value = Wrapper {
            zeta: vec![
                Shape::Point,
                Shape::Circle(1.5),
                Shape::Pair(7, -3),
                Shape::Box { z: true, a: None },
            ],
            sorted: Sorted {
                a: 1,
                b: vec![Sorted { a: 2, b: vec![] }],
            },
            extra: BTreeMap::from([("text", 9), ("aaa", 1)]),
            tagged: Tagged::Inner { b: 2 },
            alpha: BTreeMap::from([(10, "ten"), (2, "two")]),
            empty: Vec::new(),
            nothing: (),
            bytes: b"hi",
            text: "quote \" and\nnewline",
            letter: 'ü',
            nan: f64::NAN,
        };
        let mut tree = serde_json::to_value(&value).unwrap();
        tree.as_object_mut()
            .unwrap()
            .insert("$comment".into(), "made".into());
        assert_eq!(
            to_canonical_json_of(&value, &[("$comment", "made")]).unwrap(),
            to_canonical_json(&tree)
        );
    }

    /// A key a root ranks first or last, an ordinary one, or any string.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "$comment",
                "$schema",
                "title",
                "description",
                "$defs",
                "definitions",
                "a",
                "b",
            ])
            .prop_map(str::to_owned),
            any::<String>(),
        ]
    }

    /// Any JSON value, objects with their members in any order.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The two printers, the `Value` tree's and the one that prints
        /// while serialising, write every value alike, extra root members
        /// included.
        #[test]
        fn the_value_printer_and_the_serializer_print_alike(value in json_value()) {
            prop_assert_eq!(to_canonical_json_of(&value, &[]).unwrap(), to_canonical_json(&value));
            if let Value::Object(members) = &value {
                if !members.contains_key("$comment") {
                    let mut tree = members.clone();
                    tree.insert("$comment".into(), "made".into());
                    prop_assert_eq!(
                        to_canonical_json_of(&value, &[("$comment", "made")]).unwrap(),
                        to_canonical_json(&Value::Object(tree))
                    );
                }
            }
        }
    }
}
