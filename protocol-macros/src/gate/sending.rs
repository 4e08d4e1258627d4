//! The sending half: a gated message is written only while the
//! connection its proof is bound to encodes it.

use std::cell::Cell;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::registry::Kind;

use super::granted::{Granted, Origin};

/// A message's members in the order the encoder writes them.
pub(super) struct InOrder<'a>(pub(super) &'a Map<String, Value>);

impl Serialize for InOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const ORDER: [&str; 4] = ["jsonrpc", "method", "id", "params"];
        let present = ORDER.iter().filter(|k| self.0.contains_key(**k)).count();
        let mut message = serializer.serialize_struct("Message", present)?;
        for key in ORDER {
            if let Some(value) = self.0.get(key) {
                message.serialize_field(key, value)?;
            }
        }
        message.end()
    }
}

thread_local! {
    /// The connection encoding a message on this thread, 0 when none is.
    static ENCODING: Cell<u64> = const { Cell::new(0) };
}

/// Runs `encode` as connection `id`: gated messages whose proof is bound to
/// it may be written meanwhile.
pub(crate) fn encoding_as<T>(id: u64, encode: impl FnOnce() -> T) -> T {
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            ENCODING.with(|current| current.set(self.0));
        }
    }
    let _restore = Restore(ENCODING.with(|current| current.replace(id)));
    encode()
}

/// For the message enums' `Serialize`: `Ok` when the gated message of
/// `method` holds a proof bound to the connection encoding it now, the
/// serde error to fail with otherwise.
#[doc(hidden)]
pub fn sendable<E: serde::ser::Error, M: ?Sized>(
    granted: &Granted<M>,
    method: &str,
    kind: Kind,
) -> Result<(), E> {
    let grant = match kind {
        Kind::Request => "request",
        Kind::Notification => "notify",
    };
    let encoding = ENCODING.with(Cell::get);
    match granted.origin {
        Origin::Connection(id) if id == encoding => Ok(()),
        Origin::Received => Err(E::custom(format_args!(
            "`{method}` was received, not granted: send it with Connection::{grant} on the connection it goes to"
        ))),
        Origin::Connection(_) if encoding == 0 => Err(E::custom(format_args!(
            "`{method}` is gated: only the connection that granted it encodes it (Connection::encode or Connection::{grant})"
        ))),
        Origin::Connection(_) => Err(E::custom(format_args!(
            "`{method}` was granted on another connection, whose capabilities are not this one's"
        ))),
    }
}
