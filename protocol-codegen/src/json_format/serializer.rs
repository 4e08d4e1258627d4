//! The printer of any `Serialize` value, written while it is serialised,
//! without building its `Value` tree: the same text as the tree's printer.

use std::borrow::Cow;

use serde_json::Value;

use super::value::write_value;
use super::{push_indent, push_string_literal, rank};

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
