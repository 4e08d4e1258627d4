//! Integration tests live in `tests/tests/`. This library holds what
//! several of them share: `calc`, a small protocol unrelated to codex, and
//! the way to run Node.js tools.

pub mod node;

pub mod calc {
    //! A calculator protocol: client requests and server notifications
    //! only, two methods gated by a capability, methods without params, and
    //! a type no method uses (rendered as an extra type).

    use protocol_macros::wire;

    /// Two numbers to add.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct AddParams {
        pub left_operand: i64,
        pub right_operand: i64,
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

    /// Not used by any method; rendered when listed as an extra type.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct CalcCapabilities {
        #[serde(default)]
        pub big_numbers: bool,
    }

    #[protocol_macros::protocol]
    pub mod methods {
        use super::*;

        /// What the calculator is asked.
        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum CalcRequest {
            /// Adds two numbers.
            #[method("math/add", response = AddResult)]
            Add(AddParams),
            /// Multiplies, for clients that can read big numbers.
            #[method("math/mul", response = AddResult, capability = "bigNumbers")]
            Mul(AddParams),
            #[method("shutdown", response = Empty)]
            Shutdown,
        }

        #[server_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum CalcNotification {
            #[method("progress")]
            Progress(ProgressParams),
            #[method("$/ping")]
            Ping,
            /// Only for clients that read big numbers.
            #[method("math/bigProgress", capability = "bigNumbers")]
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
