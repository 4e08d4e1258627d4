//! Pretty-printing JSON the same way on every machine.
//!
//! serde_json's map order depends on a cargo feature (`preserve_order`) that
//! any crate in a build can switch on, so the printer sorts keys itself
//! rather than trusting the map: output never depends on which crates were
//! built alongside.

use std::borrow::Cow;

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

fn write_value(out: &mut String, value: &Value, indent: usize, is_root: bool) {
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

/// `value` as [`to_canonical_json`] writes `serde_json::to_value(value)`
/// with the string members `extra` added to the root object, but printed
/// while `value` is serialised, without building the `Value` tree. Each
/// object's members are printed first and then written in the canonical
/// order.
pub(crate) fn to_canonical_json_of<T: serde::Serialize + ?Sized>(
    value: &T,
    extra: &[(&str, &str)],
) -> Result<String, CanonicalError> {
    let mut out = String::new();
    value.serialize(Canonical {
        out: &mut out,
        indent: 0,
        root_extra: Some(extra),
    })?;
    out.push('\n');
    Ok(out)
}

/// Why a value cannot be written as JSON (a map key that is not a string,
/// or an error of the value's own `Serialize`).
#[derive(Debug)]
pub(crate) struct CanonicalError(String);

impl std::fmt::Display for CanonicalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanonicalError {}

impl serde::ser::Error for CanonicalError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        CanonicalError(message.to_string())
    }
}

/// Writes one value nested `indent` levels deep at the end of `out`;
/// `root_extra` is set for the root only (whose keys rank as a root's,
/// with the extra members).
struct Canonical<'o, 'a> {
    out: &'o mut String,
    indent: usize,
    root_extra: Option<&'a [(&'a str, &'a str)]>,
}

impl<'o> Canonical<'o, '_> {
    fn object(self) -> Object<'o> {
        self.out.push('{');
        let mut object = Object {
            start: self.out.len(),
            out: self.out,
            indent: self.indent,
            is_root: self.root_extra.is_some(),
            members: Vec::new(),
            sorted: true,
            key: None,
            variant_indent: None,
        };
        for (key, text) in self.root_extra.unwrap_or_default() {
            object.begin_member(Cow::Owned((*key).to_owned()));
            push_string_literal(object.out, text);
            object.end_member();
        }
        object
    }

    fn array(self) -> Array<'o> {
        self.out.push('[');
        Array {
            out: self.out,
            indent: self.indent,
            empty: true,
            variant_indent: None,
        }
    }

    /// Opens `{"variant": …}`; the value inside is written one level
    /// deeper, and `close_variant` closes it.
    fn open_variant(self, variant: &str) -> Canonical<'o, 'static> {
        self.out.push_str("{\n");
        push_indent(self.out, self.indent + 1);
        push_string_literal(self.out, variant);
        self.out.push_str(": ");
        Canonical {
            out: self.out,
            indent: self.indent + 1,
            root_extra: None,
        }
    }

    /// A value as serde_json's `Value` writes it (bytes and floats, whose
    /// conversion has rules of its own).
    fn via_value<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), CanonicalError> {
        let value = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
        write_value(self.out, &value, self.indent, false);
        Ok(())
    }

    fn number(self, number: impl std::fmt::Display) -> Result<(), CanonicalError> {
        use std::fmt::Write;
        write!(self.out, "{number}").expect("writing to a String cannot fail");
        Ok(())
    }

    fn text(self, text: &str) -> Result<(), CanonicalError> {
        self.out.push_str(text);
        Ok(())
    }
}

/// Closes what [`Canonical::open_variant`] opened at `indent`.
fn close_variant(out: &mut String, indent: usize) {
    out.push('\n');
    push_indent(out, indent);
    out.push('}');
}

