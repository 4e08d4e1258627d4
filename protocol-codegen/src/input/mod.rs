//! The input stage: the types a registry reaches, who writes each, and
//! their schemas, from which the model is built; and the conformance
//! examples the reference shows.

pub(crate) mod collect;
pub(crate) mod direction;
pub mod examples;
pub(crate) mod schemas;
