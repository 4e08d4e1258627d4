//! Integration tests live in `tests/tests/it/`. This library holds what
//! several of them share: `calc`, a small protocol unrelated to codex, and
//! the way to run Node.js tools.

pub mod node;

pub mod misnamed_capability {
    //! A protocol whose one gated method names its capability by the Rust
    //! field (`confirm_deletes`) instead of the wire name
    //! (`confirmDeletes`), behind a flattened member, which takes any name
    //! when the macro checks capability paths: it compiles, and the
    //! generator refuses it.

    use protocol_macros::wire;

    /// What the client can do.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct NotesCapabilities {
        #[serde(default)]
        pub confirm_deletes: bool,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct OpenParams {
        #[serde(flatten)]
        pub session: Session,
    }

    /// What `open` says of the client, flattened into its params.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Session {
        pub capabilities: NotesCapabilities,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Empty {}

    #[protocol_macros::protocol(negotiation = "open", client_capabilities = "params.capabilities")]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum NotesRequest {
            #[method("open", response = Empty)]
            Open(OpenParams),
        }

        #[server_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum NotesServerRequest {
            /// Asks the client to confirm a deletion.
            #[method("notes/confirmDelete", response = Empty, capability = "client.confirm_deletes")]
            ConfirmDelete(Empty),
        }
    }
}

pub mod calc {
    //! A calculator protocol, unrelated to codex, in standard JSON-RPC 2.0:
    //! a negotiation that carries both sides' capabilities, requests of
    //! both peers (`echo`, sent by either side with the same types), a
    //! method gated on a client capability and one on a nested server
    //! capability, methods without params, open objects (`_meta`, and a
    //! result with extra members), no client notifications, and a type no
    //! method uses (rendered as an extra type).

    use std::collections::BTreeMap;

    use protocol_macros::wire;

    /// Members a peer may add, of any name and value.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Meta {
        #[serde(flatten)]
        pub members: BTreeMap<String, serde_json::Value>,
    }

    /// Two numbers to add.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct AddParams {
        pub left_operand: i64,
        pub right_operand: i64,
        /// What the caller attaches; returned untouched.
        #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Meta>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct AddResult {
        pub sum: i64,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Empty {}

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct ProgressParams {
        pub percent: u8,
    }

    /// What `echo` carries, either way.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct EchoParams {
        pub text: String,
    }

    /// Not used by any method; rendered when listed as an extra type.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Receipt {
        pub total: i64,
    }

    /// What a client can do.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct CalcCapabilities {
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub big_numbers: bool,
    }

    /// The client's side of `session/open`.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct OpenParams {
        #[serde(default)]
        pub capabilities: CalcCapabilities,
    }

    /// What the server's math can do: `pow: {}` when it raises powers.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct MathCapabilities {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pow: Option<Empty>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct ServerCapabilities {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub math: Option<MathCapabilities>,
    }

    /// The server's side of `session/open`, with whatever else it says.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct OpenResult {
        pub capabilities: ServerCapabilities,
        #[serde(flatten)]
        pub extra: BTreeMap<String, serde_json::Value>,
    }

    #[protocol_macros::protocol(
        negotiation = "session/open",
        client_capabilities = "params.capabilities",
        server_capabilities = "result.capabilities"
    )]
    pub mod methods {
        use super::*;

        /// What the calculator is asked.
        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum CalcRequest {
            /// Opens the session: each side declares its capabilities.
            #[method("session/open", response = OpenResult)]
            Open(OpenParams),
            /// Adds two numbers.
            #[method("math/add", response = AddResult)]
            Add(AddParams),
            /// Multiplies, for clients that can read big numbers.
            #[method("math/mul", response = AddResult, capability = "client.bigNumbers")]
            Mul(AddParams),
            /// Raises to a power, on servers whose math declares `pow`.
            #[method("math/pow", response = AddResult, capability = "server.math.pow")]
            Pow(AddParams),
            /// Says the text back.
            #[method("echo", response = EchoParams)]
            Echo(EchoParams),
            #[method("shutdown", response = Empty)]
            Shutdown,
        }

        /// What the calculator asks its client.
        #[server_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum CalcServerRequest {
            /// Says the text back.
            #[method("echo", response = EchoParams)]
            ServerEcho(EchoParams),
        }

        #[server_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum CalcNotification {
            #[method("progress")]
            Progress(ProgressParams),
            #[method("$/ping")]
            Ping,
            /// Only for clients that read big numbers.
            #[method("math/bigProgress", capability = "client.bigNumbers")]
            BigProgress(ProgressParams),
        }
    }

    /// The command `calc`'s generator would name in its files.
    pub const COMMAND: &str = "cargo run -p calc-gen -- write-schema";
}

pub mod files {
    //! The committed `generated/` folder, and copies of it.

    use std::fs;
    use std::path::{Path, PathBuf};

    /// `generated/` at the root of this repository.
    pub fn generated_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated")
    }

    /// Copies the folder `from` to `to`, recursively.
    pub fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap_or_else(|err| panic!("{}: {err}", to.display()));
        for entry in fs::read_dir(from).unwrap_or_else(|err| panic!("{}: {err}", from.display())) {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), &target)
                    .unwrap_or_else(|err| panic!("{}: {err}", target.display()));
            }
        }
    }
}