impl<'o> serde::Serializer for Canonical<'o, '_> {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = Array<'o>;
    type SerializeTuple = Array<'o>;
    type SerializeTupleStruct = Array<'o>;
    type SerializeTupleVariant = Array<'o>;
    type SerializeMap = Object<'o>;
    type SerializeStruct = Object<'o>;
    type SerializeStructVariant = Object<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), CanonicalError> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), CanonicalError> {
        self.via_value(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), CanonicalError> {
        self.number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), CanonicalError> {
        self.via_value(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), CanonicalError> {
        self.via_value(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), CanonicalError> {
        self.via_value(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), CanonicalError> {
        push_string_literal(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CanonicalError> {
        push_string_literal(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CanonicalError> {
        // An array of numbers, as serde_json's `Value` holds bytes.
        self.via_value(v)
    }
    fn serialize_none(self) -> Result<(), CanonicalError> {
        self.text("null")
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), CanonicalError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CanonicalError> {
        self.text("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CanonicalError> {
        self.text("null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), CanonicalError> {
        push_string_literal(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), CanonicalError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), CanonicalError> {
        let indent = self.indent;
        let out = self.open_variant(variant).out;
        value.serialize(Canonical {
            out: &mut *out,
            indent: indent + 1,
            root_extra: None,
        })?;
        close_variant(out, indent);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'o>, CanonicalError> {
        Ok(self.array())
    }
    fn serialize_tuple(self, _: usize) -> Result<Array<'o>, CanonicalError> {
        Ok(self.array())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Array<'o>, CanonicalError> {
        Ok(self.array())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'o>, CanonicalError> {
        let indent = self.indent;
        let mut array = self.open_variant(variant).array();
        array.variant_indent = Some(indent);
        Ok(array)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'o>, CanonicalError> {
        Ok(self.object())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'o>, CanonicalError> {
        Ok(self.object())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'o>, CanonicalError> {
        let indent = self.indent;
        let mut object = self.open_variant(variant).object();
        object.variant_indent = Some(indent);
        Ok(object)
    }
}

/// An array being written: `[` and the items so far are in `out`.
struct Array<'o> {
    out: &'o mut String,
    indent: usize,
    empty: bool,
    /// Set for a tuple variant: the indentation of the `{"variant": …}`
    /// the array is inside.
    variant_indent: Option<usize>,
}

impl Array<'_> {
    fn push<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CanonicalError> {
        self.out.push_str(if self.empty { "\n" } else { ",\n" });
        self.empty = false;
        push_indent(self.out, self.indent + 1);
        value.serialize(Canonical {
            out: &mut *self.out,
            indent: self.indent + 1,
            root_extra: None,
        })
    }

    fn finish(self) {
        if !self.empty {
            self.out.push('\n');
            push_indent(self.out, self.indent);
        }
        self.out.push(']');
        if let Some(indent) = self.variant_indent {
            close_variant(self.out, indent);
        }
    }
}

/// Every sequence-like shape serde has is written as an array.
macro_rules! array_writer {
    ($($trait:ident::$method:ident),* $(,)?) => {$(
        impl serde::ser::$trait for Array<'_> {
            type Ok = ();
            type Error = CanonicalError;
            fn $method<T: serde::Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> Result<(), CanonicalError> {
                self.push(value)
            }
            fn end(self) -> Result<(), CanonicalError> {
                self.finish();
                Ok(())
            }
        }
    )*};
}

array_writer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// An object being written: `{` and its members so far, in the order they
/// came, are in `out`. When they came in the canonical order (struct fields
/// declared in it, any map of sorted keys) that is the text; otherwise
/// `finish` rewrites them in that order.
struct Object<'o> {
    out: &'o mut String,
    indent: usize,
    is_root: bool,
    /// Where the members begin in `out` (after the `{`).
    start: usize,
    members: Vec<Member>,
    /// Whether the members so far are in the canonical order, each key once.
    sorted: bool,
    /// The key whose value comes next (`SerializeMap`).
    key: Option<String>,
    /// Set for a struct variant: the indentation of the `{"variant": …}`
    /// the object is inside.
    variant_indent: Option<usize>,
}

/// A member's key and where its text (indentation, key and value, without
/// the separator before it) lies in `out`.
struct Member {
    /// Struct fields' keys are `'static`: borrowed, not copied.
    key: Cow<'static, str>,
    start: usize,
    end: usize,
}

impl Object<'_> {
    fn begin_member(&mut self, key: Cow<'static, str>) {
        if let Some(last) = self.members.last() {
            let is_root = self.is_root;
            if (rank(&last.key, is_root), last.key.as_ref()) >= (rank(&key, is_root), key.as_ref())
            {
                self.sorted = false;
            }
        }
        self.out
            .push_str(if self.members.is_empty() { "\n" } else { ",\n" });
        let start = self.out.len();
        push_indent(self.out, self.indent + 1);
        push_string_literal(self.out, &key);
        self.out.push_str(": ");
        self.members.push(Member {
            key,
            start,
            end: start,
        });
    }

    fn end_member(&mut self) {
        let end = self.out.len();
        if let Some(member) = self.members.last_mut() {
            member.end = end;
        }
    }

    fn insert<T: serde::Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), CanonicalError> {
        self.begin_member(key);
        value.serialize(Canonical {
            out: &mut *self.out,
            indent: self.indent + 1,
            root_extra: None,
        })?;
        self.end_member();
        Ok(())
    }

    fn finish(mut self) {
        if !self.sorted {
            self.reorder();
        }
        if !self.members.is_empty() {
            self.out.push('\n');
            push_indent(self.out, self.indent);
        }
        self.out.push('}');
        if let Some(indent) = self.variant_indent {
            close_variant(self.out, indent);
        }
    }

    /// Rewrites the members in the canonical order; of a key given twice
    /// the last is kept, as a map keeps the last value inserted.
    fn reorder(&mut self) {
        let text = self.out.split_off(self.start);
        let is_root = self.is_root;
        let mut members = std::mem::take(&mut self.members);
        // Stable: of equal keys the last given stays last.
        members.sort_by(|a, b| {
            (rank(&a.key, is_root), a.key.as_ref()).cmp(&(rank(&b.key, is_root), b.key.as_ref()))
        });
        let mut kept: Vec<Member> = Vec::with_capacity(members.len());
        for member in members {
            match kept.last_mut() {
                Some(last) if last.key == member.key => *last = member,
                _ => kept.push(member),
            }
        }
        for (i, member) in kept.iter().enumerate() {
            self.out.push_str(if i == 0 { "\n" } else { ",\n" });
            self.out
                .push_str(&text[member.start - self.start..member.end - self.start]);
        }
        self.members = kept;
    }
}

/// A map key as serde_json's `Value` takes it: a string, or a number or
/// boolean as its text.
fn key_text<T: serde::Serialize + ?Sized>(key: &T) -> Result<String, CanonicalError> {
    match serde_json::to_value(key).map_err(serde::ser::Error::custom)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(CanonicalError("a map key must be a string".to_owned())),
    }
}

impl serde::ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_key<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &T,
    ) -> Result<(), CanonicalError> {
        self.key = Some(key_text(key)?);
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), CanonicalError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| CanonicalError("a map value without a key".to_owned()))?;
        self.insert(Cow::Owned(key), value)
    }
    fn end(self) -> Result<(), CanonicalError> {
        self.finish();
        Ok(())
    }
}

/// A struct and a struct variant are both written as an object.
macro_rules! struct_writer {
    ($($trait:ident),* $(,)?) => {$(
        impl serde::ser::$trait for Object<'_> {
            type Ok = ();
            type Error = CanonicalError;
            fn serialize_field<T: serde::Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), CanonicalError> {
                self.insert(Cow::Borrowed(key), value)
            }
            fn end(self) -> Result<(), CanonicalError> {
                self.finish();
                Ok(())
            }
        }
    )*};
}

struct_writer!(SerializeStruct, SerializeStructVariant);

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
}
