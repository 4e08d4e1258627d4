//! The v1 app-server types.
