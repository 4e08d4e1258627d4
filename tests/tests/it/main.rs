//! The `tests` package's integration tests, one binary: a module per
//! concern, and `common` and `oracle`, which several of them share.

mod common;
mod oracle;

mod agreement;
mod any_protocol_render;
mod app_server;
mod breaking;
mod codegen_cli;
mod codegen_client_ts;
mod connection_gate;
mod decoder_regressions;
mod error_text;
mod example_server;
mod file_safety;
mod generated;
mod model;
mod mutation_oracle;
mod open_objects;
mod openrpc;
mod outputs;
mod property;
mod readme_author;
mod reference;
mod reference_conformance;
mod runtime;
mod second_protocol;
mod serde_values;
mod stability_gates;
mod surfaces;
mod tidy;
mod ts_rs_assignable;
mod typescript;
mod typescript_format;
mod validate;
