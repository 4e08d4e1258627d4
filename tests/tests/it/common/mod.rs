//! What several of the integration tests share.

pub mod codex_peer;
pub mod values;

use std::sync::{Mutex, MutexGuard};

/// `tests/ts-client/build/client`, which `tsconfig.build.json` compiles to:
/// `typescript` and `example_server` both build it and run node on what
/// they built, and the tests of one binary run on several threads.
static TS_CLIENT_BUILD: Mutex<()> = Mutex::new(());

/// Held while a test builds and uses `tests/ts-client/build/client`. A test
/// that failed holding it does not fail the next.
pub fn ts_client_build() -> MutexGuard<'static, ()> {
    TS_CLIENT_BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
