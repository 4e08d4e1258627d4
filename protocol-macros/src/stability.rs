//! Finding and removing experimental parts of a JSON value, by the schema
//! of its type.
//!
//! `#[wire]` writes a field's or variant's `#[experimental("reason")]` as
//! `x-experimental` in the type's schema, so the schema is where the
//! runtime learns, at any depth, which parts of a value are experimental:
//! no table is kept by hand and nothing is propagated.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::{Map, Value};

/// The keyword `#[wire]` writes for `#[experimental("reason")]`.
pub const EXPERIMENTAL: &str = "x-experimental";

/// Nesting deeper than this is not walked (serde_json refuses deeper
/// input anyway).
const MAX_DEPTH: usize = 256;

/// An experimental part found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentalUse {
    /// Where, as a JSON pointer into the value (e.g. `/settings/turbo`).
    pub pointer: String,
    /// The reason its `#[experimental]` gives.
    pub reason: String,
}

/// A type's schema: a root (usually a `$ref`) and the definitions it
/// refers to.
#[derive(Debug, Clone)]
pub struct TypeSchema {
    root: Value,
    definitions: Map<String, Value>,
}

impl TypeSchema {
    pub fn new(root: Value, definitions: Map<String, Value>) -> Self {
        TypeSchema { root, definitions }
    }

    /// The schema of the type described by `info` as its reader sees it
    /// (serde's deserialize contract) or its writer writes it.
    pub fn of(info: &crate::TypeInfo, contract: Contract) -> Self {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let settings = match contract {
            Contract::Read => settings.for_deserialize(),
            Contract::Write => settings.for_serialize(),
        };
        let mut generator = settings.into_generator();
        let root = (info.subschema)(&mut generator).to_value();
        let definitions = generator.take_definitions(false);
        TypeSchema::new(root, definitions)
    }

