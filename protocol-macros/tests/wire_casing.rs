//! `#[wire]` camelCases the fields of an enum's struct variants as it does a
//! struct's, and serde's output, the JSON Schema and the TypeScript agree on
//! the names; an enum that states its own `rename_all_fields` keeps it.

use protocol_macros::__private::schemars::{self, JsonSchema};
use protocol_macros::__private::serde_json::{self, json};
use protocol_macros::__private::ts_rs::{self, TS};
use protocol_macros::wire;

#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(tag = "type")]
pub enum Transport {
    Http { base_url: String, retry_count: u32 },
    Stdio,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all_fields = "snake_case")]
pub enum Legacy {
    Http { base_url: String },
}

/// The member names of variant `index` in the schema's `oneOf`.
fn schema_members<T: JsonSchema>(index: usize) -> Vec<String> {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    let schema = schema.as_value();
    let variants = schema["oneOf"].as_array().expect("a oneOf of variants");
    let properties = &variants[index]["properties"];
    let properties = match properties.get("http") {
        Some(inner) => &inner["properties"],
        None => properties,
    };
    let mut names: Vec<String> = properties
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

#[test]
fn struct_variant_fields_are_camel_case_in_serde_schema_and_typescript() {
    let value = serde_json::to_value(Transport::Http {
        base_url: "https://example.com".into(),
        retry_count: 2,
    })
    .unwrap();
    assert_eq!(
        value,
        json!({ "type": "http", "baseUrl": "https://example.com", "retryCount": 2 })
    );
    let read: Transport = serde_json::from_value(value).unwrap();
    assert!(matches!(read, Transport::Http { retry_count: 2, .. }));

    assert_eq!(
        schema_members::<Transport>(0),
        ["baseUrl", "retryCount", "type"]
    );

    let ts = Transport::decl(&ts_rs::Config::new());
    assert!(ts.contains("baseUrl: string"), "{ts}");
    assert!(ts.contains("retryCount: number"), "{ts}");
    assert!(!ts.contains("base_url"), "{ts}");
}

#[test]
fn an_enum_that_states_its_fields_casing_keeps_it() {
    let value = serde_json::to_value(Legacy::Http {
        base_url: "x".into(),
    })
    .unwrap();
    assert_eq!(value, json!({ "http": { "base_url": "x" } }));
    assert_eq!(schema_members::<Legacy>(0), ["base_url"]);
    let ts = Legacy::decl(&ts_rs::Config::new());
    assert!(ts.contains("base_url: string"), "{ts}");
}
