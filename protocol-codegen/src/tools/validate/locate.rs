//! Where a bad value breaks its type's schema, read with a bounded budget
//! and only on the failure path.

use std::collections::HashMap;
use std::fmt;

use protocol_macros::TypeInfo;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::Value;

use super::MAX_NAME;

/// Finds where a value breaks its type's schema, with validators built
/// once per type (and only on the failure path).
#[derive(Default)]
pub(super) struct Locator {
    pub(super) validators: HashMap<usize, Option<jsonschema::Validator>>,
    /// How many values it evaluated against a schema.
    pub(super) evaluated: usize,
}

/// The most values (each array, object, string, number…) of params or a
/// result the locator reads: the bad value of a larger one is reported at
/// `/params` or `/result`, so that locating it costs a bounded time and
/// memory whatever the line's length.
pub const MAX_LOCATED_VALUES: usize = 20_000;
/// The most bytes of member names the locator keeps.
pub(super) const MAX_LOCATED_NAMES: usize = 4 << 20;
/// The most characters of a string value the locator keeps: a cut string
/// still differs from every `const` and `enum` value shorter than that (and
/// the schemas a registry's types have set no lengths or patterns).
pub(super) const MAX_LOCATED: usize = 1024;

impl Locator {
    /// A JSON pointer into `text` (params or a result, as JSON text) to the
    /// deepest place its type's schema (serde's deserialize contract: what
    /// the receiver reads) rejects; `""` when the schema accepts it, or
    /// when `text` is larger than [`MAX_LOCATED_VALUES`] values.
    pub(super) fn locate(&mut self, info: &TypeInfo, text: &str) -> String {
        let Some(value) = located_value(text) else {
            return String::new();
        };
        let validator = self
            .validators
            .entry(info.subschema as usize)
            .or_insert_with(|| validator(info));
        let Some(validator) = validator else {
            return String::new();
        };
        self.evaluated += 1;
        let evaluation = validator.evaluate(&value);
        let mut deepest = None;
        deepest_failure(evaluation.root(), &mut deepest);
        deepest
            .map(|location| {
                location
                    .into_iter()
                    .map(|segment| format!("/{}", pointer_token(&segment.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `text` as a `Value` with every string cut to [`MAX_LOCATED`]
/// characters; `None` when it has more than [`MAX_LOCATED_VALUES`] values
/// or [`MAX_LOCATED_NAMES`] bytes of member names (reading stops there), or
/// is nested deeper than serde_json reads.
pub(super) fn located_value(text: &str) -> Option<Value> {
    let mut budget = Budget {
        values: MAX_LOCATED_VALUES,
        names: MAX_LOCATED_NAMES,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Bounded(&mut budget).deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// What is left of the locator's bounds.
pub(super) struct Budget {
    pub(super) values: usize,
    pub(super) names: usize,
}

/// Reads one value within the budget.
pub(super) struct Bounded<'b>(pub(super) &'b mut Budget);

impl Bounded<'_> {
    pub(super) fn take<E: serde::de::Error>(&mut self) -> Result<(), E> {
        match self.0.values.checked_sub(1) {
            Some(left) => {
                self.0.values = left;
                Ok(())
            }
            None => Err(E::custom("too many values to locate")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(mut self, value: bool) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(mut self, value: i64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_u64<E: serde::de::Error>(mut self, value: u64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_f64<E: serde::de::Error>(mut self, value: f64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::from(value))
    }

    fn visit_str<E: serde::de::Error>(mut self, value: &str) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(value.chars().take(MAX_LOCATED).collect()))
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Bounded(&mut *self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error as _;
        self.take()?;
        let mut members = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.names = self
                .0
                .names
                .checked_sub(key.len())
                .ok_or_else(|| A::Error::custom("member names too long to locate"))?;
            let value = map.next_value_seed(Bounded(&mut *self.0))?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

/// The deepest instance location where the schema failed, following only
/// failing units (a branch of a union that failed does not count when
/// another branch held).
pub(super) fn deepest_failure<'a>(
    unit: jsonschema::OutputUnit<'a>,
    deepest: &mut Option<&'a jsonschema::paths::Location>,
) {
    if unit.valid() {
        return;
    }
    let location = unit.instance_location();
    let depth = |location: &jsonschema::paths::Location| location.into_iter().count();
    if !unit.errors().is_empty() && deepest.is_none_or(|best| depth(location) > depth(best)) {
        *deepest = Some(location);
    }
    for child in unit.children() {
        deepest_failure(child, deepest);
    }
}

pub(super) fn validator(info: &TypeInfo) -> Option<jsonschema::Validator> {
    let settings = schemars::generate::SchemaSettings::draft2020_12().for_deserialize();
    let mut generator = settings.into_generator();
    let Value::Object(mut schema) = (info.subschema)(&mut generator).to_value() else {
        return None;
    };
    schema.insert(
        "$defs".to_owned(),
        Value::Object(generator.take_definitions(true)),
    );
    jsonschema::draft202012::new(&Value::Object(schema)).ok()
}

/// A JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`), bounded.
/// Not escaped: a report quotes the whole pointer as a JSON string.
pub(super) fn pointer_token(token: &str) -> String {
    bounded_token(&token.replace('~', "~0").replace('/', "~1"))
}

/// A pointer someone else built, its tokens bounded.
pub(super) fn bounded_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|token| format!("/{}", bounded_token(token)))
        .collect()
}

/// At most [`MAX_NAME`] characters of `token`, then its length in bytes.
pub(super) fn bounded_token(token: &str) -> String {
    match token.char_indices().nth(MAX_NAME) {
        Some((end, _)) => format!("{}… ({} bytes)", &token[..end], token.len()),
        None => token.to_owned(),
    }
}