    /// The schema of `info` under `contract` when anything in it is
    /// experimental; `None` when nothing is. Built once per type and
    /// contract and kept for the life of the process, so the runtime gates
    /// cost a protocol without experimental parts one lookup per message,
    /// and never a schema.
    pub fn experimental_parts(
        info: &crate::TypeInfo,
        contract: Contract,
    ) -> Option<Arc<TypeSchema>> {
        // Keyed by the type's schema function: one per type (a duplicate
        // address only costs a second entry; two types never share one,
        // since their schemas differ).
        type Cache = RwLock<HashMap<(usize, Contract), Option<Arc<TypeSchema>>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = (info.subschema as usize, contract);
        let cache = CACHE.get_or_init(Cache::default);
        if let Some(entry) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return entry.clone();
        }
        let schema = TypeSchema::of(info, contract);
        let entry = schema.has_experimental().then(|| Arc::new(schema));
        cache
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert(entry)
            .clone()
    }

    /// Whether anything reachable from this schema is experimental.
    pub fn has_experimental(&self) -> bool {
        fn mentions(value: &Value) -> bool {
            match value {
                Value::Object(map) => map.contains_key(EXPERIMENTAL) || map.values().any(mentions),
                Value::Array(items) => items.iter().any(mentions),
                _ => false,
            }
        }
        mentions(&self.root) || self.definitions.values().any(mentions)
    }

    /// The first experimental field, variant or value that `value` uses.
    pub fn find_experimental(&self, value: &Value) -> Option<ExperimentalUse> {
        let mut pointer = String::new();
        self.find(&self.root, value, &mut pointer, 0)
    }

    /// Removes every experimental field from `value`, at any depth.
    pub fn strip_experimental(&self, value: &mut Value) {
        self.strip(&self.root, value, 0);
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match reference
                .rsplit('/')
                .next()
                .and_then(|name| self.definitions.get(name))
            {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The variants of a union that `value` may be: those whose constant
    /// or tag it has, or, when none says, all of them.
    fn candidates<'a>(&'a self, schema: &'a Value, value: &Value) -> Vec<&'a Value> {
        let Some(variants) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        let tagged: Vec<&Value> = variants
            .iter()
            .filter(|variant| {
                let variant = self.resolve(variant);
                if let Some(constant) = variant.get("const") {
                    return constant == value;
                }
                if let Some(values) = variant.get("enum").and_then(Value::as_array) {
                    return values.contains(value);
                }
                let Some(properties) = variant.get("properties").and_then(Value::as_object) else {
                    return false;
                };
                let Some(object) = value.as_object() else {
                    return false;
                };
                // A tag: a property whose schema is a constant.
                let tags: Vec<(&String, &Value)> = properties
                    .iter()
                    .filter_map(|(k, p)| p.get("const").map(|c| (k, c)))
                    .collect();
                if !tags.is_empty() {
                    return tags.iter().all(|(k, c)| object.get(*k) == Some(*c));
                }
                // Externally tagged: the one required key.
                match variant.get("required").and_then(Value::as_array) {
                    Some(required) if required.len() == 1 && properties.len() == 1 => required[0]
                        .as_str()
                        .is_some_and(|key| object.contains_key(key)),
                    _ => false,
                }
            })
            .collect();
        if tagged.is_empty() {
            variants.iter().collect()
        } else {
            tagged
        }
    }

    fn find(
        &self,
        schema: &Value,
        value: &Value,
        pointer: &mut String,
        depth: usize,
    ) -> Option<ExperimentalUse> {
        if depth > MAX_DEPTH {
            return None;
        }
        let schema = self.resolve(schema);
        if let Some(reason) = schema.get(EXPERIMENTAL).and_then(Value::as_str) {
            return Some(ExperimentalUse {
                pointer: pointer.clone(),
                reason: reason.to_owned(),
            });
        }
        for variant in self.candidates(schema, value) {
            if let Some(found) = self.find(variant, value, pointer, depth + 1) {
                return Some(found);
            }
        }
        match value {
            Value::Object(object) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let additional = schema.get("additionalProperties").filter(|a| a.is_object());
                for (key, member) in object {
                    let member_schema = properties.and_then(|p| p.get(key)).or(additional);
                    if let Some(member_schema) = member_schema {
                        let len = pointer.len();
                        push_segment(pointer, key);
                        let found = self.find(member_schema, member, pointer, depth + 1);
                        pointer.truncate(len);
                        if found.is_some() {
                            return found;
                        }
                    }
                }
                None
            }
            Value::Array(items) => {
                let item_schema = schema.get("items")?;
                for (index, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &index.to_string());
                    let found = self.find(item_schema, item, pointer, depth + 1);
                    pointer.truncate(len);
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn strip(&self, schema: &Value, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        // The candidates borrow the schema, not the value: no copy needed.
        let candidates = self.candidates(schema, value);
        for variant in candidates {
            self.strip(variant, value, depth + 1);
        }
        match value {
            Value::Object(object) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let additional = schema.get("additionalProperties").filter(|a| a.is_object());
                let keys: Vec<String> = object.keys().cloned().collect();
                for key in keys {
                    let member_schema = properties.and_then(|p| p.get(&key)).or(additional);
                    let Some(member_schema) = member_schema else {
                        continue;
                    };
                    if self.resolve(member_schema).get(EXPERIMENTAL).is_some()
                        || member_schema.get(EXPERIMENTAL).is_some()
                    {
                        object.remove(&key);
                    } else if let Some(member) = object.get_mut(&key) {
                        self.strip(member_schema, member, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.strip(item_schema, item, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whose view of a type a schema takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contract {
    /// As serde reads it: what a peer may send.
    Read,
    /// As serde writes it: what is sent.
    Write,
}

fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> TypeSchema {
        let definitions = json!({
            "Settings": {
                "type": "object",
                "properties": {
                    "mode": { "$ref": "#/$defs/Mode" },
                    "inner": { "$ref": "#/$defs/Inner" },
                    "turbo": { "type": "boolean", "x-experimental": "turbo is new" },
                },
            },
            "Inner": {
                "type": "object",
                "properties": {
                    "deep": { "type": ["string", "null"], "x-experimental": "deep is new" },
                    "plain": { "type": "string" },
                },
            },
            "Mode": {
                "oneOf": [
                    { "type": "string", "const": "slow" },
                    { "type": "string", "const": "warp", "x-experimental": "warp is new" },
                ],
            },
        });
        let Value::Object(definitions) = definitions else {
            unreachable!()
        };
        TypeSchema::new(json!({ "$ref": "#/$defs/Settings" }), definitions)
    }

    #[test]
    fn finds_experimental_fields_and_values_at_any_depth() {
        let schema = schema();
        assert!(schema.has_experimental());
        assert_eq!(
            schema.find_experimental(&json!({"mode": "slow", "inner": {"plain": "x"}})),
            None
        );
        let found = schema
            .find_experimental(&json!({"inner": {"plain": "x", "deep": null}}))
            .unwrap();
        assert_eq!(found.pointer, "/inner/deep");
        assert_eq!(found.reason, "deep is new");
        let found = schema.find_experimental(&json!({"mode": "warp"})).unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.reason.as_str()),
            ("/mode", "warp is new")
        );
        let found = schema.find_experimental(&json!({"turbo": false})).unwrap();
        assert_eq!(found.pointer, "/turbo");
    }

    #[test]
    fn strips_experimental_fields_at_any_depth() {
        let schema = schema();
        let mut value =
            json!({"turbo": true, "inner": {"plain": "x", "deep": "y"}, "mode": "slow"});
        schema.strip_experimental(&mut value);
        assert_eq!(value, json!({"inner": {"plain": "x"}, "mode": "slow"}));
    }

    #[crate::wire]
    #[derive(Debug, Clone, PartialEq)]
    struct Marked {
        plain: String,
        #[experimental("marked.later")]
        later: Option<u8>,
    }

    #[test]
    fn experimental_parts_are_found_once_per_type() {
        let marked = crate::TypeInfo::of::<Marked>("Marked");
        let first = TypeSchema::experimental_parts(&marked, Contract::Read).unwrap();
        let again = TypeSchema::experimental_parts(&marked, Contract::Read).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "built once, then cached");
        let found = first
            .find_experimental(&json!({"plain": "x", "later": 1}))
            .unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.reason.as_str()),
            ("/later", "marked.later")
        );
        assert!(TypeSchema::experimental_parts(&marked, Contract::Write).is_some());

        let plain = crate::TypeInfo::of::<crate::RequestId>("RequestId");
        assert!(TypeSchema::experimental_parts(&plain, Contract::Read).is_none());
    }
}
