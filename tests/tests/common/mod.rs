//! What several integration tests share. Each test binary compiles this
//! module on its own and uses a part of it.

pub mod values;
