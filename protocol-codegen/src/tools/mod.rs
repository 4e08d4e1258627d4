//! Tools on a protocol besides generating its files: comparing two models
//! for breaking changes, and checking a transcript of messages.

pub mod breaking;
pub mod validate;
