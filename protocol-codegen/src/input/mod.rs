//! The input stage: the types a registry reaches, who writes each, and
//! their schemas, from which the model is built.

pub(crate) mod collect;
pub(crate) mod direction;
pub(crate) mod schemas;
