//! Who writes each type on the wire, and so which view of it the output shows.
//!
//! The policy: a field is optional (`?:` in TypeScript, absent from
//! `required`) exactly when the side that *receives* the type may find it
//! missing, and required otherwise (`T | null` when it may be null).
//!
//! - A type only the server writes (client request responses, server request
//!   params, server notification params) is shown as the server's serde
//!   writes it: an `Option` field is always present, as `null` when empty;
//!   only a field with `skip_serializing_if` may be missing.
//! - A type the client writes (client request and notification params,
//!   server request responses) is shown as the server's serde reads it: a
//!   field it tolerates missing (`Option`, `#[serde(default)]`) is optional,
//!   so a client may leave it out.
//! - A type both sides write gets the tolerant (reader's) view, which is
//!   safe for both.
//!
//! schemars calls these the serialize and deserialize contracts.

use std::collections::BTreeSet;

use protocol_macros::{Direction, Registry, TypeInfo};
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::Side;

/// The schema names of the types only the server writes; every other type
/// gets the tolerant view.
#[derive(Debug, Clone, Default)]
pub struct Views {
    server_only: BTreeSet<String>,
    by_client: BTreeSet<String>,
    by_server: BTreeSet<String>,
}

/// Which contract a type's schema is generated under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// As the writer always writes it (serialize contract).
    Written,
    /// As the reader tolerates it (deserialize contract).
    Tolerant,
}

impl Views {
    /// The views of `registry`'s types, given `reach`: the schema names of
    /// a params or response type and of every named type it refers to.
    pub fn of<'r>(registry: &Registry, mut reach: impl FnMut(TypeInfo) -> &'r [String]) -> Views {
        let mut by_client = BTreeSet::new();
        let mut by_server = BTreeSet::new();
        for method in registry.methods() {
            let (params_writer, response_writer) = match method.direction {
                Direction::ClientToServer => (&mut by_client, &mut by_server),
                Direction::ServerToClient => (&mut by_server, &mut by_client),
            };
            if let Some(params) = method.params {
                params_writer.extend(reach(params).iter().cloned());
            }
            if let Some(response) = method.response {
                response_writer.extend(reach(response).iter().cloned());
            }
        }
        for set in registry.sets {
            match set.direction {
                Direction::ClientToServer => by_client.insert(set.name.to_owned()),
                Direction::ServerToClient => by_server.insert(set.name.to_owned()),
            };
        }
        Views {
            server_only: by_server.difference(&by_client).cloned().collect(),
            by_client,
            by_server,
        }
    }

    /// Who writes the type whose schema name is `name`. A type no method
    /// reaches (the envelope, extra types) is written by both.
    pub fn sent_by(&self, name: &str) -> Vec<Side> {
        let client = self.by_client.contains(name);
        let server = self.by_server.contains(name);
        match (client, server) {
            (true, false) => vec![Side::Client],
            (false, true) => vec![Side::Server],
            _ => vec![Side::Client, Side::Server],
        }
    }

    /// The view of the type whose schema name is `name`.
    pub fn of_name(&self, name: &str) -> View {
        if self.server_only.contains(name) {
            View::Written
        } else {
            View::Tolerant
        }
    }
}

impl View {
    pub fn apply(self, settings: SchemaSettings) -> SchemaSettings {
        match self {
            View::Written => settings.for_serialize(),
            View::Tolerant => settings.for_deserialize(),
        }
    }
}

/// Every `$ref` in `schema`, at any depth.
pub(crate) fn references<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => out.push(reference),
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}
